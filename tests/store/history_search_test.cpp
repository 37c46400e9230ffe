// Search (FTS5) and CHATHISTORY TARGETS on the store: words found in the
// targets asked only, newest first or by relevance; private conversations
// listed for their two accounts only.
#include <gmock/gmock.h>
#include <gtest/gtest.h>

#include <SQLiteCpp/Transaction.h>

#include <fmt/format.h>

#include "store/database.h"
#include "store/sqlite_account_data.h"
#include "store/sqlite_accounts.h"
#include "sample_records.h"
#include "store/history_rows.h"
#include "store/index_tokenizer.h"
#include "store/line_rows.h"
#include "store/row_search.h"
#include "store_fixture.h"

namespace parley::store {
namespace {

using core::HistoryLine;
using ::testing::ElementsAre;
using ::testing::IsEmpty;
using testing::at_ms;

core::HistoryLine private_line(std::string from, std::string to, std::string text, std::int64_t ms, std::string id) {
  core::PrivateMessage pm;
  core::Identity sender;
  sender.display = from;
  sender.nick = from;
  sender.presence.account = from;
  pm.sender = std::make_shared<const core::Identity>(sender);
  pm.to_nick = to;
  pm.text = std::move(text);
  pm.time = at_ms(ms);
  pm.id = std::move(id);
  return *core::history_line(pm, to);
}

// The ids of the lines a search of `words` in `targets` finds, in its order.
std::vector<std::string> found_ids(SQLite::Database& db, std::vector<std::string> targets, std::string words,
                                   bool newest_first = true, std::size_t limit = core::SearchQuery{}.limit) {
  core::SearchQuery q;
  q.targets = std::move(targets);
  q.words = std::move(words);
  q.newest_first = newest_first;
  q.limit = limit;
  std::vector<std::string> ids;
  for (const auto& line : search_history(db, q)) ids.push_back(line.id);
  return ids;
}

class HistorySearch : public ::testing::Test {
 protected:
  HistorySearch() : db_(open_for_writing(testing::settings(folder_.file("parley.db")))) {
    SQLite::Transaction tx(db_);
    HistoryInserter insert(db_);
    insert.insert(testing::said("lobby", "Ann", "the garden party is on Friday", 1000, "l1"));
    insert.insert(testing::said("lobby", "Bo", "garden gardens gardening", 2000, "l2"));
    insert.insert(testing::said("lobby", "Cy", "Café opens at nine", 3000, "l3"));
    insert.insert(testing::said("lobby", "Cy", "garden", 3500, "j1", HistoryLine::Kind::part));  // not speech
    insert.insert(testing::said("secret", "Dee", "the garden key is under the mat", 4000, "s1"));
    insert.insert(private_line("Ann", "Bo", "meet me in the garden", 5000, "p1"));
    insert.insert(private_line("Cy", "Dee", "garden gossip", 6000, "p2"));
    EXPECT_EQ(index_for_search(db_, 1000), 7u) << "every line looked at, speech indexed";
    tx.commit();
  }
  std::vector<std::string> found(std::vector<std::string> targets, std::string words, bool newest = true,
                                 std::size_t limit = 10) {
    return found_ids(db_, std::move(targets), std::move(words), newest, limit);
  }
  // Takes the line out of its row, as redaction and retention do (the ids
  // here carry no time: found by reading the rows).
  void remove_line(const std::string& target, const std::string& msgid) {
    const std::int64_t id = *target_id(db_, target);
    RowCursor rows(db_, /*ascending=*/true);
    rows.start(id, 0);
    while (LineRow* row = rows.next()) {
      for (const PackedLine& line : row->lines()) {
        if (line.msgid != msgid) continue;
        const std::int64_t seq = line.seq;
        rows.stop();
        EXPECT_EQ(keep_lines(db_, *row, [&](const PackedLine& l) { return l.seq != seq; }), 1u);
        return;
      }
    }
    ADD_FAILURE() << msgid << " not found";
  }
  testing::TempFolder folder_;
  SQLite::Database db_;
};

TEST_F(HistorySearch, FindsWordsInTheTargetsAskedOnly) {
  EXPECT_THAT(found({"lobby"}, "garden"), ElementsAre("l2", "l1")) << "newest first; a part's reason is no speech";
  EXPECT_THAT(found({"lobby", "secret"}, "garden"), ElementsAre("s1", "l2", "l1"));
  EXPECT_THAT(found({"lobby"}, "garden friday"), ElementsAre("l1")) << "every word must appear";
  EXPECT_THAT(found({"lobby"}, "garde*"), ElementsAre("l2", "l1")) << "a trailing * searches a prefix";
  EXPECT_THAT(found({"lobby"}, "cafe"), ElementsAre("l3")) << "accents do not matter";
  EXPECT_THAT(found({"lobby"}, "GARDEN", true, 1), ElementsAre("l2")) << "case does not matter; the limit holds";
}

TEST_F(HistorySearch, SearchSyntaxInTheWordsIsJustText) {
  EXPECT_THAT(found({"lobby"}, "garden OR nine"), IsEmpty()) << "OR is a word to find, not an operator";
  EXPECT_THAT(found({"lobby"}, "\"garden"), ElementsAre("l2", "l1")) << "a stray quote is no syntax error";
  EXPECT_THAT(found({"lobby"}, "body:garden NEAR(x y)"), IsEmpty());
  EXPECT_THAT(found({"lobby"}, "   "), IsEmpty());
  SearchTokenizer tokenizer(db_);
  EXPECT_EQ(LineMatcher(tokenizer, "A\"b  c* * !!! Café*").fts_query(), "\"a\" \"b\" \"c\"* \"cafe\"*")
      << "tokens as the index has them, each required on its own (no phrases without positions)";
}

TEST_F(HistorySearch, LinesNotIndexedYetAreNotFoundAndCanBeDeleted) {
  HistoryInserter(db_).insert(testing::said("lobby", "Eve", "garden hose", 7000, "l9"));
  EXPECT_THAT(found({"lobby"}, "hose"), IsEmpty()) << "indexed behind the writer";
  remove_line("lobby", "l9");  // retention before indexing: nothing to take out
  remove_line("lobby", "l1");  // indexed: taken out of the index too
  EXPECT_EQ(index_for_search(db_, 1000), 0u);
  EXPECT_THAT(found({"lobby"}, "garden"), ElementsAre("l2"));
  db_.exec("INSERT INTO history_search (history_search) VALUES ('integrity-check')");  // throws if inconsistent
}

// The index keeps a token over 10 bytes as its first 10 (index_tokenizer.h):
// neighbouring numbers share a term there, yet a search finds the lines that
// hold the whole word only, and a prefix search still finds them all.
TEST(HistorySearchRows, LongTokensAreIndexedByTheirPrefixAndFoundWhole) {
  testing::TempFolder folder;
  SQLite::Database db = open_for_writing(testing::settings(folder.file("parley.db")));
  testing::write_batch(db,
                       {testing::said("lobby", "Ann", "order 1234567890123 shipped", 1000, "a"),
                        testing::said("lobby", "Bo", "order 1234567890999 lost", 2000, "b"),
                        testing::said("lobby", "Cy", "order 123456789 is short", 3000, "c"),
                        testing::said("lobby", "Dee", "Ünïcödé: переговоры", 4000, "d")},
                       /*index=*/true);
  db.exec("CREATE VIRTUAL TABLE temp.terms USING fts5vocab(main, history_search, 'row')");
  std::vector<std::string> terms;
  SQLite::Statement q(db, "SELECT term FROM temp.terms WHERE term GLOB '12345*' OR term GLOB 'пер*' ORDER BY term");
  while (q.executeStep()) terms.push_back(q.getColumn(0).getString());
  EXPECT_THAT(terms, ElementsAre("123456789", "1234567890", "перег"))
      << "two long numbers share their 10-byte prefix; 'переговоры' (20 bytes) keeps 5 whole letters";
  const auto ids = [&](std::string words) { return found_ids(db, {"lobby"}, std::move(words)); };
  EXPECT_THAT(ids("1234567890123"), ElementsAre("a")) << "the row holds both; the line with the whole word is kept";
  EXPECT_THAT(ids("1234567890999 lost"), ElementsAre("b"));
  EXPECT_THAT(ids("12345678901*"), ElementsAre("a")) << "a prefix longer than what the index keeps";
  EXPECT_THAT(ids("1234567890*"), ElementsAre("b", "a"));
  EXPECT_THAT(ids("123456789*"), ElementsAre("c", "b", "a"));
  EXPECT_THAT(ids("12345678901"), IsEmpty()) << "a word is matched whole, not as a prefix";
  EXPECT_THAT(ids("ПЕРЕГОВОРЫ unicode"), ElementsAre("d")) << "folded as the line was";
  EXPECT_THAT(ids("переговорыx"), IsEmpty());
  db.exec("INSERT INTO history_search (history_search) VALUES ('integrity-check')");
}

TEST(IndexTokenizer, KeepsAPrefixThatEndsBetweenCharacters) {
  EXPECT_EQ(indexed_prefix_bytes("1234567890", 10), 10u) << "at the limit: whole";
  EXPECT_EQ(indexed_prefix_bytes("12345678901", 10), 10u) << "past it: cut";
  EXPECT_EQ(indexed_prefix_bytes("", 10), 0u);
  EXPECT_EQ(indexed_prefix_bytes("a\xc3\xa9\xc3\xa9", 4), 3u) << "not inside the second 'é'";
  EXPECT_EQ(indexed_prefix_bytes("ab\xc3\xa9\xc3\xa9", 4), 4u) << "the first 'é' ends at the limit";
  EXPECT_EQ(indexed_prefix_bytes("\xf0\x9f\x98\x80\xf0\x9f\x98\x80", 6), 4u) << "a four-byte character whole or not at all";
}

// The number of bytes kept is the table's first argument: fewer than a
// character may take (4) could hand FTS5 an empty token, so it is refused.
TEST(IndexTokenizer, ATableMustKeepAtLeastFourBytes) {
  testing::TempFolder folder;
  SQLite::Database db = open_for_writing(testing::settings(folder.file("parley.db")));
  EXPECT_THROW(db.exec("CREATE VIRTUAL TABLE temp.t3 USING fts5(x, tokenize = 'parley_prefix 3')"), SQLite::Exception);
  EXPECT_THROW(db.exec("CREATE VIRTUAL TABLE temp.tx USING fts5(x, tokenize = 'parley_prefix ten')"), SQLite::Exception);
  EXPECT_THROW(db.exec("CREATE VIRTUAL TABLE temp.tn USING fts5(x, tokenize = 'parley_prefix')"), SQLite::Exception);
  db.exec("CREATE VIRTUAL TABLE temp.t4 USING fts5(x, tokenize = 'parley_prefix 4')");
  db.exec("INSERT INTO temp.t4 (x) VALUES ('\xf0\x9f\x98\x80\xf0\x9f\x98\x80 abcdef')");
  EXPECT_EQ(db.execAndGet("SELECT COUNT(*) FROM temp.t4 WHERE t4 MATCH 'abcdxyz'").getInt(), 1)
      << "'abcdef' and 'abcdxyz' share their 4-byte prefix: the index's candidate, for LineMatcher to check";
}

// Lines packed many to a row (one batch): each is indexed and found on its
// own, in the targets asked only, and one taken out of its row leaves the
// others found.
TEST(HistorySearchRows, HitsInsidePackedRowsAreFoundOneByOne) {
  testing::TempFolder folder;
  SQLite::Database db = open_for_writing(testing::settings(folder.file("parley.db")));
  std::vector<HistoryLine> lines;
  for (int i = 0; i < 300; ++i) {
    lines.push_back(testing::said("lobby", "Ann", i % 50 == 7 ? fmt::format("rare word {}", i) : "common", 1000 + i,
                                  testing::timed_id(fmt::format("l{}", i), 1000 + i)));
    lines.push_back(testing::said("other", "Bo", "rare elsewhere", 1000 + i, testing::timed_id(fmt::format("o{}", i), 1000 + i)));
  }
  EXPECT_EQ(testing::write_batch(db, lines, /*index=*/true), 600u);
  EXPECT_EQ(testing::rows_and_lines(db).first, 6) << "two targets, three rows each";
  core::SearchQuery q;
  q.targets = {"lobby"};
  q.words = "rare";
  q.limit = 100;
  std::vector<std::string> texts;
  for (const auto& line : search_history(db, q)) texts.push_back(line.text);
  EXPECT_THAT(texts, ElementsAre("rare word 257", "rare word 207", "rare word 157", "rare word 107", "rare word 57",
                                 "rare word 7"));
  q.limit = 2;
  EXPECT_EQ(search_history(db, q).size(), 2u) << "the limit holds";
  // Taken out of its row (redaction): the row's other lines are still found.
  SqliteHistoryEdits edits(testing::settings(folder.file("parley.db")));
  EXPECT_TRUE(edits.remove("lobby", testing::timed_id("l157", 1157)));
  q.limit = 100;
  EXPECT_EQ(search_history(db, q).size(), 5u);
  db.exec("INSERT INTO history_search (history_search) VALUES ('integrity-check')");
}

// Rows of two targets written in one batch overlap in seq: newest first
// across both is still the lines' order, whichever row the index gives first.
TEST(HistorySearchRows, NewestFirstAcrossTargetsWhoseRowsInterleave) {
  testing::TempFolder folder;
  SQLite::Database db = open_for_writing(testing::settings(folder.file("parley.db")));
  std::vector<HistoryLine> lines;
  for (int i = 0; i < 300; ++i) {
    lines.push_back(testing::said("lobby", "Ann", fmt::format("word lobby {}", i), 1000 + i, fmt::format("l{}", i)));
    lines.push_back(testing::said("other", "Bo", fmt::format("word other {}", i), 1000 + i, fmt::format("o{}", i)));
  }
  testing::write_batch(db, lines, /*index=*/true);
  core::SearchQuery q;
  q.targets = {"lobby", "other"};
  q.words = "word";
  q.limit = 5;
  std::vector<std::string> texts;
  for (const auto& line : search_history(db, q)) texts.push_back(line.text);
  EXPECT_THAT(texts, ElementsAre("word other 299", "word lobby 299", "word other 298", "word lobby 298",
                                 "word other 297"));
  q.targets = {"lobby"};
  q.limit = 2;
  texts.clear();
  for (const auto& line : search_history(db, q)) texts.push_back(line.text);
  EXPECT_THAT(texts, ElementsAre("word lobby 299", "word lobby 298"));
}

// A row is one document of the index, but a line is found only if it holds
// every word itself, as it would have been with a document per line.
TEST(HistorySearchRows, EveryWordMustBeInOneLineOfTheRow) {
  testing::TempFolder folder;
  SQLite::Database db = open_for_writing(testing::settings(folder.file("parley.db")));
  std::vector<HistoryLine> lines;
  const char* texts[] = {"apple pie", "banana split", "ICE-CREAM and apple", "cream, ice", "Crème brûlée", "bananas"};
  for (int i = 0; i < 6; ++i) lines.push_back(testing::said("lobby", "Ann", texts[i], 1000 + i, fmt::format("l{}", i)));
  testing::write_batch(db, lines, /*index=*/true);
  EXPECT_EQ(testing::rows_and_lines(db).first, 1) << "one row: one document holding every word below";
  auto found = [&](std::string words) { return found_ids(db, {"lobby"}, std::move(words)); };
  EXPECT_THAT(found("apple banana"), IsEmpty()) << "the two words are in different lines";
  EXPECT_THAT(found("apple"), ElementsAre("l2", "l0"));
  EXPECT_THAT(found("ice-cream"), ElementsAre("l2")) << "a word of several tokens is a phrase: in that order";
  EXPECT_THAT(found("ice cream"), ElementsAre("l3", "l2"));
  EXPECT_THAT(found("banan*"), ElementsAre("l5", "l1")) << "a prefix";
  EXPECT_THAT(found("ban* split"), ElementsAre("l1"));
  EXPECT_THAT(found("creme BRULEE"), ElementsAre("l4")) << "case and accents folded as the index folds them";
  EXPECT_THAT(found("apple !!!"), ElementsAre("l2", "l0")) << "a word without letters is left out, as FTS5 does";
  EXPECT_THAT(found("pie*"), ElementsAre("l0"));
  EXPECT_THAT(found("pi"), IsEmpty()) << "a whole word, unless asked for a prefix";
}

// By relevance, lines are ranked as BM25 would rank them: more of the words
// in a shorter line.
TEST(HistorySearchRows, RelevanceRanksTheLinesOfARow) {
  testing::TempFolder folder;
  SQLite::Database db = open_for_writing(testing::settings(folder.file("parley.db")));
  std::vector<HistoryLine> lines;
  const char* texts[] = {"a garden with many things in it and more", "garden", "garden garden party", "no match"};
  for (int i = 0; i < 4; ++i) lines.push_back(testing::said("lobby", "Ann", texts[i], 1000 + i, fmt::format("l{}", i)));
  testing::write_batch(db, lines, /*index=*/true);
  EXPECT_THAT(found_ids(db, {"lobby"}, "garden", /*newest_first=*/false), ElementsAre("l2", "l1", "l0"));
}

// Relevance is scored per line across rows, not per row: the best line of
// an older row beats a newer row full of weaker matches.
TEST(HistorySearchRows, RelevanceRanksLinesAcrossRows) {
  testing::TempFolder folder;
  SQLite::Database db = open_for_writing(testing::settings(folder.file("parley.db")));
  testing::write_batch(db, {testing::said("lobby", "Ann", "garden", 1000, "best")}, /*index=*/true);
  std::vector<HistoryLine> weak;
  for (int i = 0; i < 100; ++i) {
    weak.push_back(testing::said("lobby", "Bo", fmt::format("the garden and the other {} things of the day", i),
                                 2000 + i, fmt::format("w{}", i)));
  }
  testing::write_batch(db, weak, /*index=*/true);
  core::SearchQuery q;
  q.targets = {"lobby"};
  q.words = "garden";
  q.newest_first = false;
  q.limit = 3;
  const auto found = search_history(db, q);
  ASSERT_EQ(found.size(), 3u);
  EXPECT_EQ(found[0].id, "best");
  EXPECT_EQ(found[1].id, "w99") << "equal scores: the newest first";
  EXPECT_EQ(found[2].id, "w98");
}

// Of two words, the rarer weighs more: a line with the rare word twice beats
// one with the common word twice (the index's rows say which is rarer).
TEST(HistorySearchRows, RelevanceWeighsRareWordsMore) {
  testing::TempFolder folder;
  SQLite::Database db = open_for_writing(testing::settings(folder.file("parley.db")));
  for (int batch = 0; batch < 20; ++batch) {  // a row each, all with "meeting"
    testing::write_batch(db, {testing::said("lobby", "Cy", fmt::format("meeting notes {}", batch), 100 + batch,
                                            fmt::format("m{}", batch))},
                         /*index=*/true);
  }
  // The newer line has the common word twice: unweighed, it would come first.
  testing::write_batch(db, {testing::said("lobby", "Bo", "meeting budget budget", 1000, "rare"),
                            testing::said("lobby", "Ann", "meeting meeting budget", 2000, "common")},
                       /*index=*/true);
  EXPECT_THAT(found_ids(db, {"lobby"}, "budget meeting", /*newest_first=*/false), ElementsAre("rare", "common"));
  EXPECT_THAT(found_ids(db, {"lobby"}, "meeting budget", /*newest_first=*/false), ElementsAre("rare", "common"))
      << "whatever the words' order";
}

// Relevance looks at the newest rows that hold the words until
// kRankedLinesLookedAt of their lines have been looked at: a better line
// further back is ranked while the lines before it are within the limit, and
// not once they are past it.
TEST(HistorySearchRows, RelevanceLooksAtTheNewestLinesUpToItsLimit) {
  testing::TempFolder folder;
  SQLite::Database db = open_for_writing(testing::settings(folder.file("parley.db")));
  // The best line in a row of its own, the oldest.
  testing::write_batch(db, {testing::said("lobby", "Ann", "garden", 1000, "best")}, /*index=*/true);
  // Then rows of weaker matches, kRankedLinesLookedAt - 1 lines in all.
  std::vector<HistoryLine> weak;
  const std::size_t before_best = kRankedLinesLookedAt - 1;
  for (std::size_t i = 0; i < before_best; ++i) {
    weak.push_back(testing::said("lobby", "Bo", "the garden again", static_cast<std::int64_t>(2000 + i),
                                 fmt::format("w{}", i)));
  }
  testing::write_batch(db, weak, /*index=*/true);
  core::SearchQuery q;
  q.targets = {"lobby"};
  q.words = "garden";
  q.newest_first = false;
  q.limit = 1;
  ASSERT_EQ(search_history(db, q).size(), 1u);
  EXPECT_EQ(search_history(db, q)[0].id, "best") << "the best line is the limit's last line looked at";
  // One more row: the newer rows alone reach the limit.
  testing::write_batch(db, {testing::said("lobby", "Cy", "the garden once more", 90000000, "newest")},
                       /*index=*/true);
  ASSERT_EQ(search_history(db, q).size(), 1u);
  EXPECT_NE(search_history(db, q)[0].id, "best") << "past the limit";
  q.newest_first = true;
  EXPECT_EQ(search_history(db, q)[0].id, "newest");
}

// Deleting an account takes its private conversations' rows (packed, many
// lines to a row) and their search index entries; others' stay.
TEST(HistorySearchRows, AnAccountsDeletionTakesItsConversationsRowsAndIndexEntries) {
  testing::TempFolder folder;
  const std::string path = folder.file("parley.db");
  SQLite::Database db = open_for_writing(testing::settings(path));
  {
    std::vector<HistoryLine> lines;
    for (int i = 0; i < 200; ++i) {
      lines.push_back(private_line("raj_ingle", "Bo", fmt::format("secret plan {}", i), 1000 + i, fmt::format("r{}", i)));
      lines.push_back(private_line("Cy", "Bo", fmt::format("other plan {}", i), 1000 + i, fmt::format("c{}", i)));
    }
    testing::write_batch(db, lines, /*index=*/true);
  }
  SqliteAccounts accounts(testing::settings(path));
  ASSERT_TRUE(accounts.insert(testing::raj()));
  ASSERT_TRUE(accounts.remove("raj_ingle"));
  core::SearchQuery q;
  q.targets = {core::private_history_key("raj_ingle", "Bo"), core::private_history_key("Cy", "Bo")};
  q.words = "plan";
  q.limit = 1000;
  const auto found = search_history(db, q);
  ASSERT_EQ(found.size(), 200u) << "Cy's lines only";
  for (const auto& line : found) EXPECT_EQ(line.sender.nick, "Cy");
  EXPECT_EQ(db.execAndGet("SELECT COUNT(*) FROM history_search WHERE history_search MATCH 'secret'").getInt(), 0);
  EXPECT_TRUE(read_history(db, testing::latest(core::private_history_key("raj_ingle", "Bo"))).empty());
  db.exec("INSERT INTO history_search (history_search) VALUES ('integrity-check')");
}

TEST_F(HistorySearch, RelevanceOrderPutsTheBestMatchFirst) {
  EXPECT_THAT(found({"lobby"}, "garden", false), ElementsAre("l2", "l1")) << "three gardens beat one";
}

TEST_F(HistorySearch, PrivateConversationsAreSearchedByTheirKey) {
  EXPECT_THAT(found({core::private_history_key("Ann", "Bo")}, "garden"), ElementsAre("p1"));
  EXPECT_THAT(found({core::private_history_key("bo", "ANN")}, "garden"), ElementsAre("p1")) << "keys fold and sort";
}

TEST_F(HistorySearch, TargetsListsTheRoomsAskedAndTheAccountsConversations) {
  core::TargetsQuery q{{"lobby", "secret", "empty"}, "BO", at_ms(0), at_ms(100000), 10};
  const auto targets = read_targets(db_, q);
  std::vector<std::string> names;
  for (const auto& t : targets) names.push_back(t.name + "@" + std::to_string(t.latest.time_since_epoch().count() / 1000000));
  // Oldest first; Cy and Dee's conversation is not Bo's; #empty has no lines.
  EXPECT_THAT(names, ElementsAre("lobby@3500", "secret@4000", "ann@5000"));
  q.limit = 2;
  EXPECT_EQ(read_targets(db_, q).size(), 2u);
  EXPECT_EQ(read_targets(db_, q).back().name, "secret") << "the limit keeps the oldest";
  q.limit = 10;
  q.to = at_ms(3600);
  q.account = "";
  ASSERT_EQ(read_targets(db_, q).size(), 1u) << "strictly between the two times; no account, no conversations";
  EXPECT_EQ(read_targets(db_, q)[0].name, "lobby");
  q.to = at_ms(3000);
  EXPECT_TRUE(read_targets(db_, q).empty()) << "#lobby has lines before 3000 but its latest is after";
}

// One side logged in: the conversation is its account's alone (docs/irc.md,
// "History"), listed once per name beside an account conversation of that name.
TEST_F(HistorySearch, AGuestConversationIsListedForItsAccountOnly) {
  core::PrivateMessage pm;
  core::Identity guest;
  guest.display = guest.nick = "Eve";
  pm.sender = std::make_shared<const core::Identity>(guest);
  pm.to_nick = "Ann";
  pm.text = "garden party?";
  pm.time = at_ms(8000);
  pm.id = "g1";
  const auto line = core::history_line(pm, "Ann");
  ASSERT_TRUE(line);
  EXPECT_EQ(line->target, core::private_guest_key("ann", "eve"));
  {
    SQLite::Transaction tx(db_);
    HistoryInserter(db_).insert(*line);
    HistoryInserter(db_).insert(private_line("Ann", "Eve", "account Eve, later", 9000, "a1"));
    index_for_search(db_, 1000);
    tx.commit();
  }
  core::TargetsQuery q{{}, "ann", at_ms(0), at_ms(100000), 10};
  std::vector<std::string> names;
  for (const auto& t : read_targets(db_, q)) names.push_back(t.name + "@" + std::to_string(t.latest.time_since_epoch().count() / 1000000));
  EXPECT_THAT(names, ElementsAre("bo@5000", "eve@9000")) << "the guest Eve and the account Eve: one name, its latest line";
  q.account = "eve";
  names.clear();
  for (const auto& t : read_targets(db_, q)) names.push_back(t.name);
  EXPECT_THAT(names, ElementsAre("ann")) << "the account eve lists its own conversation, not the guest's";
  EXPECT_THAT(found({core::private_guest_key("ANN", "Eve")}, "garden"), ElementsAre("g1"));
}

}  // namespace
}  // namespace parley::store

