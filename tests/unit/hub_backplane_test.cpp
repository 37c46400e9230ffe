// core: the backplane's attachment (core/backplane.h, issue 16). A message the
// backplane shares reaches nobody from its room's home loop: it goes to the
// backplane, and members hear it when the backplane hands it back, in the
// order the backplane gives (the cluster's), as they hear other nodes'.
// Loops are run by hand.
#include <gtest/gtest.h>

#include <algorithm>
#include <cstdint>
#include <functional>
#include <iterator>
#include <memory>
#include <set>
#include <string>
#include <vector>

#include "core/hub.h"
#include "memory_history.h"
#include "test_support.h"

namespace parley::core {
namespace {

using parley::testing::ManualPoster;
using parley::testing::MemoryHistory;
using Lines = std::vector<std::string>;

// A backplane that holds what it is given until the test hands it back.
class HeldBackplane final : public Backplane {
 public:
  void attach(OrderedDelivery d) override { deliver = std::move(d); }
  bool shares(const RoomEvent& ev) const override {
    return ev.as<RoomEvent::Said>() != nullptr || (share_joins && ev.as<RoomEvent::Joined>() != nullptr);
  }
  void publish(Room::EventPtr ev, Ticket ticket) override { held.push_back({std::move(ev), ticket}); }
  void room_in_use(const std::string& key, bool in_use) override {
    uses.push_back(key + (in_use ? " in use" : " unused"));
  }
  void lease_name(SessionRef, const std::string& key, std::function<void(bool)> answer) override {
    answer(!elsewhere.contains(key));
  }
  void name_settled(SessionRef, const std::string& key, bool taken) override {
    names.push_back(key + (taken ? " taken" : " not taken"));
  }
  void names_released(SessionRef) override { names.push_back("released"); }
  void attach_private(std::function<void(PrivateMessage, std::string)> d) override { deliver_private = std::move(d); }
  void attach_lost_name(std::function<void(SessionRef, std::string)> lost) override { lose = std::move(lost); }
  void attach_private_redaction(std::function<void(PrivateRedaction, std::string)> r) override {
    redact = std::move(r);
  }
  void attach_rejoin(std::function<void(std::shared_ptr<const Netjoin>)> r) override { rejoin = std::move(r); }
  void attach_netsplit_over(std::function<void(std::string, std::uint64_t)> over) override {
    netsplit_over = std::move(over);
  }
  void send_private(const PrivateMessage& pm, const std::string& key,
                    std::function<void(SharedIdentity)> answer) override {
    sent.push_back(key + ": " + pm.text);
    answer(remote_user(key));
  }
  void find_remote(const std::string& key, std::function<void(SharedIdentity)> answer) override {
    answer(remote_user(key));
  }
  void remote_details(const std::string& key, const LookupAsker& asker,
                      std::function<void(RemoteDetails)> answer) override {
    askers.push_back(asker);
    RemoteDetails found{remote_user(key), std::nullopt};
    if (found.identity && answering) {
      found.details = UserDetails{*found.identity, {{"den", true, false}}, WallTime(std::chrono::seconds(1000)),
                                  WallTime(std::chrono::seconds(1500)), WallTime(std::chrono::seconds(1600))};
    }
    answer(std::move(found));
  }
  void remote_users(const std::string& mask, std::size_t max, const LookupAsker&,
                    std::function<void(std::vector<Identity>)> answer) override {
    masks.push_back(mask + " " + std::to_string(max));
    std::vector<Identity> users;
    for (const auto& key : elsewhere) users.push_back(*remote_user(key));
    answer(std::move(users));
  }
  void remote_rooms(std::function<void(std::vector<RoomSummary>)> answer) override { answer(other_rooms); }
  void attach_lookups(RemoteLookups l) override { lookups = std::move(l); }
  void name_left(const PastUser& past, const std::vector<std::string>& keys) override {
    std::string line = past.identity.nick + " left";
    for (const auto& k : keys) line += " " + k;
    left.push_back(line);
  }
  void remote_past(const std::string& key, std::size_t count,
                   std::function<void(std::vector<PastUser>)> answer) override {
    std::vector<PastUser> found;
    if (key == "dan") {
      Identity dan;
      dan.display = dan.nick = "dan";
      dan.real_name = "on b, long ago";
      found.push_back({dan, std::chrono::system_clock::time_point{}});
      dan.real_name = "on b, in the future";
      found.push_back({dan, std::chrono::system_clock::now() + std::chrono::hours(1)});
    }
    if (found.size() > count) found.resize(count);
    answer(std::move(found));
  }
  SharedIdentity remote_user(const std::string& key) const {
    if (!elsewhere.contains(key)) return nullptr;
    auto id = std::make_shared<Identity>();
    id->display = id->nick = key;
    id->presence.away = "away on b";
    return id;
  }
  std::function<void(PrivateMessage, std::string)> deliver_private;
  std::function<void(SessionRef, std::string)> lose;
  std::function<void(PrivateRedaction, std::string)> redact;
  std::function<void(std::shared_ptr<const Netjoin>)> rejoin;
  std::function<void(std::string, std::uint64_t)> netsplit_over;
  bool share_joins = false;
  Lines sent;
  struct Held {
    Room::EventPtr event;
    Ticket ticket;
  };
  OrderedDelivery deliver;
  std::vector<Held> held;
  Lines uses;
  std::set<std::string> elsewhere;  // names other nodes hold
  bool answering = true;            // whether their nodes answer lookups
  Lines masks;                      // WHO masks asked of them, with the bound
  std::vector<RoomSummary> other_rooms;  // the rooms they follow, as they answer LIST
  RemoteLookups lookups;                 // how this node answers theirs
  Lines left;                       // names left here, as told
  std::vector<LookupAsker> askers;
  Lines names;
};

class Log final : public Member {
 public:
  Log(Lines& lines, std::string name) : lines_(lines), name_(std::move(name)) {}
  void on_room_event(const RoomEvent& ev, RenderCache&) override {
    const auto* said = ev.as<RoomEvent::Said>();
    const std::string what = said                              ? ev.by().display + ": " + said->text
                             : ev.as<RoomEvent::Joined>()      ? ev.by().display + " joined " + ev.room
                             : ev.as<RoomEvent::Left>()        ? ev.by().display + " left " + ev.room
                                                               : std::string("other");
    lines_.push_back(name_ + " hears " + what);
  }
  void on_netsplit(const Netsplit& split, const std::vector<NetsplitQuit>& quits) override {
    // Rooms homed on different loops: their quits come in either order.
    Lines each;
    for (const auto& q : quits) each.push_back(q.event->by().display + " in " + q.event->room);
    std::sort(each.begin(), each.end());
    std::string line = name_ + " hears " + split.lost + " split:";
    for (const auto& e : each) line += " " + e;
    lines_.push_back(line);
  }
  void on_netjoin(const Netjoin& netjoin, const std::vector<NetjoinJoin>& joins) override {
    Lines each;
    for (const auto& j : joins) {
      const Rejoin& r = *j.event->as<RoomEvent::Joined>()->rejoin;
      each.push_back(j.event->by().display + (r.op ? " (op)" : "") + " in " + j.event->room);
    }
    std::sort(each.begin(), each.end());
    std::string line = name_ + " hears " + netjoin.back + " join:";
    for (const auto& e : each) line += " " + e;
    lines_.push_back(line);
  }
  void on_private_message(const PrivateMessage& pm) override {
    lines_.push_back(name_ + " gets " + pm.sender->display + ": " + pm.text);
  }
  void on_name_lost(const Identity& lost) override {
    lines_.push_back(name_ + " lost " + lost.nick);
    if (when_lost) when_lost();
  }
  void on_private_redaction(const PrivateRedaction& r) override {
    lines_.push_back(name_ + " hears " + r.sender->nick + " took back " + r.msgid);
  }
  std::function<void()> when_lost;  // a codec claims another name here

