#pragma once
// How a node asks another about its users, and how it answers (docs/cluster.md,
// "Lookups across nodes"): a request on parley:ask:NODE names the asking node
// and a number of its own; the answer, on parley:answer:ASKER, carries that
// number back (WHOIS, WHO of a mask, LIST). And the names left (WHOWAS) each
// node records in Redis.
// Pure: no I/O.
#include <cstdint>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "core/backplane.h"

namespace parley::backplane {

struct LookupRequest {
  // rooms: LIST (no subject, no asker: only rooms that are not secret are asked for).
  enum class Kind : char { details = 'd', users = 'u', rooms = 'r' };
  Kind kind = Kind::details;
  std::uint64_t id = 0;   // the asker's number for it
  std::string node;       // the asking node: where the answer goes
  core::LookupAsker asker;
  std::string subject;    // details: the folded name; users: the normalized mask
  std::size_t max = 0;    // users: at most this many
};
std::string encode_lookup_request(const LookupRequest& request);
std::optional<LookupRequest> decode_lookup_request(std::string_view bytes);

struct LookupAnswer {
  std::uint64_t id = 0;
  // details: the user as its node shows it to the asker (nullopt: not held there)
  std::optional<core::UserDetails> details;
  std::vector<core::Identity> users;  // users: those the mask matched there
  std::vector<core::RoomSummary> rooms;  // rooms: those its node follows
};
std::string encode_details_answer(std::uint64_t id, const std::optional<core::UserDetails>& details);
std::string encode_users_answer(std::uint64_t id, const std::vector<core::Identity>& users);
std::string encode_rooms_answer(std::uint64_t id, const std::vector<core::RoomSummary>& rooms);
std::optional<LookupAnswer> decode_lookup_answer(std::string_view bytes);

// Someone who left a name on `node` (quit or renamed), as parley:was:KEY keeps it.
struct PastRecord {
  std::string node;
  core::PastUser past;
};
std::string encode_past(std::string_view node, const core::PastUser& past);
std::optional<PastRecord> decode_past(std::string_view bytes);

}  // namespace parley::backplane
