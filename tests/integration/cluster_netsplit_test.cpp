// A node of the cluster found dead (docs/cluster.md, "Node liveness"): its
// users' quits reach IRC clients with `batch` as one IRCv3 netsplit batch,
// others as plain QUITs.

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

}  // namespace
}  // namespace parley::test
