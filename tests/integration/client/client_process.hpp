#pragma once

#include <sys/types.h>

#include <string>
#include <string_view>
#include <vector>

#include "peer_socket.hpp"

namespace parley::test {

// The real `parley` binary, run with its standard input, output and error
// on pipes (so it runs in its script mode). The destructor kills and reaps
// it if it is still running.
class ClientProcess {
 public:
  explicit ClientProcess(const std::vector<std::string>& args);
  ~ClientProcess();
  ClientProcess(const ClientProcess&) = delete;
  ClientProcess& operator=(const ClientProcess&) = delete;

  // Writes to its standard input.
  void type(std::string_view text);
  // Closes its standard input.
  void end_input();
  void signal(int sig);

  // Reads its output until standard output holds `needle`; false on timeout.
  bool wait_for_output(std::string_view needle, Deadline deadline);

  struct Exit {
    bool exited = false;  // false: still running at the deadline, and then killed
    int code = -1;        // the exit status, or 128 + the signal that ended it
  };
  // Reads its output to the end and reaps it.
  Exit wait(Deadline deadline);

  const std::string& out() const { return out_; }
  const std::string& err() const { return err_; }

 private:
  // Reads what is ready on stdout and stderr, waiting until the deadline
  // for something; false when nothing came (or both pipes are at the end).
  bool pump(Deadline deadline);
  void kill_and_reap();

  pid_t pid_ = -1;
  int pidfd_ = -1;
  int stdin_ = -1;
  int stdout_ = -1;
  int stderr_ = -1;
  std::string out_;
  std::string err_;
};

}  // namespace parley::test
