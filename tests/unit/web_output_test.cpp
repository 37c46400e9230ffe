// src/web's output without I/O: WebSocket frame headers at each length
// boundary, text payloads' UTF-8, and the queue that batches a pass's frames
// (order, whole records dropped, storage given back).
#include <gtest/gtest.h>

#include <string>

#include "web/out_queue.h"
#include "web/ws_frame.h"

namespace parley::web {
namespace {

TEST(WebFrameHeader, LengthsUseTheShortestFormAtEachBoundary) {
  EXPECT_EQ(FrameHeader(false, 0).bytes(), std::string("\x81\x00", 2));
  EXPECT_EQ(FrameHeader(false, 125).bytes(), std::string("\x81\x7d", 2));
  EXPECT_EQ(FrameHeader(true, 126).bytes(), std::string("\x82\x7e\x00\x7e", 4));
  EXPECT_EQ(FrameHeader(false, 65535).bytes(), std::string("\x81\x7e\xff\xff", 4));
  EXPECT_EQ(FrameHeader(false, 65536).bytes(), std::string("\x81\x7f\x00\x00\x00\x00\x00\x01\x00\x00", 10));
}

TEST(WebTextPayload, ValidLinesPassUnchangedAndOthersAreRepaired) {
  std::string repaired;
  const std::string ascii = ":nick!u@h PRIVMSG #room :a line long enough to take several words";
  EXPECT_EQ(text_payload(ascii, repaired).data(), ascii.data());  // no copy
  const std::string utf8 = ":n PRIVMSG #r :caf\xc3\xa9 \xe2\x82\xac";
  EXPECT_EQ(text_payload(utf8, repaired).data(), utf8.data());
  const std::string latin1 = ":n PRIVMSG #r :caf\xe9!";
  EXPECT_EQ(text_payload(latin1, repaired), ":n PRIVMSG #r :caf\xef\xbf\xbd!");
  // A high byte in the last, partial word is seen too.
  EXPECT_EQ(text_payload("abcdefgh\xff", repaired), "abcdefgh\xef\xbf\xbd");
}

std::string gathered(const OutQueue& q) {
  iovec iov[1];
  if (q.gather(iov) == 0) return {};
  return std::string(static_cast<const char*>(iov[0].iov_base), iov[0].iov_len);
}

TEST(WebOutQueue, RecordsLeaveInOrderInOneGather) {
  OutQueue q;
  q.push("h1", "one");
  q.push("h2", "two");
  q.push("h3");
  EXPECT_EQ(q.bytes(), 12u);
  EXPECT_EQ(gathered(q), "h1oneh2twoh3");
  q.consume(4);
  EXPECT_EQ(gathered(q), "eh2twoh3");
  q.consume(8);
  EXPECT_TRUE(q.empty());
  EXPECT_EQ(gathered(q), "");
}

TEST(WebOutQueue, DroppingKeepsOnlyTheRestOfARecordPartlyWritten) {
  OutQueue q;
  q.push("AAAA");
  q.push("BBBB");
  q.push("CCCC");
  q.consume(6);  // A written, B half written
  q.drop_unstarted();
  EXPECT_EQ(gathered(q), "BB");
  q.push("farewell");
  EXPECT_EQ(gathered(q), "BBfarewell");

  OutQueue at_boundary;
  at_boundary.push("AAAA");
  at_boundary.push("BBBB");
  at_boundary.consume(4);  // A written, B not started
  at_boundary.drop_unstarted();
  EXPECT_TRUE(at_boundary.empty());
  at_boundary.push("farewell");
  EXPECT_EQ(gathered(at_boundary), "farewell");
}

TEST(WebOutQueue, ADrainedQueueGivesLargeStorageBack) {
  OutQueue q;
  const std::string big(100 * 1024, 'x');
  for (int i = 0; i < 10; ++i) q.push(big);
  // Written a little at a time, as a slow socket takes it: the front moves
  // and the order holds.
  std::size_t left = q.bytes();
  while (left > 0) {
    const std::size_t n = std::min<std::size_t>(left, 70 * 1024);
    q.consume(n);
    left -= n;
    EXPECT_EQ(q.bytes(), left);
  }
  EXPECT_EQ(q.capacity(), std::string().capacity());  // no storage of its own
}

}  // namespace
}  // namespace parley::web
