// The memory figures idle runs report: read from /proc for a live process.
#include "proc_stats.h"

#include <gtest/gtest.h>
#include <unistd.h>

#include <cstring>
#include <memory>

namespace parley::bench {
namespace {

TEST(ProcessMemory, AnonymousIsPartOfTheTotalAndGrowsWithTouchedHeap) {
  const auto before = process_memory(::getpid());
  ASSERT_TRUE(before);
  EXPECT_GT(before->anonymous, 0);
  EXPECT_LE(before->anonymous, before->total);

  constexpr std::size_t kBytes = 64 << 20;
  auto block = std::make_unique<char[]>(kBytes);  // zeroed: every page touched
  std::memset(block.get(), 1, kBytes);
  const auto after = process_memory(::getpid());
  ASSERT_TRUE(after);
  EXPECT_GE(after->anonymous - before->anonymous, static_cast<std::int64_t>(kBytes / 2));
  EXPECT_GE(after->total - before->total, static_cast<std::int64_t>(kBytes / 2));
  EXPECT_EQ(block[kBytes - 1], 1);
}

TEST(ProcessMemory, SumsOverProcessesAndFailsForOneThatIsGone) {
  const auto one = process_memory(::getpid());
  const auto two = servers_memory({::getpid(), ::getpid()});
  ASSERT_TRUE(one && two);
  EXPECT_GE(two->total, one->total);  // ~2x: the process may grow between the reads
  EXPECT_FALSE(servers_memory({::getpid(), 0x7ffffff0}));
}

}  // namespace
}  // namespace parley::bench
