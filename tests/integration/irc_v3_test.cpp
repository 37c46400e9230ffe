// IRCv3 against the real parleyd: labeled-response and batch, message-tags
// (client-only tags, TAGMSG), invite-notify, standard-replies and WHOX, and
// the channel rules that go with them (secret channels, bans).
//
// Each test quotes the specification line it checks (ircv3.net/specs/...).

#include <algorithm>

#include "irc_itest_util.hpp"

namespace parley::test {
namespace {

constexpr const char* kLabeled = "batch labeled-response";

// One labelled response, read off the wire: a single line carrying the
// label, or a labeled-response batch (its inner lines are returned).
struct Labelled {
  bool batch = false;
  std::vector<IrcMessage> lines;
};

::testing::AssertionResult read_labelled(IrcClient& c, const std::string& label, Labelled& out) {
  out = Labelled{};
  IrcMessage first;
  if (auto r = c.expect([&](const IrcMessage& m) { return m.tag("label") != nullptr; }, "a labelled line", &first); !r)
    return r;
  if (*first.tag("label") != label) return ::testing::AssertionFailure() << "wrong label: " << first.raw;
  if (!first.is("BATCH")) {
    out.lines = {first};
    return ::testing::AssertionSuccess();
  }
  out.batch = true;
  if (first.param(0).size() < 2 || first.param(0)[0] != '+' || first.param(1) != "labeled-response")
    return ::testing::AssertionFailure() << "not a labeled-response batch: " << first.raw;
  const std::string id = first.param(0).substr(1);
  for (;;) {
    IrcMessage m;
    if (auto r = c.expect([](const IrcMessage&) { return true; }, "a line of the batch", &m); !r) return r;
    if (m.is("BATCH") && m.param(0) == "-" + id) return ::testing::AssertionSuccess();
    if (!m.tag("batch") || *m.tag("batch") != id)
      return ::testing::AssertionFailure() << "a line inside the batch without batch=" << id << ": " << m.raw;
    if (m.tag("label")) return ::testing::AssertionFailure() << "label inside the batch: " << m.raw;
    out.lines.push_back(m);
  }
}

std::vector<std::string> commands_of(const Labelled& l) {
  std::vector<std::string> out;
  for (const auto& m : l.lines) out.push_back(m.command);
  return out;
}

// Reads a text client's lines until one contains `part`.
::testing::AssertionResult line_containing(LineClient& c, std::string_view part) {
  for (;;) {
    auto line = c.read_line();
    if (!line) return ::testing::AssertionFailure() << "no line containing '" << part << "'";
    if (line->find(part) != std::string::npos) return ::testing::AssertionSuccess();
  }
}

class IrcV3 : public ::testing::Test {
 protected:
  std::unique_ptr<IrcClient> user(const std::string& nick, std::string caps = {}) {
    auto c = connect_irc(server_.irc_port(), nick);
    IrcRegisterOptions options;
    options.caps = std::move(caps);
    options.cap_ls = true;
    EXPECT_TRUE(c->register_as(nick, options));
    return c;
  }

