#include "peer_socket.hpp"

#include <arpa/inet.h>
#include <netinet/in.h>
#include <poll.h>
#include <sys/socket.h>
#include <unistd.h>

#include <array>
#include <cerrno>
#include <stdexcept>

namespace parley::test {

bool wait_readable(int fd, Deadline deadline) {
  for (;;) {
    const auto left = std::chrono::ceil<std::chrono::milliseconds>(deadline - std::chrono::steady_clock::now());
    if (left.count() <= 0) return false;
    pollfd p{fd, POLLIN, 0};
    const int n = ::poll(&p, 1, static_cast<int>(left.count()));
    if (n > 0) return true;
    if (n < 0 && errno != EINTR) return false;
  }
}

PeerSocket::PeerSocket() {
  listener_ = ::socket(AF_INET, SOCK_STREAM | SOCK_CLOEXEC, 0);
  sockaddr_in addr{};
  addr.sin_family = AF_INET;
  addr.sin_addr.s_addr = htonl(INADDR_LOOPBACK);
  addr.sin_port = 0;
  socklen_t len = sizeof addr;
  if (listener_ < 0 || ::bind(listener_, reinterpret_cast<sockaddr*>(&addr), sizeof addr) < 0 ||
      ::listen(listener_, 4) < 0 || ::getsockname(listener_, reinterpret_cast<sockaddr*>(&addr), &len) < 0) {
    throw std::runtime_error("cannot listen on 127.0.0.1");
  }
  port_ = ntohs(addr.sin_port);
}

PeerSocket::~PeerSocket() {
  close();
  if (listener_ >= 0) ::close(listener_);
}

bool PeerSocket::accept(Deadline deadline) {
  if (!wait_readable(listener_, deadline)) return false;
  conn_ = ::accept4(listener_, nullptr, nullptr, SOCK_CLOEXEC);
  return conn_ >= 0;
}

void PeerSocket::send(std::string_view bytes) {
  while (!bytes.empty()) {
    const auto n = ::send(conn_, bytes.data(), bytes.size(), MSG_NOSIGNAL);
    if (n < 0 && errno == EINTR) continue;
    if (n < 0) throw std::runtime_error("peer send failed");
    bytes.remove_prefix(static_cast<std::size_t>(n));
  }
}

bool PeerSocket::read_some() {
  std::array<char, 4096> buf;
  for (;;) {
    const auto n = ::recv(conn_, buf.data(), buf.size(), 0);
    if (n < 0 && errno == EINTR) continue;
    if (n <= 0) return false;
    received_.append(buf.data(), static_cast<std::size_t>(n));
    return true;
  }
}

std::string PeerSocket::read_until(std::string_view needle, Deadline deadline) {
  while (received_.find(needle) == std::string::npos) {
    if (!wait_readable(conn_, deadline) || !read_some()) break;
  }
  return received_;
}

bool PeerSocket::read_until_eof(std::string& received, Deadline deadline) {
  for (;;) {
    if (!wait_readable(conn_, deadline)) {
      received = received_;
      return false;
    }
    if (!read_some()) break;
  }
  received = received_;
  return true;
}

void PeerSocket::end_output() { ::shutdown(conn_, SHUT_WR); }

void PeerSocket::close(bool reset) {
  if (conn_ < 0) return;
  if (reset) {
    const linger abort{1, 0};
    ::setsockopt(conn_, SOL_SOCKET, SO_LINGER, &abort, sizeof abort);
  }
  ::close(conn_);
  conn_ = -1;
}

}  // namespace parley::test
