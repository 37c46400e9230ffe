// The hub and what issue 11 left for accounts: read markers kept off the
// loops and told to the account's other sessions, every session of a deleted
// account logged out, temporary server bans lapsing by the wall clock given,
// account bans looked up before a login, and a registered room's access list.
#include <gtest/gtest.h>

#include "hub_fixture.h"

namespace parley::core {
namespace {

using namespace hub_testing;
using namespace std::chrono_literals;

struct MemoryMarkers final : ReadMarkerRecords {
  std::optional<WallTime> get(const std::string& account, const std::string& target) override {
    auto it = kept.find({account, target});
    if (it == kept.end()) return std::nullopt;
    return it->second;
  }
  WallTime raise(const std::string& account, const std::string& target, WallTime time) override {
    auto& t = kept[{account, target}];
    t = std::max(t, time);
    return t;
  }
  std::map<std::pair<std::string, std::string>, WallTime> kept;
};

struct MemoryRecords final : RoomRecords, BanRecords {
  std::vector<RoomRecord> load_rooms() override { return {}; }
  void save_room(const RoomRecord& room) override {
    std::erase_if(rooms, [&](const RoomRecord& r) { return r.key == room.key; });
    rooms.push_back(room);
  }
  void remove_room(const std::string&) override {}
  std::vector<ServerBan> load_bans() override { return {}; }
  void save_ban(const ServerBan& ban) override { bans.push_back(ban); }
  void remove_ban(const std::string& mask) override {
    std::erase_if(bans, [&](const ServerBan& b) { return b.mask == mask; });
  }
  std::vector<RoomRecord> rooms;
  std::vector<ServerBan> bans;
};

class HubAccountDataTest : public HubTest {
 protected:
  void SetUp() override {
    w.hub.set_log([this](const std::string& line) { log.push_back(line); });
    w.hub.presence().set_operator_logins({{"root", "secret"}});
    w.hub.set_records(&records, &records, [this](std::function<void()> job) { jobs.push_back(std::move(job)); });
    w.hub.set_account_data(&markers, nullptr);
    w.hub.set_wall_clock([this] { return now; });
  }
  // The offload thread, by hand: its jobs, then what they posted.
  void settle() {
    w.poster.run_all();
    while (!jobs.empty()) {
      auto todo = std::move(jobs);
      jobs.clear();
      for (auto& job : todo) job();
      w.poster.run_all();
    }
  }
  void log_in(Person& p, std::string account) {
    ASSERT_TRUE(w.hub.presence().set_account(p.ref, std::move(account)).ok());
    settle();
  }
  void make_oper(Person& p) {
    ASSERT_TRUE(w.hub.presence().become_server_operator(p.ref, "root", "secret").ok());
    settle();
  }

