// text/render: a member whose node came back (docs/cluster.md, "Roles coming
// back") joins as anyone does, with a plain line for each role its node kept.
#include <gtest/gtest.h>

#include <memory>
#include <string>

#include "text/render.h"

namespace parley::text {
namespace {

using core::RoomEvent;

RoomEvent joined_again(bool op, bool voice) {
  RoomEvent ev;
  ev.room = ev.room_key = "garden";
  ev.actor_identity = std::make_shared<const core::Identity>(core::Identity{"bob", "bob", "~u", "10.0.0.2", {}});
  auto netjoin = std::make_shared<const core::Netjoin>(core::Netjoin{"b~1+1", "a", "b"});
  ev.what = RoomEvent::Joined{nullptr, true, std::make_shared<const core::Rejoin>(core::Rejoin{op, voice, netjoin})};
  return ev;
}

TEST(TextNetjoinRender, RolesKeptOnTheNodeBackAreToldAfterTheJoin) {
  EXPECT_EQ(render_room_event(joined_again(true, true), true),
            "bob has joined the chat room!\n"
            "bob is an operator of #garden again.\n"
            "bob has a voice in #garden again.\n");
  EXPECT_EQ(render_room_event(joined_again(false, true), false),
            "[#garden] bob has joined the chat room!\n"
            "[#garden] bob has a voice in #garden again.\n");
  EXPECT_EQ(render_room_event(joined_again(false, false), true), "bob has joined the chat room!\n");
}

}  // namespace
}  // namespace parley::text
