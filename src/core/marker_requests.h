#pragma once
// IRCv3 draft/read-marker: per account and conversation, the time of the last
// message read, kept where ReadMarkerRecords keep it and read and written on
// the hub's offload thread, never on a loop. Called on the session's loop;
// answers come back there in command order. A session must be logged in to
// an account (not_logged_in); history_unavailable when markers are not kept
// or the store failed.
#include <optional>
#include <string>
#include <vector>

#include "core/hub_state.h"

namespace parley::core {

class MarkerRequests {
 public:
  explicit MarkerRequests(HubState& state) : state_(state) {}

  bool enabled() const { return state_.read_markers != nullptr && static_cast<bool>(state_.offload); }
  // The markers of `targets` (folded keys: a room key, a nick folded as an
  // account name), in that order; nullopt where none is kept.
  void get(SessionRef who, std::vector<std::string> targets, Callback<std::vector<std::optional<WallTime>>> done);
  // Moves the marker of `target` to `time` (never back, never past now);
  // yields the marker as kept. When it moved, the account's other sessions
  // are told (Member::on_read_marker), naming it `shown`.
  void set(SessionRef who, std::string target, std::string shown, WallTime time, Callback<WallTime> done);

 private:
  HubState& state_;
};

}  // namespace parley::core
