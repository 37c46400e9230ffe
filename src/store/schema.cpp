#include "store/schema.h"

#include <fmt/format.h>
#include <spdlog/spdlog.h>

#include <SQLiteCpp/Transaction.h>

#include <cstdint>
#include <iterator>
#include <string_view>

#include "store/index_tokenizer.h"
#include "store/line_rows.h"
#include "store/packed_lines.h"
#include "store/search_tokenizer.h"
#include "store/store_error.h"

namespace parley::store {
namespace {

// Version 1: room history. `seq` orders a target's lines (the order they
// were decided in); time is milliseconds since 1970 (UTC).
void create_history(SQLite::Database& db) {
  db.exec(R"sql(
    CREATE TABLE history (
      seq          INTEGER PRIMARY KEY,
      target       TEXT    NOT NULL,
      room         TEXT    NOT NULL,
      msgid        TEXT    NOT NULL,
      time_ms      INTEGER NOT NULL,
      kind         INTEGER NOT NULL,
      sender       TEXT    NOT NULL,
      nick         TEXT    NOT NULL,
      username     TEXT    NOT NULL,
      host         TEXT    NOT NULL,
      account      TEXT    NOT NULL DEFAULT '',
      body         TEXT    NOT NULL DEFAULT '',
      object_name  TEXT    NOT NULL DEFAULT '',
      client_tags  TEXT    NOT NULL DEFAULT ''
    );
    -- A target's lines in their order (an index's entries end with the seq).
    CREATE INDEX history_by_target ON history (target);
    CREATE INDEX history_by_target_time ON history (target, time_ms);
    CREATE INDEX history_by_msgid ON history (msgid);
  )sql");
}

// Version 2: accounts (auth::AccountRecord). Secrets only as Argon2id hashes
// and SCRAM's salted keys; `key` is the case-folded name.
void create_accounts(SQLite::Database& db) {
  db.exec(R"sql(
    CREATE TABLE accounts (
      key               TEXT    PRIMARY KEY,
      name              TEXT    NOT NULL,
      password_hash     TEXT    NOT NULL,
      scram_salt        BLOB    NOT NULL,
      scram_iterations  INTEGER NOT NULL,
      scram_stored_key  BLOB    NOT NULL,
      scram_server_key  BLOB    NOT NULL,
      created           INTEGER NOT NULL
    );
  )sql");
}

// Version 3: registered rooms (core::RoomRecord) and server-wide bans
// (core::ServerBan). A room's mask lists and its operators by account are
// rows of their own, in the order they were set; times are milliseconds
// since 1970 (UTC).
void create_rooms_and_bans(SQLite::Database& db) {
  db.exec(R"sql(
    CREATE TABLE rooms (
      key            TEXT    PRIMARY KEY,
      name           TEXT    NOT NULL,
      founder        TEXT    NOT NULL,
      topic          TEXT    NOT NULL DEFAULT '',
      topic_by       TEXT    NOT NULL DEFAULT '',
      topic_time_ms  INTEGER NOT NULL DEFAULT 0,
      no_outside     INTEGER NOT NULL DEFAULT 1,
      topic_locked   INTEGER NOT NULL DEFAULT 1,
      moderated      INTEGER NOT NULL DEFAULT 0,
      invite_only    INTEGER NOT NULL DEFAULT 0,
      secret         INTEGER NOT NULL DEFAULT 0,
      join_key       TEXT    NOT NULL DEFAULT '',
      member_limit   INTEGER NOT NULL DEFAULT 0,
      registered_ms  INTEGER NOT NULL
    );
    -- list: 'b' bans, 'e' ban exceptions, 'I' invite exceptions.
    CREATE TABLE room_masks (
      room      TEXT    NOT NULL,
      list      TEXT    NOT NULL,
      position  INTEGER NOT NULL,
      mask      TEXT    NOT NULL,
      PRIMARY KEY (room, list, position)
    );
    CREATE TABLE room_operators (
      room      TEXT    NOT NULL,
      position  INTEGER NOT NULL,
      account   TEXT    NOT NULL,
      PRIMARY KEY (room, position)
    );
    CREATE TABLE server_bans (
      mask       TEXT    PRIMARY KEY,
      reason     TEXT    NOT NULL,
      set_by     TEXT    NOT NULL,
      set_at_ms  INTEGER NOT NULL
    );
  )sql");
}

// Version 4: private conversations by account (what IRC's CHATHISTORY TARGETS
// lists) and full-text search of what was said (FTS5; speech only: kinds
// 0-2). The index is filled behind the writer, not by a trigger (indexing
// costs several times what the insert does): search_progress says how far,
// and deletes and edits touch the index only for lines already in it.
void create_conversations_and_search(SQLite::Database& db) {
  db.exec(R"sql(
    CREATE TABLE conversations (
      account  TEXT    NOT NULL,  -- folded
      target   TEXT    NOT NULL,  -- history.target of the conversation
      other    TEXT    NOT NULL,  -- the other side's account, folded
      last_ms  INTEGER NOT NULL,
      PRIMARY KEY (account, target)
    ) WITHOUT ROWID;
    CREATE VIRTUAL TABLE history_search USING fts5(
      body, content = 'history', content_rowid = 'seq', tokenize = 'unicode61 remove_diacritics 2');
    CREATE TABLE search_progress (indexed_seq INTEGER NOT NULL);
    INSERT INTO search_progress VALUES (0);
    CREATE TRIGGER history_search_delete AFTER DELETE ON history
    WHEN old.kind <= 2 AND old.seq <= (SELECT indexed_seq FROM search_progress) BEGIN
      INSERT INTO history_search (history_search, rowid, body) VALUES ('delete', old.seq, old.body);
    END;
    CREATE TRIGGER history_search_update AFTER UPDATE OF body ON history
    WHEN old.kind <= 2 AND old.seq <= (SELECT indexed_seq FROM search_progress) BEGIN
      INSERT INTO history_search (history_search, rowid, body) VALUES ('delete', old.seq, old.body);
      INSERT INTO history_search (rowid, body) VALUES (new.seq, new.body);
    END;
  )sql");
}

// Version 5: IRCv3 read markers (core::ReadMarkerRecords): per account and
// target (both folded), the time of the last message read, in milliseconds
// since 1970 (UTC).
void create_read_markers(SQLite::Database& db) {
  db.exec(R"sql(
    CREATE TABLE read_markers (
      account  TEXT    NOT NULL,
      target   TEXT    NOT NULL,
      time_ms  INTEGER NOT NULL,
      PRIMARY KEY (account, target)
    ) WITHOUT ROWID;
  )sql");
}

// Version 6: temporary server bans: when each lapses, in milliseconds since
// 1970 (UTC); 0 for a ban that stays until lifted (every ban kept before).
void add_ban_expiry(SQLite::Database& db) {
  db.exec("ALTER TABLE server_bans ADD COLUMN expires_ms INTEGER NOT NULL DEFAULT 0");
}

// Version 7: history in fewer and smaller B-trees, since the writer's cost per
// line was mostly index entries and row bytes (BENCHMARKS.md, 2026-12-03):
// - lines are stored in their target's order (WITHOUT ROWID, the table is its
//   primary key (target, seq): SQLite's word for a clustered table; the
//   PostgreSQL store would say CLUSTER), so the index by target goes;
// - targets and senders are numbered in tables of their own, so that a row
//   holds two integers where it held seven strings; a target's newest seq is
//   kept with it (once per batch), which is what the search indexer and the
//   writer's next seq start from;
// - index entries are small and land where the last ones did (a room's
//   message ids are its prefix and a count): the index by message id stays
//   on the text, since a hash of it would put each line's entry on a page of
//   its own and a commit would write hundreds of pages for as many lines;
// - `seq` stays unique across targets: it is the search index's rowid. The
//   search index keeps no copy of the text and reads no table (contentless
//   FTS5): searches join it to history by (target, seq).
void compact_history(SQLite::Database& db) {
  db.exec(R"sql(
    CREATE TABLE history_targets (
      id        INTEGER PRIMARY KEY,
      key       TEXT    NOT NULL UNIQUE,  -- the room's key, or a private conversation's
      room      TEXT    NOT NULL,         -- the room's display name ('' for a private conversation)
      last_seq  INTEGER NOT NULL DEFAULT 0
    );
    CREATE TABLE history_senders (
      id        INTEGER PRIMARY KEY,
      display   TEXT    NOT NULL,
      nick      TEXT    NOT NULL,
      username  TEXT    NOT NULL,
      host      TEXT    NOT NULL,
      account   TEXT    NOT NULL,
      UNIQUE (display, nick, username, host, account)
    );
    CREATE TABLE history_lines (
      target       INTEGER NOT NULL,  -- history_targets.id
      seq          INTEGER NOT NULL,
      time_ms      INTEGER NOT NULL,
      kind         INTEGER NOT NULL,
      sender       INTEGER NOT NULL,  -- history_senders.id
      msgid        TEXT    NOT NULL,
      body         TEXT    NOT NULL DEFAULT '',
      object_name  TEXT    NOT NULL DEFAULT '',
      client_tags  TEXT    NOT NULL DEFAULT '',
      PRIMARY KEY (target, seq)
    ) WITHOUT ROWID;
    INSERT INTO history_targets (key, room, last_seq)
      SELECT target, room, MAX(seq) FROM history GROUP BY target ORDER BY MIN(seq);
    INSERT OR IGNORE INTO history_senders (display, nick, username, host, account)
      SELECT sender, nick, username, host, account FROM history ORDER BY seq;
  )sql");
  SQLite::Statement rows(db, R"sql(
    SELECT t.id, h.seq, h.time_ms, h.kind, s.id, h.msgid, h.body, h.object_name, h.client_tags
    FROM history h
    JOIN history_targets t ON t.key = h.target
    JOIN history_senders s ON s.display = h.sender AND s.nick = h.nick AND s.username = h.username
                          AND s.host = h.host AND s.account = h.account
    ORDER BY h.seq)sql");
  SQLite::Statement insert(db, "INSERT INTO history_lines VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?)");
  while (rows.executeStep()) {
    insert.reset();
    for (int i = 0; i < 5; ++i) insert.bind(i + 1, rows.getColumn(i).getInt64());
    for (int i = 5; i < 9; ++i) insert.bind(i + 1, rows.getColumn(i).getString());
    insert.exec();
  }
  db.exec(R"sql(
    DROP TRIGGER history_search_delete;
    DROP TRIGGER history_search_update;
    DROP TABLE history_search;
    DROP TABLE history;
    ALTER TABLE history_lines RENAME TO history;
    -- A target's lines by time (entries end with the seq): CHATHISTORY by timestamp, retention by age.
    CREATE INDEX history_by_time ON history (target, time_ms);
    CREATE INDEX history_by_msgid ON history (msgid);
    CREATE VIRTUAL TABLE history_search USING fts5(
      body, content = '', tokenize = 'unicode61 remove_diacritics 2');
    INSERT INTO history_search (rowid, body)
      SELECT seq, body FROM history WHERE kind <= 2 AND seq <= (SELECT indexed_seq FROM search_progress);
    CREATE TRIGGER history_search_delete AFTER DELETE ON history
    WHEN old.kind <= 2 AND old.seq <= (SELECT indexed_seq FROM search_progress) BEGIN
      INSERT INTO history_search (history_search, rowid, body) VALUES ('delete', old.seq, old.body);
    END;
    CREATE TRIGGER history_search_update AFTER UPDATE OF body ON history
    WHEN old.kind <= 2 AND old.seq <= (SELECT indexed_seq FROM search_progress) BEGIN
      INSERT INTO history_search (history_search, rowid, body) VALUES ('delete', old.seq, old.body);
      INSERT INTO history_search (rowid, body) VALUES (new.seq, new.body);
    END;
  )sql");
}

// Version 8: whether a line's sender was a bot (IRCv3 bot mode), so replayed
// lines carry the `bot` tag as they did live. Part of the sender's row, and
// of what makes it one (a nick that turns bot mode on is a new sender); the
// table is copied, since SQLite cannot change a UNIQUE constraint in place.
void senders_with_bot(SQLite::Database& db) {
  db.exec(R"sql(
    CREATE TABLE history_senders_new (
      id        INTEGER PRIMARY KEY,
      display   TEXT    NOT NULL,
      nick      TEXT    NOT NULL,
      username  TEXT    NOT NULL,
      host      TEXT    NOT NULL,
      account   TEXT    NOT NULL,
      bot       INTEGER NOT NULL DEFAULT 0,
      UNIQUE (display, nick, username, host, account, bot)
    );
    INSERT INTO history_senders_new (id, display, nick, username, host, account)
      SELECT id, display, nick, username, host, account FROM history_senders;
    DROP TABLE history_senders;
    ALTER TABLE history_senders_new RENAME TO history_senders;
  )sql");
}

// Version 9: account deletions (auth::AccountDeletion), written with each
// deletion, so that a running server applies one made by another process
// (`parleyd account del`) even when the name has been registered again since.
// `id` numbers them in order; rows older than two days are pruned as later
// ones are added, never the newest, so numbers are never reused.
void create_account_deletions(SQLite::Database& db) {
  db.exec(R"sql(
    CREATE TABLE account_deletions (
      id          INTEGER PRIMARY KEY,
      key         TEXT    NOT NULL,
      name        TEXT    NOT NULL,
      deleted_ms  INTEGER NOT NULL
    );
  )sql");
}

// Version 10: no index by time. A target's lines are numbered as they are
// decided, so their times follow their seq and a time is found by a binary
// search on the primary key (history_rows.cpp, TimeSearch); the index cost
// the writer about a third of its time per line (docs/performance.md,
// "History writes").
void drop_history_time_index(SQLite::Database& db) { db.exec("DROP INDEX history_by_time"); }

// Version 11: no index by message id; it cost the writer about 40% of its
// time per line (docs/performance.md, "History writes"). Ids made from now
// on carry their line's time (core/message_id.h), and a line is found by it
// (history_rows.cpp, line_seq). Ids made before are found through a partial
// index of the lines kept until now: small, and never written again, since
// every later line's seq is higher. history_old_msgids keeps its bound, which
// a query must repeat as written for SQLite to use the index.
void drop_history_msgid_index(SQLite::Database& db) {
  // Every seq given so far is at most this: history_targets.last_seq is raised with each batch.
  const std::int64_t last = db.execAndGet("SELECT COALESCE(MAX(last_seq), 0) FROM history_targets").getInt64();
  db.exec(fmt::format(R"sql(
    DROP INDEX history_by_msgid;
    CREATE INDEX history_by_old_msgid ON history (msgid) WHERE seq <= {0};
    CREATE TABLE history_old_msgids (last_seq INTEGER NOT NULL);
    INSERT INTO history_old_msgids VALUES ({0});
  )sql", last));
}

// Version 12: a target's lines a writer's batch to a row, packed in a blob of
// our own format (packed_lines.h; rows: line_rows.h). The writer's cost per
// line was mostly the B-tree insert of its row (docs/performance.md, "History
// writes"); a row of many lines pays it once. No index is needed: lines are
// found by seq (the key's first_seq), by time (a row's last_ms, TimeSearch)
// and by the time their id carries. Ids made before schema 11 are listed with
// their seq in history_old_ids, since no line has a column of its own to
// index any more. The search index is unchanged (its rowid is the seq); its
// entries are taken out by the code that deletes lines, which has the text a
// contentless index needs (the triggers went with the table); it merges its
// segments 16 at a time (below).
void pack_history_rows(SQLite::Database& db) {
  db.exec(R"sql(
    CREATE TABLE history_rows (
      target     INTEGER NOT NULL,  -- history_targets.id
      first_seq  INTEGER NOT NULL,  -- the seq of its first line, of its last
      last_seq   INTEGER NOT NULL,
      first_ms   INTEGER NOT NULL,  -- the time of its first line, of its last
      last_ms    INTEGER NOT NULL,
      lines      INTEGER NOT NULL,  -- how many lines it holds (at least one)
      packed     BLOB    NOT NULL,  -- the lines, oldest first (packed_lines.h)
      PRIMARY KEY (target, first_seq)
    ) WITHOUT ROWID;
    CREATE TABLE history_old_ids (
      msgid   TEXT    NOT NULL,
      seq     INTEGER NOT NULL,
      target  INTEGER NOT NULL,
      PRIMARY KEY (msgid, seq)
    ) WITHOUT ROWID;
    INSERT INTO history_old_ids (msgid, seq, target)
      SELECT msgid, seq, target FROM history WHERE seq <= (SELECT last_seq FROM history_old_msgids);
  )sql");
  SQLite::Statement lines(db, "SELECT target, seq, time_ms, kind, sender, msgid, body, object_name, client_tags "
                              "FROM history ORDER BY target, seq");
  SQLite::Statement insert(db, kInsertRowSql);
  LinePacker row;
  std::int64_t row_target = 0;
  auto text = [&](int column) {
    const SQLite::Column c = lines.getColumn(column);
    return std::string_view(c.getText(), static_cast<std::size_t>(c.getBytes()));
  };
  while (lines.executeStep()) {
    const std::int64_t target = lines.getColumn(0).getInt64();
    PackedLine line;
    line.seq = lines.getColumn(1).getInt64();
    line.ms = lines.getColumn(2).getInt64();
    line.kind = static_cast<std::uint8_t>(lines.getColumn(3).getInt());
    line.sender = lines.getColumn(4).getInt64();
    line.msgid = text(5);
    line.body = text(6);
    line.object_name = text(7);
    line.client_tags = text(8);
    if (row.lines() > 0 && (target != row_target || !row_has_room(row, line))) {
      insert_row(insert, row_target, row);
      row.clear();
    }
    row_target = target;
    row.add(line);  // copies the bytes, which the next step frees
  }
  if (row.lines() > 0) insert_row(insert, row_target, row);
  lines.reset();
  db.exec("DROP TABLE history; DROP TABLE history_old_msgids;");
  // With writing a line cheap, building the search index is most of the
  // writer's time per line, much of it FTS5 merging its segments: merged
  // 16 at a time rather than 4, indexing takes about a third less CPU, and a
  // search reads more segments (a rare word 0.06 -> 0.1 ms in a million
  // lines; docs/performance.md, "History writes"). Kept in the index's own
  // settings (history_search_config).
  db.exec("INSERT INTO history_search (history_search, rank) VALUES ('automerge', 16)");
}

// Version 13: one search document per row (row_search.h), not per line:
// FTS5's cost is largely per document, and indexing was over half of the
// writer's time per line (docs/performance.md, "History writes"). The index
// is made again, empty, and filled behind the writer from the start, as it
// fills new rows; a search waits for it.
void index_rows_for_search(SQLite::Database& db) {
  db.exec(fmt::format(R"sql(
    DROP TABLE history_search;
    CREATE VIRTUAL TABLE history_search USING fts5(body, content = '', tokenize = '{}');
    INSERT INTO history_search (history_search, rank) VALUES ('automerge', 16);
    UPDATE search_progress SET indexed_seq = 0;
  )sql", kSearchTokenizerSql));
}

// Version 14: the search index keeps no word positions and no row sizes
// (FTS5 `detail = none, columnsize = 0`): LineMatcher already checks every
// line of a matching row, a word's tokens in order included, and
// search_history scores relevance per line itself (bm25, row_search.h), so
// positions only cost the file space (121 -> 103 MiB per million messages)
// and the writer time. Made again, empty, and filled behind the writer as
// version 13's was.
void index_rows_without_positions(SQLite::Database& db) {
  db.exec(fmt::format(R"sql(
    DROP TABLE history_search;
    CREATE VIRTUAL TABLE history_search USING fts5(body, content = '', detail = none, columnsize = 0,
                                                   tokenize = '{}');
    INSERT INTO history_search (history_search, rank) VALUES ('automerge', 16);
    UPDATE search_progress SET indexed_seq = 0;
  )sql", kSearchTokenizerSql));
}

// Version 15: FTS5 writes what it holds as a segment once 256 KiB of it is
// pending, rather than 1 MiB: it then flushes during the inserts of an index
// chunk, in steps the writer can give the CPU up between (index_for_search),
// instead of in one burst of several milliseconds at the chunk's end, which
// held up the loopback deliveries of a server on one CPU (docs/performance.md,
// "History writes"). Kept in the index's own settings.
void flush_search_index_in_steps(SQLite::Database& db) {
  db.exec("INSERT INTO history_search (history_search, rank) VALUES ('hashsize', 262144)");
}

// Version 16: the index keeps a token longer than 10 bytes as its first 10
// (index_tokenizer.h): such tokens are nearly all different, and a term per
// one was most of the writer's indexing time when every line held one (as
// the benchmark's do: a timestamp in nanoseconds). Made again, empty, and
// filled behind the writer as version 14's was, with the same settings.
void index_long_tokens_by_prefix(SQLite::Database& db) {
  register_index_tokenizer(db);  // also when migrate_to() runs on a connection not opened by database.cpp
  db.exec(fmt::format(R"sql(
    DROP TABLE history_search;
    CREATE VIRTUAL TABLE history_search USING fts5(body, content = '', detail = none, columnsize = 0,
                                                   tokenize = '{}');
    INSERT INTO history_search (history_search, rank) VALUES ('automerge', 16);
    INSERT INTO history_search (history_search, rank) VALUES ('hashsize', 262144);
    UPDATE search_progress SET indexed_seq = 0;
  )sql", kIndexTokenizerSql));
}

// kMigrations[i] takes version i to i + 1. Append only: never edit one that
// has shipped, since databases out there already ran it.
using Migration = void (*)(SQLite::Database&);
constexpr Migration kMigrations[] = {create_history, create_accounts, create_rooms_and_bans,
                                     create_conversations_and_search, create_read_markers,
                                     add_ban_expiry, compact_history, senders_with_bot,
                                     create_account_deletions, drop_history_time_index,
                                     drop_history_msgid_index, pack_history_rows, index_rows_for_search,
                                     index_rows_without_positions, flush_search_index_in_steps,
                                     index_long_tokens_by_prefix};
static_assert(std::size(kMigrations) == kSchemaVersion, "each schema version needs its migration");

}  // namespace

int schema_version(SQLite::Database& db) { return db.execAndGet("PRAGMA user_version").getInt(); }

void migrate_to(SQLite::Database& db, int version) {
  const int found = schema_version(db);
  if (found > kSchemaVersion) {
    throw StoreError(fmt::format(
        "{} has schema version {}, newer than this parleyd understands ({}); it was written by a newer "
        "parleyd: run that version, or restore a backup made for this one",
        db.getFilename(), found, kSchemaVersion));
  }
  // A database with data (not a new file) may take a while: say so (version 7
  // copies every history line, about two minutes per million on a busy machine;
  // version 12 packs them into rows).
  if (found > 0 && found < version)
    spdlog::info("Upgrading {} from schema version {} to {}; this may take a while with much history.",
                 db.getFilename(), found, version);
  for (int v = found; v < version; ++v) {
    SQLite::Transaction tx(db);
    kMigrations[v](db);
    db.exec(fmt::format("PRAGMA user_version = {}", v + 1));
    tx.commit();
  }
}

void migrate(SQLite::Database& db) { migrate_to(db, kSchemaVersion); }

}  // namespace parley::store
