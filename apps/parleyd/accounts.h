#pragma once
// parleyd's accounts: the account service the server runs, and the
// administrator's subcommands (`parleyd account add|del|passwd NAME`,
// `parleyd hash-password`), which work on the same data directory.
#include <cstdint>
#include <memory>
#include <optional>

#include "auth/account_service.h"
#include "config/config.h"
#include "core/hub.h"

namespace parley::daemon {

// The account service and what it needs, alive while the server runs.
class Accounts {
 public:
  explicit Accounts(const config::Config& cfg);
  ~Accounts();
  auth::AccountService& service() { return *service_; }

 private:
  std::unique_ptr<auth::AccountRecords> records_;
  core::SystemClock clock_;
  std::unique_ptr<auth::AccountService> service_;
};

// The number of the newest account deletion recorded in the store (0: none,
// or accounts off): read before the registered rooms are loaded, since what
// is deleted later may be in them (watch_deleted_accounts starts there).
// Throws store::StoreError.
std::int64_t last_account_deletion(const config::Config& cfg);

// Applies every account deletion recorded after `applied` (a number from
// last_account_deletion) to the hub, once each (Hub::account_deleted): those
// made by another process (`parleyd account del` on this data directory, or
// a DROP on another node sharing the database), found every
// AccountSettings::deleted_check and before each login or registration.
// Read from the store's record of deletions, not by looking the account up,
// which would find the name registered again. Off when deleted_check is 0.
void watch_deleted_accounts(core::Hub& hub, Accounts& accounts, std::int64_t applied);

// Null when the configuration turns accounts off.
std::unique_ptr<Accounts> start_accounts(const config::Config& cfg);

// When argv names a subcommand (account, hash-password), runs it and yields
// the exit status; otherwise nothing, and the server starts.
std::optional<int> run_subcommand(int argc, char** argv);

}  // namespace parley::daemon
