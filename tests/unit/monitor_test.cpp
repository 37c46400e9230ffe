// Watching names (core/watch_list, Hub::watch) and the hub's small hooks for
// IRCv3 (a command settled after its room events, client tags, invited
// events), across hand-run loops.
#include <gtest/gtest.h>

#include <memory>
#include <optional>
#include <string>
#include <vector>

#include "core/hub.h"
#include "core/watch_list.h"
#include "test_support.h"

namespace parley::core {
namespace {

using parley::testing::ManualPoster;

TEST(WatchList, AddsEachKeyOnceAndKeepsTheLimit) {
  WatchList list(2);
  const SessionRef a{0, 1}, b{1, 1};
  EXPECT_EQ(list.add(a, "zoe", "Zoe"), WatchList::Added::added);
  EXPECT_EQ(list.add(a, "zoe", "ZOE"), WatchList::Added::already);
  EXPECT_EQ(list.add(a, "amy", "amy"), WatchList::Added::added);
  EXPECT_EQ(list.add(a, "raj", "raj"), WatchList::Added::full);
  EXPECT_EQ(list.add(b, "zoe", "zoe"), WatchList::Added::added);
  ASSERT_EQ(list.entries_of(a).size(), 2u);
  EXPECT_EQ(list.entries_of(a)[0].name, "Zoe");  // as first spelled
  EXPECT_EQ(list.watchers_of({"zoe"}), (std::vector<SessionRef>{a, b}));
  EXPECT_EQ(list.watchers_of({"zoe", "amy"}), (std::vector<SessionRef>{a, b}));  // each once
}

TEST(WatchList, RemoveAndClearForgetBothWays) {
  WatchList list(10);
  const SessionRef a{0, 1}, b{0, 2};
  list.add(a, "zoe", "zoe");
  list.add(a, "amy", "amy");
  list.add(b, "zoe", "zoe");
  list.remove(a, "zoe");
  EXPECT_EQ(list.watchers_of({"zoe"}), (std::vector<SessionRef>{b}));
  list.clear(b);
  EXPECT_TRUE(list.watchers_of({"zoe"}).empty());
  EXPECT_EQ(list.entries_of(a).size(), 1u);
  list.remove(a, "nobody");  // harmless
  list.clear(a);
  EXPECT_TRUE(list.entries_of(a).empty());
  EXPECT_TRUE(list.watchers_of({"amy"}).empty());
}

// A member that records watch notices and room events.
class Watcher final : public Member {
 public:
  void on_room_event(const RoomEvent& ev, RenderCache&) override { events.push_back(ev); }
  void on_private_message(const PrivateMessage& pm) override { messages.push_back(pm); }
  void on_watch_notice(const WatchNotice& n) override {
    notices.push_back((n.online ? "+" : "-") + n.identity.nick);
  }
  void on_settled(CommandId command) override {
    settled.push_back(command);
    events_when_settled.push_back(events.size());
  }
  std::vector<CommandId> settled;
  std::vector<std::size_t> events_when_settled;
  std::vector<std::string> notices;
  std::vector<RoomEvent> events;
  std::vector<PrivateMessage> messages;
};

class HubWatch : public ::testing::TestWithParam<LoopIndex> {
 protected:
  struct Person {
    Watcher member;
    SessionRef ref;
  };
  Person& attach(LoopIndex n) {
    people_.push_back(std::make_unique<Person>());
    Person& p = *people_.back();
    p.ref = hub_.attach(n % GetParam(), p.member, Profile{"~u", "127.0.0.1", {}});
    return p;
  }
  void claim(Person& p, std::string_view name) {
    bool ok = false;
    hub_.claim_name(p.ref, name, [&](Result<Identity> r) { ok = r.ok(); });
    poster_.run_all();
    EXPECT_TRUE(ok) << name;
  }
  WatchOutcome watch(Person& p, std::vector<std::string> names) {
    std::optional<Result<WatchOutcome>> got;
    hub_.directory().watch(p.ref, std::move(names), [&](Result<WatchOutcome> r) { got = std::move(r); });
    poster_.run_all();
    EXPECT_TRUE(got && got->ok());
    return got && got->ok() ? got->value() : WatchOutcome{};
  }

