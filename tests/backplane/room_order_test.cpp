#include <gtest/gtest.h>

#include "backplane/room_order.h"

namespace parley::backplane {
namespace {

RoomOrder::Entry entry(std::string id, core::Ticket ticket = {}) {
  auto ev = std::make_shared<core::RoomEvent>();
  ev->id = std::move(id);
  return RoomOrder::Entry{std::move(ev), ticket, nullptr, '.'};
}

std::vector<std::string> ids(const std::vector<RoomOrder::Entry>& entries) {
  std::vector<std::string> out;
  for (const auto& e : entries) out.push_back(e.event->id);
  return out;
}

TEST(RoomOrder, AppliesStrictlyInSequenceAndWaitsForGaps) {
  RoomOrder order;
  order.start_at(10);
  EXPECT_TRUE(order.offer(12, entry("12")));
  EXPECT_TRUE(order.take_ready().empty());  // 11 is missing
  ASSERT_TRUE(order.gap());
  EXPECT_EQ(*order.gap(), (std::pair<std::uint64_t, std::uint64_t>{11, 11}));
  EXPECT_TRUE(order.offer(11, entry("11")));
  EXPECT_EQ(ids(order.take_ready()), (std::vector<std::string>{"11", "12"}));
  EXPECT_EQ(order.applied(), 12u);
  EXPECT_FALSE(order.gap());
}

TEST(RoomOrder, DropsDuplicatesWhetherAppliedOrWaiting) {
  RoomOrder order;
  order.start_at(0);
  EXPECT_TRUE(order.offer(1, entry("1")));
  EXPECT_EQ(ids(order.take_ready()), std::vector<std::string>{"1"});
  EXPECT_FALSE(order.offer(1, entry("1 again")));  // applied already
  EXPECT_TRUE(order.offer(3, entry("3")));
  EXPECT_FALSE(order.offer(3, entry("3 again")));  // waiting already
  EXPECT_TRUE(order.offer(2, entry("2")));
  EXPECT_EQ(ids(order.take_ready()), (std::vector<std::string>{"2", "3"}));
}

TEST(RoomOrder, NothingIsAppliedBeforeTheStartIsKnown) {
  RoomOrder order;
  EXPECT_TRUE(order.offer(5, entry("5")));
  EXPECT_TRUE(order.offer(6, entry("6")));
  EXPECT_TRUE(order.take_ready().empty());
  EXPECT_FALSE(order.gap());
  order.start_at(5);  // 5 happened before this node followed the room
  EXPECT_EQ(ids(order.take_ready()), std::vector<std::string>{"6"});
}

TEST(RoomOrder, SkippingPastWhatRedisNoLongerHas) {
  RoomOrder order;
  order.start_at(0);
  EXPECT_TRUE(order.offer(9, entry("9")));
  order.skip_to(8);
  EXPECT_EQ(ids(order.take_ready()), std::vector<std::string>{"9"});
  order.skip_to(3);  // never backwards
  EXPECT_EQ(order.applied(), 9u);
}

TEST(RoomOrder, StoppingHandsBackWhatWaits) {
  RoomOrder order;
  order.start_at(0);
  EXPECT_TRUE(order.offer(2, entry("2", core::Ticket{core::SessionRef{0, 4}, 1})));
  auto left = order.stop();
  ASSERT_EQ(left.size(), 1u);
  EXPECT_EQ(left[0].ticket.who.id, 4u);
  EXPECT_FALSE(order.started());
  EXPECT_TRUE(order.take_ready().empty());
}

}  // namespace
}  // namespace parley::backplane
