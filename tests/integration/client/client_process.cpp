#include "client_process.hpp"

#include <fcntl.h>
#include <poll.h>
#include <spawn.h>
#include <sys/syscall.h>
#include <sys/wait.h>
#include <unistd.h>

#include <array>
#include <cerrno>
#include <csignal>
#include <stdexcept>
#include <tuple>

extern char** environ;

namespace parley::test {
namespace {

void close_fd(int& fd) {
  if (fd >= 0) ::close(fd);
  fd = -1;
}

int exit_code(int status) {
  if (WIFEXITED(status)) return WEXITSTATUS(status);
  if (WIFSIGNALED(status)) return 128 + WTERMSIG(status);
  return -1;
}

}  // namespace

ClientProcess::ClientProcess(const std::vector<std::string>& args) {
  std::signal(SIGPIPE, SIG_IGN);  // writing to a client that has exited must fail, not kill the test
  int in[2], out[2], err[2];
  if (::pipe2(in, O_CLOEXEC) < 0 || ::pipe2(out, O_CLOEXEC) < 0 || ::pipe2(err, O_CLOEXEC) < 0) {
    throw std::runtime_error("pipe2 failed");
  }
  posix_spawn_file_actions_t actions;
  posix_spawn_file_actions_init(&actions);
  posix_spawn_file_actions_adddup2(&actions, in[0], STDIN_FILENO);
  posix_spawn_file_actions_adddup2(&actions, out[1], STDOUT_FILENO);
  posix_spawn_file_actions_adddup2(&actions, err[1], STDERR_FILENO);

  std::vector<std::string> argv_storage{PARLEY_CLIENT_BIN};
  argv_storage.insert(argv_storage.end(), args.begin(), args.end());
  std::vector<char*> argv;
  for (auto& a : argv_storage) argv.push_back(a.data());
  argv.push_back(nullptr);

  const int rc = ::posix_spawn(&pid_, PARLEY_CLIENT_BIN, &actions, nullptr, argv.data(), environ);
  posix_spawn_file_actions_destroy(&actions);
  ::close(in[0]);
  ::close(out[1]);
  ::close(err[1]);
  stdin_ = in[1];
  stdout_ = out[0];
  stderr_ = err[0];
  if (rc != 0) {
    pid_ = -1;
    throw std::runtime_error("cannot start " PARLEY_CLIENT_BIN);
  }
  pidfd_ = static_cast<int>(::syscall(SYS_pidfd_open, pid_, 0));
  if (pidfd_ < 0) {
    kill_and_reap();
    throw std::runtime_error("pidfd_open failed");
  }
}

ClientProcess::~ClientProcess() {
  kill_and_reap();
  close_fd(stdin_);
  close_fd(stdout_);
  close_fd(stderr_);
  close_fd(pidfd_);
}

void ClientProcess::kill_and_reap() {
  if (pid_ < 0) return;
  ::kill(pid_, SIGKILL);
  int status = 0;
  while (::waitpid(pid_, &status, 0) < 0 && errno == EINTR) {
  }
  pid_ = -1;
}

void ClientProcess::type(std::string_view text) {
  while (!text.empty()) {
    const auto n = ::write(stdin_, text.data(), text.size());
    if (n < 0 && errno == EINTR) continue;
    if (n < 0) throw std::runtime_error("cannot write to the client's standard input");
    text.remove_prefix(static_cast<std::size_t>(n));
  }
}

void ClientProcess::end_input() { close_fd(stdin_); }

void ClientProcess::signal(int sig) {
  if (pid_ >= 0) ::kill(pid_, sig);
}

bool ClientProcess::pump(Deadline deadline) {
  for (;;) {
    if (stdout_ < 0 && stderr_ < 0) return false;
    const auto left = std::chrono::ceil<std::chrono::milliseconds>(deadline - std::chrono::steady_clock::now());
    if (left.count() <= 0) return false;
    std::array<pollfd, 2> fds{{{stdout_, POLLIN, 0}, {stderr_, POLLIN, 0}}};
    const int n = ::poll(fds.data(), fds.size(), static_cast<int>(left.count()));
    if (n < 0 && errno == EINTR) continue;
    if (n <= 0) return false;
    for (auto [p, fd, sink] : {std::tuple{&fds[0], &stdout_, &out_}, std::tuple{&fds[1], &stderr_, &err_}}) {
      if (p->revents == 0) continue;
      std::array<char, 4096> buf;
      const auto got = ::read(*fd, buf.data(), buf.size());
      if (got > 0) {
        sink->append(buf.data(), static_cast<std::size_t>(got));
      } else if (got == 0 || errno != EINTR) {
        close_fd(*fd);
      }
    }
    return true;
  }
}

bool ClientProcess::wait_for_output(std::string_view needle, Deadline deadline) {
  while (out_.find(needle) == std::string::npos) {
    if (!pump(deadline)) return out_.find(needle) != std::string::npos;
  }
  return true;
}

ClientProcess::Exit ClientProcess::wait(Deadline deadline) {
  while (pump(deadline)) {
  }
  // Both pipes end when it exits; the pidfd tells when it has.
  Exit result;
  if (pid_ < 0 || !wait_readable(pidfd_, deadline)) {
    kill_and_reap();
    return result;
  }
  int status = 0;
  while (::waitpid(pid_, &status, 0) < 0 && errno == EINTR) {
  }
  pid_ = -1;
  result.exited = true;
  result.code = exit_code(status);
  return result;
}

}  // namespace parley::test
