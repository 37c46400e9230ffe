#include "web/http_session.h"

#include <boost/beast/http.hpp>
#include <boost/beast/websocket/rfc6455.hpp>
#include <spdlog/spdlog.h>

#include "web/handshake_policy.h"
#include "web/ws_session.h"

namespace parley::web {

namespace beast = boost::beast;
namespace http = beast::http;

namespace {
// A request is a line and headers: GET carries no body, and nothing served
// here takes one.
constexpr std::uint32_t kHeaderLimit = 8 * 1024;
constexpr std::uint64_t kBodyLimit = 4 * 1024;
}  // namespace

HttpSession::HttpSession(std::shared_ptr<WebShared> shared, WebLoop& loop, std::uint64_t id, WebStream stream,
                         std::string peer, std::string address, ConnectionTicket ticket)
    : shared_(std::move(shared)),
      loop_(loop),
      id_(id),
      stream_(std::move(stream)),
      deadline_(loop.io.get_executor()),
      peer_(std::move(peer)),
      address_(std::move(address)),
      ticket_(std::move(ticket)) {}

void HttpSession::read() {
  if (done_) return;
  if (loop_.stopping) return close();
  parser_.emplace();
  parser_->header_limit(kHeaderLimit);
  parser_->body_limit(kBodyLimit);
  // The whole request must come within the handshake timeout (slow senders
  // hold no socket for long); closing the socket ends the read.
  deadline_.expires_after(shared_->settings.handshake_timeout);
  deadline_.async_wait([self = shared_from_this()](boost::system::error_code ec) {
    if (!ec && self->waiting_for_request_) self->stream_.transport().close_now();
  });
  waiting_for_request_ = true;
  http::async_read(stream_, buffer_, *parser_,
                   [self = shared_from_this()](boost::system::error_code ec, std::size_t) { self->on_read(ec); });
}

void HttpSession::on_read(boost::system::error_code ec) {
  loop_.check_owner();
  waiting_for_request_ = false;
  deadline_.cancel();
  if (done_) return;
  if (ec == http::error::end_of_stream || ec == beast::error::timeout || ec == boost::asio::error::operation_aborted)
    return close();
  if (ec == http::error::header_limit || ec == http::error::body_limit) {
    return respond(431, "The request is too large.\n", false);
  }
  if (ec) return respond(400, "Bad request.\n", false);
  Request request = parser_->release();
  if (beast::websocket::is_upgrade(request)) return upgrade(std::move(request));
  answer(request);
}

void HttpSession::answer(const Request& request) {
  const Reply reply = route(request.method_string(), request.target(), request[http::field::if_none_match],
                            shared_->metrics);
  auto response = std::make_shared<http::response<http::string_body>>(static_cast<http::status>(reply.status),
                                                                      request.version());
  response->set(http::field::server, "parleyd");
  for (const auto& [name, value] : reply.headers) response->set(name, value);
  response->body() = reply.body;
  response->content_length(reply.content_length);
  response->keep_alive(request.keep_alive());
  response_ = response;
  http::async_write(stream_, *response, [self = shared_from_this(), keep = request.keep_alive()](
                                            boost::system::error_code ec, std::size_t) {
    self->response_.reset();
    if (ec || !keep) return self->close();
    self->read();
  });
}

void HttpSession::upgrade(Request request) {
  const std::string_view origin = request[http::field::origin];
  if (!origin_allowed(origin, request[http::field::host], shared_->settings.allowed_origins)) {
    spdlog::info("WebSocket client {} refused: origin {} is not in [http] allowed_origins.", peer_, origin);
    return respond(403, "This page's origin may not connect here: see [http] allowed_origins.\n", false);
  }
  const auto subprotocol = choose_subprotocol(request[http::field::sec_websocket_protocol]);
  if (!subprotocol) {
    return respond(400, "Ask for the text.ircv3.net or binary.ircv3.net subprotocol, or none.\n", false);
  }
  if (loop_.stopping) return respond(503, "The server is shutting down.\n", false);
  done_ = true;
  loop_.exchanges.erase(id_);
  deadline_.cancel();  // the WebSocket keeps its own deadlines
  const std::uint64_t id = loop_.next_id++;
  auto socket = std::make_shared<WsSession>(shared_, loop_, id, std::move(stream_), peer_, address_, *subprotocol,
                                            std::move(ticket_));
  loop_.sockets.emplace(id, socket);
  socket->start(std::move(request));
}

void HttpSession::respond(unsigned status, std::string body, bool keep_alive) {
  auto response = std::make_shared<http::response<http::string_body>>(static_cast<http::status>(status), 11);
  response->set(http::field::server, "parleyd");
  response->set(http::field::content_type, "text/plain; charset=utf-8");
  response->body() = std::move(body);
  response->prepare_payload();
  response->keep_alive(keep_alive);
  response_ = response;
  http::async_write(stream_, *response, [self = shared_from_this()](boost::system::error_code, std::size_t) {
    self->response_.reset();
    self->close();
  });
}

void HttpSession::stop() {
  if (waiting_for_request_) close();
}

void HttpSession::close() {
  if (done_) return;
  done_ = true;
  deadline_.cancel();
  stream_.transport().close();  // what is queued (a response) goes first, within its linger
  loop_.exchanges.erase(id_);
}

}  // namespace parley::web
