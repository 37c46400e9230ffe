#include <gtest/gtest.h>

#include <algorithm>

#include "backplane/lookup_wire.h"
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

std::string owner(core::SessionRef who) { return owner_name("node-a~1", who); }

TEST(BackplaneWire, AnEventComesBackAsItWasSaid) {
  // Colons, digits and newlines in a text must not confuse the fields.
  const auto ev = said("12:34 waves\nat: everyone");
  auto back = decode_event(encode_event(ev, "node-a", owner));
  ASSERT_TRUE(back);
  EXPECT_EQ(back->node, "node-a");
  const core::RoomEvent& got = *back->event;
  EXPECT_EQ(got.room, "Lobby");
  EXPECT_EQ(got.room_key, "lobby");
  EXPECT_EQ(got.id, "abc-7");
  EXPECT_EQ(got.time, ev.time);
  EXPECT_EQ(got.actor.loop, core::kRemoteLoop);  // nobody on this node
  EXPECT_EQ(back->actor_owner, "node-a~1/0.0");
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
  const std::string good = encode_event(said("hi"), "a", owner);
  EXPECT_FALSE(decode_event(""));
  EXPECT_FALSE(decode_event("p1:" + good.substr(3)));           // another version
  EXPECT_FALSE(decode_event(good.substr(0, good.size() - 1)));  // cut short
  EXPECT_FALSE(decode_event(good + "x"));                       // trailing bytes
  EXPECT_FALSE(decode_event("2:p1999999999999:x"));             // a length past the end
  EXPECT_TRUE(decode_event(good));
}

// A session's cluster name: its own ref on its own node, one and the same
// remote ref on every other node.
TEST(BackplaneWire, OwnerNamesMapToSessions) {
  const core::SessionRef here{2, 41};
  const std::string name = owner_name("a~7", here);
  EXPECT_EQ(name, "a~7/2.41");
  EXPECT_EQ(node_of_owner(name), "a~7");
  EXPECT_EQ(ref_of_owner(name, "a~7"), here);
  const core::SessionRef there = ref_of_owner(name, "b~1");
  EXPECT_EQ(there.loop, core::kRemoteLoop);
  EXPECT_NE(there.id, 0u);
  EXPECT_EQ(ref_of_owner(name, "c~3"), there);
  EXPECT_NE(ref_of_owner(owner_name("a~8", here), "b~1"), there) << "a restarted node's sessions are others";
}

// A dead node's quits name their netsplit, and a join announced again
// (its node was taken for dead) says so; events without either are written
// as before, so an older node reads them.
TEST(BackplaneWire, NetsplitsAndJoinsAnnouncedAgainTravel) {
  core::RoomEvent ev = said("x");
  auto split = std::make_shared<const core::Netsplit>(core::Netsplit{"b~9", "a", "b"});
  ev.what = core::RoomEvent::Left{"a b", true, "", false, split};
  auto back = decode_event(encode_event(ev, "a", owner), "c");
  ASSERT_TRUE(back);
  const auto* left = back->event->as<core::RoomEvent::Left>();
  ASSERT_TRUE(left && left->split);
  EXPECT_EQ(left->split->id, "b~9");
  EXPECT_EQ(left->split->survivor, "a");
  EXPECT_EQ(left->split->lost, "b");

  ev.what = core::RoomEvent::Left{"bye", true, "", true};
  const std::string plain = encode_event(ev, "a", owner);
  back = decode_event(plain, "c");
  ASSERT_TRUE(back);
  EXPECT_FALSE(back->event->as<core::RoomEvent::Left>()->split);

  ev.what = core::RoomEvent::Joined{nullptr, true, nullptr};
  back = decode_event(encode_event(ev, "a", owner), "c");
  ASSERT_TRUE(back);
  ASSERT_TRUE(back->event->as<core::RoomEvent::Joined>());
  EXPECT_TRUE(back->event->as<core::RoomEvent::Joined>()->again);
  // Announced again with the roles its node kept and its netjoin.
  auto netjoin = std::make_shared<const core::Netjoin>(core::Netjoin{"b~9+2", "", "b"});
  ev.what = core::RoomEvent::Joined{nullptr, true, std::make_shared<const core::Rejoin>(core::Rejoin{true, false, netjoin})};
  back = decode_event(encode_event(ev, "b", owner), "c");
  ASSERT_TRUE(back);
  const auto* again = back->event->as<core::RoomEvent::Joined>();
  ASSERT_TRUE(again && again->again && again->rejoin && again->rejoin->netjoin);
  EXPECT_TRUE(again->rejoin->op);
  EXPECT_FALSE(again->rejoin->voice);
  EXPECT_EQ(again->rejoin->netjoin->id, "b~9+2");
  EXPECT_EQ(again->rejoin->netjoin->back, "b");
  ev.what = core::RoomEvent::Joined{nullptr, true, std::make_shared<const core::Rejoin>(core::Rejoin{false, true, nullptr})};
  back = decode_event(encode_event(ev, "b", owner), "c");
  ASSERT_TRUE(back);
  again = back->event->as<core::RoomEvent::Joined>();
  ASSERT_TRUE(again && again->rejoin);
  EXPECT_TRUE(again->rejoin->voice);
  EXPECT_FALSE(again->rejoin->netjoin) << "none given, none read";
  ev.what = core::RoomEvent::Joined{};
  const std::string join = encode_event(ev, "a", owner);
  EXPECT_TRUE(join.ends_with("1:2")) << "a plain join ends with its kind, as before";
  back = decode_event(join, "c");
  ASSERT_TRUE(back);
  EXPECT_FALSE(back->event->as<core::RoomEvent::Joined>()->again);
}

