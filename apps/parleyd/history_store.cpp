#include "history_store.h"

#include "store/pg_history.h"
#include "store/sqlite_history.h"

namespace parley::daemon {

namespace {
template <class Store>
HistoryStore opened(std::unique_ptr<Store> store, std::string where) {
  const Store* raw = store.get();
  return {std::move(store), [raw] { return raw->counts(); }, std::move(where)};
}
}  // namespace

HistoryStore open_history(const config::Config& cfg) {
  if (!cfg.storage.url.empty())
    return opened(std::make_unique<store::PgHistory>(cfg.storage),
                  "PostgreSQL at " + store::postgres_url_for_logs(cfg.storage.url));
  return opened(std::make_unique<store::SqliteHistory>(cfg.storage), cfg.storage.path);
}

}  // namespace parley::daemon
