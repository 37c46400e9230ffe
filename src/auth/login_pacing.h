#pragma once
// Failed-login pacing: after a few failures for one account, or from one
// address, further attempts are refused until a wait has passed, and each
// further failure doubles the wait (up to a limit). A guesser gets a handful
// of tries a minute, whoever they aim at; the account's owner, once logged
// in, clears the account's count (not the address's: logging in to one's own
// account must not reset the pace of guessing at others').
// Not thread-safe: AccountService keeps one on its worker thread.
#include <chrono>
#include <cstddef>
#include <string>
#include <string_view>
#include <unordered_map>

#include "core/clock.h"

namespace parley::auth {

struct PacingPolicy {
  unsigned free_failures = 3;                 // failures before any wait
  std::chrono::seconds first_wait{2};         // the wait after the first paced failure; doubles after each
  std::chrono::seconds longest_wait{300};
  std::chrono::seconds forget_after{900};     // failures this old are forgotten
  std::size_t most_tracked = 10000;           // accounts (and addresses) remembered at most; the stalest go first
};

class LoginPacing {
 public:
  LoginPacing(const core::Clock& clock, PacingPolicy policy) : clock_(clock), policy_(policy) {}

  // How long until an attempt for `account` (its key) from `address` may be
  // made: zero when it may be made now.
  core::Duration wait_before(std::string_view account, std::string_view address) const;
  void failed(std::string_view account, std::string_view address);
  void succeeded(std::string_view account);

  std::size_t tracked() const { return accounts_.size() + addresses_.size(); }

 private:
  struct Failures {
    unsigned count = 0;
    core::SteadyTime last{};
    core::SteadyTime not_before{};
  };
  using Table = std::unordered_map<std::string, Failures>;
  core::Duration wait_in(const Table& table, std::string_view key) const;
  void count_failure(Table& table, std::string_view key);
  void make_room(Table& table);

  const core::Clock& clock_;
  PacingPolicy policy_;
  Table accounts_;
  Table addresses_;
};

}  // namespace parley::auth
