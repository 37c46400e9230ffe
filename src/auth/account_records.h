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
#include <vector>

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

// An account's deletion, as the store records it with the deletion (a
// tombstone). Numbered in the order deletions are made, so that a running
// server applies each once (Hub::account_deleted), even when the name has been
// registered again since: a lookup by name could not tell the new account
// from the deleted one.
struct AccountDeletion {
  std::int64_t id = 0;        // > 0, larger for each later deletion
  std::string key;            // the deleted account's
  std::string name;           // as it was registered
  std::int64_t deleted_ms = 0;  // milliseconds since the Unix epoch
  friend bool operator==(const AccountDeletion&, const AccountDeletion&) = default;
};

// How long deletions are kept for running servers (every node sharing the
// store) to apply: pruned as later deletions are made, the newest always
// kept. Longer than the longest deleted_check allowed (a day).
inline constexpr std::int64_t kDeletionsKeptMs = 2 * 24 * 60 * 60 * 1000;

class AccountRecords {
 public:
  virtual ~AccountRecords() = default;
  virtual std::optional<AccountRecord> find(const std::string& key) = 0;
  // False (and nothing changed) when an account with the record's key exists.
  virtual bool insert(const AccountRecord& record) = 0;
  // Replaces the account with the record's key; false when there is none.
  virtual bool update(const AccountRecord& record) = 0;
  // Deletes the account and records its deletion (AccountDeletion), both in
  // one transaction; yields the deletion's number, or nothing (and nothing
  // changed) when there is no account with that key.
  virtual std::optional<std::int64_t> remove(const std::string& key) = 0;
  // The deletions numbered above `after`, oldest first.
  virtual std::vector<AccountDeletion> deletions_after(std::int64_t after) = 0;
  // The newest deletion's number; 0 when none is recorded.
  virtual std::int64_t last_deletion() = 0;
};

}  // namespace parley::auth
