// core/hub across hand-run loops: names, rooms, ordering and lifetimes.
#include "core/hub.h"

#include <gtest/gtest.h>

#include <algorithm>
#include <map>
#include <memory>
#include <optional>
#include <random>
#include <set>
#include <string>
#include <utility>
#include <variant>
#include <vector>

#include "test_support.h"

namespace parley::core {
namespace {

using parley::testing::ManualPoster;
// The kind of an event, as one word (a said event: its speech).
std::string kind_name(const RoomEvent& ev) {
  return std::visit(Overloaded{
                        [](const RoomEvent::Joined&) -> std::string { return "joined"; },
                        [](const RoomEvent::Left&) -> std::string { return "left"; },
                        [](const RoomEvent::Said& s) -> std::string {
                          switch (s.speech) {
                            case Speech::message: return "message";
                            case Speech::action: return "action";
                            case Speech::notice: return "notice";
                            case Speech::tagged: return "tagged";
                          }
                          return "?";
                        },
                        [](const RoomEvent::Renamed&) -> std::string { return "renamed"; },
                        [](const RoomEvent::TopicChanged&) -> std::string { return "topic"; },
                        [](const RoomEvent::SettingsChanged&) -> std::string { return "settings"; },
                        [](const RoomEvent::Kicked&) -> std::string { return "kicked"; },
                        [](const RoomEvent::Invited&) -> std::string { return "invited"; },
                        [](const RoomEvent::AwayChanged&) -> std::string { return "away"; },
                        [](const RoomEvent::RealNameChanged&) -> std::string { return "real name"; },
                    },
                    ev.what);
}

// What the old events called `text`: what was said, the reason for leaving or
// a kick, the new name, the topic, the away message, the real name.
std::string text_of(const RoomEvent& ev) {
  return std::visit(Overloaded{
                        [](const RoomEvent::Joined&) -> std::string { return {}; },
                        [](const RoomEvent::Left& l) { return l.reason; },
                        [](const RoomEvent::Said& s) { return s.text; },
                        [](const RoomEvent::Renamed& r) { return r.to->display; },
                        [](const RoomEvent::TopicChanged& t) { return t.topic; },
                        [](const RoomEvent::SettingsChanged&) -> std::string { return {}; },
                        [](const RoomEvent::Kicked& k) { return k.reason; },
                        [](const RoomEvent::Invited&) -> std::string { return {}; },
                        [&](const RoomEvent::AwayChanged&) { return ev.by().presence.away; },
                        [&](const RoomEvent::RealNameChanged&) { return ev.by().real_name; },
                    },
                    ev.what);
}

const std::vector<RoomChange>& changes_of(const RoomEvent& ev) {
  static const std::vector<RoomChange> none;
  const auto* c = ev.as<RoomEvent::SettingsChanged>();
  return c ? c->changes : none;
}

std::vector<std::string> names_in(const RoomSnapshot& s) {
  std::vector<std::string> out;
  for (const auto& e : s.entries) out.push_back(e.identity->display);
  return out;
}

// "#room seq kind actor: text" -- one comparable line per event.
std::string describe(const RoomEvent& ev) {
  std::string s = "#" + ev.room + " " + std::to_string(ev.seq) + " " + kind_name(ev) + " " + ev.by().display;
  if (const auto* k = ev.as<RoomEvent::Kicked>()) s += " " + k->target_identity->display;
  for (const auto& c : changes_of(ev)) s += std::string(" ") + (c.on ? "+" : "-") + std::to_string(static_cast<int>(c.setting)) + c.arg;
  const std::string text = text_of(ev);
  if (!text.empty()) s += ": " + text;
  return s;
}

// A member that records what reaches it, and on which loop.
class Recorder final : public Member {
 public:
  Recorder(ManualPoster& poster, LoopIndex loop, std::map<std::pair<LoopIndex, std::uint32_t>, int>& renders)
      : poster_(poster), loop_(loop), renders_(renders) {}

  void on_room_event(const RoomEvent& ev, RenderCache& cache) override {
    check_loop();
    events.push_back(ev);
    if (const auto* j = ev.as<RoomEvent::Joined>(); j && j->snapshot) snapshots.push_back(names_in(*j->snapshot));
    const std::string& rendered = cache.get(form, [&] {
      ++renders_[{loop_, form}];
      return describe(ev) + " (form " + std::to_string(form) + ")";
    });
    bytes.push_back(rendered);
    byte_sources.push_back(rendered.data());
  }
  void on_private_message(const PrivateMessage& pm) override {
    check_loop();
    private_messages.push_back(pm);
  }
  void on_invite(const Invitation& inv) override {
    check_loop();
    invitations.push_back(inv);
  }

  // Descriptions of the events of one room ("" for all).
  std::vector<std::string> seen(const std::string& room = "") const {
    std::vector<std::string> out;
    for (const auto& ev : events) {
      if (room.empty() || ev.room_key == room) out.push_back(describe(ev));
    }
    return out;
  }
  std::vector<std::uint64_t> seqs(const std::string& room_key) const {
    std::vector<std::uint64_t> out;
    for (const auto& ev : events) {
      if (ev.room_key == room_key) out.push_back(ev.seq);
    }
    return out;
  }

  std::uint32_t form = 1;
  std::vector<RoomEvent> events;
  std::vector<std::vector<std::string>> snapshots;
  std::vector<std::string> bytes;
  std::vector<const char*> byte_sources;  // where each rendering was: shared renderings are one
  std::vector<PrivateMessage> private_messages;
  std::vector<Invitation> invitations;
  int wrong_loop = 0;

 private:
  void check_loop() {
    if (poster_.current() && *poster_.current() != loop_) ++wrong_loop;
  }
  ManualPoster& poster_;
  LoopIndex loop_;
  std::map<std::pair<LoopIndex, std::uint32_t>, int>& renders_;
};

struct Person {
  Person(ManualPoster& poster, LoopIndex loop, std::map<std::pair<LoopIndex, std::uint32_t>, int>& renders)
      : member(poster, loop, renders) {}
  Recorder member;
  SessionRef ref;
};

// A hub on `loops` hand-run loops, and the people on it.
struct World {
  explicit World(LoopIndex loops, HubLimits limits = {}) : poster(loops), hub(poster, std::move(limits)) {}

  Person& attach(LoopIndex loop) {
    people.push_back(std::make_unique<Person>(poster, loop, renders));
    Person& p = *people.back();
    p.ref = hub.attach(loop, p.member);
    return p;
  }

  Result<Identity> claim(Person& p, std::string_view name) {
    std::optional<Result<Identity>> got;
    hub.claim_name(p.ref, name, [&](Result<Identity> r) { got = std::move(r); });
    poster.run_all();
    if (!got) {
      ADD_FAILURE() << "claim_name never answered";
      return Refusal::no_such_user;
    }
    return *got;
  }

  // Attached, named, and in the given rooms, with everything settled.
  Person& enter(LoopIndex loop, std::string_view name, std::vector<std::string> rooms = {"lobby"}) {
    Person& p = attach(loop);
    auto r = claim(p, name);
    EXPECT_TRUE(r.ok()) << name;
    for (const auto& room : rooms) EXPECT_TRUE(hub.rooms().join(p.ref, room).ok()) << room;
    poster.run_all();
    return p;
  }

  void forget_events() {
    for (auto& p : people) {
      p->member.events.clear();
      p->member.snapshots.clear();
      p->member.bytes.clear();
      p->member.byte_sources.clear();
      p->member.private_messages.clear();
    }
  }

