#pragma once
// Domain errors as values. The core says *what* was refused; each codec says it
// in its own protocol (a sentence for text users, a numeric for IRC).
#include <string>
#include <utility>
#include <variant>

namespace parley::core {

enum class Refusal {
  name_empty,
  name_too_long,
  name_not_utf8,
  name_control_character,
  name_colon,
  name_reserved_start,  // starts with '/' or '#'
  name_in_use,
  room_name_invalid,
  room_name_too_long,
  room_name_confusable,  // looks like the name of a room that exists (core/confusable.h)
  topic_too_long,
  too_many_rooms,
  already_in_room,
  not_in_room,
  no_such_room,
  no_such_user,
  // Room moderation: decided by the room's home loop.
  not_operator,      // only the room's operators may do that
  no_such_member,    // the person named is not in the room
  already_member,    // the person invited is in the room already
  banned,            // a ban mask matches the joiner
  invite_only,       // the room is invite-only and there was no invitation
  bad_key,           // the room has a key and it was not given
  room_full,         // the room is at its member limit
  moderated,         // the room is moderated and the speaker has no voice
  topic_locked,      // only operators may change this room's topic
  invalid_setting,   // a key or limit that cannot be used
  ban_list_full,
  // Registered rooms (Room::register_to) and server bans.
  not_logged_in,        // registering a room needs an account
  room_registered,      // the room is registered already
  room_not_registered,  // the room is not registered
  not_founder,          // only the room's founder (or a server operator) may do that
  invalid_ban_mask,     // a server ban's mask cannot be used (core/server_bans.h)
  no_such_ban,          // no server ban has that mask
  // Presence and server operators.
  real_name_invalid,    // empty, too long, or holding control characters
  not_server_operator,  // only server operators may do that
  no_operator_logins,   // the server has no operator logins configured
  wrong_password,       // no operator login with that name and password
  // Storage.
  storage_busy,         // history is behind on writing: the message was not accepted
  history_unavailable,  // history is off, or could not be read
  no_such_message,      // no kept line of that room has that id (redaction)
};

// Either a value or the reason there is none.
template <class T>
class Result {
 public:
  Result(T value) : v_(std::move(value)) {}  // NOLINT: implicit on purpose, like expected
  Result(Refusal r) : v_(r) {}               // NOLINT
  bool ok() const { return v_.index() == 0; }
  const T& value() const { return std::get<0>(v_); }
  T& value() { return std::get<0>(v_); }
  Refusal refusal() const { return std::get<1>(v_); }

 private:
  std::variant<T, Refusal> v_;
};

struct Done {};  // the value of a Result that carries none

}  // namespace parley::core
