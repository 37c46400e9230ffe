// session/reply_order: one session's bytes in command order, whichever loop
// decided each answer. Driven by hand, as a codec drives it: begin/end around
// each input line, answering/settled as the hub reports, send for every byte.
#include "session/reply_order.h"

#include <gtest/gtest.h>

#include <string>
#include <string_view>
#include <vector>

#include "session/outbound.h"
#include "test_support.h"

namespace parley::session {
namespace {

using Sent = std::vector<std::string>;

// An Outbound that records what is sent, line by line (held output goes out
// in one send), and in the same list what else happened ("<close>", logged by
// the actions the tests give then()).
class RecordingOutbound final : public Outbound {
 public:
  void send(std::string_view bytes) override {
    ++sends;
    for (const auto& line : parley::testing::split_lines(bytes)) log.push_back(line);
  }
  void close_after_flush(CloseReason) override { log.emplace_back("<closed>"); }
  void hold_input() override {}
  void resume_input() override {}
  // What was recorded since the last take().
  Sent take() { return std::exchange(log, {}); }
  Sent log;
  int sends = 0;
};

class ReplyOrderTest : public ::testing::Test {
 protected:
  // A command that runs and ends; `settled` as Hub::end_command says.
  void command(ReplyOrder::Command k, const std::vector<std::string>& output, bool settled) {
    order.begin(k);
    for (const auto& bytes : output) order.send(bytes);
    order.end(settled);
  }
  // Output answering command k (a callback's, as Member::answering brackets it).
  void answer(ReplyOrder::Command k, std::string_view bytes, std::string_view stream = {}) {
    order.answering(k);
    order.send(bytes, stream);
    order.answering(0);
  }

