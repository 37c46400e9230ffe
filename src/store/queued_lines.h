#pragma once
// Lines on their way to the history writer, kept as bytes in one buffer. The
// loop that records a line copies its fields in (from views into the event it
// keeps), and the writer reads them in place. Recording then costs the loop
// no allocation once the buffer has grown (it goes back and forth between the
// two sides, never freed), and nothing made on a loop is freed on the
// writer's thread, which would cost glibc's allocator a lock of the loop's
// arena (docs/performance.md, "History writes").
#include <cstddef>
#include <cstdint>
#include <string>
#include <string_view>

#include "core/history.h"

namespace parley::store {

class QueuedLines {
 public:
  void push(const core::HistoryLineRef& line);
  std::size_t size() const { return count_; }
  bool empty() const { return count_ == 0; }
  // Keeps the buffer's memory for the next lines.
  void clear() {
    bytes_.clear();
    count_ = 0;
  }
  // Calls `each(const core::HistoryLineRef&)` for every line, in the order
  // pushed: views into this buffer.
  template <class Each>
  void for_each(Each&& each) const {
    std::size_t at = 0;
    for (std::size_t i = 0; i < count_; ++i) each(read(at));
  }

 private:
  core::HistoryLineRef read(std::size_t& at) const;
  std::string bytes_;
  std::size_t count_ = 0;
};

}  // namespace parley::store
