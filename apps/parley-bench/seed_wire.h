#pragma once
// The seed report's Python server (shared/seed/seed_server.py): no framing,
// the name is whatever one recv() returns, every recv() is broadcast as
// "Message from User - NAME: " + the bytes, to the sender too. So a sender
// may have one message in flight (two would arrive in one recv and be
// broadcast as one), messages carry no line end, and what arrives is split
// by recognising the seed's strings (seed_stream.h).

#include <cstddef>
#include <memory>
#include <string>

#include "wire.h"

namespace parley::bench {

// The longest payload the seed relays whole: it reads 1024 bytes at a time.
inline constexpr std::size_t kSeedMaxPayload = 1000;

std::unique_ptr<Protocol> make_seed_protocol(std::string name_prefix, std::size_t payload_size);

}  // namespace parley::bench
