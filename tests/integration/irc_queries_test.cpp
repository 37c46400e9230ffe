// IRC messages and queries against the real parleyd (docs/irc.md, "Commands"):
// PRIVMSG and NOTICE to channels and nicks, UTF8ONLY, WHO, WHOIS, ISON, USERHOST,
// MODE queries, VERSION and TIME, spoken as raw IRC over loopback by several
// clients at once.
//
// Each test quotes the sentence of the specification it checks: the modern IRC
// client protocol (modern.ircdocs.horse), RFC 2812 where that is silent.
//
// With two loops (the _mt build) a channel's events come from its home loop and
// a nick's answers from the nick's, so a test never assumes an order between
// two channels, or between a channel and a private message; within one
// channel, and between one client's lines, it does.

#include "irc_channels_util.hpp"

namespace parley::test {
namespace {

using namespace irc_channels;

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

// WHOIS's RPL_WHOISCHANNELS (319): "<client> <nick> :[prefix]<channel>{ [prefix]<channel>}"
// ... "The server SHOULD NOT show channels that are secret ... unless the
// client sending the WHOIS is joined to the channel"; and RPL_WHOISIDLE (317):
// "<client> <nick> <secs> <signon> :seconds idle, signon time".
TEST_F(IrcChannels, WhoisChannelsAndIdle) {
  const auto before = std::chrono::duration_cast<std::chrono::seconds>(
                          std::chrono::system_clock::now().time_since_epoch()).count();
  auto zoe = user("zoe");
  auto amy = user("amy");
  const auto after = std::chrono::duration_cast<std::chrono::seconds>(
                         std::chrono::system_clock::now().time_since_epoch()).count();
  auto bob = user("bob");
  ASSERT_TRUE(zoe->join("#garden"));
  ASSERT_TRUE(amy->join("#garden"));
  ASSERT_TRUE(amy->join("#den"));
  amy->send("MODE #den +s");
  ASSERT_TRUE(amy->wait_for(irc_raw(":" + prefix_of("amy") + " MODE #den +s"), "amy's MODE"));
  ASSERT_TRUE(amy->join("#attic"));
  zoe->send("MODE #garden +v amy");
  ASSERT_TRUE(zoe->wait_for(irc_raw(":" + prefix_of("zoe") + " MODE #garden +v amy"), "zoe's MODE"));

  auto whois = [](IrcClient& asker, std::string_view nick, std::vector<IrcMessage>& lines) {
    lines.clear();
    asker.send("WHOIS " + std::string(nick));
    IrcMessage end;
    return asker.wait_for_command("318", &end, &lines);
  };
  auto find = [](const std::vector<IrcMessage>& lines, std::string_view command) {
    auto it = std::find_if(lines.begin(), lines.end(), [&](const IrcMessage& l) { return l.is(command); });
    return it == lines.end() ? IrcMessage{} : *it;
  };
  std::vector<IrcMessage> lines;
  ASSERT_TRUE(whois(*bob, "amy", lines));
  // bob is in none of them: the secret #den is left out.
  EXPECT_EQ(find(lines, "319").raw, ":parley.local 319 bob amy :+#garden @#attic") << describe_lines(lines);
  const IrcMessage idle = find(lines, "317");
  ASSERT_EQ(idle.params.size(), 5u) << describe_lines(lines);
  EXPECT_EQ(idle.param(1), "amy");
  EXPECT_GE(std::stoll(idle.param(2)), 0) << idle.raw;
  EXPECT_GE(std::stoll(idle.param(3)), before - 1) << idle.raw;
  EXPECT_LE(std::stoll(idle.param(3)), after + 1) << idle.raw;
  EXPECT_EQ(idle.last(), "seconds idle, signon time");
  // 319 comes after 311, 317 just before 318.
  ASSERT_GE(lines.size(), 3u);
  EXPECT_TRUE(lines[0].is("311")) << describe_lines(lines);
  EXPECT_TRUE(lines[1].is("319")) << describe_lines(lines);
  EXPECT_TRUE(lines.back().is("317")) << describe_lines(lines);

  // amy herself sees #den; so does bob once he is in it.
  ASSERT_TRUE(whois(*amy, "amy", lines));
  EXPECT_EQ(find(lines, "319").last(), "+#garden @#den @#attic") << describe_lines(lines);
  ASSERT_TRUE(bob->join("#den"));
  ASSERT_TRUE(whois(*bob, "amy", lines));
  EXPECT_EQ(find(lines, "319").last(), "+#garden @#den @#attic") << describe_lines(lines);
  ASSERT_TRUE(whois(*amy, "bob", lines));
  EXPECT_EQ(find(lines, "319").params, (std::vector<std::string>{"amy", "bob", "#den"})) << describe_lines(lines);
  // A user in no channel gets no 319.
  bob->send("PART #den");
  ASSERT_TRUE(bob->wait_for_command("PART"));
  ASSERT_TRUE(whois(*amy, "bob", lines));
  EXPECT_TRUE(find(lines, "319").raw.empty()) << describe_lines(lines);
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
  // CHANMODES says which; +n (no messages from outside) is on for new channels.
  EXPECT_EQ(m.param(2).substr(0, 1), "+") << m.raw;
  EXPECT_NE(m.param(2).find('n'), std::string::npos) << m.raw;
  ASSERT_TRUE(zoe->expect_command("329"));
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

}  // namespace
}  // namespace parley::test