  std::optional<Result<RoomSnapshot>> info(Person& p, std::string_view room) {
    std::optional<Result<RoomSnapshot>> got;
    hub.rooms().room_info(p.ref, room, [&](Result<RoomSnapshot> r) { got = std::move(r); });
    poster.run_all();
    return got;
  }

  std::vector<std::string> rooms(Person& p) {
    std::optional<Result<std::vector<RoomSummary>>> got;
    hub.rooms().list_rooms(p.ref, [&](Result<std::vector<RoomSummary>> r) { got = std::move(r); });
    poster.run_all();
    std::vector<std::string> out;
    if (!got || !got->ok()) {
      ADD_FAILURE() << "list_rooms did not answer";
      return out;
    }
    for (const auto& s : got->value()) {
      out.push_back("#" + s.room + " (" + std::to_string(s.members) + ")" + (s.topic.empty() ? "" : " " + s.topic));
    }
    return out;
  }

  int wrong_loop() const {
    int n = 0;
    for (const auto& p : people) n += p->member.wrong_loop;
    return n;
  }

  ManualPoster poster;
  Hub hub;
  std::map<std::pair<LoopIndex, std::uint32_t>, int> renders;
  std::vector<std::unique_ptr<Person>> people;
};

class HubTest : public ::testing::TestWithParam<LoopIndex> {
 protected:
  LoopIndex loops() const { return GetParam(); }
  // Spreads people over the loops: the n-th person's loop.
  LoopIndex loop(LoopIndex n) const { return n % loops(); }
  void TearDown() override { EXPECT_EQ(w.wrong_loop(), 0) << "a callback ran on another loop"; }

