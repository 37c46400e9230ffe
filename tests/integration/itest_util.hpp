#pragma once
// Helpers shared by the integration tests (header-only; each test executable
// includes it once).

#include <gtest/gtest.h>

#include <cstdio>
#include <cstdlib>
#include <exception>
#include <memory>
#include <string>
#include <string_view>
#include <vector>

#include "line_client.hpp"
#include "server_process.hpp"
#include "text_util.hpp"

namespace parley::test {

using namespace std::chrono_literals;

// The server's event loops: PARLEY_ITEST_THREADS from the environment, which
// CMake sets for each test (2 in the *_mt runs of the same executable); 1
// when the variable is unset, as when a test binary is run by hand.
inline int threads_from_environment() {
  const char* value = std::getenv("PARLEY_ITEST_THREADS");
  if (value == nullptr || *value == '\0') return 1;
  const int threads = std::atoi(value);
  if (threads < 1 || threads > 64) {
    std::fprintf(stderr, "PARLEY_ITEST_THREADS=%s: expected a number of loops from 1 to 64\n", value);
    std::exit(2);
  }
  return threads;
}
inline const int kThreads = threads_from_environment();

// A config with no input pacing and no per-address cap, for tests that send
// many lines or open many connections; `extra` is appended (TOML lines under
// [limits] go after "[limits]" here, so pass bare keys for that table).
inline std::string unlimited_config(std::string_view extra_limits = {}) {
  std::string toml = "[limits]\nmessages_per_second = 0\nconnections_per_address = 0\n";
  toml += extra_limits;
  return toml;
}

// Registers `client` as `name` and checks that each of `others` (already in
// the room) hears "<name> has joined the chat room!" as its next line.
[[nodiscard]] inline ::testing::AssertionResult join_room(LineClient& client, std::string_view name,
                                                          const std::vector<LineClient*>& others) {
  if (auto r = client.register_as(name); !r) return r;
  for (LineClient* o : others) {
    if (auto r = o->expect_line(joined_line(name)); !r) return r << "\n  (waiting for " << name << " to join)";
  }
  return ::testing::AssertionSuccess();
}

// `client` says `text`; every one of `members` (the sender included, if it is
// listed) must receive the message line next.
[[nodiscard]] inline ::testing::AssertionResult say(LineClient& client, std::string_view name, std::string_view text,
                                                    const std::vector<LineClient*>& members) {
  client.send_line(text);
  for (LineClient* m : members) {
    if (auto r = m->expect_line(message_line(name, text)); !r) return r;
  }
  return ::testing::AssertionSuccess();
}

// Runs `body`, turning an exception (a send to a closed peer, say) into a
// test failure: for thread bodies, where an escaping exception would
// terminate the test process and leak the servers' temporary directories.
template <class Body>
void guarded(Body&& body) {
  try {
    body();
  } catch (const std::exception& e) {
    ADD_FAILURE() << "exception in a test thread: " << e.what();
  }
}

// A fresh connection to `server` labelled `label`.
inline std::unique_ptr<LineClient> connect(const ServerProcess& server, std::string label = {},
                                           ClientOptions options = {}) {
  options.label = std::move(label);
  return std::make_unique<LineClient>(server.port(), std::move(options));
}

// A member who reads nothing (a 4 KiB receive buffer) and a sender who said
// about 5 MB in their room, every line accepted (its echo came back): the
// server then holds more for the stuck member than the kernel's buffers
// take, so a shutdown runs until its grace ends. The server needs
// outbox_bytes above 5 MB and no input pacing.
struct StuckReader {
  std::unique_ptr<LineClient> stuck;
  std::unique_ptr<LineClient> sender;
};
[[nodiscard]] inline ::testing::AssertionResult fill_a_stuck_reader(const ServerProcess& server, StuckReader& out) {
  constexpr int kLines = 2500;  // 5 MB: more than the kernel's socket buffers hold
  out.stuck = connect(server, "stuck", ClientOptions{.rcvbuf = 4096});
  if (auto r = out.stuck->register_as("Stuck"); !r) return r;
  out.sender = connect(server, "sender");
  if (auto r = join_room(*out.sender, "Sender", {out.stuck.get()}); !r) return r;
  const std::string padding(2000, 'y');
  std::string batch;
  for (int k = 0; k < kLines; ++k) batch += std::to_string(k) + padding + "\n";
  out.sender->send_raw(batch);
  for (int k = 0; k < kLines; ++k) {
    if (auto r = out.sender->expect_line(message_line("Sender", std::to_string(k) + padding)); !r) return r;
  }
  return ::testing::AssertionSuccess();
}

}  // namespace parley::test
