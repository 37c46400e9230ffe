#pragma once
// Opening the database file: one connection per thread, each set up the same
// way (WAL, so that readers never wait for the writer).
#include <SQLiteCpp/Database.h>

#include <chrono>
#include <cstddef>
#include <functional>
#include <string>

namespace parley::store {

// How soon an accepted line is on disk (docs/configuration.md, [storage]).
enum class SyncPolicy {
  // Every line is committed and synced before anyone is shown it.
  always,
  // Lines are committed in batches as they come, and synced at least every
  // sync_interval: a crash of parleyd loses at most the lines not yet
  // committed (milliseconds' worth), a crash of the machine at most about
  // one sync_interval.
  batch,
};

// How long history is kept ([history] keep_days, keep_lines_per_room; 0: no
// limit). Older lines are deleted in the background, a few thousand at a time.
struct Retention {
  std::chrono::hours max_age{0};
  std::size_t max_lines_per_room = 0;
  std::chrono::milliseconds interval{std::chrono::minutes(10)};  // how often the writer prunes
  // Tests give another clock.
  std::function<std::chrono::system_clock::time_point()> now = [] { return std::chrono::system_clock::now(); };
  bool enabled() const { return max_age.count() > 0 || max_lines_per_room > 0; }
};

struct StorageSettings {
  std::string path;  // the database file
  // When set ([storage] url, "postgresql://..."), accounts, registered rooms,
  // server bans, read markers and history are kept in that PostgreSQL
  // database instead of the file, so that several nodes share them.
  std::string url;
  SyncPolicy sync = SyncPolicy::batch;
  std::size_t queue_lines = 100000;  // lines accepted but not yet written; past it, messages are refused
  std::chrono::milliseconds sync_interval{1000};
  // Past this much write-ahead log, history's writer checkpoints and starts
  // the log again: under sustained writing the syncer's checkpoints never
  // catch up with the writer, and the log would grow without end.
  std::size_t wal_restart_bytes = std::size_t{64} << 20;
  Retention retention;
};

// How many pages a connection keeps in memory. Each connection has its own
// cache, which fills up to its size over a server's life: most connections
// touch few pages (accounts, rooms) or write each page once (history's
// writer appends rows), so SQLite's default (2 MiB) serves them; the reader
// that answers history and search queries keeps more of a busy room's pages.
enum class PageCache {
  standard,  // SQLite's default, about 2 MiB
  large,     // 32 MiB
};

// How long a connection waits for a lock another holds for a moment (the
// reader, a backup, a checkpoint) before its statement fails.
inline constexpr int kBusyTimeoutMs = 5000;

// Opens (creating if missing) the database for writing and brings its schema
// up to date. Throws StoreError with a sentence for the operator.
SQLite::Database open_for_writing(const StorageSettings& settings, PageCache cache = PageCache::standard);
// Opens an existing database for reading, on another thread than the writer.
SQLite::Database open_for_reading(const std::string& path, PageCache cache = PageCache::standard);

}  // namespace parley::store
