// core: sync = "always" (CommitGate). Nobody hears of a kept event before the
// history has kept it, and what a loop posts after such an event waits behind
// it, so a command's reply never overtakes its own event. Loops and the
// history's commits are run by hand.
#include <gtest/gtest.h>

#include <algorithm>
#include <functional>
#include <memory>
#include <string>
#include <utility>
#include <vector>

#include "core/hub.h"
#include "test_support.h"

namespace parley::core {
namespace {

using parley::testing::ManualPoster;
using Lines = std::vector<std::string>;

// A history whose commits happen when the test says so.
class HeldHistory final : public History {
 public:
  explicit HeldHistory(bool keeps_first) : keeps_first_(keeps_first) {}
  bool accepting() override { return true; }
  bool record(const HistoryLineRef& line) override {
    log->push_back("kept? " + std::string(line.text));
    recorded.push_back(line.owned());
    return true;
  }
  void fetch(HistoryQuery, std::function<void(Result<std::vector<HistoryLine>>)> done) override { done(std::vector<HistoryLine>{}); }
  void fetch_targets(TargetsQuery, std::function<void(Result<std::vector<HistoryTarget>>)> done) override {
    done(std::vector<HistoryTarget>{});
  }
  void search(SearchQuery, std::function<void(Result<std::vector<HistoryLine>>)> done) override {
    done(std::vector<HistoryLine>{});
  }
  bool keeps_before_delivery() const override { return keeps_first_; }
  void after_commit(core::Task then) override { waiting.push_back(std::move(then)); }
  // Everything recorded so far is now kept.
  void commit() {
    for (auto& then : std::exchange(waiting, {})) then();
  }

  std::vector<HistoryLine> recorded;
  std::vector<core::Task> waiting;
  Lines* log = nullptr;

 private:
  bool keeps_first_;
};

class Log final : public Member {
 public:
  explicit Log(Lines& lines) : lines_(lines) {}
  void on_room_event(const RoomEvent& ev, RenderCache&) override {
    std::string what = ev.as<RoomEvent::Said>() ? "said " + ev.as<RoomEvent::Said>()->text
                       : ev.as<RoomEvent::Kicked>() ? std::string("kicked")
                       : ev.as<RoomEvent::SettingsChanged>() ? std::string("settings")
                                                             : std::string("other");
    lines_.push_back(name + " hears " + what);
  }
  void on_private_message(const PrivateMessage&) override {}
  std::string name;

 private:
  Lines& lines_;
};

class CommitGateTest : public ::testing::TestWithParam<LoopIndex> {
 protected:
  void start(bool keeps_first) {
    history = std::make_unique<HeldHistory>(keeps_first);
    history->log = &lines;
    hub.set_history(history.get(), HistoryPolicy{0, 100});
  }
  Log& enter(LoopIndex loop, const std::string& name) {
    members.push_back(std::make_unique<Log>(lines));
    Log& m = *members.back();
    m.name = name;
    refs.push_back(hub.attach(loop % GetParam(), m));
    hub.claim_name(refs.back(), name, [](Result<Identity>) {});
    poster.run_all();
    EXPECT_TRUE(hub.rooms().join(refs.back(), "garden").ok());
    settle();
    return m;
  }
  // Runs every loop and every commit until nothing is left, then forgets the log.
  void settle() {
    while (poster.pending() > 0 || !history->waiting.empty()) {
      poster.run_all();
      history->commit();
    }
    lines.clear();
  }
  void TearDown() override {
    for (auto ref : refs) hub.detach(ref, {});
    while (poster.pending() > 0 || !history->waiting.empty()) {
      poster.run_all();
      history->commit();
    }
  }

  ManualPoster poster{GetParam()};
  Hub hub{poster, {}};
  std::unique_ptr<HeldHistory> history;
  Lines lines;
  std::vector<std::unique_ptr<Log>> members;
  std::vector<SessionRef> refs;
};

INSTANTIATE_TEST_SUITE_P(Loops, CommitGateTest, ::testing::Values(1u, 3u),
                         [](const auto& info) { return std::to_string(info.param) + "loops"; });

TEST_P(CommitGateTest, NobodyHearsAMessageBeforeItIsKept) {
  start(/*keeps_first=*/true);
  enter(0, "zoe");
  enter(1, "amy");
  ASSERT_TRUE(hub.rooms().say(refs[0], "garden", Speech::message, "one").ok());
  ASSERT_TRUE(hub.rooms().say(refs[1], "garden", Speech::message, "two").ok());
  poster.run_all();
  EXPECT_EQ(lines, (Lines{"kept? one", "kept? two"})) << "recorded, and delivered to nobody yet";
  history->commit();
  poster.run_all();
  ASSERT_EQ(lines.size(), 6u);
  EXPECT_EQ(Lines(lines.begin() + 2, lines.end()),
            (Lines{"zoe hears said one", "amy hears said one", "zoe hears said two", "amy hears said two"}))
      << "in the room's order once kept";
}

TEST_P(CommitGateTest, WithBatchedWritesDeliveryDoesNotWait) {
  start(/*keeps_first=*/false);
  enter(0, "zoe");
  enter(1, "amy");
  ASSERT_TRUE(hub.rooms().say(refs[0], "garden", Speech::message, "one").ok());
  poster.run_all();
  EXPECT_EQ(lines, (Lines{"kept? one", "zoe hears said one", "amy hears said one"}));
  EXPECT_TRUE(history->waiting.empty());
}

TEST_P(CommitGateTest, AKicksAnswerWaitsBehindTheKickedEvent) {
  start(/*keeps_first=*/true);
  enter(0, "zoe");  // first in: the room's operator
  enter(1, "amy");
  hub.rooms().kick(refs[0], "garden", "amy", "bye", [&](Result<Done> r) {
    lines.push_back(std::string("zoe is answered: ") + (r.ok() ? "kicked" : "refused"));
  });
  poster.run_all();
  EXPECT_EQ(lines, (Lines{"kept? bye"})) << "the answer waits with the event";
  history->commit();
  poster.run_all();
  const auto heard = std::find(lines.begin(), lines.end(), "zoe hears kicked");
  const auto answered = std::find(lines.begin(), lines.end(), "zoe is answered: kicked");
  ASSERT_NE(answered, lines.end());
  EXPECT_LT(heard, answered) << "her own kick reaches her before its answer";
}

TEST_P(CommitGateTest, EventsNotKeptWaitBehindKeptOnesOfTheSameLoop) {
  start(/*keeps_first=*/true);
  enter(0, "zoe");
  enter(0, "amy");
  ASSERT_TRUE(hub.rooms().say(refs[0], "garden", Speech::message, "one").ok());
  RoomChange moderate;
  moderate.setting = RoomSetting::moderated;
  hub.rooms().change_settings(refs[0], "garden", {moderate}, [](Result<std::vector<Room::RefusedChange>>) {});
  poster.run_all();
  EXPECT_EQ(lines, (Lines{"kept? one"})) << "the settings change is not kept, and still waits its turn";
  history->commit();
  poster.run_all();
  EXPECT_EQ(lines, (Lines{"kept? one", "zoe hears said one", "amy hears said one", "zoe hears settings",
                          "amy hears settings"}));
}

}  // namespace
}  // namespace parley::core
