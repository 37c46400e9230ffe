#pragma once
// The PostgreSQL database's layout ([storage] url): the same tables as the
// SQLite file's for what several nodes share (accounts, registered rooms,
// server bans, read markers) and history, in PostgreSQL's types. The version lives in a
// one-row table, parley_schema; nodes starting together migrate one at a time
// (an advisory lock held by the migrating transaction).
#include "store/pg_connection.h"

namespace parley::store {

inline constexpr int kPgSchemaVersion = 3;

// The database's schema version (0: no parley tables yet).
int pg_schema_version(PgConnection& db);
// Brings the database to kPgSchemaVersion; throws StoreError when it is newer
// than this binary.
void pg_migrate(PgConnection& db);

}  // namespace parley::store
