#include "backplane/remote_owners.h"

namespace parley::backplane {

void RemoteOwners::remember(std::uint64_t id, std::string_view owner) {
  Known& known = known_[id];
  if (known.owner != owner) known.owner = owner;  // the same name on every event of a chatter: no copy
  known.heard = ++heard_;
}

const std::string* RemoteOwners::find(std::uint64_t id) const {
  auto it = known_.find(id);
  return it == known_.end() ? nullptr : &it->second.owner;
}

void RemoteOwners::quit(std::uint64_t id, Clock::time_point now) {
  auto it = known_.find(id);
  if (it != known_.end()) quits_.push_back({id, it->second.heard, now + grace_});
}

void RemoteOwners::forget_due(Clock::time_point now) {
  while (!quits_.empty() && quits_.front().due <= now) {
    const Quit& q = quits_.front();
    if (auto it = known_.find(q.id); it != known_.end() && it->second.heard == q.heard) known_.erase(it);
    quits_.pop_front();
  }
}

}  // namespace parley::backplane
