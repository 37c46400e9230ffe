// History of private messages with one side logged in, and TAGMSGs that ask
// to be kept (issue 11): what a guest said with an account is kept for the
// account alone, so that whoever holds the nick later, even as an account of
// that name, reads none of it; a TAGMSG with +draft/persist is replayed to
// clients with draft/event-playback and to nobody else.
#include <gmock/gmock.h>
#include <gtest/gtest.h>

#include "irc_itest_util.hpp"
#include "itest_util.hpp"
#include "system_util.hpp"

namespace parley::test {
namespace {

using ::testing::ElementsAre;
using ::testing::HasSubstr;

constexpr const char* kCaps = "batch server-time message-tags draft/chathistory draft/account-registration";

ServerOptions with_history(std::string data_dir) {
  ServerOptions options{.threads = kThreads, .config_toml = unlimited_config()};
  options.replay_history = true;
  options.data_dir = std::move(data_dir);
  return options;
}

std::unique_ptr<IrcClient> irc_user(ServerProcess& server, const std::string& nick, std::string caps) {
  auto c = std::make_unique<IrcClient>(server.irc_port(), nick);
  IrcRegisterOptions options;
  options.caps = std::move(caps);
  EXPECT_TRUE(c->register_as(nick, options));
  return c;
}

// Registers an account named after the nick (REGISTER) and stays logged in.
::testing::AssertionResult register_account(IrcClient& c) {
  c.send("REGISTER * * sesame!!");
  return c.expect_command("REGISTER");
}

// Reads one chathistory batch: the PRIVMSG texts in it, and its lines.
::testing::AssertionResult read_batch(IrcClient& c, std::vector<std::string>& texts,
                                      std::vector<IrcMessage>* lines = nullptr) {
  IrcMessage start;
  if (auto r = c.wait_for_command("BATCH", &start); !r) return r;
  if (start.params.size() < 2 || start.param(1) != "chathistory")
    return ::testing::AssertionFailure() << "not a chathistory batch: " << start.raw;
  const std::string id = start.param(0).substr(1);
  for (;;) {
    auto m = c.next();
    if (!m) return ::testing::AssertionFailure() << "the batch did not end";
    if (m->is("BATCH")) return m->param(0) == "-" + id ? ::testing::AssertionSuccess()
                                                       : ::testing::AssertionFailure() << "wrong end: " << m->raw;
    const std::string* batch = m->tag("batch");
    if (!batch || *batch != id) return ::testing::AssertionFailure() << "a line outside the batch: " << m->raw;
    if (m->is("PRIVMSG")) texts.push_back(m->last());
    if (lines) lines->push_back(*m);
  }
}

std::vector<std::string> latest(IrcClient& c, const std::string& target) {
  c.send("CHATHISTORY LATEST " + target + " * 50");
  std::vector<std::string> texts;
  EXPECT_TRUE(read_batch(c, texts));
  return texts;
}

// A private line named by its msgid: CHATHISTORY around, before and after it,
// from either side (the store finds a line by the time its id carries;
// REDACT by id: markers_redaction_test.cpp).
TEST(HistoryPrivate, LinesAreFoundByTheirMsgid) {
  TempDir data;
  ServerProcess server(with_history(data.path().string()));
  auto ann = irc_user(server, "ann", kCaps);
  ASSERT_TRUE(register_account(*ann));
  auto bo = irc_user(server, "bo", kCaps);
  ASSERT_TRUE(register_account(*bo));
  for (int i = 1; i <= 4; ++i) {
    (i % 2 ? ann : bo)->send(std::string("PRIVMSG ") + (i % 2 ? "bo" : "ann") + " :p" + std::to_string(i));
    ASSERT_TRUE((i % 2 ? bo : ann)->wait_for_command("PRIVMSG"));
  }
  ann->send("CHATHISTORY LATEST bo * 10");
  std::vector<std::string> texts;
  std::vector<IrcMessage> lines;
  ASSERT_TRUE(read_batch(*ann, texts, &lines));
  ASSERT_THAT(texts, ElementsAre("p1", "p2", "p3", "p4"));
  const std::string p2 = *lines[1].tag("msgid"), p3 = *lines[2].tag("msgid");
  auto read = [&](IrcClient& c, const std::string& command) {
    c.send(command);
    std::vector<std::string> got;
    EXPECT_TRUE(read_batch(c, got));
    return got;
  };
  EXPECT_THAT(read(*ann, "CHATHISTORY AROUND bo msgid=" + p2 + " 3"), ElementsAre("p1", "p2", "p3"));
  EXPECT_THAT(read(*ann, "CHATHISTORY BEFORE bo msgid=" + p3 + " 10"), ElementsAre("p1", "p2"));
  EXPECT_THAT(read(*bo, "CHATHISTORY AFTER ann msgid=" + p2 + " 10"), ElementsAre("p3", "p4")) << "the other side";
}

TEST(HistoryPrivate, AGuestsConversationIsKeptForTheAccountAlone) {
  TempDir data;
  {
    ServerProcess server(with_history(data.path().string()));
    auto ann = irc_user(server, "ann", kCaps);
    ASSERT_TRUE(register_account(*ann));
    auto eve = irc_user(server, "eve", kCaps);  // a guest: no account
    ASSERT_TRUE(ann->join("#meet"));
    ASSERT_TRUE(eve->join("#meet"));
    ann->send("PRIVMSG eve :hello guest");
    ASSERT_TRUE(eve->wait_for_command("PRIVMSG"));
    eve->send("PRIVMSG ann :hello account");
    ASSERT_TRUE(ann->wait_for_command("PRIVMSG"));

    // Both directions, for the account; nothing for the guest.
    EXPECT_THAT(latest(*ann, "eve"), ElementsAre("hello guest", "hello account"));
    eve->send("CHATHISTORY LATEST ann * 10");
    IrcMessage fail;
    ASSERT_TRUE(eve->wait_for_command("FAIL", &fail));
    EXPECT_THAT(fail.raw, HasSubstr("INVALID_TARGET"));

    // The nick changes hands: the guest leaves, someone else takes "eve"
    // and registers it as an account. The earlier holder's talk is not theirs.
    eve->send("QUIT :bye");
    ASSERT_TRUE(ann->wait_for(irc_command("QUIT"), "eve's QUIT"));
    auto eve2 = irc_user(server, "eve", kCaps);
    ASSERT_TRUE(register_account(*eve2));
    EXPECT_TRUE(latest(*eve2, "ann").empty()) << "an earlier holder's talk";
    eve2->send("PRIVMSG ann :now an account");
    ASSERT_TRUE(ann->wait_for_command("PRIVMSG"));
    EXPECT_THAT(latest(*eve2, "ann"), ElementsAre("now an account"));
    // The account ann reads its talk with both holders, in the order said.
    EXPECT_THAT(latest(*ann, "eve"), ElementsAre("hello guest", "hello account", "now an account"));
    ASSERT_TRUE(server.terminate_and_wait().exited());
  }
  // After a restart: the same, and TARGETS names eve once.
  ServerProcess again(with_history(data.path().string()));
  auto ann = irc_user(again, "ann", kCaps);
  ann->send("PRIVMSG NickServ :IDENTIFY ann sesame!!");
  ASSERT_TRUE(ann->wait_for_command("900"));
  EXPECT_THAT(latest(*ann, "eve"), ElementsAre("hello guest", "hello account", "now an account"));
  ann->send("CHATHISTORY TARGETS timestamp=2000-01-01T00:00:00.000Z timestamp=2100-01-01T00:00:00.000Z 10");
  IrcMessage start, target;
  ASSERT_TRUE(ann->wait_for_command("BATCH", &start));
  ASSERT_TRUE(ann->expect_command("CHATHISTORY", &target));
  EXPECT_EQ(target.param(1), "eve");
  ASSERT_TRUE(ann->expect_command("BATCH"));
}

// irctest's testChathistoryTagmsg, in our words.
TEST(HistoryPrivate, ATagmsgAskingToBeKeptIsReplayedWithEventPlayback) {
  TempDir data;
  ServerProcess server(with_history(data.path().string()));
  auto ann = irc_user(server, "ann", std::string(kCaps) + " echo-message draft/event-playback");
  ASSERT_TRUE(register_account(*ann));
  auto bo = irc_user(server, "bo", kCaps);
  ASSERT_TRUE(register_account(*bo));
  ASSERT_TRUE(ann->join("#talk"));
  ASSERT_TRUE(bo->join("#talk"));
  ASSERT_TRUE(ann->wait_for(irc_command("JOIN"), "bo's JOIN"));

  for (const std::string target : {"#talk", "bo"}) {
    SCOPED_TRACE(target);
    ann->send("@+typing=active TAGMSG " + target);  // for now only: not kept
    ann->send("@+x=1;+draft/persist TAGMSG " + target);
    IrcMessage echo, relayed;
    ASSERT_TRUE(ann->wait_for(irc_command_param("TAGMSG", 0, target), "the typing echo"));
    ASSERT_TRUE(ann->wait_for(irc_command_param("TAGMSG", 0, target), "the echo", &echo));
    ASSERT_TRUE(bo->wait_for(irc_command("TAGMSG"), "the typing notice"));
    ASSERT_TRUE(bo->wait_for(irc_command("TAGMSG"), "the relay", &relayed));
    ASSERT_TRUE(echo.tag("msgid"));
    EXPECT_EQ(*relayed.tag("msgid"), *echo.tag("msgid"));

    ann->send("CHATHISTORY LATEST " + target + " * 10");
    std::vector<std::string> texts;
    std::vector<IrcMessage> lines;
    ASSERT_TRUE(read_batch(*ann, texts, &lines));
    std::vector<IrcMessage> tagmsgs;
    for (const auto& m : lines) {
      if (m.is("TAGMSG")) tagmsgs.push_back(m);
    }
    ASSERT_EQ(tagmsgs.size(), 1u) << describe_lines(lines);
    EXPECT_EQ(tagmsgs[0].param(0), target);
    EXPECT_EQ(tagmsgs[0].source_nick(), "ann");
    ASSERT_TRUE(tagmsgs[0].tag("+x"));
    EXPECT_EQ(*tagmsgs[0].tag("+x"), "1");
    EXPECT_EQ(*tagmsgs[0].tag("msgid"), *echo.tag("msgid"));

    // Without event playback: no TAGMSG in the replay.
    bo->send("CHATHISTORY LATEST " + std::string(target == "bo" ? "ann" : target) + " * 10");
    lines.clear();
    ASSERT_TRUE(read_batch(*bo, texts, &lines));
    for (const auto& m : lines) EXPECT_FALSE(m.is("TAGMSG")) << m.raw;
  }
}

}  // namespace
}  // namespace parley::test
