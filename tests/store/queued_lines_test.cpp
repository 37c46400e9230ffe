// The writer's queue of lines as bytes: every field comes back as recorded,
// in order, and a cleared queue takes new lines as before.
#include <gtest/gtest.h>

#include <string>
#include <vector>

#include "store/queued_lines.h"
#include "store_fixture.h"

namespace parley::store {
namespace {

using core::HistoryLine;

void expect_same(const core::HistoryLineRef& got, const HistoryLine& want) {
  const core::HistoryLineRef w = want;
  EXPECT_EQ(got.target, w.target);
  EXPECT_EQ(got.room, w.room);
  EXPECT_EQ(got.id, w.id);
  EXPECT_EQ(got.time, w.time);
  EXPECT_EQ(got.kind, w.kind);
  EXPECT_EQ(got.display, w.display);
  EXPECT_EQ(got.nick, w.nick);
  EXPECT_EQ(got.user, w.user);
  EXPECT_EQ(got.host, w.host);
  EXPECT_EQ(got.bot, w.bot);
  EXPECT_EQ(got.account, w.account);
  EXPECT_EQ(got.text, w.text);
  EXPECT_EQ(got.object_name, w.object_name);
  EXPECT_EQ(got.client_tags, w.client_tags);
}

TEST(QueuedLines, EveryFieldComesBackInOrder) {
  HistoryLine kick = testing::said("lobby", "Ann", std::string(5000, 'r'), -1234567, "k1", HistoryLine::Kind::kick);
  kick.object_name = "Bo";
  kick.account = "ann";
  kick.sender.presence.bot = true;
  HistoryLine said = testing::said("café", "Cy", "", 1733356800123, "", HistoryLine::Kind::tagged);
  said.client_tags = "+draft/react=\xf0\x9f\x91\x8d";
  said.room.clear();  // a private line has no room name
  const std::vector<HistoryLine> lines = {kick, said, testing::said("lobby", "Dee", std::string("x\0y", 3), 7, "d1")};

  QueuedLines queue;
  for (const auto& line : lines) queue.push(line);
  ASSERT_EQ(queue.size(), lines.size());
  std::size_t i = 0;
  queue.for_each([&](const core::HistoryLineRef& got) { expect_same(got, lines.at(i++)); });
  EXPECT_EQ(i, lines.size());

  queue.clear();
  EXPECT_TRUE(queue.empty());
  queue.push(lines[2]);
  i = 2;
  queue.for_each([&](const core::HistoryLineRef& got) { expect_same(got, lines.at(i++)); });
  EXPECT_EQ(i, 3u);
  queue.for_each([&](const core::HistoryLineRef& got) {
    const HistoryLine kept = got.owned();  // and a copy that keeps has them all too
    expect_same(kept, lines[2]);
  });
}

}  // namespace
}  // namespace parley::store
