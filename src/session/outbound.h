#pragma once
// Where a session's bytes go. Implemented by a transport; used by a codec.
#include <string_view>

#include "session/close_reason.h"
#include "session/rejection.h"

namespace parley::session {

class Outbound {
 public:
  virtual ~Outbound() = default;
  // Queues whole lines for the peer, copying them before it returns. Never
  // blocks and never reorders. If the outbox passes its limit the connection
  // is closed later, outside the caller's stack (too_slow); the bytes are then
  // dropped.
  virtual void send(std::string_view bytes) = 0;
  // Like send(), for lines nobody waits on (others joining or leaving a
  // room): they may wait a moment to share a write with later lines. Never
  // reordered, and written with anything send() queues after them. A
  // transport that batches nothing just sends.
  virtual void send_unhurried(std::string_view bytes) { send(bytes); }
  // Like send(), for others' messages in a room: when the transport's loop is
  // busy they may wait a few milliseconds to share a write with the next
  // ones (net/write_hold.h). Same ordering promises as send_unhurried().
  virtual void send_relayed(std::string_view bytes) { send(bytes); }
  // The session is over: stop reading, write what is queued, then close.
  virtual void close_after_flush(CloseReason reason) = 0;
  // Hand the session no more lines until resume_input(). Input that arrives
  // meanwhile waits in the transport (then in the kernel, which pushes back on
  // the peer), so nothing is lost or reordered. For a command whose outcome
  // decides how the next line is read, such as a name being claimed. Holds
  // count: each is released by one resume_input(), so two parts of a session
  // (a labeled response and the NICK it wraps) cannot release each other's.
  virtual void hold_input() = 0;
  // Lines flow again once every hold is released, from a task of their own:
  // never inside the caller.
  virtual void resume_input() = 0;
  // The codec refused a line as a whole (it answered with an error): counted
  // for /metrics. A transport that counts nothing ignores it.
  virtual void count_rejected(Rejection) {}
};

}  // namespace parley::session