// Every shared kind of event keeps what another node needs to show it and
// to apply it to its room.
TEST(BackplaneWire, JoinsDeparturesKicksAndSettingsTravel) {
  core::RoomEvent ev = said("x");
  ev.what = core::RoomEvent::Left{"bye", true, "", true};
  auto back = decode_event(encode_event(ev, "a", owner), "b");
  ASSERT_TRUE(back);
  const auto* left = back->event->as<core::RoomEvent::Left>();
  ASSERT_TRUE(left);
  EXPECT_EQ(left->reason, "bye");
  EXPECT_TRUE(left->quit);
  EXPECT_TRUE(left->asked);

  auto bob = std::make_shared<core::Identity>();
  bob->display = "bob";
  bob->nick = "bob";
  ev.what = core::RoomEvent::Kicked{core::SessionRef{1, 5}, bob, "spam"};
  back = decode_event(encode_event(ev, "a", owner), "node-a~1");
  ASSERT_TRUE(back);
  const auto* kicked = back->event->as<core::RoomEvent::Kicked>();
  ASSERT_TRUE(kicked);
  EXPECT_EQ(kicked->target, (core::SessionRef{1, 5})) << "the kicked member is on the decoding node";
  EXPECT_EQ(kicked->target_identity->nick, "bob");
  EXPECT_EQ(kicked->reason, "spam");

  core::RoomChange op{core::RoomSetting::op, true, "bob", "bob", core::SessionRef{1, 5}};
  core::RoomChange key{core::RoomSetting::key, true, "s3cret", "", core::SessionRef{}};
  ev.what = core::RoomEvent::SettingsChanged{{op, key}};
  back = decode_event(encode_event(ev, "a", owner), "b");
  ASSERT_TRUE(back);
  const auto* changed = back->event->as<core::RoomEvent::SettingsChanged>();
  ASSERT_TRUE(changed);
  ASSERT_EQ(changed->changes.size(), 2u);
  EXPECT_EQ(changed->changes[0].setting, core::RoomSetting::op);
  EXPECT_EQ(changed->changes[0].target, ref_of_owner("node-a~1/1.5", "b"));
  EXPECT_EQ(changed->changes[1].setting, core::RoomSetting::key);
  EXPECT_EQ(changed->changes[1].arg, "s3cret");

  ev.what = core::RoomEvent::TopicChanged{"news: 1:2"};
  back = decode_event(encode_event(ev, "a", owner), "b");
  ASSERT_TRUE(back && back->event->as<core::RoomEvent::TopicChanged>());
  EXPECT_EQ(back->event->as<core::RoomEvent::TopicChanged>()->topic, "news: 1:2");
}

