// irc/message: parsing client lines, tag escaping, and writing server lines.
//
// Each test quotes the sentence of the reference it checks:
//   [modern]  the modern IRC client protocol, "Message format" (modern.ircdocs.horse)
//   [tags]    IRCv3 message-tags (ircv3.net/specs/extensions/message-tags)
//   [rfc2812] RFC 2812, section 2.3.1, where the others are silent
#include "irc/message.h"

#include <gtest/gtest.h>

#include <ostream>
#include <string>
#include <string_view>
#include <vector>

namespace parley::irc {

// Readable failures for the error enum.
static void PrintTo(ParseError e, std::ostream* os) {
  switch (e) {
    case ParseError::empty_line: *os << "empty_line"; return;
    case ParseError::tags_too_long: *os << "tags_too_long"; return;
    case ParseError::body_too_long: *os << "body_too_long"; return;
    case ParseError::malformed_tags: *os << "malformed_tags"; return;
    case ParseError::no_command: *os << "no_command"; return;
    case ParseError::bad_command: *os << "bad_command"; return;
  }
  *os << "ParseError(" << static_cast<int>(e) << ")";
}

namespace {

using namespace std::string_literals;
using Params = std::vector<std::string>;

// Parses a line that must parse; the test fails (and an empty Message is
// returned) if it does not.
Message ok(std::string_view line) {
  ParseResult r = parse_message(line);
  EXPECT_TRUE(r.message.has_value()) << "line: \"" << line << "\" failed: "
                                     << testing::PrintToString(r.error);
  return r.message.value_or(Message{});
}

// The error a line that must not parse gives.
ParseError error_of(std::string_view line, std::size_t max_tags = kMaxClientTagBytes,
                    std::size_t max_body = kMaxBodyBytes) {
  ParseResult r = parse_message(line, max_tags, max_body);
  EXPECT_FALSE(r.message.has_value()) << "line: \"" << line << "\" parsed";
  return r.error;
}

std::string tag_or(const Message& m, std::string_view key, std::string fallback = "<absent>") {
  const std::string* v = m.tag(key);
  return v ? *v : fallback;
}

// --- the parts of a message --------------------------------------------------

// [modern] "message ::= ['@' <tags> SPACE] [':' <source> SPACE] <command> <parameters> <crlf>"
TEST(IrcParseMessage, CommandAndParamsAlone) {
  const Message m = ok("foo bar baz asdf");
  EXPECT_TRUE(m.tags.empty());
  EXPECT_EQ(m.source, "");
  EXPECT_EQ(m.command, "FOO");
  EXPECT_EQ(m.params, (Params{"bar", "baz", "asdf"}));
}

// [modern] "The source (formerly known as prefix) is optional and starts with a
// (':', 0x3A) character (which is stripped from the value)"
TEST(IrcParseMessage, Source) {
  const Message m = ok(":nick!user@example.com PRIVMSG #room :hi");
  EXPECT_EQ(m.source, "nick!user@example.com");
  EXPECT_EQ(m.command, "PRIVMSG");
  EXPECT_EQ(m.params, (Params{"#room", "hi"}));
}

// [modern] "@id=234AB :dan!d@localhost PRIVMSG #chan :Hey what's up!" (an example message)
TEST(IrcParseMessage, TagsSourceAndTrailing) {
  const Message m = ok("@id=234AB :dan!d@localhost PRIVMSG #chan :Hey what's up!");
  ASSERT_EQ(m.tags.size(), 1u);
  EXPECT_EQ(m.tags[0].key, "id");
  EXPECT_EQ(m.tags[0].value, "234AB");
  EXPECT_EQ(m.source, "dan!d@localhost");
  EXPECT_EQ(m.command, "PRIVMSG");
  EXPECT_EQ(m.params, (Params{"#chan", "Hey what's up!"}));
}

// [tags] "C: @example-tag=example-value PRIVMSG #channel :Message"
TEST(IrcParseMessage, TagsWithoutSource) {
  const Message m = ok("@example-tag=example-value PRIVMSG #channel :Message");
  EXPECT_EQ(tag_or(m, "example-tag"), "example-value");
  EXPECT_EQ(m.source, "");
  EXPECT_EQ(m.params, (Params{"#channel", "Message"}));
}

// [modern] "The leading ('@', 0x40) is stripped from the value before it gets processed further."
TEST(IrcParseMessage, TagSectionLeavesNoAtSign) {
  const Message m = ok("@a=b CMD");
  ASSERT_EQ(m.tags.size(), 1u);
  EXPECT_EQ(m.tags[0].key, "a");
}

// [modern] "clients MUST be able to process any given message the same way whether
// it contains a source or does not contain one."
TEST(IrcParseMessage, SourceIsOptional) {
  const Message with = ok(":srv NOTICE * :hello");
  const Message without = ok("NOTICE * :hello");
  EXPECT_EQ(with.command, without.command);
  EXPECT_EQ(with.params, without.params);
  EXPECT_EQ(without.source, "");
}

// [modern] "in other cases the use of a preceding ':' on the final parameter is OPTIONAL."
TEST(IrcParseMessage, LastParamWithoutColon) {
  EXPECT_EQ(ok(":dan!d@localhost PRIVMSG #chan Hey!").params, (Params{"#chan", "Hey!"}));
  EXPECT_EQ(ok(":src JOIN #chan").params, (Params{"#chan"}));
  EXPECT_EQ(ok(":src JOIN :#chan").params, (Params{"#chan"}));
}

// [modern] "a trailing parameter (a final parameter with a preceding ':') has the
// same semantics as any other parameter, and MUST NOT be treated specially or
// stored separately once the ':' is stripped."
TEST(IrcParseMessage, TrailingIsJustTheLastParam) {
  EXPECT_EQ(ok(":SomeOp MODE #channel :+i").params, ok(":SomeOp MODE #channel +i").params);
  EXPECT_EQ(ok(":SomeOp MODE #channel +oo SomeUser :AnotherUser").params,
            (Params{"#channel", "+oo", "SomeUser", "AnotherUser"}));
}

// [modern] ":irc.example.com CAP * LIST :         ->  ["*", "LIST", ""]"
TEST(IrcParseMessage, EmptyTrailing) {
  const Message m = ok(":irc.example.com CAP * LIST :");
  EXPECT_EQ(m.params, (Params{"*", "LIST", ""}));
  EXPECT_EQ(ok("TOPIC #room :").params, (Params{"#room", ""}));
}

// [modern] "the rest of the message is treated as the final parameter, including any
// spaces it contains." and ":dan!d@localhost PRIVMSG #chan ::-)   ->  ["#chan", ":-)"]"
TEST(IrcParseMessage, TrailingKeepsSpacesAndColons) {
  EXPECT_EQ(ok("CAP REQ :sasl message-tags foo").params, (Params{"REQ", "sasl message-tags foo"}));
  EXPECT_EQ(ok(":dan!d@localhost PRIVMSG #chan ::-)").params, (Params{"#chan", ":-)"}));
  EXPECT_EQ(ok("PRIVMSG #r :a : b :: c").params, (Params{"#r", "a : b :: c"}));
  EXPECT_EQ(ok(":coolguy foo bar baz :  asdf quux ").params, (Params{"bar", "baz", "  asdf quux "}));
  EXPECT_EQ(ok(":coolguy foo bar baz :  ").params, (Params{"bar", "baz", "  "}));
  EXPECT_EQ(ok(":coolguy PRIVMSG bar :lol :) ").params, (Params{"bar", "lol :) "}));
}

// [modern] "middle ::= nospcrlfcl *( ":" / nospcrlfcl )": a colon inside a middle
// parameter does not start a trailing one.
TEST(IrcParseMessage, ColonInsideMiddleParam) {
  EXPECT_EQ(ok("PRIVMSG a:b :c d").params, (Params{"a:b", "c d"}));
}

// [modern] "These message parts, and parameters themselves, are separated by one or
// more ASCII SPACE characters (' ', 0x20)."
TEST(IrcParseMessage, SeveralSpacesBetweenParts) {
  const Message m = ok("@a=b   :src    PRIVMSG   #room     :hi  there");
  EXPECT_EQ(tag_or(m, "a"), "b");
  EXPECT_EQ(m.source, "src");
  EXPECT_EQ(m.command, "PRIVMSG");
  EXPECT_EQ(m.params, (Params{"#room", "hi  there"}));
  EXPECT_EQ(ok(":gravel.mozilla.org 432  #momo :Erroneous Nickname: Illegal characters").params,
            (Params{"#momo", "Erroneous Nickname: Illegal characters"}));
}

// [modern] "parameter ::= *( SPACE middle ) [ SPACE ":" trailing ]": spaces at the end
// of a line with no trailing parameter make no empty parameter.
TEST(IrcParseMessage, SpacesAtTheEndMakeNoParam) {
  EXPECT_EQ(ok(":gravel.mozilla.org MODE #tckk +n ").params, (Params{"#tckk", "+n"}));
  EXPECT_EQ(ok(":services.esper.net MODE #foo-bar +o foobar  ").params,
            (Params{"#foo-bar", "+o", "foobar"}));
  EXPECT_TRUE(ok(":src AWAY ").params.empty());
  EXPECT_TRUE(ok("QUIT").params.empty());
}

// [modern] "SPACE ::= %x20 *( %x20 )   ; space character(s)": only ' ' separates, so
// a tab is part of the word it is in.
TEST(IrcParseMessage, TabIsNotASeparator) {
  const Message m = ok(":cool\tguy foo bar\tbaz");
  EXPECT_EQ(m.source, "cool\tguy");
  EXPECT_EQ(m.params, (Params{"bar\tbaz"}));
  EXPECT_EQ(error_of("PRIVMSG\t#room :hi"), ParseError::bad_command);
}

// [modern] "source ::= <servername> / ( <nickname> [ "!" <user> ] [ "@" <host> ] )" with
// "<any characters except NUL, CR, LF, chantype character, and SPACE>": the source
// is kept as sent, control codes and all.
TEST(IrcParseMessage, SourceKeptAsSent) {
  EXPECT_EQ(ok(":coolguy!ag@net\x03" "5w\x03ork.admin PRIVMSG foo :bar baz").source,
            "coolguy!ag@net\x03" "5w\x03ork.admin");
}

// --- the command ---------------------------------------------------------------

// [modern] "command ::= letter* / 3digit": words are compared without case, so
// they are upper-cased; "The command must either be a valid IRC command or a
// numeric (a three-digit number represented as text)."
TEST(IrcParseMessage, CommandIsUpperCased) {
  EXPECT_EQ(ok("privmsg #room :hi").command, "PRIVMSG");
  EXPECT_EQ(ok("PrivMsg #room :hi").command, "PRIVMSG");
  EXPECT_EQ(ok("cap ls 302").command, "CAP");
}

// [modern] "command ::= letter* / 3digit"
TEST(IrcParseMessage, NumericsKeptAsTheyAre) {
  const Message m = ok(":irc.example.com 001 dan :Welcome to the network");
  EXPECT_EQ(m.command, "001");
  EXPECT_EQ(m.params, (Params{"dan", "Welcome to the network"}));
  EXPECT_EQ(ok(":srv 432 * bad :Erroneous nickname").command, "432");
}

// [modern] "command ::= letter* / 3digit": anything else is not a command.
TEST(IrcParseMessage, BadCommands) {
  EXPECT_EQ(error_of("PRIV1MSG #room :hi"), ParseError::bad_command);
  EXPECT_EQ(error_of("12 x"), ParseError::bad_command);
  EXPECT_EQ(error_of("1234 x"), ParseError::bad_command);
  EXPECT_EQ(error_of("00A"), ParseError::bad_command);
  EXPECT_EQ(error_of("JOIN! #room"), ParseError::bad_command);
  EXPECT_EQ(error_of(":src \xC3\xA9t\xC3\xA9"), ParseError::bad_command);  // non-ASCII letters
}

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

// --- limits ----------------------------------------------------------------------------

std::string tags_of_size(std::size_t n) {  // "a=xxxx...", exactly n bytes of tag data
  return "a=" + std::string(n - 2, 'x');
}

// [tags] "Clients MUST NOT send messages with tag data exceeding 4094 bytes" and
// "Servers MUST NOT truncate tags and MUST always reject lines that exceed this limit."
TEST(IrcParseLimits, TagDataAtAndPastTheLimit) {
  const Message m = ok("@" + tags_of_size(4094) + " PRIVMSG #room :hi");
  EXPECT_EQ(tag_or(m, "a").size(), 4092u);
  EXPECT_EQ(error_of("@" + tags_of_size(4095) + " PRIVMSG #room :hi"), ParseError::tags_too_long);
  // Too long is too long, whether or not a command follows.
  EXPECT_EQ(error_of("@" + tags_of_size(5000)), ParseError::tags_too_long);
}

// [tags] "The size limit for message tags is 8191 bytes, including the leading '@'
// (0x40) and trailing space ' ' (0x20) characters.": the limit is the caller's.
TEST(IrcParseLimits, TagLimitIsAParameter) {
  const std::string line = "@" + tags_of_size(8189) + " CMD";
  EXPECT_EQ(error_of(line), ParseError::tags_too_long);
  EXPECT_TRUE(parse_message(line, 8189).message.has_value());
  EXPECT_EQ(error_of(line, 8188), ParseError::tags_too_long);
}

// [modern] "Most IRC servers limit messages to 512 bytes in length, including the
// trailing CR-LF characters." and [tags] "The size limit for the rest of the
// message remains unchanged at 512 bytes."
TEST(IrcParseLimits, BodyAtAndPastTheLimit) {
  const std::string head = ":nick PRIVMSG #room :";
  const std::string at = head + std::string(510 - head.size(), 'x');
  ASSERT_EQ(at.size(), 510u);
  EXPECT_EQ(ok(at).params.back().size(), 510 - head.size());
  EXPECT_EQ(error_of(at + "x"), ParseError::body_too_long);
  EXPECT_TRUE(parse_message(at + "x", kMaxClientTagBytes, 511).message.has_value());
}

// [tags] "This limit is separated between tags added by the server and tags sent by
// the client.": a full tag section does not take from the body's 510 bytes.
TEST(IrcParseLimits, TagsAndBodyHaveSeparateBudgets) {
  const std::string body = "PRIVMSG #room :" + std::string(510 - 15, 'y');
  ASSERT_EQ(body.size(), 510u);
  const Message m = ok("@" + tags_of_size(4094) + " " + body);
  EXPECT_EQ(m.params.back().size(), 495u);
  EXPECT_EQ(error_of("@" + tags_of_size(4094) + " " + body + "y"), ParseError::body_too_long);
  EXPECT_EQ(error_of("@" + tags_of_size(4095) + " " + body), ParseError::tags_too_long);
}

// [rfc2812] "params =/ 14( SPACE middle ) [ SPACE [ ":" ] trailing ]": after 14 middle
// parameters the rest of the line is the 15th, spaces and all.
TEST(IrcParseLimits, FifteenthParamTakesTheRest) {
  const std::string fourteen = "CMD 1 2 3 4 5 6 7 8 9 10 11 12 13 14";
  Params expected;
  for (int i = 1; i <= 14; ++i) expected.push_back(std::to_string(i));

  auto with = [&](std::string last) {
    Params p = expected;
    p.push_back(std::move(last));
    return p;
  };
  EXPECT_EQ(ok(fourteen).params, expected);
  EXPECT_EQ(ok(fourteen + " 15").params, with("15"));
  EXPECT_EQ(ok(fourteen + " 15 16 17").params, with("15 16 17"));
  EXPECT_EQ(ok(fourteen + " 15 :16 17").params, with("15 :16 17"));
  EXPECT_EQ(ok(fourteen + " :15 16 ").params, with("15 16 "));   // ':' stripped, spaces kept
  EXPECT_EQ(ok(fourteen + "   15  16   ").params, with("15  16"));  // no ':': end spaces dropped
  EXPECT_EQ(ok(fourteen + " ").params, expected);
}

// [modern] "Servers and clients SHOULD ignore empty lines."
TEST(IrcParseErrors, EmptyLines) {
  EXPECT_EQ(error_of(""), ParseError::empty_line);
  EXPECT_EQ(error_of(" "), ParseError::empty_line);
  EXPECT_EQ(error_of("     "), ParseError::empty_line);
}

// [modern] "message ::= ['@' <tags> SPACE] [':' <source> SPACE] <command> <parameters>":
// the command is not optional.
TEST(IrcParseErrors, NoCommand) {
  EXPECT_EQ(error_of("@a=b"), ParseError::no_command);
  EXPECT_EQ(error_of("@a=b;c   "), ParseError::no_command);
  EXPECT_EQ(error_of("@a=b :src"), ParseError::no_command);
  EXPECT_EQ(error_of(":src"), ParseError::no_command);
  EXPECT_EQ(error_of(":src   "), ParseError::no_command);
  EXPECT_EQ(error_of(":"), ParseError::no_command);
}

// --- serializing ---------------------------------------------------------------------------

Message make(std::string source, std::string command, Params params, std::vector<Tag> tags = {}) {
  Message m;
  m.tags = std::move(tags);
  m.source = std::move(source);
  m.command = std::move(command);
  m.params = std::move(params);
  return m;
}

// [modern] "When sending messages, ensure that a pair of \r\n characters follows every
// single message your software sends out."
TEST(IrcSerialize, EndsWithCrLf) {
  EXPECT_EQ(to_line(make("", "QUIT", {})), "QUIT\r\n");
  EXPECT_EQ(to_line(make("irc.example.com", "PING", {"tok"})), ":irc.example.com PING tok\r\n");
}

// [modern] "Parameters that contain spaces, are empty, or begin with a ':' character
// MUST be sent with a preceding ':'; in other cases the use of a preceding ':' on
// the final parameter is OPTIONAL." (We leave it out when it is optional.)
TEST(IrcSerialize, LastParamCases) {
  EXPECT_EQ(to_line(make("n!u@h", "JOIN", {"#room"})), ":n!u@h JOIN #room\r\n");
  EXPECT_EQ(to_line(make("srv", "TOPIC", {"#room", ""})), ":srv TOPIC #room :\r\n");
  EXPECT_EQ(to_line(make("n!u@h", "PRIVMSG", {"#room", "hello there"})),
            ":n!u@h PRIVMSG #room :hello there\r\n");
  EXPECT_EQ(to_line(make("n!u@h", "PRIVMSG", {"#room", ":-)"})), ":n!u@h PRIVMSG #room ::-)\r\n");
  EXPECT_EQ(to_line(make("n!u@h", "PRIVMSG", {"#room", "a:b"})), ":n!u@h PRIVMSG #room a:b\r\n");
  EXPECT_EQ(to_line(make("n!u@h", "PRIVMSG", {"#room", " "})), ":n!u@h PRIVMSG #room : \r\n");
  EXPECT_EQ(to_line(make("srv", "005", {"nick", "CHANTYPES=#", "are supported"})),
            ":srv 005 nick CHANTYPES=# :are supported\r\n");
}

// [tags] "<tags> ::= <tag> [';' <tag>]*", values escaped; "Implementations MAY normalise
// tag values by converting the empty form to the missing form".
TEST(IrcSerialize, TagsAreEscaped) {
  const Message m = make("n!u@h", "PRIVMSG", {"#room", "hi"},
                         {{"time", "2024-01-01T00:00:00.000Z"}, {"bot", ""}, {"+draft/x", "a b;c\\d\r\n"}});
  EXPECT_EQ(to_line(m),
            "@time=2024-01-01T00:00:00.000Z;bot;+draft/x=a\\sb\\:c\\\\d\\r\\n :n!u@h PRIVMSG #room hi\r\n");
}

// [modern] "clients and servers alike MUST NOT send single \r or \n characters.": no
// field can end the line early; such bytes are written as spaces.
TEST(IrcSerialize, NoLineBreakEscapes) {
  const Message m = make("n!u@h", "PRIVMSG", {"#ro\0om"s, "hi\r\nQUIT :bye"});
  EXPECT_EQ(to_line(m), ":n!u@h PRIVMSG #ro om :hi  QUIT :bye\r\n");
  // A CR or LF alone in the last param still gets its ':' (it becomes a space).
  EXPECT_EQ(to_line(make("", "NOTICE", {"x", "a\nb"})), "NOTICE x :a b\r\n");
}

TEST(IrcSerialize, AppendsToWhatIsThere) {
  std::string out = "PING a\r\n";
  append_message(out, make("", "PING", {"b"}));
  EXPECT_EQ(out, "PING a\r\nPING b\r\n");
}

// [modern] "a trailing parameter ... has the same semantics as any other parameter":
// what we write parses back to the same message.
TEST(IrcSerialize, RoundTrips) {
  const std::vector<Message> messages = {
      make("", "QUIT", {}),
      make("srv", "001", {"dan", "Welcome to the network, dan"}),
      make("n!u@h", "PRIVMSG", {"#room", ""}),
      make("n!u@h", "PRIVMSG", {"#room", "::) : x "}),
      make("n!u@h", "MODE", {"#room", "+o", "dan"}),
      make("n!u@h", "TAGMSG", {"#room"}, {{"+typing", "active"}, {"msgid", "a;b c\\"}}),
  };
  for (const Message& m : messages) {
    std::string line = to_line(m);
    ASSERT_EQ(line.substr(line.size() - 2), "\r\n");
    line.resize(line.size() - 2);
    const Message back = ok(line);
    EXPECT_EQ(back.source, m.source) << line;
    EXPECT_EQ(back.command, m.command) << line;
    EXPECT_EQ(back.params, m.params) << line;
    ASSERT_EQ(back.tags.size(), m.tags.size()) << line;
    for (std::size_t i = 0; i < m.tags.size(); ++i) {
      EXPECT_EQ(back.tags[i].key, m.tags[i].key);
      EXPECT_EQ(back.tags[i].value, m.tags[i].value);
    }
  }
}

// [tags] "SHOULD disregard all but the final occurrence", for hand-built messages too.
TEST(IrcSerialize, TagLookupOnHandBuiltMessagePrefersTheLast) {
  const Message m = make("", "CMD", {}, {{"a", "1"}, {"a", "2"}});
  EXPECT_EQ(tag_or(m, "a"), "2");
}

// The hot-path form: ":source COMMAND m1 m2 :trailing\r\n".
TEST(IrcFormatLine, Shapes) {
  EXPECT_EQ(format_line("n!u@h", "PRIVMSG", {"#room"}, "hello world"),
            ":n!u@h PRIVMSG #room :hello world\r\n");
  EXPECT_EQ(format_line("srv", "353", {"dan", "=", "#room"}, "dan raj"),
            ":srv 353 dan = #room :dan raj\r\n");
  EXPECT_EQ(format_line("n!u@h", "QUIT", {}, "Quit: bye"), ":n!u@h QUIT :Quit: bye\r\n");
  EXPECT_EQ(format_line("", "PING", {}, "srv"), "PING :srv\r\n");
}

// [modern] "Parameters that contain spaces, are empty, or begin with a ':' character
// MUST be sent with a preceding ':'": format_line always writes one, so any text works.
TEST(IrcFormatLine, TrailingAlwaysHasItsColon) {
  EXPECT_EQ(format_line("srv", "TOPIC", {"#room"}, ""), ":srv TOPIC #room :\r\n");
  EXPECT_EQ(format_line("n", "PRIVMSG", {"#room"}, ":-)"), ":n PRIVMSG #room ::-)\r\n");
  EXPECT_EQ(format_line("n", "PRIVMSG", {"#room"}, "word"), ":n PRIVMSG #room :word\r\n");
}

// [modern] "clients and servers alike MUST NOT send single \r or \n characters."
TEST(IrcFormatLine, NoLineBreakEscapes) {
  EXPECT_EQ(format_line("n", "PRIVMSG", {"#room"}, "hi\r\nQUIT :x\0y"s),
            ":n PRIVMSG #room :hi  QUIT :x y\r\n");
}

TEST(IrcFormatLine, MatchesToLine) {
  EXPECT_EQ(format_line("n!u@h", "PRIVMSG", {"#room"}, "hello world"),
            to_line(make("n!u@h", "PRIVMSG", {"#room", "hello world"})));
  EXPECT_EQ(format_line("n!u@h", "KICK", {"#room", "raj"}, "too loud"),
            to_line(make("n!u@h", "KICK", {"#room", "raj", "too loud"})));
}

}  // namespace
}  // namespace parley::irc
