// Accounts over IRC: SASL (AUTHENTICATE with PLAIN and SCRAM-SHA-256,
// numerics 900-908, ircv3 sasl-3.2), draft/account-registration (REGISTER),
// a NickServ for clients that know only that, and name ownership (a
// registered nick is renamed to a guest nick unless its owner logs in).
// The account service hashes on its worker; answers come back through the
// hub (await_outside) in command order.
#include <fmt/format.h>

#include <algorithm>
#include <utility>

#include "auth/account_names.h"
#include "auth/base64.h"
#include "auth/name_guard.h"
#include "auth/sasl_plain.h"
#include "irc/capabilities.h"
#include "irc/command_helpers.h"
#include "irc/irc_session.h"
#include "irc/numerics.h"
#include "irc/render.h"

namespace parley::irc {

namespace {

constexpr std::size_t kSaslPiece = 400;           // AUTHENTICATE's chunk size (sasl-3.1)
constexpr std::size_t kSaslMaxGathered = 4 * kSaslPiece;  // base64 of one client message, at most

std::string upper(std::string_view s) {
  std::string out(s);
  std::transform(out.begin(), out.end(), out.begin(), [](unsigned char c) { return static_cast<char>(std::toupper(c)); });
  return out;
}

}  // namespace

// --- the account service, from this loop ------------------------------------------

void IrcSession::ask_accounts(std::function<void(auth::AccountService&, auth::AccountDone)> ask,
                              std::function<void(const auth::AccountAnswer&)> answered) {
  auth::AccountService& accounts = *config_->accounts;
  out_.hold_input();
  ++account_asks_;
  hub_.await_outside(ref_, [&](core::Hub::Reply reply) {
    ask(accounts, [this, reply = std::move(reply), answered = std::move(answered)](auth::AccountAnswer a) {
      // On the worker: hand the answer to this session's loop (run there only
      // while the session is attached, so `this` is alive).
      reply([this, answered, a = std::move(a)] {
        out_.resume_input();
        answered(a);
        account_ask_settled();
      });
    });
  });
}

const std::string& IrcSession::account_key() const {
  static const std::string none;
  return login_ ? login_->key : none;
}

void IrcSession::logged_in(const std::string& account, std::int64_t deletions_seen) {
  auto name = auth::account_name(account, hub_.limits().name_chars);
  login().account = account;
  login().key = name.ok() ? name.value().key : std::string();
  login().deletions_seen = deletions_seen;
  numeric(kRplLoggedIn, {prefix(), account}, fmt::format("You are now logged in as {}", account));
  // Before: once registered (try_register).
  if (registered_) hub_.presence().set_account(ref_, account, deletions_seen);
}

void IrcSession::log_out() {
  if (!login_ || login_->account.empty()) return;
  login_->account.clear();
  login_->key.clear();
  login_->join_markers.clear();
  numeric(kRplLoggedOut, {prefix()}, "You are now logged out");
}

void IrcSession::on_logged_out(const core::LoggedOut& why) {
  if (!registered_ || ended_ || !login_ || login_->account.empty()) return;
  // The hub has cleared the account already (account-notify "*" to the others).
  nickserv_notice(why.reason);
  log_out();
}

void IrcSession::unless_banned(const std::string& account, std::function<void()> proceed,
                               std::function<void(const core::ServerBan&)> refused) {
  out_.hold_input();  // the next line sees the outcome, as for the password check
  ++account_asks_;
  hub_.bans().on_account(ref_, account, [this, proceed = std::move(proceed), refused = std::move(refused)](
                                            const core::Result<std::optional<core::ServerBan>>& r) {
    out_.resume_input();
    if (r.ok() && r.value()) refused(*r.value());
    else proceed();
    account_ask_settled();
  });
}

void IrcSession::banned_notice(const std::string& account, const core::ServerBan& ban) {
  send_raw(format_line(config_->server_name, "NOTICE", {nick_},
                       fmt::format("The account {} is banned from this server: {}", account, ban.reason)));
}

// --- SASL ---------------------------------------------------------------------------

void IrcSession::cmd_authenticate(const Message& m) {
  if (!config_->accounts) return numeric(kErrUnknownCommand, {m.command}, "Unknown command");
  const std::string& param = m.params[0];
  Login::Sasl* sasl = login_ ? login_->sasl.get() : nullptr;
  if (!sasl) {
    if (param == "*") return numeric(kErrSaslAborted, {}, "SASL authentication aborted");
    if (login_ && !login_->account.empty())
      return numeric(kErrSaslAlready, {}, "You have already authenticated using SASL");
    const std::string mechanism = upper(param);
    if (mechanism != "PLAIN" && mechanism != "SCRAM-SHA-256") {
      numeric(kRplSaslMechs, {kSaslMechanisms}, "are available SASL mechanisms");
      return numeric(kErrSaslFail, {}, "SASL authentication failed");
    }
    login().sasl = std::make_unique<Login::Sasl>();
    login_->sasl->mechanism = mechanism;
    return send_raw("AUTHENTICATE +\r\n");
  }
  if (param == "*") {
    numeric(kErrSaslAborted, {}, "SASL authentication aborted");
    return sasl_done();
  }
  if (param.size() > kSaslPiece) {
    numeric(kErrSaslTooLong, {}, "SASL message too long");
    return sasl_done();
  }
  if (param != "+") sasl->buffer += param;
  if (sasl->buffer.size() > kSaslMaxGathered) return sasl_failed("too long");
  if (param.size() == kSaslPiece) return;  // more pieces follow
  const auto decoded = auth::base64_decode(std::exchange(sasl->buffer, {}));
  if (!decoded) return sasl_failed("not base64");
  sasl_message(*decoded);
}

void IrcSession::sasl_message(const std::string& decoded) {
  if (login_->sasl->mechanism == "PLAIN") return sasl_plain(decoded);
  sasl_scram(decoded);
}

void IrcSession::sasl_failed(std::string_view) {
  // The reason stays here: telling a guesser which part was wrong helps only them.
  numeric(kErrSaslFail, {}, "SASL authentication failed");
  sasl_done();
}

void IrcSession::sasl_done() {
  if (login_) login_->sasl.reset();
  if (!registered_ && registration_) try_register();  // it waited for the exchange
}

void IrcSession::sasl_plain(const std::string& decoded) {
  const auto credentials = auth::parse_sasl_plain(decoded);
  if (!credentials) return sasl_failed("malformed");
  const std::size_t name_chars = hub_.limits().name_chars;
  auto account = auth::account_name(credentials->authcid, name_chars);
  if (!account.ok()) return sasl_failed("bad account name");
  if (!credentials->authzid.empty()) {
    // Acting as another account is not offered: only as the same one.
    auto as = auth::account_name(credentials->authzid, name_chars);
    if (!as.ok() || as.value().key != account.value().key) return sasl_failed("authzid");
  }
  ask_accounts(
      [key = account.value().key, password = credentials->password, host = host_](auth::AccountService& s,
                                                                                 auth::AccountDone done) {
        s.verify(key, password, host, std::move(done));
      },
      [this](const auth::AccountAnswer& a) {
        if (!a.ok()) return sasl_failed("refused");
        // A server ban on the account refuses the login before it succeeds.
        unless_banned(
            a.name,
            [this, name = a.name, seen = a.deletions_seen] {
              logged_in(name, seen);
              numeric(kRplSaslSuccess, {}, "SASL authentication successful");
              sasl_done();
            },
            [this, name = a.name](const core::ServerBan& ban) {
              banned_notice(name, ban);
              sasl_failed("banned");
            });
      });
}

void IrcSession::sasl_challenge(std::string_view data) {
  const std::string encoded = auth::base64_encode(data);
  for (std::size_t at = 0; at < encoded.size(); at += kSaslPiece)
    send_raw(fmt::format("AUTHENTICATE {}\r\n", std::string_view(encoded).substr(at, kSaslPiece)));
  if (encoded.empty() || encoded.size() % kSaslPiece == 0) send_raw("AUTHENTICATE +\r\n");
}

void IrcSession::sasl_scram(const std::string& decoded) {
  Login::Sasl& sasl = *login_->sasl;
  auth::AccountService& accounts = *config_->accounts;
  if (!sasl.scram) {
    sasl.scram = std::make_unique<auth::ScramServer>();
    if (!sasl.scram->receive_client_first(decoded)) return sasl_failed(sasl.scram->error());
    auto account = auth::account_name(sasl.scram->user(), hub_.limits().name_chars);
    if (!account.ok()) return sasl_failed("bad account name");
    sasl.scram_key = account.value().key;
    return ask_accounts(
        [key = sasl.scram_key, host = host_](auth::AccountService& s, auth::AccountDone done) {
          s.scram_credentials(key, host, std::move(done));
        },
        [this](const auth::AccountAnswer& a) {
          if (!login_ || !login_->sasl || !login_->sasl->scram) return;  // aborted meanwhile
          // No account: made-up credentials, so the exchange fails at the proof
          // as a wrong password would.
          if (a.status != auth::AccountStatus::ok && a.status != auth::AccountStatus::no_such_account)
            return sasl_failed("refused");
          login_->sasl->scram_account = a.ok() ? a.name : std::string();
          login_->sasl->scram_deletions_seen = a.deletions_seen;
          sasl_challenge(login_->sasl->scram->server_first(a.scram));
        });
  }
  if (!sasl.scram_proved) {
    const bool proved = sasl.scram->receive_client_final(decoded) && !sasl.scram_account.empty();
    accounts.scram_finished(sasl.scram_key, host_, proved);
    if (!proved) return sasl_failed("wrong proof");
    sasl.scram_proved = true;
    return sasl_challenge(sasl.scram->server_final());
  }
  if (!decoded.empty()) return sasl_failed("unexpected data");
  unless_banned(
      sasl.scram_account,
      [this, name = sasl.scram_account, seen = sasl.scram_deletions_seen] {
        logged_in(name, seen);
        numeric(kRplSaslSuccess, {}, "SASL authentication successful");
        sasl_done();
      },
      [this, name = sasl.scram_account](const core::ServerBan& ban) {
        banned_notice(name, ban);
        sasl_failed("banned");
      });
}

// --- REGISTER (draft/account-registration) ------------------------------------------

void IrcSession::register_account(std::string password, std::function<void(const auth::AccountAnswer&)> answered,
                                  std::function<void(const core::ServerBan&)> banned) {
  // Before connection registration (before-connect): the nick NICK asked for.
  const std::string& nick = registered_ ? nick_ : registration_->wanted_nick;
  auto name = auth::account_name(nick, hub_.limits().name_chars);
  if (!name.ok()) {
    auth::AccountAnswer refused;
    refused.status = auth::AccountStatus::no_such_account;
    refused.name = nick;
    return answered(refused);
  }
  // A name a server ban names ($a:) cannot be registered: it would be banned at once.
  unless_banned(
      name.value().display,
      [this, name = name.value(), password = std::move(password), answered]() mutable {
        create_account(std::move(name), std::move(password), std::move(answered));
      },
      std::move(banned));
}

void IrcSession::create_account(core::CheckedName name, std::string password,
                                std::function<void(const auth::AccountAnswer&)> answered) {
  ask_accounts(
      [name = std::move(name), password = std::move(password)](auth::AccountService& s, auth::AccountDone done) {
        s.create(name, password, std::move(done));
      },
      [this, answered = std::move(answered)](const auth::AccountAnswer& a) {
        answered(a);
        if (a.ok()) logged_in(a.name, a.deletions_seen);
      });
}

bool IrcSession::register_before_connect() const {
  // Never with a server password: REGISTER must not let a client that has
  // not given it make an account (the specification's warning).
  return config_->accounts && config_->register_before_connect && config_->password.empty();
}

void IrcSession::cmd_register(const Message& m) {
  if (!config_->accounts) return numeric(kErrUnknownCommand, {m.command}, "Unknown command");
  const std::string& account = m.params[0];
  if (!registered_ && !register_before_connect())
    return standard_reply("FAIL", "REGISTER", "COMPLETE_CONNECTION_REQUIRED", {account},
                          "Register your account once connected");
  if (login_ && !login_->account.empty())
    return standard_reply("FAIL", "REGISTER", "ALREADY_AUTHENTICATED", {account}, "You are already logged in");
  if (!registered_) return register_before_connection(m);
  if (account != "*") {
    auto wanted = auth::account_name(account, hub_.limits().name_chars);
    if (!wanted.ok() || wanted.value().key != name_key())
      return standard_reply("FAIL", "REGISTER", "ACCOUNT_NAME_MUST_BE_NICK", {account},
                            "The account must be named for your current nick");
  }
  create_registered_account(m.params[2]);
}

// draft/account-registration's before-connect: named for the nick NICK asked
// for, which nobody else may hold (no registering a name from under the
// connected user who has it: ACCOUNT_EXISTS, as for a registered one).
void IrcSession::register_before_connection(const Message& m) {
  const std::string& account = m.params[0];
  const std::string nick = registration_->wanted_nick;
  if (nick.empty()) return standard_reply("FAIL", "REGISTER", "NEED_NICK", {"*"}, "Send NICK before REGISTER");
  auto wanted_key = [this](const std::string& name) {
    auto checked = auth::account_name(name, hub_.limits().name_chars);
    return checked.ok() ? checked.value().key : std::string();
  };
  if (account != "*" && (wanted_key(account).empty() || wanted_key(account) != wanted_key(nick)))
    return standard_reply("FAIL", "REGISTER", "ACCOUNT_NAME_MUST_BE_NICK", {account},
                          "The account must be named for your current nick");
  out_.hold_input();  // what follows (USER, CAP END) waits for the outcome
  hub_.directory().find_user(ref_, nick, [this, nick, password = m.params[2]](const core::Result<core::Identity>& r) {
    out_.resume_input();
    if (registered_ || !registration_ || registration_->wanted_nick != nick) return;  // moved on meanwhile
    if (r.ok()) return standard_reply("FAIL", "REGISTER", "ACCOUNT_EXISTS", {nick}, "Someone else is using that name");
    create_registered_account(password);
  });
}

void IrcSession::create_registered_account(const std::string& password) {
  auto banned = [this](const core::ServerBan&) {
    standard_reply("FAIL", "REGISTER", "BAD_ACCOUNT_NAME", {registered_ ? nick_ : registration_->wanted_nick},
                   "That account name is banned from this server");
  };
  register_account(password, [this](const auth::AccountAnswer& a) {
    using S = auth::AccountStatus;
    const std::string& name = a.name.empty() ? (registered_ ? nick_ : registration_->wanted_nick) : a.name;
    switch (a.status) {
      case S::ok:
        return send_raw(fitted_line(
            Message{{}, config_->server_name, "REGISTER", {"SUCCESS", name, "Account created; you are logged in"}}));
      case S::account_exists:
        return standard_reply("FAIL", "REGISTER", "ACCOUNT_EXISTS", {name}, "That account already exists");
      case S::password_too_short:
        return standard_reply("FAIL", "REGISTER", "WEAK_PASSWORD", {name},
                              fmt::format("Passwords need at least {} bytes", config_->accounts->settings().min_password));
      case S::password_too_long:
        return standard_reply("FAIL", "REGISTER", "UNACCEPTABLE_PASSWORD", {name},
                              fmt::format("Passwords have at most {} bytes", config_->accounts->settings().max_password));
      case S::password_invalid:
        return standard_reply("FAIL", "REGISTER", "UNACCEPTABLE_PASSWORD", {name},
                              "Passwords cannot hold control or other characters SASLprep prohibits");
      case S::no_such_account:
        return standard_reply("FAIL", "REGISTER", "BAD_ACCOUNT_NAME", {name}, "Your nick cannot name an account");
      default:
        return standard_reply("FAIL", "REGISTER", "TEMPORARILY_UNAVAILABLE", {name},
                              "Accounts cannot be registered right now; try again later");
    }
  }, banned);
}

// --- NickServ -------------------------------------------------------------------------

void IrcSession::nickserv_notice(std::string_view text) {
  send_raw(format_line(fmt::format("{0}!{0}@services", auth::kNickServ), "NOTICE", {nick_}, text));
}

void IrcSession::nickserv(std::string_view text) {
  std::vector<std::string> words;
  for (std::size_t at = 0; at < text.size();) {
    const auto space = text.find(' ', at);
    const auto word = text.substr(at, space == std::string_view::npos ? std::string_view::npos : space - at);
    if (!word.empty()) words.emplace_back(word);
    if (space == std::string_view::npos) break;
    at = space + 1;
  }
  const std::string command = words.empty() ? std::string() : upper(words[0]);
  const bool logged = login_ && !login_->account.empty();
  if (command == "REGISTER" && words.size() >= 2) {
    if (logged) return nickserv_notice(fmt::format("You are already logged in as {}.", login_->account));
    return register_account(words[1], [this](const auth::AccountAnswer& a) {
      using S = auth::AccountStatus;
      switch (a.status) {
        case S::ok: return nickserv_notice(fmt::format("{} is now registered to you, and you are logged in.", a.name));
        case S::account_exists: return nickserv_notice(fmt::format("{} is already registered.", a.name));
        case S::password_too_short:
          return nickserv_notice(fmt::format("Passwords need at least {} bytes.", config_->accounts->settings().min_password));
        case S::password_too_long:
          return nickserv_notice(fmt::format("Passwords have at most {} bytes.", config_->accounts->settings().max_password));
        case S::password_invalid:
          return nickserv_notice("Passwords cannot hold control or other characters SASLprep prohibits.");
        case S::no_such_account: return nickserv_notice("Your nick cannot name an account.");
        default: return nickserv_notice("Accounts cannot be registered right now; try again later.");
      }
    }, [this](const core::ServerBan& ban) {
      nickserv_notice(fmt::format("{} is banned from this server: {}", nick_, ban.reason));
    });
  }
  if (command == "IDENTIFY" && words.size() >= 2) {
    if (logged) return nickserv_notice(fmt::format("You are already logged in as {}.", login_->account));
    const std::string& raw = words.size() >= 3 ? words[1] : nick_;
    auto account = auth::account_name(raw, hub_.limits().name_chars);
    if (!account.ok()) return nickserv_notice("Invalid account name or password.");
    return ask_accounts(
        [key = account.value().key, password = words.back(), host = host_](auth::AccountService& s,
                                                                          auth::AccountDone done) {
          s.verify(key, password, host, std::move(done));
        },
        [this](const auth::AccountAnswer& a) {
          using S = auth::AccountStatus;
          if (a.ok()) {
            return unless_banned(
                a.name,
                [this, name = a.name, seen = a.deletions_seen] {
                  logged_in(name, seen);
                  nickserv_notice(fmt::format("You are now logged in as {}.", name));
                },
                [this, name = a.name](const core::ServerBan& ban) {
                  nickserv_notice(fmt::format("The account {} is banned from this server: {}", name, ban.reason));
                });
          }
          if (a.status == S::paced)
            return nickserv_notice(fmt::format("Too many failed logins; try again in {} seconds.", a.retry_after.count()));
          if (a.status == S::wrong_password) return nickserv_notice("Invalid account name or password.");
          nickserv_notice("Logins are not possible right now; try again later.");
        });
  }
  if (command == "LOGOUT") {
    if (!logged) return nickserv_notice("You are not logged in.");
    const std::string account = login_->account;
    log_out();
    hub_.presence().set_account(ref_, {});  // account-notify: "ACCOUNT *"
    nickserv_notice(fmt::format("You are now logged out of {}.", account));
    return guard_my_name();  // a registered nick is again on its grace period
  }
  if (command == "DROP" && words.size() >= 2) {
    if (!logged) return nickserv_notice("Log in to the account you want to drop first.");
    const std::string account = login_->account;
    const std::string key = login_->key;
    // The password again: a session left open is not enough to delete an account.
    return ask_accounts(
        [key, password = words.back(), host = host_](auth::AccountService& s, auth::AccountDone done) {
          s.verify(key, password, host, [&s, key, done = std::move(done)](auth::AccountAnswer a) {
            if (!a.ok()) return done(std::move(a));
            s.remove(key, done);  // queued right behind the check, on the worker
          });
        },
        [this, account, key](const auth::AccountAnswer& a) {
          using S = auth::AccountStatus;
          if (a.ok()) {
            nickserv_notice(fmt::format("The account {} is deleted.", account));
            // This session and every other one logged in to it.
            hub_.account_deleted(key, a.deletion,
                                 fmt::format("The account {} was deleted; you are logged out.", account));
            return;
          }
          if (a.status == S::paced)
            return nickserv_notice(fmt::format("Too many failed logins; try again in {} seconds.", a.retry_after.count()));
          if (a.status == S::wrong_password) return nickserv_notice("Wrong password: the account is kept.");
          nickserv_notice("Accounts cannot be dropped right now; try again later.");
        });
  }
  nickserv_notice("Commands: REGISTER <password>, IDENTIFY [account] <password>, LOGOUT, DROP <password>.");
}

// --- name ownership ---------------------------------------------------------------------

std::string IrcSession::name_key() const {
  auto name = auth::account_name(hub_.identity_of(ref_).display, hub_.limits().name_chars);
  return name.ok() ? name.value().key : std::string();
}

void IrcSession::account_ask_settled() {
  if (--account_asks_ > 0 || !login_ || login_->enforce_after_asks.empty()) return;
  enforce_name(std::exchange(login_->enforce_after_asks, {}));
}

void IrcSession::guard_my_name() {
  if (!config_->accounts || !registered_) return;
  const std::string key = name_key();
  auth::guard_name(
      hub_, ref_, *config_->accounts, key, account_key(),
      [this, key](const std::string& account) {
        if (ended_ || name_key() != key || account_key() == key) return;
        const auto grace = std::chrono::ceil<std::chrono::seconds>(config_->accounts->settings().name_grace);
        nickserv_notice(fmt::format("{} is a registered account. Log in within {} seconds (SASL, or /msg NickServ "
                                    "IDENTIFY password), or your nick will be changed.",
                                    account, grace.count()));
      },
      [this, key] { enforce_name(key); });
}

void IrcSession::enforce_name(const std::string& key, int tries) {
  if (ended_ || closing_ || name_key() != key || account_key() == key) return;  // renamed, or logged in, meanwhile
  // A login sent in time whose answer is still on its way (the password
  // check on the account worker, then the server-ban check on the registry
  // loop) is waited for: renaming now would overtake it.
  if (account_asks_ > 0) {
    login().enforce_after_asks = key;
    return;
  }
  const std::string guest = auth::guest_name();
  hub_.claim_name(ref_, guest, [this, key, tries](const core::Result<core::Identity>& r) {
    if (!r.ok()) {
      if (tries > 1) enforce_name(key, tries - 1);  // that guest name was taken: another
      return;
    }
    const std::string old_prefix = prefix();
    const std::string old_nick = nick_;
    nick_ = r.value().nick;
    shown().renames.emplace_back(ref_, "NICK " + nick_);
    send_raw(format_line(old_prefix, "NICK", {}, nick_));
    nickserv_notice(fmt::format("{} is a registered account and you did not log in to it in time: you are now {}.",
                                old_nick, nick_));
  });
}

// --- a nick lost to another node (cluster) --------------------------------------------

void IrcSession::on_name_lost(const core::Identity& lost) {
  if (ended_ || closing_ || !registered_) return;
  take_fallback_nick(lost.nick);
}

void IrcSession::take_fallback_nick(const std::string& lost_nick, int tries) {
  // As InspIRCd does on a collision: the loser gets a nick nobody holds, and
  // sees its own NICK change like any other.
  hub_.claim_name(ref_, auth::guest_name(), [this, lost_nick, tries](const core::Result<core::Identity>& r) {
    if (ended_ || closing_) return;
    if (!r.ok()) {
      if (tries > 1) take_fallback_nick(lost_nick, tries - 1);  // that guest nick was taken: another
      return;
    }
    const std::string old_prefix = prefix();
    nick_ = r.value().nick;
    shown().renames.emplace_back(ref_, "NICK " + nick_);
    send_raw(format_line(old_prefix, "NICK", {}, nick_));
    send_raw(format_line(config_->server_name, "NOTICE", {nick_},
                         fmt::format("Your nick {} is held on another server of this network now (nick collision): "
                                     "you are now {}.", lost_nick, nick_)));
  });
}

}  // namespace parley::irc
