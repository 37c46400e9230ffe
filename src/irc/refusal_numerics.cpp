#include "irc/refusal_numerics.h"

#include "irc/numerics.h"

namespace parley::irc {

IrcRefusal irc_refusal(core::Refusal refusal, RefusalContext context) {
  using core::Refusal;
  if (context == RefusalContext::channel_message) {
    // Every reason a channel message is not delivered is ERR_CANNOTSENDTOCHAN;
    // the text says which.
    if (refusal == Refusal::banned) return {kErrCannotSendToChan, "Cannot send to channel (+b)"};
    if (refusal == Refusal::moderated) return {kErrCannotSendToChan, "Cannot send to channel (+m)"};
    if (refusal == Refusal::storage_busy)
      return {kErrCannotSendToChan, "Cannot send to channel (the server is busy saving messages; try again)"};
    if (refusal == Refusal::no_such_room) return {kErrNoSuchChannel, "No such channel"};
    if (refusal == Refusal::not_in_room) return {kErrCannotSendToChan, "Cannot send to channel (+n)"};
    return {kErrCannotSendToChan, "Cannot send to channel (you are not in it)"};
  }
  // No default: a new Refusal must be given its reply here (-Wswitch).
  switch (refusal) {
    // A nick the registry will not take: the codec checks the IRC nick rules
    // first, so these are the registry's own rules on names.
    case Refusal::name_empty:
    case Refusal::name_too_long:
    case Refusal::name_not_utf8:
    case Refusal::name_control_character:
    case Refusal::name_colon:
    case Refusal::name_reserved_start: return {kErrErroneusNickname, "Erroneous nickname"};
    case Refusal::name_in_use: return {kErrNicknameInUse, "Nickname is already in use"};
    case Refusal::room_name_invalid:
    case Refusal::room_name_too_long: return {kErrBadChanName, "Illegal channel name"};
    case Refusal::room_name_confusable: return {kErrBadChanName, "Channel name looks like an existing channel's"};
    case Refusal::topic_too_long: return {kErrInputTooLong, "Topic too long"};
    case Refusal::too_many_rooms: return {kErrTooManyChannels, "You have joined too many channels"};
    case Refusal::already_in_room:
    case Refusal::already_member: return {kErrUserOnChannel, "is already on channel"};
    case Refusal::not_in_room: return {kErrNotOnChannel, "You're not on that channel"};
    case Refusal::no_such_room: return {kErrNoSuchChannel, "No such channel"};
    case Refusal::no_such_user: return {kErrNoSuchNick, "No such nick/channel"};
    case Refusal::not_operator:
    case Refusal::topic_locked: return {kErrChanOPrivsNeeded, "You're not channel operator"};
    case Refusal::no_such_member: return {kErrUserNotInChannel, "They aren't on that channel"};
    case Refusal::banned: return {kErrBannedFromChan, "Cannot join channel (+b)"};
    case Refusal::invite_only: return {kErrInviteOnlyChan, "Cannot join channel (+i)"};
    case Refusal::bad_key: return {kErrBadChannelKey, "Cannot join channel (+k)"};
    case Refusal::room_full: return {kErrChannelIsFull, "Cannot join channel (+l)"};
    case Refusal::moderated: return {kErrCannotSendToChan, "Cannot send to channel (+m)"};
    case Refusal::invalid_setting: return {kErrInvalidModeParam, "Invalid mode parameter"};
    case Refusal::ban_list_full: return {kErrBanListFull, "Channel ban list is full"};
    // setname: "If the server rejects the realname due to invalidity, it MUST
    // send a FAIL message"; no numeric exists for it.
    case Refusal::real_name_invalid: return {{}, "Realname is not valid", "INVALID_REALNAME"};
    // Given for KILL, and for closing the default room (+i, +k or +l on it):
    // the text fits both.
    case Refusal::not_server_operator: return {kErrNoPrivileges, "Permission Denied- You're not an IRC operator"};
    case Refusal::no_operator_logins: return {kErrNoOperHost, "No O-lines for your host"};
    case Refusal::wrong_password: return {kErrPasswdMismatch, "Password incorrect"};
    // Standard replies (ircv3.net/specs/extensions/standard-replies): no numeric fits.
    case Refusal::storage_busy: return {{}, "The server is busy saving messages; try again", "TEMPORARILY_UNAVAILABLE"};
    case Refusal::history_unavailable: return {{}, "History is not available", "MESSAGE_ERROR"};
    case Refusal::no_such_message: return {{}, "This message does not exist or is too old", "UNKNOWN_MSGID"};
    // Registered rooms and server bans: said by ChanServ and KLINE (services_commands.cpp) in words;
    // these stand where no better reply exists.
    case Refusal::not_logged_in: return {kErrUnknownError, "You need to log in to an account first"};
    case Refusal::room_registered: return {kErrUnknownError, "That channel is already registered"};
    case Refusal::room_not_registered: return {kErrUnknownError, "That channel is not registered"};
    case Refusal::not_founder: return {kErrChanOPrivsNeeded, "You're not the channel's founder"};
    case Refusal::invalid_ban_mask: return {kErrUnknownError, "Invalid ban mask"};
    case Refusal::no_such_ban: return {kErrUnknownError, "No such server ban"};
  }
  return {kErrUnknownError, "That was refused"};  // not reached: every value is handled above
}

}  // namespace parley::irc
