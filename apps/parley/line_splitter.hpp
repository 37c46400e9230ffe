#pragma once

#include <cstddef>
#include <functional>
#include <optional>
#include <string>
#include <string_view>

namespace parley::client {

// Frames a byte stream into lines. A line ends in "\n"; a "\r" just before
// it is dropped too. A line that grows past max_bytes without an end is
// handed on in pieces of max_bytes, so a peer that never sends "\n" cannot
// make us buffer without bound.
class LineSplitter {
 public:
  using Sink = std::function<void(std::string_view line)>;

  explicit LineSplitter(std::size_t max_bytes = 64 * 1024) : max_bytes_(max_bytes) {}

  // Calls on_line for each line that `bytes` completes, in order. The view
  // is valid only during the call.
  void feed(std::string_view bytes, const Sink& on_line);

  // What is left after the last "\n" (the stream ended mid-line), if anything.
  std::optional<std::string> take_rest();

 private:
  std::size_t max_bytes_;
  std::string partial_;
};

}  // namespace parley::client
