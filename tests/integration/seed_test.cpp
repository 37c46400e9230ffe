// The seed report's conversation, word for word (docs/text-protocol.md, "The
// seed conversation"), and the seed's connect/disconnect log lines.

#include "itest_util.hpp"

namespace parley::test {
namespace {

// Three clients: two already in the room, a third joins, says hello, LEAVEs.
TEST(Seed, TranscriptWithThreeClients) {
  ServerProcess server;
  auto raj = connect(server, "Raj Ingle");
  auto zoe = connect(server, "Zoë");
  ASSERT_TRUE(join_room(*raj, "Raj Ingle", {}));
  ASSERT_TRUE(join_room(*zoe, "Zoë", {raj.get()}));

  auto keerthi = connect(server, "Keerthi Reddy Kandi");
  const std::string endpoint = keerthi->local_endpoint();
  // S: Welcome to Chat room. To join enter your Name and begin chatting.
  ASSERT_TRUE(keerthi->expect_line("Welcome to Chat room. To join enter your Name and begin chatting."));
  // C: Keerthi Reddy Kandi
  keerthi->send_line("Keerthi Reddy Kandi");
  // S: Welcome Keerthi Reddy Kandi to chatroom! Enter LEAVE to exit the chatroom
  ASSERT_TRUE(keerthi->expect_line("Welcome Keerthi Reddy Kandi to chatroom! Enter LEAVE to exit the chatroom"));
  //    (everyone else in the room)  Keerthi Reddy Kandi has joined the chat room!
  ASSERT_TRUE(raj->expect_line("Keerthi Reddy Kandi has joined the chat room!"));
  ASSERT_TRUE(zoe->expect_line("Keerthi Reddy Kandi has joined the chat room!"));

  // C: hello  ->  everyone in the room, the sender too.
  keerthi->send_line("hello");
  ASSERT_TRUE(keerthi->expect_line("Message from User - Keerthi Reddy Kandi: hello"));
  ASSERT_TRUE(raj->expect_line("Message from User - Keerthi Reddy Kandi: hello"));
  ASSERT_TRUE(zoe->expect_line("Message from User - Keerthi Reddy Kandi: hello"));

  // C: LEAVE  ->  S: LEAVE, then the server closes; everyone else is told.
  keerthi->send_line("LEAVE");
  ASSERT_TRUE(keerthi->expect_line("LEAVE"));
  ASSERT_TRUE(keerthi->expect_closed());
  ASSERT_TRUE(raj->expect_line("Keerthi Reddy Kandi left the chat room."));
  ASSERT_TRUE(zoe->expect_line("Keerthi Reddy Kandi left the chat room."));

  // The room goes on without Keerthi.
  ASSERT_TRUE(say(*zoe, "Zoë", "still here", {raj.get(), zoe.get()}));

  // The seed's log lines, with the client's real address and port.
  EXPECT_TRUE(server.wait_for_log(endpoint + " has connected."))
      << "no \"" << endpoint << " has connected.\" in the log:\n"
      << server.log_text();
  EXPECT_TRUE(server.wait_for_log(endpoint + " has disconnected."))
      << "no \"" << endpoint << " has disconnected.\" in the log:\n"
      << server.log_text();
}

// The report's own example run: Keerthi Reddy Kandi and Raj Ingle join, chat,
// Keerthi LEAVEs, and Raj is told.
TEST(Seed, ReportExampleRun) {
  ServerProcess server;
  auto keerthi = connect(server, "Keerthi Reddy Kandi");
  ASSERT_TRUE(server.wait_for_log(keerthi->local_endpoint() + " has connected."))
      << "the log should say the connection arrived:\n"
      << server.log_text();
  ASSERT_TRUE(keerthi->register_as("Keerthi Reddy Kandi"));

  auto raj = connect(server, "Raj Ingle");
  ASSERT_TRUE(raj->register_as("Raj Ingle"));
  // Keerthi got notified that Raj has joined.
  ASSERT_TRUE(keerthi->expect_line("Raj Ingle has joined the chat room!"));

  ASSERT_TRUE(say(*keerthi, "Keerthi Reddy Kandi", "Hi Raj", {keerthi.get(), raj.get()}));
  ASSERT_TRUE(say(*raj, "Raj Ingle", "Hello Keerthi, how are you?", {keerthi.get(), raj.get()}));
  ASSERT_TRUE(say(*keerthi, "Keerthi Reddy Kandi", "Fine. Bye for now", {keerthi.get(), raj.get()}));

  const std::string endpoint = keerthi->local_endpoint();
  keerthi->send_line("LEAVE");
  ASSERT_TRUE(keerthi->expect_line("LEAVE"));
  ASSERT_TRUE(keerthi->expect_closed());
  ASSERT_TRUE(raj->expect_line("Keerthi Reddy Kandi left the chat room."));
  EXPECT_TRUE(server.wait_for_log(endpoint + " has disconnected."))
      << "no \"" << endpoint << " has disconnected.\" in the log:\n"
      << server.log_text();
}

// Lines may end in "\r\n": the name, a message and LEAVE all work.
TEST(Seed, CrLfLineEndings) {
  ServerProcess server;
  auto raj = connect(server, "Raj Ingle");
  ASSERT_TRUE(raj->register_as("Raj Ingle"));
  auto zoe = connect(server, "Zoë");
  ASSERT_TRUE(zoe->expect_line(kGreeting));
  zoe->send_raw("Zoë\r\n");
  ASSERT_TRUE(zoe->expect_line(welcome_line("Zoë")));
  ASSERT_TRUE(raj->expect_line(joined_line("Zoë")));
  zoe->send_raw("hello there\r\n");
  ASSERT_TRUE(zoe->expect_line(message_line("Zoë", "hello there")));
  ASSERT_TRUE(raj->expect_line(message_line("Zoë", "hello there")));
  zoe->send_raw("LEAVE\r\n");
  ASSERT_TRUE(zoe->expect_line("LEAVE"));
  ASSERT_TRUE(zoe->expect_closed());
  ASSERT_TRUE(raj->expect_line(left_line("Zoë")));
}

// A name and a message arriving one byte at a time are framed the same.
TEST(Seed, LinesSplitAcrossWrites) {
  ServerProcess server;
  auto raj = connect(server, "Raj Ingle");
  ASSERT_TRUE(raj->register_as("Raj Ingle"));
  auto zoe = connect(server, "Zoë");
  ASSERT_TRUE(zoe->expect_line(kGreeting));
  for (char c : std::string("Zoë\nbyte by byte\n")) zoe->send_raw(std::string(1, c));
  ASSERT_TRUE(zoe->expect_line(welcome_line("Zoë")));
  ASSERT_TRUE(raj->expect_line(joined_line("Zoë")));
  ASSERT_TRUE(zoe->expect_line(message_line("Zoë", "byte by byte")));
  ASSERT_TRUE(raj->expect_line(message_line("Zoë", "byte by byte")));
  // Several lines in one write are several messages, in order.
  zoe->send_raw("one\ntwo\nthree\n");
  for (const char* t : {"one", "two", "three"}) {
    ASSERT_TRUE(zoe->expect_line(message_line("Zoë", t)));
    ASSERT_TRUE(raj->expect_line(message_line("Zoë", t)));
  }
}

// A client that drops without LEAVE (FIN) is announced like one that LEAVEs.
TEST(Seed, DropWithoutLeaveIsAnnounced) {
  ServerProcess server;
  auto raj = connect(server, "Raj Ingle");
  ASSERT_TRUE(raj->register_as("Raj Ingle"));
  auto zoe = connect(server, "Zoë");
  ASSERT_TRUE(join_room(*zoe, "Zoë", {raj.get()}));
  const std::string endpoint = zoe->local_endpoint();
  zoe->close();
  ASSERT_TRUE(raj->expect_line("Zoë left the chat room."));
  EXPECT_TRUE(server.wait_for_log(endpoint + " has disconnected."))
      << "no \"" << endpoint << " has disconnected.\" in the log:\n"
      << server.log_text();
  // The name is free again.
  auto zoe2 = connect(server, "Zoë again");
  ASSERT_TRUE(join_room(*zoe2, "Zoë", {raj.get()}));
}

// A client whose connection is reset (SO_LINGER 0 -> RST) is announced too.
TEST(Seed, ResetConnectionIsAnnounced) {
  ServerProcess server;
  auto raj = connect(server, "Raj Ingle");
  ASSERT_TRUE(raj->register_as("Raj Ingle"));
  auto zoe = connect(server, "Zoë");
  ASSERT_TRUE(join_room(*zoe, "Zoë", {raj.get()}));
  const std::string endpoint = zoe->local_endpoint();
  zoe->reset();
  ASSERT_TRUE(raj->expect_line("Zoë left the chat room."));
  EXPECT_TRUE(server.wait_for_log(endpoint + " has disconnected."))
      << "no \"" << endpoint << " has disconnected.\" in the log:\n"
      << server.log_text();
  ASSERT_TRUE(say(*raj, "Raj Ingle", "anyone?", {raj.get()}));
}

// A client that leaves half-way through sending a line (no '\n' yet) is
// announced, and its partial line is not sent as a message.
TEST(Seed, DropInTheMiddleOfALine) {
  ServerProcess server;
  auto raj = connect(server, "Raj Ingle");
  ASSERT_TRUE(raj->register_as("Raj Ingle"));
  auto zoe = connect(server, "Zoë");
  ASSERT_TRUE(join_room(*zoe, "Zoë", {raj.get()}));
  zoe->send_raw("half a li");
  zoe->close();
  ASSERT_TRUE(raj->expect_line("Zoë left the chat room."));
}

// A connection that never registered is not announced when it drops; the log
// still records it.
TEST(Seed, UnregisteredDropIsNotAnnounced) {
  ServerProcess server;
  auto raj = connect(server, "Raj Ingle");
  ASSERT_TRUE(raj->register_as("Raj Ingle"));
  auto anon = connect(server, "anonymous");
  const std::string endpoint = anon->local_endpoint();
  ASSERT_TRUE(anon->expect_line(kGreeting));
  anon->close();
  ASSERT_TRUE(server.wait_for_log(endpoint + " has disconnected."))
      << "no \"" << endpoint << " has disconnected.\" in the log:\n"
      << server.log_text();
  // Raj's next line is Zoë joining, not a departure.
  auto zoe = connect(server, "Zoë");
  ASSERT_TRUE(join_room(*zoe, "Zoë", {raj.get()}));
}

// LEAVE at the name prompt closes the connection, as LEAVE does; any case.
TEST(Seed, LeaveAtNamePrompt) {
  ServerProcess server;
  auto raj = connect(server, "Raj Ingle");
  ASSERT_TRUE(raj->register_as("Raj Ingle"));
  for (const char* typed : {"LEAVE", "leave", "Leave"}) {
    SCOPED_TRACE(typed);
    auto c = connect(server, typed);
    ASSERT_TRUE(c->expect_line(kGreeting));
    c->send_line(typed);
    ASSERT_TRUE(c->expect_line("LEAVE"));
    ASSERT_TRUE(c->expect_closed());
  }
  // Nobody joined or left as far as Raj can tell.
  auto zoe = connect(server, "Zoë");
  ASSERT_TRUE(join_room(*zoe, "Zoë", {raj.get()}));
}

// The sender of a message sees it too, even alone in the room.
TEST(Seed, AloneInTheRoomSeesOwnMessage) {
  ServerProcess server;
  auto raj = connect(server, "Raj Ingle");
  ASSERT_TRUE(raj->register_as("Raj Ingle"));
  ASSERT_TRUE(say(*raj, "Raj Ingle", "echo?", {raj.get()}));
}

}  // namespace
}  // namespace parley::test
