#include "core/ban_requests.h"

#include <fmt/format.h>

#include "core/shown_text.h"

namespace parley::core {

void BanRequests::add(SessionRef who, std::string_view raw_mask, std::string reason, Callback<BanAdded> done,
                      std::optional<std::chrono::seconds> duration) {
  LocalSession* s = state_.find(who);
  if (!s) return;
  if (!s->identity->presence.server_operator) return done(Refusal::not_server_operator);
  auto mask = normalize_server_ban(raw_mask);
  if (!mask) return done(Refusal::invalid_ban_mask);
  reason = fit_to_show(reason, 200);
  if (reason.empty()) reason = "No reason given";
  const WallTime now = state_.wall_clock();
  ServerBan ban{*mask, std::move(reason), s->identity->display, now, duration ? now + *duration : WallTime{}};
  const Ticket ticket = state_.answers().open(*s);
  state_.post(HubState::kRegistryLoop, [this, ticket, ban = std::move(ban), done = std::move(done)]() mutable {
    BanAdded added = apply_added(ban);
    if (state_.backplane) state_.backplane->publish_ban(ban, true);
    state_.answers().reply<BanAdded>(ticket, std::move(done), std::move(added));
  });
}

BanAdded BanRequests::apply_added(const ServerBan& ban, std::string_view from_node, bool keep) {
  state_.expire_bans();
  BanAdded added{ban, !state_.bans().add(ban), 0};
  if (keep) state_.keep_ban(ban);
  // Everyone it applies to now: gathered first, since each is released as it is ended.
  std::vector<std::pair<SessionRef, Identity>> matching;
  state_.directory().for_each_user([&](SessionRef owner, const Identity& identity) {
    if (server_ban_matches(ban.mask, identity)) matching.emplace_back(owner, identity);
  });
  for (const auto& [owner, identity] : matching) {
    if (state_.enforce_bans(owner, identity)) ++added.disconnected;
  }
  state_.note(fmt::format("Server ban {} by {}{}: {} ({} disconnected).", added.replaced ? "changed" : "added",
                          ban.set_by, from_node, ban.mask, added.disconnected));
  return added;
}

void BanRequests::apply_remote(ServerBan ban, bool added) {
  const bool keep = !state_.records_shared;
  if (added) {
    apply_added(ban, " on another node", keep);
    return;
  }
  apply_removed(ban.mask, "on another node", keep);  // nothing when never here, or lapsed already
}

std::optional<ServerBan> BanRequests::apply_removed(const std::string& mask, std::string_view how, bool keep) {
  state_.expire_bans();
  auto removed = state_.bans().remove(mask);
  if (!removed) return removed;
  if (keep) state_.forget_ban(removed->mask);
  state_.note(fmt::format("Server ban removed {}: {}.", how, removed->mask));
  return removed;
}

void BanRequests::remove(SessionRef who, std::string_view raw_mask, Callback<ServerBan> done) {
  LocalSession* s = state_.find(who);
  if (!s) return;
  if (!s->identity->presence.server_operator) return done(Refusal::not_server_operator);
  auto mask = normalize_server_ban(raw_mask);
  if (!mask) return done(Refusal::invalid_ban_mask);
  const Ticket ticket = state_.answers().open(*s);
  state_.post(HubState::kRegistryLoop, [this, ticket, mask = std::move(*mask), by = s->identity->display,
                                        done = std::move(done)]() mutable {
    auto removed = apply_removed(mask, "by " + by);
    if (!removed) return state_.answers().reply<ServerBan>(ticket, std::move(done), Refusal::no_such_ban);
    if (state_.backplane) state_.backplane->publish_ban(*removed, false);
    state_.answers().reply<ServerBan>(ticket, std::move(done), std::move(*removed));
  });
}

void BanRequests::list(SessionRef who, Callback<std::vector<ServerBan>> done) {
  LocalSession* s = state_.find(who);
  if (!s) return;
  if (!s->identity->presence.server_operator) return done(Refusal::not_server_operator);
  const Ticket ticket = state_.answers().open(*s);
  state_.post(HubState::kRegistryLoop, [this, ticket, done = std::move(done)]() mutable {
    state_.expire_bans();  // listed with their expiry, never past it
    state_.answers().reply<std::vector<ServerBan>>(ticket, std::move(done), state_.bans().all());
  });
}

void BanRequests::on_account(SessionRef who, std::string account, Callback<std::optional<ServerBan>> done) {
  using Found = std::optional<ServerBan>;
  LocalSession* s = state_.find(who);
  if (!s) return;
  const Ticket ticket = state_.answers().open(*s);
  state_.post(HubState::kRegistryLoop, [this, ticket, account = std::move(account), done = std::move(done)]() mutable {
    state_.expire_bans();
    const ServerBan* ban = state_.bans().on_account(account);
    state_.answers().reply<Found>(ticket, std::move(done), ban ? Found(*ban) : Found());
  });
}

}  // namespace parley::core