TEST(BackplaneWire, RoomStateAndMembersTravel) {
  core::RoomSnapshot state;
  state.topic = "hello";
  state.topic_by = "ann";
  state.topic_time = core::WallTime(std::chrono::milliseconds(1764720000123));
  state.settings.key = "k";
  state.settings.limit = 12;
  state.settings.bans = {"*!*@evil", "x!*@*"};
  state.settings.moderated = true;
  auto back = decode_room_state(encode_room_state(state));
  ASSERT_TRUE(back);
  EXPECT_EQ(back->topic, "hello");
  EXPECT_EQ(back->topic_by, "ann");
  EXPECT_EQ(back->topic_time, state.topic_time);
  EXPECT_EQ(back->settings, state.settings);
  EXPECT_FALSE(decode_room_state("junk"));

  core::Identity raj = *said("x").actor_identity;
  raj.presence.away = "lunch";
  auto identity = decode_identity(encode_identity(raj));
  ASSERT_TRUE(identity);
  EXPECT_EQ(identity->display, "Raj Ingle");
  EXPECT_EQ(identity->presence.away, "lunch");
}

// Two nodes change one room at once: node a sets +m and bans a mask, node b
// sets a key, a topic and lifts the same ban (written otherwise in case).
// Each event leaves only its own changes as fields over the first base, so
// the hash holds both, as every node has the room after applying both.
TEST(BackplaneWire, ARoomsStateHashHoldsEveryNodesChanges) {
  core::RoomSnapshot base;  // as node a had the room when it made the first change
  base.topic = "old";
  base.topic_by = "ann";
  base.settings.no_outside = true;
  base.settings.moderated = true;
  base.settings.bans = {"*!*@Evil"};
  core::RoomEvent by_a = said("x");
  by_a.what = core::RoomEvent::SettingsChanged{{core::RoomChange{core::RoomSetting::moderated, true, "", {}, {}},
                                                core::RoomChange{core::RoomSetting::ban, true, "*!*@Evil", {}, {}}}};
  core::RoomEvent by_b = said("x");
  by_b.what = core::RoomEvent::SettingsChanged{{core::RoomChange{core::RoomSetting::key, true, "sesame", {}, {}},
                                                core::RoomChange{core::RoomSetting::ban, false, "*!*@evil", {}, {}},
                                                core::RoomChange{core::RoomSetting::op, true, "ann", {}, {}}}};
  core::RoomEvent topic = said("x");
  topic.what = core::RoomEvent::TopicChanged{"new"};

  StateFields hash = {{"base", encode_room_state(base)}};
  for (const core::RoomEvent* ev : {&by_a, &by_b, &topic}) {
    for (auto& field : room_state_fields(*ev)) {
      // A later field of the same name takes the earlier one's place (HSET).
      auto same = std::find_if(hash.begin(), hash.end(), [&](const auto& f) { return f.first == field.first; });
      if (same != hash.end()) same->second = field.second;
      else hash.push_back(field);
    }
  }
  EXPECT_EQ(hash.size(), 5u) << "base, m, b:<mask> once for both cases, k, topic; no role";
  auto room = decode_room_state(hash);
  ASSERT_TRUE(room);
  EXPECT_TRUE(room->settings.moderated);
  EXPECT_TRUE(room->settings.no_outside) << "from the base";
  EXPECT_EQ(room->settings.key, "sesame");
  EXPECT_TRUE(room->settings.bans.empty()) << "lifted last";
  EXPECT_EQ(room->topic, "new");
  EXPECT_EQ(room->topic_by, topic.by().nick);
  EXPECT_EQ(room->topic_time, topic.time);

  EXPECT_FALSE(decode_room_state(StateFields{{"topic", "x"}})) << "no base";
  EXPECT_FALSE(decode_room_state(StateFields{{"base", "junk"}}));
}

