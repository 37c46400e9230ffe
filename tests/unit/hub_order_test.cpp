// core/hub: replies in command order, as the hub reports it to a member.
// Hub::begin_command / end_command frame each input line; what a command
// asked of other loops comes back announced by Member::answering (callbacks)
// or RoomEvent::cause (the member's own room events), and Member::on_settled
// says when the command has had its whole answer. Loops are run by hand, so
// every interleaving below is built on purpose.
#include <gtest/gtest.h>

#include <algorithm>
#include <functional>
#include <memory>
#include <optional>
#include <string>
#include <vector>

#include "core/hub.h"
#include "test_support.h"

namespace parley::core {
namespace {

using parley::testing::ManualPoster;

// A member that writes everything it is told into one log, in order:
// "answering 2", "event #a Said by zoe (cause 2)", "settled 2", and whatever
// the test's callbacks add.
class Log final : public Member {
 public:
  void answering(CommandId k) override { lines.push_back("answering " + std::to_string(k)); }
  void on_settled(CommandId k) override { lines.push_back("settled " + std::to_string(k)); }
  void on_room_event(const RoomEvent& ev, RenderCache&) override {
    lines.push_back("event #" + ev.room_key + " " + kind(ev) + " by " + ev.by().display + " (cause " +
                    std::to_string(ev.cause) + ")");
  }
  void on_private_message(const PrivateMessage& pm) override { lines.push_back("pm from " + pm.sender->display); }

  static std::string kind(const RoomEvent& ev) {
    if (ev.as<RoomEvent::Joined>()) return "joined";
    if (ev.as<RoomEvent::Left>()) return "left";
    if (ev.as<RoomEvent::Said>()) return "said";
    if (ev.as<RoomEvent::SettingsChanged>()) return "settings";
    if (ev.as<RoomEvent::TopicChanged>()) return "topic";
    if (ev.as<RoomEvent::Kicked>()) return "kicked";
    if (ev.as<RoomEvent::Renamed>()) return "renamed";
    return "other";
  }
  std::vector<std::string> take() { return std::exchange(lines, {}); }
  std::vector<std::string> lines;
};

struct Person {
  Log log;
  SessionRef ref;
};

class HubOrder : public ::testing::TestWithParam<LoopIndex> {
 protected:
  HubOrder() : poster(GetParam()), hub(poster, {}) {}
  LoopIndex loops() const { return GetParam(); }

  // Named, in `rooms`, everything settled, the log empty. Outside any
  // command: nothing of this is tracked.
  Person& enter(LoopIndex loop, const std::string& name, std::vector<std::string> rooms = {}) {
    people.push_back(std::make_unique<Person>());
    Person& p = *people.back();
    p.ref = hub.attach(loop % loops(), p.log);
    bool named = false;
    hub.claim_name(p.ref, name, [&](Result<Identity> r) { named = r.ok(); });
    poster.run_all();
    EXPECT_TRUE(named) << name;
    for (const auto& room : rooms) EXPECT_TRUE(hub.rooms().join(p.ref, room).ok()) << room;
    poster.run_all();
    for (auto& q : people) q->log.take();
    return p;
  }

  // The home loop of a room: where a request about it is posted first.
  // Learnt by asking (a room_info crosses to the home loop and nowhere else).
  LoopIndex home_of(Person& asker, const std::string& room) {
    EXPECT_EQ(poster.pending(), 0u);
    hub.rooms().room_info(asker.ref, room, [](Result<RoomSnapshot>) {});
    LoopIndex home = 0;
    for (LoopIndex l = 0; l < loops(); ++l) {
      if (poster.pending_on(l) > 0) home = l;
    }
    poster.run_all();
    asker.log.take();
    return home;
  }

  // Two rooms of the candidates whose homes are different loops (with more
  // than one loop).
  std::pair<std::string, std::string> rooms_on_two_loops(Person& asker) {
    const std::vector<std::string> candidates = {"a", "b", "c", "d", "e", "f", "g", "h", "i", "j"};
    for (const auto& first : candidates) {
      for (const auto& second : candidates) {
        if (home_of(asker, first) != home_of(asker, second)) return {first, second};
      }
    }
    ADD_FAILURE() << "no two rooms on two loops";
    return {"a", "b"};
  }

