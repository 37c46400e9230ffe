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
// Built twice: --threads 1 (itest_reply_order) and --threads 2
// (itest_reply_order_mt, label mt).

#include <algorithm>
#include <cctype>
#include <functional>
#include <optional>
#include <set>

#include "irc_itest_util.hpp"

namespace parley::test {
namespace {

// Rounds per test, and the time a test may spend on them (it stops early,
// after at least one round, rather than run into ctest's timeout on a slow
// machine).
constexpr int kRounds = 50;
Duration rounds_budget() { return scaled(std::chrono::seconds(120)); }

// Several rooms, so that with two loops some have their home on each.
constexpr int kRooms = 8;
std::string channel(int i) { return "#room" + std::to_string(i % kRooms); }

// ---------------------------------------------------------------------------
// An expected sequence of lines, and a check of the lines received against it.

// One expected step: `what` names it in failure messages. A step matches one
// line, or (repeat) one or more consecutive lines; with min == 0 it may be
// absent.
template <class Line>
struct Step {
  std::string what;
  std::function<bool(const Line&)> pred;
  int min = 1;
  bool repeat = false;
};

template <class Line>
using Steps = std::vector<Step<Line>>;

using IrcSteps = Steps<IrcMessage>;
using TextSteps = Steps<std::string>;

std::string show(const IrcMessage& m) { return printable(m.raw); }
std::string show(const std::string& line) { return printable(line); }

// Every step that must occur has a matching line among `got` (in any order):
// everything the batch causes has arrived, however it was ordered.
template <class Line>
bool all_arrived(const std::vector<Line>& got, const Steps<Line>& want) {
  return std::all_of(want.begin(), want.end(),
                     [&](const Step<Line>& s) { return s.min == 0 || std::any_of(got.begin(), got.end(), s.pred); });
}

// Where `got` departs from `want` (nullopt when it follows it exactly).
template <class Line>
std::optional<std::string> departure(const std::vector<Line>& got, const Steps<Line>& want) {
  std::size_t j = 0;
  int count = 0;  // lines matched by want[j] so far
  for (std::size_t i = 0; i < got.size(); ++i) {
    for (;;) {
      if (j == want.size()) return "line " + std::to_string(i) + " (\"" + show(got[i]) + "\") is one too many";
      if (want[j].pred(got[i])) {
        ++count;
        if (!want[j].repeat) {
          ++j;
          count = 0;
        }
        break;
      }
      if (count >= want[j].min) {  // an optional step, or a repeat already seen
        ++j;
        count = 0;
        continue;
      }
      return "line " + std::to_string(i) + " (\"" + show(got[i]) + "\") came where " + want[j].what + " was expected";
    }
  }
  for (; j < want.size(); ++j, count = 0) {
    if (count < want[j].min) return want[j].what + " never arrived";
  }
  return std::nullopt;
}

template <class Line>
std::string describe_steps(const Steps<Line>& want) {
  std::string out;
  for (const auto& s : want) {
    out += "\n    " + s.what;
    if (s.repeat)
      out += s.min == 0 ? " (any number)" : " (one or more)";
    else if (s.min == 0)
      out += " (optional)";
  }
  return out;
}

template <class Line>
std::string describe_got(const std::vector<Line>& got) {
  std::string out;
  for (const auto& l : got) out += "\n    \"" + show(l) + "\"";
  return out.empty() ? " (nothing)" : out;
}

// Reads lines with `next` (each read has its own deadline) until everything
// `want` needs has arrived, in whatever order; then checks the order.
template <class Line>
::testing::AssertionResult receive_lines_in_order(const std::string& who,
                                                  const std::function<std::optional<Line>()>& next,
                                                  const std::function<bool()>& closed, const Steps<Line>& want,
                                                  const std::string& context) {
  std::vector<Line> got;
  while (!all_arrived(got, want)) {
    auto line = next();
    if (!line) break;
    got.push_back(std::move(*line));
  }
  const bool complete = all_arrived(got, want);
  auto problem = departure(got, want);
  if (complete && !problem) return ::testing::AssertionSuccess();
  auto failure = ::testing::AssertionFailure();
  failure << context << ": " << who << " did not receive the answers to its commands in the order sent: "
          << problem.value_or("some never arrived");
  if (!complete) {
    failure << (closed() ? " (then the server closed the connection)"
                         : " (then nothing more arrived within " + std::to_string(default_timeout().count()) + " ms)");
  }
  failure << "\n  received, in order:" << describe_got(got) << "\n  expected, in order:" << describe_steps(want);
  return failure;
}

::testing::AssertionResult receive_in_order(IrcClient& c, const IrcSteps& want, const std::string& context) {
  return receive_lines_in_order<IrcMessage>(
      "IRC client '" + c.label() + "'", [&c] { return c.next(default_timeout()); }, [&c] { return c.closed(); }, want,
      context);
}

::testing::AssertionResult receive_in_order(LineClient& c, const TextSteps& want, const std::string& context) {
  return receive_lines_in_order<std::string>(
      "text client '" + c.label() + "'", [&c] { return c.read_line(default_timeout()); }, [&c] { return c.closed(); },
      want, context);
}

// The next lines of `c`, in any order, must be exactly `lines` (for what a
// peer receives from two different places, whose order is not fixed).
::testing::AssertionResult receive_as_set(LineClient& c, std::multiset<std::string> lines, const std::string& context) {
  std::vector<std::string> got;
  std::multiset<std::string> missing = lines;
  while (!missing.empty()) {
    auto line = c.read_line(default_timeout());
    if (!line) break;
    got.push_back(*line);
    auto it = missing.find(*line);
    if (it == missing.end()) break;
    missing.erase(it);
  }
  if (missing.empty()) return ::testing::AssertionSuccess();
  std::string expected;
  for (const auto& l : lines) expected += "\n    \"" + printable(l) + "\"";
  return ::testing::AssertionFailure() << context << ": text client '" << c.label()
                                       << "' did not receive the expected lines (in any order)\n  received:"
                                       << describe_got(got) << "\n  expected:" << expected;
}

// Steps for text lines.
Step<std::string> line_is(std::string line) {
  return {"\"" + line + "\"", [line](const std::string& l) { return l == line; }};
}
Step<std::string> line_starting(std::string prefix) {
  return {"a line starting \"" + prefix + "\"", [prefix](const std::string& l) { return l.rfind(prefix, 0) == 0; }};
}

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

std::string round_name(int round) { return "round " + std::to_string(round); }

// ---------------------------------------------------------------------------
// Text protocol (docs/text-protocol.md).

class TextReplyOrder : public ::testing::Test {
 protected:
  void SetUp() override {
    bob_ = connect(server_, "Bob");
    ASSERT_TRUE(join_room(*bob_, "Bob", {}));
    zoe_ = connect(server_, "Zoe");
    ASSERT_TRUE(join_room(*zoe_, "Zoe", {bob_.get()}));
  }

