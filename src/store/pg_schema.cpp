#include "store/pg_schema.h"

#include <fmt/format.h>

#include <iterator>

#include "store/store_error.h"

namespace parley::store {
namespace {

// Version 1: what SQLite's versions 2, 3, 5 and 6 hold (no history yet).
constexpr const char* kCreateKeptRecords = R"sql(
  CREATE TABLE accounts (
    key               TEXT    PRIMARY KEY,
    name              TEXT    NOT NULL,
    password_hash     TEXT    NOT NULL,
    scram_salt        BYTEA   NOT NULL,
    scram_iterations  BIGINT  NOT NULL,
    scram_stored_key  BYTEA   NOT NULL,
    scram_server_key  BYTEA   NOT NULL,
    created           BIGINT  NOT NULL
  );
  CREATE TABLE rooms (
    key            TEXT     PRIMARY KEY,
    name           TEXT     NOT NULL,
    founder        TEXT     NOT NULL,
    topic          TEXT     NOT NULL DEFAULT '',
    topic_by       TEXT     NOT NULL DEFAULT '',
    topic_time_ms  BIGINT   NOT NULL DEFAULT 0,
    no_outside     BOOLEAN  NOT NULL DEFAULT TRUE,
    topic_locked   BOOLEAN  NOT NULL DEFAULT TRUE,
    moderated      BOOLEAN  NOT NULL DEFAULT FALSE,
    invite_only    BOOLEAN  NOT NULL DEFAULT FALSE,
    secret         BOOLEAN  NOT NULL DEFAULT FALSE,
    join_key       TEXT     NOT NULL DEFAULT '',
    member_limit   BIGINT   NOT NULL DEFAULT 0,
    registered_ms  BIGINT   NOT NULL
  );
  -- list: 'b' bans, 'e' ban exceptions, 'I' invite exceptions.
  CREATE TABLE room_masks (
    room      TEXT    NOT NULL,
    list      TEXT    NOT NULL,
    position  BIGINT  NOT NULL,
    mask      TEXT    NOT NULL,
    PRIMARY KEY (room, list, position)
  );
  CREATE TABLE room_operators (
    room      TEXT    NOT NULL,
    position  BIGINT  NOT NULL,
    account   TEXT    NOT NULL,
    PRIMARY KEY (room, position)
  );
  CREATE TABLE server_bans (
    mask        TEXT    PRIMARY KEY,
    reason      TEXT    NOT NULL,
    set_by      TEXT    NOT NULL,
    set_at_ms   BIGINT  NOT NULL,
    expires_ms  BIGINT  NOT NULL DEFAULT 0
  );
  CREATE TABLE read_markers (
    account  TEXT    NOT NULL,
    target   TEXT    NOT NULL,
    time_ms  BIGINT  NOT NULL,
    PRIMARY KEY (account, target)
  );
)sql";

// Version 2: history, shared by every node. Each node keeps the lines of the
// rooms it has members in, so one line arrives once per such node: a line is
// one row per (target, msgid), the first node's, and the others' inserts do
// nothing. seq orders the lines as first kept; every node applies a room's
// events in the room's one order (the cluster's), so seq follows it.
constexpr const char* kCreateHistory = R"sql(
  CREATE TABLE history (
    seq          BIGSERIAL  PRIMARY KEY,
    target       TEXT       NOT NULL,
    msgid        TEXT       NOT NULL,
    time_ms      BIGINT     NOT NULL,
    kind         SMALLINT   NOT NULL,
    display      TEXT       NOT NULL,
    nick         TEXT       NOT NULL,
    username     TEXT       NOT NULL,
    host         TEXT       NOT NULL,
    account      TEXT       NOT NULL,
    bot          BOOLEAN    NOT NULL,
    body         TEXT       NOT NULL,
    object_name  TEXT       NOT NULL,
    client_tags  TEXT       NOT NULL,
    UNIQUE (target, msgid)
  );
  CREATE INDEX history_by_target ON history (target, seq);
  CREATE INDEX history_by_time ON history (target, time_ms);
  -- Search: what was said (kinds 0-2), word by word, case folded.
  CREATE INDEX history_words ON history USING GIN (to_tsvector('simple', body)) WHERE kind <= 2;
  -- A target's display name (a room's latest spelling) and newest line's time.
  CREATE TABLE history_targets (
    key      TEXT    PRIMARY KEY,
    room     TEXT    NOT NULL,
    last_ms  BIGINT  NOT NULL
  );
  -- Each account's private conversations (CHATHISTORY TARGETS).
  CREATE TABLE conversations (
    account  TEXT    NOT NULL,
    target   TEXT    NOT NULL,
    other    TEXT    NOT NULL,
    last_ms  BIGINT  NOT NULL,
    PRIMARY KEY (account, target)
  );
)sql";

// Version 3: account deletions, as SQLite's version 9 (auth::AccountDeletion):
// every node applies each one, by number, even when the name has been
// registered again since. Numbers come from the sequence, taken under a lock
// on the table (PgAccounts::remove), so they are committed in order too.
constexpr const char* kCreateAccountDeletions = R"sql(
  CREATE TABLE account_deletions (
    id          BIGSERIAL  PRIMARY KEY,
    key         TEXT       NOT NULL,
    name        TEXT       NOT NULL,
    deleted_ms  BIGINT     NOT NULL
  );
)sql";

constexpr const char* kMigrations[] = {kCreateKeptRecords, kCreateHistory, kCreateAccountDeletions};
static_assert(std::size(kMigrations) == kPgSchemaVersion, "each schema version needs its migration");

// Any number, the same on every node: the lock that makes migrations take turns.
constexpr std::int64_t kMigrationLock = 0x7061726c6579;  // "parley"

}  // namespace

int pg_schema_version(PgConnection& db) {
  PgResult exists = db.exec("SELECT to_regclass('parley_schema') IS NOT NULL");
  if (!exists.boolean(0, 0)) return 0;
  PgResult version = db.exec("SELECT version FROM parley_schema");
  return version.rows() == 0 ? 0 : static_cast<int>(version.integer(0, 0));
}

void pg_migrate(PgConnection& db) {
  PgTransaction tx(db);
  db.exec("SELECT pg_advisory_xact_lock($1)", {kMigrationLock});
  db.exec_script("CREATE TABLE IF NOT EXISTS parley_schema (version INTEGER NOT NULL)");
  const int found = pg_schema_version(db);
  if (found > kPgSchemaVersion) {
    throw StoreError(fmt::format(
        "the PostgreSQL database at {} has schema version {}, newer than this parleyd understands ({}); it "
        "was written by a newer parleyd: run that version",
        db.where(), found, kPgSchemaVersion));
  }
  for (int v = found; v < kPgSchemaVersion; ++v) db.exec_script(kMigrations[v]);
  if (found == 0) db.exec("INSERT INTO parley_schema (version) VALUES ($1)", {kPgSchemaVersion});
  else if (found < kPgSchemaVersion) db.exec("UPDATE parley_schema SET version = $1", {kPgSchemaVersion});
  tx.commit();
}

}  // namespace parley::store
