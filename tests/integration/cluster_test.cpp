// Several parleyd nodes, one community (issue 16; docs/cluster.md): real
// parleyd nodes joined through a real redis-server on loopback. Users on
// different nodes in one room see every message, in one order, whichever
// protocol they use; the nodes find Redis again after it restarts (empty)
// or drops their subscriber connections.
//
// A test knows that a node follows a room when a user there hears its own
// message (the echo comes back through Redis, in the room's order, like
// everyone else's).

#include <algorithm>
#include <csignal>
#include <sstream>
#include <map>
#include <thread>

#include "cluster_fixture.hpp"
#include "irc_itest_util.hpp"
#include "metrics_util.hpp"

namespace parley::test {
namespace {

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

// The tail check (each followed room's latest number, read from Redis) runs
// while floods cross three nodes: its answer comes on another connection than
// the messages, which may be applied before it arrives. Checked every 10 ms,
// that was taken for Redis losing its data: the room started over from the
// older number, and readers got lines twice and out of order.
// A fourth node, frozen for a moment in the middle, comes back far behind:
// its room's stream (kept short here) no longer holds what it has not read
// yet, but the channel still brings it. Taking that for a loss skipped
// thousands of lines on a loaded machine.
TEST_F(Cluster, FloodsAcrossNodesArriveWholeAndInOrderWhileTheTailIsChecked) {
  const std::vector<std::string> senders = {"ann", "bob", "cyd"};
  // A node busy with the flood may miss heartbeats: being found dead is
  // another test's matter.
  const std::string settings = "tail_check_seconds = 0.01\nstream_length = 100\nnode_timeout_seconds = 60\n";
  std::vector<std::unique_ptr<ServerProcess>> nodes;
  std::vector<std::unique_ptr<LineClient>> users;
  for (const auto& name : senders) {
    nodes.push_back(start_node(name + "-node", settings));
    users.push_back(text_user(*nodes.back(), name));
  }
  auto frozen = start_node("dan-node", settings);
  users.push_back(text_user(*frozen, "dan"));
  users[0]->send_line("start");
  for (auto& user : users) ASSERT_TRUE(text_hears(*user, "start"));
#if defined(__SANITIZE_THREAD__) || defined(__SANITIZE_ADDRESS__)
  // Under a sanitizer a node runs many times slower: a flood this size would
  // not arrive within the readers' deadline.
  constexpr int kLines = 1000;
#else
  constexpr int kLines = 5000;
#endif
  for (std::size_t u = 0; u < senders.size(); ++u) users[u]->send_raw(burst_of(senders[u], 0, kLines));
  // Well inside the probe's 3 s.
  frozen->send_signal(SIGSTOP);
  std::this_thread::sleep_for(std::chrono::milliseconds(500));
  frozen->send_signal(SIGCONT);
  for (auto& reader : users) {
    const LineCounts counts = count_lines(*reader, 3, kLines);
    EXPECT_EQ(counts.read, 3 * kLines) << reader->label() << ": " << counts.describe();
    EXPECT_EQ(counts.lost + counts.twice + counts.out_of_order, 0) << reader->label() << ": " << counts.describe();
  }
  nodes.push_back(std::move(frozen));
  for (auto& node : nodes) {
    EXPECT_EQ(node->log_text().find("restarted its numbers"), std::string::npos) << node->log_text();
    EXPECT_EQ(node->log_text().find("no longer in Redis"), std::string::npos) << node->log_text();
  }
}

// Shutdown flushes what was accepted, in a cluster too: messages a node
// read and handed to Redis, still on their way when SIGTERM came (Redis
// frozen), reach every member before the node closes its connections: on
// other nodes, the sender (whose farewell waits for its own lines anyway),
// and the other members on the closing node, who have nothing pending.
TEST_F(Cluster, ShutdownWaitsForMessagesOnTheirWayThroughRedis) {
  // A grace long enough for a sanitizer's build; the wait ends as soon as
  // Redis answers.
  auto a = start_node("a", {}, "shutdown_grace_seconds = 60\n");
  auto b = start_node("b");
  auto ann = text_user(*a, "ann");
  auto cat = text_user(*a, "cat");
  auto bob = text_user(*b, "bob");
  ann->send_line("hello");
  for (auto* user : {ann.get(), cat.get(), bob.get()}) ASSERT_TRUE(text_hears(*user, "hello"));
  auto page = http_get(a->http_port(), "/metrics");
  ASSERT_TRUE(page);
  const double read_before = metric_sum(page->body, "parley_messages_in_total");

  constexpr int kLines = 20;
  redis_->signal(SIGSTOP);
  ann->send_raw(burst_of("ann", 0, kLines));
  // Node a has read (accepted) every line before it is told to stop.
  const bool all_read = metric_sum_reaches(a->http_port(), "parley_messages_in_total", read_before + kLines);
  const std::size_t from = a->log_line_count();
  a->send_signal(SIGTERM);
  const bool waited = a->wait_for_log("on their way through Redis before closing", default_timeout(), from).has_value();
  // Meanwhile the node holds its connections open, telling nobody it closes.
  const LineClient::Read held = cat->read(std::chrono::milliseconds(500));
  redis_->signal(SIGCONT);
  ASSERT_TRUE(all_read);
  ASSERT_TRUE(waited) << a->log_text();
  EXPECT_EQ(held.status, LineClient::Status::timeout) << "cat read '" << held.line << "'";

  for (auto* reader : {bob.get(), ann.get(), cat.get()}) {
    const LineCounts counts = count_lines(*reader, 1, kLines);
    EXPECT_EQ(counts.read, kLines) << reader->label() << ": " << counts.describe() << "\n" << a->log_text();
    EXPECT_EQ(counts.lost + counts.twice + counts.out_of_order, 0) << reader->label() << ": " << counts.describe();
  }
  const auto status = a->wait_exit();
  ASSERT_TRUE(status);
  EXPECT_TRUE(status->exited() && status->code() == 0) << status->describe();
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

// A text name and the IRC nick made from it are one key across nodes, as on
// one node: "Raj Ingle" on a holds "Raj_Ingle" on b too.
TEST_F(Cluster, ATextNameHoldsItsNickOnOtherNodes) {
  auto a = start_node("a");
  auto b = start_node("b");
  auto raj = connect(*a, "raj");
  ASSERT_TRUE(raj->register_as("Raj Ingle"));
  auto irc = connect_irc(b->irc_port(), "irc on b");
  irc->send("NICK Raj_Ingle");
  irc->send("USER u 0 * :R");
  ASSERT_TRUE(irc->expect_command("433"));
  irc->send("NICK Raj_Ingle2");
  ASSERT_TRUE(irc->wait_for_command("001"));
  auto text = connect(*a, "text on a");
  ASSERT_TRUE(text->expect_line(std::string(kGreeting)));
  text->send_line("Raj_Ingle2");
  ASSERT_TRUE(text->expect_line_prefix("Error: the name")) << "and the other way round";
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

// The names a 353 reply lists, as sent ("@bob").
std::vector<std::string> names_in(const std::vector<IrcMessage>& lines) {
  std::vector<std::string> names;
  for (const auto& m : lines) {
    if (!m.is("353")) continue;
    std::istringstream in(m.last());
    for (std::string n; in >> n;) names.push_back(n);
  }
  std::sort(names.begin(), names.end());
  return names;
}

// Every room event reaches the other nodes' members, in the room's order,
// and each node's room holds the members of the others: NAMES, WHO, the
// topic, the key and the roles are the same on every node, also on a node
// that starts following the room late.
TEST_F(Cluster, RoomEventsAndMembersAreSharedAcrossNodes) {
  auto a = start_node("a");
  auto b = start_node("b");
  auto c = start_node("c");
  auto bob = irc_user(*b, "bob");
  ASSERT_TRUE(bob->join("#garden"));
  auto cyd = irc_user(*a, "cyd");
  std::vector<IrcMessage> lines;
  ASSERT_TRUE(cyd->join("#garden", &lines));
  EXPECT_EQ(names_in(lines), (std::vector<std::string>{"@bob", "cyd"})) << "bob, on b, came first and runs it";
  ASSERT_TRUE(bob->wait_for([](const IrcMessage& m) { return m.is("JOIN") && m.source_nick() == "cyd"; }, "cyd's JOIN"));

  bob->send("TOPIC #garden :hello all");
  ASSERT_TRUE(cyd->wait_for([](const IrcMessage& m) { return m.is("TOPIC") && m.last() == "hello all"; }, "TOPIC"));
  bob->send("MODE #garden +k sesame");
  ASSERT_TRUE(cyd->wait_for([](const IrcMessage& m) { return m.is("MODE") && m.param(1) == "+k"; }, "MODE +k"));
  bob->send("MODE #garden +o cyd");
  ASSERT_TRUE(cyd->wait_for(
      [](const IrcMessage& m) { return m.is("MODE") && m.param(1) == "+o" && m.param(2) == "cyd"; }, "MODE +o cyd"));

  // c follows #garden only now: it learns the room from Redis before deciding the join.
  auto dan = irc_user(*c, "dan");
  dan->send("JOIN #garden");
  ASSERT_TRUE(dan->wait_for_command("475")) << "the key set on b holds on c";
  lines.clear();
  dan->send("JOIN #garden sesame");
  ASSERT_TRUE(dan->wait_for_command("366", nullptr, &lines));
  EXPECT_EQ(names_in(lines), (std::vector<std::string>{"@bob", "@cyd", "dan"}));
  const auto topic = std::find_if(lines.begin(), lines.end(), [](const IrcMessage& m) { return m.is("332"); });
  ASSERT_NE(topic, lines.end());
  EXPECT_EQ(topic->last(), "hello all");
  ASSERT_TRUE(bob->wait_for([](const IrcMessage& m) { return m.is("JOIN") && m.source_nick() == "dan"; }, "dan's JOIN"));
  ASSERT_TRUE(cyd->wait_for([](const IrcMessage& m) { return m.is("JOIN") && m.source_nick() == "dan"; }, "dan's JOIN"));

  // WHO on c lists the members of every node.
  dan->send("WHO #garden");
  lines.clear();
  ASSERT_TRUE(dan->wait_for_command("315", nullptr, &lines));
  EXPECT_EQ(std::count_if(lines.begin(), lines.end(), [](const IrcMessage& m) { return m.is("352"); }), 3);

  // A kick decided on b removes a member on a: a, b and c all see it.
  bob->send("KICK #garden cyd :out");
  auto kick_of_cyd = [](const IrcMessage& m) { return m.is("KICK") && m.param(1) == "cyd"; };
  ASSERT_TRUE(cyd->wait_for(kick_of_cyd, "KICK cyd"));
  ASSERT_TRUE(dan->wait_for(kick_of_cyd, "KICK cyd"));
  ASSERT_TRUE(bob->wait_for(kick_of_cyd, "KICK cyd"));

  // Renames and quits reach the other nodes, and leave nothing behind there.
  dan->send("NICK dan2");
  ASSERT_TRUE(bob->wait_for(
      [](const IrcMessage& m) { return m.is("NICK") && m.source_nick() == "dan" && m.last() == "dan2"; }, "NICK"));
  dan->send("QUIT :bye");
  ASSERT_TRUE(bob->wait_for(
      [](const IrcMessage& m) { return m.is("QUIT") && m.source_nick() == "dan2" && m.last().find("bye") != std::string::npos; },
      "QUIT"));
  bob->send("NAMES #garden");
  lines.clear();
  ASSERT_TRUE(bob->wait_for_command("366", nullptr, &lines));
  EXPECT_EQ(names_in(lines), (std::vector<std::string>{"@bob"}));
}

// A mode change or a kick is settled only once its echo, ordered by Redis,
// has come back here: a later command's answer follows it, as on one node.
// With labeled-response the echo and a refused part's numeric share the
// command's batch.
TEST_F(Cluster, TheEchoOfAModeChangeOrKickComesBeforeTheNextCommandsAnswer) {
  auto a = start_node("a");
  auto b = start_node("b");
  auto bob = connect_irc(a->irc_port(), "bob");
  ASSERT_TRUE(bob->register_as("bob", {.caps = "batch labeled-response"}));
  ASSERT_TRUE(bob->join("#garden"));
  auto cyd = irc_user(*b, "cyd");
  const auto joined = [](const IrcMessage& m) { return m.is("JOIN") && m.source_nick() == "cyd"; };
  const auto position = [](const std::vector<IrcMessage>& lines, const IrcPredicate& pred) {
    return std::find_if(lines.begin(), lines.end(), pred) - lines.begin();
  };

  for (int round = 0; round < 6; ++round) {
    SCOPED_TRACE("round " + std::to_string(round));
    ASSERT_TRUE(cyd->join("#garden"));
    ASSERT_TRUE(bob->wait_for(joined, "cyd's JOIN"));
    // +m (or -m) is applied, +o of nobody refused (401).
    const std::string sign = round % 2 == 0 ? "+" : "-";
    bob->send("MODE #garden " + sign + "m+o nobody");
    std::vector<IrcMessage> lines;
    ASSERT_TRUE(bob->sync(&lines));
    const auto mode = [&](const IrcMessage& m) { return m.is("MODE") && m.param(1) == sign + "m"; };
    EXPECT_LT(position(lines, mode), std::ssize(lines)) << "the MODE's echo came after the next command's PONG";
    EXPECT_LT(position(lines, irc_command("401")), std::ssize(lines));

    bob->send("KICK #garden cyd :out");
    lines.clear();
    ASSERT_TRUE(bob->sync(&lines));
    const auto kick = [](const IrcMessage& m) { return m.is("KICK") && m.param(1) == "cyd"; };
    EXPECT_LT(position(lines, kick), std::ssize(lines)) << "the KICK's echo came after the next command's PONG";
    ASSERT_TRUE(cyd->wait_for(kick, "KICK cyd"));
  }

  // Labeled: the batch holds the echo and the refusal, and nothing else.
  ASSERT_TRUE(cyd->join("#garden"));
  ASSERT_TRUE(bob->wait_for(joined, "cyd's JOIN"));
  bob->send("@label=m1 MODE #garden +m+o nobody");
  IrcMessage start;
  ASSERT_TRUE(bob->expect_command("BATCH", &start));
  ASSERT_NE(start.tag("label"), nullptr);
  EXPECT_EQ(*start.tag("label"), "m1");
  ASSERT_GE(start.params.size(), 2u);
  EXPECT_EQ(start.param(1), "labeled-response");
  const std::string id = start.param(0).substr(1);
  std::vector<std::string> inside;
  for (IrcMessage m; bob->expect([](const IrcMessage&) { return true; }, "a line of the batch", &m);) {
    if (m.is("BATCH") && m.param(0) == "-" + id) break;
    ASSERT_NE(m.tag("batch"), nullptr) << m.raw;
    EXPECT_EQ(*m.tag("batch"), id) << m.raw;
    inside.push_back(m.command);
  }
  std::sort(inside.begin(), inside.end());
  EXPECT_EQ(inside, (std::vector<std::string>{"401", "MODE"}));
}

// Two operators on two nodes change one room at the same moment, again and
// again: the same settings (limit, topic), toggles and ban lists. Each node
// decides its own against its own copy, but all apply every change in the
// room's one order, so both end with the same room, and so does a node that
// starts following it afterwards (it reads the room from Redis).
TEST_F(Cluster, ConcurrentChangesOnTwoNodesLeaveOneRoom) {
  auto a = start_node("a");
  auto b = start_node("b");
  auto ann = irc_user(*a, "ann");
  ASSERT_TRUE(ann->join("#busy"));
  auto bob = irc_user(*b, "bob");
  ASSERT_TRUE(bob->join("#busy"));
  ASSERT_TRUE(ann->wait_for([](const IrcMessage& m) { return m.is("JOIN") && m.source_nick() == "bob"; }, "bob's JOIN"));
  ann->send("MODE #busy +o bob");
  ASSERT_TRUE(bob->wait_for([](const IrcMessage& m) { return m.is("MODE") && m.param(2) == "bob"; }, "bob's +o"));

  constexpr int kRounds = 25;
  std::string from_ann, from_bob;
  for (int i = 0; i < kRounds; ++i) {
    const std::string n = std::to_string(i);
    from_ann += "MODE #busy " + std::string(i % 2 ? "-m" : "+m") + "l " + std::to_string(100 + i) +
                "\r\nTOPIC #busy :ann " + n + "\r\nMODE #busy +b a" + n + "!*@*\r\nMODE #busy -b b" +
                std::to_string(i / 2) + "!*@*\r\n";
    from_bob += "MODE #busy " + std::string(i % 3 ? "+s" : "-s") + "l " + std::to_string(200 + i) +
                "\r\nTOPIC #busy :bob " + n + "\r\nMODE #busy +b b" + n + "!*@*\r\nMODE #busy -b a" +
                std::to_string(i / 2) + "!*@*\r\n";
  }
  ann->send_raw(from_ann + "PRIVMSG #busy :ann done\r\n");
  bob->send_raw(from_bob + "PRIVMSG #busy :bob done\r\n");
  // Each node has applied everything once its user heard the other's last
  // line and its own commands are settled (each, once its echo came back).
  ASSERT_TRUE(irc_hears(*ann, "bob done"));
  ASSERT_TRUE(irc_hears(*bob, "ann done"));
  ASSERT_TRUE(ann->sync());
  ASSERT_TRUE(bob->sync());

  // The room as `c` sees it: its modes (324), topic (332) and bans (367), sorted.
  const auto room_as_seen = [](IrcClient& c) {
    std::vector<std::string> seen;
    c.send("MODE #busy");
    c.send("TOPIC #busy");
    c.send("MODE #busy b");
    std::vector<IrcMessage> lines;
    EXPECT_TRUE(c.wait_for_command("368", nullptr, &lines));
    for (const IrcMessage& m : lines) {
      if (m.is("324") || m.is("332") || m.is("367")) {
        std::string line = m.command;
        for (std::size_t i = 1; i < m.params.size(); ++i) line += " " + m.params[i];
        if (m.is("367")) line = m.command + " " + m.param(2);  // the mask, not who set it or when
        seen.push_back(line);
      }
    }
    std::sort(seen.begin(), seen.end());
    return seen;
  };
  const auto on_a = room_as_seen(*ann);
  const auto on_b = room_as_seen(*bob);
  EXPECT_EQ(on_a, on_b);
  ASSERT_GE(on_a.size(), 2u) << "a 324 and a 332 at least";

  auto c = start_node("c");
  auto cyd = irc_user(*c, "cyd");
  ASSERT_TRUE(cyd->join("#busy"));
  EXPECT_EQ(room_as_seen(*cyd), on_a) << "a node that follows the room afterwards";
}

// Text users see the other nodes' members come and go, in their own words.
TEST_F(Cluster, TextUsersSeeJoinsAndDeparturesOnOtherNodes) {
  auto a = start_node("a");
  auto b = start_node("b");
  auto ann = text_user(*a, "ann");
  auto bob = text_user(*b, "bob");
  ASSERT_TRUE(text_reads(*ann, "bob has joined the chat room!"));
  bob->send_line("LEAVE");
  ASSERT_TRUE(text_reads(*ann, "bob left the chat room."));
}

// A node that stops beating is dead: one survivor announces its users' quits
// in every room (a netsplit-style reason: the two nodes' names) and frees
// their names, which others can take at once.
TEST_F(Cluster, ADeadNodesUsersQuitAndTheirNamesAreFreed) {
  const std::string fast = "heartbeat_seconds = 0.1\nnode_timeout_seconds = 0.6\n";
  auto a = start_node("a", fast);
  auto b = start_node("b", fast);
  auto c = start_node("c", fast);
  auto bob = irc_user(*b, "bob");
  ASSERT_TRUE(bob->join("#garden"));
  auto cyd = irc_user(*a, "cyd");
  ASSERT_TRUE(cyd->join("#garden"));
  auto dan = irc_user(*c, "dan");
  ASSERT_TRUE(dan->join("#garden"));
  ASSERT_TRUE(cyd->wait_for([](const IrcMessage& m) { return m.is("JOIN") && m.source_nick() == "dan"; }, "dan's JOIN"));

  b->send_signal(SIGKILL);
  auto split = [](const IrcMessage& m) { return m.is("QUIT") && m.source_nick() == "bob"; };
  IrcMessage quit;
  ASSERT_TRUE(cyd->wait_for(split, "bob's QUIT", &quit));
  EXPECT_TRUE(quit.last() == "a b" || quit.last() == "c b") << quit.raw;
  ASSERT_TRUE(dan->wait_for(split, "bob's QUIT"));
  // The announcer logged it before it announced; its log may reach us a little later.
  const std::string announced = "announces its 1 member(s)' quits";
  const auto deadline = Clock::now() + default_timeout();
  while (a->count_log(announced) + c->count_log(announced) == 0 && Clock::now() < deadline) {
    std::this_thread::sleep_for(std::chrono::milliseconds(10));  // polling the captured logs
  }
  EXPECT_EQ(a->count_log(announced) + c->count_log(announced), 1u) << "one survivor announces";
  auto again = connect_irc(a->irc_port(), "bob again");
  ASSERT_TRUE(again->register_as("bob")) << "bob's name was freed";
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

// ---- private messages, presence and names across nodes --------------------------

// A private message to a nick on another node reaches it, each sender's in
// the order sent (IRC PRIVMSG, NOTICE and TAGMSG, and the text /msg), with
// the sender's echo as on one node; a nick nobody holds anywhere is 401.
TEST_F(Cluster, PrivateMessagesReachUsersOnOtherNodes) {
  auto a = start_node("a");
  auto b = start_node("b");
  auto ann = connect_irc(a->irc_port(), "ann");
  ASSERT_TRUE(ann->register_as("ann", IrcRegisterOptions{.user = "u", .real_name = "Ann",
                                                         .caps = "echo-message message-tags", .cap_ls = false}));
  auto bob = connect_irc(b->irc_port(), "bob");
  ASSERT_TRUE(bob->register_as("bob", IrcRegisterOptions{.user = "u", .real_name = "Bob", .caps = "message-tags",
                                                          .cap_ls = false}));
  auto cat = connect(*b, "cat");
  ASSERT_TRUE(cat->register_as("cat"));

  constexpr int kCount = 60;
  for (int i = 0; i < kCount; ++i) ann->send("PRIVMSG bob :pm " + std::to_string(i));
  ann->send("NOTICE bob :a notice");
  ann->send("@+typing=active TAGMSG bob");
  for (int i = 0; i < kCount; ++i) {
    const std::string text = "pm " + std::to_string(i);
    ASSERT_TRUE(bob->expect([&](const IrcMessage& m) {
      return m.is("PRIVMSG") && m.source_nick() == "ann" && m.param(0) == "bob" && m.last() == text;
    }, text)) << "in the order sent, nothing lost";
    ASSERT_TRUE(ann->expect([&](const IrcMessage& m) {
      return m.is("PRIVMSG") && m.source_nick() == "ann" && m.param(0) == "bob" && m.last() == text;
    }, "echo of " + text));
  }
  ASSERT_TRUE(bob->expect([](const IrcMessage& m) { return m.is("NOTICE") && m.last() == "a notice"; }, "NOTICE"));
  IrcMessage tag;
  ASSERT_TRUE(bob->expect([](const IrcMessage& m) { return m.is("TAGMSG"); }, "TAGMSG", &tag));
  EXPECT_NE(tag.raw.find("+typing=active"), std::string::npos) << tag.raw;

  // A text user on b and an IRC user on a, both ways.
  cat->send_line("/msg ann hello from text");
  ASSERT_TRUE(ann->wait_for([](const IrcMessage& m) {
    return m.is("PRIVMSG") && m.source_nick() == "cat" && m.last() == "hello from text";
  }, "cat's message"));
  ASSERT_TRUE(text_reads(*cat, "Private message to ann: hello from text"));
  ann->send("PRIVMSG cat :hello from irc");
  ASSERT_TRUE(text_reads(*cat, "Private message from ann: hello from irc"));

  // Nobody holds it anywhere: 401, from either node.
  ann->send("PRIVMSG nobody :hi");
  ASSERT_TRUE(ann->wait_for_command("401"));
  bob->send("PRIVMSG nobody :hi");
  ASSERT_TRUE(bob->wait_for_command("401"));
}

// WHOIS, WHO and ISON find a user on another node as its node published it,
// away message included; an away user's private message answers 301.
TEST_F(Cluster, WhoisAndAwayWorkAcrossNodes) {
  auto a = start_node("a");
  auto b = start_node("b");
  auto ann = connect_irc(a->irc_port(), "ann");
  ASSERT_TRUE(ann->register_as("ann", IrcRegisterOptions{.user = "u", .real_name = "Ann", .caps = "away-notify",
                                                         .cap_ls = false}));
  auto bob = connect_irc(b->irc_port(), "bob");
  ASSERT_TRUE(bob->register_as("bob", IrcRegisterOptions{.user = "bobu", .real_name = "Bob Real", .caps = {},
                                                          .cap_ls = false}));
  ASSERT_TRUE(bob->join("#garden"));
  ASSERT_TRUE(ann->join("#garden"));
  ann->send("WHOIS bob");
  IrcMessage user;
  ASSERT_TRUE(ann->wait_for_command("311", &user));
  EXPECT_EQ(user.param(1), "bob");
  EXPECT_EQ(user.param(2), "~bobu") << "as b shows it (no ident)";
  EXPECT_EQ(user.last(), "Bob Real");
  ASSERT_TRUE(ann->wait_for_command("318"));

  bob->send("AWAY :out to lunch");
  ASSERT_TRUE(bob->wait_for_command("306"));
  // away-notify: a shared room hears it, in the room's order.
  ASSERT_TRUE(ann->wait_for([](const IrcMessage& m) {
    return m.is("AWAY") && m.source_nick() == "bob" && m.last() == "out to lunch";
  }, "bob's AWAY"));
  // The away message reaches Redis after 306: asked again until it shows (each a full WHOIS).
  bool away_seen = false;
  const auto deadline = Clock::now() + default_timeout();
  while (!away_seen && Clock::now() < deadline) {
    ann->send("WHOIS bob");
    std::vector<IrcMessage> lines;
    ASSERT_TRUE(ann->wait_for_command("318", nullptr, &lines));
    away_seen = std::any_of(lines.begin(), lines.end(),
                            [](const IrcMessage& m) { return m.is("301") && m.last() == "out to lunch"; });
  }
  ASSERT_TRUE(away_seen) << "WHOIS shows bob's away message";
  ann->send("PRIVMSG bob :are you there?");
  IrcMessage away;
  ASSERT_TRUE(ann->wait_for_command("301", &away));
  EXPECT_EQ(away.last(), "out to lunch");

  ann->send("WHO bob");
  std::vector<IrcMessage> lines;
  ASSERT_TRUE(ann->wait_for_command("315", nullptr, &lines));
  EXPECT_EQ(std::count_if(lines.begin(), lines.end(), [](const IrcMessage& m) { return m.is("352"); }), 1);
  ann->send("ISON bob nobody");
  IrcMessage ison;
  ASSERT_TRUE(ann->wait_for_command("303", &ison));
  EXPECT_EQ(ison.last(), "bob");

  bob->send("QUIT :bye");
  ASSERT_TRUE(bob->expect_closed());
  // Gone: its presence and name leave Redis with it (asked until they have).
  bool gone = false;
  const auto deadline2 = Clock::now() + default_timeout();
  while (!gone && Clock::now() < deadline2) {
    ann->send("WHOIS bob");
    std::vector<IrcMessage> after;
    ASSERT_TRUE(ann->wait_for_command("318", nullptr, &after));
    gone = std::any_of(after.begin(), after.end(), [](const IrcMessage& m) { return m.is("401"); });
  }
  EXPECT_TRUE(gone) << "WHOIS of a user who quit is 401";
}

// MONITOR on one node hears users of other nodes come online and go offline,
// also when their node dies and a survivor frees their names.
TEST_F(Cluster, MonitorSeesUsersOnOtherNodes) {
  const std::string fast = "heartbeat_seconds = 0.1\nnode_timeout_seconds = 0.6\n";
  auto a = start_node("a", fast);
  auto b = start_node("b", fast);
  auto bob = irc_user(*b, "bob");
  auto ann = irc_user(*a, "ann");
  ann->send("MONITOR + bob,dan");
  IrcMessage online;
  ASSERT_TRUE(ann->wait_for_command("730", &online));
  EXPECT_EQ(online.last().substr(0, 4), "bob!") << "bob, on b, is online already";
  IrcMessage offline;
  ASSERT_TRUE(ann->wait_for_command("731", &offline));
  EXPECT_EQ(offline.last(), "dan");

  auto dan = irc_user(*b, "dan");
  ASSERT_TRUE(ann->wait_for([](const IrcMessage& m) { return m.is("730") && m.last().starts_with("dan!"); },
                            "730 dan"));
  dan->send("QUIT :bye");
  ASSERT_TRUE(ann->wait_for([](const IrcMessage& m) { return m.is("731") && m.last() == "dan"; }, "731 dan"));

  b->send_signal(SIGKILL);
  ASSERT_TRUE(ann->wait_for([](const IrcMessage& m) { return m.is("731") && m.last() == "bob"; }, "731 bob"))
      << "bob's node died; a survivor freed the name";
}

// A lease this node can no longer hold (another node holds the name now) is
// given up: the user is renamed to a guest nick and told so.
TEST_F(Cluster, ANameLostToAnotherNodeIsGivenUp) {
  auto a = start_node("a", "name_lease_seconds = 3\n");
  auto ann = irc_user(*a, "ann");
  // As if another node had taken the lease while this one could not renew it.
  auto taken = redis_->command({"SET", "parley:name:ann", "elsewhere~1/1.1 999999", "PX", "60000"});
  ASSERT_EQ(taken, std::optional<std::string>("+OK"));
  IrcMessage nick;
  ASSERT_TRUE(ann->wait_for([](const IrcMessage& m) { return m.is("NICK") && m.source_nick() == "ann"; }, "NICK",
                            &nick));
  EXPECT_NE(nick.last(), "ann");
  ASSERT_TRUE(ann->wait_for([](const IrcMessage& m) {
    return m.is("NOTICE") && m.last().find("held on another server") != std::string::npos;
  }, "the notice saying why"));
  EXPECT_EQ(redis_->command({"EVAL", "return redis.call('GET', KEYS[1]) == ARGV[1] and 1 or 0", "1",
                             "parley:name:ann", "elsewhere~1/1.1 999999"}),
            std::optional<std::string>(":1"))
      << "the other holder keeps it";
  // Text users too.
  auto cat = connect(*a, "cat");
  ASSERT_TRUE(cat->register_as("cat"));
  ASSERT_EQ(redis_->command({"SET", "parley:name:cat", "elsewhere~1/1.2 999998", "PX", "60000"}),
            std::optional<std::string>("+OK"));
  std::optional<std::string> renamed;
  const auto deadline = Clock::now() + default_timeout();
  while (Clock::now() < deadline) {
    renamed = cat->read_line(remaining(deadline));
    if (!renamed || renamed->starts_with("You were renamed to ")) break;
  }
  ASSERT_TRUE(renamed && renamed->starts_with("You were renamed to ")) << cat->label();
  EXPECT_NE(renamed->find("the name cat is held on another server"), std::string::npos) << *renamed;
}

// A node frozen (SIGSTOP) past its leases loses the names another node took
// meanwhile: once resumed, it renames its user instead of holding it twice.
TEST_F(Cluster, AFrozenNodeGivesUpTheNamesItLost) {
  const std::string slow_death = "name_lease_seconds = 3\nnode_timeout_seconds = 60\n";
  auto a = start_node("a", slow_death);
  auto b = start_node("b", slow_death);
  auto ann = irc_user(*a, "ann");
  a->send_signal(SIGSTOP);
  // b may take "ann" once a's lease ran out (3 s after its last renewal).
  auto other = irc_user(*b, "other");
  bool took = false;
  const auto deadline = Clock::now() + 4 * default_timeout();
  while (!took && Clock::now() < deadline) {
    other->send("NICK ann");
    IrcMessage reply;
    if (!other->wait_for([](const IrcMessage& m) { return m.is("433") || m.is("NICK"); }, "433 or NICK", &reply))
      break;
    took = reply.is("NICK");
    if (!took) std::this_thread::sleep_for(std::chrono::milliseconds(100));  // polling the lease's expiry
  }
  a->send_signal(SIGCONT);
  ASSERT_TRUE(took) << "b took the name after a's lease expired";
  ASSERT_TRUE(ann->wait_for([](const IrcMessage& m) { return m.is("NICK") && m.source_nick() == "ann"; },
                            "ann renamed on a"));
}

// A room registered on one node is registered on the others at once: its
// founder and access list (kept by each node, here each on its own SQLite);
// an account put on the access list is made operator when it joins on
// another node; and the registration's end reaches them too.
TEST_F(Cluster, ARoomsRegistrationReachesTheOtherNodesAtOnce) {
  auto a = start_node("a");
  auto b = start_node("b");
  auto chanserv_says = [](IrcClient& c, const std::string& text) {
    return c.wait_for(
        [&](const IrcMessage& m) {
          return m.is("NOTICE") && m.source_nick() == "ChanServ" && m.last().find(text) != std::string::npos;
        },
        "ChanServ: " + text);
  };
  // Accounts are each node's own here (no [storage] url): bob has one on both.
  {
    auto bob_on_a = irc_user(*a, "bob");
    ASSERT_TRUE(new_account(*bob_on_a));
    bob_on_a->send("QUIT");
    ASSERT_TRUE(bob_on_a->expect_closed());
  }
  auto ann = irc_user(*a, "ann");
  ASSERT_TRUE(new_account(*ann));
  ASSERT_TRUE(ann->join("#team"));
  const std::size_t b_from = b->log_line_count();
  ann->send("CS REGISTER #team");
  ASSERT_TRUE(chanserv_says(*ann, "#team is now registered"));
  ASSERT_TRUE(b->wait_for_log("#team registered to ann on another node.", default_timeout(), b_from)) << b->log_text();
  auto zed = irc_user(*b, "zed");
  zed->send("CS INFO #team");
  ASSERT_TRUE(chanserv_says(*zed, "Founder: ann"));
  ASSERT_TRUE(chanserv_says(*zed, "Operators: (the founder only)"));

  ann->send("CS ACCESS #team ADD bob");
  ASSERT_TRUE(chanserv_says(*ann, "bob is on the access list"));
  ASSERT_TRUE(b->wait_for_log("#team: its registration changed on another node.", default_timeout(), b_from))
      << b->log_text();
  auto bob = irc_user(*b, "bob");
  ASSERT_TRUE(new_account(*bob));
  bob->send("JOIN #team");
  IrcMessage names;
  ASSERT_TRUE(bob->wait_for_command("353", &names));
  EXPECT_NE((" " + names.last() + " ").find(" @bob "), std::string::npos) << "op by the access list: " << names.raw;

  ann->send("CS DROP #team");
  ASSERT_TRUE(chanserv_says(*ann, "#team is no longer registered"));
  ASSERT_TRUE(b->wait_for_log("#team unregistered on another node.", default_timeout(), b_from)) << b->log_text();
  zed->send("CS INFO #team");
  ASSERT_TRUE(chanserv_says(*zed, "#team is not registered"));
}

// A K-line set on one node applies on every node at once: a matching user on
// another node is disconnected, and a matching newcomer there refused, until
// the K-line is removed (again from one node).
TEST_F(Cluster, AServerBanOnOneNodeAppliesOnTheOthers) {
  const std::string oper = "[[irc.operators]]\nname = \"root\"\npassword = \"sesame\"\n";
  auto a = start_node("a", oper);
  auto b = start_node("b", oper);
  auto root = irc_user(*a, "root");
  root->send("OPER root sesame");
  ASSERT_TRUE(root->wait_for_command("381"));
  auto spammer = irc_user(*b, "spammer");
  auto bystander = irc_user(*b, "bystander");

  const std::size_t b_from = b->log_line_count();
  root->send("KLINE spam* :go away");
  ASSERT_TRUE(root->wait_for([](const IrcMessage& m) {
    return m.is("NOTICE") && m.last().find("Added K-line for spam*!*@*") != std::string::npos;
  }, "the K-line's notice"));
  ASSERT_TRUE(spammer->wait_for([](const IrcMessage& m) { return m.is("ERROR"); }, "the ban's ERROR"));
  ASSERT_TRUE(b->wait_for_log("Server ban added by root on another node: spam*!*@* (1 disconnected).",
                              default_timeout(), b_from)) << b->log_text();
  auto refused = connect_irc(b->irc_port(), "refused on b");
  refused->send("NICK spamalot");
  refused->send("USER u 0 * :x");
  ASSERT_TRUE(refused->wait_for_command("465"));
  ASSERT_TRUE(bystander->sync()) << "others stay";

  root->send("UNKLINE spam*");
  ASSERT_TRUE(root->wait_for([](const IrcMessage& m) {
    return m.is("NOTICE") && m.last().find("Removed K-line") != std::string::npos;
  }, "the removal's notice"));
  ASSERT_TRUE(b->wait_for_log("Server ban removed on another node: spam*!*@*.", default_timeout(), b_from))
      << b->log_text();
  auto back = connect_irc(b->irc_port(), "back on b");
  ASSERT_TRUE(back->register_as("spamalot"));
}

// A room line is recorded on a node when the cluster's order brings it back,
// so a user who asks for history right after speaking asks while its own line
// may still be on its way through Redis. Its later command sees its earlier
// one's effect all the same (replies in command order, and effects too): the
// read waits for the user's earlier commands. Both in one write, many times,
// from a user without echo-message (nothing else tells it the line is back).
TEST_F(Cluster, HistoryReadRightAfterSpeakingHoldsTheLineJustSaid) {
  auto a = start_node("a");
  auto b = start_node("b");
  auto ann = connect_irc(a->irc_port(), "ann");
  ASSERT_TRUE(ann->register_as("ann", {.caps = "batch server-time message-tags draft/chathistory"}));
  ASSERT_TRUE(ann->join("#talk"));
  auto bo = irc_user(*b, "bo");
  ASSERT_TRUE(bo->join("#talk"));
  ASSERT_TRUE(ann->wait_for([](const IrcMessage& m) { return m.is("JOIN") && m.source_nick() == "bo"; },
                            "bo's JOIN, through node b"));
  for (int round = 0; round < 20; ++round) {
    SCOPED_TRACE("round " + std::to_string(round));
    const std::string said = "said " + std::to_string(round);
    ann->send_raw("PRIVMSG #talk :" + said + "\r\nCHATHISTORY LATEST #talk * 1\r\n");
    EXPECT_EQ(batch_texts(*ann), std::vector<std::string>{said});
    ASSERT_TRUE(irc_hears(*bo, said));
  }
}

}  // namespace
}  // namespace parley::test
