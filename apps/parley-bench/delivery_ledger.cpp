#include "delivery_ledger.h"

namespace parley::bench {

DeliveryLedger::DeliveryLedger(std::size_t recipients, std::size_t senders)
    : senders_(senders), pairs_(recipients * senders) {}

bool DeliveryLedger::record(std::size_t recipient, std::uint32_t sender, std::uint32_t seq) {
  Pair& p = pairs_[recipient * senders_ + sender];
  ++p.received;
  if (seq > p.last) {
    p.last = seq;
    return true;
  }
  ++out_of_order_;  // late (after a gap was skipped) or repeated
  return false;
}

std::uint64_t DeliveryLedger::lost_for(std::size_t recipient, std::span<const std::uint32_t> sent_per_sender,
                                       bool skip_own) const {
  std::uint64_t lost = 0;
  for (std::size_t s = 0; s < senders_; ++s) {
    if (skip_own && s == recipient) continue;
    const Pair& p = pairs_[recipient * senders_ + s];
    if (p.received < sent_per_sender[s]) lost += sent_per_sender[s] - p.received;
  }
  return lost;
}

}  // namespace parley::bench
