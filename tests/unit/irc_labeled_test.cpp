// IRCv3 labeled-response framing (irc/labeled_response) and client-only tags.
#include "irc/labeled_response.h"

#include <gtest/gtest.h>

#include "irc/message.h"

namespace parley::irc {
namespace {

// "Servers MUST respond with a labeled ACK message when a client sends a
// labeled command that normally produces no response."
TEST(LabeledResponse, NoLineIsAnAck) {
  LabeledResponse r("abc");
  EXPECT_EQ(r.finish("irc.test", "L1"), "@label=abc :irc.test ACK\r\n");
}

TEST(LabeledResponse, OneLineCarriesTheLabel) {
  LabeledResponse r("x");
  r.add(":irc.test PONG irc.test :t\r\n");
  EXPECT_EQ(r.finish("irc.test", "L1"), "@label=x :irc.test PONG irc.test :t\r\n");
  LabeledResponse tagged("x");
  tagged.add("@time=2026;msgid=m1 :zoe!u@h PRIVMSG #a :hi\r\n");
  EXPECT_EQ(tagged.finish("irc.test", "L1"), "@label=x;time=2026;msgid=m1 :zoe!u@h PRIVMSG #a :hi\r\n");
}

// "If a response consists of more than one message, a batch MUST be used to
// group them into a single logical response. The start of the batch MUST be
// tagged with the label tag."
TEST(LabeledResponse, SeveralLinesAreABatch) {
  LabeledResponse r("w1");
  r.add(":irc.test 311 me zoe ~u h * :Zoe\r\n:irc.test 312 me zoe irc.test :Net\r\n");
  r.add(":irc.test 318 me zoe :End\r\n");
  EXPECT_EQ(r.finish("irc.test", "L7"),
            "@label=w1 :irc.test BATCH +L7 labeled-response\r\n"
            "@batch=L7 :irc.test 311 me zoe ~u h * :Zoe\r\n"
            "@batch=L7 :irc.test 312 me zoe irc.test :Net\r\n"
            "@batch=L7 :irc.test 318 me zoe :End\r\n"
            ":irc.test BATCH -L7\r\n");
}

// IRCv3 batch allows nesting, and a line names the one batch it belongs to in
// its batch tag: a CHATHISTORY answer to a labelled command is a chathistory
// batch inside the labeled-response one, whose lines keep only their own tag.
TEST(LabeledResponse, LinesOfANestedBatchKeepTheirOwnBatchOnly) {
  LabeledResponse r("q");
  r.add(":irc.test BATCH +H1 chathistory #a\r\n");
  r.add("@batch=H1;time=2026 :zoe!u@h PRIVMSG #a :hi\r\n");
  r.add(":irc.test BATCH -H1\r\n");
  EXPECT_EQ(r.finish("irc.test", "L1"),
            "@label=q :irc.test BATCH +L1 labeled-response\r\n"
            "@batch=L1 :irc.test BATCH +H1 chathistory #a\r\n"
            "@batch=H1;time=2026 :zoe!u@h PRIVMSG #a :hi\r\n"
            "@batch=L1 :irc.test BATCH -H1\r\n"
            ":irc.test BATCH -L1\r\n");
}

TEST(LabeledResponse, TheLabelIsEscaped) {
  LabeledResponse r("a;b c");
  EXPECT_EQ(r.finish("s", "L1"), "@label=a\\:b\\sc :s ACK\r\n");
}

// "Client-only tags are client-initiated tags that servers MUST attach as-is
// to any relevant message relayed to other clients." Tags without '+' are not relayed.
TEST(ClientOnlyTags, OnlyPlusTagsAreKeptInWireForm) {
  auto parsed = parse_message("@label=1;+typing=active;msgid=fake;+example.com/x=a\\sb;+flag PRIVMSG #a :hi");
  ASSERT_TRUE(parsed.message);
  EXPECT_EQ(client_only_tags(*parsed.message), "+typing=active;+example.com/x=a\\sb;+flag");
  auto none = parse_message("@label=1 PRIVMSG #a :hi");
  ASSERT_TRUE(none.message);
  EXPECT_EQ(client_only_tags(*none.message), "");
}

}  // namespace
}  // namespace parley::irc