  WallTime now = WallTime(std::chrono::hours(24 * 365 * 50));
  MemoryMarkers markers;
  MemoryRecords records;
  std::vector<std::function<void()>> jobs;
  std::vector<std::string> log;
};

TEST_P(HubAccountDataTest, ReadMarkersMoveForwardAndTheAccountsOtherSessionsHear) {
  Person& laptop = w.enter(loop(0), "ann", {"talk"});
  Person& phone = w.enter(loop(1), "ann_phone", {});
  Person& bob = w.enter(loop(2), "bob", {"talk"});
  log_in(laptop, "Ann");
  log_in(phone, "ann");
  log_in(bob, "bob");

  std::optional<Result<WallTime>> set;
  w.hub.markers().set(laptop.ref, "talk", "#talk", now - 10s, [&](Result<WallTime> r) { set = r; });
  EXPECT_TRUE(markers.kept.empty()) << "kept off the loops";
  settle();
  ASSERT_TRUE(set && set->ok());
  EXPECT_EQ(set->value(), now - 10s);
  ASSERT_EQ(phone.member.read_markers.size(), 1u);
  EXPECT_EQ(phone.member.read_markers[0].target, "#talk");
  EXPECT_EQ(phone.member.read_markers[0].time, now - 10s);
  EXPECT_TRUE(laptop.member.read_markers.empty()) << "the setter has its answer";
  EXPECT_TRUE(bob.member.read_markers.empty()) << "never told to another account";

  // Back in time: answered with what is kept; nobody else told.
  w.hub.markers().set(phone.ref, "talk", "#talk", now - 20s, [&](Result<WallTime> r) { set = r; });
  settle();
  EXPECT_EQ(set->value(), now - 10s);
  EXPECT_EQ(laptop.member.read_markers.size(), 0u);

  std::optional<Result<std::vector<std::optional<WallTime>>>> got;
  w.hub.markers().get(phone.ref, {"talk", "elsewhere"}, [&](auto r) { got = r; });
  settle();
  ASSERT_TRUE(got && got->ok());
  EXPECT_EQ(got->value(), (std::vector<std::optional<WallTime>>{now - 10s, std::nullopt}));

  Person& guest = w.enter(loop(0), "guest", {});
  w.hub.markers().get(guest.ref, {"talk"}, [&](auto r) { got = r; });
  settle();
  EXPECT_EQ(got->refusal(), Refusal::not_logged_in);
}

TEST_P(HubAccountDataTest, LoggingOutAnAccountEndsEveryLoginToItAndNothingElse) {
  Person& a1 = w.enter(loop(0), "ann", {"talk"});
  Person& a2 = w.enter(loop(1), "ann2", {"talk"});
  Person& bob = w.enter(loop(2), "bob", {"talk"});
  log_in(a1, "Ann");
  log_in(a2, "ann");
  log_in(bob, "bob");
  w.forget_events();
  w.hub.log_out_account("ann", "The account ann was deleted.");
  settle();
  for (Person* p : {&a1, &a2}) {
    EXPECT_EQ(p->member.logged_out, std::vector<std::string>{"The account ann was deleted."});
    EXPECT_EQ(w.hub.identity_of(p->ref).presence.account, "");
  }
  EXPECT_TRUE(bob.member.logged_out.empty());
  EXPECT_EQ(w.hub.identity_of(bob.ref).presence.account, "bob");
  // The room heard of each change (account-notify "*").
  int changes = 0;
  for (const RoomEvent& ev : bob.member.events) changes += ev.as<RoomEvent::AccountChanged>() != nullptr;
  EXPECT_EQ(changes, 2);
}

TEST_P(HubAccountDataTest, ATemporaryBanLapsesAtItsTimeByTheClockGiven) {
  Person& o = w.enter(loop(0), "Oper", {});
  make_oper(o);
  Person& spammer = w.enter(loop(1), "Spammer", {});
  std::optional<Result<BanAdded>> added;
  w.hub.bans().add(o.ref, "spammer", "cool off", [&](Result<BanAdded> r) { added = r; }, 60s);
  settle();
  ASSERT_TRUE(added && added->ok());
  EXPECT_EQ(added->value().ban.expires, now + 60s);
  EXPECT_EQ(added->value().disconnected, 1u);
  EXPECT_EQ(w.hub.identity_of(spammer.ref).display, "");

  now += 59s;
  Person& early = w.attach(loop(1));
  bool answered = false;
  w.hub.claim_name(early.ref, "spammer", [&](Result<Identity>) { answered = true; });
  settle();
  EXPECT_FALSE(answered) << "still banned a second before";

  now += 1s;
  Person& on_time = w.attach(loop(2));
  EXPECT_TRUE(w.claim(on_time, "spammer").ok()) << "lapsed at its time";
  settle();
  EXPECT_TRUE(records.bans.empty()) << "forgotten where it was kept";
  EXPECT_NE(std::find(log.begin(), log.end(), "Server ban spammer!*@* expired (cool off)."), log.end());
  std::optional<Result<std::vector<ServerBan>>> listed;
  w.hub.bans().list(o.ref, [&](auto r) { listed = r; });
  settle();
  ASSERT_TRUE(listed && listed->ok());
  EXPECT_TRUE(listed->value().empty());
}

TEST_P(HubAccountDataTest, AnAccountBanIsFoundBeforeALoginUntilItLapses) {
  Person& o = w.enter(loop(0), "Oper", {});
  make_oper(o);
  Person& visitor = w.enter(loop(1), "visitor", {});
  std::optional<Result<BanAdded>> added;
  w.hub.bans().add(o.ref, "$a:Eve", "abuse", [&](Result<BanAdded> r) { added = r; }, 10s);
  settle();
  std::optional<Result<std::optional<ServerBan>>> found;
  w.hub.bans().on_account(visitor.ref, "EVE", [&](auto r) { found = r; });
  settle();
  ASSERT_TRUE(found && found->ok() && found->value());
  EXPECT_EQ(found->value()->reason, "abuse");
  w.hub.bans().on_account(visitor.ref, "bob", [&](auto r) { found = r; });
  settle();
  EXPECT_FALSE(found->value());
  now += 10s;
  w.hub.bans().on_account(visitor.ref, "eve", [&](auto r) { found = r; });
  settle();
  EXPECT_FALSE(found->value()) << "lapsed";
}

TEST_P(HubAccountDataTest, TheFounderKeepsTheAccessList) {
  Person& ann = w.enter(loop(0), "ann", {"den"});
  Person& bob = w.enter(loop(1), "bob", {"den"});
  log_in(ann, "ann");
  log_in(bob, "bob");
  std::optional<Result<RoomRecord>> r;
  w.hub.rooms().register_room(ann.ref, "#den", [&](Result<RoomRecord> x) { r = x; });
  settle();
  ASSERT_TRUE(r && r->ok());
  w.hub.rooms().change_access(bob.ref, "#den", "carol", true, [&](Result<RoomRecord> x) { r = x; });
  settle();
  EXPECT_EQ(r->refusal(), Refusal::not_founder);
  w.hub.rooms().change_access(ann.ref, "#den", "Carol", true, [&](Result<RoomRecord> x) { r = x; });
  settle();
  ASSERT_TRUE(r->ok());
  EXPECT_EQ(r->value().operators, std::vector<std::string>{"Carol"});
  ASSERT_FALSE(records.rooms.empty());
  EXPECT_EQ(records.rooms.back().operators, std::vector<std::string>{"Carol"}) << "kept at once";
  w.hub.rooms().change_access(ann.ref, "#den", "carol", false, [&](Result<RoomRecord> x) { r = x; });
  settle();
  ASSERT_TRUE(r->ok());
  EXPECT_TRUE(r->value().operators.empty());
  w.hub.rooms().change_access(ann.ref, "#den", "carol", false, [&](Result<RoomRecord> x) { r = x; });
  settle();
  EXPECT_EQ(r->refusal(), Refusal::no_such_member);
  w.hub.rooms().change_access(ann.ref, "#nowhere", "carol", true, [&](Result<RoomRecord> x) { r = x; });
  settle();
  EXPECT_EQ(r->refusal(), Refusal::no_such_room);
}

// An account deleted by another process and its name registered again before
// the server read the deletion (auth::AccountDeletion): the sessions of the
// deleted account are logged out and the rooms forget it, while a session
// whose login came after the deletion (it saw that number) stays logged in.
// Told the same deletion again (a DROP here, then the store's record of it),
// nothing more happens.
TEST_P(HubAccountDataTest, ADeletionEndsOnlyTheLoginsMadeBeforeIt) {
  Person& old_ann = w.enter(loop(0), "ann", {"den"});
  Person& bob = w.enter(loop(1), "bob", {"den"});
  ASSERT_TRUE(w.hub.presence().set_account(old_ann.ref, "ann", 3).ok());
  log_in(bob, "bob");
  std::optional<Result<RoomRecord>> r;
  w.hub.rooms().register_room(old_ann.ref, "#den", [&](Result<RoomRecord> x) { r = x; });
  settle();
  ASSERT_TRUE(r && r->ok());
  w.hub.rooms().change_access(old_ann.ref, "#den", "bob", true, [&](Result<RoomRecord> x) { r = x; });
  settle();
  ASSERT_TRUE(r->ok());
  Person& new_ann = w.enter(loop(2), "ann_new", {});
  ASSERT_TRUE(w.hub.presence().set_account(new_ann.ref, "Ann", 5).ok());  // after deletion 5
  settle();

  for (int told = 0; told < 2; ++told) {
    SCOPED_TRACE(told == 0 ? "first" : "told again");
    const auto lines_before = log.size();
    w.hub.account_deleted("ann", 5, "The account ann was deleted.");
    settle();
    EXPECT_EQ(old_ann.member.logged_out, std::vector<std::string>{"The account ann was deleted."});
    EXPECT_EQ(w.hub.identity_of(old_ann.ref).presence.account, "");
    EXPECT_TRUE(new_ann.member.logged_out.empty());
    EXPECT_EQ(w.hub.identity_of(new_ann.ref).presence.account, "Ann");
    ASSERT_FALSE(records.rooms.empty());
    EXPECT_EQ(records.rooms.back().founder, "bob");
    EXPECT_TRUE(records.rooms.back().operators.empty());
    EXPECT_EQ(log.size(), lines_before + (told == 0 ? 1u : 0u)) << "the room says it once";
  }
  // The new account's founder rights are its own: it may register a room.
  Person& again = w.enter(loop(0), "ann_again", {"nook"});
  ASSERT_TRUE(w.hub.presence().set_account(again.ref, "ann", 5).ok());
  w.hub.rooms().register_room(again.ref, "#nook", [&](Result<RoomRecord> x) { r = x; });
  settle();
  ASSERT_TRUE(r && r->ok());
  w.hub.rooms().change_access(new_ann.ref, "#den", "carol", true, [&](Result<RoomRecord> x) { r = x; });
  settle();
  EXPECT_EQ(r->refusal(), Refusal::not_founder) << "the deleted account's room is not the new one's";
}

INSTANTIATE_TEST_SUITE_P(Loops, HubAccountDataTest, ::testing::Values(1u, 3u),
                         [](const ::testing::TestParamInfo<LoopIndex>& info) {
                           return std::to_string(info.param) + "_loops";
                         });

}  // namespace
}  // namespace parley::core
