// Which account a name belongs to, guest names, and the service's name.
#include <gtest/gtest.h>

#include "auth/account_names.h"

namespace parley::auth {
namespace {

TEST(AccountName, IsTheNickFormOfTheName) {
  auto spaced = account_name("Raj Ingle", 32);
  ASSERT_TRUE(spaced.ok());
  EXPECT_EQ(spaced.value().display, "Raj_Ingle");
  auto nick = account_name("RAJ_INGLE", 32);
  ASSERT_TRUE(nick.ok());
  EXPECT_EQ(nick.value().key, spaced.value().key);  // one account
  EXPECT_EQ(account_name("Zoë", 32).value().display, "Zoë");
}

TEST(AccountName, BadNamesAreRefused) {
  EXPECT_FALSE(account_name("", 32).ok());
  EXPECT_FALSE(account_name("a:b", 32).ok());
  EXPECT_TRUE(account_name(std::string(32, 'a'), 32).ok());
  EXPECT_FALSE(account_name(std::string(33, 'a'), 32).ok());
}

TEST(GuestName, IsGuestAndFiveDigits) {
  const std::string g = guest_name();
  ASSERT_EQ(g.size(), 10u);
  EXPECT_TRUE(g.starts_with("Guest"));
  EXPECT_EQ(g.find_first_not_of("0123456789", 5), std::string::npos);
}

TEST(ServiceName, NickServInAnyCase) {
  EXPECT_TRUE(is_service_name("NickServ"));
  EXPECT_TRUE(is_service_name("nickserv"));
  EXPECT_FALSE(is_service_name("NickServ2"));
  EXPECT_FALSE(is_service_name("ChanServ"));
}

}  // namespace
}  // namespace parley::auth
