// Which private messages and TAGMSGs history keeps, and under which key: a
// conversation with a guest (no account) belongs to its account's side alone.
#include <gmock/gmock.h>
#include <gtest/gtest.h>

#include <memory>

#include "core/history.h"

namespace parley::core {
namespace {

using ::testing::ElementsAre;
using ::testing::IsEmpty;
using ::testing::Pair;

PrivateMessage pm(std::string from_nick, std::string from_account, std::string to_nick, Speech speech = Speech::message,
                  std::string client_tags = {}) {
  Identity sender;
  sender.display = sender.nick = std::move(from_nick);
  sender.presence.account = std::move(from_account);
  PrivateMessage m;
  m.sender = std::make_shared<const Identity>(sender);
  m.to_nick = std::move(to_nick);
  m.speech = speech;
  m.text = speech == Speech::tagged ? "" : "hi";
  m.id = "p1";
  m.client_tags = std::move(client_tags);
  return m;
}

TEST(HistoryKeys, BetweenTwoAccountsBothReadIt) {
  const auto line = history_line(pm("Ann", "Ann", "Bo"), "Bo");
  ASSERT_TRUE(line);
  EXPECT_EQ(line->target, private_history_key("bo", "ann"));
  EXPECT_THAT(private_history_readers(line->target), ElementsAre(Pair("ann", "bo"), Pair("bo", "ann")));
  EXPECT_EQ(other_side(line->target, "BO"), "ann");
}

TEST(HistoryKeys, WithAGuestOnlyTheAccountReadsIt) {
  // Both directions land in one conversation, the account's.
  const auto to_guest = history_line(pm("Ann", "ann", "Eve"), "");
  const auto from_guest = history_line(pm("Eve", "", "Ann"), "ann");
  ASSERT_TRUE(to_guest);
  ASSERT_TRUE(from_guest);
  EXPECT_EQ(to_guest->target, from_guest->target);
  EXPECT_EQ(to_guest->target, private_guest_key("Ann", "EVE"));
  EXPECT_NE(to_guest->target, private_history_key("ann", "eve")) << "not the account eve's conversation";
  EXPECT_THAT(private_history_readers(to_guest->target), ElementsAre(Pair("ann", "eve")));
  EXPECT_EQ(other_side(to_guest->target, "ann"), "eve");
  EXPECT_EQ(other_side(to_guest->target, "eve"), "") << "an account named like the guest is not its reader";
  EXPECT_TRUE(is_private_history_key(to_guest->target));
}

TEST(HistoryKeys, BetweenTwoGuestsNothingIsKept) {
  EXPECT_FALSE(history_line(pm("Eve", "", "Cy"), ""));
}

TEST(HistoryKeys, ATagmsgIsKeptWhenItsTagsAskForIt) {
  EXPECT_FALSE(history_line(pm("Ann", "ann", "Bo", Speech::tagged, "+typing=active"), "bo")) << "typing is for now";
  const auto kept = history_line(pm("Ann", "ann", "Bo", Speech::tagged, "+x=1;+draft/persist"), "bo");
  ASSERT_TRUE(kept);
  EXPECT_EQ(kept->kind, HistoryLine::Kind::tagged);
  EXPECT_EQ(kept->client_tags, "+x=1;+draft/persist");
  EXPECT_FALSE(kept->is_speech()) << "not searched, not shown without event playback";
  EXPECT_TRUE(kept_tagmsg("+draft/react=x"));
  EXPECT_TRUE(kept_tagmsg("+draft/persist=;+a"));
  EXPECT_FALSE(kept_tagmsg("+draft/persistent"));
  EXPECT_FALSE(kept_tagmsg(""));
}

TEST(HistoryKeys, RoomKeysAreNoConversations) {
  EXPECT_THAT(private_history_readers("lobby"), IsEmpty());
  EXPECT_EQ(other_side("lobby", "ann"), "");
}

}  // namespace
}  // namespace parley::core
