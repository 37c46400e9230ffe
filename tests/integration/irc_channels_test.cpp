// IRC channels, messages and queries against the real parleyd (docs/irc.md,
// "Commands"), spoken as raw IRC over loopback by several clients at once.
//
// Each test quotes the sentence of the specification it checks: the modern IRC
// client protocol (modern.ircdocs.horse), RFC 2812 where that is silent.
//
// With two loops (the _mt build) a channel's events come from its home loop and
// a nick's answers from the nick's, so a test never assumes an order between
// two channels, or between a channel and a private message; within one
// channel, and between one client's lines, it does.

#include <algorithm>
#include <set>

#include "irc_itest_util.hpp"

namespace parley::test {
namespace {

// The names of a 353 reply's last parameter.
std::set<std::string> names_in(const IrcMessage& m) {
  std::set<std::string> out;
  const std::string& list = m.last();
  for (std::size_t at = 0; at < list.size();) {
    auto sp = list.find(' ', at);
    if (sp != at) out.insert(list.substr(at, sp - at));
    if (sp == std::string::npos) break;
    at = sp + 1;
  }
  return out;
}

std::size_t count_of(const std::vector<IrcMessage>& lines, const IrcPredicate& pred) {
  return static_cast<std::size_t>(std::count_if(lines.begin(), lines.end(), pred));
}

class IrcChannels : public ::testing::Test {
 protected:
  // A registered client called `nick`, with real name `real_name`.
  std::unique_ptr<IrcClient> user(const std::string& nick, std::string real_name = {}) {
    auto c = connect_irc(server_.irc_port(), nick);
    IrcRegisterOptions options;
    options.real_name = real_name.empty() ? "Real " + nick : std::move(real_name);
    EXPECT_TRUE(c->register_as(nick, options));
    return c;
  }

