#include "auth/memory_account_records.h"

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

bool MemoryAccountRecords::remove(const std::string& key) {
  std::lock_guard lock(mutex_);
  return records_.erase(key) > 0;
}

std::size_t MemoryAccountRecords::size() const {
  std::lock_guard lock(mutex_);
  return records_.size();
}

}  // namespace parley::auth
