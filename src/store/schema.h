#pragma once
// The database's layout and how an older one becomes the current one. Each
// migration takes the schema from version N-1 to N; the version lives in
// SQLite's user_version. Only portable SQL in the tables' shape (a PostgreSQL
// store is to share it), SQLite-only extras (FTS5) kept apart and named so.
#include <SQLiteCpp/Database.h>

namespace parley::store {

inline constexpr int kSchemaVersion = 16;

// The database's schema version (0: a new, empty file).
int schema_version(SQLite::Database& db);
// Brings the database to kSchemaVersion, one migration per version, each in a
// transaction. Throws StoreError when the file is newer than this binary.
void migrate(SQLite::Database& db);
// Applies migrations up to `version` only (tests build every earlier version).
void migrate_to(SQLite::Database& db, int version);

}  // namespace parley::store
