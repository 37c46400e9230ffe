#pragma once
#include <string_view>

namespace parley::session {

// Why a connection ended. Codecs turn the ones the server decides into a last
// line in their own protocol; the log states each in words.
enum class CloseReason {
  client_left,            // LEAVE, /quit
  peer_closed,            // the peer closed or reset the connection
  too_slow,               // the outbox passed its limit
  shutdown,               // the server is stopping
  registration_timeout,   // no name in time
  too_many_from_address,  // refused at accept
  server_full,            // refused at accept
  ping_timeout,           // silent through a PING and the wait after it
  removed,                // a server operator ended the session (the session says why)
  silent_too_long,        // nothing sent for limits.silent_close_seconds
};

constexpr std::string_view describe(CloseReason reason) {
  switch (reason) {
    case CloseReason::client_left: return "it left (LEAVE, /quit or QUIT)";
    case CloseReason::peer_closed: return "the connection was closed by the peer";
    case CloseReason::too_slow: return "too slow: it stopped reading and its output buffer filled up";
    case CloseReason::shutdown: return "the server is shutting down";
    case CloseReason::registration_timeout: return "no name was entered in time";
    case CloseReason::too_many_from_address: return "too many connections from its address";
    case CloseReason::server_full: return "the server is full";
    case CloseReason::ping_timeout: return "no answer to PING in time";
    case CloseReason::removed: return "removed by a server operator";
    case CloseReason::silent_too_long: return "it sent nothing for limits.silent_close_seconds";
  }
  return "unknown";
}

}  // namespace parley::session
