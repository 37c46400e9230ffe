// The schema is created, upgraded from every earlier version, and a database
// from a newer parleyd (or not a database at all) is refused in words.
#include <gmock/gmock.h>
#include <gtest/gtest.h>

#include <SQLiteCpp/Database.h>

#include <fstream>

#include "store/database.h"
#include "store/history_rows.h"
#include "store/schema.h"
#include "store/store_error.h"
#include "store_fixture.h"

namespace parley::store {
namespace {

using ::testing::HasSubstr;
using testing::TempFolder;

TEST(Schema, ANewFileGetsTheCurrentSchema) {
  TempFolder folder;
  auto db = open_for_writing(testing::settings(folder.file("parley.db")));
  EXPECT_EQ(schema_version(db), kSchemaVersion);
  EXPECT_EQ(db.execAndGet("PRAGMA journal_mode").getString(), "wal");
}

TEST(Schema, OpeningAgainKeepsTheData) {
  TempFolder folder;
  {
    auto db = open_for_writing(testing::settings(folder.file("parley.db")));
    HistoryInserter(db).insert(testing::said("lobby", "Ann", "hello", 1000, "a1"));
  }
  auto db = open_for_writing(testing::settings(folder.file("parley.db")));
  EXPECT_EQ(db.execAndGet("SELECT body FROM history").getString(), "hello");
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
      if (from >= 1)
        db.exec("INSERT INTO history (target, room, msgid, time_ms, kind, sender, nick, username, host, body) "
                "VALUES ('lobby', 'lobby', 'a1', 1000, 0, 'Ann', 'Ann', 'text', '127.0.0.1', 'kept')");
      if (from >= 2) db.exec("INSERT INTO accounts VALUES ('ann', 'Ann', 'hash', x'00', 4096, x'01', x'02', 0)");
      if (from >= 3) {
        db.exec("INSERT INTO rooms (key, name, founder, registered_ms) VALUES ('cafe', 'Cafe', 'Ann', 0)");
        db.exec("INSERT INTO server_bans VALUES ('*!*@spam', 'spam', 'oper', 0)");
      }
      if (from >= 5) db.exec("INSERT INTO read_markers VALUES ('ann', 'lobby', 1000)");
    }
    auto db = open_for_writing(testing::settings(path));
    EXPECT_EQ(schema_version(db), kSchemaVersion);
    if (from >= 1) {
      EXPECT_EQ(db.execAndGet("SELECT body FROM history").getString(), "kept");
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
    // The current schema takes every kind of row.
    HistoryInserter(db).insert(testing::said("lobby", "Bo", "new", 2000, "b1"));
    db.exec("INSERT INTO accounts VALUES ('bo', 'Bo', 'hash', x'00', 4096, x'01', x'02', 0)");
    db.exec("INSERT INTO rooms (key, name, founder, registered_ms) VALUES ('bar', 'Bar', 'Bo', 0)");
    db.exec("INSERT INTO room_masks VALUES ('bar', 'b', 0, '*!*@x')");
    db.exec("INSERT INTO room_operators VALUES ('bar', 0, 'Ann')");
    db.exec("INSERT INTO server_bans VALUES ('$a:bo', 'no', 'oper', 0, 5000)");
    db.exec("INSERT INTO read_markers VALUES ('bo', 'lobby', 2000)");
  }
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
