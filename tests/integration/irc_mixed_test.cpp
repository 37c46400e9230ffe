// Text users (port()) and IRC users (irc_port()) in the same rooms of the real
// parleyd: each sees the other in its own protocol (docs/irc.md, "Text users,
// seen from IRC"; docs/text-protocol.md).
//
// Raj Ingle is a text user (auto-joined to #lobby, which has no operator: it
// belongs to the server, issue 9); zoe is an IRC user who JOINs #lobby. Raj Ingle's IRC nick is Raj_Ingle and his
// IRC prefix Raj_Ingle!text@127.0.0.1.

#include "irc_client.hpp"
#include "itest_util.hpp"

namespace parley::test {
namespace {

const std::string kRaj = "Raj_Ingle!text@127.0.0.1";
const std::string kZoe = "zoe!~z@127.0.0.1";

class IrcMixed : public ::testing::Test {
 protected:
  void SetUp() override {
    raj_ = connect(server_, "Raj Ingle");
    ASSERT_TRUE(raj_->register_as("Raj Ingle"));
    zoe_ = connect_irc(server_.irc_port(), "zoe");
    ASSERT_TRUE(zoe_->register_as(
        "zoe", IrcRegisterOptions{.user = "z", .real_name = "Zoe Washburne", .caps = "", .cap_ls = false}));
    std::vector<IrcMessage> lines;
    ASSERT_TRUE(zoe_->join("#lobby", &lines));
    ASSERT_TRUE(raj_->expect_line(joined_line("zoe")));
    names_ = lines;
  }

  // zoe's next PRIVMSG from Raj Ingle in #lobby must be `text`.
  ::testing::AssertionResult zoe_hears(std::string_view text) {
    return zoe_->expect_raw(":" + kRaj + " PRIVMSG #lobby :" + std::string(text));
  }

