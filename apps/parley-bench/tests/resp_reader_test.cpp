// RESP2 replies as Redis sends them (https://redis.io/docs/latest/develop/reference/protocol-spec/).
#include <gtest/gtest.h>

#include <string>
#include <vector>

#include "resp_reader.h"

namespace parley::bench {
namespace {

std::string bulk(std::string_view s) { return "$" + std::to_string(s.size()) + "\r\n" + std::string{s} + "\r\n"; }
std::string push(std::string_view kind, std::string_view channel, std::string_view payload) {
  return "*3\r\n" + bulk(kind) + bulk(channel) + bulk(payload);
}

struct Collected {
  std::vector<std::string> texts;  // "type:first:second:third"
};

std::string describe(const RespValue& v) {
  std::string s = std::to_string(static_cast<int>(v.head.type));
  if (v.head.type == RespType::integer) s += "=" + std::to_string(v.head.integer);
  if (!v.head.text.empty()) s += "=" + std::string{v.head.text};
  for (const RespItem& item : v.items) {
    s += "|";
    const bool counted = item.type == RespType::integer || item.type == RespType::array;
    s += counted ? std::to_string(item.integer) : std::string{item.text};
  }
  return s;
}

std::vector<std::string> feed_in_pieces(RespStream& stream, std::string_view bytes, std::size_t piece, bool& ok) {
  std::vector<std::string> out;
  ok = true;
  for (std::size_t i = 0; i < bytes.size() && ok; i += piece)
    ok = stream.feed(bytes.substr(i, piece), [&](const RespValue& v) {
      out.push_back(describe(v));
      return true;
    });
  return out;
}

TEST(RespReader, ParsesAMessagePushByItsBulkLengths) {
  const std::string bytes = push("message", "bench", "pb.1.2.3.xx");
  RespValue v;
  std::size_t used = 0;
  ASSERT_EQ(parse_resp(bytes, v, used), RespParse::complete);
  EXPECT_EQ(used, bytes.size());
  EXPECT_EQ(v.head.type, RespType::array);
  ASSERT_EQ(v.items.size(), 3u);
  EXPECT_EQ(v.items[0].text, "message");
  EXPECT_EQ(v.items[1].text, "bench");
  EXPECT_EQ(v.items[2].text, "pb.1.2.3.xx");
}

TEST(RespReader, APayloadHoldingCrLfIsTakenWhole) {
  // Splitting on lines would cut this payload in two.
  const std::string bytes = push("message", "bench", "a\r\n$3\r\nb\r\n") + ":7\r\n";
  RespStream stream;
  bool ok = false;
  const auto got = feed_in_pieces(stream, bytes, bytes.size(), ok);
  ASSERT_TRUE(ok);
  ASSERT_EQ(got.size(), 2u);
  EXPECT_EQ(got[0], "5|message|bench|a\r\n$3\r\nb\r\n");
  EXPECT_EQ(got[1], "2=7");
}

TEST(RespReader, EveryCutOfTheStreamGivesTheSameReplies) {
  const std::string bytes = "*3\r\n$9\r\nsubscribe\r\n$5\r\nbench\r\n:1\r\n" + push("message", "bench", "hello") +
                            "+PONG\r\n-ERR wrong\r\n$-1\r\n*-1\r\n*2\r\n*1\r\n:5\r\n$1\r\nz\r\n";
  const std::vector<std::string> expected{"5|subscribe|bench|1", "5|message|bench|hello", "0=PONG",
                                          "1=ERR wrong", "4", "4", "5|1|z"};
  for (std::size_t piece = 1; piece <= bytes.size(); ++piece) {
    RespStream stream;
    bool ok = false;
    EXPECT_EQ(feed_in_pieces(stream, bytes, piece, ok), expected) << "pieces of " << piece;
    EXPECT_TRUE(ok);
  }
}

TEST(RespReader, AnUnfinishedReplyWaitsForMoreBytes) {
  RespValue v;
  std::size_t used = 0;
  EXPECT_EQ(parse_resp("*3\r\n$7\r\nmessage\r\n$5\r\nbench\r\n$11\r\npb.1", v, used), RespParse::need_more);
  EXPECT_EQ(parse_resp("$5\r\nhello\r", v, used), RespParse::need_more);
  EXPECT_EQ(parse_resp(":12", v, used), RespParse::need_more);
}

TEST(RespReader, BytesThatAreNotRespAreRefused) {
  RespValue v;
  std::size_t used = 0;
  EXPECT_EQ(parse_resp("hello\r\n", v, used), RespParse::invalid);
  EXPECT_EQ(parse_resp("$5\r\nhelloXY", v, used), RespParse::invalid);  // no CRLF after the declared length
  EXPECT_EQ(parse_resp("$x\r\n", v, used), RespParse::invalid);
  EXPECT_EQ(parse_resp(":1a\r\n", v, used), RespParse::invalid);
  RespStream stream;
  EXPECT_FALSE(stream.feed("+OK\r\n?\r\n", [](const RespValue&) { return true; }));
}

TEST(RespReader, CommandsAreArraysOfBulkStrings) {
  std::string out;
  append_resp_command(out, {"PUBLISH", "bench", "a b\r\n"});
  EXPECT_EQ(out, "*3\r\n$7\r\nPUBLISH\r\n$5\r\nbench\r\n$5\r\na b\r\n\r\n");
}

}  // namespace
}  // namespace parley::bench
