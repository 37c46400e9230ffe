// The store's threads: lines recorded are read back (a query sees every line
// recorded before it), survive reopening, and a full queue refuses rather
// than drops.
#include <gmock/gmock.h>
#include <gtest/gtest.h>

#include <algorithm>
#include <chrono>
#include <filesystem>
#include <future>
#include <latch>
#include <sstream>

#include <spdlog/sinks/ostream_sink.h>
#include <spdlog/spdlog.h>

#include "store/history_counts.h"
#include "store/sqlite_history.h"
#include "store_fixture.h"

namespace parley::store {
namespace {

using core::HistoryLine;
using core::HistoryQuery;
using Lines = core::Result<std::vector<HistoryLine>>;
using testing::TempFolder;

// What the default logger says while this lives (the store tells the log
// what it does). Read it from the thread that makes the store log.
class CapturedLog {
 public:
  CapturedLog() : previous_(spdlog::default_logger()) {
    spdlog::set_default_logger(
        std::make_shared<spdlog::logger>("captured", std::make_shared<spdlog::sinks::ostream_sink_mt>(out_)));
  }
  ~CapturedLog() { spdlog::set_default_logger(previous_); }
  CapturedLog(const CapturedLog&) = delete;
  CapturedLog& operator=(const CapturedLog&) = delete;
  std::string text() const { return out_.str(); }
  std::size_t lines() const {
    const std::string t = text();
    return static_cast<std::size_t>(std::count(t.begin(), t.end(), '\n'));
  }

