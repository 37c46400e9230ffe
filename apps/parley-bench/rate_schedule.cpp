#include "rate_schedule.h"

namespace parley::bench {

RateSchedule::RateSchedule(std::size_t senders, double rate, std::int64_t start, std::int64_t stop)
    : interval_ns_(1e9 / rate), start_(start), stop_(stop), count_(senders), offset_(senders) {
  for (std::size_t s = 0; s < senders; ++s) {
    offset_[s] = static_cast<std::int64_t>(interval_ns_ * static_cast<double>(s) / static_cast<double>(senders));
    const auto id = static_cast<std::uint32_t>(s);
    if (scheduled_at(id, 0) < stop_) due_.push({scheduled_at(id, 0), id});
  }
}

std::int64_t RateSchedule::scheduled_at(std::uint32_t sender, std::uint64_t k) const {
  return start_ + offset_[sender] + static_cast<std::int64_t>(interval_ns_ * static_cast<double>(k));
}

}  // namespace parley::bench
