#pragma once
// Accounts kept in one file, DATA_DIR/accounts.tsv, until the SQLite store
// (issue 11, src/store) implements auth::AccountRecords; then this goes.
// One line per account, tab-separated: key, name, Argon2id hash, SCRAM salt
// (base64), iterations, StoredKey (base64), ServerKey (base64), created.
// Every call reads the file, and every change rewrites it whole (a temporary
// file renamed over it, so a reader never sees half), which lets
// `parleyd account ...` change accounts while the server runs. Two writers at
// once may lose one change: good enough for an administrator's occasional
// command, not for a busy server.
#include <map>
#include <string>

#include "auth/account_records.h"

namespace parley::daemon {

class AccountFile final : public auth::AccountRecords {
 public:
  explicit AccountFile(std::string path) : path_(std::move(path)) {}

  std::optional<auth::AccountRecord> find(const std::string& key) override;
  bool insert(const auth::AccountRecord& record) override;
  bool update(const auth::AccountRecord& record) override;
  bool remove(const std::string& key) override;

 private:
  using Records = std::map<std::string, auth::AccountRecord>;
  Records load() const;  // throws std::runtime_error for a file it cannot read or parse
  void save(const Records& records) const;

  std::string path_;
};

}  // namespace parley::daemon
