#include "core/marker_requests.h"

#include <algorithm>
#include <chrono>

#include "core/unicode.h"

namespace parley::core {
namespace {

std::string folded(const std::string& account) { return fold_key(account).value_or(account); }

}  // namespace

void MarkerRequests::get(SessionRef who, std::vector<std::string> targets,
                         Callback<std::vector<std::optional<WallTime>>> done) {
  using Times = std::vector<std::optional<WallTime>>;
  LocalSession* s = state_.find(who);
  if (!s) return;
  if (!enabled()) return done(Refusal::history_unavailable);
  const std::string& account = s->identity->presence.account;
  if (account.empty()) return done(Refusal::not_logged_in);
  const Ticket ticket = state_.answers().open(*s);
  state_.offload([this, ticket, account = folded(account), targets = std::move(targets), done = std::move(done)]() mutable {
    Result<Times> result = Refusal::history_unavailable;
    try {
      Times times;
      for (const std::string& t : targets) times.push_back(state_.read_markers->get(account, t));
      result = std::move(times);
    } catch (const std::exception&) {
      // The store logs its failure; the session is told markers are unavailable.
    }
    state_.answers().reply<Times>(ticket, std::move(done), std::move(result));
  });
}

void MarkerRequests::set(SessionRef who, std::string target, std::string shown, WallTime time, Callback<WallTime> done) {
  LocalSession* s = state_.find(who);
  if (!s) return;
  if (!enabled()) return done(Refusal::history_unavailable);
  const std::string& account = s->identity->presence.account;
  if (account.empty()) return done(Refusal::not_logged_in);
  // "clamp it between the last read timestamp and the current time" (the spec's advice).
  time = std::min(time, std::chrono::system_clock::now());
  const Ticket ticket = state_.answers().open(*s);
  state_.offload([this, ticket, account = folded(account), target = std::move(target), shown = std::move(shown), time,
                  done = std::move(done)]() mutable {
    Result<WallTime> result = Refusal::history_unavailable;
    bool moved = false;
    try {
      const auto before = state_.read_markers->get(account, target);
      const WallTime kept = state_.read_markers->raise(account, target, time);
      moved = !before || *before != kept;
      result = kept;
    } catch (const std::exception&) {
    }
    if (moved) {
      // The account's other sessions: found where names are held.
      state_.post(HubState::kRegistryLoop, [this, who = ticket.who, account, notice = ReadMarkerNotice{shown, result.value()}] {
        std::vector<SessionRef> others;
        state_.directory().for_each_user([&](SessionRef s, const Identity& identity) {
          if (s != who && !identity.presence.account.empty() && folded(identity.presence.account) == account)
            others.push_back(s);
        });
        state_.fanout().tell(others, [notice](Member& m) { m.on_read_marker(notice); });
      });
    }
    state_.answers().reply<WallTime>(ticket, std::move(done), std::move(result));
  });
}

}  // namespace parley::core
