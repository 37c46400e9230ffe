#include "socket_ops.h"

#include <fcntl.h>
#include <netinet/tcp.h>
#include <sys/resource.h>
#include <sys/socket.h>
#include <unistd.h>

#include <cerrno>
#include <cstring>

#include <fmt/format.h>

namespace parley::bench {
namespace {

int fail(int fd, const char* what, std::string& error) {
  error = fmt::format("{}: {}", what, std::strerror(errno));
  if (fd >= 0) ::close(fd);
  return -1;
}

}  // namespace

int start_connect(const sockaddr_in& source, const sockaddr_in& server, std::string& error) {
  const int fd = ::socket(AF_INET, SOCK_STREAM | SOCK_NONBLOCK | SOCK_CLOEXEC, IPPROTO_TCP);
  if (fd < 0) return fail(-1, "socket", error);
  const int one = 1;
  // Let connect() pick the port, so ports are shared across destinations.
  if (::setsockopt(fd, IPPROTO_IP, IP_BIND_ADDRESS_NO_PORT, &one, sizeof one) != 0)
    return fail(fd, "setsockopt(IP_BIND_ADDRESS_NO_PORT)", error);
  if (::setsockopt(fd, IPPROTO_TCP, TCP_NODELAY, &one, sizeof one) != 0)
    return fail(fd, "setsockopt(TCP_NODELAY)", error);
  if (::bind(fd, reinterpret_cast<const sockaddr*>(&source), sizeof source) != 0)
    return fail(fd, "bind", error);
  if (::connect(fd, reinterpret_cast<const sockaddr*>(&server), sizeof server) != 0 &&
      errno != EINPROGRESS)
    return fail(fd, "connect", error);
  return fd;
}

int connect_error(int fd) {
  int err = 0;
  socklen_t len = sizeof err;
  if (::getsockopt(fd, SOL_SOCKET, SO_ERROR, &err, &len) != 0) return errno;
  return err;
}

long raise_fd_limit() {
  rlimit lim{};
  if (::getrlimit(RLIMIT_NOFILE, &lim) != 0) return 1024;
  if (lim.rlim_cur < lim.rlim_max) {
    lim.rlim_cur = lim.rlim_max;
    ::setrlimit(RLIMIT_NOFILE, &lim);
    ::getrlimit(RLIMIT_NOFILE, &lim);
  }
  return static_cast<long>(lim.rlim_cur);
}

}  // namespace parley::bench
