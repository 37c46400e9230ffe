// A registered room's access list (issue 11): ChanServ ACCESS LIST/ADD/DEL and
// the text /access; an account on it is an operator on joining, kept across a
// restart.
#include <gmock/gmock.h>
#include <gtest/gtest.h>

#include "irc_itest_util.hpp"
#include "itest_util.hpp"
#include "system_util.hpp"

namespace parley::test {
namespace {

using ::testing::HasSubstr;

std::unique_ptr<IrcClient> irc_user(const ServerProcess& server, const std::string& nick) {
  auto c = std::make_unique<IrcClient>(server.irc_port(), nick);
  EXPECT_TRUE(c->register_as(nick));
  return c;
}

std::string chanserv_says(IrcClient& c) {
  IrcMessage m;
  if (!c.wait_for([](const IrcMessage& x) { return x.is("NOTICE") && x.source_nick() == "ChanServ"; }, "ChanServ", &m))
    return "(nothing from ChanServ)";
  return m.last();
}

// Whether `nick` is shown with '@' in the names of `channel` that `c` reads on joining.
bool op_on_joining(IrcClient& c, const std::string& channel, const std::string& nick) {
  std::vector<IrcMessage> lines;
  EXPECT_TRUE(c.join(channel, &lines));
  for (const auto& m : lines) {
    if (m.is("353") && (" " + m.last() + " ").find(" @" + nick + " ") != std::string::npos) return true;
  }
  return false;
}

TEST(Access, TheFounderGivesOperatorRightsByAccountInBothProtocols) {
  TempDir data;
  ServerOptions options{.threads = kThreads, .config_toml = unlimited_config()};
  options.data_dir = data.path().string();
  {
    ServerProcess server(options);
    auto ann = irc_user(server, "ann");
    ASSERT_TRUE(new_account(*ann, "password1"));
    ASSERT_TRUE(ann->join("#den"));
    ann->send("PRIVMSG ChanServ :REGISTER #den");
    EXPECT_THAT(chanserv_says(*ann), HasSubstr("#den is now registered to your account, ann."));
    auto bob = irc_user(server, "bob");
    ASSERT_TRUE(new_account(*bob, "password1"));

    ann->send("CS ACCESS #den ADD zed");
    EXPECT_EQ(chanserv_says(*ann), "zed is not a registered account.");
    bob->send("CS ACCESS #den ADD bob");
    EXPECT_EQ(chanserv_says(*bob), "Only the founder of #den (or an IRC operator) can change its access list.");
    ann->send("CS ACCESS #den ADD BOB");
    EXPECT_EQ(chanserv_says(*ann), "bob is on the access list of #den: an operator on joining.");
    EXPECT_TRUE(op_on_joining(*bob, "#den", "bob"));
    ann->send("CS ACCESS #den LIST");
    EXPECT_EQ(chanserv_says(*ann), "Access list of #den: ann (founder)");
    EXPECT_EQ(chanserv_says(*ann), "2. bob");
    EXPECT_EQ(chanserv_says(*ann), "End of the access list of #den (2 accounts).");
    ann->send("CS ACCESS #nowhere LIST");
    EXPECT_EQ(chanserv_says(*ann), "#nowhere does not exist.");

    // Text: the list, and the founder's rights only.
    auto cy_connection = connect(server, "cy");
    LineClient& cy = *cy_connection;
    ASSERT_TRUE(cy.register_as("cy"));
    cy.send_line("/access #den");
    ASSERT_TRUE(cy.expect_line("Operators of #den by account: ann (founder), bob."));
    cy.send_line("/access #den add cy");
    ASSERT_TRUE(cy.expect_line("Error: cy is not a registered account."));
    cy.send_line("/register password1");
    ASSERT_TRUE(cy.expect_line("The account cy is registered, and you are logged in to it."));
    cy.send_line("/access #den del bob");
    ASSERT_TRUE(cy.expect_line("Error: only the founder of #den (or a server operator) can do that."));
    cy.send_line("/access");
    ASSERT_TRUE(cy.expect_line("Usage: /access #ROOM [add NAME | del NAME]"));
    ASSERT_TRUE(server.terminate_and_wait().exited());
  }
  // Kept with the room.
  ServerProcess again(options);
  auto bob = irc_user(again, "bob");
  bob->send("PRIVMSG NickServ :IDENTIFY password1");
  ASSERT_TRUE(bob->wait_for_command("900"));
  EXPECT_TRUE(op_on_joining(*bob, "#den", "bob"));
  auto ann_connection = connect(again, "ann-text");
  LineClient& ann = *ann_connection;
  ASSERT_TRUE(ann.register_as("annie"));
  ann.send_line("/login ann password1");
  ASSERT_TRUE(ann.expect_line("You are logged in as ann."));
  ann.send_line("/access #den del bob");
  ASSERT_TRUE(ann.expect_line("bob is no longer an operator of #den on joining."));
  ann.send_line("/access #den del bob");
  ASSERT_TRUE(ann.expect_line("Error: bob is not on the access list of #den."));
  ann.send_line("/access #den add cy");
  ASSERT_TRUE(ann.expect_line("cy is an operator of #den on joining."));
}

// Access changes apply at once to members already in the room (not at their
// next join): added, they become operators; removed, they stop being ones;
// the room sees it as a MODE from whoever changed the list.
TEST(Access, ChangesApplyAtOnceToMembersAlreadyIn) {
  ServerProcess server(ServerOptions{.threads = kThreads, .config_toml = unlimited_config()});
  auto ann = irc_user(server, "ann");
  ASSERT_TRUE(new_account(*ann, "password1"));
  ASSERT_TRUE(ann->join("#den"));
  ann->send("PRIVMSG ChanServ :REGISTER #den");
  EXPECT_THAT(chanserv_says(*ann), HasSubstr("#den is now registered to your account, ann."));
  auto bob = irc_user(server, "bob");
  ASSERT_TRUE(new_account(*bob, "password1"));
  EXPECT_FALSE(op_on_joining(*bob, "#den", "bob"));
  ASSERT_TRUE(ann->wait_for_command("JOIN"));

  ann->send("CS ACCESS #den ADD bob");
  IrcMessage mode;
  ASSERT_TRUE(bob->wait_for_command("MODE", &mode));
  EXPECT_EQ(body_of(mode), ":" + prefix_of("ann") + " MODE #den +o bob");
  ASSERT_TRUE(ann->wait_for_command("MODE", &mode));
  EXPECT_EQ(body_of(mode), ":" + prefix_of("ann") + " MODE #den +o bob");
  EXPECT_THAT(chanserv_says(*ann), HasSubstr("bob is on the access list of #den"));
  // Now an operator: bob may set the topic of this +t room.
  bob->send("TOPIC #den :bob was here");
  ASSERT_TRUE(bob->expect_command("TOPIC"));

  ann->send("CS ACCESS #den DEL bob");
  ASSERT_TRUE(bob->wait_for_command("MODE", &mode));
  EXPECT_EQ(body_of(mode), ":" + prefix_of("ann") + " MODE #den -o bob");
  EXPECT_THAT(chanserv_says(*ann), HasSubstr("bob is no longer"));

  // The text /access likewise, from a founder outside the room: the members
  // see it; the founder reads only the answer.
  auto text = connect(server, "ann-text");
  ASSERT_TRUE(text->register_as("annie"));
  text->send_line("/login ann password1");
  ASSERT_TRUE(text->expect_line("You are logged in as ann."));
  text->send_line("/access #den add bob");
  ASSERT_TRUE(text->expect_line("bob is an operator of #den on joining."));
  ASSERT_TRUE(bob->wait_for_command("MODE", &mode));
  EXPECT_THAT(body_of(mode), ::testing::StartsWith(":annie!")) << "from the text user, as its nick";
  EXPECT_THAT(body_of(mode), ::testing::EndsWith(" MODE #den +o bob"));
  // Already an operator: nothing to announce.
  ann->send("CS ACCESS #den ADD bob");
  EXPECT_THAT(chanserv_says(*ann), HasSubstr("bob is on the access list of #den"));
  ann->send("PRIVMSG #den :next");
  IrcMessage next;
  ASSERT_TRUE(bob->wait_for_command("PRIVMSG", &next));
  EXPECT_EQ(next.last(), "next");
}

}  // namespace
}  // namespace parley::test
