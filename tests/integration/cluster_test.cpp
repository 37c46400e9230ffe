// Several parleyd nodes, one community (issue 16; docs/cluster.md): real
// parleyd nodes joined through a real redis-server on loopback. Users on
// different nodes in one room see every message, in one order, whichever
// protocol they use; the nodes find Redis again after it restarts (empty)
// or drops their subscriber connections.
//
// Joins and departures are not shared between nodes yet, so a test knows that
// a node follows a room when a user there hears its own message (the echo
// comes back through Redis, in the room's order, like everyone else's).

#include <csignal>
#include <map>
#include <thread>

#include "irc_client.hpp"
#include "itest_util.hpp"
#include "redis_process.hpp"

namespace parley::test {
namespace {

constexpr std::string_view kPrefix = "Message from User - ";

// The text of a text client's room message line, or nullopt for another line.
std::optional<std::string> text_message(const std::string& line) {
  if (!line.starts_with(kPrefix)) return std::nullopt;
  const auto colon = line.find(": ", kPrefix.size());
  if (colon == std::string::npos) return std::nullopt;
  return line.substr(colon + 2);
}

class Cluster : public ::testing::Test {
 protected:
  void SetUp() override {
    if (!RedisProcess::available()) GTEST_SKIP() << "redis-server is not installed (scripts/install-deps.sh)";
    redis_ = std::make_unique<RedisProcess>();
  }

  std::unique_ptr<ServerProcess> start_node(const std::string& name) {
    std::string toml = unlimited_config();
    toml += "[cluster]\nredis = \"" + redis_->url() + "\"\nnode = \"" + name + "\"\n";
    auto node = std::make_unique<ServerProcess>(ServerOptions{.threads = kThreads, .config_toml = toml});
    EXPECT_TRUE(node->wait_for_log("Cluster: node " + name + " connected to Redis")) << node->log_text();
    return node;
  }

  // Reads `client`'s lines until the room message `text` (others' messages
  // before it, from before this node followed the room, are skipped).
  static ::testing::AssertionResult text_hears(LineClient& client, const std::string& text) {
    const auto deadline = Clock::now() + default_timeout();
    while (Clock::now() < deadline) {
      auto line = client.read_line(remaining(deadline));
      if (!line) break;
      if (text_message(*line) == text) return ::testing::AssertionSuccess();
    }
    auto failure = ::testing::AssertionFailure() << client.label() << " never heard '" << text << "'; it read:";
    for (const auto& line : client.history()) failure << "\n  " << line;
    return failure;
  }

  static ::testing::AssertionResult irc_hears(IrcClient& client, const std::string& text) {
    return client.wait_for(
        [&](const IrcMessage& m) { return m.is("PRIVMSG") && m.params.size() == 2 && m.last() == text; },
        "PRIVMSG " + text);
  }

  // A text user on `node`, in the default room, whose node follows it.
  std::unique_ptr<LineClient> text_user(const ServerProcess& node, const std::string& name) {
    auto client = connect(node, name);
    EXPECT_TRUE(client->register_as(name));
    client->send_line("ready " + name);
    EXPECT_TRUE(text_hears(*client, "ready " + name));
    return client;
  }

