// Plain lines (docs/text-protocol.md, "Framing" and "Messages"): limits,
// refusals that keep the connection usable, and what other users' terminals
// are protected from.

#include <regex>

#include "itest_util.hpp"

namespace parley::test {
namespace {

// Two users in #lobby on a server whose lines are limited to 100 bytes.
class Messages : public ::testing::Test {
 protected:
  void SetUp() override {
    raj_ = connect(server_, "Raj Ingle");
    ASSERT_TRUE(raj_->register_as("Raj Ingle"));
    zoe_ = connect(server_, "Zoë");
    ASSERT_TRUE(join_room(*zoe_, "Zoë", {raj_.get()}));
  }

  // Raj sends a plain line that is accepted; both receive it as `shown`.
  void raj_says(std::string_view typed, std::string_view shown) {
    raj_->send_raw(std::string(typed) + "\n");
    ASSERT_TRUE(raj_->expect_line(message_line("Raj Ingle", shown)));
    ASSERT_TRUE(zoe_->expect_line(message_line("Raj Ingle", shown)));
  }

  // Proves nothing else reached Zoë: the next line she gets is Raj's marker.
  void nothing_relayed(std::string_view marker = "marker") { raj_says(marker, marker); }

  // Raj's line as Zoë receives it (Raj's own echo is read and not checked).
  std::string as_zoe_sees_it(std::string_view typed) {
    raj_->send_raw(std::string(typed) + "\n");
    std::string raj_copy, zoe_copy;
    EXPECT_TRUE(raj_->expect_line_prefix("Message from User - Raj Ingle: ", &raj_copy));
    EXPECT_TRUE(zoe_->expect_line_prefix("Message from User - Raj Ingle: ", &zoe_copy));
    return zoe_copy.substr(std::min(zoe_copy.size(), std::string_view("Message from User - Raj Ingle: ").size()));
  }

