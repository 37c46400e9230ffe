#include "web/ws_session.h"

#include <boost/asio/post.hpp>
#include <boost/beast/core/buffers_to_string.hpp>
#include <boost/beast/websocket.hpp>
#include <spdlog/spdlog.h>

#include "web/ws_frame.h"

namespace parley::web {

namespace asio = boost::asio;
namespace beast = boost::beast;
namespace websocket = beast::websocket;
using session::CloseReason;

namespace {
core::SteadyTime now() { return std::chrono::steady_clock::now(); }
}  // namespace

WsSession::WsSession(std::shared_ptr<WebShared> shared, WebLoop& loop, std::uint64_t id, WebStream stream,
                     std::string peer, std::string address, Subprotocol subprotocol, ConnectionTicket ticket)
    : shared_(std::move(shared)),
      loop_(loop),
      id_(id),
      ws_(std::move(stream)),
      peer_(std::move(peer)),
      address_(std::move(address)),
      subprotocol_(std::move(subprotocol)),
      ticket_(std::move(ticket)),
      limiter_(shared_->irc_settings.messages_per_second, shared_->irc_settings.message_burst),
      deadline_timer_(loop.io.get_executor()),
      pace_timer_(loop.io.get_executor()) {
  ++shared_->websockets;
}

WsSession::~WsSession() { --shared_->websockets; }

void WsSession::start(beast::http::request<beast::http::string_body> request) {
  // Beast's own deadlines for the handshake and the closing handshake; the
  // IRC session PINGs an idle peer, as on the IRC port.
  websocket::stream_base::timeout timeouts{};
  timeouts.handshake_timeout = shared_->settings.handshake_timeout;
  timeouts.idle_timeout = websocket::stream_base::none();
  timeouts.keep_alive_pings = false;
  ws_.set_option(timeouts);
  ws_.read_message_max(shared_->settings.max_frame_bytes);
  ws_.auto_fragment(false);
  ws_.binary(subprotocol_.framing == Framing::binary);
  ws_.set_option(websocket::stream_base::decorator([name = subprotocol_.name](websocket::response_type& response) {
    response.set(beast::http::field::server, "parleyd");
    if (!name.empty()) response.set(beast::http::field::sec_websocket_protocol, name);
  }));
  ws_.async_accept(request, [self = shared_from_this()](boost::system::error_code ec) { self->on_accepted(ec); });
}

void WsSession::on_accepted(boost::system::error_code ec) {
  loop_.check_owner();
  if (closed_) return;
  if (ec) return finish(CloseReason::peer_closed, "the WebSocket handshake failed");
  accepted_ = true;
  counters().accepted.add();
  counters().open.add(1);
  transport().on_bytes_written([&bytes_out = counters().bytes_out](std::size_t n) {
    bytes_out.add(static_cast<std::int64_t>(n));
  });
  // A TCP connection's outbox policy (net::Connection): a hard cap on what is
  // queued, and the limit on what the socket would not take.
  const std::size_t limit = shared_->settings.outbox_bytes;
  transport().set_limits(limit, 2 * limit + 64 * 1024, [weak = weak_from_this()] {
    if (auto self = weak.lock()) self->abort(CloseReason::too_slow);
  });
  spdlog::info("WebSocket client {} connected{}.", peer_,
               subprotocol_.name.empty() ? std::string() : " (" + subprotocol_.name + ")");
  registration_deadline_ = now() + shared_->irc_settings.registration_timeout;
  quiet_since_ = now();
  session_ = shared_->irc.make_session(loop_.index, *this, address_);
  session_->start();
  arm_deadline();
  read();
}

// --- input ------------------------------------------------------------------

void WsSession::read() {
  // One message at a time, and none while earlier lines wait: held input
  // stays in the kernel, which pushes back on the peer.
  if (reading_ || closed_ || closing_ || input_stopped_ || !pending_.empty() || input_holds_ > 0) return;
  reading_ = true;
  ws_.async_read(in_, [self = shared_from_this()](boost::system::error_code ec, std::size_t) { self->on_read(ec); });
}

void WsSession::on_read(boost::system::error_code ec) {
  loop_.check_owner();
  reading_ = false;
  if (closed_) return;
  if (ec == websocket::error::message_too_big) {
    return finish(CloseReason::peer_closed,
                  fmt::format("a message over {} bytes (closed with 1009)", shared_->settings.max_frame_bytes));
  }
  if (ec) return finish(closing_ ? close_reason_ : CloseReason::peer_closed);
  quiet_since_ = now();
  if (closing_ || input_stopped_) {
    in_.consume(in_.size());
    return;
  }
  const std::string message = beast::buffers_to_string(in_.data());
  in_.consume(in_.size());
  if (in_.capacity() > 16 * 1024) in_.shrink_to_fit();  // an idle connection keeps no large buffer
  if (message.size() > shared_->settings.max_message_bytes) {
    pending_.push_back(Input{{}, true});
  } else {
    // One line per message; a client that ends it with CRLF, or sends several,
    // is understood too.
    std::string_view rest = message;
    while (!rest.empty()) {
      const auto end = rest.find('\n');
      std::string_view line = rest.substr(0, end);
      rest = end == std::string_view::npos ? std::string_view{} : rest.substr(end + 1);
      if (!line.empty() && line.back() == '\r') line.remove_suffix(1);
      if (!line.empty()) pending_.push_back(Input{std::string(line), false});
    }
  }
  process_input();
}

void WsSession::process_input() {
  if (handing_lines_ || pacing_ || closed_) return;
  handing_lines_ = true;
  while (!pending_.empty() && input_holds_ == 0 && !closing_ && !closed_) {
    const core::SteadyTime t = now();
    if (!limiter_.try_acquire(t)) {
      pacing_ = true;
      pace_timer_.expires_at(t + limiter_.wait_time(t));
      pace_timer_.async_wait([self = shared_from_this()](boost::system::error_code ec) {
        self->pacing_ = false;
        if (!ec) self->process_input();
      });
      break;
    }
    Input input = std::move(pending_.front());
    pending_.pop_front();
    counters().lines_in.add();
    if (input.too_long) {
      count_rejected(session::Rejection::too_long);
      session_->on_line_too_long(shared_->settings.max_message_bytes);
    } else {
      session_->on_line(input.line);
    }
  }
  handing_lines_ = false;
  if (closing_) pending_.clear();
  read();
}

void WsSession::hold_input() { ++input_holds_; }

void WsSession::resume_input() {
  if (input_holds_ > 0) --input_holds_;
  if (input_holds_ > 0 || resume_posted_ || closed_) return;
  resume_posted_ = true;  // never inside the caller (session::Outbound)
  asio::post(loop_.io, [self = shared_from_this()] {
    self->resume_posted_ = false;
    if (!self->closed_ && self->input_holds_ == 0) self->process_input();
  });
}

void WsSession::stop_input() {
  loop_.check_owner();
  input_stopped_ = true;
}

// --- output -----------------------------------------------------------------
// Each line becomes one frame in the transport's queue, which is written at
// the end of the loop's pass: a pass's lines leave in one write.

void WsSession::send(std::string_view bytes) {
  loop_.check_owner();
  if (closed_ || closing_ || overflowed_) return;
  if (!registration_counted_ && session_ && session_->registered()) {
    registration_counted_ = true;  // its welcome is on its way
    counters().registrations.add();
  }
  counters().sends_out.add();
  while (!bytes.empty()) {
    const auto end = bytes.find('\n');
    std::string_view line = bytes.substr(0, end);
    bytes = end == std::string_view::npos ? std::string_view{} : bytes.substr(end + 1);
    if (!line.empty() && line.back() == '\r') line.remove_suffix(1);
    if (line.empty()) continue;
    if (!queue_line(line, false)) {
      // Too slow a reader. Not here (we may be inside a fan-out): from a task of its own.
      overflowed_ = true;
      asio::post(loop_.io, [self = shared_from_this()] { self->abort(CloseReason::too_slow); });
      return;
    }
  }
}

bool WsSession::queue_line(std::string_view line, bool past_limit) {
  const bool binary = subprotocol_.framing == Framing::binary;
  std::string repaired;
  if (!binary) line = text_payload(line, repaired);
  const FrameHeader header(binary, line.size());
  if (past_limit) {
    transport().queue_past_limit(header.bytes(), line);
    transport().request_flush();
    return true;
  }
  return transport().queue(header.bytes(), line);
}

void WsSession::push_farewell(CloseReason reason) {
  const std::string farewell = shared_->irc.farewell(reason);
  std::string_view rest = farewell;
  while (!rest.empty()) {
    const auto end = rest.find('\n');
    std::string_view line = rest.substr(0, end);
    rest = end == std::string_view::npos ? std::string_view{} : rest.substr(end + 1);
    if (!line.empty() && line.back() == '\r') line.remove_suffix(1);
    if (!line.empty()) queue_line(line, true);  // past the limit: it is the last thing sent
  }
}

void WsSession::start_close() {
  if (close_sent_ || closed_ || !accepted_) return;
  close_sent_ = true;
  // Beast writes the close frame into the same queue, after every line
  // queued before it; its teardown lets the queue out, then this finishes.
  ws_.async_close(websocket::close_code::normal, [self = shared_from_this()](boost::system::error_code) {
    self->finish(self->close_reason_);
  });
}

// --- closing ----------------------------------------------------------------

void WsSession::close_after_flush(CloseReason reason) {
  loop_.check_owner();
  if (closed_ || closing_) return;
  closing_ = true;
  input_stopped_ = true;
  close_reason_ = reason;
  close_deadline_ = now() + shared_->irc_settings.close_grace;
  arm_deadline();
  start_close();
}

void WsSession::begin_shutdown() {
  loop_.check_owner();
  // Overflowed: its own close (too slow) is on its way. Closing: it has its last line.
  if (closed_ || closing_ || overflowed_) return;
  if (!accepted_) return finish(CloseReason::shutdown);
  closing_ = true;
  input_stopped_ = true;
  close_reason_ = CloseReason::shutdown;
  push_farewell(close_reason_);  // after everything queued for it: the queue keeps order
  start_close();                 // the server's grace bounds it (close_now)
}

void WsSession::abort(CloseReason reason) {
  if (closed_) return;
  if (!accepted_) return finish(reason);
  close_deadline_ = std::min(close_deadline_, now() + std::chrono::seconds(1));
  if (!close_sent_) {
    // Drops what the peer has not started to read, says why, closes.
    transport().drop_unstarted();
    push_farewell(reason);
    closing_ = true;
    input_stopped_ = true;
    close_reason_ = reason;
    start_close();
  }
  // A closing session has its last line and close frame queued already.
  arm_deadline();
}

void WsSession::close_now(CloseReason reason) {
  if (closed_) return;
  if (reason == CloseReason::shutdown && transport().queued_bytes() > 0) {
    spdlog::warn("{}{} did not read its output within the shutdown grace: {} bytes were not sent.", peer_,
                 session_ && !session_->log_name().empty() ? fmt::format(" ({})", session_->log_name()) : std::string(),
                 transport().queued_bytes());
  }
  finish(reason, "it did not finish within the shutdown grace");
}

void WsSession::arm_deadline() {
  if (closed_) return;
  core::SteadyTime when = close_deadline_;
  if (!closing_ && session_) {
    if (!session_->registered()) when = std::min(when, registration_deadline_);
    else if (const auto idle = shared_->irc_settings.idle_interval; idle.count() > 0)
      when = std::min(when, quiet_since_ + idle);
  }
  if (when == core::SteadyTime::max()) return;
  deadline_timer_.expires_at(when);
  deadline_timer_.async_wait([self = shared_from_this()](boost::system::error_code ec) {
    if (!ec) self->on_deadline();
  });
}

void WsSession::on_deadline() {
  if (closed_) return;
  const core::SteadyTime t = now();
  if (closing_) {
    if (t >= close_deadline_)
      return finish(close_reason_,
                    fmt::format("{} (it did not finish closing in time)", session::describe(close_reason_)));
  } else if (!session_->registered()) {
    if (t >= registration_deadline_) return abort(CloseReason::registration_timeout);
  } else if (const auto idle = shared_->irc_settings.idle_interval; idle.count() > 0 && t >= quiet_since_ + idle) {
    quiet_since_ = t;
    session_->on_idle();
  }
  arm_deadline();
}

void WsSession::finish(CloseReason reason, std::string_view why) {
  loop_.check_owner();
  if (closed_) return;
  closed_ = true;
  closing_ = true;
  transport().close();  // writes what is queued (a close frame), within its linger
  if (accepted_) {
    counters().open.add(-1);
    loop_.metrics->disconnects[static_cast<std::size_t>(reason)].add();
  }
  deadline_timer_.cancel();
  pace_timer_.cancel();
  pending_.clear();
  if (accepted_) {
    const std::string who = session_ ? session_->log_name() : std::string();
    spdlog::info("WebSocket client {}{} disconnected: {}.", peer_, who.empty() ? std::string() : " (" + who + ")",
                 why.empty() ? std::string(session::describe(reason)) : std::string(why));
  } else if (!why.empty()) {
    spdlog::info("WebSocket client {}: {}.", peer_, why);
  }
  if (session_) session_->on_closed(reason);
  // Freed here, on its loop, while the hub it talks to is sure to exist; the
  // rest of this object may outlive the server in handlers the pool destroys.
  session_.reset();
  loop_.sockets.erase(id_);  // the handler that called this still holds a reference
}

}  // namespace parley::web
