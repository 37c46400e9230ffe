// The schema is created, upgraded from every earlier version, and a database
// from a newer parleyd (or not a database at all) is refused in words.
#include <fmt/format.h>
#include <gmock/gmock.h>
#include <gtest/gtest.h>

#include <SQLiteCpp/Database.h>
#include <SQLiteCpp/Transaction.h>

#include <fstream>

#include "store/database.h"
#include "store/history_rows.h"
#include "store/line_rows.h"
#include "store/schema.h"
#include "store/sqlite_account_data.h"
#include "store/store_error.h"
#include "store_fixture.h"

namespace parley::store {
namespace {

using ::testing::HasSubstr;
using testing::TempFolder;

// One of the search index's own settings (FTS5 keeps them in a table).
int search_setting(SQLite::Database& db, const std::string& key) {
  SQLite::Statement q(db, "SELECT v FROM history_search_config WHERE k = ?");
  q.bind(1, key);
  return q.executeStep() ? q.getColumn(0).getInt() : -1;
}

// How the search index was made (its CREATE VIRTUAL TABLE).
std::string search_table_sql(SQLite::Database& db) {
  return db.execAndGet("SELECT sql FROM sqlite_master WHERE name = 'history_search'").getString();
}

// Version 6's indexing of every line for search, as it ran then.
void index_for_search_v6(SQLite::Database& db) {
  db.exec("INSERT INTO history_search (rowid, body) SELECT seq, body FROM history WHERE kind <= 2;"
          "UPDATE search_progress SET indexed_seq = (SELECT MAX(seq) FROM history)");
}

TEST(Schema, ANewFileGetsTheCurrentSchema) {
  TempFolder folder;
  auto db = open_for_writing(testing::settings(folder.file("parley.db")));
  EXPECT_EQ(schema_version(db), kSchemaVersion);
  EXPECT_EQ(db.execAndGet("PRAGMA journal_mode").getString(), "wal");
  EXPECT_EQ(search_setting(db, "automerge"), 16)
      << "the search index merges 16 segments at a time (schema 12)";
}

TEST(Schema, OpeningAgainKeepsTheData) {
  TempFolder folder;
  {
    auto db = open_for_writing(testing::settings(folder.file("parley.db")));
    HistoryInserter(db).insert(testing::said("lobby", "Ann", "hello", 1000, "a1"));
  }
  auto db = open_for_writing(testing::settings(folder.file("parley.db")));
  EXPECT_EQ(testing::kept_bodies(db), std::vector<std::string>{"hello"});
}

// Every earlier version, with data in it, migrates to the current one.
TEST(Schema, EveryEarlierVersionMigratesToTheCurrentOne) {
  for (int from = 0; from < kSchemaVersion; ++from) {
    SCOPED_TRACE("from version " + std::to_string(from));
    TempFolder folder;
    const std::string path = folder.file("parley.db");
    {
      SQLite::Database db(path, SQLite::OPEN_READWRITE | SQLite::OPEN_CREATE);
      migrate_to(db, from);
      ASSERT_EQ(schema_version(db), from);
      // Rows as that version wrote them (today's inserter needs today's tables).
      if (from >= 1 && from < 7)
        db.exec("INSERT INTO history (target, room, msgid, time_ms, kind, sender, nick, username, host, body) "
                "VALUES ('lobby', 'lobby', 'a1', 1000, 0, 'Ann', 'Ann', 'text', '127.0.0.1', 'kept')");
      if (from >= 12) {  // lines packed in rows (pack_history_rows): today's inserter writes them
        core::HistoryLine line = testing::said("lobby", "Ann", "kept", 1000, "a1");
        line.sender.user = "text";
        line.sender.host = "127.0.0.1";
        HistoryInserter(db).insert(line);
      } else if (from >= 7)  // targets and senders numbered (compact_history)
        db.exec("INSERT INTO history_targets (id, key, room, last_seq) VALUES (1, 'lobby', 'lobby', 1);"
                "INSERT INTO history_senders (id, display, nick, username, host, account) "
                "VALUES (1, 'Ann', 'Ann', 'text', '127.0.0.1', '');"
                "INSERT INTO history (target, seq, time_ms, kind, sender, msgid, body) "
                "VALUES (1, 1, 1000, 0, 1, 'a1', 'kept')");
      if (from >= 2) db.exec("INSERT INTO accounts VALUES ('ann', 'Ann', 'hash', x'00', 4096, x'01', x'02', 0)");
      if (from >= 3) {
        db.exec("INSERT INTO rooms (key, name, founder, registered_ms) VALUES ('cafe', 'Cafe', 'Ann', 0)");
        db.exec("INSERT INTO server_bans (mask, reason, set_by, set_at_ms) VALUES ('*!*@spam', 'spam', 'oper', 0)");
      }
      if (from >= 5) db.exec("INSERT INTO read_markers VALUES ('ann', 'lobby', 1000)");
    }
    auto db = open_for_writing(testing::settings(path));
    EXPECT_EQ(schema_version(db), kSchemaVersion);
    if (from >= 1) {
      EXPECT_EQ(testing::kept_bodies(db), std::vector<std::string>{"kept"});
    }
    if (from >= 2) {
      EXPECT_EQ(db.execAndGet("SELECT name FROM accounts WHERE key = 'ann'").getString(), "Ann");
    }
    if (from >= 1) {
      // Lines kept before search existed are found too, once indexed.
      index_for_search(db, 1000);
      EXPECT_EQ(db.execAndGet("SELECT COUNT(*) FROM history_search WHERE history_search MATCH 'kept'").getInt(), 1);
    }
    if (from >= 3) {
      EXPECT_EQ(db.execAndGet("SELECT founder FROM rooms WHERE key = 'cafe'").getString(), "Ann");
      EXPECT_EQ(db.execAndGet("SELECT reason FROM server_bans").getString(), "spam");
      EXPECT_EQ(db.execAndGet("SELECT expires_ms FROM server_bans").getInt64(), 0) << "kept bans stay until lifted";
    }
    if (from >= 5) {
      EXPECT_EQ(db.execAndGet("SELECT time_ms FROM read_markers").getInt64(), 1000);
    }
    if (from >= 1) {
      // Read as today's reader reads it: the line whole, found by its id.
      auto lines = read_history(db, testing::query("lobby", core::HistoryQuery::Direction::latest, 10,
                                                   core::HistoryPoint::line("a1")));
      EXPECT_TRUE(lines.empty()) << "nothing after the one line";
      lines = read_history(db, testing::latest("lobby"));
      ASSERT_EQ(lines.size(), 1u);
      EXPECT_EQ(lines[0].id, "a1");
      EXPECT_EQ(lines[0].sender.host, "127.0.0.1");
      EXPECT_EQ(lines[0].room, "lobby");
    }
    // The current schema takes every kind of row.
    HistoryInserter(db).insert(testing::said("lobby", "Bo", "new", 2000, "b1"));
    db.exec("INSERT INTO accounts VALUES ('bo', 'Bo', 'hash', x'00', 4096, x'01', x'02', 0)");
    db.exec("INSERT INTO rooms (key, name, founder, registered_ms) VALUES ('bar', 'Bar', 'Bo', 0)");
    db.exec("INSERT INTO room_masks VALUES ('bar', 'b', 0, '*!*@x')");
    db.exec("INSERT INTO room_operators VALUES ('bar', 0, 'Ann')");
    db.exec("INSERT INTO server_bans VALUES ('$a:bo', 'no', 'oper', 0, 5000)");
    db.exec("INSERT INTO read_markers VALUES ('bo', 'lobby', 2000)");
    db.exec("INSERT INTO account_deletions (key, name, deleted_ms) VALUES ('bo', 'Bo', 3000)");
  }
}

// Version 6 to 7 moved every line into new tables (targets and senders
// numbered, the index by message id hashed): what was kept reads the same,
// is found by search as before, and new lines follow the old ones.
TEST(Schema, Version6HistoryReadsTheSameAfterMigration) {
  TempFolder folder;
  const std::string path = folder.file("parley.db");
  {
    SQLite::Database db(path, SQLite::OPEN_READWRITE | SQLite::OPEN_CREATE);
    migrate_to(db, 6);
    db.exec(R"sql(
      INSERT INTO history (target, room, msgid, time_ms, kind, sender, nick, username, host, account, body, object_name, client_tags)
      VALUES ('cafe', 'Cafe', 'c1', 1000, 0, 'Ann Lee', 'Ann_Lee', 'text', 'h1', 'ann', 'first words', '', '+x=1'),
             ('bar', 'bar', 'b1', 1500, 3, 'Bo', 'Bo', 'irc', 'h2', '', '', '', ''),
             ('cafe', 'Cafe', 'c2', 2000, 1, 'Bo', 'Bo', 'irc', 'h2', '', 'waves', '', ''),
             ('@ann' || char(31) || 'bo', '', 'p1', 2500, 0, 'Ann Lee', 'Ann_Lee', 'text', 'h1', 'ann', 'psst words', 'Bo', ''),
             ('cafe', 'Cafe', 'c3', 3000, 6, 'Ann Lee', 'Ann_Lee', 'text', 'h1', 'ann', 'out', 'Bo', '');
      INSERT INTO conversations VALUES ('ann', '@ann' || char(31) || 'bo', 'bo', 2500), ('bo', '@ann' || char(31) || 'bo', 'ann', 2500);
    )sql");
    index_for_search_v6(db);
  }
  auto db = open_for_writing(testing::settings(path));
  ASSERT_EQ(schema_version(db), kSchemaVersion);
  auto cafe = read_history(db, testing::latest("cafe"));
  ASSERT_EQ(cafe.size(), 3u);
  EXPECT_EQ(cafe[0].id, "c1");
  EXPECT_EQ(cafe[0].room, "Cafe");
  EXPECT_EQ(cafe[0].sender.display, "Ann Lee");
  EXPECT_EQ(cafe[0].sender.nick, "Ann_Lee");
  EXPECT_EQ(cafe[0].sender.user, "text");
  EXPECT_EQ(cafe[0].account, "ann");
  EXPECT_EQ(cafe[0].client_tags, "+x=1");
  EXPECT_EQ(cafe[0].time, testing::at_ms(1000));
  EXPECT_EQ(cafe[1].kind, core::HistoryLine::Kind::action);
  EXPECT_EQ(cafe[1].text, "waves");
  EXPECT_EQ(cafe[2].kind, core::HistoryLine::Kind::kick);
  EXPECT_EQ(cafe[2].object_name, "Bo");
  auto before = read_history(
      db, testing::query("cafe", core::HistoryQuery::Direction::before, 10, core::HistoryPoint::line("c3")));
  ASSERT_EQ(before.size(), 2u) << "found by message id";
  EXPECT_EQ(read_history(db, testing::latest("bar")).size(), 1u);
  core::SearchQuery search;
  search.targets = {"cafe", core::private_history_key("bo", "ann")};
  search.words = "words";
  auto found = search_history(db, search);
  EXPECT_TRUE(found.empty()) << "schema 13 indexes rows again, from the start";
  index_for_search(db, 1000);
  found = search_history(db, search);
  ASSERT_EQ(found.size(), 2u) << "found once indexed again";
  EXPECT_EQ(found[0].id, "p1");
  EXPECT_EQ(found[1].id, "c1");
  core::TargetsQuery targets{{}, "bo", testing::at_ms(0), testing::at_ms(10000), 10};
  ASSERT_EQ(read_targets(db, targets).size(), 1u);
  EXPECT_EQ(read_targets(db, targets)[0].name, "ann");
  // New lines come after the old ones, in each room and in search.
  HistoryInserter(db).insert(testing::said("cafe", "Cy", "more words", 4000, "c4"));
  index_for_search(db, 1000);
  cafe = read_history(db, testing::latest("cafe"));
  ASSERT_EQ(cafe.size(), 4u);
  EXPECT_EQ(cafe[3].id, "c4");
  EXPECT_EQ(search_history(db, search).size(), 3u);
  db.exec("INSERT INTO history_search (history_search) VALUES ('integrity-check')");
}

// Version 10 to 11 dropped the index by message id: ids made before carry no
// time and are found through a partial index of the lines kept before the
// migration (since version 12: the list history_old_ids); lines kept after
// it, with timed ids, are found by their time.
// Both in every way a line is named by its id: CHATHISTORY's directions and
// redaction's find and remove.
TEST(Schema, Version10IdsAreFoundAfterMigration) {
  TempFolder folder;
  const std::string path = folder.file("parley.db");
  {
    SQLite::Database db(path, SQLite::OPEN_READWRITE | SQLite::OPEN_CREATE);
    migrate_to(db, 10);
    // Rows as version 10 wrote them: a line each, ids without their time.
    SQLite::Transaction tx(db);
    db.exec("INSERT INTO history_targets (id, key, room, last_seq) VALUES (1, 'cafe', 'cafe', 11), (2, 'bar', 'bar', 12);"
            "INSERT INTO history_senders (id, display, nick, username, host, account) "
            "VALUES (1, 'Ann', 'Ann', 'u', 'h', ''), (2, 'Bo', 'Bo', 'u', 'h', '')");
    for (int i = 1; i <= 6; ++i) {
      db.exec(fmt::format("INSERT INTO history (target, seq, time_ms, kind, sender, msgid, body) VALUES "
                          "(1, {0}, {1}, 0, 1, '3a9f1c-{2}', 'c{2}'), (2, {3}, {1}, 0, 2, 'p18c-0-2-{2}', 'b{2}')",
                          2 * i - 1, i * 1000, i, 2 * i));
    }
    tx.commit();
  }
  auto db = open_for_writing(testing::settings(path));
  ASSERT_EQ(schema_version(db), kSchemaVersion);
  EXPECT_EQ(db.execAndGet("SELECT COUNT(*) FROM sqlite_master WHERE name = 'history_by_msgid'").getInt(), 0);
  EXPECT_EQ(db.execAndGet("SELECT COUNT(*) FROM history_old_ids").getInt64(), 12) << "every line kept before";
  {
    SQLite::Transaction tx(db);
    HistoryInserter insert(db);
    for (int i = 7; i <= 9; ++i)
      insert.insert(testing::said("cafe", "Cy", "c" + std::to_string(i), i * 1000,
                                  testing::timed_id("3a9f1c-" + std::to_string(i), i * 1000)));
    tx.commit();
  }
  auto texts = [&](core::HistoryQuery::Direction direction, std::size_t limit, const std::string& id,
                   const std::string& target = "cafe") {
    std::vector<std::string> out;
    for (const auto& line : read_history(db, testing::query(target, direction, limit, core::HistoryPoint::line(id))))
      out.push_back(line.text);
    return out;
  };
  using Direction = core::HistoryQuery::Direction;
  using ::testing::ElementsAre;
  EXPECT_THAT(texts(Direction::around, 3, "3a9f1c-3"), ElementsAre("c2", "c3", "c4")) << "an old id";
  EXPECT_THAT(texts(Direction::before, 2, "3a9f1c-6"), ElementsAre("c4", "c5"));
  EXPECT_THAT(texts(Direction::after, 2, "3a9f1c-6"), ElementsAre("c7", "c8")) << "old and new lines in one order";
  EXPECT_THAT(texts(Direction::after, 2, "p18c-0-2-5", "bar"), ElementsAre("b6"));
  EXPECT_THAT(texts(Direction::before, 2, "p18c-0-2-5"), ElementsAre()) << "another target's id";
  const std::string c8 = testing::timed_id("3a9f1c-8", 8000);
  EXPECT_THAT(texts(Direction::around, 3, c8), ElementsAre("c7", "c8", "c9")) << "a new id";
  EXPECT_THAT(texts(Direction::before, 2, c8), ElementsAre("c6", "c7"));
  EXPECT_THAT(texts(Direction::after, 5, c8), ElementsAre("c9"));
  // Redaction finds and removes old and new lines by their ids.
  SqliteHistoryEdits edits(testing::settings(path));
  auto old_line = edits.find("cafe", "3a9f1c-2");
  ASSERT_TRUE(old_line);
  EXPECT_EQ(old_line->nick, "Ann");
  EXPECT_EQ(old_line->time, testing::at_ms(2000));
  ASSERT_TRUE(edits.find("cafe", c8));
  EXPECT_EQ(edits.find("cafe", c8)->nick, "Cy");
  EXPECT_FALSE(edits.find("bar", "3a9f1c-2"));
  EXPECT_TRUE(edits.remove("cafe", "3a9f1c-2"));
  EXPECT_FALSE(edits.remove("cafe", "3a9f1c-2")) << "only once";
  EXPECT_TRUE(edits.remove("cafe", c8));
  EXPECT_FALSE(edits.find("cafe", c8));
  EXPECT_THAT(texts(Direction::after, 10, "3a9f1c-1"), ElementsAre("c3", "c4", "c5", "c6", "c7", "c9"));
}

// Version 11 to 12 packed every line into rows of up to kMaxLinesPerRow of a
// target's lines: lines with ids from before version 11 and after it read
// the same, are found by their ids, by search (indexed before the migration)
// and redaction (inside a packed row), and new lines follow the old ones.
TEST(Schema, Version11LinesArePackedIntoRows) {
  TempFolder folder;
  const std::string path = folder.file("parley.db");
  const int per_room = static_cast<int>(kMaxLinesPerRow) * 2 + 44;  // two full rows and a part
  auto old_id = [](int i) { return fmt::format("3a9f1c-{}", i); };
  auto new_id = [](int i) { return testing::timed_id(fmt::format("3a9f1c-{}", i), i * 1000); };
  const int last_old = 150;  // lines 1..150 kept before version 11, with ids without time
  {
    SQLite::Database db(path, SQLite::OPEN_READWRITE | SQLite::OPEN_CREATE);
    migrate_to(db, 10);
    db.exec("INSERT INTO history_targets (id, key, room, last_seq) VALUES (1, 'cafe', 'Cafe', 0), (2, 'bar', 'bar', 0);"
            "INSERT INTO history_senders (id, display, nick, username, host, account, bot) "
            "VALUES (1, 'Ann', 'Ann', 'u', 'h', 'ann', 0), (2, 'Bo', 'Bo', 'u', 'h', '', 1)");
    auto add = [&](int from, int to) {
      SQLite::Transaction tx(db);
      for (int i = from; i <= to; ++i) {
        // cafe's line i is seq 2i - 1; bar's, 2i (a row holds one target's lines: seqs with gaps).
        const std::string id = i <= last_old ? old_id(i) : new_id(i);
        db.exec(fmt::format("INSERT INTO history (target, seq, time_ms, kind, sender, msgid, body, client_tags) VALUES "
                            "(1, {0}, {1}, 0, 1, '{2}', 'line {3}{4}', '+x={3}'), "
                            "(2, {5}, {1}, 3, 2, 'bar-{3}', '', '')",
                            2 * i - 1, i * 1000, id, i, i == 100 ? " needle" : "", 2 * i));
      }
      db.exec(fmt::format("UPDATE history_targets SET last_seq = {} WHERE id = 1;"
                          "UPDATE history_targets SET last_seq = {} WHERE id = 2", 2 * to - 1, 2 * to));
      tx.commit();
    };
    add(1, last_old);
    // Indexed for search before the migrations: the index must stay true to the lines.
    db.exec("INSERT INTO history_search (rowid, body) SELECT seq, body FROM history WHERE kind <= 2 AND seq <= 250;"
            "UPDATE search_progress SET indexed_seq = 250");
    migrate_to(db, 11);
    add(last_old + 1, per_room);
  }
  auto db = open_for_writing(testing::settings(path));
  ASSERT_EQ(schema_version(db), kSchemaVersion);
  EXPECT_EQ(db.execAndGet("SELECT COUNT(*) FROM sqlite_master WHERE name IN ('history', 'history_old_msgids')").getInt(), 0);
  EXPECT_EQ(db.execAndGet("SELECT COUNT(*) FROM history_rows WHERE target = 1").getInt(), 3);
  EXPECT_EQ(db.execAndGet("SELECT COUNT(*) FROM history_rows WHERE target = 2").getInt(), 3);
  EXPECT_EQ(testing::rows_and_lines(db), std::make_pair(6, 2 * per_room));
  EXPECT_EQ(db.execAndGet("SELECT COUNT(*) FROM history_old_ids").getInt(), 2 * last_old);
  EXPECT_EQ(search_setting(db, "automerge"), 16);
  auto cafe = read_history(db, testing::latest("cafe", 1000));
  ASSERT_EQ(cafe.size(), static_cast<std::size_t>(per_room));
  for (int i = 1; i <= per_room; ++i) {
    const core::HistoryLine& line = cafe[static_cast<std::size_t>(i - 1)];
    EXPECT_EQ(line.id, i <= last_old ? old_id(i) : new_id(i));
    EXPECT_EQ(line.text, fmt::format("line {}{}", i, i == 100 ? " needle" : ""));
    EXPECT_EQ(line.client_tags, fmt::format("+x={}", i));
    EXPECT_EQ(line.time, testing::at_ms(i * 1000));
    EXPECT_EQ(line.room, "Cafe");
    EXPECT_EQ(line.account, "ann");
  }
  auto bar = read_history(db, testing::latest("bar", 1000));
  ASSERT_EQ(bar.size(), static_cast<std::size_t>(per_room));
  EXPECT_EQ(bar[0].kind, core::HistoryLine::Kind::join);
  EXPECT_TRUE(bar[0].sender.presence.bot);
  using Direction = core::HistoryQuery::Direction;
  auto texts = [&](Direction direction, std::size_t limit, const std::string& id) {
    std::vector<std::string> out;
    for (const auto& line : read_history(db, testing::query("cafe", direction, limit, core::HistoryPoint::line(id))))
      out.push_back(line.text);
    return out;
  };
  using ::testing::ElementsAre;
  EXPECT_THAT(texts(Direction::around, 3, old_id(128)), ElementsAre("line 127", "line 128", "line 129"))
      << "an old id at the end of a row";
  EXPECT_THAT(texts(Direction::around, 3, new_id(257)), ElementsAre("line 256", "line 257", "line 258"))
      << "a new id at the start of a row";
  EXPECT_THAT(texts(Direction::after, 2, old_id(last_old)), ElementsAre("line 151", "line 152"));
  EXPECT_THAT(texts(Direction::before, 1, "bar-5"), ElementsAre()) << "another target's id";
  core::SearchQuery search;
  search.targets = {"cafe"};
  search.words = "needle";
  EXPECT_TRUE(search_history(db, search).empty()) << "schema 13 indexes rows again, from the start";
  index_for_search(db, 100000);
  ASSERT_EQ(search_history(db, search).size(), 1u) << "found once indexed again";
  // Redaction inside a packed row: the line goes, from its row and the index.
  SqliteHistoryEdits edits(testing::settings(path));
  EXPECT_TRUE(edits.remove("cafe", old_id(100)));
  EXPECT_TRUE(search_history(db, search).empty());
  EXPECT_THAT(texts(Direction::around, 2, old_id(101)), ElementsAre("line 99", "line 101"));
  db.exec("INSERT INTO history_search (history_search) VALUES ('integrity-check')");
  // New lines follow the old ones.
  HistoryInserter(db).insert(testing::said("cafe", "Cy", "newest", (per_room + 1) * 1000, new_id(per_room + 1)));
  cafe = read_history(db, testing::latest("cafe", 2));
  ASSERT_EQ(cafe.size(), 2u);
  EXPECT_EQ(cafe[0].text, fmt::format("line {}", per_room));
  EXPECT_EQ(cafe[1].text, "newest");
  index_for_search(db, 100000);
  db.exec("INSERT INTO history_search (history_search) VALUES ('integrity-check')");
}

// Version 12 to 13: the search index, a document per line, is made again
// with a document per row, from the start: nothing is found until the
// indexer has been through, then every line is, and none twice.
TEST(Schema, Version12SearchIndexIsMadeAgainByRow) {
  TempFolder folder;
  const std::string path = folder.file("parley.db");
  {
    SQLite::Database db(path, SQLite::OPEN_READWRITE | SQLite::OPEN_CREATE);
    migrate_to(db, 12);
    SQLite::Transaction tx(db);
    HistoryInserter insert(db);
    insert.add(testing::said("cafe", "Ann", "first needle", 1000, "c1"));
    insert.add(testing::said("cafe", "Bo", "second needle", 2000, "c2"));
    insert.add(testing::said("bar", "Cy", "third needle", 3000, "b1"));
    insert.finish();
    // As schema 12's indexer left it: a document per line, rowid its seq.
    db.exec("INSERT INTO history_search (rowid, body) VALUES (1, 'first needle'), (2, 'second needle'), "
            "(3, 'third needle'); UPDATE search_progress SET indexed_seq = 3");
    tx.commit();
  }
  auto db = open_for_writing(testing::settings(path));
  ASSERT_EQ(schema_version(db), kSchemaVersion);
  EXPECT_EQ(indexed_seq(db), 0);
  EXPECT_EQ(search_setting(db, "automerge"), 16);
  core::SearchQuery search;
  search.targets = {"cafe", "bar"};
  search.words = "needle";
  EXPECT_TRUE(search_history(db, search).empty());
  EXPECT_EQ(index_for_search(db, 1000), 3u);
  std::vector<std::string> ids;
  for (const auto& line : search_history(db, search)) ids.push_back(line.id);
  EXPECT_THAT(ids, ::testing::ElementsAre("b1", "c2", "c1"));
  EXPECT_EQ(db.execAndGet("SELECT COUNT(*) FROM history_search WHERE history_search MATCH 'needle'").getInt(), 2)
      << "a document per row: cafe's two lines are one";
  db.exec("INSERT INTO history_search (history_search) VALUES ('integrity-check')");
}

// Version 13 to 14: the index is made again without word positions, from
// the start; once filled, a word of several tokens is still found only where
// they follow each other.
TEST(Schema, Version13SearchIndexIsMadeAgainWithoutPositions) {
  TempFolder folder;
  const std::string path = folder.file("parley.db");
  {
    SQLite::Database db(path, SQLite::OPEN_READWRITE | SQLite::OPEN_CREATE);
    migrate_to(db, 13);
    SQLite::Transaction tx(db);
    HistoryInserter insert(db);
    insert.add(testing::said("cafe", "Ann", "the ice-cream van", 1000, "c1"));
    insert.add(testing::said("cafe", "Bo", "cream and ice", 2000, "c2"));
    insert.finish();
    EXPECT_EQ(index_for_search(db, 1000), 2u) << "as schema 13 indexed it";
    tx.commit();
  }
  auto db = open_for_writing(testing::settings(path));
  ASSERT_EQ(schema_version(db), kSchemaVersion);
  EXPECT_EQ(indexed_seq(db), 0);
  EXPECT_THAT(search_table_sql(db), ::testing::HasSubstr("detail = none, columnsize = 0"));
  EXPECT_EQ(search_setting(db, "automerge"), 16);
  core::SearchQuery search;
  search.targets = {"cafe"};
  search.words = "ice-cream";
  EXPECT_TRUE(search_history(db, search).empty());
  EXPECT_EQ(index_for_search(db, 1000), 2u);
  std::vector<std::string> ids;
  for (const auto& line : search_history(db, search)) ids.push_back(line.id);
  EXPECT_THAT(ids, ::testing::ElementsAre("c1"));
  search.words = "cream ice";
  search.newest_first = false;
  ids.clear();
  for (const auto& line : search_history(db, search)) ids.push_back(line.id);
  EXPECT_THAT(ids, ::testing::ElementsAre("c2", "c1")) << "by relevance: the shorter line first";
  db.exec("INSERT INTO history_search (history_search) VALUES ('integrity-check')");
}

// Version 14 to 15: the index flushes what it holds every 256 KiB (FTS5
// `hashsize`), so that indexing comes in steps.
TEST(Schema, Version14SearchIndexFlushesInSteps) {
  TempFolder folder;
  const std::string path = folder.file("parley.db");
  {
    SQLite::Database db(path, SQLite::OPEN_READWRITE | SQLite::OPEN_CREATE);
    migrate_to(db, 14);
    EXPECT_EQ(search_setting(db, "hashsize"), -1) << "not set: FTS5's default";
    testing::write_batch(db, {testing::said("cafe", "Ann", "a needle", 1000, "c1")}, /*index=*/true);
  }
  auto db = open_for_writing(testing::settings(path));
  ASSERT_EQ(schema_version(db), kSchemaVersion);
  EXPECT_EQ(search_setting(db, "hashsize"), 262144);
  EXPECT_EQ(search_setting(db, "automerge"), 16);
  core::SearchQuery search;
  search.targets = {"cafe"};
  search.words = "needle";
  EXPECT_EQ(index_for_search(db, 1000), 1u) << "schema 16 makes the index again";
  EXPECT_EQ(search_history(db, search).size(), 1u);
  db.exec("INSERT INTO history_search (history_search) VALUES ('integrity-check')");
}

// Version 15 to 16: the index is made again with the tokenizer that keeps
// long tokens as their prefix (index_tokenizer.h), with the same settings,
// and filled behind the writer; what was kept is found again once indexed.
TEST(Schema, Version15SearchIndexIsMadeAgainWithLongTokensByPrefix) {
  TempFolder folder;
  const std::string path = folder.file("parley.db");
  {
    SQLite::Database db(path, SQLite::OPEN_READWRITE | SQLite::OPEN_CREATE);
    migrate_to(db, 15);
    testing::write_batch(db, {testing::said("cafe", "Ann", "a needle at 1733412345678", 1000, "c1")}, /*index=*/true);
  }
  auto db = open_for_writing(testing::settings(path));
  ASSERT_EQ(schema_version(db), kSchemaVersion);
  EXPECT_EQ(indexed_seq(db), 0);
  EXPECT_THAT(search_table_sql(db), HasSubstr("detail = none, columnsize = 0,"));
  EXPECT_THAT(search_table_sql(db), HasSubstr("tokenize = 'parley_prefix 10 remove_diacritics 2'"));
  EXPECT_EQ(search_setting(db, "hashsize"), 262144);
  EXPECT_EQ(search_setting(db, "automerge"), 16);
  core::SearchQuery search;
  search.targets = {"cafe"};
  search.words = "needle 1733412345678";
  EXPECT_TRUE(search_history(db, search).empty()) << "not indexed again yet";
  EXPECT_EQ(index_for_search(db, 1000), 1u);
  EXPECT_EQ(search_history(db, search).size(), 1u);
  db.exec("INSERT INTO history_search (history_search) VALUES ('integrity-check')");
}

// The inserter looks up new targets and senders: it must leave no statement
// holding a read snapshot past the commit, or its next transaction fails
// (SQLITE_BUSY) once another connection has written, as accounts do.
TEST(Schema, TheInserterKeepsNoSnapshotBetweenTransactions) {
  TempFolder folder;
  const std::string path = folder.file("parley.db");
  auto db = open_for_writing(testing::settings(path));
  auto other = open_for_writing(testing::settings(path));
  HistoryInserter inserter(db);
  {
    SQLite::Transaction tx(db);
    inserter.insert(testing::said("lobby", "Ann", "first", 1000, "a1"));
    tx.commit();
  }
  other.exec("INSERT INTO accounts VALUES ('bo', 'Bo', 'hash', x'00', 4096, x'01', x'02', 0)");
  SQLite::Transaction tx(db);
  inserter.insert(testing::said("cafe", "Bo", "second", 2000, "b1"));
  tx.commit();
  EXPECT_EQ(read_history(db, testing::latest("cafe")).size(), 1u);
}

TEST(Schema, ADatabaseFromANewerParleydIsRefused) {
  TempFolder folder;
  const std::string path = folder.file("parley.db");
  {
    SQLite::Database db(path, SQLite::OPEN_READWRITE | SQLite::OPEN_CREATE);
    db.exec("PRAGMA user_version = " + std::to_string(kSchemaVersion + 1));
  }
  try {
    open_for_writing(testing::settings(path));
    FAIL() << "a newer schema was accepted";
  } catch (const StoreError& e) {
    EXPECT_THAT(e.what(), HasSubstr("newer than this parleyd understands"));
    EXPECT_THAT(e.what(), HasSubstr(path));
  }
}

TEST(Schema, AFileThatIsNoDatabaseIsRefused) {
  TempFolder folder;
  const std::string path = folder.file("parley.db");
  std::ofstream(path) << "this is a text file, not a database, and it is long enough to be looked at";
  try {
    open_for_writing(testing::settings(path));
    FAIL() << "a text file was opened as a database";
  } catch (const StoreError& e) {
    EXPECT_THAT(e.what(), HasSubstr("is not a Parley database"));
  }
}

TEST(Schema, AFolderThatDoesNotExistIsAClearError) {
  TempFolder folder;
  try {
    open_for_writing(testing::settings(folder.file("missing/parley.db")));
    FAIL() << "opened a file in a missing folder";
  } catch (const StoreError& e) {
    EXPECT_THAT(e.what(), HasSubstr("cannot open"));
  }
}

}  // namespace
}  // namespace parley::store
