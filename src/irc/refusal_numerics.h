#pragma once
// How the IRC codec says what the core refused (core/refusal.h): one table from
// core::Refusal to a numeric and its text, as text/refusal_text.h is for text
// users. The parameters between the client's nick and the text (the channel,
// the nick named) depend on the command and stay with the caller.
#include <string_view>

#include "core/refusal.h"

namespace parley::irc {

struct IrcRefusal {
  std::string_view numeric;  // a name from irc/numerics.h; empty when there is none (see fail_code)
  std::string_view text;     // the trailing parameter
  // The code of the standard reply ("FAIL <command> <code> :<text>") that the
  // refused command's specification asks for instead of a numeric, if any.
  std::string_view fail_code = {};
};

// One Refusal can mean different replies depending on what was refused.
enum class RefusalContext {
  command,          // the command itself: JOIN, MODE, KICK, OPER, ...
  channel_message,  // a PRIVMSG/NOTICE/TAGMSG to a channel: ERR_CANNOTSENDTOCHAN
};

IrcRefusal irc_refusal(core::Refusal refusal, RefusalContext context = RefusalContext::command);

}  // namespace parley::irc