TEST(BackplaneWire, PrivateMessagesTravel) {
  const auto ev = said("x");
  core::PrivateMessage pm{core::SessionRef{2, 9}, ev.actor_identity, "", "", core::Speech::notice, "hi:\nthere",
                          ev.time, "p1-2-9-1", "+typing=active"};
  auto back = decode_private(encode_private(pm, "node-a~1/2.9", "raj ingle"), "node-b~2");
  ASSERT_TRUE(back);
  EXPECT_EQ(back->from_owner, "node-a~1/2.9");
  EXPECT_EQ(back->pm.from, ref_of_owner("node-a~1/2.9", "node-b~2"));
  EXPECT_EQ(*back->pm.sender, *ev.actor_identity);
  EXPECT_EQ(back->pm.speech, core::Speech::notice);
  EXPECT_EQ(back->pm.text, "hi:\nthere");
  EXPECT_EQ(back->pm.time, ev.time);
  EXPECT_EQ(back->pm.id, "p1-2-9-1");
  EXPECT_EQ(back->pm.client_tags, "+typing=active");
  EXPECT_EQ(back->to_key, "raj ingle");
  EXPECT_FALSE(decode_private("2:p9", "node-b~2"));
  EXPECT_FALSE(decode_private(encode_private(pm, "a/1.1", "k").substr(1), "node-b~2"));
}

TEST(BackplaneWire, PrivateRedactionsTravel) {
  const auto ev = said("x");
  core::PrivateRedaction redaction{ev.actor_identity, "bo", "p1-2-9-1", "typo: oops", ev.time, "p1-2-9-2"};
  auto back = decode_private_redaction(encode_private_redaction(redaction, "bo"));
  ASSERT_TRUE(back);
  EXPECT_EQ(*back->redaction.sender, *ev.actor_identity);
  EXPECT_EQ(back->redaction.to_nick, "bo");
  EXPECT_EQ(back->redaction.msgid, "p1-2-9-1");
  EXPECT_EQ(back->redaction.reason, "typo: oops");
  EXPECT_EQ(back->redaction.time, ev.time);
  EXPECT_EQ(back->redaction.id, "p1-2-9-2");
  EXPECT_EQ(back->other_account, "bo");
  EXPECT_FALSE(decode_private_redaction(encode_private_redaction(redaction, "bo").substr(2)));
  EXPECT_FALSE(decode_private_redaction(encode_private(core::PrivateMessage{core::SessionRef{2, 9}, ev.actor_identity,
                                                                            "", "", core::Speech::message, "hi",
                                                                            ev.time, "p1", ""},
                                                       "a/1.1", "bo")));
}

TEST(BackplaneWire, NameNewsTravels) {
  const auto ev = said("x");
  auto on = decode_name_news(encode_name_news(true, "node-a~1", "raj ingle", encode_identity(*ev.actor_identity)));
  ASSERT_TRUE(on);
  EXPECT_TRUE(on->online);
  EXPECT_EQ(on->node, "node-a~1");
  EXPECT_EQ(on->key, "raj ingle");
  ASSERT_TRUE(on->who);
  EXPECT_EQ(*on->who, *ev.actor_identity);
  // The reaper's Redis function writes "-", then the fields; its identity may be missing.
  auto off = decode_name_news("-8:node-a~14:raj_0:");
  ASSERT_TRUE(off);
  EXPECT_FALSE(off->online);
  EXPECT_EQ(off->key, "raj_");
  EXPECT_FALSE(off->who);
  EXPECT_FALSE(decode_name_news("*8:node-a~14:raj_0:"));
  EXPECT_FALSE(decode_name_news("-8:node-a~10:0:")) << "no key";
}

