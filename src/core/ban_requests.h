#pragma once
// Server-wide bans (K-lines), asked by server operators: add, remove, list.
// Called on the session's loop; decided on the registry loop, which owns the
// bans (HubState::bans), keeps them (BanRecords, off the loops) and ends the
// sessions a new ban applies to. Callbacks run on the asker's loop.
#include <chrono>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "core/hub_state.h"

namespace parley::core {

struct BanAdded {
  ServerBan ban;             // as kept (the mask normalized)
  bool replaced = false;     // a ban with that mask existed: its reason was replaced
  std::size_t disconnected = 0;  // sessions it ended
};

class BanRequests {
 public:
  explicit BanRequests(HubState& state) : state_(state) {}

  // Refused: not_server_operator, invalid_ban_mask (core::normalize_server_ban).
  // An empty reason becomes "No reason given". With `duration`, the ban
  // lapses that long after now (HubState::wall_clock); without, it stays.
  void add(SessionRef who, std::string_view mask, std::string reason, Callback<BanAdded> done,
           std::optional<std::chrono::seconds> duration = std::nullopt);
  // The ban on `account` ("$a:"), if any: asked before a login or a
  // registration succeeds, so that a banned account is refused, not let in
  // and then disconnected. Anyone may ask (it answers about one name).
  void on_account(SessionRef who, std::string account, Callback<std::optional<ServerBan>> done);
  // Yields the ban removed; refused: not_server_operator, no_such_ban.
  void remove(SessionRef who, std::string_view mask, Callback<ServerBan> done);
  // Oldest first; server operators only.
  void list(SessionRef who, Callback<std::vector<ServerBan>> done);
  // Registry loop: a ban another node's operator added or removed, applied
  // here as if decided here (kept, enforced, logged), without telling the
  // cluster again; not kept when the nodes share their records (the
  // deciding node wrote it, and a late second write could undo a change).
  void apply_remote(ServerBan ban, bool added);

 private:
  // Registry loop: adds (or changes) `ban`, keeps it and ends the sessions it
  // applies to; logs it (`from_node`: said after the operator's name).
  // `keep`: false when another node kept it already.
  BanAdded apply_added(const ServerBan& ban, std::string_view from_node = {}, bool keep = true);
  // Registry loop: removes the ban with `mask` and forgets it (unless `keep`
  // is false, as above); logs it ("removed <how>"). nullopt when there is none.
  std::optional<ServerBan> apply_removed(const std::string& mask, std::string_view how, bool keep = true);

  HubState& state_;
};

}  // namespace parley::core
