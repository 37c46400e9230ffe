#include "options.hpp"

#include <unistd.h>

#include <CLI/CLI.hpp>
#include <charconv>
#include <cstdio>
#include <cstdlib>
#include <iostream>
#include <optional>
#include <string>
#include <vector>

#include "exit_codes.hpp"

#ifndef PARLEY_VERSION
#define PARLEY_VERSION "unknown"
#endif

namespace parley::client {
namespace {

constexpr const char* kDefaultHost = "127.0.0.1";
constexpr std::uint16_t kDefaultPort = 7000;

constexpr const char* kFooter = R"(At a terminal, lines are edited with GNU readline (history with Up/Down,
kept in $XDG_STATE_HOME/parley/history, by default ~/.local/state/parley/history,
without passwords); Tab completes the names of the room's members and rooms;
the prompt shows the room you are talking in, and each line the local time.
LEAVE, /quit or Ctrl-D leave the chat; so does Ctrl-C on an empty line (with
a line typed, Ctrl-C asks first, and a second one throws the line away).
With standard input or output not a terminal, parley reads lines from
standard input and prints the server's lines, with no prompt or colour; at
the end of input it stops sending and prints what the server still sends
until the server closes.

Exit status: 0 after leaving, 1 when the connection was refused or lost,
2 on a usage error.)";

std::optional<std::uint16_t> parse_port(const std::string& text) {
  unsigned value = 0;
  const auto* end = text.data() + text.size();
  const auto [ptr, ec] = std::from_chars(text.data(), end, value);
  if (text.empty() || ec != std::errc{} || ptr != end || value < 1 || value > 65535) return std::nullopt;
  return static_cast<std::uint16_t>(value);
}

// One answer typed at the terminal; nullopt at the end of input.
std::optional<std::string> ask(const char* prompt) {
  std::cout << prompt << std::flush;
  std::string answer;
  if (!std::getline(std::cin, answer)) return std::nullopt;
  const auto first = answer.find_first_not_of(" \t\r");
  if (first == std::string::npos) return std::string{};
  return answer.substr(first, answer.find_last_not_of(" \t\r") - first + 1);
}

bool color_wanted(bool no_color_flag) {
  if (no_color_flag) return false;
  const char* no_color = std::getenv("NO_COLOR");  // https://no-color.org
  if (no_color != nullptr && *no_color != '\0') return false;
  const char* term = std::getenv("TERM");
  return term == nullptr || std::string_view(term) != "dumb";
}

// One argument: "7000" is a port, "host:7000" or "[::1]:7000" a host and a
// port, anything else (a name, an IPv6 address without brackets) a host.
void split_address(const std::string& arg, std::optional<std::string>& host, std::optional<std::string>& port) {
  if (!arg.empty() && arg.find_first_not_of("0123456789") == std::string::npos) {
    port = arg;
    return;
  }
  if (arg.starts_with('[')) {
    const auto close = arg.find(']');
    if (close != std::string::npos && (close + 1 == arg.size() || arg[close + 1] == ':')) {
      host = arg.substr(1, close - 1);
      if (close + 1 < arg.size()) port = arg.substr(close + 2);
      return;
    }
  }
  const auto colon = arg.find(':');
  if (colon != std::string::npos && colon == arg.rfind(':')) {
    host = arg.substr(0, colon);
    port = arg.substr(colon + 1);
    return;
  }
  host = arg;
}

int usage_error(const std::string& message) {
  std::fprintf(stderr, "parley: %s\nRun with --help for more information.\n", message.c_str());
  return kExitUsage;
}

}  // namespace

std::variant<Options, int> parse_options(int argc, char** argv) {
  CLI::App app{"parley: the terminal client of the Parley chat server.", "parley"};
  app.footer(kFooter);
  app.set_version_flag("--version", std::string("parley ") + PARLEY_VERSION);
  std::optional<std::string> host;
  std::optional<std::string> port_text;
  std::vector<std::string> where;
  bool no_color = false;
  app.add_option("ADDRESS", where,
                 "HOST PORT, PORT alone, HOST alone or HOST:PORT ([::1]:7000 for IPv6); default 127.0.0.1 7000")
      ->expected(0, 2);
  app.add_flag("--no-color", no_color, "Do not colour names and errors");
  bool no_time = false;
  app.add_flag("--no-time", no_time, "Do not put the local time (HH:MM) before each line shown at a terminal");
  bool reconnect = false, no_reconnect = false;
  app.add_flag("--reconnect", reconnect,
               "When the connection is lost, connect again (waiting 1 s, 2 s, 4 s ... up to 30 s) and log back in "
               "with the same name (the default at a terminal)");
  app.add_flag("--no-reconnect", no_reconnect, "Exit when the connection is lost (the default in a script)");
  try {
    app.parse(argc, argv);
  } catch (const CLI::ParseError& e) {
    const int code = app.exit(e);  // prints help, the version, or the error
    return code == 0 ? 0 : kExitUsage;
  }

  if (where.size() == 2) {
    host = where[0];
    port_text = where[1];
  } else if (where.size() == 1) {
    split_address(where[0], host, port_text);
  }

  Options options;
  options.interactive = ::isatty(STDIN_FILENO) && ::isatty(STDOUT_FILENO);
  options.color = options.interactive && color_wanted(no_color);
  options.show_time = options.interactive && !no_time;
  options.reconnect = !no_reconnect && (reconnect || options.interactive);

  if (port_text) {
    const auto port = parse_port(*port_text);
    if (!port) return usage_error("invalid port '" + *port_text + "' (expected a number from 1 to 65535)");
    options.endpoint.port = *port;
  } else if (!options.interactive) {
    options.endpoint.port = kDefaultPort;
  } else {
    for (;;) {
      const auto answer = ask("Enter port number: ");
      if (!answer) return usage_error("no port number was given");
      if (answer->empty()) {
        options.endpoint.port = kDefaultPort;
        break;
      }
      if (const auto port = parse_port(*answer)) {
        options.endpoint.port = *port;
        break;
      }
      std::cout << "A port is a number from 1 to 65535.\n";
    }
  }

  if (host) {
    if (host->empty()) return usage_error("the host cannot be empty");
    options.endpoint.host = *host;
  } else if (!options.interactive) {
    options.endpoint.host = kDefaultHost;
  } else {
    const auto answer = ask("Enter host number: ");
    if (!answer) return usage_error("no host was given");
    options.endpoint.host = answer->empty() ? kDefaultHost : *answer;
  }
  return options;
}

}  // namespace parley::client
