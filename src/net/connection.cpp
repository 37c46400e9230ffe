#include "net/connection.h"

#include <netinet/in.h>
#include <netinet/tcp.h>
#include <fcntl.h>
#include <sys/epoll.h>
#include <sys/socket.h>
#include <unistd.h>

#include <boost/asio/post.hpp>
#include <spdlog/spdlog.h>

#include <cerrno>
#include <cstring>
#include <utility>

#include "net/readiness_set.h"
#include "net/tls_context.h"

namespace parley::net {

namespace asio = boost::asio;
using session::CloseReason;

namespace {

// One write takes up to this many outbox blocks (128 KiB), more than a
// socket's send buffer usually takes at once.
constexpr int kMaxIovecs = 16;

// After our last byte, how long a closing connection reads and discards what
// the peer still sends before it closes (RFC 1122's graceful close): closing
// with unread input sends a reset, and a reset can make the peer discard our
// last line (an ERROR, a refusal) before reading it.
constexpr std::chrono::seconds kLinger{2};

// The outbox's hard cap: outbox_bytes is checked after each write (a reply
// bigger than the limit still goes to a client that reads it); this bounds
// what one loop pass can queue before that write.
std::size_t hard_limit(std::size_t outbox_bytes) { return 2 * outbox_bytes + 64 * 1024; }

core::SteadyTime now() { return std::chrono::steady_clock::now(); }

}  // namespace

// Every connection pays for each byte here (issue 14: ≤ 1 KiB per idle
// registered IRC connection in all). 328 B with the control block of
// allocate_shared is a 352 B malloc chunk; 8 more bytes would make it 368.
// (360 before the loop drove epoll itself: a plain descriptor replaced the
// Asio socket.) Grow it only knowingly (docs/performance.md, "Memory per
// idle connection").
static_assert(sizeof(void*) != 8 || sizeof(Connection) <= 328, "net::Connection outgrew its per-connection budget");

Connection::Connection(LoopState& loop, std::uint64_t id, asio::ip::tcp::socket socket, std::string peer,
                       std::shared_ptr<const Endpoint> endpoint, bool counted)
    : loop_(loop),
      id_(id),
      peer_(std::move(peer)),
      endpoint_(std::move(endpoint)),
      framer_(endpoint_->settings.line_bytes),
      outbox_(hard_limit(endpoint_->settings.outbox_bytes), loop.blocks),
      limiter_(endpoint_->settings.messages_per_second, endpoint_->settings.message_burst),
      counted_(counted) {
  // Taken from Asio: its reactor forgets the descriptor, and the loop's
  // ReadinessSet watches it instead (no per-descriptor state, no pending wait).
  boost::system::error_code ec;
  fd_ = socket.release(ec);
  if (ec) fd_ = -1;
  if (endpoint_->tls && fd_ >= 0) tls_ = std::make_unique<TlsStream>(endpoint_->tls->current().get(), fd_);
  counters().accepted.add();
  counters().open.add(1);
}

Connection::~Connection() { close_socket(); }

bool Connection::ensure_registered() {
  if (registered_) return true;
  if (fd_ < 0) return false;
  // Once, for both directions and the peer's FIN: edge-triggered, so the
  // interest never changes (no epoll_ctl per wait), and a connection waiting
  // for nothing (paced, held) is not woken again and again by a level.
  if (!loop_.readiness.add(fd_, this, EPOLLIN | EPOLLOUT | EPOLLRDHUP)) {
    spdlog::warn("{}: cannot watch the socket: {}.", peer_, std::strerror(errno));
    return false;
  }
  registered_ = true;
  return true;
}

void Connection::close_socket() {
  if (fd_ < 0) return;
  // An event for it later in the loop's batch is dropped; closing the
  // descriptor takes it out of the epoll set.
  ReadinessSet::forget(this);
  registered_ = false;
  ::close(fd_);
  fd_ = -1;
  read_wanted_ = write_wanted_ = false;
}

void Connection::on_ready(std::uint32_t events) {
  auto self = shared_from_this();  // a handler may end it; stay alive until we return
  if (events & (EPOLLIN | EPOLLRDHUP | EPOLLHUP | EPOLLERR)) readable_ = true;
  if (events & (EPOLLRDHUP | EPOLLHUP | EPOLLERR)) peer_done_ = true;
  if (events & (EPOLLOUT | EPOLLHUP | EPOLLERR)) writable_ = true;
  if (write_wanted_ && writable_) {
    write_wanted_ = false;
    if (tls_ && tls_->handshaking()) {
      if (!closed_) continue_handshake();
    } else {
      const bool for_read = read_waits_write_;
      const bool for_flush = write_waiting_;
      read_waits_write_ = write_waiting_ = false;
      if (for_read && !closed_) on_readable();
      if (for_flush && !closed_) flush();
    }
  }
  if (read_wanted_ && readable_) {
    read_wanted_ = false;
    if (lingering_) discard_input();
    else if (closed_) return;
    else if (tls_ && tls_->handshaking()) continue_handshake();
    else on_readable();
  }
}

std::string Connection::address() const {
  // peer_ is "127.0.0.1:52219" or "[::1]:52219"; kept once, the address is derived.
  if (peer_.starts_with('[')) return peer_.substr(1, peer_.find(']') - 1);
  return peer_.substr(0, peer_.rfind(':'));
}

void Connection::apply_socket_options() {
  const int fd = fd_;
  if (fd < 0) return;
  if (const int flags = ::fcntl(fd, F_GETFL); flags >= 0) ::fcntl(fd, F_SETFL, flags | O_NONBLOCK);
  const int on = 1;
  ::setsockopt(fd, IPPROTO_TCP, TCP_NODELAY, &on, sizeof on);  // we coalesce writes ourselves
  ::setsockopt(fd, SOL_SOCKET, SO_KEEPALIVE, &on, sizeof on);
  const auto& ka = endpoint_->settings.keepalive;
  ::setsockopt(fd, IPPROTO_TCP, TCP_KEEPIDLE, &ka.idle_seconds, sizeof ka.idle_seconds);
  ::setsockopt(fd, IPPROTO_TCP, TCP_KEEPINTVL, &ka.interval_seconds, sizeof ka.interval_seconds);
  ::setsockopt(fd, IPPROTO_TCP, TCP_KEEPCNT, &ka.probes, sizeof ka.probes);
}

void Connection::start() {
  loop_.check_owner();
  apply_socket_options();
  spdlog::info("{} has connected.", peer_);
  session_ = endpoint_->protocol.make_session(loop_.index, *this, address());
  session_->start();
  registration_deadline_ = now() + endpoint_->settings.registration_timeout;
  quiet_since_ = last_input_ = now();
  if (!tls_) return wait_readable();
  // The registration deadline covers the handshake, shortened to its own
  // timeout; what the session said meanwhile waits in the outbox.
  registration_deadline_ = std::min(registration_deadline_, now() + endpoint_->settings.tls_handshake_timeout);
  continue_handshake();
}

void Connection::continue_handshake() {
  if (closed_) return;
  const TlsStream::Status status = tls_->handshake();
  if (status == TlsStream::Status::done) {
    registration_deadline_ = now() + endpoint_->settings.registration_timeout;
    schedule_flush();
    return wait_input();
  }
  if (status == TlsStream::Status::want_read) {
    readable_ = false;  // OpenSSL's read found nothing more (EAGAIN)
    read_wanted_ = true;
    ensure_registered();
    return;
  }
  if (status == TlsStream::Status::want_write) {
    writable_ = false;
    write_wanted_ = true;
    ensure_registered();
    return;
  }
  // Garbage, plain text, an old version, a peer gone: this connection alone ends.
  counters().tls_handshake_failures.add();
  if (!quiet_) spdlog::info("{}: the TLS handshake failed: {}.", peer_, tls_->error());
  finish(CloseReason::peer_closed);
}

void Connection::refuse(CloseReason reason, bool quiet) {
  apply_socket_options();
  quiet_ = quiet;
  if (!quiet_) spdlog::info("{} has connected.", peer_);
  abort(reason);
}

// --- input ------------------------------------------------------------------

void Connection::wait_readable() {
  read_wanted_ = true;
  if (!ensure_registered()) return;
  // Not known to be drained: no edge will come for what is already there, so
  // look again from a task of its own (rare: a full 64 KiB read, input
  // resumed after a hold or pacing while bytes waited).
  if (readable_) asio::post(loop_.io, [self = shared_from_this()] { self->on_ready(0); });
}

void Connection::wait_input() {
  if (tls_ && tls_->buffered()) {
    asio::post(loop_.io, [self = shared_from_this()] {
      if (!self->closed_) self->on_readable();
    });
    return;
  }
  wait_readable();
}

void Connection::on_readable() {
  loop_.check_owner();
  if (input_stopped_) return;
  if (tls_) return on_tls_readable();
  ssize_t n;
  do {
    n = ::recv(fd_, loop_.scratch.data(), loop_.scratch.size(), 0);
  } while (n < 0 && errno == EINTR);
  if (n == 0) return end_of_input();
  if (n < 0) {
    if (errno == EAGAIN || errno == EWOULDBLOCK) {
      readable_ = false;
      return wait_readable();
    }
    return finish(CloseReason::peer_closed);
  }
  // A TCP read returns less than asked only once the socket's queue is empty;
  // what arrives after it raises a new edge. Saves a read that says EAGAIN.
  // Not once the peer's FIN (or an error) was seen: it raises no edge again,
  // and the read that returns 0 is still to come.
  if (static_cast<std::size_t>(n) < loop_.scratch.size() && !peer_done_) readable_ = false;
  quiet_since_ = last_input_ = now();  // stores, not timer re-arms: the sweep checks them
  feed(std::string_view(loop_.scratch.data(), static_cast<std::size_t>(n)));
  process_input();
}

void Connection::on_tls_readable() {
  const TlsStream::Result r = tls_->read(loop_.scratch.data(), loop_.scratch.size());
  if (r.bytes > 0) {
    quiet_since_ = last_input_ = now();
    feed(std::string_view(loop_.scratch.data(), r.bytes));
  }
  switch (r.status) {
    case TlsStream::Status::want_read:
      readable_ = false;  // the socket said EAGAIN
      [[fallthrough]];
    case TlsStream::Status::done:  // the scratch buffer is full; more may wait
      if (r.bytes > 0) return process_input();
      return wait_input();
    case TlsStream::Status::want_write:
      // TLS 1.3 post-handshake messages may need to write before reading on.
      // With lines read, process_input waits for input as usual, and the next
      // read tries that write again; without, wait until it can be written.
      if (r.bytes > 0) return process_input();
      writable_ = false;
      read_waits_write_ = true;
      write_wanted_ = true;
      ensure_registered();
      return;
    case TlsStream::Status::closed:
      return end_of_input();
    case TlsStream::Status::failed:
      spdlog::info("{}: TLS error: {}.", peer_, tls_->error());
      return finish(CloseReason::peer_closed);
  }
}

void Connection::feed(std::string_view bytes) {
  if (!endpoint_->protocol.telnet) return framer_.feed(bytes);
  struct Sink final : TelnetFilter::Sink {
    explicit Sink(Connection& c) : c(c) {}
    void data(std::string_view b) override { c.framer_.feed(b); }
    void interrupt() override { c.framer_.drop_partial_line(); }
    void reply(std::string_view b) override { c.send(b); }
    Connection& c;
  } sink(*this);
  telnet_.feed(bytes, sink);
}

void Connection::process_input() {
  auto self = shared_from_this();  // a line may end the session; stay alive until we return
  handing_lines_ = true;
  const bool paced = hand_lines_to_session();
  handing_lines_ = false;
  // Paced: the timer resumes. Held: resume_input() does. Either way, read no
  // more meanwhile; the kernel's buffers push back on the sender.
  if (paced || input_stopped_ || input_holds_ > 0) return;
  framer_.release_if_empty();
  if (!input_ended_) return wait_input();
  if (!end_reported_) {
    end_reported_ = true;
    session_->on_input_ended();
  }
}

void Connection::end_of_input() {
  // The peer sends no more (nc -N, shutdown(SHUT_WR)) but may still read: the
  // lines it sent are handled and answered, then the session closes. A last
  // line without its line end is dropped, as the seed did.
  input_ended_ = true;
  process_input();
}

bool Connection::hand_lines_to_session() {
  while (!input_stopped_ && input_holds_ == 0 && framer_.has_line()) {
    const auto t = now();
    if (!limiter_.try_acquire(t)) {
      // Too fast: resume when the next line is allowed. Nothing is dropped.
      pace_until(t + limiter_.wait_time(t));
      return true;
    }
    auto line = framer_.next();
    if (!line) break;
    counters().lines_in.add();
    if (line->too_long) {
      count_rejected(session::Rejection::too_long);
      session_->on_line_too_long(endpoint_->settings.line_bytes);
    } else {
      session_->on_line(line->text);
    }
  }
  return false;
}

void Connection::hold_input() {
  loop_.check_owner();
  ++input_holds_;
}

void Connection::resume_input() {
  if (input_holds_ == 0 || --input_holds_ > 0) return;
  // Inside process_input (the claim was settled at once), its loop just goes on.
  if (handing_lines_ || resume_posted_ || input_stopped_ || closed_) return;
  // Otherwise from a task of its own, so the session finishes what it is doing
  // before its next line. Held input armed no read, so this is the only reader.
  resume_posted_ = true;
  asio::post(loop_.io, [self = shared_from_this()] {
    self->resume_posted_ = false;
    if (!self->closed_ && !self->input_stopped_ && self->input_holds_ == 0) self->process_input();
  });
}

// --- output -----------------------------------------------------------------

void Connection::send(std::string_view bytes) {
  if (queue(bytes)) schedule_flush();
}

void Connection::send_unhurried(std::string_view bytes) {
  if (!queue(bytes)) return;
  if (flush_requested_ || write_waiting_ || closed_ || held_) return;  // a write will take them anyway
  // A connection written to a while ago gets the line at once (one JOIN to a
  // quiet room costs no latency); one written to lately waits until the
  // delay has passed since that write, so it is written at most about once
  // per delay however busy its rooms, and the loop's writes stay spread out.
  const core::SteadyTime due = loop_.unhurried_due(last_write_);
  if (now() >= due) return schedule_flush();
  hold_until(due, /*unhurried=*/true);
}

void Connection::send_relayed(std::string_view bytes) {
  if (!queue(bytes)) return;
  if (flush_requested_ || write_waiting_ || closed_) return;  // a write will take them anyway
  const auto hold = loop_.write_hold.hold();
  // A block's worth is written at once, held or not.
  if (hold.count() == 0 || outbox_.bytes() >= WriteHold::kWriteAtOnceBytes) return schedule_flush();
  if (held_ && !held_unhurried_) return;  // its held flush, as soon, will take them
  // Read the clock only now: once per connection and pass, and only on a busy loop.
  const core::SteadyTime due = last_write_ + hold;
  if (now() >= due) return schedule_flush();
  loop_.metrics->held_writes.add();
  hold_until(due, /*unhurried=*/false);
}

void Connection::hold_until(core::SteadyTime due, bool unhurried) {
  // A message held behind JOIN lines gets an earlier time of its own; the
  // later one stays queued and finds the outbox written (or flushes early).
  held_ = true;
  held_unhurried_ = unhurried;
  loop_.request_held_flush(shared_from_this(), due);
}

void Connection::flush_held() {
  held_ = false;
  held_unhurried_ = false;
  if (!outbox_.empty()) schedule_flush();
}

bool Connection::queue(std::string_view bytes) {
  loop_.check_owner();
  if (closed_ || overflowed_ || closing_) return false;
  if (!registration_counted_ && session_ && session_->registered()) {
    registration_counted_ = true;  // its welcome is on its way
    counters().registrations.add();
  }
  if (!outbox_.push(bytes)) {
    // Too slow a reader. Not here: we may be inside a fan-out. Close it from
    // a task of its own, which drops the queue and says why.
    overflowed_ = true;
    asio::post(loop_.io, [self = shared_from_this()] { self->abort(CloseReason::too_slow); });
    return false;
  }
  counters().sends_out.add();
  loop_.metrics->outbox_bytes.add(static_cast<std::int64_t>(bytes.size()));
  return true;
}

void Connection::schedule_flush() {
  if (flush_requested_ || write_waiting_ || closed_) return;
  flush_requested_ = true;
  loop_.request_flush(shared_from_this());
}

void Connection::flush() {
  loop_.check_owner();
  flush_requested_ = false;
  // Registration ends with a welcome, so the first flush after it is when to
  // say which name this address took.
  if (!name_logged_ && session_ && session_->registered()) {
    name_logged_ = true;
    spdlog::info("{} is {}.", peer_, session_->log_name());
  }
  if (closed_ || write_waiting_) return;
  if (tls_ && tls_->handshaking()) {
    // Nothing can be written yet: continue_handshake flushes once it is done;
    // a connection closed meanwhile has no one to say goodbye to.
    if (closing_) finish(close_reason_);
    return;
  }
  for (;;) {
    if (outbox_.empty()) {
      if (!farewell_pending_) break;
      farewell_pending_ = false;  // everything went out: the shutdown's last line follows
      push_farewell(close_reason_);
      if (outbox_.empty()) break;
    }
    iovec iov[kMaxIovecs];
    const ssize_t n = write_blocks(iov, outbox_.gather(iov, kMaxIovecs));
    if (n < 0) {
      if (errno == EINTR) continue;
      if (errno == EAGAIN || errno == EWOULDBLOCK) {
        // The limit applies to what the socket would not take: one reply
        // larger than the limit reaches a client that reads.
        if (!closing_ && outbox_.bytes() > endpoint_->settings.outbox_bytes) {
          overflowed_ = true;
          return abort(CloseReason::too_slow);
        }
        return wait_writable();
      }
      return finish(closing_ ? close_reason_ : CloseReason::peer_closed);
    }
    outbox_.consume(static_cast<std::size_t>(n));
    last_write_ = now();
    counters().bytes_out.add(n);
    loop_.metrics->outbox_bytes.add(-n);
  }
  if (closing_) finish(close_reason_);
}

ssize_t Connection::write_blocks(const iovec* blocks, int count) {
  if (tls_) {
    const TlsStream::Result r = tls_->write(blocks, count);
    if (r.bytes > 0) return static_cast<ssize_t>(r.bytes);
    if (r.status == TlsStream::Status::failed || r.status == TlsStream::Status::closed) {
      errno = EPIPE;
      return -1;
    }
    // want_write, or want_read (which nothing negotiated here asks for after
    // the handshake: renegotiation is off): wait for the socket to take more.
    errno = EAGAIN;
    return -1;
  }
  const int fd = fd_;
  // One block is the common case: send() skips sendmsg's iovec import.
  if (count == 1) return ::send(fd, blocks[0].iov_base, blocks[0].iov_len, MSG_NOSIGNAL);
  msghdr msg{};
  msg.msg_iov = const_cast<iovec*>(blocks);
  msg.msg_iovlen = static_cast<std::size_t>(count);
  return ::sendmsg(fd, &msg, MSG_NOSIGNAL);
}

void Connection::wait_writable() {
  writable_ = false;  // only called after a write was refused
  write_waiting_ = true;
  write_wanted_ = true;
  ensure_registered();
}

void Connection::close_after_flush(CloseReason reason) {
  loop_.check_owner();
  if (closed_ || closing_) return;
  closing_ = true;
  input_stopped_ = true;
  close_reason_ = reason;
  close_deadline_ = now() + endpoint_->settings.close_grace;
  schedule_flush();
}

void Connection::push_farewell(CloseReason reason) {
  std::string farewell = endpoint_->protocol.farewell(reason);
  if (farewell.empty()) return;
  const std::size_t queued = outbox_.bytes();
  outbox_.drop_unstarted();
  const std::size_t lost = queued - outbox_.bytes();
  loop_.metrics->outbox_bytes.add(static_cast<std::int64_t>(farewell.size()) - static_cast<std::int64_t>(lost));
  if (lost > 0 && reason == CloseReason::shutdown) {
    const std::string who = session_ ? session_->log_name() : std::string();
    spdlog::warn("{}{} did not read its output within the shutdown grace: {} bytes were not sent.", peer_,
                 who.empty() ? std::string() : " (" + who + ")", lost);
  }
  outbox_.push_past_limit(farewell);
}

void Connection::stop_input() {
  loop_.check_owner();
  input_stopped_ = true;
}

void Connection::begin_shutdown() {
  loop_.check_owner();
  // Overflowed: its own close (too slow) is on its way. Closing: it has its last line.
  if (closed_ || closing_ || overflowed_) return;
  closing_ = true;
  input_stopped_ = true;
  close_reason_ = CloseReason::shutdown;
  farewell_pending_ = true;
  close_deadline_ = core::SteadyTime::max();  // the server's grace bounds it (abort)
  schedule_flush();
}

void Connection::abort(CloseReason reason) {
  if (closed_) return;
  // A closing connection has its last line queued already, unless a shutdown's is still due.
  if (!closing_ || farewell_pending_) push_farewell(reason);
  farewell_pending_ = false;
  closing_ = true;
  close_reason_ = reason;
  if (!write_waiting_) {
    // One attempt; a peer that does not read will not get it, and that is fine.
    iovec iov[kMaxIovecs];
    const int count = outbox_.gather(iov, kMaxIovecs);
    if (count > 0 && !(tls_ && tls_->handshaking())) (void)write_blocks(iov, count);  // the socket is non-blocking
  }
  finish(reason);
}

// --- timers -----------------------------------------------------------------

void Connection::pace_until(core::SteadyTime when) {
  if (!pace_timer_) pace_timer_ = std::make_unique<LoopTimer>(loop_.io.get_executor());
  pace_timer_->expires_at(when);
  pace_timer_->async_wait([self = shared_from_this()](boost::system::error_code ec) {
    if (!ec && !self->closed_) self->process_input();
  });
}

bool Connection::deadline_passed(core::SteadyTime t) const {
  if (closed_) return false;
  if (closing_) return t >= close_deadline_;
  if (!session_->registered()) return t >= registration_deadline_;
  return t >= idle_deadline() || t >= silent_deadline();
}

void Connection::on_deadline(core::SteadyTime t) {
  if (!deadline_passed(t)) return;  // an earlier one in this sweep changed things
  if (closing_) return finish(close_reason_);
  if (tls_ && tls_->handshaking()) {
    spdlog::info("{}: the TLS handshake did not finish in time.", peer_);
    counters().tls_handshake_failures.add();
    return finish(CloseReason::registration_timeout);
  }
  if (!session_->registered()) return abort(CloseReason::registration_timeout);
  if (t >= silent_deadline()) return abort(CloseReason::silent_too_long);
  quiet_since_ = t;
  session_->on_idle();
}

core::SteadyTime Connection::silent_deadline() const {
  const auto limit = endpoint_->settings.silent_close;
  if (limit.count() == 0) return core::SteadyTime::max();
  return last_input_ + limit;
}

core::SteadyTime Connection::idle_deadline() const {
  const auto interval = endpoint_->settings.idle_interval;
  if (interval.count() == 0 || !session_) return core::SteadyTime::max();
  return quiet_since_ + interval;
}

// --- the end ----------------------------------------------------------------

void Connection::finish(CloseReason reason) {
  loop_.check_owner();
  if (closed_) return;
  closed_ = true;
  input_stopped_ = true;
  auto self = shared_from_this();
  if (pace_timer_) pace_timer_->cancel();
  loop_.metrics->outbox_bytes.add(-static_cast<std::int64_t>(outbox_.bytes()));
  outbox_.clear();
  counters().open.add(-1);
  loop_.metrics->disconnects[static_cast<std::size_t>(reason)].add();
  if (quiet_) {
    // Counted by the server's refusal summary instead.
  } else if (const std::string who = session_ ? session_->log_name() : std::string();
             !who.empty() || reason != CloseReason::peer_closed) {
    // Why every named connection ended; unnamed ones (probes, scanners) only
    // when the server ended them.
    if (who.empty()) spdlog::info("{} was disconnected: {}.", peer_, session::describe(reason));
    else spdlog::info("{} ({}) was disconnected: {}.", peer_, who, session::describe(reason));
  }
  if (!quiet_) spdlog::info("{} has disconnected.", peer_);
  if (session_) session_->on_closed(reason);
  loop_.connections.erase(id_);
  linger();  // before the count drops, so a shutdown waits for it
  if (counted_ && loop_.on_connection_finished) loop_.on_connection_finished(address());
}

void Connection::linger() {
  if (tls_) tls_->close_notify();
  write_wanted_ = read_waits_write_ = write_waiting_ = false;
  // The peer has said all it will, or the socket is gone: close now.
  if (fd_ < 0 || ::shutdown(fd_, SHUT_WR) != 0 || input_ended_) return close_socket();
  lingering_ = true;
  if (loop_.on_linger) loop_.on_linger(+1);
  if (!pace_timer_) pace_timer_ = std::make_unique<LoopTimer>(loop_.io.get_executor());
  pace_timer_->expires_after(kLinger);
  pace_timer_->async_wait([self = shared_from_this()](boost::system::error_code e) {
    if (!e) self->end_linger();
  });
  discard_input();
}

void Connection::discard_input() {
  if (!lingering_) return;
  for (;;) {
    const ssize_t n = ::recv(fd_, loop_.scratch.data(), loop_.scratch.size(), 0);
    if (n > 0 || (n < 0 && errno == EINTR)) continue;
    if (n < 0 && (errno == EAGAIN || errno == EWOULDBLOCK)) {
      readable_ = false;
      read_wanted_ = true;
      if (ensure_registered()) return;
    }
    break;  // end of input or an error: nothing to wait for
  }
  end_linger();
}

void Connection::end_linger() {
  if (!lingering_) return;
  lingering_ = false;
  if (pace_timer_) pace_timer_->cancel();
  close_socket();
  if (loop_.on_linger) loop_.on_linger(-1);
}

}  // namespace parley::net
