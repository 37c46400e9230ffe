// core/mask: ban masks, completed and matched under case folding.
#include "core/mask.h"

#include <gtest/gtest.h>

#include <string>

namespace parley::core {
namespace {

TEST(Mask, PartialMasksAreCompleted) {
  EXPECT_EQ(normalize_mask("zoe"), "zoe!*@*");
  EXPECT_EQ(normalize_mask("zoe!~z"), "zoe!~z@*");
  EXPECT_EQ(normalize_mask("~z@host"), "*!~z@host");
  EXPECT_EQ(normalize_mask("*!*@10.0.0.*"), "*!*@10.0.0.*");
  EXPECT_EQ(normalize_mask("!@"), "*!*@*");
  EXPECT_EQ(normalize_mask("*!*@::1"), "*!*@::1");
}

TEST(Mask, UnusableMasksAreRefused) {
  for (std::string bad : {std::string(), std::string("a b"), std::string("a,b"), std::string("a!b!c"),
                          std::string("a@b@c"), std::string("h@x!y"), std::string(":zoe"), std::string("a\x07"),
                          std::string("\xff"), std::string(201, 'a')}) {
    EXPECT_EQ(normalize_mask(bad), std::nullopt) << bad;
  }
  EXPECT_NE(normalize_mask(std::string(200, 'a')), std::nullopt);
}

TEST(Mask, WildcardsAndCase) {
  EXPECT_TRUE(mask_matches("zoe!*@*", "Zoe!~z@127.0.0.1"));
  EXPECT_TRUE(mask_matches("ZOË!*@*", "zoë!text@::1"));
  EXPECT_FALSE(mask_matches("zoe!*@*", "zoey!~z@127.0.0.1"));
  EXPECT_TRUE(mask_matches("z?e!*@*", "zoe!u@h"));
  EXPECT_TRUE(mask_matches("?oë!*@*", "Zoë!u@h"));  // '?' is one character, not one byte
  EXPECT_FALSE(mask_matches("?" "?!*@*", "Zoë!u@h"));  // two characters; Zoë is three
  EXPECT_TRUE(mask_matches("*!*@*.example.org", "a!b@irc.example.org"));
  EXPECT_FALSE(mask_matches("*!*@*.example.org", "a!b@example.org"));
  EXPECT_TRUE(mask_matches("*a*b*c*", "xxaxxbxxcxx"));
  EXPECT_FALSE(mask_matches("*a*b*c*d", "xxaxxbxxcxx"));
  EXPECT_TRUE(mask_matches("*", ""));
  EXPECT_FALSE(mask_matches("", "a"));
  // Many stars against a long subject stays quick (no exponential backtracking).
  EXPECT_FALSE(mask_matches(std::string(50, '*') + "b", std::string(5000, 'a')));
}

TEST(Mask, SameMaskIgnoresCase) {
  EXPECT_TRUE(same_mask("Zoë!*@*", "zoë!*@*"));
  EXPECT_FALSE(same_mask("zoe!*@*", "zoë!*@*"));
}

}  // namespace
}  // namespace parley::core
