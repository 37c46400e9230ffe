// core/hub: what WHOIS asks of the core (DirectoryRequests::user_details):
// a user's rooms as the asker may see them, sign-on and last-spoken times on
// the hub's clock, which the test moves by hand.
#include <gtest/gtest.h>

#include <atomic>

#include "hub_fixture.h"

namespace parley::core {
namespace {

using namespace hub_testing;
using namespace std::chrono_literals;

// A wall clock the test sets; read from every loop, hence atomic.
struct HandClock {
  std::atomic<std::int64_t> seconds{1'800'000'000};
  WallTime now() const { return WallTime(std::chrono::seconds(seconds.load())); }
  std::function<WallTime()> fn() {
    return [this] { return now(); };
  }
};

class HubWhois : public HubTest {
 protected:
  void SetUp() override { w.hub.set_wall_clock(clock.fn()); }

  Result<UserDetails> details(Person& asker, std::string_view name) {
    std::optional<Result<UserDetails>> got;
    w.hub.directory().user_details(asker.ref, name, [&](Result<UserDetails> r) { got = std::move(r); });
    w.poster.run_all();
    if (!got) {
      ADD_FAILURE() << "user_details never answered";
      return Refusal::no_such_user;
    }
    return std::move(*got);
  }

  static std::vector<std::string> shown(const UserDetails& d) {
    std::vector<std::string> rooms;
    for (const auto& r : d.rooms) rooms.push_back(std::string(r.op ? "@" : "") + (r.voice ? "+" : "") + r.room);
    return rooms;
  }