 private:
  std::ostringstream out_;
  std::shared_ptr<spdlog::logger> previous_;
};

std::vector<HistoryLine> fetch_now(SqliteHistory& history, HistoryQuery query) {
  std::promise<Lines> answer;
  auto got = answer.get_future();
  history.fetch(std::move(query), [&](Lines lines) { answer.set_value(std::move(lines)); });
  Lines lines = got.get();
  EXPECT_TRUE(lines.ok());
  return lines.ok() ? lines.value() : std::vector<HistoryLine>{};
}

TEST(SqliteHistory, AQuerySeesEveryLineRecordedBeforeIt) {
  TempFolder folder;
  SqliteHistory history(testing::settings(folder.file("parley.db")));
  for (int i = 0; i < 2000; ++i) ASSERT_TRUE(history.record(testing::said("lobby", "Ann", std::to_string(i), i, "i" + std::to_string(i))));
  auto lines = fetch_now(history, testing::latest("lobby", 5000));
  ASSERT_EQ(lines.size(), 2000u);
  EXPECT_EQ(lines.front().text, "0");
  EXPECT_EQ(lines.back().text, "1999");
}

// A row whose blob is damaged (schema 12 packs lines in a format of our
// own) fails the reads that meet it, said in the log, and nothing else: the
// reader thread goes on, other rooms read as before.
TEST(SqliteHistory, ADamagedRowFailsItsReadsAndNothingElse) {
  TempFolder folder;
  SqliteHistory history(testing::settings(folder.file("parley.db")));
  history.record(testing::said("lobby", "Ann", "hello", 1000, "l1"));
  history.record(testing::said("cafe", "Bo", "hi", 1000, "c1"));
  history.flush();
  {
    auto db = open_for_writing(testing::settings(folder.file("parley.db")));
    db.exec("UPDATE history_rows SET packed = x'01ff' WHERE target = (SELECT id FROM history_targets WHERE key = 'lobby')");
  }
  std::promise<Lines> answer;
  auto got = answer.get_future();
  history.fetch(testing::latest("lobby"), [&](Lines lines) { answer.set_value(std::move(lines)); });
  const Lines damaged = got.get();
  ASSERT_FALSE(damaged.ok());
  EXPECT_EQ(damaged.refusal(), core::Refusal::history_unavailable);
  const auto cafe = fetch_now(history, testing::latest("cafe"));
  ASSERT_EQ(cafe.size(), 1u);
  EXPECT_EQ(cafe[0].text, "hi");
}

// Under sustained writing the syncer's checkpoints never catch up (here it
// never runs), so the writer starts the log again once it passes
// wal_restart_bytes: the file stays near that size, and every line is kept.
TEST(SqliteHistory, TheWriteAheadLogStaysNearItsLimitUnderSustainedWriting) {
  TempFolder folder;
  auto settings = testing::settings(folder.file("parley.db"));
  settings.wal_restart_bytes = 256 * 1024;
  settings.sync_interval = std::chrono::hours(1);
  SqliteHistory history(settings);
  const std::string padding(200, 'x');
  std::uintmax_t largest = 0;
  int n = 0;
  for (int chunk = 0; chunk < 40; ++chunk) {
    for (int i = 0; i < 500; ++i, ++n)
      ASSERT_TRUE(history.record(testing::said("lobby", "Ann", std::to_string(n) + padding, n, "i" + std::to_string(n))));
    history.flush();
    largest = std::max(largest, std::filesystem::file_size(folder.file("parley.db-wal")));
  }
  // 40 chunks of about 130 KiB: 5 MiB and more without restarting.
  EXPECT_LT(largest, 1024u * 1024u) << "the log is started again near 256 KiB";
  const auto lines = fetch_now(history, testing::latest("lobby", 100000));
  ASSERT_EQ(lines.size(), 20000u);
  EXPECT_EQ(lines.back().text, "19999" + padding);
}

TEST(SqliteHistory, LinesSurviveReopening) {
  TempFolder folder;
  {
    SqliteHistory history(testing::settings(folder.file("parley.db")));
    for (int i = 0; i < 10; ++i) history.record(testing::said("lobby", "Ann", std::to_string(i), i, "i" + std::to_string(i)));
  }  // the destructor writes what is queued
  SqliteHistory again(testing::settings(folder.file("parley.db")));
  auto lines = fetch_now(again, testing::latest("lobby", 100));
  ASSERT_EQ(lines.size(), 10u);
  EXPECT_EQ(again.counts().recorded, 0u);
}

TEST(SqliteHistory, AFullQueueRefusesNewLinesAndLosesNone) {
  TempFolder folder;
  SqliteHistory history(testing::settings(folder.file("parley.db"), 100));
  std::latch writer_held(1);
  std::promise<void> release;
  auto released = release.get_future().share();
  // Holds the writer thread inside a callback, so that lines pile up.
  history.after_commit([&, released] {
    writer_held.count_down();
    released.wait();
  });
  writer_held.wait();
  for (int i = 0; i < 100; ++i) {
    EXPECT_TRUE(history.accepting()) << i;
    ASSERT_TRUE(history.record(testing::said("lobby", "Ann", "x", i, "i" + std::to_string(i)))) << i;
  }
  // At the limit, messages are to be refused; other lines are kept up to twice it.
  CapturedLog log;
  EXPECT_FALSE(history.accepting());
  EXPECT_FALSE(history.accepting());
  EXPECT_EQ(history.counts().turned_away, 2u) << "each refusal counted";
  EXPECT_THAT(log.text(), ::testing::HasSubstr("the writer is 100 lines behind ([storage] queue_lines); new messages "
                                               "are refused"));
  EXPECT_EQ(log.lines(), 1u) << "said once, not once per message: " << log.text();
  for (int i = 100; i < 200; ++i) {
    ASSERT_TRUE(history.record(testing::said("lobby", "Ann", "", i, "j" + std::to_string(i), HistoryLine::Kind::join)))
        << i;
  }
  EXPECT_FALSE(history.record(testing::said("lobby", "Ann", "one too many", 200, "over")));
  EXPECT_EQ(history.counts().refused, 1u);
  EXPECT_THAT(log.text(), ::testing::HasSubstr("parley.db): 1 line(s) could not be kept: the writer is 200 lines "
                                               "behind")) << "names the store";
  release.set_value();
  history.flush();
  EXPECT_EQ(history.counts().committed, 200u);
  EXPECT_TRUE(history.accepting());
  EXPECT_THAT(log.text(), ::testing::HasSubstr("the writer has caught up; messages are taken again (2 refused"));
  EXPECT_TRUE(history.accepting());
  EXPECT_EQ(log.lines(), 3u) << "behind, the line past twice the limit, caught up: " << log.text();
  EXPECT_EQ(fetch_now(history, testing::latest("lobby", 1000)).size(), 200u);
  // And it takes lines again.
  EXPECT_TRUE(history.record(testing::said("lobby", "Ann", "later", 200, "later")));
}

// A writer that keeps up just at the limit takes and refuses messages in
// turn: the log says it is behind once, and caught up once half the backlog
// is written.
TEST(HistoryBacklog, TheLogSaysOnceWhenRefusalsStartAndOnceWhenCaughtUp) {
  HistoryCounts counts;
  counts.recorded = 100;
  CapturedLog log;
  EXPECT_FALSE(accept_another(counts, 100, "db"));
  EXPECT_THAT(log.text(), ::testing::HasSubstr("History (db): the writer is 100 lines behind"));
  counts.committed = 1;
  EXPECT_TRUE(accept_another(counts, 100, "db")) << "under the limit: taken";
  counts.committed = 0;
  EXPECT_FALSE(accept_another(counts, 100, "db"));
  counts.committed = 50;
  EXPECT_TRUE(accept_another(counts, 100, "db"));
  EXPECT_EQ(log.lines(), 1u) << "no line per flip, nor at half the backlog: " << log.text();
  counts.committed = 51;
  EXPECT_TRUE(accept_another(counts, 100, "db"));
  EXPECT_THAT(log.text(), ::testing::HasSubstr("History (db): the writer has caught up; messages are taken again "
                                               "(2 refused in all since start)"));
  EXPECT_EQ(counts.turned_away, 2u);
  counts.recorded = 200;
  EXPECT_FALSE(accept_another(counts, 100, "db"));
  EXPECT_EQ(log.lines(), 3u) << "a new episode is told again: " << log.text();
}

TEST(SqliteHistory, AfterCommitRunsOnceEarlierLinesAreWritten) {
  TempFolder folder;
  SqliteHistory history(testing::settings(folder.file("parley.db"), 100000, SyncPolicy::always));
  history.record(testing::said("lobby", "Ann", "first", 1, "a"));
  std::promise<std::uint64_t> committed;
  history.after_commit([&] {
    // Runs on the writer after the commit of the batch that holds "first".
    committed.set_value(1);
  });
  EXPECT_EQ(committed.get_future().get(), 1u);
  auto lines = fetch_now(history, testing::latest("lobby"));
  ASSERT_EQ(lines.size(), 1u);
  EXPECT_EQ(lines[0].text, "first");
}

TEST(SqliteHistory, QueriesOfOneRoomDoNotSeeAnother) {
  TempFolder folder;
  SqliteHistory history(testing::settings(folder.file("parley.db")));
  history.record(testing::said("lobby", "Ann", "here", 1, "a"));
  history.record(testing::said("games", "Bo", "there", 2, "b"));
  auto lines = fetch_now(history, testing::latest("games"));
  ASSERT_EQ(lines.size(), 1u);
  EXPECT_EQ(lines[0].text, "there");
}

}  // namespace
}  // namespace parley::store
