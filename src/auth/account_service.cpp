#include "auth/account_service.h"

#include <sodium.h>

#include <algorithm>
#include <exception>

#include "auth/saslprep.h"
#include "auth/secret.h"

namespace parley::auth {

namespace {

std::int64_t unix_now() {
  return std::chrono::duration_cast<std::chrono::seconds>(std::chrono::system_clock::now().time_since_epoch()).count();
}

AccountAnswer answer(AccountStatus status, std::string name = {}) {
  AccountAnswer a;
  a.status = status;
  a.name = std::move(name);
  return a;
}

}  // namespace

AccountService::AccountService(AccountRecords& records, AccountSettings settings, const core::Clock& clock)
    : records_(records),
      settings_(settings),
      pacing_(clock, settings.pacing),
      fake_secret_(random_bytes(crypto_generichash_KEYBYTES)),
      worker_(std::make_unique<Worker>("accounts")) {}

// The worker stops before any member goes, and while worker_ still points to
// it: a job running now may post again (the deletion check re-arms itself).
AccountService::~AccountService() { worker_->stop(); }

void AccountService::submit(AccountDone& done, std::function<void(AccountDone&)> job) {
  if (worker_->queued() >= settings_.max_queued) return done(answer(AccountStatus::busy));
  worker_->post([this, done = std::move(done), job = std::move(job)]() mutable {
    try {
      job(done);
    } catch (const std::exception&) {
      // The store's failure (or no memory to hash): the caller is told, the
      // worker goes on with the next job.
      done(answer(AccountStatus::unavailable));
    }
  });
}

void AccountService::after(std::chrono::steady_clock::duration delay, std::function<void()> job) {
  worker_->post_after(delay, std::move(job));
}

void AccountService::watch_deletions(std::int64_t after, DeletionSeen deleted) {
  worker_->post([this, after, deleted = std::move(deleted)]() mutable {
    deletions_seen_ = after;
    deletion_seen_ = std::move(deleted);
    check_deletions_later();
  });
}

std::int64_t AccountService::catch_up_deletions() {
  if (!deletion_seen_) return deletions_seen_;
  for (const AccountDeletion& d : records_.deletions_after(deletions_seen_)) {
    deletions_seen_ = std::max(deletions_seen_, d.id);
    deletion_seen_(d);
  }
  return deletions_seen_;
}

void AccountService::check_deletions_later() {
  if (settings_.deleted_check.count() <= 0) return;
  worker_->post_after(settings_.deleted_check, [this] {
    try {
      catch_up_deletions();
    } catch (const std::exception&) {
      // The store failed (and said so): the next check starts from the same place.
    }
    check_deletions_later();
  });
}

std::optional<AccountStatus> AccountService::check_password_length(const std::string& password) const {
  if (password.size() < settings_.min_password) return AccountStatus::password_too_short;
  if (password.size() > settings_.max_password) return AccountStatus::password_too_long;
  return std::nullopt;
}

std::chrono::seconds AccountService::paced(const std::string& key, const std::string& address) const {
  const auto wait = pacing_.wait_before(key, address);
  if (wait <= core::Duration::zero()) return std::chrono::seconds(0);
  return std::chrono::ceil<std::chrono::seconds>(wait);
}

AccountAnswer AccountService::failed_login(const std::string& key, const std::string& address) {
  pacing_.failed(key, address);
  return answer(AccountStatus::wrong_password);
}

void AccountService::set_password(AccountRecord& record, const std::string& prepared) const {
  record.password_hash = hash_password(prepared, settings_.cost);
  record.scram = make_scram_credentials(prepared);
}

void AccountService::create(core::CheckedName name, std::string password, AccountDone done) {
  if (auto bad = check_password_length(password)) return done(answer(*bad));
  // Hashed as SASLprep prepares it, as every login compares it (auth/saslprep.h).
  auto prepared = saslprep(password);
  if (!prepared) return done(answer(AccountStatus::password_invalid));
  if (auto bad = check_password_length(*prepared)) return done(answer(*bad));
  submit(done, [this, name = std::move(name), password = std::move(*prepared)](AccountDone& done) {
    const std::int64_t seen = catch_up_deletions();  // a deleted account of this name loses its rooms first
    if (records_.find(name.key)) return done(answer(AccountStatus::account_exists, name.display));
    AccountRecord record{name.key, name.display, {}, {}, unix_now()};
    set_password(record, password);
    if (!records_.insert(record)) return done(answer(AccountStatus::account_exists, name.display));
    AccountAnswer a = answer(AccountStatus::ok, name.display);
    a.deletions_seen = seen;
    done(std::move(a));
  });
}

void AccountService::verify(std::string key, std::string password, std::string address, AccountDone done) {
  submit(done, [this, key = std::move(key), password = std::move(password),
                address = std::move(address)](AccountDone& done) {
    if (const auto wait = paced(key, address); wait.count() > 0) {
      AccountAnswer a = answer(AccountStatus::paced, key);
      a.retry_after = wait;
      return done(std::move(a));
    }
    // Before the lookup: a deletion made after it is numbered above `seen`.
    const std::int64_t seen = catch_up_deletions();
    auto record = records_.find(key);
    // Compared as SASLprep prepares it; a password it prohibits matches nothing.
    const auto prepared = saslprep(password);
    if (!record || !prepared) {
      // As long as a real check, so the time taken does not say which names exist.
      if (dummy_hash_.empty()) dummy_hash_ = hash_password("no such account", settings_.cost);
      verify_password(dummy_hash_, password);
      return done(failed_login(key, address));
    }
    if (!verify_password(record->password_hash, *prepared)) {
      // Hashed before passwords were prepared (docs/configuration.md,
      // "Passwords"): the password as typed may match; then it is hashed again
      // in its prepared form, SCRAM keys included, once.
      if (*prepared == password || !verify_password(record->password_hash, password))
        return done(failed_login(key, address));
      set_password(*record, *prepared);
      records_.update(*record);
    }
    pacing_.succeeded(key);
    AccountAnswer a = answer(AccountStatus::ok, record->name);
    a.deletions_seen = seen;
    done(std::move(a));
  });
}

ScramCredentials AccountService::made_up_credentials(const std::string& key) const {
  unsigned char salt[16];
  crypto_generichash(salt, sizeof salt, reinterpret_cast<const unsigned char*>(key.data()), key.size(),
                     reinterpret_cast<const unsigned char*>(fake_secret_.data()), fake_secret_.size());
  ScramCredentials c;
  c.salt = std::string(reinterpret_cast<char*>(salt), sizeof salt);
  c.iterations = kScramIterations;
  c.stored_key = random_bytes(32);  // matches no proof
  c.server_key = random_bytes(32);
  return c;
}

void AccountService::scram_credentials(std::string key, std::string address, AccountDone done) {
  submit(done, [this, key = std::move(key), address = std::move(address)](AccountDone& done) {
    if (const auto wait = paced(key, address); wait.count() > 0) {
      AccountAnswer a = answer(AccountStatus::paced, key);
      a.retry_after = wait;
      return done(std::move(a));
    }
    const std::int64_t seen = catch_up_deletions();
    const auto record = records_.find(key);
    AccountAnswer a = answer(record ? AccountStatus::ok : AccountStatus::no_such_account, record ? record->name : key);
    a.scram = record ? record->scram : made_up_credentials(key);
    if (record) a.deletions_seen = seen;
    done(std::move(a));
  });
}

void AccountService::scram_finished(std::string key, std::string address, bool succeeded) {
  worker_->post([this, key = std::move(key), address = std::move(address), succeeded] {
    if (succeeded) pacing_.succeeded(key);
    else pacing_.failed(key, address);
  });
}

void AccountService::change_password(std::string key, std::string password, AccountDone done) {
  if (auto bad = check_password_length(password)) return done(answer(*bad));
  auto prepared = saslprep(password);
  if (!prepared) return done(answer(AccountStatus::password_invalid));
  if (auto bad = check_password_length(*prepared)) return done(answer(*bad));
  submit(done, [this, key = std::move(key), password = std::move(*prepared)](AccountDone& done) {
    auto record = records_.find(key);
    if (!record) return done(answer(AccountStatus::no_such_account, key));
    set_password(*record, password);
    if (!records_.update(*record)) return done(answer(AccountStatus::no_such_account, key));
    done(answer(AccountStatus::ok, record->name));
  });
}

void AccountService::remove(std::string key, AccountDone done) {
  submit(done, [this, key = std::move(key)](AccountDone& done) {
    const auto record = records_.find(key);
    const auto deletion = record ? records_.remove(key) : std::nullopt;
    if (!deletion) return done(answer(AccountStatus::no_such_account, key));
    AccountAnswer a = answer(AccountStatus::ok, record->name);
    a.deletion = *deletion;
    done(std::move(a));
  });
}

void AccountService::set_operator_logins(std::vector<core::OperatorLogin> logins) {
  worker_->post([this, logins = std::move(logins)]() mutable { operator_logins_ = std::move(logins); });
}

void AccountService::verify_operator(std::string name, std::string password, std::string address, AccountDone done) {
  submit(done, [this, name = std::move(name), password = std::move(password),
                address = std::move(address)](AccountDone& done) {
    if (operator_logins_.empty()) return done(answer(AccountStatus::no_such_account));
    const std::string key = "operator " + name;  // apart from accounts of the same name
    if (const auto wait = paced(key, address); wait.count() > 0) {
      AccountAnswer a = answer(AccountStatus::paced, name);
      a.retry_after = wait;
      return done(std::move(a));
    }
    // Compared as SASLprep prepares it, as the configuration keeps a plain
    // one (config.cpp) and `parleyd hash-password` hashes one; a password it
    // prohibits matches nothing. A hash made before passwords were prepared
    // may match the password as typed.
    const auto prepared = saslprep(password);
    auto verify_hash = [&](const std::string& hash) {
      if (!prepared) return false;
      return verify_password(hash, *prepared) || (*prepared != password && verify_password(hash, password));
    };
    // Every login is checked in full, so the time taken says nothing about
    // which names exist.
    bool match = false;
    for (const core::OperatorLogin& login : operator_logins_) {
      const bool same_name = same_secret(login.name, name);
      const bool same_password = is_password_hash(login.password) ? verify_hash(login.password)
                                                                  : prepared && same_secret(login.password, *prepared);
      match = match || (same_name && same_password);
    }
    if (!match) return done(failed_login(key, address));
    pacing_.succeeded(key);
    done(answer(AccountStatus::ok, name));
  });
}

void AccountService::find(std::string key, AccountDone done) {
  submit(done, [this, key = std::move(key)](AccountDone& done) {
    const auto record = records_.find(key);
    done(record ? answer(AccountStatus::ok, record->name) : answer(AccountStatus::no_such_account, key));
  });
}

}  // namespace parley::auth
