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
// Built twice: --threads 1 (itest_text_reply_order) and --threads 2
// (itest_text_reply_order_mt, label mt). This file: the text protocol; IRC is in
// irc_reply_order_test.cpp.

#include "reply_order_util.hpp"

namespace parley::test {
namespace {

using namespace reply_order;

// Steps for text lines.
Step<std::string> line_is(std::string line) {
  return {"\"" + line + "\"", [line](const std::string& l) { return l == line; }};
}
Step<std::string> line_starting(std::string prefix) {
  return {"a line starting \"" + prefix + "\"", [prefix](const std::string& l) { return l.rfind(prefix, 0) == 0; }};
}

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
    const std::string left = with_quit ? name + " left the chat room (done)." : left_line(name);
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

}  // namespace
}  // namespace parley::test
