// The hub with registered rooms and server bans: what it hands to be kept
// (and takes back at start), server operators' overrides in the log, and
// server bans ending the sessions they apply to, at once and when they come.
#include <gtest/gtest.h>

#include "hub_fixture.h"

namespace parley::core {
namespace {

using namespace hub_testing;

// Kept in memory; writes counted.
struct MemoryRecords final : RoomRecords, BanRecords {
  std::vector<RoomRecord> load_rooms() override { return rooms; }
  void save_room(const RoomRecord& room) override {
    std::erase_if(rooms, [&](const RoomRecord& r) { return r.key == room.key; });
    rooms.push_back(room);
    ++room_writes;
  }
  void remove_room(const std::string& key) override {
    std::erase_if(rooms, [&](const RoomRecord& r) { return r.key == key; });
    ++room_writes;
  }
  std::vector<ServerBan> load_bans() override { return bans; }
  void save_ban(const ServerBan& ban) override {
    std::erase_if(bans, [&](const ServerBan& b) { return b.mask == ban.mask; });
    bans.push_back(ban);
  }
  void remove_ban(const std::string& mask) override {
    std::erase_if(bans, [&](const ServerBan& b) { return b.mask == mask; });
  }
  std::vector<RoomRecord> rooms;
  std::vector<ServerBan> bans;
  int room_writes = 0;
};

class HubRecordsTest : public HubTest {
 protected:
  void SetUp() override {
    w.hub.set_log([this](const std::string& line) { log.push_back(line); });
    w.hub.presence().set_operator_logins({{"root", "secret"}});
  }
  // Writes run in order where they are handed over (a queue of jobs to run later).
  void keep_in(MemoryRecords& records) {
    w.hub.set_records(&records, &records, [this](std::function<void()> job) { jobs.push_back(std::move(job)); });
  }
  void write_all() {
    for (auto& job : jobs) job();
    jobs.clear();
  }
  void log_in(Person& p, std::string account) {
    ASSERT_TRUE(w.hub.presence().set_account(p.ref, std::move(account)).ok());
    w.poster.run_all();
  }
  void make_oper(Person& p) {
    ASSERT_TRUE(w.hub.presence().become_server_operator(p.ref, "root", "secret").ok());
    w.poster.run_all();
  }
  Result<RoomRecord> ask(void (RoomRequests::*request)(SessionRef, std::string_view, Callback<RoomRecord>),
                         Person& p, std::string room) {
    std::optional<Result<RoomRecord>> got;
    (w.hub.rooms().*request)(p.ref, room, [&](Result<RoomRecord> r) { got = std::move(r); });
    w.poster.run_all();
    if (!got) return Refusal::no_such_room;
    return *got;
  }
  Result<BanAdded> kline(Person& p, std::string mask, std::string reason = "go away") {
    std::optional<Result<BanAdded>> got;
    w.hub.bans().add(p.ref, mask, reason, [&](Result<BanAdded> r) { got = std::move(r); });
    w.poster.run_all();
    if (!got) return Refusal::no_such_ban;
    return *got;
  }
  bool left_with(Person& watcher, const std::string& who, const std::string& reason) {
    for (const RoomEvent& ev : watcher.member.events) {
      const auto* left = ev.as<RoomEvent::Left>();
      if (left && ev.by().display == who && left->reason == reason) return true;
    }
    return false;
  }

