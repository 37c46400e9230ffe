// The parley client against the real parleyd: what a script using parley sees.
#include <gtest/gtest.h>

#include <string>

#include "client_process.hpp"
#include "line_client.hpp"
#include "server_process.hpp"
#include "timing.hpp"

namespace parley::test {
namespace {

Deadline in_time() { return Clock::now() + default_timeout(); }

TEST(ClientWithServer, ChatsWithAnNcStyleUserAndLeavesCleanly) {
  ServerProcess server;
  LineClient raj(server.port());
  ASSERT_TRUE(raj.register_as("Raj Ingle"));

  ClientProcess keerthi({"127.0.0.1", std::to_string(server.port())});
  ASSERT_TRUE(keerthi.wait_for_output("Welcome to Chat room. To join enter your Name and begin chatting.", in_time()));
  keerthi.type("Keerthi Reddy Kandi\n");
  ASSERT_TRUE(keerthi.wait_for_output("Welcome Keerthi Reddy Kandi to chatroom! Enter LEAVE to exit the chatroom",
                                      in_time()));
  ASSERT_TRUE(raj.expect_line("Keerthi Reddy Kandi has joined the chat room!"));

  keerthi.type("hello\n");
  ASSERT_TRUE(raj.expect_line("Message from User - Keerthi Reddy Kandi: hello"));
  ASSERT_TRUE(keerthi.wait_for_output("Message from User - Keerthi Reddy Kandi: hello", in_time()));

  raj.send_line("hi \x1b[31mthere");
  ASSERT_TRUE(raj.expect_line("Message from User - Raj Ingle: hi [31mthere"));
  ASSERT_TRUE(keerthi.wait_for_output("Message from User - Raj Ingle: hi [31mthere", in_time()))
      << "escape sequences never reach the terminal raw; got:\n" << keerthi.out();

  keerthi.type("LEAVE\n");
  ASSERT_TRUE(raj.expect_line("Keerthi Reddy Kandi left the chat room."));
  const auto exit = keerthi.wait(in_time());
  EXPECT_TRUE(exit.exited);
  EXPECT_EQ(exit.code, 0) << keerthi.err();
  EXPECT_EQ(keerthi.out().find('\x1b'), std::string::npos);
}

TEST(ClientWithServer, ReportsALostConnectionWithItsExitCode) {
  auto server = std::make_unique<ServerProcess>();
  const auto port = server->port();
  ClientProcess client({"127.0.0.1", std::to_string(port)});
  ASSERT_TRUE(client.wait_for_output("Welcome to Chat room.", in_time()));
  client.type("Zoe\n");
  ASSERT_TRUE(client.wait_for_output("Welcome Zoe to chatroom!", in_time()));
  server.reset();  // SIGTERM: the server says goodbye and closes
  const auto exit = client.wait(in_time());
  EXPECT_TRUE(exit.exited);
  EXPECT_NE(client.out().find("Disconnected: the server is shutting down."), std::string::npos) << client.out();
  EXPECT_EQ(exit.code, 1) << "a connection the server closed is a lost connection";
  EXPECT_NE(client.err().find("lost"), std::string::npos) << client.err();
}

}  // namespace
}  // namespace parley::test
