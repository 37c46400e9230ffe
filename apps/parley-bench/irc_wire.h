#pragma once
// IRC (RFC 1459/2812 with IRCv3 capability negotiation): register with CAP,
// NICK and USER, wait for the welcome and the end of the MOTD, optionally
// become an operator and set user modes (senders only), join the room,
// answer every PING.

#include <memory>
#include <string>

#include "wire.h"

namespace parley::bench {

struct IrcSettings {
  std::string caps;         // requested with CAP REQ; empty = none
  std::string oper;         // "NAME:PASSWORD" for senders; empty = none
  std::string sender_umode; // e.g. "+F"; empty = none
};

std::unique_ptr<Protocol> make_irc_protocol(IrcSettings settings);

// Whether the space-separated capability list `caps` holds `cap`.
bool irc_caps_include(std::string_view caps, std::string_view cap);

}  // namespace parley::bench
