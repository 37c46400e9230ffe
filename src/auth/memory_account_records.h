#pragma once
// Accounts kept in memory only (tests, and a server run without storage).
// Thread-safe, although the service calls it from one thread only.
#include <map>
#include <mutex>

#include "auth/account_records.h"

namespace parley::auth {

class MemoryAccountRecords final : public AccountRecords {
 public:
  std::optional<AccountRecord> find(const std::string& key) override;
  bool insert(const AccountRecord& record) override;
  bool update(const AccountRecord& record) override;
  std::optional<std::int64_t> remove(const std::string& key) override;
  std::vector<AccountDeletion> deletions_after(std::int64_t after) override;
  std::int64_t last_deletion() override;
  std::size_t size() const;

 private:
  mutable std::mutex mutex_;
  std::map<std::string, AccountRecord> records_;
  std::vector<AccountDeletion> deletions_;  // oldest first, never pruned (a test's few)
};

}  // namespace parley::auth
