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
  auto founded = testing::cafe();       // founder Raj_Ingle, access list Zoe, ann
  auto alone = testing::cafe();
  alone.key = "den";
  alone.name = "Den";
  alone.operators = {};
  auto listed = testing::cafe();
  listed.key = "bar";
  listed.name = "Bar";
  listed.founder = "Zoe";
  listed.operators = {"ann", "Raj_Ingle", "Cy"};
  for (const auto& r : {founded, alone, listed}) rooms.save_room(r);

  ASSERT_TRUE(accounts.remove("raj_ingle"));
  std::map<std::string, core::RoomRecord> kept;
  for (auto& r : rooms.load_rooms()) kept.emplace(r.key, std::move(r));
  ASSERT_EQ(kept.count("den"), 0u) << "founded, with nobody to succeed it: no longer registered";
  ASSERT_EQ(kept.count("café"), 1u);
  EXPECT_EQ(kept["café"].founder, "Zoe") << "the first on the access list succeeds";
  EXPECT_EQ(kept["café"].operators, (std::vector<std::string>{"ann"}));
  EXPECT_EQ(kept["café"].topic, founded.topic) << "the rest of the room is kept";
  ASSERT_EQ(kept.count("bar"), 1u);
  EXPECT_EQ(kept["bar"].founder, "Zoe");
  EXPECT_EQ(kept["bar"].operators, (std::vector<std::string>{"ann", "Cy"}));
}

}  // namespace
}  // namespace parley::store
