// The default room belongs to the server (issue 9), against the real parleyd,
// in both protocols:
//
//   "The default room belongs to the server, not to a visitor. Today the first
//   person to connect after a start becomes operator of #lobby; one /mode +ik
//   secret later every newcomer gets the welcome and then '#lobby is
//   invite-only', so the seed's conversation is broken for everyone, and once
//   that person leaves nobody can repair it. The default room has no automatic
//   operator and cannot be closed by its members; server operators can act in
//   any room (override)."
//
// Raj Ingle is a text user (IRC prefix Raj_Ingle!text@127.0.0.1); zoe is an
// IRC user; root is an IRC user who may log in as a server operator (OPER
// root sesame). Text users have no way to become server operators.

#include <algorithm>

#include "irc_itest_util.hpp"

namespace parley::test {
namespace {

const std::string kRaj = "Raj_Ingle!text@127.0.0.1";

std::string oper_config() {
  return unlimited_config() +
         "[[irc.operators]]\n"
         "name = \"root\"\n"
         "password = \"sesame\"\n";
}

// The names of the first 353 among `lines` (or "(no 353)").
std::string names_in(const std::vector<IrcMessage>& lines) {
  auto it = std::find_if(lines.begin(), lines.end(), [](const IrcMessage& m) { return m.is("353"); });
  return it == lines.end() ? std::string("(no 353)") : it->last();
}

class DefaultRoom : public ::testing::Test {
 protected:
  void SetUp() override {
    raj_ = connect(server_, "Raj Ingle");
    ASSERT_TRUE(raj_->register_as("Raj Ingle"));
    zoe_ = irc_user("zoe");
  }

  std::unique_ptr<IrcClient> irc_user(const std::string& nick) {
    auto c = connect_irc(server_.irc_port(), nick);
    EXPECT_TRUE(c->register_as(nick));
    return c;
  }

  // An IRC user logged in as a server operator.
  std::unique_ptr<IrcClient> server_operator(const std::string& nick) {
    auto c = irc_user(nick);
    c->send("OPER root sesame");
    EXPECT_TRUE(c->wait_for_command("381"));
    return c;
  }

  // A text user connecting now must get the seed's welcome, and Raj (in
  // #lobby, talking there) "NAME has joined the chat room!".
  void newcomer_is_welcomed(const std::string& name) {
    auto c = connect(server_, name);
    ASSERT_TRUE(c->register_as(name));
    ASSERT_TRUE(raj_->expect_line(joined_line(name)));
    // Nothing came after the welcome: the next line is the newcomer's own message.
    ASSERT_TRUE(say(*c, name, "hello all", {c.get(), raj_.get()}));
    newcomers_.push_back(std::move(c));  // staying: their leaving is no line to read
  }

  // Raj (text) and zoe (IRC) each try to make #lobby invite-only, keyed and
  // limited; each attempt gets the refusal given, and #lobby stays as it was:
  // nobody read a MODE line, and its modes are still +nt.
  void closing_is_refused(const std::string& text_refusal, const std::string& irc_refusal) {
    for (const char* mode : {"/mode +i", "/mode +k secret", "/mode +l 1"}) {
      SCOPED_TRACE(mode);
      raj_->send_line(mode);
      ASSERT_TRUE(raj_->expect_line(text_refusal));
    }
    for (const char* mode : {"MODE #lobby +i", "MODE #lobby +k secret", "MODE #lobby +l 1"}) {
      SCOPED_TRACE(mode);
      zoe_->send(mode);
      ASSERT_TRUE(zoe_->expect_raw(irc_refusal));
    }
    std::vector<IrcMessage> before;
    ASSERT_TRUE(zoe_->sync(&before));
    EXPECT_TRUE(before.empty()) << describe_lines(before);
    zoe_->send("MODE #lobby");
    ASSERT_TRUE(zoe_->expect_raw(":parley.local 324 zoe #lobby +nt"));
  }

