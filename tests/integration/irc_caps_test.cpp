// IRCv3 capabilities against the real parleyd (docs/irc.md, "Capabilities"):
// each one changes what the client that asked for it sees, and nothing else.
//
// Each test quotes the sentence of the IRCv3 specification (ircv3.net) it
// checks.

#include <chrono>
#include <ctime>
#include <regex>
#include <set>

#include "irc_itest_util.hpp"

namespace parley::test {
namespace {

// Seconds between a server-time value and now (the server runs on this machine).
double seconds_from_now(const std::string& value) {
  std::tm tm{};
  int ms = 0;
  if (std::sscanf(value.c_str(), "%4d-%2d-%2dT%2d:%2d:%2d.%3dZ", &tm.tm_year, &tm.tm_mon, &tm.tm_mday, &tm.tm_hour,
                  &tm.tm_min, &tm.tm_sec, &ms) != 7) {
    return 1e9;
  }
  tm.tm_year -= 1900;
  tm.tm_mon -= 1;
  const auto stamp = std::chrono::system_clock::from_time_t(timegm(&tm)) + std::chrono::milliseconds(ms);
  return std::chrono::duration<double>(std::chrono::system_clock::now() - stamp).count();
}

class IrcCaps : public ::testing::Test {
 protected:
  // A registered client called `nick` that negotiated `caps` ("" for none, but
  // still with CAP LS 302 / CAP END when `negotiate`).
  std::unique_ptr<IrcClient> user(const std::string& nick, std::string caps = {}, std::string real_name = {},
                                  bool negotiate = false) {
    auto c = connect_irc(server_.irc_port(), nick);
    IrcRegisterOptions options;
    options.caps = std::move(caps);
    options.cap_ls = negotiate;
    options.real_name = real_name.empty() ? "Real " + nick : std::move(real_name);
    EXPECT_TRUE(c->register_as(nick, options));
    return c;
  }

