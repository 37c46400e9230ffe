// net/TelnetFilter: telnet commands out of the text port's input (RFC 854/860).
#include "net/telnet.h"

#include <gtest/gtest.h>

#include <string>

#include "net/line_framer.h"

namespace parley::net {
namespace {

// Records what the filter finds: data as is, an interrupt as "<IP>".
struct Recorder final : TelnetFilter::Sink {
  void data(std::string_view bytes) override { seen += bytes; }
  void interrupt() override { seen += "<IP>"; }
  void reply(std::string_view bytes) override { replies += bytes; }
  std::string seen;
  std::string replies;
};

std::string bytes(std::initializer_list<int> values) {
  std::string s;
  for (int v : values) s += static_cast<char>(v);
  return s;
}

TEST(Telnet, PlainInputPassesUnchanged) {
  TelnetFilter filter;
  Recorder r;
  filter.feed("Zoë\r\nhello\n", r);
  EXPECT_EQ(r.seen, "Zoë\r\nhello\n");
  EXPECT_EQ(r.replies, "");
}

// What telnet sends for Ctrl-C: IAC IP, IAC DO TIMING-MARK.
TEST(Telnet, CtrlCIsAnInterruptAndTheTimingMarkIsAnswered) {
  TelnetFilter filter;
  Recorder r;
  filter.feed("half a li" + bytes({0xff, 0xf4, 0xff, 0xfd, 0x06}) + "next\r\n", r);
  EXPECT_EQ(r.seen, "half a li<IP>next\r\n");
  EXPECT_EQ(r.replies, bytes({0xff, 0xfb, 0x06}));  // IAC WILL TIMING-MARK
}

TEST(Telnet, CommandsSplitAcrossReads) {
  TelnetFilter filter;
  Recorder r;
  for (char c : "ab" + bytes({0xff, 0xfd, 0x06, 0xff, 0xfa, 0x18, 0x01, 0xff, 0xf0}) + "cd") {
    filter.feed(std::string_view(&c, 1), r);
  }
  EXPECT_EQ(r.seen, "abcd");
  EXPECT_EQ(r.replies, bytes({0xff, 0xfb, 0x06}));
}

TEST(Telnet, OtherOptionsAreRefusedOnceAndRefusalsNotAnswered) {
  TelnetFilter filter;
  Recorder r;
  // DO ECHO, WILL NAWS, DONT ECHO, WONT LINEMODE.
  filter.feed(bytes({0xff, 0xfd, 0x01, 0xff, 0xfb, 0x1f, 0xff, 0xfe, 0x01, 0xff, 0xfc, 0x22}), r);
  EXPECT_EQ(r.seen, "");
  EXPECT_EQ(r.replies, bytes({0xff, 0xfc, 0x01, 0xff, 0xfe, 0x1f}));  // WONT ECHO, DONT NAWS
}

TEST(Telnet, SubnegotiationIsSkippedEscapedIacIsData) {
  TelnetFilter filter;
  Recorder r;
  filter.feed("x" + bytes({0xff, 0xfa, 0x1f, 0x00, 0x50, 0xff, 0xff, 0x00, 0x18, 0xff, 0xf0}) + "y" +
                  bytes({0xff, 0xff}) + "z",
              r);
  EXPECT_EQ(r.seen, "xy" + bytes({0xff}) + "z");
}

// A client that is not telnet sending bytes that are not UTF-8: they stay,
// so the line is refused as invalid, not silently changed or glued to the next.
TEST(Telnet, A255ThatStartsNoCommandIsData) {
  TelnetFilter filter;
  Recorder r;
  filter.feed(bytes({0xff}) + " hello\n" + bytes({0xff, 0xfe}) + "\n" + bytes({0xff}) + "\n", r);
  EXPECT_EQ(r.seen, bytes({0xff}) + " hello\n" + bytes({0xff, 0xfe}) + "\n" + bytes({0xff}) + "\n");
  EXPECT_EQ(r.replies, "");
  TelnetFilter split;
  Recorder s;
  for (char c : bytes({0xff, 0xfe}) + "\r\n") split.feed(std::string_view(&c, 1), s);
  EXPECT_EQ(s.seen, bytes({0xff, 0xfe}) + "\r\n");
}

TEST(Telnet, CrNulIsABareCr) {
  TelnetFilter filter;
  Recorder r;
  filter.feed(std::string("a\r") + '\0' + "b\r\n", r);
  EXPECT_EQ(r.seen, "a\rb\r\n");
}

// The framer's side of an interrupt: the half line goes, whole lines stay.
TEST(Telnet, InterruptDropsOnlyTheHalfLine) {
  LineFramer framer(100);
  framer.feed("kept\nhalf a li");
  framer.drop_partial_line();
  framer.feed("next\n");
  auto first = framer.next();
  ASSERT_TRUE(first);
  EXPECT_EQ(first->text, "kept");
  auto second = framer.next();
  ASSERT_TRUE(second);
  EXPECT_EQ(second->text, "next");
  EXPECT_FALSE(framer.next());
}

}  // namespace
}  // namespace parley::net
