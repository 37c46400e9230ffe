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

// Lines packed a batch to a row (schema 12): a row that straddles the cut is
// rewritten with the lines it keeps, so reads, counts and search never meet a
// line past the limits; whole rows below the cut go; the batch is counted in
// lines, a row split where it runs out.
class PackedPruning : public ::testing::Test {
 protected:
  PackedPruning() : db_(open_for_writing(testing::settings(folder_.file("parley.db")))) {
    std::vector<core::HistoryLine> lines;
    // #a: 300 lines, a1..a300 at 1..300 s, in rows of 128, 128 and 44; #b: 10 lines in one row.
    for (int i = 1; i <= 300; ++i)
      lines.push_back(testing::said("a", "Ann", "a" + std::to_string(i), i * 1000, testing::timed_id("a" + std::to_string(i), i * 1000)));
    for (int i = 1; i <= 10; ++i)
      lines.push_back(testing::said("b", "Bo", "b" + std::to_string(i), i * 1000, testing::timed_id("b" + std::to_string(i), i * 1000)));
    testing::write_batch(db_, lines, /*index=*/true);
  }
  std::vector<std::string> a_texts() { return texts(db_, "a"); }
  int found(const std::string& word) {
    return db_.execAndGet("SELECT COUNT(*) FROM history_search WHERE history_search MATCH '" + word + "'").getInt();
  }
  testing::TempFolder folder_;
  SQLite::Database db_;
};

TEST_F(PackedPruning, ARowStraddlingTheAgeCutKeepsItsNewerLines) {
  ASSERT_EQ(testing::rows_and_lines(db_), std::make_pair(4, 310));
  // Below 200.5 s: the first row of #a (1..128) whole, 72 lines of its second, b1..b10 whole.
  EXPECT_EQ(prune_history(db_, at_ms(200500), 0, 100000), 200u + 10u);
  const auto kept = a_texts();
  ASSERT_EQ(kept.size(), 100u);
  EXPECT_EQ(kept.front(), "a201");
  EXPECT_EQ(kept.back(), "a300");
  EXPECT_EQ(testing::rows_and_lines(db_), std::make_pair(2, 100)) << "the straddling row rewritten, #b's gone";
  EXPECT_EQ(db_.execAndGet("SELECT MIN(first_seq) FROM history_rows").getInt(), 201) << "its key is its first line's";
  EXPECT_EQ(found("a200"), 0) << "out of the search index";
  EXPECT_EQ(found("a201"), 1);
  db_.exec("INSERT INTO history_search (history_search) VALUES ('integrity-check')");
  // Found by time and id as before: the rewritten row's bounds are its lines'.
  const auto after = read_history(db_, testing::query("a", core::HistoryQuery::Direction::after, 2,
                                                      core::HistoryPoint::at(at_ms(150000))));
  ASSERT_EQ(after.size(), 2u);
  EXPECT_EQ(after[0].text, "a201");
  const auto around = read_history(db_, testing::query("a", core::HistoryQuery::Direction::around, 3,
                                                       core::HistoryPoint::line(testing::timed_id("a201", 201000))));
  ASSERT_EQ(around.size(), 2u);
  EXPECT_EQ(around[0].text, "a201");
  EXPECT_EQ(prune_history(db_, at_ms(200500), 0, 100000), 0u);
}

TEST_F(PackedPruning, TheBatchIsCountedInLinesAndMaySplitARow) {
  EXPECT_EQ(prune_history(db_, at_ms(200500), 0, 100), 100u) << "100 of the first row's 128";
  EXPECT_EQ(a_texts().front(), "a101");
  EXPECT_EQ(prune_history(db_, at_ms(200500), 0, 100), 100u);
  EXPECT_EQ(a_texts().front(), "a201");
  EXPECT_EQ(prune_history(db_, at_ms(200500), 0, 100), 10u) << "#b's";
  EXPECT_EQ(prune_history(db_, at_ms(200500), 0, 100), 0u);
  db_.exec("INSERT INTO history_search (history_search) VALUES ('integrity-check')");
}

TEST_F(PackedPruning, TheLineCountCutsInsideARow) {
  EXPECT_EQ(prune_history(db_, std::nullopt, 150, 100000), 150u);
  auto kept = a_texts();
  ASSERT_EQ(kept.size(), 150u);
  EXPECT_EQ(kept.front(), "a151");
  EXPECT_EQ(texts(db_, "b").size(), 10u) << "under the limit";
  EXPECT_EQ(prune_history(db_, std::nullopt, 150, 100000), 0u);
  // Exactly at a row's edge: the newest row (44) and the one before it (128) are 172 lines.
  EXPECT_EQ(prune_history(db_, std::nullopt, 172, 100000), 0u) << "already fewer";
  EXPECT_EQ(prune_history(db_, std::nullopt, 44, 100000), 106u);
  kept = a_texts();
  ASSERT_EQ(kept.size(), 44u);
  EXPECT_EQ(kept.front(), "a257");
  EXPECT_EQ(testing::rows_and_lines(db_), std::make_pair(2, 54)) << "#a's last row, #b's row";
  db_.exec("INSERT INTO history_search (history_search) VALUES ('integrity-check')");
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