  RecordingOutbound out;
  ReplyOrder order{out};
};

// --- straight through ----------------------------------------------------------

TEST_F(ReplyOrderTest, NothingWaitingSendsStraightThrough) {
  EXPECT_FALSE(order.waiting());
  order.send("others 1\n");            // no command
  order.send("others 2\n", "lobby");   // no command, a stream no slot holds
  EXPECT_EQ(out.take(), (Sent{"others 1", "others 2"}));
  order.begin(1);
  order.send("one\n");
  EXPECT_EQ(out.take(), (Sent{"one"})) << "a running command's output is not held when nothing waits";
  order.end(true);
  command(2, {"two a\n", "two b\n"}, true);
  EXPECT_EQ(out.take(), (Sent{"two a", "two b"}));
  EXPECT_FALSE(order.waiting()) << "settled commands leave nothing behind";
}

TEST_F(ReplyOrderTest, EmptySendsAreNothing) {
  order.send("");
  EXPECT_TRUE(out.take().empty());
  command(1, {"a\n"}, false);
  order.begin(2);
  order.send("");
  order.end(true);
  order.settled(1);
  EXPECT_EQ(out.take(), (Sent{"a"}));
  EXPECT_FALSE(order.waiting());
}

// --- a command that ends unsettled --------------------------------------------

TEST_F(ReplyOrderTest, AnUnsettledCommandHoldsLaterCommandsOutputUntilSettled) {
  command(1, {"one\n"}, false);  // its own output so far goes out: nothing is ahead of it
  EXPECT_EQ(out.take(), (Sent{"one"}));
  EXPECT_TRUE(order.waiting());
  command(2, {"two\n"}, true);
  command(3, {"three\n"}, true);
  EXPECT_TRUE(out.take().empty()) << "later commands wait behind command 1";
  order.settled(1);
  EXPECT_EQ(out.take(), (Sent{"two", "three"}));
  EXPECT_FALSE(order.waiting());
  command(4, {"four\n"}, true);
  EXPECT_EQ(out.take(), (Sent{"four"}));
}

TEST_F(ReplyOrderTest, AnswersToTheHeadGoOutAtOnce) {
  command(1, {}, false);
  answer(1, "answer 1a\n");
  EXPECT_EQ(out.take(), (Sent{"answer 1a"})) << "nothing is ahead of command 1";
  command(2, {"two\n"}, false);
  answer(1, "answer 1b\n");
  EXPECT_EQ(out.take(), (Sent{"answer 1b"}));
  answer(2, "answer 2\n");
  EXPECT_TRUE(out.take().empty());
  order.settled(1);
  EXPECT_EQ(out.take(), (Sent{"two", "answer 2"}));
  order.settled(2);
  EXPECT_TRUE(out.take().empty());
  EXPECT_FALSE(order.waiting());
}

TEST_F(ReplyOrderTest, AnswersToAnEarlierCommandGoBeforeLaterCommandsOutput) {
  command(1, {"one\n"}, false);
  command(2, {"two\n"}, false);
  command(3, {"three\n"}, true);
  out.take();
  answer(2, "answer 2\n");
  answer(1, "answer 1\n");  // arrives last, belongs first
  EXPECT_EQ(out.take(), (Sent{"answer 1"}));
  order.settled(1);
  EXPECT_EQ(out.take(), (Sent{"two", "answer 2"}));
  order.settled(2);
  EXPECT_EQ(out.take(), (Sent{"three"}));
  EXPECT_FALSE(order.waiting());
}

TEST_F(ReplyOrderTest, CommandsSettledOutOfOrderAreSentInCommandOrder) {
  command(1, {}, false);
  command(2, {}, false);
  command(3, {}, false);
  answer(3, "3\n");
  answer(2, "2\n");
  order.settled(3);
  order.settled(2);
  EXPECT_TRUE(out.take().empty()) << "all wait for command 1";
  EXPECT_TRUE(order.waiting());
  answer(1, "1\n");
  EXPECT_EQ(out.take(), (Sent{"1"}));
  order.settled(1);
  EXPECT_EQ(out.take(), (Sent{"2", "3"}));
  EXPECT_FALSE(order.waiting());
}

// An answer that runs inside the command it answers (a refusal the session's
// own loop decides, before the method returns): it is that command's output.
TEST_F(ReplyOrderTest, AnAnswerDuringItsOwnCommandIsThatCommandsOutput) {
  command(1, {}, false);
  order.begin(2);
  order.send("two\n");
  answer(2, "refused at once\n");
  order.send("two again\n");
  order.end(true);
  EXPECT_TRUE(out.take().empty());
  order.settled(1);
  EXPECT_EQ(out.take(), (Sent{"two", "refused at once", "two again"}));
}

// While one command runs, an answer to an earlier command may be handed over
// (Member::answering), and the command's own output resumes after it.
TEST_F(ReplyOrderTest, AnsweringThenBackToTheRunningCommand) {
  command(1, {}, false);
  order.begin(2);
  order.send("two a\n");
  order.answering(1);
  order.send("answer 1\n");
  order.answering(0);  // back to the running command
  order.send("two b\n");
  order.end(true);
  EXPECT_EQ(out.take(), (Sent{"answer 1"}));
  order.settled(1);
  EXPECT_EQ(out.take(), (Sent{"two a", "two b"}));
}

TEST_F(ReplyOrderTest, SettlingAnUnknownCommandChangesNothing) {
  order.settled(7);
  EXPECT_FALSE(order.waiting());
  command(1, {"a\n"}, false);
  order.settled(9);
  command(2, {"b\n"}, true);
  EXPECT_EQ(out.take(), (Sent{"a"}));
  order.settled(1);
  EXPECT_EQ(out.take(), (Sent{"b"}));
}

// --- output of no command, with a stream ----------------------------------------

TEST_F(ReplyOrderTest, OthersOutputOnAStreamWaitsBehindTheLastSlotHoldingIt) {
  command(1, {}, false);
  order.begin(2);
  order.send("I joined #a\n", "a");  // held: command 1 is ahead
  order.end(false);
  order.send("someone in #a\n", "a");  // after the join in #a's order: must follow it
  order.send("someone in #b\n", "b");  // no slot holds #b
  order.send("a private message\n");   // no stream at all
  EXPECT_EQ(out.take(), (Sent{"someone in #b", "a private message"}));
  order.settled(1);
  EXPECT_EQ(out.take(), (Sent{"I joined #a", "someone in #a"}));
  // Command 2 is the head now: its later answers, and others' output on #a, go out at once.
  order.send("more in #a\n", "a");
  answer(2, "answer 2\n", "a");
  EXPECT_EQ(out.take(), (Sent{"more in #a", "answer 2"}));
  order.settled(2);
  EXPECT_FALSE(order.waiting());
}

TEST_F(ReplyOrderTest, OthersOutputFollowsTheLastOfSeveralSlotsHoldingTheStream) {
  command(1, {}, false);
  order.begin(2);
  order.send("2 in #a\n", "a");
  order.end(false);
  order.begin(3);
  order.send("3 in #a\n", "a");
  order.end(false);
  command(4, {"four\n"}, true);
  order.send("others in #a\n", "a");
  EXPECT_TRUE(out.take().empty());
  order.settled(1);
  EXPECT_EQ(out.take(), (Sent{"2 in #a"}));
  // Command 3 is the head now: what it holds goes out, others' output with it.
  order.settled(2);
  EXPECT_EQ(out.take(), (Sent{"3 in #a", "others in #a"}));
  order.settled(3);
  EXPECT_EQ(out.take(), (Sent{"four"}));
}

// ReplyOrder counts the slots holding a stream, to skip the search while
// none does: the count follows slots as they come and go.
TEST_F(ReplyOrderTest, AStreamHeldAgainAfterItsSlotsWentIsHeldAgain) {
  command(1, {}, false);
  order.begin(2);
  order.send("2 in #a\n", "a");
  order.end(false);
  order.settled(1);
  order.settled(2);
  EXPECT_EQ(out.take(), (Sent{"2 in #a"}));
  command(3, {}, false);  // holds no stream
  order.send("others in #a\n", "a");
  EXPECT_EQ(out.take(), (Sent{"others in #a"})) << "no slot holds #a any more";
  order.begin(4);
  answer(4, "4 in #a\n", "a");
  order.end(false);
  order.send("more in #a\n", "a");
  EXPECT_TRUE(out.take().empty()) << "command 4 holds #a, behind command 3";
  order.settled(3);
  EXPECT_EQ(out.take(), (Sent{"4 in #a", "more in #a"}));
  order.settled(4);
  EXPECT_FALSE(order.waiting());
}

// The head's output so far is out already: others' output on its stream
// need not wait for the rest of it.
TEST_F(ReplyOrderTest, OthersOutputOnTheHeadsStreamGoesOutAtOnce) {
  order.begin(1);
  order.send("join #a\n", "a");
  order.end(false);
  command(2, {"two\n"}, true);
  EXPECT_EQ(out.take(), (Sent{"join #a"}));
  order.send("others in #a\n", "a");
  EXPECT_EQ(out.take(), (Sent{"others in #a"}));
  order.settled(1);
  EXPECT_EQ(out.take(), (Sent{"two"}));
}

// --- wrap (labeled-response) -----------------------------------------------------

// A label's wrapping, as one line: "[L1 a|b|]" for own output "a\nb\n".
ReplyOrder::Wrap label(std::string name) {
  return [name](std::string_view own) {
    std::string s = "[" + name + " ";
    for (char c : own) s += c == '\n' ? '|' : c;
    return s + "]\n";
  };
}

TEST_F(ReplyOrderTest, WrapWrapsTheCommandsWholeOutputOnce) {
  order.begin(1);
  order.wrap(label("L1"));
  order.send("a\n");
  order.send("b\n");
  EXPECT_TRUE(out.take().empty()) << "held until the command is complete";
  order.end(true);
  EXPECT_EQ(out.take(), (Sent{"[L1 a|b|]"}));
  EXPECT_FALSE(order.waiting());
  command(2, {"plain\n"}, true);
  EXPECT_EQ(out.take(), (Sent{"plain"})) << "the wrap was command 1's only";
}

TEST_F(ReplyOrderTest, WrapWithNoOutputStillWraps) {
  order.begin(1);
  order.wrap(label("ack"));
  order.end(true);
  EXPECT_EQ(out.take(), (Sent{"[ack ]"}));
}

TEST_F(ReplyOrderTest, WrapIncludesAnswersThatCameLater) {
  order.begin(1);
  order.wrap(label("L1"));
  order.send("own\n");
  order.end(false);
  answer(1, "answer\n");
  EXPECT_TRUE(out.take().empty());
  order.settled(1);
  EXPECT_EQ(out.take(), (Sent{"[L1 own|answer|]"}));
}

TEST_F(ReplyOrderTest, WrapOutsideACommandDoesNothing) {
  order.wrap(label("none"));
  EXPECT_FALSE(order.waiting());
  order.send("x\n");
  EXPECT_EQ(out.take(), (Sent{"x"}));
}

// Others' output on the stream a wrapped command holds comes after the
// wrapped response, whether or not an earlier command is still outstanding.
TEST_F(ReplyOrderTest, OthersOutputFollowsAWrappedCommandBehindAnother) {
  command(1, {}, false);
  order.begin(2);
  order.wrap(label("L2"));
  order.send("join #a\n", "a");
  order.end(false);
  order.send("others in #a\n", "a");
  order.send("others elsewhere\n");
  EXPECT_EQ(out.take(), (Sent{"others elsewhere"}));
  order.settled(1);
  EXPECT_TRUE(out.take().empty()) << "command 2 is not complete";
  answer(2, "names of #a\n", "a");
  order.settled(2);
  EXPECT_EQ(out.take(), (Sent{"[L2 join #a|names of #a|]", "others in #a"}));
}

// BUG (reported to the core owner, src/session/reply_order.cpp, send()): a
// wrapped slot at the head does not hold others' output on its stream; it
// goes out before the wrapped response ("is_head(*it) -> break"). An IRC
// client sending "@label=x JOIN #a,#b" (#a and #b on two loops) can then see
// someone's PRIVMSG #a before its own JOIN #a. Enable once fixed.
TEST_F(ReplyOrderTest, OthersOutputFollowsAWrappedCommandAtTheHead) {
  order.begin(1);
  order.wrap(label("L1"));
  order.send("join #a\n", "a");
  order.end(false);
  // Someone speaks in #a after the join (in #a's order): the client must see
  // its own join (inside the label's batch) first.
  order.send("others in #a\n", "a");
  answer(1, "names of #a\n", "a");
  order.settled(1);
  EXPECT_EQ(out.take(), (Sent{"[L1 join #a|names of #a|]", "others in #a"}));
}

// --- then (a closing) -------------------------------------------------------------

TEST_F(ReplyOrderTest, ThenRunsAtOnceWhenNothingWaits) {
  int ran = 0;
  order.then([&] { ++ran; });  // outside any command
  EXPECT_EQ(ran, 1);
  order.begin(1);
  order.send("bye\n");
  order.then([&] {
    ++ran;
    out.log.emplace_back("<close>");
  });
  EXPECT_EQ(ran, 2);
  EXPECT_EQ(out.take(), (Sent{"bye", "<close>"}));
  order.end(true);
  EXPECT_FALSE(order.waiting());
}

TEST_F(ReplyOrderTest, ThenRunsAfterTheFlushAndNothingAfterItIsSent) {
  command(1, {"one\n"}, false);
  order.begin(2);
  order.send("LEAVE\n");
  order.then([&] { out.log.emplace_back("<close>"); });
  order.end(true);
  command(3, {"never sent\n"}, true);
  order.send("others\n", "a");  // no slot holds #a: straight out
  EXPECT_EQ(out.take(), (Sent{"one", "others"}));
  answer(1, "answer 1\n");
  order.settled(1);
  EXPECT_EQ(out.take(), (Sent{"answer 1", "LEAVE", "<close>"}));
  EXPECT_FALSE(order.waiting()) << "what came after the closing is forgotten";
}

TEST_F(ReplyOrderTest, ThenWaitsForItsOwnCommandToSettle) {
  order.begin(1);
  order.send("one\n");
  order.end(false);
  order.begin(2);
  order.send("two\n");
  bool closed = false;
  order.then([&] { closed = true; });
  order.end(false);  // the closing command has answers coming too
  order.settled(1);
  EXPECT_EQ(out.take(), (Sent{"one", "two"}));
  EXPECT_FALSE(closed);
  answer(2, "last word\n");
  EXPECT_EQ(out.take(), (Sent{"last word"}));
  order.settled(2);
  EXPECT_TRUE(closed);
}

TEST_F(ReplyOrderTest, TwoThensRunInTheOrderAsked) {
  command(1, {}, false);
  order.begin(2);
  std::vector<int> ran;
  order.then([&] { ran.push_back(1); });
  order.then([&] { ran.push_back(2); });
  order.end(true);
  EXPECT_TRUE(ran.empty());
  order.settled(1);
  EXPECT_EQ(ran, (std::vector<int>{1, 2}));
}

TEST_F(ReplyOrderTest, ThenOfAWrappedCommandRunsAfterTheWrappedOutput) {
  order.begin(1);
  order.wrap(label("L1"));
  order.send("QUIT\n");
  order.then([&] { out.log.emplace_back("<close>"); });
  order.end(true);
  EXPECT_EQ(out.take(), (Sent{"[L1 QUIT|]", "<close>"}));
}

// --- drop ---------------------------------------------------------------------------

TEST_F(ReplyOrderTest, DropForgetsEverythingQueued) {
  command(1, {}, false);
  command(2, {"held\n"}, true);
  bool closed = false;
  order.begin(3);
  order.then([&] { closed = true; });
  order.end(true);
  order.drop();
  EXPECT_FALSE(order.waiting());
  order.settled(1);
  EXPECT_TRUE(out.take().empty());
  EXPECT_FALSE(closed);
  // Whatever comes later goes straight through (the transport drops it).
  order.send("late\n");
  EXPECT_EQ(out.take(), (Sent{"late"}));
}

}  // namespace
}  // namespace parley::session
