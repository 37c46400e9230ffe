#include "net/readiness_set.h"

#include <algorithm>
#include <cerrno>
#include <system_error>
#include <utility>

namespace parley::net {

namespace {
int make_epoll() {
  const int fd = ::epoll_create1(EPOLL_CLOEXEC);
  if (fd < 0) throw std::system_error(errno, std::generic_category(), "epoll_create1");
  return fd;
}
}  // namespace

ReadinessSet::ReadinessSet(boost::asio::io_context& io, Dispatch dispatch)
    : epoll_(io.get_executor(), make_epoll()), dispatch_(dispatch) {
  arm();
}

// epoll_ (the stream descriptor) closes the set; its pending wait ends with
// operation_aborted and touches nothing of ours.
ReadinessSet::~ReadinessSet() = default;

namespace {
// The set dispatching a batch on this thread, if any (ReadinessSet::forget).
thread_local ReadinessSet* dispatching = nullptr;
}  // namespace

bool ReadinessSet::add(int fd, void* watcher, std::uint32_t events) {
  epoll_event ev{};
  ev.events = events | EPOLLET;
  ev.data.ptr = watcher;
  return ::epoll_ctl(epoll_.native_handle(), EPOLL_CTL_ADD, fd, &ev) == 0;
}

void ReadinessSet::forget(void* watcher) {
  ReadinessSet* set = dispatching;
  if (!set) return;
  for (int i = set->batch_next_; i < set->batch_size_; ++i) {
    epoll_event& ev = set->batch_[static_cast<std::size_t>(i)];
    if (ev.data.ptr == watcher) ev.data.ptr = nullptr;
  }
}

void ReadinessSet::arm() {
  epoll_.async_wait(boost::asio::posix::descriptor_base::wait_read, [this](boost::system::error_code ec) {
    if (!ec) on_ready();
  });
}

void ReadinessSet::on_ready() {
  int n;
  do {
    n = ::epoll_wait(epoll_.native_handle(), batch_.data(), kBatch, 0);
  } while (n < 0 && errno == EINTR);
  batch_size_ = std::max(n, 0);
  ReadinessSet* const outer = std::exchange(dispatching, this);
  for (batch_next_ = 0; batch_next_ < batch_size_;) {
    const epoll_event ev = batch_[static_cast<std::size_t>(batch_next_++)];
    if (ev.data.ptr) dispatch_(ev.data.ptr, ev.events);
  }
  dispatching = outer;
  batch_size_ = batch_next_ = 0;
  // A full batch may have left events behind: Asio's wait re-registers the
  // set's descriptor, which reports it ready again at once if so.
  arm();
}

}  // namespace parley::net
