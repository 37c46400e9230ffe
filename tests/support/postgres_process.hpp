#pragma once
// PostgresProcess: a real PostgreSQL 15 server for the shared-storage tests
// (issue 16), made with initdb in a temporary directory and listening on
// 127.0.0.1 at a port picked for it (and a socket in that directory only).
// Run as the `postgres` user when the tests run as root (PostgreSQL refuses
// root). Trust authentication for the user `parley`, fsync off: a throwaway
// cluster. Stopped (fast shutdown) and reaped on destruction.
#include <sys/types.h>

#include <cstdint>
#include <string>

#include "system_util.hpp"

namespace parley::test {

class PostgresProcess {
 public:
  // Whether initdb and postgres can be run here (tests skip when not).
  static bool available();

  // Makes the cluster and starts the server; waits until it accepts
  // connections; throws (with the server's log named) if it does not.
  PostgresProcess();
  PostgresProcess(const PostgresProcess&) = delete;
  PostgresProcess& operator=(const PostgresProcess&) = delete;
  ~PostgresProcess();

  std::uint16_t port() const { return port_; }
  // An address parleyd's [storage] url takes, for `database`.
  std::string url(const std::string& database = "postgres") const;
  // A new, empty database (parley_1, parley_2...); its address.
  std::string fresh_database();
  // Runs one SQL statement as `parley` in `database`; throws on failure.
  void exec(const std::string& database, const std::string& sql);
  // Stops the server (fast shutdown: clients' connections are ended) and
  // starts it again on the same port and data, as an operator's restart.
  void restart();

 private:
  void start();
  void stop();
  TempDir dir_{"parley-pg"};
  std::uint16_t port_ = 0;
  pid_t pid_ = -1;
  int databases_ = 0;
};

}  // namespace parley::test
