#include "net/block_pool.h"

#include <sys/mman.h>

#include <bit>
#include <cassert>
#include <cstdint>
#include <cstring>
#include <new>

#if defined(__SANITIZE_ADDRESS__)
#define PARLEY_BLOCKS_ASAN 1
#elif defined(__has_feature)
#if __has_feature(address_sanitizer)
#define PARLEY_BLOCKS_ASAN 1
#endif
#endif
#ifdef PARLEY_BLOCKS_ASAN
#include <sanitizer/asan_interface.h>
#endif

namespace parley::net {

namespace {

constexpr std::size_t kSizes = std::countr_zero(BlockPool::kBlockBytes) - std::countr_zero(BlockPool::kSmallestBlock) + 1;
constexpr std::size_t kHeaderBytes = 64;  // a chunk's bookkeeping, before its blocks

std::size_t size_index(std::size_t size) {
  assert(std::has_single_bit(size) && size >= BlockPool::kSmallestBlock && size <= BlockPool::kBlockBytes);
  return static_cast<std::size_t>(std::countr_zero(size) - std::countr_zero(BlockPool::kSmallestBlock));
}

// Blocks not taken are off limits to the sanitizer's checked builds, as
// malloc's freed memory is: an outbox that wrote past its block, or used one
// it gave back, is caught.
void off_limits([[maybe_unused]] char* block, [[maybe_unused]] std::size_t size) {
#ifdef PARLEY_BLOCKS_ASAN
  ASAN_POISON_MEMORY_REGION(block, size);
#endif
}
void in_use([[maybe_unused]] char* block, [[maybe_unused]] std::size_t size) {
#ifdef PARLEY_BLOCKS_ASAN
  ASAN_UNPOISON_MEMORY_REGION(block, size);
#endif
}

}  // namespace

struct BlockPool::Lists {
  // At the start of its own kChunkBytes-aligned mapping, so a block finds it.
  struct Chunk {
    Lists* lists;
    std::uint32_t size;
    std::uint32_t capacity;    // blocks it holds
    std::uint32_t carved = 0;  // blocks handed out at least once: the pages past them were never touched
    std::uint32_t taken = 0;
    char* given_back = nullptr;  // blocks given back; each holds the next one's address
    Chunk** list = nullptr;      // the list it is in: with_room or empty (null when full)
    Chunk* prev = nullptr;
    Chunk* next = nullptr;

    char* carve() { return reinterpret_cast<char*>(this) + kHeaderBytes + std::size_t{carved++} * size; }
    bool full() const { return given_back == nullptr && carved == capacity; }
  };
  static_assert(sizeof(Chunk) <= kHeaderBytes);

  Chunk* with_room[kSizes] = {};  // some blocks taken, some not
  Chunk* empty[kSizes] = {};      // no block taken: trim() unmaps these
  std::size_t chunks = 0;
  std::size_t taken = 0;
  bool abandoned = false;  // the pool is gone: the last chunk given back whole deletes these lists

  static Chunk* chunk_of(char* block) {
    return reinterpret_cast<Chunk*>(reinterpret_cast<std::uintptr_t>(block) & ~(kChunkBytes - 1));
  }

  static void put(Chunk* c, Chunk** list) {
    c->list = list;
    c->prev = nullptr;
    c->next = *list;
    if (*list) (*list)->prev = c;
    *list = c;
  }
  static void take_out(Chunk* c) {
    if (c->prev) c->prev->next = c->next;
    else *c->list = c->next;
    if (c->next) c->next->prev = c->prev;
    c->list = nullptr;
    c->prev = c->next = nullptr;
  }

  Chunk* map_chunk(std::size_t index) {
    // Twice the size, then the unaligned ends unmapped: the chunk starts on a
    // multiple of its size, so chunk_of() is a mask.
    void* raw = ::mmap(nullptr, 2 * kChunkBytes, PROT_READ | PROT_WRITE, MAP_PRIVATE | MAP_ANONYMOUS, -1, 0);
    if (raw == MAP_FAILED) throw std::bad_alloc();
    const auto start = reinterpret_cast<std::uintptr_t>(raw);
    const std::uintptr_t aligned = (start + kChunkBytes - 1) & ~(kChunkBytes - 1);
    if (aligned > start) ::munmap(raw, aligned - start);
    if (const std::uintptr_t end = aligned + kChunkBytes; start + 2 * kChunkBytes > end)
      ::munmap(reinterpret_cast<void*>(end), start + 2 * kChunkBytes - end);
    const auto size = static_cast<std::uint32_t>(kSmallestBlock << index);
    auto* c = ::new (reinterpret_cast<void*>(aligned))
        Chunk{this, size, static_cast<std::uint32_t>((kChunkBytes - kHeaderBytes) / size)};
    off_limits(reinterpret_cast<char*>(aligned) + kHeaderBytes, kChunkBytes - kHeaderBytes);
    ++chunks;
    return c;
  }

  void unmap(Chunk* c) {
    in_use(reinterpret_cast<char*>(c) + kHeaderBytes, kChunkBytes - kHeaderBytes);  // the kernel may reuse it
    ::munmap(c, kChunkBytes);
    --chunks;
  }

  std::size_t unmap_empty() {
    std::size_t unmapped = 0;
    for (Chunk*& list : empty) {
      while (Chunk* c = list) {
        take_out(c);
        unmap(c);
        ++unmapped;
      }
    }
    return unmapped;
  }
};

BlockPool::BlockPool() : lists_(new Lists) {}

BlockPool::~BlockPool() {
  lists_->unmap_empty();
  if (lists_->chunks == 0) delete lists_;
  else lists_->abandoned = true;
}

char* BlockPool::take(std::size_t size) {
  Lists& l = *lists_;
  const std::size_t index = size_index(size);
  Lists::Chunk* c = l.with_room[index];
  if (!c) {
    // An empty chunk before a new one; a partly taken one before either, so
    // that blocks gather in few chunks and the rest can be unmapped.
    c = l.empty[index];
    if (c) Lists::take_out(c);
    else c = l.map_chunk(index);
    Lists::put(c, &l.with_room[index]);
  }
  char* block = c->given_back;
  if (block) {
    in_use(block, size);
    std::memcpy(&c->given_back, block, sizeof(char*));
  } else {
    block = c->carve();
    in_use(block, size);
  }
  ++c->taken;
  ++l.taken;
  if (c->full()) Lists::take_out(c);
  return block;
}

void BlockPool::give(char* block) {
  Lists::Chunk* c = Lists::chunk_of(block);
  Lists& l = *c->lists;
  const std::size_t index = size_index(c->size);
  std::memcpy(block, &c->given_back, sizeof(char*));
  c->given_back = block;
  off_limits(block, c->size);
  --c->taken;
  --l.taken;
  if (c->taken == 0) {
    if (c->list) Lists::take_out(c);
    if (!l.abandoned) return Lists::put(c, &l.empty[index]);
    l.unmap(c);
    if (l.chunks == 0) delete &l;
  } else if (!c->list) {
    Lists::put(c, &l.with_room[index]);  // it was full
  }
}

std::size_t BlockPool::trim() { return lists_->unmap_empty(); }

std::size_t BlockPool::chunks_mapped() const { return lists_->chunks; }

std::size_t BlockPool::blocks_taken() const { return lists_->taken; }

}  // namespace parley::net
