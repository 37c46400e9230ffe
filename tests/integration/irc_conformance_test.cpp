// IRC conformance, second round (issue 10): replies that clients and
// conformance suites expect, against the real parleyd spoken to in raw IRC.
//
// Each test quotes the rule it checks: the modern IRC client protocol
// (modern.ircdocs.horse), RFC 2812 where that is silent, and IRCv3
// (ircv3.net) for capabilities and message tags.

#include <set>

#include "irc_channels_util.hpp"

namespace parley::test {
namespace {

using irc_channels::count_of;
using irc_channels::IrcChannels;
using irc_channels::names_in;

// The value of ISUPPORT token `name` ("" for a token without a value), or
// nullopt when the welcome did not advertise it.
std::optional<std::string> isupport(const std::vector<IrcMessage>& welcome, std::string_view name) {
  for (const auto& m : welcome) {
    if (!m.is("005")) continue;
    for (std::size_t i = 1; i + 1 < m.params.size(); ++i) {
      const std::string& token = m.params[i];
      if (token == name) return std::string();
      if (token.size() > name.size() && token.starts_with(name) && token[name.size()] == '=')
        return token.substr(name.size() + 1);
    }
  }
  return std::nullopt;
}

using IrcConformance = IrcChannels;

// --- registration and server replies -------------------------------------------

// "If a command is sent from a client to a server with less parameters than
// the command requires to be processed, the server will reply with an
// ERR_NEEDMOREPARAMS numeric and the command will fail" (modern, "Messages");
// USER's <realname> is one of its required parameters, and of <username>:
// "If it is empty, the server SHOULD reject the command with
// ERR_NEEDMOREPARAMS (even if an empty parameter is provided)".
TEST_F(IrcConformance, UserWithAnEmptyRealNameOrUserNameGets461) {
  auto c = connect_irc(server_.irc_port(), "empty");
  c->send("NICK empty");
  c->send("USER name * * :");
  IrcMessage m;
  ASSERT_TRUE(c->expect_command("461", &m));
  EXPECT_EQ(m.param(1), "USER") << m.raw;
  c->send("USER name 0 * :");
  c->send("USER name 0 :Real");
  ASSERT_TRUE(c->expect_command("461"));
  ASSERT_TRUE(c->expect_command("461"));
  // The connection is still registering: a good USER completes it.
  c->send("USER name 0 * :Real Name");
  ASSERT_TRUE(c->wait_for_command("001"));
}

// ERR_UNKNOWNCOMMAND (421): "Sent to a registered client to indicate that the
// command they sent isn't known by the server." Whatever characters the word
// holds; and labeled-response: "the server MUST include the same tag and
// value in any response produced from this message".
TEST_F(IrcConformance, UnknownCommandsOfAnyCharactersGet421) {
  auto zoe = user("zoe");
  for (const char* word : {"FOO_BAR", "X1", "NONEXISTENT_COMMAND", "foo-bar"}) {
    SCOPED_TRACE(word);
    zoe->send(std::string(word) + " some params");
    IrcMessage m;
    ASSERT_TRUE(zoe->expect_command("421", &m));
    std::string upper(word);
    for (char& ch : upper) ch = static_cast<char>(std::toupper(static_cast<unsigned char>(ch)));
    EXPECT_EQ(m.param(1), upper) << m.raw;
  }
  auto amy = connect_irc(server_.irc_port(), "amy");
  ASSERT_TRUE(amy->register_as("amy", IrcRegisterOptions{.caps = "labeled-response batch"}));
  amy->send("@label=abc FOO_BAR x");
  IrcMessage m;
  ASSERT_TRUE(amy->expect_command("421", &m));
  ASSERT_NE(m.tag("label"), nullptr) << m.raw;
  EXPECT_EQ(*m.tag("label"), "abc");
}

// ERR_INPUTTOOLONG (417): "Indicates a given line does not follow the
// specified size limits (512 bytes for the main section ...)"; the line is
// not acted on.
TEST_F(IrcConformance, AnOverlongLineGets417AndIsNotExecuted) {
  auto zoe = user("zoe");
  auto amy = user("amy");
  ASSERT_TRUE(zoe->join("#garden"));
  ASSERT_TRUE(amy->join("#garden"));
  ASSERT_TRUE(zoe->wait_for(irc_raw(":" + prefix_of("amy") + " JOIN #garden"), "amy's JOIN"));
  zoe->send("PRIVMSG #garden :" + std::string(600, 'x'));
  ASSERT_TRUE(zoe->expect_command("417"));
  zoe->send("PRIVMSG #garden :marker");
  IrcMessage m;
  ASSERT_TRUE(amy->expect_command("PRIVMSG", &m));
  EXPECT_EQ(m.last(), "marker") << "the overlong line was relayed: " << m.raw;
}

// LUSERS: "Servers MUST reply with RPL_LUSERCLIENT and RPL_LUSERME, and
// SHOULD also include all those defined below": RPL_LUSEROP (252),
// RPL_LUSERUNKNOWN (253), RPL_LUSERCHANNELS (254), RPL_LOCALUSERS (265),
// RPL_GLOBALUSERS (266), whose "two optional parameters SHOULD be supplied".
// 252's <ops> and 253's <connections> are each "a positive integer": with
// an operator and a connection still registering, all seven come.
TEST(IrcLusers, LusersSendsTheFullSet) {
  ServerProcess server{ServerOptions{
      .threads = kThreads,
      .config_toml = unlimited_config() + "[[irc.operators]]\nname = \"root\"\npassword = \"sesame\"\n"}};
  auto zoe = connect_irc(server.irc_port(), "zoe");
  ASSERT_TRUE(zoe->register_as("zoe"));
  auto amy = connect_irc(server.irc_port(), "amy");
  ASSERT_TRUE(amy->register_as("amy"));
  auto unregistered = connect_irc(server.irc_port(), "unregistered");
  unregistered->send("NICK halfway");
  ASSERT_TRUE(unregistered->sync()) << "PING is answered before registration: the connection is attached";
  ASSERT_TRUE(zoe->join("#garden"));
  zoe->send("OPER root sesame");
  ASSERT_TRUE(zoe->wait_for_command("381"));
  zoe->send("LUSERS");
  std::vector<IrcMessage> lines;
  ASSERT_TRUE(zoe->sync(&lines));
  std::map<std::string, IrcMessage> by_code;
  for (const auto& m : lines) by_code[m.command] = m;
  for (const char* code : {"251", "252", "253", "254", "255", "265", "266"})
    EXPECT_TRUE(by_code.count(code)) << code << " missing:" << describe_lines(lines);
  EXPECT_EQ(by_code["252"].param(1), "1") << by_code["252"].raw;
  EXPECT_EQ(by_code["253"].param(1), "1") << by_code["253"].raw;
  EXPECT_EQ(by_code["254"].param(1), "1") << by_code["254"].raw;
  EXPECT_EQ(by_code["266"].param(1), "2") << by_code["266"].raw;
  EXPECT_EQ(by_code["266"].param(2), "2") << by_code["266"].raw;
  EXPECT_EQ(by_code["265"].param(2), "2") << by_code["265"].raw;
  EXPECT_EQ(by_code["265"].params.size(), 4u) << by_code["265"].raw;
}

// PASS: "If the password supplied does not match the password expected by
// the server, then the server SHOULD send ERR_PASSWDMISMATCH and MAY then
// close the connection with ERROR. Servers MUST send at least one of these
// two messages." Parley sends both, and closes.
TEST(IrcServerPassword, WrongOrMissingPasswordIsRefusedWith464AndClosed) {
  ServerProcess server{ServerOptions{.threads = kThreads,
                                     .config_toml = unlimited_config() + "[irc]\npassword = \"letmein\"\n"}};
  {
    auto c = connect_irc(server.irc_port(), "none");
    c->send("NICK none");
    c->send("USER u 0 * :No Password");
    ASSERT_TRUE(c->expect_command("464"));
    ASSERT_TRUE(c->expect_command("ERROR"));
    ASSERT_TRUE(c->expect_closed());
  }
  {
    auto c = connect_irc(server.irc_port(), "wrong");
    c->send("PASS letmeout");
    c->send("NICK wrong");
    c->send("USER u 0 * :Wrong Password");
    ASSERT_TRUE(c->expect_command("464"));
    ASSERT_TRUE(c->expect_command("ERROR"));
    ASSERT_TRUE(c->expect_closed());
  }
  auto c = connect_irc(server.irc_port(), "right");
  c->send("PASS letmein");
  ASSERT_TRUE(c->register_as("right"));
}

// HELP: "servers MUST either: reply with a single ERR_HELPNOTFOUND message;
// or reply with a single RPL_HELPSTART message, then arbitrarily many
// RPL_HELPTXT messages, then a single RPL_ENDOFHELP". LINKS: RPL_LINKS
// "<client> <server1> <server2> :<hopcount> <server info>", then RPL_ENDOFLINKS.
TEST_F(IrcConformance, HelpAndLinks) {
  auto zoe = user("zoe");
  for (const char* command : {"HELP", "HELPOP", "HELP PRIVMSG", "help privmsg"}) {
    SCOPED_TRACE(command);
    zoe->send(command);
    std::vector<IrcMessage> lines;
    ASSERT_TRUE(zoe->sync(&lines));
    ASSERT_FALSE(lines.empty());
    EXPECT_EQ(lines.front().command, "704") << describe_lines(lines);
    EXPECT_EQ(lines.back().command, "706") << describe_lines(lines);
    for (std::size_t i = 1; i + 1 < lines.size(); ++i) EXPECT_EQ(lines[i].command, "705") << lines[i].raw;
  }
  zoe->send("HELP NO_SUCH_THING");
  ASSERT_TRUE(zoe->expect_command("524"));
  zoe->send("LINKS");
  IrcMessage m;
  ASSERT_TRUE(zoe->expect_command("364", &m));
  EXPECT_EQ(m.param(2), "parley.local") << m.raw;
  EXPECT_TRUE(m.last().starts_with("0 ")) << m.raw;
  ASSERT_TRUE(zoe->expect_command("365"));
}

// server_description: the server's own words in LINKS (364's "<hopcount>
// <server info>") and WHOIS (312's "<server info>"), a default without it.
TEST(IrcServerDescription, LinksAndWhoisSayIt) {
  for (const bool configured : {true, false}) {
    SCOPED_TRACE(configured ? "configured" : "default");
    // A top-level key: before any table.
    const std::string config = (configured ? "server_description = \"test server\"\n" : "") + unlimited_config();
    ServerProcess server{ServerOptions{.threads = kThreads, .config_toml = config}};
    const std::string description = configured ? "test server" : "Parley chat server";
    auto zoe = connect_irc(server.irc_port(), "zoe");
    ASSERT_TRUE(zoe->register_as("zoe"));
    zoe->send("LINKS");
    ASSERT_TRUE(zoe->expect_raw(":parley.local 364 zoe parley.local parley.local :0 " + description));
    ASSERT_TRUE(zoe->expect_command("365"));
    zoe->send("WHOIS zoe");
    IrcMessage server_line;
    ASSERT_TRUE(zoe->wait_for_command("312", &server_line));
    EXPECT_EQ(server_line.raw, ":parley.local 312 zoe zoe parley.local :" + description);
  }
}

// WALLOPS: "The WALLOPS command is used to send a message to all currently
// connected users who have set the 'w' user mode for themselves" (RFC 2812
// 4.7); modern lists ERR_NOPRIVILEGES among its replies, for those who are
// not operators.
TEST(IrcWallops, ReachesThoseWithModeWFromOperatorsOnly) {
  ServerProcess server{ServerOptions{
      .threads = kThreads,
      .config_toml = unlimited_config() + "[[irc.operators]]\nname = \"root\"\npassword = \"sesame\"\n"}};
  auto op = connect_irc(server.irc_port(), "op");
  ASSERT_TRUE(op->register_as("op"));
  auto deaf = connect_irc(server.irc_port(), "deaf");
  ASSERT_TRUE(deaf->register_as("deaf"));
  auto hears = connect_irc(server.irc_port(), "hears");
  ASSERT_TRUE(hears->register_as("hears"));
  hears->send("MODE hears +w");
  ASSERT_TRUE(hears->expect_raw(":" + prefix_of("hears") + " MODE hears :+w"));
  hears->send("MODE hears");
  IrcMessage m;
  ASSERT_TRUE(hears->expect_command("221", &m));
  EXPECT_NE(m.param(1).find('w'), std::string::npos) << m.raw;
  op->send("WALLOPS :not yet");
  ASSERT_TRUE(op->expect_command("481"));
  op->send("OPER root sesame");
  ASSERT_TRUE(op->wait_for_command("381"));
  ASSERT_TRUE(op->sync());
  op->send("WALLOPS :hi everyone");
  ASSERT_TRUE(hears->expect_raw(":" + prefix_of("op") + " WALLOPS :hi everyone"));
  // deaf hears the next one only once it asks: the first never came.
  deaf->send("MODE deaf +w");
  ASSERT_TRUE(deaf->expect_command("MODE"));
  op->send("WALLOPS :second");
  ASSERT_TRUE(deaf->expect_raw(":" + prefix_of("op") + " WALLOPS :second"));
  ASSERT_TRUE(hears->expect_raw(":" + prefix_of("op") + " WALLOPS :second"));
}

// --- messages --------------------------------------------------------------------

// RFC 2812 2.3: "IRC messages are always lines of characters terminated with
// a CR-LF pair, and these messages SHALL NOT exceed 512 characters in
// length"; message-ids: the msgid "MUST be unique, meaning any other message
// transmitted on the entire network at any time MUST NOT share the same
// value". A PRIVMSG that would pass 512 bytes once relayed with the sender's
// prefix is cut on a UTF-8 boundary and sent as one line.
TEST_F(IrcConformance, AnIrcMessageIsRelayedAsOneLineCutOnACharacterBoundary) {
  auto zoe = user("zoe");
  auto amy = connect_irc(server_.irc_port(), "amy");
  ASSERT_TRUE(amy->register_as("amy", IrcRegisterOptions{.caps = "message-tags"}));
  ASSERT_TRUE(zoe->join("#garden"));
  ASSERT_TRUE(amy->join("#garden"));
  ASSERT_TRUE(zoe->wait_for(irc_raw(":" + prefix_of("amy") + " JOIN #garden"), "amy's JOIN"));
  // As long as the line may be when zoe sends it (510 bytes before CR LF).
  const std::string head = "PRIVMSG #garden :";
  std::string text;
  while (head.size() + text.size() + 2 <= 510) text += "é";
  zoe->send(head + text);
  zoe->send("PRIVMSG #garden :marker");
  IrcMessage first, second;
  ASSERT_TRUE(amy->expect_command("PRIVMSG", &first));
  ASSERT_TRUE(amy->expect_command("PRIVMSG", &second));
  EXPECT_LE(body_of(first).size() + 2, 512u) << first.raw;
  EXPECT_TRUE(is_valid_utf8(first.last())) << printable(first.raw);
  EXPECT_TRUE(text.starts_with(first.last())) << first.raw;
  EXPECT_LT(first.last().size(), text.size());
  EXPECT_EQ(second.last(), "marker") << "the message went on as a second line: " << second.raw;
  ASSERT_NE(first.tag("msgid"), nullptr);
  ASSERT_NE(second.tag("msgid"), nullptr);
  EXPECT_NE(*first.tag("msgid"), *second.tag("msgid"));
}

// message-ids: the msgid "MUST be unique, meaning any other message
// transmitted on the entire network at any time MUST NOT share the same
// value"; docs/irc.md: a text message too long for one IRC line is split,
// and only its first line carries its msgid.
TEST(IrcConformanceMixed, ALongTextMessageIsSplitAndEachMsgidNamesOneLine) {
  ServerProcess server{ServerOptions{.threads = kThreads, .config_toml = unlimited_config()}};
  auto raj = connect(server, "Raj Ingle");
  ASSERT_TRUE(raj->register_as("Raj Ingle"));
  auto amy = connect_irc(server.irc_port(), "amy");
  ASSERT_TRUE(amy->register_as("amy", IrcRegisterOptions{.caps = "message-tags"}));
  ASSERT_TRUE(amy->join("#lobby"));
  ASSERT_TRUE(raj->expect_line(joined_line("amy")));
  std::string text = repeat("word ", 400);
  text.pop_back();
  raj->send_line(text);
  std::set<std::string> ids;
  std::size_t lines = 0, with_id = 0, seen = 0;
  const auto deadline = Clock::now() + default_timeout();
  while (seen < text.size() + 1) {  // each cut drops one space
    IrcMessage m;
    ASSERT_TRUE(amy->expect_command("PRIVMSG", &m, remaining(deadline)));
    ++lines;
    seen += m.last().size() + 1;
    if (const std::string* id = m.tag("msgid")) {
      ++with_id;
      EXPECT_TRUE(ids.insert(*id).second) << "msgid " << *id << " on two lines";
    }
  }
  EXPECT_GE(lines, 4u);
  EXPECT_EQ(with_id, 1u) << "the first line carries the message's id, the others none";
}

// STATUSMSG: "If <target> is a channel name, it may be prefixed with one or
// more channel membership prefix character (@, +, etc) and the message will
// be delivered only to the members of that channel with the given or higher
// status in the channel. Servers that support this feature will list the
// prefixes ... in the STATUSMSG RPL_ISUPPORT parameter".
TEST_F(IrcConformance, StatusmsgReachesOnlyOperatorsOrVoicedMembers) {
  auto op = connect_irc(server_.irc_port(), "op");
  std::vector<IrcMessage> welcome;
  ASSERT_TRUE(op->register_as("op", {}, &welcome));
  EXPECT_EQ(isupport(welcome, "STATUSMSG"), "@+");
  auto voiced = user("voiced");
  auto plain = connect_irc(server_.irc_port(), "plain");
  ASSERT_TRUE(plain->register_as("plain", IrcRegisterOptions{.caps = "echo-message"}));
  ASSERT_TRUE(op->join("#garden"));
  ASSERT_TRUE(voiced->join("#garden"));
  ASSERT_TRUE(plain->join("#garden"));
  op->send("MODE #garden +v voiced");
  ASSERT_TRUE(plain->wait_for(irc_command("MODE"), "MODE +v"));
  ASSERT_TRUE(voiced->wait_for(irc_command("MODE"), "MODE +v"));
  plain->send("PRIVMSG @#garden :to the operators");
  ASSERT_TRUE(plain->expect_raw(":" + prefix_of("plain") + " PRIVMSG @#garden :to the operators"));  // echo
  ASSERT_TRUE(op->wait_for(irc_raw(":" + prefix_of("plain") + " PRIVMSG @#garden :to the operators"), "@#garden"));
  plain->send("PRIVMSG +#garden :to the voiced");
  ASSERT_TRUE(plain->expect_raw(":" + prefix_of("plain") + " PRIVMSG +#garden :to the voiced"));
  ASSERT_TRUE(op->expect_raw(":" + prefix_of("plain") + " PRIVMSG +#garden :to the voiced"));
  plain->send("PRIVMSG #garden :to everyone");
  ASSERT_TRUE(op->expect_command("PRIVMSG"));
  // voiced hears the second and third, not the first.
  IrcMessage m;
  ASSERT_TRUE(voiced->expect_command("PRIVMSG", &m));
  EXPECT_EQ(m.raw, ":" + prefix_of("plain") + " PRIVMSG +#garden :to the voiced");
  ASSERT_TRUE(voiced->expect_command("PRIVMSG", &m));
  EXPECT_EQ(m.raw, ":" + prefix_of("plain") + " PRIVMSG #garden :to everyone");
}

// --- channels --------------------------------------------------------------------

// RPL_TOPICWHOTIME (333): "Sent to a client to let them know who set the
// topic (<nick>) and when they set it (<setat> is a unix timestamp). Sent
// after RPL_TOPIC." RPL_CREATIONTIME (329): "<client> <channel>
// <creationtime>", "a unix timestamp representing when the channel was
// created"; MODE: "Servers SHOULD also return the RPL_CREATIONTIME numeric
// following RPL_CHANNELMODEIS."
TEST_F(IrcConformance, TopicWhoTimeAndCreationTime) {
  const auto before = std::chrono::duration_cast<std::chrono::seconds>(
                          std::chrono::system_clock::now().time_since_epoch()).count();
  auto zoe = user("zoe");
  auto amy = user("amy");
  ASSERT_TRUE(zoe->join("#garden"));
  zoe->send("TOPIC #garden :Roses");
  ASSERT_TRUE(zoe->expect_command("TOPIC"));
  zoe->send("TOPIC #garden");
  IrcMessage m;
  ASSERT_TRUE(zoe->expect_command("332", &m));
  ASSERT_TRUE(zoe->expect_command("333", &m));
  EXPECT_EQ(m.param(1), "#garden");
  EXPECT_EQ(m.param(2), "zoe");
  EXPECT_GE(std::stoll(m.param(3)), before) << m.raw;
  std::vector<IrcMessage> lines;
  ASSERT_TRUE(amy->join("#garden", &lines));
  auto topic = std::find_if(lines.begin(), lines.end(), irc_command("332"));
  ASSERT_NE(topic, lines.end()) << describe_lines(lines);
  ASSERT_NE(topic + 1, lines.end());
  EXPECT_EQ((topic + 1)->command, "333") << describe_lines(lines);
  zoe->send("MODE #garden");
  ASSERT_TRUE(zoe->wait_for_command("324"));
  ASSERT_TRUE(zoe->expect_command("329", &m));
  EXPECT_EQ(m.param(1), "#garden");
  EXPECT_GE(std::stoll(m.param(2)), before) << m.raw;
}

// RPL_NAMREPLY's symbol: ("=", 0x3D) - Public channel; ("@", 0x40) - Secret
// channel (secret channel mode "+s").
TEST_F(IrcConformance, NamesOfASecretChannelUsesTheAtSymbol) {
  auto zoe = user("zoe");
  ASSERT_TRUE(zoe->join("#hidden"));
  zoe->send("MODE #hidden +s");
  ASSERT_TRUE(zoe->expect_command("MODE"));
  zoe->send("NAMES #hidden");
  IrcMessage m;
  ASSERT_TRUE(zoe->expect_command("353", &m));
  EXPECT_EQ(m.param(1), "@") << m.raw;
  ASSERT_TRUE(zoe->expect_command("366"));
  ASSERT_TRUE(zoe->join("#open"));
  zoe->send("NAMES #open");
  ASSERT_TRUE(zoe->expect_command("353", &m));
  EXPECT_EQ(m.param(1), "=") << m.raw;
}

// No external messages mode: "This channel mode controls whether users who
// are not joined to the channel can send messages to it"; "If this mode is
// enabled and they try to send one of these to a channel they are not joined
// to, they will receive an ERR_CANNOTSENDTOCHAN numeric".
TEST_F(IrcConformance, ModeNCanBeTurnedOff) {
  auto zoe = user("zoe");
  auto amy = connect_irc(server_.irc_port(), "amy");
  ASSERT_TRUE(amy->register_as("amy", IrcRegisterOptions{.caps = "echo-message"}));
  ASSERT_TRUE(zoe->join("#garden"));
  amy->send("PRIVMSG #garden :from outside");
  ASSERT_TRUE(amy->expect_command("404"));
  zoe->send("MODE #garden -n");
  ASSERT_TRUE(zoe->expect_raw(":" + prefix_of("zoe") + " MODE #garden -n"));
  zoe->send("MODE #garden");
  IrcMessage m;
  ASSERT_TRUE(zoe->expect_command("324", &m));
  EXPECT_EQ(m.param(2).find('n'), std::string::npos) << m.raw;
  amy->send("PRIVMSG #garden :from outside");
  ASSERT_TRUE(zoe->wait_for(irc_raw(":" + prefix_of("amy") + " PRIVMSG #garden :from outside"), "amy's message"));
  ASSERT_TRUE(amy->expect_raw(":" + prefix_of("amy") + " PRIVMSG #garden :from outside")) << "echo-message";
  amy->send("PRIVMSG #nowhere :hello");
  ASSERT_TRUE(amy->expect_command("403"));
  zoe->send("MODE #garden +n");
  ASSERT_TRUE(zoe->wait_for(irc_raw(":" + prefix_of("zoe") + " MODE #garden +n"), "MODE +n"));
  amy->send("PRIVMSG #garden :again");
  ASSERT_TRUE(amy->expect_command("404"));
}

// Exception channel mode (+e): "If their nickmask matches any one of the
// masks set by this mode, and their nickmask also matches any one of the
// masks set by the ban channel mode, they will not be blocked from joining";
// "it SHOULD be defined in the EXCEPTS RPL_ISUPPORT parameter". Invite-
// exception (+I): "a list of channel masks that are exempt from the
// invite-only channel mode"; "defined in the INVEX RPL_ISUPPORT parameter".
TEST_F(IrcConformance, BanExceptionsAndInviteExceptions) {
  auto zoe = connect_irc(server_.irc_port(), "zoe");
  std::vector<IrcMessage> welcome;
  ASSERT_TRUE(zoe->register_as("zoe", {}, &welcome));
  EXPECT_EQ(isupport(welcome, "EXCEPTS"), "e");
  EXPECT_EQ(isupport(welcome, "INVEX"), "I");
  EXPECT_EQ(isupport(welcome, "CHANMODES"), "beI,k,l,imnst");
  auto amy = user("amy");
  auto bob = user("bob");
  ASSERT_TRUE(zoe->join("#garden"));
  zoe->send("MODE #garden +b *!*@*");
  zoe->send("MODE #garden +e amy!*@*");
  ASSERT_TRUE(zoe->expect_raw(":" + prefix_of("zoe") + " MODE #garden +b *!*@*"));
  ASSERT_TRUE(zoe->expect_raw(":" + prefix_of("zoe") + " MODE #garden +e amy!*@*"));
  zoe->send("MODE #garden e");
  IrcMessage m;
  ASSERT_TRUE(zoe->expect_command("348", &m));
  EXPECT_EQ(m.param(2), "amy!*@*");
  ASSERT_TRUE(zoe->expect_command("349"));
  bob->send("JOIN #garden");
  ASSERT_TRUE(bob->expect_command("474"));
  ASSERT_TRUE(amy->join("#garden"));
  amy->send("PRIVMSG #garden :excepted from the ban");
  ASSERT_TRUE(zoe->wait_for(irc_command("PRIVMSG"), "amy's message"));

  ASSERT_TRUE(zoe->join("#club"));
  zoe->send("MODE #club +iI bob!*@*");
  ASSERT_TRUE(zoe->expect_raw(":" + prefix_of("zoe") + " MODE #club +iI bob!*@*"));
  zoe->send("MODE #club I");
  ASSERT_TRUE(zoe->expect_command("346", &m));
  EXPECT_EQ(m.param(2), "bob!*@*");
  ASSERT_TRUE(zoe->expect_command("347"));
  amy->send("JOIN #club");
  ASSERT_TRUE(amy->expect_command("473"));
  ASSERT_TRUE(bob->join("#club"));
  zoe->send("MODE #club -I bob!*@*");
  ASSERT_TRUE(zoe->wait_for(irc_raw(":" + prefix_of("zoe") + " MODE #club -I bob!*@*"), "MODE -I"));
}

// KICK lists ERR_NOSUCHCHANNEL among its replies (as PART does: "If the
// channel does not exist, the client will receive an ERR_NOSUCHCHANNEL
// reply"). MODE: "If <target> is a channel that does not exist on the
// network, the ERR_NOSUCHCHANNEL numeric is returned"; ERR_NOSUCHNICK:
// "Indicates that no client can be found for the supplied nickname".
TEST_F(IrcConformance, KickAndModeOnChannelsAndNicksThatDoNotExist) {
  auto zoe = user("zoe");
  auto amy = user("amy");
  ASSERT_TRUE(zoe->join("#garden"));
  zoe->send("KICK #nochannel amy");
  ASSERT_TRUE(zoe->expect_command("403"));
  zoe->send("MODE #nochannel +o amy");
  ASSERT_TRUE(zoe->expect_command("403"));
  zoe->send("MODE #garden +o nobody");
  IrcMessage m;
  ASSERT_TRUE(zoe->expect_command("401", &m));
  EXPECT_EQ(m.param(1), "nobody");
  zoe->send("MODE #garden +o amy");  // exists, not in the channel
  ASSERT_TRUE(zoe->expect_command("441"));
  amy->send("KICK #garden zoe");  // exists, amy is not in it
  ASSERT_TRUE(amy->expect_command("442"));
}

// ERR_INVALIDMODEPARAM (696): "<client> <target chan/user> <mode char>
// <parameter> :<description>" -- the rejected parameter is one parameter.
TEST_F(IrcConformance, InvalidModeParamKeepsTheParameterWhole) {
  auto zoe = user("zoe");
  ASSERT_TRUE(zoe->join("#garden"));
  zoe->send("MODE #garden +k :two words");
  IrcMessage m;
  ASSERT_TRUE(zoe->expect_command("696", &m));
  ASSERT_EQ(m.params.size(), 5u) << m.raw;
  EXPECT_EQ(m.param(1), "#garden");
  EXPECT_EQ(m.param(2), "k");
  EXPECT_EQ(m.param(3), "*") << m.raw;
  zoe->send("MODE #garden +k " + std::string(40, 'k'));  // past KEYLEN: not repeated
  ASSERT_TRUE(zoe->expect_command("696", &m));
  EXPECT_EQ(m.param(3), "*") << m.raw;
}

// TARGMAX: "The TARGMAX parameter defines the maximum number of targets
// allowed for commands which accept multiple targets. If this parameter is
// not advertised or a value is not sent then a client SHOULD assume that no
// commands except the JOIN and PART commands accept multiple parameters."
// KICK takes several nicks, so it is listed.
TEST_F(IrcConformance, TargmaxListsKick) {
  auto zoe = connect_irc(server_.irc_port(), "zoe");
  std::vector<IrcMessage> welcome;
  ASSERT_TRUE(zoe->register_as("zoe", {}, &welcome));
  auto targmax = isupport(welcome, "TARGMAX");
  ASSERT_TRUE(targmax);
  EXPECT_NE(targmax->find("KICK:"), std::string::npos) << *targmax;
}

// --- users ---------------------------------------------------------------------------

// RPL_USERHOST: "<isaway> represents whether that user has set an [away]
// message. "+" represents that the user is not away, and "-" represents that
// the user is away" -- from the moment RPL_NOWAWAY was sent.
TEST_F(IrcConformance, UserhostShowsAwayUsersWithAMinus) {
  auto bar = user("bar");
  auto qux = user("qux");
  qux->send("USERHOST bar");
  IrcMessage m;
  ASSERT_TRUE(qux->expect_command("302", &m));
  EXPECT_TRUE(m.last().starts_with("bar=+")) << m.raw;
  bar->send("AWAY :not here");
  ASSERT_TRUE(bar->expect_command("306"));
  qux->send("USERHOST bar");
  ASSERT_TRUE(qux->expect_command("302", &m));
  EXPECT_TRUE(m.last().starts_with("bar=-")) << m.raw;
}

// WHOWAS: "The history is searched backward, returning the most recent entry
// first. If there are multiple entries, up to <count> replies will be
// returned (or all of them if no <count> parameter is given)"; "If given,
// <count> SHOULD be a positive number. Otherwise, a full search is done."
TEST_F(IrcConformance, WhowasListsEveryEntryNewestFirst) {
  for (const char* real : {"First Ann", "Second Ann", "Third Ann"}) {
    auto ann = user("ann", real);
    ann->send("QUIT");
    ASSERT_TRUE(ann->expect_closed());
  }
  auto zoe = user("zoe");
  auto entries = [&](std::string command) {
    std::vector<std::string> reals;
    zoe->send(command);
    std::vector<IrcMessage> lines;
    EXPECT_TRUE(zoe->wait_for_command("369", nullptr, &lines));
    for (const auto& l : lines) {
      if (l.is("314")) reals.push_back(l.last());
    }
    EXPECT_EQ(count_of(lines, irc_command("312")), reals.size()) << describe_lines(lines);
    return reals;
  };
  // The registry hears of each quit on its own loop: wait until all three are in.
  const auto deadline = Clock::now() + default_timeout();
  while (entries("WHOWAS ann").size() < 3 && Clock::now() < deadline) {
  }
  EXPECT_EQ(entries("WHOWAS ann"), (std::vector<std::string>{"Third Ann", "Second Ann", "First Ann"}));
  EXPECT_EQ(entries("WHOWAS ann 2"), (std::vector<std::string>{"Third Ann", "Second Ann"}));
  EXPECT_EQ(entries("WHOWAS ann 0").size(), 3u);
  EXPECT_EQ(entries("WHOWAS ann -1").size(), 3u);
}

// WHO with a mask pattern: "all visible users whose nickname matches are
// listed"; "Visible users are users who either aren't invisible (user mode
// +i) or have a common channel with the requesting client."
TEST_F(IrcConformance, WhoMaskShowsInvisibleUsersToThoseSharingAChannel) {
  auto shy = user("shy");
  auto friend_ = user("friend");
  auto stranger = user("stranger");
  shy->send("MODE shy +i");
  ASSERT_TRUE(shy->expect_command("MODE"));
  ASSERT_TRUE(shy->join("#garden"));
  ASSERT_TRUE(friend_->join("#garden"));
  ASSERT_TRUE(stranger->join("#elsewhere"));
  auto who = [](IrcClient& c) {
    c.send("WHO sh*");
    std::vector<IrcMessage> lines;
    EXPECT_TRUE(c.wait_for_command("315", nullptr, &lines));
    return count_of(lines, irc_command_param("352", 5, "shy"));
  };
  EXPECT_EQ(who(*friend_), 1u);
  EXPECT_EQ(who(*shy), 1u);
  EXPECT_EQ(who(*stranger), 0u);
  friend_->send("PART #garden");
  ASSERT_TRUE(friend_->expect_command("PART"));
  EXPECT_EQ(who(*friend_), 0u);
}

// KICK: "there MUST be either one channel parameter and multiple user
// parameter, or as many channel parameters as there are user parameters"
// (RFC 2812 3.2.8).
TEST_F(IrcConformance, KickPairsChannelsWithNicks) {
  auto zoe = user("zoe");
  auto amy = user("amy");
  auto bob = user("bob");
  for (const char* ch : {"#a", "#b"}) {
    ASSERT_TRUE(zoe->join(ch));
    ASSERT_TRUE(amy->join(ch));
    ASSERT_TRUE(bob->join(ch));
  }
  ASSERT_TRUE(zoe->sync());
  zoe->send("KICK #a,#b amy,bob :bye");
  ASSERT_TRUE(amy->wait_for(irc_raw(":" + prefix_of("zoe") + " KICK #a amy :bye"), "amy kicked from #a"));
  ASSERT_TRUE(bob->wait_for(irc_raw(":" + prefix_of("zoe") + " KICK #b bob :bye"), "bob kicked from #b"));
  zoe->send("KICK #a,#b amy");
  ASSERT_TRUE(zoe->wait_for_command("461"));
}

// QUIT: "When connections are terminated by a client-sent QUIT command,
// servers SHOULD prepend <reason> with the ASCII string "Quit: " ... This
// applies even if <reason> is empty, in which case the reason sent to other
// clients SHOULD be just this "Quit: " string." A dropped connection is not
// a QUIT the client sent.
TEST_F(IrcConformance, AReasonlessQuitIsQuitColonAndADroppedConnectionIsNot) {
  auto amy = user("amy");
  ASSERT_TRUE(amy->join("#garden"));
  for (bool dropped : {false, true}) {
    SCOPED_TRACE(dropped ? "dropped" : "QUIT");
    auto zoe = user("zoe");
    ASSERT_TRUE(zoe->join("#garden"));
    ASSERT_TRUE(amy->wait_for(irc_raw(":" + prefix_of("zoe") + " JOIN #garden"), "zoe's JOIN"));
    if (dropped) zoe->close();
    else zoe->send("QUIT");
    IrcMessage quit;
    ASSERT_TRUE(amy->expect_command("QUIT", &quit));
    if (dropped) {
      EXPECT_FALSE(quit.last().starts_with("Quit:")) << quit.raw;
    } else {
      EXPECT_EQ(quit.last(), "Quit: ") << quit.raw;
      ASSERT_TRUE(zoe->expect_closed());
    }
  }
}

}  // namespace
}  // namespace parley::test
