#pragma once
// Where accounts are kept: a small synchronous interface, so the account
// service does not know which store it talks to (MemoryAccountRecords here;
// SQLite in src/store). Every call comes from one thread, the account
// service's worker; an implementation may block (it is never on an event loop).
// Failures of the store itself (disk full, database locked) are thrown as
// exceptions derived from std::exception: the service answers `unavailable`.
#include <cstdint>
#include <optional>
#include <string>

#include "auth/scram.h"

namespace parley::auth {

struct AccountRecord {
  std::string key;            // the name case-folded (core::check_user_name's key): unique
  std::string name;           // as registered, NFC: how it is shown
  std::string password_hash;  // Argon2id, encoded (auth/password_hash.h)
  ScramCredentials scram;     // for SASL SCRAM-SHA-256: salt, iterations, StoredKey, ServerKey
  std::int64_t created = 0;   // seconds since the Unix epoch
  friend bool operator==(const AccountRecord&, const AccountRecord&) = default;
};

class AccountRecords {
 public:
  virtual ~AccountRecords() = default;
  virtual std::optional<AccountRecord> find(const std::string& key) = 0;
  // False (and nothing changed) when an account with the record's key exists.
  virtual bool insert(const AccountRecord& record) = 0;
  // Replaces the account with the record's key; false when there is none.
  virtual bool update(const AccountRecord& record) = 0;
  // False when there is no account with that key.
  virtual bool remove(const std::string& key) = 0;
};

}  // namespace parley::auth
