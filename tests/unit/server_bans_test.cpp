// core/server_bans: masks and account bans, normalized, matched, replaced
// and removed; bad masks refused at and past their edges.
#include <gtest/gtest.h>

#include "core/server_bans.h"

namespace parley::core {
namespace {

Identity person(std::string nick, std::string user, std::string host, std::string account = {}) {
  Identity i{nick, nick, std::move(user), std::move(host), {}};
  i.presence.account = std::move(account);
  return i;
}

TEST(ServerBanMasks, AddressMasksAreCompletedAndAccountsKept) {
  EXPECT_EQ(normalize_server_ban("spammer"), "spammer!*@*");
  EXPECT_EQ(normalize_server_ban("*@10.0.0.*"), "*!*@10.0.0.*");
  EXPECT_EQ(normalize_server_ban("x!y@z"), "x!y@z");
  EXPECT_EQ(normalize_server_ban("$a:Eve"), "$a:Eve");
}

TEST(ServerBanMasks, UnusableMasksAreRefused) {
  EXPECT_EQ(normalize_server_ban(""), std::nullopt);
  EXPECT_EQ(normalize_server_ban("a b"), std::nullopt);
  EXPECT_EQ(normalize_server_ban("a!b!c"), std::nullopt);
  EXPECT_EQ(normalize_server_ban("a@b@c"), std::nullopt);
  EXPECT_EQ(normalize_server_ban("bad\x01"), std::nullopt);
  EXPECT_EQ(normalize_server_ban("a,b"), std::nullopt);
  EXPECT_EQ(normalize_server_ban("$a:"), std::nullopt);
  EXPECT_EQ(normalize_server_ban("$a:two words"), std::nullopt);
  EXPECT_EQ(normalize_server_ban("$r:realname"), std::nullopt);  // no other kinds
  EXPECT_EQ(normalize_server_ban("\xff\xfe"), std::nullopt);
}

TEST(ServerBanMasks, TheLengthLimitIsTwoHundredBytes) {
  const std::string at_limit = "*!*@" + std::string(196, 'h');
  EXPECT_EQ(normalize_server_ban(at_limit), at_limit);
  EXPECT_EQ(normalize_server_ban(at_limit + "h"), std::nullopt);
  const std::string account_at_limit = "$a:" + std::string(200, 'a');
  EXPECT_EQ(normalize_server_ban(account_at_limit), account_at_limit);
  EXPECT_EQ(normalize_server_ban(account_at_limit + "a"), std::nullopt);
}

TEST(ServerBanMasks, MasksMatchAddressesAndAccountBansMatchAccounts) {
  EXPECT_TRUE(server_ban_matches("*!*@10.0.0.*", person("Ann", "ann", "10.0.0.7")));
  EXPECT_FALSE(server_ban_matches("*!*@10.0.0.*", person("Ann", "ann", "10.0.1.7")));
  EXPECT_TRUE(server_ban_matches("eve!*@*", person("EVE", "x", "h")));  // case-folded
  EXPECT_TRUE(server_ban_matches("$a:Eve", person("Zed", "x", "h", "eve")));
  EXPECT_FALSE(server_ban_matches("$a:Eve", person("Eve", "x", "h")));  // the nick is not the account
  EXPECT_FALSE(server_ban_matches("$a:Eve", person("Zed", "x", "h", "Evelyn")));
  EXPECT_FALSE(server_ban_matches("*!*@*", Identity{}));  // no name yet: nothing to match
}

TEST(ServerBanMasks, ACloakedUserMatchesByTheAddressAndByTheCloak) {
  Identity cloaked = person("Ann", "ann", "k3j9x2m4.parley");
  cloaked.address = "10.0.0.7";
  EXPECT_TRUE(server_ban_matches("*!*@10.0.0.*", cloaked)) << "the address the log shows";
  EXPECT_TRUE(server_ban_matches("*!*@k3j9x2m4.parley", cloaked)) << "the cloak others see";
  EXPECT_FALSE(server_ban_matches("*!*@10.0.1.*", cloaked));
}

TEST(ServerBanList, AddReplacesTheSameMaskAndRemoveFindsItAnyCase) {
  ServerBans bans;
  EXPECT_TRUE(bans.add({"*!*@spam.example", "spam", "oper", {}, {}}));
  EXPECT_TRUE(bans.add({"$a:eve", "abuse", "oper", {}, {}}));
  EXPECT_FALSE(bans.add({"*!*@SPAM.example", "more spam", "root", {}, {}}));
  ASSERT_EQ(bans.all().size(), 2u);
  EXPECT_EQ(bans.all()[0].reason, "more spam");
  const ServerBan* found = bans.match(person("x", "y", "spam.example"));
  ASSERT_NE(found, nullptr);
  EXPECT_EQ(found->reason, "more spam");
  EXPECT_EQ(bans.match(person("x", "y", "ham.example")), nullptr);
  EXPECT_EQ(bans.remove("$a:nobody"), std::nullopt);
  auto removed = bans.remove("$a:EVE");
  ASSERT_TRUE(removed);
  EXPECT_EQ(removed->reason, "abuse");
  EXPECT_EQ(bans.all().size(), 1u);
}

}  // namespace
}  // namespace parley::core
