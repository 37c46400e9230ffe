#include "web/out_queue.h"

#include <algorithm>

namespace parley::web {

void OutQueue::push(std::string_view header, std::string_view body) {
  if (buffer_.capacity() == std::string().capacity() && last_peak_ > 0)  // no storage yet
    buffer_.reserve(std::min(std::max(last_peak_, header.size() + body.size()), kFirstReserve));
  buffer_.append(header).append(body);
  ends_.push_back(base_ + buffer_.size());
}

int OutQueue::gather(iovec* iov) const {
  if (empty()) return 0;
  iov[0].iov_base = const_cast<char*>(buffer_.data() + head_);
  iov[0].iov_len = bytes();
  return 1;
}

void OutQueue::consume(std::size_t n) {
  head_ += n;
  while (first_end_ < ends_.size() && ends_[first_end_] <= head_absolute()) front_start_ = ends_[first_end_++];
  if (head_ == buffer_.size()) return clear();
  // Moving the rest to the front costs a copy of it; doing so only once the
  // written part is the larger keeps that copy amortised.
  if (head_ > 64 * 1024 && head_ > buffer_.size() / 2) {
    buffer_.erase(0, head_);
    base_ += head_;
    head_ = 0;
    ends_.erase(ends_.begin(), ends_.begin() + static_cast<std::ptrdiff_t>(first_end_));
    first_end_ = 0;
  }
}

void OutQueue::drop_unstarted() {
  if (empty()) return;
  // Nothing of the front record written yet: every record is unstarted.
  if (head_absolute() == front_start_) return clear();
  buffer_.resize(static_cast<std::size_t>(ends_[first_end_] - base_));
  ends_.resize(first_end_ + 1);
}

void OutQueue::clear() {
  base_ += buffer_.size();
  front_start_ = base_;
  head_ = 0;
  first_end_ = 0;
  last_peak_ = std::max<std::size_t>(buffer_.size(), 1);
  std::string().swap(buffer_);
  std::vector<std::uint64_t>().swap(ends_);
}

}  // namespace parley::web
