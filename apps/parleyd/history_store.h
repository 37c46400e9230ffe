#pragma once
// Where parleyd keeps history: DATA_DIR/parley.db (store::SqliteHistory), or
// PostgreSQL when [storage] url is set (store::PgHistory), which every node
// of a cluster shares.
#include <functional>
#include <memory>
#include <string>

#include "config/config.h"
#include "core/history.h"
#include "store/history_counts.h"

namespace parley::daemon {

struct HistoryStore {
  std::unique_ptr<core::History> history;  // destroying it writes what is still queued
  std::function<store::HistoryCounts()> counts;  // for /metrics, while `history` lives
  std::string where;  // for the log: the file, or the server (without its password)
};

// Opens the store `cfg` names; throws store::StoreError.
HistoryStore open_history(const config::Config& cfg);

}  // namespace parley::daemon
