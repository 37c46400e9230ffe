#include "ws_client.hpp"

#include <arpa/inet.h>
#include <netinet/in.h>
#include <poll.h>
#include <sys/socket.h>
#include <unistd.h>

#include <algorithm>
#include <cctype>
#include <random>
#include <stdexcept>
#include <system_error>

namespace parley::test {

namespace {

UniqueFd connect_loopback(std::uint16_t port) {
  UniqueFd fd(::socket(AF_INET, SOCK_STREAM | SOCK_CLOEXEC, 0));
  if (!fd) throw std::system_error(errno, std::generic_category(), "socket");
  sockaddr_in dst{};
  dst.sin_family = AF_INET;
  dst.sin_port = htons(port);
  dst.sin_addr.s_addr = htonl(INADDR_LOOPBACK);
  if (::connect(fd.get(), reinterpret_cast<sockaddr*>(&dst), sizeof dst) != 0)
    throw std::system_error(errno, std::generic_category(), "connect 127.0.0.1:" + std::to_string(port));
  // A server that stops reading must fail a test, not hang it.
  timeval tv{static_cast<time_t>(default_timeout().count() / 1000), 0};
  ::setsockopt(fd.get(), SOL_SOCKET, SO_SNDTIMEO, &tv, sizeof tv);
  return fd;
}

// Appends what arrives within `timeout` to `buffer`; false on timeout or EOF
// (*eof says which, when given).
bool read_more(int fd, std::string& buffer, Duration timeout, bool* eof = nullptr) {
  pollfd p{fd, POLLIN, 0};
  if (::poll(&p, 1, static_cast<int>(std::max<long>(0, timeout.count()))) <= 0) return false;
  char chunk[16384];
  const ssize_t n = ::recv(fd, chunk, sizeof chunk, 0);
  if (n <= 0) {
    if (eof) *eof = true;
    return false;
  }
  buffer.append(chunk, static_cast<std::size_t>(n));
  return true;
}

std::string lower(std::string s) {
  std::transform(s.begin(), s.end(), s.begin(), [](unsigned char c) { return static_cast<char>(std::tolower(c)); });
  return s;
}

// Parses a status line and headers ending in CRLFCRLF at the front of
// `buffer`, reading more as needed; removes them from `buffer`.
bool read_head(int fd, std::string& buffer, HttpResponse& out, Clock::time_point deadline) {
  std::size_t end;
  while ((end = buffer.find("\r\n\r\n")) == std::string::npos) {
    if (!read_more(fd, buffer, remaining(deadline))) return false;
  }
  const std::string head = buffer.substr(0, end + 2);
  buffer.erase(0, end + 4);
  std::size_t pos = head.find("\r\n");
  const std::string status_line = head.substr(0, pos);
  const auto space = status_line.find(' ');
  out.status = space == std::string::npos ? 0 : std::atoi(status_line.c_str() + space + 1);
  pos += 2;
  while (pos < head.size()) {
    const std::size_t eol = head.find("\r\n", pos);
    const std::string line = head.substr(pos, eol - pos);
    pos = eol + 2;
    const auto colon = line.find(':');
    if (colon == std::string::npos) continue;
    std::string value = line.substr(colon + 1);
    value.erase(0, value.find_first_not_of(' '));
    out.headers[lower(line.substr(0, colon))] = value;
  }
  return true;
}

}  // namespace

const std::string& HttpResponse::header(const std::string& lower_name) const {
  static const std::string none;
  const auto it = headers.find(lower_name);
  return it == headers.end() ? none : it->second;
}

std::optional<HttpResponse> http_exchange(std::uint16_t port, std::string_view request, Duration timeout) {
  UniqueFd fd = connect_loopback(port);
  if (::send(fd.get(), request.data(), request.size(), MSG_NOSIGNAL) != static_cast<ssize_t>(request.size()))
    return std::nullopt;
  const auto deadline = Clock::now() + timeout;
  std::string buffer;
  HttpResponse response;
  if (!read_head(fd.get(), buffer, response, deadline)) return std::nullopt;
  const std::size_t length = std::stoul(response.header("content-length").empty() ? "0" : response.header("content-length"));
  while (buffer.size() < length) {
    if (!read_more(fd.get(), buffer, remaining(deadline))) break;
  }
  response.body = buffer.substr(0, length);
  return response;
}

std::optional<HttpResponse> http_get(std::uint16_t port, std::string_view path, std::string_view method) {
  std::string request = std::string(method) + " " + std::string(path) +
                        " HTTP/1.1\r\nHost: 127.0.0.1:" + std::to_string(port) + "\r\nConnection: close\r\n\r\n";
  return http_exchange(port, request);
}

WsClient::WsClient(std::uint16_t port, WsOptions options, std::string label)
    : fd_(connect_loopback(port)), label_(std::move(label)) {
  std::string request = "GET " + options.path + " HTTP/1.1\r\nHost: 127.0.0.1:" + std::to_string(port) +
                        "\r\nUpgrade: websocket\r\nConnection: Upgrade\r\n"
                        "Sec-WebSocket-Key: dGhlIHNhbXBsZSBub25jZQ==\r\nSec-WebSocket-Version: 13\r\n";
  if (!options.subprotocols.empty()) request += "Sec-WebSocket-Protocol: " + options.subprotocols + "\r\n";
  if (!options.origin.empty()) request += "Origin: " + options.origin + "\r\n";
  request += "\r\n";
  write_all(request);
  if (!read_head(fd_.get(), buffer_, response_, Clock::now() + default_timeout()))
    throw std::runtime_error("ws client '" + label_ + "': no handshake response");
  if (response_.status != 101) {
    const std::size_t length = std::stoul(response_.header("content-length").empty() ? "0" : response_.header("content-length"));
    while (buffer_.size() < length && read_more(fd_.get(), buffer_, default_timeout())) {
    }
    response_.body = buffer_.substr(0, length);
  }
}

void WsClient::write_all(std::string_view bytes) {
  while (!bytes.empty()) {
    const ssize_t n = ::send(fd_.get(), bytes.data(), bytes.size(), MSG_NOSIGNAL);
    if (n <= 0) throw std::system_error(errno, std::generic_category(), "ws client '" + label_ + "' send");
    bytes.remove_prefix(static_cast<std::size_t>(n));
  }
}

void WsClient::send_frame(int opcode, std::string_view payload) {
  std::string frame;
  frame += static_cast<char>(0x80 | opcode);
  const std::size_t n = payload.size();
  if (n < 126) {
    frame += static_cast<char>(0x80 | n);
  } else if (n < 65536) {
    frame += static_cast<char>(0x80 | 126);
    frame += static_cast<char>(n >> 8);
    frame += static_cast<char>(n & 0xff);
  } else {
    frame += static_cast<char>(0x80 | 127);
    for (int shift = 56; shift >= 0; shift -= 8) frame += static_cast<char>((n >> shift) & 0xff);
  }
  static std::mt19937 random{std::random_device{}()};
  char mask[4];
  for (char& m : mask) m = static_cast<char>(random());
  frame.append(mask, 4);
  for (std::size_t i = 0; i < n; ++i) frame += static_cast<char>(payload[i] ^ mask[i % 4]);
  write_all(frame);
}

void WsClient::send(std::string_view message, bool binary) { send_frame(binary ? 2 : 1, message); }

void WsClient::send_oversized(std::size_t length) {
  std::string header;
  header += static_cast<char>(0x81);
  header += static_cast<char>(0x80 | 127);
  for (int shift = 56; shift >= 0; shift -= 8) header += static_cast<char>((length >> shift) & 0xff);
  header += std::string(4, '\0');  // a zero mask: the payload goes as is
  write_all(header);
  const std::string chunk(4096, 'x');
  // The server may close as soon as it sees the header; a failed send is fine.
  for (std::size_t sent = 0; sent < std::min<std::size_t>(length, 64 * 1024); sent += chunk.size()) {
    if (::send(fd_.get(), chunk.data(), chunk.size(), MSG_NOSIGNAL) <= 0) break;
  }
}

bool WsClient::fill(Duration timeout) { return read_more(fd_.get(), buffer_, timeout, &eof_); }

std::optional<WsClient::Message> WsClient::next(Duration timeout) {
  const auto deadline = Clock::now() + timeout;
  for (;;) {
    if (buffer_.size() >= 2) {
      const auto b0 = static_cast<unsigned char>(buffer_[0]);
      const auto b1 = static_cast<unsigned char>(buffer_[1]);
      std::size_t length = b1 & 0x7f, header = 2;
      if (length == 126 && buffer_.size() >= 4) {
        length = (static_cast<unsigned char>(buffer_[2]) << 8) | static_cast<unsigned char>(buffer_[3]);
        header = 4;
      } else if (length == 127 && buffer_.size() >= 10) {
        length = 0;
        for (int i = 2; i < 10; ++i) length = (length << 8) | static_cast<unsigned char>(buffer_[i]);
        header = 10;
      }
      const bool complete = (b1 & 0x7f) < 126 || header > 2;
      if (complete && buffer_.size() >= header + length) {
        std::string payload = buffer_.substr(header, length);
        buffer_.erase(0, header + length);
        const int opcode = b0 & 0x0f;
        if (opcode == 9) {  // ping
          send_frame(10, payload);
          continue;
        }
        if (opcode == 10) continue;
        Message m;
        if (opcode == 8) {
          if (!close_sent_) {  // answer it, as RFC 6455 asks; the server may be gone already
            close_sent_ = true;
            try {
              send_frame(8, payload.substr(0, 2));
            } catch (const std::system_error&) {
            }
            // As browsers do: the handshake is over, the TCP connection may end
            // (the server waits for that before it calls the close complete).
            ::shutdown(fd_.get(), SHUT_WR);
          }
          m.kind = Message::Kind::close;
          if (payload.size() >= 2)
            m.close_code = (static_cast<unsigned char>(payload[0]) << 8) | static_cast<unsigned char>(payload[1]);
          m.payload = payload.size() > 2 ? payload.substr(2) : std::string();
        } else {
          m.kind = opcode == 2 ? Message::Kind::binary : Message::Kind::text;
          m.payload = std::move(payload);
        }
        return m;
      }
    }
    if (!fill(remaining(deadline))) return std::nullopt;
  }
}

std::optional<IrcMessage> WsClient::next_irc(Duration timeout) {
  auto m = next(timeout);
  if (!m) return std::nullopt;
  if (m->kind == Message::Kind::close) {
    ADD_FAILURE() << "ws client '" << label_ << "': the server closed (" << m->close_code << " " << m->payload << ")";
    return std::nullopt;
  }
  if (m->payload.find('\n') != std::string::npos || m->payload.find('\r') != std::string::npos)
    ADD_FAILURE() << "ws client '" << label_ << "': a message holds a line end: " << m->payload;
  return parse_irc_line(m->payload);
}

::testing::AssertionResult WsClient::wait_for(const IrcPredicate& pred, std::string_view what, IrcMessage* out,
                                              Duration timeout) {
  const auto deadline = Clock::now() + timeout;
  std::string seen;
  for (;;) {
    auto m = next_irc(remaining(deadline));
    if (!m) {
      return ::testing::AssertionFailure() << "ws client '" << label_ << "' waited for " << what
                                           << "; saw:" << (seen.empty() ? " nothing" : seen);
    }
    if (pred(*m)) {
      if (out) *out = std::move(*m);
      return ::testing::AssertionSuccess();
    }
    seen += "\n    " + m->raw;
  }
}

::testing::AssertionResult WsClient::register_as(std::string_view nick) {
  send("NICK " + std::string(nick));
  send("USER u 0 * :Web User");
  return wait_for(irc_command("001"), "001 (welcome)");
}

std::optional<int> WsClient::wait_close(Duration timeout) {
  const auto deadline = Clock::now() + timeout;
  for (;;) {
    auto m = next(remaining(deadline));
    if (!m) return eof_ ? std::optional<int>(0) : std::nullopt;  // EOF without a close frame, or a timeout
    if (m->kind == Message::Kind::close) return m->close_code;
  }
}

}  // namespace parley::test
