#pragma once
// Growth for vectors that live as long as a room does (its members, a loop's
// view of them): doubling would leave up to half of each buffer unused for
// hours, in every room.
#include <utility>
#include <vector>

namespace parley::core {

// Appends `value`; a full vector grows by a quarter rather than doubling.
// Still amortized constant time, and at most about a fifth of the buffer is
// left unused.
template <class T, class U>
void append_compact(std::vector<T>& v, U&& value) {
  if (v.size() == v.capacity()) v.reserve(v.size() + v.size() / 4 + 4);
  v.push_back(std::forward<U>(value));
}

}  // namespace parley::core
