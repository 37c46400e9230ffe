#include "storage_commands.h"

#include <fmt/format.h>

#include <SQLiteCpp/Database.h>
#include <SQLiteCpp/Exception.h>

#include <cstdio>
#include <filesystem>
#include <iostream>

#include <unistd.h>

#include "store/backup.h"
#include "store/pg_connection.h"
#include "store/database.h"
#include "store/pg_schema.h"
#include "store/schema.h"
#include "store/store_error.h"
#include "tls.h"

namespace parley::app {

int backup_command(const config::Config& cfg, const std::string& file) {
  const std::string from = config::database_path(cfg.data_dir);
  const bool terminal = ::isatty(STDERR_FILENO) != 0;
  try {
    int shown = -1;
    store::backup_database(from, file, [&](int copied, int total) {
      const int percent = total > 0 ? copied * 100 / total : 100;
      if (percent == shown) return;
      shown = percent;
      // A person watching sees it move; a log gets one line at the end.
      if (terminal) std::cerr << fmt::format("\rBacking up {}: {}%", from, percent) << std::flush;
    });
    if (terminal) std::cerr << '\n';
    std::cerr << fmt::format("Backed up {} to {} ({} bytes). To restore, stop parleyd and copy it back to {}.\n",
                             from, file, std::filesystem::file_size(file), from);
    // The file then holds only what this node does not share.
    if (!cfg.storage.url.empty())
      std::cerr << fmt::format("Accounts, rooms, bans, read markers and history are kept in PostgreSQL at {}: back "
                               "that database up with pg_dump.\n",
                               store::postgres_url_for_logs(cfg.storage.url));
    return 0;
  } catch (const store::StoreError& e) {
    if (terminal) std::cerr << '\n';
    std::cerr << "parleyd: " << e.what() << '\n';
    return 1;
  }
}

namespace {

// [storage] url: the server answers, and its tables are not newer than this binary.
bool check_postgres(const config::Config& cfg) {
  if (cfg.storage.url.empty()) return true;
  try {
    store::PgConnection db(cfg.storage.url, 5);
    const int version = store::pg_schema_version(db);
    if (version > store::kPgSchemaVersion) {
      std::cerr << fmt::format("parleyd: the PostgreSQL database at {} has schema version {}, newer than this "
                               "parleyd understands ({})\n",
                               db.where(), version, store::kPgSchemaVersion);
      return false;
    }
    std::cout << fmt::format("PostgreSQL at {}: {}.\n", db.where(),
                             version == 0 ? std::string("reachable, no tables yet (made when parleyd starts)")
                                          : fmt::format("schema version {}{}", version,
                                                        version < store::kPgSchemaVersion
                                                            ? " (upgraded when parleyd starts)"
                                                            : ""));
    return true;
  } catch (const store::StoreError& e) {
    std::cerr << "parleyd: " << e.what() << '\n';
    return false;
  }
}

}  // namespace

int check_config_command(const config::Config& cfg) {
  namespace fs = std::filesystem;
  std::error_code error;
  if (!fs::is_directory(cfg.data_dir, error)) {
    // parleyd makes it at start: usable when the nearest folder that exists is writable.
    fs::path existing = fs::absolute(cfg.data_dir, error);
    while (!existing.empty() && !fs::exists(existing, error) && existing != existing.parent_path())
      existing = existing.parent_path();
    if (!fs::is_directory(existing, error) || ::access(existing.c_str(), W_OK) != 0) {
      std::cerr << fmt::format("parleyd: the data directory {} does not exist and cannot be made ({} is not a "
                               "writable folder)\n",
                               cfg.data_dir, existing.string());
      return 2;
    }
    std::cout << fmt::format("Data directory {}: made when parleyd starts.\n", cfg.data_dir);
    if (!daemon::check_tls_files(cfg) || !check_postgres(cfg)) return 2;
    std::cout << "Configuration OK.\n";
    return 0;
  }
  if (::access(cfg.data_dir.c_str(), W_OK) != 0) {
    std::cerr << fmt::format("parleyd: the data directory {} is not writable by this user\n", cfg.data_dir);
    return 2;
  }
  const std::string db = config::database_path(cfg.data_dir);
  if (fs::exists(db, error)) {
    try {
      SQLite::Database opened(db, SQLite::OPEN_READONLY);
      const int version = store::schema_version(opened);
      if (version > store::kSchemaVersion) {
        std::cerr << fmt::format("parleyd: {} has schema version {}, newer than this parleyd understands ({})\n", db,
                                 version, store::kSchemaVersion);
        return 2;
      }
      std::cout << fmt::format("Database {}: schema version {}{}.\n", db, version,
                               version < store::kSchemaVersion ? " (upgraded when parleyd starts)" : "");
    } catch (const SQLite::Exception& e) {
      std::cerr << fmt::format("parleyd: cannot read {}: {}\n", db, e.what());
      return 2;
    }
  } else {
    std::cout << fmt::format("Database {}: none yet (created when parleyd starts).\n", db);
  }
  if (!daemon::check_tls_files(cfg) || !check_postgres(cfg)) return 2;
  std::cout << "Configuration OK.\n";
  return 0;
}

}  // namespace parley::app
