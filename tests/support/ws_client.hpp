#pragma once
// WsClient: a WebSocket client (RFC 6455) over plain POSIX sockets, for the
// web port's integration tests. Written here rather than with Beast so that a
// bug in the server's WebSocket code cannot hide behind the same library in
// the test. Each message is one IRC line (the IRCv3 WebSocket transport).
//
// HttpGet: one plain HTTP/1.1 request, for the static files and probes.
#include <gtest/gtest.h>

#include <cstdint>
#include <map>
#include <optional>
#include <string>
#include <string_view>

#include "irc_client.hpp"
#include "system_util.hpp"
#include "timing.hpp"

namespace parley::test {

struct HttpResponse {
  int status = 0;
  std::map<std::string, std::string> headers;  // names lower-cased
  std::string body;
  const std::string& header(const std::string& lower_name) const;
};

// Sends `request` (a whole HTTP request, CRLFs included) and reads the
// response (Content-Length framed). nullopt on a close before a response.
std::optional<HttpResponse> http_exchange(std::uint16_t port, std::string_view request,
                                          Duration timeout = default_timeout());
std::optional<HttpResponse> http_get(std::uint16_t port, std::string_view path, std::string_view method = "GET");

struct WsOptions {
  std::string path = "/";
  std::string subprotocols = "text.ircv3.net";  // Sec-WebSocket-Protocol; "" for none
  std::string origin = {};                      // "" for no Origin header
};

class WsClient {
 public:
  // Connects and sends the upgrade request; upgraded() says if it was accepted.
  explicit WsClient(std::uint16_t port, WsOptions options = {}, std::string label = {});
  bool closed() const { return eof_; }
  bool upgraded() const { return response_.status == 101; }
  const HttpResponse& handshake() const { return response_; }

  // One text frame (masked, as clients must); binary when `binary`.
  void send(std::string_view message, bool binary = false);
  // A frame header claiming `length` bytes, then as much of it as the socket takes.
  void send_oversized(std::size_t length);

  struct Message {
    enum class Kind { text, binary, close } kind = Kind::text;
    std::string payload;   // for close: the reason
    int close_code = 0;
  };
  // The next data or close message (pings are answered); nullopt on timeout or EOF.
  std::optional<Message> next(Duration timeout = default_timeout());
  // The next message as an IRC line; closes are reported as failures.
  std::optional<IrcMessage> next_irc(Duration timeout = default_timeout());
  // Reads until an IRC line satisfies `pred`.
  [[nodiscard]] ::testing::AssertionResult wait_for(const IrcPredicate& pred, std::string_view what,
                                                    IrcMessage* out = nullptr, Duration timeout = default_timeout());
  // NICK/USER and reads through 001.
  [[nodiscard]] ::testing::AssertionResult register_as(std::string_view nick);
  // Reads until the server closes: the close frame's code (0 if the TCP
  // connection ended without one), nullopt on timeout.
  std::optional<int> wait_close(Duration timeout = default_timeout());

 private:
  bool fill(Duration timeout);  // reads more bytes into buffer_; false on timeout/EOF
  void write_all(std::string_view bytes);
  void send_frame(int opcode, std::string_view payload);

  UniqueFd fd_;
  std::string label_;
  std::string buffer_;
  bool eof_ = false;
  bool close_sent_ = false;
  HttpResponse response_;
};

}  // namespace parley::test
