#pragma once
// Where the backplane keeps things in Redis (docs/cluster.md): the keys and
// channels of rooms, names and nodes, named in one place.
#include <cstdint>
#include <string>
#include <string_view>

#include "core/session_ref.h"

namespace parley::backplane::keys {

inline constexpr std::string_view kRoomPrefix = "parley:room:";
inline constexpr std::string_view kProbePrefix = "parley:probe:";
inline const std::string kEpochKey = "parley:epoch";
inline const std::string kFenceKey = "parley:name-fence";
inline const std::string kNodesKey = "parley:nodes";
// A netsplit's end: its reaper publishes the dead node's id here after the
// last of its quits (RedisBackplane::reap).
inline constexpr std::string_view kNetsplitsChannel = "parley:netsplits";
// Lookups (redis_lookups.cpp): a node's requests come on parley:ask:NODE,
// the answers to its own on parley:answer:NODE.
inline constexpr std::string_view kAskPrefix = "parley:ask:";
inline constexpr std::string_view kAnswerPrefix = "parley:answer:";

inline std::string lease_key(const std::string& name_key) { return std::string("parley:name:").append(name_key); }
inline std::string channel_of(const std::string& key) { return std::string(kRoomPrefix).append(key); }
inline std::string seq_key(const std::string& key) { return channel_of(key).append(":seq"); }
inline std::string stream_key(const std::string& key) { return channel_of(key).append(":events"); }
inline std::string members_key(const std::string& key) { return channel_of(key).append(":members"); }
inline std::string roles_key(const std::string& key) { return channel_of(key).append(":roles"); }
// A hash (redis_functions.h, parley_say's ops state and field); named apart
// from the string ":state" of earlier versions, which it replaced.
inline std::string state_key(const std::string& key) { return channel_of(key).append(":room-state"); }
inline std::string node_key(const std::string& node) { return std::string("parley:node:").append(node); }
inline std::string ask_channel(const std::string& node) { return std::string(kAskPrefix).append(node); }
inline std::string answer_channel(const std::string& node) { return std::string(kAnswerPrefix).append(node); }
// The names a user left (WHOWAS), newest first, as each node records them.
inline std::string past_key(const std::string& name_key) { return std::string("parley:was:").append(name_key); }
// A session's key among this node's (its loop in the high bits).
inline std::uint64_t session_key(core::SessionRef who) { return (std::uint64_t{who.loop} << 48) ^ who.id; }

}  // namespace parley::backplane::keys
