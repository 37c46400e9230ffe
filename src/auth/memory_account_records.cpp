#include "auth/memory_account_records.h"

#include <chrono>

namespace parley::auth {

std::optional<AccountRecord> MemoryAccountRecords::find(const std::string& key) {
  std::lock_guard lock(mutex_);
  const auto it = records_.find(key);
  if (it == records_.end()) return std::nullopt;
  return it->second;
}

bool MemoryAccountRecords::insert(const AccountRecord& record) {
  std::lock_guard lock(mutex_);
  return records_.emplace(record.key, record).second;
}

bool MemoryAccountRecords::update(const AccountRecord& record) {
  std::lock_guard lock(mutex_);
  const auto it = records_.find(record.key);
  if (it == records_.end()) return false;
  it->second = record;
  return true;
}

std::optional<std::int64_t> MemoryAccountRecords::remove(const std::string& key) {
  std::lock_guard lock(mutex_);
  const auto it = records_.find(key);
  if (it == records_.end()) return std::nullopt;
  const std::int64_t now_ms = std::chrono::duration_cast<std::chrono::milliseconds>(
                                  std::chrono::system_clock::now().time_since_epoch())
                                  .count();
  const std::int64_t id = deletions_.empty() ? 1 : deletions_.back().id + 1;
  deletions_.push_back(AccountDeletion{id, key, it->second.name, now_ms});
  records_.erase(it);
  return id;
}

std::vector<AccountDeletion> MemoryAccountRecords::deletions_after(std::int64_t after) {
  std::lock_guard lock(mutex_);
  std::vector<AccountDeletion> out;
  for (const AccountDeletion& d : deletions_) {
    if (d.id > after) out.push_back(d);
  }
  return out;
}

std::int64_t MemoryAccountRecords::last_deletion() {
  std::lock_guard lock(mutex_);
  return deletions_.empty() ? 0 : deletions_.back().id;
}

std::size_t MemoryAccountRecords::size() const {
  std::lock_guard lock(mutex_);
  return records_.size();
}

}  // namespace parley::auth
