// Accounts in the database: what the account service stores comes back
// byte for byte (raw salts and keys included), and survives reopening.
#include <gtest/gtest.h>

#include <SQLiteCpp/Database.h>

#include <chrono>
#include <map>

#include "store/schema.h"
#include "store/sqlite_accounts.h"
#include "store/sqlite_rooms.h"
#include "sample_records.h"

namespace parley::store {
namespace {

using testing::raj;

TEST(SqliteAccounts, WhatIsInsertedIsFoundByteForByte) {
  testing::TempFolder folder;
  SqliteAccounts accounts(testing::settings(folder.file("parley.db")));
  EXPECT_FALSE(accounts.find("raj_ingle"));
  ASSERT_TRUE(accounts.insert(raj()));
  auto found = accounts.find("raj_ingle");
  ASSERT_TRUE(found);
  EXPECT_EQ(*found, raj());
}

TEST(SqliteAccounts, ATakenKeyIsNotInsertedTwice) {
  testing::TempFolder folder;
  SqliteAccounts accounts(testing::settings(folder.file("parley.db")));
  ASSERT_TRUE(accounts.insert(raj()));
  auto other = raj();
  other.password_hash = "another";
  EXPECT_FALSE(accounts.insert(other));
  EXPECT_EQ(accounts.find("raj_ingle")->password_hash, raj().password_hash);
}

TEST(SqliteAccounts, UpdateAndRemoveSayWhetherThereWasOne) {
  testing::TempFolder folder;
  SqliteAccounts accounts(testing::settings(folder.file("parley.db")));
  auto changed = raj();
  changed.password_hash = "new";
  EXPECT_FALSE(accounts.update(changed));
  ASSERT_TRUE(accounts.insert(raj()));
  EXPECT_TRUE(accounts.update(changed));
  EXPECT_EQ(accounts.find("raj_ingle")->password_hash, "new");
  EXPECT_TRUE(accounts.remove("raj_ingle"));
  EXPECT_FALSE(accounts.remove("raj_ingle"));
  EXPECT_FALSE(accounts.find("raj_ingle"));
}

TEST(SqliteAccounts, AccountsSurviveReopeningBesideHistory) {
  testing::TempFolder folder;
  {
    SqliteAccounts accounts(testing::settings(folder.file("parley.db")));
    ASSERT_TRUE(accounts.insert(raj()));
  }
  SqliteAccounts again(testing::settings(folder.file("parley.db")));
  EXPECT_TRUE(again.find("raj_ingle"));
}

}  // namespace
}  // namespace parley::store

namespace parley::store {
namespace {

// `parleyd account del` on a stopped server's file: the registered rooms
// forget the account as a running server's would (core::Room::forget_account).
TEST(SqliteAccounts, RemovingAnAccountTakesItOffRoomsAndHandsOnWhatItFounded) {
  testing::TempFolder folder;
  const auto settings = testing::settings(folder.file("parley.db"));
  SqliteAccounts accounts(settings);
  SqliteRooms rooms(settings);
  ASSERT_TRUE(accounts.insert(testing::raj()));  // key raj_ingle; rooms name it as registered
  for (const auto& r : testing::rooms_naming_raj()) rooms.save_room(r);
  ASSERT_TRUE(accounts.remove("raj_ingle"));
  testing::expect_raj_forgotten(rooms.load_rooms());
}

}  // namespace
}  // namespace parley::store

