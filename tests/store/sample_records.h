#pragma once
// The records both stores' tests save and read back (SQLite and PostgreSQL):
// an account with raw bytes in its keys, a room with every setting and list.
#include <gtest/gtest.h>

#include <map>
#include <string>
#include <vector>

#include "auth/account_records.h"
#include "core/kept_records.h"
#include "store_fixture.h"

namespace parley::store::testing {

inline auth::AccountRecord raj() {
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

inline core::RoomRecord cafe() {
  core::RoomRecord r;
  r.key = "café";
  r.name = "Café";
  r.founder = "Raj_Ingle";
  r.operators = {"Zoe", "ann"};
  r.topic = "Open 9 to 5 ☕ 'quoted' \\ back";
  r.topic_by = "Raj";
  r.topic_time = at_ms(1764700000123);
  r.settings.no_outside = false;
  r.settings.topic_locked = true;
  r.settings.moderated = true;
  r.settings.invite_only = true;
  r.settings.secret = true;
  r.settings.key = "s3cret";
  r.settings.limit = 42;
  r.settings.bans = {"*!*@bad.example", "Eve!*@*"};
  r.settings.ban_exceptions = {"*!*@good.bad.example"};
  r.settings.invite_exceptions = {"Zoe!*@*"};
  r.registered = at_ms(1764600000000);
  return r;
}

// Three rooms naming raj() (the account deletion tests, both stores): café
// founded by Raj_Ingle with Zoe and ann on its access list; den founded by
// Raj_Ingle with nobody listed; bar founded by Zoe, Raj_Ingle listed.
inline std::vector<core::RoomRecord> rooms_naming_raj() {
  auto founded = cafe();
  auto alone = cafe();
  alone.key = "den";
  alone.name = "Den";
  alone.operators = {};
  auto listed = cafe();
  listed.key = "bar";
  listed.name = "Bar";
  listed.founder = "Zoe";
  listed.operators = {"ann", "Raj_Ingle", "Cy"};
  return {founded, alone, listed};
}

// What rooms_naming_raj() must become once raj() is deleted, by key.
inline void expect_raj_forgotten(std::vector<core::RoomRecord> loaded) {
  std::map<std::string, core::RoomRecord> kept;
  for (auto& r : loaded) kept.emplace(r.key, std::move(r));
  ASSERT_EQ(kept.count("den"), 0u) << "founded, with nobody to succeed it: no longer registered";
  ASSERT_EQ(kept.count("café"), 1u);
  EXPECT_EQ(kept["café"].founder, "Zoe") << "the first on the access list succeeds";
  EXPECT_EQ(kept["café"].operators, (std::vector<std::string>{"ann"}));
  EXPECT_EQ(kept["café"].topic, cafe().topic) << "the rest of the room is kept";
  ASSERT_EQ(kept.count("bar"), 1u);
  EXPECT_EQ(kept["bar"].founder, "Zoe");
  EXPECT_EQ(kept["bar"].operators, (std::vector<std::string>{"ann", "Cy"}));
}

}  // namespace parley::store::testing
