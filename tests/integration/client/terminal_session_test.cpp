// The real client at a terminal (a pseudo-terminal here) against a peer the
// test scripts as the server: the prompt names the room, Tab completes a
// member's name, lines start with the local time, Ctrl-C asks before it
// throws a draft away, and the input history is kept between runs in
// $XDG_STATE_HOME/parley/history, bounded, without passwords.

#include <gtest/gtest.h>
#include <pty.h>
#include <signal.h>
#include <sys/wait.h>
#include <unistd.h>

#include <chrono>
#include <cstdlib>
#include <filesystem>
#include <fstream>
#include <regex>
#include <string>
#include <vector>

#include "peer_socket.hpp"

namespace parley::test {
namespace {

using namespace std::chrono_literals;

constexpr std::string_view kGreeting = "Welcome to Chat room. To join enter your Name and begin chatting.\n";

// A fresh directory for XDG_STATE_HOME, removed afterwards.
class StateHome {
 public:
  StateHome() {
    std::string pattern = (std::filesystem::temp_directory_path() / "parley-client-XXXXXX").string();
    if (::mkdtemp(pattern.data()) != nullptr) path_ = pattern;
  }
  ~StateHome() {
    std::error_code ec;
    if (!path_.empty()) std::filesystem::remove_all(path_, ec);
  }
  const std::filesystem::path& path() const { return path_; }
  std::filesystem::path history() const { return path_ / "parley" / "history"; }

 private:
  std::filesystem::path path_;
};

std::vector<std::string> lines_of(const std::filesystem::path& file) {
  std::ifstream in(file);
  std::vector<std::string> lines;
  for (std::string line; std::getline(in, line);) lines.push_back(line);
  return lines;
}

// `parley --no-color 127.0.0.1 PORT` on a pseudo-terminal.
class Terminal {
 public:
  Terminal(std::uint16_t port, const std::filesystem::path& state_home) {
    pid_ = ::forkpty(&fd_, nullptr, nullptr, nullptr);
    if (pid_ == 0) {
      const std::string port_text = std::to_string(port);
      ::setenv("TERM", "xterm", 1);
      ::setenv("XDG_STATE_HOME", state_home.c_str(), 1);
      ::execl(PARLEY_CLIENT_BIN, PARLEY_CLIENT_BIN, "--no-color", "127.0.0.1", port_text.c_str(), nullptr);
      ::_exit(127);
    }
  }
  ~Terminal() {
    if (pid_ > 0) {
      ::kill(pid_, SIGKILL);
      ::waitpid(pid_, nullptr, 0);
    }
    if (fd_ >= 0) ::close(fd_);
  }
  bool started() const { return pid_ > 0 && fd_ >= 0; }

  // Key by key, as a person types.
  void type(std::string_view keys) {
    for (char c : keys) ASSERT_EQ(::write(fd_, &c, 1), 1);
  }
  // Reads what the terminal shows until it holds `needle` (counting from
  // `from`); false at the deadline.
  bool wait_shown(std::string_view needle, Deadline deadline, std::size_t from = 0) {
    char buffer[4096];
    while (shown_.find(needle, from) == std::string::npos) {
      if (!wait_readable(fd_, deadline)) return false;
      const ssize_t n = ::read(fd_, buffer, sizeof buffer);
      if (n <= 0) return false;
      shown_.append(buffer, static_cast<std::size_t>(n));
    }
    return true;
  }
  // Reads until the terminal shows more than its first `size` bytes.
  bool wait_more(std::size_t size, Deadline deadline) {
    char buffer[4096];
    while (shown_.size() <= size) {
      if (!wait_readable(fd_, deadline)) return false;
      const ssize_t n = ::read(fd_, buffer, sizeof buffer);
      if (n <= 0) return false;
      shown_.append(buffer, static_cast<std::size_t>(n));
    }
    return true;
  }
  const std::string& shown() const { return shown_; }
  // The exit status, or -1 when it did not exit in time.
  int wait_exit(Deadline deadline) {
    while (std::chrono::steady_clock::now() < deadline) {
      char buffer[4096];
      if (wait_readable(fd_, std::min(deadline, std::chrono::steady_clock::now() + 100ms))) {
        const ssize_t n = ::read(fd_, buffer, sizeof buffer);
        if (n > 0) shown_.append(buffer, static_cast<std::size_t>(n));
      }
      int status = 0;
      if (::waitpid(pid_, &status, WNOHANG) == pid_) {
        pid_ = -1;
        return WIFEXITED(status) ? WEXITSTATUS(status) : 128 + WTERMSIG(status);
      }
    }
    return -1;
  }

