#include "terminal_frontend.hpp"

#include <readline/history.h>
#include <readline/readline.h>
#include <termios.h>
#include <unistd.h>

#include <cstdio>
#include <cstdlib>
#include <cstring>
#include <string>

#include "secret_input.hpp"

namespace parley::client {
namespace {

TerminalFrontend* g_instance = nullptr;  // readline's line callback is a plain function
constexpr int kHistoryLength = 1000;

int g_eof_char = 4;         // the terminal's end-of-file key, Ctrl-D by default
bool g_eof_typed = false;  // the last line was "accepted" by that key on an empty line

// Readline's own handling of the end-of-file key leaves the cursor on the
// prompt's line or below it, depending on settings (bracketed paste); so the
// key on an empty line is turned into Enter, whose output is always the same,
// and remembered.
int read_key(FILE* in) {
  const int c = rl_getc(in);
  if (c == g_eof_char && rl_end == 0 && !RL_ISSTATE(RL_STATE_MULTIKEY | RL_STATE_ISEARCH | RL_STATE_NSEARCH)) {
    g_eof_typed = true;
    return '\n';
  }
  return c;
}

// Draws the line with its password part (secret_start) as '*': the buffer is
// masked for the drawing only, byte for byte, so readline's cursor
// arithmetic stays right.
void masked_redisplay() {
  const std::size_t from = secret_start(std::string_view(rl_line_buffer, static_cast<std::size_t>(rl_end)));
  if (from == std::string_view::npos || from >= static_cast<std::size_t>(rl_end)) return rl_redisplay();
  const std::string secret(rl_line_buffer + from, rl_line_buffer + rl_end);
  std::memset(rl_line_buffer + from, '*', secret.size());
  rl_redisplay();
  std::memcpy(rl_line_buffer + from, secret.data(), secret.size());
}

}  // namespace

TerminalFrontend::TerminalFrontend(bool color, std::string prompt) : prompt_(std::move(prompt)) {
  if (color) painter_.emplace();
  g_instance = this;
  rl_readline_name = "parley";   // for $if parley in ~/.inputrc
  rl_catch_signals = 0;          // the session's signal pipe handles them
  rl_catch_sigwinch = 0;
  rl_change_environment = 0;     // leave LINES and COLUMNS alone
  rl_inhibit_completion = 1;     // Tab inserts itself; no file names to complete in a chat
  stifle_history(kHistoryLength);
  if (termios t{}; ::tcgetattr(STDIN_FILENO, &t) == 0 && t.c_cc[VEOF] != _POSIX_VDISABLE) g_eof_char = t.c_cc[VEOF];
  rl_getc_function = read_key;
  rl_redisplay_function = masked_redisplay;
  rl_callback_handler_install(prompt_.c_str(), &TerminalFrontend::on_line);
  editing_ = true;
}

TerminalFrontend::~TerminalFrontend() {
  close();
  g_instance = nullptr;
}

int TerminalFrontend::input_fd() const { return editing_ ? STDIN_FILENO : -1; }

void TerminalFrontend::read_input(InputSink& sink) {
  sink_ = &sink;
  rl_callback_read_char();  // may call on_line
}

void TerminalFrontend::on_line(char* line) {
  TerminalFrontend& self = *g_instance;
  self.in_line_handler_ = true;
  if (g_eof_typed || line == nullptr) {
    // Ctrl-D on an empty line. It came as Enter, so the cursor is at the
    // start of the line below the prompt: clear the prompt.
    if (g_eof_typed) std::fputs("\x1b[A\x1b[2K", rl_outstream);
    std::fflush(rl_outstream);
    g_eof_typed = false;
    std::free(line);
    self.sink_->user_eof();
  } else {
    if (*line != '\0' && secret_start(line) == std::string_view::npos) {  // passwords stay out of the history
      const HIST_ENTRY* last = history_get(history_base + history_length - 1);
      if (last == nullptr || std::strcmp(last->line, line) != 0) add_history(line);
    }
    self.sink_->user_line(line);
    std::free(line);
  }
  self.in_line_handler_ = false;
}

void TerminalFrontend::stop_input() {
  if (!editing_) return;
  if (prompt_shown()) {
    rl_replace_line("", 0);  // what was half typed is not sent
    rl_clear_visible_line();
    std::fflush(rl_outstream);
  }
  // Inside on_line readline has already given the terminal back; outside,
  // this gives it back.
  rl_callback_handler_remove();
  editing_ = false;
}

void TerminalFrontend::show(std::string_view line) {
  const bool redraw = prompt_shown();
  if (redraw) rl_clear_visible_line();  // the cursor is now where the prompt started
  if (painter_) {
    const std::string painted = painter_->paint(line);
    std::fwrite(painted.data(), 1, painted.size(), stdout);
  } else {
    std::fwrite(line.data(), 1, line.size(), stdout);
  }
  std::fputc('\n', stdout);
  if (std::fflush(stdout) != 0) output_ok_ = false;
  if (redraw) {
    rl_on_new_line();  // the prompt and the text typed so far, cursor and all, one line down
    masked_redisplay();
  }
}

bool TerminalFrontend::flush_output() { return std::fflush(stdout) == 0 && output_ok_; }

void TerminalFrontend::resize() {
  if (editing_) rl_resize_terminal();
}

void TerminalFrontend::suspend() {
  if (!editing_) return;
  rl_clear_visible_line();
  std::fflush(rl_outstream);
  rl_deprep_terminal();
}

void TerminalFrontend::resume() {
  if (!editing_) return;
  rl_deprep_terminal();  // whatever the shell left, start from the saved modes
  rl_prep_terminal(1);
  rl_forced_update_display();
}

void TerminalFrontend::close() {
  stop_input();
  std::fflush(stdout);
}

}  // namespace parley::client
