#include "window_tracker.h"

namespace parley::bench {

WindowTracker::WindowTracker(std::size_t senders, std::size_t window, std::uint32_t needed)
    : window_(window), needed_(needed), state_(senders) {}

void WindowTracker::on_sent(std::uint32_t sender, std::uint32_t seq) {
  Sender& s = state_[sender];
  if (seq != s.base_seq + s.remaining.size()) return;  // not the next one: ignore
  s.remaining.push_back(needed_);
  ++s.in_flight;
}

bool WindowTracker::on_received(std::uint32_t sender, std::uint32_t seq) {
  Sender& s = state_[sender];
  if (seq < s.base_seq || seq - s.base_seq >= s.remaining.size()) return false;
  std::uint32_t& left = s.remaining[seq - s.base_seq];
  if (left == 0 || --left > 0) return false;
  --s.in_flight;
  while (!s.remaining.empty() && s.remaining.front() == 0) {
    s.remaining.pop_front();
    ++s.base_seq;
  }
  return true;
}

}  // namespace parley::bench
