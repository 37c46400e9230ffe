// History under `kill -9` (issue 11, [storage] sync): parleyd is killed while
// two users talk as fast as their echoes come back and a third one listens.
// After a restart on the same data directory, under sync = "always" every
// message the listener received is in history (nobody hears of a message
// before it is kept); under "batch" the loss is bounded as docs/configuration.md
// says: only messages received in the moment before the kill are missing.
#include <gtest/gtest.h>

#include <SQLiteCpp/Database.h>
#include <SQLiteCpp/Statement.h>

#include <atomic>
#include <chrono>
#include <csignal>
#include <map>
#include <set>
#include <thread>

#include "itest_util.hpp"
#include "store/packed_lines.h"
#include "system_util.hpp"

namespace parley::test {
namespace {

using Clock = std::chrono::steady_clock;
constexpr std::string_view kSaid = "Message from User - ";

ServerOptions on(const std::string& data_dir, const std::string& sync) {
  ServerOptions options{.threads = kThreads,
                        .config_toml = unlimited_config() + "[storage]\nsync = \"" + sync + "\"\n[history]\nreplay_lines = 0\n"};
  options.data_dir = data_dir;
  return options;
}

// What the listener heard: "S1-17" -> when.
using Heard = std::map<std::string, Clock::time_point>;

// Sends "NAME-1", "NAME-2"... each after the echo of the one before, until
// told to stop or the server is gone.
void talk(LineClient& client, const std::string& name, const std::atomic<bool>& stop) {
  const std::string echo_prefix = std::string(kSaid) + name + ": ";
  for (int n = 1; n <= 200000 && !stop; ++n) {
    const std::string text = name + "-" + std::to_string(n);
    if (client.try_send_raw(text + "\n") != 0) return;
    for (;;) {
      auto line = client.read_line();
      if (!line) return;
      if (*line == echo_prefix + text) break;
    }
  }
}

std::set<std::string> kept_messages(const std::filesystem::path& data_dir) {
  SQLite::Database db((data_dir / "parley.db").string(), SQLite::OPEN_READONLY);
  // Schema 12 packs a batch of a room's lines to a row (store/packed_lines.h).
  SQLite::Statement rows(db, "SELECT packed FROM history_rows");
  std::set<std::string> kept;
  while (rows.executeStep()) {
    const SQLite::Column blob = rows.getColumn(0);
    const std::string packed(static_cast<const char*>(blob.getBlob()), static_cast<std::size_t>(blob.getBytes()));
    for (const auto& line : parley::store::unpack_lines(packed)) {
      if (line.kind == 0) kept.emplace(line.body);
    }
  }
  return kept;
}

class KilledUnderLoad : public ::testing::TestWithParam<std::string> {};

INSTANTIATE_TEST_SUITE_P(Sync, KilledUnderLoad, ::testing::Values("always", "batch"),
                         [](const auto& info) { return info.param; });

TEST_P(KilledUnderLoad, WhatWasHeardIsKeptAsDocumented) {
  const bool always = GetParam() == "always";
  TempDir data;
  Heard heard;
  Clock::time_point killed_at;
  {
    ServerProcess server(on(data.path().string(), GetParam()));
    auto listener = connect(server, "listener");
    ASSERT_TRUE(listener->register_as("Listener"));
    auto s1 = connect(server, "s1");
    auto s2 = connect(server, "s2");
    ASSERT_TRUE(s1->register_as("S1"));
    ASSERT_TRUE(s2->register_as("S2"));
    std::atomic<bool> stop{false};
    std::thread t1([&] { talk(*s1, "S1", stop); });
    std::thread t2([&] { talk(*s2, "S2", stop); });
    // Enough traffic that the writer is busy, bounded in time.
    const auto deadline = Clock::now() + scaled(std::chrono::seconds(60));
    while (heard.size() < 3000 && Clock::now() < deadline) {
      auto line = listener->read_line();
      if (!line) break;
      if (line->starts_with(kSaid)) heard.emplace(line->substr(line->find(": ") + 2), Clock::now());
    }
    EXPECT_GE(heard.size(), 100u) << "too little traffic to be a test";
    server.send_signal(SIGKILL);
    killed_at = Clock::now();
    // What reached the listener's socket before the kill was received too.
    while (auto line = listener->read_line()) {
      if (line->starts_with(kSaid)) heard.emplace(line->substr(line->find(": ") + 2), killed_at);
    }
    stop = true;
    t1.join();
    t2.join();
    auto status = server.wait_exit();
    ASSERT_TRUE(status && status->signaled()) << "parleyd was not killed";
  }
  {
    // It starts again on what the kill left (SQLite rolls the log forward).
    ServerProcess again(on(data.path().string(), GetParam()));
    auto status = again.terminate_and_wait();
    ASSERT_TRUE(status.exited()) << status.describe();
  }
  const auto kept = kept_messages(data.path());
  std::size_t missing = 0;
  for (const auto& [text, when] : heard) {
    if (kept.count(text)) continue;
    ++missing;
    if (always) {
      ADD_FAILURE() << text << " was heard but is not in history";
    } else {
      // Documented: at most what was not committed yet, a moment's worth;
      // 3 s is three times the default sync interval.
      EXPECT_LT(killed_at - when, std::chrono::seconds(3)) << text << " lost, heard long before the kill";
    }
  }
  RecordProperty("heard", static_cast<int>(heard.size()));
  RecordProperty("heard_not_kept", static_cast<int>(missing));
  EXPECT_LE(kept.size(), heard.size() + 2) << "kept messages nobody sent";
}

}  // namespace
}  // namespace parley::test
