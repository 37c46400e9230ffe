#pragma once
// The text of a bench message: sender id, sequence number and send time,
// padded to a requested size. Form: "pb.SENDER.SEQ.NS." then 'x' padding.

#include <cstddef>
#include <cstdint>
#include <optional>
#include <string>
#include <string_view>

namespace parley::bench {

struct Stamp {
  std::uint32_t sender = 0;
  std::uint32_t seq = 0;     // 1, 2, 3, ... per sender
  std::int64_t sent_ns = 0;  // CLOCK_MONOTONIC: scheduled (rate mode) or actual send time
};

// Replaces `out` with the payload; it is at least `size` bytes long (longer
// only when the header alone is longer), and never ends in white space.
void encode_payload(const Stamp& stamp, std::size_t size, std::string& out);

// Reads a payload written by encode_payload; nothing if `text` is not one.
std::optional<Stamp> decode_payload(std::string_view text);

}  // namespace parley::bench
