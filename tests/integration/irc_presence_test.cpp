// Presence and server operators against the real parleyd (docs/irc.md):
// AWAY and away-notify, SETNAME and setname, the bot mode, user modes, OPER,
// KILL, WHOWAS, ADMIN and INFO, and a text user's /away seen from both sides.
//
// Each test quotes the line of the modern IRC client protocol document
// (modern.ircdocs.horse) or the IRCv3 specification (ircv3.net) it checks.

#include <algorithm>

#include "irc_itest_util.hpp"

namespace parley::test {
namespace {

std::string presence_config() {
  return unlimited_config() +
         "[irc]\n"
         "admin_location = \"Room 101, Example Street\"\n"
         "admin_contact = \"ops@example.org\"\n"
         "[[irc.operators]]\n"
         "name = \"root\"\n"
         "password = \"sesame\"\n";
}

// Lines among `lines` with this command.
std::vector<IrcMessage> with_command(const std::vector<IrcMessage>& lines, std::string_view command) {
  std::vector<IrcMessage> out;
  std::copy_if(lines.begin(), lines.end(), std::back_inserter(out), [&](const IrcMessage& m) { return m.is(command); });
  return out;
}

class IrcPresence : public ::testing::Test {
 protected:
  std::unique_ptr<IrcClient> user(const std::string& nick, std::string caps = {}) {
    auto c = connect_irc(server_.irc_port(), nick);
    IrcRegisterOptions options;
    options.caps = std::move(caps);
    options.real_name = "Real " + nick;
    EXPECT_TRUE(c->register_as(nick, options));
    return c;
  }

  // The reply lines to `line`: through the line `until` (a command answered
  // after a round trip through the core), or, for a command answered at once,
  // up to the PONG of a sync after it.
  std::vector<IrcMessage> ask(IrcClient& c, std::string_view line, std::string_view until = {}) {
    c.send(line);
    std::vector<IrcMessage> lines;
    if (until.empty()) {
      EXPECT_TRUE(c.sync(&lines));
      return lines;
    }
    IrcMessage last;
    EXPECT_TRUE(c.wait_for_command(until, &last, &lines));
    lines.push_back(last);
    return lines;
  }

  // The flags field of `nick`'s 352 in the answer to WHO `mask`.
  std::string who_flags(IrcClient& asker, std::string_view mask, std::string_view nick) {
    auto lines = ask(asker, "WHO " + std::string(mask), "315");
    for (const auto& m : with_command(lines, "352")) {
      if (m.param(5) == nick) return m.param(6);
    }
    ADD_FAILURE() << nick << " missing from WHO " << mask << ": " << describe_lines(lines);
    return {};
  }

