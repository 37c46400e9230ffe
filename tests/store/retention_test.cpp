// Retention ([history] keep_days, keep_lines_per_room): old lines are
// deleted, in batches, oldest first, from history and from search alike.
#include <gmock/gmock.h>
#include <gtest/gtest.h>

#include <SQLiteCpp/Transaction.h>

#include "store/database.h"
#include "store/history_rows.h"
#include "store/sqlite_history.h"
#include "store_fixture.h"

namespace parley::store {
namespace {

using ::testing::ElementsAre;
using testing::at_ms;

std::vector<std::string> texts(SQLite::Database& db, const std::string& room) {
  std::vector<std::string> out;
  for (const auto& line : read_history(db, testing::latest(room))) out.push_back(line.text);
  return out;
}

class Pruning : public ::testing::Test {
 protected:
  Pruning() : db_(open_for_writing(testing::settings(folder_.file("parley.db")))) {
    SQLite::Transaction tx(db_);
    HistoryInserter insert(db_);
    // #a: a1..a6 at 1 s .. 6 s; #b: b1..b3 at 1 s .. 3 s.
    for (int i = 1; i <= 6; ++i) insert.insert(testing::said("a", "Ann", "a" + std::to_string(i), i * 1000, "a" + std::to_string(i)));
    for (int i = 1; i <= 3; ++i) insert.insert(testing::said("b", "Bo", "b" + std::to_string(i), i * 1000, "b" + std::to_string(i)));
    tx.commit();
  }
  testing::TempFolder folder_;
  SQLite::Database db_;
};

TEST_F(Pruning, LinesOlderThanTheCutoffGoInBatches) {
  EXPECT_EQ(prune_history(db_, at_ms(2500), 0, 3), 3u) << "a batch of 3, oldest first: a1, a2, b1";
  EXPECT_EQ(prune_history(db_, at_ms(2500), 0, 3), 1u);
  EXPECT_EQ(prune_history(db_, at_ms(2500), 0, 3), 0u);
  EXPECT_THAT(texts(db_, "a"), ElementsAre("a3", "a4", "a5", "a6"));
  EXPECT_THAT(texts(db_, "b"), ElementsAre("b3"));
  EXPECT_EQ(db_.execAndGet("SELECT COUNT(*) FROM history_search WHERE history_search MATCH 'a1'").getInt(), 0)
      << "search forgets them too";
}

TEST_F(Pruning, EachRoomKeepsItsNewestLinesAtTheLimit) {
  prune_history(db_, std::nullopt, 3, 1000);
  EXPECT_THAT(texts(db_, "a"), ElementsAre("a4", "a5", "a6"));
  EXPECT_THAT(texts(db_, "b"), ElementsAre("b1", "b2", "b3")) << "at the limit: untouched";
  EXPECT_EQ(prune_history(db_, std::nullopt, 3, 1000), 0u);
  prune_history(db_, std::nullopt, 1, 1000);
  EXPECT_THAT(texts(db_, "b"), ElementsAre("b3"));
}

TEST(Retention, AServerStartingAfterALongStopPrunesAtOnce) {
  testing::TempFolder folder;
  auto settings = testing::settings(folder.file("parley.db"));
  {
    SqliteHistory history(settings);
    history.record(testing::said("a", "Ann", "ancient", 1000, "x1"));
    history.record(testing::said("a", "Ann", "recent", 10 * 86400 * 1000, "x2"));
  }
  settings.retention.max_age = std::chrono::hours(24);
  settings.retention.now = [] { return at_ms(10 * 86400 * 1000 + 1000); };
  SqliteHistory history(settings);
  history.record(testing::said("a", "Ann", "new", 10 * 86400 * 1000 + 500, "x3"));
  history.flush();  // the writer prunes before its first batch
  EXPECT_EQ(history.counts().pruned, 1u);
  auto db = open_for_reading(settings.path);
  EXPECT_THAT(texts(db, "a"), ElementsAre("recent", "new"));
}

}  // namespace
}  // namespace parley::store
