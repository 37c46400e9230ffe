// text/command_line: splitting slash-command lines.
#include "text/command_line.h"

#include <gtest/gtest.h>

namespace parley::text {
namespace {

TEST(ParseCommand, SplitsNameAndArguments) {
  const CommandLine c = parse_command("/msg \"Raj Ingle\" hi");
  EXPECT_EQ(c.name, "msg");
  EXPECT_EQ(c.args, "\"Raj Ingle\" hi");
}

TEST(ParseCommand, LowerCasesTheNameAndTrimsTheArguments) {
  const CommandLine c = parse_command("/JOIN   #games  \t");
  EXPECT_EQ(c.name, "join");
  EXPECT_EQ(c.args, "#games");
  const CommandLine d = parse_command("/Me\twaves  hello ");
  EXPECT_EQ(d.name, "me");
  EXPECT_EQ(d.args, "waves  hello");  // inner spacing is the user's
}

TEST(ParseCommand, NoArguments) {
  const CommandLine c = parse_command("/quit");
  EXPECT_EQ(c.name, "quit");
  EXPECT_EQ(c.args, "");
  const CommandLine d = parse_command("/rooms   ");
  EXPECT_EQ(d.name, "rooms");
  EXPECT_EQ(d.args, "");
}

TEST(ParseCommand, BareSlash) {
  const CommandLine c = parse_command("/");
  EXPECT_EQ(c.name, "");
  EXPECT_EQ(c.args, "");
  const CommandLine d = parse_command("/ x");
  EXPECT_EQ(d.name, "");
  EXPECT_EQ(d.args, "x");
}

TEST(SplitFirstArg, PlainWord) {
  const FirstArg a = split_first_arg("Bob hi there");
  EXPECT_TRUE(a.ok);
  EXPECT_EQ(a.arg, "Bob");
  EXPECT_EQ(a.rest, "hi there");
}

TEST(SplitFirstArg, TrimsAroundBothParts) {
  const FirstArg a = split_first_arg("  Bob \t  hi there  ");
  EXPECT_TRUE(a.ok);
  EXPECT_EQ(a.arg, "Bob");
  EXPECT_EQ(a.rest, "hi there");
  const FirstArg b = split_first_arg("Bob\thi");
  EXPECT_EQ(b.arg, "Bob");
  EXPECT_EQ(b.rest, "hi");
}

TEST(SplitFirstArg, QuotedArgumentMayHoldSpaces) {
  const FirstArg a = split_first_arg("\"Raj Ingle\" hi there");
  EXPECT_TRUE(a.ok);
  EXPECT_EQ(a.arg, "Raj Ingle");
  EXPECT_EQ(a.rest, "hi there");
  const FirstArg b = split_first_arg("  \"Keerthi Reddy Kandi\"   hello  ");
  EXPECT_TRUE(b.ok);
  EXPECT_EQ(b.arg, "Keerthi Reddy Kandi");
  EXPECT_EQ(b.rest, "hello");
  const FirstArg c = split_first_arg("\"Zo\xC3\xAB\"");
  EXPECT_TRUE(c.ok);
  EXPECT_EQ(c.arg, "Zo\xC3\xAB");
  EXPECT_EQ(c.rest, "");
}

TEST(SplitFirstArg, EmptyQuotes) {
  const FirstArg a = split_first_arg("\"\" hi");
  EXPECT_TRUE(a.ok);
  EXPECT_EQ(a.arg, "");
  EXPECT_EQ(a.rest, "hi");
}

TEST(SplitFirstArg, UnterminatedQuote) {
  const FirstArg a = split_first_arg("\"Raj Ingle hi");
  EXPECT_FALSE(a.ok);
  EXPECT_EQ(a.arg, "Raj Ingle hi");
  EXPECT_EQ(a.rest, "");
  const FirstArg b = split_first_arg("\"");
  EXPECT_FALSE(b.ok);
  EXPECT_EQ(b.arg, "");
  EXPECT_EQ(b.rest, "");
}

TEST(SplitFirstArg, OnlyOneWordOrNothing) {
  const FirstArg a = split_first_arg("Bob");
  EXPECT_TRUE(a.ok);
  EXPECT_EQ(a.arg, "Bob");
  EXPECT_EQ(a.rest, "");
  const FirstArg b = split_first_arg("   ");
  EXPECT_TRUE(b.ok);
  EXPECT_EQ(b.arg, "");
  EXPECT_EQ(b.rest, "");
}

TEST(SplitFirstArg, QuotesInsideAWordAreText) {
  const FirstArg a = split_first_arg("O\"Neil hi");
  EXPECT_TRUE(a.ok);
  EXPECT_EQ(a.arg, "O\"Neil");
  EXPECT_EQ(a.rest, "hi");
}

TEST(Unquote, StripsOnePairOfSurroundingQuotes) {
  EXPECT_EQ(unquote("\"Raj Ingle\""), "Raj Ingle");
  EXPECT_EQ(unquote("  \"Raj Ingle\"  "), "Raj Ingle");
  EXPECT_EQ(unquote("\"\""), "");
  EXPECT_EQ(unquote("\"\"x\"\""), "\"x\"");
}

TEST(Unquote, LeavesUnquotedTextTrimmed) {
  EXPECT_EQ(unquote("Raj Ingle"), "Raj Ingle");
  EXPECT_EQ(unquote("  Raj Ingle \t"), "Raj Ingle");
  EXPECT_EQ(unquote(""), "");
  EXPECT_EQ(unquote("\""), "\"");          // one quote is not a pair
  EXPECT_EQ(unquote("\"Raj"), "\"Raj");    // nor is an opening one alone
  EXPECT_EQ(unquote("Raj\""), "Raj\"");
}

}  // namespace
}  // namespace parley::text
