// The cluster's faults at scale (issue 16; docs/cluster.md): a node with a
// thousand users killed, Redis killed and started again under thousands of
// sessions, subscriber connections dropped again and again under load, and a
// subscriber that falls behind past Redis's pubsub output limit. Each counts
// the lines that readers lost, got twice or got out of order: all must be 0.
//
// Built once, with one event loop per node; the many-socket tests run alone
// (RUN_SERIAL), as the 1,000-client scale tests do.

#include <csignal>
#include <cstdio>
#include <set>
#include <thread>

#include "cluster_fixture.hpp"
#include "metrics_util.hpp"

namespace parley::test {
namespace {

// The issue's time bounds are checked in optimized builds (the figures there
// are 4 and 18 times inside them); a sanitizer build runs several times
// slower and only prints its figures.
// Sanitizer builds also run the scale tests at a fifth of their size: the
// same paths, in a fraction of the time.
#if defined(__SANITIZE_ADDRESS__) || defined(__SANITIZE_THREAD__)
constexpr bool kTimesChecked = false;
constexpr int kSanitizedDivisor = 5;
#else
constexpr bool kTimesChecked = true;
constexpr int kSanitizedDivisor = 1;
#endif

long long ms_since(Clock::time_point start) {
  return std::chrono::duration_cast<std::chrono::milliseconds>(Clock::now() - start).count();
}

class ClusterFaults : public Cluster {
 protected:
  // Polls Redis until the rooms' channels have `n` subscribers in all.
  bool room_subscribers_reach(int n) {
    const std::string count =
        "local n = 0 for _, c in ipairs(redis.call('PUBSUB', 'CHANNELS', 'parley:room:*')) do "
        "n = n + redis.call('PUBSUB', 'NUMSUB', c)[2] end return n";
    const auto deadline = Clock::now() + default_timeout();
    while (Clock::now() < deadline) {
      if (redis_->command({"EVAL", count, "0"}) == ":" + std::to_string(n)) return true;
      std::this_thread::sleep_for(std::chrono::milliseconds(10));  // polling Redis's state
    }
    return false;
  }
};

// kill -9 of a node holding 1,000 users (IRC, in ten rooms of 100): a
// survivor announces each one's quit (a watcher in all ten rooms sees each
// once) and frees the names, which users on the other nodes can take at once;
// messages crossing the other nodes at the time lose nothing.
TEST_F(ClusterFaults, ANodeWithAThousandUsersKilled) {
  constexpr int kUsers = 1000 / kSanitizedDivisor;
  constexpr int kRooms = 10;
  constexpr int kLines = 2000;
  ASSERT_GE(raise_fd_limit(), 2u * kUsers + 100) << "RLIMIT_NOFILE is too low for this test";
  const std::string fast = "heartbeat_seconds = 0.2\nnode_timeout_seconds = 1\n";
  auto a = start_node("a", fast);
  auto b = start_node("b", fast);
  auto c = start_node("c", fast);
  auto watcher = irc_user(*a, "watcher");
  for (int r = 0; r < kRooms; ++r) ASSERT_TRUE(watcher->join("#r" + std::to_string(r)));
  auto sender = text_user(*a, "sender");
  auto reader = text_user(*c, "reader");

  auto name_of = [](int i) {
    char name[16];
    std::snprintf(name, sizeof name, "user%04d", i);
    return std::string(name);
  };
  std::vector<std::unique_ptr<IrcClient>> users;
  users.reserve(kUsers);
  for (int i = 0; i < kUsers; ++i) {
    users.push_back(irc_user(*b, name_of(i)));
    ASSERT_TRUE(users.back()->join("#r" + std::to_string(i % kRooms))) << "user " << i;
  }
  // The watcher saw every join: b follows the rooms and the others know its members.
  std::set<std::string> joined;
  ASSERT_TRUE(watcher->wait_for(
      [&](const IrcMessage& m) {
        if (m.is("JOIN") && m.source_nick().starts_with("user")) joined.insert(m.source_nick());
        return joined.size() == kUsers;
      },
      "every user's join"));

  sender->send_raw(burst_of("sender", 0, kLines));
  const auto killed = Clock::now();
  b->send_signal(SIGKILL);

  std::set<std::string> quit;
  int quits = 0;
  auto count_quit = [&](const IrcMessage& m) {
    if (m.is("QUIT") && m.source_nick().starts_with("user")) {
      ++quits;
      quit.insert(m.source_nick());
    }
  };
  ASSERT_TRUE(watcher->wait_for(
      [&](const IrcMessage& m) {
        count_quit(m);
        return quit.size() == kUsers;
      },
      "every user's quit", nullptr, nullptr, scaled(std::chrono::seconds(30))));
  const long long quits_ms = ms_since(killed);
  // Anything the announcer sent after the last new quit is in by a PING's answer.
  std::vector<IrcMessage> after;
  ASSERT_TRUE(watcher->sync(&after));
  for (const auto& m : after) count_quit(m);
  EXPECT_EQ(quits, kUsers) << "each quit shown once";

  // Every tenth name, taken again on the other nodes (text users).
  for (int i = 0; i < kUsers; i += 10) {
    LineClient again(i % 20 == 0 ? a->port() : c->port(), ClientOptions{.label = name_of(i) + " again"});
    ASSERT_TRUE(again.register_as(name_of(i))) << name_of(i) << " was freed";
  }
  const long long names_ms = ms_since(killed);

  const LineCounts counts = count_lines(*reader, 1, kLines);
  EXPECT_EQ(counts.read, kLines) << counts.describe();
  EXPECT_EQ(counts.lost + counts.twice + counts.out_of_order, 0) << counts.describe();
  std::printf("kill -9 of a node with %d users: all quits seen after %lld ms, names taken again after %lld ms "
              "(node timeout 1 s); reader: %s\n",
              kUsers, quits_ms, names_ms, counts.describe().c_str());
  RecordProperty("quits_ms", std::to_string(quits_ms));
  RecordProperty("names_ms", std::to_string(names_ms));
  // The issue's bound (5 s), on the test's clock: the node timeout is 1 s of it.
  if (kTimesChecked) {
    EXPECT_LT(names_ms, scaled(std::chrono::seconds(5)).count());
  }
}

// Redis killed (kill -9) and started again, empty, under 10,000 sessions on
// two nodes: both take all their names again (no name held by two sessions:
// a sample tried on the other node is refused) and their rooms carry on.
TEST_F(ClusterFaults, TenThousandSessionsAnnouncedAgainAfterRedisRestarts) {
  constexpr int kPerNode = 5000 / kSanitizedDivisor;
  ASSERT_GE(raise_fd_limit(), 2u * kPerNode + 200) << "RLIMIT_NOFILE is too low for this test";
  auto a = start_node("a");
  auto b = start_node("b");
  auto ann = text_user(*a, "ann");
  auto bob = text_user(*b, "bob");
  std::vector<std::unique_ptr<IrcClient>> sessions;
  sessions.reserve(2 * kPerNode);
  // All registrations sent, then each welcome read: the nodes work on many at once.
  for (int i = 0; i < 2 * kPerNode; ++i) {
    const ServerProcess& node = i < kPerNode ? *a : *b;
    sessions.push_back(connect_irc(node.irc_port(), "s" + std::to_string(i)));
    sessions.back()->send("NICK s" + std::to_string(i));
    sessions.back()->send("USER u 0 * :R");
  }
  for (auto& session : sessions) {
    ASSERT_TRUE(session->wait_for([](const IrcMessage& m) { return m.is("376") || m.is("422"); }, "the welcome's end"))
        << session->label();
  }
  const std::string held_a = "Cluster: node a holds its " + std::to_string(kPerNode + 1) + " name(s) in Redis.";
  const std::string held_b = "Cluster: node b holds its " + std::to_string(kPerNode + 1) + " name(s) in Redis.";

  const std::size_t a_from = a->log_line_count(), b_from = b->log_line_count();
  redis_->kill();
  ASSERT_TRUE(a->wait_for_log("Cluster: lost Redis", default_timeout(), a_from)) << a->log_text();
  const auto restarted = Clock::now();
  redis_->start();
  const Duration bound = scaled(std::chrono::seconds(30));
  ASSERT_TRUE(a->wait_for_log(held_a, bound, a_from)) << a->log_text();
  ASSERT_TRUE(b->wait_for_log(held_b, bound, b_from)) << b->log_text();
  const long long announced_ms = ms_since(restarted);

  auto leases = redis_->command({"EVAL", "return #redis.call('KEYS', 'parley:name:*')", "0"});
  EXPECT_EQ(leases, ":" + std::to_string(2 * kPerNode + 2)) << "one lease per name";
  for (int i = 0; i < 2 * kPerNode; i += 100) {
    auto other = connect_irc(i < kPerNode ? b->irc_port() : a->irc_port(), "taker " + std::to_string(i));
    other->send("NICK s" + std::to_string(i));
    other->send("USER u 0 * :R");
    ASSERT_TRUE(other->expect_command("433")) << "s" << i << " is held on the other node";
  }
  ann->send_line("after");
  ASSERT_TRUE(text_hears(*bob, "after"));
  std::printf("Redis restarted under %d sessions: every name held again after %lld ms\n", 2 * kPerNode,
              announced_ms);
  RecordProperty("announced_ms", std::to_string(announced_ms));
  if (kTimesChecked) {
    EXPECT_LT(announced_ms, scaled(std::chrono::seconds(10)).count());
  }
}

// 5,000 IRC clients (without chathistory) coming back at once, half on each
// of two nodes, all into one room that no member on either node is in: each
// is shown the room's last lines on joining, and each node reads the room's
// history once for all its joiners (the room keeps what was said lately:
// core/recent_speech.h), where a read per join would be 2,500 reads a node.
TEST_F(ClusterFaults, FiveThousandJoiningAtOnceReadHistoryOncePerNode) {
  constexpr int kClients = 5000 / kSanitizedDivisor;
  constexpr int kLines = 5;
  ASSERT_GE(raise_fd_limit(), 2u * kClients + 100) << "RLIMIT_NOFILE is too low for this test";
  const std::string replay = "[history]\nreplay_lines = 20\n";
  auto a = start_node("a", replay);
  auto b = start_node("b", replay);
  {
    // Said while a member on each node followed the room (each keeps its own history), then both leave.
    auto ann = irc_user(*a, "ann");
    auto bob = irc_user(*b, "bob");
    ASSERT_TRUE(ann->join("#storm"));
    ASSERT_TRUE(bob->join("#storm"));
    for (int i = 1; i <= kLines; ++i) ann->send("PRIVMSG #storm :line " + std::to_string(i));
    ASSERT_TRUE(bob->wait_for([](const IrcMessage& m) { return m.is("PRIVMSG") && m.last() == "line 5"; }, "line 5"));
    ann->send("QUIT :bye");
    bob->send("QUIT :bye");
    ASSERT_TRUE(ann->expect_closed());
    ASSERT_TRUE(bob->expect_closed());
  }
  auto reads = [](const ServerProcess& node) {
    auto page = http_get(node.http_port(), "/metrics");
    return page ? metric_sum(page->body, "parley_storage_reads_total") : -1.0;
  };
  const double a_before = reads(*a), b_before = reads(*b);
  ASSERT_GE(a_before, 0);
  ASSERT_GE(b_before, 0);

  std::vector<std::unique_ptr<IrcClient>> clients;
  clients.reserve(kClients);
  const auto started = Clock::now();
  for (int i = 0; i < kClients; ++i) {
    clients.push_back(connect_irc((i % 2 == 0 ? a : b)->irc_port(), "c" + std::to_string(i)));
    clients.back()->send("NICK c" + std::to_string(i));
    clients.back()->send("USER u 0 * :R");
  }
  for (auto& client : clients) {
    ASSERT_TRUE(client->wait_for([](const IrcMessage& m) { return m.is("376") || m.is("422"); }, "the welcome's end"))
        << client->label();
  }
  // Every JOIN at once, then each client's replay read.
  for (auto& client : clients) client->send("JOIN #storm");
  for (auto& client : clients) {
    int shown = 0;
    ASSERT_TRUE(client->wait_for(
        [&](const IrcMessage& m) {
          if (m.is("PRIVMSG") && m.last() == "line " + std::to_string(shown + 1)) ++shown;
          return shown == kLines;
        },
        "the room's last lines"))
        << client->label() << " was shown " << shown << " of " << kLines;
  }
  const long long all_ms = ms_since(started);
  const double a_reads = reads(*a) - a_before, b_reads = reads(*b) - b_before;
  EXPECT_EQ(a_reads, 1) << "node a read the room's history once for " << kClients / 2 << " joins";
  EXPECT_EQ(b_reads, 1) << "node b read the room's history once for " << kClients / 2 << " joins";
  std::printf("%d clients joining at once over two nodes: every replay shown after %lld ms; history reads: "
              "node a %.0f, node b %.0f\n",
              kClients, all_ms, a_reads, b_reads);
  RecordProperty("all_ms", std::to_string(all_ms));
}

// Redis drops every subscriber connection (CLIENT KILL TYPE pubsub) again and
// again while three nodes send: each node reconnects and reads what it missed
// from the rooms' streams; every reader gets every line once, in order.
TEST_F(ClusterFaults, SubscribersDroppedAgainAndAgainUnderLoad) {
  constexpr int kKills = 4;
  constexpr int kPerStep = 200;  // lines per sender between two kills
  const std::vector<std::string> names = {"ann", "bob", "cyd"};
  std::vector<std::unique_ptr<ServerProcess>> nodes;
  std::vector<std::unique_ptr<LineClient>> users;
  for (const auto& name : names) {
    nodes.push_back(start_node(name + "-node"));
    users.push_back(text_user(*nodes.back(), name));
  }
  for (int step = 0; step <= kKills; ++step) {
    for (std::size_t u = 0; u < users.size(); ++u) users[u]->send_raw(burst_of(names[u], step * kPerStep, kPerStep));
    if (step == kKills) break;
    auto killed = redis_->command({"CLIENT", "KILL", "TYPE", "pubsub"});
    ASSERT_TRUE(killed && killed->starts_with(":")) << (killed ? *killed : "no answer");
    // Every node follows the room again before the next kill (a connection
    // not subscribed yet is not a pubsub client, and would not be dropped).
    ASSERT_TRUE(room_subscribers_reach(3)) << "after kill " << step;
  }
  const int per_sender = (kKills + 1) * kPerStep;
  for (auto& reader : users) {
    const LineCounts counts = count_lines(*reader, 3, per_sender);
    EXPECT_EQ(counts.read, 3 * per_sender) << reader->label() << ": " << counts.describe();
    EXPECT_EQ(counts.lost + counts.twice + counts.out_of_order, 0) << reader->label() << ": " << counts.describe();
  }
}

// A node frozen while another floods: Redis's buffer for its subscriber
// passes the pubsub output limit (set low here) and Redis closes it. Back, the
// node connects again and reads what it missed from the stream: its reader
// loses nothing. (The lines are long so that the flood outgrows what the
// kernel's socket buffers hold before Redis's own buffer grows.)
TEST_F(ClusterFaults, ASubscriberPastRedisOutputLimitCatchesUp) {
  constexpr int kLines = 3000;
  constexpr std::size_t kPadding = 3000;
  auto set = redis_->command({"CONFIG", "SET", "client-output-buffer-limit", "pubsub 262144 131072 1"});
  ASSERT_EQ(set, "+OK");
  // b stays frozen while ann's flood goes round, seconds in a sanitizer
  // build: being found dead meanwhile is another test's matter.
  const std::string patient = "node_timeout_seconds = 60\n";
  auto a = start_node("a", patient);
  auto b = start_node("b", patient);
  auto ann = text_user(*a, "ann");
  auto bob = text_user(*b, "bob");
  const std::size_t b_from = b->log_line_count();
  b->send_signal(SIGSTOP);
  ann->send_raw(burst_of("ann", 0, kLines, kPadding));
  // ann hears her whole flood: it went through Redis, past b's stopped subscriber.
  const LineCounts own = count_lines(*ann, 1, kLines);
  b->send_signal(SIGCONT);
  EXPECT_EQ(own.read, kLines) << own.describe();
  ASSERT_TRUE(b->wait_for_log("Cluster: lost Redis", default_timeout(), b_from)) << "Redis closed b's subscriber\n"
                                                                                  << b->log_text();
  const LineCounts counts = count_lines(*bob, 1, kLines);
  EXPECT_EQ(counts.read, kLines) << counts.describe();
  EXPECT_EQ(counts.lost + counts.twice + counts.out_of_order, 0) << counts.describe();
}

}  // namespace
}  // namespace parley::test
