// A node of the cluster found dead (docs/cluster.md, "Node liveness"): its
// users' quits reach IRC clients with `batch` as one IRCv3 netsplit batch,
// others as plain QUITs; and a node that was only frozen past the timeout
// comes back: its users join their rooms again (renamed first where another
// node took their name meanwhile), and the rooms' traffic flows both ways.

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

}  // namespace
}  // namespace parley::test
