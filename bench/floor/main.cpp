// parley-floor: the bare broadcaster bench/compare measures beside Parley
// (floor_server.h says what it does and does not do).
//
//   parley-floor [--host 127.0.0.1] [--port 6667]
//
// --port 0 lets the kernel choose. The first line on stdout is
// "floor: listening on HOST:PORT", flushed, for scripts and tests to read.
// SIGTERM or SIGINT ends it.
#include <csignal>
#include <cstdio>
#include <cstdlib>
#include <cstring>
#include <exception>
#include <string>

#include "floor_server.h"

namespace {

volatile std::sig_atomic_t stop_requested = 0;

void on_signal(int) { stop_requested = 1; }

[[noreturn]] void usage() {
  std::fprintf(stderr, "usage: parley-floor [--host IPV4] [--port N]\n");
  std::exit(2);
}

}  // namespace

int main(int argc, char** argv) {
  std::string host = "127.0.0.1";
  long port = 6667;
  for (int i = 1; i < argc; ++i) {
    if (i + 1 < argc && std::strcmp(argv[i], "--host") == 0) {
      host = argv[++i];
    } else if (i + 1 < argc && std::strcmp(argv[i], "--port") == 0) {
      char* end = nullptr;
      port = std::strtol(argv[++i], &end, 10);
      if (*end != '\0' || port < 0 || port > 65535) usage();
    } else {
      usage();
    }
  }
  struct sigaction sa{};
  sa.sa_handler = on_signal;
  sigemptyset(&sa.sa_mask);
  sigaction(SIGTERM, &sa, nullptr);
  sigaction(SIGINT, &sa, nullptr);
  try {
    parley::floor::FloorServer server(host, static_cast<std::uint16_t>(port));
    std::printf("floor: listening on %s:%u\n", host.c_str(), static_cast<unsigned>(server.port()));
    std::fflush(stdout);
    server.run(stop_requested);
  } catch (const std::exception& e) {
    std::fprintf(stderr, "parley-floor: %s\n", e.what());
    return 1;
  }
  return 0;
}
