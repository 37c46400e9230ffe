#pragma once
// A connection's queue of bytes to send, bounded in bytes. Bytes are copied
// into blocks: one write gathers a few blocks rather than one buffer per
// line, and queueing a line costs a copy, not a shared reference. An outbox
// with nothing queued holds no block (idle connections are most connections).
// The first block is sized by what the outbox held last time (a JOIN line to
// an idle member takes 256 bytes, not 8 KiB: a burst to thousands of
// connections would otherwise cost 8 KiB each) and grows by four; further
// blocks are full-size ones. All come from the loop's BlockPool.
#include <sys/uio.h>

#include <algorithm>
#include <cstddef>
#include <cstdint>
#include <string_view>
#include <vector>

#include "net/block_pool.h"

namespace parley::net {

class Outbox {
 public:
  // Blocks are taken from `pool` while it lasts; they may be given back after it.
  Outbox(std::size_t limit_bytes, BlockPool& pool)
      : pool_(&pool), limit_(static_cast<std::uint32_t>(std::min<std::size_t>(limit_bytes, kMaxLimit))) {}
  ~Outbox() { clear(); }
  Outbox(const Outbox&) = delete;
  Outbox& operator=(const Outbox&) = delete;
  // The most a limit can be (an outbox counts in 32 bits).
  static constexpr std::size_t kMaxLimit = UINT32_MAX / 2;

  // Returns false, and queues nothing, if the bytes would pass the limit.
  bool push(std::string_view bytes);
  // For the one farewell line after drop_unstarted(): it is the last thing sent.
  void push_past_limit(std::string_view bytes);
  bool empty() const { return bytes_ == 0; }
  std::size_t bytes() const { return bytes_; }
  // Blocks held: 0 once everything is written.
  std::size_t blocks_held() const { return blocks_.size(); }
  // Bytes of storage held (the blocks' sizes).
  std::size_t storage_held() const;
  // Fills up to `max` iovecs with the queued bytes, in order; returns how many.
  int gather(iovec* iov, int max) const;
  // Drops `n` bytes that were written from the front.
  void consume(std::size_t n);
  // Drops everything but the rest of a line already partly written (lines end
  // in '\n'), so a farewell line that follows starts on a line of its own.
  void drop_unstarted();
  void clear();

 private:
  struct Block {
    char* bytes = nullptr;  // the pool's, given back by release()
    std::size_t size = 0;
  };
  void append(std::string_view bytes);
  Block new_block(std::size_t wanted);
  void grow_first(std::size_t wanted);  // the one, small, block gets bigger
  static void release(const Block& block) { BlockPool::give(block.bytes); }
  std::size_t used_in(std::size_t block) const;  // bytes filled in blocks_[block]

  // Counters in 32 and 16 bits: every connection has an outbox (issue 14's
  // per-connection budget). An outbox holds at most its limit plus one
  // farewell line; a block is at most BlockPool::kBlockBytes.
  static_assert(BlockPool::kBlockBytes <= UINT16_MAX);
  BlockPool* pool_;
  std::vector<Block> blocks_;
  std::uint32_t limit_;
  std::uint32_t bytes_ = 0;
  std::uint32_t peak_ = 0;       // the most bytes queued since the outbox was last empty
  std::uint32_t last_peak_ = 0;  // peak_ when it last emptied: the next first block's size
  std::uint16_t head_ = 0;       // bytes of blocks_.front() already written
  std::uint16_t tail_used_ = 0;  // bytes filled in blocks_.back()
  bool mid_line_ = false;        // the bytes written so far end inside a line
};

}  // namespace parley::net
