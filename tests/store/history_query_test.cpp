// Reading a room's history: each direction of draft/chathistory, by time and
// by message id, oldest first, within the limit.
#include <algorithm>
#include <set>

#include <gmock/gmock.h>
#include <gtest/gtest.h>

#include <fmt/format.h>

#include <SQLiteCpp/Transaction.h>

#include "store/database.h"
#include "store/history_rows.h"
#include "store/line_rows.h"
#include "store_fixture.h"

namespace parley::store {
namespace {

using core::HistoryLine;
using core::HistoryPoint;
using core::HistoryQuery;
using Direction = HistoryQuery::Direction;
using ::testing::ElementsAre;
using testing::at_ms;

std::vector<std::string> texts_of(const std::vector<HistoryLine>& lines) {
  std::vector<std::string> out;
  for (const auto& line : lines) out.push_back(line.text);
  return out;
}

class HistoryQueries : public ::testing::Test {
 protected:
  HistoryQueries() : db_(open_for_writing(testing::settings(folder_.file("parley.db")))) {
    // #lobby: m1..m10 at 1000, 2000, ... 10000 ms; a join at 5500; #other in between.
    SQLite::Transaction tx(db_);
    HistoryInserter insert(db_);
    for (int i = 1; i <= 10; ++i) {
      insert.insert(testing::said("lobby", "Ann", "m" + std::to_string(i), i * 1000, id(i)));
      if (i == 5) insert.insert(testing::said("lobby", "Bo", "", 5500, "join", HistoryLine::Kind::join));
      insert.insert(testing::said("other", "Cy", "elsewhere", i * 1000, "o" + std::to_string(i)));
    }
    tx.commit();
  }

  // m<i>'s message id, which carries its time as parleyd's do.
  static std::string id(int i) { return testing::timed_id("id" + std::to_string(i), i * 1000); }

  static HistoryQuery speech_only(HistoryQuery q) {
    q.speech_only = true;
    return q;
  }
  std::vector<std::string> texts(const HistoryQuery& q) {
    std::vector<std::string> out;
    for (const auto& line : read_history(db_, q)) out.push_back(line.kind == HistoryLine::Kind::join ? "join" : line.text);
    return out;
  }

