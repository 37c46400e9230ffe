// parley: the terminal client of the Parley chat server (docs/text-protocol.md).

#include <fcntl.h>

#include <clocale>
#include <csignal>
#include <cstdio>
#include <exception>

#include "connect.hpp"
#include "exit_codes.hpp"
#include "options.hpp"
#include "piped_frontend.hpp"
#include "server_link.hpp"
#include "session.hpp"
#include "signal_pipe.hpp"
#include "terminal_frontend.hpp"

namespace {

using namespace parley::client;
using namespace std::chrono_literals;

constexpr auto kConnectTimeout = 10s;
// After LEAVE at a terminal, how long to wait for the server to close.
constexpr auto kLeaveGrace = 2s;

// Opens /dev/null on any of descriptors 0-2 that is closed, so the socket
// opened later cannot become "standard input".
void ensure_standard_fds() {
  for (int fd = 0; fd <= 2; ++fd) {
    if (::fcntl(fd, F_GETFD) < 0) ::open("/dev/null", fd == 0 ? O_RDONLY : O_WRONLY);
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
  ServerLink link(std::move(connected.socket));
  SignalPipe signals;
  signals.watch({SIGINT, SIGTERM, SIGHUP, SIGQUIT});

  if (options.interactive) {
    signals.watch({SIGWINCH, SIGTSTP, SIGCONT});
    TerminalFrontend terminal(options.color, "> ");
    Session session(options.endpoint, link, terminal, signals, {.eof_sends_leave = true, .leave_grace = kLeaveGrace});
    return session.run();
  }
  PipedFrontend pipes;
  Session session(options.endpoint, link, pipes, signals, {.eof_sends_leave = false, .leave_grace = std::nullopt});
  return session.run();
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
