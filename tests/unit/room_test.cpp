// core/room: one room's members, topic and sequence.
#include "core/room.h"

#include <gtest/gtest.h>

#include <memory>
#include <optional>
#include <string>
#include <vector>

namespace parley::core {
namespace {

// A name whose nick is itself, as an IRC user's would be.
SharedIdentity id(std::string name) { return std::make_shared<const Identity>(Identity{name, name, {}, {}, {}}); }
SharedIdentity id(Identity identity) { return std::make_shared<const Identity>(std::move(identity)); }

using EventPtr = Room::EventPtr;
using Said = RoomEvent::Said;

// Joins; the joiner's copy of the joined event (with the snapshot), or null
// when the join changed nothing or was refused.
EventPtr join(Room& room, SessionRef who, SharedIdentity identity, std::string_view key = {}) {
  auto r = room.join(who, std::move(identity), key);
  return r.ok() ? r.value().for_joiner : nullptr;
}
// What the room said yields, or null when refused.
EventPtr say(Room& room, SessionRef who, Speech speech, std::string text) {
  auto r = room.say(who, speech, std::move(text));
  return r.ok() ? r.value() : nullptr;
}
EventPtr set_topic(Room& room, SessionRef who, std::string topic) {
  auto r = room.set_topic(who, std::move(topic));
  return r.ok() ? r.value() : nullptr;
}
std::string said(const EventPtr& ev) {
  const auto* s = ev ? ev->as<Said>() : nullptr;
  return s ? s->text : "(not said)";
}
std::vector<std::string> names_in(const RoomSnapshot& s) {
  std::vector<std::string> out;
  for (const auto& e : s.entries) out.push_back(e.identity->display);
  return out;
}
const std::shared_ptr<const RoomSnapshot>& snapshot_of(const EventPtr& ev) {
  static const std::shared_ptr<const RoomSnapshot> none;
  const auto* joined = ev ? ev->as<RoomEvent::Joined>() : nullptr;
  return joined ? joined->snapshot : none;
}

const SessionRef kAlice{0, 1};
const SessionRef kBob{2, 1};  // same id, another loop: another session
const SessionRef kCarol{2, 7};
const SessionRef kDave{1, 3};

std::vector<std::string> members(const Room& room) { return names_in(room.snapshot()); }

TEST(Room, StartsEmpty) {
  Room room("Games", "games", 3);
  EXPECT_EQ(room.display(), "Games");
  EXPECT_EQ(room.topic(), "");
  EXPECT_EQ(room.size(), 0u);
  EXPECT_TRUE(room.empty());
  EXPECT_FALSE(room.contains(kAlice));
  for (LoopIndex l = 0; l < 3; ++l) EXPECT_FALSE(room.has_members_on(l));
  const RoomSnapshot s = room.snapshot();
  EXPECT_EQ(s.room, "Games");
  EXPECT_EQ(s.topic, "");
  EXPECT_TRUE(s.entries.empty());
}

TEST(Room, JoinEventCarriesTheRoomAsTheJoinerFindsIt) {
  Room room("Games", "games", 3);
  auto first = room.join(kAlice, id("Alice"));
  ASSERT_TRUE(first.ok());
  const EventPtr& mine = first.value().for_joiner;
  ASSERT_NE(mine, nullptr);
  EXPECT_NE(mine->as<RoomEvent::Joined>(), nullptr);
  EXPECT_EQ(mine->room, "Games");
  EXPECT_EQ(mine->room_key, "games");
  EXPECT_EQ(mine->seq, 1u);
  EXPECT_EQ(mine->actor, kAlice);
  EXPECT_EQ(mine->by().display, "Alice");
  ASSERT_NE(snapshot_of(mine), nullptr);
  EXPECT_EQ(names_in(*snapshot_of(mine)), (std::vector<std::string>{"Alice"}));
  // The members' copy is the same event (same number and id), without the snapshot.
  const EventPtr& theirs = first.value().for_members;
  ASSERT_NE(theirs, nullptr);
  EXPECT_NE(theirs->as<RoomEvent::Joined>(), nullptr);
  EXPECT_EQ(theirs->seq, mine->seq);
  EXPECT_EQ(theirs->id, mine->id);
  EXPECT_EQ(snapshot_of(theirs), nullptr);

  auto second = join(room, kBob, id("Bob"));
  ASSERT_NE(second, nullptr);
  EXPECT_EQ(second->seq, 2u);
  ASSERT_NE(snapshot_of(second), nullptr);
  EXPECT_EQ(snapshot_of(second)->room, "Games");
  EXPECT_EQ(names_in(*snapshot_of(second)), (std::vector<std::string>{"Alice", "Bob"}));
  // The first snapshot is immutable: it still shows the room as Alice found it.
  EXPECT_EQ(names_in(*snapshot_of(mine)), (std::vector<std::string>{"Alice"}));
  EXPECT_EQ(room.size(), 2u);
  EXPECT_TRUE(room.contains(kAlice));
  EXPECT_TRUE(room.contains(kBob));
  EXPECT_FALSE(room.contains(kCarol));
}

TEST(Room, SeqIncreasesByOnePerEventOfEveryKind) {
  Room room("r", "r", 1);
  const SessionRef a{0, 1};
  const SessionRef b{0, 2};
  std::vector<std::uint64_t> seqs;
  seqs.push_back(join(room, a, id("A"))->seq);
  seqs.push_back(join(room, b, id("B"))->seq);
  seqs.push_back(say(room, a, Speech::message, "hi")->seq);
  seqs.push_back(say(room, b, Speech::action, "waves")->seq);
  seqs.push_back(room.rename(a, id("A2"))->seq);
  // The creator (a) is the operator: it may set the locked topic.
  seqs.push_back(set_topic(room, a, "t")->seq);
  seqs.push_back(room.leave(a, "")->seq);
  seqs.push_back(say(room, b, Speech::message, "alone")->seq);
  EXPECT_EQ(seqs, (std::vector<std::uint64_t>{1, 2, 3, 4, 5, 6, 7, 8}));
}

TEST(Room, JoiningTwiceChangesNothing) {
  Room room("r", "r", 3);
  ASSERT_NE(join(room, kAlice, id("Alice")), nullptr);
  auto again = room.join(kAlice, id("Alice"));
  ASSERT_TRUE(again.ok());
  EXPECT_EQ(again.value().for_members, nullptr);
  EXPECT_EQ(again.value().for_joiner, nullptr);
  EXPECT_EQ(join(room, kAlice, id("Other name")), nullptr);
  EXPECT_EQ(room.size(), 1u);
  EXPECT_EQ(members(room), (std::vector<std::string>{"Alice"}));
  EXPECT_EQ(say(room, kAlice, Speech::message, "x")->seq, 2u);  // no number was used up
}

TEST(Room, NonMembersCannotSpeakSetTopicRenameOrLeave) {
  Room room("r", "r", 3);
  ASSERT_NE(join(room, kAlice, id("Alice")), nullptr);
  EXPECT_EQ(room.say(kBob, Speech::message, "hi").refusal(), Refusal::not_in_room);
  EXPECT_EQ(room.say(kBob, Speech::action, "waves").refusal(), Refusal::not_in_room);
  EXPECT_EQ(room.set_topic(kBob, "mine").refusal(), Refusal::not_in_room);
  EXPECT_EQ(room.topic(), "");
  EXPECT_EQ(room.rename(kBob, id("Robert")), nullptr);
  EXPECT_EQ(room.leave(kBob, "bye"), nullptr);
  EXPECT_EQ(room.size(), 1u);
  EXPECT_EQ(say(room, kAlice, Speech::message, "x")->seq, 2u);
}

TEST(Room, SayCarriesKindTextAndSpeaker) {
  Room room("r", "r", 3);
  join(room, kAlice, id("Alice"));
  auto msg = say(room, kAlice, Speech::message, "hello");
  ASSERT_NE(msg, nullptr);
  ASSERT_NE(msg->as<Said>(), nullptr);
  EXPECT_EQ(msg->as<Said>()->speech, Speech::message);
  EXPECT_EQ(msg->as<Said>()->text, "hello");
  EXPECT_EQ(msg->actor, kAlice);
  EXPECT_EQ(msg->by().display, "Alice");
  EXPECT_EQ(msg->as<RoomEvent::Joined>(), nullptr);
  auto act = say(room, kAlice, Speech::action, "waves");
  ASSERT_NE(act, nullptr);
  EXPECT_EQ(act->as<Said>()->speech, Speech::action);
  EXPECT_EQ(said(act), "waves");
}

TEST(Room, LeaveEventCarriesTheReasonAndTheName) {
  Room room("r", "r", 3);
  join(room, kAlice, id("Alice"));
  join(room, kBob, id("Bob"));
  auto ev = room.leave(kAlice, "gone fishing");
  ASSERT_NE(ev, nullptr);
  ASSERT_NE(ev->as<RoomEvent::Left>(), nullptr);
  EXPECT_EQ(ev->actor, kAlice);
  EXPECT_EQ(ev->by().display, "Alice");
  EXPECT_EQ(ev->as<RoomEvent::Left>()->reason, "gone fishing");
  EXPECT_FALSE(ev->as<RoomEvent::Left>()->quit);
  EXPECT_EQ(ev->seq, 3u);
  EXPECT_FALSE(room.contains(kAlice));
  EXPECT_EQ(room.leave(kAlice, "again"), nullptr);
  auto quiet = room.leave(kBob, "");
  ASSERT_NE(quiet, nullptr);
  EXPECT_EQ(quiet->as<RoomEvent::Left>()->reason, "");
  EXPECT_TRUE(room.empty());
}

TEST(Room, RenameCarriesOldAndNewName) {
  Room room("r", "r", 3);
  join(room, kAlice, id("Alice"));
  auto ev = room.rename(kAlice, id("Alicia"));
  ASSERT_NE(ev, nullptr);
  ASSERT_NE(ev->as<RoomEvent::Renamed>(), nullptr);
  EXPECT_EQ(ev->by().display, "Alice");
  EXPECT_EQ(ev->as<RoomEvent::Renamed>()->to->display, "Alicia");
  EXPECT_EQ(members(room), (std::vector<std::string>{"Alicia"}));
  EXPECT_EQ(say(room, kAlice, Speech::message, "x")->by().display, "Alicia");
  EXPECT_EQ(room.rename(kAlice, id("Alicia")), nullptr);  // no change, no event
  EXPECT_EQ(say(room, kAlice, Speech::message, "y")->seq, 4u);
}

TEST(Room, SetTopicChangesTheTopicAndTellsWho) {
  Room room("r", "r", 3);
  join(room, kAlice, id("Alice"));
  auto ev = set_topic(room, kAlice, "Board games on Friday");
  ASSERT_NE(ev, nullptr);
  ASSERT_NE(ev->as<RoomEvent::TopicChanged>(), nullptr);
  EXPECT_EQ(ev->by().display, "Alice");
  EXPECT_EQ(ev->as<RoomEvent::TopicChanged>()->topic, "Board games on Friday");
  EXPECT_EQ(room.topic(), "Board games on Friday");
  EXPECT_EQ(room.snapshot().topic, "Board games on Friday");
  auto joined = join(room, kBob, id("Bob"));
  EXPECT_EQ(snapshot_of(joined)->topic, "Board games on Friday");
}

TEST(Room, SnapshotKeepsJoinOrder) {
  Room room("r", "r", 3);
  join(room, kAlice, id("Alice"));
  join(room, kBob, id("Bob"));
  join(room, kCarol, id("Carol"));
  EXPECT_EQ(members(room), (std::vector<std::string>{"Alice", "Bob", "Carol"}));
  room.leave(kBob, "");
  EXPECT_EQ(members(room), (std::vector<std::string>{"Alice", "Carol"}));
  join(room, kBob, id("Bob"));
  EXPECT_EQ(members(room), (std::vector<std::string>{"Alice", "Carol", "Bob"}));
  join(room, kDave, id("Dave"));
  room.leave(kAlice, "");
  EXPECT_EQ(members(room), (std::vector<std::string>{"Carol", "Bob", "Dave"}));
}

TEST(Room, HasMembersOnCountsPerLoop) {
  Room room("r", "r", 3);
  join(room, kBob, id("Bob"));      // loop 2
  join(room, kCarol, id("Carol"));  // loop 2
  EXPECT_FALSE(room.has_members_on(0));
  EXPECT_FALSE(room.has_members_on(1));
  EXPECT_TRUE(room.has_members_on(2));
  join(room, kAlice, id("Alice"));  // loop 0
  EXPECT_TRUE(room.has_members_on(0));
  room.leave(kBob, "");
  EXPECT_TRUE(room.has_members_on(2));  // Carol is still there
  room.leave(kCarol, "");
  EXPECT_FALSE(room.has_members_on(2));
  EXPECT_TRUE(room.has_members_on(0));
  join(room, kAlice, id("Alice"));  // a second join is not counted twice
  room.leave(kAlice, "");
  EXPECT_FALSE(room.has_members_on(0));
  room.leave(kAlice, "");  // nor a second leave
  EXPECT_FALSE(room.has_members_on(0));
  join(room, kDave, id("Dave"));
  EXPECT_TRUE(room.has_members_on(1));
  EXPECT_FALSE(room.has_members_on(0));
}


// --- moderation -------------------------------------------------------------------

SharedIdentity full_id(std::string nick, std::string user, std::string host) {
  return id(Identity{nick, nick, std::move(user), std::move(host), {}});
}

// A server operator's identity (presence.server_operator).
SharedIdentity oper_id(std::string name) {
  Identity i{name, name, {}, {}, {}};
  i.presence.server_operator = true;
  return id(std::move(i));
}

RoomChange set(RoomSetting setting, bool on, std::string arg = {}) { return RoomChange{setting, on, std::move(arg), {}, {}}; }

const std::vector<RoomChange>& changes_of(const EventPtr& ev) {
  static const std::vector<RoomChange> none;
  const auto* c = ev ? ev->as<RoomEvent::SettingsChanged>() : nullptr;
  return c ? c->changes : none;
}

TEST(RoomModeration, NewRoomsLockTheTopicAndNothingElse) {
  Room room("r", "r", 3);
  const RoomSettings& s = room.settings();
  EXPECT_TRUE(s.topic_locked);
  EXPECT_FALSE(s.moderated);
  EXPECT_FALSE(s.invite_only);
  EXPECT_FALSE(s.secret);
  EXPECT_EQ(s.key, "");
  EXPECT_EQ(s.limit, 0u);
  EXPECT_TRUE(s.bans.empty());
  join(room, kAlice, id("Alice"));
  join(room, kBob, id("Bob"));
  EXPECT_TRUE(room.set_topic(kAlice, "a").ok());  // the creator is an operator
  EXPECT_EQ(room.set_topic(kBob, "b").refusal(), Refusal::topic_locked);
  EXPECT_EQ(room.set_topic(kCarol, "c").refusal(), Refusal::not_in_room);
  EXPECT_EQ(room.topic(), "a");
  ASSERT_TRUE(room.change(kAlice, {set(RoomSetting::topic_locked, false)}).ok());
  EXPECT_TRUE(room.set_topic(kBob, "b").ok());
  EXPECT_EQ(room.topic(), "b");
}

TEST(RoomModeration, OnlyOperatorsChangeSettings) {
  Room room("r", "r", 3);
  join(room, kAlice, id("Alice"));
  join(room, kBob, id("Bob"));
  auto by_bob = room.change(kBob, {set(RoomSetting::moderated, true)});
  ASSERT_FALSE(by_bob.ok());
  EXPECT_EQ(by_bob.refusal(), Refusal::not_operator);
  auto by_stranger = room.change(kCarol, {set(RoomSetting::moderated, true)});
  ASSERT_FALSE(by_stranger.ok());
  EXPECT_EQ(by_stranger.refusal(), Refusal::not_in_room);
  EXPECT_FALSE(room.settings().moderated);
}

TEST(RoomModeration, ChangesAreOneEventInTheRoomsOrder) {
  Room room("r", "r", 3);
  join(room, kAlice, id("Alice"));
  auto r = room.change(kAlice, {set(RoomSetting::moderated, true), set(RoomSetting::limit, true, "10"),
                                set(RoomSetting::key, true, "sesame"), set(RoomSetting::secret, true),
                                set(RoomSetting::invite_only, true)});
  ASSERT_TRUE(r.ok());
  EXPECT_TRUE(r.value().refused.empty());
  const auto& ev = r.value().event;
  ASSERT_NE(ev, nullptr);
  EXPECT_NE(ev->as<RoomEvent::SettingsChanged>(), nullptr);
  EXPECT_EQ(ev->seq, 2u);
  EXPECT_EQ(ev->actor, kAlice);
  ASSERT_EQ(changes_of(ev).size(), 5u);
  EXPECT_EQ(changes_of(ev)[1].setting, RoomSetting::limit);
  EXPECT_EQ(changes_of(ev)[1].arg, "10");
  EXPECT_EQ(changes_of(ev)[2].arg, "sesame");
  const RoomSettings& s = room.settings();
  EXPECT_TRUE(s.moderated && s.secret && s.invite_only);
  EXPECT_EQ(s.limit, 10u);
  EXPECT_EQ(s.key, "sesame");
  EXPECT_EQ(room.snapshot().settings.key, "sesame");
  // Asking for what is so already changes nothing and says nothing.
  auto again = room.change(kAlice, {set(RoomSetting::moderated, true), set(RoomSetting::limit, true, "10")});
  ASSERT_TRUE(again.ok());
  EXPECT_EQ(again.value().event, nullptr);
  EXPECT_TRUE(again.value().refused.empty());
  auto off = room.change(kAlice, {set(RoomSetting::key, false), set(RoomSetting::limit, false)});
  ASSERT_TRUE(off.ok());
  ASSERT_NE(off.value().event, nullptr);
  EXPECT_EQ(off.value().event->seq, 3u);
  EXPECT_EQ(room.settings().key, "");
  EXPECT_EQ(room.settings().limit, 0u);
}

TEST(RoomModeration, BadParametersAreRefusedOneByOne) {
  Room room("r", "r", 3);
  join(room, kAlice, id("Alice"));
  auto r = room.change(kAlice, {set(RoomSetting::limit, true, "ten"), set(RoomSetting::limit, true, "0"),
                                set(RoomSetting::key, true, "two words"), set(RoomSetting::key, true, ""),
                                set(RoomSetting::ban, true, "a b"), set(RoomSetting::op, true, "Nobody"),
                                set(RoomSetting::moderated, true)});
  ASSERT_TRUE(r.ok());
  ASSERT_EQ(r.value().refused.size(), 6u);
  for (std::size_t i = 0; i < 5; ++i) EXPECT_EQ(r.value().refused[i].refusal, Refusal::invalid_setting) << i;
  EXPECT_EQ(r.value().refused[5].refusal, Refusal::no_such_member);
  ASSERT_NE(r.value().event, nullptr);  // the good one still applies
  ASSERT_EQ(changes_of(r.value().event).size(), 1u);
  EXPECT_EQ(changes_of(r.value().event)[0].setting, RoomSetting::moderated);
}

TEST(RoomModeration, RolesByDisplayNameOrNick) {
  Room room("r", "r", 3);
  join(room, kAlice, id("Alice"));
  join(room, kBob, id(Identity{"Bob Smith", "Bob_Smith", "text", "h", {}}));
  auto r = room.change(kAlice, {set(RoomSetting::voice, true, "bob smith"), set(RoomSetting::op, true, "BOB_SMITH")});
  ASSERT_TRUE(r.ok());
  ASSERT_NE(r.value().event, nullptr);
  const auto& changes = changes_of(r.value().event);
  ASSERT_EQ(changes.size(), 2u);
  EXPECT_EQ(changes[0].arg, "Bob Smith");  // as applied: the display name
  EXPECT_EQ(changes[0].target_nick, "Bob_Smith");
  EXPECT_EQ(changes[0].target, kBob);
  EXPECT_TRUE(room.is_voiced(kBob));
  EXPECT_TRUE(room.is_op(kBob));
  const auto entries = room.snapshot().entries;
  EXPECT_TRUE(entries[1].op && entries[1].voice);
  // Bob, now an operator, can take Alice's rights.
  ASSERT_TRUE(room.change(kBob, {set(RoomSetting::op, false, "Alice")}).ok());
  EXPECT_FALSE(room.is_op(kAlice));
  EXPECT_EQ(room.change(kAlice, {set(RoomSetting::moderated, true)}).refusal(), Refusal::not_operator);
}

TEST(RoomModeration, ModeratedRoomsHearOnlyOperatorsAndVoices) {
  Room room("r", "r", 3);
  join(room, kAlice, id("Alice"));
  join(room, kBob, id("Bob"));
  join(room, kCarol, id("Carol"));
  EXPECT_TRUE(room.say(kBob, Speech::message, "1").ok());
  ASSERT_TRUE(room.change(kAlice, {set(RoomSetting::moderated, true), set(RoomSetting::voice, true, "Carol")}).ok());
  EXPECT_TRUE(room.say(kAlice, Speech::message, "2").ok());
  EXPECT_EQ(room.say(kBob, Speech::message, "3").refusal(), Refusal::moderated);
  EXPECT_TRUE(room.say(kCarol, Speech::message, "4").ok());
  EXPECT_EQ(room.say(kDave, Speech::message, "5").refusal(), Refusal::not_in_room);
  // A refusal uses up no number: seq 4 (joins 1-3) and 5 were the first message
  // and the settings; Alice's is 6, Carol's 7.
  EXPECT_EQ(say(room, kCarol, Speech::message, "6")->seq, 8u);
}

TEST(RoomModeration, JoinChecksBansInvitationsKeyAndLimit) {
  Room room("r", "r", 4);
  join(room, kAlice, id("Alice"));
  const SharedIdentity bob = full_id("Bob", "~bob", "10.0.0.7");
  EXPECT_EQ(room.may_join(kBob, *bob, ""), std::nullopt);

  ASSERT_TRUE(room.change(kAlice, {set(RoomSetting::ban, true, "*!*@10.0.0.?")}).ok());
  EXPECT_EQ(room.may_join(kBob, *bob, ""), Refusal::banned);
  EXPECT_EQ(room.may_join(kBob, *full_id("Bob", "~bob", "10.0.0.17"), ""), std::nullopt);
  ASSERT_TRUE(room.change(kAlice, {set(RoomSetting::ban, false, "*!*@10.0.0.?")}).ok());
  EXPECT_EQ(room.may_join(kBob, *bob, ""), std::nullopt);

  ASSERT_TRUE(room.change(kAlice, {set(RoomSetting::invite_only, true)}).ok());
  EXPECT_EQ(room.may_join(kBob, *bob, ""), Refusal::invite_only);
  ASSERT_TRUE(room.invite(kAlice, kBob, bob).ok());
  EXPECT_EQ(room.may_join(kBob, *bob, ""), std::nullopt);
  ASSERT_TRUE(room.change(kAlice, {set(RoomSetting::key, true, "sesame")}).ok());
  EXPECT_EQ(room.may_join(kBob, *bob, ""), Refusal::bad_key);
  EXPECT_EQ(room.may_join(kBob, *bob, "wrong"), Refusal::bad_key);
  EXPECT_EQ(room.may_join(kBob, *bob, "sesame"), std::nullopt);
  ASSERT_TRUE(room.change(kAlice, {set(RoomSetting::limit, true, "2")}).ok());
  EXPECT_EQ(room.may_join(kBob, *bob, "sesame"), std::nullopt);
  ASSERT_NE(join(room, kBob, bob, "sesame"), nullptr);  // uses the invitation
  EXPECT_EQ(room.may_join(kCarol, *id("Carol"), "sesame"), Refusal::invite_only);
  ASSERT_TRUE(room.invite(kAlice, kCarol, id("Carol")).ok());
  EXPECT_EQ(room.may_join(kCarol, *id("Carol"), "sesame"), Refusal::room_full);
  // An invitation is good for one join.
  room.leave(kBob, "");
  EXPECT_EQ(room.may_join(kBob, *bob, "sesame"), Refusal::invite_only);
}

// join() applies may_join itself: what may_join refuses, join refuses alike
// and changes nothing.
TEST(RoomModeration, JoinRefusesWhatMayJoinRefuses) {
  Room room("r", "r", 3);
  join(room, kAlice, id("Alice"));
  ASSERT_TRUE(room.change(kAlice, {set(RoomSetting::key, true, "sesame")}).ok());
  auto refused = room.join(kBob, id("Bob"), "wrong");
  ASSERT_FALSE(refused.ok());
  EXPECT_EQ(refused.refusal(), Refusal::bad_key);
  EXPECT_FALSE(room.contains(kBob));
  EXPECT_FALSE(room.has_members_on(2));
  ASSERT_TRUE(room.change(kAlice, {set(RoomSetting::key, false), set(RoomSetting::ban, true, "bob")}).ok());
  EXPECT_EQ(room.join(kBob, id("Bob")).refusal(), Refusal::banned);
  ASSERT_TRUE(room.change(kAlice, {set(RoomSetting::ban, false, "bob"), set(RoomSetting::limit, true, "1")}).ok());
  EXPECT_EQ(room.join(kBob, id("Bob")).refusal(), Refusal::room_full);
  // Refusals use up no number: the last settings change was 4.
  ASSERT_TRUE(room.change(kAlice, {set(RoomSetting::limit, false)}).ok());
  auto in = join(room, kBob, id("Bob"));
  ASSERT_NE(in, nullptr);
  EXPECT_EQ(in->seq, 6u);
}

TEST(RoomModeration, BanMasksAreCompletedAndMatchedWithoutCase) {
  Room room("r", "r", 3);
  join(room, kAlice, id("Alice"));
  auto r = room.change(kAlice, {set(RoomSetting::ban, true, "zoë"), set(RoomSetting::ban, true, "~x@*.example")});
  ASSERT_TRUE(r.ok());
  EXPECT_EQ(room.settings().bans, (std::vector<std::string>{"zoë!*@*", "*!~x@*.example"}));
  EXPECT_EQ(changes_of(r.value().event)[0].arg, "zoë!*@*");
  EXPECT_EQ(room.may_join(kBob, *full_id("ZOË", "text", "::1"), ""), Refusal::banned);
  EXPECT_EQ(room.may_join(kBob, *full_id("Zoey", "text", "::1"), ""), std::nullopt);
  EXPECT_EQ(room.may_join(kBob, *full_id("Y", "~X", "h.EXAMPLE"), ""), Refusal::banned);
  // The same mask in another case is already there; removing it works in any case.
  auto dup = room.change(kAlice, {set(RoomSetting::ban, true, "ZOË!*@*")});
  EXPECT_EQ(dup.value().event, nullptr);
  auto lift = room.change(kAlice, {set(RoomSetting::ban, false, "Zoë")});
  ASSERT_NE(lift.value().event, nullptr);
  EXPECT_EQ(changes_of(lift.value().event)[0].arg, "zoë!*@*");  // as it was set
  EXPECT_EQ(room.settings().bans, (std::vector<std::string>{"*!~x@*.example"}));
}

TEST(RoomModeration, TheBanListIsBounded) {
  Room room("r", "r", 3);
  join(room, kAlice, id("Alice"));
  std::vector<RoomChange> many;
  for (int i = 0; i < 65; ++i) many.push_back(set(RoomSetting::ban, true, "n" + std::to_string(i)));
  auto r = room.change(kAlice, many);
  ASSERT_EQ(r.value().refused.size(), 1u);
  EXPECT_EQ(r.value().refused[0].refusal, Refusal::ban_list_full);
  EXPECT_EQ(room.settings().bans.size(), 64u);
}

TEST(RoomModeration, KickRemovesTheMemberByNameOrNick) {
  Room room("r", "r", 3);
  join(room, kAlice, id("Alice"));
  join(room, kBob, id(Identity{"Bob Smith", "Bob_Smith", "text", "h", {}}));
  join(room, kCarol, id("Carol"));
  auto by_bob = room.kick(kBob, "Carol", "");
  ASSERT_FALSE(by_bob.ok());
  EXPECT_EQ(by_bob.refusal(), Refusal::not_operator);
  auto nobody = room.kick(kAlice, "Dave", "");
  ASSERT_FALSE(nobody.ok());
  EXPECT_EQ(nobody.refusal(), Refusal::no_such_member);
  auto stranger = room.kick(kDave, "Alice", "");
  EXPECT_EQ(stranger.refusal(), Refusal::not_in_room);

  auto kicked = room.kick(kAlice, "bob_smith", "spam");
  ASSERT_TRUE(kicked.ok());
  const auto& ev = kicked.value();
  const auto* k = ev->as<RoomEvent::Kicked>();
  ASSERT_NE(k, nullptr);
  EXPECT_EQ(ev->actor, kAlice);
  EXPECT_EQ(ev->by().display, "Alice");
  EXPECT_EQ(k->target, kBob);
  ASSERT_NE(k->target_identity, nullptr);
  EXPECT_EQ(k->target_identity->display, "Bob Smith");
  EXPECT_EQ(k->target_identity->nick, "Bob_Smith");
  EXPECT_EQ(k->reason, "spam");
  EXPECT_EQ(ev->seq, 4u);
  EXPECT_FALSE(room.contains(kBob));
  EXPECT_TRUE(room.has_members_on(2));  // Carol
  room.kick(kAlice, "Carol", "");
  EXPECT_FALSE(room.has_members_on(2));
  EXPECT_EQ(members(room), (std::vector<std::string>{"Alice"}));
}

TEST(RoomModeration, InvitingNeedsMembershipAndInInviteOnlyRoomsOperators) {
  Room room("r", "r", 3);
  join(room, kAlice, id("Alice"));
  join(room, kBob, id("Bob"));
  EXPECT_EQ(room.invite(kCarol, kDave, id("Dave")).refusal(), Refusal::not_in_room);
  EXPECT_EQ(room.invite(kAlice, kBob, id("Bob")).refusal(), Refusal::already_member);
  EXPECT_TRUE(room.invite(kBob, kCarol, id("Carol")).ok());  // any member, while the room is open
  ASSERT_TRUE(room.change(kAlice, {set(RoomSetting::invite_only, true)}).ok());
  EXPECT_EQ(room.invite(kBob, kDave, id("Dave")).refusal(), Refusal::not_operator);
  EXPECT_TRUE(room.invite(kAlice, kDave, id("Dave")).ok());
  EXPECT_EQ(room.may_join(kDave, *id("Dave"), ""), std::nullopt);
}

// --- the server's default room (permanent) and server operators --------------------

TEST(DefaultRoom, NobodyBecomesItsOperatorByJoiningFirst) {
  Room lobby("lobby", "lobby", 3, {}, true);
  EXPECT_TRUE(lobby.permanent());
  ASSERT_NE(join(lobby, kAlice, id("Alice")), nullptr);
  EXPECT_FALSE(lobby.is_op(kAlice));
  EXPECT_FALSE(lobby.snapshot().entries[0].op);
  EXPECT_EQ(lobby.change(kAlice, {set(RoomSetting::moderated, true)}).refusal(), Refusal::not_operator);
  EXPECT_EQ(lobby.kick(kAlice, "Alice", "").refusal(), Refusal::not_operator);
  EXPECT_EQ(lobby.set_topic(kAlice, "mine").refusal(), Refusal::topic_locked);
  // An ordinary room's first member is its operator, as before.
  Room games("games", "games", 3);
  EXPECT_FALSE(games.permanent());
  join(games, kAlice, id("Alice"));
  EXPECT_TRUE(games.is_op(kAlice));
}

TEST(DefaultRoom, OnlyServerOperatorsCloseIt) {
  Room lobby("lobby", "lobby", 3, {}, true);
  join(lobby, kAlice, oper_id("Root"));
  join(lobby, kBob, id("Bob"));
  // The server operator makes Bob a room operator.
  ASSERT_TRUE(lobby.change(kAlice, {set(RoomSetting::op, true, "Bob")}).ok());
  ASSERT_TRUE(lobby.is_op(kBob));
  // Bob moderates, but may not close the room: invite-only, a key and a limit
  // are refused one by one (not_server_operator); the rest applies.
  auto r = lobby.change(kBob, {set(RoomSetting::invite_only, true), set(RoomSetting::key, true, "sesame"),
                               set(RoomSetting::limit, true, "5"), set(RoomSetting::moderated, true),
                               set(RoomSetting::secret, true), set(RoomSetting::ban, true, "spam*")});
  ASSERT_TRUE(r.ok());
  ASSERT_EQ(r.value().refused.size(), 3u);
  EXPECT_EQ(r.value().refused[0].change.setting, RoomSetting::invite_only);
  EXPECT_EQ(r.value().refused[1].change.setting, RoomSetting::key);
  EXPECT_EQ(r.value().refused[2].change.setting, RoomSetting::limit);
  for (const auto& refused : r.value().refused) EXPECT_EQ(refused.refusal, Refusal::not_server_operator);
  ASSERT_EQ(changes_of(r.value().event).size(), 3u);
  const RoomSettings& s = lobby.settings();
  EXPECT_FALSE(s.invite_only);
  EXPECT_EQ(s.key, "");
  EXPECT_EQ(s.limit, 0u);
  EXPECT_TRUE(s.moderated && s.secret);
  EXPECT_EQ(s.bans.size(), 1u);
  // The server operator may.
  auto by_root = lobby.change(kAlice, {set(RoomSetting::invite_only, true), set(RoomSetting::key, true, "sesame"),
                                       set(RoomSetting::limit, true, "5")});
  ASSERT_TRUE(by_root.ok());
  EXPECT_TRUE(by_root.value().refused.empty());
  EXPECT_TRUE(lobby.settings().invite_only);
  EXPECT_EQ(lobby.settings().key, "sesame");
  EXPECT_EQ(lobby.settings().limit, 5u);
  // Opening it again is no closing: Bob may.
  auto reopened = lobby.change(kBob, {set(RoomSetting::invite_only, false), set(RoomSetting::key, false),
                                      set(RoomSetting::limit, false)});
  ASSERT_TRUE(reopened.ok());
  EXPECT_TRUE(reopened.value().refused.empty());
  EXPECT_FALSE(lobby.settings().invite_only);
  EXPECT_EQ(lobby.settings().key, "");
  EXPECT_EQ(lobby.settings().limit, 0u);
}

TEST(DefaultRoom, AnOrdinaryRoomsOperatorMayCloseIt) {
  Room games("games", "games", 3);
  join(games, kAlice, id("Alice"));
  auto r = games.change(kAlice, {set(RoomSetting::invite_only, true), set(RoomSetting::key, true, "k"),
                                 set(RoomSetting::limit, true, "5")});
  ASSERT_TRUE(r.ok());
  EXPECT_TRUE(r.value().refused.empty());
}

TEST(ServerOperators, ModerateARoomTheyDoNotOperate) {
  Room room("r", "r", 3);
  join(room, kAlice, id("Alice"));  // the room's operator
  join(room, kBob, id("Bob"));
  join(room, kCarol, oper_id("Root"));
  ASSERT_FALSE(room.is_op(kCarol));
  // Settings, the locked topic, kicks, and invitations to an invite-only room.
  auto changed = room.change(kCarol, {set(RoomSetting::moderated, true), set(RoomSetting::invite_only, true)});
  ASSERT_TRUE(changed.ok());
  EXPECT_TRUE(changed.value().refused.empty());
  EXPECT_TRUE(room.settings().moderated && room.settings().invite_only);
  auto topic = room.set_topic(kCarol, "by the server");
  ASSERT_TRUE(topic.ok());
  EXPECT_EQ(room.topic(), "by the server");
  EXPECT_TRUE(room.invite(kCarol, kDave, id("Dave")).ok());
  auto kicked = room.kick(kCarol, "Alice", "");
  ASSERT_TRUE(kicked.ok());
  EXPECT_FALSE(room.contains(kAlice));
  // Being a server operator is not being a room operator: the room's roles
  // (op, voice) are unchanged, and a moderated room's voice is still a role.
  EXPECT_FALSE(room.is_op(kCarol));
  EXPECT_EQ(room.say(kBob, Speech::message, "hi").refusal(), Refusal::moderated);
}

TEST(ServerOperators, AnInviteOnlyRoomsInvitationsAreToldToThemToo) {
  Room room("r", "r", 3);
  join(room, kAlice, id("Alice"));
  join(room, kBob, id("Bob"));
  join(room, kCarol, oper_id("Root"));
  ASSERT_TRUE(room.change(kAlice, {set(RoomSetting::invite_only, true)}).ok());
  auto ev = room.invite(kAlice, kDave, id("Dave"));
  ASSERT_TRUE(ev.ok());
  const auto* invited = ev.value()->as<RoomEvent::Invited>();
  ASSERT_NE(invited, nullptr);
  EXPECT_EQ(invited->audience, (std::vector<SessionRef>{kAlice, kCarol}));
  EXPECT_EQ(invited->invitee->display, "Dave");
}

}  // namespace
}  // namespace parley::core
