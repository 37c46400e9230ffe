// What several nodes share in PostgreSQL ([storage] url), against a real
// PostgreSQL 15 server made for these tests: accounts, registered rooms,
// server bans and read markers come back as they were saved, byte for byte,
// across connections (as another node would read them); the schema is made
// once however many nodes start together, and a newer one is refused.
#include <gtest/gtest.h>

#include <map>
#include <memory>
#include <thread>

#include "pg_fixture.h"
#include "sample_records.h"
#include "store/pg_records.h"
#include "store/pg_schema.h"
#include "store/store_error.h"

namespace parley::store {
namespace {

using testing::at_ms;
using testing::cafe;
using testing::raj;

class PgStore : public testing::PgFixture {};

TEST_F(PgStore, AnAccountComesBackByteForByteOnAnotherConnection) {
  PgAccounts node_a(url_);
  PgAccounts node_b(url_);
  EXPECT_FALSE(node_b.find("raj_ingle"));
  ASSERT_TRUE(node_a.insert(raj()));
  auto found = node_b.find("raj_ingle");
  ASSERT_TRUE(found);
  EXPECT_EQ(*found, raj());
}

TEST_F(PgStore, ATakenAccountIsNotInsertedTwiceFromAnyNode) {
  PgAccounts node_a(url_);
  PgAccounts node_b(url_);
  ASSERT_TRUE(node_a.insert(raj()));
  auto other = raj();
  other.password_hash = "another";
  EXPECT_FALSE(node_b.insert(other));
  EXPECT_EQ(node_a.find("raj_ingle")->password_hash, raj().password_hash);
}

TEST_F(PgStore, UpdateAndRemoveSayWhetherThereWasAnAccount) {
  PgAccounts accounts(url_);
  auto changed = raj();
  changed.password_hash = "new";
  changed.scram.salt = std::string("\xff\0", 2);
  EXPECT_FALSE(accounts.update(changed));
  ASSERT_TRUE(accounts.insert(raj()));
  EXPECT_TRUE(accounts.update(changed));
  EXPECT_EQ(*accounts.find("raj_ingle"), changed);
  EXPECT_TRUE(accounts.remove("raj_ingle"));
  EXPECT_FALSE(accounts.remove("raj_ingle"));
  EXPECT_FALSE(accounts.find("raj_ingle"));
}

TEST_F(PgStore, ARoomComesBackAsItWasSavedAndSavingAgainReplacesIt) {
  PgRooms node_a(url_);
  EXPECT_TRUE(node_a.load_rooms().empty());
  node_a.save_room(cafe());
  PgRooms node_b(url_);
  auto loaded = node_b.load_rooms();
  ASSERT_EQ(loaded.size(), 1u);
  EXPECT_EQ(loaded[0], cafe());

  auto changed = cafe();
  changed.operators = {"ann"};
  changed.settings.bans = {"Eve!*@*"};
  changed.settings.ban_exceptions.clear();
  changed.settings.limit = 0;
  node_b.save_room(changed);
  loaded = node_a.load_rooms();
  ASSERT_EQ(loaded.size(), 1u);
  EXPECT_EQ(loaded[0], changed);

  node_a.remove_room("café");
  EXPECT_TRUE(node_b.load_rooms().empty());
}

TEST_F(PgStore, BansAreReplacedByMaskAndKeepTheirExpiry) {
  PgRooms bans(url_);
  const core::ServerBan forever{"*!*@bad.example", "spam", "Zoe", at_ms(1764700000000), {}};
  const core::ServerBan lapsing{"$a:eve", "flood", "Zoe", at_ms(1764700001000), at_ms(1764703600000)};
  bans.save_ban(forever);
  bans.save_ban(lapsing);
  auto again = forever;
  again.reason = "more spam";
  bans.save_ban(again);
  auto loaded = PgRooms(url_).load_bans();
  ASSERT_EQ(loaded.size(), 2u);
  EXPECT_EQ(loaded[0], again);
  EXPECT_EQ(loaded[1], lapsing);
  EXPECT_TRUE(loaded[1].temporary());
  bans.remove_ban("$a:eve");
  EXPECT_EQ(bans.load_bans().size(), 1u);
}

TEST_F(PgStore, AReadMarkerOnlyMovesForward) {
  PgReadMarkers node_a(url_);
  PgReadMarkers node_b(url_);
  EXPECT_FALSE(node_a.get("raj", "#cafe"));
  EXPECT_EQ(node_a.raise("raj", "#cafe", at_ms(2000)), at_ms(2000));
  EXPECT_EQ(node_b.raise("raj", "#cafe", at_ms(1000)), at_ms(2000));  // another device read less
  EXPECT_EQ(node_b.raise("raj", "#cafe", at_ms(3000)), at_ms(3000));
  EXPECT_EQ(node_a.get("raj", "#cafe"), at_ms(3000));
  EXPECT_FALSE(node_a.get("raj", "#other"));
}

// `parleyd account del` on the shared database: the registered rooms forget
// the account as the file's do (SqliteAccounts' test of the same name).
TEST_F(PgStore, RemovingAnAccountTakesItOffRoomsAndHandsOnWhatItFounded) {
  PgAccounts accounts(url_);
  PgRooms rooms(url_);
  ASSERT_TRUE(accounts.insert(raj()));
  for (const auto& r : testing::rooms_naming_raj()) rooms.save_room(r);
  ASSERT_TRUE(accounts.remove("raj_ingle"));
  testing::expect_raj_forgotten(rooms.load_rooms());
}

// Deletions are recorded with a growing number, read by every node (the
// SQLite store's tests of the same kind), and version 2 gains the table.
TEST_F(PgStore, EachDeletionIsRecordedAndSeenByAnotherNode) {
  PgAccounts node_a(url_);
  PgAccounts node_b(url_);
  EXPECT_EQ(node_b.last_deletion(), 0);
  ASSERT_TRUE(node_a.insert(raj()));
  const auto first = node_a.remove("raj_ingle");
  ASSERT_TRUE(first);
  EXPECT_FALSE(node_b.remove("raj_ingle"));
  ASSERT_TRUE(node_b.insert(raj()));  // registered again, on the other node
  const auto second = node_b.remove("raj_ingle");
  ASSERT_TRUE(second);
  EXPECT_GT(*second, *first);
  EXPECT_EQ(node_a.last_deletion(), *second);
  const auto seen = node_a.deletions_after(0);
  ASSERT_EQ(seen.size(), 2u);
  EXPECT_EQ(seen[0].id, *first);
  EXPECT_EQ(seen[0].key, "raj_ingle");
  EXPECT_EQ(seen[0].name, "Raj_Ingle");
  EXPECT_GT(seen[0].deleted_ms, 0);
  ASSERT_EQ(node_a.deletions_after(*first).size(), 1u);
  EXPECT_EQ(node_a.deletions_after(*first)[0].id, *second);
}

TEST_F(PgStore, OldDeletionsArePrunedAsNewOnesAreMade) {
  PgAccounts accounts(url_);
  PgConnection db(url_);
  db.exec("INSERT INTO account_deletions (key, name, deleted_ms) VALUES ('old', 'Old', 1000)");
  ASSERT_TRUE(accounts.insert(raj()));
  const auto id = accounts.remove("raj_ingle");
  ASSERT_TRUE(id);
  const auto kept = accounts.deletions_after(0);
  ASSERT_EQ(kept.size(), 1u);
  EXPECT_EQ(kept[0].id, *id);
}

TEST_F(PgStore, AVersion2DatabaseGainsDeletionsOnUpgrade) {
  {
    PgAccounts accounts(url_);
    ASSERT_TRUE(accounts.insert(raj()));
  }
  {
    // Back to version 2 as it was (version 3 only adds the table).
    PgConnection db(url_);
    db.exec("DROP TABLE account_deletions");
    db.exec("UPDATE parley_schema SET version = 2");
  }
  PgAccounts accounts(url_);
  PgConnection db(url_);
  EXPECT_EQ(pg_schema_version(db), kPgSchemaVersion);
  EXPECT_EQ(accounts.last_deletion(), 0);
  ASSERT_TRUE(accounts.remove("raj_ingle"));
  EXPECT_EQ(accounts.deletions_after(0).size(), 1u);
}

TEST_F(PgStore, NodesStartingTogetherMakeTheSchemaOnce) {
  std::vector<std::thread> nodes;
  std::atomic<int> failures{0};
  for (int i = 0; i < 4; ++i) {
    nodes.emplace_back([&] {
      try {
        PgAccounts accounts(url_);
      } catch (const StoreError&) {
        ++failures;
      }
    });
  }
  for (auto& t : nodes) t.join();
  EXPECT_EQ(failures.load(), 0);
  PgConnection db(url_);
  EXPECT_EQ(pg_schema_version(db), kPgSchemaVersion);
}

TEST_F(PgStore, ANewerSchemaIsRefusedWithAReason) {
  { PgAccounts made(url_); }
  PgConnection db(url_);
  db.exec("UPDATE parley_schema SET version = $1", {kPgSchemaVersion + 1});
  try {
    PgAccounts accounts(url_);
    FAIL() << "a newer schema was accepted";
  } catch (const StoreError& e) {
    EXPECT_NE(std::string(e.what()).find("newer than this parleyd understands"), std::string::npos) << e.what();
  }
}

TEST_F(PgStore, AStoreCarriesOnAfterTheServerRestarts) {
  PgAccounts accounts(url_);
  ASSERT_TRUE(accounts.insert(raj()));
  server_->restart();  // ends every connection: accounts' is broken now
  auto found = accounts.find("raj_ingle");  // one statement, outside a transaction: retried once
  ASSERT_TRUE(found);
  EXPECT_EQ(*found, raj());
  PgRooms rooms(url_);
  server_->restart();
  rooms.save_room(cafe());  // a transaction: its BEGIN finds the broken connection, and is retried
  ASSERT_EQ(rooms.load_rooms().size(), 1u);
}

TEST(PgConnection, AnUnreachableServerIsNamedWithoutItsPassword) {
  const std::string url = "postgresql://parley:hunter2@127.0.0.1:1/none";
  try {
    PgConnection db(url, 2);
    FAIL() << "connected to nothing";
  } catch (const StoreError& e) {
    const std::string what = e.what();
    EXPECT_NE(what.find("cannot connect to PostgreSQL at postgresql://parley@127.0.0.1:1/none"), std::string::npos)
        << what;
    EXPECT_EQ(what.find("hunter2"), std::string::npos) << what;
  }
}

TEST(PgConnection, AddressesAreCheckedBeforeConnecting) {
  EXPECT_FALSE(postgres_url_problem("postgresql://parley@127.0.0.1:5432/parley"));
  EXPECT_FALSE(postgres_url_problem("postgres://localhost/db?connect_timeout=3"));
  EXPECT_TRUE(postgres_url_problem("mysql://127.0.0.1/db"));
  EXPECT_TRUE(postgres_url_problem("postgresql://127.0.0.1/db?nonsense_option=1"));
  EXPECT_EQ(postgres_url_for_logs("postgresql://u:secret@h:5/d"), "postgresql://u@h:5/d");
  EXPECT_EQ(postgres_url_for_logs("postgresql://u@h/d"), "postgresql://u@h/d");
}

}  // namespace
}  // namespace parley::store
