// A node of the cluster found dead (docs/cluster.md, "Node liveness"): its
// users' quits reach IRC clients with `batch` as one IRCv3 netsplit batch,
// others as plain QUITs; and a node that was only frozen past the timeout
// comes back: its users join their rooms again (renamed first where another
// node took their name meanwhile), in one IRCv3 netjoin batch for clients
// with `batch`, with the roles their node kept, and the rooms' traffic flows
// both ways.

#include <algorithm>
#include <csignal>
#include <set>
#include <string>
#include <vector>

#include "cluster_fixture.hpp"
#include "irc_itest_util.hpp"

namespace parley::test {
namespace {

// Nodes find a silent one dead within a second.
const std::string kFastDeath = "heartbeat_seconds = 0.2\nnode_timeout_seconds = 1\n";

std::unique_ptr<IrcClient> irc_user_with(const ServerProcess& node, const std::string& nick, const std::string& caps) {
  auto client = connect_irc(node.irc_port(), nick);
  EXPECT_TRUE(client->register_as(nick, IrcRegisterOptions{.caps = caps}));
  return client;
}

// `client` sees `nick` join `channel`.
::testing::AssertionResult sees_join(IrcClient& client, const std::string& nick, const std::string& channel,
                                     std::vector<IrcMessage>* skipped = nullptr) {
  return client.wait_for(
      [&](const IrcMessage& m) { return m.is("JOIN") && m.source_nick() == nick && m.param(0) == channel; },
      nick + " joining " + channel, nullptr, skipped);
}

// The nicks of a channel's NAMES reply, prefixes left out.
std::set<std::string> names_of(IrcClient& client, const std::string& channel) {
  client.send("NAMES " + channel);
  std::set<std::string> nicks;
  IrcMessage m;
  while (client.wait_for([](const IrcMessage& x) { return x.is("353") || x.is("366"); }, "NAMES", &m) && m.is("353")) {
    std::string list = m.last();
    for (std::size_t at = 0; at < list.size();) {
      const auto end = std::min(list.find(' ', at), list.size());
      std::string nick = list.substr(at, end - at);
      while (!nick.empty() && (nick[0] == '@' || nick[0] == '+')) nick.erase(0, 1);
      if (!nick.empty()) nicks.insert(nick);
      at = end + 1;
    }
  }
  return nicks;
}

// The NAMES reply's lines for `channel`, prefixes kept, joined by spaces.
std::string names_line(IrcClient& client, const std::string& channel) {
  client.send("NAMES " + channel);
  std::string all;
  IrcMessage m;
  while (client.wait_for([](const IrcMessage& x) { return x.is("353") || x.is("366"); }, "NAMES", &m) && m.is("353"))
    all += " " + m.last();
  return all + " ";
}

// Node b is killed with two users in shared rooms (bob in two of them): ann,
// on a with `batch`, reads one netsplit batch holding each one's QUIT once;
// dan, without it, reads the same QUITs plain.
TEST_F(Cluster, ADeadNodesQuitsComeInOneNetsplitBatch) {
  auto a = start_node("a", kFastDeath);
  auto b = start_node("b", kFastDeath);
  auto ann = irc_user_with(*a, "ann", "batch");
  ASSERT_TRUE(ann->join("#garden"));
  ASSERT_TRUE(ann->join("#pond"));
  auto dan = irc_user(*a, "dan");
  ASSERT_TRUE(dan->join("#garden"));
  auto bob = irc_user(*b, "bob");
  ASSERT_TRUE(bob->join("#garden"));
  ASSERT_TRUE(bob->join("#pond"));
  auto cat = irc_user(*b, "cat");
  ASSERT_TRUE(cat->join("#garden"));
  ASSERT_TRUE(sees_join(*ann, "bob", "#pond"));
  ASSERT_TRUE(sees_join(*ann, "cat", "#garden"));
  ASSERT_TRUE(sees_join(*dan, "cat", "#garden"));

  b->send_signal(SIGKILL);
  IrcMessage start;
  ASSERT_TRUE(ann->wait_for_command("BATCH", &start, nullptr, 4 * default_timeout()));
  ASSERT_EQ(start.params.size(), 4u) << start.raw;
  EXPECT_EQ(start.param(1), "netsplit");
  EXPECT_EQ(start.param(2), "a") << "the survivor that announced it";
  EXPECT_EQ(start.param(3), "b") << "the node lost";
  ASSERT_TRUE(start.param(0).starts_with("+")) << start.raw;
  const std::string id = start.param(0).substr(1);
  std::multiset<std::string> quits;
  for (int i = 0; i < 2; ++i) {
    IrcMessage quit;
    ASSERT_TRUE(ann->expect_command("QUIT", &quit)) << "inside the batch";
    const std::string* batch = quit.tag("batch");
    EXPECT_TRUE(batch && *batch == id) << quit.raw;
    EXPECT_EQ(quit.last(), "a b") << quit.raw;
    quits.insert(quit.source_nick());
  }
  EXPECT_EQ(quits, (std::multiset<std::string>{"bob", "cat"})) << "bob once, though in two rooms with ann";
  ASSERT_TRUE(ann->expect(irc_command_param("BATCH", 0, "-" + id), "the batch's end"));

  std::vector<IrcMessage> lines;
  std::multiset<std::string> plain;
  for (int i = 0; i < 2; ++i) {
    IrcMessage quit;
    ASSERT_TRUE(dan->wait_for_command("QUIT", &quit, &lines));
    EXPECT_FALSE(quit.tag("batch")) << quit.raw;
    EXPECT_EQ(quit.last(), "a b");
    plain.insert(quit.source_nick());
  }
  EXPECT_EQ(plain, (std::multiset<std::string>{"bob", "cat"}));
  ASSERT_TRUE(dan->sync(&lines));
  for (const auto& line : lines) EXPECT_FALSE(line.is("BATCH") || line.is("QUIT")) << "without batch: " << line.raw;
  ASSERT_TRUE(ann->sync(&lines));
  for (const auto& line : lines) EXPECT_FALSE(line.is("QUIT")) << "each quit once: " << line.raw;
}

// Node b frozen (SIGSTOP) past the node timeout: a announces its users'
// quits and frees their names, and a new user on a takes "bob". Resumed, b
// finds it was taken for dead: bob, whose name is held on a now, is renamed
// and joins #garden again under its new name; cat joins again as cat; and
// messages cross between the nodes both ways again.
TEST_F(Cluster, AFrozenNodeTakenForDeadJoinsItsRoomsAgain) {
  auto a = start_node("a", kFastDeath);
  auto b = start_node("b", kFastDeath);
  auto ann = irc_user(*a, "ann");
  ASSERT_TRUE(ann->join("#garden"));
  auto bob = irc_user(*b, "bob");
  ASSERT_TRUE(bob->join("#garden"));
  auto cat = irc_user(*b, "cat");
  ASSERT_TRUE(cat->join("#garden"));
  ASSERT_TRUE(sees_join(*ann, "cat", "#garden"));

  const std::size_t b_from = b->log_line_count();
  b->send_signal(SIGSTOP);
  auto quit_of = [](const std::string& nick) {
    return [nick](const IrcMessage& m) { return m.is("QUIT") && m.source_nick() == nick; };
  };
  ASSERT_TRUE(ann->wait_for(quit_of("bob"), "bob's QUIT", nullptr, nullptr, 4 * default_timeout()));
  ASSERT_TRUE(ann->wait_for(quit_of("cat"), "cat's QUIT"));
  auto usurper = connect_irc(a->irc_port(), "bob on a");
  const bool took = static_cast<bool>(usurper->register_as("bob"));
  b->send_signal(SIGCONT);
  ASSERT_TRUE(took) << "bob's name was freed with its node";

  ASSERT_TRUE(b->wait_for_log("Cluster: the other nodes found node b dead", default_timeout(), b_from))
      << b->log_text();
  IrcMessage renamed;
  ASSERT_TRUE(bob->wait_for([](const IrcMessage& m) { return m.is("NICK") && m.source_nick() == "bob"; },
                            "bob renamed", &renamed));
  const std::string guest = renamed.last();
  ASSERT_NE(guest, "bob");

  // ann sees both join again: cat as cat, bob under the name it keeps.
  std::vector<IrcMessage> seen;
  ASSERT_TRUE(sees_join(*ann, "cat", "#garden", &seen));
  ASSERT_TRUE(sees_join(*ann, guest, "#garden", &seen));
  for (const auto& line : seen) EXPECT_FALSE(line.source_nick() == "bob") << "bob's name is a's now: " << line.raw;

  cat->send("PRIVMSG #garden :back from b");
  ASSERT_TRUE(irc_hears(*ann, "back from b"));
  ann->send("PRIVMSG #garden :welcome back");
  ASSERT_TRUE(irc_hears(*cat, "welcome back"));
  ASSERT_TRUE(irc_hears(*bob, "welcome back"));

  // One name, one holder: #garden lists each once on both nodes, and bob's
  // lease is a's.
  const std::set<std::string> everyone{"ann", "cat", guest};
  EXPECT_EQ(names_of(*ann, "#garden"), everyone);
  EXPECT_EQ(names_of(*cat, "#garden"), everyone);
  // 1 when the name's lease ("OWNER TOKEN") is held by a session of node `node`.
  auto held_on = [&](const std::string& name, const std::string& node) {
    const std::string lua = "return string.sub(redis.call('GET', KEYS[1]) or '', 1, #ARGV[1]) == ARGV[1] and 1 or 0";
    return redis_->command({"EVAL", lua, "1", "parley:name:" + name, node + "~"}).value_or("no answer");
  };
  EXPECT_EQ(held_on("bob", "a"), ":1");
  EXPECT_EQ(held_on("cat", "b"), ":1");
}

// Node b frozen past the timeout with bob (who made #garden, its operator)
// and cat in #garden, then resumed: on a, ann (with `batch`) reads their
// JOINs in one netjoin batch naming a and b, then the server's MODE giving
// bob his operator role back; dan (without `batch`) reads plain JOINs and the
// same MODE; NAMES on a shows @bob again, and Redis keeps the role. On b,
// where nothing changed, cat and bob see no JOIN, QUIT or MODE.
TEST_F(Cluster, ANodeBackAnnouncesItsUsersInANetjoinBatchWithTheirRoles) {
  auto a = start_node("a", kFastDeath);
  auto b = start_node("b", kFastDeath);
  auto bob = irc_user(*b, "bob");
  ASSERT_TRUE(bob->join("#garden"));  // the room's first member: its operator
  auto cat = irc_user(*b, "cat");
  ASSERT_TRUE(cat->join("#garden"));
  auto ann = irc_user_with(*a, "ann", "batch");
  ASSERT_TRUE(ann->join("#garden"));
  auto dan = irc_user(*a, "dan");
  ASSERT_TRUE(dan->join("#garden"));
  ASSERT_TRUE(sees_join(*cat, "dan", "#garden"));
  ASSERT_TRUE(sees_join(*bob, "dan", "#garden"));
  ASSERT_NE(names_line(*ann, "#garden").find(" @bob "), std::string::npos) << "bob runs #garden";

  const std::size_t b_from = b->log_line_count();
  b->send_signal(SIGSTOP);
  for (IrcClient* c : {ann.get(), dan.get()}) {
    std::set<std::string> quits;
    while (quits.size() < 2) {
      IrcMessage quit;
      ASSERT_TRUE(c->wait_for_command("QUIT", &quit, nullptr, 4 * default_timeout()));
      quits.insert(quit.source_nick());
    }
    EXPECT_EQ(quits, (std::set<std::string>{"bob", "cat"}));
  }
  ASSERT_TRUE(ann->wait_for([](const IrcMessage& m) { return m.is("BATCH") && m.param(0).starts_with("-"); },
                            "the netsplit batch's end"));
  EXPECT_EQ(names_line(*ann, "#garden").find("bob "), std::string::npos) << "bob quit here";
  b->send_signal(SIGCONT);
  ASSERT_TRUE(b->wait_for_log("Cluster: the other nodes found node b dead", default_timeout(), b_from))
      << b->log_text();

  // ann: one netjoin batch with both JOINs, then the MODE restoring bob's role.
  IrcMessage start;
  ASSERT_TRUE(ann->wait_for(
      [](const IrcMessage& m) { return m.is("BATCH") && m.param(1) == "netjoin"; }, "the netjoin batch", &start,
      nullptr, 4 * default_timeout()));
  ASSERT_EQ(start.params.size(), 4u) << start.raw;
  EXPECT_EQ(start.param(2), "a") << "this node";
  EXPECT_EQ(start.param(3), "b") << "the node back";
  ASSERT_TRUE(start.param(0).starts_with("+")) << start.raw;
  const std::string id = start.param(0).substr(1);
  std::multiset<std::string> joins;
  for (int i = 0; i < 2; ++i) {
    IrcMessage join;
    ASSERT_TRUE(ann->expect_command("JOIN", &join)) << "inside the batch";
    const std::string* batch = join.tag("batch");
    EXPECT_TRUE(batch && *batch == id) << join.raw;
    EXPECT_EQ(join.param(0), "#garden");
    joins.insert(join.source_nick());
  }
  EXPECT_EQ(joins, (std::multiset<std::string>{"bob", "cat"}));
  ASSERT_TRUE(ann->expect(irc_command_param("BATCH", 0, "-" + id), "the batch's end"));
  IrcMessage mode;
  ASSERT_TRUE(ann->expect_command("MODE", &mode)) << "right after the batch";
  EXPECT_EQ(mode.params, (std::vector<std::string>{"#garden", "+o", "bob"})) << mode.raw;
  EXPECT_EQ(mode.source.find('!'), std::string::npos) << "from the server: " << mode.raw;
  EXPECT_FALSE(mode.tag("batch")) << mode.raw;

  // dan: the same JOINs plain, bob's followed by the same MODE.
  std::vector<IrcMessage> dan_lines;
  ASSERT_TRUE(sees_join(*dan, "bob", "#garden", &dan_lines));
  ASSERT_TRUE(dan->wait_for(
      [](const IrcMessage& m) { return m.is("MODE") && m.param(1) == "+o" && m.param(2) == "bob"; }, "bob's +o",
      nullptr, &dan_lines));
  if (std::none_of(dan_lines.begin(), dan_lines.end(), [](const IrcMessage& m) { return m.is("JOIN"); })) {
    ASSERT_TRUE(sees_join(*dan, "cat", "#garden", &dan_lines));  // after bob's
  }
  ASSERT_TRUE(dan->sync(&dan_lines));
  for (const auto& line : dan_lines) {
    EXPECT_FALSE(line.is("BATCH")) << "without batch: " << line.raw;
    EXPECT_FALSE(line.tag("batch")) << "without batch: " << line.raw;
    EXPECT_FALSE(line.is("JOIN") && line.source_nick() != "cat") << "each JOIN once: " << line.raw;
  }

  // Every node agrees: @bob on a as on b, and in Redis.
  EXPECT_NE(names_line(*ann, "#garden").find(" @bob "), std::string::npos);
  EXPECT_NE(names_line(*cat, "#garden").find(" @bob "), std::string::npos);
  const std::string lua =
      "local n = 0 for _, v in ipairs(redis.call('HVALS', KEYS[1])) do "
      "if string.find(v, 'o') then n = n + 1 end end return n";
  EXPECT_EQ(redis_->command({"EVAL", lua, "1", "parley:room:garden:roles"}).value_or("no answer"), ":1")
      << "one operator in Redis: bob";

  // b's own users saw nothing of it: a line from a comes with nothing before it.
  ann->send("PRIVMSG #garden :welcome back");
  for (IrcClient* c : {cat.get(), bob.get()}) {
    std::vector<IrcMessage> seen;
    ASSERT_TRUE(c->wait_for([](const IrcMessage& m) { return m.is("PRIVMSG") && m.last() == "welcome back"; },
                            "ann's welcome", nullptr, &seen));
    for (const auto& line : seen)
      EXPECT_FALSE(line.is("JOIN") || line.is("QUIT") || line.is("MODE") || line.is("BATCH")) << line.raw;
  }
}

}  // namespace
}  // namespace parley::test
