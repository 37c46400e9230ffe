// irc/message: writing server lines (to_line, format_line).
// (The references each test quotes: see irc_message_fixture.h.)
#include <gtest/gtest.h>

#include "irc_message_fixture.h"

namespace parley::irc {
namespace {

using namespace message_testing;

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

// append_line adds to what is there the line format_line makes, and
// line_size says exactly how long it is (the room render reserves by it).
TEST(IrcFormatLine, AppendLineAppendsTheSameLineOfTheSizeSaid) {
  std::string out = "@time=x ";
  append_line(out, "n!u@h", "PRIVMSG", {"#room"}, "hello world");
  EXPECT_EQ(out, "@time=x " + format_line("n!u@h", "PRIVMSG", {"#room"}, "hello world"));
  EXPECT_EQ(line_size("n!u@h", "PRIVMSG", {"#room"}, "hello world"),
            format_line("n!u@h", "PRIVMSG", {"#room"}, "hello world").size());
  EXPECT_EQ(line_size("", "PING", {}, "srv"), format_line("", "PING", {}, "srv").size());
  EXPECT_EQ(line_size("srv", "353", {"dan", "=", "#room"}, ""), format_line("srv", "353", {"dan", "=", "#room"}, "").size());
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

// The search for those bytes takes eight at a time: each of CR, LF and NUL at
// every place in texts of every length around that, beside a TAB (a byte it
// must look at and pass) and UTF-8 (bytes above 0x7F), is written as a space.
TEST(IrcFormatLine, EveryLineBreakerIsFoundWhereverItIs) {
  const std::string fillers[] = {"abcdefghijklmnopqrstuvwxyz0123456789", "a\tb\tc\td\te\tf\tg\th\ti\tj\tk\tl\tm",
                                 "\xC3\xA9t\xC3\xA9 \xE2\x82\xAC \xF0\x9F\x98\x80 caf\xC3\xA9 d\xC3\xA9j\xC3\xA0 vu"};
  for (const std::string& filler : fillers) {
    for (std::size_t length = 1; length <= 26; ++length) {
      for (std::size_t at = 0; at < length; ++at) {
        for (const char breaker : {'\r', '\n', '\0'}) {
          std::string text = filler.substr(0, length);
          std::string expected = text;
          text[at] = breaker;
          expected[at] = ' ';
          ASSERT_EQ(format_line("n", "PRIVMSG", {"#room"}, text), ":n PRIVMSG #room :" + expected + "\r\n")
              << "length " << length << ", at " << at << ", byte " << int(breaker);
        }
      }
      const std::string clean = filler.substr(0, length);
      ASSERT_EQ(format_line("n", "PRIVMSG", {"#room"}, clean), ":n PRIVMSG #room :" + clean + "\r\n");
    }
  }
}

TEST(IrcFormatLine, MatchesToLine) {
  EXPECT_EQ(format_line("n!u@h", "PRIVMSG", {"#room"}, "hello world"),
            to_line(make("n!u@h", "PRIVMSG", {"#room", "hello world"})));
  EXPECT_EQ(format_line("n!u@h", "KICK", {"#room", "raj"}, "too loud"),
            to_line(make("n!u@h", "KICK", {"#room", "raj", "too loud"})));
}

}  // namespace
}  // namespace parley::irc
