#pragma once
// What a writer remembers of the rows it looked up by key (a sender's number,
// a target's): bounded, keeping the keys in use. Two generations: new keys go
// into the newer one; when it holds `per_generation`, it becomes the older
// and the older is dropped; a key found in the older moves back to the newer.
// So at most 2 × per_generation keys are held however many the server meets
// (every idle user's JOIN line is a sender), and a key in steady use is never
// dropped: it moves forward before its generation goes.
#include <cstddef>
#include <functional>
#include <string>
#include <string_view>
#include <unordered_map>
#include <utility>

namespace parley::store {

template <class Value>
class RecentKeys {
 public:
  explicit RecentKeys(std::size_t per_generation) : per_generation_(per_generation) {}

  // The value for `key`, or nullptr. Valid until the next add() or find().
  Value* find(std::string_view key) {
    if (auto it = newer_.find(key); it != newer_.end()) return &it->second;
    auto it = older_.find(key);
    if (it == older_.end()) return nullptr;
    auto node = older_.extract(it);  // moved, not copied: its address stays
    age_if_full();
    return &newer_.insert(std::move(node)).position->second;
  }
  // Adds a key not held (a held one keeps its value).
  Value& add(std::string_view key, Value value) {
    age_if_full();
    return newer_.try_emplace(std::string(key), std::move(value)).first->second;
  }
  void clear() {
    newer_.clear();
    older_.clear();
  }
  std::size_t size() const { return newer_.size() + older_.size(); }

 private:
  // Looked up by a view, without making a string of it.
  struct ViewHash {
    using is_transparent = void;
    std::size_t operator()(std::string_view key) const { return std::hash<std::string_view>{}(key); }
  };
  using Map = std::unordered_map<std::string, Value, ViewHash, std::equal_to<>>;
  void age_if_full() {
    if (newer_.size() < per_generation_) return;
    older_.swap(newer_);
    newer_.clear();
  }

  std::size_t per_generation_;
  Map newer_, older_;
};

}  // namespace parley::store
