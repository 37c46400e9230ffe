#pragma once
// One TCP connection on one loop: reads into the loop's scratch buffer, frames
// lines, paces input, and writes its outbox with gather writes.
#include <boost/asio/ip/tcp.hpp>

#include <functional>
#include <memory>
#include <string>

#include "core/rate_limiter.h"
#include "net/endpoint.h"
#include "net/line_framer.h"
#include "net/loop_state.h"
#include "net/outbox.h"
#include "net/telnet.h"
#include "net/tls_stream.h"

namespace parley::net {

class Connection final : public std::enable_shared_from_this<Connection>, public session::Outbound {
 public:
  // `counted`: the server counted it against its limits, and is told when it ends.
  Connection(LoopState& loop, std::uint64_t id, boost::asio::ip::tcp::socket socket, std::string peer,
             std::shared_ptr<const Endpoint> endpoint, bool counted);
  ~Connection() override;

  void start();
  std::uint64_t id() const { return id_; }
  // Refuses the connection: the protocol's farewell, then close. `quiet`:
  // nothing is logged (the server summarises repeated refusals).
  void refuse(session::CloseReason reason, bool quiet);
  void send(std::string_view bytes) override;
  // Written at the end of this pass if the last write was at least
  // LoopState::unhurried_delay ago, else once that delay has passed since it
  // (LoopState::request_held_flush), with whatever else is queued then.
  void send_unhurried(std::string_view bytes) override;
  // Written at the end of this pass, unless the loop is busy (WriteHold) and
  // this connection was written to less than the hold ago: then once the
  // hold has passed since that write, or once a block's worth is queued.
  void send_relayed(std::string_view bytes) override;
  void close_after_flush(session::CloseReason reason) override;
  void hold_input() override;
  void resume_input() override;
  void count_rejected(session::Rejection reason) override {
    loop_.metrics->rejected[static_cast<std::size_t>(reason)].add();
  }
  // The server is stopping, in two steps: first no more input is read (what
  // was read stays accepted); then, once every loop has delivered what was
  // accepted, begin_shutdown() writes the whole outbox, then the farewell,
  // then closes.
  void stop_input();
  void begin_shutdown();
  // Closes now, after one best-effort attempt to send the farewell; a
  // shutdown's farewell replaces output still unsent, which is logged.
  void abort(session::CloseReason reason);
  // Writes what the outbox holds; called from the loop's flush pass.
  void flush();
  // The hold has passed (LoopState::request_held_flush): what send_relayed
  // or send_unhurried held is written at the end of this pass.
  void flush_held();
  // From the loop's sweep: whether a deadline has passed, and acting on it.
  bool deadline_passed(core::SteadyTime now) const;
  void on_deadline(core::SteadyTime now);
  // From the loop's ReadinessSet: the socket's epoll events (0: a deferred call).
  void on_ready(std::uint32_t events);

 private:
  // Readiness, from the loop's epoll set (net/readiness_set.h): each wait is
  // a flag and, the first time, one registration; it allocates nothing.
  bool ensure_registered();
  void close_socket();
  void wait_readable();
  void wait_input();  // wait_readable, unless TLS holds bytes already read from the socket
  void on_readable();
  void on_tls_readable();
  void continue_handshake();
  ssize_t write_blocks(const iovec* blocks, int count);  // send/sendmsg, or through TLS; errno as they set it
  void feed(std::string_view bytes);
  void process_input();
  bool hand_lines_to_session();  // true if paced by the rate limit
  bool queue(std::string_view bytes);  // into the outbox; false if it is not taken
  void schedule_flush();
  // Output waits until `due` (LoopState::request_held_flush); `unhurried`:
  // for send_unhurried's longer delay.
  void hold_until(core::SteadyTime due, bool unhurried);
  void wait_writable();
  void pace_until(core::SteadyTime when);
  core::SteadyTime idle_deadline() const;
  core::SteadyTime silent_deadline() const;  // ConnectionSettings::silent_close
  void push_farewell(session::CloseReason reason);
  void end_of_input();
  void finish(session::CloseReason reason);
  // A graceful close: stop writing (FIN), read and discard until the peer
  // closes or kLinger passes, then close.
  void linger();
  void discard_input();
  void end_linger();
  void apply_socket_options();
  std::string address() const;  // the peer's address without the port
  metrics::KindCounters& counters() { return loop_.metrics->kinds[endpoint_->metrics_kind]; }

  LoopState& loop_;
  std::uint64_t id_;
  int fd_ = -1;  // the socket, owned; registered with loop_.readiness while registered_
  std::unique_ptr<LoopTimer> pace_timer_;  // made the first time input is paced; most never are
  std::string peer_;     // "127.0.0.1:52219", as the seed logged it
  std::shared_ptr<const Endpoint> endpoint_;
  LineFramer framer_;
  TelnetFilter telnet_;  // used on a telnet listener (the text port)
  Outbox outbox_;
  core::RateLimiter limiter_;
  std::unique_ptr<session::ProtocolSession> session_;
  std::unique_ptr<TlsStream> tls_;  // a TLS listener's connection; null on plain ones (no cost on their path)

  core::SteadyTime registration_deadline_{};
  core::SteadyTime close_deadline_{};  // a closing connection gives up flushing then
  core::SteadyTime quiet_since_{};     // the last input, or the last on_idle call, whichever is later
  core::SteadyTime last_input_{};      // the last bytes read
  core::SteadyTime last_write_{};      // the last bytes written (when held output is due)
  int input_holds_ = 0;  // holds the session asked for and has not released
  session::CloseReason close_reason_ = session::CloseReason::peer_closed;
  // Flags in bits: every connection has them (issue 14's per-connection budget).
  bool counted_ : 1;
  bool input_stopped_ : 1 = false;
  bool resume_posted_ : 1 = false;  // a task to hand over held lines is queued
  bool handing_lines_ : 1 = false;  // inside process_input, calling the session
  bool closing_ : 1 = false;
  bool closed_ : 1 = false;
  bool overflowed_ : 1 = false;
  bool input_ended_ : 1 = false;       // the peer half-closed (FIN): lines read are still handled
  bool end_reported_ : 1 = false;      // the session was told there is no more input
  bool farewell_pending_ : 1 = false;  // shutdown: the farewell follows once the outbox is written
  bool lingering_ : 1 = false;  // closed for us; discarding input until the peer closes
  bool quiet_ : 1 = false;      // a refusal the server counts instead of logging
  bool flush_requested_ : 1 = false;
  bool name_logged_ : 1 = false;  // "ADDR is NAME." was logged
  bool write_waiting_ : 1 = false;
  bool held_ : 1 = false;            // waiting in the loop's held flushes
  bool held_unhurried_ : 1 = false;  // ... for send_unhurried's delay, not a shorter hold
  bool registration_counted_ : 1 = false;
  // Readiness (edge-triggered): what the socket last said it is, and what waits for it.
  bool registered_ : 1 = false;
  bool readable_ : 1 = false;  // until a read finds nothing more (EAGAIN, or a short read)
  bool writable_ : 1 = false;  // until a write is refused (EAGAIN)
  bool read_wanted_ : 1 = false;
  bool write_wanted_ : 1 = false;
  bool read_waits_write_ : 1 = false;  // TLS: a read must write first (on_tls_readable)
  bool peer_done_ : 1 = false;  // EPOLLRDHUP/HUP/ERR seen: reads go on until one returns 0
};

}  // namespace parley::net
