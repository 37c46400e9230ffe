// Lookups of other nodes' users (issue 16; docs/cluster.md, "Lookups across
// nodes"): real parleyd nodes joined through a real redis-server on loopback.
// WHOIS of a user on another node shows what it would on one server (its
// rooms as the asker may see them, its idle and sign-on time), and a node
// that does not answer in time costs the asker the deadline, not its answer.
// WHO of a mask lists every node's users, and WHOWAS remembers names left on
// any node. A private line taken back is taken back on every node. LIST (and
// the text /rooms) on any node lists every node's rooms, each once.

#include <sys/wait.h>

#include <algorithm>
#include <cerrno>
#include <chrono>
#include <csignal>
#include <string>
#include <thread>
#include <vector>

#include "cluster_fixture.hpp"
#include "irc_itest_util.hpp"

namespace parley::test {
namespace {

using std::chrono::system_clock;

const std::string kOperator = "[[irc.operators]]\nname = \"root\"\npassword = \"sesame\"\n";
constexpr const char* kRedactCaps = "draft/message-redaction message-tags echo-message server-time batch draft/chathistory";

long long unix_seconds() {
  return std::chrono::duration_cast<std::chrono::seconds>(system_clock::now().time_since_epoch()).count();
}

// The lines of one WHOIS, through its 318.
std::vector<IrcMessage> whois(IrcClient& asker, const std::string& nick) {
  asker.send("WHOIS " + nick);
  std::vector<IrcMessage> lines;
  IrcMessage end;
  EXPECT_TRUE(asker.wait_for_command("318", &end, &lines));
  lines.push_back(end);
  return lines;
}

std::vector<IrcMessage> numerics(const std::vector<IrcMessage>& lines, std::string_view command) {
  std::vector<IrcMessage> out;
  std::copy_if(lines.begin(), lines.end(), std::back_inserter(out), [&](const IrcMessage& m) { return m.is(command); });
  return out;
}

// Whether Redis has let the lease of the folded name `key` go (a name given
// up on one node is free on the others once it has), within the deadline.
bool name_free(RedisProcess& redis, const std::string& key) {
  const auto deadline = Clock::now() + default_timeout();
  while (Clock::now() < deadline) {
    if (redis.command({"EXISTS", "parley:name:" + key}) == std::optional<std::string>(":0")) return true;
    std::this_thread::sleep_for(std::chrono::milliseconds(10));  // polling Redis, which tells nobody
  }
  return false;
}

// Each of `clients` joins `room` on its own node, and the first one hears the
// others arrive (so every node follows the room and knows them all).
void join_all(const std::string& room, const std::vector<IrcClient*>& clients) {
  for (IrcClient* c : clients) {
    ASSERT_TRUE(c->join(room));
    if (c == clients.front()) continue;
    ASSERT_TRUE(clients.front()->wait_for([&](const IrcMessage& m) {
      return m.is("JOIN") && m.source_nick() == c->nick() && m.param(0) == room;
    }, c->nick() + " joins " + room));
  }
}

// WHOIS of a user on another node lists its rooms, in the order it joined
// them, with its roles, leaving out a secret room the asker is not in
// (shown to a server operator); its idle and sign-on time are its node's.
// The text /whois shows the same rooms.
TEST_F(Cluster, WhoisOfAUserOnAnotherNodeShowsItsRoomsAndTimes) {
  auto a = start_node("a", kOperator);
  auto b = start_node("b", kOperator);
  auto ann = irc_user(*a, "ann");
  const long long before_bob = unix_seconds();
  auto bob = connect_irc(b->irc_port(), "bob");
  ASSERT_TRUE(bob->register_as("bob", IrcRegisterOptions{.user = "bobu", .real_name = "Bob Real", .caps = {},
                                                          .cap_ls = false}));
  const long long bob_in = unix_seconds();

  join_all("#garden", {ann.get(), bob.get()});  // ann's: bob is no operator there
  join_all("#den", {bob.get(), ann.get()});     // bob's, made secret below, ann in it too
  bob->send("MODE #den +s");
  ASSERT_TRUE(ann->wait_for([](const IrcMessage& m) { return m.is("MODE") && m.param(1) == "+s"; }, "+s on #den"));
  ASSERT_TRUE(bob->join("#vault"));  // secret, without ann
  bob->send("MODE #vault +s");
  ASSERT_TRUE(bob->wait_for([](const IrcMessage& m) { return m.is("MODE") && m.param(0) == "#vault"; }, "+s"));
  ASSERT_TRUE(bob->join("#open"));  // public, without ann
  bob->send("PRIVMSG #garden :hello");
  ASSERT_TRUE(irc_hears(*ann, "hello"));  // bob's node counted it by now
  const long long said = unix_seconds();

  // Sign-on and idle time are counted in seconds: let a whole one go by, so
  // that bob's node's times are told apart from those of the moment asked.
  while (unix_seconds() < said + 2) std::this_thread::sleep_for(std::chrono::milliseconds(50));

  const auto lines = whois(*ann, "bob");
  const auto user = numerics(lines, "311");
  ASSERT_EQ(user.size(), 1u);
  EXPECT_EQ(user[0].param(2), "~bobu");
  EXPECT_EQ(user[0].last(), "Bob Real");
  const auto channels = numerics(lines, "319");
  ASSERT_EQ(channels.size(), 1u) << "bob's rooms";
  EXPECT_EQ(channels[0].last(), "#garden @#den @#open") << "in the order joined; the secret #vault left out";
  const auto idle = numerics(lines, "317");
  ASSERT_EQ(idle.size(), 1u);
  const long long signon = std::stoll(idle[0].param(3));
  EXPECT_GE(signon, before_bob);
  EXPECT_LE(signon, bob_in) << "bob's sign-on, not the time asked";
  EXPECT_GE(std::stoll(idle[0].param(2)), 1) << "idle since bob's last line";

  // A server operator sees the secret room too.
  ann->send("OPER root sesame");
  ASSERT_TRUE(ann->wait_for_command("381"));
  const auto as_operator = numerics(whois(*ann, "bob"), "319");
  ASSERT_EQ(as_operator.size(), 1u);
  EXPECT_EQ(as_operator[0].last(), "#garden @#den @#vault @#open");

  // The text /whois, from a text user on a in none of them.
  auto cat = connect(*a, "cat");
  ASSERT_TRUE(cat->register_as("cat"));
  cat->send_line("/whois bob");
  EXPECT_TRUE(text_reads(*cat, "bob (IRC: bob!~bobu@" + user[0].param(3) +
                                   "): on IRC, real name Bob Real; in #garden, #open (operator)"));
}

// A node that does not answer (frozen) costs a WHOIS the deadline, not its
// answer: what Redis has of the user, without rooms.
TEST_F(Cluster, WhoisOfAUserOnAFrozenNodeAnswersWithWhatRedisHas) {
  const std::string patient = "node_timeout_seconds = 60\n";
  auto a = start_node("a", patient);
  auto b = start_node("b", patient);
  auto ann = irc_user(*a, "ann");
  auto bob = irc_user(*b, "bob");
  ASSERT_TRUE(bob->join("#garden"));
  ASSERT_EQ(numerics(whois(*ann, "bob"), "319").size(), 1u) << "b answers while it runs";

  // Stopped for sure before it is asked: SIGSTOP takes effect as the kernel
  // next schedules the node's threads, which a loaded machine may delay.
  b->send_signal(SIGSTOP);
  int status = 0;
  while (::waitpid(b->pid(), &status, WUNTRACED) < 0 && errno == EINTR) {
  }
  ASSERT_TRUE(WIFSTOPPED(status));
  const auto asked = std::chrono::steady_clock::now();
  const auto lines = whois(*ann, "bob");
  const auto waited = std::chrono::steady_clock::now() - asked;
  b->send_signal(SIGCONT);
  EXPECT_EQ(numerics(lines, "311").size(), 1u) << "bob, as Redis has him";
  EXPECT_EQ(numerics(lines, "319").size(), 0u) << "no rooms: b did not say";
  EXPECT_EQ(numerics(lines, "317").size(), 1u);
  EXPECT_LT(waited, std::chrono::seconds(3)) << "the lookup's deadline is a second";
  ASSERT_EQ(numerics(whois(*ann, "bob"), "319").size(), 1u) << "b answers again once resumed";
}

// A private message between nodes, taken back by its sender: the recipient
// on the other node hears the REDACT, and so does every session of either
// account on either node (multiclient); each node's own copy of the line
// (here each keeps its own SQLite) is gone before anyone hears of it.
TEST_F(Cluster, APrivateLineTakenBackIsTakenBackOnEveryNode) {
  auto a = start_node("a");
  auto b = start_node("b");
  // Accounts are each node's own here (no [storage] url): ann and bo have one
  // on both.
  for (auto [nick, node] : {std::pair{"ann", b.get()}, std::pair{"bo", a.get()}}) {
    auto early = irc_user(*node, nick);
    ASSERT_TRUE(new_account(*early));
    early->send("QUIT");
    ASSERT_TRUE(early->expect_closed());
    ASSERT_TRUE(name_free(*redis_, nick)) << nick;
  }
  auto user = [&](ServerProcess& node, const std::string& nick) {
    auto c = connect_irc(node.irc_port(), nick);
    EXPECT_TRUE(c->register_as(nick, IrcRegisterOptions{.caps = kRedactCaps}));
    return c;
  };
  auto identify = [](IrcClient& c, const std::string& account) {
    c.send("PRIVMSG NickServ :IDENTIFY " + account + " sesame!!");
    return c.wait_for_command("900");
  };
  auto ann = user(*a, "ann");
  ASSERT_TRUE(new_account(*ann));
  auto bo = user(*b, "bo");
  ASSERT_TRUE(new_account(*bo));
  auto ann_phone = user(*b, "ann_phone");
  ASSERT_TRUE(identify(*ann_phone, "ann"));
  auto bo_phone = user(*a, "bo_phone");
  ASSERT_TRUE(identify(*bo_phone, "bo"));
  auto cy = user(*b, "cy");
  ASSERT_TRUE(new_account(*cy));

  ann->send("PRIVMSG bo :between us");
  const std::string id = msgid_of(*ann, "between us");
  ASSERT_FALSE(id.empty());
  ASSERT_EQ(msgid_of(*bo, "between us"), id);
  ASSERT_EQ(history_texts(*bo, "ann"), (std::vector<std::string>{"between us"})) << "b keeps its copy";

  ann->send("REDACT bo " + id + " :typo");
  const std::string redact = ":" + prefix_of("ann") + " REDACT bo " + id + " :typo";
  IrcMessage seen;
  ASSERT_TRUE(ann->wait_for_command("REDACT", &seen));
  EXPECT_EQ(body_of(seen), redact);
  ASSERT_TRUE(bo->wait_for_command("REDACT", &seen)) << "the recipient, on the other node";
  EXPECT_EQ(body_of(seen), redact);
  ASSERT_TRUE(ann_phone->wait_for_command("REDACT", &seen)) << "the sender's other session, on the other node";
  EXPECT_EQ(body_of(seen), redact);
  ASSERT_TRUE(bo_phone->wait_for_command("REDACT", &seen)) << "the recipient's other session, on the sender's node";
  EXPECT_EQ(body_of(seen), ":" + prefix_of("ann") + " REDACT bo_phone " + id + " :typo");
  EXPECT_TRUE(history_texts(*bo, "ann").empty()) << "gone from b's history";
  EXPECT_TRUE(history_texts(*ann, "bo").empty()) << "gone from a's history";
  // Each once, and nobody else.
  for (IrcClient* c : {ann.get(), bo.get(), ann_phone.get(), bo_phone.get(), cy.get()}) {
    std::vector<IrcMessage> later;
    ASSERT_TRUE(c->sync(&later)) << c->label();
    for (const auto& m : later) EXPECT_FALSE(m.is("REDACT")) << c->label() << ": " << m.raw;
  }
}

// The nicks of one WHO's 352s (or WHOX 354s, whose last field is the nick).
std::vector<std::string> who_nicks(IrcClient& asker, const std::string& query) {
  asker.send("WHO " + query);
  std::vector<IrcMessage> lines;
  EXPECT_TRUE(asker.wait_for_command("315", nullptr, &lines));
  std::vector<std::string> nicks;
  for (const auto& m : lines) {
    if (m.is("352")) nicks.push_back(m.param(5));
    if (m.is("354")) nicks.push_back(m.params.back());
  }
  return nicks;
}

// WHO of a nick mask lists the users of every node it matches, sorted by
// nick, as one server would: an invisible user on another node only to an
// asker who shares a room with it (there or here); WHOX too.
TEST_F(Cluster, WhoOfAMaskListsTheUsersOfEveryNode) {
  auto a = start_node("a");
  auto b = start_node("b");
  auto ann = irc_user(*a, "ann");
  auto amy = irc_user(*a, "amy");
  auto abe = irc_user(*b, "abe");
  auto al = irc_user(*b, "al");
  auto ax = irc_user(*b, "ax");
  auto bob = irc_user(*b, "bob");
  join_all("#garden", {ann.get(), al.get()});
  for (IrcClient* hidden : {al.get(), ax.get()}) {
    hidden->send("MODE " + hidden->nick() + " +i");
    ASSERT_TRUE(hidden->wait_for([](const IrcMessage& m) { return m.is("MODE") && m.last() == "+i"; }, "+i"));
  }
  EXPECT_EQ(who_nicks(*ann, "a*"), (std::vector<std::string>{"abe", "al", "amy", "ann"}))
      << "al shares #garden with ann; ax shares nothing";
  EXPECT_EQ(who_nicks(*ann, "a* %n"), (std::vector<std::string>{"abe", "al", "amy", "ann"}));
  EXPECT_EQ(who_nicks(*ax, "a*"), (std::vector<std::string>{"abe", "amy", "ann", "ax"}))
      << "from b: a's users, and ax itself";
  EXPECT_EQ(who_nicks(*amy, "*!~u@*"), (std::vector<std::string>{"abe", "amy", "ann", "bob"}));
  EXPECT_TRUE(who_nicks(*amy, "z*").empty());
}

// The 314s of one WHOWAS (with `count` when not empty), through its 369.
std::vector<IrcMessage> whowas(IrcClient& asker, const std::string& nick, const std::string& count = {}) {
  asker.send("WHOWAS " + nick + (count.empty() ? "" : " " + count));
  std::vector<IrcMessage> lines;
  EXPECT_TRUE(asker.wait_for_command("369", nullptr, &lines));
  return numerics(lines, "314");
}

// WHOWAS on one node remembers names left (by quitting or renaming) on the
// others too, newest first with its own, and `count` of them.
TEST_F(Cluster, WhowasRemembersNamesLeftOnEveryNode) {
  auto a = start_node("a");
  auto b = start_node("b");
  auto ann = irc_user(*a, "ann");
  // Each node records a name left as it is given up: asked until it shows.
  auto whowas_shows = [&](const std::string& nick, std::size_t entries) {
    const auto deadline = Clock::now() + default_timeout();
    while (Clock::now() < deadline) {
      if (whowas(*ann, nick).size() == entries) return true;
    }
    return false;
  };
  auto leaves = [](ServerProcess& node, const std::string& nick, const std::string& real_name) {
    auto c = connect_irc(node.irc_port(), nick);
    ASSERT_TRUE(c->register_as(nick, IrcRegisterOptions{.user = "u", .real_name = real_name, .caps = {}, .cap_ls = false}));
    c->send("QUIT :bye");
    ASSERT_TRUE(c->expect_closed());
  };
  leaves(*b, "dan", "Dan on b");
  ASSERT_TRUE(whowas_shows("dan", 1)) << "dan left on b";
  auto left = whowas(*ann, "dan");
  ASSERT_EQ(left.size(), 1u);
  EXPECT_EQ(left[0].param(1), "dan");
  EXPECT_EQ(left[0].param(2), "~u");
  EXPECT_EQ(left[0].last(), "Dan on b");

  auto eve = irc_user(*b, "eve");
  eve->send("NICK eve2");
  ASSERT_TRUE(eve->wait_for_command("NICK"));
  ASSERT_TRUE(whowas_shows("eve", 1)) << "eve renamed on b";

  ASSERT_TRUE(name_free(*redis_, "dan"));
  leaves(*a, "dan", "Dan on a");
  ASSERT_TRUE(whowas_shows("dan", 2));
  left = whowas(*ann, "dan");
  ASSERT_EQ(left.size(), 2u);
  EXPECT_EQ(left[0].last(), "Dan on a") << "newest first";
  EXPECT_EQ(left[1].last(), "Dan on b");
  left = whowas(*ann, "dan", "1");
  ASSERT_EQ(left.size(), 1u);
  EXPECT_EQ(left[0].last(), "Dan on a");

  ann->send("WHOWAS nobody");
  ASSERT_TRUE(ann->wait_for_command("406"));
  ASSERT_TRUE(ann->wait_for_command("369"));
}

// The channels of one LIST, through its 323: "#name count topic" each.
std::vector<std::string> list(IrcClient& asker) {
  asker.send("LIST");
  std::vector<IrcMessage> lines;
  EXPECT_TRUE(asker.wait_for_command("323", nullptr, &lines));
  std::vector<std::string> out;
  for (const auto& m : numerics(lines, "322")) {
    const std::string topic = m.params.size() > 3 ? m.param(3) : "";  // an empty trailing one may be left out
    out.push_back(m.param(1) + " " + m.param(2) + " " + topic);
  }
  return out;
}

// LIST on a node lists the rooms whose members are all on other nodes, with
// their whole count and topic; a room several nodes follow comes once. The
// text /rooms lists them too.
TEST_F(Cluster, ListOnAnyNodeShowsTheRoomsOfEveryNodeOnce) {
  auto a = start_node("a");
  auto b = start_node("b");
  auto c = start_node("c");
  auto ann = irc_user(*a, "ann");
  auto al = irc_user(*a, "al");
  auto bob = irc_user(*b, "bob");
  auto cat = irc_user(*c, "cat");
  join_all("#garden", {ann.get(), al.get(), bob.get()});  // followed by a and b
  ann->send("TOPIC #garden :roses and tulips");
  ASSERT_TRUE(bob->wait_for([](const IrcMessage& m) { return m.is("TOPIC"); }, "the topic, on b"));
  ASSERT_TRUE(bob->join("#pond"));   // b's only
  ASSERT_TRUE(cat->join("#cellar"));  // c's only

  const std::vector<std::string> all = {"#cellar 1 ", "#garden 3 roses and tulips", "#pond 1 "};
  EXPECT_EQ(list(*cat), all) << "c has members in #cellar only";
  EXPECT_EQ(list(*ann), all) << "#garden once, though a and b both follow it";
  EXPECT_EQ(list(*bob), all);

  // Text users: one on b, one on c, both in the default room.
  auto tom = text_user(*b, "tom");
  auto uma = text_user(*c, "uma");
  ASSERT_TRUE(text_hears(*tom, "ready uma")) << "b has uma in #lobby too";
  uma->send_line("/rooms");
  EXPECT_TRUE(text_reads(*uma, "Rooms (4): #cellar (1), #garden (3), #lobby (2), #pond (1)"));
  EXPECT_EQ(list(*ann), (std::vector<std::string>{"#cellar 1 ", "#garden 3 roses and tulips", "#lobby 2 ", "#pond 1 "}))
      << "a has nobody in #lobby";
}

// A secret room is listed to its members only, across nodes too: not to an
// outsider on a node without members in it, nor to an outsider on a node
// with some.
TEST_F(Cluster, ListShowsASecretRoomOfAnotherNodeToItsMembersOnly) {
  auto a = start_node("a");
  auto b = start_node("b");
  auto c = start_node("c");
  auto ann = irc_user(*a, "ann");
  auto amy = irc_user(*a, "amy");
  auto bob = irc_user(*b, "bob");
  auto cat = irc_user(*c, "cat");
  join_all("#vault", {bob.get(), ann.get()});
  bob->send("MODE #vault +s");
  ASSERT_TRUE(ann->wait_for([](const IrcMessage& m) { return m.is("MODE") && m.param(1) == "+s"; }, "+s on a"));
  ASSERT_TRUE(bob->join("#open"));

  EXPECT_EQ(list(*cat), (std::vector<std::string>{"#open 1 "})) << "c follows neither";
  EXPECT_EQ(list(*amy), (std::vector<std::string>{"#open 1 "})) << "a follows #vault, amy is not in it";
  EXPECT_EQ(list(*ann), (std::vector<std::string>{"#open 1 ", "#vault 2 "}));
  EXPECT_EQ(list(*bob), (std::vector<std::string>{"#open 1 ", "#vault 2 "}));
}

// A node that does not answer (frozen) costs LIST the deadline, not its
// answer: the other nodes' rooms are listed, without the frozen node's.
TEST_F(Cluster, ListWithAFrozenNodeListsTheOthersRoomsWithinTheDeadline) {
  const std::string patient = "node_timeout_seconds = 60\n";
  auto a = start_node("a", patient);
  auto b = start_node("b", patient);
  auto c = start_node("c", patient);
  auto ann = irc_user(*a, "ann");
  auto bob = irc_user(*b, "bob");
  auto cat = irc_user(*c, "cat");
  ASSERT_TRUE(ann->join("#garden"));
  ASSERT_TRUE(bob->join("#pond"));
  ASSERT_EQ(list(*cat), (std::vector<std::string>{"#garden 1 ", "#pond 1 "})) << "while b runs";

  // Stopped for sure before it is asked (as in the frozen WHOIS test).
  b->send_signal(SIGSTOP);
  int status = 0;
  while (::waitpid(b->pid(), &status, WUNTRACED) < 0 && errno == EINTR) {
  }
  ASSERT_TRUE(WIFSTOPPED(status));
  const auto asked = std::chrono::steady_clock::now();
  const auto listed = list(*cat);
  const auto waited = std::chrono::steady_clock::now() - asked;
  b->send_signal(SIGCONT);
  EXPECT_EQ(listed, (std::vector<std::string>{"#garden 1 "})) << "a's room; b did not say";
  EXPECT_GE(waited, std::chrono::milliseconds(900)) << "b heard the request: c waited for it";
  EXPECT_LT(waited, std::chrono::seconds(3)) << "the lookup's deadline is a second";
  EXPECT_EQ(list(*cat), (std::vector<std::string>{"#garden 1 ", "#pond 1 "})) << "b answers again once resumed";
}

// As a room's line (cluster_test.cpp), a private line to someone on another
// node is in the history its sender reads right after sending it, both in
// one write, again and again.
TEST_F(Cluster, APrivateHistoryReadRightAfterSendingHoldsTheLineJustSent) {
  auto a = start_node("a");
  auto b = start_node("b");
  auto ann = connect_irc(a->irc_port(), "ann");
  ASSERT_TRUE(ann->register_as("ann", IrcRegisterOptions{.caps = "batch server-time message-tags draft/chathistory"}));
  ASSERT_TRUE(new_account(*ann));
  auto bo = irc_user(*b, "bo");
  ASSERT_TRUE(new_account(*bo));
  for (int round = 0; round < 10; ++round) {
    SCOPED_TRACE("round " + std::to_string(round));
    const std::string said = "only to bo " + std::to_string(round);
    ann->send_raw("PRIVMSG bo :" + said + "\r\nCHATHISTORY LATEST bo * 1\r\n");
    EXPECT_EQ(batch_texts(*ann), std::vector<std::string>{said});
    ASSERT_TRUE(bo->wait_for([&](const IrcMessage& m) { return m.is("PRIVMSG") && m.last() == said; }, said));
  }
}

}  // namespace
}  // namespace parley::test
