#pragma once
// ServerProcess: one real parleyd, started with fork/exec on loopback with a
// fresh data directory, its stdout and stderr captured line by line.
//
// Every ServerProcess stops its server on destruction (SIGTERM, then SIGKILL
// past a deadline) and reaps it, so no test leaves a process behind.

#include <sys/types.h>

#include <condition_variable>
#include <cstdint>
#include <filesystem>
#include <mutex>
#include <optional>
#include <string>
#include <string_view>
#include <thread>
#include <vector>

#include "system_util.hpp"
#include "timing.hpp"

namespace parley::test {

// The parleyd binary the tests run: $PARLEYD_BIN if set, else the path CMake
// compiled in. Empty when neither is known.
std::string default_parleyd_binary();

struct ServerOptions {
  // --threads N.
  int threads = 1;
  // --text-port PORT (0: the kernel picks one, parsed from the log).
  std::uint16_t text_port = 0;
  // --irc-port PORT (0: the kernel picks one, parsed from the log).
  std::uint16_t irc_port = 0;
  // When set, written to <temp dir>/parleyd.toml and passed as --config.
  std::optional<std::string> config_toml{};
  // When true (the default) the arguments start with
  // --bind 127.0.0.1 --text-port <text_port> --irc-port <irc_port> --data-dir <fresh dir> --threads N.
  bool default_args = true;
  // Appended after the default arguments and --config.
  std::vector<std::string> extra_args{};
  // When true (the default) the constructor waits for the listening line and
  // for "Waiting for new users....", and throws if they do not come.
  bool wait_until_ready = true;
  Duration ready_timeout = scaled(std::chrono::seconds(20));
  std::string binary = default_parleyd_binary();
  // Whether joining a room shows its earlier messages ([history]
  // replay_lines). Off unless a test asks: most tests expect the line after a
  // welcome or a join to be what happens next. (Set through the configuration
  // file, unless the test's own has a [history] table or it passes --config
  // itself.)
  bool replay_history = false;
  // The data directory to use (a restart test passes the first server's);
  // empty: a fresh one, removed with the ServerProcess.
  std::string data_dir = {};
  // Whether other users see a cloak instead of 127.0.0.1 ([privacy] cloak).
  // Off unless a test asks: most tests expect "@127.0.0.1" in IRC prefixes.
  // (Set through the configuration file, unless the test's own has a
  // [privacy] table or it passes --config itself.)
  bool cloak_hosts = false;
};

// How a process ended, from waitpid.
struct ExitStatus {
  int raw = 0;
  bool exited() const;
  int code() const;  // valid when exited()
  bool signaled() const;
  int signal() const;  // valid when signaled()
  std::string describe() const;
};

class ServerProcess {
 public:
  explicit ServerProcess(ServerOptions options = {});
  ServerProcess(const ServerProcess&) = delete;
  ServerProcess& operator=(const ServerProcess&) = delete;
  ~ServerProcess();

  // The text port parsed from "Listening for text clients on ADDR:PORT";
  // 0 before that line was seen.
  std::uint16_t port() const { return port_; }
  // The IRC port, from "Listening for IRC clients on ADDR:PORT" (0 if not seen).
  std::uint16_t irc_port() const { return irc_port_; }
  // The web port, from "Listening for web clients on ADDR:PORT" (0 if not seen).
  std::uint16_t http_port() const { return http_port_; }
  pid_t pid() const { return pid_; }
  const std::filesystem::path& data_dir() const { return data_dir_; }
  const std::filesystem::path& config_path() const { return config_path_; }
  const std::vector<std::string>& args() const { return args_; }

  // Waits until a log line (stdout or stderr) at index >= from_line contains
  // `substring`, and returns that line. Returns nullopt on timeout, or as soon
  // as the server's output has ended without a match. When `index` is not
  // null it receives the matching line's index.
  std::optional<std::string> wait_for_log(std::string_view substring, Duration timeout = default_timeout(),
                                          std::size_t from_line = 0, std::size_t* index = nullptr);

  // Number of log lines captured so far (to pass as from_line later).
  std::size_t log_line_count() const;
  std::vector<std::string> log_lines() const;
  // All captured lines, joined with '\n', for failure messages.
  std::string log_text() const;
  // Number of captured lines that contain `substring`.
  std::size_t count_log(std::string_view substring) const;

  // True while the process has not been reaped.
  bool running() const { return pid_ > 0; }

  // Waits for the process to exit by itself and reaps it.
  std::optional<ExitStatus> wait_exit(Duration timeout = default_timeout());

  // Sends SIGTERM and waits for the exit; SIGKILLs past `timeout`. Returns the
  // exit status (a signaled() status when it had to be killed).
  ExitStatus terminate_and_wait(Duration timeout = scaled(std::chrono::seconds(20)));

  // Sends `signo` to the server without waiting.
  void send_signal(int signo);

  // Whether terminate_and_wait or the destructor had to use SIGKILL.
  bool was_killed() const { return killed_; }

 private:
  void reader_loop(int out_fd, int stop_fd);
  void append_output(std::string_view chunk);
  std::optional<ExitStatus> reap_within(Duration timeout);
  void stop_reader();
  void dump_log_on_failure();

  ServerOptions options_;
  TempDir temp_;
  std::filesystem::path data_dir_;
  std::filesystem::path config_path_;
  std::vector<std::string> args_;
  pid_t pid_ = -1;
  std::uint16_t port_ = 0;
  std::uint16_t irc_port_ = 0;
  std::uint16_t http_port_ = 0;
  bool killed_ = false;
  std::optional<ExitStatus> exit_status_;

  UniqueFd stop_write_;  // written to wake and end the reader thread
  std::thread reader_;

  mutable std::mutex mutex_;
  std::condition_variable changed_;
  std::vector<std::string> lines_;
  std::string partial_;
  bool output_ended_ = false;
};

}  // namespace parley::test
