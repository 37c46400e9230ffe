#include "password_prompt.h"

#include <termios.h>
#include <unistd.h>

#include <iostream>

namespace parley::daemon {

namespace {

// One line from stdin; with `prompt` on a terminal, typed without echo.
std::optional<std::string> read_line(const char* prompt) {
  const bool terminal = ::isatty(STDIN_FILENO) == 1;
  termios saved{};
  if (terminal) {
    std::cerr << prompt << std::flush;
    ::tcgetattr(STDIN_FILENO, &saved);
    termios quiet = saved;
    quiet.c_lflag &= ~static_cast<tcflag_t>(ECHO);
    quiet.c_lflag |= ECHONL;  // the Enter key still moves to the next line
    ::tcsetattr(STDIN_FILENO, TCSAFLUSH, &quiet);
  }
  std::string line;
  const bool got = static_cast<bool>(std::getline(std::cin, line));
  if (terminal) ::tcsetattr(STDIN_FILENO, TCSAFLUSH, &saved);
  if (!got) return std::nullopt;
  if (!line.empty() && line.back() == '\r') line.pop_back();
  return line;
}

}  // namespace

std::optional<std::string> read_new_password() {
  auto password = read_line("Password: ");
  if (!password) return std::nullopt;
  if (::isatty(STDIN_FILENO) == 1) {
    auto again = read_line("Again: ");
    if (!again || *again != *password) {
      std::cerr << "parleyd: the two passwords differ; nothing was changed\n";
      return std::nullopt;
    }
  }
  return password;
}

}  // namespace parley::daemon
