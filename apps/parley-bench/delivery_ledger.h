#pragma once
// Per (recipient, sender): the highest sequence number seen and how many
// messages arrived, to count losses and order violations.

#include <cstddef>
#include <cstdint>
#include <span>
#include <vector>

namespace parley::bench {

class DeliveryLedger {
 public:
  DeliveryLedger(std::size_t recipients, std::size_t senders);

  // Notes that `recipient` got message `seq` of `sender`. Returns false when
  // it did not come after everything already seen from that sender.
  bool record(std::size_t recipient, std::uint32_t sender, std::uint32_t seq);

  std::uint64_t out_of_order() const { return out_of_order_; }
  // Deliveries to `recipient` that never happened, given how many messages
  // each sender sent. With `skip_own`, a recipient's own messages (sender
  // index == recipient index) are not expected back.
  std::uint64_t lost_for(std::size_t recipient, std::span<const std::uint32_t> sent_per_sender,
                         bool skip_own = false) const;

 private:
  struct Pair {
    std::uint32_t last = 0;
    std::uint32_t received = 0;
  };
  std::size_t senders_;
  std::vector<Pair> pairs_;
  std::uint64_t out_of_order_ = 0;
};

}  // namespace parley::bench
