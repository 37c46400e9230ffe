#pragma once
// History lines to and from rows of PostgreSQL's `history` table (pg_schema.cpp):
// the same reads as history_rows.h's on the SQLite file, in PostgreSQL's SQL.
#include <cstddef>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "core/account_data.h"
#include "core/history.h"
#include "store/pg_connection.h"

namespace parley::store {

// Keeps `lines` on a connection inside a transaction. A line already kept
// (the same target and msgid: another node keeps the rooms it shares with
// this one) is left as it is, so that a batch can be written again safely.
void insert_history(PgConnection& db, const std::vector<const core::HistoryLine*>& lines);

// The lines a query asks for, oldest first; an unknown message id yields none.
std::vector<core::HistoryLine> pg_read_history(PgConnection& db, const core::HistoryQuery& query);
std::vector<core::HistoryTarget> pg_read_targets(PgConnection& db, const core::TargetsQuery& query);
std::vector<core::HistoryLine> pg_search_history(PgConnection& db, const core::SearchQuery& query);
// As prune_history (history_rows.h): deletes up to `batch` lines older than
// `cutoff`, and up to `batch` lines of each room past its newest
// max_lines_per_room. Returns how many it deleted.
std::size_t pg_prune_history(PgConnection& db, std::optional<core::WallTime> cutoff, std::size_t max_lines_per_room,
                             std::size_t batch);

// The words as a tsquery (to_tsquery('simple', ...)): each word a quoted
// phrase, a trailing '*' a prefix, all of them required; "" for no word.
std::string pg_tsquery(std::string_view words);

}  // namespace parley::store
