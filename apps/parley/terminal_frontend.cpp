#include "terminal_frontend.hpp"

#include <fcntl.h>
#include <readline/history.h>
#include <readline/readline.h>
#include <termios.h>
#include <unistd.h>

#include <cstdio>
#include <cstdlib>
#include <cstring>
#include <ctime>
#include <string>

#include "chat_state.hpp"
#include "secret_input.hpp"
#include "state_files.hpp"

namespace parley::client {
namespace {

TerminalFrontend* g_instance = nullptr;  // readline's line callback is a plain function
constexpr std::string_view kDim = "\x1b[2m", kReset = "\x1b[0m";

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

TerminalFrontend::TerminalFrontend(bool color, bool show_time, std::string prompt, std::string history_file)
    : prompt_(std::move(prompt)), show_time_(show_time), history_file_(std::move(history_file)) {
  if (color) painter_.emplace();
  g_instance = this;
  rl_readline_name = "parley";   // for $if parley in ~/.inputrc
  rl_catch_signals = 0;          // the session's signal pipe handles them
  rl_catch_sigwinch = 0;
  rl_change_environment = 0;     // leave LINES and COLUMNS alone
  rl_inhibit_completion = 1;     // no file names to complete in a chat: Tab is on_tab's
  rl_bind_key('\t', &TerminalFrontend::on_tab);
  stifle_history(kHistoryLength);
  // The history of earlier runs. The file is made private first (readline
  // appends only to a file that exists), and cut to the last kHistoryLength
  // lines, so it stays bounded however long it is used.
  if (!history_file_.empty() && make_parent_directories(history_file_)) {
    const int fd = ::open(history_file_.c_str(), O_WRONLY | O_CREAT | O_APPEND | O_CLOEXEC, 0600);
    if (fd >= 0) ::close(fd);
    read_history(history_file_.c_str());
    history_truncate_file(history_file_.c_str(), kHistoryLength);
  } else {
    history_file_.clear();
  }
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
      if (last == nullptr || std::strcmp(last->line, line) != 0) {
        add_history(line);
        if (!self.history_file_.empty()) append_history(1, self.history_file_.c_str());
      }
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
  std::string out;
  if (show_time_) {
    const std::string time = time_prefix(std::time(nullptr));
    if (painter_) out.append(kDim).append(time).append(kReset);
    else out.append(time);
  }
  if (painter_) out += painter_->paint(line);
  else out.append(line);
  print_above(out);
}

void TerminalFrontend::print_above(std::string_view text) {
  const bool redraw = prompt_shown();
  if (redraw) rl_clear_visible_line();  // the cursor is now where the prompt started
  std::fwrite(text.data(), 1, text.size(), stdout);
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
  if (!history_file_.empty()) history_truncate_file(history_file_.c_str(), kHistoryLength);
}

std::string TerminalFrontend::draft() const {
  if (!editing_ || rl_line_buffer == nullptr) return {};
  return std::string(rl_line_buffer, static_cast<std::size_t>(rl_end));
}

void TerminalFrontend::set_prompt(std::string_view prompt) {
  if (prompt == prompt_) return;
  prompt_ = std::string(prompt);
  if (!editing_) return;
  const bool redraw = prompt_shown();
  if (redraw) rl_clear_visible_line();  // the old prompt goes; the cursor is where it started
  rl_set_prompt(prompt_.c_str());
  if (redraw) {
    rl_on_new_line();
    masked_redisplay();
  }
}

void TerminalFrontend::clear_draft() {
  if (!editing_) return;
  rl_replace_line("", 1);
  rl_point = 0;
  if (prompt_shown()) masked_redisplay();
}

int TerminalFrontend::on_tab(int, int) {
  TerminalFrontend& self = *g_instance;
  const std::string_view line(rl_line_buffer, static_cast<std::size_t>(rl_end));
  const auto completion = self.chat_ ? self.chat_->complete(line, static_cast<std::size_t>(rl_point)) : std::nullopt;
  if (!completion) {
    rl_ding();
    return 0;
  }
  if (!completion->choices.empty()) {
    std::string all;
    for (const auto& choice : completion->choices) all.append(all.empty() ? "" : "   ").append(choice);
    self.print_above(all);
  }
  rl_begin_undo_group();
  rl_delete_text(static_cast<int>(completion->from), static_cast<int>(completion->to));
  rl_point = static_cast<int>(completion->from);
  rl_insert_text(completion->text.c_str());
  rl_end_undo_group();
  return 0;
}

}  // namespace parley::client
