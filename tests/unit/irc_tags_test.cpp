// irc/message: message tags and the escaping of their values.
// (The references each test quotes: see irc_message_fixture.h.)
#include <gtest/gtest.h>

#include "irc_message_fixture.h"

namespace parley::irc {
namespace {

using namespace message_testing;

// --- tags ------------------------------------------------------------------

// [tags] "<tags> ::= <tag> [';' <tag>]*" and "<tag> ::= <key> ['=' <escaped_value>]",
// from the example "S: @aaa=bbb;ccc;example.com/ddd=eee :nick!ident@host.com PRIVMSG me :Hello"
TEST(IrcParseTags, SeveralTags) {
  const Message m = ok("@aaa=bbb;ccc;example.com/ddd=eee :nick!ident@host.com PRIVMSG me :Hello");
  ASSERT_EQ(m.tags.size(), 3u);
  EXPECT_EQ(m.tags[0].key, "aaa");
  EXPECT_EQ(m.tags[0].value, "bbb");
  EXPECT_EQ(m.tags[1].key, "ccc");
  EXPECT_EQ(m.tags[1].value, "");
  EXPECT_EQ(m.tags[2].key, "example.com/ddd");
  EXPECT_EQ(m.tags[2].value, "eee");
  EXPECT_EQ(m.params, (Params{"me", "Hello"}));
}

// [tags] "Implementations MUST interpret empty tag values (e.g. foo=) as equivalent to
// missing tag values (e.g. foo)."
TEST(IrcParseTags, EmptyAndMissingValuesAreTheSame) {
  const Message m = ok("@c;h=;a=b :quux ab cd");
  ASSERT_NE(m.tag("c"), nullptr);
  ASSERT_NE(m.tag("h"), nullptr);
  EXPECT_EQ(*m.tag("c"), "");
  EXPECT_EQ(*m.tag("h"), "");
  EXPECT_EQ(*m.tag("a"), "b");
  EXPECT_EQ(m.tag("missing"), nullptr);
}

// [tags] "Individual tag keys MUST only be used a maximum of once per message.
// Implementations receiving messages with more than one occurrence of a tag key
// name SHOULD disregard all but the final occurrence."
TEST(IrcParseTags, DuplicateKeysLastWins) {
  const Message m = ok("@tag1=1;tag2=3;tag3=4;tag1=5 COMMAND");
  ASSERT_EQ(m.tags.size(), 3u);
  EXPECT_EQ(tag_or(m, "tag1"), "5");
  EXPECT_EQ(tag_or(m, "tag2"), "3");
  EXPECT_EQ(tag_or(m, "tag3"), "4");
  // A missing value is a value too: the last occurrence says "empty".
  EXPECT_EQ(tag_or(ok("@t=1;t COMMAND"), "t"), "");
}

// [tags] "SHOULD disregard all but the final occurrence", with many tags (the
// parser changes strategy past a handful).
TEST(IrcParseTags, DuplicateKeysAmongManyTags) {
  std::string line = "@";
  for (int i = 0; i < 40; ++i) line += "k" + std::to_string(i % 10) + "=" + std::to_string(i) + ";";
  line += "k3=last CMD";
  const Message m = ok(line);
  ASSERT_EQ(m.tags.size(), 10u);
  EXPECT_EQ(tag_or(m, "k0"), "30");
  EXPECT_EQ(tag_or(m, "k9"), "39");
  EXPECT_EQ(tag_or(m, "k3"), "last");
  for (std::size_t i = 0; i < m.tags.size(); ++i)
    for (std::size_t j = i + 1; j < m.tags.size(); ++j) EXPECT_NE(m.tags[i].key, m.tags[j].key);
}

// [tags] "Implementations MUST treat tag key names as case-sensitive opaque identifiers
// and MUST NOT perform any validation that would reject the message if an invalid
// tag key name is used."
TEST(IrcParseTags, KeysAreOpaqueAndCaseSensitive) {
  const Message m = ok("@Foo=1;foo=2;we!rd_k\xC3\xA9y=3 CMD");
  ASSERT_EQ(m.tags.size(), 3u);
  EXPECT_EQ(tag_or(m, "Foo"), "1");
  EXPECT_EQ(tag_or(m, "foo"), "2");
  EXPECT_EQ(tag_or(m, "we!rd_k\xC3\xA9y"), "3");
}

// [tags] "A client-only tag is prefixed with a plus sign (+)." and "C: @+example.com/foo=bar
// :irc.example.com NOTICE #channel :A vendor-prefixed client-only tagged message"
TEST(IrcParseTags, ClientOnlyAndVendorTags) {
  const Message m = ok("@+example.com/foo=bar;+typing=active;draft/reply=abc "
                       ":irc.example.com NOTICE #channel :A vendor-prefixed client-only tagged message");
  EXPECT_EQ(tag_or(m, "+example.com/foo"), "bar");
  EXPECT_EQ(tag_or(m, "+typing"), "active");
  EXPECT_EQ(tag_or(m, "draft/reply"), "abc");
  EXPECT_EQ(m.tag("typing"), nullptr);       // the '+' is part of the key
  EXPECT_EQ(m.tag("example.com/foo"), nullptr);
  EXPECT_EQ(m.tag("reply"), nullptr);        // and so is the vendor
}

// [tags] "Names which contain a slash character (/) designate a vendor-specific tag
// namespace.": a vendored key is a different key from the bare one.
TEST(IrcParseTags, VendoredKeyDiffersFromBareKey) {
  const Message m = ok("@tag1=1;tag2=3;tag3=4;tag1=5;vendor/tag2=8 COMMAND");
  ASSERT_EQ(m.tags.size(), 4u);
  EXPECT_EQ(tag_or(m, "tag2"), "3");
  EXPECT_EQ(tag_or(m, "vendor/tag2"), "8");
}

// [tags] "A TAGMSG sent by a client with the +example-client-tag client-only tag:
//         C: @+example-client-tag=example-value TAGMSG #channel"
TEST(IrcParseTags, Tagmsg) {
  const Message m = ok("@+example-client-tag=example-value TAGMSG #channel");
  EXPECT_EQ(m.command, "TAGMSG");
  EXPECT_EQ(m.params, (Params{"#channel"}));
  EXPECT_EQ(tag_or(m, "+example-client-tag"), "example-value");
}

// [tags] "<key> ::= [ <client_prefix> ] [ <vendor> '/' ] <key_name>" with "<key_name> ::=
// <non-empty sequence ...>": a tag needs a key, and "@" needs a tag.
TEST(IrcParseTags, MalformedTagSections) {
  EXPECT_EQ(error_of("@ CMD"), ParseError::malformed_tags);
  EXPECT_EQ(error_of("@"), ParseError::malformed_tags);
  EXPECT_EQ(error_of("@=value CMD"), ParseError::malformed_tags);
  EXPECT_EQ(error_of("@;a CMD"), ParseError::malformed_tags);
  EXPECT_EQ(error_of("@a;;b CMD"), ParseError::malformed_tags);
  EXPECT_EQ(error_of("@a=1; CMD"), ParseError::malformed_tags);
}

// --- tag value escaping -----------------------------------------------------------

// [tags] the escaping table: "; (semicolon) -> \: (backslash and colon)", "SPACE -> \s",
// "\ -> \\", "CR -> \r", "LF -> \n", "all others -> the character itself"
TEST(IrcTagEscaping, AllFiveEscapes) {
  EXPECT_EQ(escape_tag_value(";"), "\\:");
  EXPECT_EQ(escape_tag_value(" "), "\\s");
  EXPECT_EQ(escape_tag_value("\\"), "\\\\");
  EXPECT_EQ(escape_tag_value("\r"), "\\r");
  EXPECT_EQ(escape_tag_value("\n"), "\\n");
  EXPECT_EQ(escape_tag_value("a; b\\c\r\nd"), "a\\:\\sb\\\\c\\r\\nd");
  EXPECT_EQ(unescape_tag_value("a\\:\\sb\\\\c\\r\\nd"), "a; b\\c\r\nd");
  EXPECT_EQ(escape_tag_value("plain=text,+:x"), "plain=text,+:x");
  EXPECT_EQ(escape_tag_value(std::string("a\0b", 3)), "ab") << "NUL has no escape: left out";
  std::string tags = "@time=x;msgid=";
  append_escaped_tag_value(tags, "id-1.7f");  // nothing to escape: appended whole
  append_escaped_tag_value(tags, "; ");
  EXPECT_EQ(tags, "@time=x;msgid=id-1.7f\\:\\s");
}

// [tags] "Raw value: raw+:=,escaped; \" / "Escaped value: raw+:=,escaped\:\s\\"
TEST(IrcTagEscaping, SpecExample) {
  EXPECT_EQ(escape_tag_value("raw+:=,escaped; \\"), "raw+:=,escaped\\:\\s\\\\");
  EXPECT_EQ(unescape_tag_value("raw+:=,escaped\\:\\s\\\\"), "raw+:=,escaped; \\");
  const Message m = ok("@+example=raw+:=,escaped\\:\\s\\\\ :irc.example.com NOTICE #channel :Message");
  EXPECT_EQ(tag_or(m, "+example"), "raw+:=,escaped; \\");
}

// [tags] "the mapping between characters in tag values and their representation":
// every byte survives escaping and unescaping.
TEST(IrcTagEscaping, RoundTripsEveryByte) {
  std::string all;
  for (int c = 1; c < 256; ++c) all.push_back(static_cast<char>(c));
  const std::string escaped = escape_tag_value(all);
  EXPECT_EQ(escaped.find_first_of(std::string_view(" ;\r\n\0", 5)), std::string::npos);
  EXPECT_EQ(unescape_tag_value(escaped), all);
}

// [tags] "If a lone \ exists at the end of an escaped value (with no escape character
// following it), then there SHOULD be no output character. For example, the
// escaped value test\ should unescape to test."
TEST(IrcTagEscaping, LoneTrailingBackslashIsDropped) {
  EXPECT_EQ(unescape_tag_value("test\\"), "test");
  EXPECT_EQ(unescape_tag_value("\\"), "");
  EXPECT_EQ(unescape_tag_value("a\\\\\\"), "a\\");  // an escaped backslash, then a lone one
  EXPECT_EQ(tag_or(ok("@tag1=value1\\ COMMAND"), "tag1"), "value1");
}

// [tags] "If a \ exists with no valid escape character (for example, \b), then the
// invalid backslash SHOULD be dropped. For example, \b should unescape to just b."
TEST(IrcTagEscaping, InvalidEscapeDropsTheBackslash) {
  EXPECT_EQ(unescape_tag_value("\\b"), "b");
  EXPECT_EQ(unescape_tag_value("value\\1"), "value1");
  EXPECT_EQ(unescape_tag_value("\\S\\N\\R"), "SNR");  // escapes are case-sensitive
  EXPECT_EQ(tag_or(ok("@tag1=value\\1 COMMAND"), "tag1"), "value1");
}

// [tags] "<escaped_value> ::= <sequence of zero or more utf8 characters except NUL, CR,
// LF, semicolon (;) and SPACE>": values are read one escape at a time, so "\\n"
// is a backslash and an 'n', never a line feed.
TEST(IrcTagEscaping, ParsedOneCharacterAtATime) {
  EXPECT_EQ(tag_or(ok("@tag1=value\\\\ntest COMMAND"), "tag1"), "value\\ntest");
  const Message m = ok("@a=b\\\\and\\nk;c=72\\s45;d=gh\\:764;e=x\\ry foo");
  EXPECT_EQ(tag_or(m, "a"), "b\\and\nk");
  EXPECT_EQ(tag_or(m, "c"), "72 45");
  EXPECT_EQ(tag_or(m, "d"), "gh;764");
  EXPECT_EQ(tag_or(m, "e"), "x\ry");
  EXPECT_EQ(tag_or(ok("@foo=\\\\\\\\\\:\\\\s\\s\\r\\n COMMAND"), "foo"), "\\\\;\\s \r\n");
}

}  // namespace
}  // namespace parley::irc
