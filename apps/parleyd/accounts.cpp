#include "accounts.h"

#include <CLI/CLI.hpp>
#include <fmt/format.h>
#include <spdlog/spdlog.h>

#include <filesystem>
#include <future>
#include <iostream>

#include "auth/account_names.h"
#include "auth/password_hash.h"
#include "auth/saslprep.h"
#include "password_prompt.h"
#include "store/pg_records.h"
#include "store/sqlite_accounts.h"
#include "store/store_error.h"

namespace parley::daemon {

namespace {

// The server's database, whoever opens it (the server, or a subcommand on
// its data directory while it runs).
store::StorageSettings account_storage(const config::Config& cfg) {
  store::StorageSettings settings = cfg.storage;
  settings.path = config::database_path(cfg.data_dir);
  return settings;
}

// PostgreSQL when [storage] url is set (shared by every node), else the data directory's file.
std::unique_ptr<auth::AccountRecords> open_account_records(const config::Config& cfg) {
  if (!cfg.storage.url.empty()) return std::make_unique<store::PgAccounts>(cfg.storage.url);
  return std::make_unique<store::SqliteAccounts>(account_storage(cfg));
}

// The service's answer, waited for on this thread (the subcommands have no loop).
template <class Ask>
auth::AccountAnswer ask(auth::AccountService& service, Ask&& start) {
  std::promise<auth::AccountAnswer> answer;
  start(service, [&answer](auth::AccountAnswer a) { answer.set_value(std::move(a)); });
  return answer.get_future().get();
}

std::string explain(const auth::AccountAnswer& a, const auth::AccountSettings& s) {
  using S = auth::AccountStatus;
  switch (a.status) {
    case S::ok: return "done";
    case S::no_such_account: return fmt::format("there is no account {}", a.name);
    case S::account_exists: return fmt::format("the account {} exists already", a.name);
    case S::password_too_short: return fmt::format("a password needs at least {} bytes", s.min_password);
    case S::password_too_long: return fmt::format("a password has at most {} bytes", s.max_password);
    case S::password_invalid:
      return "SASLprep (RFC 4013) refuses that password: it holds control characters, private-use or other "
             "prohibited characters";
    case S::wrong_password:
    case S::paced:
    case S::busy: return "refused";
    case S::unavailable: return fmt::format("the account store could not be used");
  }
  return "refused";
}

int account_command(const config::Config& cfg, const std::string& action, const std::string& raw_name) {
  auto name = auth::account_name(raw_name, cfg.hub.name_chars);
  if (!name.ok()) {
    std::cerr << "parleyd: \"" << raw_name << "\" cannot name an account\n";
    return 2;
  }
  std::error_code error;
  std::filesystem::create_directories(cfg.data_dir, error);
  std::unique_ptr<Accounts> accounts;
  try {
    accounts = std::make_unique<Accounts>(cfg);
  } catch (const store::StoreError& e) {
    std::cerr << "parleyd: " << e.what() << '\n';
    return 1;
  }
  auth::AccountService& service = accounts->service();
  auth::AccountAnswer answer;
  if (action == "del") {
    answer = ask(service, [&](auth::AccountService& s, auth::AccountDone d) { s.remove(name.value().key, d); });
  } else {
    if (action == "passwd" &&
        !ask(service, [&](auth::AccountService& s, auth::AccountDone d) { s.find(name.value().key, d); }).ok()) {
      std::cerr << "parleyd: there is no account " << name.value().display << '\n';
      return 1;
    }
    auto password = read_new_password();
    if (!password) return 1;
    answer = ask(service, [&](auth::AccountService& s, auth::AccountDone d) {
      if (action == "add") s.create(name.value(), *password, d);
      else s.change_password(name.value().key, *password, d);
    });
  }
  if (!answer.ok()) {
    std::cerr << "parleyd: " << explain(answer, cfg.account_settings) << '\n';
    return 1;
  }
  const char* what = action == "add" ? "registered" : action == "del" ? "deleted" : "has a new password";
  std::cout << fmt::format("Account {} {}.\n", answer.name, what);
  return 0;
}

}  // namespace

Accounts::Accounts(const config::Config& cfg)
    : records_(open_account_records(cfg)),
      service_(std::make_unique<auth::AccountService>(*records_, cfg.account_settings, clock_)) {}

Accounts::~Accounts() { service_.reset(); }  // the worker stops before what it uses goes

std::int64_t last_account_deletion(const config::Config& cfg) {
  if (!cfg.accounts) return 0;
  return open_account_records(cfg)->last_deletion();
}

void watch_deleted_accounts(core::Hub& hub, Accounts& accounts, std::int64_t applied) {
  auth::AccountService& service = accounts.service();
  if (service.settings().deleted_check.count() <= 0) return;
  service.watch_deletions(applied, [&hub](const auth::AccountDeletion& d) {
    // Each registered room it leaves says so in a line of its own. A DROP on
    // this server was applied already: told again, nothing more happens.
    spdlog::info("The account {} was deleted: its sessions are logged out.", d.name);
    hub.account_deleted(d.key, d.id, fmt::format("The account {} was deleted; you are logged out.", d.name));
  });
}

std::unique_ptr<Accounts> start_accounts(const config::Config& cfg) {
  if (!cfg.accounts) return nullptr;
  auto accounts = std::make_unique<Accounts>(cfg);
  accounts->service().set_operator_logins(cfg.operators);
  return accounts;
}

std::optional<int> run_subcommand(int argc, char** argv) {
  if (argc < 2) return std::nullopt;
  const std::string first = argv[1];
  if (first != "account" && first != "hash-password") return std::nullopt;

  CLI::App app{"parleyd: administer accounts, or hash a password for the configuration"};
  std::string config_path, data_dir, action, name;
  app.add_option("--config", config_path, "TOML configuration file (see docs/configuration.md)");
  app.add_option("--data-dir", data_dir, "data directory (default $XDG_STATE_HOME/parley)");
  app.fallthrough();  // inherited by the subcommands: the options may follow them
  auto* account = app.add_subcommand("account", "add, delete, or set the password of an account (read from stdin)");
  account->add_option("action", action, "add, del or passwd")->required()->check(CLI::IsMember({"add", "del", "passwd"}));
  account->add_option("name", name, "the account's name")->required();
  auto* hash = app.add_subcommand("hash-password", "reads a password from stdin and prints its Argon2id hash");
  app.require_subcommand(1);
  try {
    app.parse(argc, argv);
  } catch (const CLI::ParseError& e) {
    return app.exit(e) == 0 ? 0 : 2;
  }
  if (hash->parsed()) {
    auto password = read_new_password();
    if (!password) return 1;
    // Hashed as SASLprep prepares it, as OPER prepares what is typed.
    auto prepared = auth::saslprep(*password);
    if (!prepared) {
      std::cerr << "parleyd: that password cannot be used: SASLprep prohibits it (control characters, for one)\n";
      return 1;
    }
    std::cout << auth::hash_password(*prepared) << '\n';
    return 0;
  }
  config::Config cfg;
  try {
    if (!config_path.empty()) cfg = config::load_file(config_path, cfg);
  } catch (const config::ConfigError& e) {
    std::cerr << "parleyd: " << e.what() << '\n';
    return 2;
  }
  if (!data_dir.empty()) cfg.data_dir = data_dir;
  if (cfg.data_dir.empty()) cfg.data_dir = config::default_data_dir();
  return account_command(cfg, action, name);
}

}  // namespace parley::daemon