  testing::TempFolder folder_;
  SQLite::Database db_;
};

TEST_F(HistoryQueries, LatestIsTheNewestLinesOldestFirst) {
  EXPECT_THAT(texts(testing::query("lobby", Direction::latest, 3)), ElementsAre("m8", "m9", "m10"));
}

TEST_F(HistoryQueries, LatestAfterAPointStopsThere) {
  EXPECT_THAT(texts(testing::query("lobby", Direction::latest, 5, HistoryPoint::line(id(8)))),
              ElementsAre("m9", "m10"));
}

TEST_F(HistoryQueries, BeforeAMessageIdLeavesItOut) {
  EXPECT_THAT(texts(testing::query("lobby", Direction::before, 2, HistoryPoint::line(id(4)))),
              ElementsAre("m2", "m3"));
}

TEST_F(HistoryQueries, BeforeATime) {
  EXPECT_THAT(texts(testing::query("lobby", Direction::before, 10, HistoryPoint::at(at_ms(3000)))),
              ElementsAre("m1", "m2"));
}

TEST_F(HistoryQueries, AfterAMessageIdAndAfterATime) {
  EXPECT_THAT(texts(testing::query("lobby", Direction::after, 2, HistoryPoint::line(id(5)))),
              ElementsAre("join", "m6"));
  EXPECT_THAT(texts(testing::query("lobby", Direction::after, 10, HistoryPoint::at(at_ms(8500)))),
              ElementsAre("m9", "m10"));
}

TEST_F(HistoryQueries, AroundAMessageIdHasItInTheMiddle) {
  EXPECT_THAT(texts(testing::query("lobby", Direction::around, 3, HistoryPoint::line(id(3)))),
              ElementsAre("m2", "m3", "m4"));
}

TEST_F(HistoryQueries, BetweenTwoPointsFromEitherSide) {
  EXPECT_THAT(texts(testing::query("lobby", Direction::between, 3, HistoryPoint::line(id(2)), HistoryPoint::at(at_ms(9000)))),
              ElementsAre("m3", "m4", "m5"));
  // From the later point: the lines nearest it, still oldest first.
  EXPECT_THAT(texts(testing::query("lobby", Direction::between, 3, HistoryPoint::at(at_ms(9000)), HistoryPoint::line(id(2)))),
              ElementsAre("m6", "m7", "m8"));
}

TEST_F(HistoryQueries, SpeechOnlyLeavesOutJoins) {
  EXPECT_THAT(texts(speech_only(testing::query("lobby", Direction::after, 2, HistoryPoint::line(id(5))))),
              ElementsAre("m6", "m7"));
}

TEST_F(HistoryQueries, AnUnknownIdGivesNothing) {
  EXPECT_THAT(texts(testing::query("lobby", Direction::before, 5, HistoryPoint::line("nope"))),
              ElementsAre());
}

TEST_F(HistoryQueries, TheLimitIsKeptAndZeroGivesNothing) {
  EXPECT_EQ(texts(testing::query("lobby", Direction::latest, 100)).size(), 11u);
  EXPECT_THAT(texts(testing::query("lobby", Direction::latest, 0)), ElementsAre());
}

TEST_F(HistoryQueries, LinesComeBackWhole) {
  auto lines = read_history(db_, testing::query("lobby", Direction::before, 1, HistoryPoint::line(id(2))));
  ASSERT_EQ(lines.size(), 1u);
  EXPECT_EQ(lines[0].id, id(1));
  EXPECT_EQ(lines[0].room, "lobby");
  EXPECT_EQ(lines[0].sender.display, "Ann");
  EXPECT_EQ(lines[0].sender.user, "u");
  EXPECT_EQ(lines[0].time, at_ms(1000));
  EXPECT_EQ(lines[0].kind, HistoryLine::Kind::message);
}

// A logged-in reader's conversation with an account and with guests of the
// same nick: read as one history, in the order the lines were kept.
TEST_F(HistoryQueries, ASecondTargetIsReadInOneOrderWithTheFirst) {
  {
    SQLite::Transaction tx(db_);
    HistoryInserter insert(db_);
    for (int i = 1; i <= 6; ++i) {
      const bool guest = i % 2 == 0;
      insert.insert(testing::said(guest ? "@ann\x1f!bo" : "@ann\x1f" "bo", "Bo", "p" + std::to_string(i), 20000 + i * 1000,
                                  testing::timed_id("p" + std::to_string(i), 20000 + i * 1000)));
    }
    tx.commit();
  }
  auto both = [](HistoryQuery q) {
    q.target = "@ann\x1f" "bo";
    q.also_target = "@ann\x1f!bo";
    return q;
  };
  EXPECT_THAT(texts(both(testing::query("", Direction::latest, 4))), ElementsAre("p3", "p4", "p5", "p6"));
  EXPECT_THAT(texts(both(testing::query("", Direction::after, 3, HistoryPoint::line(testing::timed_id("p2", 22000))))),
              ElementsAre("p3", "p4", "p5")) << "an id found in either";
  EXPECT_THAT(texts(both(testing::query("", Direction::before, 10, HistoryPoint::at(at_ms(24500))))),
              ElementsAre("p1", "p2", "p3", "p4"));
  EXPECT_THAT(texts(both(testing::query("", Direction::around, 2, HistoryPoint::line(testing::timed_id("p4", 24000))))), ElementsAre("p3", "p4"));
  EXPECT_THAT(texts(testing::query("@ann\x1f" "bo", Direction::latest, 10)), ElementsAre("p1", "p3", "p5"))
      << "without the second target, the first alone";
  auto guest_only = testing::query("@nobody\x1f" "bo", Direction::latest, 10);
  guest_only.also_target = "@ann\x1f!bo";
  EXPECT_THAT(texts(guest_only), ElementsAre("p2", "p4", "p6")) << "a first target with no lines";
}

TEST_F(HistoryQueries, ARoomWithNoLinesGivesNothing) {
  EXPECT_THAT(texts(testing::query("empty", Direction::latest, 10)), ElementsAre());
  EXPECT_THAT(texts(testing::query("empty", Direction::before, 10, HistoryPoint::line(id(3)))), ElementsAre())
      << "another room's id is no point in this one";
  EXPECT_THAT(texts(testing::query("other", Direction::before, 10, HistoryPoint::line(id(3)))), ElementsAre());
}

// One transaction of more lines than a row holds (kMaxLinesPerRow), two rooms
// interleaved: the lines packed in full rows and in the last, part-full one
// come back whole, each in its room, in order, and by their message ids.
TEST(HistoryInserts, ABatchOfManyRowsKeepsEveryLineWhole) {
  testing::TempFolder folder;
  SQLite::Database db = open_for_writing(testing::settings(folder.file("parley.db")));
  const int per_room = static_cast<int>(kMaxLinesPerRow) + 11;  // a full row and one of 11, each room
  std::vector<HistoryLine> lines;
  for (int i = 1; i <= per_room; ++i) {
    for (const char* room : {"a", "b"}) {
      lines.push_back(testing::said(room, std::string("who") + room, fmt::format("{}{}", room, i), i * 10,
                                    testing::timed_id(fmt::format("{}-id{}", room, i), i * 10)));
      if (i == 40) lines.back().client_tags = "+draft/reply=x";
      if (i == 41) {
        lines.back().kind = HistoryLine::Kind::kick;
        lines.back().object_name = "Zed";
      }
    }
  }
  testing::write_batch(db, lines);
  EXPECT_EQ(testing::rows_and_lines(db), std::make_pair(4, 2 * per_room));
  for (const char* room : {"a", "b"}) {
    const auto got = read_history(db, testing::latest(room));
    ASSERT_EQ(got.size(), static_cast<std::size_t>(per_room)) << room;
    for (int i = 1; i <= per_room; ++i) {
      const HistoryLine& line = got[static_cast<std::size_t>(i - 1)];
      EXPECT_EQ(line.text, fmt::format("{}{}", room, i));
      EXPECT_EQ(line.id, testing::timed_id(fmt::format("{}-id{}", room, i), i * 10));
      EXPECT_EQ(line.sender.nick, std::string("who") + room);
      EXPECT_EQ(line.time, at_ms(i * 10));
      EXPECT_EQ(line.client_tags, i == 40 ? "+draft/reply=x" : "");
      EXPECT_EQ(line.object_name, i == 41 ? "Zed" : "");
      EXPECT_EQ(line.kind, i == 41 ? HistoryLine::Kind::kick : HistoryLine::Kind::message);
    }
    // A line in the middle of the first row, found by its id.
    const auto around = read_history(
        db, testing::query(room, Direction::before, 2, HistoryPoint::line(testing::timed_id(fmt::format("{}-id30", room), 300))));
    ASSERT_EQ(around.size(), 2u) << room;
    EXPECT_EQ(around[0].text, fmt::format("{}28", room));
    EXPECT_EQ(around[1].text, fmt::format("{}29", room));
  }
}

// A row closes at kMaxLinesPerRow lines, or before the line that would take
// it past kMaxRowBytes; a line longer than that has a row of its own. Exactly
// at the cap is one row; one line more starts another.
TEST(HistoryInserts, RowsCloseAtTheirCaps) {
  auto rows_for = [](const std::vector<std::size_t>& body_sizes) {
    testing::TempFolder folder;
    SQLite::Database db = open_for_writing(testing::settings(folder.file("parley.db")));
    std::vector<HistoryLine> lines;
    for (std::size_t i = 0; i < body_sizes.size(); ++i)
      lines.push_back(testing::said("a", "Ann", std::string(body_sizes[i], 'x'), 1000 + static_cast<std::int64_t>(i),
                                    testing::timed_id(fmt::format("id{}", i), 1000 + static_cast<std::int64_t>(i))));
    testing::write_batch(db, lines);
    const auto got = read_history(db, testing::latest("a", 100000));
    EXPECT_EQ(got.size(), lines.size());
    for (std::size_t i = 0; i < got.size() && i < lines.size(); ++i) EXPECT_EQ(got[i].text, lines[i].text) << i;
    return testing::rows_and_lines(db).first;
  };
  EXPECT_EQ(rows_for(std::vector<std::size_t>(kMaxLinesPerRow, 10)), 1) << "exactly at the cap";
  EXPECT_EQ(rows_for(std::vector<std::size_t>(kMaxLinesPerRow + 1, 10)), 2) << "one past it";
  EXPECT_EQ(rows_for(std::vector<std::size_t>(2 * kMaxLinesPerRow, 10)), 2);
  // By bytes: lines of a quarter of the cap, four do not fit with their ids and numbers.
  EXPECT_EQ(rows_for(std::vector<std::size_t>(4, kMaxRowBytes / 4)), 2);
  EXPECT_EQ(rows_for(std::vector<std::size_t>(3, kMaxRowBytes / 4)), 1);
  EXPECT_EQ(rows_for({10, 3 * kMaxRowBytes, 10}), 3) << "a line longer than the cap has a row of its own";
}

// A time is found by a binary search over a room's lines (schema 10 keeps no
// index by time): for a room whose numbers have gaps (another room's lines in
// between, a varying number of them) and whose times repeat (several lines in
// one millisecond) or jump, every time from before the first line to after the
// last gives the lines a scan would.
TEST(HistoryTimes, EveryTimeFindsTheLinesAScanWould) {
  testing::TempFolder folder;
  SQLite::Database db = open_for_writing(testing::settings(folder.file("parley.db")));
  std::vector<HistoryLine> lines;  // alive until finish()
  std::vector<std::int64_t> times;  // the room's, in order
  std::int64_t ms = 1000;
  for (int i = 0; i < 150; ++i) {
    ms += (i % 7 == 0) ? 0 : (i % 11 == 0 ? 250 : 3);  // repeats, steps and jumps
    times.push_back(ms);
    lines.push_back(testing::said("room", "Ann", fmt::format("r{}", i), ms, fmt::format("r-{}", i)));
    for (int k = 0; k < i % 5; ++k)
      lines.push_back(testing::said("noise", "Bo", "x", ms, fmt::format("n-{}-{}", i, k)));
  }
  testing::write_batch(db, lines);
  SQLite::Transaction reading(db);  // one read lock for the thousand queries, not one each
  std::set<std::int64_t> points;  // each line's time and either side of it
  for (const std::int64_t line_ms : times) points.insert({line_ms - 1, line_ms, line_ms + 1});
  for (const std::int64_t t : points) {
    // A scan: the last line before t, and the first after it.
    const auto first_at_or_after = std::lower_bound(times.begin(), times.end(), t) - times.begin();
    const auto first_after = std::upper_bound(times.begin(), times.end(), t) - times.begin();
    const auto before = read_history(db, testing::query("room", Direction::before, 1, HistoryPoint::at(at_ms(t))));
    const auto after = read_history(db, testing::query("room", Direction::after, 1, HistoryPoint::at(at_ms(t))));
    if (first_at_or_after == 0) {
      EXPECT_TRUE(before.empty()) << t;
    } else {
      ASSERT_EQ(before.size(), 1u) << t;
      EXPECT_EQ(before[0].text, fmt::format("r{}", first_at_or_after - 1)) << t;
    }
    if (first_after == std::ssize(times)) {
      EXPECT_TRUE(after.empty()) << t;
    } else {
      ASSERT_EQ(after.size(), 1u) << t;
      EXPECT_EQ(after[0].text, fmt::format("r{}", first_after)) << t;
    }
  }
}

// No index by message id (schema 11): a line is found by the time its id
// carries, among the lines of that millisecond, however many, and among those
// of the seconds around it when lines were numbered not quite in the order of
// their times (a private conversation's two sides stamp them on their own
// loops, a cluster's nodes on their own clocks).
TEST(HistoryIds, ALineIsFoundByTheTimeItsIdCarries) {
  testing::TempFolder folder;
  SQLite::Database db = open_for_writing(testing::settings(folder.file("parley.db")));
  // The room's lines' times, in the order they are numbered.
  std::vector<std::int64_t> times = {1000, 1003, 1001, 2500, 1200, 2600, 2600};
  for (int i = 0; i < 300; ++i) times.push_back(5000);  // one busy millisecond
  times.push_back(5000 - kIdTimeSlackMs + 1);             // as late as may be
  times.push_back(9000);
  std::vector<HistoryLine> lines;  // alive until finish()
  for (std::size_t i = 0; i < times.size(); ++i) {
    lines.push_back(testing::said("room", "Ann", fmt::format("r{}", i), times[i],
                                  testing::timed_id(fmt::format("r-{}", i), times[i])));
    lines.push_back(testing::said("noise", "Bo", "x", times[i], testing::timed_id(fmt::format("r-{}", i), times[i])));
  }
  testing::write_batch(db, lines);
  SQLite::Transaction reading(db);
  for (std::size_t i = 0; i < times.size(); ++i) {
    const auto found = read_history(db, testing::query("room", Direction::around, 1,
                                                       HistoryPoint::line(lines[2 * i].id)));
    ASSERT_EQ(found.size(), 1u) << i;
    EXPECT_EQ(found[0].text, fmt::format("r{}", i)) << "the room's line, not the other room's of the same id";
  }
  EXPECT_THAT(texts_of(read_history(db, testing::query("room", Direction::after, 2,
                                                       HistoryPoint::line(testing::timed_id("r-2", 1001))))),
              ElementsAre("r3", "r4"))
      << "numbered after a later line";
  EXPECT_TRUE(read_history(db, testing::query("room", Direction::around, 5,
                                              HistoryPoint::line(testing::timed_id("r-1", 1004))))
                  .empty())
      << "an id with another time is none of the room's";
  EXPECT_TRUE(read_history(db, testing::query("room", Direction::around, 5, HistoryPoint::line("r-1"))).empty())
      << "nor one without a time, on a database never without timed ids";
}

}  // namespace
}  // namespace parley::store

namespace parley::store {
namespace {

// IRCv3 bot mode: whether the sender was a bot is kept with the line (schema
// 8), so replay can tag it as live did; one person as bot and not is two senders.
TEST(HistoryBots, WhetherTheSenderWasABotComesBackWithTheLine) {
  testing::TempFolder folder;
  SQLite::Database db = open_for_writing(testing::settings(folder.file("parley.db")));
  {
    SQLite::Transaction tx(db);
    HistoryInserter insert(db);
    insert.insert(testing::said("lobby", "Robo", "human", 1000, "r1"));
    auto beep = testing::said("lobby", "Robo", "beep", 2000, "r2");
    beep.sender.presence.bot = true;
    insert.insert(beep);
    insert.insert(testing::said("lobby", "Robo", "human again", 3000, "r3"));
    tx.commit();
  }
  std::vector<std::string> seen;
  for (const auto& line : read_history(db, testing::latest("lobby")))
    seen.push_back(line.text + (line.sender.presence.bot ? " (bot)" : ""));
  EXPECT_THAT(seen, ElementsAre("human", "beep (bot)", "human again"));
}

}  // namespace
}  // namespace parley::store
