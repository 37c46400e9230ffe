#include "core/history_requests.h"

#include <algorithm>
#include <utility>

namespace parley::core {

void HistoryRequests::read(SessionRef who, HistoryQuery query, Callback<std::vector<HistoryLine>> done) {
  using Lines = std::vector<HistoryLine>;
  LocalSession* s = state_.find(who);
  if (!s) return;
  if (!state_.history) return done(Refusal::history_unavailable);
  if (!s->in_room(query.target)) return done(Refusal::not_in_room);
  query.limit = std::min(query.limit, state_.history_policy.max_query_lines);
  const Ticket ticket = state_.answers().open(*s);
  state_.history->fetch(std::move(query), [this, ticket, done = std::move(done)](Result<Lines> lines) mutable {
    state_.answers().reply<Lines>(ticket, std::move(done), std::move(lines));
  });
}

}  // namespace parley::core
