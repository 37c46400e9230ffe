#include "net/outbox.h"

namespace parley::net {

bool Outbox::push(core::SharedBytes bytes) {
  if (bytes->empty()) return true;
  if (bytes_ + bytes->size() > limit_) return false;
  bytes_ += bytes->size();
  chunks_.push_back(std::move(bytes));
  return true;
}

void Outbox::push_past_limit(core::SharedBytes bytes) {
  bytes_ += bytes->size();
  chunks_.push_back(std::move(bytes));
}

int Outbox::gather(iovec* iov, int max) const {
  int n = 0;
  for (std::size_t i = head_; i < chunks_.size() && n < max; ++i, ++n) {
    const std::size_t skip = i == head_ ? offset_ : 0;
    iov[n].iov_base = const_cast<char*>(chunks_[i]->data() + skip);
    iov[n].iov_len = chunks_[i]->size() - skip;
  }
  return n;
}

void Outbox::consume(std::size_t n) {
  bytes_ -= n;
  while (n > 0) {
    const std::size_t left = chunks_[head_]->size() - offset_;
    if (n < left) {
      offset_ += n;
      return;
    }
    n -= left;
    offset_ = 0;
    chunks_[head_++].reset();
  }
  if (head_ == chunks_.size()) {
    clear();
  } else if (head_ >= 64 && head_ * 2 >= chunks_.size()) {
    chunks_.erase(chunks_.begin(), chunks_.begin() + static_cast<std::ptrdiff_t>(head_));
    head_ = 0;
  }
}

void Outbox::drop_unstarted() {
  if (offset_ == 0) return clear();
  chunks_.resize(head_ + 1);
  bytes_ = chunks_[head_]->size() - offset_;
}

void Outbox::clear() {
  // Give the storage back, not only the chunks: most connections are idle most
  // of the time, and a kept capacity (a join burst leaves tens of slots) would
  // cost each of them hundreds of bytes. Refilling costs one allocation per
  // flush, next to a sendmsg of microseconds.
  std::vector<core::SharedBytes>().swap(chunks_);
  bytes_ = offset_ = head_ = 0;
}

}  // namespace parley::net
