#pragma once
// The records both stores' tests save and read back (SQLite and PostgreSQL):
// an account with raw bytes in its keys, a room with every setting and list.
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

}  // namespace parley::store::testing
