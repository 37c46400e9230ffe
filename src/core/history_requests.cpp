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
  state_.answers().after_earlier(*s, ticket, [history = state_.history, query = std::move(query),
                                              answer = answering<Lines>(ticket, std::move(done))]() mutable {
    history->fetch(std::move(query), std::move(answer));
  });
}

void HistoryRequests::read_private(SessionRef who, std::string_view other_account, HistoryQuery query,
                                   Callback<std::vector<HistoryLine>> done) {
  using Lines = std::vector<HistoryLine>;
  LocalSession* s = state_.find(who);
  if (!s) return;
  if (!state_.history || account_of(*s).empty()) return done(Refusal::history_unavailable);
  query.target = private_history_key(account_of(*s), other_account);
  // And what guests of that nick said with this account (its side alone keeps it).
  query.also_target = private_guest_key(account_of(*s), other_account);
  query.limit = std::min(query.limit, state_.history_policy.max_query_lines);
  const Ticket ticket = state_.answers().open(*s);
  state_.answers().after_earlier(*s, ticket, [history = state_.history, query = std::move(query),
                                              answer = answering<Lines>(ticket, std::move(done))]() mutable {
    history->fetch(std::move(query), std::move(answer));
  });
}

void HistoryRequests::targets(SessionRef who, WallTime from, WallTime to, std::size_t limit,
                              Callback<std::vector<HistoryTarget>> done) {
  using Targets = std::vector<HistoryTarget>;
  LocalSession* s = state_.find(who);
  if (!s) return;
  if (!state_.history) return done(Refusal::history_unavailable);
  TargetsQuery query{s->room_keys, account_of(*s), from, to, std::min(limit, state_.history_policy.max_query_lines)};
  const Ticket ticket = state_.answers().open(*s);
  state_.answers().after_earlier(*s, ticket, [history = state_.history, query = std::move(query),
                                              answer = answering<Targets>(ticket, std::move(done))]() mutable {
    history->fetch_targets(std::move(query), std::move(answer));
  });
}

void HistoryRequests::search(SessionRef who, const std::string& room_key, SearchQuery query,
                             Callback<std::vector<HistoryLine>> done) {
  using Lines = std::vector<HistoryLine>;
  LocalSession* s = state_.find(who);
  if (!s) return;
  if (!state_.history) return done(Refusal::history_unavailable);
  if (!room_key.empty()) {
    if (!s->in_room(room_key)) return done(Refusal::not_in_room);
    query.targets = {room_key};
  } else {
    query.targets = s->room_keys;
    // Private conversations are searched as TARGETS lists them: the store knows which.
  }
  query.limit = std::min(query.limit, state_.history_policy.max_query_lines);
  const Ticket ticket = state_.answers().open(*s);
  auto answer = answering<Lines>(ticket, std::move(done));
  History* history = state_.history;
  if (room_key.empty() && !account_of(*s).empty()) {
    // The private conversations first (another read on the store's thread), then the search.
    state_.answers().after_earlier(*s, ticket, [history, query = std::move(query), account = account_of(*s),
                                                answer = std::move(answer)]() mutable {
      TargetsQuery conversations{{}, account, WallTime{}, WallTime::max(), std::size_t(-1)};
      history->fetch_targets(std::move(conversations), [history, query = std::move(query), account,
                                                        answer = std::move(answer)](Result<std::vector<HistoryTarget>> found) mutable {
        if (found.ok()) {
          // TARGETS lists a name once: its account's conversation and its guests' both.
          for (auto& t : found.value()) {
            query.targets.push_back(private_history_key(account, t.name));
            query.targets.push_back(private_guest_key(account, t.name));
          }
        }
        history->search(std::move(query), std::move(answer));
      });
    });
    return;
  }
  state_.answers().after_earlier(*s, ticket, [history, query = std::move(query), answer = std::move(answer)]() mutable {
    history->search(std::move(query), std::move(answer));
  });
}

}  // namespace parley::core
