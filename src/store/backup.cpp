#include "store/backup.h"

#include <fmt/format.h>
#include <sqlite3.h>

#include <SQLiteCpp/Backup.h>
#include <SQLiteCpp/Database.h>
#include <SQLiteCpp/Exception.h>

#include <filesystem>
#include <system_error>

#include "store/database.h"
#include "store/schema.h"
#include "store/store_error.h"

namespace parley::store {

void backup_database(const std::string& from, const std::string& to,
                     const std::function<void(int copied, int total)>& progress) {
  if (!std::filesystem::exists(from)) throw StoreError(fmt::format("there is no database at {}", from));
  const std::string partial = to + ".partial";
  std::error_code ignored;
  std::filesystem::remove(partial, ignored);
  try {
    SQLite::Database source = open_for_reading(from);
    SQLite::Database copy(partial, SQLite::OPEN_READWRITE | SQLite::OPEN_CREATE);
    SQLite::Backup backup(copy, source);
    // A few hundred pages at a time, so the writer is never held up for long.
    constexpr int kPagesPerStep = 256;
    int status = SQLITE_OK;
    while (status == SQLITE_OK || status == SQLITE_BUSY || status == SQLITE_LOCKED) {
      status = backup.executeStep(kPagesPerStep);
      if (status == SQLITE_BUSY || status == SQLITE_LOCKED) sqlite3_sleep(10);  // the writer holds it a moment
      if (progress) progress(backup.getTotalPageCount() - backup.getRemainingPageCount(), backup.getTotalPageCount());
    }
    if (status != SQLITE_DONE) throw StoreError(fmt::format("backup of {} stopped: {}", from, sqlite3_errstr(status)));
    if (schema_version(copy) == 0) throw StoreError(fmt::format("{} holds no Parley data", from));
  } catch (const SQLite::Exception& e) {
    std::filesystem::remove(partial, ignored);
    throw StoreError(fmt::format("cannot back up {} to {}: {}", from, to, e.what()));
  } catch (...) {
    std::filesystem::remove(partial, ignored);
    throw;
  }
  std::error_code renamed;
  std::filesystem::rename(partial, to, renamed);
  if (renamed) throw StoreError(fmt::format("cannot write {}: {}", to, renamed.message()));
}

}  // namespace parley::store
