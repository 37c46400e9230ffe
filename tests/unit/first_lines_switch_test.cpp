// FirstLinesSwitch: held first lines reach the session that keeps the
// connection, in order, and a line replayed while the session holds input
// (a name being claimed) waits for it, as the transport would make it wait.
#include <gtest/gtest.h>

#include <deque>
#include <functional>
#include <memory>
#include <string>
#include <vector>

#include "session/first_lines_switch.h"

namespace parley::session {
namespace {

struct Transport final : Outbound {
  void send(std::string_view bytes) override { sent += bytes; }
  void close_after_flush(CloseReason) override { closed = true; }
  void hold_input() override { ++holds; }
  void resume_input() override { --holds; }
  std::string sent;
  bool closed = false;
  int holds = 0;
};

// Records its lines; holds input on each line while `hold_each_line`.
struct Recorder final : ProtocolSession {
  Recorder(Outbound& out, std::string name, std::vector<std::string>& log) : out(out), name(std::move(name)), log(log) {}
  void start() override { log.push_back(name + " start"); }
  void on_line(std::string_view line) override {
    log.push_back(name + ": " + std::string(line));
    if (hold_each_line) {
      out.hold_input();
      ++held;
    }
  }
  void on_line_too_long(std::size_t) override {}
  bool registered() const override { return false; }
  void on_input_ended() override { log.push_back(name + " end"); }
  void on_closed(CloseReason) override {}
  std::string log_name() const override { return {}; }
  Outbound& out;
  std::string name;
  std::vector<std::string>& log;
  bool hold_each_line = false;
  int held = 0;
};

class FirstLinesSwitchTest : public ::testing::Test {
 protected:
  FirstLinesSwitchTest()
      : sw(
            transport,
            [this](Outbound& out) {
              auto r = std::make_unique<Recorder>(out, "text", log);
              text = r.get();
              return r;
            },
            [this](Outbound& out) { return std::make_unique<Recorder>(out, "irc", log); },
            [](const std::vector<std::string>& lines) {
              if (lines[0] == "GET") return FirstLinesSwitch::Verdict::answer_and_close;
              if (lines[0] == "CAP") return FirstLinesSwitch::Verdict::hand_over;
              if (lines[0] != "NICK") return FirstLinesSwitch::Verdict::stay;
              if (lines.size() < 2) return FirstLinesSwitch::Verdict::undecided;
              return lines[1] == "USER" ? FirstLinesSwitch::Verdict::hand_over : FirstLinesSwitch::Verdict::stay;
            },
            [this](std::function<void()> task) { tasks.push_back(std::move(task)); }, "answer") {
    sw.start();
  }
  void run_tasks() {
    while (!tasks.empty()) {
      auto t = std::move(tasks.front());
      tasks.pop_front();
      t();
    }
  }

  Transport transport;
  std::vector<std::string> log;
  Recorder* text = nullptr;
  std::deque<std::function<void()>> tasks;
  FirstLinesSwitch sw;
};

TEST_F(FirstLinesSwitchTest, TextLinesGoStraightThrough) {
  sw.on_line("Raj");
  sw.on_line("hello");
  EXPECT_EQ(log, (std::vector<std::string>{"text start", "text: Raj", "text: hello"}));
}

TEST_F(FirstLinesSwitchTest, IrcIsHandedOverWithItsFirstLines) {
  sw.on_line("NICK");
  EXPECT_EQ(log, (std::vector<std::string>{"text start"}));
  sw.on_line("USER");
  sw.on_line("JOIN");
  EXPECT_EQ(log, (std::vector<std::string>{"text start", "irc start", "irc: NICK", "irc: USER", "irc: JOIN"}));
}

TEST_F(FirstLinesSwitchTest, HttpIsAnsweredAndClosed) {
  sw.on_line("GET");
  EXPECT_EQ(transport.sent, "answer");
  EXPECT_TRUE(transport.closed);
  EXPECT_EQ(log, (std::vector<std::string>{"text start"}));
}

TEST_F(FirstLinesSwitchTest, ASecondHeldLineWaitsWhileTheFirstHolds) {
  text->hold_each_line = true;
  sw.on_line("NICK");
  sw.on_line("hello");
  // The name is being claimed: the transport holds, "hello" waits.
  EXPECT_EQ(log, (std::vector<std::string>{"text start", "text: NICK"}));
  EXPECT_EQ(transport.holds, 1);
  text->hold_each_line = false;
  sw.resume_input();  // the claim is settled
  EXPECT_EQ(transport.holds, 1) << "the transport must wait until the held line is in";
  EXPECT_EQ(log.size(), 2u) << "never inside the caller of resume_input";
  run_tasks();
  EXPECT_EQ(log, (std::vector<std::string>{"text start", "text: NICK", "text: hello"}));
  EXPECT_EQ(transport.holds, 0);
}

TEST_F(FirstLinesSwitchTest, EndOfInputDecidesALoneNickLineIsText) {
  sw.on_line("NICK");
  sw.on_input_ended();
  EXPECT_EQ(log, (std::vector<std::string>{"text start", "text: NICK", "text end"}));
}

}  // namespace
}  // namespace parley::session
