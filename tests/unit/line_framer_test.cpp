// net/LineFramer: a byte stream in, bounded lines out.
#include "net/line_framer.h"

#include <gtest/gtest.h>

#include <string>
#include <vector>

namespace parley::net {
namespace {

constexpr const char* kTooLong = "<too long>";

// Takes every complete line; a discarded line shows as kTooLong.
std::vector<std::string> drain(LineFramer& f) {
  std::vector<std::string> out;
  while (auto line = f.next()) {
    if (line->too_long) {
      EXPECT_TRUE(line->text.empty());
      out.emplace_back(kTooLong);
    } else {
      out.emplace_back(line->text);
    }
  }
  return out;
}

std::vector<std::string> feed_and_drain(LineFramer& f, std::string_view bytes) {
  f.feed(bytes);
  return drain(f);
}

using Lines = std::vector<std::string>;

TEST(LineFramer, ByteByByte) {
  LineFramer f(64);
  const std::string input = "hello\nwor ld\r\n\nZo\xC3\xAB\n";
  Lines got;
  for (char c : input) {
    f.feed(std::string_view(&c, 1));
    for (auto& l : drain(f)) got.push_back(l);
  }
  EXPECT_EQ(got, (Lines{"hello", "wor ld", "", "Zo\xC3\xAB"}));
  EXPECT_EQ(f.buffered(), 0u);
  EXPECT_FALSE(f.has_line());
}

TEST(LineFramer, ManyLinesInOneFeed) {
  LineFramer f(64);
  EXPECT_EQ(feed_and_drain(f, "a\nbb\n\nccc\nrest"), (Lines{"a", "bb", "", "ccc"}));
  EXPECT_EQ(f.buffered(), 4u);
  EXPECT_EQ(feed_and_drain(f, "\n"), (Lines{"rest"}));
}

TEST(LineFramer, HasLineTellsWhetherNextWillYield) {
  LineFramer f(64);
  EXPECT_FALSE(f.has_line());
  f.feed("one\ntw");
  EXPECT_TRUE(f.has_line());
  ASSERT_TRUE(f.next().has_value());
  EXPECT_FALSE(f.has_line());
  EXPECT_FALSE(f.next().has_value());
  f.feed("o\n");
  EXPECT_TRUE(f.has_line());
  auto line = f.next();
  ASSERT_TRUE(line.has_value());
  EXPECT_EQ(line->text, "two");
  EXPECT_FALSE(line->too_long);
}

TEST(LineFramer, CrLfAndLf) {
  LineFramer f(64);
  EXPECT_EQ(feed_and_drain(f, "x\r\n\r\ny\n"), (Lines{"x", "", "y"}));
  // Only the one '\r' right before '\n' belongs to the line end.
  EXPECT_EQ(feed_and_drain(f, "a\rb\n"), (Lines{"a\rb"}));
  EXPECT_EQ(feed_and_drain(f, "c\r\r\n"), (Lines{"c\r"}));
  // "\r" and "\n" in separate feeds.
  f.feed("d\r");
  EXPECT_EQ(drain(f), Lines{});
  EXPECT_EQ(feed_and_drain(f, "\n"), (Lines{"d"}));
}

TEST(LineFramer, PartialLinesAreKeptAcrossFeeds) {
  LineFramer f(64);
  EXPECT_EQ(feed_and_drain(f, "a\nbc"), (Lines{"a"}));
  EXPECT_EQ(f.buffered(), 2u);
  EXPECT_EQ(feed_and_drain(f, "d"), Lines{});
  EXPECT_EQ(feed_and_drain(f, "e\nf"), (Lines{"bcde"}));
  EXPECT_EQ(f.buffered(), 1u);
}

TEST(LineFramer, EmptyFeedDoesNothing) {
  LineFramer f(8);
  EXPECT_EQ(feed_and_drain(f, ""), Lines{});
  EXPECT_EQ(f.buffered(), 0u);
}

TEST(LineFramer, LineExactlyAtTheLimitIsAccepted) {
  LineFramer f(8);
  EXPECT_EQ(feed_and_drain(f, "12345678\n"), (Lines{"12345678"}));
  EXPECT_EQ(feed_and_drain(f, "abcdefgh\r\n"), (Lines{"abcdefgh"}));  // the line end is not counted
}

TEST(LineFramer, OneByteOverIsRefusedOnceAndTheNextLineIsIntact) {
  LineFramer f(8);
  EXPECT_EQ(feed_and_drain(f, "123456789\nnext\n"), (Lines{kTooLong, "next"}));
  EXPECT_EQ(feed_and_drain(f, "abcdefghi\r\nafter\r\n"), (Lines{kTooLong, "after"}));
  EXPECT_EQ(f.buffered(), 0u);
}

TEST(LineFramer, OneByteOverArrivingByteByByte) {
  LineFramer f(8);
  Lines got;
  for (char c : std::string("123456789\nnext\n")) {
    f.feed(std::string_view(&c, 1));
    for (auto& l : drain(f)) got.push_back(l);
  }
  EXPECT_EQ(got, (Lines{kTooLong, "next"}));
}

TEST(LineFramer, ALineAtTheLimitWaitingForItsCrLfIsNotRefused) {
  LineFramer f(8);
  EXPECT_EQ(feed_and_drain(f, "12345678\r"), Lines{});  // max + 1 bytes: may still be a whole line
  EXPECT_EQ(feed_and_drain(f, "\n"), (Lines{"12345678"}));
}

TEST(LineFramer, OverLongPartialLineIsDiscardedUpToItsNewline) {
  LineFramer f(8);
  EXPECT_EQ(feed_and_drain(f, "ok\nAAAAAA"), (Lines{"ok"}));
  EXPECT_EQ(feed_and_drain(f, "AAAAAA"), (Lines{kTooLong}));  // reported as soon as it is known
  EXPECT_EQ(f.buffered(), 0u);                                  // and not kept
  EXPECT_EQ(feed_and_drain(f, std::string(10'000, 'A')), Lines{});
  EXPECT_EQ(f.buffered(), 0u);
  EXPECT_EQ(feed_and_drain(f, "AAAA"), Lines{});
  EXPECT_EQ(feed_and_drain(f, "AA\r\nnext\npart"), (Lines{"next"}));
  EXPECT_EQ(feed_and_drain(f, "ial\n"), (Lines{"partial"}));
}

TEST(LineFramer, OverLongLineEndingInTheSameFeedAsTheDetection) {
  LineFramer f(4);
  f.feed("ABCDEFG");  // detected on next()
  EXPECT_EQ(drain(f), (Lines{kTooLong}));
  EXPECT_EQ(feed_and_drain(f, "\nx\n"), (Lines{"x"}));
}

TEST(LineFramer, TwoOverLongLinesInARowAreTwoReports) {
  LineFramer f(4);
  EXPECT_EQ(feed_and_drain(f, "ABCDEFGH\nIJKLMNOP\nok\n"), (Lines{kTooLong, kTooLong, "ok"}));
  EXPECT_EQ(feed_and_drain(f, "ABCDEFGH"), (Lines{kTooLong}));
  EXPECT_EQ(feed_and_drain(f, "\nIJKLMNOP"), (Lines{kTooLong}));
  EXPECT_EQ(feed_and_drain(f, "\nok\n"), (Lines{"ok"}));
}

TEST(LineFramer, ReleaseIfEmptyKeepsWhatIsHeld) {
  LineFramer f(16);
  EXPECT_EQ(feed_and_drain(f, "a\n"), (Lines{"a"}));
  f.release_if_empty();
  EXPECT_EQ(f.buffered(), 0u);
  EXPECT_EQ(feed_and_drain(f, "b\n"), (Lines{"b"}));

  f.feed("par");
  f.release_if_empty();  // a partial line is not dropped
  EXPECT_EQ(f.buffered(), 3u);
  EXPECT_EQ(feed_and_drain(f, "tial\n"), (Lines{"partial"}));

  f.feed("x\ny\n");
  f.release_if_empty();  // lines not taken yet are not dropped
  EXPECT_EQ(drain(f), (Lines{"x", "y"}));
  f.release_if_empty();
  EXPECT_EQ(f.buffered(), 0u);
  EXPECT_FALSE(f.has_line());
}

TEST(LineFramer, ReleaseIfEmptyWhileDiscardingKeepsDiscarding) {
  LineFramer f(4);
  EXPECT_EQ(feed_and_drain(f, "ABCDEFGHIJ"), (Lines{kTooLong}));
  f.release_if_empty();
  EXPECT_EQ(feed_and_drain(f, "KLM"), Lines{});
  f.release_if_empty();
  EXPECT_EQ(feed_and_drain(f, "NOP\nok\n"), (Lines{"ok"}));
}

TEST(LineFramer, ZeroLimitAcceptsOnlyEmptyLines) {
  LineFramer f(0);
  EXPECT_EQ(feed_and_drain(f, "\n\r\nx\n\n"), (Lines{"", "", kTooLong, ""}));
}

}  // namespace
}  // namespace parley::net
