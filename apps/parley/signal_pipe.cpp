#include "signal_pipe.hpp"

#include <fcntl.h>
#include <unistd.h>

#include <array>
#include <cerrno>
#include <csignal>
#include <stdexcept>

namespace parley::client {
namespace {

int g_write_end = -1;

extern "C" void on_signal(int sig) {
  const int saved = errno;
  const auto byte = static_cast<unsigned char>(sig);
  [[maybe_unused]] const auto n = ::write(g_write_end, &byte, 1);  // full pipe: the signal is pending anyway
  errno = saved;
}

}  // namespace

SignalPipe::SignalPipe() {
  int fds[2];
  if (::pipe2(fds, O_NONBLOCK | O_CLOEXEC) < 0) throw std::runtime_error("pipe2 failed");
  read_end_ = UniqueFd(fds[0]);
  write_end_ = UniqueFd(fds[1]);
  g_write_end = fds[1];
}

SignalPipe::~SignalPipe() {
  for (const int sig : watched_) std::signal(sig, SIG_DFL);
  g_write_end = -1;
}

void SignalPipe::watch(std::initializer_list<int> signals) {
  struct sigaction sa {};
  sa.sa_handler = on_signal;
  sigemptyset(&sa.sa_mask);
  sa.sa_flags = SA_RESTART;
  for (const int sig : signals) {
    ::sigaction(sig, &sa, nullptr);
    watched_.push_back(sig);
  }
}

std::vector<int> SignalPipe::take() {
  std::vector<int> caught;
  std::array<unsigned char, 64> buf;
  for (;;) {
    const auto n = ::read(read_end_.get(), buf.data(), buf.size());
    if (n < 0 && errno == EINTR) continue;
    if (n <= 0) break;
    caught.insert(caught.end(), buf.begin(), buf.begin() + n);
  }
  return caught;
}

}  // namespace parley::client
