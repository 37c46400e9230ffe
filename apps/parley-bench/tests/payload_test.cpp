// The stamp every bench message carries: "pb.SENDER.SEQ.NANOSECONDS." padded.
#include <gtest/gtest.h>

#include <string>

#include "payload.h"

namespace parley::bench {
namespace {

TEST(Payload, RoundTripsAndPadsToTheSize) {
  std::string text;
  encode_payload({4, 4'000'000'000u, 1'234'567'890'123'456}, 64, text);
  EXPECT_EQ(text.size(), 64u);
  const auto stamp = decode_payload(text);
  ASSERT_TRUE(stamp);
  EXPECT_EQ(stamp->sender, 4u);
  EXPECT_EQ(stamp->seq, 4'000'000'000u);
  EXPECT_EQ(stamp->sent_ns, 1'234'567'890'123'456);
}

TEST(Payload, RejectsWhatNoSenderWrote) {
  EXPECT_FALSE(decode_payload("hello"));
  EXPECT_FALSE(decode_payload("pb.1.2."));              // no time
  EXPECT_FALSE(decode_payload("pb.1..3."));             // empty field
  EXPECT_FALSE(decode_payload("pb.1.2.3"));             // no dot after the last field
  EXPECT_FALSE(decode_payload("pb.1.x2.3."));           // not a number
  EXPECT_FALSE(decode_payload("pb.99999999999.2.3."));  // past 32 bits
}

}  // namespace
}  // namespace parley::bench
