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
  bool remove(const std::string& key) override;
  std::size_t size() const;

 private:
  mutable std::mutex mutex_;
  std::map<std::string, AccountRecord> records_;
};

}  // namespace parley::auth
