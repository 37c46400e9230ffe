#pragma once
// Window mode: each sender keeps at most `window` messages in flight; a
// message is in flight until `needed` recipients have received it.

#include <cstddef>
#include <cstdint>
#include <deque>
#include <vector>

namespace parley::bench {

class WindowTracker {
 public:
  WindowTracker(std::size_t senders, std::size_t window, std::uint32_t needed);

  bool can_send(std::uint32_t sender) const { return state_[sender].in_flight < window_; }
  // `seq` must be the sender's next sequence number (1, 2, ...).
  void on_sent(std::uint32_t sender, std::uint32_t seq);
  // Counts one delivery; true when it completed the message, freeing a slot.
  bool on_received(std::uint32_t sender, std::uint32_t seq);

 private:
  struct Sender {
    std::size_t in_flight = 0;
    std::uint32_t base_seq = 1;            // sequence number of remaining.front()
    std::deque<std::uint32_t> remaining;   // deliveries still awaited, per message
  };
  std::size_t window_;
  std::uint32_t needed_;
  std::vector<Sender> state_;
};

}  // namespace parley::bench
