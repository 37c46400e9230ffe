#pragma once
// Objects that sessions make and drop again and again (what a command waits
// on): a few emptied ones are kept per thread for the next, so that the
// usual case, one room message after another, costs no allocation. Each loop
// is one thread; one taken on a thread and given back on another is kept
// there. A given-back object must be in the state a new one starts in, or be
// one its next taker overwrites whole (a Message a line is parsed into); what
// its containers allocated stays with it, which is the point.
#include <cstddef>
#include <memory>
#include <vector>

namespace parley::core {

template <class T, std::size_t Most = 16>
class Spares {
 public:
  static std::unique_ptr<T> take() {
    auto& kept = list();
    if (kept.empty()) return std::make_unique<T>();
    std::unique_ptr<T> t = std::move(kept.back());
    kept.pop_back();
    return t;
  }
  static void give_back(std::unique_ptr<T> t) {
    auto& kept = list();
    if (t && kept.size() < Most) kept.push_back(std::move(t));
  }

 private:
  static std::vector<std::unique_ptr<T>>& list() {
    static thread_local std::vector<std::unique_ptr<T>> kept;
    return kept;
  }
};

}  // namespace parley::core