 private:
  Lines& lines_;
  std::string name_;
};

class BackplaneHook : public ::testing::TestWithParam<LoopIndex> {
 protected:
  void SetUp() override { hub.set_backplane(&cluster); }
  void enter(LoopIndex loop, const std::string& name) {
    members.push_back(std::make_unique<Log>(lines, name));
    refs.push_back(hub.attach(loop % GetParam(), *members.back()));
    hub.claim_name(refs.back(), name, [](Result<Identity>) {});
    poster.run_all();
    EXPECT_TRUE(hub.rooms().join(refs.back(), "garden").ok());
    poster.run_all();
    lines.clear();
  }
  void TearDown() override {
    for (auto ref : refs) hub.detach(ref, {});
    poster.run_all();
  }

  ManualPoster poster{GetParam()};
  Hub hub{poster, {}};
  HeldBackplane cluster;
  MemoryHistory history;  // the hub's only when a test sets it
  Lines lines;
  std::vector<std::unique_ptr<Log>> members;
  std::vector<SessionRef> refs;
};

INSTANTIATE_TEST_SUITE_P(Loops, BackplaneHook, ::testing::Values(1u, 3u),
                         [](const auto& info) { return std::to_string(info.param) + "loops"; });

TEST_P(BackplaneHook, MembersHearASharedMessageInTheOrderTheClusterGives) {
  enter(0, "zoe");
  enter(1, "amy");
  ASSERT_TRUE(hub.rooms().say(refs[0], "garden", Speech::message, "one").ok());
  ASSERT_TRUE(hub.rooms().say(refs[1], "garden", Speech::message, "two").ok());
  poster.run_all();
  EXPECT_TRUE(lines.empty()) << "nobody hears it before the cluster has ordered it";
  ASSERT_EQ(cluster.held.size(), 2u);
  // The cluster put amy's first.
  cluster.deliver({cluster.held[1].event, cluster.held[1].ticket});
  cluster.deliver({cluster.held[0].event, cluster.held[0].ticket});
  poster.run_all();
  EXPECT_EQ(lines, (Lines{"zoe hears amy: two", "amy hears amy: two", "zoe hears zoe: one", "amy hears zoe: one"}));
}

// A line is recorded when the cluster hands it back in the room's order. A
// read its speaker asks for in a later command waits until then, as that
// command's answer waits (replies in command order): it holds the line.
TEST_P(BackplaneHook, AHistoryReadWaitsForTheReadersEarlierLineToBeOrdered) {
  history.answer_at_once = true;
  hub.set_history(&history, {});
  enter(0, "zoe");
  enter(1, "amy");
  hub.begin_command(refs[0]);
  ASSERT_TRUE(hub.rooms().say(refs[0], "garden", Speech::message, "one").ok());
  EXPECT_FALSE(hub.end_command(refs[0]));
  std::vector<std::string> read;
  HistoryQuery latest;
  latest.target = "garden";
  hub.begin_command(refs[0]);
  hub.history().read(refs[0], latest, [&](Result<std::vector<HistoryLine>> r) {
    ASSERT_TRUE(r.ok());
    for (const auto& line : r.value()) read.push_back(line.text);
  });
  hub.end_command(refs[0]);
  // Amy's read, with nothing of hers before it, is made at once.
  hub.begin_command(refs[1]);
  hub.history().search(refs[1], "garden", SearchQuery{}, [](Result<std::vector<HistoryLine>>) {});
  hub.end_command(refs[1]);
  poster.run_all();
  EXPECT_EQ(history.reads, 1) << "only amy's: zoe's waits for her line";
  ASSERT_EQ(cluster.held.size(), 1u);
  cluster.deliver({cluster.held[0].event, cluster.held[0].ticket});
  poster.run_all();
  EXPECT_EQ(history.reads, 2);
  EXPECT_EQ(read, (std::vector<std::string>{"one"}));
}

TEST_P(BackplaneHook, AnotherNodesMessageReachesTheMembersHere) {
  enter(0, "zoe");
  enter(1, "amy");
  auto remote = std::make_shared<RoomEvent>();
  remote->room = "garden";
  remote->room_key = "garden";
  remote->id = "b-1";
  auto kim = std::make_shared<Identity>();
  kim->display = "kim";
  kim->nick = "kim";
  remote->actor_identity = kim;
  remote->what = RoomEvent::Said{Speech::message, "from b", "", Audience::members, {}, false};
  cluster.deliver({remote, Ticket{}});
  poster.run_all();
  EXPECT_EQ(lines, (Lines{"zoe hears kim: from b", "amy hears kim: from b"}));
}

TEST_P(BackplaneHook, JoinsStayOnTheNodeAndTellTheClusterTheRoomIsInUse) {
  enter(0, "zoe");
  EXPECT_EQ(cluster.uses, (Lines{"garden in use"}));
  enter(1, "amy");
  EXPECT_TRUE(cluster.held.empty()) << "amy's join was not shared";
  EXPECT_TRUE(hub.rooms().part(refs[0], "garden", "").ok());
  EXPECT_TRUE(hub.rooms().part(refs[1], "garden", "").ok());
  poster.run_all();
  EXPECT_EQ(cluster.uses.back(), "garden unused") << "the last member here left";
}

TEST_P(BackplaneHook, ANameAnotherNodeHoldsIsInUseHere) {
  cluster.elsewhere = {"kim"};
  members.push_back(std::make_unique<Log>(lines, "?"));
  const SessionRef who = hub.attach(0, *members.back());
  std::vector<std::string> answers;
  auto note = [&](Result<Identity> r) { 
    answers.push_back(r.ok() ? r.value().display : r.refusal() == Refusal::name_in_use ? "in use" : "refused");
  };
  hub.claim_name(who, "Kim", note);
  poster.run_all();
  hub.claim_name(who, "amy", note);
  poster.run_all();
  EXPECT_EQ(answers, (Lines{"in use", "amy"}));
  EXPECT_EQ(cluster.names, (Lines{"kim not taken", "amy taken"}));
  hub.detach(who, {});
  poster.run_all();
  EXPECT_EQ(cluster.names.back(), "released");
}

// Private messages across nodes: a name nobody here holds goes to the
// backplane, which says who holds it elsewhere (or nobody: no_such_user);
// another node's message reaches the holder here; a lost name is told to
// its holder.
TEST_P(BackplaneHook, PrivateMessagesToOtherNodesGoThroughTheBackplane) {
  cluster.elsewhere = {"kim"};
  enter(0, "zoe");
  enter(1, "amy");
  std::vector<std::string> answers;
  auto note = [&](const Result<Identity>& r) {
    answers.push_back(r.ok() ? r.value().nick + " " + r.value().presence.away : "no such user");
  };
  hub.directory().private_message(refs[0], "kim", Speech::message, "hi kim", note);
  hub.directory().private_message(refs[0], "nobody", Speech::message, "hi?", note);
  hub.directory().private_message(refs[0], "amy", Speech::message, "hi amy", note);
  poster.run_all();
  std::sort(answers.begin(), answers.end());  // each answers its own command: their order is the session layer's
  EXPECT_EQ(answers, (Lines{"amy ", "kim away on b", "no such user"}));
  EXPECT_EQ(cluster.sent, (Lines{"kim: hi kim", "nobody: hi?"})) << "amy is here: not through the backplane";
  EXPECT_EQ(lines, (Lines{"amy gets zoe: hi amy"}));

  lines.clear();
  PrivateMessage from_b;
  from_b.from = SessionRef{kRemoteLoop, 77};
  auto kim = std::make_shared<Identity>();
  kim->display = kim->nick = "kim";
  from_b.sender = kim;
  from_b.text = "hello from b";
  from_b.id = "b-p1";
  cluster.deliver_private(from_b, "amy");
  cluster.deliver_private(from_b, "gone");  // nobody here holds it any more: dropped
  poster.run_all();
  EXPECT_EQ(lines, (Lines{"amy gets kim: hello from b"}));

  answers.clear();
  hub.directory().find_user(refs[0], "kim", note);
  hub.directory().find_user(refs[0], "nobody", note);
  poster.run_all();
  std::sort(answers.begin(), answers.end());
  EXPECT_EQ(answers, (Lines{"kim away on b", "no such user"}));

  lines.clear();
  cluster.lose(refs[1], "zoe");  // not amy's name: nothing
  cluster.lose(refs[1], "amy");
  poster.run_all();
  EXPECT_EQ(lines, (Lines{"amy lost amy"}));
}

// WHOIS of a user on another node is asked of the backplane with what its
// node needs to know of the asker (its rooms, whether it is a server
// operator); its node's answer is the answer, and without one, what Redis
// has, as of now.
TEST_P(BackplaneHook, WhoisOfAnotherNodesUserIsAskedOfItsNode) {
  cluster.elsewhere = {"kim"};
  enter(0, "zoe");
  std::optional<Result<UserDetails>> got;
  auto ask = [&](const std::string& name) {
    got.reset();
    hub.directory().user_details(refs[0], name, [&](Result<UserDetails> r) { got = std::move(r); });
    poster.run_all();
    return got.has_value();
  };
  ASSERT_TRUE(ask("kim"));
  ASSERT_TRUE(got->ok());
  EXPECT_EQ(got->value().identity.nick, "kim");
  ASSERT_EQ(got->value().rooms.size(), 1u);
  EXPECT_EQ(got->value().rooms[0].room, "den");
  EXPECT_EQ(got->value().now - got->value().last_spoke, std::chrono::seconds(100)) << "kim's node's times";
  ASSERT_EQ(cluster.askers.size(), 1u);
  EXPECT_EQ(cluster.askers[0].room_keys, (Lines{"garden"}));
  EXPECT_FALSE(cluster.askers[0].server_operator);

  cluster.answering = false;
  ASSERT_TRUE(ask("kim"));
  ASSERT_TRUE(got->ok());
  EXPECT_EQ(got->value().identity.presence.away, "away on b") << "as Redis has it";
  EXPECT_TRUE(got->value().rooms.empty());
  EXPECT_EQ(got->value().now, got->value().last_spoke);
  EXPECT_EQ(got->value().now, got->value().signed_on);
  ASSERT_TRUE(ask("nobody"));
  EXPECT_EQ(got->refusal(), Refusal::no_such_user);
}

// Another node's sender took back a private line: every session here of
// either account hears of it, and nobody else.
TEST_P(BackplaneHook, AnotherNodesPrivateRedactionReachesBothAccountsHere) {
  enter(0, "zoe");
  enter(1, "amy");
  enter(2, "bea");
  ASSERT_TRUE(hub.presence().set_account(refs[0], "Kim", 0).ok());  // the sender's other session
  ASSERT_TRUE(hub.presence().set_account(refs[1], "amy", 0).ok());  // the account it wrote to
  ASSERT_TRUE(hub.presence().set_account(refs[2], "bea", 0).ok());
  poster.run_all();
  lines.clear();
  auto kim = std::make_shared<Identity>();
  kim->display = kim->nick = "kim";
  kim->presence.account = "kim";
  cluster.redact(PrivateRedaction{kim, "amy", "p9-1", "", WallTime{}, "p9-2"}, "AMY");
  poster.run_all();
  std::sort(lines.begin(), lines.end());
  EXPECT_EQ(lines, (Lines{"amy hears kim took back p9-1", "zoe hears kim took back p9-1"}));
}

// WHO of a mask lists the other nodes' matches with this node's, sorted by
// nick and bounded as one node's list is.
TEST_P(BackplaneHook, WhoOfAMaskAddsOtherNodesUsers) {
  cluster.elsewhere = {"kim", "kai", "zed"};
  enter(0, "kit");
  enter(1, "amy");
  std::vector<std::string> nicks;
  auto list = [&](std::size_t max) {
    nicks.clear();
    hub.directory().find_users(refs[1], "k*", max, [&](Result<std::vector<Identity>> r) {
      ASSERT_TRUE(r.ok());
      for (const auto& who : r.value()) nicks.push_back(who.nick);
    });
    poster.run_all();
  };
  list(200);
  EXPECT_EQ(cluster.masks, (Lines{"k*!*@* 200"})) << "the normalized mask, and the bound";
  // The fake's other nodes answer with everyone they hold; this node sorts and bounds.
  EXPECT_EQ(nicks, (Lines{"kai", "kim", "kit", "zed"}));
  list(2);
  EXPECT_EQ(nicks, (Lines{"kai", "kim"}));
}

// LIST adds the rooms other nodes follow to this node's, each room once (as
// this node has it, when it has it), in the order of one node's list.
TEST_P(BackplaneHook, ListAddsTheRoomsOfOtherNodesOnce) {
  enter(0, "zoe");  // in garden
  cluster.other_rooms = {{"Zoo", 4, "animals", "zoo"},
                         {"garden", 9, "stale", "garden"},
                         {"Attic", 2, "", "attic"},
                         {"Zoo", 4, "animals", "zoo"}};
  std::vector<std::string> listed;
  hub.rooms().list_rooms(refs[0], [&](Result<std::vector<RoomSummary>> r) {
    ASSERT_TRUE(r.ok());
    for (const auto& room : r.value()) listed.push_back(room.room + " " + std::to_string(room.members) + " " + room.topic);
  });
  poster.run_all();
  EXPECT_EQ(listed, (Lines{"Attic 2 ", "garden 1 ", "Zoo 4 animals"}));
}

// Another node's LIST is answered with the rooms that have members here,
// secret ones left out: their members' own nodes list them.
TEST_P(BackplaneHook, ListOfAnotherNodeHasTheRoomsHereThatAreNotSecret) {
  enter(0, "zoe");  // in garden
  enter(1, "amy");
  ASSERT_TRUE(hub.rooms().join(refs[1], "den").ok());
  poster.run_all();
  RoomChange secret;
  secret.setting = RoomSetting::secret;
  hub.rooms().change_settings(refs[1], "den", {secret}, [](Result<std::vector<Room::RefusedChange>>) {});
  ASSERT_TRUE(hub.rooms().set_topic(refs[0], "garden", "roses").ok());
  poster.run_all();
  ASSERT_TRUE(cluster.lookups.rooms);
  std::vector<std::string> answered;
  bool done = false;
  cluster.lookups.rooms([&](std::vector<RoomSummary> rooms) {
    for (const auto& room : rooms) answered.push_back(room.key + " " + std::to_string(room.members) + " " + room.topic);
    done = true;
  });
  poster.run_all();
  ASSERT_TRUE(done);
  EXPECT_EQ(answered, (Lines{"garden 2 roses"})) << "the secret den is left out";
}

// Names left here are told to the backplane; WHOWAS adds the other nodes'
// to this node's, newest first, `count` of them.
TEST_P(BackplaneHook, WhowasAddsNamesLeftOnOtherNodes) {
  enter(0, "dan");
  hub.detach(refs[0], "bye");
  refs.erase(refs.begin());
  poster.run_all();
  EXPECT_EQ(cluster.left, (Lines{"dan left dan"}));
  enter(0, "eve");
  hub.claim_name(refs[0], "eve2", [](Result<Identity>) {});
  poster.run_all();
  EXPECT_EQ(cluster.left, (Lines{"dan left dan", "eve left eve"}));

  std::vector<std::string> seen;
  auto ask = [&](const std::string& name, std::size_t count) {
    seen.clear();
    hub.directory().past_users(refs[0], name, count, [&](Result<std::vector<PastUser>> r) {
      if (!r.ok()) return seen.push_back("nobody");
      for (const auto& p : r.value()) seen.push_back(p.identity.real_name);
    });
    poster.run_all();
  };
  ask("dan", 10);
  EXPECT_EQ(seen, (Lines{"on b, in the future", "dan", "on b, long ago"}));
  ask("dan", 2);
  EXPECT_EQ(seen, (Lines{"on b, in the future", "dan"}));
  ask("nobody", 10);
  EXPECT_EQ(seen, (Lines{"nobody"}));
}

// Netsplits (docs/cluster.md, "Node liveness"): another node's users, whose
// node died, quit in each room they were in; each member here hears the
// quits of its rooms at once, when the backplane says the split is over.
class Netsplits : public BackplaneHook {
 protected:
  // kim, a user of node b, in `room` here.
  void kim_joins(const std::string& room) {
    auto ev = remote_event(room, RoomEvent::Joined{});
    cluster.deliver({ev, Ticket{}});
    poster.run_all();
  }
  std::shared_ptr<RoomEvent> remote_event(const std::string& room, RoomEvent::Payload what) {
    auto ev = std::make_shared<RoomEvent>();
    ev->room = ev->room_key = room;
    ev->id = "b-" + std::to_string(++events);
    ev->actor = kim_ref;
    auto kim = std::make_shared<Identity>();
    kim->display = kim->nick = "kim";
    ev->actor_identity = kim;
    ev->what = std::move(what);
    return ev;
  }
  RoomEvent::Left split_quit() const { return RoomEvent::Left{"a b", true, "", false, split}; }

