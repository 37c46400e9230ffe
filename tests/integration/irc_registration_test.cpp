// IRC connection registration and framing against the real parleyd (docs/irc.md,
// "Connection registration"), spoken as raw IRC over loopback.
//
// Each test quotes the sentence of the specification it checks: the modern IRC
// client protocol (modern.ircdocs.horse), RFC 2812 where that is silent, and
// IRCv3 (ircv3.net) for capability negotiation.

#include <regex>
#include <set>

#include "irc_client.hpp"
#include "itest_util.hpp"

namespace parley::test {
namespace {

bool is_lusers_numeric(const std::string& c) {
  static const std::set<std::string> kLusers = {"251", "252", "253", "254", "255", "265", "266"};
  return kLusers.count(c) != 0;
}

// Checks the welcome burst `lines` (from 001 on) for the order modern IRC
// gives. `motd` lists the expected 372 texts, or is empty for ERR_NOMOTD.
::testing::AssertionResult welcome_in_order(const std::vector<IrcMessage>& lines,
                                            const std::vector<std::string>& motd) {
  auto fail = [&](std::string why) {
    return ::testing::AssertionFailure() << why << "\n  the welcome was:" << describe_lines(lines);
  };
  std::size_t i = 0;
  for (const char* code : {"001", "002", "003", "004"}) {
    if (i >= lines.size() || lines[i].command != code)
      return fail(std::string("expected ") + code + " at position " + std::to_string(i));
    ++i;
  }
  if (i >= lines.size() || lines[i].command != "005") return fail("expected at least one 005 after 004");
  while (i < lines.size() && lines[i].command == "005") {
    if (lines[i].last() != "are supported by this server") return fail("a 005 without its trailing text");
    ++i;
  }
  std::set<std::string> lusers;
  while (i < lines.size() && is_lusers_numeric(lines[i].command)) lusers.insert(lines[i++].command);
  if (!lusers.count("251") || !lusers.count("255"))
    return fail("expected the LUSERS replies (251 and 255) right after the 005s, before the MOTD");
  if (motd.empty()) {
    if (i >= lines.size() || lines[i].command != "422") return fail("expected 422 (ERR_NOMOTD) after LUSERS");
    ++i;
  } else {
    if (i >= lines.size() || lines[i].command != "375") return fail("expected 375 (RPL_MOTDSTART) after LUSERS");
    ++i;
    for (const auto& text : motd) {
      if (i >= lines.size() || lines[i].command != "372" || lines[i].last() != "- " + text)
        return fail("expected 372 \"- " + text + "\"");
      ++i;
    }
    if (i >= lines.size() || lines[i].command != "376")
      return fail("expected 376 (RPL_ENDOFMOTD) after the MOTD lines");
    ++i;
  }
  if (i != lines.size()) return fail("unexpected lines after the MOTD");
  return ::testing::AssertionSuccess();
}

class IrcRegistration : public ::testing::Test {
 protected:
  std::unique_ptr<IrcClient> client(std::string label = {}) {
    return connect_irc(server_.irc_port(), std::move(label));
  }

