// core/hub: the default room belongs to the server, and server operators
// moderate rooms they do not operate.
#include <gtest/gtest.h>

#include "hub_fixture.h"

namespace parley::core {
namespace {

using namespace hub_testing;

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

}  // namespace
}  // namespace parley::core