namespace parley::store {
namespace {

// Times are milliseconds, and two conversations' latest lines often share one
// (on loopback, a reply to another takes less): the order they were recorded
// in decides, not how the conversations' keys sort.
TEST(HistoryTargets, ConversationsWhoseLatestLinesShareAMillisecondComeInTheOrderTheyWereKept) {
  testing::TempFolder folder;
  SQLite::Database db = open_for_writing(testing::settings(folder.file("parley.db")));
  core::PrivateMessage pm;
  core::Identity guest;
  guest.display = guest.nick = "Abe";
  pm.sender = std::make_shared<const core::Identity>(guest);
  pm.to_nick = "Zed";
  pm.text = "first, from a guest";
  pm.time = at_ms(7000);
  pm.id = "g1";
  {
    SQLite::Transaction tx(db);
    HistoryInserter insert(db);
    insert.insert(*core::history_line(pm, "Zed"));                         // key @zed.!abe, kept first
    insert.insert(private_line("Yan", "Zed", "then from an account", 7000, "y1"));  // key @yan.zed sorts first
    tx.commit();
  }
  core::TargetsQuery q{{}, "zed", at_ms(0), at_ms(100000), 10};
  std::vector<std::string> names;
  for (const auto& t : read_targets(db, q)) names.push_back(t.name);
  EXPECT_THAT(names, ElementsAre("abe", "yan"));
  q.limit = 1;
  ASSERT_EQ(read_targets(db, q).size(), 1u);
  EXPECT_EQ(read_targets(db, q)[0].name, "abe") << "the limit keeps the one kept first";
}

}  // namespace
}  // namespace parley::store
