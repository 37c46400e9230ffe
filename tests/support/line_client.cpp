#include "line_client.hpp"

#include <arpa/inet.h>
#include <fcntl.h>
#include <netinet/in.h>
#include <netinet/tcp.h>
#include <poll.h>
#include <sys/socket.h>
#include <unistd.h>

#include <algorithm>
#include <cerrno>
#include <cstring>
#include <stdexcept>
#include <system_error>

#include "text_util.hpp"

#ifndef IP_BIND_ADDRESS_NO_PORT
#define IP_BIND_ADDRESS_NO_PORT 24
#endif

namespace parley::test {

std::string welcome_line(std::string_view name) {
  return "Welcome " + std::string(name) + " to chatroom! Enter LEAVE to exit the chatroom";
}
std::string joined_line(std::string_view name) { return std::string(name) + " has joined the chat room!"; }
std::string left_line(std::string_view name) { return std::string(name) + " left the chat room."; }
std::string message_line(std::string_view name, std::string_view text) {
  return "Message from User - " + std::string(name) + ": " + std::string(text);
}

namespace {

sockaddr_in loopback(const std::string& address, std::uint16_t port) {
  sockaddr_in a{};
  a.sin_family = AF_INET;
  a.sin_port = htons(port);
  if (::inet_pton(AF_INET, address.c_str(), &a.sin_addr) != 1) {
    throw std::runtime_error("bad IPv4 address '" + address + "'");
  }
  return a;
}

int poll_one(int fd, short events, Clock::time_point deadline) {
  pollfd p{fd, events, 0};
  for (;;) {
    int n = ::poll(&p, 1, static_cast<int>(remaining(deadline).count()));
    if (n < 0 && errno == EINTR) continue;
    return n;
  }
}

}  // namespace

LineClient::LineClient(std::uint16_t port, ClientOptions options) : label_(std::move(options.label)) {
  fd_.reset(::socket(AF_INET, SOCK_STREAM | SOCK_CLOEXEC | SOCK_NONBLOCK, 0));
  if (!fd_) throw std::system_error(errno, std::generic_category(), "socket");
  int one = 1;
  ::setsockopt(fd_.get(), IPPROTO_TCP, TCP_NODELAY, &one, sizeof one);
  if (options.rcvbuf > 0) {
    if (::setsockopt(fd_.get(), SOL_SOCKET, SO_RCVBUF, &options.rcvbuf, sizeof options.rcvbuf) != 0) {
      throw std::system_error(errno, std::generic_category(), "setsockopt SO_RCVBUF");
    }
  }
  if (!options.source_address.empty()) {
    // Let connect() pick the port for the full 4-tuple, not bind().
    ::setsockopt(fd_.get(), IPPROTO_IP, IP_BIND_ADDRESS_NO_PORT, &one, sizeof one);
    auto src = loopback(options.source_address, 0);
    if (::bind(fd_.get(), reinterpret_cast<sockaddr*>(&src), sizeof src) != 0) {
      throw std::system_error(errno, std::generic_category(), "bind " + options.source_address);
    }
  }
  auto dst = loopback("127.0.0.1", port);
  auto deadline = Clock::now() + options.connect_timeout;
  if (::connect(fd_.get(), reinterpret_cast<sockaddr*>(&dst), sizeof dst) != 0) {
    if (errno != EINPROGRESS) {
      throw std::system_error(errno, std::generic_category(), "connect 127.0.0.1:" + std::to_string(port));
    }
    if (poll_one(fd_.get(), POLLOUT, deadline) <= 0) {
      throw std::runtime_error("connect 127.0.0.1:" + std::to_string(port) + " timed out");
    }
    int err = 0;
    socklen_t len = sizeof err;
    ::getsockopt(fd_.get(), SOL_SOCKET, SO_ERROR, &err, &len);
    if (err != 0) {
      throw std::system_error(err, std::generic_category(), "connect 127.0.0.1:" + std::to_string(port));
    }
  }
  sockaddr_in local{};
  socklen_t len = sizeof local;
  ::getsockname(fd_.get(), reinterpret_cast<sockaddr*>(&local), &len);
  char text[INET_ADDRSTRLEN] = {};
  ::inet_ntop(AF_INET, &local.sin_addr, text, sizeof text);
  local_address_ = text;
  local_port_ = ntohs(local.sin_port);
  if (label_.empty()) label_ = local_endpoint();
}

std::string LineClient::local_endpoint() const { return local_address_ + ":" + std::to_string(local_port_); }

int LineClient::try_send_raw(std::string_view bytes) {
  auto deadline = Clock::now() + default_timeout();
  while (!bytes.empty()) {
    ssize_t n = ::send(fd_.get(), bytes.data(), bytes.size(), MSG_NOSIGNAL);
    if (n > 0) {
      bytes.remove_prefix(static_cast<std::size_t>(n));
      continue;
    }
    if (n < 0 && errno == EINTR) continue;
    if (n < 0 && (errno == EAGAIN || errno == EWOULDBLOCK)) {
      if (poll_one(fd_.get(), POLLOUT, deadline) <= 0) return ETIMEDOUT;
      continue;
    }
    return errno;
  }
  return 0;
}

void LineClient::send_raw(std::string_view bytes) {
  int err = try_send_raw(bytes);
  if (err != 0) {
    throw std::system_error(err, std::generic_category(), "send from client '" + label_ + "'");
  }
}

void LineClient::send_line(std::string_view text) {
  std::string line(text);
  line += '\n';
  send_raw(line);
}

LineClient::Read LineClient::read(Duration timeout) {
  auto deadline = Clock::now() + timeout;
  char chunk[65536];
  for (;;) {
    auto nl = buffer_.find('\n', std::max(head_, scan_from_));
    if (nl != std::string::npos) {
      Read r{Status::line, buffer_.substr(head_, nl - head_), 0};
      head_ = nl + 1;
      scan_from_ = head_;
      // Compact once the consumed part dominates, so reading many lines from
      // one large chunk stays linear.
      if (head_ == buffer_.size()) {
        buffer_.clear();
        head_ = scan_from_ = 0;
      } else if (head_ > 65536 && head_ > buffer_.size() / 2) {
        buffer_.erase(0, head_);
        head_ = scan_from_ = 0;
      }
      history_.push_back(r.line);
      if (history_.size() > 50) history_.erase(history_.begin());
      return r;
    }
    scan_from_ = buffer_.size();
    if (closed_)
      return Read{close_error_ == 0 || close_error_ == ECONNRESET ? Status::closed : Status::error, {}, close_error_};
    ssize_t n = ::recv(fd_.get(), chunk, sizeof chunk, 0);
    if (n > 0) {
      buffer_.append(chunk, static_cast<std::size_t>(n));
      continue;
    }
    if (n == 0) {
      closed_ = true;
      continue;
    }
    if (errno == EINTR) continue;
    if (errno == EAGAIN || errno == EWOULDBLOCK) {
      int p = poll_one(fd_.get(), POLLIN, deadline);
      if (p == 0) return Read{Status::timeout, {}, 0};
      if (p < 0) return Read{Status::error, {}, errno};
      continue;
    }
    // A reset (or another error) ends the stream too; remember why.
    closed_ = true;
    close_error_ = errno;
  }
}

std::optional<std::string> LineClient::read_line(Duration timeout) {
  auto r = read(timeout);
  if (r.status == Status::line) return std::move(r.line);
  return std::nullopt;
}

std::string LineClient::describe() const { return "client '" + label_ + "' (" + local_endpoint() + ")"; }

std::string LineClient::recent() const {
  std::string out;
  std::size_t first = history_.size() > 5 ? history_.size() - 5 : 0;
  for (std::size_t i = first; i < history_.size(); ++i) out += "\n    \"" + printable(history_[i]) + "\"";
  return out.empty() ? " (none)" : out;
}

std::string LineClient::drain_buffered() {
  std::string out;
  for (int i = 0; i < 10; ++i) {
    auto r = read(Duration(0));
    if (r.status == Status::line) {
      out += "\n    \"" + printable(r.line) + "\"";
    } else {
      if (r.status == Status::closed || r.status == Status::error) out += "\n    (then the connection closed)";
      break;
    }
  }
  return out.empty() ? " (none)" : out;
}

::testing::AssertionResult LineClient::expect_line(std::string_view expected, Duration timeout) {
  auto r = read(timeout);
  if (r.status == Status::line && r.line == expected) return ::testing::AssertionSuccess();
  auto failure = ::testing::AssertionFailure();
  failure << describe() << " expected the line\n    \"" << printable(expected) << "\"\n";
  switch (r.status) {
    case Status::line: {
      std::string received = r.line;
      // Keep the unexpected line out of the recent list shown below it.
      failure << "  but received\n    \"" << printable(received) << "\"\n";
      std::size_t common = 0;
      while (common < received.size() && common < expected.size() && received[common] == expected[common]) ++common;
      failure << "  (they differ from byte " << common << ")\n";
      failure << "  lines already buffered after it:" << drain_buffered();
      break;
    }
    case Status::timeout:
      failure << "  but nothing arrived within " << timeout.count() << " ms";
      if (head_ < buffer_.size()) failure << "; unterminated data buffered: \"" << printable(pending()) << "\"";
      break;
    case Status::closed:
      failure << "  but the server closed the connection" << (r.error == ECONNRESET ? " (reset)" : "");
      if (head_ < buffer_.size()) failure << "; unterminated data before the close: \"" << printable(pending()) << "\"";
      break;
    case Status::error:
      failure << "  but reading failed: " << std::strerror(r.error);
      break;
  }
  failure << "\n  recent lines (oldest first):" << recent();
  return failure;
}

::testing::AssertionResult LineClient::expect_line_prefix(std::string_view prefix, std::string* out, Duration timeout) {
  auto r = read(timeout);
  if (r.status == Status::line && r.line.compare(0, prefix.size(), prefix) == 0) {
    if (out != nullptr) *out = r.line;
    return ::testing::AssertionSuccess();
  }
  auto failure = ::testing::AssertionFailure();
  failure << describe() << " expected a line starting with\n    \"" << printable(prefix) << "\"\n";
  switch (r.status) {
    case Status::line:
      failure << "  but received\n    \"" << printable(r.line)
              << "\"\n  lines already buffered after it:" << drain_buffered();
      break;
    case Status::timeout:
      failure << "  but nothing arrived within " << timeout.count() << " ms";
      break;
    case Status::closed:
      failure << "  but the server closed the connection";
      break;
    case Status::error:
      failure << "  but reading failed: " << std::strerror(r.error);
      break;
  }
  failure << "\n  recent lines (oldest first):" << recent();
  return failure;
}

::testing::AssertionResult LineClient::expect_closed(Duration timeout) {
  auto r = read(timeout);
  if (r.status == Status::closed) return ::testing::AssertionSuccess();
  auto failure = ::testing::AssertionFailure();
  failure << describe() << " expected the server to close the connection\n";
  switch (r.status) {
    case Status::line:
      failure << "  but received the line\n    \"" << printable(r.line)
              << "\"\n  lines already buffered after it:" << drain_buffered();
      break;
    case Status::timeout:
      failure << "  but it stayed open for " << timeout.count() << " ms";
      if (head_ < buffer_.size()) failure << "; unterminated data buffered: \"" << printable(pending()) << "\"";
      break;
    case Status::error:
      failure << "  but reading failed: " << std::strerror(r.error);
      break;
    case Status::closed:
      break;
  }
  failure << "\n  recent lines (oldest first):" << recent();
  return failure;
}

::testing::AssertionResult LineClient::register_as(std::string_view typed, std::string_view shown) {
  if (shown.empty()) shown = typed;
  if (auto r = expect_line(kGreeting); !r) return r << "\n  (while registering as \"" << printable(typed) << "\")";
  int err = try_send_raw(std::string(typed) + "\n");
  if (err != 0) {
    return ::testing::AssertionFailure() << describe() << " could not send its name: " << std::strerror(err);
  }
  if (auto r = expect_line(welcome_line(shown)); !r) {
    return r << "\n  (while registering as \"" << printable(typed) << "\")";
  }
  if (label_ == local_endpoint()) label_ = std::string(shown);
  return ::testing::AssertionSuccess();
}

void LineClient::close() { fd_.reset(); }

void LineClient::reset() {
  if (!fd_) return;
  linger l{1, 0};
  ::setsockopt(fd_.get(), SOL_SOCKET, SO_LINGER, &l, sizeof l);
  fd_.reset();
}

void LineClient::shutdown_write() {
  if (fd_) ::shutdown(fd_.get(), SHUT_WR);
}

}  // namespace parley::test
