#pragma once
// What a session asks of history: a room's earlier lines. Called on the
// session's loop; only members of a room read its history. The store answers
// on a thread of its own; the answer comes back to the session's loop as an
// answer to the asking command (replies in command order).
#include <vector>

#include "core/history.h"
#include "core/hub_state.h"

namespace parley::core {

class HistoryRequests {
 public:
  explicit HistoryRequests(HubState& state) : state_(state) {}

  bool enabled() const { return state_.history != nullptr; }
  const HistoryPolicy& policy() const { return state_.history_policy; }
  // Lines of query.target (a room key) as the query says, at most
  // policy().max_query_lines. Refused: not_in_room, history_unavailable.
  void read(SessionRef who, HistoryQuery query, Callback<std::vector<HistoryLine>> done);

 private:
  HubState& state_;
};

}  // namespace parley::core
