#pragma once
// Turns a TCP byte stream into lines. Incremental and pure: feed bytes as they
// arrive, take whole lines out. Lines end in "\n"; a "\r" before it is dropped.
// A line longer than the limit is discarded whole and reported once.
#include <cstddef>
#include <cstdint>
#include <optional>
#include <string>
#include <string_view>

namespace parley::net {

class LineFramer {
 public:
  explicit LineFramer(std::size_t max_line_bytes) : max_(static_cast<std::uint32_t>(max_line_bytes)) {}

  struct Line {
    std::string_view text;  // valid until the next call on the framer
    bool too_long = false;  // the line was discarded; text is empty
  };

  void feed(std::string_view bytes);
  // The next whole line, or nullopt if none is complete yet.
  std::optional<Line> next();
  bool has_line() const;
  // Drops the line being typed (not yet ended), for a telnet interrupt.
  void drop_partial_line();
  // Bytes held for an incomplete line or lines not taken yet.
  std::size_t buffered() const { return buf_.size() - pos_; }
  // Frees the buffer when nothing is held, so idle connections cost nothing.
  void release_if_empty();

 private:
  void compact();

  // Counts in 32 bits (every connection has a framer): it holds at most one
  // read past a line of at most max_ bytes.
  std::string buf_;
  std::uint32_t max_;
  std::uint32_t pos_ = 0;        // start of the first line not yet taken
  std::uint32_t scanned_ = 0;    // bytes from pos_ known to hold no '\n'
  bool discarding_ = false;      // inside an over-long line, dropping up to its '\n'
};

}  // namespace parley::net
