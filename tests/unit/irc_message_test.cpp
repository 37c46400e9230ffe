// irc/message: parsing client lines: the parts of a message, the command, the
// limits and the errors.
// (The references each test quotes: see irc_message_fixture.h.)
#include <gtest/gtest.h>

#include "irc_message_fixture.h"

namespace parley::irc {
namespace {

using namespace message_testing;

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

// --- parsing into a Message already used ---------------------------------------

// A session parses line after line into one Message: each line's message is
// exactly what parse_message makes of it, whatever the lines before held
// (more tags, more params, a source, a longer escaped value).
TEST(IrcParseInto, EachLineOverwritesWhatTheLastLeft) {
  const std::vector<std::string> lines = {
      "@label=a;+draft/reply=xyz;time=2026 :src!u@h PRIVMSG #room,#other :a long text that needs the heap",
      "PING x",
      "@a=b\\s\\:c CMD",
      "@a=1;a=2;b PRIVMSG #room :hi",
      ":src JOIN #a,#b key1,key2",
      "QUIT",
      "@label=zzzzzzzzzzzzzzzzzzzzzzzz PRIVMSG #room :x",
  };
  Message reused;
  for (int pass = 0; pass < 2; ++pass) {
    for (const auto& line : lines) {
      SCOPED_TRACE(line);
      ASSERT_FALSE(parse_message_into(reused, line));
      const Message fresh = ok(line);
      EXPECT_EQ(reused.source, fresh.source);
      EXPECT_EQ(reused.command, fresh.command);
      EXPECT_EQ(reused.params, fresh.params);
      ASSERT_EQ(reused.tags.size(), fresh.tags.size());
      for (std::size_t i = 0; i < fresh.tags.size(); ++i) {
        EXPECT_EQ(reused.tags[i].key, fresh.tags[i].key);
        EXPECT_EQ(reused.tags[i].value, fresh.tags[i].value);
      }
    }
  }
}

// An error leaves nothing for the next line to trip on.
TEST(IrcParseInto, AnErrorThenALine) {
  Message reused;
  EXPECT_EQ(parse_message_into(reused, "@;a=b CMD"), ParseError::malformed_tags);
  EXPECT_EQ(parse_message_into(reused, "@a=b"), ParseError::no_command);
  ASSERT_FALSE(parse_message_into(reused, "NICK ann"));
  EXPECT_TRUE(reused.tags.empty());
  EXPECT_EQ(reused.command, "NICK");
  EXPECT_EQ(reused.params, (Params{"ann"}));
}

}  // namespace
}  // namespace parley::irc
