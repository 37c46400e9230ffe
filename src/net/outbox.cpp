#include "net/outbox.h"

#include <algorithm>
#include <bit>
#include <cstring>
#include <utility>

namespace parley::net {

namespace {
constexpr std::size_t kBlock = BlockPool::kBlockBytes;

std::size_t block_size_for(std::size_t wanted) {
  return std::clamp(std::bit_ceil(wanted), BlockPool::kSmallestBlock, kBlock);
}
}  // namespace

bool Outbox::push(std::string_view bytes) {
  if (bytes_ + bytes.size() > limit_) return false;
  // Once per delivery: most lines fit in the block being filled.
  if (!blocks_.empty() && blocks_.back().size - tail_used_ >= bytes.size()) {
    std::memcpy(blocks_.back().bytes + tail_used_, bytes.data(), bytes.size());
    tail_used_ += bytes.size();
    bytes_ += bytes.size();
    peak_ = std::max(peak_, bytes_);
    return true;
  }
  append(bytes);
  return true;
}

void Outbox::push_past_limit(std::string_view bytes) { append(bytes); }

Outbox::Block Outbox::new_block(std::size_t wanted) {
  const std::size_t size = block_size_for(wanted);
  return {pool_->take(size), size};
}

void Outbox::grow_first(std::size_t wanted) {
  Block& old = blocks_.front();
  Block bigger = new_block(std::max(wanted, old.size * 4));
  std::memcpy(bigger.bytes, old.bytes + head_, tail_used_ - head_);
  tail_used_ -= head_;
  head_ = 0;
  release(std::exchange(old, bigger));
}

void Outbox::append(std::string_view bytes) {
  bytes_ += bytes.size();
  peak_ = std::max(peak_, bytes_);
  while (!bytes.empty()) {
    if (blocks_.empty()) {
      blocks_.push_back(new_block(std::max<std::size_t>(bytes.size(), last_peak_)));
      tail_used_ = 0;
    } else if (tail_used_ == blocks_.back().size) {
      if (blocks_.back().size < kBlock) {
        grow_first(tail_used_ - head_ + bytes.size());  // only the first block is ever small
      } else {
        blocks_.push_back(new_block(kBlock));
        tail_used_ = 0;
      }
    }
    const std::size_t n = std::min(bytes.size(), blocks_.back().size - tail_used_);
    std::memcpy(blocks_.back().bytes + tail_used_, bytes.data(), n);
    tail_used_ += n;
    bytes.remove_prefix(n);
  }
}

std::size_t Outbox::used_in(std::size_t block) const {
  return block + 1 == blocks_.size() ? tail_used_ : blocks_[block].size;
}

std::size_t Outbox::storage_held() const {
  std::size_t total = 0;
  for (const Block& b : blocks_) total += b.size;
  return total;
}

int Outbox::gather(iovec* iov, int max) const {
  if (empty()) return 0;
  int n = 0;
  for (std::size_t i = 0; i < blocks_.size() && n < max; ++i, ++n) {
    const std::size_t skip = i == 0 ? head_ : 0;
    iov[n].iov_base = blocks_[i].bytes + skip;
    iov[n].iov_len = used_in(i) - skip;
  }
  return n;
}

void Outbox::consume(std::size_t n) {
  if (n == 0) return;
  bytes_ -= n;
  std::size_t done = 0;  // blocks written to their end
  std::size_t offset = head_ + n;
  while (done < blocks_.size() && offset >= used_in(done) && done + 1 < blocks_.size()) {
    offset -= used_in(done);
    ++done;
  }
  // The last byte written ends a line or not (drop_unstarted needs to know).
  const Block& last_written = blocks_[offset == 0 ? done - 1 : done];
  mid_line_ = last_written.bytes[offset == 0 ? last_written.size - 1 : offset - 1] != '\n';
  for (std::size_t i = 0; i < done; ++i) release(blocks_[i]);
  blocks_.erase(blocks_.begin(), blocks_.begin() + static_cast<std::ptrdiff_t>(done));
  head_ = offset;
  if (bytes_ == 0) {
    const std::size_t peak = peak_;
    clear();
    last_peak_ = peak;
  }
}

void Outbox::drop_unstarted() {
  if (!mid_line_) return clear();
  // Keep up to the end of the line being written.
  std::size_t keep = 0;
  for (std::size_t i = 0; i < blocks_.size(); ++i) {
    const std::size_t from = i == 0 ? head_ : 0;
    const char* begin = blocks_[i].bytes + from;
    const char* end = blocks_[i].bytes + used_in(i);
    if (const char* nl = std::find(begin, end, '\n'); nl != end) {
      keep += static_cast<std::size_t>(nl - begin) + 1;
      for (std::size_t later = i + 1; later < blocks_.size(); ++later) release(blocks_[later]);
      blocks_.resize(i + 1);
      tail_used_ = static_cast<std::size_t>(nl - blocks_[i].bytes) + 1;
      bytes_ = keep;
      return;
    }
    keep += static_cast<std::size_t>(end - begin);
  }
  // No line end queued: keep everything (the line was never finished).
}

void Outbox::clear() {
  for (const Block& block : blocks_) release(block);
  // Give the vector's storage back too: most connections are idle most of the
  // time, and a kept capacity would cost each of them.
  std::vector<Block>().swap(blocks_);
  bytes_ = head_ = tail_used_ = peak_ = 0;
  mid_line_ = false;
}

}  // namespace parley::net
