// Presence in the core (away, real name, bot, invisible, server operators),
// removing a session, and the history of names left: core/hub across
// hand-run loops, core/name_registry alone.
#include <gtest/gtest.h>

#include <memory>
#include <optional>
#include <string>
#include <vector>

#include "core/hub.h"
#include "core/name_registry.h"
#include "core/presence.h"
#include "test_support.h"

namespace parley::core {
namespace {

using parley::testing::ManualPoster;
using Said = RoomEvent::Said;
using Left = RoomEvent::Left;
using Joined = RoomEvent::Joined;
using AwayChanged = RoomEvent::AwayChanged;
using RealNameChanged = RoomEvent::RealNameChanged;

class Recorder final : public Member {
 public:
  void on_room_event(const RoomEvent& ev, RenderCache&) override { events.push_back(ev); }
  void on_private_message(const PrivateMessage& pm) override { private_messages.push_back(pm); }
  void on_removed(const Removal& removal) override { removals.push_back(removal); }
  void on_watched_profile(const ProfileNotice& notice) override { profile_notices.push_back(notice); }

  template <class Kind>
  std::vector<RoomEvent> of_kind() const {
    std::vector<RoomEvent> out;
    for (const auto& ev : events) {
      if (ev.as<Kind>()) out.push_back(ev);
    }
    return out;
  }

  std::vector<RoomEvent> events;
  std::vector<PrivateMessage> private_messages;
  std::vector<Removal> removals;
  std::vector<ProfileNotice> profile_notices;
};

struct Person {
  Recorder member;
  SessionRef ref;
  bool attached = true;
};

class PresenceTest : public ::testing::TestWithParam<LoopIndex> {
 protected:
  PresenceTest() : poster_(GetParam()), hub_(poster_, limits()) {}

  static HubLimits limits() {
    HubLimits l;
    l.name_history = 3;
    l.real_name_chars = 20;
    l.away_chars = 10;
    return l;
  }

  // Named, in `rooms`, everything settled; the n-th person lives on loop n % loops.
  Person& enter(const std::string& name, std::vector<std::string> rooms = {"lobby"}) {
    people_.push_back(std::make_unique<Person>());
    Person& p = *people_.back();
    p.ref = hub_.attach(static_cast<LoopIndex>(people_.size() % GetParam()), p.member, Profile{"~u", "h", {}});
    std::optional<Result<Identity>> got;
    hub_.claim_name(p.ref, name, [&](Result<Identity> r) { got = std::move(r); });
    poster_.run_all();
    EXPECT_TRUE(got && got->ok()) << name;
    for (const auto& room : rooms) EXPECT_TRUE(hub_.rooms().join(p.ref, room).ok());
    poster_.run_all();
    return p;
  }

  template <class T, class Ask>
  std::optional<Result<T>> ask(Ask&& ask) {
    std::optional<Result<T>> got;
    ask([&](Result<T> r) { got = std::move(r); });
    poster_.run_all();
    return got;
  }

  std::optional<Result<Identity>> find(Person& asker, const std::string& name) {
    return ask<Identity>([&](auto done) { hub_.directory().find_user(asker.ref, name, done); });
  }

  RoomSnapshot::Entry entry(Person& asker, const std::string& room, const std::string& nick) {
    auto got = ask<RoomSnapshot>([&](auto done) { hub_.rooms().room_info(asker.ref, room, done); });
    EXPECT_TRUE(got && got->ok());
    for (const auto& e : got->value().entries) {
      if (e.identity->nick == nick) return e;
    }
    ADD_FAILURE() << nick << " is not in #" << room;
    return {std::make_shared<const Identity>(), false, false};
  }

  void TearDown() override {
    for (auto& p : people_) {
      if (p->attached) hub_.detach(p->ref, {});
    }
    poster_.run_all();
  }

