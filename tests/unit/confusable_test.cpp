// core/confusable and the registry's use of it: names that only look alike
// are one name (Unicode TR39 skeletons of the NFKC case-folded name).
#include "core/confusable.h"

#include <gtest/gtest.h>

#include "core/name_registry.h"
#include "core/shown_text.h"

namespace parley::core {
namespace {

constexpr SessionRef kAlice{0, 1};
constexpr SessionRef kMallory{1, 2};

CheckedName checked(std::string_view raw) { return check_user_name(raw, 32).value(); }

TEST(Confusable, LookalikesShareASkeleton) {
  const std::string alice = confusable_skeleton("Alice");
  EXPECT_EQ(confusable_skeleton("\xD0\x90lice"), alice);              // Cyrillic А
  EXPECT_EQ(confusable_skeleton("\xEF\xBC\xA1lice"), alice);          // fullwidth Ａ
  EXPECT_EQ(confusable_skeleton("ALICE"), alice);                     // case folds first
  EXPECT_NE(confusable_skeleton("Alicia"), alice);
  EXPECT_NE(confusable_skeleton("Zoë"), confusable_skeleton("Zoe"));  // a diacritic is not a lookalike
}

TEST(Confusable, ALookalikeOfANameInUseIsRefused) {
  NameRegistry registry(32);
  ASSERT_TRUE(registry.claim(kAlice, checked("Alice")).ok());
  for (const char* lookalike : {"\xD0\x90lice", "\xEF\xBC\xA1lice"}) {
    auto r = registry.claim(kMallory, checked(lookalike));
    ASSERT_FALSE(r.ok()) << lookalike;
    EXPECT_EQ(r.refusal(), Refusal::name_in_use);
  }
  // Its holder may take a lookalike of its own name; once free, anyone may.
  ASSERT_TRUE(registry.claim(kAlice, checked("\xEF\xBC\xA1lice")).ok());
  registry.release(kAlice);
  EXPECT_TRUE(registry.claim(kMallory, checked("\xD0\x90lice")).ok());
}

TEST(ShownText, OneRuleForWhatOthersSee) {
  EXPECT_TRUE(is_fit_to_show("Zoë Real", 10));
  EXPECT_FALSE(is_fit_to_show("Zoë\x1b[31m", 100));
  EXPECT_FALSE(is_fit_to_show("bell\x07", 100));
  EXPECT_FALSE(is_fit_to_show("\x01" "ACTION\x01", 100));
  EXPECT_FALSE(is_fit_to_show("abcdef", 5));
  EXPECT_FALSE(is_fit_to_show("\xff", 5));
  EXPECT_EQ(fit_to_show("Zoë\x1b[31m\x07", 100), "Zoë[31m");
  EXPECT_EQ(fit_to_show("a\xC3\xA9\xC3\xA9", 100, 4), "a\xC3\xA9");  // never half a character
  EXPECT_EQ(fit_to_show("abcdef", 3), "abc");
  EXPECT_TRUE(is_fit_to_show(fit_to_show("x\xffy\x9b", 100), 100));
}

}  // namespace
}  // namespace parley::core
