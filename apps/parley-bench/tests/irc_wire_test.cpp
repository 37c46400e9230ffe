// The bench's IRC client side: line parsing (modern.ircdocs.horse "Message
// format") and one session's registration, setup, join and classification.
#include <gtest/gtest.h>

#include <memory>
#include <string>
#include <utility>
#include <vector>

#include "irc_line.h"
#include "irc_wire.h"

namespace parley::bench {
namespace {

TEST(IrcLine, SplitsTagsSourceCommandAndParameters) {
  const auto m = parse_irc_line("@time=2026-01-01T00:00:00Z;msgid=x :b1!u@127.0.0.2 PRIVMSG #bench :pb.1.2.3. x y");
  ASSERT_TRUE(m);
  EXPECT_EQ(m->source, "b1!u@127.0.0.2");
  EXPECT_EQ(m->nick(), "b1");
  EXPECT_EQ(m->command, "PRIVMSG");
  ASSERT_EQ(m->param_count, 2u);
  EXPECT_EQ(m->param(0), "#bench");
  EXPECT_EQ(m->last(), "pb.1.2.3. x y");
}

TEST(IrcLine, PrivmsgTextFindsARoomMessageAndNothingElse) {
  EXPECT_EQ(privmsg_text("@time=x :b1!u@h PRIVMSG #Bench :pb.1.2.3. x y", "#bench"), "pb.1.2.3. x y");
  EXPECT_EQ(privmsg_text(":b1!u@h PRIVMSG #bench :", "#bench"), "");
  EXPECT_EQ(privmsg_text("PRIVMSG #bench :hi", "#bench"), "hi");
  EXPECT_FALSE(privmsg_text(":b1!u@h PRIVMSG #benchmark :hi", "#bench"));
  EXPECT_FALSE(privmsg_text(":b1!u@h PRIVMSG b0 :hi", "#bench"));
  EXPECT_FALSE(privmsg_text(":b1!u@h NOTICE #bench :hi", "#bench"));
  EXPECT_FALSE(privmsg_text(":b1!u@h PRIVMSG #bench", "#bench"));
  // Without the colon it is left to the full parser (parse_irc_line).
  EXPECT_FALSE(privmsg_text(":b1!u@h PRIVMSG #bench hi", "#bench"));
}

TEST(IrcLine, MiddleParametersAndATrailingOneWithoutColon) {
  const auto m = parse_irc_line(":irc.example 001 b0  Welcome");
  ASSERT_TRUE(m);
  EXPECT_EQ(m->nick(), "irc.example");
  EXPECT_EQ(m->command, "001");
  ASSERT_EQ(m->param_count, 2u);
  EXPECT_EQ(m->param(1), "Welcome");
  const auto ping = parse_irc_line("PING :tok en");
  ASSERT_TRUE(ping);
  EXPECT_TRUE(ping->source.empty());
  EXPECT_EQ(ping->last(), "tok en");
  EXPECT_FALSE(parse_irc_line(":only.a.source"));
  EXPECT_FALSE(parse_irc_line(""));
}

TEST(IrcLine, NamesCompareWithoutCase) {
  EXPECT_TRUE(irc_same("#Bench", "#bench"));
  EXPECT_FALSE(irc_same("#bench1", "#bench"));
}

class Recorder final : public Output, public SessionEvents {
 public:
  void write(std::string_view bytes) override { sent += bytes; }
  void registered(std::int64_t) override { log.push_back("registered"); }
  void in_room(std::int64_t) override { log.push_back("in_room"); }
  void member_joined() override { log.push_back("member_joined"); }
  void delivery(std::string_view payload, std::int64_t) override { log.push_back("delivery " + std::string{payload}); }
  void error_line(std::string_view line) override { log.push_back("error " + std::string{line}); }

  // What was sent since the last call.
  std::string take() { return std::exchange(sent, {}); }
  std::string sent;
  std::vector<std::string> log;
};

class IrcSessionTest : public ::testing::Test {
 protected:
  void start(IrcSettings settings, Role role = Role::member) {
    protocol_ = make_irc_protocol(std::move(settings));
    session_ = protocol_->make_session({0, role, "b0", "#bench", false});
    session_->on_connected(rec_);
  }
  // Feeds the server's lines; false when the session ended the connection.
  bool server(std::string_view lines) {
    reason_.clear();
    return session_->on_data(lines, 0, rec_, rec_, reason_);
  }
  void register_plainly() {
    ASSERT_TRUE(server(":srv CAP * LS :multi-prefix\r\n"));
    ASSERT_EQ(rec_.take(), "CAP END\r\n");
    ASSERT_TRUE(server(":srv 001 b0 :Welcome\r\n:srv 375 b0 :-\r\n:srv 376 b0 :End of MOTD\r\n"));
  }

