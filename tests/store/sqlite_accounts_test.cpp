// Accounts in the database: what the account service stores comes back
// byte for byte (raw salts and keys included), and survives reopening.
#include <gtest/gtest.h>

#include "store/sqlite_accounts.h"
#include "store_fixture.h"

namespace parley::store {
namespace {

auth::AccountRecord raj() {
  auth::AccountRecord r;
  r.key = "raj_ingle";
  r.name = "Raj_Ingle";
  r.password_hash = "$argon2id$v=19$m=65536,t=2,p=1$c2FsdA$aGFzaA";
  r.scram.salt = std::string("\0salt\xff", 6);  // raw bytes: NUL and 0xff survive
  r.scram.iterations = 4096;
  r.scram.stored_key = std::string(32, '\x01');
  r.scram.server_key = std::string(32, '\0');
  r.created = 1764700000;
  return r;
}

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