  ServerProcess server_{ServerOptions{.threads = kThreads, .config_toml = unlimited_config()}};
};

// JOIN: "If a client's JOIN command to the server is successful, the server
// MUST send, in this order:" the JOIN with the client as source, the topic
// (RPL_TOPIC, nothing when there is none), then RPL_NAMREPLY lines and one
// RPL_ENDOFNAMES.
TEST_F(IrcChannels, JoinGivesJoinTopicAndNamesInOrder) {
  auto zoe = user("zoe");
  zoe->send("JOIN #garden");
  ASSERT_TRUE(zoe->expect_raw(":" + prefix_of("zoe") + " JOIN #garden"));
  IrcMessage names;
  ASSERT_TRUE(zoe->expect_command("353", &names));
  EXPECT_EQ(names.param(2), "#garden") << names.raw;
  // The first member of a new channel is its operator (PREFIX=(o)@).
  EXPECT_EQ(names_in(names), (std::set<std::string>{"@zoe"})) << names.raw;
  ASSERT_TRUE(zoe->expect_raw(":parley.local 366 zoe #garden :End of /NAMES list"));

  auto amy = user("amy");
  amy->send("JOIN #garden");
  ASSERT_TRUE(amy->expect_raw(":" + prefix_of("amy") + " JOIN #garden"));
  ASSERT_TRUE(amy->expect_command("353", &names));
  EXPECT_EQ(names_in(names), (std::set<std::string>{"@zoe", "amy"})) << names.raw;
  ASSERT_TRUE(amy->expect(irc_command_param("366", 1, "#garden"), "366 #garden"));
  // "While a client is joined to a channel, they receive all relevant
  // information about that channel including the JOIN ... messages".
  ASSERT_TRUE(zoe->expect_raw(":" + prefix_of("amy") + " JOIN #garden"));

  // With a topic, RPL_TOPIC comes between the JOIN and the names.
  zoe->send("TOPIC #garden :Roses and rain");
  ASSERT_TRUE(zoe->expect_raw(":" + prefix_of("zoe") + " TOPIC #garden :Roses and rain"));
  ASSERT_TRUE(amy->expect_raw(":" + prefix_of("zoe") + " TOPIC #garden :Roses and rain"));
  auto bob = user("bob");
  bob->send("JOIN #garden");
  ASSERT_TRUE(bob->expect_raw(":" + prefix_of("bob") + " JOIN #garden"));
  ASSERT_TRUE(bob->expect_raw(":parley.local 332 bob #garden :Roses and rain"));
  // RPL_TOPICWHOTIME (333) may follow RPL_TOPIC.
  IrcMessage m;
  ASSERT_TRUE(bob->wait_for_command("353", &m));
  EXPECT_EQ(names_in(m), (std::set<std::string>{"@zoe", "amy", "bob"})) << m.raw;
  ASSERT_TRUE(bob->expect(irc_command_param("366", 1, "#garden"), "366 #garden"));
  ASSERT_TRUE(zoe->expect_raw(":" + prefix_of("bob") + " JOIN #garden"));
  ASSERT_TRUE(amy->expect_raw(":" + prefix_of("bob") + " JOIN #garden"));

  // Joining again is not an error, and sends nothing to the others.
  bob->send("JOIN #garden");
  ASSERT_TRUE(bob->sync());
  zoe->send("PRIVMSG #garden :marker");
  ASSERT_TRUE(amy->expect_raw(":" + prefix_of("zoe") + " PRIVMSG #garden :marker"));
}

// JOIN: "Servers MUST process the parameters of this command as lists on
// incoming commands from clients" and "this command also accepts the special
// argument of ("0", 0x30) instead of any of the usual parameters, which
// requests that the sending client leave all channels they are currently
// connected to."
TEST_F(IrcChannels, JoinListAndJoinZero) {
  auto amy = user("amy");
  ASSERT_TRUE(amy->join("#a"));
  ASSERT_TRUE(amy->join("#b"));
  auto zoe = user("zoe");
  zoe->send("JOIN #a,#b");
  // Each channel's JOIN comes before its names; the two channels in any order.
  std::set<std::string> joined, ended;
  auto deadline = Clock::now() + default_timeout();
  while (ended.size() < 2) {
    auto m = zoe->next(remaining(deadline));
    ASSERT_TRUE(m) << "JOIN #a,#b did not complete; recent:" << zoe->recent();
    if (m->is("JOIN")) {
      EXPECT_EQ(m->source, prefix_of("zoe"));
      joined.insert(m->param(0));
    } else if (m->is("366")) {
      EXPECT_TRUE(joined.count(m->param(1))) << "366 before the JOIN of " << m->param(1);
      ended.insert(m->param(1));
    } else {
      EXPECT_TRUE(m->is("353")) << "unexpected " << m->raw;
    }
  }
  EXPECT_EQ(joined, (std::set<std::string>{"#a", "#b"}));
  ASSERT_TRUE(amy->expect_raw(":" + prefix_of("zoe") + " JOIN #a"));
  ASSERT_TRUE(amy->expect_raw(":" + prefix_of("zoe") + " JOIN #b"));

  // "The server will process this command as though the client had sent a
  // PART command for each channel they are a member of."
  zoe->send("JOIN 0");
  std::set<std::string> parted;
  for (int i = 0; i < 2; ++i) {
    IrcMessage m;
    ASSERT_TRUE(zoe->expect_command("PART", &m));
    EXPECT_EQ(m.source, prefix_of("zoe"));
    parted.insert(m.param(0));
  }
  EXPECT_EQ(parted, (std::set<std::string>{"#a", "#b"}));
  ASSERT_TRUE(amy->expect_raw(":" + prefix_of("zoe") + " PART #a"));
  ASSERT_TRUE(amy->expect_raw(":" + prefix_of("zoe") + " PART #b"));
  zoe->send("PRIVMSG #a :still here?");
  ASSERT_TRUE(zoe->expect(irc_command_param("404", 1, "#a"), "404 zoe #a"));
}

// PART: "On sending a successful PART command, the user will receive a PART
// message from the server for each channel they have been removed from.
// <reason> is the reason that the client has left the channel(s)." and "if the
// channel exists and the client is not joined to it, they will receive an
// ERR_NOTONCHANNEL reply".
TEST_F(IrcChannels, PartWithAndWithoutReason) {
  auto zoe = user("zoe");
  auto amy = user("amy");
  ASSERT_TRUE(zoe->join("#garden"));
  ASSERT_TRUE(amy->join("#garden"));
  ASSERT_TRUE(zoe->wait_for(irc_raw(":" + prefix_of("amy") + " JOIN #garden"), "amy's JOIN"));
  amy->send("PART #garden :see you later");
  ASSERT_TRUE(amy->expect_raw(":" + prefix_of("amy") + " PART #garden :see you later"));
  ASSERT_TRUE(zoe->expect_raw(":" + prefix_of("amy") + " PART #garden :see you later"));
  ASSERT_TRUE(amy->join("#garden"));
  ASSERT_TRUE(zoe->expect_raw(":" + prefix_of("amy") + " JOIN #garden"));
  amy->send("PART #garden");
  ASSERT_TRUE(amy->expect_raw(":" + prefix_of("amy") + " PART #garden"));
  ASSERT_TRUE(zoe->expect_raw(":" + prefix_of("amy") + " PART #garden"));
  amy->send("PART #garden");
  ASSERT_TRUE(amy->expect(irc_command_param("442", 1, "#garden"), "442 amy #garden"));
  amy->send("PART garden");
  ASSERT_TRUE(amy->expect(irc_command_param("403", 1, "garden"), "403 amy garden"));
}

// PRIVMSG: "<target> is the nickname of a client or the name of a channel."
// and "The PRIVMSG message is sent from the server to client to deliver a
// message to that client. The <source> of the message represents the user or
// server that sent the message". NOTICE "is used similarly to PRIVMSG".
TEST_F(IrcChannels, PrivmsgAndNoticeToAChannelAndToANick) {
  auto zoe = user("zoe");
  auto amy = user("amy");
  ASSERT_TRUE(zoe->join("#garden"));
  ASSERT_TRUE(amy->join("#garden"));
  ASSERT_TRUE(zoe->wait_for(irc_raw(":" + prefix_of("amy") + " JOIN #garden"), "amy's JOIN"));

  zoe->send("PRIVMSG #garden :hello garden");
  ASSERT_TRUE(amy->expect_raw(":" + prefix_of("zoe") + " PRIVMSG #garden :hello garden"));
  zoe->send("NOTICE #garden :a notice");
  ASSERT_TRUE(amy->expect_raw(":" + prefix_of("zoe") + " NOTICE #garden :a notice"));
  zoe->send("PRIVMSG amy :just for you");
  ASSERT_TRUE(amy->expect_raw(":" + prefix_of("zoe") + " PRIVMSG amy :just for you"));
  zoe->send("NOTICE amy :private notice");
  ASSERT_TRUE(amy->expect_raw(":" + prefix_of("zoe") + " NOTICE amy :private notice"));
  // Nick lookup is case-insensitive (CASEMAPPING=ascii), the target shown is amy's own.
  zoe->send("PRIVMSG AMY :shouting");
  ASSERT_TRUE(amy->expect_raw(":" + prefix_of("zoe") + " PRIVMSG amy :shouting"));
  // A message to oneself arrives.
  zoe->send("PRIVMSG zoe :note to self");
  ASSERT_TRUE(zoe->expect_raw(":" + prefix_of("zoe") + " PRIVMSG zoe :note to self"));
  // Without echo-message the sender does not get its channel message back:
  // amy's marker is the next thing zoe sees.
  amy->send("PRIVMSG #garden :marker");
  ASSERT_TRUE(zoe->expect_raw(":" + prefix_of("amy") + " PRIVMSG #garden :marker"));
  // A text with colons and leading spaces survives.
  zoe->send("PRIVMSG #garden ::-)  two  spaces ");
  ASSERT_TRUE(amy->expect_raw(":" + prefix_of("zoe") + " PRIVMSG #garden ::-)  two  spaces "));
}

// TARGMAX=PRIVMSG:4 in 005: "<target>{,<target>}".
TEST_F(IrcChannels, MultipleTargets) {
  auto zoe = user("zoe");
  auto amy = user("amy");
  auto bob = user("bob");
  ASSERT_TRUE(zoe->join("#garden"));
  ASSERT_TRUE(amy->join("#garden"));
  zoe->send("PRIVMSG #garden,amy,bob :to all three");
  // amy gets it twice (the channel and herself), in either order; bob once.
  std::vector<IrcMessage> got;
  for (int i = 0; i < 2; ++i) {
    IrcMessage m;
    ASSERT_TRUE(amy->wait_for(irc_command("PRIVMSG"), "zoe's PRIVMSG", &m));
    got.push_back(m);
  }
  EXPECT_EQ(count_of(got, irc_raw(":" + prefix_of("zoe") + " PRIVMSG #garden :to all three")), 1u)
      << describe_lines(got);
  EXPECT_EQ(count_of(got, irc_raw(":" + prefix_of("zoe") + " PRIVMSG amy :to all three")), 1u) << describe_lines(got);
  ASSERT_TRUE(bob->expect_raw(":" + prefix_of("zoe") + " PRIVMSG bob :to all three"));
  // More than TARGMAX targets: ERR_TOOMANYTARGETS, nothing sent.
  zoe->send("PRIVMSG amy,bob,amy,bob,amy :too many");
  ASSERT_TRUE(zoe->wait_for_command("407"));
  zoe->send("PRIVMSG amy :marker");
  IrcMessage m;
  ASSERT_TRUE(amy->expect_command("PRIVMSG", &m));
  EXPECT_EQ(m.raw, ":" + prefix_of("zoe") + " PRIVMSG amy :marker") << "\"too many\" was sent after all";
}

// ERR_CANNOTSENDTOCHAN (404): "If a message cannot be delivered to a channel,
// the server SHOULD respond with an ERR_CANNOTSENDTOCHAN numeric". ERR_NOSUCHNICK
// (401) "Indicates that no client can be found for the supplied nickname."
// ERR_NORECIPIENT (411) and ERR_NOTEXTTOSEND (412): "Returned by the PRIVMSG
// command to indicate the message wasn't delivered because there was no
// recipient given" / "no text to send".
TEST_F(IrcChannels, PrivmsgErrors) {
  auto zoe = user("zoe");
  auto amy = user("amy");
  ASSERT_TRUE(amy->join("#elsewhere"));
  zoe->send("PRIVMSG #elsewhere :let me in");
  IrcMessage m;
  ASSERT_TRUE(zoe->expect_command("404", &m));
  EXPECT_EQ(m.param(1), "#elsewhere") << m.raw;
  zoe->send("PRIVMSG nobody :hello?");
  ASSERT_TRUE(zoe->expect_command("401", &m));
  EXPECT_EQ(m.param(1), "nobody") << m.raw;
  zoe->send("PRIVMSG");
  ASSERT_TRUE(zoe->expect_command("411"));
  zoe->send("PRIVMSG amy");
  ASSERT_TRUE(zoe->expect_command("412"));
  zoe->send("PRIVMSG amy :");
  ASSERT_TRUE(zoe->expect_command("412"));
  // None of it reached amy: zoe's next private message is the first thing she sees.
  zoe->send("PRIVMSG amy :marker");
  ASSERT_TRUE(amy->expect_raw(":" + prefix_of("zoe") + " PRIVMSG amy :marker"));
}

// NOTICE: "automatic replies must never be sent in response to a NOTICE
// message. This rule also applies to servers -- they must not send any error
// back to the client on receipt of a NOTICE command."
TEST_F(IrcChannels, NoticeNeverGetsAnErrorReply) {
  auto zoe = user("zoe");
  auto amy = user("amy");
  ASSERT_TRUE(amy->join("#elsewhere"));
  zoe->send("NOTICE #elsewhere :not a member");
  zoe->send("NOTICE nobody :no such nick");
  zoe->send("NOTICE");
  zoe->send("NOTICE amy");
  zoe->send("NOTICE amy :");
  zoe->send("NOTICE #bad,name :x");
  // The answer to "nobody" comes from that nick's home loop, so the marker is
  // a PRIVMSG to the same nick: its 401 must be the first line zoe receives.
  zoe->send("PRIVMSG nobody :marker");
  IrcMessage m;
  ASSERT_TRUE(zoe->expect_command("401", &m));
  EXPECT_EQ(m.param(1), "nobody") << m.raw;
  std::vector<IrcMessage> before;
  ASSERT_TRUE(zoe->sync(&before));
  EXPECT_TRUE(before.empty()) << describe_lines(before);
}

// UTF8ONLY (in 005), ircv3.net: "Servers publishing this token MUST NOT relay
// content (such as PRIVMSG or NOTICE message data, channel topics, or
// realnames) containing non-UTF-8 data to clients." docs/irc.md: other text is
// refused with FAIL <command> INVALID_UTF8.
TEST_F(IrcChannels, Utf8OnlyNothingInvalidIsRelayed) {
  auto zoe = user("zoe");
  auto amy = connect_irc(server_.irc_port(), "amy");
  ASSERT_TRUE(amy->register_as(
      "amy", IrcRegisterOptions{.user = "u", .real_name = "Amy", .caps = "extended-join", .cap_ls = false}));
  ASSERT_TRUE(zoe->join("#garden"));
  ASSERT_TRUE(amy->join("#garden"));
  ASSERT_TRUE(zoe->wait_for(irc_raw(":" + prefix_of("amy") + " JOIN #garden"), "amy's JOIN"));
  std::vector<IrcMessage> seen;
  auto valid = [](const IrcMessage& m) { return is_valid_utf8(m.raw); };
  // Waits on amy's connection and keeps every line, the awaited one included.
  auto amy_waits = [&](const IrcPredicate& pred, std::string_view what) {
    IrcMessage m;
    auto r = amy->wait_for(pred, what, &m, &seen);
    if (r) seen.push_back(m);
    return r;
  };

  zoe->send("PRIVMSG #garden :caf\xc3");
  IrcMessage fail;
  ASSERT_TRUE(zoe->expect_command("FAIL", &fail));
  EXPECT_EQ(fail.param(0), "PRIVMSG") << fail.raw;
  EXPECT_EQ(fail.param(1), "INVALID_UTF8") << fail.raw;
  zoe->send("PRIVMSG amy :\xff\xfe private");
  ASSERT_TRUE(zoe->wait_for_command("FAIL", &fail));
  zoe->send("NOTICE #garden :\xff notice");
  zoe->send("TOPIC #garden :topic \xff");
  zoe->send("PART #garden :reason \xff");
  ASSERT_TRUE(amy_waits(irc_command("PART"), "zoe's PART"));
  // A real name that is not UTF-8 (USER), seen in extended-join, WHO and WHOIS.
  auto bad = connect_irc(server_.irc_port(), "bad");
  ASSERT_TRUE(bad->register_as(
      "bad", IrcRegisterOptions{.user = "u", .real_name = "Bad \xff name", .caps = "", .cap_ls = false}));
  ASSERT_TRUE(bad->join("#garden"));
  ASSERT_TRUE(amy_waits(irc_command("JOIN"), "bad's JOIN"));
  amy->send("WHO #garden");
  ASSERT_TRUE(amy_waits(irc_command("315"), "315"));
  amy->send("WHOIS bad");
  ASSERT_TRUE(amy_waits(irc_command("318"), "318"));
  amy->send("TOPIC #garden");
  ASSERT_TRUE(amy_waits(irc_any_of({"331", "332"}), "the topic"));
  // A QUIT reason.
  ASSERT_TRUE(zoe->join("#garden"));
  zoe->send("QUIT :bye \xff");
  ASSERT_TRUE(amy_waits(irc_command("QUIT"), "zoe's QUIT"));
  // The private message would come the way bad's does (amy's nick), so before it.
  bad->send("PRIVMSG amy :marker");
  ASSERT_TRUE(amy_waits(irc_raw(":" + prefix_of("bad") + " PRIVMSG amy :marker"), "bad's marker"));
  for (const auto& m : seen) EXPECT_TRUE(valid(m)) << "relayed to amy: \"" << printable(m.raw) << "\"";
}

// TOPIC: "If <topic> is not given, either RPL_TOPIC or RPL_NOTOPIC is
// returned" and "If the topic of a channel is changed or cleared, every client
// in that channel (including the author of the topic change) will receive a
// TOPIC command with the new topic as argument (or an empty argument if the
// topic was cleared)". "If <topic> is an empty string, the topic for the
// channel will be cleared."
TEST_F(IrcChannels, TopicQuerySetAndClear) {
  auto zoe = user("zoe");
  auto amy = user("amy");
  ASSERT_TRUE(zoe->join("#garden"));
  ASSERT_TRUE(amy->join("#garden"));
  ASSERT_TRUE(zoe->wait_for(irc_raw(":" + prefix_of("amy") + " JOIN #garden"), "amy's JOIN"));
  zoe->send("TOPIC #garden");
  ASSERT_TRUE(zoe->expect(irc_command_param("331", 1, "#garden"), "331 zoe #garden"));
  zoe->send("TOPIC #garden :Tulips in spring");
  ASSERT_TRUE(zoe->expect_raw(":" + prefix_of("zoe") + " TOPIC #garden :Tulips in spring"));
  ASSERT_TRUE(amy->expect_raw(":" + prefix_of("zoe") + " TOPIC #garden :Tulips in spring"));
  amy->send("TOPIC #garden");
  ASSERT_TRUE(amy->expect_raw(":parley.local 332 amy #garden :Tulips in spring"));
  zoe->send("TOPIC #garden :");
  IrcMessage m;
  ASSERT_TRUE(amy->expect_command("TOPIC", &m));
  EXPECT_EQ(m.source, prefix_of("zoe"));
  EXPECT_EQ(m.param(0), "#garden");
  EXPECT_EQ(m.params.size(), 2u) << m.raw;
  EXPECT_EQ(m.param(1), "") << m.raw;
  amy->send("TOPIC #garden");
  ASSERT_TRUE(amy->expect(irc_command_param("331", 1, "#garden"), "331 amy #garden (the topic was cleared)"));
  // A client not in the channel cannot set it.
  auto bob = user("bob");
  bob->send("TOPIC #garden :hijack");
  ASSERT_TRUE(bob->expect(irc_command_param("442", 1, "#garden"), "442 bob #garden"));
}

// NAMES: "For each channel that exists and they are able to see the users in,
// the server returns one of more RPL_NAMREPLY numerics containing the users
// joined to the channel and a single RPL_ENDOFNAMES numeric. If the channel
// name is invalid or the channel does not exist, one RPL_ENDOFNAMES numeric
// containing the given channel name should be returned."
TEST_F(IrcChannels, Names) {
  auto zoe = user("zoe");
  auto amy = user("amy");
  ASSERT_TRUE(zoe->join("#garden"));
  ASSERT_TRUE(amy->join("#garden"));
  amy->send("NAMES #garden");
  IrcMessage m;
  ASSERT_TRUE(amy->expect_command("353", &m));
  EXPECT_EQ(m.param(0), "amy");
  EXPECT_EQ(m.param(2), "#garden");
  EXPECT_EQ(names_in(m), (std::set<std::string>{"@zoe", "amy"})) << m.raw;
  ASSERT_TRUE(amy->expect_raw(":parley.local 366 amy #garden :End of /NAMES list"));
  amy->send("NAMES #nowhere");
  ASSERT_TRUE(amy->expect(irc_command_param("366", 1, "#nowhere"), "366 amy #nowhere"));
}

// LIST: "In response to a successful LIST command, the server MAY send one
// RPL_LISTSTART numeric, MUST send back zero or more RPL_LIST numerics, and
// MUST send back one RPL_LISTEND numeric."
TEST_F(IrcChannels, List) {
  auto zoe = user("zoe");
  auto amy = user("amy");
  ASSERT_TRUE(zoe->join("#garden"));
  ASSERT_TRUE(amy->join("#garden"));
  ASSERT_TRUE(amy->join("#kitchen"));
  zoe->send("TOPIC #garden :Roses");
  ASSERT_TRUE(zoe->wait_for_command("TOPIC"));
  zoe->send("LIST");
  std::vector<IrcMessage> lines;
  IrcMessage end;
  ASSERT_TRUE(zoe->wait_for_command("323", &end, &lines));
  std::map<std::string, IrcMessage> rows;
  for (const auto& l : lines) {
    if (l.is("321")) continue;
    ASSERT_TRUE(l.is("322")) << "unexpected line in the LIST reply: " << l.raw;
    rows[l.param(1)] = l;
  }
  ASSERT_TRUE(rows.count("#garden")) << describe_lines(lines);
  ASSERT_TRUE(rows.count("#kitchen")) << describe_lines(lines);
  EXPECT_EQ(rows["#garden"].param(2), "2") << rows["#garden"].raw;
  EXPECT_EQ(rows["#garden"].last(), "Roses") << rows["#garden"].raw;
  EXPECT_EQ(rows["#kitchen"].param(2), "1") << rows["#kitchen"].raw;
}

// WHO: "The server will answer this command with zero, one or more
// RPL_WHOREPLY, and end the list with RPL_ENDOFWHO." The mask can be "A channel
// name, in which case the channel members are listed" or "An exact nickname, in
// which case a single user is returned."
TEST_F(IrcChannels, WhoChannelAndWhoNick) {
  auto zoe = user("zoe", "Zoe Washburne");
  auto amy = user("amy", "Amy Pond");
  ASSERT_TRUE(zoe->join("#garden"));
  ASSERT_TRUE(amy->join("#garden"));
  amy->send("WHO #garden");
  std::vector<IrcMessage> lines;
  IrcMessage end;
  ASSERT_TRUE(amy->wait_for_command("315", &end, &lines));
  EXPECT_EQ(end.param(1), "#garden") << end.raw;
  std::map<std::string, IrcMessage> rows;
  for (const auto& l : lines) {
    ASSERT_TRUE(l.is("352")) << l.raw;
    rows[l.param(5)] = l;
  }
  ASSERT_EQ(rows.size(), 2u) << describe_lines(lines);
  // "<client> <channel> <username> <host> <server> <nick> <flags> :<hopcount> <realname>"
  const IrcMessage& z = rows["zoe"];
  EXPECT_EQ(z.param(0), "amy") << z.raw;
  EXPECT_EQ(z.param(1), "#garden") << z.raw;
  EXPECT_EQ(z.param(2), "~u") << z.raw;
  EXPECT_EQ(z.param(3), "127.0.0.1") << z.raw;
  EXPECT_EQ(z.param(4), "parley.local") << z.raw;
  EXPECT_EQ(z.param(6).substr(0, 1), "H") << z.raw;
  EXPECT_NE(z.param(6).find('@'), std::string::npos) << "zoe is the channel operator: " << z.raw;
  EXPECT_EQ(z.last(), "0 Zoe Washburne") << z.raw;
  EXPECT_EQ(rows["amy"].last(), "0 Amy Pond") << rows["amy"].raw;
  EXPECT_EQ(rows["amy"].param(6).find('@'), std::string::npos) << rows["amy"].raw;

  amy->send("WHO zoe");
  lines.clear();
  ASSERT_TRUE(amy->wait_for_command("315", &end, &lines));
  EXPECT_EQ(end.param(1), "zoe") << end.raw;
  ASSERT_EQ(lines.size(), 1u) << describe_lines(lines);
  EXPECT_EQ(lines[0].command, "352");
  EXPECT_EQ(lines[0].param(5), "zoe") << lines[0].raw;
  EXPECT_EQ(lines[0].last(), "0 Zoe Washburne") << lines[0].raw;

  amy->send("WHO nobody");
  lines.clear();
  ASSERT_TRUE(amy->wait_for_command("315", &end, &lines));
  EXPECT_TRUE(lines.empty()) << describe_lines(lines);
}

// WHOIS: "The server SHOULD answer this command with numeric messages with
// information about the nick, ending with RPL_ENDOFWHOIS, even if they did not
// send any other numeric message."
TEST_F(IrcChannels, Whois) {
  auto zoe = user("zoe");
  auto amy = user("amy", "Amy Pond");
  zoe->send("WHOIS amy");
  std::vector<IrcMessage> lines;
  IrcMessage end;
  ASSERT_TRUE(zoe->wait_for_command("318", &end, &lines));
  EXPECT_EQ(end.param(1), "amy") << end.raw;
  auto user_line = std::find_if(lines.begin(), lines.end(), [](const IrcMessage& l) { return l.is("311"); });
  ASSERT_NE(user_line, lines.end()) << describe_lines(lines);
  // "<client> <nick> <username> <host> * :<realname>"
  EXPECT_EQ(user_line->raw, ":parley.local 311 zoe amy ~u 127.0.0.1 * :Amy Pond");
  auto server_line = std::find_if(lines.begin(), lines.end(), [](const IrcMessage& l) { return l.is("312"); });
  ASSERT_NE(server_line, lines.end()) << describe_lines(lines);
  EXPECT_EQ(server_line->param(1), "amy");
  EXPECT_EQ(server_line->param(2), "parley.local");

  zoe->send("WHOIS nobody");
  lines.clear();
  ASSERT_TRUE(zoe->wait_for_command("318", &end, &lines));
  EXPECT_EQ(end.param(1), "nobody") << end.raw;
  ASSERT_EQ(lines.size(), 1u) << describe_lines(lines);
  EXPECT_EQ(lines[0].command, "401") << lines[0].raw;
  EXPECT_EQ(lines[0].param(1), "nobody") << lines[0].raw;
}

// RFC 2812 4.9 ISON: "The ISON command was implemented to provide a quick and
// efficient means to get a response about whether a given nickname was
// currently on IRC." USERHOST: "The USERHOST command is used to return
// information about users with the given nicknames."
TEST_F(IrcChannels, IsonAndUserhost) {
  auto zoe = user("zoe");
  auto amy = user("amy");
  zoe->send("ISON amy nobody zoe");
  ASSERT_TRUE(zoe->expect_raw(":parley.local 303 zoe :amy zoe"));
  zoe->send("ISON nobody");
  IrcMessage m;
  ASSERT_TRUE(zoe->expect_command("303", &m));
  EXPECT_EQ(m.params.size(), 2u) << m.raw;
  EXPECT_EQ(m.last(), "") << m.raw;
  zoe->send("USERHOST amy nobody");
  ASSERT_TRUE(zoe->expect_command("302", &m));
  EXPECT_EQ(m.params, (std::vector<std::string>{"zoe", "amy=+~u@127.0.0.1"})) << m.raw;
}

// MODE: "If <modestring> is not given, the RPL_CHANNELMODEIS numeric is
// returned." and for a user "If <modestring> is not given, the RPL_UMODEIS
// numeric is sent back containing the current modes of the target user." and
// "If <target> is a different nick than the user who sent the command, the
// ERR_USERSDONTMATCH numeric is returned."
TEST_F(IrcChannels, ModeQueries) {
  auto zoe = user("zoe");
  auto amy = user("amy");
  ASSERT_TRUE(zoe->join("#garden"));
  zoe->send("MODE #garden");
  IrcMessage m;
  ASSERT_TRUE(zoe->expect_command("324", &m));
  EXPECT_EQ(m.param(1), "#garden") << m.raw;
  // CHANMODES says which; +n (no messages from outside) is always on.
  EXPECT_EQ(m.param(2).substr(0, 1), "+") << m.raw;
  EXPECT_NE(m.param(2).find('n'), std::string::npos) << m.raw;
  zoe->send("MODE zoe");
  ASSERT_TRUE(zoe->expect_command("221", &m));
  EXPECT_EQ(m.param(0), "zoe");
  EXPECT_EQ(m.param(1).substr(0, 1), "+") << m.raw;
  zoe->send("MODE amy");
  ASSERT_TRUE(zoe->expect_command("502"));
}

// VERSION: "the given server SHOULD respond with one RPL_VERSION reply"; TIME:
// "If the server parameter is not given, the server handling the command must
// reply to the query." (RPL_TIME, 391).
TEST_F(IrcChannels, VersionAndTime) {
  auto zoe = user("zoe");
  zoe->send("VERSION");
  IrcMessage m;
  ASSERT_TRUE(zoe->wait_for_command("351", &m));
  EXPECT_EQ(m.param(0), "zoe");
  EXPECT_EQ(m.param(1).rfind("parley-", 0), 0u) << m.raw;
  EXPECT_EQ(m.param(2), "parley.local") << m.raw;
  ASSERT_TRUE(zoe->sync());
  zoe->send("TIME");
  ASSERT_TRUE(zoe->expect_command("391", &m));
  EXPECT_EQ(m.param(1), "parley.local") << m.raw;
  EXPECT_FALSE(m.last().empty()) << m.raw;
}

// QUIT: "The server acknowledges this by replying with an ERROR message and
// closing the connection to the client." Others who share a channel get one
// QUIT each (however many channels they share), its reason prefixed with
// "Quit: " as the document recommends.
TEST_F(IrcChannels, QuitIsSeenOnceByAPeerSharingTwoChannels) {
  auto zoe = user("zoe");
  auto amy = user("amy");
  auto bob = user("bob");
  for (const char* channel : {"#a", "#b"}) {
    ASSERT_TRUE(zoe->join(channel));
    ASSERT_TRUE(amy->join(channel));
    ASSERT_TRUE(bob->join(channel));
  }
  ASSERT_TRUE(amy->sync());
  zoe->send("QUIT :gone fishing");
  std::vector<IrcMessage> last;
  ASSERT_TRUE(zoe->expect_closed(&last));
  ASSERT_FALSE(last.empty()) << "no ERROR before the close";
  EXPECT_EQ(last.back().command, "ERROR") << describe_lines(last);

  std::vector<IrcMessage> seen;
  IrcMessage quit;
  ASSERT_TRUE(amy->wait_for_command("QUIT", &quit, &seen));
  EXPECT_EQ(quit.raw, ":" + prefix_of("zoe") + " QUIT :Quit: gone fishing");
  // bob speaks in both channels once amy has seen the QUIT: each channel's
  // QUIT was queued before bob's line there, so anything else comes first.
  ASSERT_TRUE(bob->wait_for_command("QUIT"));
  bob->send("PRIVMSG #a :marker a");
  bob->send("PRIVMSG #b :marker b");
  auto marker = [](const IrcMessage& m) { return m.is("PRIVMSG") && m.last().rfind("marker", 0) == 0; };
  ASSERT_TRUE(amy->wait_for(marker, "bob's first marker", nullptr, &seen));
  ASSERT_TRUE(amy->wait_for(marker, "bob's second marker", nullptr, &seen));
  EXPECT_EQ(count_of(seen, irc_command("QUIT")), 0u) << "zoe's QUIT came twice:" << describe_lines(seen);
  // The others still in the channels see no PART for zoe either.
  EXPECT_EQ(count_of(seen, irc_command("PART")), 0u) << describe_lines(seen);
}

// A connection closed without QUIT: "the server MUST distribute a QUIT message
// to other clients informing them of this ... Servers MUST fill <reason> with a
// message reflecting the nature of the event which caused it to happen."
TEST_F(IrcChannels, DroppedConnectionIsAQuitWithAReason) {
  auto zoe = user("zoe");
  auto amy = user("amy");
  ASSERT_TRUE(zoe->join("#garden"));
  ASSERT_TRUE(amy->join("#garden"));
  ASSERT_TRUE(zoe->wait_for(irc_raw(":" + prefix_of("amy") + " JOIN #garden"), "amy's JOIN"));
  zoe->close();
  IrcMessage quit;
  ASSERT_TRUE(amy->expect_command("QUIT", &quit));
  EXPECT_EQ(quit.source, prefix_of("zoe"));
  EXPECT_FALSE(quit.last().empty()) << quit.raw;
}

// NICK: "The NICK message may be sent from the server to clients to
// acknowledge their NICK command was successful, and to inform other clients
// about the change of nickname." The source is the old nick; each client gets
// it once, however many channels it shares.
TEST_F(IrcChannels, NickChangeIsSeenOnceByPeers) {
  auto zoe = user("zoe");
  auto amy = user("amy");
  for (const char* channel : {"#a", "#b"}) {
    ASSERT_TRUE(zoe->join(channel));
    ASSERT_TRUE(amy->join(channel));
  }
  ASSERT_TRUE(zoe->wait_for(irc_raw(":" + prefix_of("amy") + " JOIN #b"), "amy's JOIN #b"));
  zoe->send("NICK zoey");
  std::vector<IrcMessage> own;
  IrcMessage nick;
  ASSERT_TRUE(zoe->wait_for_command("NICK", &nick, &own));
  EXPECT_EQ(nick.source, prefix_of("zoe")) << nick.raw;
  EXPECT_EQ(nick.param(0), "zoey") << nick.raw;
  // Markers in both channels, sent after the rename: each channel's NICK was
  // queued before them.
  zoe->send("PRIVMSG #a :marker a");
  zoe->send("PRIVMSG #b :marker b");
  auto marker = [](const IrcMessage& m) { return m.is("PRIVMSG") && m.last().rfind("marker", 0) == 0; };
  std::vector<IrcMessage> seen;
  IrcMessage m;
  ASSERT_TRUE(amy->wait_for(marker, "zoey's first marker", &m, &seen));
  EXPECT_EQ(m.source, prefix_of("zoey")) << m.raw;
  ASSERT_TRUE(amy->wait_for(marker, "zoey's second marker", &m, &seen));
  EXPECT_EQ(m.source, prefix_of("zoey")) << m.raw;
  EXPECT_EQ(count_of(seen, irc_command("NICK")), 1u) << describe_lines(seen);
  EXPECT_EQ(count_of(seen, irc_raw(":" + prefix_of("zoe") + " NICK :zoey")) +
                count_of(seen, irc_raw(":" + prefix_of("zoe") + " NICK zoey")),
            1u)
      << describe_lines(seen);
  // zoe herself saw it once as well: amy answers in both channels, after both
  // channels announced the rename.
  amy->send("PRIVMSG #a :back a");
  amy->send("PRIVMSG #b :back b");
  auto back = [](const IrcMessage& m) { return m.is("PRIVMSG") && m.last().rfind("back", 0) == 0; };
  ASSERT_TRUE(zoe->wait_for(back, "amy's first answer", nullptr, &own));
  ASSERT_TRUE(zoe->wait_for(back, "amy's second answer", nullptr, &own));
  EXPECT_EQ(count_of(own, irc_command("NICK")), 0u) << "zoe saw her NICK more than once:" << describe_lines(own);
  // The old nick is free again, the new one taken.
  auto other = connect_irc(server_.irc_port(), "other");
  other->send("NICK zoey");
  other->send("USER u 0 * :Other");
  ASSERT_TRUE(other->expect_command("433"));
  other->send("NICK zoe");
  ASSERT_TRUE(other->expect_command("001"));
}

}  // namespace
}  // namespace parley::test
