// net/Outbox: a byte-bounded queue of shared chunks, written with gather writes.
#include "net/outbox.h"

#include <gtest/gtest.h>

#include <array>
#include <memory>
#include <string>
#include <vector>

namespace parley::net {
namespace {

core::SharedBytes bytes(std::string s) { return std::make_shared<const std::string>(std::move(s)); }

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

using Pieces = std::vector<std::string>;

TEST(Outbox, StartsEmpty) {
  Outbox box(100);
  EXPECT_TRUE(box.empty());
  EXPECT_EQ(box.bytes(), 0u);
  EXPECT_EQ(pieces(box), Pieces{});
}

TEST(Outbox, PushUpToTheLimitExactly) {
  Outbox box(10);
  EXPECT_TRUE(box.push(bytes("hello")));
  EXPECT_TRUE(box.push(bytes("world")));
  EXPECT_EQ(box.bytes(), 10u);
  EXPECT_FALSE(box.empty());
  EXPECT_EQ(pieces(box), (Pieces{"hello", "world"}));
}

TEST(Outbox, PushPastTheLimitIsRefusedAndQueuesNothing) {
  Outbox box(10);
  ASSERT_TRUE(box.push(bytes("hello")));
  ASSERT_TRUE(box.push(bytes("worl")));
  EXPECT_FALSE(box.push(bytes("!!")));  // 11 > 10
  EXPECT_EQ(box.bytes(), 9u);
  EXPECT_EQ(pieces(box), (Pieces{"hello", "worl"}));
  EXPECT_TRUE(box.push(bytes("!")));  // 10: fits
  EXPECT_FALSE(box.push(bytes("?")));
  EXPECT_EQ(box.bytes(), 10u);
  EXPECT_EQ(pieces(box), (Pieces{"hello", "worl", "!"}));
}

TEST(Outbox, ASingleChunkLargerThanTheLimitIsRefused) {
  Outbox box(10);
  EXPECT_FALSE(box.push(bytes(std::string(11, 'x'))));
  EXPECT_TRUE(box.empty());
  EXPECT_EQ(box.bytes(), 0u);
  EXPECT_EQ(pieces(box), Pieces{});
  EXPECT_TRUE(box.push(bytes(std::string(10, 'x'))));
}

TEST(Outbox, EmptyChunksAreAcceptedButNotQueued) {
  Outbox box(0);
  EXPECT_TRUE(box.push(bytes("")));
  EXPECT_TRUE(box.empty());
  EXPECT_EQ(pieces(box), Pieces{});
  EXPECT_FALSE(box.push(bytes("x")));
}

TEST(Outbox, GatherSharesTheChunksWithoutCopying) {
  Outbox box(100);
  auto shared = bytes("line\n");
  ASSERT_TRUE(box.push(shared));
  ASSERT_TRUE(box.push(shared));  // the same rendering, queued twice
  std::array<iovec, 4> iov{};
  ASSERT_EQ(box.gather(iov.data(), 4), 2);
  EXPECT_EQ(iov[0].iov_base, static_cast<const void*>(shared->data()));
  EXPECT_EQ(iov[1].iov_base, static_cast<const void*>(shared->data()));
  EXPECT_EQ(box.bytes(), 10u);
}

TEST(Outbox, GatherFillsAtMostMax) {
  Outbox box(100);
  for (const char* s : {"a", "b", "c", "d"}) ASSERT_TRUE(box.push(bytes(s)));
  EXPECT_EQ(pieces(box, 2), (Pieces{"a", "b"}));
  EXPECT_EQ(pieces(box, 0), Pieces{});
  EXPECT_EQ(pieces(box, 9), (Pieces{"a", "b", "c", "d"}));
}

TEST(Outbox, ConsumePartialWritesAcrossChunkBoundaries) {
  Outbox box(100);
  ASSERT_TRUE(box.push(bytes("abc")));
  ASSERT_TRUE(box.push(bytes("defg")));
  ASSERT_TRUE(box.push(bytes("hi")));
  EXPECT_EQ(box.bytes(), 9u);

  box.consume(2);  // inside the first chunk
  EXPECT_EQ(pieces(box), (Pieces{"c", "defg", "hi"}));
  EXPECT_EQ(box.bytes(), 7u);

  box.consume(1);  // exactly to the boundary
  EXPECT_EQ(pieces(box), (Pieces{"defg", "hi"}));
  EXPECT_EQ(box.bytes(), 6u);

  box.consume(5);  // across a boundary, into the last chunk
  EXPECT_EQ(pieces(box), (Pieces{"i"}));
  EXPECT_EQ(box.bytes(), 1u);
  EXPECT_FALSE(box.empty());

  box.consume(1);
  EXPECT_TRUE(box.empty());
  EXPECT_EQ(box.bytes(), 0u);
  EXPECT_EQ(pieces(box), Pieces{});
}

TEST(Outbox, ConsumeEverythingAtOnceThenReuse) {
  Outbox box(8);
  ASSERT_TRUE(box.push(bytes("1234")));
  ASSERT_TRUE(box.push(bytes("5678")));
  box.consume(8);
  EXPECT_TRUE(box.empty());
  EXPECT_TRUE(box.push(bytes("abcdefgh")));
  EXPECT_EQ(pieces(box), (Pieces{"abcdefgh"}));
}

// An idle connection holds no queue memory, however big its last burst was.
TEST(Outbox, AWrittenBurstLeavesNoStorageBehind) {
  Outbox box(1 << 20);
  for (int i = 0; i < 100; ++i) ASSERT_TRUE(box.push(bytes("line\n")));
  EXPECT_GE(box.slots_held(), 100u);
  box.consume(box.bytes() - 5);
  EXPECT_FALSE(box.empty());
  box.consume(5);
  EXPECT_TRUE(box.empty());
  EXPECT_EQ(box.slots_held(), 0u);
}

TEST(Outbox, WrittenBytesFreeRoomUnderTheLimit) {
  Outbox box(6);
  ASSERT_TRUE(box.push(bytes("abcdef")));
  EXPECT_FALSE(box.push(bytes("g")));
  box.consume(3);
  EXPECT_TRUE(box.push(bytes("ghi")));
  EXPECT_FALSE(box.push(bytes("j")));
  EXPECT_EQ(box.bytes(), 6u);
  EXPECT_EQ(pieces(box), (Pieces{"def", "ghi"}));
}

TEST(Outbox, DropUnstartedKeepsAPartlyWrittenChunk) {
  Outbox box(100);
  ASSERT_TRUE(box.push(bytes("hello\n")));
  ASSERT_TRUE(box.push(bytes("world\n")));
  ASSERT_TRUE(box.push(bytes("more\n")));
  box.consume(2);
  box.drop_unstarted();
  EXPECT_EQ(pieces(box), (Pieces{"llo\n"}));
  EXPECT_EQ(box.bytes(), 4u);
  // The farewell follows on a line of its own.
  box.push_past_limit(bytes("Disconnected: you were not reading fast enough.\n"));
  EXPECT_EQ(pieces(box), (Pieces{"llo\n", "Disconnected: you were not reading fast enough.\n"}));
  EXPECT_EQ(box.bytes(), 4u + 48u);
  box.consume(4 + 48);
  EXPECT_TRUE(box.empty());
}

TEST(Outbox, DropUnstartedWithNothingStartedDropsAll) {
  Outbox box(100);
  ASSERT_TRUE(box.push(bytes("a\n")));
  ASSERT_TRUE(box.push(bytes("b\n")));
  box.drop_unstarted();
  EXPECT_TRUE(box.empty());
  EXPECT_EQ(box.bytes(), 0u);
  EXPECT_EQ(pieces(box), Pieces{});
}

TEST(Outbox, DropUnstartedAtAChunkBoundaryDropsAll) {
  Outbox box(100);
  ASSERT_TRUE(box.push(bytes("a\n")));
  ASSERT_TRUE(box.push(bytes("b\n")));
  ASSERT_TRUE(box.push(bytes("c\n")));
  box.consume(2);  // "a\n" written whole; "b\n" not started
  box.drop_unstarted();
  EXPECT_TRUE(box.empty());
  EXPECT_EQ(box.bytes(), 0u);
}

TEST(Outbox, DropUnstartedAfterSeveralWrittenChunks) {
  Outbox box(100);
  for (const char* s : {"one\n", "two\n", "three\n", "four\n"}) ASSERT_TRUE(box.push(bytes(s)));
  box.consume(4 + 4 + 2);  // into "three\n"
  box.drop_unstarted();
  EXPECT_EQ(pieces(box), (Pieces{"ree\n"}));
  EXPECT_EQ(box.bytes(), 4u);
  ASSERT_TRUE(box.push(bytes("x\n")));
  EXPECT_EQ(pieces(box), (Pieces{"ree\n", "x\n"}));
  box.consume(6);
  EXPECT_TRUE(box.empty());
}

TEST(Outbox, PushPastLimitIgnoresTheLimit) {
  Outbox box(5);
  ASSERT_TRUE(box.push(bytes("12345")));
  ASSERT_FALSE(box.push(bytes("6")));
  box.push_past_limit(bytes("bye\n"));
  EXPECT_EQ(box.bytes(), 9u);
  EXPECT_EQ(pieces(box), (Pieces{"12345", "bye\n"}));
  EXPECT_FALSE(box.push(bytes("x")));  // still over: nothing more goes in
  EXPECT_EQ(pieces(box), (Pieces{"12345", "bye\n"}));
}

TEST(Outbox, ClearDropsEverything) {
  Outbox box(100);
  ASSERT_TRUE(box.push(bytes("abc")));
  box.consume(1);
  box.clear();
  EXPECT_TRUE(box.empty());
  EXPECT_EQ(box.bytes(), 0u);
  EXPECT_EQ(pieces(box), Pieces{});
  ASSERT_TRUE(box.push(bytes("d")));
  EXPECT_EQ(pieces(box), (Pieces{"d"}));  // no stale offset
}

TEST(Outbox, ManySmallChunksStayInOrderWhileConsumedOneByOne) {
  Outbox box(1000);
  std::string all;
  for (int i = 0; i < 300; ++i) {
    const std::string s(1, static_cast<char>('A' + i % 26));
    all += s;
    ASSERT_TRUE(box.push(bytes(s)));
  }
  std::string written;
  for (int i = 0; i < 250; ++i) {
    iovec iov[1];
    ASSERT_EQ(box.gather(iov, 1), 1);
    written.append(static_cast<const char*>(iov[0].iov_base), 1);
    box.consume(1);
    // Keep adding while draining.
    if (i % 5 == 0) {
      const std::string s(1, static_cast<char>('a' + i % 26));
      all += s;
      ASSERT_TRUE(box.push(bytes(s)));
    }
  }
  EXPECT_EQ(box.bytes(), all.size() - 250);
  std::string rest;
  for (const auto& p : pieces(box, 1000)) rest += p;
  EXPECT_EQ(written + rest, all);
  box.consume(rest.size());
  EXPECT_TRUE(box.empty());
  EXPECT_EQ(box.bytes(), 0u);
}

TEST(Outbox, PartlyWrittenChunkSurvivesCompaction) {
  Outbox box(1000);
  for (int i = 0; i < 100; ++i) ASSERT_TRUE(box.push(bytes("xy")));
  box.consume(2 * 70);  // 70 whole chunks: the written ones are let go
  box.consume(1);       // half of the next
  std::string expected = "y";
  for (int i = 0; i < 29; ++i) expected += "xy";
  std::string rest;
  for (const auto& p : pieces(box, 1000)) rest += p;
  EXPECT_EQ(rest, expected);
  EXPECT_EQ(box.bytes(), 59u);
  box.drop_unstarted();
  EXPECT_EQ(pieces(box), (Pieces{"y"}));
  EXPECT_EQ(box.bytes(), 1u);
}

}  // namespace
}  // namespace parley::net
