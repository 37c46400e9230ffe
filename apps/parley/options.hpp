#pragma once

#include <variant>

#include "endpoint.hpp"

namespace parley::client {

struct Options {
  Endpoint endpoint;
  bool interactive = false;  // standard input and output are both terminals
  bool color = false;        // paint names and errors
  bool reconnect = false;    // connect again when the connection is lost (default: at a terminal)
  bool show_time = false;    // the local time before each line (at a terminal, unless --no-time)
};

// Reads `parley [--no-color] [--no-time] [HOST PORT | PORT | HOST | HOST:PORT]`. At a terminal it asks for what
// it was not given, as the seed client did ("Enter port number: ", then
// "Enter host number: "; an empty answer takes the default); elsewhere
// HOST defaults to 127.0.0.1 and PORT to 7000.
//
// Returns the options, or the exit status to end with at once: 0 after
// --help or --version, kExitUsage after a usage error (already reported).
std::variant<Options, int> parse_options(int argc, char** argv);

}  // namespace parley::client
