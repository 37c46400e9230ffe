// Names at the prompt (docs/text-protocol.md, "Names"): every refusal is one
// "Error: " line then "Please enter a different name.", and the connection
// stays usable.

#include "itest_util.hpp"

namespace parley::test {
namespace {

constexpr std::string_view kAgain = "Please enter a different name.";

// Sends `typed` at the name prompt; expects `error` then the re-prompt.
[[nodiscard]] ::testing::AssertionResult refused(LineClient& c, std::string_view typed, std::string_view error) {
  c.send_raw(std::string(typed) + "\n");
  if (auto r = c.expect_line(error); !r) return r << "\n  (after typing the name \"" << printable(typed) << "\")";
  if (auto r = c.expect_line(kAgain); !r) return r << "\n  (after typing the name \"" << printable(typed) << "\")";
  return ::testing::AssertionSuccess();
}

// Like refused(), for "in use" errors, where the quoted name may be either
// spelling (`typed` as normalized, or the holder's).
[[nodiscard]] ::testing::AssertionResult refused_in_use(LineClient& c, std::string_view typed,
                                                        std::string_view typed_normalized, std::string_view holder) {
  c.send_raw(std::string(typed) + "\n");
  auto line = c.read_line();
  std::string a = "Error: the name \"" + std::string(typed_normalized) + "\" is in use.";
  std::string b = "Error: the name \"" + std::string(holder) + "\" is in use.";
  if (!line || (*line != a && *line != b)) {
    return ::testing::AssertionFailure() << "after typing the name \"" << printable(typed) << "\" expected\n    \""
                                         << printable(a) << "\"\n  or\n    \"" << printable(b) << "\"\n  but got "
                                         << (line ? "\"" + printable(*line) + "\"" : std::string("no line"));
  }
  return c.expect_line(kAgain);
}

class Names : public ::testing::Test {
 protected:
  void SetUp() override {
    watcher_ = connect(server_, "watcher");
    ASSERT_TRUE(watcher_->register_as("Watcher"));
    client_ = connect(server_, "new user");
    ASSERT_TRUE(client_->expect_line(kGreeting));
  }

  // Finishes registration with a valid name, and checks that the watcher
  // heard only that one join (no refused attempt leaked).
  void finish(std::string_view typed, std::string_view shown) {
    client_->send_raw(std::string(typed) + "\n");
    ASSERT_TRUE(client_->expect_line(welcome_line(shown)));
    ASSERT_TRUE(watcher_->expect_line(joined_line(shown)));
    ASSERT_TRUE(say(*client_, shown, "it works", {client_.get(), watcher_.get()}));
  }

