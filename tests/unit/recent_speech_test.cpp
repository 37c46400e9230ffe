// A room's recent speech (core/recent_speech.h): what joins replay without
// reading history. Lines kept in order and bounded, removed ones gone, one
// read of history for many joins, and each join seeing what came before it.
#include <gtest/gtest.h>

#include <memory>
#include <optional>
#include <string>
#include <vector>

#include "core/recent_speech.h"

namespace parley::core {
namespace {

using Lines = std::vector<HistoryLine>;

RecentSpeech::EventPtr said(const std::string& id, Audience audience = Audience::members,
                            Speech speech = Speech::message) {
  auto event = std::make_shared<RoomEvent>();
  event->room_key = "garden";
  event->room = "Garden";
  event->id = id;
  auto ann = std::make_shared<Identity>();
  ann->display = ann->nick = "ann";
  event->actor_identity = ann;
  event->what = RoomEvent::Said{speech, "text of " + id, "", audience, {}, false};
  return event;
}

HistoryLine kept(const std::string& id) {
  HistoryLine line;
  line.target = "garden";
  line.id = id;
  line.text = "text of " + id;
  return line;
}

std::vector<std::string> ids(const Lines& lines) {
  std::vector<std::string> out;
  for (const auto& line : lines) out.push_back(line.id);
  return out;
}

using Ids = std::vector<std::string>;

TEST(RecentSpeech, OnlySpeechToEveryMemberIsReplayed) {
  EXPECT_TRUE(RecentSpeech::replayed(*said("a")));
  EXPECT_TRUE(RecentSpeech::replayed(*said("a", Audience::members, Speech::action)));
  EXPECT_FALSE(RecentSpeech::replayed(*said("a", Audience::operators)));
  EXPECT_FALSE(RecentSpeech::replayed(*said("a", Audience::members, Speech::tagged)));
  RoomEvent joined;
  joined.what = RoomEvent::Joined{};
  EXPECT_FALSE(RecentSpeech::replayed(joined));
}

TEST(RecentSpeech, CompleteOnceAsManyLinesAsAReplayShowsWereSaidHere) {
  RecentSpeech recent;
  for (int i = 1; i <= 3; ++i) {
    EXPECT_FALSE(recent.complete(3)) << i;
    recent.add(said("m" + std::to_string(i)), 3);
  }
  EXPECT_TRUE(recent.complete(3));
  recent.add(said("m4"), 3);
  EXPECT_EQ(ids(recent.lines(3)), (Ids{"m2", "m3", "m4"})) << "the newest, oldest first";
  EXPECT_EQ(recent.lines(3).back().text, "text of m4");
}

TEST(RecentSpeech, ARedactedLineIsNotReplayed) {
  RecentSpeech recent;
  for (const char* id : {"m1", "m2", "m3"}) recent.add(said(id), 3);
  recent.remove("m2");
  EXPECT_EQ(ids(recent.lines(3)), (Ids{"m1", "m3"}));
}

// A room new here: the first join starts one read, later ones wait for it;
// the read's lines come before those said here (those it holds too are
// recognised), and each join gets the lines before it.
TEST(RecentSpeech, OneReadOfHistoryAnswersEveryJoinWithWhatCameBeforeIt) {
  RecentSpeech recent;
  std::optional<Lines> first, second;
  auto read = recent.wait([&](Lines lines) { first = std::move(lines); });
  EXPECT_FALSE(read.expired()) << "the first join starts a read";
  recent.add(said("new1"), 4);
  EXPECT_TRUE(recent.wait([&](Lines lines) { second = std::move(lines); }).expired()) << "the second waits for it";
  recent.add(said("new2"), 4);
  // History had old1..old3, and new1 already (recorded before the read ran).
  recent.prime(read, Lines{kept("old1"), kept("old2"), kept("old3"), kept("new1")}, 4);
  ASSERT_TRUE(first && second);
  EXPECT_EQ(ids(*first), (Ids{"old1", "old2", "old3"}));
  EXPECT_EQ(ids(*second), (Ids{"old1", "old2", "old3", "new1"}));
  EXPECT_TRUE(recent.complete(4));
  EXPECT_EQ(ids(recent.lines(4)), (Ids{"old2", "old3", "new1", "new2"})) << "the newest four";
}

// A busy room: more lines than a replay shows were said while history was
// read, and the read holds some of them. The join sees none of them again
// (they reached it live), however far they are out of what the room keeps.
TEST(RecentSpeech, LinesSaidWhileHistoryIsReadAreNotReplayedEvenPastCapacity) {
  RecentSpeech recent;
  std::optional<Lines> got;
  auto read = recent.wait([&](Lines lines) { got = std::move(lines); });
  for (int i = 1; i <= 6; ++i) recent.add(said("new" + std::to_string(i)), 3);
  recent.prime(read, Lines{kept("old1"), kept("old2"), kept("new1"), kept("new2")}, 3);
  ASSERT_TRUE(got);
  EXPECT_EQ(ids(*got), (Ids{"old1", "old2"}));
  EXPECT_EQ(ids(recent.lines(3)), (Ids{"new4", "new5", "new6"}));
}

TEST(RecentSpeech, AFailedReadIsTriedAgainByTheNextJoin) {
  RecentSpeech recent;
  std::optional<Lines> got;
  auto read = recent.wait([&](Lines lines) { got = std::move(lines); });
  recent.add(said("new1"), 5);
  recent.prime(read, std::nullopt, 5);
  ASSERT_TRUE(got);
  EXPECT_TRUE(got->empty()) << "nothing was said here before that join";
  EXPECT_FALSE(recent.complete(5));
  EXPECT_FALSE(recent.wait([](Lines) {}).expired()) << "the next join reads again";
}

TEST(RecentSpeech, ALineRemovedWhileHistoryIsReadStaysOut) {
  RecentSpeech recent;
  std::optional<Lines> got;
  auto read = recent.wait([&](Lines lines) { got = std::move(lines); });
  recent.remove("old2");
  recent.prime(read, Lines{kept("old1"), kept("old2")}, 5);
  ASSERT_TRUE(got);
  EXPECT_EQ(ids(*got), (Ids{"old1"}));
  EXPECT_EQ(ids(recent.lines(5)), (Ids{"old1"}));
}

// The node stopped following the room while history was read: the waiters
// get what was read, and nothing is taken as complete.
TEST(RecentSpeech, ForgottenWhileReadHoldsNothingAfter) {
  RecentSpeech recent;
  std::optional<Lines> got;
  auto read = recent.wait([&](Lines lines) { got = std::move(lines); });
  recent.add(said("new1"), 5);
  recent.forget();
  recent.prime(read, Lines{kept("old1"), kept("new1")}, 5);
  ASSERT_TRUE(got);
  EXPECT_EQ(ids(*got), (Ids{"old1", "new1"}));
  EXPECT_FALSE(recent.complete(5));
  EXPECT_TRUE(recent.lines(5).empty());
}

TEST(RecentSpeech, AReadForAnEarlierRoomOfTheSameNameIsIgnored) {
  std::optional<Lines> got;
  RecentSpeech::Read earlier;
  {
    RecentSpeech gone;
    earlier = gone.wait([&](Lines lines) { got = std::move(lines); });
  }
  ASSERT_TRUE(got) << "a waiter still there when the room goes is answered";
  EXPECT_TRUE(got->empty());
  RecentSpeech now;
  std::optional<Lines> mine;
  auto read = now.wait([&](Lines lines) { mine = std::move(lines); });
  now.prime(earlier, Lines{kept("stale")}, 5);
  EXPECT_FALSE(mine) << "not its read";
  now.prime(read, Lines{kept("old1")}, 5);
  ASSERT_TRUE(mine);
  EXPECT_EQ(ids(*mine), (Ids{"old1"}));
}

}  // namespace
}  // namespace parley::core
