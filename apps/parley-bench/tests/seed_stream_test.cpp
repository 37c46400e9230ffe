// The seed server's unframed output (shared/seed/seed_server.py): greeting,
// welcome, join and leave notices and "Message from User - NAME: " + bytes,
// all without line ends, recognised in a byte stream cut anywhere.
#include <gtest/gtest.h>

#include <string>
#include <vector>

#include "payload.h"
#include "seed_stream.h"

namespace parley::bench {
namespace {

constexpr std::size_t kSize = 40;

std::string payload(std::uint32_t sender, std::uint32_t seq) {
  std::string p;
  encode_payload({sender, seq, 123456789}, kSize, p);
  return p;
}

std::string describe(const SeedRecord& r) {
  return std::to_string(static_cast<int>(r.kind)) + ":" + std::string{r.name} + ":" + std::string{r.text};
}

std::vector<std::string> feed_in_pieces(std::string_view bytes, std::size_t piece) {
  SeedStream stream{"b", kSize};
  std::vector<std::string> out;
  for (std::size_t i = 0; i < bytes.size(); i += piece)
    EXPECT_TRUE(stream.feed(bytes.substr(i, piece), [&](const SeedRecord& r) {
      out.push_back(describe(r));
      return true;
    }));
  return out;
}

std::string rec(SeedKind kind, std::string_view name = {}, std::string_view text = {}) {
  return describe({kind, name, text});
}

TEST(SeedStream, SplitsTheSeedsConversationAtEveryCut) {
  const std::string bytes = "Welcome to Chat room. To join enter your Name and begin chatting."
                            "Welcome b12 to chatroom! Enter LEAVE to exit the chatroom "
                            "b13 has joined the chat room! "
                            "Message from User - b0: " + payload(0, 1) +
                            "Message from User - b13: " + payload(13, 7) +
                            "b13 left the chat room."
                            "LEAVE";
  const std::vector<std::string> expected{
      rec(SeedKind::greeting),           rec(SeedKind::welcome, "b12"),
      rec(SeedKind::joined, "b13"),      rec(SeedKind::message, "b0", payload(0, 1)),
      rec(SeedKind::message, "b13", payload(13, 7)), rec(SeedKind::left, "b13"),
      rec(SeedKind::leave)};
  for (std::size_t piece = 1; piece <= bytes.size(); ++piece)
    EXPECT_EQ(feed_in_pieces(bytes, piece), expected) << "pieces of " << piece;
}

TEST(SeedStream, APayloadLongerThanTheSizeEndsWithItsHeader) {
  // The header alone is longer than a 10-byte size: no padding follows it.
  SeedStream stream{"b", 10};
  std::string p;
  encode_payload({3, 4, 5000000000}, 10, p);
  std::vector<std::string> got;
  ASSERT_TRUE(stream.feed("Message from User - b3: " + p + "Message from User - b3: " + p, [&](const SeedRecord& r) {
    got.push_back(describe(r));
    return true;
  }));
  EXPECT_EQ(got, (std::vector<std::string>{rec(SeedKind::message, "b3", p), rec(SeedKind::message, "b3", p)}));
}

TEST(SeedStream, AnIncompleteRecordWaits) {
  SeedStream stream{"b", kSize};
  SeedRecord r;
  std::size_t used = 0;
  EXPECT_EQ(stream.match("Message from User - b1", r, used), SeedStream::Match::need_more);  // b1 or b12...
  EXPECT_EQ(stream.match("Message from User - b1: pb.1.2.", r, used), SeedStream::Match::need_more);
  EXPECT_EQ(stream.match("b4 has joined the ch", r, used), SeedStream::Match::need_more);
  EXPECT_EQ(stream.match("LEA", r, used), SeedStream::Match::need_more);
}

TEST(SeedStream, BytesThatAreNoneOfTheSeedsStringsAreSkippedToTheNextMessage) {
  // A message the seed received in two recv() calls comes back as two
  // records; the first is cut short and is not a bench payload.
  const std::string whole = payload(2, 9);
  const std::string bytes = "Message from User - b2: " + whole.substr(0, 20) + "Message from User - b2: " + whole;
  const auto got = feed_in_pieces(bytes, bytes.size());
  ASSERT_EQ(got.size(), 2u);
  EXPECT_EQ(got[0], rec(SeedKind::garbage, {}, "Message from User - b2: " + whole.substr(0, 20)));
  EXPECT_EQ(got[1], rec(SeedKind::message, "b2", whole));
}

TEST(SeedStream, AnotherClientsTextIsNotAPayload) {
  SeedStream stream{"b", kSize};
  SeedRecord r;
  std::size_t used = 0;
  EXPECT_EQ(stream.match("Message from User - b1: hello there, how are you?", r, used), SeedStream::Match::no);
  EXPECT_EQ(stream.match("Message from User - alice: hi", r, used), SeedStream::Match::no);
}

}  // namespace
}  // namespace parley::bench
