#pragma once
// In a cluster, the first join of a room on this node waits for what the
// cluster holds of it (Backplane::prepare_room). Until that join is decided,
// whatever else is asked of the room on its home loop waits behind it, in
// the order asked: a message said right after joining is not refused as
// coming from a non-member. Home-loop state, kept per thread (a home loop is
// one thread) and per hub.
#include <deque>
#include <map>
#include <string>
#include <utility>

#include "core/hub_state.h"

namespace parley::core::room_gate {

using Key = std::pair<const HubState*, std::string>;

inline std::map<Key, std::deque<Task>>& closed_rooms() {
  thread_local std::map<Key, std::deque<Task>> rooms;
  return rooms;
}

// On the home loop: what is asked of the room now waits until open().
inline void close(const HubState& state, const std::string& key) { closed_rooms().try_emplace(Key{&state, key}); }

// On the home loop: runs `task` now, or after the room's pending first join.
inline void run(const HubState& state, const std::string& key, Task task) {
  auto it = closed_rooms().find(Key{&state, key});
  if (it == closed_rooms().end()) return task();
  it->second.push_back(std::move(task));
}

// On the home loop: the first join is decided; what waited runs, in order.
// A task that closes the room again (another first join) keeps the rest waiting.
inline void open(const HubState& state, const std::string& key) {
  auto node = closed_rooms().extract(Key{&state, key});
  if (node.empty()) return;
  std::deque<Task> waiting = std::move(node.mapped());
  while (!waiting.empty()) {
    Task task = std::move(waiting.front());
    waiting.pop_front();
    task();
    if (auto again = closed_rooms().find(Key{&state, key}); again != closed_rooms().end()) {
      for (auto& rest : waiting) again->second.push_back(std::move(rest));
      return;
    }
  }
}

// Runs `task` on the room's home loop, behind a pending first join.
inline void post(HubState& state, const std::string& key, Task task) {
  if (!state.backplane) return state.post(state.home_of(key), std::move(task));  // one node: nothing waits
  state.post(state.home_of(key), [&state, key, task = std::move(task)]() mutable { run(state, key, std::move(task)); });
}

}  // namespace parley::core::room_gate
