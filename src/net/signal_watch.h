#pragma once
// Runs an action on loop 0 each time a signal arrives (SIGHUP: reload the TLS
// certificate), for as long as the watch lives.
#include <functional>
#include <memory>

namespace parley::net {

class LoopPool;

class SignalWatch {
 public:
  SignalWatch(LoopPool& pool, int signal, std::function<void()> action);
  ~SignalWatch();
  SignalWatch(const SignalWatch&) = delete;
  SignalWatch& operator=(const SignalWatch&) = delete;

 private:
  struct Impl;
  std::shared_ptr<Impl> impl_;
};

}  // namespace parley::net