  ServerProcess server_{ServerOptions{.config_toml = "[limits]\nline_bytes = 100\n"}};
  std::unique_ptr<LineClient> raj_;
  std::unique_ptr<LineClient> zoe_;
};

TEST_F(Messages, LineAtTheLimitIsSent) {
  raj_says(repeat("x", 100), repeat("x", 100));
  // The line end is not counted, "\r\n" included.
  raj_says(repeat("y", 100) + "\r", repeat("y", 100));
  // 50 two-byte characters are 100 bytes.
  raj_says(repeat("é", 50), repeat("é", 50));
}

TEST_F(Messages, LineOverTheLimitIsRefused) {
  raj_->send_line(repeat("x", 101));
  ASSERT_TRUE(raj_->expect_line("Error: that line is longer than 100 bytes; it was not sent."));
  nothing_relayed();
  raj_->send_line(repeat("é", 51));
  ASSERT_TRUE(raj_->expect_line("Error: that line is longer than 100 bytes; it was not sent."));
  nothing_relayed();
}

TEST_F(Messages, HugeLineIsDiscardedWholeWithOneError) {
  // Far past the limit, and in pieces: one error, nothing of it relayed.
  std::string huge = repeat("0123456789", 10'000);
  for (std::size_t i = 0; i < huge.size(); i += 7'000) raj_->send_raw(std::string_view(huge).substr(i, 7'000));
  raj_->send_raw("\n");
  ASSERT_TRUE(raj_->expect_line("Error: that line is longer than 100 bytes; it was not sent."));
  nothing_relayed("after the huge line");
  // Twice in a row, then a normal line in the same write.
  raj_->send_raw(repeat("z", 5'000) + "\n" + repeat("z", 101) + "\nsmall\n");
  ASSERT_TRUE(raj_->expect_line("Error: that line is longer than 100 bytes; it was not sent."));
  ASSERT_TRUE(raj_->expect_line("Error: that line is longer than 100 bytes; it was not sent."));
  ASSERT_TRUE(raj_->expect_line(message_line("Raj Ingle", "small")));
  ASSERT_TRUE(zoe_->expect_line(message_line("Raj Ingle", "small")));
}

TEST_F(Messages, InvalidUtf8IsRefused) {
  for (std::string bad :
       {std::string("\xff hello"), std::string("caf\xc3"), std::string("\xc0\xaf"), std::string("x\xed\xa0\x80y")}) {
    SCOPED_TRACE(printable(bad));
    raj_->send_line(bad);
    ASSERT_TRUE(raj_->expect_line("Error: that line is not valid UTF-8; it was not sent."));
    nothing_relayed();
  }
}

TEST_F(Messages, EmptyLineSendsNothing) {
  raj_->send_line("");
  raj_->send_line("   ");
  raj_->send_raw("\r\n");
  nothing_relayed();
}

TEST_F(Messages, TrailingWhiteSpaceDropped) { raj_says("hello   \t ", "hello"); }

TEST_F(Messages, LeadingSpacesKept) { raj_says("  indented", "  indented"); }

TEST_F(Messages, DoubleSlashSendsASlash) { raj_says("//shrug", "/shrug"); }

TEST_F(Messages, LeaveInsideALineIsJustText) {
  raj_says("LEAVE now", "LEAVE now");
  raj_says(" LEAVE", " LEAVE");
}

TEST_F(Messages, EscapeSequencesStripped) {
  std::string got = as_zoe_sees_it("hi \x1b[31mred\x1b[0m \x1b]0;title\x07 end");
  EXPECT_FALSE(has_terminal_controls(got)) << "Zoë received \"" << printable(got) << "\"";
  EXPECT_EQ(got.rfind("hi ", 0), 0u) << printable(got);
  EXPECT_NE(got.find("red"), std::string::npos) << printable(got);
  EXPECT_NE(got.find("end"), std::string::npos) << printable(got);
  nothing_relayed();
}

TEST_F(Messages, C0C1AndDelStripped) {
  std::string got = as_zoe_sees_it(
      "a\x01"
      "b\x7f"
      "c\xc2\x85"
      "d\xc2\x9b"
      "e\x08"
      "f");
  EXPECT_EQ(got, "abcdef") << printable(got);
}

TEST_F(Messages, BidiOverridesAndIsolatesStripped) {
  // U+202A..U+202E, U+2066..U+2069.
  std::string got = as_zoe_sees_it(
      "a\xe2\x80\xaa"
      "b\xe2\x80\xab"
      "c\xe2\x80\xac"
      "d\xe2\x80\xad"
      "e\xe2\x80\xae"
      "f\xe2\x81\xa6"
      "g\xe2\x81\xa7"
      "h\xe2\x81\xa8"
      "i\xe2\x81\xa9"
      "j");
  EXPECT_EQ(got, "abcdefghij") << printable(got);
}

TEST_F(Messages, TabsBecomeSpaces) {
  std::string got = as_zoe_sees_it("a\tb");
  EXPECT_TRUE(std::regex_match(got, std::regex("a +b"))) << printable(got);
}

TEST_F(Messages, IrcFormattingStripped) {
  std::string got = as_zoe_sees_it(
      "\x02"
      "bold\x02 \x1d"
      "italic\x1d \x1f"
      "under\x1f \x03"
      "04,05red\x03 \x0f"
      "plain");
  EXPECT_EQ(got, "bold italic under red plain") << printable(got);
}

// The same protection for every kind of line that carries another user's
// text: actions, private messages, topics, quit reasons.
TEST_F(Messages, ControlsStrippedFromActionsPrivateMessagesTopicsAndReasons) {
  auto check = [&](std::string_view prefix) {
    std::string got;
    ASSERT_TRUE(zoe_->expect_line_prefix(prefix, &got));
    EXPECT_FALSE(has_terminal_controls(got)) << "Zoë received \"" << printable(got) << "\"";
  };
  raj_->send_line("/me dances\x1b[5m wildly\xe2\x80\xae");
  check("* Raj Ingle dances");
  ASSERT_TRUE(raj_->expect_line_prefix("* Raj Ingle dances"));

  raj_->send_line("/msg Zoë hi\x1b]0;pwned\x07 there\x7f");
  check("Private message from Raj Ingle: hi");
  ASSERT_TRUE(raj_->expect_line_prefix("Private message to Zoë: hi"));

  // A topic is set by a room's operator, and #lobby has none ("The default
  // room has no automatic operator", issue 9): Raj creates #tea, so he is its
  // operator, and Zoë follows him there.
  raj_->send_line("/join tea");
  ASSERT_TRUE(raj_->expect_line("You joined #tea. Members (1): Raj Ingle"));
  zoe_->send_line("/join tea");
  ASSERT_TRUE(zoe_->expect_line_prefix("You joined #tea. Members (2): "));
  ASSERT_TRUE(raj_->expect_line(joined_line("Zoë")));
  raj_->send_line("/topic \x1b[2Jclean\xc2\x9b slate");
  check("Raj Ingle set the topic of #tea to: ");
  ASSERT_TRUE(raj_->expect_line_prefix("Raj Ingle set the topic of #tea to: "));
  zoe_->send_line("/topic");
  check("Topic of #tea: ");
  // Back to #lobby alone, so that the quit below is one line for her.
  zoe_->send_line("/part tea");
  ASSERT_TRUE(zoe_->expect_line("You left #tea."));
  ASSERT_TRUE(zoe_->expect_line("You are now talking in #lobby."));
  ASSERT_TRUE(raj_->expect_line("Zoë left #tea."));

  raj_->send_line("/quit bye\x1b[2J\x1b[H");
  check("Raj Ingle left the chat room (bye");
}

TEST_F(Messages, OtherScriptsPassUnchanged) { raj_says("Zoë, 李雷 — ça va? 👋", "Zoë, 李雷 — ça va? 👋"); }

// With the default limit, 4096 bytes pass and 4097 do not.
TEST(MessagesDefault, DefaultLineLimit) {
  ServerProcess server;
  auto raj = connect(server, "Raj Ingle");
  ASSERT_TRUE(raj->register_as("Raj Ingle"));
  raj->send_line(repeat("x", 4096));
  ASSERT_TRUE(raj->expect_line(message_line("Raj Ingle", repeat("x", 4096))));
  raj->send_line(repeat("x", 4097));
  ASSERT_TRUE(raj->expect_line("Error: that line is longer than 4096 bytes; it was not sent."));
  ASSERT_TRUE(say(*raj, "Raj Ingle", "still usable", {raj.get()}));
}

// A name line past limits.line_bytes is refused as a line, and the prompt
// still works.
TEST_F(Messages, OverlongLineAtNamePrompt) {
  auto c = connect(server_, "newcomer");
  ASSERT_TRUE(c->expect_line(kGreeting));
  c->send_line(repeat("n", 500));
  std::string error;
  ASSERT_TRUE(c->expect_line_prefix("Error: ", &error));
  // Either refusal is fair here (line too long, or name too long); a
  // re-prompt may follow the name refusal.
  c->send_line("Keerthi Reddy Kandi");
  auto next = c->read_line();
  ASSERT_TRUE(next.has_value());
  if (*next == "Please enter a different name.") next = c->read_line();
  ASSERT_EQ(next.value_or("(nothing)"), welcome_line("Keerthi Reddy Kandi")) << "after the error \"" << error << "\"";
  ASSERT_TRUE(raj_->expect_line(joined_line("Keerthi Reddy Kandi")));
  ASSERT_TRUE(zoe_->expect_line(joined_line("Keerthi Reddy Kandi")));
}

}  // namespace
}  // namespace parley::test