  std::vector<std::string> log;
  std::vector<std::function<void()>> jobs;
};

TEST_P(HubRecordsTest, ARegisteredRoomIsKeptAsItChangesAndForgottenWhenDropped) {
  MemoryRecords records;
  keep_in(records);
  Person& a = w.enter(loop(0), "Alice", {"cafe"});
  log_in(a, "alice");
  EXPECT_EQ(ask(&RoomRequests::registration, a, "#cafe").refusal(), Refusal::room_not_registered);
  auto registered = ask(&RoomRequests::register_room, a, "#cafe");
  ASSERT_TRUE(registered.ok());
  EXPECT_EQ(registered.value().founder, "alice");
  EXPECT_TRUE(records.rooms.empty()) << "written only by the writer, never on the loop";
  write_all();
  ASSERT_EQ(records.rooms.size(), 1u);
  ASSERT_TRUE(Moderation::change(w, a, "cafe", {mode(RoomSetting::key, true, "k")}).ok());
  std::optional<Refusal> topic_refused;
  ASSERT_TRUE(w.hub.rooms().set_topic(a.ref, "cafe", "Coffee", [&](Refusal no) { topic_refused = no; }).ok());
  w.poster.run_all();
  write_all();
  ASSERT_EQ(records.rooms.size(), 1u);
  EXPECT_EQ(records.rooms[0].settings.key, "k");
  EXPECT_EQ(records.rooms[0].topic, "Coffee");
  EXPECT_EQ(records.room_writes, 3);
  // Unregistered rooms are never written.
  Person& b = w.enter(loop(1), "Bob", {"other"});
  ASSERT_TRUE(Moderation::change(w, b, "other", {mode(RoomSetting::moderated, true)}).ok());
  write_all();
  EXPECT_EQ(records.room_writes, 3);
  EXPECT_EQ(ask(&RoomRequests::unregister_room, b, "#cafe").refusal(), Refusal::not_founder);
  ASSERT_TRUE(ask(&RoomRequests::unregister_room, a, "#cafe").ok());
  write_all();
  EXPECT_TRUE(records.rooms.empty());
}

TEST_P(HubRecordsTest, AKeptRoomComesBackAndOpsItsFounderWhoLogsIn) {
  MemoryRecords records;
  RoomRecord cafe;
  cafe.key = cafe.name = "cafe";
  cafe.founder = "Alice";
  cafe.topic = "Coffee";
  cafe.topic_by = "Alice";
  cafe.settings.moderated = true;
  records.rooms.push_back(cafe);
  keep_in(records);
  Person& b = w.enter(loop(1), "Bob", {});
  auto info = w.info(b, "#cafe");  // there, though empty, before anyone joined
  ASSERT_TRUE(info && info->ok());
  EXPECT_EQ(info->value().topic, "Coffee");
  EXPECT_TRUE(info->value().settings.moderated);
  EXPECT_EQ(Moderation::join(w, b, "cafe"), std::nullopt);
  Person& a = w.enter(loop(0), "Alice", {});
  log_in(a, "alice");
  EXPECT_EQ(Moderation::join(w, a, "cafe"), std::nullopt);
  auto after = w.info(a, "#cafe");
  ASSERT_TRUE(after && after->ok());
  ASSERT_EQ(after->value().entries.size(), 2u);
  EXPECT_FALSE(after->value().entries[0].op) << "Bob joined first, but the room is registered";
  EXPECT_TRUE(after->value().entries[1].op);
  // Everyone leaves: the registered room stays.
  ASSERT_TRUE(w.hub.rooms().part(a.ref, "cafe", {}).ok());
  ASSERT_TRUE(w.hub.rooms().part(b.ref, "cafe", {}).ok());
  w.poster.run_all();
  EXPECT_TRUE(w.info(a, "#cafe").value().ok());
}

TEST_P(HubRecordsTest, AServerOperatorsOverridesAreLogged) {
  Person& a = w.enter(loop(0), "Alice", {"games"});
  Person& b = w.enter(loop(1), "Bob", {"games"});
  Person& o = w.enter(loop(2), "Oper", {"lobby"});
  EXPECT_EQ(Moderation::kick(w, o, "games", "Bob").refusal(), Refusal::not_in_room);
  make_oper(o);
  w.forget_events();
  ASSERT_TRUE(Moderation::change(w, o, "games", {mode(RoomSetting::moderated, true), mode(RoomSetting::key, true, "sesame")}).ok());
  ASSERT_TRUE(Moderation::kick(w, o, "games", "Bob", "spam").ok());
  ASSERT_TRUE(w.hub.rooms().set_topic(o.ref, "games", "Be nice").ok());
  w.poster.run_all();
  EXPECT_EQ(log, (std::vector<std::string>{
                     "override: Oper set +m +k (key) on #games (from outside the room)",
                     "override: Oper kicked Bob from #games (spam) (from outside the room)",
                     "override: Oper changed the topic of #games (from outside the room)",
                 }));
  EXPECT_EQ(o.member.seen("games").size(), 3u) << "the operator sees what it did";
  EXPECT_EQ(a.member.seen("games").size(), 3u);
  EXPECT_FALSE(in_rooms(w, o, "games"));
  // The room's own operator is no override; neither is a room that does not exist.
  log.clear();
  ASSERT_TRUE(Moderation::change(w, a, "games", {mode(RoomSetting::moderated, false)}).ok());
  EXPECT_EQ(Moderation::kick(w, o, "nowhere", "Bob").refusal(), Refusal::no_such_room);
  EXPECT_TRUE(log.empty());
  (void)b;
}

TEST_P(HubRecordsTest, AServerBanEndsMatchingSessionsAndRefusesNewOnes) {
  MemoryRecords records;
  keep_in(records);
  Person& a = w.enter(loop(0), "Alice", {"lobby"});
  Person& spammer = w.enter(loop(1), "Spammer", {"lobby"});
  Person& o = w.enter(loop(2), "Oper", {"lobby"});
  EXPECT_EQ(kline(o, "spammer").refusal(), Refusal::not_server_operator);
  make_oper(o);
  EXPECT_EQ(kline(o, "a b").refusal(), Refusal::invalid_ban_mask);
  auto added = kline(o, "spammer");
  ASSERT_TRUE(added.ok());
  EXPECT_EQ(added.value().ban.mask, "spammer!*@*");
  EXPECT_EQ(added.value().disconnected, 1u);
  EXPECT_TRUE(left_with(a, "Spammer", "Banned from this server"));
  EXPECT_EQ(w.hub.identity_of(spammer.ref).display, "") << "detached";
  write_all();
  ASSERT_EQ(records.bans.size(), 1u);
  EXPECT_EQ(records.bans[0].set_by, "Oper");
  // A new session taking a banned name never gets it.
  Person& again = w.attach(loop(1));
  bool answered = false;
  w.hub.claim_name(again.ref, "SPAMMER", [&](Result<Identity>) { answered = true; });
  w.poster.run_all();
  EXPECT_FALSE(answered);
  EXPECT_EQ(w.hub.identity_of(again.ref).display, "");
  // The name is free again for whoever the ban does not match (after the ban is lifted).
  std::optional<Result<ServerBan>> removed;
  w.hub.bans().remove(o.ref, "Spammer!*@*", [&](Result<ServerBan> r) { removed = std::move(r); });
  w.poster.run_all();
  ASSERT_TRUE(removed && removed->ok());
  write_all();
  EXPECT_TRUE(records.bans.empty());
  Person& later = w.attach(loop(0));
  EXPECT_TRUE(w.claim(later, "Spammer").ok());
  // Server operators are never ended by a ban, so a mask too wide can be undone.
  ASSERT_TRUE(kline(o, "*!*@*").ok());
  EXPECT_EQ(w.hub.identity_of(o.ref).display, "Oper");
  EXPECT_EQ(w.hub.identity_of(a.ref).display, "");
}

TEST_P(HubRecordsTest, AnAccountBanEndsWhoeverLogsInToIt) {
  MemoryRecords records;
  records.bans.push_back({"$a:eve", "abuse", "root", {}, {}});
  keep_in(records);
  Person& a = w.enter(loop(0), "Alice", {"lobby"});
  Person& e = w.enter(loop(1), "Zed", {"lobby"});
  EXPECT_EQ(w.hub.identity_of(e.ref).display, "Zed") << "a nick is not an account";
  log_in(e, "Eve");
  EXPECT_EQ(w.hub.identity_of(e.ref).display, "");
  EXPECT_TRUE(left_with(a, "Zed", "Banned from this server"));
  ASSERT_FALSE(log.empty());
  EXPECT_NE(log.back().find("$a:eve"), std::string::npos) << log.back();
}

INSTANTIATE_TEST_SUITE_P(Loops, HubRecordsTest, ::testing::Values(1u, 3u),
                         [](const auto& info) { return std::to_string(info.param) + "loops"; });

}  // namespace
}  // namespace parley::core