  std::unique_ptr<Protocol> protocol_;
  std::unique_ptr<Session> session_;
  Recorder rec_;
  std::string reason_;
};

TEST_F(IrcSessionTest, RegistersJoinsAndClassifiesWhatArrives) {
  start({});
  EXPECT_EQ(rec_.take(), "CAP LS 302\r\nNICK b0\r\nUSER b0 0 * :parley-bench\r\n");
  register_plainly();
  EXPECT_EQ(rec_.take(), "JOIN #bench\r\n");
  EXPECT_EQ(rec_.log, std::vector<std::string>{"registered"});
  ASSERT_TRUE(server(":b0!u@h JOIN #bench\r\n:srv 353 b0 = #bench :b0\r\n"));
  ASSERT_TRUE(server(":b1!u@h JOIN :#bench\r\n:b1!u@h PRIVMSG #bench :pb.1.1.9.xx\r\n"));
  ASSERT_TRUE(server(":b2!u@h PRIVMSG b0 :private\r\n:srv 404 b0 #bench :Cannot send\r\n"));
  ASSERT_TRUE(server("PING :abc\r\n"));
  EXPECT_EQ(rec_.take(), "PONG :abc\r\n");
  EXPECT_EQ(rec_.log, (std::vector<std::string>{"registered", "in_room", "member_joined", "delivery pb.1.1.9.xx",
                                                "error :srv 404 b0 #bench :Cannot send"}));
  session_->send_message("pb.0.1.5.", rec_);
  EXPECT_EQ(rec_.take(), "PRIVMSG #bench :pb.0.1.5.\r\n");
}

TEST_F(IrcSessionTest, AnEmptyMotdEndsRegistrationToo) {
  start({});
  ASSERT_TRUE(server("CAP * LS :\r\n:srv 001 b0 :Welcome\r\n:srv 422 b0 :MOTD File is missing\r\n"));
  EXPECT_EQ(rec_.log, std::vector<std::string>{"registered"});
}

TEST_F(IrcSessionTest, RequestsCapabilitiesAfterTheWholeList) {
  start({"echo-message server-time", "", ""});
  EXPECT_TRUE(protocol_->echoes_to_sender());
  rec_.take();
  ASSERT_TRUE(server(":srv CAP * LS * :multi-prefix sasl\r\n"));
  EXPECT_EQ(rec_.take(), "");
  ASSERT_TRUE(server(":srv CAP * LS :echo-message server-time\r\n"));
  EXPECT_EQ(rec_.take(), "CAP REQ :echo-message server-time\r\n");
  ASSERT_TRUE(server(":srv CAP b0 ACK :echo-message server-time\r\n"));
  EXPECT_EQ(rec_.take(), "CAP END\r\n");
}

TEST_F(IrcSessionTest, AServerWithoutCapRegistersByNickAndUser) {
  start({});
  ASSERT_TRUE(server(":srv 421 * CAP :Unknown command\r\n:srv 001 b0 :Welcome\r\n:srv 376 b0 :End\r\n"));
  EXPECT_EQ(rec_.log, std::vector<std::string>{"registered"});
}

TEST_F(IrcSessionTest, CapabilitiesAskedOfAServerWithoutCapFail) {
  start({"echo-message", "", ""});
  EXPECT_FALSE(server(":srv 421 * CAP :Unknown command\r\n"));
}

TEST_F(IrcSessionTest, RefusedCapabilitiesFailTheRegistration) {
  start({"echo-message", "", ""});
  ASSERT_TRUE(server(":srv CAP * LS :server-time\r\n"));
  EXPECT_FALSE(server(":srv CAP * NAK :echo-message\r\n"));
  EXPECT_NE(reason_.find("NAK"), std::string::npos);
}

TEST_F(IrcSessionTest, ANickInUseFailsTheRegistration) {
  start({});
  ASSERT_TRUE(server(":srv CAP * LS :\r\n"));
  EXPECT_FALSE(server(":srv 433 * b0 :Nickname is already in use\r\n"));
  EXPECT_NE(reason_.find("433"), std::string::npos);
}

TEST_F(IrcSessionTest, ASenderBecomesOperatorAndSetsItsModesBeforeJoining) {
  start({"", "bench:secret", "+F"}, Role::sender);
  EXPECT_FALSE(protocol_->echoes_to_sender());
  rec_.take();
  register_plainly();
  EXPECT_EQ(rec_.take(), "OPER bench secret\r\n");
  ASSERT_TRUE(server(":srv 381 b0 :You are now an IRC Operator\r\n"));
  EXPECT_EQ(rec_.take(), "MODE b0 +F\r\n");
  ASSERT_TRUE(server(":b0!u@h MODE b0 :+F\r\n"));
  EXPECT_EQ(rec_.take(), "JOIN #bench\r\n");
}

TEST_F(IrcSessionTest, AMemberSkipsTheSendersSetup) {
  start({"", "bench:secret", "+F"}, Role::member);
  rec_.take();
  register_plainly();
  EXPECT_EQ(rec_.take(), "JOIN #bench\r\n");
}

TEST_F(IrcSessionTest, AWrongOperatorPasswordFails) {
  start({"", "bench:wrong", ""}, Role::sender);
  rec_.take();
  register_plainly();
  EXPECT_FALSE(server(":srv 464 b0 :Password incorrect\r\n"));
}

TEST_F(IrcSessionTest, TheServersNickIsTheOneToRecogniseOwnLinesBy) {
  start({});
  ASSERT_TRUE(server(":srv CAP * LS :\r\n:srv 001 B0x :Welcome\r\n:srv 376 B0x :End\r\n"));
  ASSERT_TRUE(server(":b0!u@h JOIN #bench\r\n"));  // not us
  ASSERT_TRUE(server(":B0x!u@h JOIN #bench\r\n"));
  EXPECT_EQ(rec_.log, (std::vector<std::string>{"registered", "in_room"}));
}

}  // namespace
}  // namespace parley::bench