  ServerProcess server_;
  std::unique_ptr<LineClient> watcher_;
  std::unique_ptr<LineClient> client_;
};

TEST_F(Names, Empty) {
  ASSERT_TRUE(refused(*client_, "", "Error: a name cannot be empty."));
  ASSERT_TRUE(refused(*client_, "   ", "Error: a name cannot be empty."));
  ASSERT_TRUE(refused(*client_, "\r", "Error: a name cannot be empty."));
  finish("Raj Ingle", "Raj Ingle");
}

TEST_F(Names, LengthLimitCountsCharacters) {
  const std::string too_long = "Error: a name can be at most 32 characters long.";
  ASSERT_TRUE(refused(*client_, repeat("a", 33), too_long));
  ASSERT_TRUE(refused(*client_, repeat("a", 100), too_long));
  // 33 two-byte characters (66 bytes) are one too many...
  ASSERT_TRUE(refused(*client_, repeat("é", 33), too_long));
  // ...and 32 of them (64 bytes) are fine: characters, not bytes.
  finish(repeat("é", 32), repeat("é", 32));
}

TEST_F(Names, ExactlyAtTheLimit) { finish(repeat("a", 32), repeat("a", 32)); }

TEST_F(Names, ThreeByteCharactersAtTheLimit) {
  ASSERT_TRUE(refused(*client_, repeat("李", 33), "Error: a name can be at most 32 characters long."));
  finish(repeat("李", 32), repeat("李", 32));
}

TEST_F(Names, InvalidUtf8) {
  const std::string bad = "Error: a name must be valid UTF-8 text.";
  ASSERT_TRUE(refused(*client_, "\xff\xfe", bad));
  ASSERT_TRUE(refused(*client_, "Raj\xc3", bad));              // truncated sequence
  ASSERT_TRUE(refused(*client_, "Raj\xc3(", bad));             // bad continuation
  ASSERT_TRUE(refused(*client_, "\xc0\xafRaj", bad));          // overlong '/'
  ASSERT_TRUE(refused(*client_, "Raj\xed\xa0\x80", bad));      // UTF-16 surrogate
  ASSERT_TRUE(refused(*client_, "Raj\xf4\x90\x80\x80", bad));  // past U+10FFFF
  finish("Zoë", "Zoë");
}

TEST_F(Names, ControlCharacters) {
  const std::string ctl = "Error: a name cannot contain control characters.";
  ASSERT_TRUE(refused(*client_, "Raj\x01Ingle", ctl));          // C0
  ASSERT_TRUE(refused(*client_, "Raj\x1b[31mIngle", ctl));      // ESC sequence
  ASSERT_TRUE(refused(*client_, "Raj\tIngle", ctl));            // tab inside
  ASSERT_TRUE(refused(*client_, "Raj\x7fIngle", ctl));          // DEL
  ASSERT_TRUE(refused(*client_, "Raj\xc2\x85Ingle", ctl));      // C1 NEL U+0085
  ASSERT_TRUE(refused(*client_, "Raj\xc2\x9bIngle", ctl));      // C1 CSI U+009B
  ASSERT_TRUE(refused(*client_, "Raj\xe2\x80\xaeIngle", ctl));  // U+202E RLO
  ASSERT_TRUE(refused(*client_, "Raj\xe2\x81\xa6Ingle", ctl));  // U+2066 LRI
  finish("李雷", "李雷");
}

TEST_F(Names, Colon) {
  ASSERT_TRUE(refused(*client_, "Raj:Ingle", "Error: a name cannot contain ':'."));
  ASSERT_TRUE(refused(*client_, "Raj:", "Error: a name cannot contain ':'."));
  finish("Raj Ingle", "Raj Ingle");
}

TEST_F(Names, LeadingSlashOrHash) {
  const std::string err = "Error: a name cannot start with '/' or '#'.";
  ASSERT_TRUE(refused(*client_, "/raj", err));
  ASSERT_TRUE(refused(*client_, "#raj", err));
  ASSERT_TRUE(refused(*client_, "  /raj", err));  // trimmed first
  // Elsewhere in the name they are fine.
  finish("Raj/Ingle #1", "Raj/Ingle #1");
}

TEST_F(Names, InUseUnderCaseFoldingAndNfc) {
  auto zoe = connect(server_, "Zoë");
  ASSERT_TRUE(join_room(*zoe, "Zoë", {watcher_.get()}));
  auto raj = connect(server_, "Raj Ingle");
  ASSERT_TRUE(join_room(*raj, "Raj Ingle", {watcher_.get(), zoe.get()}));

  ASSERT_TRUE(refused(*client_, "Raj Ingle", "Error: the name \"Raj Ingle\" is in use."));
  ASSERT_TRUE(refused(*client_, "  Raj Ingle  ", "Error: the name \"Raj Ingle\" is in use."));
  ASSERT_TRUE(refused_in_use(*client_, "raj ingle", "raj ingle", "Raj Ingle"));
  ASSERT_TRUE(refused_in_use(*client_, "RAJ INGLE", "RAJ INGLE", "Raj Ingle"));
  ASSERT_TRUE(refused_in_use(*client_, "ZOË", "ZOË", "Zoë"));
  ASSERT_TRUE(refused_in_use(*client_, "zoë", "zoë", "Zoë"));
  // "Zoe" + U+0308 COMBINING DIAERESIS is "Zoë" once NFC-normalized.
  ASSERT_TRUE(refused(*client_, "Zoe\xcc\x88", "Error: the name \"Zoë\" is in use."));
  ASSERT_TRUE(refused_in_use(*client_, "ZOE\xcc\x88", "ZOË", "Zoë"));
  // The watcher's name counts too.
  ASSERT_TRUE(refused_in_use(*client_, "WATCHER", "WATCHER", "Watcher"));
  finish("Zoe", "Zoe");  // plain "Zoe" is another name
}

TEST_F(Names, NameFreedWhenHolderLeaves) {
  auto raj = connect(server_, "Raj Ingle");
  ASSERT_TRUE(join_room(*raj, "Raj Ingle", {watcher_.get()}));
  ASSERT_TRUE(refused(*client_, "Raj Ingle", "Error: the name \"Raj Ingle\" is in use."));
  raj->send_line("LEAVE");
  ASSERT_TRUE(raj->expect_line("LEAVE"));
  ASSERT_TRUE(raj->expect_closed());
  ASSERT_TRUE(watcher_->expect_line(left_line("Raj Ingle")));
  finish("raj ingle", "raj ingle");
}

TEST_F(Names, NfcNormalizedWhenShown) {
  // Registered decomposed, shown composed.
  finish("Zoe\xcc\x88", "Zoë");
}

TEST_F(Names, SurroundingSpacesTrimmed) { finish("   Raj Ingle  ", "Raj Ingle"); }

TEST_F(Names, ManyRefusalsThenSuccess) {
  ASSERT_TRUE(refused(*client_, "", "Error: a name cannot be empty."));
  ASSERT_TRUE(refused(*client_, "a:b", "Error: a name cannot contain ':'."));
  ASSERT_TRUE(refused(*client_, "#x", "Error: a name cannot start with '/' or '#'."));
  ASSERT_TRUE(refused(*client_, "\xff", "Error: a name must be valid UTF-8 text."));
  ASSERT_TRUE(refused(*client_, repeat("x", 40), "Error: a name can be at most 32 characters long."));
  finish("Keerthi Reddy Kandi", "Keerthi Reddy Kandi");
}

// The accepted names from the doc, all at once in one room.
TEST(NamesAccepted, ScriptsAndSpaces) {
  ServerProcess server;
  std::vector<std::unique_ptr<LineClient>> clients;
  std::vector<LineClient*> present;
  for (const char* name : {"Keerthi Reddy Kandi", "Raj Ingle", "Zoë", "李雷"}) {
    clients.push_back(connect(server, name));
    ASSERT_TRUE(join_room(*clients.back(), name, present));
    present.push_back(clients.back().get());
  }
  ASSERT_TRUE(say(*clients[3], "李雷", "你好", present));
}

// The name limit follows limits.name_chars.
TEST(NamesConfigured, NameCharsLimit) {
  ServerProcess server(ServerOptions{.config_toml = "[limits]\nname_chars = 5\n"});
  auto c = connect(server, "short");
  ASSERT_TRUE(c->expect_line(kGreeting));
  ASSERT_TRUE(refused(*c, "abcdef", "Error: a name can be at most 5 characters long."));
  c->send_line("abcdé");
  ASSERT_TRUE(c->expect_line(welcome_line("abcdé")));
}

}  // namespace
}  // namespace parley::test