  ServerProcess server_{ServerOptions{.threads = kThreads, .config_toml = unlimited_config()}};
  std::unique_ptr<LineClient> bob_;
  std::unique_ptr<LineClient> zoe_;
};

// "C: hello -> (everyone in the room, the sender too) Message from User -
// NAME: hello", then "C: LEAVE -> S: LEAVE (then the server closes the
// connection)": the name, a message and LEAVE written at once (as
// `printf 'Piper\nhello\nLEAVE\n' | nc` does) give the greeting, the welcome,
// the sender's own message, LEAVE, then EOF; the room hears the join, the
// message and the departure in that order.
TEST_F(TextReplyOrder, OwnMessageArrivesBetweenTheWelcomeAndTheLeaveReply) {
  const auto deadline = Clock::now() + rounds_budget();
  for (int round = 0; round < kRounds && (round == 0 || Clock::now() < deadline); ++round) {
    const std::string name = "Piper" + std::to_string(round);
    const std::string text = "hello " + std::to_string(round);
    auto piper = connect(server_, name);
    piper->send_raw(name + "\n" + text + "\nLEAVE\n");
    ASSERT_TRUE(receive_in_order(*piper,
                                 {line_is(std::string(kGreeting)), line_is(welcome_line(name)),
                                  line_is(message_line(name, text)), line_is("LEAVE")},
                                 round_name(round)));
    ASSERT_TRUE(piper->expect_closed()) << round_name(round);
    for (LineClient* member : {bob_.get(), zoe_.get()}) {
      ASSERT_TRUE(receive_in_order(
          *member, {line_is(joined_line(name)), line_is(message_line(name, text)), line_is(left_line(name))},
          round_name(round)));
    }
  }
}

// A message then `/quit reason` or `LEAVE` in one write: "A plain line is a
// message to the current room, echoed to everyone in it, the sender
// included", and "/quit [reason] | leaves, like LEAVE | LEAVE, then the server
// closes": the sender's own copy comes before LEAVE, and the room gets the
// message before the departure.
TEST_F(TextReplyOrder, MessageThenQuitReachesTheRoomAndTheSenderBeforeTheClose) {
  const auto deadline = Clock::now() + rounds_budget();
  for (int round = 0; round < kRounds && (round == 0 || Clock::now() < deadline); ++round) {
    const std::string name = "Quinn" + std::to_string(round);
    const std::string text = "bye " + std::to_string(round);
    const bool with_quit = round % 2 == 0;
    auto quinn = connect(server_, name);
    ASSERT_TRUE(join_room(*quinn, name, {bob_.get(), zoe_.get()})) << round_name(round);
    quinn->send_raw(text + (with_quit ? "\n/quit done\n" : "\nLEAVE\n"));
    ASSERT_TRUE(receive_in_order(*quinn, {line_is(message_line(name, text)), line_is("LEAVE")}, round_name(round)));
    ASSERT_TRUE(quinn->expect_closed()) << round_name(round);
    const std::string left = with_quit ? left_line(name) + " (done)" : left_line(name);
    for (LineClient* member : {bob_.get(), zoe_.get()}) {
      ASSERT_TRUE(receive_in_order(*member, {line_is(message_line(name, text)), line_is(left)}, round_name(round)));
    }
  }
}

// "/msg NAME text | ... you see Private message to NAME: text" then "/who |
// Members of #lobby (2): ...": the answers in command order.
TEST_F(TextReplyOrder, PrivateMessageReplyComesBeforeALaterWho) {
  const auto deadline = Clock::now() + rounds_budget();
  for (int round = 0; round < kRounds && (round == 0 || Clock::now() < deadline); ++round) {
    const std::string text = "hi " + std::to_string(round);
    zoe_->send_raw("/msg Bob " + text + "\n/who\n");
    ASSERT_TRUE(receive_in_order(*zoe_,
                                 {line_is("Private message to Bob: " + text), line_starting("Members of #lobby (2): ")},
                                 round_name(round)));
    ASSERT_TRUE(bob_->expect_line("Private message from Zoe: " + text)) << round_name(round);
  }
}

// A refused /msg ("Error: there is no user named ...") then a plain line: the
// refusal first, then the sender's own copy of the message.
TEST_F(TextReplyOrder, RefusedPrivateMessageComesBeforeALaterRoomMessage) {
  const auto deadline = Clock::now() + rounds_budget();
  for (int round = 0; round < kRounds && (round == 0 || Clock::now() < deadline); ++round) {
    const std::string nobody = "nobody" + std::to_string(round);
    const std::string text = "hello " + std::to_string(round);
    zoe_->send_raw("/msg " + nobody + " x\n" + text + "\n");
    ASSERT_TRUE(receive_in_order(
        *zoe_, {line_is("Error: there is no user named \"" + nobody + "\"."), line_is(message_line("Zoe", text))},
        round_name(round)));
    ASSERT_TRUE(bob_->expect_line(message_line("Zoe", text))) << round_name(round);
  }
}

// A plain line then a /msg: the sender's own copy of the room message before
// "Private message to Bob: ...".
TEST_F(TextReplyOrder, RoomMessageComesBeforeALaterPrivateMessageReply) {
  const auto deadline = Clock::now() + rounds_budget();
  for (int round = 0; round < kRounds && (round == 0 || Clock::now() < deadline); ++round) {
    const std::string text = "hello " + std::to_string(round);
    const std::string secret = "psst " + std::to_string(round);
    zoe_->send_raw(text + "\n/msg Bob " + secret + "\n");
    ASSERT_TRUE(receive_in_order(
        *zoe_, {line_is(message_line("Zoe", text)), line_is("Private message to Bob: " + secret)}, round_name(round)));
    // Bob gets them from two places (the room, and Zoe); their order is not
    // the subject here.
    ASSERT_TRUE(
        receive_as_set(*bob_, {message_line("Zoe", text), "Private message from Zoe: " + secret}, round_name(round)));
  }
}

// /join, a message, /part and /who at once, in rooms whose homes differ:
// "You joined #games. Members (1): ...", the sender's own copy, "You left
// #games." then "You are now talking in #lobby.", then the member list.
TEST_F(TextReplyOrder, JoinMessagePartAndWhoAreAnsweredInCommandOrder) {
  const auto deadline = Clock::now() + rounds_budget();
  for (int round = 0; round < kRounds && (round == 0 || Clock::now() < deadline); ++round) {
    const std::string room = channel(round).substr(1);
    const std::string text = "in " + room + " " + std::to_string(round);
    zoe_->send_raw("/join " + room + "\n" + text + "\n/part " + room + "\n/who\n");
    // The message went to the current room, #room; whether its copy is
    // shown with the "[#room] " prefix (rendered once #lobby is current
    // again) is not this test's subject, only where it comes.
    const std::string own = message_line("Zoe", text);
    const Step<std::string> own_copy{
        "\"" + own + "\" (or with \"[#" + room + "] \" before it)",
        [own, tagged = "[#" + room + "] " + own](const std::string& l) { return l == own || l == tagged; }};
    ASSERT_TRUE(receive_in_order(
        *zoe_,
        {line_is("You joined #" + room + ". Members (1): Zoe"), own_copy, line_is("You left #" + room + "."),
         line_is("You are now talking in #lobby."), line_starting("Members of #lobby (2): ")},
        round_name(round)));
  }
  // Bob heard none of it: the next line he reads is Zoe's marker.
  ASSERT_TRUE(say(*zoe_, "Zoe", "marker", {zoe_.get(), bob_.get()}));
}

// Everything at once: private messages, a room message, a refusal, /who and
// /rooms, each answered in the order sent.
TEST_F(TextReplyOrder, MixedBatchIsAnsweredInCommandOrder) {
  const auto deadline = Clock::now() + rounds_budget();
  for (int round = 0; round < kRounds && (round == 0 || Clock::now() < deadline); ++round) {
    const std::string n = std::to_string(round);
    zoe_->send_raw("/msg Bob a" + n + "\nhello " + n + "\n/msg nobody x\n/who\n/rooms\n/msg Bob b" + n + "\nbye " + n +
                   "\n");
    ASSERT_TRUE(receive_in_order(
        *zoe_,
        {line_is("Private message to Bob: a" + n), line_is(message_line("Zoe", "hello " + n)),
         line_is("Error: there is no user named \"nobody\"."), line_starting("Members of #lobby (2): "),
         line_starting("Rooms ("), line_is("Private message to Bob: b" + n), line_is(message_line("Zoe", "bye " + n))},
        round_name(round)));
    ASSERT_TRUE(receive_as_set(*bob_,
                               {"Private message from Zoe: a" + n, message_line("Zoe", "hello " + n),
                                "Private message from Zoe: b" + n, message_line("Zoe", "bye " + n)},
                               round_name(round)));
  }
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
