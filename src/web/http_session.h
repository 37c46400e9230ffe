#pragma once
// One HTTP connection on one loop: reads requests (bounded in size and time),
// answers them from routes.h, and hands the socket to a WsSession when a
// request upgrades to a WebSocket that the Origin check allows.
#include <boost/beast/core/flat_buffer.hpp>
#include <boost/beast/http/message.hpp>
#include <boost/beast/http/parser.hpp>
#include <boost/beast/http/string_body.hpp>

#include <memory>
#include <optional>
#include <string>

#include "web/web_loop.h"
#include "web/web_transport.h"

namespace parley::web {

class HttpSession final : public std::enable_shared_from_this<HttpSession> {
 public:
  HttpSession(std::shared_ptr<WebShared> shared, WebLoop& loop, std::uint64_t id, WebStream stream,
              std::string peer, std::string address, ConnectionTicket ticket);
  void start() { read(); }
  // Shutdown: an exchange waiting for its next request ends now.
  void stop();

 private:
  using Request = boost::beast::http::request<boost::beast::http::string_body>;
  void read();
  void on_read(boost::system::error_code ec);
  void answer(const Request& request);
  void upgrade(Request request);
  void respond(unsigned status, std::string body, bool keep_alive);
  void close();

  std::shared_ptr<WebShared> shared_;
  WebLoop& loop_;
  std::uint64_t id_;
  WebStream stream_;
  net::LoopTimer deadline_;  // the request (and on HTTPS the handshake) must come within handshake_timeout
  std::string peer_, address_;
  ConnectionTicket ticket_;
  boost::beast::flat_buffer buffer_;
  std::optional<boost::beast::http::request_parser<boost::beast::http::string_body>> parser_;
  std::shared_ptr<void> response_;  // kept alive while it is written
  bool waiting_for_request_ = false;
  bool done_ = false;
};

}  // namespace parley::web
