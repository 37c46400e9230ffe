#include "core/name_registry.h"

#include <gtest/gtest.h>

namespace parley::core {
namespace {

constexpr SessionRef kRaj{0, 1};
constexpr SessionRef kIrcRaj{1, 2};

CheckedName checked(std::string_view raw) { return check_user_name(raw, 32).value(); }

TEST(NickFor, KeepsLettersDigitsAndSpecialsOfAnyScript) {
  EXPECT_EQ(nick_for("Raj Ingle", 32), "Raj_Ingle");
  EXPECT_EQ(nick_for("Keerthi Reddy Kandi", 32), "Keerthi_Reddy_Kandi");
  EXPECT_EQ(nick_for("O'Brien", 32), "O_Brien");
  EXPECT_EQ(nick_for("Zo\xC3\xAB", 32), "Zo\xC3\xAB");
  EXPECT_EQ(nick_for("\xE6\x9D\x8E\xE9\x9B\xB7", 32), "\xE6\x9D\x8E\xE9\x9B\xB7");  // 李雷
  EXPECT_EQ(nick_for("[x]|{y}^`-\\", 32), "[x]|{y}^`-\\");
}

TEST(NickFor, NeverStartsWithADigitOrDash) {
  EXPECT_EQ(nick_for("2pac", 32), "_2pac");
  EXPECT_EQ(nick_for("-dash", 32), "_-dash");
}

TEST(NickFor, CutsAtTheLimitInCharactersNotBytes) {
  EXPECT_EQ(nick_for("abcdef", 4), "abcd");
  EXPECT_EQ(nick_for("\xC3\xA9\xC3\xA9\xC3\xA9", 2), "\xC3\xA9\xC3\xA9");
}

TEST(NameRegistry, ATextNameAlsoHoldsItsNick) {
  NameRegistry registry(32);
  auto raj = registry.claim(kRaj, checked("Raj Ingle"));
  ASSERT_TRUE(raj.ok());
  EXPECT_EQ(raj.value(), (Identity{"Raj Ingle", "Raj_Ingle", "", "", "Raj Ingle"}));
  auto irc = registry.claim(kIrcRaj, checked("raj_ingle"));
  ASSERT_FALSE(irc.ok());
  EXPECT_EQ(irc.refusal(), Refusal::name_in_use);
  ASSERT_TRUE(registry.find("raj_ingle").has_value());
  EXPECT_EQ(registry.find("raj_ingle")->owner, kRaj);
  EXPECT_EQ(registry.find("raj ingle")->owner, kRaj);
}

TEST(NameRegistry, ATakenNickGetsTheFirstFreeSuffix) {
  NameRegistry registry(32);
  ASSERT_TRUE(registry.claim(kIrcRaj, checked("Raj_Ingle")).ok());
  auto raj = registry.claim(kRaj, checked("Raj Ingle"));
  ASSERT_TRUE(raj.ok());
  EXPECT_EQ(raj.value().nick, "Raj_Ingle2");
  EXPECT_EQ(registry.find("raj_ingle2")->owner, kRaj);
}

TEST(NameRegistry, SuffixesStayWithinTheNickLimit) {
  NameRegistry registry(5);
  ASSERT_TRUE(registry.claim(kIrcRaj, checked("abcde")).ok());
  auto other = registry.claim(kRaj, checked("abcde f"));
  ASSERT_TRUE(other.ok());
  EXPECT_EQ(other.value().nick, "abcd2");
}

TEST(NameRegistry, RenamingAndReleasingFreeTheOldKeys) {
  NameRegistry registry(32);
  ASSERT_TRUE(registry.claim(kRaj, checked("Raj Ingle")).ok());
  ASSERT_TRUE(registry.claim(kRaj, checked("Raj")).ok());
  EXPECT_FALSE(registry.find("raj_ingle").has_value());
  EXPECT_FALSE(registry.find("raj ingle").has_value());
  EXPECT_TRUE(registry.claim(kIrcRaj, checked("Raj_Ingle")).ok());
  registry.release(kRaj);
  EXPECT_FALSE(registry.find("raj").has_value());
  EXPECT_EQ(registry.size(), 1u);
}

TEST(NameRegistry, ReclaimingOnesOwnNameInAnotherCaseKeepsIt) {
  NameRegistry registry(32);
  ASSERT_TRUE(registry.claim(kRaj, checked("raj")).ok());
  auto again = registry.claim(kRaj, checked("RAJ"));
  ASSERT_TRUE(again.ok());
  EXPECT_EQ(again.value(), (Identity{"RAJ", "RAJ", "", "", "RAJ"}));
  EXPECT_EQ(registry.find("raj")->identity.display, "RAJ");
}

}  // namespace
}  // namespace parley::core
