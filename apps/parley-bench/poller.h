#pragma once
// An epoll instance (level-triggered) whose waits end at a nanosecond deadline.

#include <sys/epoll.h>

#include <cstdint>
#include <span>

namespace parley::bench {

class Poller {
 public:
  Poller();
  ~Poller();
  Poller(const Poller&) = delete;
  Poller& operator=(const Poller&) = delete;

  void add(int fd, std::uint64_t key, std::uint32_t events);
  void modify(int fd, std::uint64_t key, std::uint32_t events);
  void remove(int fd);

  // Waits at most `timeout_ns` (capped); returns the events that fired.
  std::span<epoll_event> wait(std::int64_t timeout_ns);

 private:
  int fd_ = -1;
  bool have_pwait2_ = true;
  epoll_event events_[1024];
};

}  // namespace parley::bench