TEST(BackplaneWire, BanNewsTravels) {
  const core::WallTime set_at{std::chrono::milliseconds(1'700'000'000'123)};
  const core::ServerBan temporary{"spam*!*@*", "cool off", "root", set_at, set_at + std::chrono::minutes(10)};
  auto added = decode_ban_news(encode_ban_news(true, "node-a~1", temporary));
  ASSERT_TRUE(added);
  EXPECT_TRUE(added->added);
  EXPECT_EQ(added->node, "node-a~1");
  EXPECT_EQ(added->ban, temporary);
  EXPECT_TRUE(added->ban.temporary());

  const core::ServerBan lasting{"$a:raj", "", "root", set_at, {}};
  auto removed = decode_ban_news(encode_ban_news(false, "node-b~2", lasting));
  ASSERT_TRUE(removed);
  EXPECT_FALSE(removed->added);
  EXPECT_EQ(removed->ban, lasting);
  EXPECT_FALSE(removed->ban.temporary()) << "a ban without an expiry stays without one";

  const std::string bytes = encode_ban_news(true, "node-a~1", temporary);
  EXPECT_FALSE(decode_ban_news(""));
  EXPECT_FALSE(decode_ban_news("*" + bytes.substr(1)));
  EXPECT_FALSE(decode_ban_news(bytes.substr(0, bytes.size() - 1))) << "cut short";
  EXPECT_FALSE(decode_ban_news(bytes + "0:")) << "a field too many";
  EXPECT_FALSE(decode_ban_news(encode_ban_news(true, "node-a~1", core::ServerBan{}))) << "no mask";
}

TEST(BackplaneWire, RegistrationNewsTravels) {
  core::RoomRecord registered;
  registered.key = "team";
  registered.name = "Team";
  registered.founder = "Ann";
  registered.operators = {"bob", "Cat:ü"};
  registered.registered = core::WallTime{std::chrono::milliseconds(1'700'000'000'456)};
  auto news = decode_registration_news(encode_registration_news("node-a~1", registered));
  ASSERT_TRUE(news);
  EXPECT_EQ(news->node, "node-a~1");
  EXPECT_EQ(news->record, registered) << "founder, access list and time; no topic or settings travel";

  core::RoomRecord ended;
  ended.key = "team";
  ended.name = "Team";
  auto gone = decode_registration_news(encode_registration_news("node-b~2", ended));
  ASSERT_TRUE(gone);
  EXPECT_TRUE(gone->record.founder.empty());
  EXPECT_TRUE(gone->record.operators.empty());

  const std::string bytes = encode_registration_news("node-a~1", registered);
  EXPECT_FALSE(decode_registration_news(bytes.substr(0, bytes.size() - 1))) << "cut short";
  EXPECT_FALSE(decode_registration_news(bytes + "1:x")) << "a field too many";
}

TEST(BackplaneWire, LookupsAndTheirAnswersTravel) {
  LookupRequest request{LookupRequest::Kind::details, 42, "node-a~1", core::LookupAsker{{"lobby", "den"}, true},
                        "raj ingle"};
  auto back = decode_lookup_request(encode_lookup_request(request));
  ASSERT_TRUE(back);
  EXPECT_EQ(back->kind, LookupRequest::Kind::details);
  EXPECT_EQ(back->id, 42u);
  EXPECT_EQ(back->node, "node-a~1");
  EXPECT_EQ(back->asker.room_keys, (std::vector<std::string>{"lobby", "den"}));
  EXPECT_TRUE(back->asker.server_operator);
  EXPECT_EQ(back->subject, "raj ingle");
  EXPECT_FALSE(decode_lookup_request(encode_lookup_request(request).substr(1)));

  core::UserDetails details;
  details.identity = *said("x").actor_identity;
  details.identity.presence.server_operator = true;
  details.identity.presence.invisible = true;
  details.identity.address = "10.0.0.9";
  details.rooms = {{"Lobby", false, true}, {"den", true, false}};
  details.signed_on = core::WallTime(std::chrono::milliseconds(1764720000123));
  details.last_spoke = details.signed_on + std::chrono::seconds(5);
  details.now = details.signed_on + std::chrono::seconds(65);
  auto answer = decode_lookup_answer(encode_details_answer(42, details));
  ASSERT_TRUE(answer);
  EXPECT_EQ(answer->id, 42u);
  ASSERT_TRUE(answer->details);
  EXPECT_EQ(answer->details->identity, details.identity);
  ASSERT_EQ(answer->details->rooms.size(), 2u);
  EXPECT_EQ(answer->details->rooms[0].room, "Lobby");
  EXPECT_TRUE(answer->details->rooms[0].voice);
  EXPECT_TRUE(answer->details->rooms[1].op);
  EXPECT_EQ(answer->details->signed_on, details.signed_on);
  EXPECT_EQ(answer->details->last_spoke, details.last_spoke);
  EXPECT_EQ(answer->details->now, details.now);
  auto nobody = decode_lookup_answer(encode_details_answer(43, std::nullopt));
  ASSERT_TRUE(nobody);
  EXPECT_EQ(nobody->id, 43u);
  EXPECT_FALSE(nobody->details);
  EXPECT_FALSE(decode_lookup_answer(encode_details_answer(42, details) + "1:x"));

  LookupRequest who{LookupRequest::Kind::users, 7, "node-b~2", core::LookupAsker{{"lobby"}, false}, "a*!*@*", 200};
  auto asked = decode_lookup_request(encode_lookup_request(who));
  ASSERT_TRUE(asked);
  EXPECT_EQ(asked->kind, LookupRequest::Kind::users);
  EXPECT_EQ(asked->subject, "a*!*@*");
  EXPECT_EQ(asked->max, 200u);
  auto users = decode_lookup_answer(encode_users_answer(7, {details.identity, *said("y").actor_identity}));
  ASSERT_TRUE(users);
  EXPECT_EQ(users->id, 7u);
  ASSERT_EQ(users->users.size(), 2u);
  EXPECT_EQ(users->users[0], details.identity);
  EXPECT_FALSE(users->details);
  auto none = decode_lookup_answer(encode_users_answer(8, {}));
  ASSERT_TRUE(none);
  EXPECT_TRUE(none->users.empty());
}

