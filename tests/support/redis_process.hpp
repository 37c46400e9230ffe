#pragma once
// RedisProcess: a real redis-server for the cluster tests (issue 16), on
// 127.0.0.1 at a port picked for it, with nothing saved to disk
// (`--save ''`, no append-only file), in a temporary directory. Stopped and
// reaped on destruction.
#include <sys/types.h>

#include <cstdint>
#include <optional>
#include <string>
#include <vector>

#include "system_util.hpp"
#include "timing.hpp"

namespace parley::test {

class RedisProcess {
 public:
  // Whether redis-server can be run here (the tests skip, exit 77, when not).
  static bool available();

  // Starts it and waits until it answers PING; throws if it does not.
  RedisProcess();
  RedisProcess(const RedisProcess&) = delete;
  RedisProcess& operator=(const RedisProcess&) = delete;
  ~RedisProcess();

  std::uint16_t port() const { return port_; }
  std::string url() const { return "redis://127.0.0.1:" + std::to_string(port_); }

  // SIGKILL (as `kill -9`), reaped; its data is gone (nothing was saved).
  void kill();
  // Starts it again on the same port; waits until it answers PING.
  void start();
  // Sends `signo` (SIGSTOP freezes it: connections stay open, nothing is answered).
  void signal(int signo);

  // Sends one command (RESP) on a fresh connection; returns the reply's first
  // line ("+OK", ":3", "$5"...) or nullopt when it does not answer in time.
  std::optional<std::string> command(const std::vector<std::string>& args, Duration timeout = default_timeout());

 private:
  TempDir dir_{"parley-redis"};
  std::uint16_t port_ = 0;
  pid_t pid_ = -1;
};

}  // namespace parley::test
