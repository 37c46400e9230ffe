// core/room: who may redact a line (its sender by account, the room's
// operators, server operators from anywhere), and the event that says so.
#include <gtest/gtest.h>

#include "room_fixture.h"

namespace parley::core {
namespace {

using namespace room_testing;

SharedIdentity account_id(std::string name, std::string account, bool server_operator = false) {
  Identity i{name, name, "u", "h", {}};
  i.presence.account = std::move(account);
  i.presence.server_operator = server_operator;
  return id(std::move(i));
}

TEST(RoomRedaction, TheSenderByAccountAndOperatorsMayNobodyElse) {
  Room room("Cafe", "cafe", 3);
  join(room, kAlice, account_id("Alice", "alice"));  // first in: operator
  join(room, kBob, account_id("Bob", "Bob_Acct"));
  join(room, kCarol, id("Carol"));
  // The sender, by account, whatever the case of its name.
  EXPECT_EQ(room.may_redact(kBob, *account_id("Bob", "bob_acct"), "Bob_Acct"), std::nullopt);
  EXPECT_EQ(room.may_redact(kBob, *account_id("Bob", "Bob_Acct"), "alice"), Refusal::not_operator);
  // No account on either side proves nothing.
  EXPECT_EQ(room.may_redact(kCarol, *id("Carol"), ""), Refusal::not_operator);
  // The room's operator may, anyone's.
  EXPECT_EQ(room.may_redact(kAlice, *account_id("Alice", "alice"), "Bob_Acct"), std::nullopt);
  EXPECT_EQ(room.may_redact(kAlice, *account_id("Alice", "alice"), ""), std::nullopt);
  // Not a member: refused, unless a server operator.
  EXPECT_EQ(room.may_redact(kDave, *account_id("Dave", "Bob_Acct"), "Bob_Acct"), Refusal::not_in_room);
  EXPECT_EQ(room.may_redact(kDave, *account_id("Dave", "dave", true), "Bob_Acct"), std::nullopt);
}

TEST(RoomRedaction, TheEventNamesTheLineAndTheReasonInTheRoomsOrder) {
  Room room("Cafe", "cafe", 3);
  join(room, kAlice, account_id("Alice", "alice"));
  auto said = say(room, kAlice, Speech::message, "oops");
  ASSERT_TRUE(said);
  auto ev = room.redact(kAlice, said->id, "typo");
  ASSERT_TRUE(ev.ok());
  const auto* redacted = ev.value()->as<RoomEvent::Redacted>();
  ASSERT_NE(redacted, nullptr);
  EXPECT_EQ(redacted->msgid, said->id);
  EXPECT_EQ(redacted->reason, "typo");
  EXPECT_EQ(ev.value()->seq, said->seq + 1);
  EXPECT_NE(ev.value()->id, said->id);
  EXPECT_FALSE(ev.value()->outsider);
  // From outside: server operators only, marked as such.
  EXPECT_EQ(room.redact(kDave, said->id, "", id("Dave")).refusal(), Refusal::not_in_room);
  auto from_outside = room.redact(kDave, said->id, "", account_id("Dave", "dave", true));
  ASSERT_TRUE(from_outside.ok());
  EXPECT_TRUE(from_outside.value()->outsider);
}

}  // namespace
}  // namespace parley::core
