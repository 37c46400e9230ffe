#pragma once
#include <string_view>

namespace parley::session {

// Why a line a client sent was refused as a whole (answered with an error,
// never acted on), for the metrics. A command the core refuses (a ban, a
// full room) is not here: its line was understood.
enum class Rejection {
  too_long,            // past the line limit (a TCP line, a WebSocket message, an IRC tag section or body)
  invalid_utf8,        // text chat lines, IRC PRIVMSG, NOTICE and TOPIC (UTF8ONLY)
  malformed,           // IRC: not a message at all
  unknown_command,     // IRC 421, a text /command that does not exist
  not_registered,      // IRC 451: a command that needs NICK and USER first
  missing_parameters,  // IRC 461
  wrong_protocol,      // an HTTP request on the text port (pointed at the web port, then closed)
};
inline constexpr int kRejections = static_cast<int>(Rejection::wrong_protocol) + 1;

constexpr std::string_view rejection_label(Rejection reason) {
  switch (reason) {
    case Rejection::too_long: return "too_long";
    case Rejection::invalid_utf8: return "invalid_utf8";
    case Rejection::malformed: return "malformed";
    case Rejection::unknown_command: return "unknown_command";
    case Rejection::not_registered: return "not_registered";
    case Rejection::missing_parameters: return "missing_parameters";
    case Rejection::wrong_protocol: return "wrong_protocol";
  }
  return "other";
}

}  // namespace parley::session
