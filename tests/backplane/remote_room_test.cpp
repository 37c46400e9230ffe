// A room's members on other nodes (core/room_remote.cpp): applied from the
// events other nodes decided, restored from what Redis holds, forgotten when
// this node stops following the room. Pure: no Redis.
#include <gtest/gtest.h>

#include "backplane/wire.h"
#include "core/room.h"

namespace parley::core {
namespace {

SharedIdentity named(const std::string& nick) {
  auto id = std::make_shared<Identity>();
  id->display = nick;
  id->nick = nick;
  return id;
}

RoomEvent remote(SessionRef who, const std::string& nick, RoomEvent::Payload what) {
  RoomEvent ev;
  ev.room = "garden";
  ev.room_key = "garden";
  ev.actor = who;
  ev.actor_identity = named(nick);
  ev.what = std::move(what);
  return ev;
}

std::vector<std::string> nicks(const Room& room) {
  std::vector<std::string> out;
  for (const auto& e : room.snapshot().entries) out.push_back((e.op ? "@" : "") + e.identity->nick);
  return out;
}

TEST(RemoteRoom, OtherNodesMembersComeAndGoWithTheirEvents) {
  Room room("garden", "garden", 2);
  const SessionRef ann{0, 1};
  ASSERT_TRUE(room.join(ann, named("ann")).ok());
  const SessionRef bob = backplane::ref_of_owner("b~1/0.7", "a~1");
  room.apply_remote(remote(bob, "bob", RoomEvent::Joined{}), false);
  EXPECT_EQ(nicks(room), (std::vector<std::string>{"@ann", "bob"}));
  EXPECT_EQ(room.size(), 2u);
  EXPECT_FALSE(room.has_members_on(1));

  RoomChange op{RoomSetting::op, true, "bob", "bob", bob};
  RoomChange key{RoomSetting::key, true, "k", "", SessionRef{}};
  room.apply_remote(remote(bob, "bob", RoomEvent::SettingsChanged{{op, key}}), std::nullopt);
  EXPECT_EQ(nicks(room), (std::vector<std::string>{"@ann", "@bob"}));
  EXPECT_EQ(room.settings().key, "k");
  room.apply_remote(remote(bob, "bob", RoomEvent::TopicChanged{"hi"}), std::nullopt);
  EXPECT_EQ(room.topic(), "hi");
  room.apply_remote(remote(bob, "bob", RoomEvent::Renamed{named("rob")}), std::nullopt);
  EXPECT_EQ(nicks(room), (std::vector<std::string>{"@ann", "@rob"}));

  // A kick decided elsewhere removes a member here.
  room.apply_remote(remote(bob, "rob", RoomEvent::Kicked{ann, named("ann"), ""}), std::nullopt);
  EXPECT_EQ(nicks(room), (std::vector<std::string>{"@rob"}));
  EXPECT_FALSE(room.has_local_members());
  room.apply_remote(remote(bob, "rob", RoomEvent::Left{"", true, "", true}), std::nullopt);
  EXPECT_TRUE(room.empty());
}

TEST(RemoteRoom, RestoredFromTheClusterAndForgotten) {
  Room room("garden", "garden", 1);
  const SessionRef ann{0, 1};
  ASSERT_TRUE(room.join(ann, named("ann")).ok());
  const SessionRef bob = backplane::ref_of_owner("b~1/0.7", "a~1");
  RoomSnapshot state;
  state.topic = "from b";
  state.settings.bans = {"*!*@evil"};
  room.restore_remote({{bob, named("bob")}, {ann, named("ann")}}, {{true, false}, {false, false}}, &state);
  EXPECT_EQ(nicks(room), (std::vector<std::string>{"@ann", "@bob"})) << "its own members stay as this node has them";
  EXPECT_EQ(room.topic(), "from b");
  EXPECT_EQ(room.settings().bans.size(), 1u);
  room.settle_join(ann, false);
  EXPECT_EQ(nicks(room), (std::vector<std::string>{"ann", "@bob"})) << "the cluster says ann was not first";
  room.forget_remote();
  EXPECT_EQ(nicks(room), (std::vector<std::string>{"ann"}));
  EXPECT_TRUE(room.has_local_members());
}

}  // namespace
}  // namespace parley::core
