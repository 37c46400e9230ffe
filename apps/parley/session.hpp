#pragma once

#include <chrono>
#include <optional>
#include <string>
#include <string_view>

#include "chat_state.hpp"
#include "endpoint.hpp"
#include "frontend.hpp"
#include "interrupt_guard.hpp"
#include "server_link.hpp"
#include "signal_pipe.hpp"

namespace parley::client {

struct SessionPolicy {
  // At the end of input: send LEAVE (a terminal's Ctrl-D), or else end our
  // half of the stream and print what the server still sends (a script).
  bool eof_sends_leave = false;
  // How long to wait for the server to close after a LEAVE or /quit the user
  // typed has been sent; no value waits until the server closes.
  std::optional<std::chrono::milliseconds> leave_grace;
  // When the connection is lost, leave the frontend open (the caller
  // reconnects, and the half-typed line stays where it is).
  bool keep_frontend_when_lost = false;
  // A person at a terminal: after the welcome the session asks "/who" of its
  // own (its answer is not shown) to learn the room and its members, keeps
  // the prompt on the current room, and Ctrl-C asks before throwing a draft
  // away (InterruptGuard).
  bool at_terminal = false;
};

// Runs one connection to its end: polls the server, the user's input and
// the signal pipe; sends what the user types, shows (sanitized) what the
// server sends, and decides how it ended.
//
// The exit status it returns: kExitLeft when the server closed after we left
// (LEAVE, /quit, Ctrl-D, a signal, the end of piped input, or the server's
// own "LEAVE"), or when the server did not close within the grace period
// after our LEAVE; kExitLost, after printing
// "parley: connection to HOST:PORT lost" on stderr, when the connection
// ended otherwise.
class Session final : private InputSink {
 public:
  // `rejoin_as`: a name to give at the server's name prompt without asking
  // the user (after a reconnection).
  Session(Endpoint endpoint, ServerLink& link, Frontend& frontend, SignalPipe& signals, SessionPolicy policy,
          std::string rejoin_as = {});
  int run();
  // The name the server welcomed us by ("" before that).
  const std::string& name() const { return name_; }
  // run() ended because the connection was lost (not by us, not a broken output).
  bool lost() const { return lost_; }

 private:
  using Clock = std::chrono::steady_clock;

  void user_line(std::string_view line) override;
  void user_eof() override;

  // Sends LEAVE (when our side is still open) and stops reading input; the
  // server has `grace` to close after it has been sent.
  void leave(std::optional<std::chrono::milliseconds> grace);
  // Handles the caught signals; true when the session must end now.
  bool handle_signals();
  void on_server_line(std::string_view raw);
  int poll_timeout_ms() const;
  int finish(bool output_failed = false);
  bool ended_by_us() const { return leaving_ || input_ended_ || server_said_leave_; }

  Endpoint endpoint_;
  ServerLink& link_;
  Frontend& frontend_;
  SignalPipe& signals_;
  SessionPolicy policy_;

  bool leaving_ = false;            // we sent (or queued) LEAVE or /quit
  bool input_ended_ = false;        // piped input ended; our half is closed
  bool server_said_leave_ = false;  // the server sent "LEAVE", as it does before closing
  std::optional<std::chrono::milliseconds> grace_;
  std::optional<Clock::time_point> deadline_;
  std::string rejoin_as_;
  std::string name_;
  bool lost_ = false;
  ChatState chat_;
  InterruptGuard interrupts_;
};

}  // namespace parley::client
