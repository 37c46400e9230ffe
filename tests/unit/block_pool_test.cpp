// net/BlockPool: outbox blocks carved from chunks mapped for them alone, so
// that storage a burst used goes back to the kernel once no block in a chunk
// is taken (the idle-memory figure of issue 14).
#include "net/block_pool.h"

#include <gtest/gtest.h>

#include <cstring>
#include <memory>
#include <set>
#include <vector>

namespace parley::net {
namespace {

constexpr std::size_t kChunk = BlockPool::kChunkBytes;

std::size_t per_chunk(std::size_t size) { return (kChunk - 64) / size; }

TEST(BlockPool, EverySizeFromTheSmallestToAFullBlockIsCarvedWithoutOverlap) {
  BlockPool pool;
  for (std::size_t size = BlockPool::kSmallestBlock; size <= BlockPool::kBlockBytes; size *= 2) {
    SCOPED_TRACE(size);
    std::vector<char*> blocks;
    for (std::size_t i = 0; i < per_chunk(size); ++i) {
      blocks.push_back(pool.take(size));
      std::memset(blocks.back(), static_cast<int>(i & 0xff), size);
    }
    const std::size_t chunks = pool.chunks_mapped();
    for (std::size_t i = 0; i < blocks.size(); ++i) {
      ASSERT_EQ(static_cast<unsigned char>(blocks[i][0]), i & 0xff);
      ASSERT_EQ(static_cast<unsigned char>(blocks[i][size - 1]), i & 0xff) << "another block overwrote it";
    }
    EXPECT_EQ(std::set<char*>(blocks.begin(), blocks.end()).size(), blocks.size());
    char* next = pool.take(size);  // the chunk is full: another is mapped
    EXPECT_EQ(pool.chunks_mapped(), chunks + 1);
    BlockPool::give(next);
    for (char* b : blocks) BlockPool::give(b);
  }
  EXPECT_EQ(pool.blocks_taken(), 0u);
  EXPECT_EQ(pool.chunks_mapped(), 12u) << "two chunks of each of the six sizes, kept until a trim";
  EXPECT_EQ(pool.trim(), 12u);
  EXPECT_EQ(pool.chunks_mapped(), 0u);
}

TEST(BlockPool, ABlockGivenBackIsTakenAgainBeforeAnotherChunk) {
  BlockPool pool;
  char* a = pool.take(1024);
  BlockPool::give(a);
  EXPECT_EQ(pool.take(1024), a);
  EXPECT_EQ(pool.chunks_mapped(), 1u);
  BlockPool::give(a);
}

// trim() unmaps only chunks no taken block is in, and a partly taken chunk
// is filled before an empty one is used again, so blocks gather in few chunks.
TEST(BlockPool, TrimUnmapsOnlyEmptyChunksAndPartlyTakenOnesFillFirst) {
  BlockPool pool;
  const std::size_t n = per_chunk(BlockPool::kBlockBytes);
  std::vector<char*> first, second;
  for (std::size_t i = 0; i < n; ++i) first.push_back(pool.take(BlockPool::kBlockBytes));
  for (std::size_t i = 0; i < n; ++i) second.push_back(pool.take(BlockPool::kBlockBytes));
  ASSERT_EQ(pool.chunks_mapped(), 2u);
  for (char* b : second) BlockPool::give(b);  // the second chunk is empty
  BlockPool::give(first[0]);                  // the first has room for one
  char* again = pool.take(BlockPool::kBlockBytes);
  EXPECT_EQ(again, first[0]) << "the partly taken chunk first";
  EXPECT_EQ(pool.trim(), 1u);
  EXPECT_EQ(pool.chunks_mapped(), 1u);
  EXPECT_EQ(pool.trim(), 0u) << "the first chunk still has blocks taken";
  std::memset(again, 'z', BlockPool::kBlockBytes);  // still mapped
  for (char* b : first) BlockPool::give(b);
  EXPECT_EQ(pool.trim(), 1u);
  EXPECT_EQ(pool.chunks_mapped(), 0u);
}

// A connection may outlive its loop's state at shutdown: its blocks go back
// to chunks whose pool is gone, and the last one unmaps them (the sanitizer
// builds check that nothing leaks and nothing freed is touched).
TEST(BlockPool, BlocksMayBeGivenBackAfterThePoolIsGone) {
  auto pool = std::make_unique<BlockPool>();
  char* small = pool->take(256);
  char* full = pool->take(BlockPool::kBlockBytes);
  BlockPool::give(pool->take(512));  // an empty chunk: unmapped with the pool
  pool.reset();
  std::memset(small, 's', 256);
  std::memset(full, 'f', BlockPool::kBlockBytes);
  BlockPool::give(small);
  BlockPool::give(full);
}

}  // namespace
}  // namespace parley::net
