#include "poller.h"

#include <unistd.h>

#include <algorithm>
#include <cerrno>
#include <cstring>
#include <stdexcept>
#include <string>

#include "clock.h"

namespace parley::bench {
namespace {

void control(int epfd, int op, int fd, std::uint64_t key, std::uint32_t events) {
  epoll_event ev{};
  ev.events = events;
  ev.data.u64 = key;
  if (::epoll_ctl(epfd, op, fd, &ev) != 0 && op != EPOLL_CTL_DEL)
    throw std::runtime_error(std::string("epoll_ctl: ") + std::strerror(errno));
}

}  // namespace

Poller::Poller() : fd_(::epoll_create1(EPOLL_CLOEXEC)) {
  if (fd_ < 0) throw std::runtime_error(std::string("epoll_create1: ") + std::strerror(errno));
}

Poller::~Poller() { ::close(fd_); }

void Poller::add(int fd, std::uint64_t key, std::uint32_t events) { control(fd_, EPOLL_CTL_ADD, fd, key, events); }
void Poller::modify(int fd, std::uint64_t key, std::uint32_t events) { control(fd_, EPOLL_CTL_MOD, fd, key, events); }
void Poller::remove(int fd) { control(fd_, EPOLL_CTL_DEL, fd, 0, 0); }

std::span<epoll_event> Poller::wait(std::int64_t timeout_ns) {
  timeout_ns = std::clamp<std::int64_t>(timeout_ns, 0, 100 * kNsPerMs);  // wake at least every 100 ms
  constexpr int kMax = static_cast<int>(sizeof events_ / sizeof events_[0]);
  int n = -1;
  if (have_pwait2_) {
    const timespec ts{static_cast<time_t>(timeout_ns / kNsPerSec), static_cast<long>(timeout_ns % kNsPerSec)};
    n = ::epoll_pwait2(fd_, events_, kMax, &ts, nullptr);
    if (n < 0 && errno == ENOSYS) have_pwait2_ = false;
  }
  if (!have_pwait2_) n = ::epoll_wait(fd_, events_, kMax, static_cast<int>((timeout_ns + kNsPerMs - 1) / kNsPerMs));
  if (n < 0) {
    if (errno == EINTR) return {};
    throw std::runtime_error(std::string("epoll_wait: ") + std::strerror(errno));
  }
  return {events_, static_cast<std::size_t>(n)};
}

}  // namespace parley::bench