  HandClock clock;
};

TEST_P(HubWhois, IdleCountsFromSignOnThenFromTheLastWordSpoken) {
  Person& amy = w.enter(loop(0), "Amy");
  const WallTime signed_on = clock.now();
  Person& zoe = w.enter(loop(1), "Zoe");
  clock.seconds += 90;
  auto d = details(zoe, "amy");
  ASSERT_TRUE(d.ok());
  EXPECT_EQ(d.value().identity.display, "Amy");
  EXPECT_EQ(d.value().signed_on, signed_on);
  EXPECT_EQ(d.value().now - d.value().last_spoke, 90s);  // never spoke: idle since signing on

  ASSERT_TRUE(w.hub.rooms().say(amy.ref, "lobby", Speech::message, "hello", {}).ok());
  w.poster.run_all();
  clock.seconds += 7;
  d = details(zoe, "Amy");
  ASSERT_TRUE(d.ok());
  EXPECT_EQ(d.value().now - d.value().last_spoke, 7s);
  EXPECT_EQ(d.value().signed_on, signed_on);

  // A private message counts too; a tag-only message (typing) does not.
  clock.seconds += 30;
  w.hub.directory().private_message(amy.ref, "Zoe", Speech::message, "psst", [](Result<Identity>) {});
  w.poster.run_all();
  clock.seconds += 5;
  ASSERT_TRUE(w.hub.rooms().say(amy.ref, "lobby", Speech::tagged, "", {}, "+typing=active").ok());
  w.poster.run_all();
  clock.seconds += 5;
  d = details(zoe, "Amy");
  ASSERT_TRUE(d.ok());
  EXPECT_EQ(d.value().now - d.value().last_spoke, 10s);

  EXPECT_EQ(details(zoe, "nobody").refusal(), Refusal::no_such_user);
}

TEST_P(HubWhois, RoomsShowRolesAndHideSecretOnesFromOutsiders) {
  Person& zoe = w.enter(loop(0), "Zoe", {"lobby", "garden"});
  Person& amy = w.enter(loop(1), "Amy", {"lobby", "garden", "den", "attic"});
  Person& bob = w.enter(loop(2), "Bob", {"lobby"});
  ASSERT_TRUE(Moderation::change(w, amy, "den", {mode(RoomSetting::secret, true)}).ok());
  ASSERT_TRUE(Moderation::change(w, zoe, "garden", {mode(RoomSetting::voice, true, "Amy")}).ok());

  auto d = details(bob, "Amy");
  ASSERT_TRUE(d.ok());
  // In the order joined; the lobby is the server's (no operator by joining);
  // Amy made den and attic, and was voiced in Zoe's garden.
  EXPECT_EQ(shown(d.value()), (std::vector<std::string>{"lobby", "+garden", "@attic"}));
  // Amy herself, and a member of the secret room, see it.
  d = details(amy, "Amy");
  ASSERT_TRUE(d.ok());
  EXPECT_EQ(shown(d.value()), (std::vector<std::string>{"lobby", "+garden", "@den", "@attic"}));
  ASSERT_FALSE(Moderation::join(w, bob, "den").has_value());
  d = details(bob, "Amy");
  ASSERT_TRUE(d.ok());
  EXPECT_EQ(shown(d.value()), (std::vector<std::string>{"lobby", "+garden", "@den", "@attic"}));
  // A server operator sees it without being in it.
  w.hub.presence().set_operator_logins({{"root", "sesame"}});
  ASSERT_TRUE(w.hub.presence().become_server_operator(zoe.ref, "root", "sesame").ok());
  w.poster.run_all();
  d = details(zoe, "Amy");
  ASSERT_TRUE(d.ok());
  EXPECT_EQ(shown(d.value()), (std::vector<std::string>{"lobby", "+garden", "@den", "@attic"}));
}

// Another node's WHOIS of a user here (DirectoryRequests::answer_details): the
// asker is not on this node, so which secret rooms it may see comes from the
// rooms its node says it is in, or from its being a server operator; the real
// address behind a cloak goes to a server operator only.
TEST_P(HubWhois, AnotherNodesAskerSeesWhatItsRoomsAllow) {
  w.enter(loop(0), "Zoe", {"lobby", "garden"});
  Person& amy = w.enter(loop(1), "Amy", {"lobby", "garden", "den", "attic"});
  const WallTime signed_on = clock.now();
  ASSERT_TRUE(Moderation::change(w, amy, "den", {mode(RoomSetting::secret, true)}).ok());
  clock.seconds += 30;
  auto ask = [&](const std::string& key, LookupAsker asker) {
    std::optional<std::optional<UserDetails>> got;
    w.hub.directory().answer_details(key, std::move(asker), [&](std::optional<UserDetails> d) { got = std::move(d); });
    w.poster.run_all();
    EXPECT_TRUE(got) << "answer_details never answered";
    return got.value_or(std::nullopt);
  };
  auto d = ask("amy", {});
  ASSERT_TRUE(d);
  EXPECT_EQ(d->identity.display, "Amy");
  EXPECT_EQ(shown(*d), (std::vector<std::string>{"lobby", "garden", "@attic"}));
  EXPECT_EQ(d->signed_on, signed_on);
  EXPECT_EQ(d->now - d->last_spoke, 30s) << "this node's clock and times";
  d = ask("amy", {{"garden", "den"}, false});
  ASSERT_TRUE(d);
  EXPECT_EQ(shown(*d), (std::vector<std::string>{"lobby", "garden", "@den", "@attic"})) << "a member of den";
  d = ask("amy", {{}, true});
  ASSERT_TRUE(d);
  EXPECT_EQ(shown(*d), (std::vector<std::string>{"lobby", "garden", "@den", "@attic"})) << "a server operator";
  EXPECT_FALSE(ask("nobody", {}));
}

// Another node's WHO of a mask (DirectoryRequests::answer_users): the users
// here it matches, sorted by nick, at most the bound; an invisible one only
// when one of the rooms the asker's node says it is in has it too.
TEST_P(HubWhois, AnotherNodesWhoSeesInvisibleUsersOfItsRoomsOnly) {
  w.enter(loop(0), "Ada", {"lobby"});
  Person& abe = w.enter(loop(1), "Abe", {"garden"});
  Person& al = w.enter(loop(2), "Al", {"den"});
  w.enter(loop(0), "Bob", {"lobby"});
  ASSERT_TRUE(w.hub.presence().set_invisible(abe.ref, true).ok());
  ASSERT_TRUE(w.hub.presence().set_invisible(al.ref, true).ok());
  w.poster.run_all();
  auto ask = [&](std::size_t max, LookupAsker asker) {
    std::vector<std::string> nicks;
    bool answered = false;
    w.hub.directory().answer_users("a*!*@*", max, std::move(asker), [&](std::vector<Identity> found) {
      answered = true;
      for (const auto& who : found) nicks.push_back(who.nick);
    });
    w.poster.run_all();
    EXPECT_TRUE(answered);
    return nicks;
  };
  EXPECT_EQ(ask(200, {}), (std::vector<std::string>{"Ada"}));
  EXPECT_EQ(ask(200, {{"garden", "attic"}, false}), (std::vector<std::string>{"Abe", "Ada"}));
  EXPECT_EQ(ask(200, {{"garden", "den"}, false}), (std::vector<std::string>{"Abe", "Ada", "Al"}));
  EXPECT_EQ(ask(2, {{"garden", "den"}, false}), (std::vector<std::string>{"Abe", "Ada"}));
}

INSTANTIATE_TEST_SUITE_P(Loops, HubWhois, ::testing::Values(1u, 3u),
                         [](const ::testing::TestParamInfo<LoopIndex>& info) {
                           return std::to_string(info.param) + "loops";
                         });

}  // namespace
}  // namespace parley::core
