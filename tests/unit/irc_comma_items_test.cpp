// irc/command_helpers.h: the items of a comma list (PRIVMSG's targets, JOIN's
// rooms), as views and as copies.
#include <gmock/gmock.h>
#include <gtest/gtest.h>

#include "irc/command_helpers.h"

namespace parley::irc {
namespace {

using ::testing::ElementsAre;
using ::testing::IsEmpty;

TEST(CommaItems, EmptyItemsAreLeftOut) {
  EXPECT_THAT(comma_items("#a,,#b,"), ElementsAre("#a", "#b"));
  EXPECT_THAT(comma_items(",#a"), ElementsAre("#a"));
  EXPECT_THAT(comma_items(""), IsEmpty());
  EXPECT_THAT(comma_items(",,"), IsEmpty());
  EXPECT_THAT(split_commas("#a,,#b,"), ElementsAre("#a", "#b"));
}

// Up to kMaxTargets stay inline; a longer list is still whole, so that
// PRIVMSG can say it has too many.
TEST(CommaItems, AListPastTheTargetLimitIsWhole) {
  const std::string list = "a,b,c,d,e,f";
  const auto items = comma_items(list);
  ASSERT_EQ(items.size(), 6u);
  EXPECT_GT(items.size(), kMaxTargets);
  EXPECT_EQ(items.back(), "f");
}

TEST(CommaItems, ItemsAreViewsIntoTheList) {
  const std::string list = "#one,#two";
  const auto items = comma_items(list);
  ASSERT_EQ(items.size(), 2u);
  EXPECT_EQ(items[0].data(), list.data());
  EXPECT_EQ(items[1].data(), list.data() + 5);
}

}  // namespace
}  // namespace parley::irc