 private:
  pid_t pid_ = -1;
  int fd_ = -1;
  std::string shown_;
};

// Up to the welcome, the client's own /who and its answer: at the prompt in #lobby.
void log_in(PeerSocket& peer, Terminal& terminal, std::string_view members, Deadline deadline) {
  ASSERT_TRUE(peer.accept(deadline));
  peer.send(kGreeting);
  ASSERT_TRUE(terminal.wait_shown("To join enter your Name", deadline)) << terminal.shown();
  terminal.type("Raj Ingle\r");
  ASSERT_NE(peer.read_until("Raj Ingle\n", deadline).find("Raj Ingle\n"), std::string::npos);
  peer.send("Welcome Raj Ingle to chatroom! Enter LEAVE to exit the chatroom\n");
  const std::string asked = peer.read_until("/who\n", deadline);
  ASSERT_NE(asked.find("Raj Ingle\n/who\n"), std::string::npos) << asked;
  peer.send(members);
  ASSERT_TRUE(terminal.wait_shown("#lobby> ", deadline)) << terminal.shown();
}

TEST(ParleyAtATerminal, PromptTabTimesAndCtrlC) {
  StateHome home;
  ASSERT_FALSE(home.path().empty());
  PeerSocket peer;
  Terminal terminal(peer.port(), home.path());
  ASSERT_TRUE(terminal.started());
  const Deadline deadline = std::chrono::steady_clock::now() + 20s;
  log_in(peer, terminal, "Members of #lobby (2): Raj Ingle, Zoë Adams (operator)\n", deadline);
  // Lines start with the local time; the answer to the client's own /who is not shown.
  EXPECT_TRUE(std::regex_search(terminal.shown(), std::regex("[0-2][0-9]:[0-5][0-9] Welcome Raj Ingle to chatroom")))
      << terminal.shown();
  EXPECT_EQ(terminal.shown().find("Members of"), std::string::npos) << terminal.shown();

  // Tab completes a member's name (": " at the start of a line).
  terminal.type("Zo\thello\r");
  std::string received = peer.read_until("hello\n", deadline);
  EXPECT_NE(received.find("/who\nZoë Adams: hello\n"), std::string::npos) << received;

  // The room in the prompt follows the server's words.
  peer.send("You joined #games. Members (1): Raj Ingle\n");
  ASSERT_TRUE(terminal.wait_shown("#games> ", deadline)) << terminal.shown();

  // Ctrl-C with a draft asks; a second one throws the draft away, and the
  // connection stays.
  const std::size_t before_draft = terminal.shown().size();
  terminal.type("draft");
  // Ctrl-C reaches the client as a signal at once, the keys before it only
  // when read: wait until they are drawn.
  ASSERT_TRUE(terminal.wait_shown("draft", deadline, before_draft)) << terminal.shown();
  terminal.type("\x03");
  ASSERT_TRUE(terminal.wait_shown("press Ctrl-C again to throw away", deadline)) << terminal.shown();
  const std::size_t before_discard = terminal.shown().size();
  terminal.type("\x03");
  // The line is drawn again, empty, once the client has the signal.
  ASSERT_TRUE(terminal.wait_more(before_discard, deadline)) << terminal.shown();
  terminal.type("after\r");
  received = peer.read_until("after\n", deadline);
  EXPECT_NE(received.find("hello\nafter\n"), std::string::npos) << received << "\nshown:\n" << terminal.shown();
  // On an empty line, Ctrl-C leaves.
  terminal.type("\x03");
  received = peer.read_until("LEAVE\n", deadline);
  EXPECT_NE(received.find("after\nLEAVE\n"), std::string::npos) << received;
  peer.send("LEAVE\n");
  peer.close();
  EXPECT_EQ(terminal.wait_exit(deadline), 0) << terminal.shown();

  const auto history = lines_of(home.history());
  EXPECT_EQ(history, (std::vector<std::string>{"Raj Ingle", "Zoë Adams: hello", "after"}));
}

TEST(ParleyAtATerminal, HistoryIsKeptBetweenRunsBoundedAndWithoutPasswords) {
  StateHome home;
  ASSERT_FALSE(home.path().empty());
  std::filesystem::create_directories(home.history().parent_path());
  {
    std::ofstream out(home.history());
    for (int i = 0; i < 1200; ++i) out << "old " << i << '\n';
  }
  PeerSocket peer;
  Terminal terminal(peer.port(), home.path());
  ASSERT_TRUE(terminal.started());
  const Deadline deadline = std::chrono::steady_clock::now() + 20s;
  log_in(peer, terminal, "Members of #lobby (1): Raj Ingle\n", deadline);
  // Up twice: the line before "Raj Ingle" is the last of the earlier runs.
  terminal.type("\x1b[A\x1b[A\r");
  std::string received = peer.read_until("old 1199\n", deadline);
  EXPECT_NE(received.find("/who\nold 1199\n"), std::string::npos) << received;
  terminal.type("/login raj s3cret\r");
  terminal.type("/register hunter22\r");
  terminal.type("last line\r");
  received = peer.read_until("last line\n", deadline);
  EXPECT_NE(received.find("/register hunter22\nlast line\n"), std::string::npos) << received;
  terminal.type("\x03");
  peer.read_until("LEAVE\n", deadline);
  peer.send("LEAVE\n");
  peer.close();
  EXPECT_EQ(terminal.wait_exit(deadline), 0) << terminal.shown();

  // At most 1000 lines: the oldest went; the passwords never came.
  const auto history = lines_of(home.history());
  ASSERT_EQ(history.size(), 1000u);
  EXPECT_EQ(history[history.size() - 5], "old 1198");
  EXPECT_EQ(history[history.size() - 4], "old 1199");
  EXPECT_EQ(history[history.size() - 3], "Raj Ingle");
  EXPECT_EQ(history[history.size() - 2], "old 1199");
  EXPECT_EQ(history.back(), "last line");
  for (const auto& line : history) {
    EXPECT_EQ(line.find("s3cret"), std::string::npos);
    EXPECT_EQ(line.find("hunter22"), std::string::npos);
  }
  // The file is the user's alone.
  const auto perms = std::filesystem::status(home.history()).permissions();
  EXPECT_EQ(perms & (std::filesystem::perms::group_all | std::filesystem::perms::others_all),
            std::filesystem::perms::none);
}

}  // namespace
}  // namespace parley::test
