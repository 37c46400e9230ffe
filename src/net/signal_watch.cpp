#include "net/signal_watch.h"

#include <signal.h>
#include <spdlog/spdlog.h>
#include <sys/signalfd.h>
#include <unistd.h>

#include <boost/asio/posix/stream_descriptor.hpp>
#include <cerrno>
#include <map>
#include <system_error>
#include <vector>

#include "net/loop_pool.h"

namespace parley::net {

namespace {

sigset_t watched_signals() {
  sigset_t set;
  sigemptyset(&set);
  for (const int signal : {SIGHUP, SIGINT, SIGTERM}) sigaddset(&set, signal);
  return set;
}

}  // namespace

void block_watched_signals() {
  const sigset_t set = watched_signals();
  if (const int error = pthread_sigmask(SIG_BLOCK, &set, nullptr); error != 0)
    throw std::system_error(error, std::generic_category(), "blocking SIGHUP, SIGINT and SIGTERM");
}

struct SignalWatch::Impl : std::enable_shared_from_this<Impl> {
  Impl(LoopPool& pool, int fd) : descriptor(pool.context(0), fd) {}

  void wait() {
    descriptor.async_wait(boost::asio::posix::stream_descriptor::wait_read,
                          [weak = weak_from_this()](boost::system::error_code ec) {
                            auto self = weak.lock();
                            if (ec || !self) return;
                            self->take_pending();
                            self->wait();
                          });
  }

  // Reads every signal queued so far and runs its actions.
  void take_pending() {
    signalfd_siginfo info{};
    for (;;) {
      const ssize_t n = ::read(descriptor.native_handle(), &info, sizeof info);
      if (n != static_cast<ssize_t>(sizeof info)) {
        if (n < 0 && errno == EINTR) continue;
        return;  // EAGAIN: none left
      }
      const int signal = static_cast<int>(info.ssi_signo);
      const auto it = actions.find(signal);
      if (it == actions.end()) {
        spdlog::info("Received {}; nothing is set to happen on it, so it is ignored.", name(signal));
        continue;
      }
      for (const auto& action : it->second) action();
    }
  }

  boost::asio::posix::stream_descriptor descriptor;
  std::map<int, std::vector<std::function<void()>>> actions;
};

SignalWatch::SignalWatch(LoopPool& pool) {
  const sigset_t set = watched_signals();
  const int fd = ::signalfd(-1, &set, SFD_NONBLOCK | SFD_CLOEXEC);
  if (fd < 0) throw std::system_error(errno, std::generic_category(), "signalfd for SIGHUP, SIGINT and SIGTERM");
  impl_ = std::make_shared<Impl>(pool, fd);
  impl_->wait();
}

SignalWatch::~SignalWatch() {
  boost::system::error_code ignored;
  impl_->descriptor.close(ignored);
}

void SignalWatch::on(int signal, std::function<void()> action) { impl_->actions[signal].push_back(std::move(action)); }

const char* SignalWatch::name(int signal) {
  switch (signal) {
    case SIGHUP: return "SIGHUP";
    case SIGINT: return "SIGINT";
    case SIGTERM: return "SIGTERM";
    default: return "a signal";
  }
}

}  // namespace parley::net
