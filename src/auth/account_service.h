#pragma once
// Accounts: register, check a password, SCRAM credentials, change a password,
// delete, look up. Everything slow (Argon2id takes tens of milliseconds and
// 64 MiB; the store may touch the disk) runs on the service's worker thread,
// never on an event loop, one job at a time in the order asked.
//
// Each answer is handed to `done` ON THE WORKER THREAD. Callers on an event
// loop bring it home with core::Hub::await_outside, which runs it on the
// session's loop as the answer to the command that asked, in command order.
// Thread-safe: any thread may call.
#include <chrono>
#include <cstddef>
#include <functional>
#include <memory>
#include <string>
#include <vector>

#include "auth/account_records.h"
#include "auth/login_pacing.h"
#include "auth/password_hash.h"
#include "auth/worker.h"
#include "core/names.h"
#include "core/presence.h"

namespace parley::auth {

struct AccountSettings {
  HashCost cost = HashCost::interactive();
  std::size_t min_password = 6;    // bytes
  std::size_t max_password = 256;  // bytes
  PacingPolicy pacing;
  // Jobs waiting at most; past it, answers are `busy` at once (a flood of
  // logins must not queue minutes of hashing).
  std::size_t max_queued = 256;
  // How long a session may keep a registered name without logging in to its
  // account before it is renamed to a guest name (auth/name_guard.h).
  std::chrono::steady_clock::duration name_grace = std::chrono::seconds(60);
  // How often the server reads the deletions another process made (`parleyd
  // account del` while it runs, another node's DROP), to apply them
  // (AccountService::watch_deletions). 0: never.
  std::chrono::seconds deleted_check = std::chrono::seconds(5);
};

enum class AccountStatus {
  ok,
  no_such_account,
  account_exists,
  wrong_password,
  paced,               // too many failed logins lately: retry_after says when to try again
  password_too_short,  // AccountSettings::min_password
  password_too_long,   // AccountSettings::max_password
  password_invalid,    // SASLprep (auth/saslprep.h) prohibits it: control characters, private use, ...
  busy,                // too much work queued
  unavailable,         // the store failed (its error is logged by the store)
};

struct AccountAnswer {
  AccountStatus status = AccountStatus::ok;
  std::string name;  // the account's name as registered (its key when not found)
  std::chrono::seconds retry_after{0};  // paced
  // scram_credentials: the account's, or made-up ones for a name without an
  // account (same for each ask, so a SCRAM exchange cannot tell them apart).
  ScramCredentials scram;
  // A login or registration that succeeded (verify, scram_credentials,
  // create): the number of the newest deletion applied (watch_deletions)
  // before the account was found. A later deletion of this account is
  // numbered above it; that of an earlier account of the same name, not
  // (Hub::account_deleted). 0 when deletions are not watched.
  std::int64_t deletions_seen = 0;
  // remove that succeeded: the deletion's number (AccountDeletion::id).
  std::int64_t deletion = 0;
  bool ok() const { return status == AccountStatus::ok; }
};

using AccountDone = std::function<void(AccountAnswer)>;

class AccountService {
 public:
  // `records` and `clock` must outlive the service; the clock is read on the
  // worker thread only (for pacing).
  AccountService(AccountRecords& records, AccountSettings settings, const core::Clock& clock);
  ~AccountService();

  const AccountSettings& settings() const { return settings_; }

  void create(core::CheckedName name, std::string password, AccountDone done);
  // `address`: where the attempt comes from, for pacing ("" for none).
  void verify(std::string key, std::string password, std::string address, AccountDone done);
  // The start of a SCRAM exchange (paced like verify). Its outcome is
  // reported with scram_finished.
  void scram_credentials(std::string key, std::string address, AccountDone done);
  void scram_finished(std::string key, std::string address, bool succeeded);
  void change_password(std::string key, std::string password, AccountDone done);
  void remove(std::string key, AccountDone done);
  // ok (with the account's name) or no_such_account.
  void find(std::string key, AccountDone done);

  // Server operators' logins (the configuration's), whose passwords may be
  // Argon2id hashes: set before any verify_operator.
  void set_operator_logins(std::vector<core::OperatorLogin> logins);
  // ok (with the login's name) when a login has that name and password;
  // wrong_password otherwise (alike for an unknown name); no_such_account when
  // there are no logins at all. Paced like verify (per name and address).
  void verify_operator(std::string name, std::string password, std::string address, AccountDone done);

  // Runs `job` on the worker after `delay` (steady clock): for deadlines
  // that concern accounts, such as a registered name's grace period.
  void after(std::chrono::steady_clock::duration delay, std::function<void()> job);

  // For a running server: `deleted` runs on the worker once for each account
  // deletion recorded after number `after` (by this server, another process
  // or another node sharing the store), oldest first: every deleted_check,
  // and before a login or registration is answered, so that a name registered
  // again is never taken for the deleted account (whatever the deleted one
  // was granted is taken away first). Call once, before the first login; not
  // at all when deleted_check is 0.
  using DeletionSeen = std::function<void(const AccountDeletion&)>;
  void watch_deletions(std::int64_t after, DeletionSeen deleted);

 private:
  // Queues `job`, or answers `busy` when the queue is full.
  void submit(AccountDone& done, std::function<void(AccountDone&)> job);
  std::optional<AccountStatus> check_password_length(const std::string& password) const;
  ScramCredentials made_up_credentials(const std::string& key) const;
  std::chrono::seconds paced(const std::string& key, const std::string& address) const;
  AccountAnswer failed_login(const std::string& key, const std::string& address);
  // The record's hash and SCRAM keys, made from `prepared` (a SASLprep'd password).
  void set_password(AccountRecord& record, const std::string& prepared) const;
  // Worker: hands the deletions recorded since the last one seen to the
  // watcher; yields the newest seen (AccountAnswer::deletions_seen).
  std::int64_t catch_up_deletions();
  // Worker: catches up every deleted_check, for as long as the service runs.
  void check_deletions_later();

  AccountRecords& records_;
  AccountSettings settings_;
  LoginPacing pacing_;         // worker thread only
  std::string fake_secret_;    // keys made-up SCRAM salts
  std::string dummy_hash_;     // verified against for unknown names, so they take as long; worker only
  std::vector<core::OperatorLogin> operator_logins_;  // worker only once set
  DeletionSeen deletion_seen_;        // worker only; none: deletions are not watched
  std::int64_t deletions_seen_ = 0;   // worker only: the newest deletion handed on
  std::unique_ptr<Worker> worker_;  // last: stopped first
};

}  // namespace parley::auth