  ServerProcess server_{ServerOptions{.threads = kThreads, .config_toml = oper_config()}};
  std::unique_ptr<LineClient> raj_;
  std::unique_ptr<IrcClient> zoe_;
  std::vector<std::unique_ptr<LineClient>> newcomers_;
};

// "The default room has no automatic operator": neither the first text user
// nor the first IRC user in #lobby is its operator; another room's first
// member still is.
TEST_F(DefaultRoom, TheFirstMemberIsNotItsOperator) {
  std::vector<IrcMessage> lines;
  ASSERT_TRUE(zoe_->join("#lobby", &lines));
  ASSERT_TRUE(raj_->expect_line(joined_line("zoe")));
  const std::string names = names_in(lines);
  EXPECT_TRUE(names == "Raj_Ingle zoe" || names == "zoe Raj_Ingle") << describe_lines(lines);

  raj_->send_line("/mode +m");
  ASSERT_TRUE(raj_->expect_line("Error: only operators of #lobby can do that."));
  zoe_->send("MODE #lobby +m");
  ASSERT_TRUE(zoe_->expect_raw(":parley.local 482 zoe #lobby :You're not channel operator"));

  // Any other room: the first joiner is its operator, as before.
  raj_->send_line("/join tea");
  ASSERT_TRUE(raj_->expect_line("You joined #tea. Members (1): Raj Ingle"));
  lines.clear();
  ASSERT_TRUE(zoe_->join("#tea", &lines));
  const std::string tea = names_in(lines);
  EXPECT_TRUE(tea == "@Raj_Ingle zoe" || tea == "zoe @Raj_Ingle") << describe_lines(lines);
}

// The same when #lobby is empty and an IRC user is the first to JOIN it.
TEST(DefaultRoomEmpty, TheFirstIrcUserIsNotItsOperator) {
  ServerProcess server{ServerOptions{.threads = kThreads, .config_toml = oper_config()}};
  auto amy = connect_irc(server.irc_port(), "amy");
  ASSERT_TRUE(amy->register_as("amy"));
  std::vector<IrcMessage> lines;
  ASSERT_TRUE(amy->join("#lobby", &lines));
  EXPECT_EQ(names_in(lines), "amy") << describe_lines(lines);
  amy->send("TOPIC #lobby :mine");
  ASSERT_TRUE(amy->expect_raw(":parley.local 482 amy #lobby :You're not channel operator"));
}

// "cannot be closed by its members": invite-only, a key and a member limit
// are refused, in each protocol, and a newcomer still gets the seed's welcome.
TEST_F(DefaultRoom, MembersCannotCloseIt) {
  ASSERT_TRUE(zoe_->join("#lobby"));
  ASSERT_TRUE(raj_->expect_line(joined_line("zoe")));

  // A member is no operator of #lobby, so is refused as one (482 in IRC);
  // its operators are refused too (ItsOperatorsCannotCloseItEither).
  ASSERT_NO_FATAL_FAILURE(closing_is_refused("Error: only operators of #lobby can do that.",
                                             ":parley.local 482 zoe #lobby :You're not channel operator"));

  newcomer_is_welcomed("Keerthi");
  auto kim = irc_user("kim");
  ASSERT_TRUE(kim->join("#lobby"));
  ASSERT_TRUE(raj_->expect_line(joined_line("kim")));
}

// "only server operators may set invite-only, a key or a member limit on it":
// even an operator of #lobby (made one by a server operator) may not; the
// refusal says who may (text: "only server operators can do that.").
TEST_F(DefaultRoom, ItsOperatorsCannotCloseItEither) {
  auto root = server_operator("root");
  ASSERT_TRUE(root->join("#lobby"));
  ASSERT_TRUE(raj_->expect_line(joined_line("root")));
  ASSERT_TRUE(zoe_->join("#lobby"));
  ASSERT_TRUE(raj_->expect_line(joined_line("zoe")));
  ASSERT_TRUE(root->wait_for_command("JOIN"));

  root->send("MODE #lobby +oo Raj_Ingle zoe");
  ASSERT_TRUE(root->expect_raw(":" + prefix_of("root") + " MODE #lobby +oo Raj_Ingle zoe"));
  ASSERT_TRUE(raj_->expect_line("root made Raj Ingle an operator of #lobby."));
  ASSERT_TRUE(raj_->expect_line("root made zoe an operator of #lobby."));
  ASSERT_TRUE(zoe_->expect_raw(":" + prefix_of("root") + " MODE #lobby +oo Raj_Ingle zoe"));

  // Operators still moderate it: +m and back.
  raj_->send_line("/mode +m");
  ASSERT_TRUE(raj_->expect_line("Raj Ingle set #lobby to moderated."));
  ASSERT_TRUE(zoe_->expect_raw(":" + kRaj + " MODE #lobby +m"));
  raj_->send_line("/mode -m");
  ASSERT_TRUE(raj_->expect_line("Raj Ingle set #lobby to unmoderated."));
  ASSERT_TRUE(zoe_->expect_raw(":" + kRaj + " MODE #lobby -m"));

  ASSERT_NO_FATAL_FAILURE(closing_is_refused("Error: only server operators can do that.",
                                             ":parley.local 481 zoe :Permission Denied- You're not an IRC operator"));

  newcomer_is_welcomed("Keerthi");
}

// "server operators can act in any room (override)": an IRC server operator
// may make #lobby invite-only and keyed, and open it again.
TEST_F(DefaultRoom, AServerOperatorMayCloseIt) {
  auto root = server_operator("root");
  ASSERT_TRUE(root->join("#lobby"));
  ASSERT_TRUE(raj_->expect_line(joined_line("root")));

  root->send("MODE #lobby +i");
  ASSERT_TRUE(root->expect_raw(":" + prefix_of("root") + " MODE #lobby +i"));
  ASSERT_TRUE(raj_->expect_line("root set #lobby to invite-only."));
  zoe_->send("JOIN #lobby");
  ASSERT_TRUE(zoe_->expect_raw(":parley.local 473 zoe #lobby :Cannot join channel (+i)"));
  auto kim = connect(server_, "Kim");
  ASSERT_TRUE(kim->register_as("Kim"));
  ASSERT_TRUE(kim->expect_line("Error: #lobby is invite-only; you need an invitation to join."));

  root->send("MODE #lobby -i+k sesame");
  ASSERT_TRUE(root->expect_raw(":" + prefix_of("root") + " MODE #lobby -i+k sesame"));
  ASSERT_TRUE(raj_->expect_line("root set #lobby to open to everyone."));
  ASSERT_TRUE(raj_->expect_line("root set the key of #lobby to: sesame"));
  zoe_->send("JOIN #lobby");
  ASSERT_TRUE(zoe_->expect_raw(":parley.local 475 zoe #lobby :Cannot join channel (+k)"));
  zoe_->send("JOIN #lobby sesame");
  ASSERT_TRUE(zoe_->wait_for(irc_command_param("366", 1, "#lobby"), "366 for #lobby"));
  ASSERT_TRUE(raj_->expect_line(joined_line("zoe")));

  root->send("MODE #lobby -k sesame");
  // The key removed ("-k", or "-k *" or the key as some servers echo it),
  // after zoe's JOIN.
  ASSERT_TRUE(root->wait_for(
      [](const IrcMessage& m) { return m.is("MODE") && m.param(0) == "#lobby" && m.param(1) == "-k"; },
      "MODE #lobby -k"));
  ASSERT_TRUE(raj_->expect_line("root removed the key of #lobby."));
  newcomer_is_welcomed("Keerthi");
}

// "server operators can act in any room (override)": in a channel zoe created
// (she is its operator, root is not), root sets the topic and the modes and
// kicks, an IRC user and a text user. Before OPER he could not.
TEST_F(DefaultRoom, AServerOperatorActsWhereHeIsNoChannelOperator) {
  ASSERT_TRUE(zoe_->join("#tea"));
  raj_->send_line("/join tea");
  ASSERT_TRUE(raj_->expect_line("You joined #tea. Members (2): zoe, Raj Ingle"));
  ASSERT_TRUE(zoe_->expect_raw(":" + kRaj + " JOIN #tea"));
  auto root = irc_user("root");
  std::vector<IrcMessage> lines;
  ASSERT_TRUE(root->join("#tea", &lines));
  EXPECT_EQ(names_in(lines), "@zoe Raj_Ingle root") << describe_lines(lines);
  ASSERT_TRUE(raj_->expect_line(joined_line("root")));
  ASSERT_TRUE(zoe_->expect_raw(":" + prefix_of("root") + " JOIN #tea"));

  root->send("TOPIC #tea :not yet");
  ASSERT_TRUE(root->expect_raw(":parley.local 482 root #tea :You're not channel operator"));
  root->send("OPER root sesame");
  ASSERT_TRUE(root->wait_for_command("381"));

  root->send("TOPIC #tea :Server maintenance at noon");
  ASSERT_TRUE(root->expect_raw(":" + prefix_of("root") + " TOPIC #tea :Server maintenance at noon"));
  ASSERT_TRUE(zoe_->expect_raw(":" + prefix_of("root") + " TOPIC #tea :Server maintenance at noon"));
  ASSERT_TRUE(raj_->expect_line("root set the topic of #tea to: Server maintenance at noon"));

  root->send("MODE #tea +m");
  ASSERT_TRUE(root->expect_raw(":" + prefix_of("root") + " MODE #tea +m"));
  ASSERT_TRUE(zoe_->expect_raw(":" + prefix_of("root") + " MODE #tea +m"));
  ASSERT_TRUE(raj_->expect_line("root set #tea to moderated."));

  root->send("KICK #tea Raj_Ingle :maintenance");
  ASSERT_TRUE(root->expect_raw(":" + prefix_of("root") + " KICK #tea Raj_Ingle :maintenance"));
  ASSERT_TRUE(zoe_->expect_raw(":" + prefix_of("root") + " KICK #tea Raj_Ingle :maintenance"));
  ASSERT_TRUE(raj_->expect_line("root kicked you from #tea (maintenance)."));
  ASSERT_TRUE(raj_->expect_line("You are now talking in #lobby."));

  root->send("KICK #tea zoe :you too");
  ASSERT_TRUE(root->expect_raw(":" + prefix_of("root") + " KICK #tea zoe :you too"));
  ASSERT_TRUE(zoe_->expect_raw(":" + prefix_of("root") + " KICK #tea zoe :you too"));

  // Still no channel operator there: NAMES shows root plain.
  root->send("NAMES #tea");
  IrcMessage names;
  ASSERT_TRUE(root->expect_command("353", &names));
  EXPECT_EQ(names.last(), "root");
  ASSERT_TRUE(root->expect_command("366"));
}

// A server operator sets #lobby's topic, which its members cannot; the room
// stays when everyone leaves ("belongs to the server"), topic and all, and
// whoever enters it next is not its operator.
TEST_F(DefaultRoom, ItOutlivesItsMembers) {
  ASSERT_TRUE(zoe_->join("#lobby"));
  ASSERT_TRUE(raj_->expect_line(joined_line("zoe")));
  raj_->send_line("/topic mine");
  ASSERT_TRUE(raj_->expect_line("Error: only operators of #lobby can change its topic."));
  zoe_->send("TOPIC #lobby :mine");
  ASSERT_TRUE(zoe_->expect_raw(":parley.local 482 zoe #lobby :You're not channel operator"));

  auto root = server_operator("root");
  ASSERT_TRUE(root->join("#lobby"));
  ASSERT_TRUE(raj_->expect_line(joined_line("root")));
  ASSERT_TRUE(zoe_->expect_raw(":" + prefix_of("root") + " JOIN #lobby"));
  root->send("TOPIC #lobby :Be kind");
  ASSERT_TRUE(root->expect_raw(":" + prefix_of("root") + " TOPIC #lobby :Be kind"));
  ASSERT_TRUE(zoe_->expect_raw(":" + prefix_of("root") + " TOPIC #lobby :Be kind"));
  ASSERT_TRUE(raj_->expect_line("root set the topic of #lobby to: Be kind"));

  // Everyone leaves: a PART, a QUIT and a text user's LEAVE.
  root->send("PART #lobby");
  ASSERT_TRUE(root->expect_raw(":" + prefix_of("root") + " PART #lobby"));
  ASSERT_TRUE(zoe_->expect_raw(":" + prefix_of("root") + " PART #lobby"));
  ASSERT_TRUE(raj_->expect_line("root left #lobby."));  // a PART names the room
  zoe_->send("QUIT");
  ASSERT_TRUE(zoe_->expect_closed());
  ASSERT_TRUE(raj_->expect_line(left_line("zoe")));
  raj_->send_line("LEAVE");
  ASSERT_TRUE(raj_->expect_line("LEAVE"));
  ASSERT_TRUE(raj_->expect_closed());

  // The first to come back finds the topic and is not the operator.
  auto amy = irc_user("amy");
  std::vector<IrcMessage> lines;
  ASSERT_TRUE(amy->join("#lobby", &lines));
  EXPECT_EQ(names_in(lines), "amy") << describe_lines(lines);
  auto topic = std::find_if(lines.begin(), lines.end(), [](const IrcMessage& m) { return m.is("332"); });
  ASSERT_NE(topic, lines.end()) << describe_lines(lines);
  EXPECT_EQ(topic->last(), "Be kind");
  auto kim = connect(server_, "Kim");
  ASSERT_TRUE(kim->register_as("Kim"));
  ASSERT_TRUE(amy->expect_raw(":Kim!text@127.0.0.1 JOIN #lobby"));
  kim->send_line("/topic");
  ASSERT_TRUE(kim->expect_line("Topic of #lobby: Be kind"));

  // Another room does not outlive its members: back empty, no topic, and its
  // next first member is its operator.
  ASSERT_TRUE(amy->join("#tea"));
  amy->send("TOPIC #tea :gone soon");
  ASSERT_TRUE(amy->expect_raw(":" + prefix_of("amy") + " TOPIC #tea :gone soon"));
  amy->send("PART #tea");
  ASSERT_TRUE(amy->expect_raw(":" + prefix_of("amy") + " PART #tea"));
  lines.clear();
  ASSERT_TRUE(amy->join("#tea", &lines));
  EXPECT_EQ(names_in(lines), "@amy") << describe_lines(lines);
  EXPECT_TRUE(std::none_of(lines.begin(), lines.end(), [](const IrcMessage& m) { return m.is("332"); }))
      << describe_lines(lines);
}

}  // namespace
}  // namespace parley::test
