// core/hub: claiming, keeping and changing names across hand-run loops.
#include <gtest/gtest.h>

#include "hub_fixture.h"

namespace parley::core {
namespace {

using namespace hub_testing;

INSTANTIATE_TEST_SUITE_P(Loops, HubTest, ::testing::Values(1u, 3u),
                         [](const auto& info) { return std::to_string(info.param) + "loops"; });

// --- names ----------------------------------------------------------------------

TEST_P(HubTest, ClaimYieldsTheNameAsShown) {
  Person& p = w.attach(loop(1));
  EXPECT_EQ(w.hub.identity_of(p.ref).display, "");
  auto r = w.claim(p, "  Zoe\xCC\x88  ");
  ASSERT_TRUE(r.ok());
  EXPECT_EQ(r.value().display, "Zo\xC3\xAB");
  EXPECT_EQ(w.hub.identity_of(p.ref).display, "Zo\xC3\xAB");
}

TEST_P(HubTest, InvalidNamesAreRefusedAtOnce) {
  Person& p = w.attach(loop(2));
  std::vector<Refusal> got;
  auto record = [&](Result<Identity> r) { got.push_back(r.ok() ? Refusal::no_such_user : r.refusal()); };
  w.hub.claim_name(p.ref, "", record);
  w.hub.claim_name(p.ref, "a:b", record);
  w.hub.claim_name(p.ref, "#x", record);
  w.hub.claim_name(p.ref, "a\x1B" "b", record);
  w.hub.claim_name(p.ref, "caf\xE9", record);
  w.hub.claim_name(p.ref, std::string(33, 'x'), record);
  // Answered before returning: nothing was posted.
  EXPECT_EQ(got, (std::vector<Refusal>{Refusal::name_empty, Refusal::name_colon, Refusal::name_reserved_start,
                                       Refusal::name_control_character, Refusal::name_not_utf8,
                                       Refusal::name_too_long}));
  EXPECT_EQ(w.poster.pending(), 0u);
  EXPECT_EQ(w.hub.identity_of(p.ref).display, "");
}

TEST_P(HubTest, NamesAreUniqueUnderCaseFoldingAcrossLoops) {
  Person& zoe = w.attach(loop(0));
  Person& other = w.attach(loop(1));
  Person& third = w.attach(loop(2));
  ASSERT_TRUE(w.claim(zoe, "Zo\xC3\xAB").ok());
  for (const char* typed : {"ZO\xC3\x8B", "zo\xC3\xAB", "Zoe\xCC\x88", " zo\xC3\xAB "}) {
    auto r = w.claim(other, typed);
    ASSERT_FALSE(r.ok()) << typed;
    EXPECT_EQ(r.refusal(), Refusal::name_in_use) << typed;
  }
  ASSERT_TRUE(w.claim(other, "Stra\xC3\x9F" "e").ok());
  auto r = w.claim(third, "STRASSE");
  ASSERT_FALSE(r.ok());
  EXPECT_EQ(r.refusal(), Refusal::name_in_use);
  EXPECT_EQ(w.hub.identity_of(third.ref).display, "");
  EXPECT_EQ(w.hub.identity_of(other.ref).display, "Stra\xC3\x9F" "e");
}

TEST_P(HubTest, SimultaneousClaimsHaveOneWinner) {
  Person& a = w.attach(loop(0));
  Person& b = w.attach(loop(1));
  std::optional<Result<Identity>> ra, rb;
  w.hub.claim_name(a.ref, "Bob", [&](Result<Identity> r) { ra = r; });
  w.hub.claim_name(b.ref, "BOB", [&](Result<Identity> r) { rb = r; });
  w.poster.run_all();
  ASSERT_TRUE(ra && rb);
  EXPECT_TRUE(ra->ok());  // asked first
  ASSERT_FALSE(rb->ok());
  EXPECT_EQ(rb->refusal(), Refusal::name_in_use);
}

TEST_P(HubTest, DetachFreesTheName) {
  Person& a = w.attach(loop(0));
  Person& b = w.attach(loop(2));
  ASSERT_TRUE(w.claim(a, "Raj Ingle").ok());
  ASSERT_FALSE(w.claim(b, "raj ingle").ok());
  w.hub.detach(a.ref, "");
  w.poster.run_all();
  EXPECT_EQ(w.hub.identity_of(a.ref).display, "");
  auto r = w.claim(b, "raj ingle");
  ASSERT_TRUE(r.ok());
  EXPECT_EQ(r.value().display, "raj ingle");
}

TEST_P(HubTest, DetachWhileClaimingLeavesNoGhostName) {
  Person& a = w.attach(loop(1));
  Person& b = w.attach(loop(2));
  bool called = false;
  w.hub.claim_name(a.ref, "Ghost", [&](Result<Identity>) { called = true; });
  w.hub.detach(a.ref, "");
  w.poster.run_all();
  EXPECT_FALSE(called);
  EXPECT_TRUE(w.claim(b, "ghost").ok());
}

TEST_P(HubTest, RenameFreesTheOldName) {
  Person& a = w.attach(loop(0));
  Person& b = w.attach(loop(1));
  Person& c = w.attach(loop(2));
  ASSERT_TRUE(w.claim(a, "Bob").ok());
  ASSERT_TRUE(w.claim(a, "Robert").ok());
  EXPECT_EQ(w.hub.identity_of(a.ref).display, "Robert");
  EXPECT_TRUE(w.claim(b, "bob").ok());
  auto r = w.claim(c, "ROBERT");
  ASSERT_FALSE(r.ok());
  EXPECT_EQ(r.refusal(), Refusal::name_in_use);
}

TEST_P(HubTest, ClaimingYourOwnNameAgainIsAnsweredAtOnce) {
  Person& a = w.attach(loop(1));
  ASSERT_TRUE(w.claim(a, "Bob").ok());
  std::optional<Result<Identity>> got;
  w.hub.claim_name(a.ref, " Bob ", [&](Result<Identity> r) { got = r; });
  ASSERT_TRUE(got.has_value());
  ASSERT_TRUE(got->ok());
  EXPECT_EQ(got->value().display, "Bob");
  EXPECT_EQ(w.poster.pending(), 0u);
}

TEST_P(HubTest, ChangingOnlyTheCaseOfYourNameKeepsIt) {
  Person& a = w.enter(loop(0), "bob");
  Person& b = w.enter(loop(1), "Watcher");
  w.forget_events();
  auto r = w.claim(a, "BOB");
  ASSERT_TRUE(r.ok());
  EXPECT_EQ(r.value().display, "BOB");
  EXPECT_EQ(b.member.seen(), (std::vector<std::string>{"#lobby 3 renamed bob: BOB"}));
  EXPECT_FALSE(w.claim(b, "Bob").ok());  // still held
}

// Two renames in flight at once, the second going back to the old name in
// another case: "alice" -> "Bob" -> "ALICE". The second claim re-takes the key
// "alice"; adopting "Bob" then gives "alice" back, and adopting "ALICE" gives
// "Bob" back: the session is called ALICE but the registry holds neither name.
TEST_P(HubTest, OverlappingRenamesKeepTheFinalNameReserved) {
  Person& a = w.attach(loop(0));
  Person& b = w.attach(loop(1));
  ASSERT_TRUE(w.claim(a, "alice").ok());
  std::vector<std::string> answers;
  auto record = [&](Result<Identity> r) { answers.push_back(r.ok() ? r.value().display : "refused"); };
  w.hub.claim_name(a.ref, "Bob", record);
  w.hub.claim_name(a.ref, "ALICE", record);
  w.poster.run_all();
  EXPECT_EQ(answers, (std::vector<std::string>{"Bob", "ALICE"}));
  EXPECT_EQ(w.hub.identity_of(a.ref).display, "ALICE");
  auto r = w.claim(b, "alice");
  EXPECT_FALSE(r.ok()) << "a second session was given \"alice\" while the first is called ALICE";
  EXPECT_TRUE(w.claim(b, "bob").ok());  // Bob was given back
}

// "/nick Bob" then "/nick alice" typed quickly by alice: the last asked wins,
// and the answers come in the order asked. (The second claim is answered at
// once, "you already have that name", and then the first one lands.)
TEST_P(HubTest, RenamesAreSettledInTheOrderAsked) {
  Person& a = w.attach(loop(0));
  Person& b = w.attach(loop(1));
  ASSERT_TRUE(w.claim(a, "alice").ok());
  std::vector<std::string> answers;
  auto record = [&](Result<Identity> r) { answers.push_back(r.ok() ? r.value().display : "refused"); };
  w.hub.claim_name(a.ref, "Bob", record);
  w.hub.claim_name(a.ref, "alice", record);
  w.poster.run_all();
  EXPECT_EQ(answers, (std::vector<std::string>{"Bob", "alice"}));
  EXPECT_EQ(w.hub.identity_of(a.ref).display, "alice");
  EXPECT_FALSE(w.claim(b, "ALICE").ok());
}

TEST_P(HubTest, RenameIsAnnouncedInEveryRoom) {
  Person& a = w.enter(loop(0), "Alice", {"lobby", "games", "art"});
  Person& b = w.enter(loop(1), "Bob", {"lobby"});
  Person& c = w.enter(loop(2), "Carol", {"games"});
  Person& d = w.enter(loop(1), "Dave", {"music"});
  w.forget_events();
  ASSERT_TRUE(w.claim(a, "Alicia").ok());
  EXPECT_EQ(b.member.seen(), (std::vector<std::string>{"#lobby 3 renamed Alice: Alicia"}));
  EXPECT_EQ(c.member.seen(), (std::vector<std::string>{"#games 3 renamed Alice: Alicia"}));
  EXPECT_TRUE(d.member.seen().empty());
  const std::vector<std::string> own_seen = a.member.seen();
  EXPECT_EQ(std::multiset<std::string>(own_seen.begin(), own_seen.end()),
            (std::multiset<std::string>{"#lobby 3 renamed Alice: Alicia", "#games 3 renamed Alice: Alicia",
                                        "#art 2 renamed Alice: Alicia"}));
  w.forget_events();
  ASSERT_TRUE(w.hub.rooms().say(a.ref, "lobby", Speech::message, "hi").ok());
  w.poster.run_all();
  EXPECT_EQ(b.member.seen(), (std::vector<std::string>{"#lobby 4 message Alicia: hi"}));
}

}  // namespace
}  // namespace parley::core
