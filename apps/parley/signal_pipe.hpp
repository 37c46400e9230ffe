#pragma once

#include <initializer_list>
#include <vector>

#include "unique_fd.hpp"

namespace parley::client {

// Turns signals into bytes on a pipe that poll() can wait for (the
// self-pipe trick), so they are handled in the event loop and not inside a
// signal handler. One instance per process.
class SignalPipe {
 public:
  SignalPipe();
  ~SignalPipe();
  SignalPipe(const SignalPipe&) = delete;
  SignalPipe& operator=(const SignalPipe&) = delete;

  // Catches these signals from now on (again after a reset to SIG_DFL).
  void watch(std::initializer_list<int> signals);
  int fd() const { return read_end_.get(); }
  // The signals caught since the last call, in order.
  std::vector<int> take();

 private:
  UniqueFd read_end_;
  UniqueFd write_end_;
  std::vector<int> watched_;
};

}  // namespace parley::client
