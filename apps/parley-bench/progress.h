#pragma once
// Live progress: one line on stderr per second.

#include <cstddef>
#include <cstdint>
#include <string_view>

namespace parley::bench {

struct ProgressSample {
  std::string_view phase;
  std::size_t connections = 0;  // registered and still connected
  std::size_t target = 0;
  std::uint64_t sent = 0;
  std::uint64_t delivered = 0;  // fanout: bench messages; idle: join lines
};

class Progress {
 public:
  explicit Progress(std::int64_t start_ns);
  // Prints a line if a second has passed since the previous one.
  void tick(std::int64_t now, const ProgressSample& sample);
  std::int64_t next_due() const { return next_ns_; }

 private:
  std::int64_t start_ns_;
  std::int64_t next_ns_;
  std::int64_t last_ns_;
  std::uint64_t last_sent_ = 0;
  std::uint64_t last_delivered_ = 0;
};

}  // namespace parley::bench
