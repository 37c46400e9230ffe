#pragma once
// parleyd's accounts: the account service the server runs, and the
// administrator's subcommands (`parleyd account add|del|passwd NAME`,
// `parleyd hash-password`), which work on the same data directory.
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

// Every AccountSettings::deleted_check, looks up the accounts sessions are
// logged in to, and logs out those of any deleted meanwhile by another
// process (`parleyd account del` on this data directory). Runs on the
// account service's worker until it stops.
void watch_deleted_accounts(core::Hub& hub, Accounts& accounts);

// Null when the configuration turns accounts off.
std::unique_ptr<Accounts> start_accounts(const config::Config& cfg);

// When argv names a subcommand (account, hash-password), runs it and yields
// the exit status; otherwise nothing, and the server starts.
std::optional<int> run_subcommand(int argc, char** argv);

}  // namespace parley::daemon
