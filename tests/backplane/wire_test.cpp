#include <gtest/gtest.h>

#include "backplane/wire.h"

namespace parley::backplane {
namespace {

core::RoomEvent said(std::string text) {
  core::RoomEvent ev;
  ev.room = "Lobby";
  ev.room_key = "lobby";
  ev.seq = 7;
  ev.id = "abc-7";
  ev.time = core::WallTime(std::chrono::milliseconds(1764720000123));
  auto who = std::make_shared<core::Identity>();
  who->display = "Raj Ingle";
  who->nick = "Raj_Ingle";
  who->user = "text";
  who->host = "127.0.0.1";
  who->real_name = "Raj";
  who->presence.account = "raj";
  who->presence.bot = true;
  ev.actor_identity = who;
  ev.what = core::RoomEvent::Said{core::Speech::action, std::move(text), "+a=b", core::Audience::members, {}, false};
  return ev;
}

TEST(BackplaneWire, AnEventComesBackAsItWasSaid) {
  // Colons, digits and newlines in a text must not confuse the fields.
  const auto ev = said("12:34 waves\nat: everyone");
  auto back = decode_event(encode_event(ev, "node-a"));
  ASSERT_TRUE(back);
  EXPECT_EQ(back->node, "node-a");
  const core::RoomEvent& got = *back->event;
  EXPECT_EQ(got.room, "Lobby");
  EXPECT_EQ(got.room_key, "lobby");
  EXPECT_EQ(got.id, "abc-7");
  EXPECT_EQ(got.time, ev.time);
  EXPECT_EQ(got.actor, core::SessionRef{});  // nobody on this node
  EXPECT_EQ(got.by().display, "Raj Ingle");
  EXPECT_EQ(got.by().nick, "Raj_Ingle");
  EXPECT_EQ(got.by().user, "text");
  EXPECT_EQ(got.by().host, "127.0.0.1");
  EXPECT_EQ(got.by().real_name, "Raj");
  EXPECT_EQ(got.by().presence.account, "raj");
  EXPECT_TRUE(got.by().presence.bot);
  const auto* s = got.as<core::RoomEvent::Said>();
  ASSERT_TRUE(s);
  EXPECT_EQ(s->speech, core::Speech::action);
  EXPECT_EQ(s->text, "12:34 waves\nat: everyone");
  EXPECT_EQ(s->client_tags, "+a=b");
}

TEST(BackplaneWire, DamagedOrForeignBytesAreRefused) {
  const std::string good = encode_event(said("hi"), "a");
  EXPECT_FALSE(decode_event(""));
  EXPECT_FALSE(decode_event("p2:" + good.substr(3)));           // another version
  EXPECT_FALSE(decode_event(good.substr(0, good.size() - 1)));  // cut short
  EXPECT_FALSE(decode_event(good + "x"));                       // trailing bytes
  EXPECT_FALSE(decode_event("2:p1999999999999:x"));             // a length past the end
  EXPECT_TRUE(decode_event(good));
}

}  // namespace
}  // namespace parley::backplane
