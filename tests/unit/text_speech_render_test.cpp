// text/render: what someone said, as a text user reads it, built in one
// buffer: the seed's "Message from User - X: text" with the text cleaned for
// a terminal (formatting codes and unsafe code points gone, tabs as spaces)
// and no trailing space, in the current room or another.
#include <gtest/gtest.h>

#include <memory>
#include <string>

#include "text/render.h"

namespace parley::text {
namespace {

using core::RoomEvent;

RoomEvent said_by_ann(core::Speech speech, std::string text) {
  RoomEvent ev;
  ev.room = ev.room_key = "garden";
  ev.actor_identity = std::make_shared<const core::Identity>(core::Identity{"Ann", "Ann", "~a", "10.0.0.1", {}});
  ev.what = RoomEvent::Said{speech, std::move(text), "", core::Audience::members, {}, false};
  return ev;
}

TEST(TextSpeechRender, TheSeedsLineInTheCurrentRoomAndWithItsLabelElsewhere) {
  EXPECT_EQ(render_room_event(said_by_ann(core::Speech::message, "hello"), true), "Message from User - Ann: hello\n");
  EXPECT_EQ(render_room_event(said_by_ann(core::Speech::message, "hello"), false),
            "[#garden] Message from User - Ann: hello\n");
  EXPECT_EQ(render_room_event(said_by_ann(core::Speech::notice, "hi"), true), "Notice from User - Ann: hi\n");
  EXPECT_EQ(render_room_event(said_by_ann(core::Speech::action, "waves"), true), "* Ann waves\n");
}

TEST(TextSpeechRender, TheTextIsCleanedAndLosesItsTrailingSpaces) {
  EXPECT_EQ(render_room_event(said_by_ann(core::Speech::message, "\x03" "4red\x03 and\tbold\x02!  "), true),
            "Message from User - Ann: red and bold!\n");
  // Nothing left of it: the line has no trailing space either.
  EXPECT_EQ(render_room_event(said_by_ann(core::Speech::message, "   "), true), "Message from User - Ann:\n");
  EXPECT_EQ(speech_sentence(core::Speech::message, "Ann", "  "), "Message from User - Ann: ");
}

}  // namespace
}  // namespace parley::text
