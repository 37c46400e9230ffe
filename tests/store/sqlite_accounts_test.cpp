// Accounts in the database: what the account service stores comes back
// byte for byte (raw salts and keys included), and survives reopening.
#include <gtest/gtest.h>

#include <map>

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
