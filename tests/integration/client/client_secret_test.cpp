// The real client at a terminal (a pseudo-terminal here): a password typed
// after /register or /login is drawn as '*' and never shown, while the
// server receives it as typed.

#include <gtest/gtest.h>
#include <poll.h>
#include <pty.h>
#include <signal.h>
#include <sys/wait.h>
#include <unistd.h>

#include <chrono>
#include <cstdlib>
#include <filesystem>
#include <string>

#include "peer_socket.hpp"

namespace parley::test {
namespace {

using namespace std::chrono_literals;

// What the terminal showed until `needle` came, or until the deadline.
std::string read_terminal(int fd, std::string& shown, std::string_view needle, Deadline deadline) {
  char buffer[4096];
  while (shown.find(needle) == std::string::npos && wait_readable(fd, deadline)) {
    const ssize_t n = ::read(fd, buffer, sizeof buffer);
    if (n <= 0) break;
    shown.append(buffer, static_cast<std::size_t>(n));
  }
  return shown;
}

TEST(ParleyAtATerminal, PasswordsAreDrawnAsStarsAndNeverShown) {
  PeerSocket peer;
  // The input history goes to a directory of the test's, not the user's.
  std::string state_home = (std::filesystem::temp_directory_path() / "parley-secret-XXXXXX").string();
  ASSERT_NE(::mkdtemp(state_home.data()), nullptr);
  int terminal = -1;
  const pid_t pid = ::forkpty(&terminal, nullptr, nullptr, nullptr);
  ASSERT_GE(pid, 0);
  if (pid == 0) {
    const std::string port = std::to_string(peer.port());
    ::setenv("TERM", "xterm", 1);
    ::setenv("XDG_STATE_HOME", state_home.c_str(), 1);
    ::execl(PARLEY_CLIENT_BIN, PARLEY_CLIENT_BIN, "--no-color", "127.0.0.1", port.c_str(), nullptr);
    ::_exit(127);
  }
  const Deadline deadline = std::chrono::steady_clock::now() + 20s;
  ASSERT_TRUE(peer.accept(deadline));
  std::string shown;
  // Typed once the prompt is up, as a person would: before, the terminal
  // itself (not the client) would echo the keys.
  read_terminal(terminal, shown, "> ", deadline);
  ASSERT_NE(shown.find("> "), std::string::npos) << shown;
  for (char c : std::string("/register hunter2\r")) {  // key by key
    ASSERT_EQ(::write(terminal, &c, 1), 1);
  }
  const std::string sent = peer.read_until("/register hunter2\n", deadline);
  EXPECT_NE(sent.find("/register hunter2\n"), std::string::npos) << sent;  // the server gets the password
  for (char c : std::string("/login raj s3cret\r")) ASSERT_EQ(::write(terminal, &c, 1), 1);
  EXPECT_NE(peer.read_until("/login raj s3cret\n", deadline).find("/login raj s3cret\n"), std::string::npos);
  peer.send("done\n");
  read_terminal(terminal, shown, "done", deadline);
  EXPECT_EQ(shown.find("hunter2"), std::string::npos) << shown;
  EXPECT_EQ(shown.find("s3cret"), std::string::npos) << shown;
  EXPECT_NE(shown.find("*******"), std::string::npos) << shown;
  EXPECT_NE(shown.find("/login raj"), std::string::npos) << shown;  // the name is shown
  // Up arrow: the history holds neither line.
  ASSERT_EQ(::write(terminal, "\x1b[A\r", 4), 4);
  peer.send("again\n");
  read_terminal(terminal, shown, "again", deadline);
  EXPECT_EQ(shown.find("hunter2"), std::string::npos);
  ::kill(pid, SIGTERM);
  int status = 0;
  ::waitpid(pid, &status, 0);
  ::close(terminal);
  std::error_code ec;
  std::filesystem::remove_all(state_home, ec);
}

}  // namespace
}  // namespace parley::test
