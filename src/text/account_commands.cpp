// Accounts for text users: /register PASSWORD, /login NAME PASSWORD, and name
// ownership (a registered name is renamed to a guest name unless its owner
// logs in within the grace period). The account service hashes on its
// worker; answers come back through the hub (await_outside) in command order.
// Passwords are never repeated back, nor logged.
#include <fmt/format.h>

#include <utility>

#include "auth/account_names.h"
#include "auth/name_guard.h"
#include "core/unicode.h"
#include "text/command_line.h"
#include "text/refusal_text.h"
#include "text/text_session.h"

namespace parley::text {

void TextSession::ask_accounts(std::function<void(auth::AccountService&, auth::AccountDone)> ask,
                               std::function<void(const auth::AccountAnswer&)> answered) {
  auth::AccountService& accounts = *config_.accounts;
  out_.hold_input();  // the next line sees the outcome
  ++account_asks_;
  hub_.await_outside(ref_, [&](core::Hub::Reply reply) {
    ask(accounts, [this, reply = std::move(reply), answered = std::move(answered)](auth::AccountAnswer a) {
      // On the worker: run on this session's loop, only while it is attached.
      reply([this, answered, a = std::move(a)] {
        out_.resume_input();
        answered(a);
        account_ask_settled();
      });
    });
  });
}

const std::string& TextSession::account_key() const {
  static const std::string none;
  return login_ ? login_->key : none;
}

std::string TextSession::name_key() const {
  auto name = auth::account_name(name_, hub_.limits().name_chars);
  return name.ok() ? name.value().key : std::string();
}

void TextSession::logged_in(const std::string& account, std::int64_t deletions_seen) {
  auto name = auth::account_name(account, hub_.limits().name_chars);
  if (!login_) login_ = std::make_unique<Login>();
  login_->account = account;
  login_->key = name.ok() ? name.value().key : std::string();
  hub_.presence().set_account(ref_, account, deletions_seen);
}

namespace {

std::string password_limits(const auth::AccountService& accounts, auth::AccountStatus status) {
  if (status == auth::AccountStatus::password_too_short)
    return fmt::format("a password needs at least {} bytes.", accounts.settings().min_password);
  return fmt::format("a password has at most {} bytes.", accounts.settings().max_password);
}

}  // namespace

void TextSession::cmd_register(std::string_view args) {
  if (core::trim_space(args).starts_with('#')) return cmd_register_room(args);  // a room, not a password
  if (!config_.accounts) return send_error("this server keeps no accounts.");
  const std::string password(core::trim_space(args));
  if (password.empty()) return send("Usage: /register PASSWORD");
  if (login_) return send_error(fmt::format("you are logged in as {} already.", login_->account));
  auto name = auth::account_name(name_, hub_.limits().name_chars);
  if (!name.ok()) return send_error("your name cannot name an account.");
  // A name a server ban names ($a:) cannot be registered: it would be banned at once.
  unless_banned(name.value().display, [this, name = name.value(), password] { create_account(name, password); },
                [this, shown = name.value().display](const core::ServerBan& ban) {
                  send_error(fmt::format("the name {} is banned from this server ({}).", shown, ban.reason));
                });
}

void TextSession::unless_banned(const std::string& account, std::function<void()> proceed,
                                std::function<void(const core::ServerBan&)> refused) {
  out_.hold_input();  // the next line sees the outcome
  ++account_asks_;
  hub_.bans().on_account(ref_, account, [this, proceed = std::move(proceed), refused = std::move(refused)](
                                            const core::Result<std::optional<core::ServerBan>>& r) {
    out_.resume_input();
    if (r.ok() && r.value()) refused(*r.value());
    else proceed();
    account_ask_settled();
  });
}

void TextSession::create_account(core::CheckedName name, std::string password) {
  ask_accounts(
      [name = std::move(name), password = std::move(password)](auth::AccountService& s, auth::AccountDone done) {
        s.create(name, password, std::move(done));
      },
      [this](const auth::AccountAnswer& a) {
        using S = auth::AccountStatus;
        switch (a.status) {
          case S::ok:
            logged_in(a.name, a.deletions_seen);
            return send(fmt::format("The account {} is registered, and you are logged in to it.", a.name));
          case S::account_exists: return send_error(fmt::format("the account {} exists already.", a.name));
          case S::password_too_short:
          case S::password_too_long: return send_error(password_limits(*config_.accounts, a.status));
          case S::password_invalid:
            return send_error("a password cannot hold control or other characters SASLprep prohibits.");
          default: return send_error("accounts cannot be registered right now; try again later.");
        }
      });
}

void TextSession::cmd_login(std::string_view args) {
  if (!config_.accounts) return send_error("this server keeps no accounts.");
  FirstArg name = split_first_arg(args);
  const std::string password(core::trim_space(name.rest));
  if (!name.ok || name.arg.empty() || password.empty())
    return send("Usage: /login NAME PASSWORD");
  if (login_) return send_error(fmt::format("you are logged in as {} already.", login_->account));
  auto account = auth::account_name(name.arg, hub_.limits().name_chars);
  if (!account.ok()) return send_error("wrong account name or password.");
  ask_accounts(
      [key = account.value().key, password, address = peer_address_](auth::AccountService& s, auth::AccountDone done) {
        s.verify(key, password, address, std::move(done));
      },
      [this](const auth::AccountAnswer& a) {
        using S = auth::AccountStatus;
        if (a.ok()) {
          // A server ban on the account refuses the login before it succeeds.
          return unless_banned(
              a.name,
              [this, name = a.name, seen = a.deletions_seen] {
                logged_in(name, seen);
                send(fmt::format("You are logged in as {}.", name));
              },
              [this, name = a.name](const core::ServerBan& ban) {
                send_error(fmt::format("the account {} is banned from this server ({}).", name, ban.reason));
              });
        }
        if (a.status == S::paced)
          return send_error(fmt::format("too many failed logins; try again in {} seconds.", a.retry_after.count()));
        if (a.status == S::wrong_password) return send_error("wrong account name or password.");
        send_error("logins are not possible right now; try again later.");
      });
}

void TextSession::cmd_logout(std::string_view) {
  if (!config_.accounts) return send_error("this server keeps no accounts.");
  if (!login_) return send_error("you are not logged in.");
  const std::string account = login_->account;
  login_.reset();
  hub_.presence().set_account(ref_, {});
  send(fmt::format("You are logged out of {}.", account));
  guard_my_name();  // a registered name is again on its grace period
}

void TextSession::on_logged_out(const core::LoggedOut& why) {
  if (!login_) return;
  // The hub has cleared the account already; the name is no longer anyone's.
  login_.reset();
  send(why.reason);
}

void TextSession::account_ask_settled() {
  if (--account_asks_ > 0 || enforce_after_asks_.empty()) return;
  enforce_name(std::exchange(enforce_after_asks_, {}));
}

void TextSession::guard_my_name() {
  if (!config_.accounts || state_ != State::chatting) return;
  const std::string key = name_key();
  auth::guard_name(
      hub_, ref_, *config_.accounts, key, account_key(),
      [this, key](const std::string& account) {
        if (state_ != State::chatting || name_key() != key || account_key() == key) return;
        const auto grace = std::chrono::ceil<std::chrono::seconds>(config_.accounts->settings().name_grace);
        send(fmt::format("The name {} belongs to the account {}. Log in within {} seconds (/login {} PASSWORD), "
                         "or you will be renamed.",
                         name_, account, grace.count(), account));
      },
      [this, key] { enforce_name(key); });
}

void TextSession::enforce_name(const std::string& key, int tries) {
  if (state_ != State::chatting || leaving_ || name_key() != key || account_key() == key) return;
  // A login sent in time whose answer is still on its way (the password
  // check on the account worker, then the server-ban check on the registry
  // loop) is waited for: renaming now would overtake it.
  if (account_asks_ > 0) {
    enforce_after_asks_ = key;
    return;
  }
  hub_.claim_name(ref_, auth::guest_name(), [this, key, tries](const core::Result<core::Identity>& r) {
    if (!r.ok()) {
      if (tries > 1) enforce_name(key, tries - 1);  // that guest name was taken: another
      return;
    }
    const std::string old = name_;
    name_ = r.value().display;
    if (rooms_.empty()) send(fmt::format("You are now known as {}.", name_));
    send(fmt::format("You were renamed to {}: {} is a registered name and you did not log in to it in time.", name_,
                     old));
  });
}

// --- a name lost to another node (cluster) --------------------------------------------

void TextSession::on_name_lost(const core::Identity& lost) {
  if (state_ != State::chatting || leaving_) return;
  take_fallback_name(lost.display);
}

void TextSession::take_fallback_name(const std::string& lost_name, int tries) {
  hub_.claim_name(ref_, auth::guest_name(), [this, lost_name, tries](const core::Result<core::Identity>& r) {
    if (state_ != State::chatting) return;
    if (!r.ok()) {
      if (tries > 1) take_fallback_name(lost_name, tries - 1);  // that guest name was taken: another
      return;
    }
    name_ = r.value().display;
    if (rooms_.empty()) send(fmt::format("You are now known as {}.", name_));
    send(fmt::format("You were renamed to {}: the name {} is held on another server of this network now.", name_,
                     lost_name));
  });
}

}  // namespace parley::text
