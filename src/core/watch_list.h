#pragma once
// Who watches which names (IRC's MONITOR). Keys are folded names (fold_key),
// so a watch on "zoe" is told about "Zoe" and about a text user whose display
// name or nick folds the same. Owned by the hub's registry loop, beside the
// name registry; not thread-safe.
#include <cstddef>
#include <string>
#include <unordered_map>
#include <vector>

#include "core/name_registry.h"
#include "core/session_ref.h"

namespace parley::core {

class WatchList {
 public:
  explicit WatchList(std::size_t limit_per_watcher) : limit_(limit_per_watcher) {}

  enum class Added { added, already, full };
  // `name` is kept as the watcher spelled it, for listing.
  Added add(SessionRef watcher, const std::string& key, const std::string& name);
  void remove(SessionRef watcher, const std::string& key);
  void clear(SessionRef watcher);

  struct Entry {
    std::string key;
    std::string name;
  };
  // The watcher's names, oldest first.
  const std::vector<Entry>& entries_of(SessionRef watcher) const;
  // Everyone watching any of `keys`, each once, in the order first found.
  std::vector<SessionRef> watchers_of(const std::vector<std::string>& keys) const;
  std::size_t limit() const { return limit_; }

 private:
  std::size_t limit_;
  std::unordered_map<std::string, std::vector<SessionRef>> by_key_;
  std::unordered_map<SessionRef, std::vector<Entry>, SessionRefHash> by_watcher_;
};

}  // namespace parley::core
