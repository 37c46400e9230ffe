#include "server_process.hpp"

#include <algorithm>

#include <dirent.h>
#include <fcntl.h>
#include <gtest/gtest.h>
#include <poll.h>
#include <signal.h>
#include <sys/prctl.h>
#include <sys/syscall.h>
#include <sys/wait.h>
#include <unistd.h>

#include <cerrno>
#include <cstdio>
#include <cstdlib>
#include <cstring>
#include <fstream>
#include <iostream>
#include <stdexcept>
#include <system_error>

namespace parley::test {

namespace {

constexpr std::string_view kListening = "Listening for text clients on ";
constexpr std::string_view kListeningIrc = "Listening for IRC clients on ";
constexpr std::string_view kListeningWeb = "Listening for web clients on ";
constexpr std::string_view kWaiting = "Waiting for new users....";

int pidfd_open_or_fail(pid_t pid) {
#ifdef SYS_pidfd_open
  return static_cast<int>(::syscall(SYS_pidfd_open, pid, 0));
#else
  (void)pid;
  errno = ENOSYS;
  return -1;
#endif
}

// What each thread of `pid` is doing, for a server that does not stop:
// its name, state and kernel wait channel, then (when gdb is installed)
// every thread's stack. Diagnostics only: each step may fail quietly.
void describe_threads(pid_t pid) {
  const std::string task_dir = "/proc/" + std::to_string(pid) + "/task";
  if (DIR* dir = ::opendir(task_dir.c_str())) {
    while (const dirent* entry = ::readdir(dir)) {
      if (entry->d_name[0] == '.') continue;
      const std::string task = task_dir + "/" + entry->d_name;
      auto first_line = [&task](const char* file) {
        std::ifstream in(task + "/" + file);
        std::string line;
        std::getline(in, line);
        return line;
      };
      const std::string stat = first_line("stat");
      const auto close = stat.rfind(')');
      const std::string state = close != std::string::npos && close + 2 < stat.size() ? stat.substr(close + 2, 1) : "?";
      // Signals pending for the thread (SigPnd) or the process (ShdPnd), and
      // blocked: a SIGTERM that never reached a handler shows here.
      std::string signals;
      std::ifstream status(task + "/status");
      for (std::string line; std::getline(status, line);) {
        if (line.starts_with("SigPnd") || line.starts_with("ShdPnd") || line.starts_with("SigBlk")) signals += " " + line;
      }
      std::cerr << "  thread " << entry->d_name << " " << first_line("comm") << ": state " << state << ", waiting in "
                << first_line("wchan") << ", syscall " << first_line("syscall") << ";" << signals << "\n";
    }
    ::closedir(dir);
  }
  if (::access("/usr/bin/gdb", X_OK) == 0) {
    const std::string command = "timeout 60 /usr/bin/gdb -p " + std::to_string(pid) +
                                " -batch -ex 'thread apply all bt' </dev/null 1>&2 2>/dev/null";
    [[maybe_unused]] const int ignored = std::system(command.c_str());
  }
}

}  // namespace

std::string default_parleyd_binary() {
  if (const char* env = std::getenv("PARLEYD_BIN"); env != nullptr && *env != '\0') return env;
#ifdef PARLEYD_BIN
  return PARLEYD_BIN;
#else
  return {};
#endif
}

bool ExitStatus::exited() const { return WIFEXITED(raw); }
int ExitStatus::code() const { return WEXITSTATUS(raw); }
bool ExitStatus::signaled() const { return WIFSIGNALED(raw); }
int ExitStatus::signal() const { return WTERMSIG(raw); }

std::string ExitStatus::describe() const {
  if (exited()) return "exited with status " + std::to_string(code());
  if (signaled()) return std::string("killed by signal ") + std::to_string(signal()) + " (" + strsignal(signal()) + ")";
  return "wait status " + std::to_string(raw);
}

ServerProcess::ServerProcess(ServerOptions options) : options_(std::move(options)) {
  if (options_.binary.empty()) {
    throw std::runtime_error("no parleyd binary: build the parleyd target or set PARLEYD_BIN");
  }
  data_dir_ = options_.data_dir.empty() ? temp_.path() / "data" : std::filesystem::path(options_.data_dir);
  std::filesystem::create_directories(data_dir_);

  args_.push_back(options_.binary);
  if (options_.default_args) {
    for (const char* a : {"--bind", "127.0.0.1", "--text-port"}) args_.emplace_back(a);
    args_.push_back(std::to_string(options_.text_port));
    args_.emplace_back("--irc-port");
    args_.push_back(std::to_string(options_.irc_port));
    args_.emplace_back("--http-port");  // a free one: tests run side by side
    args_.emplace_back("0");
    args_.emplace_back("--data-dir");
    args_.push_back(data_dir_.string());
    args_.emplace_back("--threads");
    args_.push_back(std::to_string(options_.threads));
  }
  std::optional<std::string> config = options_.config_toml;
  const bool own_config_flag =
      std::find(options_.extra_args.begin(), options_.extra_args.end(), "--config") != options_.extra_args.end();
  if (!options_.replay_history && !own_config_flag && (!config || config->find("[history]") == std::string::npos))
    config = config.value_or("") + "\n[history]\nreplay_lines = 0\n";
  if (!options_.cloak_hosts && !own_config_flag && (!config || config->find("[privacy]") == std::string::npos))
    config = config.value_or("") + "\n[privacy]\ncloak = false\n";
  if (config) {
    config_path_ = temp_.path() / "parleyd.toml";
    write_file(config_path_, *config);
    args_.emplace_back("--config");
    args_.push_back(config_path_.string());
  }
  for (const auto& a : options_.extra_args) args_.push_back(a);

  // Everything the child needs is prepared before fork: after fork only
  // async-signal-safe calls are allowed (the test process has threads).
  std::vector<char*> argv;
  for (auto& a : args_) argv.push_back(a.data());
  argv.push_back(nullptr);

  int out[2];
  if (::pipe2(out, O_CLOEXEC) != 0) throw std::system_error(errno, std::generic_category(), "pipe2");
  UniqueFd out_read(out[0]), out_write(out[1]);
  int stop[2];
  if (::pipe2(stop, O_CLOEXEC) != 0) throw std::system_error(errno, std::generic_category(), "pipe2");
  UniqueFd stop_read(stop[0]);
  stop_write_.reset(stop[1]);

  pid_t pid = ::fork();
  if (pid < 0) throw std::system_error(errno, std::generic_category(), "fork");
  if (pid == 0) {
    // Child. A server outliving a crashed test process would hold its port.
    ::prctl(PR_SET_PDEATHSIG, SIGKILL);
    int devnull = ::open("/dev/null", O_RDONLY);
    if (devnull >= 0) ::dup2(devnull, 0);
    ::dup2(out[1], 1);
    ::dup2(out[1], 2);
    struct sigaction dfl {};
    dfl.sa_handler = SIG_DFL;
    for (int s : {SIGPIPE, SIGTERM, SIGINT, SIGHUP, SIGCHLD}) ::sigaction(s, &dfl, nullptr);
    sigset_t none;
    sigemptyset(&none);
    ::sigprocmask(SIG_SETMASK, &none, nullptr);
    ::execv(argv[0], argv.data());
    const char msg[] = "parley test harness: execv of parleyd failed\n";
    ssize_t ignored = ::write(2, msg, sizeof msg - 1);
    (void)ignored;
    ::_exit(127);
  }
  pid_ = pid;
  out_write.reset();
  reader_ = std::thread([this, o = out_read.release(), s = stop_read.release()] { reader_loop(o, s); });

  if (!options_.wait_until_ready) return;

  auto deadline = Clock::now() + options_.ready_timeout;
  auto listening = wait_for_log(kListening, remaining(deadline));
  std::optional<std::string> waiting;
  if (auto irc = listening ? wait_for_log(kListeningIrc, remaining(deadline)) : std::nullopt) {
    try {
      irc_port_ = static_cast<std::uint16_t>(std::stoul(irc->substr(irc->rfind(':') + 1)));
    } catch (...) {
      irc_port_ = 0;
    }
  }
  if (listening) {
    auto colon = listening->rfind(':');
    if (colon != std::string::npos) {
      try {
        port_ = static_cast<std::uint16_t>(std::stoul(listening->substr(colon + 1)));
      } catch (...) {
        port_ = 0;
      }
    }
    waiting = wait_for_log(kWaiting, remaining(deadline));
    // Logged before kWaiting when the web port is on.
    if (auto web = waiting ? wait_for_log(kListeningWeb, Duration::zero()) : std::nullopt) {
      try {
        http_port_ = static_cast<std::uint16_t>(std::stoul(web->substr(web->rfind(':') + 1)));
      } catch (...) {
        http_port_ = 0;
      }
    }
  }
  if (!listening || port_ == 0 || !waiting) {
    std::string why = !listening   ? "no line \"" + std::string(kListening) + "ADDR:PORT\""
                      : port_ == 0 ? "no port in \"" + *listening + "\""
                                   : "no line \"" + std::string(kWaiting) + "\"";
    auto status = terminate_and_wait(scaled(std::chrono::seconds(5)));
    stop_reader();  // the destructor will not run: the constructor throws
    throw std::runtime_error("parleyd did not become ready (" + why + "); it " + status.describe() + ". Command: " +
                             [this] {
                               std::string s;
                               for (auto& a : args_) s += a + " ";
                               return s;
                             }() +
                             "\nLog:\n" + log_text());
  }
}

ServerProcess::~ServerProcess() {
  if (running()) {
    terminate_and_wait();
    if (killed_) {
      std::cerr << "[parley harness] parleyd (pid " << pid_ << ") ignored SIGTERM and was killed\n";
    }
  }
  dump_log_on_failure();
  stop_reader();
}

void ServerProcess::dump_log_on_failure() {
  if (!::testing::Test::HasFailure()) return;
  auto lines = log_lines();
  constexpr std::size_t kMax = 200;
  std::size_t first = lines.size() > kMax ? lines.size() - kMax : 0;
  std::cerr << "---- parleyd log (" << lines.size() << " lines";
  if (first > 0) std::cerr << ", last " << kMax;
  std::cerr << ") ----\n";
  for (std::size_t i = first; i < lines.size(); ++i) std::cerr << lines[i] << "\n";
  std::cerr << "---- end of parleyd log ----\n";
}

void ServerProcess::stop_reader() {
  if (!reader_.joinable()) return;
  char b = 'x';
  ssize_t ignored = ::write(stop_write_.get(), &b, 1);
  (void)ignored;
  reader_.join();
}

void ServerProcess::reader_loop(int out_fd, int stop_fd) {
  UniqueFd out(out_fd), stop(stop_fd);
  const bool verbose = std::getenv("PARLEY_ITEST_VERBOSE") != nullptr;
  char buf[65536];
  for (;;) {
    pollfd fds[2];
    nfds_t nfds = 0;
    fds[nfds++] = {stop.get(), POLLIN, 0};
    if (out) fds[nfds++] = {out.get(), POLLIN, 0};
    int n = ::poll(fds, nfds, -1);
    if (n < 0) {
      if (errno == EINTR) continue;
      return;
    }
    if (fds[0].revents != 0) return;
    if (nfds < 2 || fds[1].revents == 0) continue;
    ssize_t got = ::read(out.get(), buf, sizeof buf);
    if (got < 0 && errno == EINTR) continue;
    if (got > 0) {
      if (verbose) std::cerr.write(buf, got);
      append_output(std::string_view(buf, static_cast<std::size_t>(got)));
      continue;
    }
    // EOF (or a read error): the server's output has ended.
    {
      std::lock_guard lock(mutex_);
      if (!partial_.empty()) lines_.push_back(std::exchange(partial_, {}));
      output_ended_ = true;
    }
    changed_.notify_all();
    out.reset();
  }
}

void ServerProcess::append_output(std::string_view chunk) {
  {
    std::lock_guard lock(mutex_);
    for (char c : chunk) {
      if (c == '\n') {
        if (!partial_.empty() && partial_.back() == '\r') partial_.pop_back();
        lines_.push_back(std::exchange(partial_, {}));
      } else {
        partial_.push_back(c);
      }
    }
  }
  changed_.notify_all();
}

std::optional<std::string> ServerProcess::wait_for_log(std::string_view substring, Duration timeout,
                                                       std::size_t from_line, std::size_t* index) {
  auto deadline = Clock::now() + timeout;
  std::unique_lock lock(mutex_);
  std::size_t next = from_line;
  for (;;) {
    for (; next < lines_.size(); ++next) {
      if (lines_[next].find(substring) != std::string::npos) {
        if (index != nullptr) *index = next;
        return lines_[next];
      }
    }
    if (output_ended_) return std::nullopt;
    if (changed_.wait_until(lock, deadline) == std::cv_status::timeout) {
      for (; next < lines_.size(); ++next) {
        if (lines_[next].find(substring) != std::string::npos) {
          if (index != nullptr) *index = next;
          return lines_[next];
        }
      }
      return std::nullopt;
    }
  }
}

std::size_t ServerProcess::log_line_count() const {
  std::lock_guard lock(mutex_);
  return lines_.size();
}

std::vector<std::string> ServerProcess::log_lines() const {
  std::lock_guard lock(mutex_);
  return lines_;
}

std::string ServerProcess::log_text() const {
  std::lock_guard lock(mutex_);
  std::string out;
  for (const auto& l : lines_) {
    out += l;
    out += '\n';
  }
  if (!partial_.empty()) out += partial_ + "  (no line end yet)\n";
  return out;
}

std::size_t ServerProcess::count_log(std::string_view substring) const {
  std::lock_guard lock(mutex_);
  std::size_t n = 0;
  for (const auto& l : lines_) n += l.find(substring) != std::string::npos ? 1 : 0;
  return n;
}

std::optional<ExitStatus> ServerProcess::reap_within(Duration timeout) {
  if (!running()) return exit_status_;
  auto finish = [this](int status) {
    exit_status_ = ExitStatus{status};
    pid_ = -1;
    // Let the reader collect the last of the output (a grandchild holding
    // the pipe must not hang the test, hence the bound).
    std::unique_lock lock(mutex_);
    changed_.wait_for(lock, scaled(std::chrono::seconds(5)), [this] { return output_ended_; });
    return exit_status_;
  };
  int status = 0;
  UniqueFd pidfd(pidfd_open_or_fail(pid_));
  if (pidfd) {
    pollfd p{pidfd.get(), POLLIN, 0};
    auto deadline = Clock::now() + timeout;
    for (;;) {
      int n = ::poll(&p, 1, static_cast<int>(remaining(deadline).count()));
      if (n < 0 && errno == EINTR) continue;
      break;
    }
    pid_t r = ::waitpid(pid_, &status, WNOHANG);
    if (r == pid_) return finish(status);
    return std::nullopt;
  }
  // No pidfd (old kernel): poll waitpid on a short period up to the deadline.
  auto deadline = Clock::now() + timeout;
  for (;;) {
    pid_t r = ::waitpid(pid_, &status, WNOHANG);
    if (r == pid_) return finish(status);
    if (Clock::now() >= deadline) return std::nullopt;
    ::usleep(10'000);
  }
}

std::optional<ExitStatus> ServerProcess::wait_exit(Duration timeout) { return reap_within(timeout); }

ExitStatus ServerProcess::terminate_and_wait(Duration timeout) {
  if (!running()) return exit_status_.value_or(ExitStatus{});
  ::kill(pid_, SIGTERM);
  if (auto st = reap_within(timeout)) return *st;
  std::cerr << "[parley harness] parleyd (pid " << pid_ << ") did not stop within the grace after SIGTERM; its threads:\n";
  describe_threads(pid_);
  killed_ = true;
  ::kill(pid_, SIGKILL);
  int status = 0;
  while (::waitpid(pid_, &status, 0) < 0 && errno == EINTR) {
  }
  exit_status_ = ExitStatus{status};
  pid_ = -1;
  return *exit_status_;
}

void ServerProcess::send_signal(int signo) {
  if (running()) ::kill(pid_, signo);
}

}  // namespace parley::test