  std::unique_ptr<RedisProcess> redis_;
};

// The heart of it: three nodes, a text user on two and an IRC user (with
// echo-message) on the third, all sending at once; each sees all 3 x 40
// messages, in one and the same order, with each sender's in the order sent.
TEST_F(Cluster, UsersOnThreeNodesSeeEveryMessageInOneOrder) {
  auto a = start_node("a");
  auto b = start_node("b");
  auto c = start_node("c");
  auto ann = text_user(*a, "ann");
  auto bob = text_user(*b, "bob");
  auto cyd = connect_irc(c->irc_port(), "cyd");
  ASSERT_TRUE(cyd->register_as("cyd", IrcRegisterOptions{.user = "c", .real_name = "C", .caps = "echo-message",
                                                          .cap_ls = false}));
  ASSERT_TRUE(cyd->join("#lobby"));
  cyd->send("PRIVMSG #lobby :ready cyd");
  ASSERT_TRUE(irc_hears(*cyd, "ready cyd"));
  // Every node follows #lobby now: from this line on, everyone hears everything.
  ann->send_line("start");
  ASSERT_TRUE(text_hears(*ann, "start"));
  ASSERT_TRUE(text_hears(*bob, "start"));
  ASSERT_TRUE(irc_hears(*cyd, "start"));

  constexpr int kEach = 40;
  const std::vector<std::string> senders = {"ann", "bob", "cyd"};
  for (int i = 0; i < kEach; ++i) {
    ann->send_line("m ann " + std::to_string(i));
    bob->send_line("m bob " + std::to_string(i));
    cyd->send("PRIVMSG #lobby :m cyd " + std::to_string(i));
  }
  auto collect_text = [&](LineClient& client) {
    std::vector<std::string> seen;
    const auto deadline = Clock::now() + default_timeout();
    while (seen.size() < 3 * kEach && Clock::now() < deadline) {
      auto line = client.read_line(remaining(deadline));
      if (!line) break;
      if (auto text = text_message(*line)) seen.push_back(*text);
    }
    return seen;
  };
  std::vector<std::string> by_ann = collect_text(*ann);
  std::vector<std::string> by_bob = collect_text(*bob);
  std::vector<std::string> by_cyd;
  const auto deadline = Clock::now() + default_timeout();
  while (by_cyd.size() < 3 * kEach && Clock::now() < deadline) {
    auto m = cyd->next(remaining(deadline));
    if (!m) break;
    if (m->is("PRIVMSG")) by_cyd.push_back(m->last());
  }

  ASSERT_EQ(by_ann.size(), 3u * kEach);
  EXPECT_EQ(by_bob, by_ann);
  EXPECT_EQ(by_cyd, by_ann);
  // Nothing lost, nothing twice, and each sender's lines in the order sent.
  std::map<std::string, int> next;
  for (const auto& text : by_ann) {
    const auto space = text.rfind(' ');
    const std::string who = text.substr(2, space - 2);
    EXPECT_EQ(std::stoi(text.substr(space + 1)), next[who]) << text;
    next[who] = std::stoi(text.substr(space + 1)) + 1;
  }
  for (const auto& who : senders) EXPECT_EQ(next[who], kEach) << who;
}

// A node follows a room only while it has members there: the last one leaving
// stops it; a new member starts it again and hears what follows.
TEST_F(Cluster, ANodeFollowsARoomAgainWhenSomeoneComesBack) {
  auto a = start_node("a");
  auto b = start_node("b");
  auto ann = text_user(*a, "ann");
  {
    auto bob = text_user(*b, "bob");
    ann->send_line("hi bob");
    ASSERT_TRUE(text_hears(*bob, "hi bob"));
    bob->send_line("LEAVE");
  }
  auto cat = text_user(*b, "cat");
  ann->send_line("hi cat");
  ASSERT_TRUE(text_hears(*cat, "hi cat"));
  cat->send_line("hi ann");
  ASSERT_TRUE(text_hears(*ann, "hi ann"));
}

// Redis killed (kill -9) and started again, empty: every node connects again,
// loads its functions, follows its rooms again (from Redis's new numbers) and
// the users on different nodes hear each other as before.
TEST_F(Cluster, NodesReconnectAfterRedisRestarts) {
  auto a = start_node("a");
  auto b = start_node("b");
  auto ann = text_user(*a, "ann");
  auto bob = text_user(*b, "bob");
  ann->send_line("before");
  ASSERT_TRUE(text_hears(*bob, "before"));

  const std::size_t a_from = a->log_line_count(), b_from = b->log_line_count();
  redis_->kill();
  ASSERT_TRUE(a->wait_for_log("Cluster: lost Redis", default_timeout(), a_from)) << a->log_text();
  redis_->start();
  ASSERT_TRUE(a->wait_for_log("Cluster: node a connected to Redis", default_timeout(), a_from)) << a->log_text();
  ASSERT_TRUE(b->wait_for_log("Cluster: node b connected to Redis", default_timeout(), b_from)) << b->log_text();

  // Each node follows #lobby again once its own user hears itself.
  ann->send_line("again ann");
  ASSERT_TRUE(text_hears(*ann, "again ann"));
  bob->send_line("again bob");
  ASSERT_TRUE(text_hears(*bob, "again bob"));
  ann->send_line("after");
  ASSERT_TRUE(text_hears(*ann, "after"));
  ASSERT_TRUE(text_hears(*bob, "after"));
  bob->send_line("after too");
  ASSERT_TRUE(text_hears(*bob, "after too"));
  ASSERT_TRUE(text_hears(*ann, "after too"));
}

// Redis drops every subscriber connection (CLIENT KILL TYPE pubsub, as a
// pubsub output limit would): the nodes notice, reconnect and follow their
// rooms again, reading from the room's stream what was said meanwhile.
TEST_F(Cluster, NodesReconnectWhenRedisDropsTheirSubscriptions) {
  auto a = start_node("a");
  auto b = start_node("b");
  auto ann = text_user(*a, "ann");
  auto bob = text_user(*b, "bob");
  ann->send_line("before");
  ASSERT_TRUE(text_hears(*bob, "before"));

  const std::size_t b_from = b->log_line_count();
  auto killed = redis_->command({"CLIENT", "KILL", "TYPE", "pubsub"});
  ASSERT_TRUE(killed && killed->starts_with(":")) << (killed ? *killed : "no answer");
  // Said while the nodes reconnect: a holds it until it follows the room
  // again; b hears it live or reads it from the stream as it catches up.
  ann->send_line("during");
  // Noticed as the connection closes, not only seconds later by the probe.
  ASSERT_TRUE(b->wait_for_log("Cluster: lost Redis (connection lost", default_timeout(), b_from)) << b->log_text();
  ASSERT_TRUE(b->wait_for_log("Cluster: node b connected to Redis", default_timeout(), b_from)) << b->log_text();
  ASSERT_TRUE(text_hears(*ann, "during"));
  ann->send_line("after");
  ASSERT_TRUE(text_hears(*bob, "during"));
  ASSERT_TRUE(text_hears(*bob, "after"));
  bob->send_line("after too");
  ASSERT_TRUE(text_hears(*ann, "after too"));
}

// Redis frozen (SIGSTOP): its connections stay open but nothing is answered.
// hiredis has no timeouts; ours end the connection once a command or the
// subscriber probe is 3 s late, and the nodes reconnect once Redis thaws.
TEST_F(Cluster, NodesGiveUpOnAFrozenRedisAndComeBack) {
  auto a = start_node("a");
  auto b = start_node("b");
  auto ann = text_user(*a, "ann");
  auto bob = text_user(*b, "bob");
  const std::size_t a_from = a->log_line_count(), b_from = b->log_line_count();
  redis_->signal(SIGSTOP);
  const bool a_gave_up = a->wait_for_log("timed out); reconnecting.", default_timeout(), a_from).has_value();
  const bool b_gave_up = b->wait_for_log("timed out); reconnecting.", default_timeout(), b_from).has_value();
  redis_->signal(SIGCONT);
  ASSERT_TRUE(a_gave_up) << a->log_text();
  ASSERT_TRUE(b_gave_up) << b->log_text();
  ASSERT_TRUE(a->wait_for_log("Cluster: node a connected to Redis", default_timeout(), a_from)) << a->log_text();
  ASSERT_TRUE(b->wait_for_log("Cluster: node b connected to Redis", default_timeout(), b_from)) << b->log_text();
  ann->send_line("thawed");
  ASSERT_TRUE(text_hears(*bob, "thawed"));
}

// A name is one person's across the cluster: held on one node, it is in use
// on every other, for text and IRC users alike; given up (a rename, leaving),
// it is free everywhere.
TEST_F(Cluster, ANameHeldOnOneNodeIsInUseOnTheOthers) {
  auto a = start_node("a");
  auto b = start_node("b");
  auto ann = connect(*a, "ann");
  ASSERT_TRUE(ann->register_as("ann"));

  auto text = connect(*b, "text on b");
  ASSERT_TRUE(text->expect_line(std::string(kGreeting)));
  text->send_line("Ann");
  const auto refusal = text->read_line();
  ASSERT_TRUE(refusal == "Error: the name \"Ann\" is in use." || refusal == "Error: the name \"ann\" is in use.")
      << refusal.value_or("(nothing)");
  ASSERT_TRUE(text->expect_line("Please enter a different name."));
  auto irc = connect_irc(b->irc_port(), "irc on b");
  irc->send("NICK ANN");
  irc->send("USER u 0 * :R");
  ASSERT_TRUE(irc->expect_command("433"));

  // ann becomes anna: "ann" is free on b. (Her own echo comes after the
  // lease's release, on the same connection to Redis.)
  ann->send_line("/nick anna");
  ann->send_line("renamed");
  ASSERT_TRUE(text_hears(*ann, "renamed"));
  text->send_line("ann");
  ASSERT_TRUE(text->expect_line(welcome_line("ann")));
  irc->send("NICK anna");
  ASSERT_TRUE(irc->expect_command("433")) << "anna is a's now";

  // anna leaves: her name is free on b once a has given its lease back.
  ann->send_line("LEAVE");
  const auto deadline = Clock::now() + default_timeout();
  while (redis_->command({"EXISTS", "parley:name:anna"}) != std::optional<std::string>(":0") &&
         Clock::now() < deadline) {
    std::this_thread::sleep_for(std::chrono::milliseconds(10));  // polling Redis for the lease's end
  }
  irc->send("NICK anna");
  ASSERT_TRUE(irc->wait_for_command("001"));
}

// Redis restarted empty: each node takes the leases of the names its users
// hold again, so they stay in use on the other nodes.
TEST_F(Cluster, NamesAreAnnouncedAgainAfterRedisRestarts) {
  auto a = start_node("a");
  auto b = start_node("b");
  auto ann = connect(*a, "ann");
  ASSERT_TRUE(ann->register_as("ann"));
  const std::size_t a_from = a->log_line_count(), b_from = b->log_line_count();
  redis_->kill();
  ASSERT_TRUE(a->wait_for_log("Cluster: lost Redis", default_timeout(), a_from)) << a->log_text();
  redis_->start();
  ASSERT_TRUE(a->wait_for_log("Cluster: node a holds its 1 name(s) in Redis.", default_timeout(), a_from))
      << a->log_text();
  ASSERT_TRUE(b->wait_for_log("Cluster: node b connected to Redis", default_timeout(), b_from)) << b->log_text();
  auto irc = connect_irc(b->irc_port(), "irc on b");
  irc->send("NICK ann");
  irc->send("USER u 0 * :R");
  ASSERT_TRUE(irc->expect_command("433"));
}

// Without [cluster], nothing of the above runs: the node says nothing of
// Redis (the single-node tests, untouched, cover the rest).
TEST_F(Cluster, WithoutClusterNoRedisIsUsed) {
  ServerProcess alone{ServerOptions{.threads = kThreads, .config_toml = unlimited_config()}};
  auto ann = connect(alone, "ann");
  ASSERT_TRUE(ann->register_as("ann"));
  ann->send_line("hello");
  ASSERT_TRUE(ann->expect_line(message_line("ann", "hello")));
  EXPECT_EQ(alone.count_log("Cluster:"), 0u) << alone.log_text();
  EXPECT_EQ(redis_->command({"EXISTS", "parley:epoch"}), std::optional<std::string>(":0"));
}

// A [cluster] redis that is no Redis URL stops parleyd at start, naming the key.
TEST_F(Cluster, ABadRedisAddressIsAConfigurationError) {
  ServerProcess bad{ServerOptions{.config_toml = "[cluster]\nredis = \"127.0.0.1:6379\"\n",
                                  .wait_until_ready = false}};
  auto status = bad.wait_exit();
  ASSERT_TRUE(status && status->exited()) << bad.log_text();
  EXPECT_EQ(status->code(), 2);
  EXPECT_TRUE(bad.wait_for_log("cluster.redis")) << bad.log_text();
}

}  // namespace
}  // namespace parley::test
