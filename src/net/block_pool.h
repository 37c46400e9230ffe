#pragma once
// Byte blocks for connections' outboxes, 256 B to 8 KiB (powers of two),
// carved from 128 KiB chunks mapped for them alone: one list of chunks per
// size, per loop. A busy loop reuses its chunks' blocks pass after pass
// without asking malloc, and a chunk no block is taken from is unmapped by
// trim() (the loop's sweep), so a burst's storage goes back to the kernel.
//
// Why not malloc: while thousands of connections join rooms, each holds a
// small block for the JOIN lines it waits to write (LoopState's unhurried
// delay), and malloc put those between the connections' lasting objects.
// Once written they left holes the heap could not give back: ~260 B of RSS
// per idle connection at 10,000 (docs/performance.md, "Memory per idle
// connection").
//
// Blocks are taken and given back on the pool's loop. A block may be given
// back after the pool is gone (a connection that outlives its loop's state
// at shutdown): each chunk knows its lists, which last until the last chunk
// is given back whole.
#include <cstddef>

namespace parley::net {

class BlockPool {
 public:
  static constexpr std::size_t kBlockBytes = 8 * 1024;  // a full block, the largest
  static constexpr std::size_t kSmallestBlock = 256;
  static constexpr std::size_t kChunkBytes = 128 * 1024;

  BlockPool();
  ~BlockPool();
  BlockPool(const BlockPool&) = delete;
  BlockPool& operator=(const BlockPool&) = delete;

  // A block of `size` bytes, a power of two from kSmallestBlock to kBlockBytes.
  char* take(std::size_t size);
  // Gives back a block that take() returned, on this pool or on any other.
  static void give(char* block);
  // Unmaps the chunks that no taken block is in; returns how many.
  std::size_t trim();
  std::size_t chunks_mapped() const;
  std::size_t blocks_taken() const;

 private:
  struct Lists;
  Lists* lists_;  // outlives the pool while blocks are out (see above)
};

}  // namespace parley::net