  const SessionRef kim_ref{kRemoteLoop, 77};
  std::shared_ptr<const Netsplit> split = std::make_shared<Netsplit>(Netsplit{"b~1", "a", "b"});
  // This node's return, when it was taken for dead (as the backplane names it).
  std::shared_ptr<const Netjoin> netjoin = std::make_shared<Netjoin>(Netjoin{"a~1+1", "", "a"});
  // Another node's return (b), as this node receives it.
  std::shared_ptr<const Netjoin> b_back = std::make_shared<Netjoin>(Netjoin{"b~1+1", "a", "b"});
  RoomEvent::Joined kim_again(bool op) const {
    return RoomEvent::Joined{nullptr, true, std::make_shared<Rejoin>(Rejoin{op, false, b_back})};
  }
  int events = 0;
};

INSTANTIATE_TEST_SUITE_P(Loops, Netsplits, ::testing::Values(1u, 3u),
                         [](const auto& info) { return std::to_string(info.param) + "loops"; });

TEST_P(Netsplits, EachMemberHearsTheQuitsOfItsRoomsAtOnce) {
  enter(0, "zoe");
  enter(1, "amy");
  ASSERT_TRUE(hub.rooms().join(refs[0], "pond").ok());
  poster.run_all();
  kim_joins("garden");
  kim_joins("pond");
  lines.clear();
  cluster.deliver({remote_event("garden", split_quit()), Ticket{}});
  cluster.deliver({remote_event("pond", split_quit()), Ticket{}});
  poster.run_all();
  EXPECT_TRUE(lines.empty()) << "held until the split is over";
  cluster.netsplit_over("b~1", 1);
  poster.run_all();
  std::sort(lines.begin(), lines.end());
  EXPECT_EQ(lines, (Lines{"amy hears b split: kim in garden", "zoe hears b split: kim in garden kim in pond"}));
  // Gone from both rooms: what kim says now reaches nobody as a member's.
  lines.clear();
  cluster.netsplit_over("b~1", 2);  // a round with nothing held: nothing
  poster.run_all();
  EXPECT_TRUE(lines.empty());
}

TEST_P(Netsplits, LaterNewsOfARoomWaitsForItsHeldQuits) {
  enter(0, "zoe");
  kim_joins("garden");
  lines.clear();
  cluster.deliver({remote_event("garden", split_quit()), Ticket{}});
  cluster.deliver({remote_event("garden", RoomEvent::Said{Speech::message, "late", "", Audience::members, {}, false}),
                   Ticket{}});
  poster.run_all();
  EXPECT_EQ(lines, (Lines{"zoe hears b split: kim in garden", "zoe hears kim: late"}));
}

// This node was taken for dead while frozen: a survivor's netsplit quits of
// its own sessions mean nothing here; once told, each session announces its
// rooms again (after a rename it was waiting for), which other nodes show
// as a join only where they had shown its quit.
TEST_P(Netsplits, ANodeTakenForDeadAnnouncesItsSessionsAgain) {
  enter(0, "zoe");
  enter(1, "amy");
  cluster.share_joins = true;
  auto own_quit = remote_event("garden", split_quit());
  own_quit->actor = refs[0];
  cluster.deliver({own_quit, Ticket{}});
  cluster.netsplit_over("b~1", 1);
  poster.run_all();
  EXPECT_TRUE(lines.empty()) << "zoe is still here";

  cluster.rejoin(netjoin);
  poster.run_all();
  ASSERT_EQ(cluster.held.size(), 2u) << "zoe and amy announce garden again";
  for (const auto& held : cluster.held) {
    const auto* joined = held.event->as<RoomEvent::Joined>();
    ASSERT_TRUE(joined && joined->again);
    cluster.deliver({held.event, held.ticket});
  }
  poster.run_all();
  EXPECT_TRUE(lines.empty()) << "their own node shows nothing";

  // Another node's user announced again: shown where it had quit, not twice.
  kim_joins("garden");
  lines.clear();
  cluster.deliver({remote_event("garden", RoomEvent::Joined{nullptr, true, nullptr}), Ticket{}});
  poster.run_all();
  EXPECT_TRUE(lines.empty()) << "kim never left garden here";
  cluster.deliver({remote_event("garden", split_quit()), Ticket{}});
  cluster.netsplit_over("b~1", 2);
  cluster.deliver({remote_event("garden", RoomEvent::Joined{nullptr, true, nullptr}), Ticket{}});
  poster.run_all();
  for (const std::string who : {"zoe", "amy"}) {
    Lines heard;
    std::copy_if(lines.begin(), lines.end(), std::back_inserter(heard),
                 [&](const auto& l) { return l.starts_with(who); });
    EXPECT_EQ(heard, (Lines{who + " hears b split: kim in garden", who + " hears kim joined garden"}));
  }
}

// Coming back, a session announces each room with the roles it kept there
// and its node's netjoin; the other nodes restore those roles.
TEST_P(Netsplits, ASessionAnnouncedAgainCarriesItsRolesAndNetjoin) {
  enter(0, "zoe");
  enter(1, "amy");
  ASSERT_TRUE(hub.rooms().join(refs[0], "pond").ok());  // zoe runs pond, as garden
  poster.run_all();
  cluster.share_joins = true;
  cluster.rejoin(netjoin);
  poster.run_all();
  std::vector<std::string> seen;
  for (const auto& held : cluster.held) {
    const auto* joined = held.event->as<RoomEvent::Joined>();
    ASSERT_TRUE(joined && joined->again && joined->rejoin);
    EXPECT_EQ(joined->rejoin->netjoin, netjoin);
    seen.push_back(held.event->by().display + " " + held.event->room + (joined->rejoin->op ? " op" : ""));
  }
  std::sort(seen.begin(), seen.end());
  EXPECT_EQ(seen, (Lines{"amy garden", "zoe garden op", "zoe pond op"}));
}

// Another node coming back: its joins are held as one netjoin until its end,
// each member hearing its rooms' at once; later news of a room sends them first.
TEST_P(Netsplits, ANetjoinsJoinsComeTogetherWithTheirRoles) {
  enter(0, "zoe");
  enter(1, "amy");
  ASSERT_TRUE(hub.rooms().join(refs[0], "pond").ok());
  poster.run_all();
  lines.clear();
  cluster.deliver({remote_event("garden", kim_again(true)), Ticket{}});
  cluster.deliver({remote_event("pond", kim_again(false)), Ticket{}});
  poster.run_all();
  EXPECT_TRUE(lines.empty()) << "held until the netjoin is over";
  cluster.netsplit_over("b~1+1", 1);
  poster.run_all();
  std::sort(lines.begin(), lines.end());
  EXPECT_EQ(lines, (Lines{"amy hears b join: kim (op) in garden", "zoe hears b join: kim (op) in garden kim in pond"}));
  bool asked = false;
  hub.rooms().room_info(refs[1], "garden", [&](Result<RoomSnapshot> r) {
    asked = true;
    ASSERT_TRUE(r.ok());
    auto kim = std::find_if(r.value().entries.begin(), r.value().entries.end(),
                            [](const auto& e) { return e.identity->nick == "kim"; });
    ASSERT_NE(kim, r.value().entries.end());
    EXPECT_TRUE(kim->op) << "kim's role restored here";
  });
  poster.run_all();
  EXPECT_TRUE(asked);

  lines.clear();
  cluster.deliver({remote_event("garden", split_quit()), Ticket{}});
  cluster.netsplit_over("b~1", 2);
  cluster.deliver({remote_event("garden", kim_again(false)), Ticket{}});
  cluster.deliver({remote_event("garden", RoomEvent::Said{Speech::message, "back", "", Audience::members, {}, false}),
                   Ticket{}});
  poster.run_all();
  Lines zoe;
  std::copy_if(lines.begin(), lines.end(), std::back_inserter(zoe), [](const auto& l) { return l.starts_with("zoe"); });
  EXPECT_EQ(zoe, (Lines{"zoe hears b split: kim in garden", "zoe hears b join: kim in garden", "zoe hears kim: back"}))
      << "the join before what follows it in the room";
}

TEST_P(Netsplits, ASessionRenamedFirstAnnouncesItsRoomsAfterwards) {
  enter(0, "zoe");
  cluster.share_joins = true;
  members[0]->when_lost = [&] { hub.claim_name(refs[0], "Guest1", [](Result<Identity>) {}); };
  cluster.lose(refs[0], "zoe");  // its name went to another node meanwhile
  cluster.rejoin(netjoin);
  poster.run_all();
  ASSERT_EQ(cluster.held.size(), 1u) << "garden announced again, once";
  EXPECT_EQ(cluster.held[0].event->by().nick, "Guest1") << "under the name it keeps";
}

}  // namespace
}  // namespace parley::core
