#pragma once
// One WebSocket connection on one loop, carrying an IRC session (the IRCv3
// WebSocket transport): each message in is one IRC line, each line out is
// one message. It is the session's Outbound, bounded like a TCP connection:
// an outbox limit in bytes, input paced and held as the session asks.
#include <boost/beast/core/flat_buffer.hpp>
#include <boost/beast/http/string_body.hpp>
#include <boost/beast/websocket/stream.hpp>

#include <deque>
#include <memory>
#include <string>

#include "core/rate_limiter.h"
#include "session/outbound.h"
#include "session/protocol_session.h"
#include "web/handshake_policy.h"
#include "web/web_loop.h"
#include "web/web_transport.h"

namespace parley::web {

using LoopTimer = boost::asio::basic_waitable_timer<std::chrono::steady_clock,
                                                    boost::asio::wait_traits<std::chrono::steady_clock>,
                                                    boost::asio::io_context::executor_type>;

class WsSession final : public std::enable_shared_from_this<WsSession>, public session::Outbound {
 public:
  WsSession(std::shared_ptr<WebShared> shared, WebLoop& loop, std::uint64_t id, WebStream stream,
            std::string peer, std::string address, Subprotocol subprotocol, ConnectionTicket ticket);
  ~WsSession() override;

  // Answers the upgrade request, then starts the IRC session.
  void start(boost::beast::http::request<boost::beast::http::string_body> request);

  void send(std::string_view bytes) override;
  void close_after_flush(session::CloseReason reason) override;
  void hold_input() override;
  void resume_input() override;
  void count_rejected(session::Rejection reason) override {
    loop_.metrics->rejected[static_cast<std::size_t>(reason)].add();
  }

  // Shutdown, as on the TCP ports: input stops (what was read is handled),
  // then the outbox is written, then the farewell, then the close.
  void stop_input();
  void begin_shutdown();
  // Drops what is queued, sends the farewell once, closes within close_grace.
  void abort(session::CloseReason reason);
  // Closes at once, unflushed (the shutdown grace is over).
  void close_now(session::CloseReason reason);

 private:
  struct Input {
    std::string line;
    bool too_long = false;  // longer than max_message_bytes: discarded, the session is told
  };
  void on_accepted(boost::system::error_code ec);
  void read();
  void on_read(boost::system::error_code ec);
  void process_input();
  // One line as one frame; false if the outbox refused it (too slow a reader).
  bool queue_line(std::string_view line, bool past_limit);
  void start_close();  // the closing handshake, after what is queued
  void push_farewell(session::CloseReason reason);
  WebTransport& transport() { return ws_.next_layer().transport(); }
  metrics::KindCounters& counters() { return loop_.counters(transport().is_tls()); }
  void arm_deadline();
  void on_deadline();
  void finish(session::CloseReason reason, std::string_view why = {});

  std::shared_ptr<WebShared> shared_;
  WebLoop& loop_;
  std::uint64_t id_;
  boost::beast::websocket::stream<WebStream> ws_;
  std::string peer_;     // "127.0.0.1:52219", for the log
  std::string address_;  // "127.0.0.1", for the session
  Subprotocol subprotocol_;
  ConnectionTicket ticket_;
  boost::beast::flat_buffer in_;
  std::deque<Input> pending_;         // read, not yet handed to the session
  core::RateLimiter limiter_;
  LoopTimer deadline_timer_;
  LoopTimer pace_timer_;
  std::unique_ptr<session::ProtocolSession> session_;

  core::SteadyTime registration_deadline_{};
  core::SteadyTime quiet_since_{};
  core::SteadyTime close_deadline_ = core::SteadyTime::max();
  session::CloseReason close_reason_ = session::CloseReason::peer_closed;
  int input_holds_ = 0;
  bool accepted_ = false;
  bool reading_ = false;
  bool pacing_ = false;
  bool handing_lines_ = false;
  bool resume_posted_ = false;
  bool input_stopped_ = false;
  bool closing_ = false;
  bool close_sent_ = false;
  bool overflowed_ = false;  // too slow: its close is on its way
  bool closed_ = false;
  bool registration_counted_ = false;
};

}  // namespace parley::web
