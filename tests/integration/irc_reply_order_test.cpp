// Reply order for pipelined input (issue 9, item 1): a client that writes
// several commands at once sees the effects of its own commands in the order
// it sent them -- its echo, numerics, its JOIN/PART lines, PONG, the closing
// LEAVE/ERROR -- whichever loop decides each answer (the client's own, a
// room's home loop, the name registry's), with one loop or several.
//
// Every batch here goes out in ONE send() (send_raw of several lines), and is
// repeated for many rounds, cycling through several rooms so that, with two
// loops (the _mt build), some have their home on each loop.
//
// Built twice: --threads 1 (itest_irc_reply_order) and --threads 2
// (itest_irc_reply_order_mt, label mt). This file: IRC; the text protocol is in
// text_reply_order_test.cpp.

#include "reply_order_util.hpp"

namespace parley::test {
namespace {

using namespace reply_order;

// Steps for IRC lines.
Step<IrcMessage> irc_line(std::string body) { return {"\"" + body + "\"", irc_raw(body)}; }
Step<IrcMessage> numeric(std::string code, std::size_t i, std::string value) {
  return {code + " (with " + value + ")", irc_command_param(code, i, value)};
}
Step<IrcMessage> numerics(std::string code, std::size_t i, std::string value) {
  auto s = numeric(std::move(code), i, std::move(value));
  s.repeat = true;
  return s;
}
Step<IrcMessage> pong(std::string token) { return {"the PONG for " + token, irc_command_param("PONG", 1, token)}; }
// The lines of a WHOIS reply between 311 and 318 (312, 317, 319, 301, ...).
Step<IrcMessage> whois_details(std::string nick) {
  return {"WHOIS details of " + nick,
          [nick](const IrcMessage& m) {
            return m.command.size() == 3 && std::isdigit(static_cast<unsigned char>(m.command[0])) &&
                   m.command != "311" && m.command != "318" && m.param(1) == nick;
          },
          0, true};
}
// The LUSERS numerics other than 251 and 255 (252..254, 265, 266).
Step<IrcMessage> lusers_details() {
  return {"LUSERS details (252..254, 265, 266)", irc_any_of({"252", "253", "254", "265", "266"}), 0, true};
}
// The whole LUSERS reply: 251 first, 255 last of the required ones.
void append_lusers(IrcSteps& steps) {
  steps.push_back({"251 (RPL_LUSERCLIENT)", irc_command("251")});
  steps.push_back(lusers_details());
  steps.push_back({"255 (RPL_LUSERME)", irc_command("255")});
  steps.push_back(lusers_details());
}
void append_whois(IrcSteps& steps, const std::string& nick) {
  steps.push_back(numeric("311", 1, nick));
  steps.push_back(whois_details(nick));
  steps.push_back(numeric("318", 1, nick));
}

// ---------------------------------------------------------------------------
// IRC (docs/irc.md). Each test quotes the rule it checks. What they share:
// the modern IRC document's PING, "When receiving a PING message, clients or
// servers must reply to it with a PONG message with the same <token> value.
// This allows either to match PONG with the PING they reply to, for example
// to compute latency" -- a PONG measures the latency of the commands before
// it only if it comes after their answers -- and Parley's own promise
// (docs/irc.md, labeled-response) that "answers never interleave".

class IrcReplyOrder : public ::testing::Test {
 protected:
  // A registered client called `nick` that negotiated `caps` ("" for none).
  std::unique_ptr<IrcClient> user(const std::string& nick, std::string caps = {}) {
    auto c = connect_irc(server_.irc_port(), nick);
    IrcRegisterOptions options;
    options.caps = std::move(caps);
    EXPECT_TRUE(c->register_as(nick, options));
    return c;
  }

  // `first` joins every room, then `second` does; `first` reads `second`'s
  // JOINs, so that neither has anything unread.
  void both_join_all_rooms(IrcClient& first, IrcClient& second) {
    for (int i = 0; i < kRooms; ++i) ASSERT_TRUE(first.join(channel(i)));
    for (int i = 0; i < kRooms; ++i) {
      ASSERT_TRUE(second.join(channel(i)));
      ASSERT_TRUE(first.expect_raw(":" + prefix_of(second.nick()) + " JOIN " + channel(i)));
    }
  }

