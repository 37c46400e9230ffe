#pragma once

#include <string>
#include <string_view>

namespace parley::client {

class ChatState;

// Where a frontend hands what the user typed.
class InputSink {
 public:
  virtual void user_line(std::string_view line) = 0;
  // The input ended (Ctrl-D at a terminal, end of a piped file).
  virtual void user_eof() = 0;

 protected:
  ~InputSink() = default;
};

// The user's side of a session: a terminal with readline, or pipes.
class Frontend {
 public:
  virtual ~Frontend() = default;

  // The descriptor to poll for the user's input; -1 once input has stopped.
  virtual int input_fd() const = 0;
  // input_fd() is readable: read it, handing `sink` each whole line and the
  // end of input. May call back into stop_input() through the sink.
  virtual void read_input(InputSink& sink) = 0;
  // Reads no more input (the session is leaving).
  virtual void stop_input() = 0;

  // Shows one server line, already sanitized. It may stay buffered until
  // flush_output().
  virtual void show(std::string_view line) = 0;
  // False when the output cannot be written (a closed pipe).
  virtual bool flush_output() = 0;

  // The line being typed and not yet sent ("" for none, or when input is not
  // edited here).
  virtual std::string draft() const { return {}; }
  // The prompt shown before the line being typed (a terminal's).
  virtual void set_prompt(std::string_view) {}
  // What Tab completes from; null for nothing. Must outlive its use (the
  // session sets it for its run and clears it at the end).
  virtual void set_completer(const ChatState*) {}
  // Throws away the line being typed.
  virtual void clear_draft() {}

  virtual void resize() {}   // SIGWINCH
  virtual void suspend() {}  // before stopping on SIGTSTP
  virtual void resume() {}   // SIGCONT

  // Gives the terminal back as it was; the session prints its last words
  // after this.
  virtual void close() = 0;
};

}  // namespace parley::client