  ManualPoster poster_;
  Hub hub_;
  std::vector<std::unique_ptr<Person>> people_;
};

INSTANTIATE_TEST_SUITE_P(Loops, PresenceTest, ::testing::Values(1u, 3u),
                         [](const auto& info) { return std::to_string(info.param) + "loops"; });

TEST_P(PresenceTest, AwayIsAnnouncedOncePerSharedRoomAndSeenByLookups) {
  Person& zoe = enter("zoe", {"lobby", "games"});
  Person& amy = enter("amy", {"lobby", "games"});
  amy.member.events.clear();
  ASSERT_TRUE(hub_.presence().set_away(zoe.ref, "lunch").ok());
  poster_.run_all();
  // Each shared room announces it, with the same change number, so a session
  // can show it once.
  auto seen = amy.member.of_kind<AwayChanged>();
  ASSERT_EQ(seen.size(), 2u);
  EXPECT_EQ(seen[0].by().presence.away, "lunch");
  EXPECT_EQ(seen[0].as<AwayChanged>()->presence_seq, seen[1].as<AwayChanged>()->presence_seq);
  EXPECT_NE(seen[0].room_key, seen[1].room_key);
  // Lookups, member lists and the session's own view agree.
  auto found = find(amy, "zoe");
  ASSERT_TRUE(found && found->ok());
  EXPECT_EQ(found->value().presence.away, "lunch");
  EXPECT_EQ(entry(amy, "lobby", "zoe").identity->presence.away, "lunch");
  EXPECT_EQ(hub_.identity_of(zoe.ref).presence.away, "lunch");

  // Setting the same message again changes nothing and announces nothing.
  amy.member.events.clear();
  ASSERT_TRUE(hub_.presence().set_away(zoe.ref, "lunch").ok());
  poster_.run_all();
  EXPECT_TRUE(amy.member.of_kind<AwayChanged>().empty());

  // Back: announced with no text, and a later change number.
  ASSERT_TRUE(hub_.presence().set_away(zoe.ref, "").ok());
  poster_.run_all();
  auto back = amy.member.of_kind<AwayChanged>();
  ASSERT_EQ(back.size(), 2u);
  EXPECT_EQ(back[0].by().presence.away, "");
  EXPECT_GT(back[0].as<AwayChanged>()->presence_seq, seen[0].as<AwayChanged>()->presence_seq);
  EXPECT_EQ(entry(amy, "games", "zoe").identity->presence.away, "");
}

TEST_P(PresenceTest, AwayMessagesAreCutToTheLimitOnACharacterBoundary) {
  Person& zoe = enter("zoe");
  ASSERT_TRUE(hub_.presence().set_away(zoe.ref, "ééééééééééééééé").ok());  // 15 two-byte characters
  EXPECT_EQ(hub_.identity_of(zoe.ref).presence.away, "éééééééééé");
}

TEST_P(PresenceTest, AJoinerCarriesItsAwayMessageAndABotItsFlag) {
  Person& amy = enter("amy");
  Person& zoe = enter("zoe", {});
  ASSERT_TRUE(hub_.presence().set_away(zoe.ref, "away").ok());
  ASSERT_TRUE(hub_.presence().set_bot(zoe.ref, true).ok());
  poster_.run_all();
  amy.member.events.clear();
  ASSERT_TRUE(hub_.rooms().join(zoe.ref, "lobby").ok());
  poster_.run_all();
  auto joins = amy.member.of_kind<Joined>();
  ASSERT_EQ(joins.size(), 1u);
  EXPECT_EQ(joins[0].by().presence.away, "away");
  EXPECT_TRUE(joins[0].by().presence.bot);
  // Flags are not announced, only listed.
  EXPECT_TRUE(amy.member.of_kind<AwayChanged>().empty());
  EXPECT_TRUE(entry(amy, "lobby", "zoe").identity->presence.bot);
  // A bot's messages say so.
  ASSERT_TRUE(hub_.rooms().say(zoe.ref, "lobby", Speech::message, "beep").ok());
  hub_.directory().private_message(zoe.ref, "amy", Speech::message, "boop", [](Result<Identity>) {});
  poster_.run_all();
  auto said = amy.member.of_kind<Said>();
  ASSERT_EQ(said.size(), 1u);
  EXPECT_TRUE(said[0].by().presence.bot);
  ASSERT_EQ(amy.member.private_messages.size(), 1u);
  EXPECT_TRUE(amy.member.private_messages[0].sender->presence.bot);
}

TEST_P(PresenceTest, APrivateMessageAnswersWithTheRecipientsAwayMessage) {
  Person& amy = enter("amy");
  Person& zoe = enter("zoe");
  ASSERT_TRUE(hub_.presence().set_away(zoe.ref, "brb").ok());
  poster_.run_all();
  auto got = ask<Identity>([&](auto done) { hub_.directory().private_message(amy.ref, "zoe", Speech::message, "hi", done); });
  ASSERT_TRUE(got && got->ok());
  EXPECT_EQ(got->value().presence.away, "brb");
  EXPECT_EQ(zoe.member.private_messages.size(), 1u) << "delivered all the same";
}

TEST_P(PresenceTest, RealNameChangesAreCheckedAnnouncedAndSurviveARename) {
  Person& zoe = enter("zoe");
  Person& amy = enter("amy");
  EXPECT_EQ(hub_.presence().set_real_name(zoe.ref, "").refusal(), Refusal::real_name_invalid);
  EXPECT_EQ(hub_.presence().set_real_name(zoe.ref, std::string(21, 'x')).refusal(), Refusal::real_name_invalid);
  EXPECT_EQ(hub_.presence().set_real_name(zoe.ref, "bad\x01name").refusal(), Refusal::real_name_invalid);
  amy.member.events.clear();
  ASSERT_TRUE(hub_.presence().set_real_name(zoe.ref, "Zoë Quinn").ok());
  poster_.run_all();
  auto seen = amy.member.of_kind<RealNameChanged>();
  ASSERT_EQ(seen.size(), 1u);
  EXPECT_EQ(seen[0].by().real_name, "Zoë Quinn");
  EXPECT_EQ(entry(amy, "lobby", "zoe").identity->real_name, "Zoë Quinn");

  // A rename keeps the real name and the presence.
  ASSERT_TRUE(hub_.presence().set_away(zoe.ref, "gone").ok());
  auto renamed = ask<Identity>([&](auto done) { hub_.claim_name(zoe.ref, "zed", done); });
  ASSERT_TRUE(renamed && renamed->ok());
  EXPECT_EQ(renamed->value().real_name, "Zoë Quinn");
  EXPECT_EQ(renamed->value().presence.away, "gone");
  auto found = find(amy, "zed");
  ASSERT_TRUE(found && found->ok());
  EXPECT_EQ(found->value().real_name, "Zoë Quinn");
  EXPECT_EQ(found->value().presence.away, "gone");
  EXPECT_EQ(entry(amy, "lobby", "zed").identity->presence.away, "gone");
}

TEST_P(PresenceTest, RenamesKeepUserAndHostAndFollowTheNameWhenNoRealNameWasGiven) {
  // The hub keeps the profile only until a claim has put it into the identity;
  // later claims rebuild it from there.
  Person& zoe = enter("zoe");  // profile "~u", "h", no real name
  Person& amy = enter("amy");
  auto renamed = ask<Identity>([&](auto done) { hub_.claim_name(zoe.ref, "zed", done); });
  ASSERT_TRUE(renamed && renamed->ok());
  EXPECT_EQ(renamed->value().user, "~u");
  EXPECT_EQ(renamed->value().host, "h");
  EXPECT_EQ(renamed->value().real_name, "zed") << "no real name given: the display name, as renamed";
  EXPECT_EQ(entry(amy, "lobby", "zed").identity->real_name, "zed");

  // A profile set later takes effect at the next claim, and lasts.
  hub_.set_profile(zoe.ref, Profile{"~v", "h2", "Zed Real"});
  renamed = ask<Identity>([&](auto done) { hub_.claim_name(zoe.ref, "zee", done); });
  ASSERT_TRUE(renamed && renamed->ok());
  EXPECT_EQ(renamed->value().user, "~v");
  EXPECT_EQ(renamed->value().host, "h2");
  EXPECT_EQ(renamed->value().real_name, "Zed Real");
  renamed = ask<Identity>([&](auto done) { hub_.claim_name(zoe.ref, "zoe", done); });
  ASSERT_TRUE(renamed && renamed->ok());
  EXPECT_EQ(renamed->value().user, "~v");
  EXPECT_EQ(renamed->value().real_name, "Zed Real");
  auto found = find(amy, "zoe");
  ASSERT_TRUE(found && found->ok());
  EXPECT_EQ(found->value().host, "h2");
  EXPECT_EQ(entry(amy, "lobby", "zoe").identity->user, "~v");
}

TEST_P(PresenceTest, ServerOperatorLoginsAreCheckedAndTheFlagListed) {
  Person& zoe = enter("zoe");
  EXPECT_EQ(hub_.presence().become_server_operator(zoe.ref, "root", "pw").refusal(), Refusal::no_operator_logins);
  hub_.presence().set_operator_logins({{"root", "sesame"}, {"admin", "open"}});
  EXPECT_EQ(hub_.presence().become_server_operator(zoe.ref, "root", "open").refusal(), Refusal::wrong_password);
  EXPECT_EQ(hub_.presence().become_server_operator(zoe.ref, "nobody", "sesame").refusal(), Refusal::wrong_password);
  EXPECT_EQ(hub_.presence().become_server_operator(zoe.ref, "root", "sesam").refusal(), Refusal::wrong_password);
  EXPECT_FALSE(hub_.identity_of(zoe.ref).presence.server_operator);
  ASSERT_TRUE(hub_.presence().become_server_operator(zoe.ref, "admin", "open").ok());
  poster_.run_all();
  EXPECT_TRUE(hub_.identity_of(zoe.ref).presence.server_operator);
  EXPECT_TRUE(entry(zoe, "lobby", "zoe").identity->presence.server_operator);
  ASSERT_TRUE(hub_.presence().stop_being_server_operator(zoe.ref).ok());
  poster_.run_all();
  EXPECT_FALSE(entry(zoe, "lobby", "zoe").identity->presence.server_operator);
}

TEST_P(PresenceTest, OnlyServerOperatorsRemoveOthersWhoseRoomsHearWhy) {
  hub_.presence().set_operator_logins({{"root", "sesame"}});
  Person& op = enter("op");
  Person& amy = enter("amy");
  Person& zoe = enter("zoe", {"lobby", "games"});
  auto refused = ask<Identity>([&](auto done) { hub_.remove_user(amy.ref, "zoe", "no", done); });
  ASSERT_TRUE(refused);
  EXPECT_EQ(refused->refusal(), Refusal::not_server_operator);
  ASSERT_TRUE(hub_.presence().become_server_operator(op.ref, "root", "sesame").ok());
  auto nobody = ask<Identity>([&](auto done) { hub_.remove_user(op.ref, "nobody", "x", done); });
  ASSERT_TRUE(nobody);
  EXPECT_EQ(nobody->refusal(), Refusal::no_such_user);

  amy.member.events.clear();
  auto removed = ask<Identity>([&](auto done) { hub_.remove_user(op.ref, "ZOE", "spamming", done); });
  ASSERT_TRUE(removed && removed->ok());
  EXPECT_EQ(removed->value().nick, "zoe");
  zoe.attached = false;
  ASSERT_EQ(zoe.member.removals.size(), 1u);
  EXPECT_EQ(zoe.member.removals[0].by_nick, "op");
  EXPECT_EQ(zoe.member.removals[0].reason, "spamming");
  auto left = amy.member.of_kind<Left>();
  ASSERT_EQ(left.size(), 1u);
  EXPECT_TRUE(left[0].as<Left>()->quit);
  EXPECT_EQ(left[0].as<Left>()->closed_by, "op");
  EXPECT_EQ(left[0].as<Left>()->reason, "spamming");
  // Gone from the registry and the rooms; the name is free again.
  auto found = find(amy, "zoe");
  ASSERT_TRUE(found);
  EXPECT_FALSE(found->ok());
  EXPECT_TRUE(zoe.member.of_kind<Left>().empty()) << "the removed session hears nothing more";
  enter("zoe");
}

TEST_P(PresenceTest, PastUsersRememberQuitsAndRenamesNewestFirst) {
  Person& amy = enter("amy");
  Person& zoe = enter("zoe");
  auto none = ask<std::vector<PastUser>>([&](auto done) { hub_.directory().past_users(amy.ref, "zoe", 5, done); });
  ASSERT_TRUE(none);
  EXPECT_EQ(none->refusal(), Refusal::no_such_user);
  ASSERT_TRUE(hub_.presence().set_real_name(zoe.ref, "Zoe Q").ok());
  ASSERT_TRUE(ask<Identity>([&](auto done) { hub_.claim_name(zoe.ref, "zed", done); })->ok());
  auto after_rename = ask<std::vector<PastUser>>([&](auto done) { hub_.directory().past_users(amy.ref, "Zoe", 5, done); });
  ASSERT_TRUE(after_rename && after_rename->ok());
  ASSERT_EQ(after_rename->value().size(), 1u);
  EXPECT_EQ(after_rename->value()[0].identity.nick, "zoe");
  EXPECT_EQ(after_rename->value()[0].identity.real_name, "Zoe Q");
  EXPECT_EQ(after_rename->value()[0].identity.user, "~u");
  hub_.detach(zoe.ref, "bye");
  zoe.attached = false;
  poster_.run_all();
  auto after_quit = ask<std::vector<PastUser>>([&](auto done) { hub_.directory().past_users(amy.ref, "zed", 5, done); });
  ASSERT_TRUE(after_quit && after_quit->ok());
  EXPECT_EQ(after_quit->value()[0].identity.nick, "zed");
}

TEST_P(PresenceTest, WatchersHearAwayAndRealNameChangesNumberedAsTheRooms) {
  Person& zoe = enter("zoe");
  Person& amy = enter("amy");  // shares #lobby and watches zoe
  Person& bob = enter("bob", {});  // watches zoe only
  for (Person* p : {&amy, &bob}) {
    auto watched = ask<WatchOutcome>([&](auto done) { hub_.directory().watch(p->ref, {"zoe"}, done); });
    ASSERT_TRUE(watched && watched->ok());
  }
  amy.member.events.clear();
  ASSERT_TRUE(hub_.presence().set_away(zoe.ref, "out").ok());
  ASSERT_TRUE(hub_.presence().set_real_name(zoe.ref, "Zoe Q").ok());
  ASSERT_TRUE(hub_.presence().set_bot(zoe.ref, true).ok());  // not announced, to watchers either
  poster_.run_all();
  ASSERT_EQ(bob.member.profile_notices.size(), 2u);
  EXPECT_EQ(bob.member.profile_notices[0].change, ProfileNotice::Change::away);
  EXPECT_EQ(bob.member.profile_notices[0].identity->presence.away, "out");
  EXPECT_EQ(bob.member.profile_notices[0].identity->nick, "zoe");
  EXPECT_EQ(bob.member.profile_notices[0].who, zoe.ref);
  EXPECT_EQ(bob.member.profile_notices[1].change, ProfileNotice::Change::real_name);
  EXPECT_EQ(bob.member.profile_notices[1].identity->real_name, "Zoe Q");
  // amy hears each change twice, with one number: the session shows it once.
  ASSERT_EQ(amy.member.profile_notices.size(), 2u);
  auto away = amy.member.of_kind<AwayChanged>();
  ASSERT_EQ(away.size(), 1u);
  EXPECT_EQ(away[0].as<AwayChanged>()->presence_seq, amy.member.profile_notices[0].presence_seq);
  EXPECT_TRUE(zoe.member.profile_notices.empty());
}

TEST_P(PresenceTest, UsersAreCountedApartByVisibility) {
  Person& zoe = enter("zoe");
  enter("amy");
  ASSERT_TRUE(hub_.presence().set_invisible(zoe.ref, true).ok());
  poster_.run_all();
  auto counts = ask<UserCounts>([&](auto done) { hub_.directory().count_users(zoe.ref, done); });
  ASSERT_TRUE(counts && counts->ok());
  EXPECT_EQ(counts->value().visible, 1u);
  EXPECT_EQ(counts->value().invisible, 1u);
  // A rename keeps it invisible, and leaving takes it off the count.
  ASSERT_TRUE(ask<Identity>([&](auto done) { hub_.claim_name(zoe.ref, "zed", done); })->ok());
  counts = ask<UserCounts>([&](auto done) { hub_.directory().count_users(zoe.ref, done); });
  EXPECT_EQ(counts->value().invisible, 1u);
  ASSERT_TRUE(hub_.presence().set_invisible(zoe.ref, false).ok());
  poster_.run_all();
  counts = ask<UserCounts>([&](auto done) { hub_.directory().count_users(zoe.ref, done); });
  EXPECT_EQ(counts->value().visible, 2u);
  EXPECT_EQ(counts->value().invisible, 0u);
}

// The registry alone: every entry for a name, newest first, at most
// history_size in all (WHOWAS: "return information about the nickname
// specified", one entry per time it was left).
TEST(NameHistory, KeepsEveryEntryPerNameNewestFirstAndForgetsTheOldest) {
  NameRegistry registry(32, 3);
  auto claim = [&](std::uint64_t id, const std::string& name, const std::string& real) {
    auto checked = check_user_name(name, 32);
    ASSERT_TRUE(checked.ok());
    ASSERT_TRUE(registry.claim(SessionRef{0, id}, checked.value(), Profile{"u", "h", real}).ok());
  };
  claim(1, "ann", "first Ann");
  registry.release(SessionRef{0, 1});
  claim(1, "ann", "second Ann");
  registry.release(SessionRef{0, 1});
  auto anns = registry.history("ann", 10);
  ASSERT_EQ(anns.size(), 2u);
  EXPECT_EQ(anns[0].identity.real_name, "second Ann");
  EXPECT_EQ(anns[1].identity.real_name, "first Ann");
  ASSERT_EQ(registry.history("ann", 1).size(), 1u);
  EXPECT_EQ(registry.history("ann", 1)[0].identity.real_name, "second Ann");
  claim(2, "bob", "");
  registry.release(SessionRef{0, 2});
  claim(3, "cy", "");
  registry.release(SessionRef{0, 3});
  anns = registry.history("ann", 10);
  ASSERT_EQ(anns.size(), 1u) << "the oldest of four, with room for three";
  EXPECT_EQ(anns[0].identity.real_name, "second Ann");
  EXPECT_EQ(registry.history("bob", 10).size(), 1u);
  EXPECT_EQ(registry.history("cy", 10).size(), 1u);
  EXPECT_TRUE(registry.history("bob", 0).empty());
}

TEST(NameHistory, KeepsAtMostTheNewestEntriesOfOneName) {
  NameRegistry registry(32, 100);
  auto checked = check_user_name("ann", 32);
  ASSERT_TRUE(checked.ok());
  for (std::size_t i = 0; i < NameRegistry::kPastPerName + 1; ++i) {
    ASSERT_TRUE(registry.claim(SessionRef{0, 1}, checked.value(), Profile{"u", "h", std::to_string(i)}).ok());
    registry.release(SessionRef{0, 1});
  }
  auto anns = registry.history("ann", 100);
  ASSERT_EQ(anns.size(), NameRegistry::kPastPerName);
  EXPECT_EQ(anns.front().identity.real_name, std::to_string(NameRegistry::kPastPerName));
  EXPECT_EQ(anns.back().identity.real_name, "1");
}

TEST(NameHistory, NoneKeptWhenTheSizeIsZero) {
  NameRegistry registry(32);
  auto checked = check_user_name("ann", 32);
  ASSERT_TRUE(registry.claim(SessionRef{0, 1}, checked.value()).ok());
  registry.release(SessionRef{0, 1});
  EXPECT_TRUE(registry.history("ann", 10).empty());
}

TEST(SameSecret, ComparesWholeSecrets) {
  EXPECT_TRUE(same_secret("sesame", "sesame"));
  EXPECT_TRUE(same_secret("", ""));
  EXPECT_FALSE(same_secret("sesame", "sesamE"));
  EXPECT_FALSE(same_secret("sesame", "sesam"));
  EXPECT_FALSE(same_secret("sesam", "sesame"));
  EXPECT_FALSE(same_secret("", "x"));
  EXPECT_FALSE(same_secret(std::string("a\0b", 3), std::string("a\0c", 3)));
}

}  // namespace
}  // namespace parley::core
