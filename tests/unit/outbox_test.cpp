// net/Outbox: a byte-bounded queue copied into pooled blocks, written with
// gather writes.
#include "net/outbox.h"

#include <gtest/gtest.h>

#include <string>
#include <vector>

namespace parley::net {
namespace {

constexpr std::size_t kBlock = BlockPool::kBlockBytes;

// The pieces a gather write would send now, one string per iovec.
std::vector<std::string> pieces(const Outbox& box, int max = 64) {
  std::vector<iovec> iov(static_cast<std::size_t>(max));
  const int n = box.gather(iov.data(), max);
  std::vector<std::string> out;
  for (int i = 0; i < n; ++i) {
    out.emplace_back(static_cast<const char*>(iov[static_cast<std::size_t>(i)].iov_base),
                     iov[static_cast<std::size_t>(i)].iov_len);
  }
  return out;
}

// Everything queued, in order.
std::string queued(const Outbox& box) {
  std::string all;
  for (const auto& p : pieces(box, 1024)) all += p;
  return all;
}

using Pieces = std::vector<std::string>;

struct OutboxTest : ::testing::Test {
  BlockPool pool;
};

TEST_F(OutboxTest, StartsEmptyHoldingNoBlock) {
  Outbox box(100, pool);
  EXPECT_TRUE(box.empty());
  EXPECT_EQ(box.bytes(), 0u);
  EXPECT_EQ(box.blocks_held(), 0u);
  EXPECT_EQ(pieces(box), Pieces{});
}

TEST_F(OutboxTest, PushUpToTheLimitExactly) {
  Outbox box(10, pool);
  EXPECT_TRUE(box.push("hello"));
  EXPECT_TRUE(box.push("world"));
  EXPECT_EQ(box.bytes(), 10u);
  EXPECT_FALSE(box.empty());
  // Copied into one block: one piece for the write, not one per push.
  EXPECT_EQ(pieces(box), (Pieces{"helloworld"}));
}

TEST_F(OutboxTest, PushPastTheLimitIsRefusedAndQueuesNothing) {
  Outbox box(10, pool);
  ASSERT_TRUE(box.push("hello"));
  ASSERT_TRUE(box.push("worl"));
  EXPECT_FALSE(box.push("!!"));  // 11 > 10
  EXPECT_EQ(box.bytes(), 9u);
  EXPECT_EQ(queued(box), "helloworl");
  EXPECT_TRUE(box.push("!"));  // 10: fits
  EXPECT_FALSE(box.push("?"));
  EXPECT_EQ(box.bytes(), 10u);
  EXPECT_EQ(queued(box), "helloworl!");
}

TEST_F(OutboxTest, ASingleLineLargerThanTheLimitIsRefused) {
  Outbox box(10, pool);
  EXPECT_FALSE(box.push(std::string(11, 'x')));
  EXPECT_TRUE(box.empty());
  EXPECT_EQ(box.blocks_held(), 0u);
  EXPECT_TRUE(box.push(std::string(10, 'x')));
}

TEST_F(OutboxTest, EmptyPushesAreAcceptedButQueueNothing) {
  Outbox box(0, pool);
  EXPECT_TRUE(box.push(""));
  EXPECT_TRUE(box.empty());
  EXPECT_EQ(box.blocks_held(), 0u);
  EXPECT_FALSE(box.push("x"));
}

TEST_F(OutboxTest, BytesSpillIntoTheNextBlockInOrder) {
  Outbox box(4 * kBlock, pool);
  const std::string first(kBlock - 3, 'a');
  ASSERT_TRUE(box.push(first));
  ASSERT_TRUE(box.push("bcdefg"));  // 3 fit, 3 spill
  const auto p = pieces(box);
  ASSERT_EQ(p.size(), 2u);
  EXPECT_EQ(p[0], first + "bcd");
  EXPECT_EQ(p[1], "efg");
  EXPECT_EQ(box.blocks_held(), 2u);
  // A push larger than a block spans several.
  const std::string big(2 * kBlock + 5, 'z');
  ASSERT_TRUE(box.push(big));
  EXPECT_EQ(box.blocks_held(), 4u);
  EXPECT_EQ(queued(box), first + "bcdefg" + big);
  EXPECT_EQ(box.bytes(), first.size() + 6 + big.size());
}

TEST_F(OutboxTest, GatherFillsAtMostMax) {
  Outbox box(4 * kBlock, pool);
  ASSERT_TRUE(box.push(std::string(3 * kBlock, 'q')));
  EXPECT_EQ(pieces(box, 2).size(), 2u);
  EXPECT_EQ(pieces(box, 0), Pieces{});
  EXPECT_EQ(pieces(box, 9).size(), 3u);
}

TEST_F(OutboxTest, ConsumePartialWritesAcrossBlockBoundaries) {
  Outbox box(4 * kBlock, pool);
  const std::string a(kBlock, 'a'), b(kBlock, 'b');
  ASSERT_TRUE(box.push(a + b + "cc"));
  box.consume(2);  // inside the first block
  EXPECT_EQ(queued(box), a.substr(2) + b + "cc");
  box.consume(kBlock - 2);  // exactly to the boundary: the first block goes back
  EXPECT_EQ(box.blocks_held(), 2u);
  EXPECT_EQ(pool.blocks_taken(), 2u);
  EXPECT_EQ(queued(box), b + "cc");
  box.consume(kBlock + 1);  // across a boundary, into the last block
  EXPECT_EQ(queued(box), "c");
  EXPECT_EQ(box.bytes(), 1u);
  EXPECT_FALSE(box.empty());
  box.consume(1);
  EXPECT_TRUE(box.empty());
  EXPECT_EQ(pieces(box), Pieces{});
}

// An idle connection holds no queue memory, however big its last burst was,
// and the burst's chunks serve the next connection on the loop until a trim.
TEST_F(OutboxTest, AWrittenBurstLeavesNoStorageBehind) {
  Outbox box(1 << 20, pool);
  for (int i = 0; i < 5000; ++i) ASSERT_TRUE(box.push("line\n"));
  EXPECT_EQ(box.blocks_held(), (5000 * 5 + kBlock - 1) / kBlock);
  box.consume(box.bytes() - 5);
  EXPECT_FALSE(box.empty());
  EXPECT_EQ(box.blocks_held(), 1u);
  box.consume(5);
  EXPECT_TRUE(box.empty());
  EXPECT_EQ(box.blocks_held(), 0u);
  EXPECT_EQ(box.storage_held(), 0u);
  EXPECT_EQ(pool.blocks_taken(), 0u);
  const std::size_t chunks = pool.chunks_mapped();
  EXPECT_GE(chunks, 1u);
  Outbox other(1 << 20, pool);
  ASSERT_TRUE(other.push(std::string(kBlock, 'r')));
  EXPECT_EQ(pool.chunks_mapped(), chunks) << "a kept chunk served it";
  other.consume(kBlock);
  EXPECT_EQ(pool.trim(), chunks);
  EXPECT_EQ(pool.chunks_mapped(), 0u);
}

// A line to a quiet connection (a JOIN in a busy room) must not cost a
// full-size block: a burst to thousands of members would cost 16 KiB each.
TEST_F(OutboxTest, ASmallWriteTakesASmallBlockThatGrowsByFour) {
  Outbox box(1 << 20, pool);
  ASSERT_TRUE(box.push(":nick!u@h JOIN #room\r\n"));
  EXPECT_EQ(box.storage_held(), 256u);
  std::string all = ":nick!u@h JOIN #room\r\n";
  for (int i = 0; i < 20; ++i) {
    const std::string line = "line " + std::to_string(i) + "\n";
    all += line;
    ASSERT_TRUE(box.push(line));
  }
  box.consume(3);  // partly written while it grows: the rest moves along
  all.erase(0, 3);
  while (box.bytes() < 1200) {
    all += "more\n";
    ASSERT_TRUE(box.push("more\n"));
  }
  EXPECT_EQ(box.blocks_held(), 1u);
  EXPECT_EQ(box.storage_held(), 4096u);  // 256, then 1024, then 4096
  EXPECT_EQ(queued(box), all);
  EXPECT_EQ(pool.blocks_taken(), 1u);  // the 256 and 1024 B ones went back
}

// A connection that was busy last time starts where it left off, not small.
TEST_F(OutboxTest, TheFirstBlockIsSizedByTheLastBurst) {
  Outbox box(1 << 20, pool);
  ASSERT_TRUE(box.push(std::string(3000, 'x')));
  EXPECT_EQ(box.storage_held(), 4096u);
  box.consume(3000);
  ASSERT_TRUE(box.push("one line\n"));
  EXPECT_EQ(box.storage_held(), 4096u);  // the last burst was 3000 bytes
  box.consume(9);
  ASSERT_TRUE(box.push("one line\n"));
  EXPECT_EQ(box.storage_held(), 256u);  // and this time only 9
}

TEST_F(OutboxTest, WrittenBytesFreeRoomUnderTheLimit) {
  Outbox box(6, pool);
  ASSERT_TRUE(box.push("abcdef"));
  EXPECT_FALSE(box.push("g"));
  box.consume(3);
  EXPECT_TRUE(box.push("ghi"));
  EXPECT_FALSE(box.push("j"));
  EXPECT_EQ(box.bytes(), 6u);
  EXPECT_EQ(queued(box), "defghi");
}

TEST_F(OutboxTest, DropUnstartedKeepsTheRestOfAPartlyWrittenLine) {
  Outbox box(100, pool);
  ASSERT_TRUE(box.push("hello\n"));
  ASSERT_TRUE(box.push("world\n"));
  ASSERT_TRUE(box.push("more\n"));
  box.consume(2);
  box.drop_unstarted();
  EXPECT_EQ(queued(box), "llo\n");
  EXPECT_EQ(box.bytes(), 4u);
  // The farewell follows on a line of its own.
  box.push_past_limit("Disconnected: you were not reading fast enough.\n");
  EXPECT_EQ(queued(box), "llo\nDisconnected: you were not reading fast enough.\n");
  EXPECT_EQ(box.bytes(), 4u + 48u);
  box.consume(4 + 48);
  EXPECT_TRUE(box.empty());
}

TEST_F(OutboxTest, DropUnstartedWithNothingStartedDropsAll) {
  Outbox box(100, pool);
  ASSERT_TRUE(box.push("a\n"));
  ASSERT_TRUE(box.push("b\n"));
  box.drop_unstarted();
  EXPECT_TRUE(box.empty());
  EXPECT_EQ(box.blocks_held(), 0u);
  EXPECT_EQ(pieces(box), Pieces{});
}

TEST_F(OutboxTest, DropUnstartedAtALineEndDropsAll) {
  Outbox box(100, pool);
  ASSERT_TRUE(box.push("a\nb\nc\n"));
  box.consume(2);  // "a\n" written whole; "b\n" not started
  box.drop_unstarted();
  EXPECT_TRUE(box.empty());
  EXPECT_EQ(box.bytes(), 0u);
}

TEST_F(OutboxTest, DropUnstartedKeepsALineThatSpansBlocks) {
  Outbox box(4 * kBlock, pool);
  const std::string head(kBlock - 4, 'h');
  ASSERT_TRUE(box.push(head + "\n"));
  ASSERT_TRUE(box.push("spanning\n"));  // starts 3 bytes before the block's end
  ASSERT_TRUE(box.push("unstarted\n"));
  box.consume(head.size() + 1 + 2);  // "sp" written
  box.drop_unstarted();
  EXPECT_EQ(queued(box), "anning\n");
  EXPECT_EQ(box.bytes(), 7u);
  ASSERT_TRUE(box.push("x\n"));
  EXPECT_EQ(queued(box), "anning\nx\n");
}

TEST_F(OutboxTest, DropUnstartedAtABlockBoundaryInsideALine) {
  Outbox box(4 * kBlock, pool);
  const std::string line = std::string(kBlock + 3, 'l') + "\n";
  ASSERT_TRUE(box.push(line));
  ASSERT_TRUE(box.push("next\n"));
  box.consume(kBlock);  // the first block written whole, the line not finished
  box.drop_unstarted();
  EXPECT_EQ(queued(box), "lll\n");
}

TEST_F(OutboxTest, PushPastLimitIgnoresTheLimit) {
  Outbox box(5, pool);
  ASSERT_TRUE(box.push("12345"));
  ASSERT_FALSE(box.push("6"));
  box.push_past_limit("bye\n");
  EXPECT_EQ(box.bytes(), 9u);
  EXPECT_EQ(queued(box), "12345bye\n");
  EXPECT_FALSE(box.push("x"));  // still over: nothing more goes in
  EXPECT_EQ(queued(box), "12345bye\n");
}

TEST_F(OutboxTest, ClearDropsEverything) {
  Outbox box(100, pool);
  ASSERT_TRUE(box.push("abc"));
  box.consume(1);
  box.clear();
  EXPECT_TRUE(box.empty());
  EXPECT_EQ(box.bytes(), 0u);
  EXPECT_EQ(box.blocks_held(), 0u);
  EXPECT_EQ(pieces(box), Pieces{});
  ASSERT_TRUE(box.push("d"));
  EXPECT_EQ(queued(box), "d");  // no stale offset
}

TEST_F(OutboxTest, ManySmallPushesStayInOrderWhileConsumedOneByOne) {
  Outbox box(3 * kBlock, pool);
  std::string all;
  for (std::size_t i = 0; i < kBlock + 300; ++i) {
    const std::string s(1, static_cast<char>('A' + i % 26));
    all += s;
    ASSERT_TRUE(box.push(s));
  }
  std::string written;
  for (std::size_t i = 0; i < kBlock + 250; ++i) {
    iovec iov[1];
    ASSERT_EQ(box.gather(iov, 1), 1);
    written.append(static_cast<const char*>(iov[0].iov_base), 1);
    box.consume(1);
    // Keep adding while draining.
    if (i % 5 == 0) {
      const std::string s(1, static_cast<char>('a' + i % 26));
      all += s;
      ASSERT_TRUE(box.push(s));
    }
  }
  EXPECT_EQ(box.bytes(), all.size() - written.size());
  const std::string rest = queued(box);
  EXPECT_EQ(written + rest, all);
  box.consume(rest.size());
  EXPECT_TRUE(box.empty());
  EXPECT_EQ(box.blocks_held(), 0u);
}

// The counters are 32 and 16 bits (issue 14's per-connection budget): a
// limit past what they hold is clamped, and a full block's worth of head and
// tail offsets (kBlock, the most a 16-bit offset must hold) still counts right.
TEST_F(OutboxTest, CountersHoldALimitAndAFullBlockAtTheirEdges) {
  Outbox huge(std::size_t{8} << 30, pool);  // 8 GiB: more than 32 bits
  EXPECT_TRUE(huge.push(std::string(kBlock, 'a')));
  EXPECT_EQ(huge.bytes(), kBlock);

  Outbox box(2 * kBlock, pool);
  const std::string full(kBlock, 'x');
  ASSERT_TRUE(box.push(full));  // grows the first block to a whole one
  ASSERT_TRUE(box.push(full));  // exactly at the limit
  EXPECT_FALSE(box.push("y"));  // one byte past it
  EXPECT_EQ(box.bytes(), 2 * kBlock);
  box.consume(kBlock - 1);  // the head stops on a block's last byte
  EXPECT_EQ(box.bytes(), kBlock + 1);
  EXPECT_EQ(queued(box), std::string(1, 'x') + full);
  box.consume(1);
  EXPECT_EQ(queued(box), full);
  box.consume(kBlock);
  EXPECT_TRUE(box.empty());
  EXPECT_EQ(box.blocks_held(), 0u);
}

// Blocks dropped unwritten go back to the pool: dropped lines, a cleared
// outbox, and one destroyed with bytes still queued (a connection closed
// before its peer read them).
TEST_F(OutboxTest, DroppedBlocksGoBackToThePool) {
  {
    Outbox box(8 * kBlock, pool);
    ASSERT_TRUE(box.push("partly written line\n" + std::string(3 * kBlock, 'x')));
    box.consume(3);
    box.drop_unstarted();
    EXPECT_EQ(box.blocks_held(), 1u);
    EXPECT_EQ(pool.blocks_taken(), 1u);
    box.clear();
    EXPECT_EQ(pool.blocks_taken(), 0u);
    ASSERT_TRUE(box.push(std::string(2 * kBlock, 'y')));
    EXPECT_EQ(pool.blocks_taken(), 2u);
  }
  EXPECT_EQ(pool.blocks_taken(), 0u);
  EXPECT_GE(pool.trim(), 1u);
  EXPECT_EQ(pool.chunks_mapped(), 0u);
}

}  // namespace
}  // namespace parley::net
