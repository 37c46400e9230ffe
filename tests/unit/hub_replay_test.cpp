// core: a join's replay of what was said before it (HistoryPolicy::
// replay_lines) comes from what the room keeps of it (Room::recent), so that
// many joins read history once, not once each; lines past the age history
// keeps are not replayed. Loops and history's answers are run by hand.
#include <gtest/gtest.h>

#include <chrono>
#include <functional>
#include <memory>
#include <string>
#include <utility>
#include <vector>

#include "core/hub.h"
#include "memory_history.h"
#include "test_support.h"

namespace parley::core {
namespace {

using parley::testing::ManualPoster;
using parley::testing::MemoryHistory;
using Texts = std::vector<std::string>;

class Quiet final : public Member {
 public:
  void on_room_event(const RoomEvent&, RenderCache&) override {}
  void on_private_message(const PrivateMessage&) override {}
};

class ReplayTest : public ::testing::Test {
 protected:
  ReplayTest() {
    HistoryPolicy policy;
    policy.replay_lines = 3;
    policy.replay_max_age = std::chrono::hours(24);
    hub.set_history(&history, policy);
    hub.set_wall_clock([this] { return now; });
  }
  ~ReplayTest() override {
    for (auto ref : refs) hub.detach(ref, {});
    settle();
  }
  void settle() {
    while (poster.pending() > 0 || !history.answers.empty()) {
      poster.run_all();
      history.answer_all();
    }
  }
  SessionRef enter(const std::string& name) {
    members.push_back(std::make_unique<Quiet>());
    refs.push_back(hub.attach(0, *members.back()));
    hub.claim_name(refs.back(), name, [](Result<Identity>) {});
    poster.run_all();
    return refs.back();
  }
  // Joins `who` to the garden; what its replay shows lands in *shown.
  void join(SessionRef who, Texts* shown) {
    auto replay = [shown](Result<std::vector<HistoryLine>> lines) {
      if (lines.ok())
        for (const auto& line : lines.value()) shown->push_back(line.text);
    };
    ASSERT_TRUE(hub.rooms().join(who, "garden", {}, {}, replay).ok());
  }
  void say(SessionRef who, const std::string& text) {
    ASSERT_TRUE(hub.rooms().say(who, "garden", Speech::message, text, {}).ok());
    settle();
  }

  ManualPoster poster{1};
  Hub hub{poster, {}};
  MemoryHistory history;
  WallTime now = WallTime(std::chrono::hours(24 * 365 * 50));
  std::vector<std::unique_ptr<Quiet>> members;
  std::vector<SessionRef> refs;
};

TEST_F(ReplayTest, ManyJoinsReadHistoryOnceAndLaterOnesNotAtAll) {
  // Said in an earlier life of the room (history has it; the room here does not).
  for (const char* text : {"old1", "old2"}) {
    HistoryLine line;
    line.target = "garden";
    line.room = "garden";
    line.id = text;
    line.text = text;
    line.time = now;
    history.kept.push_back(line);
  }
  const SessionRef ann = enter("ann"), bo = enter("bo"), cy = enter("cy");
  Texts ann_saw, bo_saw, cy_saw;
  join(ann, &ann_saw);
  join(bo, &bo_saw);
  poster.run_all();  // both joins decided; one read on its way
  EXPECT_EQ(history.reads, 1);
  settle();
  EXPECT_EQ(ann_saw, (Texts{"old1", "old2"}));
  EXPECT_EQ(bo_saw, (Texts{"old1", "old2"}));
  say(ann, "new1");
  join(cy, &cy_saw);
  settle();
  EXPECT_EQ(cy_saw, (Texts{"old1", "old2", "new1"}));
  EXPECT_EQ(history.reads, 1) << "the room had what cy is shown";
}

// Rooms stamp their events with the system's clock; the hub's clock, which
// judges their age, is moved on instead.
TEST_F(ReplayTest, LinesOlderThanHistoryKeepsAreNotReplayed) {
  now = std::chrono::system_clock::now();
  const SessionRef ann = enter("ann"), bo = enter("bo"), cy = enter("cy");
  Texts ann_saw, bo_saw, cy_saw;
  join(ann, &ann_saw);
  settle();
  say(ann, "said now");
  join(bo, &bo_saw);
  settle();
  EXPECT_EQ(bo_saw, (Texts{"said now"}));
  now += std::chrono::hours(25);  // past replay_max_age (a day)
  join(cy, &cy_saw);
  settle();
  EXPECT_EQ(cy_saw, Texts{}) << "history has deleted it by now";
}

}  // namespace
}  // namespace parley::core
