#pragma once
// parleyd's accounts: the account service the server runs, and the
// administrator's subcommands (`parleyd account add|del|passwd NAME`,
// `parleyd hash-password`), which work on the same data directory.
#include <memory>
#include <optional>

#include "auth/account_service.h"
#include "config/config.h"

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

// Null when the configuration turns accounts off.
std::unique_ptr<Accounts> start_accounts(const config::Config& cfg);

// When argv names a subcommand (account, hash-password), runs it and yields
// the exit status; otherwise nothing, and the server starts.
std::optional<int> run_subcommand(int argc, char** argv);

}  // namespace parley::daemon
