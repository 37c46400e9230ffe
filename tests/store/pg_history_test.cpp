// History in PostgreSQL ([storage] url), shared by every node, against a real
// PostgreSQL 15 server: each chathistory direction, one copy of a line kept by
// several nodes (in the room's order), TARGETS, search, redaction, retention,
// an account's deletion, and writing on across a server restart.
#include <gmock/gmock.h>
#include <gtest/gtest.h>

#include <future>
#include <memory>
#include <string>
#include <vector>

#include "pg_fixture.h"
#include "sample_records.h"
#include "store/pg_history.h"
#include "store/pg_history_rows.h"
#include "store/pg_records.h"

namespace parley::store {
namespace {

using core::HistoryLine;
using core::HistoryPoint;
using Direction = core::HistoryQuery::Direction;
using ::testing::ElementsAre;
using testing::at_ms;
using testing::said;

class PgHistoryTest : public testing::PgFixture {
 protected:
  StorageSettings settings() const {
    StorageSettings s = testing::settings("unused.db");
    s.url = url_;
    return s;
  }
  // #lobby: m1..m10 at 1000..10000 ms, a join at 5500; #other between them.
  static void fill(PgHistory& history) {
    for (int i = 1; i <= 10; ++i) {
      history.record(said("lobby", "Ann", "m" + std::to_string(i), i * 1000, "id" + std::to_string(i)));
      if (i == 5) history.record(said("lobby", "Bo", "", 5500, "join", HistoryLine::Kind::join));
      history.record(said("other", "Cy", "elsewhere", i * 1000, "o" + std::to_string(i)));
    }
  }
  static std::vector<HistoryLine> fetch(PgHistory& history, core::HistoryQuery q) {
    std::promise<core::Result<std::vector<HistoryLine>>> answer;
    history.fetch(std::move(q), [&](auto result) { answer.set_value(std::move(result)); });
    auto result = answer.get_future().get();
    EXPECT_TRUE(result.ok());
    return result.ok() ? result.value() : std::vector<HistoryLine>{};
  }
  static std::vector<std::string> texts(const std::vector<HistoryLine>& lines) {
    std::vector<std::string> out;
    for (const auto& line : lines) out.push_back(line.kind == HistoryLine::Kind::join ? "join" : line.text);
    return out;
  }
  static std::vector<std::string> texts(PgHistory& history, core::HistoryQuery q) { return texts(fetch(history, q)); }
  static std::vector<std::string> search(PgHistory& history, std::vector<std::string> targets, std::string words,
                                         bool newest_first = true) {
    core::SearchQuery q;
    q.targets = std::move(targets);
    q.words = std::move(words);
    q.newest_first = newest_first;
    std::promise<core::Result<std::vector<HistoryLine>>> answer;
    history.search(std::move(q), [&](auto result) { answer.set_value(std::move(result)); });
    auto result = answer.get_future().get();
    EXPECT_TRUE(result.ok());
    return result.ok() ? texts(result.value()) : std::vector<std::string>{};
  }
};

TEST_F(PgHistoryTest, EachDirectionReadsWhatTheFileWould) {
  PgHistory history(settings());
  fill(history);
  using testing::query;
  EXPECT_THAT(texts(history, query("lobby", Direction::latest, 3)), ElementsAre("m8", "m9", "m10"));
  EXPECT_THAT(texts(history, query("lobby", Direction::latest, 100, HistoryPoint::line("id8"))),
              ElementsAre("m9", "m10"));
  EXPECT_THAT(texts(history, query("lobby", Direction::before, 2, HistoryPoint::line("id3"))), ElementsAre("m1", "m2"));
  EXPECT_THAT(texts(history, query("lobby", Direction::before, 2, HistoryPoint::at(at_ms(3500)))),
              ElementsAre("m2", "m3"));
  EXPECT_THAT(texts(history, query("lobby", Direction::after, 2, HistoryPoint::line("id5"))), ElementsAre("join", "m6"));
  EXPECT_THAT(texts(history, query("lobby", Direction::after, 2, HistoryPoint::at(at_ms(8000)))),
              ElementsAre("m9", "m10"));
  EXPECT_THAT(texts(history, query("lobby", Direction::around, 3, HistoryPoint::line("id3"))),
              ElementsAre("m2", "m3", "m4"));
  EXPECT_THAT(texts(history, query("lobby", Direction::between, 2, HistoryPoint::line("id2"), HistoryPoint::line("id9"))),
              ElementsAre("m3", "m4"));
  EXPECT_THAT(texts(history, query("lobby", Direction::between, 2, HistoryPoint::line("id9"), HistoryPoint::line("id2"))),
              ElementsAre("m7", "m8"))
      << "from the later point's side";
  auto speech = query("lobby", Direction::after, 2, HistoryPoint::line("id5"));
  speech.speech_only = true;
  EXPECT_THAT(texts(history, speech), ElementsAre("m6", "m7"));
  EXPECT_THAT(texts(history, query("lobby", Direction::before, 5, HistoryPoint::line("o3"))), ElementsAre())
      << "another room's id is no point in this one";
  EXPECT_THAT(texts(history, query("lobby", Direction::latest, 0)), ElementsAre());

  auto whole = fetch(history, query("lobby", Direction::before, 1, HistoryPoint::line("id2")));
  ASSERT_EQ(whole.size(), 1u);
  EXPECT_EQ(whole[0].id, "id1");
  EXPECT_EQ(whole[0].room, "lobby");
  EXPECT_EQ(whole[0].sender.display, "Ann");
  EXPECT_EQ(whole[0].sender.user, "u");
  EXPECT_EQ(whole[0].sender.host, "h");
  EXPECT_EQ(whole[0].time, at_ms(1000));
}

// Every node with members in a room keeps its lines: one copy each, in the
// room's order, whichever node wrote first; any node reads the same lines.
TEST_F(PgHistoryTest, NodesKeepingTheSameLinesLeaveOneCopyInTheRoomsOrder) {
  PgHistory node_a(settings());
  PgHistory node_b(settings());
  for (int i = 1; i <= 200; ++i) {
    auto line = said("lobby", "Ann", "m" + std::to_string(i), 1000 + i, "id" + std::to_string(i));
    node_a.record(line);
    node_b.record(line);
    if (i % 50 == 0) node_a.flush();  // the two writers interleave their batches
  }
  node_a.flush();
  node_b.flush();
  for (PgHistory* node : {&node_a, &node_b}) {
    auto lines = texts(*node, testing::latest("lobby"));
    ASSERT_EQ(lines.size(), 200u);
    for (int i = 1; i <= 200; ++i) EXPECT_EQ(lines[i - 1], "m" + std::to_string(i));
  }
  EXPECT_EQ(node_a.counts().committed, 200u);
  EXPECT_EQ(node_b.counts().committed, 200u) << "a line kept already counts as written";
}

TEST_F(PgHistoryTest, TargetsListRoomsAndAnAccountsConversationsOldestFirst) {
  PgHistory history(settings());
  history.record(said("lobby", "Ann", "hi", 1000, "a1"));
  history.record(said("other", "Cy", "yo", 3000, "b1"));
  auto pm = said(core::private_history_key("ann", "bo"), "Bo", "psst", 2000, "p1");
  pm.room.clear();
  history.record(pm);
  core::TargetsQuery q;
  q.rooms = {"lobby", "other", "nowhere"};
  q.account = "Ann";
  q.from = at_ms(0);
  q.to = at_ms(10000);
  std::promise<core::Result<std::vector<core::HistoryTarget>>> answer;
  history.fetch_targets(q, [&](auto result) { answer.set_value(std::move(result)); });
  auto result = answer.get_future().get();
  ASSERT_TRUE(result.ok());
  const auto& found = result.value();
  ASSERT_EQ(found.size(), 3u);
  EXPECT_EQ(found[0].name, "lobby");
  EXPECT_EQ(found[1].name, "bo");
  EXPECT_EQ(found[2].name, "other");
  EXPECT_EQ(found[1].latest, at_ms(2000));
}

TEST_F(PgHistoryTest, TargetsInTheSameMillisecondGoInTheOrderTheyWereKept) {
  PgHistory history(settings());
  // Keys that sort the other way round from the order the lines came in.
  history.record(said("zeta", "Ann", "first", 5000, "z1"));
  history.record(said("alpha", "Ann", "second", 5000, "a1"));
  core::TargetsQuery q;
  q.rooms = {"alpha", "zeta"};
  q.from = at_ms(0);
  q.to = at_ms(10000);
  std::promise<core::Result<std::vector<core::HistoryTarget>>> answer;
  history.fetch_targets(q, [&](auto result) { answer.set_value(std::move(result)); });
  auto result = answer.get_future().get();
  ASSERT_TRUE(result.ok());
  ASSERT_EQ(result.value().size(), 2u);
  EXPECT_EQ(result.value()[0].name, "zeta");
  EXPECT_EQ(result.value()[1].name, "alpha");
}

TEST_F(PgHistoryTest, ABotsLinesComeBackMarked) {
  PgHistory history(settings());
  auto line = said("lobby", "Robo", "beep", 1000, "r1");
  line.sender.presence.bot = true;
  history.record(line);
  history.record(said("lobby", "Ann", "hi", 2000, "a1"));
  auto lines = fetch(history, testing::latest("lobby"));
  ASSERT_EQ(lines.size(), 2u);
  EXPECT_TRUE(lines[0].sender.presence.bot);
  EXPECT_FALSE(lines[1].sender.presence.bot);
}

TEST_F(PgHistoryTest, SearchFindsEveryWordPrefixesAndQuotesInTheRoomsAsked) {
  PgHistory history(settings());
  history.record(said("lobby", "Ann", "the Quick brown fox", 1000, "a1"));
  history.record(said("lobby", "Ann", "a slow brown dog", 2000, "a2"));
  history.record(said("lobby", "Ann", "it's O'Brien's turn \\ now", 3000, "a3"));
  history.record(said("other", "Cy", "quick elsewhere", 4000, "b1"));
  history.record(said("lobby", "Bo", "quick", 5000, "join", HistoryLine::Kind::part));
  EXPECT_THAT(search(history, {"lobby"}, "brown"), ElementsAre("a slow brown dog", "the Quick brown fox"));
  EXPECT_THAT(search(history, {"lobby"}, "QUICK brown"), ElementsAre("the Quick brown fox")) << "case folded";
  EXPECT_THAT(search(history, {"lobby"}, "qui*"), ElementsAre("the Quick brown fox")) << "a part is not speech";
  EXPECT_THAT(search(history, {"lobby", "other"}, "quick"), ElementsAre("quick elsewhere", "the Quick brown fox"));
  EXPECT_THAT(search(history, {"lobby"}, "o'brien's \\"), ElementsAre("it's O'Brien's turn \\ now"))
      << "quotes and backslashes are words, not syntax";
  EXPECT_THAT(search(history, {"lobby"}, "* '' &|!"), ElementsAre()) << "no word: nothing, and no error";
  EXPECT_THAT(search(history, {"lobby"}, "brown fox", false), ElementsAre("the Quick brown fox"));
}

TEST_F(PgHistoryTest, ARedactedLineIsGoneFromReadsAndSearchOnEveryNode) {
  PgHistory history(settings());
  history.record(said("lobby", "Ann", "secret word", 1000, "a1"));
  history.record(said("lobby", "Ann", "kept", 2000, "a2"));
  history.flush();
  PgHistoryEdits edits(url_);
  auto found = edits.find("lobby", "a1");
  ASSERT_TRUE(found);
  EXPECT_EQ(found->nick, "Ann");
  EXPECT_EQ(found->time, at_ms(1000));
  EXPECT_FALSE(edits.find("other", "a1")) << "an id is looked up in its room only";
  EXPECT_TRUE(edits.remove("lobby", "a1"));
  EXPECT_FALSE(edits.remove("lobby", "a1"));
  EXPECT_THAT(texts(history, testing::latest("lobby")), ElementsAre("kept"));
  EXPECT_THAT(search(history, {"lobby"}, "secret"), ElementsAre());
}

TEST_F(PgHistoryTest, RetentionDeletesByAgeAndByCountPerRoom) {
  StorageSettings s = settings();
  s.retention.max_lines_per_room = 3;
  s.retention.max_age = std::chrono::hours(1);
  s.retention.now = [] { return std::chrono::system_clock::time_point(at_ms(10'000'000)); };
  {
    PgHistory history(s);  // prunes at start, then every interval: this one starts empty
    for (int i = 1; i <= 5; ++i)
      history.record(said("lobby", "Ann", "m" + std::to_string(i), 9'000'000 + i, "l" + std::to_string(i)));
    history.record(said("other", "Cy", "too old", 1000, "o1"));
  }
  PgHistory restarted(s);  // prunes first thing
  // The writer prunes before it writes its first batch: once this line is
  // written, the pruning is done.
  restarted.record(said("third", "Di", "new", 9'999'999, "t1"));
  restarted.flush();
  EXPECT_THAT(texts(restarted, testing::latest("lobby")), ElementsAre("m3", "m4", "m5"));
  EXPECT_THAT(texts(restarted, testing::latest("other")), ElementsAre());
  EXPECT_EQ(restarted.counts().pruned, 3u);
}

TEST_F(PgHistoryTest, ADeletedAccountsConversationsGoWithIt) {
  PgHistory history(settings());
  auto pm = said(core::private_history_key("ann", "bo"), "Bo", "psst", 2000, "p1");
  pm.room.clear();
  history.record(pm);
  history.record(said("lobby", "Ann", "public", 3000, "a1"));
  history.flush();
  PgAccounts accounts(url_);
  auto ann = testing::raj();
  ann.key = "ann";
  ann.name = "Ann";
  ASSERT_TRUE(accounts.insert(ann));
  ASSERT_TRUE(accounts.remove("ann"));
  EXPECT_THAT(texts(history, testing::latest(core::private_history_key("ann", "bo"))), ElementsAre());
  EXPECT_THAT(texts(history, testing::latest("lobby")), ElementsAre("public")) << "what was said in rooms stays";
}

TEST_F(PgHistoryTest, WritingCarriesOnAcrossAServerRestart) {
  PgHistory history(settings());
  history.record(said("lobby", "Ann", "before", 1000, "a1"));
  history.flush();
  server_->restart();  // both of the store's connections are broken now
  history.record(said("lobby", "Ann", "after", 2000, "a2"));
  history.flush();
  EXPECT_EQ(history.counts().lost, 0u);
  EXPECT_THAT(texts(history, testing::latest("lobby")), ElementsAre("before", "after"));
}

TEST(PgTsquery, QuotesEachWordAndKeepsPrefixes) {
  EXPECT_EQ(pg_tsquery("brown fox*"), "'brown' & 'fox':*");
  EXPECT_EQ(pg_tsquery("it's a\\b"), "'it''s' & 'a\\\\b'");
  EXPECT_EQ(pg_tsquery("  * \t"), "");
}

}  // namespace
}  // namespace parley::store