  World w{GetParam()};
};

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

// --- rooms ------------------------------------------------------------------------

TEST_P(HubTest, JoinAnswersWithTheCheckedNameAndTheJoinedEventFollows) {
  Person& a = w.enter(loop(0), "Alice", {});
  auto r = w.hub.rooms().join(a.ref, " #Games ");
  ASSERT_TRUE(r.ok());
  EXPECT_EQ(r.value().display, "Games");
  EXPECT_EQ(r.value().key, "games");
  EXPECT_TRUE(a.member.events.empty());  // not yet: the room's home loop decides
  w.poster.run_all();
  EXPECT_EQ(a.member.seen(), (std::vector<std::string>{"#Games 1 joined Alice"}));
  EXPECT_EQ(a.member.snapshots, (std::vector<std::vector<std::string>>{{"Alice"}}));
}

TEST_P(HubTest, JoinRefusals) {
  Person& a = w.enter(loop(1), "Alice", {"lobby"});
  auto bad = w.hub.rooms().join(a.ref, "a b");
  ASSERT_FALSE(bad.ok());
  EXPECT_EQ(bad.refusal(), Refusal::room_name_invalid);
  auto long_name = w.hub.rooms().join(a.ref, std::string(51, 'r'));
  ASSERT_FALSE(long_name.ok());
  EXPECT_EQ(long_name.refusal(), Refusal::room_name_too_long);
  auto twice = w.hub.rooms().join(a.ref, "#LOBBY");
  ASSERT_FALSE(twice.ok());
  EXPECT_EQ(twice.refusal(), Refusal::already_in_room);
  // Joining is refused for a room being joined, too.
  ASSERT_TRUE(w.hub.rooms().join(a.ref, "games").ok());
  auto pending = w.hub.rooms().join(a.ref, "games");
  ASSERT_FALSE(pending.ok());
  EXPECT_EQ(pending.refusal(), Refusal::already_in_room);
  w.poster.run_all();
}

TEST_P(HubTest, PartSayAndTopicNeedMembership) {
  Person& a = w.enter(loop(1), "Alice", {"lobby"});
  Person& b = w.enter(loop(2), "Bob", {"games"});
  w.forget_events();
  auto part = w.hub.rooms().part(a.ref, "games", "");
  ASSERT_FALSE(part.ok());
  EXPECT_EQ(part.refusal(), Refusal::not_in_room);
  auto say = w.hub.rooms().say(a.ref, "games", Speech::message, "hi");
  ASSERT_FALSE(say.ok());
  EXPECT_EQ(say.refusal(), Refusal::not_in_room);
  auto topic = w.hub.rooms().set_topic(a.ref, "games", "mine");
  ASSERT_FALSE(topic.ok());
  EXPECT_EQ(topic.refusal(), Refusal::not_in_room);
  w.poster.run_all();
  EXPECT_TRUE(b.member.events.empty());
}

TEST_P(HubTest, JoinSayPartReachEveryMemberInOneOrder) {
  Person& a = w.enter(loop(0), "Alice", {"games"});
  Person& b = w.enter(loop(1), "Bob", {"games"});
  Person& c = w.enter(loop(2), "Carol", {"games"});
  ASSERT_TRUE(w.hub.rooms().say(a.ref, "games", Speech::message, "one").ok());
  ASSERT_TRUE(w.hub.rooms().say(c.ref, "games", Speech::action, "waves").ok());
  ASSERT_TRUE(w.hub.rooms().say(b.ref, "games", Speech::message, "two").ok());
  ASSERT_TRUE(w.hub.rooms().part(b.ref, "games", "bye").ok());
  w.poster.run_all();
  ASSERT_TRUE(w.hub.rooms().say(a.ref, "games", Speech::message, "three").ok());
  w.poster.run_all();
  const std::vector<std::string> after_all_joined = {"#games 4 message Alice: one", "#games 5 action Carol: waves",
                                                     "#games 6 message Bob: two", "#games 7 left Bob: bye"};
  std::vector<std::string> for_a = {"#games 1 joined Alice", "#games 2 joined Bob", "#games 3 joined Carol"};
  for_a.insert(for_a.end(), after_all_joined.begin(), after_all_joined.end());
  for_a.push_back("#games 8 message Alice: three");
  EXPECT_EQ(a.member.seen(), for_a);
  std::vector<std::string> for_b = {"#games 2 joined Bob", "#games 3 joined Carol"};
  for_b.insert(for_b.end(), after_all_joined.begin(), after_all_joined.end());
  EXPECT_EQ(b.member.seen(), for_b);
  std::vector<std::string> for_c = {"#games 3 joined Carol"};
  for_c.insert(for_c.end(), after_all_joined.begin(), after_all_joined.end());
  for_c.push_back("#games 8 message Alice: three");
  EXPECT_EQ(c.member.seen(), for_c);
  EXPECT_EQ(c.member.snapshots, (std::vector<std::vector<std::string>>{{"Alice", "Bob", "Carol"}}));
}

TEST_P(HubTest, LeaveReasonReachesTheOthers) {
  Person& a = w.enter(loop(0), "Alice", {"lobby", "games"});
  Person& b = w.enter(loop(1), "Bob", {"lobby", "games"});
  w.forget_events();
  w.hub.detach(a.ref, "gone home");
  w.poster.run_all();
  const std::vector<std::string> seen = b.member.seen();
  EXPECT_EQ(std::set<std::string>(seen.begin(), seen.end()),
            (std::set<std::string>{"#lobby 3 left Alice: gone home", "#games 3 left Alice: gone home"}));
  EXPECT_EQ(seen.size(), 2u);
  EXPECT_TRUE(a.member.events.empty());
}

TEST_P(HubTest, AnEmptyRoomIsForgotten) {
  Person& a = w.enter(loop(0), "Alice", {"lobby"});
  Person& b = w.enter(loop(2), "Bob", {"lobby"});
  ASSERT_TRUE(w.hub.rooms().join(a.ref, "games").ok());
  w.poster.run_all();
  ASSERT_TRUE(w.hub.rooms().set_topic(a.ref, "games", "old topic").ok());
  w.poster.run_all();
  EXPECT_EQ(w.rooms(b), (std::vector<std::string>{"#games (1) old topic", "#lobby (2)"}));
  ASSERT_TRUE(w.hub.rooms().part(a.ref, "games", "").ok());
  w.poster.run_all();
  EXPECT_EQ(w.rooms(b), (std::vector<std::string>{"#lobby (2)"}));
  auto info = w.info(b, "games");
  ASSERT_TRUE(info && !info->ok());
  EXPECT_EQ(info->refusal(), Refusal::no_such_room);
  // Created afresh: a new sequence and no topic.
  w.forget_events();
  ASSERT_TRUE(w.hub.rooms().join(b.ref, "GAMES").ok());
  w.poster.run_all();
  EXPECT_EQ(b.member.seen(), (std::vector<std::string>{"#GAMES 1 joined Bob"}));
  info = w.info(b, "games");
  ASSERT_TRUE(info && info->ok());
  EXPECT_EQ(info->value().topic, "");
}

TEST_P(HubTest, RoomInfoShowsMembersInJoinOrder) {
  Person& a = w.enter(loop(0), "Alice", {"games"});
  w.enter(loop(1), "Bob", {"games"});
  w.enter(loop(2), "Carol", {"games"});
  auto info = w.info(a, "#Games");
  ASSERT_TRUE(info && info->ok());
  EXPECT_EQ(info->value().room, "games");
  EXPECT_EQ(names_in(info->value()), (std::vector<std::string>{"Alice", "Bob", "Carol"}));
  auto bad = w.info(a, "no good");
  ASSERT_TRUE(bad && !bad->ok());
  EXPECT_EQ(bad->refusal(), Refusal::room_name_invalid);
}

// Many speakers on every loop, run in several interleavings: every member sees
// the room's events in the same order, numbered without gaps.
TEST(HubOrder, EveryMemberSeesTheSameOrderUnderAnyInterleaving) {
  for (int schedule = 0; schedule < 6; ++schedule) {
    SCOPED_TRACE(schedule);
    World w(3);
    std::vector<Person*> people;
    for (LoopIndex i = 0; i < 6; ++i) people.push_back(&w.enter(i % 3, "P" + std::to_string(i), {"games"}));
    w.forget_events();
    std::minstd_rand rng(static_cast<unsigned>(schedule) + 1);
    for (int round = 0; round < 20; ++round) {
      for (std::size_t i = 0; i < people.size(); ++i) {
        const std::string text = std::to_string(round) + "." + std::to_string(i);
        ASSERT_TRUE(w.hub.rooms().say(people[i]->ref, "games", Speech::message, text).ok());
        // Run a few tasks on random loops between sends.
        for (unsigned k = rng() % 4; k > 0; --k) w.poster.run_one(static_cast<LoopIndex>(rng() % 3));
      }
    }
    const auto order = schedule % 3 == 0   ? ManualPoster::Order::round_robin
                       : schedule % 3 == 1 ? ManualPoster::Order::ascending_drain
                                           : ManualPoster::Order::descending_drain;
    w.poster.run_all(order);
    const std::vector<std::string> reference = people[0]->member.seen();
    ASSERT_EQ(reference.size(), 120u);
    for (Person* p : people) EXPECT_EQ(p->member.seen(), reference);
    std::vector<std::uint64_t> expected_seqs(120);
    for (std::size_t i = 0; i < 120; ++i) expected_seqs[i] = 7 + i;  // after six joins
    EXPECT_EQ(people[3]->member.seqs("games"), expected_seqs);
    // Each speaker's lines appear in the order spoken.
    for (std::size_t i = 0; i < people.size(); ++i) {
      int next_round = 0;
      for (const auto& ev : people[0]->member.events) {
        if (ev.actor == people[i]->ref) {
          EXPECT_EQ(text_of(ev), std::to_string(next_round) + "." + std::to_string(i));
          ++next_round;
        }
      }
      EXPECT_EQ(next_round, 20);
    }
    EXPECT_EQ(w.wrong_loop(), 0);
  }
}

// A member joins and parts while the room is busy: it sees nothing numbered
// before its own join, nothing after its own leave, and no gap in between.
TEST(HubOrder, NothingBeforeYourJoinNorAfterYourLeave) {
  for (unsigned seed = 1; seed <= 8; ++seed) {
    SCOPED_TRACE(seed);
    World w(3);
    Person& a = w.enter(0, "Alice", {"games"});
    Person& b = w.enter(1, "Bob", {"games"});
    Person& c = w.enter(2, "Carol", {});
    Person& d = w.enter(seed % 3, "Dave", {});
    w.forget_events();
    std::minstd_rand rng(seed);
    auto chatter = [&](int n) {
      for (int i = 0; i < n; ++i) {
        ASSERT_TRUE(w.hub.rooms().say((i % 2 ? a : b).ref, "games", Speech::message, "m").ok());
        for (unsigned k = rng() % 3; k > 0; --k) w.poster.run_one(static_cast<LoopIndex>(rng() % 3));
      }
    };
    chatter(5);
    ASSERT_TRUE(w.hub.rooms().join(c.ref, "games").ok());
    ASSERT_TRUE(w.hub.rooms().join(d.ref, "games").ok());
    chatter(5);
    ASSERT_TRUE(w.hub.rooms().part(c.ref, "games", "").ok());
    chatter(5);
    w.hub.detach(d.ref, "");
    chatter(5);
    w.poster.run_all();

    const auto& all = a.member.events;
    ASSERT_EQ(all.size(), 24u);  // 20 messages, 2 joins, 1 part, 1 detach
    auto seq_of = [&](const std::string& kind, SessionRef who) -> std::uint64_t {
      for (const auto& ev : all) {
        if (kind_name(ev) == kind && ev.actor == who) return ev.seq;
      }
      ADD_FAILURE() << "no such event";
      return 0;
    };
    // Carol: from her join to her leave, every event, in order.
    const std::uint64_t c_join = seq_of("joined", c.ref);
    const std::uint64_t c_left = seq_of("left", c.ref);
    std::vector<std::uint64_t> expect_c;
    for (std::uint64_t s = c_join; s <= c_left; ++s) expect_c.push_back(s);
    EXPECT_EQ(c.member.seqs("games"), expect_c);
    EXPECT_EQ(kind_name(c.member.events.front()), "joined");
    EXPECT_EQ(c.member.events.front().actor, c.ref);
    EXPECT_EQ(kind_name(c.member.events.back()), "left");
    EXPECT_EQ(c.member.events.back().actor, c.ref);
    // Dave detached: from his join to the last event delivered before detach,
    // and never his own leave.
    const std::vector<std::uint64_t> d_seqs = d.member.seqs("games");
    if (!d_seqs.empty()) {
      EXPECT_EQ(kind_name(d.member.events.front()), "joined");
      EXPECT_EQ(d.member.events.front().actor, d.ref);
      for (std::size_t i = 1; i < d_seqs.size(); ++i) EXPECT_EQ(d_seqs[i], d_seqs[i - 1] + 1);
      EXPECT_LT(d_seqs.back(), seq_of("left", d.ref));
    }
    // Everyone who stayed saw everything from the start.
    std::vector<std::uint64_t> expect_all;
    for (std::uint64_t s = 3; s < 3 + 24; ++s) expect_all.push_back(s);
    EXPECT_EQ(a.member.seqs("games"), expect_all);
    EXPECT_EQ(b.member.seqs("games"), expect_all);
    EXPECT_EQ(w.wrong_loop(), 0);
  }
}

TEST_P(HubTest, DetachBeforeTheJoinCompletesLeavesNoGhost) {
  Person& a = w.enter(loop(0), "Alice", {"games"});
  Person& ghost = w.enter(loop(1), "Ghost", {});
  w.forget_events();
  ASSERT_TRUE(w.hub.rooms().join(ghost.ref, "games").ok());
  ASSERT_TRUE(w.hub.rooms().join(ghost.ref, "empty").ok());
  w.hub.detach(ghost.ref, "");
  w.poster.run_all();
  EXPECT_TRUE(ghost.member.events.empty());
  EXPECT_EQ(a.member.seen(), (std::vector<std::string>{"#games 2 joined Ghost", "#games 3 left Ghost"}));
  auto info = w.info(a, "games");
  ASSERT_TRUE(info && info->ok());
  EXPECT_EQ(names_in(info->value()), (std::vector<std::string>{"Alice"}));
  EXPECT_EQ(w.rooms(a), (std::vector<std::string>{"#games (1)"}));
  // Later events reach only the living.
  w.forget_events();
  ASSERT_TRUE(w.hub.rooms().say(a.ref, "games", Speech::message, "anyone?").ok());
  w.poster.run_all();
  EXPECT_EQ(a.member.seen(), (std::vector<std::string>{"#games 4 message Alice: anyone?"}));
  EXPECT_TRUE(ghost.member.events.empty());
}

TEST_P(HubTest, NoEventReachesADetachedMember) {
  Person& a = w.enter(loop(0), "Alice", {"games"});
  Person& b = w.enter(loop(1), "Bob", {"games"});
  w.forget_events();
  ASSERT_TRUE(w.hub.rooms().say(a.ref, "games", Speech::message, "in flight").ok());
  w.hub.detach(b.ref, "");
  w.poster.run_all();
  EXPECT_TRUE(b.member.events.empty());
  EXPECT_EQ(a.member.seen(), (std::vector<std::string>{"#games 3 message Alice: in flight", "#games 4 left Bob"}));
}

TEST_P(HubTest, CallbacksDoNotRunForADetachedSession) {
  Person& a = w.enter(loop(0), "Alice", {"games"});
  Person& b = w.enter(loop(1), "Bob", {"games"});
  int calls = 0;
  w.hub.claim_name(a.ref, "Alicia", [&](Result<Identity>) { ++calls; });
  w.hub.rooms().room_info(a.ref, "games", [&](Result<RoomSnapshot>) { ++calls; });
  w.hub.rooms().list_rooms(a.ref, [&](Result<std::vector<RoomSummary>>) { ++calls; });
  w.hub.directory().private_message(a.ref, "Bob", Speech::message, "psst", [&](Result<Identity>) { ++calls; });
  w.hub.directory().private_message(a.ref, "Nobody", Speech::message, "psst", [&](Result<Identity>) { ++calls; });
  w.hub.detach(a.ref, "");
  w.poster.run_all();
  EXPECT_EQ(calls, 0);
  // The name it was claiming is free, and so is its old one.
  EXPECT_TRUE(w.claim(b, "alicia").ok());
  EXPECT_TRUE(w.claim(b, "alice").ok());
}

TEST_P(HubTest, CallsNamingADetachedSessionAnswerNothing) {
  Person& a = w.enter(loop(2), "Alice", {});
  w.hub.detach(a.ref, "");
  w.poster.run_all();
  int calls = 0;
  w.hub.claim_name(a.ref, "Bob", [&](Result<Identity>) { ++calls; });
  w.hub.claim_name(a.ref, "", [&](Result<Identity>) { ++calls; });
  w.hub.directory().private_message(a.ref, "Alice", Speech::message, "x", [&](Result<Identity>) { ++calls; });
  w.hub.rooms().list_rooms(a.ref, [&](Result<std::vector<RoomSummary>>) { ++calls; });
  w.poster.run_all();
  EXPECT_EQ(calls, 0);
  EXPECT_FALSE(w.hub.rooms().join(a.ref, "games").ok());
  EXPECT_FALSE(w.hub.rooms().say(a.ref, "games", Speech::message, "x").ok());
  w.poster.run_all();
}

// --- private messages ---------------------------------------------------------

TEST_P(HubTest, PrivateMessageReachesTheNamedUserOnAnyLoop) {
  Person& a = w.enter(loop(0), "Alice", {});
  Person& z = w.enter(loop(2), "Zo\xC3\xAB", {});
  std::optional<Result<Identity>> got;
  w.hub.directory().private_message(a.ref, " ZOE\xCC\x88 ", Speech::message, "hi there", [&](Result<Identity> r) { got = r; });
  w.poster.run_all();
  ASSERT_TRUE(got && got->ok());
  EXPECT_EQ(got->value().display, "Zo\xC3\xAB");  // as the recipient spells it
  ASSERT_EQ(z.member.private_messages.size(), 1u);
  const PrivateMessage& pm = z.member.private_messages[0];
  EXPECT_EQ(pm.from, a.ref);
  EXPECT_EQ(pm.sender->display, "Alice");
  EXPECT_EQ(pm.to_name, "Zo\xC3\xAB");
  EXPECT_EQ(pm.text, "hi there");
  EXPECT_EQ(pm.speech, Speech::message);
  EXPECT_TRUE(a.member.private_messages.empty());

  w.hub.directory().private_message(z.ref, "alice", Speech::action, "waves", [&](Result<Identity> r) { got = r; });
  w.poster.run_all();
  ASSERT_EQ(a.member.private_messages.size(), 1u);
  EXPECT_EQ(a.member.private_messages[0].speech, Speech::action);
  EXPECT_EQ(a.member.private_messages[0].sender->display, "Zo\xC3\xAB");
}

TEST_P(HubTest, PrivateMessageToAnUnknownNameIsRefused) {
  Person& a = w.enter(loop(1), "Alice", {});
  for (const char* target : {"Bob", "", "a:b"}) {
    std::optional<Result<Identity>> got;
    w.hub.directory().private_message(a.ref, target, Speech::message, "hi", [&](Result<Identity> r) { got = r; });
    w.poster.run_all();
    ASSERT_TRUE(got.has_value()) << target;
    ASSERT_FALSE(got->ok()) << target;
    EXPECT_EQ(got->refusal(), Refusal::no_such_user) << target;
  }
  // A name that was released is unknown again.
  Person& b = w.enter(loop(2), "Bob", {});
  w.hub.detach(b.ref, "");
  w.poster.run_all();
  std::optional<Result<Identity>> got;
  w.hub.directory().private_message(a.ref, "Bob", Speech::message, "hi", [&](Result<Identity> r) { got = r; });
  w.poster.run_all();
  ASSERT_TRUE(got && !got->ok());
  EXPECT_EQ(got->refusal(), Refusal::no_such_user);
  EXPECT_TRUE(b.member.private_messages.empty());
}

// --- list_rooms, topics, limits -----------------------------------------------

TEST_P(HubTest, ListRoomsGathersFromEveryLoop) {
  Person& a = w.enter(loop(0), "Alice", {"lobby", "games", "art"});
  w.enter(loop(1), "Bob", {"lobby", "music"});
  w.enter(loop(2), "Carol", {"lobby", "games", "zen", "books"});
  ASSERT_TRUE(w.hub.rooms().set_topic(a.ref, "art", "Paint").ok());
  w.poster.run_all();
  EXPECT_EQ(w.rooms(a), (std::vector<std::string>{"#art (1) Paint", "#books (1)", "#games (2)", "#lobby (3)",
                                                  "#music (1)", "#zen (1)"}));
}

TEST_P(HubTest, ListRoomsWithNoRooms) {
  Person& a = w.enter(loop(1), "Alice", {});
  EXPECT_TRUE(w.rooms(a).empty());
}

TEST_P(HubTest, TopicLengthIsLimitedInCharacters) {
  Person& a = w.enter(loop(0), "Alice", {"games"});
  Person& b = w.enter(loop(1), "Bob", {"games"});
  w.forget_events();
  std::string at_limit;
  for (int i = 0; i < 390; ++i) at_limit += "\xC3\xA9";  // 780 bytes, 390 characters
  ASSERT_TRUE(w.hub.rooms().set_topic(a.ref, "games", at_limit).ok());
  auto past = w.hub.rooms().set_topic(a.ref, "games", at_limit + "x");
  ASSERT_FALSE(past.ok());
  EXPECT_EQ(past.refusal(), Refusal::topic_too_long);
  w.poster.run_all();
  ASSERT_EQ(b.member.events.size(), 1u);
  ASSERT_NE(b.member.events[0].as<RoomEvent::TopicChanged>(), nullptr);
  EXPECT_EQ(text_of(b.member.events[0]), at_limit);
  auto info = w.info(b, "games");
  ASSERT_TRUE(info && info->ok());
  EXPECT_EQ(info->value().topic, at_limit);
}

TEST(HubLimits, RoomsPerUserAtAndPastTheEdge) {
  HubLimits limits;
  limits.rooms_per_user = 3;
  World w(3, limits);
  Person& a = w.enter(0, "Alice", {"lobby", "one"});
  ASSERT_TRUE(w.hub.rooms().join(a.ref, "two").ok());  // the third: at the limit
  auto past = w.hub.rooms().join(a.ref, "three");
  ASSERT_FALSE(past.ok());
  EXPECT_EQ(past.refusal(), Refusal::too_many_rooms);
  w.poster.run_all();
  EXPECT_EQ(w.rooms(a), (std::vector<std::string>{"#lobby (1)", "#one (1)", "#two (1)"}));
  ASSERT_TRUE(w.hub.rooms().part(a.ref, "one", "").ok());
  EXPECT_TRUE(w.hub.rooms().join(a.ref, "three").ok());  // a part frees a place at once
  EXPECT_FALSE(w.hub.rooms().join(a.ref, "four").ok());
  w.poster.run_all();
  EXPECT_EQ(w.rooms(a), (std::vector<std::string>{"#lobby (1)", "#three (1)", "#two (1)"}));
}

TEST(HubLimits, NameAndRoomLimitsComeFromHubLimits) {
  HubLimits limits;
  limits.name_chars = 4;
  limits.room_chars = 3;
  limits.topic_chars = 2;
  World w(1, limits);
  Person& a = w.attach(0);
  auto longer = w.claim(a, "Alice");
  ASSERT_FALSE(longer.ok());
  EXPECT_EQ(longer.refusal(), Refusal::name_too_long);
  ASSERT_TRUE(w.claim(a, "Alic").ok());
  EXPECT_EQ(w.hub.rooms().join(a.ref, "abcd").refusal(), Refusal::room_name_too_long);
  ASSERT_TRUE(w.hub.rooms().join(a.ref, "abc").ok());
  w.poster.run_all();
  EXPECT_EQ(w.hub.rooms().set_topic(a.ref, "abc", "xyz").refusal(), Refusal::topic_too_long);
  EXPECT_TRUE(w.hub.rooms().set_topic(a.ref, "abc", "xy").ok());
  w.poster.run_all();
}

// --- rendering -------------------------------------------------------------------

TEST_P(HubTest, AnEventIsRenderedOncePerFormPerLoop) {
  // Five members over the loops, with two wire forms among them.
  const std::vector<std::uint32_t> forms = {1, 1, 2, 1, 2, 1};
  std::vector<Person*> people;
  for (LoopIndex i = 0; i < forms.size(); ++i) {
    Person& p = w.enter(loop(i), "P" + std::to_string(i), {"games"});
    p.member.form = forms[i];
    people.push_back(&p);
  }
  w.forget_events();
  w.renders.clear();
  ASSERT_TRUE(w.hub.rooms().say(people[0]->ref, "games", Speech::message, "once").ok());
  w.poster.run_all();

  std::map<std::pair<LoopIndex, std::uint32_t>, int> expected;
  for (LoopIndex i = 0; i < forms.size(); ++i) expected[{loop(i), forms[i]}] = 1;
  EXPECT_EQ(w.renders, expected);
  // Members sharing a loop and a form share the very same bytes.
  for (std::size_t i = 0; i < people.size(); ++i) {
    ASSERT_EQ(people[i]->member.bytes.size(), 1u);
    for (std::size_t j = 0; j < people.size(); ++j) {
      const bool same_form_and_loop =
          forms[i] == forms[j] && loop(static_cast<LoopIndex>(i)) == loop(static_cast<LoopIndex>(j));
      if (same_form_and_loop) {
        EXPECT_EQ(people[i]->member.byte_sources[0], people[j]->member.byte_sources[0]);
      }
    }
    EXPECT_EQ(people[i]->member.bytes[0],
              "#games 7 message P0: once (form " + std::to_string(forms[i]) + ")");
  }
}

// --- moderation -------------------------------------------------------------------

RoomChange mode(RoomSetting setting, bool on, std::string arg = {}) { return RoomChange{setting, on, std::move(arg), {}, {}}; }

struct Moderation {
  // Runs change_settings to its answer.
  static Result<std::vector<Room::RefusedChange>> change(World& w, Person& p, const std::string& room,
                                                         std::vector<RoomChange> changes) {
    std::optional<Result<std::vector<Room::RefusedChange>>> got;
    w.hub.rooms().change_settings(p.ref, room, std::move(changes), [&](Result<std::vector<Room::RefusedChange>> r) { got = std::move(r); });
    w.poster.run_all();
    if (!got) {
      ADD_FAILURE() << "change_settings never answered";
      return Refusal::no_such_room;
    }
    return *got;
  }
  static Result<Done> kick(World& w, Person& p, const std::string& room, std::string target, std::string reason = {}) {
    std::optional<Result<Done>> got;
    w.hub.rooms().kick(p.ref, room, std::move(target), std::move(reason), [&](Result<Done> r) { got = std::move(r); });
    w.poster.run_all();
    if (!got) {
      ADD_FAILURE() << "kick never answered";
      return Refusal::no_such_room;
    }
    return *got;
  }
  static Result<Identity> invite(World& w, Person& p, std::string target, std::string room) {
    std::optional<Result<Identity>> got;
    w.hub.rooms().invite(p.ref, target, room, [&](Result<Identity> r) { got = std::move(r); });
    w.poster.run_all();
    if (!got) {
      ADD_FAILURE() << "invite never answered";
      return Refusal::no_such_room;
    }
    return *got;
  }
  // Joins and runs to the end; the room's refusal, if any.
  static std::optional<Refusal> join(World& w, Person& p, std::string room, std::string key = {}) {
    std::optional<Refusal> refused;
    auto r = w.hub.rooms().join(p.ref, room, std::move(key), [&](Refusal no) { refused = no; });
    if (!r.ok()) return r.refusal();
    w.poster.run_all();
    return refused;
  }
};

bool in_rooms(World& w, Person& p, const std::string& key) {
  auto rooms = w.hub.rooms_of(p.ref);
  return std::find(rooms.begin(), rooms.end(), key) != rooms.end();
}

TEST_P(HubTest, SettingsChangesReachEveryMemberInTheRoomsOrder) {
  Person& a = w.enter(loop(0), "Alice", {"games"});
  Person& b = w.enter(loop(1), "Bob", {"games"});
  Person& c = w.enter(loop(2), "Carol", {"games"});
  w.forget_events();
  ASSERT_TRUE(w.hub.rooms().say(b.ref, "games", Speech::message, "before").ok());
  auto r = Moderation::change(w, a, "games", {mode(RoomSetting::moderated, true), mode(RoomSetting::voice, true, "carol")});
  ASSERT_TRUE(r.ok());
  EXPECT_TRUE(r.value().empty());
  const std::vector<std::string> expected{"#games 4 message Bob: before", "#games 5 settings Alice +1 +8Carol"};
  EXPECT_EQ(a.member.seen(), expected);
  EXPECT_EQ(b.member.seen(), expected);
  EXPECT_EQ(c.member.seen(), expected);
  ASSERT_EQ(changes_of(c.member.events.back()).size(), 2u);
  EXPECT_EQ(changes_of(c.member.events.back())[1].target, c.ref);
  auto info = w.info(a, "games");
  ASSERT_TRUE(info && info->ok());
  EXPECT_TRUE(info->value().settings.moderated);
  EXPECT_TRUE(info->value().entries[2].voice);
  EXPECT_FALSE(info->value().entries[1].voice);
}

TEST_P(HubTest, SettingsRefusals) {
  Person& a = w.enter(loop(0), "Alice", {"games"});
  Person& b = w.enter(loop(1), "Bob", {"games"});
  Person& c = w.enter(loop(2), "Carol", {"lobby"});
  w.forget_events();
  auto not_op = Moderation::change(w, b, "games", {mode(RoomSetting::moderated, true)});
  ASSERT_FALSE(not_op.ok());
  EXPECT_EQ(not_op.refusal(), Refusal::not_operator);
  auto not_in = Moderation::change(w, c, "games", {mode(RoomSetting::moderated, true)});
  ASSERT_FALSE(not_in.ok());
  EXPECT_EQ(not_in.refusal(), Refusal::not_in_room);
  auto partly = Moderation::change(w, a, "games", {mode(RoomSetting::op, true, "Carol"), mode(RoomSetting::limit, true, "x")});
  ASSERT_TRUE(partly.ok());
  ASSERT_EQ(partly.value().size(), 2u);
  EXPECT_EQ(partly.value()[0].refusal, Refusal::no_such_member);
  EXPECT_EQ(partly.value()[1].refusal, Refusal::invalid_setting);
  EXPECT_TRUE(a.member.events.empty());
  EXPECT_TRUE(b.member.events.empty());
}

TEST_P(HubTest, ModeratedRoomsRefuseTheVoicelessLater) {
  Person& a = w.enter(loop(0), "Alice", {"games"});
  Person& b = w.enter(loop(1), "Bob", {"games"});
  ASSERT_TRUE(Moderation::change(w, a, "games", {mode(RoomSetting::moderated, true)}).ok());
  w.forget_events();
  std::optional<Refusal> refused;
  ASSERT_TRUE(w.hub.rooms().say(b.ref, "games", Speech::message, "hello?", [&](Refusal no) { refused = no; }).ok());
  w.poster.run_all();
  EXPECT_EQ(refused, Refusal::moderated);
  EXPECT_TRUE(a.member.events.empty());
  ASSERT_TRUE(w.hub.rooms().say(a.ref, "games", Speech::message, "ops speak", [&](Refusal) { ADD_FAILURE(); }).ok());
  w.poster.run_all();
  EXPECT_EQ(b.member.seen(), (std::vector<std::string>{"#games 4 message Alice: ops speak"}));
}

TEST_P(HubTest, LockedTopicsAreForOperators) {
  Person& a = w.enter(loop(0), "Alice", {"games"});
  Person& b = w.enter(loop(1), "Bob", {"games"});
  w.forget_events();
  std::optional<Refusal> refused;
  ASSERT_TRUE(w.hub.rooms().set_topic(b.ref, "games", "mine", [&](Refusal no) { refused = no; }).ok());
  w.poster.run_all();
  EXPECT_EQ(refused, Refusal::topic_locked);
  EXPECT_TRUE(a.member.events.empty());
  ASSERT_TRUE(Moderation::change(w, a, "games", {mode(RoomSetting::topic_locked, false)}).ok());
  refused.reset();
  ASSERT_TRUE(w.hub.rooms().set_topic(b.ref, "games", "mine", [&](Refusal no) { refused = no; }).ok());
  w.poster.run_all();
  EXPECT_EQ(refused, std::nullopt);
  EXPECT_EQ(a.member.seen().back(), "#games 4 topic Bob: mine");
}

TEST_P(HubTest, TheRoomRefusesJoinsAndTheJoinerCanTryAgain) {
  Person& a = w.enter(loop(0), "Alice", {"games"});
  Person& b = w.enter(loop(1), "Bob", {});
  ASSERT_TRUE(Moderation::change(w, a, "games", {mode(RoomSetting::key, true, "sesame")}).ok());
  w.forget_events();
  EXPECT_EQ(Moderation::join(w, b, "games"), Refusal::bad_key);
  EXPECT_FALSE(in_rooms(w, b, "games"));
  EXPECT_TRUE(a.member.events.empty());
  EXPECT_TRUE(b.member.events.empty());
  EXPECT_EQ(Moderation::join(w, b, "games", "wrong"), Refusal::bad_key);
  EXPECT_EQ(Moderation::join(w, b, "games", "sesame"), std::nullopt);
  EXPECT_TRUE(in_rooms(w, b, "games"));
  EXPECT_EQ(a.member.seen(), (std::vector<std::string>{"#games 3 joined Bob"}));
}

TEST_P(HubTest, BansLimitsAndInvitations) {
  Person& a = w.enter(loop(0), "Alice", {"games"});
  Person& b = w.enter(loop(1), "Bob", {});
  Person& c = w.enter(loop(2), "Carol", {});
  ASSERT_TRUE(Moderation::change(w, a, "games", {mode(RoomSetting::ban, true, "bob")}).ok());
  EXPECT_EQ(Moderation::join(w, b, "games"), Refusal::banned);
  ASSERT_TRUE(Moderation::change(w, a, "games", {mode(RoomSetting::ban, false, "bob"), mode(RoomSetting::limit, true, "2"),
                                                  mode(RoomSetting::invite_only, true)}).ok());
  EXPECT_EQ(Moderation::join(w, b, "games"), Refusal::invite_only);
  auto invited = Moderation::invite(w, a, "bob", "#Games");
  ASSERT_TRUE(invited.ok());
  EXPECT_EQ(invited.value().display, "Bob");
  ASSERT_EQ(b.member.invitations.size(), 1u);
  EXPECT_EQ(b.member.invitations[0].inviter->display, "Alice");
  EXPECT_EQ(b.member.invitations[0].room, "games");
  EXPECT_EQ(Moderation::join(w, b, "games"), std::nullopt);
  ASSERT_TRUE(Moderation::invite(w, a, "Carol", "games").ok());
  EXPECT_EQ(Moderation::join(w, c, "games"), Refusal::room_full);
  EXPECT_FALSE(in_rooms(w, c, "games"));
}

TEST_P(HubTest, InviteRefusals) {
  Person& a = w.enter(loop(0), "Alice", {"games"});
  Person& b = w.enter(loop(1), "Bob", {"games"});
  Person& c = w.enter(loop(2), "Carol", {"lobby"});
  EXPECT_EQ(Moderation::invite(w, a, "Nobody", "games").refusal(), Refusal::no_such_user);
  EXPECT_EQ(Moderation::invite(w, c, "Alice", "games").refusal(), Refusal::not_in_room);
  EXPECT_EQ(Moderation::invite(w, a, "Bob", "games").refusal(), Refusal::already_member);
  EXPECT_EQ(Moderation::invite(w, a, "Carol", "a b").refusal(), Refusal::room_name_invalid);
  ASSERT_TRUE(Moderation::change(w, a, "games", {mode(RoomSetting::invite_only, true)}).ok());
  EXPECT_EQ(Moderation::invite(w, b, "Carol", "games").refusal(), Refusal::not_operator);
  EXPECT_TRUE(c.member.invitations.empty());
}

TEST_P(HubTest, KickReachesEveryoneAndTheKickedLeaves) {
  Person& a = w.enter(loop(0), "Alice", {"games"});
  Person& b = w.enter(loop(1), "Bob", {"games"});
  Person& c = w.enter(loop(2), "Carol", {"games"});
  w.forget_events();
  ASSERT_TRUE(Moderation::kick(w, a, "games", "bob", "spam").ok());
  const std::vector<std::string> expected{"#games 4 kicked Alice Bob: spam"};
  EXPECT_EQ(a.member.seen(), expected);
  EXPECT_EQ(b.member.seen(), expected);
  EXPECT_EQ(c.member.seen(), expected);
  EXPECT_FALSE(in_rooms(w, b, "games"));
  // Nothing more reaches Bob from there, and he may come back.
  ASSERT_TRUE(w.hub.rooms().say(c.ref, "games", Speech::message, "bye Bob").ok());
  w.poster.run_all();
  EXPECT_EQ(b.member.events.size(), 1u);
  EXPECT_FALSE(w.hub.rooms().say(b.ref, "games", Speech::message, "hey").ok());
  EXPECT_EQ(Moderation::join(w, b, "games"), std::nullopt);
  EXPECT_EQ(b.member.seen().back(), "#games 6 joined Bob");
  auto info = w.info(a, "games");
  EXPECT_EQ(names_in(info->value()), (std::vector<std::string>{"Alice", "Carol", "Bob"}));
}

TEST_P(HubTest, KickRefusals) {
  Person& a = w.enter(loop(0), "Alice", {"games"});
  Person& b = w.enter(loop(1), "Bob", {"games"});
  Person& c = w.enter(loop(2), "Carol", {"lobby"});
  w.forget_events();
  EXPECT_EQ(Moderation::kick(w, b, "games", "Alice").refusal(), Refusal::not_operator);
  EXPECT_EQ(Moderation::kick(w, c, "games", "Alice").refusal(), Refusal::not_in_room);
  EXPECT_EQ(Moderation::kick(w, a, "games", "Carol").refusal(), Refusal::no_such_member);
  EXPECT_TRUE(a.member.events.empty());
  EXPECT_TRUE(in_rooms(w, b, "games"));
}

TEST_P(HubTest, KickingTheLastMemberForgetsTheRoom) {
  Person& a = w.enter(loop(0), "Alice", {"games"});
  ASSERT_TRUE(Moderation::kick(w, a, "games", "Alice").ok());
  EXPECT_FALSE(in_rooms(w, a, "games"));
  auto info = w.info(a, "games");
  EXPECT_EQ(info->refusal(), Refusal::no_such_room);
}

TEST_P(HubTest, AKickedMemberWhoAlreadyAskedToRejoinStaysJoining) {
  Person& a = w.enter(loop(0), "Alice", {"games"});
  Person& b = w.enter(loop(1), "Bob", {"games"});
  // Bob parts and rejoins while the kick is on its way to him.
  std::optional<Result<Done>> kicked;
  w.hub.rooms().kick(a.ref, "games", "Bob", "", [&](Result<Done> r) { kicked = r; });
  ASSERT_TRUE(w.hub.rooms().part(b.ref, "games", "").ok());
  ASSERT_TRUE(w.hub.rooms().join(b.ref, "games").ok());
  w.poster.run_all();
  ASSERT_TRUE(kicked && kicked->ok());
  EXPECT_TRUE(in_rooms(w, b, "games"));
  ASSERT_TRUE(w.hub.rooms().say(b.ref, "games", Speech::message, "back").ok());
  w.poster.run_all();
  EXPECT_EQ(a.member.seen().back(), "#games " + std::to_string(a.member.events.back().seq) + " message Bob: back");
}

TEST_P(HubTest, SecretRoomsAreListedOnlyToMembers) {
  Person& a = w.enter(loop(0), "Alice", {"games", "lobby"});
  Person& b = w.enter(loop(1), "Bob", {"lobby"});
  ASSERT_TRUE(Moderation::change(w, a, "games", {mode(RoomSetting::secret, true)}).ok());
  EXPECT_EQ(w.rooms(a), (std::vector<std::string>{"#games (1)", "#lobby (2)"}));
  EXPECT_EQ(w.rooms(b), (std::vector<std::string>{"#lobby (2)"}));
}

// --- the default room and server operators ---------------------------------------

// Makes `p` a server operator.
void make_server_operator(World& w, Person& p) {
  w.hub.presence().set_operator_logins({{"root", "sesame"}});
  ASSERT_TRUE(w.hub.presence().become_server_operator(p.ref, "root", "sesame").ok());
  w.poster.run_all();
}

TEST_P(HubTest, TheDefaultRoomGivesNobodyOperatorStatus) {
  Person& a = w.enter(loop(0), "Alice", {"lobby", "games"});
  Person& b = w.enter(loop(1), "Bob", {"lobby"});
  auto lobby = w.info(a, "lobby");
  ASSERT_TRUE(lobby && lobby->ok());
  ASSERT_EQ(lobby->value().entries.size(), 2u);
  EXPECT_FALSE(lobby->value().entries[0].op) << "the first member of the default room is no operator of it";
  auto games = w.info(a, "games");
  ASSERT_TRUE(games && games->ok());
  EXPECT_TRUE(games->value().entries[0].op) << "another room's first member is";
  EXPECT_EQ(Moderation::change(w, a, "lobby", {mode(RoomSetting::moderated, true)}).refusal(), Refusal::not_operator);
  EXPECT_EQ(Moderation::kick(w, a, "lobby", "Bob").refusal(), Refusal::not_operator);
  std::optional<Refusal> refused;
  ASSERT_TRUE(w.hub.rooms().set_topic(a.ref, "lobby", "mine", [&](Refusal no) { refused = no; }).ok());
  w.poster.run_all();
  EXPECT_EQ(refused, Refusal::topic_locked);
  EXPECT_TRUE(in_rooms(w, b, "lobby"));
}

TEST_P(HubTest, AnOperatorOfTheDefaultRoomMayNotCloseIt) {
  Person& root = w.enter(loop(0), "Root", {"lobby"});
  Person& a = w.enter(loop(1), "Alice", {"lobby"});
  make_server_operator(w, root);
  ASSERT_TRUE(Moderation::change(w, root, "lobby", {mode(RoomSetting::op, true, "Alice")}).ok());
  w.forget_events();
  auto r = Moderation::change(w, a, "lobby", {mode(RoomSetting::invite_only, true), mode(RoomSetting::key, true, "sesame"),
                                             mode(RoomSetting::limit, true, "5"), mode(RoomSetting::moderated, true)});
  ASSERT_TRUE(r.ok());
  ASSERT_EQ(r.value().size(), 3u);
  for (const auto& refused : r.value()) EXPECT_EQ(refused.refusal, Refusal::not_server_operator);
  // The rest applied and was announced.
  EXPECT_EQ(root.member.seen(), (std::vector<std::string>{"#lobby 4 settings Alice +1"}));
  auto info = w.info(a, "lobby");
  ASSERT_TRUE(info && info->ok());
  EXPECT_FALSE(info->value().settings.invite_only);
  EXPECT_EQ(info->value().settings.key, "");
  EXPECT_EQ(info->value().settings.limit, 0u);
  EXPECT_TRUE(info->value().settings.moderated);
}

TEST_P(HubTest, AServerOperatorMayCloseTheDefaultRoom) {
  Person& root = w.enter(loop(0), "Root", {"lobby"});
  Person& b = w.enter(loop(2), "Bob", {});
  make_server_operator(w, root);
  auto r = Moderation::change(w, root, "lobby", {mode(RoomSetting::key, true, "sesame"), mode(RoomSetting::limit, true, "5"),
                                                mode(RoomSetting::invite_only, true)});
  ASSERT_TRUE(r.ok());
  EXPECT_TRUE(r.value().empty());
  EXPECT_EQ(Moderation::join(w, b, "lobby", "sesame"), Refusal::invite_only);
  ASSERT_TRUE(Moderation::invite(w, root, "Bob", "lobby").ok());
  EXPECT_EQ(Moderation::join(w, b, "lobby", "sesame"), std::nullopt);
}

TEST_P(HubTest, TheDefaultRoomSurvivesBeingEmptied) {
  Person& root = w.enter(loop(0), "Root", {"lobby"});
  Person& a = w.enter(loop(1), "Alice", {"lobby"});
  make_server_operator(w, root);
  ASSERT_TRUE(w.hub.rooms().set_topic(root.ref, "lobby", "Welcome").ok());
  ASSERT_TRUE(Moderation::change(w, root, "lobby", {mode(RoomSetting::moderated, true)}).ok());
  ASSERT_TRUE(w.hub.rooms().part(root.ref, "lobby", "").ok());
  ASSERT_TRUE(w.hub.rooms().part(a.ref, "lobby", "").ok());
  w.poster.run_all();
  // Empty: not listed, but still there, as it was.
  EXPECT_TRUE(w.rooms(a).empty());
  auto info = w.info(a, "lobby");
  ASSERT_TRUE(info && info->ok());
  EXPECT_TRUE(info->value().entries.empty());
  EXPECT_EQ(info->value().topic, "Welcome");
  EXPECT_TRUE(info->value().settings.moderated);
  // Its numbering goes on: joins 1-2, topic 3, settings 4, parts 5-6.
  w.forget_events();
  ASSERT_TRUE(w.hub.rooms().join(a.ref, "lobby").ok());
  w.poster.run_all();
  EXPECT_EQ(a.member.seen(), (std::vector<std::string>{"#lobby 7 joined Alice"}));
  // And its first member after is no operator either.
  info = w.info(a, "lobby");
  ASSERT_TRUE(info && info->ok());
  EXPECT_FALSE(info->value().entries[0].op);
  EXPECT_EQ(Moderation::kick(w, a, "lobby", "Alice").refusal(), Refusal::not_operator);
  // Emptied by a kick (another path), it stays too.
  ASSERT_TRUE(w.hub.rooms().join(root.ref, "lobby").ok());
  w.poster.run_all();
  ASSERT_TRUE(Moderation::kick(w, root, "lobby", "Alice").ok());
  ASSERT_TRUE(Moderation::kick(w, root, "lobby", "Root").ok());
  info = w.info(a, "lobby");
  ASSERT_TRUE(info && info->ok());
  EXPECT_TRUE(info->value().entries.empty());
  EXPECT_EQ(info->value().topic, "Welcome");
}

TEST_P(HubTest, ServerOperatorsModerateRoomsTheyDoNotOperate) {
  Person& a = w.enter(loop(0), "Alice", {"games"});  // the room's operator
  Person& b = w.enter(loop(1), "Bob", {"games"});
  Person& root = w.enter(loop(2), "Root", {"games"});
  make_server_operator(w, root);
  w.forget_events();
  ASSERT_TRUE(Moderation::change(w, root, "games", {mode(RoomSetting::moderated, true), mode(RoomSetting::invite_only, true)}).ok());
  std::optional<Refusal> refused;
  ASSERT_TRUE(w.hub.rooms().set_topic(root.ref, "games", "Rules", [&](Refusal no) { refused = no; }).ok());
  w.poster.run_all();
  EXPECT_EQ(refused, std::nullopt);
  ASSERT_TRUE(Moderation::kick(w, root, "games", "Bob", "enough").ok());
  // Becoming a server operator is not announced: joins 1-3, then these.
  const std::vector<std::string> expected{"#games 4 settings Root +1 +2", "#games 5 topic Root: Rules",
                                          "#games 6 kicked Root Bob: enough"};
  EXPECT_EQ(a.member.seen(), expected);
  EXPECT_FALSE(in_rooms(w, b, "games"));
  // A server operator is still no room operator: the room's roles are unchanged.
  auto info = w.info(a, "games");
  ASSERT_TRUE(info && info->ok());
  ASSERT_EQ(info->value().entries.size(), 2u);
  EXPECT_TRUE(info->value().entries[0].op);
  EXPECT_FALSE(info->value().entries[1].op);
  // Stopping ends it.
  ASSERT_TRUE(w.hub.presence().stop_being_server_operator(root.ref).ok());
  w.poster.run_all();
  EXPECT_EQ(Moderation::change(w, root, "games", {mode(RoomSetting::moderated, false)}).refusal(), Refusal::not_operator);
}

TEST(HubDefaultRoom, TheDefaultRoomIsTheOneHubLimitsNames) {
  HubLimits limits;
  limits.default_room = "Main";
  World w(3, limits);
  Person& a = w.enter(0, "Alice", {"lobby", "main"});
  auto lobby = w.info(a, "lobby");
  ASSERT_TRUE(lobby && lobby->ok());
  EXPECT_TRUE(lobby->value().entries[0].op) << "\"lobby\" is an ordinary room here";
  auto main = w.info(a, "MAIN");
  ASSERT_TRUE(main && main->ok());
  EXPECT_FALSE(main->value().entries[0].op);
  ASSERT_TRUE(w.hub.rooms().part(a.ref, "lobby", "").ok());
  ASSERT_TRUE(w.hub.rooms().part(a.ref, "main", "").ok());
  w.poster.run_all();
  EXPECT_EQ(w.info(a, "lobby")->refusal(), Refusal::no_such_room);
  EXPECT_TRUE(w.info(a, "main")->ok());
}

TEST(HubFanOut, OneHandOffPerLoopNotPerRecipient) {
  World w(3);
  std::vector<Person*> people;
  for (LoopIndex i = 0; i < 30; ++i) people.push_back(&w.enter(i % 2, "P" + std::to_string(i), {"games"}));
  // Members on loops 0 and 1 only; the speaker is on loop 0.
  const std::size_t before = w.poster.posted();
  ASSERT_TRUE(w.hub.rooms().say(people[0]->ref, "games", Speech::message, "x").ok());
  w.poster.run_all();
  // One post to the room's home, then one per loop with members.
  EXPECT_EQ(w.poster.posted() - before, 3u);
  for (Person* p : people) EXPECT_EQ(text_of(p->member.events.back()), "x");
}

}  // namespace
}  // namespace parley::core