  ServerProcess server_{ServerOptions{.threads = kThreads, .config_toml = presence_config()}};
};

// AWAY: "If [<text>] is given, the user is marked as away and RPL_NOWAWAY
// (306) is sent", "If not, the user is no longer away and RPL_UNAWAY (305) is
// sent"; RPL_AWAY (301) "Indicates that the user with the nickname <nick> is
// currently away ... sent when the client sends a PRIVMSG to a user who is
// away", and WHO's flags are "H" (here) or "G" (gone).
TEST_F(IrcPresence, AwayAnswersTellsSendersAndShowsInWhoAndWhois) {
  auto zoe = user("zoe");
  auto amy = user("amy");
  ASSERT_TRUE(zoe->join("#garden"));
  ASSERT_TRUE(amy->join("#garden"));
  EXPECT_EQ(who_flags(*amy, "#garden", "zoe"), "H@");

  IrcMessage m;
  zoe->send("AWAY :gone to lunch");
  ASSERT_TRUE(zoe->wait_for_command("306", &m));
  EXPECT_EQ(m.last(), "You have been marked as being away");

  amy->send("PRIVMSG zoe :are you there?");
  ASSERT_TRUE(amy->expect_command("301", &m));
  EXPECT_EQ(m.param(1), "zoe");
  EXPECT_EQ(m.last(), "gone to lunch");
  ASSERT_TRUE(zoe->wait_for_command("PRIVMSG", &m)) << "the message is delivered all the same";
  // NOTICE never gets an automatic reply, RPL_AWAY included: the next 301 is the next PRIVMSG's.
  amy->send("NOTICE zoe :fyi");
  amy->send("PRIVMSG zoe :second");
  ASSERT_TRUE(amy->expect_command("301", &m));
  ASSERT_TRUE(amy->sync());
  ASSERT_TRUE(zoe->wait_for_command("NOTICE"));
  ASSERT_TRUE(zoe->wait_for_command("PRIVMSG"));

  EXPECT_EQ(who_flags(*amy, "#garden", "zoe"), "G@");
  EXPECT_EQ(who_flags(*amy, "zoe", "zoe"), "G");
  auto whois = ask(*amy, "WHOIS zoe", "318");
  auto away = with_command(whois, "301");
  ASSERT_EQ(away.size(), 1u) << describe_lines(whois);
  EXPECT_EQ(away[0].last(), "gone to lunch");

  zoe->send("AWAY");
  ASSERT_TRUE(zoe->wait_for_command("305", &m));
  EXPECT_EQ(m.last(), "You are no longer marked as being away");
  EXPECT_EQ(who_flags(*amy, "#garden", "zoe"), "H@");
  whois = ask(*amy, "WHOIS zoe", "318");
  EXPECT_TRUE(with_command(whois, "301").empty()) << describe_lines(whois);
}

// away-notify: "clients will be sent an AWAY message when a user sharing a
// channel with them sets, changes or removes their away state", in the format
// ":nick!user@host AWAY [:message]".
TEST_F(IrcPresence, AwayNotifyTellsThoseWhoAskedOnceForSeveralSharedChannels) {
  auto zoe = user("zoe");
  auto amy = user("amy", "away-notify");
  auto bob = user("bob");
  for (auto* c : {zoe.get(), amy.get(), bob.get()}) {
    ASSERT_TRUE(c->join("#garden"));
    ASSERT_TRUE(c->join("#shed"));
  }
  ASSERT_TRUE(amy->wait_for(irc_raw(":" + prefix_of("bob") + " JOIN #shed"), "bob's last JOIN"));
  zoe->send("AWAY :lunch");
  ASSERT_TRUE(zoe->wait_for_command("306"));
  IrcMessage m;
  ASSERT_TRUE(amy->wait_for_command("AWAY", &m));
  EXPECT_EQ(body_of(m), ":" + prefix_of("zoe") + " AWAY :lunch");
  zoe->send("AWAY :still lunch");
  ASSERT_TRUE(amy->expect_command("AWAY", &m)) << "changed: told again, once";
  EXPECT_EQ(m.last(), "still lunch");
  zoe->send("AWAY");
  ASSERT_TRUE(amy->expect_command("AWAY", &m));
  EXPECT_EQ(body_of(m), ":" + prefix_of("zoe") + " AWAY");
  // bob did not ask: nothing.
  std::vector<IrcMessage> before;
  ASSERT_TRUE(bob->sync(&before));
  EXPECT_TRUE(with_command(before, "AWAY").empty()) << describe_lines(before);
  ASSERT_TRUE(amy->sync(&before));
  EXPECT_TRUE(with_command(before, "AWAY").empty()) << "each change once: " << describe_lines(before);
}

// away-notify: "as well as when a user joins and has an away message set.
// (Note that AWAY will not be sent for joining users with no away message set.)"
TEST_F(IrcPresence, AwayNotifyFollowsTheJoinOfSomeoneAway) {
  auto amy = user("amy", "away-notify");
  ASSERT_TRUE(amy->join("#garden"));
  auto zoe = user("zoe");
  zoe->send("AWAY :napping");
  ASSERT_TRUE(zoe->wait_for_command("306"));
  ASSERT_TRUE(zoe->join("#garden"));
  ASSERT_TRUE(amy->expect_raw(":" + prefix_of("zoe") + " JOIN #garden"));
  ASSERT_TRUE(amy->expect_raw(":" + prefix_of("zoe") + " AWAY :napping"));
  auto bob = user("bob");
  ASSERT_TRUE(bob->join("#garden"));
  ASSERT_TRUE(amy->expect_raw(":" + prefix_of("bob") + " JOIN #garden"));
  std::vector<IrcMessage> before;
  ASSERT_TRUE(amy->sync(&before));
  EXPECT_TRUE(before.empty()) << describe_lines(before);
}

// setname: "If they accept the realname change, they MUST send the
// server-to-client version of the SETNAME message to all clients in common
// channels, as well as to the client from which it originated", and "The
// SETNAME message MUST NOT be sent to clients which do not have the setname
// capability negotiated."
TEST_F(IrcPresence, SetnameChangesTheRealNameAndTellsThoseWhoAsked) {
  auto zoe = user("zoe", "setname");
  auto amy = user("amy", "setname");
  auto bob = user("bob");
  for (auto* c : {zoe.get(), amy.get(), bob.get()}) ASSERT_TRUE(c->join("#garden"));
  ASSERT_TRUE(zoe->wait_for(irc_raw(":" + prefix_of("bob") + " JOIN #garden"), "bob's JOIN"));
  ASSERT_TRUE(amy->wait_for(irc_raw(":" + prefix_of("bob") + " JOIN #garden"), "bob's JOIN"));
  zoe->send("SETNAME :Zoe Washburne <zoe@serenity>");
  const std::string line = ":" + prefix_of("zoe") + " SETNAME :Zoe Washburne <zoe@serenity>";
  ASSERT_TRUE(zoe->expect_raw(line));
  ASSERT_TRUE(amy->expect_raw(line));
  std::vector<IrcMessage> before;
  ASSERT_TRUE(bob->sync(&before));
  EXPECT_TRUE(with_command(before, "SETNAME").empty()) << describe_lines(before);
  auto whois = ask(*bob, "WHOIS zoe", "318");
  auto user_line = with_command(whois, "311");
  ASSERT_EQ(user_line.size(), 1u) << describe_lines(whois);
  EXPECT_EQ(user_line[0].last(), "Zoe Washburne <zoe@serenity>");
  // "If a client sends a SETNAME command without having negotiated the
  // capability, the server SHOULD handle it silently".
  auto quiet = ask(*bob, "SETNAME :Bob Builder");
  EXPECT_TRUE(quiet.empty()) << describe_lines(quiet);
  ASSERT_TRUE(zoe->expect_raw(":" + prefix_of("bob") + " SETNAME :Bob Builder"));
}

// setname: "If the server rejects the realname due to invalidity, it MUST send
// a FAIL message of the following format: FAIL SETNAME INVALID_REALNAME :Realname is not valid"
TEST_F(IrcPresence, SetnameRefusesAnInvalidRealName) {
  auto zoe = user("zoe", "setname");
  auto lines = ask(*zoe, "SETNAME :" + std::string(101, 'x'));
  auto fail = with_command(lines, "FAIL");
  ASSERT_EQ(fail.size(), 1u) << describe_lines(lines);
  EXPECT_EQ(fail[0].param(0), "SETNAME");
  EXPECT_EQ(fail[0].param(1), "INVALID_REALNAME");
  EXPECT_TRUE(with_command(lines, "SETNAME").empty());
  auto whois = ask(*zoe, "WHOIS zoe", "318");
  ASSERT_EQ(with_command(whois, "311").size(), 1u);
  EXPECT_EQ(with_command(whois, "311")[0].last(), "Real zoe") << "unchanged";
  lines = ask(*zoe, "SETNAME");
  EXPECT_EQ(with_command(lines, "461").size(), 1u) << describe_lines(lines);
}

// bot-mode: "The value of the BOT token is the mode character which is used to
// enable bot mode and is also the flag used in WHO responses of bots", "When a
// client is marked as a bot, they are given a special numeric as part of their
// WHOIS response" (335), and the bot tag "MUST only be sent to users who have
// requested the message-tags capability".
TEST_F(IrcPresence, BotModeShowsInWhoWhoisAndTags) {
  auto robo = connect_irc(server_.irc_port(), "robo");
  std::vector<IrcMessage> welcome;
  ASSERT_TRUE(robo->register_as("robo", {}, &welcome));
  bool bot_token = false;
  for (const auto& m : with_command(welcome, "005")) {
    for (const auto& p : m.params) bot_token = bot_token || p == "BOT=B";
  }
  EXPECT_TRUE(bot_token) << describe_lines(welcome);

  auto amy = user("amy", "message-tags");
  auto bob = user("bob");
  for (auto* c : {robo.get(), amy.get(), bob.get()}) ASSERT_TRUE(c->join("#garden"));
  ASSERT_TRUE(robo->wait_for(irc_raw(":" + prefix_of("bob") + " JOIN #garden"), "bob's JOIN"));
  ASSERT_TRUE(amy->wait_for(irc_raw(":" + prefix_of("bob") + " JOIN #garden"), "bob's JOIN"));

  robo->send("MODE robo +B");
  ASSERT_TRUE(robo->expect_raw(":" + prefix_of("robo") + " MODE robo :+B"));
  auto mode = ask(*robo, "MODE robo");
  ASSERT_EQ(with_command(mode, "221").size(), 1u) << describe_lines(mode);
  EXPECT_EQ(with_command(mode, "221")[0].param(1), "+B");
  EXPECT_EQ(who_flags(*bob, "#garden", "robo"), "H@B");
  auto whois = ask(*bob, "WHOIS robo", "318");
  EXPECT_EQ(with_command(whois, "335").size(), 1u) << describe_lines(whois);

  robo->send("PRIVMSG #garden :beep");
  IrcMessage m;
  ASSERT_TRUE(amy->expect_command("PRIVMSG", &m));
  EXPECT_TRUE(m.tag("bot")) << m.raw;
  ASSERT_TRUE(bob->expect_command("PRIVMSG", &m));
  EXPECT_FALSE(m.has_tags) << m.raw;
  robo->send("NOTICE amy :boop");
  ASSERT_TRUE(amy->expect_command("NOTICE", &m));
  EXPECT_TRUE(m.tag("bot")) << m.raw;

  robo->send("MODE robo -B");
  ASSERT_TRUE(robo->expect_raw(":" + prefix_of("robo") + " MODE robo :-B"));
  robo->send("PRIVMSG #garden :human now");
  ASSERT_TRUE(amy->expect_command("PRIVMSG", &m));
  EXPECT_FALSE(m.tag("bot")) << m.raw;
  EXPECT_EQ(who_flags(*bob, "#garden", "robo"), "H@");
}

// User modes: "If a user attempts to make themselves an operator using the
// "+o" flag, the attempt should be ignored"; ERR_UMODEUNKNOWNFLAG (501) for an
// unknown flag, ERR_USERSDONTMATCH (502) "if a user tries to ... change modes
// for other users"; invisible users are hidden from WHO of those not sharing a channel.
TEST_F(IrcPresence, UserModesInvisibleAndNoSelfMadeOperators) {
  auto zoe = user("zoe");
  auto amy = user("amy");
  ASSERT_TRUE(zoe->join("#garden"));
  auto lines = ask(*zoe, "MODE zoe +io");
  ASSERT_EQ(with_command(lines, "MODE").size(), 1u) << describe_lines(lines);
  EXPECT_EQ(body_of(with_command(lines, "MODE")[0]), ":" + prefix_of("zoe") + " MODE zoe :+i");
  lines = ask(*zoe, "MODE zoe");
  ASSERT_EQ(with_command(lines, "221").size(), 1u);
  EXPECT_EQ(with_command(lines, "221")[0].param(1), "+i");
  lines = ask(*zoe, "MODE zoe +x");
  EXPECT_EQ(with_command(lines, "501").size(), 1u) << describe_lines(lines);
  lines = ask(*zoe, "MODE amy +i");
  EXPECT_EQ(with_command(lines, "502").size(), 1u) << describe_lines(lines);

  // amy shares no channel with zoe: WHO #garden leaves her out.
  lines = ask(*amy, "WHO #garden", "315");
  EXPECT_TRUE(with_command(lines, "352").empty()) << describe_lines(lines);
  EXPECT_EQ(with_command(lines, "315").size(), 1u);
  ASSERT_TRUE(amy->join("#garden"));
  EXPECT_EQ(who_flags(*amy, "#garden", "zoe"), "H@");
  // LUSERS: "There are <u> users and <i> invisible on <s> servers".
  lines = ask(*amy, "LUSERS", "255");
  ASSERT_EQ(with_command(lines, "251").size(), 1u) << describe_lines(lines);
  EXPECT_EQ(with_command(lines, "251")[0].last(), "There are 1 users and 1 invisible on 1 servers");
  lines = ask(*zoe, "MODE zoe -i");
  EXPECT_EQ(body_of(with_command(lines, "MODE").at(0)), ":" + prefix_of("zoe") + " MODE zoe :-i");
}

// OPER: "If the client is not connecting from a valid host for the given name,
// the server replies with an ERR_NOOPERHOST message" (491), "If the supplied
// password is incorrect, the server replies with an ERR_PASSWDMISMATCH (464)",
// else "RPL_YOUREOPER (381)"; WHO shows "*" and WHOIS RPL_WHOISOPERATOR (313).
TEST_F(IrcPresence, OperWithConfiguredLogins) {
  auto zoe = user("zoe");
  auto amy = user("amy");
  ASSERT_TRUE(zoe->join("#garden"));
  auto lines = ask(*zoe, "OPER root wrong");
  EXPECT_EQ(with_command(lines, "464").size(), 1u) << describe_lines(lines);
  lines = ask(*zoe, "OPER nobody sesame");
  EXPECT_EQ(with_command(lines, "464").size(), 1u) << "unknown names alike: " << describe_lines(lines);
  EXPECT_EQ(who_flags(*amy, "zoe", "zoe"), "H");

  lines = ask(*zoe, "OPER root sesame");
  ASSERT_EQ(with_command(lines, "381").size(), 1u) << describe_lines(lines);
  ASSERT_EQ(with_command(lines, "MODE").size(), 1u) << describe_lines(lines);
  EXPECT_EQ(with_command(lines, "MODE")[0].last(), "+o");
  EXPECT_EQ(who_flags(*amy, "#garden", "zoe"), "H*@");
  auto whois = ask(*amy, "WHOIS zoe", "318");
  EXPECT_EQ(with_command(whois, "313").size(), 1u) << describe_lines(whois);
  lines = ask(*zoe, "MODE zoe");
  EXPECT_EQ(with_command(lines, "221").at(0).param(1), "+o");

  lines = ask(*zoe, "MODE zoe -o");
  EXPECT_EQ(with_command(lines, "MODE").at(0).last(), "-o");
  whois = ask(*amy, "WHOIS zoe", "318");
  EXPECT_TRUE(with_command(whois, "313").empty()) << describe_lines(whois);
}

TEST(IrcPresenceNoOperators, OperWithoutLoginsIs491) {
  ServerProcess server{ServerOptions{.threads = kThreads, .config_toml = unlimited_config()}};
  auto zoe = connect_irc(server.irc_port(), "zoe");
  ASSERT_TRUE(zoe->register_as("zoe"));
  zoe->send("OPER root sesame");
  std::vector<IrcMessage> lines;
  ASSERT_TRUE(zoe->sync(&lines));
  EXPECT_EQ(with_command(lines, "491").size(), 1u) << describe_lines(lines);
  EXPECT_TRUE(with_command(lines, "381").empty());
}

// KILL: "If the client does not have the appropriate privileges ... ERR_NOPRIVILEGES (481)";
// "ERR_NOSUCHNICK (401)" for a nick nobody has; the killed client is closed with
// an ERROR, and "When a KILL message is received ... the client's channels
// receive a QUIT message ... with the reason".
TEST_F(IrcPresence, KillClosesTheVictimAndItsChannelsSeeWhy) {
  auto root = user("root");
  auto zoe = user("zoe");
  auto amy = user("amy");
  ASSERT_TRUE(zoe->join("#garden"));
  ASSERT_TRUE(amy->join("#garden"));
  ASSERT_TRUE(zoe->sync());
  auto lines = ask(*amy, "KILL zoe :go away");
  EXPECT_EQ(with_command(lines, "481").size(), 1u) << describe_lines(lines);
  ASSERT_TRUE(ask(*root, "OPER root sesame").size() >= 1);
  lines = ask(*root, "KILL nobody :x", "401");
  EXPECT_EQ(with_command(lines, "401").size(), 1u) << describe_lines(lines);
  lines = ask(*root, "KILL");
  EXPECT_EQ(with_command(lines, "461").size(), 1u) << describe_lines(lines);

  root->send("KILL zoe :flooding the garden");
  std::vector<IrcMessage> last;
  ASSERT_TRUE(zoe->expect_closed(&last));
  auto error = with_command(last, "ERROR");
  ASSERT_EQ(error.size(), 1u) << describe_lines(last);
  EXPECT_NE(error[0].last().find("Killed (root (flooding the garden))"), std::string::npos) << error[0].raw;
  ASSERT_TRUE(amy->expect_raw(":" + prefix_of("zoe") + " QUIT :Killed (root (flooding the garden))"));
  lines = ask(*amy, "WHOIS zoe", "318");
  EXPECT_EQ(with_command(lines, "401").size(), 1u) << "gone: " << describe_lines(lines);
  EXPECT_TRUE(server_.wait_for_log("removed by a server operator"));
}

// WHOWAS: "Whowas asks for information about a nickname which no longer
// exists"; replies RPL_WHOWASUSER (314) with RPL_WHOISSERVER (312), ending with
// RPL_ENDOFWHOWAS (369); "If there is no information about the given nick,
// ERR_WASNOSUCHNICK (406)"; without a nick, ERR_NONICKNAMEGIVEN (431).
TEST_F(IrcPresence, WhowasRemembersQuitsAndNickChanges) {
  auto amy = user("amy");
  auto lines = ask(*amy, "WHOWAS zoe", "369");
  ASSERT_EQ(lines.size(), 2u) << describe_lines(lines);
  EXPECT_TRUE(lines[0].is("406"));
  EXPECT_TRUE(lines[1].is("369"));
  lines = ask(*amy, "WHOWAS");
  EXPECT_EQ(with_command(lines, "431").size(), 1u) << describe_lines(lines);

  auto zoe = user("zoe");
  zoe->send("QUIT :bye");
  ASSERT_TRUE(zoe->expect_closed());
  // The registry hears of the quit after the socket closes: ask until it knows.
  for (int tries = 0; tries < 50; ++tries) {
    lines = ask(*amy, "WHOWAS zoe", "369");
    if (!with_command(lines, "314").empty()) break;
  }
  ASSERT_EQ(lines.size(), 3u) << describe_lines(lines);
  EXPECT_TRUE(lines[0].is("314"));
  EXPECT_EQ(lines[0].param(1), "zoe");
  EXPECT_EQ(lines[0].param(2), "~u");
  EXPECT_EQ(lines[0].param(3), "127.0.0.1");
  EXPECT_EQ(lines[0].last(), "Real zoe");
  EXPECT_TRUE(lines[1].is("312"));
  EXPECT_TRUE(lines[2].is("369"));

  auto bob = user("bob");
  bob->send("NICK robert");
  ASSERT_TRUE(bob->wait_for_command("NICK"));
  lines = ask(*amy, "WHOWAS bob", "369");
  ASSERT_EQ(with_command(lines, "314").size(), 1u) << describe_lines(lines);
}

// ADMIN: "RPL_ADMINME (256) ... RPL_ADMINLOC1 (257) ... RPL_ADMINLOC2 (258)
// ... RPL_ADMINEMAIL (259)"; INFO: "RPL_INFO (371) ... RPL_ENDOFINFO (374)";
// a server name that is not ours: ERR_NOSUCHSERVER (402).
TEST_F(IrcPresence, AdminAndInfo) {
  auto amy = user("amy");
  auto lines = ask(*amy, "ADMIN");
  ASSERT_EQ(lines.size(), 4u) << describe_lines(lines);
  EXPECT_TRUE(lines[0].is("256"));
  EXPECT_TRUE(lines[1].is("257"));
  EXPECT_EQ(lines[1].last(), "Room 101, Example Street");
  EXPECT_TRUE(lines[2].is("258"));
  EXPECT_TRUE(lines[3].is("259"));
  EXPECT_EQ(lines[3].last(), "ops@example.org");
  lines = ask(*amy, "ADMIN elsewhere.example");
  EXPECT_EQ(with_command(lines, "402").size(), 1u) << describe_lines(lines);

  lines = ask(*amy, "INFO");
  ASSERT_GE(lines.size(), 2u) << describe_lines(lines);
  EXPECT_TRUE(lines.back().is("374"));
  EXPECT_EQ(with_command(lines, "371").size(), lines.size() - 1) << describe_lines(lines);
}

// Text users: /away marks them away as AWAY does, an IRC sender is told
// (301), and a text user messaging someone away reads "NAME is away: message".
TEST_F(IrcPresence, TextUsersAwayBothWays) {
  auto raj = connect(server_, "Raj Ingle");
  ASSERT_TRUE(raj->register_as("Raj Ingle"));
  auto zoe = user("zoe", "away-notify");
  ASSERT_TRUE(zoe->join("#lobby"));
  ASSERT_TRUE(raj->expect_line(joined_line("zoe")));

  raj->send_line("/away at the dentist");
  ASSERT_TRUE(raj->expect_line("You are away: at the dentist"));
  ASSERT_TRUE(zoe->expect_raw(":Raj_Ingle!text@127.0.0.1 AWAY :at the dentist"));
  zoe->send("PRIVMSG Raj_Ingle :hello?");
  IrcMessage m;
  ASSERT_TRUE(zoe->expect_command("301", &m));
  EXPECT_EQ(m.last(), "at the dentist");
  ASSERT_TRUE(raj->expect_line("Private message from zoe: hello?"));
  raj->send_line("/away");
  ASSERT_TRUE(raj->expect_line("You are back."));
  ASSERT_TRUE(zoe->expect_raw(":Raj_Ingle!text@127.0.0.1 AWAY"));

  zoe->send("AWAY :in orbit");
  ASSERT_TRUE(zoe->wait_for_command("306"));
  raj->send_line("/msg zoe ping");
  ASSERT_TRUE(raj->expect_line("Private message to zoe: ping"));
  ASSERT_TRUE(raj->expect_line("zoe is away: in orbit"));
  raj->send_line("/help away");
  std::string help;
  ASSERT_TRUE(raj->expect_line_prefix("/away [message]: ", &help));
}

// extended-monitor: "If away-notify is also enabled, the client will get AWAY
// notifications for monitored nicks", "If setname is also enabled, the client
// will get SETNAME notifications for monitored nicks" -- without sharing a channel.
TEST_F(IrcPresence, ExtendedMonitorTellsWatchersOfAwayAndSetname) {
  auto zoe = user("zoe");
  auto amy = user("amy", "extended-monitor away-notify setname");
  auto bob = user("bob", "away-notify setname");  // no extended-monitor
  auto cat = user("cat", "extended-monitor away-notify");  // monitors and shares a channel
  for (auto* c : {amy.get(), bob.get(), cat.get()}) {
    c->send("MONITOR + zoe");
    ASSERT_TRUE(c->wait_for_command("730"));
  }
  ASSERT_TRUE(zoe->join("#garden"));
  ASSERT_TRUE(cat->join("#garden"));
  ASSERT_TRUE(zoe->wait_for(irc_raw(":" + prefix_of("cat") + " JOIN #garden"), "cat's JOIN"));

  zoe->send("AWAY :stargazing");
  ASSERT_TRUE(zoe->wait_for_command("306"));
  ASSERT_TRUE(amy->expect_raw(":" + prefix_of("zoe") + " AWAY :stargazing"));
  ASSERT_TRUE(cat->expect_raw(":" + prefix_of("zoe") + " AWAY :stargazing"));
  zoe->send("SETNAME :Zoe the Astronomer");
  ASSERT_TRUE(amy->expect_raw(":" + prefix_of("zoe") + " SETNAME :Zoe the Astronomer"));
  zoe->send("AWAY");
  ASSERT_TRUE(zoe->wait_for_command("305"));
  ASSERT_TRUE(amy->expect_raw(":" + prefix_of("zoe") + " AWAY"));
  ASSERT_TRUE(cat->expect_raw(":" + prefix_of("zoe") + " AWAY")) << "once, though told twice";
  std::vector<IrcMessage> before;
  ASSERT_TRUE(bob->sync(&before));
  EXPECT_TRUE(with_command(before, "AWAY").empty()) << describe_lines(before);
  EXPECT_TRUE(with_command(before, "SETNAME").empty()) << describe_lines(before);
  ASSERT_TRUE(cat->sync(&before));
  EXPECT_TRUE(before.empty()) << "cat did not ask for setname: " << describe_lines(before);
}

// A text user removed by KILL reads why, and the room hears it.
TEST_F(IrcPresence, KillOfATextUser) {
  auto raj = connect(server_, "Raj Ingle");
  ASSERT_TRUE(raj->register_as("Raj Ingle"));
  auto kim = connect(server_, "Kim");
  ASSERT_TRUE(kim->register_as("Kim"));
  ASSERT_TRUE(raj->expect_line(joined_line("Kim")));
  auto root = user("root");
  ASSERT_TRUE(ask(*root, "OPER root sesame").size() >= 1);
  root->send("KILL Raj_Ingle :spam");
  ASSERT_TRUE(raj->expect_line("Disconnected: server operator root removed you (spam)."));
  ASSERT_TRUE(raj->expect_closed());
  ASSERT_TRUE(kim->expect_line("Raj Ingle left the chat room (removed by server operator root: spam)."));
}

}  // namespace
}  // namespace parley::test
