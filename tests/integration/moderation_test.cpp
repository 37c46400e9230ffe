// Room moderation across protocols, against the real parleyd: a text operator
// moderating an IRC user, and an IRC operator moderating a text user
// (docs/text-protocol.md, "Moderation"; docs/irc.md, MODE/KICK/INVITE).
//
// Raj Ingle is a text user (auto-joined to #lobby, which has no operator: it
// belongs to the server, issue 9); zoe is an IRC user. Whoever creates another
// room is its operator. Raj Ingle's IRC prefix is Raj_Ingle!text@127.0.0.1.

#include "irc_client.hpp"
#include "itest_util.hpp"

namespace parley::test {
namespace {

const std::string kRaj = "Raj_Ingle!text@127.0.0.1";
const std::string kZoe = "zoe!~z@127.0.0.1";

class Moderation : public ::testing::Test {
 protected:
  void SetUp() override {
    raj_ = connect(server_, "Raj Ingle");
    ASSERT_TRUE(raj_->register_as("Raj Ingle"));
    zoe_ = connect_irc(server_.irc_port(), "zoe");
    ASSERT_TRUE(zoe_->register_as("zoe", IrcRegisterOptions{.user = "z", .real_name = "Zoe", .caps = "", .cap_ls = false}));
  }

  ServerProcess server_{ServerOptions{.threads = kThreads, .config_toml = unlimited_config()}};
  std::unique_ptr<LineClient> raj_;
  std::unique_ptr<IrcClient> zoe_;
};

TEST_F(Moderation, ATextOperatorModeratesAnIrcUser) {
  raj_->send_line("/join tea");  // Raj creates #tea: he is its operator
  ASSERT_TRUE(raj_->expect_line("You joined #tea. Members (1): Raj Ingle"));
  ASSERT_TRUE(zoe_->join("#tea"));
  ASSERT_TRUE(raj_->expect_line(joined_line("zoe")));

  // Moderated: zoe's message is refused with 404 and reaches nobody.
  raj_->send_line("/mode +m");
  ASSERT_TRUE(raj_->expect_line("Raj Ingle set #tea to moderated."));
  ASSERT_TRUE(zoe_->expect_raw(":" + kRaj + " MODE #tea +m"));
  zoe_->send("PRIVMSG #tea :let me speak");
  ASSERT_TRUE(zoe_->expect_raw(":parley.local 404 zoe #tea :Cannot send to channel (+m)"));

  raj_->send_line("/voice zoe");
  ASSERT_TRUE(raj_->expect_line("Raj Ingle gave zoe a voice in #tea."));
  ASSERT_TRUE(zoe_->expect_raw(":" + kRaj + " MODE #tea +v zoe"));
  zoe_->send("PRIVMSG #tea :thanks");
  ASSERT_TRUE(raj_->expect_line(message_line("zoe", "thanks")));
  zoe_->send("NAMES #tea");
  IrcMessage names;
  ASSERT_TRUE(zoe_->expect_command("353", &names));
  EXPECT_EQ(names.last(), "@Raj_Ingle +zoe");
  ASSERT_TRUE(zoe_->expect_command("366"));
  zoe_->send("MODE #tea");
  ASSERT_TRUE(zoe_->expect_raw(":parley.local 324 zoe #tea +mnt"));
  ASSERT_TRUE(zoe_->expect_command("329"));

  // Banned and kicked: she cannot come back.
  raj_->send_line("/ban zoe");
  ASSERT_TRUE(raj_->expect_line("Raj Ingle banned zoe!*@* from #tea."));
  ASSERT_TRUE(zoe_->expect_raw(":" + kRaj + " MODE #tea +b zoe!*@*"));
  zoe_->send("MODE #tea b");
  ASSERT_TRUE(zoe_->expect_raw(":parley.local 367 zoe #tea zoe!*@*"));
  ASSERT_TRUE(zoe_->expect_raw(":parley.local 368 zoe #tea :End of channel ban list"));
  raj_->send_line("/kick zoe enough");
  ASSERT_TRUE(raj_->expect_line("Raj Ingle kicked zoe from #tea (enough)."));
  ASSERT_TRUE(zoe_->expect_raw(":" + kRaj + " KICK #tea zoe :enough"));
  zoe_->send("JOIN #tea");
  ASSERT_TRUE(zoe_->expect_raw(":parley.local 474 zoe #tea :Cannot join channel (+b)"));
  zoe_->send("PRIVMSG #tea :hello?");
  ASSERT_TRUE(zoe_->expect_command("404"));

  // Lifted: she may join again.
  raj_->send_line("/unban zoe");
  ASSERT_TRUE(raj_->expect_line("Raj Ingle lifted the ban on zoe!*@* in #tea."));
  ASSERT_TRUE(zoe_->join("#tea"));
  ASSERT_TRUE(raj_->expect_line(joined_line("zoe")));
}

TEST_F(Moderation, AnIrcOperatorModeratesATextUser) {
  ASSERT_TRUE(zoe_->join("#ops"));  // zoe creates #ops: she is its operator
  raj_->send_line("/join ops");
  ASSERT_TRUE(raj_->expect_line("You joined #ops. Members (2): zoe, Raj Ingle"));
  ASSERT_TRUE(zoe_->expect_raw(":" + kRaj + " JOIN #ops"));

  zoe_->send("MODE #ops +mi");
  ASSERT_TRUE(zoe_->expect_raw(":" + kZoe + " MODE #ops +mi"));
  ASSERT_TRUE(raj_->expect_line("zoe set #ops to moderated."));
  ASSERT_TRUE(raj_->expect_line("zoe set #ops to invite-only."));
  raj_->send_line("can I talk?");
  ASSERT_TRUE(raj_->expect_line_prefix("Error: #ops is moderated"));
  raj_->send_line("/mode -m");
  ASSERT_TRUE(raj_->expect_line("Error: only operators of #ops can do that."));
  raj_->send_line("/topic mine now");
  ASSERT_TRUE(raj_->expect_line("Error: only operators of #ops can change its topic."));

  zoe_->send("MODE #ops +o Raj_Ingle");
  ASSERT_TRUE(zoe_->expect_raw(":" + kZoe + " MODE #ops +o Raj_Ingle"));
  ASSERT_TRUE(raj_->expect_line("zoe made Raj Ingle an operator of #ops."));
  raj_->send_line("/deop zoe");
  ASSERT_TRUE(raj_->expect_line("Raj Ingle removed zoe as an operator of #ops."));
  ASSERT_TRUE(zoe_->expect_raw(":" + kRaj + " MODE #ops -o zoe"));
  zoe_->send("KICK #ops Raj_Ingle");
  ASSERT_TRUE(zoe_->expect_raw(":parley.local 482 zoe #ops :You're not channel operator"));
  raj_->send_line("/op zoe");
  ASSERT_TRUE(raj_->expect_line("Raj Ingle made zoe an operator of #ops."));
  ASSERT_TRUE(zoe_->expect_raw(":" + kRaj + " MODE #ops +o zoe"));

  // Kicked: the text user is told and talks in #lobby again.
  zoe_->send("KICK #ops Raj_Ingle :out you go");
  ASSERT_TRUE(zoe_->expect_raw(":" + kZoe + " KICK #ops Raj_Ingle :out you go"));
  ASSERT_TRUE(raj_->expect_line("zoe kicked you from #ops (out you go)."));
  ASSERT_TRUE(raj_->expect_line("You are now talking in #lobby."));

  // Invite-only: refused until invited.
  raj_->send_line("/join ops");
  ASSERT_TRUE(raj_->expect_line("Error: #ops is invite-only; you need an invitation to join."));
  ASSERT_TRUE(raj_->expect_line("You are now talking in #lobby."));
  zoe_->send("INVITE Raj_Ingle #ops");
  ASSERT_TRUE(zoe_->expect_raw(":parley.local 341 zoe Raj_Ingle #ops"));
  ASSERT_TRUE(raj_->expect_line("zoe invited you to #ops. Type /join #ops to accept."));
  raj_->send_line("/join ops");
  ASSERT_TRUE(raj_->expect_line("You joined #ops. Members (2): zoe, Raj Ingle"));
  ASSERT_TRUE(zoe_->expect_raw(":" + kRaj + " JOIN #ops"));
  zoe_->send("INVITE Raj_Ingle #ops");
  ASSERT_TRUE(zoe_->expect_raw(":parley.local 443 zoe Raj_Ingle #ops :is already on channel"));

  // A key and a limit, as IRC parameters.
  zoe_->send("MODE #ops -i+kl sesame 2");
  ASSERT_TRUE(zoe_->expect_raw(":" + kZoe + " MODE #ops -i+kl sesame 2"));
  ASSERT_TRUE(raj_->expect_line("zoe set #ops to open to everyone."));
  ASSERT_TRUE(raj_->expect_line("zoe set the key of #ops to: sesame"));
  ASSERT_TRUE(raj_->expect_line("zoe limited #ops to 2 members."));
  auto kim = connect_irc(server_.irc_port(), "kim");
  ASSERT_TRUE(kim->register_as("kim"));
  kim->send("JOIN #ops");
  ASSERT_TRUE(kim->expect_raw(":parley.local 475 kim #ops :Cannot join channel (+k)"));
  kim->send("JOIN #ops sesame");
  ASSERT_TRUE(kim->expect_raw(":parley.local 471 kim #ops :Cannot join channel (+l)"));
  kim->send("MODE #ops +x");
  ASSERT_TRUE(kim->expect_raw(":parley.local 472 kim x :is unknown mode char to me"));
}

}  // namespace
}  // namespace parley::test
