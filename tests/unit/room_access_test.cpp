// core/room: a registered room's access list, by its founder (or a server
// operator), at and past its limit; accounts on it are operators on joining.
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

TEST(RoomAccess, TheFounderAddsAndRemovesUpToTheLimit) {
  RoomLimits limits;
  limits.bans = 2;
  Room room("Den", "den", 3, limits);
  EXPECT_EQ(room.change_access(*account_id("Ann", "ann"), "bo", true), Refusal::room_not_registered);
  join(room, kAlice, account_id("Ann", "ann"));
  ASSERT_EQ(room.register_to(kAlice, *account_id("Ann", "ann")), std::nullopt);

  EXPECT_EQ(room.change_access(*account_id("Bo", "bo"), "bo", true), Refusal::not_founder);
  EXPECT_EQ(room.change_access(*account_id("Ann", "ANN"), "Bo", true), std::nullopt);
  EXPECT_EQ(room.change_access(*account_id("Ann", "ann"), "bo", true), std::nullopt) << "there already";
  EXPECT_EQ(room.change_access(*account_id("Ann", "ann"), "ann", true), std::nullopt) << "the founder";
  EXPECT_EQ(room.change_access(*account_id("Oper", "", true), "cy", true), std::nullopt) << "a server operator";
  EXPECT_EQ(room.record().operators, (std::vector<std::string>{"Bo", "cy"}));
  EXPECT_EQ(room.change_access(*account_id("Ann", "ann"), "dee", true), Refusal::ban_list_full) << "past the limit";

  // On the list: an operator on joining.
  join(room, kBob, account_id("Bob", "bo"));
  EXPECT_TRUE(room.is_op(kBob));
  EXPECT_EQ(room.change_access(*account_id("Ann", "ann"), "BO", false), std::nullopt);
  EXPECT_EQ(room.change_access(*account_id("Ann", "ann"), "bo", false), Refusal::no_such_member);
  EXPECT_EQ(room.record().operators, (std::vector<std::string>{"cy"}));
  room.leave(kBob, {});
  join(room, kBob, account_id("Bob", "bo"));
  EXPECT_FALSE(room.is_op(kBob));
}

}  // namespace
}  // namespace parley::core