  ServerProcess server_{ServerOptions{.threads = kThreads, .config_toml = unlimited_config()}};
};

// server-time: "When enabled, the server-time extension enables optional time
// message tag" whose value "MUST have the following syntax: <value> ::=
// YYYY-MM-DDThh:mm:ss.sssZ", and servers "MUST NOT do so before acknowledging
// the client capability using CAP ACK."
TEST_F(IrcCaps, ServerTimeTagsRelayedLinesOfThoseWhoAskedOnly) {
  auto zoe = user("zoe", "server-time");
  auto amy = user("amy");
  ASSERT_TRUE(zoe->join("#garden"));
  ASSERT_TRUE(amy->join("#garden"));
  IrcMessage m;
  ASSERT_TRUE(zoe->expect_command("JOIN", &m));
  const std::regex format(R"(\d{4}-\d{2}-\d{2}T\d{2}:\d{2}:\d{2}\.\d{3}Z)");
  ASSERT_TRUE(m.tag("time")) << "amy's JOIN has no time tag: " << m.raw;
  EXPECT_TRUE(std::regex_match(*m.tag("time"), format)) << m.raw;
  amy->send("PRIVMSG #garden :what time is it?");
  ASSERT_TRUE(zoe->expect_command("PRIVMSG", &m));
  EXPECT_EQ(body_of(m), ":" + prefix_of("amy") + " PRIVMSG #garden :what time is it?");
  ASSERT_TRUE(m.tag("time")) << m.raw;
  EXPECT_TRUE(std::regex_match(*m.tag("time"), format)) << m.raw;
  // Loopback and one clock: within a minute is a very wide margin.
  EXPECT_LT(std::abs(seconds_from_now(*m.tag("time"))), 60.0) << m.raw;
  EXPECT_FALSE(m.tag("msgid")) << "msgid without message-tags: " << m.raw;
  // A private message carries it too.
  amy->send("PRIVMSG zoe :psst");
  ASSERT_TRUE(zoe->expect_command("PRIVMSG", &m));
  ASSERT_TRUE(m.tag("time")) << m.raw;
  EXPECT_TRUE(std::regex_match(*m.tag("time"), format)) << m.raw;
  // amy asked for nothing: no tags.
  zoe->send("PRIVMSG #garden :it is now");
  ASSERT_TRUE(amy->expect_raw(":" + prefix_of("zoe") + " PRIVMSG #garden :it is now"));
  IrcMessage plain;
  amy->send("PING :x");
  ASSERT_TRUE(amy->expect_command("PONG", &plain));
  EXPECT_FALSE(plain.has_tags) << plain.raw;
}

// Message IDs: the tag value "MUST be unique, meaning any other message
// transmitted on the entire network at any time MUST NOT share the same value"
// and "If this tag is being used, it SHOULD be attached to all PRIVMSG and
// NOTICE events." (message-tags must be negotiated for it.)
TEST_F(IrcCaps, MessageTagsGiveEachMessageItsOwnMsgid) {
  auto zoe = user("zoe", "message-tags");
  auto amy = user("amy");
  ASSERT_TRUE(zoe->join("#garden"));
  ASSERT_TRUE(amy->join("#garden"));
  ASSERT_TRUE(zoe->wait_for_command("JOIN"));
  std::set<std::string> ids;
  for (int i = 0; i < 5; ++i) {
    amy->send("PRIVMSG #garden :message " + std::to_string(i));
    IrcMessage m;
    ASSERT_TRUE(zoe->expect_command("PRIVMSG", &m));
    EXPECT_EQ(m.last(), "message " + std::to_string(i));
    ASSERT_TRUE(m.tag("msgid")) << m.raw;
    EXPECT_FALSE(m.tag("msgid")->empty()) << m.raw;
    EXPECT_TRUE(ids.insert(*m.tag("msgid")).second) << "msgid used twice: " << m.raw;
    EXPECT_FALSE(m.tag("time")) << "time without server-time: " << m.raw;
  }
  amy->send("NOTICE #garden :a notice");
  IrcMessage m;
  ASSERT_TRUE(zoe->expect_command("NOTICE", &m));
  ASSERT_TRUE(m.tag("msgid")) << m.raw;
  EXPECT_TRUE(ids.insert(*m.tag("msgid")).second) << "msgid used twice: " << m.raw;
  // Private messages are PRIVMSG events too.
  amy->send("PRIVMSG zoe :private");
  ASSERT_TRUE(zoe->expect_command("PRIVMSG", &m));
  EXPECT_TRUE(m.tag("msgid")) << "a private PRIVMSG without msgid: " << m.raw;
  if (m.tag("msgid")) {
    EXPECT_TRUE(ids.insert(*m.tag("msgid")).second) << "msgid used twice: " << m.raw;
  }
  // Both tags together.
  auto bob = user("bob", "message-tags server-time");
  ASSERT_TRUE(bob->join("#garden"));
  amy->send("PRIVMSG #garden :both");
  ASSERT_TRUE(bob->expect_command("PRIVMSG", &m));
  EXPECT_TRUE(m.tag("msgid") && m.tag("time")) << m.raw;
}

// echo-message: "If enabled, servers MUST send PRIVMSG and NOTICE messages back
// to the client that sent them."
TEST_F(IrcCaps, EchoMessageReturnsOnesOwnMessages) {
  auto zoe = user("zoe", "echo-message");
  auto amy = user("amy");
  ASSERT_TRUE(zoe->join("#garden"));
  ASSERT_TRUE(amy->join("#garden"));
  ASSERT_TRUE(zoe->wait_for_command("JOIN"));
  zoe->send("PRIVMSG #garden :echo me");
  ASSERT_TRUE(zoe->expect_raw(":" + prefix_of("zoe") + " PRIVMSG #garden :echo me"));
  ASSERT_TRUE(amy->expect_raw(":" + prefix_of("zoe") + " PRIVMSG #garden :echo me"));
  zoe->send("NOTICE #garden :and me");
  ASSERT_TRUE(zoe->expect_raw(":" + prefix_of("zoe") + " NOTICE #garden :and me"));
  ASSERT_TRUE(amy->expect_raw(":" + prefix_of("zoe") + " NOTICE #garden :and me"));
  zoe->send("PRIVMSG amy :private echo");
  ASSERT_TRUE(zoe->wait_for(irc_raw(":" + prefix_of("zoe") + " PRIVMSG amy :private echo"), "the private echo"));
  ASSERT_TRUE(amy->expect_raw(":" + prefix_of("zoe") + " PRIVMSG amy :private echo"));
  zoe->send(
      "PRIVMSG #garden :\x01"
      "ACTION waves\x01");
  ASSERT_TRUE(zoe->expect_raw(":" + prefix_of("zoe") +
                              " PRIVMSG #garden :\x01"
                              "ACTION waves\x01"));
  ASSERT_TRUE(amy->expect_raw(":" + prefix_of("zoe") +
                              " PRIVMSG #garden :\x01"
                              "ACTION waves\x01"));
  // Without the capability (amy), nothing comes back: zoe's answer, sent after
  // amy's line reached her, is the next thing amy sees.
  amy->send("PRIVMSG #garden :no echo for me");
  ASSERT_TRUE(zoe->expect_raw(":" + prefix_of("amy") + " PRIVMSG #garden :no echo for me"));
  zoe->send("PRIVMSG #garden :answer");
  ASSERT_TRUE(zoe->expect_command("PRIVMSG"));  // zoe's own echo
  ASSERT_TRUE(amy->expect_raw(":" + prefix_of("zoe") + " PRIVMSG #garden :answer"));
  amy->send("PRIVMSG zoe :private, no echo");
  ASSERT_TRUE(zoe->wait_for(irc_raw(":" + prefix_of("amy") + " PRIVMSG zoe :private, no echo"), "amy's message"));
  zoe->send("PRIVMSG amy :answer 2");
  ASSERT_TRUE(amy->expect_raw(":" + prefix_of("zoe") + " PRIVMSG amy :answer 2"));
}

// extended-join: "The JOIN message is one of the following: :nick!user@host
// JOIN #channelname accountname :Real Name" and "This message represents that
// the user has not logged in to an account prior to channel ingress." for
// ":nick!user@host JOIN #channelname * :Real Name".
TEST_F(IrcCaps, ExtendedJoinAddsAccountAndRealName) {
  auto zoe = user("zoe", "extended-join", "Zoe Washburne");
  auto amy = user("amy", "", "Amy Pond");
  zoe->send("JOIN #garden");
  ASSERT_TRUE(zoe->expect_raw(":" + prefix_of("zoe") + " JOIN #garden * :Zoe Washburne"));
  ASSERT_TRUE(zoe->wait_for_command("366"));
  ASSERT_TRUE(amy->join("#garden"));
  ASSERT_TRUE(zoe->expect_raw(":" + prefix_of("amy") + " JOIN #garden * :Amy Pond"));
  // amy did not ask: the plain form.
  auto bob = user("bob", "", "Bob");
  ASSERT_TRUE(bob->join("#garden"));
  ASSERT_TRUE(amy->expect_raw(":" + prefix_of("bob") + " JOIN #garden"));
  ASSERT_TRUE(zoe->expect_raw(":" + prefix_of("bob") + " JOIN #garden * :Bob"));
}

// userhost-in-names: "The userhost-in-names capability extends the NAMES reply
// messages (RPL_NAMREPLY) to contain the full hostmask (nick!user@host) of
// every user listed."
TEST_F(IrcCaps, UserhostInNamesGivesFullMasks) {
  auto zoe = user("zoe");
  ASSERT_TRUE(zoe->join("#garden"));
  auto amy = user("amy", "userhost-in-names");
  std::vector<IrcMessage> lines;
  ASSERT_TRUE(amy->join("#garden", &lines));
  auto names = std::find_if(lines.begin(), lines.end(), [](const IrcMessage& m) { return m.is("353"); });
  ASSERT_NE(names, lines.end()) << describe_lines(lines);
  std::set<std::string> listed;
  for (std::size_t at = 0; at < names->last().size();) {
    auto sp = names->last().find(' ', at);
    listed.insert(names->last().substr(at, sp - at));
    if (sp == std::string::npos) break;
    at = sp + 1;
  }
  EXPECT_EQ(listed, (std::set<std::string>{"@" + prefix_of("zoe"), prefix_of("amy")})) << names->raw;
  amy->send("NAMES #garden");
  IrcMessage m;
  ASSERT_TRUE(amy->expect_command("353", &m));
  EXPECT_EQ(m.raw, names->raw);
  // zoe did not ask: bare nicks.
  zoe->send("NAMES #garden");
  ASSERT_TRUE(zoe->wait_for_command("353", &m));
  EXPECT_TRUE(m.last() == "@zoe amy" || m.last() == "amy @zoe") << m.raw;
}

// Message tags: the tags part "MUST NOT be sent unless explicitly enabled by a
// capability" (modern IRC, Message format). A client that negotiated (CAP LS
// 302 ... CAP END) but requested nothing sees no tags on anything.
TEST_F(IrcCaps, AClientThatNegotiatedNothingSeesNoTags) {
  auto plain = user("plain", "", "", /*negotiate=*/true);
  auto rich = user("rich", "message-tags server-time echo-message extended-join");
  // rich creates the channel (and is its operator, so may set its topic).
  ASSERT_TRUE(rich->join("#garden"));
  ASSERT_TRUE(plain->join("#garden"));
  rich->send("PRIVMSG #garden :hello");
  rich->send("NOTICE #garden :notice");
  rich->send("PRIVMSG plain :private");
  rich->send(
      "PRIVMSG #garden :\x01"
      "ACTION dances\x01");
  rich->send("TOPIC #garden :a topic");
  rich->send("NICK rich2");
  rich->send("PART #garden :bye");
  std::vector<IrcMessage> seen;
  IrcMessage part;
  ASSERT_TRUE(plain->wait_for_command("PART", &part, &seen));
  seen.push_back(part);
  // Commands are handled in order, so the PART comes from the new nick.
  EXPECT_EQ(part.source, "rich2!~u@127.0.0.1") << part.raw;
  // The private message takes another path than the channel's (the room's loop
  // does not carry it), so it may come before or after the channel's lines.
  const auto is_private = [](const IrcMessage& m) { return m.is("PRIVMSG") && m.param(0) == "plain"; };
  if (std::none_of(seen.begin(), seen.end(), is_private)) {
    IrcMessage private_message;
    ASSERT_TRUE(plain->wait_for(is_private, "the private message", &private_message));
    seen.push_back(private_message);
  }
  for (const auto& m : seen) EXPECT_FALSE(m.has_tags) << "tags for a client that asked for none: " << m.raw;
  const auto count = [&](std::string_view command) {
    return std::count_if(seen.begin(), seen.end(), [&](const IrcMessage& m) { return m.is(command); });
  };
  EXPECT_EQ(count("PRIVMSG"), 3) << describe_lines(seen);  // hello, private, ACTION
  EXPECT_EQ(count("NOTICE"), 1) << describe_lines(seen);
  EXPECT_EQ(count("TOPIC"), 1) << describe_lines(seen);
  EXPECT_EQ(count("NICK"), 1) << describe_lines(seen);
  // CAP LIST shows nothing requested (cap-notify may be implied by CAP LS 302).
  plain->send("CAP LIST");
  IrcMessage list;
  ASSERT_TRUE(plain->wait_for(irc_command_param("CAP", 1, "LIST"), "CAP plain LIST", &list));
  EXPECT_TRUE(list.last() == "" || list.last() == "cap-notify") << list.raw;
}

// "The server MUST accept the CAP command at any time, including after
// registration." (Capability Negotiation) — and a capability enabled then
// takes effect from then on.
TEST_F(IrcCaps, CapabilitiesCanBeEnabledAndDisabledAfterRegistration) {
  auto zoe = user("zoe");
  auto amy = user("amy");
  ASSERT_TRUE(zoe->join("#garden"));
  ASSERT_TRUE(amy->join("#garden"));
  ASSERT_TRUE(zoe->wait_for_command("JOIN"));
  amy->send("PRIVMSG #garden :before");
  IrcMessage m;
  ASSERT_TRUE(zoe->expect_command("PRIVMSG", &m));
  EXPECT_FALSE(m.has_tags) << m.raw;
  zoe->send("CAP REQ :server-time");
  ASSERT_TRUE(zoe->expect(irc_command_param("CAP", 1, "ACK"), "CAP zoe ACK", &m));
  EXPECT_EQ(m.param(0), "zoe") << m.raw;
  amy->send("PRIVMSG #garden :after");
  ASSERT_TRUE(zoe->expect_command("PRIVMSG", &m));
  EXPECT_TRUE(m.tag("time")) << m.raw;
  zoe->send("CAP REQ :-server-time");
  ASSERT_TRUE(zoe->expect(irc_command_param("CAP", 1, "ACK"), "CAP zoe ACK"));
  amy->send("PRIVMSG #garden :off again");
  ASSERT_TRUE(zoe->expect_command("PRIVMSG", &m));
  EXPECT_FALSE(m.has_tags) << m.raw;
}

}  // namespace
}  // namespace parley::test
