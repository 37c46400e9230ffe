// core/loop_owned: state that belongs to one loop, checked where
// PARLEY_CHECK_LOOPS is defined (Debug and sanitizer builds): a thread marked
// as another loop that touches it aborts; the owner loop and threads that are
// no loop pass.
#include "core/loop_owned.h"

#include <gtest/gtest.h>

#include <optional>
#include <string>
#include <thread>

#include "core/hub.h"
#include "test_support.h"

namespace parley::core {
namespace {

using parley::testing::ManualPoster;

TEST(ThisLoop, MarksTheThreadWhileItLivesAndRestoresWhatWasBefore) {
  EXPECT_EQ(this_loop(), kNoLoop) << "a test's own thread is no loop";
  {
    ThisLoop outer(2);
    EXPECT_EQ(this_loop(), 2u);
    {
      ThisLoop inner(0);
      EXPECT_EQ(this_loop(), 0u);
    }
    EXPECT_EQ(this_loop(), 2u);
  }
  EXPECT_EQ(this_loop(), kNoLoop);
}

TEST(ThisLoop, IsPerThread) {
  ThisLoop here(1);
  LoopIndex seen = 0;
  std::thread([&] { seen = this_loop(); }).join();
  EXPECT_EQ(seen, kNoLoop);
  EXPECT_EQ(this_loop(), 1u);
}

TEST(ThisLoop, ManualPosterMarksTheThreadAsTheLoopItRuns) {
  ManualPoster poster(3);
  std::vector<LoopIndex> seen;
  for (LoopIndex l : {2u, 0u, 1u}) poster.post(l, [&] { seen.push_back(this_loop()); });
  poster.post(1, [&] { poster.post(2, [&] { seen.push_back(this_loop()); }); });
  poster.run_all(ManualPoster::Order::ascending_drain);
  EXPECT_EQ(seen, (std::vector<LoopIndex>{0, 1, 2, 2}));
  EXPECT_EQ(this_loop(), kNoLoop) << "the test body is unmarked again";
}

TEST(LoopOwned, TheOwnerLoopAndAnUnmarkedThreadPass) {
  LoopOwned<int> owned(1, 7);
  EXPECT_EQ(owned.owner(), 1u);
  EXPECT_EQ(owned.get(), 7) << "the test's own thread is not checked";
  {
    ThisLoop on(1);
    owned.get() = 8;
    *owned += 1;
    EXPECT_EQ(*owned, 9);
  }
  int from_thread = 0;
  std::thread([&] { from_thread = owned.get(); }).join();  // a thread that is no loop
  EXPECT_EQ(from_thread, 9);
  const LoopOwned<std::string> text(0, "abc");
  ThisLoop on(0);
  EXPECT_EQ(text->size(), 3u);
}

#ifdef PARLEY_CHECK_LOOPS

class LoopOwnedDeathTest : public ::testing::Test {
 protected:
  void SetUp() override { GTEST_FLAG_SET(death_test_style, "threadsafe"); }
};

TEST_F(LoopOwnedDeathTest, AnotherLoopTouchingItAborts) {
  LoopOwned<int> owned(1, 7);
  EXPECT_DEATH(
      {
        ThisLoop on(0);
        owned.get() = 3;
      },
      "ownership violated");
  EXPECT_DEATH(
      {
        ThisLoop on(2);
        [[maybe_unused]] const int& read = *static_cast<const LoopOwned<int>&>(owned);
      },
      "ownership violated: loop-owned state of loop 1 touched from loop 2");
  EXPECT_EQ(owned.get(), 7) << "the parent process is untouched";
}

// The hub keeps each loop's sessions behind a LoopOwned: a task on loop 0
// that reaches a loop-1 session's record aborts, as it would in the server.
TEST_F(LoopOwnedDeathTest, AHubTaskReachingAnotherLoopsSessionAborts) {
  EXPECT_DEATH(
      {
        ManualPoster poster(2);
        Hub hub(poster, {});
        struct Quiet final : Member {
          void on_room_event(const RoomEvent&, RenderCache&) override {}
          void on_private_message(const PrivateMessage&) override {}
        } member;
        const SessionRef on_loop_1 = hub.attach(1, member);
        poster.post(0, [&] { (void)hub.rooms_of(on_loop_1); });
        poster.run_one(0);
      },
      "ownership violated: .* of loop 1 touched from loop 0");
}

#endif  // PARLEY_CHECK_LOOPS

}  // namespace
}  // namespace parley::core
