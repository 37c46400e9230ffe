#include "store/database.h"

#include <fmt/format.h>
#include <sqlite3.h>

#include <SQLiteCpp/Exception.h>

#include "store/index_tokenizer.h"
#include "store/schema.h"
#include "store/search_weights.h"
#include "store/store_error.h"

namespace parley::store {
namespace {

[[noreturn]] void explain(const std::string& path, const SQLite::Exception& e) {
  switch (e.getErrorCode()) {
    case SQLITE_NOTADB:
      throw StoreError(fmt::format("{} is not a Parley database (or it is damaged): {}; move it aside, or "
                                   "restore a backup (parleyd backup)",
                                   path, e.what()));
    case SQLITE_CANTOPEN:
      throw StoreError(fmt::format("cannot open {}: {}; check that its folder exists and is writable by "
                                   "this user",
                                   path, e.what()));
    case SQLITE_FULL:
      throw StoreError(fmt::format("{}: the disk is full ({}); free some space and start again", path, e.what()));
    case SQLITE_READONLY:
      throw StoreError(fmt::format("{} is read-only ({}); parleyd needs to write it", path, e.what()));
    case SQLITE_BUSY:
      throw StoreError(fmt::format("{} is locked by another program ({}); is another parleyd running on "
                                   "this data directory?",
                                   path, e.what()));
    default:
      throw StoreError(fmt::format("cannot use {}: {}", path, e.what()));
  }
}

void set_up(SQLite::Database& db, PageCache cache) {
  db.setBusyTimeout(kBusyTimeoutMs);
  db.exec("PRAGMA foreign_keys = ON");
  if (cache == PageCache::large) db.exec("PRAGMA cache_size = -32768");  // KiB
  register_search_functions(db);
  register_index_tokenizer(db);
}

}  // namespace

SQLite::Database open_for_writing(const StorageSettings& settings, PageCache cache) {
  try {
    SQLite::Database db(settings.path, SQLite::OPEN_READWRITE | SQLite::OPEN_CREATE);
    set_up(db, cache);
    // WAL: readers never wait for the writer, and a commit is one append.
    if (db.execAndGet("PRAGMA journal_mode = WAL").getString() != "wal")
      throw StoreError(fmt::format("{}: cannot switch to write-ahead logging", settings.path));
    // always: every commit is synced. batch: commits reach the OS at once
    // (safe from a crash of parleyd); SqliteHistory's syncer thread syncs
    // (checkpoints) every sync_interval, so that commits never wait for it.
    db.exec(settings.sync == SyncPolicy::always ? "PRAGMA synchronous = FULL" : "PRAGMA synchronous = NORMAL");
    migrate(db);
    return db;
  } catch (const SQLite::Exception& e) {
    explain(settings.path, e);
  }
}

SQLite::Database open_for_reading(const std::string& path, PageCache cache) {
  try {
    SQLite::Database db(path, SQLite::OPEN_READONLY);
    set_up(db, cache);
    return db;
  } catch (const SQLite::Exception& e) {
    explain(path, e);
  }
}

}  // namespace parley::store