TEST(BackplaneWire, RoomListsAndTheirAnswersTravel) {
  LookupRequest request{LookupRequest::Kind::rooms, 9, "node-c~3", {}, {}, 0};
  auto asked = decode_lookup_request(encode_lookup_request(request));
  ASSERT_TRUE(asked);
  EXPECT_EQ(asked->kind, LookupRequest::Kind::rooms);
  EXPECT_EQ(asked->id, 9u);
  EXPECT_EQ(asked->node, "node-c~3");
  EXPECT_TRUE(asked->asker.room_keys.empty());

  const std::vector<core::RoomSummary> rooms = {{"Garden", 12, "roses: 3:2 \n", "garden"}, {"den", 1, "", "den"}};
  auto answer = decode_lookup_answer(encode_rooms_answer(9, rooms));
  ASSERT_TRUE(answer);
  EXPECT_EQ(answer->id, 9u);
  ASSERT_EQ(answer->rooms.size(), 2u);
  EXPECT_EQ(answer->rooms[0].room, "Garden");
  EXPECT_EQ(answer->rooms[0].members, 12u);
  EXPECT_EQ(answer->rooms[0].topic, "roses: 3:2 \n");
  EXPECT_EQ(answer->rooms[0].key, "garden");
  EXPECT_EQ(answer->rooms[1].room, "den");
  EXPECT_TRUE(answer->rooms[1].topic.empty());
  EXPECT_TRUE(answer->users.empty());
  EXPECT_FALSE(answer->details);
  auto none = decode_lookup_answer(encode_rooms_answer(10, {}));
  ASSERT_TRUE(none);
  EXPECT_TRUE(none->rooms.empty());
  EXPECT_FALSE(decode_lookup_answer(encode_rooms_answer(9, rooms) + "1:x")) << "a field too many";
  EXPECT_FALSE(decode_lookup_answer(encode_rooms_answer(9, rooms).substr(0, 30))) << "cut short";
}

TEST(BackplaneWire, NamesLeftTravel) {
  core::PastUser past{*said("x").actor_identity, core::WallTime(std::chrono::milliseconds(1764720000123))};
  auto back = decode_past(encode_past("node-a~1", past));
  ASSERT_TRUE(back);
  EXPECT_EQ(back->node, "node-a~1");
  EXPECT_EQ(back->past.identity, past.identity);
  EXPECT_EQ(back->past.left, past.left);
  EXPECT_FALSE(decode_past(encode_past("node-a~1", past).substr(0, 20)));
}

}  // namespace
}  // namespace parley::backplane
