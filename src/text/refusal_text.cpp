#include "text/refusal_text.h"

#include <fmt/format.h>

namespace parley::text {

std::string refusal_text(core::Refusal refusal, const core::HubLimits& limits, std::string_view subject) {
  using core::Refusal;
  switch (refusal) {
    case Refusal::name_empty: return "a name cannot be empty.";
    case Refusal::name_too_long: return fmt::format("a name can be at most {} characters long.", limits.name_chars);
    case Refusal::name_not_utf8: return "a name must be valid UTF-8 text.";
    case Refusal::name_control_character: return "a name cannot contain control characters.";
    case Refusal::name_colon: return "a name cannot contain ':'.";
    case Refusal::name_reserved_start: return "a name cannot start with '/' or '#'.";
    case Refusal::name_in_use: return fmt::format("the name \"{}\" is in use.", subject);
    case Refusal::room_name_invalid:
      return "a room name is 1 or more characters with no spaces, control characters, ',' or ':'.";
    case Refusal::room_name_too_long: return fmt::format("a room name can be at most {} characters long.", limits.room_chars);
    case Refusal::room_name_confusable:
      return fmt::format("#{} looks like the name of a room that exists; join that room or choose another name.", subject);
    case Refusal::topic_too_long: return fmt::format("a topic can be at most {} characters long.", limits.topic_chars);
    case Refusal::too_many_rooms: return fmt::format("you can be in at most {} rooms.", limits.rooms_per_user);
    case Refusal::already_in_room: return fmt::format("you are already joining #{}.", subject);
    case Refusal::not_in_room: return fmt::format("you are not in #{}.", subject);
    case Refusal::no_such_room: return fmt::format("there is no room #{}.", subject);
    case Refusal::no_such_user: return fmt::format("there is no user named \"{}\".", subject);
    // For these the subject is the room, except where a person is named.
    case Refusal::not_operator: return fmt::format("only operators of #{} can do that.", subject);
    case Refusal::no_such_member: return fmt::format("\"{}\" is not in this room.", subject);
    case Refusal::already_member: return fmt::format("\"{}\" is in that room already.", subject);
    case Refusal::banned: return fmt::format("you are banned from #{}.", subject);
    case Refusal::invite_only: return fmt::format("#{} is invite-only; you need an invitation to join.", subject);
    case Refusal::bad_key: return fmt::format("#{} needs a key to join: /join #{} KEY", subject, subject);
    case Refusal::room_full: return fmt::format("#{} is full.", subject);
    case Refusal::moderated:
      return fmt::format("#{} is moderated: only operators and voiced members can speak; your message was not sent.",
                         subject);
    case Refusal::topic_locked: return fmt::format("only operators of #{} can change its topic.", subject);
    case Refusal::invalid_setting: return fmt::format("\"{}\" cannot be used for that setting.", subject);
    case Refusal::ban_list_full: return fmt::format("the ban list of #{} is full.", subject);
    case Refusal::real_name_invalid:
      return fmt::format("a real name is 1 to {} characters, without control characters.", limits.real_name_chars);
    case Refusal::not_server_operator: return "only server operators can do that.";
    case Refusal::no_operator_logins: return "this server has no operator logins.";
    case Refusal::wrong_password: return "wrong operator name or password.";
    case Refusal::storage_busy: return "the server is busy saving messages; your message was not sent, try again.";
    case Refusal::history_unavailable: return "history is not available on this server.";
    case Refusal::no_such_message: return "there is no such message.";
    case Refusal::not_logged_in: return "log in to an account first (/login NAME PASSWORD).";
    case Refusal::room_registered: return fmt::format("#{} is already registered.", subject);
    case Refusal::room_not_registered: return fmt::format("#{} is not registered.", subject);
    case Refusal::not_founder: return fmt::format("only the founder of #{} (or a server operator) can do that.", subject);
    case Refusal::invalid_ban_mask:
      return fmt::format("\"{}\" is not a ban mask: give nick!user@host (with * and ?), or $a:ACCOUNT.", subject);
    case Refusal::no_such_ban: return fmt::format("there is no server ban on \"{}\".", subject);
  }
  return "that was refused.";
}

}  // namespace parley::text
