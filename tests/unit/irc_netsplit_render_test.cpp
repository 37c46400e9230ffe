// irc/render: a cluster's netsplit as an IRCv3 netsplit batch
// (ircv3.net/specs/batches/netsplit): the batch's start naming the two
// nodes, each QUIT tagged with the batch, its end.
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

TEST(IrcNetsplitRender, EveryLineOfAPieceIsTagged) {
  EXPECT_EQ(in_batch("@msgid=x :a PRIVMSG #r :one\r\n:a PRIVMSG #r :two\r\n", "S2"),
            "@batch=S2;msgid=x :a PRIVMSG #r :one\r\n@batch=S2 :a PRIVMSG #r :two\r\n");
  EXPECT_EQ(in_batch("", "S2"), "");
}

}  // namespace
}  // namespace parley::irc