  ServerProcess server_{ServerOptions{.threads = kThreads, .config_toml = unlimited_config()}};
};

// --- capabilities ------------------------------------------------------------------

TEST_F(IrcV3, TheNewCapabilitiesAreAdvertised) {
  auto c = connect_irc(server_.irc_port(), "zoe");
  c->send("CAP LS 302");
  IrcMessage ls;
  ASSERT_TRUE(c->expect_command("CAP", &ls));
  for (const char* cap : {"batch", "labeled-response", "invite-notify", "standard-replies", "message-tags"}) {
    const std::string list = " " + ls.last() + " ";
    EXPECT_NE(list.find(std::string(" ") + cap + " "), std::string::npos) << cap << " missing: " << ls.raw;
  }
}

// --- labeled-response ---------------------------------------------------------------

// "For any message received from a client that includes this tag, the server
// MUST include the same tag and value in any response produced from this message".
TEST_F(IrcV3, APingAnswersWithOneLabelledPong) {
  auto zoe = user("zoe", kLabeled);
  zoe->send("@label=p1 PING :hello");
  Labelled r;
  ASSERT_TRUE(read_labelled(*zoe, "p1", r));
  EXPECT_FALSE(r.batch);
  ASSERT_EQ(r.lines.size(), 1u);
  EXPECT_TRUE(r.lines[0].is("PONG"));
  EXPECT_EQ(r.lines[0].last(), "hello");
}

// "Servers MUST respond with a labeled ACK message when a client sends a
// labeled command that normally produces no response."
TEST_F(IrcV3, ACommandWithoutReplyIsAcked) {
  auto zoe = user("zoe", kLabeled);
  zoe->send("@label=a1 PONG :whatever");
  Labelled r;
  ASSERT_TRUE(read_labelled(*zoe, "a1", r));
  ASSERT_EQ(r.lines.size(), 1u);
  EXPECT_EQ(body_of(r.lines[0]), ":parley.local ACK");
  // A channel message without echo-message: no reply, so an ACK, once the
  // message is settled.
  ASSERT_TRUE(zoe->join("#garden"));
  zoe->send("@label=a2 PRIVMSG #garden :hi");
  ASSERT_TRUE(read_labelled(*zoe, "a2", r));
  EXPECT_TRUE(r.lines[0].is("ACK")) << r.lines[0].raw;
}

// A labelled NICK waits on the name registry twice over (the label and the
// nick each hold the client's input); the line after it must still come only
// once both are settled, from the new nick, after the labelled reply.
TEST_F(IrcV3, ALabelledNickIsSettledBeforeTheNextLine) {
  auto obs = user("obs");
  ASSERT_TRUE(obs->join("#garden"));
  auto zoe = user("zoe", kLabeled);
  ASSERT_TRUE(zoe->join("#garden"));
  ASSERT_TRUE(obs->wait_for(irc_command("JOIN"), "zoe's JOIN"));
  zoe->send_raw("@label=n1 NICK zoe2\r\n@label=n2 PRIVMSG #garden :renamed\r\n");
  Labelled r;
  ASSERT_TRUE(read_labelled(*zoe, "n1", r));
  ASSERT_FALSE(r.lines.empty());
  EXPECT_EQ(body_of(r.lines[0]), ":zoe!~u@127.0.0.1 NICK :zoe2");
  ASSERT_TRUE(read_labelled(*zoe, "n2", r));
  EXPECT_TRUE(r.lines[0].is("ACK")) << r.lines[0].raw;
  ASSERT_TRUE(obs->expect_raw(":zoe!~u@127.0.0.1 NICK :zoe2"));
  ASSERT_TRUE(obs->expect_raw(":zoe2!~u@127.0.0.1 PRIVMSG #garden :renamed"));
}

// "Failed PRIVMSG with ERR_NOSUCHNICK: @label=dc11f13f11 :irc.example.com 401 * nick :No such nick/channel"
TEST_F(IrcV3, AnErrorNumericCarriesTheLabel) {
  auto zoe = user("zoe", kLabeled);
  zoe->send("@label=e1 PRIVMSG nobody :Hello");
  Labelled r;
  ASSERT_TRUE(read_labelled(*zoe, "e1", r));
  ASSERT_EQ(r.lines.size(), 1u);
  EXPECT_TRUE(r.lines[0].is("401")) << r.lines[0].raw;
  zoe->send("@label=e2 FROB");
  ASSERT_TRUE(read_labelled(*zoe, "e2", r));
  EXPECT_TRUE(r.lines[0].is("421")) << r.lines[0].raw;
}

// "echo-message showing a message ...: @label=pQraCjj82e :nick!user@host PRIVMSG #channel :Hello!"
// and "When a client sends a message to itself, the server MUST NOT include the
// label tag, except for any acknowledgment sent with the echo-message mechanism."
TEST_F(IrcV3, EchoMessageIsTheLabelledAnswer) {
  auto zoe = user("zoe", "batch labeled-response echo-message");
  auto amy = user("amy");
  ASSERT_TRUE(zoe->join("#garden"));
  ASSERT_TRUE(amy->join("#garden"));
  ASSERT_TRUE(zoe->wait_for_command("JOIN"));
  zoe->send("@label=m1 PRIVMSG #garden :Hello!");
  Labelled r;
  ASSERT_TRUE(read_labelled(*zoe, "m1", r));
  ASSERT_EQ(r.lines.size(), 1u);
  EXPECT_EQ(body_of(r.lines[0]), ":" + prefix_of("zoe") + " PRIVMSG #garden :Hello!");
  IrcMessage m;
  ASSERT_TRUE(amy->expect_command("PRIVMSG", &m));
  EXPECT_FALSE(m.has_tags) << "the label reached someone else: " << m.raw;
  // To oneself: the echo is labelled, the delivered copy is not.
  zoe->send("@label=m2 PRIVMSG zoe :note to self");
  std::vector<IrcMessage> lines;
  for (int i = 0; i < 2; ++i) {
    ASSERT_TRUE(zoe->expect_command("PRIVMSG", &m));
    lines.push_back(m);
  }
  const auto labelled = std::count_if(lines.begin(), lines.end(), [](const IrcMessage& l) { return l.tag("label"); });
  EXPECT_EQ(labelled, 1) << describe_lines(lines);
}

// "If a response consists of more than one message, a batch MUST be used to
// group them into a single logical response." (WHOIS example.)
TEST_F(IrcV3, SeveralLinesComeInOneBatch) {
  auto zoe = user("zoe", kLabeled);
  auto amy = user("amy");
  zoe->send("@label=w1 WHOIS amy");
  Labelled r;
  ASSERT_TRUE(read_labelled(*zoe, "w1", r));
  EXPECT_TRUE(r.batch);
  EXPECT_EQ(r.lines.front().command, "311");
  EXPECT_EQ(r.lines.back().command, "318");
  // JOIN: the JOIN line, the names and their end, all in the batch.
  zoe->send("@label=j1 JOIN #garden");
  ASSERT_TRUE(read_labelled(*zoe, "j1", r));
  EXPECT_EQ(commands_of(r), (std::vector<std::string>{"JOIN", "353", "366"}));
  zoe->send("@label=n1 NAMES #garden");
  ASSERT_TRUE(read_labelled(*zoe, "n1", r));
  EXPECT_EQ(commands_of(r), (std::vector<std::string>{"353", "366"}));
  zoe->send("@label=w2 WHO #garden");
  ASSERT_TRUE(read_labelled(*zoe, "w2", r));
  EXPECT_EQ(commands_of(r), (std::vector<std::string>{"352", "315"}));
  zoe->send("@label=q1 MODE #garden");
  ASSERT_TRUE(read_labelled(*zoe, "q1", r));
  EXPECT_EQ(commands_of(r), (std::vector<std::string>{"324", "329"}));
  zoe->send("@label=b1 MODE #garden b");
  ASSERT_TRUE(read_labelled(*zoe, "b1", r));
  EXPECT_EQ(commands_of(r), (std::vector<std::string>{"368"}));
}

// A labelled command that answers later (the channel's home loop decides) is
// complete before the next line is read: the answers never interleave.
TEST_F(IrcV3, LabelledAnswersFollowTheOrderOfCommands) {
  auto zoe = user("zoe", kLabeled);
  std::string burst;
  for (int i = 0; i < 5; ++i) {
    burst += "@label=j" + std::to_string(i) + " JOIN #room" + std::to_string(i) + "\r\n";
    burst += "@label=p" + std::to_string(i) + " PING :t" + std::to_string(i) + "\r\n";
  }
  zoe->send_raw(burst);
  for (int i = 0; i < 5; ++i) {
    Labelled r;
    ASSERT_TRUE(read_labelled(*zoe, "j" + std::to_string(i), r));
    EXPECT_EQ(commands_of(r), (std::vector<std::string>{"JOIN", "353", "366"}));
    ASSERT_TRUE(read_labelled(*zoe, "p" + std::to_string(i), r));
    EXPECT_TRUE(r.lines[0].is("PONG"));
  }
}

// "This specification depends on the batch capability which MUST be negotiated
// to use labeled responses." Without it, no labels at all.
TEST_F(IrcV3, NoLabelsWithoutTheCapabilities) {
  auto zoe = user("zoe", "labeled-response");
  zoe->send("@label=x PING :t");
  IrcMessage m;
  ASSERT_TRUE(zoe->expect_command("PONG", &m));
  EXPECT_FALSE(m.tag("label")) << m.raw;
  auto amy = user("amy");
  amy->send("@label=y PING :t");
  ASSERT_TRUE(amy->expect_command("PONG", &m));
  EXPECT_FALSE(m.has_tags) << m.raw;
}

// --- message-tags: client-only tags and TAGMSG ------------------------------------

// "Client-only tags are client-initiated tags that servers MUST attach as-is to
// any relevant message relayed to other clients." "Tags without the
// client-only prefix MUST be removed by the server before being relayed".
TEST_F(IrcV3, ClientOnlyTagsAreRelayedToMessageTagsClients) {
  auto zoe = user("zoe", "message-tags");
  auto amy = user("amy", "message-tags");
  auto bob = user("bob");
  for (auto* c : {zoe.get(), amy.get(), bob.get()}) ASSERT_TRUE(c->join("#garden"));
  ASSERT_TRUE(zoe->wait_for_command("JOIN"));
  ASSERT_TRUE(zoe->wait_for_command("JOIN"));
  ASSERT_TRUE(amy->wait_for_command("JOIN"));
  zoe->send("@+example.com/icon=a\\sb;unknown=1 PRIVMSG #garden :look");
  IrcMessage m;
  ASSERT_TRUE(amy->expect_command("PRIVMSG", &m));
  ASSERT_TRUE(m.tag("+example.com/icon")) << m.raw;
  EXPECT_EQ(*m.tag("+example.com/icon"), "a b");
  EXPECT_FALSE(m.tag("unknown")) << m.raw;
  ASSERT_TRUE(m.tag("msgid"));
  // "Any server-initiated tags ... MUST be included before client-only tags".
  EXPECT_LT(m.raw.find("msgid="), m.raw.find("+example.com/icon")) << m.raw;
  ASSERT_TRUE(bob->expect_raw(":" + prefix_of("zoe") + " PRIVMSG #garden :look"));
  // Private messages and notices too.
  zoe->send("@+react=1 NOTICE amy :psst");
  ASSERT_TRUE(amy->expect_command("NOTICE", &m));
  ASSERT_TRUE(m.tag("+react")) << m.raw;
}

// "Servers MUST NOT deliver TAGMSG to clients that haven't negotiated the
// message tags capability." and "This message MUST be delivered to targets in
// the same way as PRIVMSG and NOTICE messages" (echo-message included).
TEST_F(IrcV3, TagmsgReachesOnlyMessageTagsClients) {
  auto zoe = user("zoe", "message-tags echo-message");
  auto amy = user("amy", "message-tags");
  auto bob = user("bob");
  auto text = connect(server_, "raj");
  ASSERT_TRUE(text->register_as("raj"));  // joins #lobby
  for (auto* c : {zoe.get(), amy.get(), bob.get()}) ASSERT_TRUE(c->join("#lobby"));
  ASSERT_TRUE(zoe->sync());
  ASSERT_TRUE(amy->sync());
  ASSERT_TRUE(bob->sync());
  zoe->send("@+typing=active TAGMSG #lobby");
  IrcMessage m;
  ASSERT_TRUE(zoe->expect_command("TAGMSG", &m));  // the echo
  ASSERT_TRUE(amy->expect_command("TAGMSG", &m));
  EXPECT_EQ(body_of(m), ":" + prefix_of("zoe") + " TAGMSG #lobby");
  ASSERT_TRUE(m.tag("+typing"));
  EXPECT_EQ(*m.tag("+typing"), "active");
  // bob (no message-tags) and the text user see nothing: the next thing they
  // see is a real message.
  zoe->send("PRIVMSG #lobby :done typing");
  ASSERT_TRUE(bob->expect_command("PRIVMSG", &m));
  EXPECT_EQ(m.last(), "done typing");
  std::string line;
  for (;;) {
    auto l = text->read_line();
    ASSERT_TRUE(l) << "the text user never saw the message";
    if (l->find("done typing") != std::string::npos) break;
    EXPECT_EQ(l->find("TAGMSG"), std::string::npos) << *l;
    EXPECT_EQ(l->find("Message from User - zoe: \n"), std::string::npos) << *l;
  }
  // To a nick.
  zoe->send("@+react=heart TAGMSG amy");
  ASSERT_TRUE(zoe->expect_command("PRIVMSG"));  // zoe's own echo of "done typing"
  ASSERT_TRUE(zoe->expect_command("TAGMSG"));
  ASSERT_TRUE(amy->expect_command("PRIVMSG"));
  ASSERT_TRUE(amy->expect_command("TAGMSG", &m));
  EXPECT_EQ(body_of(m), ":" + prefix_of("zoe") + " TAGMSG amy");
  zoe->send("TAGMSG nobody");
  ASSERT_TRUE(zoe->expect_command("401"));
  zoe->send("TAGMSG");
  ASSERT_TRUE(zoe->expect_command("411"));
}

// "Servers MUST reply with the ERR_INPUTTOOLONG (417) error numeric if a client
// sends a message with more tag data than the allowed limit."
TEST_F(IrcV3, ClientTagsOverTheLimitAreRefused) {
  auto zoe = user("zoe", "message-tags");
  auto amy = user("amy", "message-tags");
  ASSERT_TRUE(zoe->join("#garden"));
  ASSERT_TRUE(amy->join("#garden"));
  ASSERT_TRUE(zoe->wait_for_command("JOIN"));
  const std::string fits = "+x=" + std::string(4094 - 3, 'a');
  zoe->send("@" + fits + " TAGMSG #garden");
  IrcMessage m;
  ASSERT_TRUE(amy->expect_command("TAGMSG", &m));
  ASSERT_TRUE(m.tag("+x"));
  EXPECT_EQ(m.tag("+x")->size(), 4091u);
  zoe->send("@" + fits + "a TAGMSG #garden");
  ASSERT_TRUE(zoe->expect_command("417"));
  std::vector<IrcMessage> before;
  ASSERT_TRUE(amy->sync(&before));
  EXPECT_TRUE(before.empty()) << describe_lines(before);
}

// --- invite-notify --------------------------------------------------------------------

// "The invite-notify client capability allows a client to specify that it
// would like to be notified when users are invited to channels."
// Format ":<inviter> INVITE <target> <channel>"; "a server may choose to only
// send the message ... to clients that have the privilege to do an /INVITE".
TEST_F(IrcV3, InviteNotifyTellsMembersWhoCouldInvite) {
  auto zoe = user("zoe", "invite-notify");
  auto amy = user("amy", "invite-notify");
  auto bob = user("bob");
  auto raj = user("raj");
  for (auto* c : {zoe.get(), amy.get(), bob.get()}) ASSERT_TRUE(c->join("#garden"));
  ASSERT_TRUE(zoe->sync());
  ASSERT_TRUE(amy->sync());
  ASSERT_TRUE(bob->sync());
  zoe->send("INVITE raj #garden");
  ASSERT_TRUE(zoe->expect_command("341"));
  ASSERT_TRUE(raj->expect_raw(":" + prefix_of("zoe") + " INVITE raj :#garden"));
  ASSERT_TRUE(amy->expect_raw(":" + prefix_of("zoe") + " INVITE raj #garden"));
  std::vector<IrcMessage> before;
  ASSERT_TRUE(bob->sync(&before));  // no capability: nothing
  EXPECT_TRUE(before.empty()) << describe_lines(before);
  ASSERT_TRUE(zoe->sync(&before));  // the inviter has its 341
  EXPECT_TRUE(before.empty()) << describe_lines(before);
  // Invite-only: only operators may invite, so only they are told.
  zoe->send("MODE #garden +i");
  ASSERT_TRUE(amy->wait_for_command("MODE"));
  ASSERT_TRUE(zoe->wait_for_command("MODE"));
  auto eve = user("eve");
  zoe->send("INVITE eve #garden");
  ASSERT_TRUE(zoe->expect_command("341"));
  ASSERT_TRUE(eve->expect_command("INVITE"));
  ASSERT_TRUE(amy->sync(&before));
  EXPECT_TRUE(before.empty()) << describe_lines(before);
}

// --- standard-replies ----------------------------------------------------------------

// "<type> <command> <code> [<context>...] <description>" -- the UTF8ONLY refusal.
TEST_F(IrcV3, InvalidUtf8IsAStandardFail) {
  auto zoe = user("zoe", "standard-replies");
  ASSERT_TRUE(zoe->join("#garden"));
  zoe->send_raw("PRIVMSG #garden :\xff\xfe\r\n");
  IrcMessage m;
  ASSERT_TRUE(zoe->expect_command("FAIL", &m));
  EXPECT_EQ(m.param(0), "PRIVMSG");
  EXPECT_EQ(m.param(1), "INVALID_UTF8");
  EXPECT_FALSE(m.last().empty());
}

// --- WHOX ------------------------------------------------------------------------------

// WHOX: "WHO <mask> %<fields>[,<token>]" answers RPL_WHOSPCRPL (354) with the
// fields asked for, in the order t c u i h s n f d l a o r.
TEST_F(IrcV3, WhoxGivesTheFieldsAskedForInOrder) {
  auto zoe = connect_irc(server_.irc_port(), "zoe");
  std::vector<IrcMessage> welcome;
  ASSERT_TRUE(zoe->register_as("zoe", {}, &welcome));
  bool whox = false;
  for (const auto& m : welcome) {
    if (m.is("005")) whox = whox || std::find(m.params.begin(), m.params.end(), "WHOX") != m.params.end();
  }
  EXPECT_TRUE(whox) << describe_lines(welcome);
  ASSERT_TRUE(zoe->join("#garden"));
  zoe->send("WHO #garden %rnuct,42");
  IrcMessage m;
  ASSERT_TRUE(zoe->expect_command("354", &m));
  EXPECT_EQ(m.params, (std::vector<std::string>{"zoe", "42", "#garden", "~u", "zoe", "Real Name"}));
  ASSERT_TRUE(zoe->expect_command("315"));
  zoe->send("WHO zoe %nf");
  ASSERT_TRUE(zoe->expect_command("354", &m));
  EXPECT_EQ(m.params, (std::vector<std::string>{"zoe", "zoe", "H"}));
  ASSERT_TRUE(zoe->expect_command("315"));
}

// WHO with a nick mask: the mask "is usually a channel name or the exact
// nickname of a user, but servers MAY support mask patterns as well" (modern
// IRC client protocol, WHO). Every user whose nick!user@host matches, then 315.
TEST_F(IrcV3, WhoTakesNickMasks) {
  auto zoe = user("zoe");
  auto zed = user("zed");
  auto amy = user("amy");
  amy->send("WHO z*");
  IrcMessage m;
  ASSERT_TRUE(amy->expect_command("352", &m));
  EXPECT_EQ(m.param(5), "zed");
  ASSERT_TRUE(amy->expect_command("352", &m));
  EXPECT_EQ(m.param(5), "zoe");
  ASSERT_TRUE(amy->expect_command("315", &m));
  EXPECT_EQ(m.param(1), "z*");
  amy->send("WHO z?e %n");
  ASSERT_TRUE(amy->expect_command("354", &m));
  EXPECT_EQ(m.param(1), "zoe");
  ASSERT_TRUE(amy->expect_command("315"));
  amy->send("WHO nobody*");
  ASSERT_TRUE(amy->expect_command("315"));
}

// --- channel rules ---------------------------------------------------------------------

// Secret channels keep their member lists to themselves: NAMES and WHO answer
// a non-member as for a channel that does not exist.
TEST_F(IrcV3, SecretChannelsDoNotListMembersToOutsiders) {
  auto zoe = user("zoe");
  auto amy = user("amy");
  ASSERT_TRUE(zoe->join("#hideout"));
  zoe->send("MODE #hideout +s");
  ASSERT_TRUE(zoe->expect_command("MODE"));
  amy->send("NAMES #hideout");
  ASSERT_TRUE(amy->expect_command("366"));
  amy->send("WHO #hideout");
  ASSERT_TRUE(amy->expect_command("315"));
  amy->send("WHO #hideout %n");
  ASSERT_TRUE(amy->expect_command("315"));
  zoe->send("NAMES #hideout");
  ASSERT_TRUE(zoe->expect_command("353"));  // members still see it
}

// A ban silences a member already in the channel (404), in both protocols.
TEST_F(IrcV3, ABanSilencesMembersAlreadyIn) {
  auto zoe = user("zoe");
  auto amy = user("amy");
  ASSERT_TRUE(zoe->join("#garden"));
  ASSERT_TRUE(amy->join("#garden"));
  ASSERT_TRUE(zoe->wait_for_command("JOIN"));
  zoe->send("MODE #garden +b amy");
  ASSERT_TRUE(amy->wait_for_command("MODE"));
  amy->send("PRIVMSG #garden :can I speak?");
  IrcMessage m;
  ASSERT_TRUE(amy->expect_command("404", &m));
  EXPECT_EQ(m.param(1), "#garden");
  std::vector<IrcMessage> before;
  ASSERT_TRUE(zoe->sync(&before));
  for (const auto& b : before) EXPECT_FALSE(b.is("PRIVMSG")) << b.raw;
  zoe->send("MODE #garden -b amy");
  ASSERT_TRUE(amy->wait_for_command("MODE"));
  amy->send("PRIVMSG #garden :thanks");
  ASSERT_TRUE(zoe->wait_for_command("PRIVMSG"));
}

// zoe creates #tea (the first in a channel is its operator; not in #lobby,
// which "has no automatic operator", issue 9), the text user joins it.
TEST_F(IrcV3, ABanSilencesTextUsersToo) {
  auto zoe = user("zoe");
  ASSERT_TRUE(zoe->join("#tea"));  // first in: operator
  auto raj = connect(server_, "raj");
  ASSERT_TRUE(raj->register_as("raj"));  // text users start in #lobby
  raj->send_line("/join tea");
  ASSERT_TRUE(raj->expect_line_prefix("You joined #tea. Members (2): "));
  ASSERT_TRUE(zoe->wait_for_command("JOIN"));
  zoe->send("MODE #tea +b raj");
  ASSERT_TRUE(zoe->expect_command("MODE"));
  ASSERT_TRUE(line_containing(*raj, "zoe"));  // the text user is told of the ban
  raj->send_line("may I?");
  ASSERT_TRUE(line_containing(*raj, "banned"));
  std::vector<IrcMessage> before;
  ASSERT_TRUE(zoe->sync(&before));
  for (const auto& b : before) EXPECT_FALSE(b.is("PRIVMSG")) << b.raw;
}

}  // namespace
}  // namespace parley::test
