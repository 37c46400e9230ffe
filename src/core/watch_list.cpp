#include "core/watch_list.h"

#include <algorithm>

namespace parley::core {

WatchList::Added WatchList::add(SessionRef watcher, const std::string& key, const std::string& name) {
  auto& entries = by_watcher_[watcher];
  if (std::any_of(entries.begin(), entries.end(), [&](const Entry& e) { return e.key == key; })) return Added::already;
  if (entries.size() >= limit_) {
    if (entries.empty()) by_watcher_.erase(watcher);
    return Added::full;
  }
  entries.push_back({key, name});
  by_key_[key].push_back(watcher);
  return Added::added;
}

void WatchList::remove(SessionRef watcher, const std::string& key) {
  auto w = by_watcher_.find(watcher);
  if (w == by_watcher_.end()) return;
  const auto before = w->second.size();
  std::erase_if(w->second, [&](const Entry& e) { return e.key == key; });
  if (w->second.size() == before) return;
  if (w->second.empty()) by_watcher_.erase(w);
  if (auto k = by_key_.find(key); k != by_key_.end()) {
    std::erase(k->second, watcher);
    if (k->second.empty()) by_key_.erase(k);
  }
}

void WatchList::clear(SessionRef watcher) {
  auto w = by_watcher_.find(watcher);
  if (w == by_watcher_.end()) return;
  for (const Entry& e : w->second) {
    if (auto k = by_key_.find(e.key); k != by_key_.end()) {
      std::erase(k->second, watcher);
      if (k->second.empty()) by_key_.erase(k);
    }
  }
  by_watcher_.erase(w);
}

const std::vector<WatchList::Entry>& WatchList::entries_of(SessionRef watcher) const {
  static const std::vector<Entry> none;
  auto w = by_watcher_.find(watcher);
  return w == by_watcher_.end() ? none : w->second;
}

std::vector<SessionRef> WatchList::watchers_of(const std::vector<std::string>& keys) const {
  std::vector<SessionRef> out;
  for (const auto& key : keys) {
    auto k = by_key_.find(key);
    if (k == by_key_.end()) continue;
    for (SessionRef w : k->second) {
      if (std::find(out.begin(), out.end(), w) == out.end()) out.push_back(w);
    }
  }
  return out;
}

}  // namespace parley::core
