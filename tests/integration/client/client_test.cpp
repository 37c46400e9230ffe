// The real `parley` binary in script mode (pipes, not a terminal) against a
// peer socket the test accepts on. Every wait has a deadline; no sleeps.

#include <gtest/gtest.h>
#include <netinet/in.h>
#include <sys/socket.h>
#include <unistd.h>

#include <algorithm>
#include <csignal>
#include <stdexcept>
#include <string>

#include "client_process.hpp"
#include "peer_socket.hpp"

namespace parley::test {
namespace {

using namespace std::chrono_literals;

Deadline soon() { return std::chrono::steady_clock::now() + 10s; }

// A client connected to a fresh peer.
struct Connected {
  PeerSocket peer;
  ClientProcess client{{"127.0.0.1", std::to_string(peer.port())}};

  Connected() {
    if (!peer.accept(soon())) throw std::runtime_error("the client did not connect");
  }
  std::string lost_message() const {
    return "parley: connection to 127.0.0.1:" + std::to_string(peer.port()) + " lost";
  }
};

// True when `text` holds nothing a terminal would act on: no C0 control
// character but "\n", no DEL, no C1 control character (as UTF-8), no bidi
// override or isolate.
bool terminal_safe(const std::string& text) {
  for (std::size_t i = 0; i < text.size(); ++i) {
    const auto c = static_cast<unsigned char>(text[i]);
    if ((c < 0x20 && c != '\n') || c == 0x7F) return false;
    if (c == 0xC2 && i + 1 < text.size() && static_cast<unsigned char>(text[i + 1]) <= 0x9F) return false;
  }
  for (const char* bidi : {"\u202A", "\u202B", "\u202C", "\u202D", "\u202E", "\u2066", "\u2067", "\u2068", "\u2069"}) {
    if (text.find(bidi) != std::string::npos) return false;
  }
  return true;
}

TEST(ParleyClient, SendsEachTypedLineEndingInNewline) {
  Connected c;
  c.client.type("hello\nsecond line\r\n");
  EXPECT_EQ(c.peer.read_until("second line\n", soon()), "hello\nsecond line\n");
  c.client.type("no newline at the end");
  c.client.end_input();
  std::string received;
  ASSERT_TRUE(c.peer.read_until_eof(received, soon())) << "the client did not end its half of the stream";
  EXPECT_EQ(received, "hello\nsecond line\nno newline at the end\n");
  c.peer.close();
  const auto exit = c.client.wait(soon());
  ASSERT_TRUE(exit.exited);
  EXPECT_EQ(exit.code, 0) << c.client.err();
}

TEST(ParleyClient, PrintsServerLinesAsTheyArrive) {
  Connected c;
  const std::string welcome = "Welcome to Chat room. To join enter your Name and begin chatting.";
  c.peer.send(welcome + "\n");
  ASSERT_TRUE(c.client.wait_for_output(welcome + "\n", soon())) << c.client.out();

  // A line split across two sends is printed whole, once it is complete.
  c.peer.send("Message from User - Zo\xC3");
  c.peer.send("\xAB: hi\r\n[#games] * Raj Ingle waves\n");
  ASSERT_TRUE(c.client.wait_for_output("waves\n", soon())) << c.client.out();

  c.client.end_input();
  std::string received;
  ASSERT_TRUE(c.peer.read_until_eof(received, soon()));
  c.peer.close();
  const auto exit = c.client.wait(soon());
  ASSERT_TRUE(exit.exited);
  EXPECT_EQ(exit.code, 0) << c.client.err();
  // Exactly the lines: no prompt, no colour.
  EXPECT_EQ(c.client.out(), welcome + "\nMessage from User - Zoë: hi\n[#games] * Raj Ingle waves\n");
  EXPECT_EQ(c.client.err(), "");
}

TEST(ParleyClient, NeverPrintsControlCharactersFromThePeer) {
  Connected c;
  c.peer.send(
      "a\x1b[31mred\x1b[0m \x07" "bell\x08\x7f \xC2\x9B" "2J \xE2\x80\xAE" "evil\xE2\x81\xA6 \xFF\xC0\xAF ok\t!\r\n"
      "\x1b]0;title\x07\n"
      "\xED\xA0\x80 surrogate, \xF0\x9F\x98\x80 emoji, \xE2\x80\x8B kept\n");
  c.client.end_input();
  std::string received;
  ASSERT_TRUE(c.peer.read_until_eof(received, soon()));
  c.peer.close();
  const auto exit = c.client.wait(soon());
  ASSERT_TRUE(exit.exited);
  EXPECT_EQ(exit.code, 0) << c.client.err();

  const std::string fffd = "\xEF\xBF\xBD";
  EXPECT_EQ(c.client.out(), "a[31mred[0m bell 2J evil " + fffd + fffd + fffd + " ok!\n" + "]0;title\n" + fffd +
                                fffd + fffd + " surrogate, \xF0\x9F\x98\x80 emoji, \xE2\x80\x8B kept\n");
  EXPECT_TRUE(terminal_safe(c.client.out()));
}

TEST(ParleyClient, PeerClosingUnexpectedlyIsReportedAndExitsOne) {
  Connected c;
  c.peer.send("Welcome to Chat room. To join enter your Name and begin chatting.\n");
  ASSERT_TRUE(c.client.wait_for_output("begin chatting.\n", soon()));
  c.peer.close();
  const auto exit = c.client.wait(soon());  // its standard input is still open
  ASSERT_TRUE(exit.exited);
  EXPECT_EQ(exit.code, 1);
  EXPECT_EQ(c.client.err(), c.lost_message() + "\n");
}

TEST(ParleyClient, PeerResettingTheConnectionIsReportedAndExitsOne) {
  Connected c;
  c.client.type("hello\n");
  ASSERT_NE(c.peer.read_until("hello\n", soon()).find("hello\n"), std::string::npos);
  c.peer.close(/*reset=*/true);
  const auto exit = c.client.wait(soon());
  ASSERT_TRUE(exit.exited);
  EXPECT_EQ(exit.code, 1);
  EXPECT_NE(c.client.err().find(c.lost_message()), std::string::npos) << c.client.err();
}

TEST(ParleyClient, EndOfInputKeepsPrintingUntilThePeerClosesThenExitsZero) {
  Connected c;
  c.client.end_input();
  std::string received;
  ASSERT_TRUE(c.peer.read_until_eof(received, soon())) << "no half-close at the end of input";
  EXPECT_EQ(received, "");
  // Half-closed, the client still prints what the server sends.
  c.peer.send("Disconnected: see you.\n");
  ASSERT_TRUE(c.client.wait_for_output("Disconnected: see you.\n", soon()));
  c.peer.close();
  const auto exit = c.client.wait(soon());
  ASSERT_TRUE(exit.exited);
  EXPECT_EQ(exit.code, 0) << c.client.err();
  EXPECT_EQ(c.client.err(), "");
}

TEST(ParleyClient, LeaveExitsZeroWhenThePeerCloses) {
  Connected c;
  c.client.type("LEAVE\n");
  EXPECT_EQ(c.peer.read_until("LEAVE\n", soon()), "LEAVE\n");
  c.peer.send("LEAVE\n");
  c.peer.close();
  const auto exit = c.client.wait(soon());  // its standard input is still open
  ASSERT_TRUE(exit.exited);
  EXPECT_EQ(exit.code, 0) << c.client.err();
  EXPECT_EQ(c.client.out(), "LEAVE\n");
}

TEST(ParleyClient, QuitStopsSendingWhatFollows) {
  Connected c;
  c.client.type("/quit gone fishing\nnot sent\n");
  ASSERT_NE(c.peer.read_until("fishing\n", soon()).find("fishing\n"), std::string::npos);
  c.peer.send("LEAVE\n");
  c.peer.end_output();  // as a server closes: the client exits, and so closes its side
  std::string received;
  ASSERT_TRUE(c.peer.read_until_eof(received, soon()));
  EXPECT_EQ(received, "/quit gone fishing\n");
  const auto exit = c.client.wait(soon());
  ASSERT_TRUE(exit.exited);
  EXPECT_EQ(exit.code, 0) << c.client.err();
}

TEST(ParleyClient, SigtermSendsLeave) {
  Connected c;
  c.peer.send("ready?\n");  // once printed, the client's loop (and its signal handling) runs
  ASSERT_TRUE(c.client.wait_for_output("ready?\n", soon()));
  c.client.signal(SIGTERM);
  EXPECT_EQ(c.peer.read_until("LEAVE\n", soon()), "LEAVE\n");
  c.peer.close();
  const auto exit = c.client.wait(soon());
  ASSERT_TRUE(exit.exited);
  EXPECT_EQ(exit.code, 0) << c.client.err();
}

TEST(ParleyClient, RefusedConnectionExitsOne) {
  // A bound socket that does not listen refuses connections.
  const int s = ::socket(AF_INET, SOCK_STREAM | SOCK_CLOEXEC, 0);
  ASSERT_GE(s, 0);
  sockaddr_in addr{};
  addr.sin_family = AF_INET;
  addr.sin_addr.s_addr = htonl(INADDR_LOOPBACK);
  socklen_t len = sizeof addr;
  ASSERT_EQ(::bind(s, reinterpret_cast<sockaddr*>(&addr), sizeof addr), 0);
  ASSERT_EQ(::getsockname(s, reinterpret_cast<sockaddr*>(&addr), &len), 0);
  const auto port = std::to_string(ntohs(addr.sin_port));

  ClientProcess client({"127.0.0.1", port});
  const auto exit = client.wait(soon());
  ::close(s);
  ASSERT_TRUE(exit.exited);
  EXPECT_EQ(exit.code, 1);
  EXPECT_EQ(client.err(), "parley: cannot connect to 127.0.0.1:" + port + ": Connection refused\n");
}

// `parley 7000` is a port (issue 13), `parley HOST:PORT` a host and a port.
TEST(ParleyClient, AcceptsPortAloneAndHostColonPort) {
  for (const auto& form : {std::string("port"), std::string("host:port"), std::string("[host]:port")}) {
    PeerSocket peer;
    const std::string port = std::to_string(peer.port());
    const std::string arg = form == "port" ? port : form == "host:port" ? "127.0.0.1:" + port : "[127.0.0.1]:" + port;
    ClientProcess client({arg});
    ASSERT_TRUE(peer.accept(soon())) << "parley " << arg << " did not connect: " << client.err();
    client.type("hi\n");
    client.end_input();
    std::string received;
    ASSERT_TRUE(peer.read_until_eof(received, soon())) << "the client did not end its half of the stream";
    EXPECT_EQ(received, "hi\n");
    peer.close();
    const auto exit = client.wait(soon());
    ASSERT_TRUE(exit.exited);
    EXPECT_EQ(exit.code, 0) << client.err();
  }
}

// A lost connection is connected again after a second, and the name the
// server welcomed us by answers the new greeting; what was typed meanwhile
// is sent on the new connection (issue 13).
TEST(ParleyClient, ReconnectsAndLogsBackInWithTheSameName) {
  PeerSocket peer;
  ClientProcess client({"--reconnect", "127.0.0.1", std::to_string(peer.port())});
  ASSERT_TRUE(peer.accept(soon()));
  peer.send("Welcome to Chat room. To join enter your Name and begin chatting.\n");
  client.type("Raj Ingle\n");
  EXPECT_EQ(peer.read_until("Raj Ingle\n", soon()), "Raj Ingle\n");
  peer.send("Welcome Raj Ingle to chatroom! Enter LEAVE to exit the chatroom\n");
  peer.close();
  ASSERT_TRUE(peer.accept(soon())) << "no second connection: " << client.err();
  client.type("typed while away\n");  // waits for the name to be given
  peer.send("Welcome to Chat room. To join enter your Name and begin chatting.\n");
  // (The peer keeps what both connections received.)
  const std::string both = peer.read_until("typed while away\n", soon());
  EXPECT_EQ(both, "Raj Ingle\nRaj Ingle\ntyped while away\n");
  client.type("LEAVE\n");
  EXPECT_NE(peer.read_until("LEAVE\n", soon()).find("LEAVE"), std::string::npos);
  peer.close();
  const auto exit = client.wait(soon());
  ASSERT_TRUE(exit.exited);
  EXPECT_EQ(exit.code, 0) << client.err();
  EXPECT_NE(client.err().find("reconnecting to 127.0.0.1:" + std::to_string(peer.port()) + " in 1 s"),
            std::string::npos)
      << client.err();
}

TEST(ParleyClient, UsageErrorsExitTwo) {
  for (const auto& args : {std::vector<std::string>{"127.0.0.1", "notaport"}, {"127.0.0.1", "70000"},
                           {"--bogus"}, {"a", "1", "extra"}, {"127.0.0.1:notaport"}}) {
    ClientProcess client(args);
    const auto exit = client.wait(soon());
    ASSERT_TRUE(exit.exited);
    EXPECT_EQ(exit.code, 2) << args[0];
    EXPECT_NE(client.err(), "") << args[0];
  }
}

TEST(ParleyClient, HelpAndVersionExitZero) {
  ClientProcess help({"--help"});
  const auto help_exit = help.wait(soon());
  ASSERT_TRUE(help_exit.exited);
  EXPECT_EQ(help_exit.code, 0);
  EXPECT_NE(help.out().find("--no-color"), std::string::npos);

  ClientProcess version({"--version"});
  const auto version_exit = version.wait(soon());
  ASSERT_TRUE(version_exit.exited);
  EXPECT_EQ(version_exit.code, 0);
  EXPECT_EQ(version.out().rfind("parley ", 0), 0u) << version.out();
}

}  // namespace
}  // namespace parley::test
