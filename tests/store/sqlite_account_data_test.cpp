// Read markers and redaction's history edits on the database: markers only
// move forward and survive reopening; a removed line is gone from history and
// from the search index, whether it was indexed yet or not.
#include <gtest/gtest.h>

#include <SQLiteCpp/Transaction.h>

#include "store/history_rows.h"
#include "store/sqlite_account_data.h"
#include "store_fixture.h"

namespace parley::store {
namespace {

using testing::at_ms;

TEST(SqliteReadMarkers, MoveForwardOnlyPerAccountAndTargetAndSurviveReopening) {
  testing::TempFolder folder;
  const auto settings = testing::settings(folder.file("parley.db"));
  {
    SqliteReadMarkers markers(settings);
    EXPECT_FALSE(markers.get("ann", "#talk"));
    EXPECT_EQ(markers.raise("ann", "#talk", at_ms(2000)), at_ms(2000));
    EXPECT_EQ(markers.raise("ann", "#talk", at_ms(1000)), at_ms(2000)) << "never back";
    EXPECT_EQ(markers.raise("ann", "#talk", at_ms(3000)), at_ms(3000));
    EXPECT_EQ(markers.raise("bo", "#talk", at_ms(500)), at_ms(500)) << "another account's own";
    EXPECT_FALSE(markers.get("ann", "bo"));
  }
  SqliteReadMarkers reopened(settings);
  EXPECT_EQ(reopened.get("ann", "#talk"), at_ms(3000));
  EXPECT_EQ(reopened.get("bo", "#talk"), at_ms(500));
}

// The lines' message ids, with their times as parleyd's carry them.
const std::string kA1 = testing::timed_id("a1", 1000), kB1 = testing::timed_id("b1", 2000),
                  kC1 = testing::timed_id("c1", 3000), kX1 = testing::timed_id("x1", 4000);

class HistoryEditsTest : public ::testing::Test {
 protected:
  HistoryEditsTest() : db_(open_for_writing(testing::settings(folder_.file("parley.db")))) {
    SQLite::Transaction tx(db_);
    HistoryInserter insert(db_);
    auto mine = testing::said("talk", "Ann", "indexed garden words", 1000, kA1);
    mine.account = "Ann";
    insert.insert(mine);
    insert.insert(testing::said("talk", "Bo", "garden party", 2000, kB1));
    EXPECT_EQ(index_for_search(db_, 1000), 2u);
    insert.insert(testing::said("talk", "Cy", "garden not indexed yet", 3000, kC1));
    insert.insert(testing::said("other", "Cy", "same id elsewhere", 4000, kX1));
    tx.commit();
  }
  std::size_t found(const std::string& words) {
    core::SearchQuery q;
    q.targets = {"talk"};
    q.words = words;
    return search_history(db_, q).size();
  }
  testing::TempFolder folder_;
  SQLite::Database db_;
};

std::size_t found_in(SQLite::Database& db, const std::string& words) {
  core::SearchQuery q;
  q.targets = {"talk"};
  q.words = words;
  return search_history(db, q).size();
}

TEST_F(HistoryEditsTest, FindsWhoSentALineOfThatTargetOnly) {
  SqliteHistoryEdits edits(testing::settings(folder_.file("parley.db")));
  auto line = edits.find("talk", kA1);
  ASSERT_TRUE(line);
  EXPECT_EQ(line->account, "Ann");
  EXPECT_EQ(line->nick, "Ann");
  EXPECT_EQ(line->kind, core::HistoryLine::Kind::message);
  EXPECT_EQ(line->time, at_ms(1000));
  EXPECT_FALSE(edits.find("other", kA1)) << "an id of another target";
  EXPECT_FALSE(edits.find("talk", "nosuch"));
}

TEST_F(HistoryEditsTest, RemovedLinesLeaveHistoryAndTheSearchIndex) {
  SqliteHistoryEdits edits(testing::settings(folder_.file("parley.db")));
  EXPECT_EQ(found("garden"), 2u);
  EXPECT_TRUE(edits.remove("talk", kA1));  // indexed
  EXPECT_FALSE(edits.remove("talk", kA1)) << "only once";
  EXPECT_FALSE(edits.remove("talk", kX1)) << "another target's id";
  EXPECT_TRUE(edits.remove("talk", kC1));  // not indexed yet
  EXPECT_EQ(index_for_search(db_, 1000), 1u) << "only x1 is left to index: the removed line is not indexed later";
  EXPECT_EQ(found("garden"), 1u);
  EXPECT_EQ(found("indexed"), 0u);
  auto rest = read_history(db_, testing::latest("talk"));
  ASSERT_EQ(rest.size(), 1u);
  EXPECT_EQ(rest.front().id, kB1);
}

// Lines packed a batch to a row (schema 12): redaction takes one line out of
// its row (first, middle or last; the last one left takes the row), the rest
// of the row reads and is found as before.
TEST(HistoryEditsRows, RedactionTakesOneLineOutOfItsPackedRow) {
  testing::TempFolder folder;
  const std::string path = folder.file("parley.db");
  SQLite::Database db = open_for_writing(testing::settings(path));
  auto id = [](int i) { return testing::timed_id("t" + std::to_string(i), i * 1000); };
  {
    std::vector<core::HistoryLine> lines;
    for (int i = 1; i <= 5; ++i) lines.push_back(testing::said("talk", "Ann", "garden " + std::to_string(i), i * 1000, id(i)));
    EXPECT_EQ(testing::write_batch(db, lines, /*index=*/true), 5u);
  }
  ASSERT_EQ(testing::rows_and_lines(db), std::make_pair(1, 5));
  SqliteHistoryEdits edits(testing::settings(path));
  auto texts = [&] {
    std::vector<std::string> out;
    for (const auto& line : read_history(db, testing::latest("talk"))) out.push_back(line.text);
    return out;
  };
  ASSERT_TRUE(edits.find("talk", id(3)));
  EXPECT_TRUE(edits.remove("talk", id(3)));  // the middle
  EXPECT_FALSE(edits.find("talk", id(3)));
  EXPECT_TRUE(edits.remove("talk", id(1)));  // the first: the row's key moves
  EXPECT_TRUE(edits.remove("talk", id(5)));  // the last
  EXPECT_EQ(texts(), (std::vector<std::string>{"garden 2", "garden 4"}));
  EXPECT_EQ(testing::rows_and_lines(db), std::make_pair(1, 2));
  EXPECT_EQ(found_in(db, "garden"), 2u);
  ASSERT_TRUE(edits.find("talk", id(4))) << "a line after a removed one, found by its id";
  EXPECT_EQ(edits.find("talk", id(4))->time, at_ms(4000));
  EXPECT_TRUE(edits.remove("talk", id(2)));
  EXPECT_TRUE(edits.remove("talk", id(4)));
  EXPECT_EQ(testing::rows_and_lines(db), std::make_pair(0, 0)) << "the emptied row goes";
  EXPECT_TRUE(texts().empty());
  db.exec("INSERT INTO history_search (history_search) VALUES ('integrity-check')");
}

}  // namespace
}  // namespace parley::store
