// core/hub: private messages between sessions on any loop.
#include <gtest/gtest.h>

#include "core/message_id.h"
#include "hub_fixture.h"

namespace parley::core {
namespace {

using namespace hub_testing;

// --- private messages ---------------------------------------------------------

TEST_P(HubTest, PrivateMessageReachesTheNamedUserOnAnyLoop) {
  Person& a = w.enter(loop(0), "Alice", {});
  Person& z = w.enter(loop(2), "Zo\xC3\xAB", {});
  std::optional<Result<Identity>> got;
  w.hub.directory().private_message(a.ref, " ZOE\xCC\x88 ", Speech::message, "hi there", [&](Result<Identity> r) { got = r; });
  w.poster.run_all();
  ASSERT_TRUE(got && got->ok());
  EXPECT_EQ(got->value().display, "Zo\xC3\xAB");  // as the recipient spells it
  ASSERT_EQ(z.member.private_messages.size(), 1u);
  const PrivateMessage& pm = z.member.private_messages[0];
  EXPECT_EQ(pm.from, a.ref);
  EXPECT_EQ(pm.sender->display, "Alice");
  EXPECT_EQ(pm.to_name, "Zo\xC3\xAB");
  EXPECT_EQ(pm.text, "hi there");
  EXPECT_EQ(pm.speech, Speech::message);
  EXPECT_EQ(message_id_ms(pm.id), wall_ms(pm.time)) << "its id carries its time (core/message_id.h)";
  EXPECT_TRUE(a.member.private_messages.empty());

  w.hub.directory().private_message(z.ref, "alice", Speech::action, "waves", [&](Result<Identity> r) { got = r; });
  w.poster.run_all();
  ASSERT_EQ(a.member.private_messages.size(), 1u);
  EXPECT_EQ(a.member.private_messages[0].speech, Speech::action);
  EXPECT_EQ(a.member.private_messages[0].sender->display, "Zo\xC3\xAB");
}

TEST_P(HubTest, PrivateMessageToAnUnknownNameIsRefused) {
  Person& a = w.enter(loop(1), "Alice", {});
  for (const char* target : {"Bob", "", "a:b"}) {
    std::optional<Result<Identity>> got;
    w.hub.directory().private_message(a.ref, target, Speech::message, "hi", [&](Result<Identity> r) { got = r; });
    w.poster.run_all();
    ASSERT_TRUE(got.has_value()) << target;
    ASSERT_FALSE(got->ok()) << target;
    EXPECT_EQ(got->refusal(), Refusal::no_such_user) << target;
  }
  // A name that was released is unknown again.
  Person& b = w.enter(loop(2), "Bob", {});
  w.hub.detach(b.ref, "");
  w.poster.run_all();
  std::optional<Result<Identity>> got;
  w.hub.directory().private_message(a.ref, "Bob", Speech::message, "hi", [&](Result<Identity> r) { got = r; });
  w.poster.run_all();
  ASSERT_TRUE(got && !got->ok());
  EXPECT_EQ(got->refusal(), Refusal::no_such_user);
  EXPECT_TRUE(b.member.private_messages.empty());
}

}  // namespace
}  // namespace parley::core
