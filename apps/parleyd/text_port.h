#pragma once
// The text port's protocol: the seed's text codec, except that a connection
// whose first lines are plainly IRC registration is handed to the IRC codec,
// and one that starts with an HTTP request line is answered with a pointer
// to the web port and closed (text/port_sniffing.h).
#include <cstdint>
#include <memory>

#include "core/hub.h"
#include "core/loop_poster.h"
#include "irc/irc_session.h"
#include "net/endpoint.h"
#include "text/text_session.h"

namespace parley::daemon {

net::Protocol text_port_protocol(core::Hub& hub, core::LoopPoster& loops, const text::TextConfig& text_config,
                                 std::shared_ptr<const irc::IrcConfig> irc_config, std::uint16_t web_port);

}  // namespace parley::daemon
