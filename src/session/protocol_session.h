#pragma once
// A codec's side of one connection, driven by the transport that carries it.
// All calls come on the connection's loop.
#include <cstddef>
#include <string>
#include <string_view>

#include "session/close_reason.h"

namespace parley::session {

class ProtocolSession {
 public:
  virtual ~ProtocolSession() = default;
  virtual void start() = 0;  // greet the peer
  // One framed input line, without its line end.
  virtual void on_line(std::string_view line) = 0;
  // A line longer than the limit was discarded.
  virtual void on_line_too_long(std::size_t limit) = 0;
  virtual bool registered() const = 0;
  // Nothing has come from the peer for the listener's idle interval; called
  // again after each further interval of silence. Text users may stay quiet
  // as long as they like (TCP keepalive finds dead peers); IRC pings.
  virtual void on_idle() {}
  // The peer half-closed: no more lines will come, but it still reads. The
  // session answers what it was sent, then closes (close_after_flush).
  virtual void on_input_ended() = 0;
  // The connection has ended; leave everything. Nothing may be sent after this.
  virtual void on_closed(CloseReason reason) = 0;
  // Who this is, for the log ("" before registration).
  virtual std::string log_name() const = 0;
};

}  // namespace parley::session
