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

}  // namespace
}  // namespace parley::store
