#pragma once
// Helpers shared by the integration tests (header-only; each test executable
// includes it once).

#include <gtest/gtest.h>

#include <exception>
#include <memory>
#include <string>
#include <string_view>
#include <vector>

#include "line_client.hpp"
#include "server_process.hpp"
#include "text_util.hpp"

#ifndef PARLEY_ITEST_THREADS
#define PARLEY_ITEST_THREADS 1
#endif

namespace parley::test {

using namespace std::chrono_literals;

// The server's event loops: 1, or 2 in the *_mt variants (CMake defines it).
inline constexpr int kThreads = PARLEY_ITEST_THREADS;

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

}  // namespace parley::test
