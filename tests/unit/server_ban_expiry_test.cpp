// Temporary server bans: durations as operators write them (at and past the
// longest), bans that lapse at their time by the clock given, and account
// bans found by the account's name.
#include <gtest/gtest.h>

#include "core/server_bans.h"

namespace parley::core {
namespace {

using namespace std::chrono_literals;

Identity person(std::string nick, std::string account = {}) {
  Identity i{nick, nick, "u", "h.example", {}};
  i.presence.account = std::move(account);
  return i;
}

WallTime at(std::chrono::seconds s) { return WallTime(s); }

TEST(BanDurations, UnitsBareMinutesAndTheLongest) {
  EXPECT_EQ(parse_ban_duration("30s"), 30s);
  EXPECT_EQ(parse_ban_duration("10m"), 600s);
  EXPECT_EQ(parse_ban_duration("10"), 600s) << "a bare number is minutes";
  EXPECT_EQ(parse_ban_duration("2h"), 7200s);
  EXPECT_EQ(parse_ban_duration("1d"), 86400s);
  EXPECT_EQ(parse_ban_duration("1w"), 7 * 86400s);
  EXPECT_EQ(parse_ban_duration("365d"), kLongestTemporaryBan);
  EXPECT_EQ(parse_ban_duration("366d"), std::nullopt) << "past the longest";
  EXPECT_EQ(parse_ban_duration("31536001s"), std::nullopt);
  EXPECT_EQ(parse_ban_duration("99999999999w"), std::nullopt) << "no overflow";
  for (const char* bad : {"", "0", "0m", "m", "10x", "1.5h", "-5m", "10mm", "1h30m", "9999999999999"})
    EXPECT_EQ(parse_ban_duration(bad), std::nullopt) << bad;
  EXPECT_EQ(describe_ban_duration(600s), "10m");
  EXPECT_EQ(describe_ban_duration(90061s), "1d1h1m1s");
  EXPECT_EQ(describe_ban_duration(kLongestTemporaryBan), "365d");
}

TEST(BanExpiry, ATemporaryBanAppliesUntilItsTimeThenExpires) {
  ServerBans bans;
  bans.add({"spam*!*@*", "spam", "oper", at(100s), at(700s)});
  bans.add({"bad!*@*", "for good", "oper", at(100s), {}});
  EXPECT_NE(bans.match(person("spammer"), at(699s)), nullptr);
  EXPECT_EQ(bans.match(person("spammer"), at(700s)), nullptr) << "lapses at its time";
  EXPECT_TRUE(bans.expire(at(699s)).empty());
  ASSERT_EQ(bans.all().size(), 2u);
  auto gone = bans.expire(at(700s));
  ASSERT_EQ(gone.size(), 1u);
  EXPECT_EQ(gone[0].mask, "spam*!*@*");
  ASSERT_EQ(bans.all().size(), 1u);
  EXPECT_FALSE(bans.all()[0].temporary());
  EXPECT_NE(bans.match(person("bad"), at(1000000s)), nullptr) << "a ban without a duration stays";
}

TEST(BanExpiry, AccountBansAreFoundByNameAnyCaseUntilTheyLapse) {
  ServerBans bans;
  bans.add({"$a:Eve", "abuse", "oper", at(0s), at(60s)});
  bans.add({"eve!*@*", "a nick ban is no account ban", "oper", at(0s), {}});
  ASSERT_NE(bans.on_account("EVE", at(59s)), nullptr);
  EXPECT_EQ(bans.on_account("EVE", at(59s))->reason, "abuse");
  EXPECT_EQ(bans.on_account("eve", at(60s)), nullptr);
  EXPECT_EQ(bans.on_account("mallory", at(0s)), nullptr);
  EXPECT_EQ(bans.on_account("", at(0s)), nullptr);
}

}  // namespace
}  // namespace parley::core
