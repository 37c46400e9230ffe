#pragma once
// Process signals as events on loop 0: SIGINT and SIGTERM (shut down), SIGHUP
// (reload the TLS certificate). The signals are blocked in every thread and
// read from a signalfd, so no handler interrupts a thread at a random point,
// and one that comes before the loops run waits for them instead of being
// lost. (An asynchronous handler was now and then never run under
// ThreadSanitizer, which holds signals back until its own safe points.)
#include <functional>
#include <memory>

namespace parley::net {

class LoopPool;

// Blocks SIGHUP, SIGINT and SIGTERM in the calling thread; threads started
// from it afterwards inherit the mask. Call before any thread starts, so that
// none of them takes one of these signals in the kernel's default way.
void block_watched_signals();

class SignalWatch {
 public:
  // Throws std::system_error when the kernel gives no signalfd.
  explicit SignalWatch(LoopPool& pool);
  ~SignalWatch();
  SignalWatch(const SignalWatch&) = delete;
  SignalWatch& operator=(const SignalWatch&) = delete;

  // Runs `action` on loop 0 each time `signal` (SIGHUP, SIGINT or SIGTERM)
  // arrives, after any action added before it. A signal with no action is
  // logged and otherwise ignored. Add actions before the loops run.
  void on(int signal, std::function<void()> action);

  // "SIGTERM", for logs.
  static const char* name(int signal);

 private:
  struct Impl;
  std::shared_ptr<Impl> impl_;
};

}  // namespace parley::net
