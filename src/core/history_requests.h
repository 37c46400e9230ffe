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
  // Lines of who's private conversation with `other_account` (query.target
  // is set here). Refused (history_unavailable) unless who is logged in.
  void read_private(SessionRef who, std::string_view other_account, HistoryQuery query,
                    Callback<std::vector<HistoryLine>> done);
  // who's rooms and private conversations with lines in the span, newest first.
  void targets(SessionRef who, WallTime from, WallTime to, std::size_t limit, Callback<std::vector<HistoryTarget>> done);
  // Lines of `room_key` (who must be in it), or of every room who is in and
  // its private conversations when empty, holding every word.
  void search(SessionRef who, const std::string& room_key, SearchQuery query, Callback<std::vector<HistoryLine>> done);

 private:
  const std::string& account_of(LocalSession& s) const { return s.identity->presence.account; }
  // The store's answer, handed to `done` as the answer to the ticket's command.
  template <class T>
  auto answering(Ticket ticket, Callback<T> done) {
    return [this, ticket, done = std::move(done)](Result<T> result) mutable {
      state_.answers().reply<T>(ticket, std::move(done), std::move(result));
    };
  }
  HubState& state_;
};

}  // namespace parley::core
