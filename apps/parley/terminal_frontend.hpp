#pragma once

#include <optional>
#include <string>

#include "frontend.hpp"
#include "painter.hpp"

namespace parley::client {

// For a person at a terminal: GNU readline edits the line being typed (with
// history), in callback mode so the session's poll() loop stays in charge.
// A server line is printed above the line being typed: the prompt and the
// half-typed text are cleared, the line is written, and both are redrawn
// as they were, cursor included.
//
// Each line shown starts with the local time ("14:05 ") when `show_time`.
// Tab completes names and rooms from the session's ChatState. Lines typed
// are kept in `history_file` (when not empty) across runs, at most
// kHistoryLength of them, passwords never (secret_input.hpp).
//
// Only one may exist at a time (readline is a singleton).
class TerminalFrontend final : public Frontend {
 public:
  static constexpr int kHistoryLength = 1000;

  TerminalFrontend(bool color, bool show_time, std::string prompt, std::string history_file);
  ~TerminalFrontend() override;
  TerminalFrontend(const TerminalFrontend&) = delete;
  TerminalFrontend& operator=(const TerminalFrontend&) = delete;

  int input_fd() const override;
  void read_input(InputSink& sink) override;
  void stop_input() override;
  void show(std::string_view line) override;
  bool flush_output() override;
  void resize() override;
  void suspend() override;
  void resume() override;
  void close() override;
  std::string draft() const override;
  void set_prompt(std::string_view prompt) override;
  void set_completer(const ChatState* chat) override { chat_ = chat; }
  void clear_draft() override;

 private:
  static void on_line(char* line);
  static int on_tab(int count, int key);
  // Prints `text` as a line above the prompt and the line being typed.
  void print_above(std::string_view text);
  // True when readline shows a prompt that a print must clear and redraw.
  bool prompt_shown() const { return editing_ && !in_line_handler_; }

  std::string prompt_;
  std::optional<Painter> painter_;
  bool show_time_ = false;
  std::string history_file_;
  const ChatState* chat_ = nullptr;
  InputSink* sink_ = nullptr;
  bool editing_ = false;          // the readline handler is installed
  bool in_line_handler_ = false;  // inside on_line: readline has moved past the prompt
  bool output_ok_ = true;
};

}  // namespace parley::client