  ServerProcess server_{ServerOptions{.threads = kThreads, .config_toml = unlimited_config()}};
};

// echo-message: "If enabled, servers MUST send PRIVMSG and NOTICE messages back
// to the client that sent them" and "receiving a message with themselves as
// the sender acts as an acknowledgement that the message has been delivered to
// the server"; PING: "reply to it with a PONG message with the same <token>
// value ... for example to compute latency". The echo of a message sent before
// the PING comes before the PONG.
TEST_F(IrcReplyOrder, PingIsAnsweredAfterTheEchoOfAnEarlierMessage) {
  auto amy = user("amy");
  auto zoe = user("zoe", "echo-message");
  ASSERT_NO_FATAL_FAILURE(both_join_all_rooms(*amy, *zoe));
  const auto deadline = Clock::now() + rounds_budget();
  for (int round = 0; round < kRounds && (round == 0 || Clock::now() < deadline); ++round) {
    const std::string n = std::to_string(round);
    const std::string line = ":" + prefix_of("zoe") + " PRIVMSG " + channel(round) + " :hi " + n;
    zoe->send_raw("PRIVMSG " + channel(round) + " :hi " + n + "\r\nPING :tok" + n + "\r\n");
    ASSERT_TRUE(receive_in_order(*zoe, {irc_line(line), pong("tok" + n)}, round_name(round)));
    ASSERT_TRUE(amy->expect_raw(line)) << round_name(round);
  }
}

// echo-message, for a message to a nick: "servers MUST send PRIVMSG and NOTICE
// messages back to the client that sent them" (the spec's first example is
// "PRIVMSG Attila :hi"); the echo comes before the PONG of a later PING.
TEST_F(IrcReplyOrder, PingIsAnsweredAfterTheEchoOfAnEarlierPrivateMessage) {
  auto amy = user("amy");
  auto zoe = user("zoe", "echo-message");
  const auto deadline = Clock::now() + rounds_budget();
  for (int round = 0; round < kRounds && (round == 0 || Clock::now() < deadline); ++round) {
    const std::string n = std::to_string(round);
    const std::string line = ":" + prefix_of("zoe") + " PRIVMSG amy :psst " + n;
    zoe->send_raw("PRIVMSG amy :psst " + n + "\r\nPING :tok" + n + "\r\n");
    ASSERT_TRUE(receive_in_order(*zoe, {irc_line(line), pong("tok" + n)}, round_name(round)));
    ASSERT_TRUE(amy->expect_raw(line)) << round_name(round);
  }
}

// JOIN: "If a client's JOIN command to the server is successful, the server
// MUST send, in this order:" the JOIN, the topic, "one or more RPL_NAMREPLY
// numerics" and "one RPL_ENDOFNAMES numeric" -- all of it before the PONG of
// a PING sent after the JOIN (no capabilities negotiated).
TEST_F(IrcReplyOrder, JoinAndNamesComeBeforeTheAnswerToALaterPing) {
  auto amy = user("amy");
  for (int i = 0; i < kRooms; ++i) ASSERT_TRUE(amy->join(channel(i)));
  auto zoe = user("zoe");
  const auto deadline = Clock::now() + rounds_budget();
  for (int round = 0; round < kRounds && (round == 0 || Clock::now() < deadline); ++round) {
    const std::string n = std::to_string(round);
    const std::string ch = channel(round);
    const std::string join = ":" + prefix_of("zoe") + " JOIN " + ch;
    zoe->send_raw("JOIN " + ch + "\r\nPING :tok" + n + "\r\n");
    ASSERT_TRUE(receive_in_order(*zoe, {irc_line(join), numerics("353", 2, ch), numeric("366", 1, ch), pong("tok" + n)},
                                 round_name(round)));
    ASSERT_TRUE(amy->expect_raw(join)) << round_name(round);
    // Leave again, one command at a time (CHANLIMIT is 20).
    zoe->send("PART " + ch);
    ASSERT_TRUE(zoe->expect_raw(":" + prefix_of("zoe") + " PART " + ch)) << round_name(round);
    ASSERT_TRUE(amy->expect_raw(":" + prefix_of("zoe") + " PART " + ch)) << round_name(round);
  }
}

// PART: "On sending a successful PART command, the user will receive a PART
// message from the server for each channel they have been removed from" --
// before the PONG of a PING sent after it.
TEST_F(IrcReplyOrder, PartComesBeforeTheAnswerToALaterPing) {
  auto amy = user("amy");
  for (int i = 0; i < kRooms; ++i) ASSERT_TRUE(amy->join(channel(i)));
  auto zoe = user("zoe");
  const auto deadline = Clock::now() + rounds_budget();
  for (int round = 0; round < kRounds && (round == 0 || Clock::now() < deadline); ++round) {
    const std::string n = std::to_string(round);
    const std::string ch = channel(round);
    ASSERT_TRUE(zoe->join(ch)) << round_name(round);
    ASSERT_TRUE(amy->expect_raw(":" + prefix_of("zoe") + " JOIN " + ch)) << round_name(round);
    const std::string part = ":" + prefix_of("zoe") + " PART " + ch + " :later " + n;
    zoe->send_raw("PART " + ch + " :later " + n + "\r\nPING :tok" + n + "\r\n");
    ASSERT_TRUE(receive_in_order(*zoe, {irc_line(part), pong("tok" + n)}, round_name(round)));
    ASSERT_TRUE(amy->expect_raw(part)) << round_name(round);
  }
}

// JOIN: "the server MUST send ... a JOIN message for each channel" of
// `JOIN #a,#b`, and irctest's reading is that they come in the order asked;
// the channels' home loops answer in any order, so each target is answered
// after the one before it. PART #a,#b alike.
TEST_F(IrcReplyOrder, JoinAndPartOfSeveralChannelsAnswerInTheOrderAsked) {
  auto zoe = user("zoe");
  const auto deadline = Clock::now() + rounds_budget();
  for (int round = 0; round < kRounds && (round == 0 || Clock::now() < deadline); ++round) {
    const std::string n = std::to_string(round);
    const std::string a = "#first" + n, b = "#second" + n;
    const std::string prefix = ":" + prefix_of("zoe");
    zoe->send_raw("JOIN " + a + "," + b + "\r\nPING :tok" + n + "\r\n");
    ASSERT_TRUE(receive_in_order(*zoe, {irc_line(prefix + " JOIN " + a), numerics("353", 2, a), numeric("366", 1, a),
                                        irc_line(prefix + " JOIN " + b), numerics("353", 2, b), numeric("366", 1, b),
                                        pong("tok" + n)},
                                 round_name(round)));
    zoe->send_raw("PART " + b + "," + a + "\r\nPING :part" + n + "\r\n");
    ASSERT_TRUE(receive_in_order(
        *zoe, {irc_line(prefix + " PART " + b), irc_line(prefix + " PART " + a), pong("part" + n)}, round_name(round)));
  }
}

// ERR_NOSUCHNICK (401): "Indicates that no client can be found for the
// supplied nickname" -- the answer to the PRIVMSG, so before the PONG of a
// PING sent after it.
TEST_F(IrcReplyOrder, NoSuchNickErrorComesBeforeTheAnswerToALaterPing) {
  auto zoe = user("zoe");
  const auto deadline = Clock::now() + rounds_budget();
  for (int round = 0; round < kRounds && (round == 0 || Clock::now() < deadline); ++round) {
    const std::string n = std::to_string(round);
    zoe->send_raw("PRIVMSG nosuchnick" + n + " :x\r\nPING :tok" + n + "\r\n");
    ASSERT_TRUE(receive_in_order(*zoe, {numeric("401", 1, "nosuchnick" + n), pong("tok" + n)}, round_name(round)));
  }
}

// WHO: "The server will answer this command with zero, one or more
// RPL_WHOREPLY, and end the list with RPL_ENDOFWHO" -- the list and its end
// before the PONG of a PING sent after the WHO (for a channel, and for a nick).
TEST_F(IrcReplyOrder, WhoRepliesComeBeforeTheAnswerToALaterPing) {
  auto amy = user("amy");
  auto zoe = user("zoe");
  ASSERT_NO_FATAL_FAILURE(both_join_all_rooms(*amy, *zoe));
  const auto deadline = Clock::now() + rounds_budget();
  for (int round = 0; round < kRounds && (round == 0 || Clock::now() < deadline); ++round) {
    const std::string n = std::to_string(round);
    const std::string mask = round % 3 == 2 ? "amy" : channel(round);
    zoe->send_raw("WHO " + mask + "\r\nPING :tok" + n + "\r\n");
    ASSERT_TRUE(receive_in_order(
        *zoe, {numerics("352", round % 3 == 2 ? 5 : 1, mask), numeric("315", 1, mask), pong("tok" + n)},
        round_name(round)));
  }
}

// WHOIS: "The server SHOULD answer this command with numeric messages with
// information about the nick, ending with RPL_ENDOFWHOIS" -- 311 ... 318 (or
// 401 ... 318 for nobody) before the PONG of a PING sent after the WHOIS.
TEST_F(IrcReplyOrder, WhoisRepliesComeBeforeTheAnswerToALaterPing) {
  auto amy = user("amy");
  ASSERT_TRUE(amy->join(channel(0)));
  auto zoe = user("zoe");
  const auto deadline = Clock::now() + rounds_budget();
  for (int round = 0; round < kRounds && (round == 0 || Clock::now() < deadline); ++round) {
    const std::string n = std::to_string(round);
    IrcSteps want;
    if (round % 2 == 0) {
      zoe->send_raw("WHOIS amy\r\nPING :tok" + n + "\r\n");
      append_whois(want, "amy");
    } else {
      const std::string nobody = "nobody" + n;
      zoe->send_raw("WHOIS " + nobody + "\r\nPING :tok" + n + "\r\n");
      want.push_back(numeric("401", 1, nobody));
      want.push_back(numeric("318", 1, nobody));
    }
    want.push_back(pong("tok" + n));
    ASSERT_TRUE(receive_in_order(*zoe, want, round_name(round)));
  }
}

// LUSERS: "Servers MUST reply with RPL_LUSERCLIENT and RPL_LUSERME, and SHOULD
// also include all those defined below" -- 251 ... 255 before the PONG of a
// PING sent after the LUSERS.
TEST_F(IrcReplyOrder, LusersRepliesComeBeforeTheAnswerToALaterPing) {
  auto amy = user("amy");
  auto zoe = user("zoe");
  const auto deadline = Clock::now() + rounds_budget();
  for (int round = 0; round < kRounds && (round == 0 || Clock::now() < deadline); ++round) {
    const std::string n = std::to_string(round);
    zoe->send_raw("LUSERS\r\nPING :tok" + n + "\r\n");
    IrcSteps want;
    append_lusers(want);
    want.push_back(pong("tok" + n));
    ASSERT_TRUE(receive_in_order(*zoe, want, round_name(round)));
  }
}

// All of the above in one write, with echo-message: messages to two channels
// (their echoes in the order sent), a PING, a private message, WHO, a 401,
// LUSERS, WHOIS, JOIN and PART, and a last PING. "Only parse and process a
// message once you encounter the \r\n at the end of it" (the modern document's
// message format) -- each one, in turn -- and the echo is "an
// acknowledgement that the message has been delivered to the server", so each
// answer comes in the order of its command.
TEST_F(IrcReplyOrder, MixedBatchIsAnsweredInCommandOrder) {
  auto amy = user("amy");
  auto zoe = user("zoe", "echo-message");
  ASSERT_NO_FATAL_FAILURE(both_join_all_rooms(*amy, *zoe));
  const auto deadline = Clock::now() + rounds_budget();
  for (int round = 0; round < kRounds && (round == 0 || Clock::now() < deadline); ++round) {
    const std::string n = std::to_string(round);
    const std::string a = channel(round);
    const std::string b = channel(round + 1 + round % 3);  // another room
    const std::string fresh = "#fresh" + std::to_string(round % kRooms);
    const std::string me = ":" + prefix_of("zoe");
    zoe->send_raw("PRIVMSG " + a + " :one " + n + "\r\nPRIVMSG " + b + " :two " + n + "\r\nPING :p1-" + n +
                  "\r\nPRIVMSG amy :three " + n + "\r\nWHO " + a + "\r\nPRIVMSG nosuch :x\r\nLUSERS\r\nWHOIS amy\r\n" +
                  "JOIN " + fresh + "\r\nPART " + fresh + "\r\nPING :p2-" + n + "\r\n");
    IrcSteps want{irc_line(me + " PRIVMSG " + a + " :one " + n),
                  irc_line(me + " PRIVMSG " + b + " :two " + n),
                  pong("p1-" + n),
                  irc_line(me + " PRIVMSG amy :three " + n),
                  numerics("352", 1, a),
                  numeric("315", 1, a),
                  numeric("401", 1, "nosuch")};
    append_lusers(want);
    append_whois(want, "amy");
    want.push_back(irc_line(me + " JOIN " + fresh));
    want.push_back(numerics("353", 2, fresh));
    want.push_back(numeric("366", 1, fresh));
    want.push_back(irc_line(me + " PART " + fresh));
    want.push_back(pong("p2-" + n));
    ASSERT_TRUE(receive_in_order(*zoe, want, round_name(round)));
    // amy gets the three messages; from two channels and a private message,
    // whose relative order is not the subject here.
    std::multiset<std::string> expected{me + " PRIVMSG " + a + " :one " + n, me + " PRIVMSG " + b + " :two " + n,
                                        me + " PRIVMSG amy :three " + n};
    std::multiset<std::string> got;
    for (int i = 0; i < 3; ++i) {
      auto m = amy->next();
      ASSERT_TRUE(m) << round_name(round) << ": amy is missing messages; recent:" << amy->recent();
      got.insert(body_of(*m));
    }
    ASSERT_EQ(got, expected) << round_name(round);
  }
}

// QUIT: "The server acknowledges this by replying with an ERROR message and
// closing the connection to the client"; echo-message: the echo is the
// acknowledgement of the message sent before the QUIT. So the echo, then
// ERROR, then the close; and the channel sees the PRIVMSG before the QUIT.
TEST_F(IrcReplyOrder, QuitErrorComesAfterTheEchoOfAnEarlierMessage) {
  auto amy = user("amy");
  for (int i = 0; i < kRooms; ++i) ASSERT_TRUE(amy->join(channel(i)));
  const auto deadline = Clock::now() + rounds_budget();
  for (int round = 0; round < kRounds && (round == 0 || Clock::now() < deadline); ++round) {
    const std::string n = std::to_string(round);
    const std::string nick = "quinn" + n;
    const std::string ch = channel(round);
    auto quinn = user(nick, "echo-message");
    ASSERT_TRUE(quinn->join(ch)) << round_name(round);
    ASSERT_TRUE(amy->expect_raw(":" + prefix_of(nick) + " JOIN " + ch)) << round_name(round);
    const std::string line = ":" + prefix_of(nick) + " PRIVMSG " + ch + " :bye " + n;
    quinn->send_raw("PRIVMSG " + ch + " :bye " + n + "\r\nQUIT :done\r\n");
    ASSERT_TRUE(receive_in_order(*quinn, {irc_line(line), {"ERROR", irc_command("ERROR")}}, round_name(round)));
    std::vector<IrcMessage> after;
    ASSERT_TRUE(quinn->expect_closed(&after)) << round_name(round);
    EXPECT_TRUE(after.empty()) << round_name(round) << ": lines after ERROR:" << describe_lines(after);
    ASSERT_TRUE(receive_in_order(*amy, {irc_line(line), irc_line(":" + prefix_of(nick) + " QUIT :Quit: done")},
                                 round_name(round)));
  }
}

// QUIT after commands answered by numerics (no capabilities): 401 for the
// PRIVMSG, the WHOIS reply, then "replying with an ERROR message and closing
// the connection".
TEST_F(IrcReplyOrder, QuitErrorComesAfterTheNumericsOfEarlierCommands) {
  auto amy = user("amy");
  const auto deadline = Clock::now() + rounds_budget();
  for (int round = 0; round < kRounds && (round == 0 || Clock::now() < deadline); ++round) {
    const std::string n = std::to_string(round);
    auto quinn = user("quinn" + n);
    quinn->send_raw("PRIVMSG nosuch" + n + " :x\r\nWHOIS amy\r\nQUIT :done\r\n");
    IrcSteps want{numeric("401", 1, "nosuch" + n)};
    append_whois(want, "amy");
    want.push_back({"ERROR", irc_command("ERROR")});
    ASSERT_TRUE(receive_in_order(*quinn, want, round_name(round)));
    ASSERT_TRUE(quinn->expect_closed()) << round_name(round);
  }
}

}  // namespace
}  // namespace parley::test