  ManualPoster poster_{GetParam()};
  HubLimits limits_ = [] {
    HubLimits l;
    l.watched_names = 3;
    return l;
  }();
  Hub hub_{poster_, limits_};
  std::vector<std::unique_ptr<Person>> people_;
};

INSTANTIATE_TEST_SUITE_P(Loops, HubWatch, ::testing::Values(1u, 3u),
                         [](const auto& info) { return std::to_string(info.param) + "loops"; });

TEST_P(HubWatch, WatchingAnswersWhoIsOnlineNow) {
  Person& zoe = attach(0);
  claim(zoe, "zoe");
  Person& amy = attach(1);
  claim(amy, "amy");
  auto outcome = watch(amy, {"ZOE", "raj"});
  ASSERT_EQ(outcome.watched.size(), 2u);
  EXPECT_EQ(outcome.watched[0].name, "ZOE");
  ASSERT_TRUE(outcome.watched[0].holder);
  EXPECT_EQ(outcome.watched[0].holder->nick, "zoe");
  EXPECT_FALSE(outcome.watched[1].holder);
  EXPECT_TRUE(outcome.refused.empty());
}

TEST_P(HubWatch, TheListIsLimited) {
  Person& amy = attach(0);
  claim(amy, "amy");
  auto outcome = watch(amy, {"a", "b", "c", "d", "e"});
  EXPECT_EQ(outcome.watched.size(), 3u);
  EXPECT_EQ(outcome.refused, (std::vector<std::string>{"d", "e"}));
}

TEST_P(HubWatch, WatchersHearNamesComeAndGo) {
  Person& amy = attach(0);
  claim(amy, "amy");
  watch(amy, {"zoe", "zed"});
  Person& zoe = attach(1);
  claim(zoe, "zoe");
  EXPECT_EQ(amy.member.notices, (std::vector<std::string>{"+zoe"}));
  claim(zoe, "zed");  // a rename: the old name goes offline, the new one comes online
  EXPECT_EQ(amy.member.notices, (std::vector<std::string>{"+zoe", "-zoe", "+zed"}));
  hub_.detach(zoe.ref, "bye");
  poster_.run_all();
  EXPECT_EQ(amy.member.notices, (std::vector<std::string>{"+zoe", "-zoe", "+zed", "-zed"}));
}

TEST_P(HubWatch, TextUsersNamesAndNicksCount) {
  Person& amy = attach(0);
  claim(amy, "amy");
  watch(amy, {"Raj_Ingle"});
  Person& raj = attach(2);
  claim(raj, "Raj Ingle");  // a text user: the nick Raj_Ingle is derived from the name
  EXPECT_EQ(amy.member.notices, (std::vector<std::string>{"+Raj_Ingle"}));
}

TEST_P(HubWatch, UnwatchAndDetachStopNotices) {
  Person& amy = attach(0);
  claim(amy, "amy");
  Person& bob = attach(1);
  claim(bob, "bob");
  watch(amy, {"zoe"});
  watch(bob, {"zoe"});
  hub_.directory().unwatch(amy.ref, {"Zoe"});
  hub_.detach(bob.ref, {});
  poster_.run_all();
  Person& zoe = attach(2);
  claim(zoe, "zoe");
  EXPECT_TRUE(amy.member.notices.empty());
  EXPECT_TRUE(bob.member.notices.empty());
  std::optional<std::vector<WatchedName>> list;
  hub_.directory().watched(amy.ref, [&](Result<std::vector<WatchedName>> r) { list = r.value(); });
  poster_.run_all();
  ASSERT_TRUE(list);
  EXPECT_TRUE(list->empty());
}

TEST_P(HubWatch, TellWatchersReachesEachWatcherOnItsLoop) {
  Person& amy = attach(0);
  claim(amy, "amy");
  Person& bob = attach(1);
  claim(bob, "bob");
  Person& zoe = attach(2);
  claim(zoe, "zoe");
  watch(amy, {"zoe"});
  watch(bob, {"zoe", "amy"});
  std::vector<std::string> told;
  hub_.directory().tell_watchers(zoe.ref, [&told, this](Member& m) {
    for (auto& p : people_) {
      if (&p->member == &m) told.push_back(std::to_string(p->ref.id) + "@" + std::to_string(p->ref.loop));
    }
  });
  poster_.run_all();
  EXPECT_EQ(told.size(), 2u);  // amy and bob, not zoe herself
}

// What Hub::after_room was for (an IRC labeled JOIN answers once the joined
// event is there): a command is settled only after its room events arrived.
TEST_P(HubWatch, ACommandThatJoinsIsSettledOnlyOnceTheJoinedEventArrived) {
  Person& zoe = attach(0);
  claim(zoe, "zoe");
  const CommandId command = hub_.begin_command(zoe.ref);
  ASSERT_TRUE(hub_.rooms().join(zoe.ref, "garden").ok());
  EXPECT_FALSE(hub_.end_command(zoe.ref));
  EXPECT_TRUE(zoe.member.settled.empty());
  poster_.run_all(ManualPoster::Order::descending_drain);
  EXPECT_EQ(zoe.member.settled, (std::vector<CommandId>{command}));
  EXPECT_EQ(zoe.member.events_when_settled, (std::vector<std::size_t>{1u}));  // the joined event came first
  ASSERT_EQ(zoe.member.events.size(), 1u);
  EXPECT_EQ(zoe.member.events[0].cause, command);
}

TEST_P(HubWatch, ClientTagsTravelWithMessagesAndTagOnlyMessages) {
  Person& zoe = attach(0);
  claim(zoe, "zoe");
  Person& amy = attach(1);
  claim(amy, "amy");
  ASSERT_TRUE(hub_.rooms().join(zoe.ref, "garden").ok());
  ASSERT_TRUE(hub_.rooms().join(amy.ref, "garden").ok());
  poster_.run_all();
  ASSERT_TRUE(hub_.rooms().say(zoe.ref, "garden", Speech::tagged, {}, {}, "+typing=active").ok());
  hub_.directory().private_message(zoe.ref, "amy", Speech::tagged, {}, [](Result<Identity>) {}, "+react=x");
  poster_.run_all();
  ASSERT_FALSE(amy.member.events.empty());
  const auto* said = amy.member.events.back().as<RoomEvent::Said>();
  ASSERT_NE(said, nullptr);
  EXPECT_EQ(said->speech, Speech::tagged);
  EXPECT_EQ(said->client_tags, "+typing=active");
  ASSERT_EQ(amy.member.messages.size(), 1u);
  EXPECT_EQ(amy.member.messages[0].speech, Speech::tagged);
  EXPECT_EQ(amy.member.messages[0].client_tags, "+react=x");
}

TEST_P(HubWatch, AnInvitationIsAnEventOfTheRoom) {
  Person& zoe = attach(0);
  claim(zoe, "zoe");
  Person& amy = attach(1);
  claim(amy, "amy");
  Person& raj = attach(2);
  claim(raj, "raj");
  ASSERT_TRUE(hub_.rooms().join(zoe.ref, "garden").ok());
  poster_.run_all();
  ASSERT_TRUE(hub_.rooms().join(amy.ref, "garden").ok());
  poster_.run_all();
  hub_.rooms().invite(zoe.ref, "raj", "garden", [](Result<Identity>) {});
  poster_.run_all();
  ASSERT_FALSE(amy.member.events.empty());
  const RoomEvent& ev = amy.member.events.back();
  const auto* invited = ev.as<RoomEvent::Invited>();
  ASSERT_NE(invited, nullptr);
  EXPECT_EQ(ev.by().nick, "zoe");
  EXPECT_EQ(invited->invitee->nick, "raj");
  EXPECT_TRUE(invited->audience.empty());  // an open room: every member could have invited
}

}  // namespace
}  // namespace parley::core
