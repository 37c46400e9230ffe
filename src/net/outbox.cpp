#include "net/outbox.h"

#include <algorithm>
#include <cstring>

namespace parley::net {

namespace {
constexpr std::size_t kBlock = BlockPool::kBlockBytes;
}

bool Outbox::push(std::string_view bytes) {
  if (bytes_ + bytes.size() > limit_) return false;
  append(bytes);
  return true;
}

void Outbox::push_past_limit(std::string_view bytes) { append(bytes); }

void Outbox::append(std::string_view bytes) {
  bytes_ += bytes.size();
  while (!bytes.empty()) {
    if (blocks_.empty() || tail_used_ == kBlock) {
      blocks_.push_back(pool_->take());
      tail_used_ = 0;
    }
    const std::size_t n = std::min(bytes.size(), kBlock - tail_used_);
    std::memcpy(blocks_.back().get() + tail_used_, bytes.data(), n);
    tail_used_ += n;
    bytes.remove_prefix(n);
  }
}

std::size_t Outbox::used_in(std::size_t block) const { return block + 1 == blocks_.size() ? tail_used_ : kBlock; }

int Outbox::gather(iovec* iov, int max) const {
  if (empty()) return 0;
  int n = 0;
  for (std::size_t i = 0; i < blocks_.size() && n < max; ++i, ++n) {
    const std::size_t skip = i == 0 ? head_ : 0;
    iov[n].iov_base = blocks_[i].get() + skip;
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
  const std::size_t last = offset == 0 ? kBlock - 1 : offset - 1;
  mid_line_ = blocks_[offset == 0 ? done - 1 : done][last] != '\n';
  for (std::size_t i = 0; i < done; ++i) pool_->give(std::move(blocks_[i]));
  blocks_.erase(blocks_.begin(), blocks_.begin() + static_cast<std::ptrdiff_t>(done));
  head_ = offset;
  if (bytes_ == 0) {
    pool_->give(std::move(blocks_.front()));
    clear();
  }
}

void Outbox::drop_unstarted() {
  if (!mid_line_) return clear();
  // Keep up to the end of the line being written.
  std::size_t keep = 0;
  for (std::size_t i = 0; i < blocks_.size(); ++i) {
    const std::size_t from = i == 0 ? head_ : 0;
    const char* begin = blocks_[i].get() + from;
    const char* end = blocks_[i].get() + used_in(i);
    if (const char* nl = std::find(begin, end, '\n'); nl != end) {
      keep += static_cast<std::size_t>(nl - begin) + 1;
      blocks_.resize(i + 1);
      tail_used_ = static_cast<std::size_t>(nl - blocks_[i].get()) + 1;
      bytes_ = keep;
      return;
    }
    keep += static_cast<std::size_t>(end - begin);
  }
  // No line end queued: keep everything (the line was never finished).
}

void Outbox::clear() {
  // Give the vector's storage back too: most connections are idle most of the
  // time, and a kept capacity would cost each of them.
  std::vector<BlockPool::Block>().swap(blocks_);
  bytes_ = head_ = tail_used_ = 0;
  mid_line_ = false;
}

}  // namespace parley::net