  void TearDown() override {
    for (auto& p : people) hub.detach(p->ref, {});
    poster.run_all();
  }

  ManualPoster poster;
  Hub hub;
  std::vector<std::unique_ptr<Person>> people;
};

INSTANTIATE_TEST_SUITE_P(Loops, HubOrder, ::testing::Values(1u, 3u),
                         [](const auto& info) { return std::to_string(info.param) + "loops"; });

using Lines = std::vector<std::string>;

TEST_P(HubOrder, CommandsAreNumberedPerSession) {
  Person& zoe = enter(0, "zoe");
  Person& amy = enter(1, "amy");
  const CommandId z1 = hub.begin_command(zoe.ref);
  EXPECT_TRUE(hub.end_command(zoe.ref));
  const CommandId z2 = hub.begin_command(zoe.ref);
  EXPECT_TRUE(hub.end_command(zoe.ref));
  const CommandId a1 = hub.begin_command(amy.ref);
  EXPECT_TRUE(hub.end_command(amy.ref));
  EXPECT_NE(z1, 0u);
  EXPECT_GT(z2, z1);
  EXPECT_NE(a1, 0u);
  EXPECT_TRUE(zoe.log.take().empty()) << "a command that asked nothing is settled at its end, silently";
}

TEST_P(HubOrder, ACommandWithASayOutstandingIsNotSettledAtItsEnd) {
  Person& zoe = enter(0, "zoe", {"garden"});
  Person& amy = enter(1, "amy", {"garden"});
  const CommandId k = hub.begin_command(zoe.ref);
  ASSERT_TRUE(hub.rooms().say(zoe.ref, "garden", Speech::message, "hi").ok());
  EXPECT_FALSE(hub.end_command(zoe.ref));
  EXPECT_TRUE(zoe.log.take().empty());
  poster.run_all();
  // Her own event carries the command; settled comes after it, once.
  EXPECT_EQ(zoe.log.take(), (Lines{"event #garden said by zoe (cause " + std::to_string(k) + ")",
                                   "settled " + std::to_string(k)}));
  // The others' copy is the same event: its cause is the actor's command,
  // which means nothing to them and settles nothing of theirs.
  EXPECT_EQ(amy.log.take(), (Lines{"event #garden said by zoe (cause " + std::to_string(k) + ")"}));
}

TEST_P(HubOrder, SettledArrivesAfterTheOwnEventUnderAnyDrainOrder) {
  for (auto order : {ManualPoster::Order::round_robin, ManualPoster::Order::ascending_drain,
                     ManualPoster::Order::descending_drain}) {
    Person& zoe = enter(1, "zoe" + std::to_string(static_cast<int>(order)), {"garden"});
    const CommandId k = hub.begin_command(zoe.ref);
    ASSERT_TRUE(hub.rooms().say(zoe.ref, "garden", Speech::message, "one").ok());
    ASSERT_TRUE(hub.rooms().say(zoe.ref, "garden", Speech::message, "two").ok());
    EXPECT_FALSE(hub.end_command(zoe.ref));
    poster.run_all(order);
    const std::string cause = "(cause " + std::to_string(k) + ")";
    EXPECT_EQ(zoe.log.take(), (Lines{"event #garden said by " + hub.identity_of(zoe.ref).display + " " + cause,
                                     "event #garden said by " + hub.identity_of(zoe.ref).display + " " + cause,
                                     "settled " + std::to_string(k)}));
  }
}

TEST_P(HubOrder, RequestsOutsideACommandCarryNoCause) {
  Person& zoe = enter(0, "zoe", {"garden"});
  ASSERT_TRUE(hub.rooms().say(zoe.ref, "garden", Speech::message, "hi").ok());
  poster.run_all();
  EXPECT_EQ(zoe.log.take(), (Lines{"event #garden said by zoe (cause 0)"}));
}

TEST_P(HubOrder, LookupCallbacksAreBracketedByAnswering) {
  Person& zoe = enter(0, "zoe");
  enter(2, "amy");
  const CommandId k = hub.begin_command(zoe.ref);
  hub.directory().find_user(zoe.ref, "amy", [&](Result<Identity> r) {
    zoe.log.lines.push_back("found " + (r.ok() ? r.value().display : std::string("nobody")));
  });
  hub.directory().count_users(zoe.ref, [&](Result<UserCounts> r) {
    zoe.log.lines.push_back("counted " + std::to_string(r.ok() ? r.value().visible : 0));
  });
  EXPECT_FALSE(hub.end_command(zoe.ref));
  poster.run_all();
  const std::string ks = std::to_string(k);
  EXPECT_EQ(zoe.log.take(), (Lines{"answering " + ks, "found amy", "answering 0", "answering " + ks, "counted 2",
                                   "answering 0", "settled " + ks}));
}

// A lookup answered while the session runs a later command: the callback is
// announced as the earlier command's, and the later one is current again after.
TEST_P(HubOrder, AnAnswerDuringALaterCommandRestoresThatCommand) {
  Person& zoe = enter(0, "zoe");
  const CommandId k1 = hub.begin_command(zoe.ref);
  hub.directory().find_user(zoe.ref, "zoe", [&](Result<Identity>) { zoe.log.lines.push_back("found"); });
  EXPECT_FALSE(hub.end_command(zoe.ref));
  const CommandId k2 = hub.begin_command(zoe.ref);
  poster.run_all();  // as if the answer came while command 2 ran
  EXPECT_EQ(zoe.log.take(), (Lines{"answering " + std::to_string(k1), "found", "answering " + std::to_string(k2),
                                   "settled " + std::to_string(k1)}));
  EXPECT_TRUE(hub.end_command(zoe.ref));
}

TEST_P(HubOrder, ACallbackRefusedAtOnceIsTheRunningCommandsOwn) {
  Person& zoe = enter(0, "zoe");
  hub.begin_command(zoe.ref);
  std::optional<Refusal> refused;
  hub.directory().find_user(zoe.ref, "a:b", [&](Result<Identity> r) { refused = r.refusal(); });
  EXPECT_EQ(refused, Refusal::no_such_user);
  EXPECT_TRUE(hub.end_command(zoe.ref)) << "nothing crossed to another loop";
  EXPECT_EQ(poster.pending(), 0u);
  EXPECT_TRUE(zoe.log.take().empty());
}

// Two rooms whose homes are different loops: the command is settled only
// once both have answered, whichever answers first.
TEST_P(HubOrder, ACommandAskingTwoLoopsSettlesAfterBoth) {
  if (loops() < 3) GTEST_SKIP() << "needs rooms on two loops, and the speaker on a third";
  std::vector<Person*> by_loop;
  for (LoopIndex l = 0; l < 3; ++l) by_loop.push_back(&enter(l, "p" + std::to_string(l)));
  const auto [first, second] = rooms_on_two_loops(*by_loop[0]);
  const LoopIndex home1 = home_of(*by_loop[0], first);
  const LoopIndex home2 = home_of(*by_loop[0], second);
  ASSERT_NE(home1, home2);
  // The speaker lives on neither home, so each loop's task can be run alone.
  Person& zoe = *by_loop[3 - home1 - home2];
  ASSERT_TRUE(hub.rooms().join(zoe.ref, first).ok());
  ASSERT_TRUE(hub.rooms().join(zoe.ref, second).ok());
  poster.run_all();
  zoe.log.take();
  const std::string name = hub.identity_of(zoe.ref).display;

  for (bool first_answers_first : {true, false}) {
    SCOPED_TRACE(first_answers_first);
    const CommandId k = hub.begin_command(zoe.ref);
    ASSERT_TRUE(hub.rooms().say(zoe.ref, first, Speech::message, "to " + first).ok());
    ASSERT_TRUE(hub.rooms().say(zoe.ref, second, Speech::message, "to " + second).ok());
    EXPECT_FALSE(hub.end_command(zoe.ref));
    const LoopIndex early = first_answers_first ? home1 : home2;
    const LoopIndex late = first_answers_first ? home2 : home1;
    const std::string early_room = first_answers_first ? first : second;
    const std::string late_room = first_answers_first ? second : first;
    // One home decides and sends the event back; the speaker's loop delivers
    // it. The other home has not run yet.
    ASSERT_TRUE(poster.run_one(early));
    ASSERT_TRUE(poster.run_one(zoe.ref.loop));
    EXPECT_EQ(poster.pending_on(zoe.ref.loop), 0u);
    const std::string cause = " (cause " + std::to_string(k) + ")";
    EXPECT_EQ(zoe.log.take(), (Lines{"event #" + early_room + " said by " + name + cause}))
        << "not settled while #" << late_room << " has not answered";
    ASSERT_EQ(poster.pending_on(late), 1u);
    poster.run_all();
    EXPECT_EQ(zoe.log.take(),
              (Lines{"event #" + late_room + " said by " + name + cause, "settled " + std::to_string(k)}));
  }
}

TEST_P(HubOrder, RefusalsAnswerTheCommandThatAsked) {
  Person& op = enter(0, "op", {"garden"});  // the room's first member: its operator
  Person& zoe = enter(1, "zoe", {"garden"});
  std::optional<Result<std::vector<Room::RefusedChange>>> changed;
  hub.rooms().change_settings(op.ref, "garden", {RoomChange{RoomSetting::moderated, true, {}, {}, {}}},
                              [&](auto r) { changed = std::move(r); });
  poster.run_all();
  ASSERT_TRUE(changed && changed->ok());
  zoe.log.take();
  op.log.take();

  // Command 1 speaks into the moderated room (refused on the room's loop);
  // command 2 asks something else. Each answer names its own command.
  const CommandId k1 = hub.begin_command(zoe.ref);
  ASSERT_TRUE(hub.rooms()
                  .say(zoe.ref, "garden", Speech::message, "hello?",
                       [&](Refusal no) { zoe.log.lines.push_back(no == Refusal::moderated ? "moderated" : "refused?"); })
                  .ok());
  EXPECT_FALSE(hub.end_command(zoe.ref));
  const CommandId k2 = hub.begin_command(zoe.ref);
  hub.directory().find_user(zoe.ref, "op", [&](Result<Identity>) { zoe.log.lines.push_back("found op"); });
  EXPECT_FALSE(hub.end_command(zoe.ref));
  poster.run_all();
  const Lines log = zoe.log.take();
  const std::string s1 = std::to_string(k1), s2 = std::to_string(k2);
  // The two answers come from different loops; their relative order is the
  // loops', but each is bracketed by its own command and settles it.
  auto at = [&](const std::string& line) {
    return static_cast<std::size_t>(std::find(log.begin(), log.end(), line) - log.begin());
  };
  ASSERT_EQ(log.size(), 8u) << ::testing::PrintToString(log);
  const std::size_t refused = at("moderated");
  ASSERT_LT(refused, log.size());
  ASSERT_GE(refused, 1u);
  EXPECT_EQ(log[refused - 1], "answering " + s1);
  EXPECT_EQ(log[refused + 1].rfind("answering ", 0), 0u);
  EXPECT_GT(at("settled " + s1), refused);
  const std::size_t found = at("found op");
  ASSERT_LT(found, log.size());
  EXPECT_EQ(log[found - 1], "answering " + s2);
  EXPECT_GT(at("settled " + s2), found);
  EXPECT_TRUE(op.log.take().empty()) << "a refused message reaches nobody";
}

TEST_P(HubOrder, ARefusedJoinSettlesItsCommand) {
  Person& op = enter(0, "op", {"garden"});
  Person& zoe = enter(1, "zoe");
  std::optional<Result<std::vector<Room::RefusedChange>>> changed;
  hub.rooms().change_settings(op.ref, "garden", {RoomChange{RoomSetting::key, true, "sesame", {}, {}}},
                              [&](auto r) { changed = std::move(r); });
  poster.run_all();
  ASSERT_TRUE(changed && changed->ok());
  const CommandId k = hub.begin_command(zoe.ref);
  ASSERT_TRUE(hub.rooms()
                  .join(zoe.ref, "garden", "wrong", [&](Refusal no) {
                    zoe.log.lines.push_back(no == Refusal::bad_key ? "bad key" : "refused?");
                  })
                  .ok());
  EXPECT_FALSE(hub.end_command(zoe.ref));
  poster.run_all();
  const std::string ks = std::to_string(k);
  EXPECT_EQ(zoe.log.take(), (Lines{"answering " + ks, "bad key", "answering 0", "settled " + ks}));
  EXPECT_TRUE(hub.rooms_of(zoe.ref).empty());
}

// A join's answer is the joined event itself (the joiner's copy, with the
// room's snapshot), carrying the command.
TEST_P(HubOrder, AJoinIsSettledByItsJoinedEvent) {
  Person& zoe = enter(2, "zoe");
  const CommandId k = hub.begin_command(zoe.ref);
  ASSERT_TRUE(hub.rooms().join(zoe.ref, "garden").ok());
  EXPECT_FALSE(hub.end_command(zoe.ref));
  poster.run_all(ManualPoster::Order::descending_drain);
  const std::string ks = std::to_string(k);
  EXPECT_EQ(zoe.log.take(), (Lines{"event #garden joined by zoe (cause " + ks + ")", "settled " + ks}));
}

// change_settings answers with its callback after the event: both are the
// command's, and it settles after the callback.
TEST_P(HubOrder, SettingsAnswerAfterTheirEvent) {
  Person& op = enter(1, "op", {"garden"});
  const CommandId k = hub.begin_command(op.ref);
  hub.rooms().change_settings(op.ref, "garden", {RoomChange{RoomSetting::moderated, true, {}, {}, {}}},
                              [&](auto r) { op.log.lines.push_back(r.ok() ? "changed" : "refused"); });
  EXPECT_FALSE(hub.end_command(op.ref));
  poster.run_all();
  const std::string ks = std::to_string(k);
  EXPECT_EQ(op.log.take(), (Lines{"event #garden settings by op (cause " + ks + ")", "answering " + ks, "changed",
                                  "answering 0", "settled " + ks}));
}

// A rename answers the claim's command: the callback, then the renamed event
// in each room, then settled.
TEST_P(HubOrder, ARenameSettlesAfterItsRoomsHeardIt) {
  Person& zoe = enter(0, "zoe", {"garden", "lobby"});
  const CommandId k = hub.begin_command(zoe.ref);
  hub.claim_name(zoe.ref, "zed", [&](Result<Identity> r) { zoe.log.lines.push_back(r.ok() ? "named" : "refused"); });
  EXPECT_FALSE(hub.end_command(zoe.ref));
  poster.run_all();
  const Lines log = zoe.log.take();
  const std::string ks = std::to_string(k);
  ASSERT_EQ(log.size(), 6u) << ::testing::PrintToString(log);
  EXPECT_EQ(log[0], "answering " + ks);
  EXPECT_EQ(log[1], "named");
  EXPECT_EQ(log[2], "answering 0");
  EXPECT_EQ(log.back(), "settled " + ks);
  for (std::size_t i : {3u, 4u}) EXPECT_NE(log[i].find("renamed by zoe (cause " + ks + ")"), std::string::npos) << log[i];
}

TEST_P(HubOrder, ADetachedSessionHearsNoSettling) {
  Person& zoe = enter(0, "zoe", {"garden"});
  hub.begin_command(zoe.ref);
  ASSERT_TRUE(hub.rooms().say(zoe.ref, "garden", Speech::message, "bye").ok());
  EXPECT_FALSE(hub.end_command(zoe.ref));
  hub.detach(zoe.ref, "gone");
  poster.run_all();
  EXPECT_TRUE(zoe.log.take().empty());
  // Commands of a detached session are nothing.
  EXPECT_EQ(hub.begin_command(zoe.ref), 0u);
  EXPECT_TRUE(hub.end_command(zoe.ref));
}

// A member may act in on_settled (it is the last thing its task does): a
// command begun there is tracked like any other.
TEST_P(HubOrder, OnSettledMayStartTheNextCommand) {
  struct Chained final : Member {
    Hub* hub = nullptr;
    SessionRef ref;
    std::vector<std::string> lines;
    bool next_started = false;
    void on_room_event(const RoomEvent& ev, RenderCache&) override {
      lines.push_back("event cause " + std::to_string(ev.cause));
    }
    void on_private_message(const PrivateMessage&) override {}
    void on_settled(CommandId k) override {
      lines.push_back("settled " + std::to_string(k));
      if (next_started) return;
      next_started = true;
      const CommandId next = hub->begin_command(ref);
      (void)hub->rooms().say(ref, "garden", Speech::message, "again");
      lines.push_back("next " + std::to_string(next) + (hub->end_command(ref) ? " settled" : " outstanding"));
    }
  } member;
  member.hub = &hub;
  member.ref = hub.attach(0, member);
  bool named = false;
  hub.claim_name(member.ref, "chain", [&](Result<Identity> r) { named = r.ok(); });
  poster.run_all();
  ASSERT_TRUE(named);
  ASSERT_TRUE(hub.rooms().join(member.ref, "garden").ok());
  poster.run_all();
  member.lines.clear();
  const CommandId k = hub.begin_command(member.ref);
  ASSERT_TRUE(hub.rooms().say(member.ref, "garden", Speech::message, "first").ok());
  EXPECT_FALSE(hub.end_command(member.ref));
  poster.run_all();
  const std::string ks = std::to_string(k), next = std::to_string(k + 1);
  EXPECT_EQ(member.lines, (std::vector<std::string>{"event cause " + ks, "settled " + ks, "next " + next + " outstanding",
                                                    "event cause " + next, "settled " + next}));
  hub.detach(member.ref, {});
  poster.run_all();
}

}  // namespace
}  // namespace parley::core

