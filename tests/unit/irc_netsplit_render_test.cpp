// irc/render: a cluster's netsplit as an IRCv3 netsplit batch
// (ircv3.net/specs/batches/netsplit): the batch's start naming the two
// nodes, each QUIT tagged with the batch, its end; and a node coming back
// as a netjoin batch of JOINs, with the MODE restoring the roles it kept.
#include <gtest/gtest.h>

#include <chrono>
#include <memory>
#include <string>
#include <string_view>
#include <vector>

#include "irc/capabilities.h"
#include "irc/render.h"

namespace parley::irc {
namespace {

using core::RoomEvent;

RoomEvent split_quit_of(const std::string& nick, const std::shared_ptr<const core::Netsplit>& split) {
  RoomEvent ev;
  ev.room = ev.room_key = "lobby";
  ev.id = "b~1-split-1";
  ev.time = core::WallTime(std::chrono::milliseconds(1767225600123));  // 2026-01-01T00:00:00.123Z
  ev.actor_identity = std::make_shared<const core::Identity>(core::Identity{nick, nick, "~u", "10.0.0.2", {}});
  ev.what = RoomEvent::Left{split->survivor + " " + split->lost, true, "", false, split};
  return ev;
}

TEST(IrcNetsplitRender, QuitsGoInOneBatchNamingBothNodes) {
  auto split = std::make_shared<const core::Netsplit>(core::Netsplit{"b~1", "a", "b"});
  const std::string bob = render_room_event(split_quit_of("bob", split), 0);
  const std::string cat = render_room_event(split_quit_of("cat", split), kCapServerTime);
  EXPECT_EQ(bob, ":bob!~u@10.0.0.2 QUIT :a b\r\n") << "the netsplit reason: the two sides";
  EXPECT_EQ(render_netsplit_batch("irc.test", "S1", *split, {bob, cat}),
            ":irc.test BATCH +S1 netsplit a :b\r\n"
            "@batch=S1 :bob!~u@10.0.0.2 QUIT :a b\r\n"
            "@batch=S1;time=2026-01-01T00:00:00.123Z :cat!~u@10.0.0.2 QUIT :a b\r\n"
            ":irc.test BATCH -S1\r\n");
}

RoomEvent joined_again(const std::string& nick, bool op, bool voice) {
  RoomEvent ev;
  ev.room = ev.room_key = "lobby";
  ev.id = "b~1-7";
  ev.time = core::WallTime(std::chrono::milliseconds(1767225600123));
  ev.actor_identity = std::make_shared<const core::Identity>(core::Identity{nick, nick, "~u", "10.0.0.2", {}});
  auto netjoin = std::make_shared<const core::Netjoin>(core::Netjoin{"b~1+1", "a", "b"});
  ev.what = RoomEvent::Joined{nullptr, true, std::make_shared<const core::Rejoin>(core::Rejoin{op, voice, netjoin})};
  return ev;
}

// A node coming back: its users' JOINs in one netjoin batch naming this node
// and the one back; the roles it kept restored after, by the server.
TEST(IrcNetsplitRender, JoinsOfANodeBackGoInOneNetjoinBatch) {
  const RoomEvent bob = joined_again("bob", true, false);
  const std::string bob_join = render_room_event(bob, 0);
  const std::string cat_join = render_room_event(joined_again("cat", false, false), kCapServerTime);
  EXPECT_EQ(bob_join, ":bob!~u@10.0.0.2 JOIN #lobby\r\n");
  const auto& netjoin = *bob.as<RoomEvent::Joined>()->rejoin->netjoin;
  EXPECT_EQ(render_netjoin_batch("irc.test", "J1", netjoin, {bob_join, cat_join}),
            ":irc.test BATCH +J1 netjoin a :b\r\n"
            "@batch=J1 :bob!~u@10.0.0.2 JOIN #lobby\r\n"
            "@batch=J1;time=2026-01-01T00:00:00.123Z :cat!~u@10.0.0.2 JOIN #lobby\r\n"
            ":irc.test BATCH -J1\r\n");
}

TEST(IrcNetsplitRender, RolesKeptOnTheNodeBackAreRestoredByTheServer) {
  EXPECT_EQ(render_restored_roles("irc.test", joined_again("bob", true, false), 0), ":irc.test MODE #lobby +o bob\r\n");
  EXPECT_EQ(render_restored_roles("irc.test", joined_again("bob", true, true), kCapServerTime),
            "@time=2026-01-01T00:00:00.123Z :irc.test MODE #lobby +ov bob bob\r\n");
  EXPECT_EQ(render_restored_roles("irc.test", joined_again("cat", false, false), 0), "") << "no roles, no MODE";
  RoomEvent plain = joined_again("dan", true, false);
  plain.what = RoomEvent::Joined{};
  EXPECT_EQ(render_restored_roles("irc.test", plain, 0), "") << "a first join: its roles come with it";
}

TEST(IrcNetsplitRender, EveryLineOfAPieceIsTagged) {
  EXPECT_EQ(in_batch("@msgid=x :a PRIVMSG #r :one\r\n:a PRIVMSG #r :two\r\n", "S2"),
            "@batch=S2;msgid=x :a PRIVMSG #r :one\r\n@batch=S2 :a PRIVMSG #r :two\r\n");
  EXPECT_EQ(in_batch("", "S2"), "");
}

}  // namespace
}  // namespace parley::irc
