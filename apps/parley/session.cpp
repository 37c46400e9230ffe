#include "session.hpp"

#include <poll.h>

#include <cerrno>
#include <csignal>
#include <cstdio>

#include "exit_codes.hpp"
#include "leave_command.hpp"
#include "sanitize.hpp"

namespace parley::client {
namespace {

using namespace std::chrono_literals;

// Waiting for the server to close after a signal made us leave.
constexpr auto kSignalGrace = 2000ms;
// Past this many unsent bytes, input is not read until the server catches up.
constexpr std::size_t kMaxBacklog = 256 * 1024;

// The server's first line; a name answers it.
constexpr std::string_view kGreeting = "Welcome to Chat room. To join enter your Name and begin chatting.";

bool ready(const pollfd& p, short events) { return (p.revents & (events | POLLHUP | POLLERR | POLLNVAL)) != 0; }

}  // namespace

Session::Session(Endpoint endpoint, ServerLink& link, Frontend& frontend, SignalPipe& signals, SessionPolicy policy,
                 std::string rejoin_as)
    : endpoint_(std::move(endpoint)),
      link_(link),
      frontend_(frontend),
      signals_(signals),
      policy_(policy),
      rejoin_as_(std::move(rejoin_as)) {}

void Session::user_line(std::string_view line) {
  if (leaving_ || input_ended_) return;
  link_.queue_line(line);
  if (is_leave_command(line)) {
    leaving_ = true;  // already queued; leave() would queue a second LEAVE
    grace_ = policy_.leave_grace;
    frontend_.stop_input();
  }
}

void Session::user_eof() {
  if (leaving_ || input_ended_) return;
  if (policy_.eof_sends_leave) {
    leave(policy_.leave_grace);
    return;
  }
  input_ended_ = true;
  link_.close_when_sent();
  frontend_.stop_input();
}

void Session::leave(std::optional<std::chrono::milliseconds> grace) {
  if (!leaving_ && !input_ended_) link_.queue_line(kLeave);
  leaving_ = true;
  grace_ = grace;
  frontend_.stop_input();
}

bool Session::handle_signals() {
  for (const int sig : signals_.take()) {
    switch (sig) {
      case SIGINT:
        if (policy_.at_terminal && !leaving_) {
          const auto decision = interrupts_.on_interrupt(frontend_.draft());
          if (decision == InterruptGuard::Decision::ask) {
            frontend_.show("parley: press Ctrl-C again to throw away the line you are typing (Enter sends it).");
            break;
          }
          if (decision == InterruptGuard::Decision::discard) {
            frontend_.clear_draft();
            break;
          }
        }
        [[fallthrough]];
      case SIGTERM:
      case SIGHUP:
      case SIGQUIT:
        if (grace_ == kSignalGrace) return true;  // a second one: do not wait any longer
        leave(kSignalGrace);
        deadline_.reset();  // restart the wait with the shorter grace
        break;
      case SIGWINCH:
        frontend_.resize();
        break;
      case SIGTSTP:
        frontend_.suspend();
        std::signal(SIGTSTP, SIG_DFL);
        std::raise(SIGTSTP);  // stops here until SIGCONT
        signals_.watch({SIGTSTP});
        break;
      case SIGCONT:
        frontend_.resume();
        break;
      default:
        break;
    }
  }
  return false;
}

void Session::on_server_line(std::string_view raw) {
  if (raw == kLeave) server_said_leave_ = true;
  const std::string line = sanitize_for_terminal(raw);
  if (chat_.on_server_line(line)) frontend_.show(line);
  if (policy_.at_terminal) frontend_.set_prompt(chat_.prompt());
  if (raw == kGreeting && !rejoin_as_.empty()) {
    link_.queue_line(rejoin_as_);
    rejoin_as_.clear();
  }
  constexpr std::string_view kWelcome = "Welcome ", kWelcomeEnd = " to chatroom! Enter LEAVE to exit the chatroom";
  if (name_.empty() && raw.starts_with(kWelcome) && raw.ends_with(kWelcomeEnd) &&
      raw.size() > kWelcome.size() + kWelcomeEnd.size()) {
    name_ = raw.substr(kWelcome.size(), raw.size() - kWelcome.size() - kWelcomeEnd.size());
    if (policy_.at_terminal) {  // which room the server put us in, and who is there
      link_.queue_line("/who");
      chat_.asked_who();
    }
  }
}

int Session::poll_timeout_ms() const {
  if (!deadline_) return -1;
  const auto left = std::chrono::ceil<std::chrono::milliseconds>(*deadline_ - Clock::now());
  return left.count() < 0 ? 0 : static_cast<int>(left.count());
}

int Session::finish(bool output_failed) {
  frontend_.set_completer(nullptr);  // chat_ ends with this session
  if (policy_.at_terminal) frontend_.set_prompt(ChatState().prompt());
  const bool flushed = frontend_.flush_output();
  if (!policy_.keep_frontend_when_lost || output_failed || !flushed || ended_by_us()) frontend_.close();
  if (output_failed || !flushed) {
    std::fputs("parley: cannot write to standard output\n", stderr);
    return kExitLost;
  }
  if (ended_by_us()) return kExitLeft;
  lost_ = true;
  std::fprintf(stderr, "parley: connection to %s lost\n", endpoint_.display().c_str());
  return kExitLost;
}

int Session::run() {
  if (policy_.at_terminal) frontend_.set_completer(&chat_);
  const auto on_line = [this](std::string_view raw) { on_server_line(raw); };
  for (;;) {
    pollfd fds[3] = {
        {link_.fd(), static_cast<short>(POLLIN | (link_.queued_bytes() > 0 ? POLLOUT : 0)), 0},
        {signals_.fd(), POLLIN, 0},
        {-1, POLLIN, 0},  // a negative fd is ignored by poll
    };
    // Rejoining: what the user types waits until the name has answered the greeting.
    if (link_.queued_bytes() < kMaxBacklog && rejoin_as_.empty()) fds[2].fd = frontend_.input_fd();

    if (::poll(fds, 3, poll_timeout_ms()) < 0) {
      if (errno == EINTR) continue;
      return finish();
    }
    // The pipe is read even when poll did not report it: a signal that came
    // as poll returned (Ctrl-C, then keys) is handled before those keys.
    if (handle_signals()) return finish();
    if (ready(fds[0], POLLIN)) {
      const auto status = link_.read(on_line);
      if (status != ServerLink::Status::Open) return finish();
      if (!frontend_.flush_output()) return finish(true);
    }
    if (fds[2].fd >= 0 && ready(fds[2], POLLIN)) frontend_.read_input(*this);

    // Send what was typed now, not one poll later.
    if (link_.flush() == ServerLink::Status::Failed) return finish();

    if (leaving_ && grace_ && !deadline_ && link_.queued_bytes() == 0) deadline_ = Clock::now() + *grace_;
    if (deadline_ && Clock::now() >= *deadline_) return finish();
  }
}

}  // namespace parley::client