namespace parley::core {
namespace {

// Work done off the loops (the account service's worker): the reply is called
// later, from the test body as a worker would, and answers the command that
// asked, which stays unsettled until then.
TEST_P(HubOrder, AnAnswerFromOutsideTheLoopsSettlesItsCommand) {
  Person& zoe = enter(1, "zoe");
  Hub::Reply saved;
  const CommandId k = hub.begin_command(zoe.ref);
  hub.await_outside(zoe.ref, [&](Hub::Reply reply) { saved = std::move(reply); });
  EXPECT_FALSE(hub.end_command(zoe.ref)) << "its answer is outstanding";
  poster.run_all();
  EXPECT_TRUE(zoe.log.take().empty());
  saved([&] { zoe.log.lines.push_back("worker's answer"); });
  poster.run_all();
  EXPECT_EQ(zoe.log.take(), (Lines{"answering " + std::to_string(k), "worker's answer", "answering 0",
                                   "settled " + std::to_string(k)}));
}

TEST_P(HubOrder, AnOutsideAnswerOfNoCommandSettlesNothing) {
  Person& zoe = enter(1, "zoe");
  Hub::Reply saved;
  hub.begin_command(zoe.ref);
  hub.await_outside(zoe.ref, [&](Hub::Reply reply) { saved = std::move(reply); }, false);
  EXPECT_TRUE(hub.end_command(zoe.ref)) << "nothing it waits for";
  saved([&] { zoe.log.lines.push_back("deadline"); });
  poster.run_all();
  EXPECT_EQ(zoe.log.take(), (Lines{"answering 0", "deadline", "answering 0"}));
}

TEST_P(HubOrder, AnOutsideAnswerForADetachedSessionIsDropped) {
  Person& zoe = enter(1, "zoe");
  Hub::Reply saved;
  hub.await_outside(zoe.ref, [&](Hub::Reply reply) { saved = std::move(reply); });
  hub.detach(zoe.ref, {});
  bool ran = false;
  saved([&] { ran = true; });
  poster.run_all();
  EXPECT_FALSE(ran);
  people.pop_back();  // detached already
}

TEST_P(HubOrder, AccountsAreAnnouncedAndKeptThroughRenames) {
  Person& zoe = enter(0, "zoe", {"garden"});
  Person& amy = enter(1, "amy", {"garden"});
  ASSERT_TRUE(hub.presence().set_account(zoe.ref, "zoe").ok());
  poster.run_all();
  EXPECT_EQ(hub.identity_of(zoe.ref).presence.account, "zoe");
  EXPECT_EQ(amy.log.take(), (Lines{"event #garden other by zoe (cause 0)"}));  // AccountChanged
  hub.claim_name(zoe.ref, "zoey", [](Result<Identity>) {});
  poster.run_all();
  EXPECT_EQ(hub.identity_of(zoe.ref).presence.account, "zoe");
  bool refused = false;
  hub.claim_name(amy.ref, "NickServ", [&](Result<Identity> r) { refused = !r.ok() && r.refusal() == Refusal::name_in_use; });
  poster.run_all();
  EXPECT_TRUE(refused) << "a service's name is never free";
}

}  // namespace
}  // namespace parley::core