namespace parley::store {
namespace {

// A deletion is recorded with it (auth::AccountDeletion), numbered in order,
// so a running server can apply each once, even when the name is registered
// again before it looks.
TEST(SqliteAccounts, EachDeletionIsRecordedWithAGrowingNumber) {
  testing::TempFolder folder;
  SqliteAccounts accounts(testing::settings(folder.file("parley.db")));
  EXPECT_EQ(accounts.last_deletion(), 0);
  EXPECT_TRUE(accounts.deletions_after(0).empty());
  ASSERT_TRUE(accounts.insert(testing::raj()));
  const auto first = accounts.remove("raj_ingle");
  ASSERT_TRUE(first);
  EXPECT_FALSE(accounts.remove("raj_ingle")) << "no account, no deletion";
  ASSERT_TRUE(accounts.insert(testing::raj()));  // the name registered again
  const auto second = accounts.remove("raj_ingle");
  ASSERT_TRUE(second);
  EXPECT_GT(*second, *first);
  EXPECT_EQ(accounts.last_deletion(), *second);
  const auto all = accounts.deletions_after(0);
  ASSERT_EQ(all.size(), 2u);
  EXPECT_EQ(all[0].id, *first);
  EXPECT_EQ(all[0].key, "raj_ingle");
  EXPECT_EQ(all[0].name, "Raj_Ingle");
  const auto now_ms = std::chrono::duration_cast<std::chrono::milliseconds>(
                          std::chrono::system_clock::now().time_since_epoch()).count();
  EXPECT_GT(all[0].deleted_ms, now_ms - 60'000);
  EXPECT_LE(all[0].deleted_ms, now_ms);
  const auto later = accounts.deletions_after(*first);
  ASSERT_EQ(later.size(), 1u);
  EXPECT_EQ(later[0], all[1]);
  EXPECT_TRUE(accounts.deletions_after(*second).empty());
}

// Another process's deletion (`parleyd account del`) is read by the server's
// own connection as soon as it is committed.
TEST(SqliteAccounts, ADeletionByAnotherConnectionIsSeen) {
  testing::TempFolder folder;
  const auto settings = testing::settings(folder.file("parley.db"));
  SqliteAccounts server(settings);
  ASSERT_TRUE(server.insert(testing::raj()));
  const auto mark = server.last_deletion();
  SqliteAccounts other(settings);
  const auto id = other.remove("raj_ingle");
  ASSERT_TRUE(id);
  const auto seen = server.deletions_after(mark);
  ASSERT_EQ(seen.size(), 1u);
  EXPECT_EQ(seen[0].id, *id);
  EXPECT_EQ(server.last_deletion(), *id);
}

// Deletions older than two days go as later ones are made; the newest stays,
// so a number is never given twice.
TEST(SqliteAccounts, OldDeletionsArePrunedButNumbersKeepGrowing) {
  testing::TempFolder folder;
  const std::string path = folder.file("parley.db");
  SqliteAccounts accounts(testing::settings(path));
  {
    SQLite::Database db(path, SQLite::OPEN_READWRITE);
    db.exec("INSERT INTO account_deletions (id, key, name, deleted_ms) VALUES (7, 'old', 'Old', 1000)");
  }
  ASSERT_EQ(accounts.last_deletion(), 7);
  ASSERT_TRUE(accounts.insert(testing::raj()));
  const auto id = accounts.remove("raj_ingle");
  ASSERT_TRUE(id);
  EXPECT_EQ(*id, 8);
  const auto kept = accounts.deletions_after(0);
  ASSERT_EQ(kept.size(), 1u) << "the old one is pruned";
  EXPECT_EQ(kept[0].key, "raj_ingle");
}

// Version 8 had no record of deletions: after the upgrade, accounts kept
// before it are deleted and recorded like any other.
TEST(SqliteAccounts, AVersion8DatabaseRecordsDeletionsAfterTheUpgrade) {
  testing::TempFolder folder;
  const std::string path = folder.file("parley.db");
  {
    SQLite::Database db(path, SQLite::OPEN_READWRITE | SQLite::OPEN_CREATE);
    migrate_to(db, 8);
    db.exec("INSERT INTO accounts VALUES ('ann', 'Ann', 'hash', x'00', 4096, x'01', x'02', 0)");
  }
  SqliteAccounts accounts(testing::settings(path));
  {
    SQLite::Database db(path, SQLite::OPEN_READONLY);
    EXPECT_EQ(schema_version(db), kSchemaVersion);
  }
  EXPECT_EQ(accounts.last_deletion(), 0);
  const auto id = accounts.remove("ann");
  ASSERT_TRUE(id);
  const auto seen = accounts.deletions_after(0);
  ASSERT_EQ(seen.size(), 1u);
  EXPECT_EQ(seen[0].id, *id);
  EXPECT_EQ(seen[0].name, "Ann");
}

}  // namespace
}  // namespace parley::store
