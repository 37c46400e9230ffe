#include "backplane/room_order.h"

namespace parley::backplane {

void RoomOrder::start_at(std::uint64_t seq) {
  started_ = true;
  applied_ = seq;
  waiting_.erase(waiting_.begin(), waiting_.upper_bound(seq));
}

std::vector<RoomOrder::Entry> RoomOrder::stop() {
  std::vector<Entry> left;
  for (auto& [seq, entry] : waiting_) left.push_back(std::move(entry));
  waiting_.clear();
  started_ = false;
  return left;
}

bool RoomOrder::offer(std::uint64_t seq, Entry entry) {
  if (started_ && seq <= applied_) return false;
  return waiting_.try_emplace(seq, std::move(entry)).second;
}

std::vector<RoomOrder::Entry> RoomOrder::take_ready() {
  std::vector<Entry> ready;
  if (!started_) return ready;
  while (!waiting_.empty() && waiting_.begin()->first == applied_ + 1) {
    ready.push_back(std::move(waiting_.begin()->second));
    waiting_.erase(waiting_.begin());
    ++applied_;
  }
  return ready;
}

std::optional<std::pair<std::uint64_t, std::uint64_t>> RoomOrder::gap() const {
  if (!started_ || waiting_.empty() || waiting_.begin()->first == applied_ + 1) return std::nullopt;
  return std::pair{applied_ + 1, waiting_.begin()->first - 1};
}

void RoomOrder::skip_to(std::uint64_t seq) {
  if (seq <= applied_) return;
  applied_ = seq;
  waiting_.erase(waiting_.begin(), waiting_.upper_bound(seq));
}

}  // namespace parley::backplane
