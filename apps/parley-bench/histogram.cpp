#include "histogram.h"

#include <algorithm>
#include <bit>
#include <cmath>

namespace parley::bench {

// Values below 2*kSub map to themselves. Above, a value with its highest bit
// at position msb is kept to kSubBits+1 significant bits: shift = msb - kSubBits,
// index = shift * kSub + (v >> shift), which runs on without gaps.
int Histogram::index_of(std::uint64_t v) {
  if (v < 2 * kSub) return static_cast<int>(v);
  const int msb = 63 - std::countl_zero(v);
  const int shift = msb - kSubBits;
  return shift * kSub + static_cast<int>(v >> shift);
}

std::int64_t Histogram::value_of(int index) {
  if (index < 2 * kSub) return index;
  const int shift = index / kSub - 1;
  const auto top = static_cast<std::uint64_t>(index - shift * kSub);
  const std::uint64_t low = top << shift;
  return static_cast<std::int64_t>(low + ((std::uint64_t{1} << shift) >> 1));  // bucket middle
}

void Histogram::record(std::int64_t ns) {
  const auto v = static_cast<std::uint64_t>(std::max<std::int64_t>(ns, 0));
  ++buckets_[static_cast<std::size_t>(std::min(index_of(v), kBuckets - 1))];
  ++count_;
  max_ = std::max(max_, static_cast<std::int64_t>(v));
}

std::int64_t Histogram::percentile(double p) const {
  if (count_ == 0) return 0;
  const double exact = std::ceil(std::clamp(p, 0.0, 100.0) / 100.0 * static_cast<double>(count_));
  const auto rank = std::max<std::uint64_t>(1, static_cast<std::uint64_t>(exact));
  if (rank >= count_) return max_;
  std::uint64_t seen = 0;
  for (int i = 0; i < kBuckets; ++i) {
    seen += buckets_[static_cast<std::size_t>(i)];
    if (seen >= rank) return std::min(value_of(i), max_);
  }
  return max_;
}

}  // namespace parley::bench
