#pragma once
// A fixed-size log-linear histogram of durations in nanoseconds
// (relative error under 1/64, no allocation while recording).

#include <array>
#include <cstdint>

namespace parley::bench {

class Histogram {
 public:
  void record(std::int64_t ns);
  std::uint64_t count() const { return count_; }
  std::int64_t max() const { return max_; }
  // The value at percentile p (0..100); 0 when empty.
  std::int64_t percentile(double p) const;

 private:
  static constexpr int kSubBits = 6;                  // 64 sub-buckets per power of two
  static constexpr int kSub = 1 << kSubBits;
  static constexpr int kBuckets = (64 - kSubBits + 1) * kSub;
  static int index_of(std::uint64_t v);
  static std::int64_t value_of(int index);

  std::array<std::uint64_t, kBuckets> buckets_{};
  std::uint64_t count_ = 0;
  std::int64_t max_ = 0;
};

}  // namespace parley::bench
