// irc/message: client-only tags are relayed only when their keys follow the
// message-tags grammar and their values can be escaped (issue 15: a bare CR
// in a key split the line for message-tags clients).
#include <gtest/gtest.h>

#include "irc/message.h"

namespace parley::irc {
namespace {

Message with_tags(std::vector<Tag> tags) { return Message{std::move(tags), {}, "TAGMSG", {"#room"}}; }

TEST(IrcTagRelay, GrammarOfKeys) {
  for (const char* good : {"+a", "+typing", "+draft/reply", "+example.com/x-y", "label", "a-1"}) {
    EXPECT_TRUE(is_valid_tag_key(good)) << good;
  }
  for (const char* bad : {"+", "", "+a\rPING", "+a b", "+a\x1b", "+k\x01", "+/x", "+vendor/", "+a=b", "+a;b",
                          "+ünï", "+a/b/c"}) {
    EXPECT_FALSE(is_valid_tag_key(bad)) << bad;
  }
}

TEST(IrcTagRelay, KeysOutsideTheGrammarAreDropped) {
  const Message m = with_tags({{"+ok", "1"}, {"+k\rPING :alice!a@h", ""}, {"+bad\x1b", "x"}, {"+ok2", ""}});
  EXPECT_EQ(client_only_tags(m), "+ok=1;+ok2");
}

TEST(IrcTagRelay, ValuesAreEscapedAndNulIsDropped) {
  const Message m = with_tags({{"+a", "x;y z\\\r\n"}, {"+nul", std::string("a\0b", 3)}, {"+bad", "\xff"}, {"+b", "é"}});
  EXPECT_EQ(client_only_tags(m), "+a=x\\:y\\sz\\\\\\r\\n;+b=é");
}

// Found by fuzz_irc_message: a tag value holding a NUL (a label the server
// echoes, say) was written raw into the line.
TEST(IrcTagRelay, SerializedTagValuesNeverCarryNul) {
  Message m{{{"label", std::string("a\0b", 3)}}, "server", "PONG", {"x"}};
  EXPECT_EQ(to_line(m), "@label=ab :server PONG x\r\n");
}

// The relayed form parses back to the same tags: a round trip through the wire.
TEST(IrcTagRelay, RelayedTagsParseBack) {
  const Message m = with_tags({{"+a", "one; two\r\nthree"}, {"+vendor.example/b", ""}});
  const auto parsed = parse_message("@" + client_only_tags(m) + " TAGMSG #room");
  ASSERT_TRUE(parsed.message);
  ASSERT_EQ(parsed.message->tags.size(), 2u);
  EXPECT_EQ(parsed.message->tags[0].value, "one; two\r\nthree");
  EXPECT_EQ(parsed.message->tags[1].key, "+vendor.example/b");
}

}  // namespace
}  // namespace parley::irc
