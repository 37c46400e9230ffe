#pragma once
// How shared room events, members and room state travel between nodes (in
// Redis's streams, hashes and pub/sub messages): a version, then
// length-prefixed fields, so any byte may appear in a text. Pure: no I/O.
#include <functional>
#include <optional>
#include <string>
#include <string_view>

#include "core/backplane.h"
#include "core/events.h"

namespace parley::backplane {

// A session's name across the cluster: "NODE/LOOP.ID", NODE being the node's
// incarnation (a restarted node is a new node).
std::string owner_name(std::string_view node, core::SessionRef who);
// The session an owner name means on node `self`: its own ref when the
// session is here, else a ref on core::kRemoteLoop made from the name.
core::SessionRef ref_of_owner(std::string_view owner, std::string_view self);
// The node part of an owner name.
std::string_view node_of_owner(std::string_view owner);

// Finds the cluster name of a session an event names (its actor, a kicked
// member, a member given a role); "" when unknown.
using OwnerOf = std::function<std::string(core::SessionRef)>;

// The event as another node rebuilds it (what Backplane::shares lets
// through: messages to every member, joins, departures, renames, topics,
// settings and roles, kicks).
std::string encode_event(const core::RoomEvent& event, std::string_view node, const OwnerOf& owner_of);

struct DecodedEvent {
  std::string node;  // the node it was decided on
  std::shared_ptr<core::RoomEvent> event;
  std::string actor_owner;  // the actor's cluster name
  std::string target_owner;  // a kicked member's ("" otherwise)
};
// nullopt when `bytes` is not an event this version reads. Sessions are
// named as `self` sees them (ref_of_owner).
std::optional<DecodedEvent> decode_event(std::string_view bytes, std::string_view self = {});

// A member as the room's hash in Redis keeps it, and a room's topic and settings.
std::string encode_identity(const core::Identity& identity);
core::SharedIdentity decode_identity(std::string_view bytes);
std::string encode_room_state(const core::RoomSnapshot& state);
std::shared_ptr<core::RoomSnapshot> decode_room_state(std::string_view bytes);
// What a topic or settings event changed, as fields of the room's state hash
// in Redis over its base (redis_functions.h): "topic", or a setting's letter
// (a list's: the letter, ':' and the folded mask), each with the value it
// was left at. Roles are not among them (they are kept with the members).
using StateFields = std::vector<std::pair<std::string, std::string>>;
StateFields room_state_fields(const core::RoomEvent& event);
// The room a state hash describes: its base (encode_room_state) with each
// field over it. Null when it has no base this version reads.
std::shared_ptr<core::RoomSnapshot> decode_room_state(const StateFields& hash);

}  // namespace parley::backplane

namespace parley::backplane {

// A private message on its way to the node holding its recipient's name (in
// that node's inbox stream): the sender's cluster name and identity, the
// message, and the folded name it was sent to.
struct DecodedPrivate {
  std::string from_owner;
  core::PrivateMessage pm;
  std::string to_key;
};
std::string encode_private(const core::PrivateMessage& pm, std::string_view from_owner, std::string_view to_key);
// nullopt when `bytes` is not a private message this version reads; the
// sender is named as `self` sees it (ref_of_owner).
std::optional<DecodedPrivate> decode_private(std::string_view bytes, std::string_view self);

// A private line taken back by its sender, on its way to every other node (in
// their inboxes, field "r"): the redaction, and the account the conversation
// is with, as the sender named it.
struct DecodedRedaction {
  core::PrivateRedaction redaction;
  std::string other_account;
};
std::string encode_private_redaction(const core::PrivateRedaction& redaction, std::string_view other_account);
std::optional<DecodedRedaction> decode_private_redaction(std::string_view bytes);

}  // namespace parley::backplane

namespace parley::backplane {

// News on the cluster's names channel: a session of `node` took (online) or
// gave up the folded name `key`; `who` as its node published it (null when
// it never did). `identity` is encode_identity's form, or "".
struct NameNews {
  bool online = false;
  std::string node;
  std::string key;
  core::SharedIdentity who;
};
std::string encode_name_news(bool online, std::string_view node, std::string_view key, std::string_view identity);
std::optional<NameNews> decode_name_news(std::string_view bytes);

// On parley:bans: an operator on `node` added (or changed) or removed a
// server ban; the other nodes apply it.
inline constexpr std::string_view kBansChannel = "parley:bans";
struct BanNews {
  bool added = false;
  std::string node;
  core::ServerBan ban;
};
std::string encode_ban_news(bool added, std::string_view node, const core::ServerBan& ban);
std::optional<BanNews> decode_ban_news(std::string_view bytes);

// On parley:registrations: a user on `node` registered a room, changed its
// access list or ended its registration (an empty founder); the other nodes
// take the room's founder, access list and registration time.
inline constexpr std::string_view kRegistrationsChannel = "parley:registrations";
struct RegistrationNews {
  std::string node;
  core::RoomRecord record;  // key, name, founder, operators, registered
};
std::string encode_registration_news(std::string_view node, const core::RoomRecord& record);
std::optional<RegistrationNews> decode_registration_news(std::string_view bytes);

}  // namespace parley::backplane
