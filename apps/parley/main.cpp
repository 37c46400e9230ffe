// parley: the terminal client of the Parley chat server (docs/text-protocol.md).

#include <fcntl.h>
#include <poll.h>

#include <algorithm>
#include <chrono>
#include <clocale>
#include <csignal>
#include <cstdio>
#include <exception>
#include <string>

#include "connect.hpp"
#include "exit_codes.hpp"
#include "options.hpp"
#include "piped_frontend.hpp"
#include "server_link.hpp"
#include "session.hpp"
#include "signal_pipe.hpp"
#include "state_files.hpp"
#include "terminal_frontend.hpp"

namespace {

using namespace parley::client;
using namespace std::chrono_literals;

constexpr auto kConnectTimeout = 10s;
// After LEAVE at a terminal, how long to wait for the server to close.
constexpr auto kLeaveGrace = 2s;
// Reconnecting: the first wait, doubled after each failed try up to the last.
constexpr std::chrono::milliseconds kFirstRetry = 1s;
constexpr std::chrono::milliseconds kLastRetry = 30s;

// Opens /dev/null on any of descriptors 0-2 that is closed, so the socket
// opened later cannot become "standard input".
void ensure_standard_fds() {
  for (int fd = 0; fd <= 2; ++fd) {
    if (::fcntl(fd, F_GETFD) < 0) ::open("/dev/null", fd == 0 ? O_RDONLY : O_WRONLY);
  }
}

// Waits `delay`; true when a signal asked us to stop meanwhile.
bool wait_or_stop(SignalPipe& signals, std::chrono::milliseconds delay) {
  const auto until = std::chrono::steady_clock::now() + delay;
  for (;;) {
    const auto left = std::chrono::ceil<std::chrono::milliseconds>(until - std::chrono::steady_clock::now());
    if (left.count() <= 0) return false;
    pollfd p{signals.fd(), POLLIN, 0};
    if (::poll(&p, 1, static_cast<int>(left.count())) > 0) {
      for (const int sig : signals.take()) {
        if (sig == SIGINT || sig == SIGTERM || sig == SIGHUP || sig == SIGQUIT) return true;
      }
    }
  }
}

// One session after another: when a connection is lost (and reconnecting is
// on), connects again with back-off (1 s, 2 s, 4 s ... at most 30 s) and logs
// back in with the name the server welcomed us by. The frontend, and the
// line being typed in it, outlive each connection.
int run_sessions(const Options& options, UniqueFd socket, Frontend& frontend, SignalPipe& signals,
                 SessionPolicy policy) {
  std::string name;
  for (;;) {
    ServerLink link(std::move(socket));
    Session session(options.endpoint, link, frontend, signals, policy, name);
    const int status = session.run();
    if (!options.reconnect || !session.lost()) return status;
    if (!session.name().empty()) name = session.name();
    for (std::chrono::milliseconds delay = kFirstRetry;; delay = std::min(2 * delay, kLastRetry)) {
      std::fprintf(stderr, "parley: reconnecting to %s in %lld s\n", options.endpoint.display().c_str(),
                   static_cast<long long>(std::chrono::duration_cast<std::chrono::seconds>(delay).count()));
      if (wait_or_stop(signals, delay)) {
        frontend.close();
        return kExitLost;
      }
      auto connected = connect_to(options.endpoint, kConnectTimeout);
      if (connected.socket.valid()) {
        socket = std::move(connected.socket);
        break;
      }
      std::fprintf(stderr, "parley: cannot connect to %s: %s\n", options.endpoint.display().c_str(),
                   connected.error.c_str());
    }
  }
}

int run(int argc, char** argv) {
  ensure_standard_fds();
  std::setlocale(LC_CTYPE, "");  // readline edits multibyte (UTF-8) text by the locale
  const auto parsed = parse_options(argc, argv);
  if (const int* status = std::get_if<int>(&parsed)) return *status;
  const auto& options = std::get<Options>(parsed);

  std::signal(SIGPIPE, SIG_IGN);  // a closed socket or pipe is an error to handle, not a death
  auto connected = connect_to(options.endpoint, kConnectTimeout);
  if (!connected.socket.valid()) {
    std::fprintf(stderr, "parley: cannot connect to %s: %s\n", options.endpoint.display().c_str(),
                 connected.error.c_str());
    return kExitLost;
  }
  SignalPipe signals;
  signals.watch({SIGINT, SIGTERM, SIGHUP, SIGQUIT});

  if (options.interactive) {
    signals.watch({SIGWINCH, SIGTSTP, SIGCONT});
    TerminalFrontend terminal(options.color, options.show_time, "> ", history_path());
    return run_sessions(options, std::move(connected.socket), terminal, signals,
                        {.eof_sends_leave = true, .leave_grace = kLeaveGrace,
                         .keep_frontend_when_lost = options.reconnect, .at_terminal = true});
  }
  PipedFrontend pipes;
  return run_sessions(options, std::move(connected.socket), pipes, signals,
                      {.eof_sends_leave = false, .leave_grace = std::nullopt,
                       .keep_frontend_when_lost = options.reconnect, .at_terminal = false});
}

}  // namespace

int main(int argc, char** argv) {
  try {
    return run(argc, argv);
  } catch (const std::exception& e) {
    std::fprintf(stderr, "parley: %s\n", e.what());
    return kExitLost;
  }
}