  ServerProcess server_{ServerOptions{.threads = kThreads, .config_toml = unlimited_config()}};
  std::unique_ptr<LineClient> raj_;
  std::unique_ptr<IrcClient> zoe_;
  std::vector<IrcMessage> names_;
};

// JOIN: "This message may be sent from a server to a client to notify the
// client that someone has joined a channel. In this case, the message <source>
// will be the client who is joining". The 353 lists the text user by nick:
// plain in #lobby ("The default room has no automatic operator", issue 9),
// and as the channel's operator in a channel he created.
TEST_F(IrcMixed, TextUsersAppearAsIrcUsers) {
  auto names = std::find_if(names_.begin(), names_.end(), [](const IrcMessage& m) { return m.is("353"); });
  ASSERT_NE(names, names_.end()) << describe_lines(names_);
  EXPECT_TRUE(names->last() == "Raj_Ingle zoe" || names->last() == "zoe Raj_Ingle") << names->raw;

  raj_->send_line("/join tea");
  ASSERT_TRUE(raj_->expect_line("You joined #tea. Members (1): Raj Ingle"));
  std::vector<IrcMessage> tea;
  ASSERT_TRUE(zoe_->join("#tea", &tea));
  ASSERT_TRUE(raj_->expect_line(joined_line("zoe")));
  names = std::find_if(tea.begin(), tea.end(), [](const IrcMessage& m) { return m.is("353"); });
  ASSERT_NE(names, tea.end()) << describe_lines(tea);
  EXPECT_TRUE(names->last() == "@Raj_Ingle zoe" || names->last() == "zoe @Raj_Ingle") << names->raw;
  raj_->send_line("/join lobby");  // Kim's arrival below is then a plain line for him
  ASSERT_TRUE(raj_->expect_line("You are now talking in #lobby."));

  auto kim = connect(server_, "Kim Lee");
  ASSERT_TRUE(kim->register_as("Kim Lee"));
  ASSERT_TRUE(zoe_->expect_raw(":Kim_Lee!text@127.0.0.1 JOIN #lobby"));
  ASSERT_TRUE(raj_->expect_line(joined_line("Kim Lee")));

  // WHOIS: "<client> <nick> <username> <host> * :<realname>", the real name
  // being the text user's name.
  zoe_->send("WHOIS Raj_Ingle");
  IrcMessage m;
  ASSERT_TRUE(zoe_->expect_command("311", &m));
  EXPECT_EQ(m.raw, ":parley.local 311 zoe Raj_Ingle text 127.0.0.1 * :Raj Ingle");
  ASSERT_TRUE(zoe_->wait_for_command("318"));
}

// docs/text-protocol.md, Names: "letters and digits of any script and IRC's
// special characters stay, every other character (a space, ', .) becomes _,
// a name starting with a digit or - gets a _ in front" and "If that nick is
// already someone else's, the first free of Raj_Ingle2, Raj_Ingle3, ... is used."
TEST_F(IrcMixed, TextNamesBecomeNicksByOneRule) {
  const std::vector<std::pair<std::string, std::string>> cases = {
      {"O'Brien", "O_Brien"}, {"李雷", "李雷"}, {"Zoë", "Zoë"}, {"007 Bond", "_007_Bond"}, {"Raj.Ingle", "Raj_Ingle2"}};
  std::vector<std::unique_ptr<LineClient>> keep;
  for (const auto& [name, nick] : cases) {
    SCOPED_TRACE(name);
    auto c = connect(server_, name);
    ASSERT_TRUE(c->register_as(name));
    // A suffixed nick is told (issue 13): Raj_Ingle is Raj Ingle's.
    if (nick.ends_with('2')) {
      ASSERT_TRUE(c->expect_line("IRC users see you as " + nick + " (Raj_Ingle is taken)."));
    }
    ASSERT_TRUE(raj_->expect_line(joined_line(name)));
    ASSERT_TRUE(zoe_->expect_raw(":" + nick + "!text@127.0.0.1 JOIN #lobby"));
    // And the nick reaches the person.
    zoe_->send("PRIVMSG " + nick + " :hello " + nick);
    ASSERT_TRUE(c->expect_line("Private message from zoe: hello " + nick));
    keep.push_back(std::move(c));
  }
}

// A text user's line is a PRIVMSG to the channel; an IRC PRIVMSG is the text
// protocol's "Message from User - NAME: text" (docs/text-protocol.md, Messages).
TEST_F(IrcMixed, MessagesBothWays) {
  raj_->send_line("hi");
  ASSERT_TRUE(raj_->expect_line(message_line("Raj Ingle", "hi")));
  ASSERT_TRUE(zoe_hears("hi"));
  raj_->send_line("  spaced:  out ");
  ASSERT_TRUE(raj_->expect_line(message_line("Raj Ingle", "  spaced:  out")));
  ASSERT_TRUE(zoe_hears("  spaced:  out"));

  zoe_->send("PRIVMSG #lobby :hello Raj");
  ASSERT_TRUE(raj_->expect_line(message_line("zoe", "hello Raj")));
  zoe_->send("NOTICE #lobby :a notice");
  ASSERT_TRUE(raj_->expect_line("Notice from User - zoe: a notice"));
}

// CTCP ACTION (modern.ircdocs.horse/ctcp): "This extended formatting message
// shows that the client is performing the given action." — the text
// protocol's /me ("* NAME action").
TEST_F(IrcMixed, ActionsBothWays) {
  raj_->send_line("/me waves");
  ASSERT_TRUE(raj_->expect_line("* Raj Ingle waves"));
  ASSERT_TRUE(
      zoe_hears("\x01"
                "ACTION waves\x01"));
  zoe_->send(
      "PRIVMSG #lobby :\x01"
      "ACTION nods\x01");
  ASSERT_TRUE(raj_->expect_line("* zoe nods"));
}

// NICK from a text user's /nick: "the <source> of the message will be the old
// nickname [ [ "!" user ] "@" host ] of the user who is changing their
// nickname." And an IRC NICK is the text protocol's "OLD is now known as NEW."
TEST_F(IrcMixed, NickChangesBothWays) {
  raj_->send_line("/nick Raj Patel");
  ASSERT_TRUE(raj_->expect_line("Raj Ingle is now known as Raj Patel."));
  IrcMessage m;
  ASSERT_TRUE(zoe_->expect_command("NICK", &m));
  EXPECT_EQ(m.source, kRaj);
  EXPECT_EQ(m.params, std::vector<std::string>{"Raj_Patel"}) << m.raw;
  raj_->send_line("new name");
  ASSERT_TRUE(raj_->expect_line(message_line("Raj Patel", "new name")));
  ASSERT_TRUE(zoe_->expect_raw(":Raj_Patel!text@127.0.0.1 PRIVMSG #lobby :new name"));

  zoe_->send("NICK zoey");
  ASSERT_TRUE(zoe_->expect_command("NICK"));
  ASSERT_TRUE(raj_->expect_line("zoe is now known as zoey."));
  zoe_->send("PRIVMSG #lobby :still me");
  ASSERT_TRUE(raj_->expect_line(message_line("zoey", "still me")));
}

// TOPIC: "If the topic of a channel is changed or cleared, every client in that
// channel (including the author of the topic change) will receive a TOPIC
// command with the new topic as argument"; for text users it is "NAME set the
// topic of #ROOM to: text".
// Each creates a channel (so is its operator, whatever the channel's topic
// mode; #lobby has no operator: "The default room has no automatic operator",
// issue 9), the other joins it, and its creator sets the topic.
TEST_F(IrcMixed, TopicBothWays) {
  raj_->send_line("/join tea");
  ASSERT_TRUE(raj_->expect_line("You joined #tea. Members (1): Raj Ingle"));
  ASSERT_TRUE(zoe_->join("#tea"));
  ASSERT_TRUE(raj_->expect_line(joined_line("zoe")));
  raj_->send_line("/topic Tea time");
  ASSERT_TRUE(raj_->expect_line("Raj Ingle set the topic of #tea to: Tea time"));
  ASSERT_TRUE(zoe_->expect_raw(":" + kRaj + " TOPIC #tea :Tea time"));
  zoe_->send("TOPIC #tea");
  ASSERT_TRUE(zoe_->expect_raw(":parley.local 332 zoe #tea :Tea time"));

  // The other way: zoe creates #cake, Raj joins it, and zoe sets its topic.
  ASSERT_TRUE(zoe_->join("#cake"));
  raj_->send_line("/join cake");
  std::string line;
  ASSERT_TRUE(raj_->expect_line_prefix("You joined #cake. Members (2): ", &line));
  ASSERT_TRUE(zoe_->expect_raw(":" + kRaj + " JOIN #cake"));
  zoe_->send("TOPIC #cake :Biscuits");
  ASSERT_TRUE(zoe_->expect_raw(":" + kZoe + " TOPIC #cake :Biscuits"));
  ASSERT_TRUE(raj_->expect_line("zoe set the topic of #cake to: Biscuits"));
}

// A text user's LEAVE closes his connection; IRC sees a QUIT (docs/irc.md: "A
// text user's /quit reason is an IRC QUIT :Quit: reason; LEAVE is QUIT :Quit").
TEST_F(IrcMixed, TextLeaveIsAnIrcQuit) {
  auto kim = connect(server_, "Kim Lee");
  ASSERT_TRUE(kim->register_as("Kim Lee"));
  ASSERT_TRUE(zoe_->expect_raw(":Kim_Lee!text@127.0.0.1 JOIN #lobby"));
  ASSERT_TRUE(raj_->expect_line(joined_line("Kim Lee")));
  kim->send_line("/quit off to lunch");
  ASSERT_TRUE(kim->expect_line("LEAVE"));
  ASSERT_TRUE(kim->expect_closed());
  ASSERT_TRUE(zoe_->expect_raw(":Kim_Lee!text@127.0.0.1 QUIT :Quit: off to lunch"));
  ASSERT_TRUE(raj_->expect_line("Kim Lee left the chat room (off to lunch)."));

  raj_->send_line("LEAVE");
  ASSERT_TRUE(raj_->expect_line("LEAVE"));
  ASSERT_TRUE(raj_->expect_closed());
  IrcMessage m;
  ASSERT_TRUE(zoe_->expect_command("QUIT", &m));
  EXPECT_EQ(m.source, kRaj);
  EXPECT_TRUE(m.last() == "Quit" || m.last() == "Quit: ") << m.raw;
}

// An IRC QUIT is the text protocol's "NAME left the chat room."; a PART
// names the room left: "NAME left #lobby." (docs/text-protocol.md; a reason
// in brackets before the full stop).
TEST_F(IrcMixed, IrcPartAndQuitAreLeftTheChatRoom) {
  zoe_->send("PART #lobby");
  ASSERT_TRUE(raj_->expect_line("zoe left #lobby."));
  ASSERT_TRUE(zoe_->join("#lobby"));
  ASSERT_TRUE(raj_->expect_line(joined_line("zoe")));
  zoe_->send("PART #lobby :brb");
  ASSERT_TRUE(raj_->expect_line("zoe left #lobby (brb)."));
  ASSERT_TRUE(zoe_->join("#lobby"));
  ASSERT_TRUE(raj_->expect_line(joined_line("zoe")));
  zoe_->send("QUIT");
  ASSERT_TRUE(zoe_->expect_closed());
  ASSERT_TRUE(raj_->expect_line(left_line("zoe")));

  // An IRC connection that just drops is announced the same way.
  auto amy = connect_irc(server_.irc_port(), "amy");
  ASSERT_TRUE(amy->register_as("amy"));
  ASSERT_TRUE(amy->join("#lobby"));
  ASSERT_TRUE(raj_->expect_line(joined_line("amy")));
  amy->close();
  ASSERT_TRUE(raj_->expect_line(left_line("amy")));
}

// docs/text-protocol.md: "Text from other users never reaches your terminal
// raw: ... IRC formatting codes are stripped." (modern.ircdocs.horse/formatting:
// colour is "\x03" then one or two digits for the foreground.)
TEST_F(IrcMixed, IrcFormattingIsStrippedForTextUsers) {
  zoe_->send(
      "PRIVMSG #lobby :\x03"
      "04red\x03 \x02"
      "bold\x02 \x1dital\x1d \x1funder\x1f \x03"
      "12,04both\x0f plain");
  std::string got;
  ASSERT_TRUE(raj_->expect_line_prefix("Message from User - zoe: ", &got));
  EXPECT_EQ(got, message_line("zoe", "red bold ital under both plain")) << printable(got);
  EXPECT_FALSE(has_terminal_controls(got)) << printable(got);
  // IRC clients get it as sent.
  auto amy = connect_irc(server_.irc_port(), "amy");
  ASSERT_TRUE(amy->register_as("amy"));
  ASSERT_TRUE(amy->join("#lobby"));
  ASSERT_TRUE(raj_->expect_line(joined_line("amy")));
  zoe_->send(
      "PRIVMSG #lobby :\x02"
      "bold\x02");
  ASSERT_TRUE(amy->wait_for(irc_raw(":" + kZoe +
                                    " PRIVMSG #lobby :\x02"
                                    "bold\x02"),
                            "the bold message"));
}

// A text line longer than an IRC line: docs/irc.md, "A text message longer than
// one IRC line is split into several PRIVMSG lines on UTF-8 boundaries, never
// inside a character." Modern IRC: "Most IRC servers limit messages to 512
// bytes in length, including the trailing CR-LF characters." (IrcClient checks
// every line's size and CR LF.)
TEST_F(IrcMixed, LongUtf8TextIsSplitIntoValidIrcLines) {
  auto tagged = connect_irc(server_.irc_port(), "tagged");
  ASSERT_TRUE(tagged->register_as(
      "tagged",
      IrcRegisterOptions{.user = "u", .real_name = "Tagged", .caps = "message-tags server-time", .cap_ls = false}));
  ASSERT_TRUE(tagged->join("#lobby"));
  ASSERT_TRUE(raj_->expect_line(joined_line("tagged")));
  ASSERT_TRUE(zoe_->wait_for(irc_raw(":tagged!~u@127.0.0.1 JOIN #lobby"), "tagged's JOIN"));

  const std::string text = repeat("é", 1200);
  ASSERT_EQ(text.size(), 2400u);
  raj_->send_line(text);
  ASSERT_TRUE(raj_->expect_line(message_line("Raj Ingle", text)));
  for (IrcClient* c : {zoe_.get(), tagged.get()}) {
    SCOPED_TRACE(c->label());
    std::string joined;
    int pieces = 0;
    auto deadline = Clock::now() + default_timeout();
    while (joined.size() < text.size()) {
      IrcMessage m;
      ASSERT_TRUE(c->expect_command("PRIVMSG", &m, remaining(deadline))) << "after " << joined.size() << " bytes";
      ++pieces;
      EXPECT_EQ(m.source, kRaj) << m.raw;
      EXPECT_EQ(m.param(0), "#lobby") << m.raw;
      EXPECT_EQ(m.params.size(), 2u) << m.raw;
      EXPECT_FALSE(m.last().empty()) << m.raw;
      EXPECT_TRUE(is_valid_utf8(m.last())) << "piece " << pieces << " cuts a character: " << printable(m.raw);
      joined += m.last();
    }
    EXPECT_GE(pieces, 5) << "2,400 bytes cannot fit in fewer than five 512-byte lines";
    EXPECT_EQ(joined, text) << "the pieces do not add up to the message";
  }
}

// NICK: "If the server receives a NICK command from a client where the desired
// nickname is already in use on the network, it should issue an
// ERR_NICKNAMEINUSE numeric". docs/text-protocol.md: "A nick is held like a
// name: while Raj Ingle is here nobody else can be called raj_ingle"; and a
// name held by an IRC user is in use for text users.
TEST_F(IrcMixed, NamesAndNicksAreOneNamespace) {
  auto other = connect_irc(server_.irc_port(), "other");
  other->send("NICK Raj_Ingle");
  other->send("USER u 0 * :Other");
  ASSERT_TRUE(other->expect(irc_command_param("433", 1, "Raj_Ingle"), "433 * Raj_Ingle"));
  other->send("NICK raj_ingle");
  ASSERT_TRUE(other->expect(irc_command_param("433", 1, "raj_ingle"), "433 * raj_ingle"));
  other->send("NICK other");
  ASSERT_TRUE(other->expect_command("001"));
  zoe_->send("NICK RAJ_INGLE");
  ASSERT_TRUE(zoe_->expect(irc_command_param("433", 1, "RAJ_INGLE"), "433 zoe RAJ_INGLE"));

  auto text = connect(server_, "would-be zoe");
  ASSERT_TRUE(text->expect_line(kGreeting));
  text->send_line("zoe");
  ASSERT_TRUE(text->expect_line("Error: the name \"zoe\" is in use."));
  ASSERT_TRUE(text->expect_line("Please enter a different name."));
  text->send_line("ZOE");
  ASSERT_TRUE(text->expect_line("Error: the name \"ZOE\" is in use."));
  ASSERT_TRUE(text->expect_line("Please enter a different name."));
  text->send_line("Zed");
  ASSERT_TRUE(text->expect_line(welcome_line("Zed")));
  ASSERT_TRUE(zoe_->wait_for(irc_raw(":Zed!text@127.0.0.1 JOIN #lobby"), "Zed's JOIN"));
  // Once zoe is gone, the name is free for a text user.
  zoe_->send("QUIT");
  ASSERT_TRUE(zoe_->expect_closed());
  auto later = connect(server_, "zoe (text)");
  ASSERT_TRUE(later->register_as("zoe"));
}

// PRIVMSG: "The PRIVMSG command is used to send private messages between
// users". To a text user's nick it is "Private message from NAME: text"; a text
// user's /msg reaches an IRC user as a PRIVMSG to its nick.
TEST_F(IrcMixed, PrivateMessagesBothWays) {
  raj_->send_line("/msg zoe hi there");
  ASSERT_TRUE(raj_->expect_line("Private message to zoe: hi there"));
  ASSERT_TRUE(zoe_->expect_raw(":" + kRaj + " PRIVMSG zoe :hi there"));
  zoe_->send("PRIVMSG Raj_Ingle :hello back");
  ASSERT_TRUE(raj_->expect_line("Private message from zoe: hello back"));
  zoe_->send("PRIVMSG raj_ingle :case does not matter");
  ASSERT_TRUE(raj_->expect_line("Private message from zoe: case does not matter"));
  zoe_->send("NOTICE Raj_Ingle :a private notice");
  ASSERT_TRUE(raj_->expect_line("Private notice from zoe: a private notice"));
  // And to a name that is not there: 401.
  zoe_->send("PRIVMSG Kim_Lee :anyone?");
  ASSERT_TRUE(zoe_->expect(irc_command_param("401", 1, "Kim_Lee"), "401 zoe Kim_Lee"));
}

}  // namespace
}  // namespace parley::test
