// core/hub: how room events reach members: one order for everyone under any
// interleaving, one rendering per form per loop, one hand-off per loop.
#include <gtest/gtest.h>

#include "hub_fixture.h"

namespace parley::core {
namespace {

using namespace hub_testing;

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
