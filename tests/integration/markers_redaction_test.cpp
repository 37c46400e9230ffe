// IRCv3 draft/read-marker and draft/message-redaction (issue 11): markers kept
// per account and target across restarts, sent on JOIN before 366 and to the
// account's other clients; REDACT by the sender or a channel operator, relayed
// to clients that negotiated it, and the line gone from CHATHISTORY and SEARCH.
#include <gmock/gmock.h>
#include <gtest/gtest.h>

#include "irc_itest_util.hpp"
#include "itest_util.hpp"
#include "system_util.hpp"

namespace parley::test {
namespace {

using ::testing::HasSubstr;

constexpr const char* kMarkerCaps = "draft/read-marker message-tags server-time";
constexpr const char* kRedactCaps = "draft/message-redaction message-tags echo-message server-time batch draft/chathistory";

ServerOptions options_with(std::string data_dir = {}) {
  ServerOptions options{.threads = kThreads, .config_toml = unlimited_config()};
  options.data_dir = std::move(data_dir);
  return options;
}

std::unique_ptr<IrcClient> irc_user(ServerProcess& server, const std::string& nick, std::string caps = {}) {
  auto c = std::make_unique<IrcClient>(server.irc_port(), nick);
  IrcRegisterOptions options;
  options.caps = std::move(caps);
  EXPECT_TRUE(c->register_as(nick, options));
  return c;
}

// Registers the client's nick as an account (and logs in).
::testing::AssertionResult register_account(IrcClient& c, const std::string& password = "sesame!!") {
  c.send("REGISTER * * " + password);
  IrcMessage m;
  if (auto r = c.wait_for_command("REGISTER", &m); !r) return r;
  if (m.param(0) != "SUCCESS") return ::testing::AssertionFailure() << m.raw;
  return c.wait_for_command("900");
}

::testing::AssertionResult identify(IrcClient& c, const std::string& account, const std::string& password = "sesame!!") {
  c.send("PRIVMSG NickServ :IDENTIFY " + account + " " + password);
  return c.wait_for_command("900");
}

// JOIN and read to 366; the MARKREAD line in between (nullopt when none).
std::optional<IrcMessage> join_reading_marker(IrcClient& c, const std::string& channel) {
  std::vector<IrcMessage> lines;
  EXPECT_TRUE(c.join(channel, &lines));
  std::optional<IrcMessage> marker;
  bool names_seen = false;
  for (const auto& m : lines) {
    if (m.is("353")) names_seen = true;
    if (m.is("MARKREAD")) {
      EXPECT_FALSE(names_seen) << "MARKREAD after the names: " << m.raw;
      marker = m;
    }
  }
  return marker;
}

TEST(ReadMarker, JoinSendsItSetMovesItForwardOnlyAndOtherClientsHear) {
  TempDir data;
  {
    ServerProcess server(options_with(data.path().string()));
    auto laptop = irc_user(server, "alice", kMarkerCaps);
    ASSERT_TRUE(register_account(*laptop));
    auto none = join_reading_marker(*laptop, "#talk");
    ASSERT_TRUE(none);
    EXPECT_EQ(body_of(*none), ":parley.local MARKREAD #talk *");

    auto phone = irc_user(server, "alice_phone", kMarkerCaps);
    ASSERT_TRUE(identify(*phone, "alice"));
    ASSERT_TRUE(phone->sync());

    laptop->send("MARKREAD #talk timestamp=2021-03-04T05:06:07.089Z");
    ASSERT_TRUE(laptop->expect_raw(":parley.local MARKREAD #talk timestamp=2021-03-04T05:06:07.089Z"));
    // The account's other client hears of it, though it is not in #talk.
    ASSERT_TRUE(phone->expect_raw(":parley.local MARKREAD #talk timestamp=2021-03-04T05:06:07.089Z"));

    // Older: ignored, answered with what is kept; nobody else is told.
    laptop->send("MARKREAD #TALK timestamp=2020-01-01T00:00:00.000Z");
    ASSERT_TRUE(laptop->expect_raw(":parley.local MARKREAD #TALK timestamp=2021-03-04T05:06:07.089Z"));
    std::vector<IrcMessage> before;
    ASSERT_TRUE(phone->sync(&before));
    EXPECT_TRUE(before.empty()) << before.front().raw;

    // The phone joining gets the kept marker before its 366.
    auto kept = join_reading_marker(*phone, "#talk");
    ASSERT_TRUE(kept);
    EXPECT_EQ(body_of(*kept), ":parley.local MARKREAD #talk timestamp=2021-03-04T05:06:07.089Z");

    // A nick target, asked for: none yet.
    laptop->send("MARKREAD bob");
    IrcMessage asked;
    ASSERT_TRUE(laptop->wait_for_command("MARKREAD", &asked));  // (after the phone's JOIN)
    EXPECT_EQ(body_of(asked), ":parley.local MARKREAD bob *");
    ASSERT_TRUE(server.terminate_and_wait().exited());
  }
  // Kept across a restart.
  ServerProcess again(options_with(data.path().string()));
  auto laptop = irc_user(again, "alice", kMarkerCaps);
  ASSERT_TRUE(identify(*laptop, "alice"));
  laptop->send("MARKREAD #talk");
  IrcMessage kept;
  ASSERT_TRUE(laptop->wait_for_command("MARKREAD", &kept));
  EXPECT_EQ(body_of(kept), ":parley.local MARKREAD #talk timestamp=2021-03-04T05:06:07.089Z");
}

TEST(ReadMarker, ErrorsAndTheFutureClampedToNow) {
  ServerProcess server(options_with());
  auto c = irc_user(server, "carol", kMarkerCaps);
  c->send("MARKREAD");
  IrcMessage fail;
  ASSERT_TRUE(c->expect_command("FAIL", &fail));
  EXPECT_THAT(fail.raw, HasSubstr("MARKREAD NEED_MORE_PARAMS"));
  // Without an account: this connection's own markers, in memory.
  auto none = join_reading_marker(*c, "#talk");
  ASSERT_TRUE(none);
  EXPECT_EQ(body_of(*none), ":parley.local MARKREAD #talk *");
  c->send("MARKREAD #talk timestamp=2021-03-04T05:06:07.089Z");
  ASSERT_TRUE(c->expect_raw(":parley.local MARKREAD #talk timestamp=2021-03-04T05:06:07.089Z"));
  c->send("MARKREAD #talk timestamp=2020-03-04T05:06:07.089Z");
  ASSERT_TRUE(c->expect_raw(":parley.local MARKREAD #talk timestamp=2021-03-04T05:06:07.089Z")) << "never back";
  c->send("MARKREAD #talk *");
  ASSERT_TRUE(c->expect_command("FAIL", &fail));
  EXPECT_THAT(fail.raw, HasSubstr("MARKREAD INVALID_PARAMS")) << "'*' is the server's word only";
  c->send("PART #talk");
  ASSERT_TRUE(c->wait_for_command("PART"));
  auto own = join_reading_marker(*c, "#talk");
  ASSERT_TRUE(own);
  EXPECT_EQ(body_of(*own), ":parley.local MARKREAD #talk timestamp=2021-03-04T05:06:07.089Z");
  // Another connection does not see them.
  auto other = irc_user(server, "erin", kMarkerCaps);
  other->send("MARKREAD #talk");
  ASSERT_TRUE(other->expect_raw(":parley.local MARKREAD #talk *"));

  ASSERT_TRUE(register_account(*c));
  c->send("MARKREAD #talk yesterday");
  ASSERT_TRUE(c->expect_command("FAIL", &fail));
  EXPECT_THAT(fail.raw, HasSubstr("MARKREAD INVALID_PARAMS"));
  c->send("MARKREAD #talk timestamp=1969-12-31T23:59:59.999Z");  // before 1970: no message was ever read then
  ASSERT_TRUE(c->expect_command("FAIL", &fail));
  EXPECT_THAT(fail.raw, HasSubstr("MARKREAD INVALID_PARAMS"));
  c->send("MARKREAD #talk timestamp=2999-01-01T00:00:00.000Z");
  IrcMessage clamped;
  ASSERT_TRUE(c->expect_command("MARKREAD", &clamped));
  EXPECT_EQ(clamped.param(0), "#talk");
  EXPECT_LT(clamped.param(1), "timestamp=2999") << clamped.raw;
  EXPECT_GT(clamped.param(1), "timestamp=2026") << clamped.raw;

  // A client without the capability is sent no MARKREAD on JOIN.
  auto plain = irc_user(server, "dave");
  EXPECT_FALSE(join_reading_marker(*plain, "#talk"));
}

TEST(Redaction, TheSenderTakesAMessageBackEverywhere) {
  ServerProcess server(options_with());
  auto ann = irc_user(server, "ann", kRedactCaps);
  ASSERT_TRUE(register_account(*ann));
  ASSERT_TRUE(ann->join("#talk"));
  auto bo = irc_user(server, "bo", "draft/message-redaction message-tags");
  ASSERT_TRUE(bo->join("#talk"));
  auto cy = irc_user(server, "cy");  // no capability
  ASSERT_TRUE(cy->join("#talk"));
  auto dee = connect(server, "dee");  // a text user
  ASSERT_TRUE(dee->register_as("Dee"));
  dee->send_line("/join #talk");
  ASSERT_TRUE(dee->expect_line_prefix("You joined #talk"));
  ASSERT_TRUE(ann->sync());

  ann->send("PRIVMSG #talk :oops wrong window");
  const std::string id = msgid_of(*ann, "oops wrong window");
  ASSERT_FALSE(id.empty());
  ASSERT_EQ(msgid_of(*bo, "oops wrong window"), id);
  ASSERT_TRUE(cy->wait_for_command("PRIVMSG"));
  ASSERT_TRUE(dee->expect_line("Message from User - ann: oops wrong window"));

  ann->send("REDACT #talk " + id + " :typo");
  const std::string redact = ":" + prefix_of("ann") + " REDACT #talk " + id + " :typo";
  IrcMessage seen;
  ASSERT_TRUE(ann->expect_command("REDACT", &seen));
  EXPECT_EQ(body_of(seen), redact);
  ASSERT_TRUE(bo->expect_command("REDACT", &seen));
  EXPECT_EQ(body_of(seen), redact);
  ASSERT_TRUE(seen.tag("msgid"));

  // Those without the capability: nothing (the next line they read is the next message).
  ann->send("PRIVMSG #talk :after");
  IrcMessage next;
  ASSERT_TRUE(cy->expect_command("PRIVMSG", &next));
  EXPECT_EQ(next.last(), "after");
  ASSERT_TRUE(dee->expect_line("Message from User - ann: after"));

  // History and search no longer have it.
  EXPECT_THAT(history_texts(*ann, "#talk"), ::testing::ElementsAre("after"));
  ann->send("SEARCH text=oops");
  IrcMessage start;
  ASSERT_TRUE(ann->wait_for_command("BATCH", &start));
  auto end = ann->next();
  ASSERT_TRUE(end);
  EXPECT_TRUE(end->is("BATCH")) << "search found " << end->raw;

  // Again: the message is no longer there.
  ann->send("REDACT #talk " + id);
  IrcMessage fail;
  ASSERT_TRUE(ann->wait_for_command("FAIL", &fail));
  EXPECT_THAT(fail.raw, HasSubstr("REDACT UNKNOWN_MSGID #talk " + id));
}

TEST(Redaction, OperatorsMayOthersMayNot) {
  ServerProcess server(options_with());
  auto op = irc_user(server, "op", kRedactCaps);
  ASSERT_TRUE(op->join("#talk"));  // first in: operator
  auto bo = irc_user(server, "bo", kRedactCaps);
  ASSERT_TRUE(register_account(*bo));
  ASSERT_TRUE(bo->join("#talk"));
  auto cy = irc_user(server, "cy", kRedactCaps);  // no account
  ASSERT_TRUE(cy->join("#talk"));
  ASSERT_TRUE(op->sync());

  op->send("PRIVMSG #talk :from the op");
  const std::string op_id = msgid_of(*op, "from the op");
  cy->send("PRIVMSG #talk :spam spam");
  const std::string spam_id = msgid_of(*cy, "spam spam");
  ASSERT_TRUE(bo->sync());

  // Neither its sender (by account) nor an operator.
  bo->send("REDACT #talk " + op_id);
  IrcMessage fail;
  ASSERT_TRUE(bo->wait_for_command("FAIL", &fail));
  EXPECT_THAT(fail.raw, HasSubstr("REDACT REDACT_FORBIDDEN #talk " + op_id));
  // Its sender, but without an account: the nick alone does not prove it.
  cy->send("REDACT #talk " + spam_id);
  ASSERT_TRUE(cy->wait_for_command("FAIL", &fail));
  EXPECT_THAT(fail.raw, HasSubstr("REDACT REDACT_FORBIDDEN"));
  // The channel operator may.
  op->send("REDACT #talk " + spam_id + " :spam");
  IrcMessage seen;
  ASSERT_TRUE(cy->wait_for_command("REDACT", &seen));
  EXPECT_EQ(body_of(seen), ":" + prefix_of("op") + " REDACT #talk " + spam_id + " :spam");

  // Not a name, a channel's line named as a private one's, a channel not
  // joined, an unknown id.
  bo->send("REDACT /nobody " + spam_id);
  ASSERT_TRUE(bo->wait_for_command("FAIL", &fail));
  EXPECT_THAT(fail.raw, HasSubstr("REDACT INVALID_TARGET /nobody"));
  bo->send("REDACT cy " + spam_id);
  ASSERT_TRUE(bo->wait_for_command("FAIL", &fail));
  EXPECT_THAT(fail.raw, HasSubstr("REDACT UNKNOWN_MSGID cy " + spam_id));
  bo->send("REDACT #elsewhere " + spam_id);
  ASSERT_TRUE(bo->wait_for_command("FAIL", &fail));
  EXPECT_THAT(fail.raw, HasSubstr("REDACT INVALID_TARGET #elsewhere"));
  op->send("REDACT #talk nosuchid");
  ASSERT_TRUE(op->wait_for_command("FAIL", &fail));
  EXPECT_THAT(fail.raw, HasSubstr("REDACT UNKNOWN_MSGID #talk nosuchid"));
  op->send("REDACT #talk");
  ASSERT_TRUE(op->wait_for_command("461"));
}

// irctest's testRedactDirectMessage: the sender of a private message (kept:
// both sides have accounts) takes it back; both get the REDACT naming the
// recipient, as the PRIVMSG did, and history no longer has it. The recipient
// may not take back what it received.
TEST(Redaction, TheSenderTakesAPrivateMessageBack) {
  ServerProcess server(options_with());
  auto ann = irc_user(server, "ann", kRedactCaps);
  ASSERT_TRUE(register_account(*ann));
  auto bo = irc_user(server, "bo", kRedactCaps);
  ASSERT_TRUE(register_account(*bo));
  auto cy = irc_user(server, "cy", kRedactCaps);  // no account: nothing of its is kept

  ann->send("PRIVMSG bo :between us");
  const std::string id = msgid_of(*ann, "between us");
  ASSERT_FALSE(id.empty());
  ASSERT_EQ(msgid_of(*bo, "between us"), id);
  bo->send("PRIVMSG ann :reply");
  const std::string reply_id = msgid_of(*ann, "reply");

  // The recipient may not; nor may anyone outside the conversation.
  bo->send("REDACT ann " + id);
  IrcMessage fail;
  ASSERT_TRUE(bo->wait_for_command("FAIL", &fail));
  EXPECT_THAT(fail.raw, HasSubstr("REDACT REDACT_FORBIDDEN ann " + id));
  cy->send("REDACT bo " + id);
  ASSERT_TRUE(cy->wait_for_command("FAIL", &fail));
  EXPECT_THAT(fail.raw, HasSubstr("REDACT UNKNOWN_MSGID bo " + id));

  ann->send("REDACT bo " + id);
  IrcMessage seen;
  ASSERT_TRUE(ann->wait_for_command("REDACT", &seen));
  EXPECT_EQ(body_of(seen), ":" + prefix_of("ann") + " REDACT bo " + id);
  ASSERT_TRUE(seen.tag("msgid"));
  ASSERT_TRUE(bo->wait_for_command("REDACT", &seen));
  EXPECT_EQ(body_of(seen), ":" + prefix_of("ann") + " REDACT bo " + id);

  // Gone from both sides' history; the reply stays.
  EXPECT_THAT(history_texts(*ann, "bo"), ::testing::ElementsAre("reply"));
  EXPECT_THAT(history_texts(*bo, "ann"), ::testing::ElementsAre("reply"));
  ann->send("REDACT bo " + id + " :again");
  ASSERT_TRUE(ann->wait_for_command("FAIL", &fail));
  EXPECT_THAT(fail.raw, HasSubstr("REDACT UNKNOWN_MSGID bo " + id));
  // bo's own message: bo may take it back, with a reason.
  bo->send("REDACT ann " + reply_id + " :never mind");
  ASSERT_TRUE(ann->wait_for_command("REDACT", &seen));
  EXPECT_EQ(body_of(seen), ":" + prefix_of("bo") + " REDACT ann " + reply_id + " :never mind");
}

// Multiclient: every session of both accounts hears of a private message
// taken back, not only the nick it was sent to. The sender's other sessions
// see it as their own echo (to bo); the recipient's, as sent to them.
TEST(Redaction, APrivateRedactionReachesEverySessionOfBothAccounts) {
  ServerProcess server(options_with());
  auto ann = irc_user(server, "ann", kRedactCaps);
  ASSERT_TRUE(register_account(*ann));
  auto bo = irc_user(server, "bo", kRedactCaps);
  ASSERT_TRUE(register_account(*bo));
  auto ann_phone = irc_user(server, "ann_phone", kRedactCaps);
  ASSERT_TRUE(identify(*ann_phone, "ann"));
  auto bo_phone = irc_user(server, "bo_phone", kRedactCaps);
  ASSERT_TRUE(identify(*bo_phone, "bo"));
  auto cy = irc_user(server, "cy", kRedactCaps);
  ASSERT_TRUE(register_account(*cy));

  ann->send("PRIVMSG bo :between us");
  const std::string id = msgid_of(*ann, "between us");
  ASSERT_EQ(msgid_of(*bo, "between us"), id);
  ann->send("REDACT bo " + id);
  IrcMessage seen;
  ASSERT_TRUE(ann->wait_for_command("REDACT", &seen));
  EXPECT_EQ(body_of(seen), ":" + prefix_of("ann") + " REDACT bo " + id);
  ASSERT_TRUE(bo->wait_for_command("REDACT", &seen));
  EXPECT_EQ(body_of(seen), ":" + prefix_of("ann") + " REDACT bo " + id);
  ASSERT_TRUE(ann_phone->wait_for_command("REDACT", &seen));
  EXPECT_EQ(body_of(seen), ":" + prefix_of("ann") + " REDACT bo " + id);
  ASSERT_TRUE(bo_phone->wait_for_command("REDACT", &seen));
  EXPECT_EQ(body_of(seen), ":" + prefix_of("ann") + " REDACT bo_phone " + id);
  // Each once, and nobody else: what each gets after a PING is the PONG.
  for (IrcClient* c : {ann.get(), bo.get(), ann_phone.get(), bo_phone.get(), cy.get()}) {
    std::vector<IrcMessage> later;
    ASSERT_TRUE(c->sync(&later)) << c->label();
    for (const auto& m : later) EXPECT_FALSE(m.is("REDACT")) << c->label() << ": " << m.raw;
  }
}

// A deleted account takes with it what was kept for it alone: its read
// markers and its private conversations (both sides': they are keyed by
// account name, and whoever registers the name next must not read them).
TEST(ReadMarker, ADeletedAccountsMarkersAndConversationsGoWithIt) {
  ServerProcess server(options_with());
  const std::string caps = std::string(kMarkerCaps) + " " + kRedactCaps;
  auto ann = irc_user(server, "ann", caps);
  ASSERT_TRUE(register_account(*ann));
  auto bo = irc_user(server, "bo", caps);
  ASSERT_TRUE(register_account(*bo));
  ann->send("MARKREAD #talk timestamp=2021-03-04T05:06:07.089Z");
  ASSERT_TRUE(ann->expect_raw(":parley.local MARKREAD #talk timestamp=2021-03-04T05:06:07.089Z"));
  ann->send("PRIVMSG bo :a secret");
  ASSERT_FALSE(msgid_of(*bo, "a secret").empty());
  ASSERT_THAT(history_texts(*bo, "ann"), ::testing::ElementsAre("a secret"));
  // bo's marker on the channel stays: only the deleted account's go.
  bo->send("MARKREAD #talk timestamp=2021-03-04T05:06:07.089Z");
  ASSERT_TRUE(bo->wait_for_command("MARKREAD"));

  ann->send("PRIVMSG NickServ :DROP sesame!!");
  ASSERT_TRUE(ann->wait_for([](const IrcMessage& m) { return m.is("NOTICE") && m.last() == "The account ann is deleted."; },
                            "the account deleted"));
  ann->send("QUIT");
  ASSERT_TRUE(ann->expect_closed());
  // The name registered again, by someone else.
  auto newcomer = irc_user(server, "newann", caps);
  newcomer->send("NICK ann");
  ASSERT_TRUE(newcomer->wait_for_command("NICK"));
  ASSERT_TRUE(register_account(*newcomer));
  newcomer->send("MARKREAD #talk");
  ASSERT_TRUE(newcomer->expect_raw(":parley.local MARKREAD #talk *"));
  EXPECT_THAT(history_texts(*newcomer, "bo"), ::testing::IsEmpty());
  EXPECT_THAT(history_texts(*bo, "ann"), ::testing::IsEmpty());
  bo->send("MARKREAD #talk");
  ASSERT_TRUE(bo->expect_raw(":parley.local MARKREAD #talk timestamp=2021-03-04T05:06:07.089Z"));
}

}  // namespace
}  // namespace parley::test
