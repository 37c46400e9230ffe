// Storage several nodes share (issue 16): two parleyd processes, each with a
// data directory of its own, on one PostgreSQL database ([storage] url),
// against a real PostgreSQL 15 made for the test. An account registered on
// one node logs in on the other at once; a registered channel and a server
// ban made on one are there when another node starts; an account dropped on
// one is dropped on the other, though its name is registered again at once;
// --check-config says whether the database answers. With Redis too: three
// nodes with a user of each protocol see one room's lines in one order, and
// names claimed at once on all three have one holder each.
#include <gmock/gmock.h>
#include <gtest/gtest.h>

#include <iostream>
#include <map>
#include <memory>
#include <set>

#include "irc_itest_util.hpp"
#include "itest_util.hpp"
#include "postgres_process.hpp"
#include "redis_process.hpp"
#include "ws_client.hpp"

namespace parley::test {
namespace {

using ::testing::HasSubstr;

class SharedStorage : public ::testing::Test {
 protected:
  static void SetUpTestSuite() {
    if (PostgresProcess::available()) postgres_ = std::make_unique<PostgresProcess>();
  }
  static void TearDownTestSuite() { postgres_.reset(); }
  void SetUp() override {
    if (!postgres_) GTEST_SKIP() << "PostgreSQL 15 is not installed (scripts/install-deps.sh installs it)";
    url_ = postgres_->fresh_database();
  }
  // A node: its own data directory, the shared database.
  std::unique_ptr<ServerProcess> node() const {
    return std::make_unique<ServerProcess>(ServerOptions{
        .threads = kThreads,
        .config_toml = unlimited_config() + "[storage]\nurl = \"" + url_ +
                       "\"\n[[irc.operators]]\nname = \"root\"\npassword = \"sesame\"\n"});
  }
  // A node of a cluster through `redis`, on the shared database.
  std::unique_ptr<ServerProcess> cluster_node(const RedisProcess& redis, const std::string& name) const {
    auto n = std::make_unique<ServerProcess>(ServerOptions{
        .threads = kThreads,
        .config_toml = unlimited_config() + "[storage]\nurl = \"" + url_ + "\"\n[cluster]\nredis = \"" + redis.url() +
                       "\"\nnode = \"" + name + "\"\n"});
    EXPECT_TRUE(n->wait_for_log("Cluster: node " + name + " connected to Redis")) << n->log_text();
    EXPECT_TRUE(n->wait_for_log("History: kept in PostgreSQL at")) << n->log_text();
    return n;
  }
  static std::unique_ptr<PostgresProcess> postgres_;
  std::string url_;
};
std::unique_ptr<PostgresProcess> SharedStorage::postgres_;

std::unique_ptr<IrcClient> irc_user(const ServerProcess& server, const std::string& nick) {
  auto c = connect_irc(server.irc_port(), nick);
  EXPECT_TRUE(c->register_as(nick));
  return c;
}

::testing::AssertionResult notice_with(IrcClient& c, const std::string& text) {
  return c.wait_for([text](const IrcMessage& m) { return m.is("NOTICE") && m.last().find(text) != std::string::npos; },
                    "NOTICE with \"" + text + "\"");
}

TEST_F(SharedStorage, AnAccountRegisteredOnOneNodeLogsInOnAnother) {
  auto a = node();
  auto b = node();
  EXPECT_TRUE(a->wait_for_log("kept in PostgreSQL at postgresql://parley@127.0.0.1"));
  LineClient raj(a->port());
  ASSERT_TRUE(raj.register_as("Raj Ingle"));
  raj.send_line("/register opensesame");
  ASSERT_TRUE(raj.expect_line("The account Raj_Ingle is registered, and you are logged in to it."));

  LineClient elsewhere(b->port());
  ASSERT_TRUE(elsewhere.register_as("someone"));
  elsewhere.send_line("/login Raj_Ingle wrongpass");
  ASSERT_TRUE(elsewhere.expect_line("Error: wrong account name or password."));
  elsewhere.send_line("/login Raj_Ingle opensesame");
  ASSERT_TRUE(elsewhere.expect_line("You are logged in as Raj_Ingle."));
  auto irc = irc_user(*b, "raj2");
  irc->send("REGISTER * * anotherpass");
  IrcMessage m;
  ASSERT_TRUE(irc->wait_for_command("REGISTER", &m));  // raj2 is free
  EXPECT_EQ(m.param(0), "SUCCESS") << m.raw;
  // Node A knows at once that the name is taken, by an account made on B.
  LineClient again(a->port());
  ASSERT_TRUE(again.register_as("raj2"));
  ASSERT_TRUE(again.expect_line_prefix("The name raj2 belongs to the account raj2."));
}

TEST_F(SharedStorage, ARegisteredChannelAndAServerBanReachANodeStartedLater) {
  auto a = node();
  auto alice = irc_user(*a, "alice");
  alice->send("REGISTER * * alicepass");
  ASSERT_TRUE(alice->wait_for_command("REGISTER"));
  ASSERT_TRUE(alice->join("#cafe"));
  alice->send("TOPIC #cafe :Coffee and code");
  ASSERT_TRUE(alice->wait_for_command("TOPIC"));
  alice->send("PRIVMSG ChanServ :REGISTER #cafe");
  ASSERT_TRUE(notice_with(*alice, "#cafe is now registered to your account, alice"));
  alice->send("OPER root sesame");
  ASSERT_TRUE(alice->wait_for_command("381"));
  alice->send("KLINE spam* :flooding");
  ASSERT_TRUE(notice_with(*alice, "Added K-line for spam*!*@*: flooding"));
  // The hub writes on a thread of its own, after answering: stopping node A
  // waits for those writes, so node B's start cannot race them.
  auto stopped = a->terminate_and_wait();
  ASSERT_TRUE(stopped.exited()) << stopped.describe();
  auto b = node();
  auto dave = irc_user(*b, "dave");
  std::vector<IrcMessage> lines;
  dave->send("JOIN #cafe");
  ASSERT_TRUE(dave->wait_for_command("366", nullptr, &lines));
  auto topic = std::find_if(lines.begin(), lines.end(), [](const IrcMessage& m) { return m.is("332"); });
  ASSERT_NE(topic, lines.end());
  EXPECT_EQ(topic->last(), "Coffee and code");
  dave->send("CS INFO #cafe");
  ASSERT_TRUE(notice_with(*dave, "Founder: alice"));

  auto spammer = connect_irc(b->irc_port(), "spammer");
  spammer->send("NICK spammer");
  spammer->send("USER u 0 * :x");
  IrcMessage banned;
  ASSERT_TRUE(spammer->wait_for_command("465", &banned));
  EXPECT_THAT(banned.last(), HasSubstr("flooding"));
}

// A chathistory batch's PRIVMSG lines (their text and msgid).
::testing::AssertionResult read_history_batch(IrcClient& c, std::vector<std::pair<std::string, std::string>>& said) {
  IrcMessage start;
  if (auto r = c.wait_for_command("BATCH", &start); !r) return r;
  const std::string id = start.param(0).substr(1);
  for (;;) {
    auto m = c.next();
    if (!m) return ::testing::AssertionFailure() << "the batch did not end";
    if (m->is("BATCH")) return ::testing::AssertionSuccess();
    const std::string* msgid = m->tag("msgid");
    if (m->is("PRIVMSG") && msgid) said.emplace_back(m->last(), *msgid);
  }
}

// History in the shared database (issue 16): two nodes of a cluster both keep
// the room's lines, as each delivers them to its members; the database holds
// one copy of each, and CHATHISTORY on any node, one started later too, reads
// the same lines, in the room's one order, with the same msgids.
TEST_F(SharedStorage, HistoryIsKeptOnceAndReadAlikeOnEveryNode) {
  if (!RedisProcess::available()) GTEST_SKIP() << "redis-server is not installed (scripts/install-deps.sh)";
  RedisProcess redis;
  auto a = cluster_node(redis, "a");
  auto b = cluster_node(redis, "b");
  IrcRegisterOptions caps;
  caps.caps = "echo-message batch server-time message-tags draft/chathistory";
  IrcClient ann(a->irc_port(), "ann");
  ASSERT_TRUE(ann.register_as("ann", caps));
  ASSERT_TRUE(ann.join("#talk"));
  IrcClient bo(b->irc_port(), "bo");
  ASSERT_TRUE(bo.register_as("bo", caps));
  ASSERT_TRUE(bo.join("#talk"));
  ASSERT_TRUE(ann.wait_for([](const IrcMessage& m) { return m.is("JOIN") && m.source_nick() == "bo"; },
                           "bo's JOIN, through node b"));
  for (int i = 1; i <= 4; ++i) {
    ann.send("PRIVMSG #talk :from a " + std::to_string(i));
    bo.send("PRIVMSG #talk :from b " + std::to_string(i));
  }
  // A line reaches a node's history in the room's order, which Redis sets:
  // ann's own lines may come after bo's last one. Only once each has heard
  // both last lines (their own echoed) has each node recorded all eight.
  auto hears_both_last = [](IrcClient& c) {
    std::set<std::string> last{"from a 4", "from b 4"};
    return c.wait_for(
        [&](const IrcMessage& m) {
          if (m.is("PRIVMSG")) last.erase(m.last());
          return last.empty();
        },
        "both senders' last lines");
  };
  ASSERT_TRUE(hears_both_last(ann));
  ASSERT_TRUE(hears_both_last(bo));

  std::vector<std::pair<std::string, std::string>> on_a, on_b;
  ann.send("CHATHISTORY LATEST #talk * 50");
  ASSERT_TRUE(read_history_batch(ann, on_a));
  bo.send("CHATHISTORY LATEST #talk * 50");
  ASSERT_TRUE(read_history_batch(bo, on_b));
  ASSERT_EQ(on_a.size(), 8u) << "one copy of each line, though both nodes kept it: " << ::testing::PrintToString(on_a);
  EXPECT_EQ(on_a, on_b) << "the same lines, order and msgids from either node";
  // Each sender's lines in the order sent.
  int next_a = 1, next_b = 1;
  for (const auto& [text, msgid] : on_a) {
    if (text.rfind("from a ", 0) == 0) EXPECT_EQ(text, "from a " + std::to_string(next_a++));
    else EXPECT_EQ(text, "from b " + std::to_string(next_b++));
  }
  // A msgid from one node is a point in the other's history.
  bo.send("CHATHISTORY BEFORE #talk msgid=" + on_a[2].second + " 10");
  std::vector<std::pair<std::string, std::string>> before;
  ASSERT_TRUE(read_history_batch(bo, before));
  EXPECT_EQ(before, std::vector(on_a.begin(), on_a.begin() + 2));
  // A node started afterwards, that kept none of it, reads the same.
  auto c = cluster_node(redis, "c");
  IrcClient cy(c->irc_port(), "cy");
  ASSERT_TRUE(cy.register_as("cy", caps));
  ASSERT_TRUE(cy.join("#talk"));
  std::vector<std::pair<std::string, std::string>> on_c;
  cy.send("CHATHISTORY BEFORE #talk timestamp=2100-01-01T00:00:00.000Z 50");
  ASSERT_TRUE(read_history_batch(cy, on_c));
  EXPECT_EQ(on_c, on_a);
}

// Three nodes on one Redis and one database, a user of each protocol on its
// own node, one room: a text user on a, an IRC client on b, a browser's
// WebSocket on c, all sending at once. Each sees every line in one and the
// same order, each sender's in the order sent, and the room's history read
// afterwards holds each line once, in that order.
TEST_F(SharedStorage, EveryProtocolOnThreeNodesSeesOneOrder) {
  if (!RedisProcess::available()) GTEST_SKIP() << "redis-server is not installed (scripts/install-deps.sh)";
  RedisProcess redis;
  auto a = cluster_node(redis, "a");
  auto b = cluster_node(redis, "b");
  auto c = cluster_node(redis, "c");
  const auto privmsg = [](std::string text) {
    return [text = std::move(text)](const IrcMessage& m) { return m.is("PRIVMSG") && m.last() == text; };
  };
  const auto text_hears = [](LineClient& client, const std::string& text) {
    const auto deadline = Clock::now() + default_timeout();
    while (auto line = client.read_line(remaining(deadline)))
      if (line->starts_with("Message from User - ") && line->ends_with(": " + text)) return true;
    return false;
  };

  auto ann = connect(*a, "ann (text, on a)");
  ASSERT_TRUE(ann->register_as("ann"));
  IrcClient bob(b->irc_port(), "bob (IRC, on b)");
  ASSERT_TRUE(bob.register_as("bob", {.caps = "echo-message batch server-time message-tags draft/chathistory"}));
  ASSERT_TRUE(bob.join("#lobby"));
  WsClient cyd(c->http_port(), {}, "cyd (web, on c)");
  ASSERT_TRUE(cyd.upgraded());
  cyd.send("CAP REQ :echo-message");
  cyd.send("CAP END");
  ASSERT_TRUE(cyd.register_as("cyd"));
  cyd.send("JOIN #lobby");
  ASSERT_TRUE(cyd.wait_for(irc_command("366"), "366 of #lobby"));
  // Each node follows #lobby once its user hears itself; then all hear all.
  ann->send_line("ready ann");
  ASSERT_TRUE(text_hears(*ann, "ready ann"));
  bob.send("PRIVMSG #lobby :ready bob");
  ASSERT_TRUE(bob.wait_for(privmsg("ready bob"), "bob's echo"));
  cyd.send("PRIVMSG #lobby :ready cyd");
  ASSERT_TRUE(cyd.wait_for(privmsg("ready cyd"), "cyd's echo"));
  ann->send_line("start");
  ASSERT_TRUE(text_hears(*ann, "start"));
  ASSERT_TRUE(bob.wait_for(privmsg("start"), "start"));
  ASSERT_TRUE(cyd.wait_for(privmsg("start"), "start"));

  constexpr int kEach = 40;
  constexpr std::size_t kAll = 3 * kEach;
  for (int i = 0; i < kEach; ++i) {
    ann->send_line("m ann " + std::to_string(i));
    bob.send("PRIVMSG #lobby :m bob " + std::to_string(i));
    cyd.send("PRIVMSG #lobby :m cyd " + std::to_string(i));
  }
  const auto deadline = Clock::now() + default_timeout();
  std::vector<std::string> by_ann, by_bob, by_cyd;
  while (by_ann.size() < kAll && Clock::now() < deadline) {
    auto line = ann->read_line(remaining(deadline));
    if (!line) break;
    if (line->starts_with("Message from User - ")) by_ann.push_back(line->substr(line->find(": ") + 2));
  }
  while (by_bob.size() < kAll && Clock::now() < deadline) {
    auto m = bob.next(remaining(deadline));
    if (!m) break;
    if (m->is("PRIVMSG")) by_bob.push_back(m->last());
  }
  while (by_cyd.size() < kAll && Clock::now() < deadline) {
    auto m = cyd.next_irc(remaining(deadline));
    if (!m) break;
    if (m->is("PRIVMSG")) by_cyd.push_back(m->last());
  }
  ASSERT_EQ(by_ann.size(), kAll);
  EXPECT_EQ(by_bob, by_ann) << "IRC on b and text on a";
  EXPECT_EQ(by_cyd, by_ann) << "web on c and text on a";
  std::map<std::string, int> next;
  for (const std::string& text : by_ann) {
    const auto space = text.rfind(' ');
    const std::string who = text.substr(2, space - 2);
    EXPECT_EQ(std::stoi(text.substr(space + 1)), next[who]) << text;
    next[who] = std::stoi(text.substr(space + 1)) + 1;
  }

  // Two pages (a page holds at most 100 lines).
  std::vector<std::pair<std::string, std::string>> kept, earlier;
  bob.send("CHATHISTORY LATEST #lobby * 100");
  ASSERT_TRUE(read_history_batch(bob, kept));
  ASSERT_FALSE(kept.empty());
  bob.send("CHATHISTORY BEFORE #lobby msgid=" + kept.front().second + " 100");
  ASSERT_TRUE(read_history_batch(bob, earlier));
  kept.insert(kept.begin(), earlier.begin(), earlier.end());
  std::vector<std::string> kept_lines;
  for (const auto& [text, msgid] : kept)
    if (text.starts_with("m ")) kept_lines.push_back(text);
  EXPECT_EQ(kept_lines, by_ann) << "history holds each line once, in the room's order";
}

// Names claimed at the same moment on three nodes, in three protocols (a
// text name on a, an IRC nick on b, a WebSocket client's nick on c; each
// name's three claims sent together, in turns): each name has exactly one
// holder, who is welcomed, and one lease in Redis; the others are told it is
// in use.
TEST_F(SharedStorage, ANameClaimedAtOnceOnThreeNodesHasOneHolder) {
  if (!RedisProcess::available()) GTEST_SKIP() << "redis-server is not installed (scripts/install-deps.sh)";
  RedisProcess redis;
  auto a = cluster_node(redis, "a");
  auto b = cluster_node(redis, "b");
  auto c = cluster_node(redis, "c");
  constexpr int kNames = 30;
  struct Claims {
    std::unique_ptr<LineClient> text;
    std::unique_ptr<IrcClient> irc;
    std::unique_ptr<WsClient> web;
  };
  std::vector<Claims> claims(kNames);
  const auto name_of = [](int i) { return "claim" + std::to_string(i); };
  for (int i = 0; i < kNames; ++i) {
    claims[i].text = connect(*a, "text " + name_of(i));
    claims[i].irc = connect_irc(b->irc_port(), "irc " + name_of(i));
    claims[i].web = std::make_unique<WsClient>(c->http_port(), WsOptions{}, "web " + name_of(i));
    ASSERT_TRUE(claims[i].web->upgraded());
  }
  // Every claim is on its way before any answer is read.
  for (int i = 0; i < kNames; ++i) {
    const std::string name = name_of(i);
    for (int turn = 0; turn < 3; ++turn) {
      switch ((i + turn) % 3) {
        case 0: claims[i].text->send_line(name); break;
        case 1: claims[i].irc->send("NICK " + name + "\r\nUSER u 0 * :R"); break;
        default: claims[i].web->send("NICK " + name); claims[i].web->send("USER u 0 * :R"); break;
      }
    }
  }
  const auto irc_outcome = irc_any_of({"001", "433"});
  int wins_by_node[3] = {0, 0, 0};
  for (int i = 0; i < kNames; ++i) {
    SCOPED_TRACE(name_of(i));
    int holders = 0;
    ASSERT_TRUE(claims[i].text->expect_line(std::string(kGreeting)));
    const auto text_answer = claims[i].text->read_line();
    ASSERT_TRUE(text_answer.has_value());
    if (*text_answer == welcome_line(name_of(i))) {
      ++holders;
      ++wins_by_node[0];
    } else {
      EXPECT_EQ(*text_answer, "Error: the name \"" + name_of(i) + "\" is in use.");
    }
    IrcMessage m;
    ASSERT_TRUE(claims[i].irc->wait_for(irc_outcome, "001 or 433", &m));
    if (m.is("001")) {
      ++holders;
      ++wins_by_node[1];
    }
    ASSERT_TRUE(claims[i].web->wait_for(irc_outcome, "001 or 433", &m));
    if (m.is("001")) {
      ++holders;
      ++wins_by_node[2];
    }
    EXPECT_EQ(holders, 1);
    EXPECT_EQ(redis.command({"EXISTS", "parley:name:" + name_of(i)}), std::optional<std::string>(":1"));
  }
  // Not a requirement, a note: where the races went.
  std::cout << "names won by a (text) " << wins_by_node[0] << ", b (IRC) " << wins_by_node[1] << ", c (web) "
            << wins_by_node[2] << "\n";
}

// parleyd --check-config with `toml` as its file: the exit code and what it printed.
std::pair<int, std::string> check_config(const std::string& toml) {
  TempDir data;
  ServerOptions check;
  check.default_args = false;
  check.wait_until_ready = false;
  check.config_toml = toml;
  check.extra_args = {"--check-config", "--data-dir", data.path().string()};
  ServerProcess run(check);
  auto status = run.wait_exit(scaled(std::chrono::seconds(30)));
  return {status && status->exited() ? status->code() : -1, run.log_text()};
}

TEST_F(SharedStorage, CheckConfigSaysWhetherTheDatabaseAnswers) {
  auto [good, good_text] = check_config("[storage]\nurl = \"" + url_ + "\"\n");
  EXPECT_EQ(good, 0) << good_text;
  EXPECT_THAT(good_text, HasSubstr("PostgreSQL at postgresql://parley@127.0.0.1"));
  // Nothing listens on port 1.
  auto [bad, bad_text] = check_config("[storage]\nurl = \"postgresql://parley:hunter2@127.0.0.1:1/x\"\n");
  EXPECT_EQ(bad, 2) << bad_text;
  EXPECT_THAT(bad_text, HasSubstr("cannot connect to PostgreSQL at postgresql://parley@127.0.0.1:1/x"));
  EXPECT_THAT(bad_text, ::testing::Not(HasSubstr("hunter2")));
  // Not an address at all: refused when the file is read, like any bad key.
  auto [typo, typo_text] = check_config("[storage]\nurl = \"mysql://127.0.0.1/x\"\n");
  EXPECT_EQ(typo, 2) << typo_text;
  EXPECT_THAT(typo_text, HasSubstr("storage.url"));
}

// A DROP on one node, and the name registered again on another before that
// node's check: the registration makes it read the deletion from the shared
// database first, so its session of the old account is logged out, its copy
// of the registered channel forgets the account, and the new account's
// session keeps its login.
TEST_F(SharedStorage, ADropOnOneNodeReachesAnotherThoughTheNameIsRegisteredAgain) {
  auto a = node();
  auto alice = irc_user(*a, "alice");
  alice->send("REGISTER * * sesame!!");
  ASSERT_TRUE(alice->wait_for_command("REGISTER"));
  auto carol = irc_user(*a, "carol");
  carol->send("REGISTER * * sesame!!");
  ASSERT_TRUE(carol->wait_for_command("REGISTER"));
  ASSERT_TRUE(alice->join("#cafe"));
  alice->send("CS REGISTER #cafe");
  ASSERT_TRUE(notice_with(*alice, "#cafe is now registered"));
  alice->send("CS ACCESS #cafe ADD carol");
  ASSERT_TRUE(notice_with(*alice, "carol is on the access list"));

  auto b = node();  // loads #cafe, founded by alice
  auto alice_b = irc_user(*b, "alice_b");
  alice_b->send("PRIVMSG NickServ :IDENTIFY alice sesame!!");
  ASSERT_TRUE(notice_with(*alice_b, "You are now logged in as alice."));

  alice->send("PRIVMSG NickServ :DROP sesame!!");
  ASSERT_TRUE(notice_with(*alice, "The account alice is deleted."));
  auto newcomer = irc_user(*b, "alice");  // the nick is free on B: names are per node here
  newcomer->send("REGISTER * * another!!");
  IrcMessage m;
  ASSERT_TRUE(newcomer->wait_for_command("REGISTER", &m));
  ASSERT_EQ(m.param(0), "SUCCESS") << m.raw;

  // Applied before the registration was answered: no wait for B's check.
  newcomer->send("CS INFO #cafe");
  EXPECT_TRUE(notice_with(*newcomer, "Founder: carol"));
  newcomer->send("CS ACCESS #cafe DEL carol");
  EXPECT_TRUE(notice_with(*newcomer, "Only the founder of #cafe (or an IRC operator)"));
  EXPECT_TRUE(notice_with(*alice_b, "The account alice was deleted; you are logged out."));
  newcomer->send("PRIVMSG NickServ :IDENTIFY alice another!!");
  EXPECT_TRUE(notice_with(*newcomer, "You are already logged in as alice."));
}

}  // namespace
}  // namespace parley::test
