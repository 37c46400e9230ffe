#pragma once
// A connection's queue of bytes to send, bounded in bytes. Chunks are shared,
// immutable renderings (one per wire form, shared by every recipient); the
// outbox only holds references and an offset into the first.
#include <sys/uio.h>

#include <cstddef>
#include <vector>

#include "core/member.h"

namespace parley::net {

class Outbox {
 public:
  explicit Outbox(std::size_t limit_bytes) : limit_(limit_bytes) {}

  // Returns false, and queues nothing, if the bytes would pass the limit.
  bool push(core::SharedBytes bytes);
  // For the one farewell line after drop_unstarted(): it is the last thing sent.
  void push_past_limit(core::SharedBytes bytes);
  bool empty() const { return head_ == chunks_.size(); }
  std::size_t bytes() const { return bytes_; }
  // Queue slots allocated, used or not: 0 once everything is written.
  std::size_t slots_held() const { return chunks_.capacity(); }
  // Fills up to `max` iovecs with the queued bytes, in order; returns how many.
  int gather(iovec* iov, int max) const;
  // Drops `n` bytes that were written from the front.
  void consume(std::size_t n);
  // Drops everything except the rest of a chunk already partly written, so a
  // farewell line that follows starts on a line of its own.
  void drop_unstarted();
  void clear();

 private:
  std::size_t limit_;
  std::size_t bytes_ = 0;
  std::size_t offset_ = 0;  // into chunks_[head_]
  // A vector with a moving head rather than a deque: an empty vector holds no
  // memory, and idle connections are most connections.
  std::vector<core::SharedBytes> chunks_;
  std::size_t head_ = 0;
};

}  // namespace parley::net
