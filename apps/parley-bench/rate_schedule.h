#pragma once
// Fixed-rate sending: sender s sends message k at start + offset(s) + k/rate,
// and that scheduled time, not the moment of writing, is the message's send
// time, so a stalled server cannot hide its stall.

#include <cstddef>
#include <cstdint>
#include <queue>
#include <vector>

namespace parley::bench {

class RateSchedule {
 public:
  // Senders are staggered evenly over one interval; nothing is scheduled at
  // or after `stop`.
  RateSchedule(std::size_t senders, double rate, std::int64_t start, std::int64_t stop);

  // True once every send before `stop` has been made.
  bool finished() const { return due_.empty(); }

  // Calls send(sender, scheduled_ns) -> bool for sends due by `now`, earliest
  // first, at most `budget` of them; a false return means the sender is
  // blocked, and it is retried `retry_ns` later with the same scheduled time.
  // Returns when the next send is due.
  template <class Send>
  std::int64_t run_due(std::int64_t now, std::size_t budget, std::int64_t retry_ns, Send&& send) {
    while (!due_.empty() && due_.top().at <= now && budget-- > 0) {
      Entry e = due_.top();
      due_.pop();
      const std::int64_t scheduled = scheduled_at(e.sender);
      if (!send(e.sender, scheduled)) {
        due_.push({now + retry_ns, e.sender});
        continue;
      }
      const std::int64_t next = scheduled_at(e.sender, ++count_[e.sender]);
      if (next < stop_) due_.push({next, e.sender});
    }
    return due_.empty() ? stop_ : due_.top().at;
  }

 private:
  struct Entry {
    std::int64_t at;
    std::uint32_t sender;
    bool operator>(const Entry& o) const { return at > o.at; }
  };
  std::int64_t scheduled_at(std::uint32_t sender) const { return scheduled_at(sender, count_[sender]); }
  std::int64_t scheduled_at(std::uint32_t sender, std::uint64_t k) const;

  double interval_ns_;
  std::int64_t start_;
  std::int64_t stop_;
  std::vector<std::uint64_t> count_;
  std::vector<std::int64_t> offset_;
  std::priority_queue<Entry, std::vector<Entry>, std::greater<Entry>> due_;
};

}  // namespace parley::bench