  ServerProcess server_{ServerOptions{.threads = kThreads, .config_toml = unlimited_config()}};
};

// modern.ircdocs.horse, "Connection Registration": "Upon successful completion
// of the registration process, the server MUST send, in this order:" 001, 002,
// 003, 004, at least one 005; then "The server SHOULD then respond as though
// the client sent the LUSERS command" and "The server MUST then respond as
// though the client sent it the MOTD command, i.e. it must send either the
// successful Message of the Day numerics or the ERR_NOMOTD (422) numeric."
TEST_F(IrcRegistration, WelcomeThenLusersThenNoMotd) {
  auto zoe = client("zoe");
  std::vector<IrcMessage> welcome;
  ASSERT_TRUE(zoe->register_as("zoe", {}, &welcome));
  EXPECT_TRUE(welcome_in_order(welcome, {}));
  for (const auto& m : welcome) {
    EXPECT_EQ(m.source, "parley.local") << m.raw;
    EXPECT_EQ(m.param(0), "zoe")
        << m.raw;  // "A numeric reply SHOULD contain the target of the reply as the first parameter"
    EXPECT_FALSE(m.has_tags) << "a client that negotiated nothing got tags: " << m.raw;
  }
  // A second MOTD on request gives the same answer.
  zoe->send("MOTD");
  ASSERT_TRUE(zoe->expect(irc_command_param("422", 0, "zoe"), "422"));
  zoe->send("LUSERS");
  IrcMessage m;
  ASSERT_TRUE(zoe->expect_command("251", &m));
  // "Servers MUST reply with RPL_LUSERCLIENT and RPL_LUSERME" (LUSERS).
  ASSERT_TRUE(zoe->wait_for_command("255"));
}

// "If the MOTD can be found, one RPL_MOTDSTART numeric is returned, followed by
// one or more RPL_MOTD numeric, then one RPL_ENDOFMOTD numeric." (MOTD message)
TEST(IrcRegistrationMotd, MotdFileFromConfiguration) {
  TempDir dir("parley-irc-motd");
  const auto motd_path = dir.path() / "motd.txt";
  write_file(motd_path, "Welcome to Parley.\nBe kind to each other.\n");
  ServerProcess server{
      ServerOptions{.threads = kThreads, .config_toml = "[irc]\nmotd_file = \"" + motd_path.string() + "\"\n"}};
  auto zoe = connect_irc(server.irc_port(), "zoe");
  std::vector<IrcMessage> welcome;
  ASSERT_TRUE(zoe->register_as("zoe", {}, &welcome));
  EXPECT_TRUE(welcome_in_order(welcome, {"Welcome to Parley.", "Be kind to each other."}));
  zoe->send("MOTD");
  ASSERT_TRUE(zoe->expect_command("375"));
  ASSERT_TRUE(zoe->expect(irc_command_param("372", 1, "- Welcome to Parley."), "372 - Welcome to Parley."));
  ASSERT_TRUE(zoe->expect(irc_command_param("372", 1, "- Be kind to each other."), "372 - Be kind to each other."));
  ASSERT_TRUE(zoe->expect_command("376"));
}

// ircv3.net, Capability Negotiation: "Upon receiving either a CAP LS or CAP REQ
// command during connection registration, the server MUST not complete
// registration until the client sends a CAP END command".
TEST_F(IrcRegistration, CapLsHoldsRegistrationUntilCapEnd) {
  auto zoe = client("zoe");
  zoe->send("CAP LS 302");
  zoe->send("NICK zoe");
  zoe->send("USER u 0 * :Zoe Z");
  IrcMessage ls;
  ASSERT_TRUE(zoe->expect(irc_command_param("CAP", 1, "LS"), "CAP * LS", &ls));
  // "Replies from the server must contain the client identifier name or
  // asterisk if one is not yet available."
  EXPECT_EQ(ls.param(0), "*") << ls.raw;
  std::set<std::string> offered;
  for (std::size_t at = 0; at < ls.last().size();) {
    auto sp = ls.last().find(' ', at);
    offered.insert(ls.last().substr(at, sp - at));
    if (sp == std::string::npos) break;
    at = sp + 1;
  }
  for (const char* cap : {"server-time", "message-tags", "echo-message", "extended-join", "userhost-in-names"})
    EXPECT_TRUE(offered.count(cap)) << cap << " not offered in " << ls.raw;
  // Registration is held: a PING is answered, and nothing else comes before it.
  std::vector<IrcMessage> before;
  ASSERT_TRUE(zoe->sync(&before));
  EXPECT_TRUE(before.empty()) << "registration did not wait for CAP END:" << describe_lines(before);
  zoe->send("CAP END");
  IrcMessage welcome;
  ASSERT_TRUE(zoe->expect_command("001", &welcome));
  EXPECT_EQ(welcome.param(0), "zoe");
}

// "The capability identifier set must be accepted as a whole, or rejected
// entirely." and "The server MUST NOT make any change to any capabilities if it
// replies with a NAK subcommand." (CAP REQ / CAP NAK); CAP REQ also holds
// registration ("If a server receives a REQ subcommand while client
// registration is in progress, it MUST suspend registration until an END
// subcommand is received.")
TEST_F(IrcRegistration, CapReqIsAllOrNothingAndCapListShowsIt) {
  auto zoe = client("zoe");
  zoe->send("CAP REQ :server-time no-such-cap");
  zoe->send("NICK zoe");
  zoe->send("USER u 0 * :Zoe Z");
  ASSERT_TRUE(zoe->expect_raw(":parley.local CAP * NAK :server-time no-such-cap"));
  zoe->send("CAP LIST");
  // "If no capabilities are enabled, an empty parameter must be sent."
  IrcMessage list;
  ASSERT_TRUE(zoe->expect(irc_command_param("CAP", 1, "LIST"), "CAP * LIST", &list));
  EXPECT_EQ(list.params.size(), 3u) << list.raw;
  EXPECT_EQ(list.last(), "") << list.raw;

  zoe->send("CAP REQ :server-time message-tags");
  ASSERT_TRUE(zoe->expect_raw(":parley.local CAP * ACK :server-time message-tags"));
  zoe->send("CAP LIST");
  ASSERT_TRUE(zoe->expect(irc_command_param("CAP", 1, "LIST"), "CAP * LIST", &list));
  EXPECT_TRUE(list.last() == "message-tags server-time" || list.last() == "server-time message-tags") << list.raw;

  // "Each capability identifier may be prefixed with a dash (-) to designate
  // that the capability should be disabled."
  zoe->send("CAP REQ :-server-time");
  ASSERT_TRUE(zoe->expect_raw(":parley.local CAP * ACK :-server-time"));
  zoe->send("CAP LIST");
  ASSERT_TRUE(zoe->expect(irc_command_param("CAP", 1, "LIST"), "CAP * LIST", &list));
  EXPECT_EQ(list.last(), "message-tags") << list.raw;

  std::vector<IrcMessage> before;
  ASSERT_TRUE(zoe->sync(&before));
  EXPECT_TRUE(before.empty()) << "registration did not wait for CAP END:" << describe_lines(before);
  zoe->send("CAP END");
  ASSERT_TRUE(zoe->expect_command("001"));
  // "The server MUST accept the CAP command at any time, including after registration."
  ASSERT_TRUE(zoe->wait_for(irc_any_of({"376", "422"}), "the end of the MOTD"));
  zoe->send("CAP LIST");
  ASSERT_TRUE(zoe->wait_for(irc_command_param("CAP", 1, "LIST"), "CAP zoe LIST", &list));
  EXPECT_EQ(list.param(0), "zoe") << list.raw;
  EXPECT_EQ(list.last(), "message-tags") << list.raw;
  // "If a client sends a subcommand which is not in the list above or
  // otherwise issues an invalid command, then numeric 410 (ERR_INVALIDCAPCMD)
  // should be sent."
  zoe->send("CAP FOO");
  ASSERT_TRUE(zoe->wait_for(irc_command_param("410", 1, "FOO"), "410 zoe FOO"));
}

// NICK: "If the server receives a NICK command from a client where the desired
// nickname is already in use on the network, it should issue an
// ERR_NICKNAMEINUSE numeric and ignore the NICK command."
TEST_F(IrcRegistration, NickInUseThenASecondNickRegisters) {
  auto zoe = client("zoe");
  ASSERT_TRUE(zoe->register_as("zoe"));
  auto other = client("other");
  other->send("NICK zoe");
  other->send("USER u 0 * :Other");
  IrcMessage m;
  ASSERT_TRUE(other->expect_command("433", &m));
  EXPECT_EQ(m.param(0), "*") << m.raw;
  EXPECT_EQ(m.param(1), "zoe") << m.raw;
  // CASEMAPPING=ascii: ZOE is zoe.
  other->send("NICK ZOE");
  ASSERT_TRUE(other->expect(irc_command_param("433", 1, "ZOE"), "433 * ZOE"));
  other->send("NICK zed");
  ASSERT_TRUE(other->expect_command("001", &m));
  EXPECT_EQ(m.param(0), "zed") << m.raw;
  ASSERT_TRUE(other->wait_for(irc_any_of({"376", "422"}), "the end of the MOTD"));
  // After registration too.
  other->send("NICK zoe");
  ASSERT_TRUE(other->wait_for(irc_command_param("433", 1, "zoe"), "433 zed zoe"));
}

// NICK: "If the server does not accept the new nickname supplied by the client
// as valid (for instance, due to containing invalid characters), it should
// issue an ERR_ERRONEUSNICKNAME numeric and ignore the NICK command." And "If
// the server does not receive the <nickname> parameter with the NICK command,
// it should issue an ERR_NONICKNAMEGIVEN numeric".
TEST_F(IrcRegistration, ErroneousNicksAreRefused) {
  auto c = client("bad nicks");
  c->send("USER u 0 * :Someone");
  for (const std::string& bad : std::vector<std::string>{"9lives", "-dash", "bad!nick", "bad@nick", "#chan",
                                                         "comma,nick", "dot.nick", std::string(33, 'a')}) {
    SCOPED_TRACE(bad);
    c->send("NICK " + bad);
    IrcMessage m;
    ASSERT_TRUE(c->expect_command("432", &m));
    EXPECT_EQ(m.param(1), bad) << m.raw;
  }
  c->send("NICK");
  ASSERT_TRUE(c->expect_command("431"));
  // "Servers MUST allow at least all alphanumerical characters, square and
  // curly brackets ([]{}), backslashes (\), and pipe (|) characters in nicknames"
  const std::string good = "a[]{}\\|_^`-9";
  c->send("NICK " + good);
  IrcMessage m;
  ASSERT_TRUE(c->expect_command("001", &m));
  EXPECT_EQ(m.param(0), good);
}

// ERR_NOTREGISTERED (451): "Returned when a client command cannot be parsed as
// they are not yet registered."
TEST_F(IrcRegistration, CommandsBeforeRegistrationGet451) {
  auto c = client("early");
  for (const char* line : {"JOIN #lobby", "PRIVMSG zoe :hi", "WHOIS zoe", "LIST", "MODE zoe"}) {
    SCOPED_TRACE(line);
    c->send(line);
    ASSERT_TRUE(c->expect_command("451"));
  }
  ASSERT_TRUE(c->register_as("late"));
  c->send("JOIN #lobby");
  ASSERT_TRUE(c->wait_for(irc_command_param("366", 1, "#lobby"), "366 for #lobby"));
}

// ERR_UNKNOWNCOMMAND (421): "Sent to a registered client to indicate that the
// command they sent isn't known by the server."
TEST_F(IrcRegistration, UnknownCommandGets421) {
  auto zoe = client("zoe");
  ASSERT_TRUE(zoe->register_as("zoe"));
  zoe->send("FROBNICATE the widget");
  IrcMessage m;
  ASSERT_TRUE(zoe->expect_command("421", &m));
  EXPECT_EQ(m.param(0), "zoe");
  EXPECT_TRUE(m.param(1) == "FROBNICATE") << m.raw;
  zoe->send("KNOCK #room");
  ASSERT_TRUE(zoe->expect(irc_command_param("421", 1, "KNOCK"), "421 zoe KNOCK"));
  ASSERT_TRUE(zoe->sync());
}

// ERR_NEEDMOREPARAMS (461): "Returned when a client command cannot be parsed
// because not enough parameters were supplied."
TEST_F(IrcRegistration, MissingParametersGet461) {
  auto zoe = client("zoe");
  ASSERT_TRUE(zoe->register_as("zoe"));
  for (const char* command : {"JOIN", "PART", "TOPIC", "WHO", "WHOIS", "ISON", "USERHOST", "MODE", "PING"}) {
    SCOPED_TRACE(command);
    zoe->send(command);
    IrcMessage m;
    ASSERT_TRUE(zoe->expect_command("461", &m));
    EXPECT_EQ(m.param(1), command) << m.raw;
  }
  // USER after registration is ERR_ALREADYREGISTERED: "If a client tries to
  // send the USER command after they have already completed registration with
  // the server, the ERR_ALREADYREGISTERED reply should be sent".
  zoe->send("USER again 0 * :Again");
  ASSERT_TRUE(zoe->expect_command("462"));
  ASSERT_TRUE(zoe->sync());
}

// Lines a client types right after NICK/USER (JOIN, most often) come before the
// server has settled the nick; docs/irc.md: "Lines sent before the welcome is
// settled are handled after it, in order." Modern IRC, Message format: "Only
// parse and process a message once you encounter the \r\n at the end of it."
TEST_F(IrcRegistration, LinesAfterNickUserAreHandledAfterTheWelcomeInOrder) {
  auto obs = client("obs");
  ASSERT_TRUE(obs->register_as("obs"));
  ASSERT_TRUE(obs->join("#early"));
  auto zoe = client("zoe");
  // One write: registration and three commands that need it.
  zoe->send_raw(
      "NICK zoe\r\nUSER u 0 * :Zoe Z\r\nJOIN #early\r\nPRIVMSG #early :first\r\nPRIVMSG #early :second\r\n"
      "PART #early :done\r\n");
  IrcMessage m;
  ASSERT_TRUE(zoe->expect_command("001", &m));
  std::vector<IrcMessage> lines;
  ASSERT_TRUE(zoe->wait_for(irc_command("PART"), "its own PART", &m, &lines));
  for (const auto& l : lines) {
    EXPECT_NE(l.command, "451") << "a line was handled before the welcome: " << l.raw;
    EXPECT_NE(l.command, "404") << "a message was handled before the JOIN: " << l.raw;
  }
  // The observer sees them in the order typed.
  ASSERT_TRUE(obs->expect_raw(":zoe!~u@127.0.0.1 JOIN #early"));
  ASSERT_TRUE(obs->expect_raw(":zoe!~u@127.0.0.1 PRIVMSG #early :first"));
  ASSERT_TRUE(obs->expect_raw(":zoe!~u@127.0.0.1 PRIVMSG #early :second"));
  ASSERT_TRUE(obs->expect_raw(":zoe!~u@127.0.0.1 PART #early :done"));
}

// However many lines wait behind registration, none is lost: the server stops
// reading while the nick is settled, so the kernel holds them, not a queue.
TEST_F(IrcRegistration, EveryLineBehindRegistrationIsAnswered) {
  auto zoe = client("zoe");
  std::string packet = "NICK zoe\r\nUSER u 0 * :Zoe Z\r\n";
  constexpr int kLines = 300;
  for (int i = 0; i < kLines; ++i) packet += "PING :behind-" + std::to_string(i) + "\r\n";
  zoe->send_raw(packet);
  ASSERT_TRUE(zoe->expect_command("001"));
  for (int i = 0; i < kLines; ++i) {
    const std::string token = "behind-" + std::to_string(i);
    ASSERT_TRUE(zoe->wait_for(irc_command_param("PONG", 1, token), "PONG " + token));
  }
}

// A NICK is settled before the next command is read, so what follows it in
// the same packet comes from the new nick ("Clients SHOULD NOT pipeline..."
// aside, real clients do).
TEST_F(IrcRegistration, CommandsAfterNickComeFromTheNewNick) {
  auto obs = client("obs");
  ASSERT_TRUE(obs->register_as("obs"));
  ASSERT_TRUE(obs->join("#early"));
  auto zoe = client("zoe");
  ASSERT_TRUE(zoe->register_as("zoe"));
  ASSERT_TRUE(zoe->join("#early"));
  ASSERT_TRUE(obs->wait_for(irc_command("JOIN"), "zoe's JOIN"));
  zoe->send_raw("NICK zoe2\r\nPRIVMSG #early :renamed\r\nNICK zoe3\r\nPART #early :gone\r\n");
  ASSERT_TRUE(obs->expect_raw(":zoe!~u@127.0.0.1 NICK :zoe2"));
  ASSERT_TRUE(obs->expect_raw(":zoe2!~u@127.0.0.1 PRIVMSG #early :renamed"));
  ASSERT_TRUE(obs->expect_raw(":zoe2!~u@127.0.0.1 NICK :zoe3"));
  ASSERT_TRUE(obs->expect_raw(":zoe3!~u@127.0.0.1 PART #early :gone"));
}

// Message format: "When reading messages from a stream, read the incoming data
// into a buffer. Only parse and process a message once you encounter the \r\n
// at the end of it."
TEST_F(IrcRegistration, ByteByByteDelivery) {
  auto zoe = client("zoe");
  for (char c : std::string("NICK zoe\r\nUSER u 0 * :Zoe Z\r\n")) zoe->send_raw(std::string(1, c));
  IrcMessage m;
  ASSERT_TRUE(zoe->expect_command("001", &m));
  EXPECT_EQ(m.param(0), "zoe");
  ASSERT_TRUE(zoe->wait_for(irc_any_of({"376", "422"}), "the end of the MOTD"));
  for (char c : std::string("PING :one byte at a time\r\n")) zoe->send_raw(std::string(1, c));
  ASSERT_TRUE(zoe->wait_for(irc_command_param("PONG", 1, "one byte at a time"), "PONG"));
}

// The other way round: many lines in one packet, each answered in order.
// "Servers SHOULD handle single \n character ... as if it was a \r\n pair"
// (Compatibility with incorrect software).
TEST_F(IrcRegistration, ManyLinesInOnePacket) {
  auto zoe = client("zoe");
  ASSERT_TRUE(zoe->register_as("zoe"));
  std::string packet;
  for (int i = 0; i < 60; ++i) packet += "PING :token-" + std::to_string(i) + (i % 3 == 0 ? "\n" : "\r\n");
  zoe->send_raw(packet);
  for (int i = 0; i < 60; ++i) {
    ASSERT_TRUE(
        zoe->expect(irc_command_param("PONG", 1, "token-" + std::to_string(i)), "PONG token-" + std::to_string(i)));
  }
  // And empty lines are ignored: "If you encounter an empty message, silently ignore it."
  zoe->send_raw("\r\n\r\n   \r\n");
  std::vector<IrcMessage> before;
  ASSERT_TRUE(zoe->sync(&before));
  EXPECT_TRUE(before.empty()) << describe_lines(before);
}

// "Servers SHOULD gracefully handle messages over the 512-bytes limit. They
// may: Send an error numeric back, preferably ERR_INPUTTOOLONG" (417:
// "Indicates a given line does not follow the specified size limits (512 bytes
// for the main section ...)").
TEST_F(IrcRegistration, OverlongLineGets417AndTheConnectionStaysUsable) {
  auto zoe = client("zoe");
  ASSERT_TRUE(zoe->register_as("zoe"));
  // 510 bytes before CR LF is the most a line may hold: accepted (PONG has no reply).
  std::string at_limit = "PONG :" + std::string(504, 'x');
  ASSERT_EQ(at_limit.size(), 510u);
  zoe->send(at_limit);
  std::vector<IrcMessage> before;
  ASSERT_TRUE(zoe->sync(&before));
  EXPECT_TRUE(before.empty()) << "a 510-byte line was refused:" << describe_lines(before);
  // One byte more is too long.
  zoe->send(at_limit + "x");
  IrcMessage m;
  ASSERT_TRUE(zoe->expect_command("417", &m));
  EXPECT_EQ(m.param(0), "zoe");
  ASSERT_TRUE(zoe->sync());
  // Far past every limit, tags and all, in pieces.
  std::string huge = "PRIVMSG #nowhere :" + std::string(20'000, 'y');
  for (std::size_t i = 0; i < huge.size(); i += 3'000) zoe->send_raw(std::string_view(huge).substr(i, 3'000));
  zoe->send_raw("\r\n");
  ASSERT_TRUE(zoe->expect_command("417"));
  before.clear();
  ASSERT_TRUE(zoe->sync(&before));
  EXPECT_TRUE(before.empty()) << "more than one answer to one long line:" << describe_lines(before);
  // Tags have a budget of their own: "Implementations which include message
  // tags need to allow additional bytes for the tags section of a message;
  // clients must allow 8191 additional bytes and servers must allow 4096
  // additional bytes." 4096 is the '@', 4094 bytes of tag data and the space.
  const std::string tag_data = "+example/x=" + std::string(4094 - 11, 'v');
  ASSERT_EQ(tag_data.size(), 4094u);
  zoe->send("@" + tag_data + " PING :tagged");
  IrcMessage pong;
  ASSERT_TRUE(zoe->expect_command("PONG", &pong)) << "a line with 4094 bytes of tags was refused";
  EXPECT_EQ(pong.param(1), "tagged");
  zoe->send("@" + tag_data + "v PING :too many tags");
  ASSERT_TRUE(zoe->expect_command("417"));
  // Still registered and working.
  ASSERT_TRUE(zoe->join("#still-here"));
}

// Message format: "Most IRC servers limit messages to 512 bytes in length,
// including the trailing CR-LF characters." That holds for the server's own
// lines too, even when they repeat a long part of the client's input (a PING
// token, an unknown command, a nick that does not exist). IrcClient fails the
// test for any line over 512 bytes (tags excluded); each reply must still come.
TEST_F(IrcRegistration, RepliesThatEchoLongInputFitIn512Bytes) {
  const std::string nick(32, 'n');  // NICKLEN=32: the longest nick
  auto big = client("long nick");
  ASSERT_TRUE(big->register_as(
      nick, IrcRegisterOptions{.user = std::string(16, 'u'), .real_name = "Long", .caps = "", .cap_ls = false}));
  auto peer = client("peer");
  ASSERT_TRUE(peer->register_as("peer"));
  ASSERT_TRUE(big->join("#c"));
  ASSERT_TRUE(peer->join("#c"));
  // A 510-byte PRIVMSG relayed with a long source: one line, its text cut to
  // fit (docs/irc.md; a second line would repeat the message's id).
  const std::string text(510 - std::string("PRIVMSG #c :").size(), 'x');
  big->send("PRIVMSG #c :" + text);
  big->send("PRIVMSG #c :after");
  IrcMessage m;
  ASSERT_TRUE(peer->expect_command("PRIVMSG", &m));
  EXPECT_TRUE(text.starts_with(m.last())) << m.raw;
  EXPECT_GT(m.last().size(), 400u) << m.raw;
  ASSERT_TRUE(peer->expect_command("PRIVMSG", &m));
  EXPECT_EQ(m.last(), "after") << m.raw;

  big->send("PING :" + std::string(504, 't'));  // a 510-byte line
  ASSERT_TRUE(big->wait_for_command("PONG"));
  big->send(std::string(510, 'F'));  // an unknown 510-letter command
  ASSERT_TRUE(big->wait_for_command("421"));
  big->send("PRIVMSG " + std::string(490, 'g') + " :x");  // no such nick
  ASSERT_TRUE(big->wait_for_command("401"));
  big->send("WHOIS " + std::string(500, 'w'));
  ASSERT_TRUE(big->wait_for_command("318"));
  big->send("NICK " + std::string(480, '9'));  // erroneous
  ASSERT_TRUE(big->wait_for_command("432"));
  ASSERT_TRUE(big->sync());
}

// PING: "When receiving a PING message, clients or servers must reply to it
// with a PONG message with the same <token> value." PONG: "Servers MUST send a
// <server> parameter".
TEST_F(IrcRegistration, PingGetsPongWithTheSameToken) {
  auto zoe = client("zoe");
  // "Clients should not send PING during connection registration, though servers may accept it."
  zoe->send("PING :before registration");
  ASSERT_TRUE(zoe->expect_raw(":parley.local PONG parley.local :before registration"));
  ASSERT_TRUE(zoe->register_as("zoe"));
  for (std::string token : {"token", "a token with spaces", ":colon-first"}) {
    SCOPED_TRACE(token);
    zoe->send("PING :" + token);
    IrcMessage pong;
    ASSERT_TRUE(zoe->expect_command("PONG", &pong));
    EXPECT_EQ(pong.params.size(), 2u) << pong.raw;
    EXPECT_EQ(pong.param(0), "parley.local") << pong.raw;
    EXPECT_EQ(pong.param(1), token) << pong.raw;
  }
}

// QUIT: "The server acknowledges this by replying with an ERROR message and
// closing the connection to the client." (also before registration)
TEST_F(IrcRegistration, QuitBeforeRegistrationGetsErrorAndClose) {
  auto c = client("leaver");
  c->send("NICK leaver");
  c->send("QUIT :changed my mind");
  std::vector<IrcMessage> lines;
  ASSERT_TRUE(c->expect_closed(&lines));
  ASSERT_FALSE(lines.empty()) << "no ERROR before the close";
  EXPECT_EQ(lines.back().command, "ERROR") << describe_lines(lines);
  // The nick was never taken: someone else can have it.
  auto other = client("other");
  ASSERT_TRUE(other->register_as("leaver"));
}

// A connection that never registers is closed (docs/irc.md: "A client that does
// not register within limits.name_timeout_seconds is closed with ERROR"); ERROR
// "is sent from a server to a client to report a fatal error, before
// terminating the client's connection."
TEST(IrcRegistrationTimeout, UnregisteredConnectionIsClosedWithError) {
  ServerProcess server{
      ServerOptions{.threads = kThreads, .config_toml = unlimited_config("name_timeout_seconds = 1\n")}};
  auto idle = connect_irc(server.irc_port(), "idle");
  idle->send("NICK idle");  // no USER
  std::vector<IrcMessage> lines;
  ASSERT_TRUE(idle->expect_closed(&lines, scaled(std::chrono::seconds(10))));
  ASSERT_EQ(lines.size(), 1u) << describe_lines(lines);
  EXPECT_EQ(lines[0].command, "ERROR") << lines[0].raw;
  // A registered client on the same server is not affected.
  auto zoe = connect_irc(server.irc_port(), "zoe");
  ASSERT_TRUE(zoe->register_as("zoe"));
}

}  // namespace
}  // namespace parley::test
