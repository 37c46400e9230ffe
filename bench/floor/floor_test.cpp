// parley-floor, the real binary, on an ephemeral loopback port: what
// parley-bench's IRC mode needs from it, and the relay itself.
#include <arpa/inet.h>
#include <netinet/in.h>
#include <poll.h>
#include <signal.h>
#include <sys/socket.h>
#include <sys/wait.h>
#include <unistd.h>

#include <chrono>
#include <cstring>
#include <string>
#include <vector>

#include <gtest/gtest.h>

namespace {

using Clock = std::chrono::steady_clock;
constexpr auto kDeadline = std::chrono::seconds(10);  // each wait; a reply takes milliseconds

// Reads lines from `fd` until one equals `want` or the deadline passes;
// returns every line read, the match last (or all of them on timeout).
std::vector<std::string> read_until(int fd, std::string& buffer, const std::string& want) {
  std::vector<std::string> lines;
  const auto end = Clock::now() + kDeadline;
  for (;;) {
    for (auto nl = buffer.find('\n'); nl != std::string::npos; nl = buffer.find('\n')) {
      std::string line = buffer.substr(0, nl);
      buffer.erase(0, nl + 1);
      if (!line.empty() && line.back() == '\r') line.pop_back();
      lines.push_back(line);
      if (line == want) return lines;
    }
    const auto left = std::chrono::duration_cast<std::chrono::milliseconds>(end - Clock::now()).count();
    if (left <= 0) return lines;
    pollfd p{fd, POLLIN, 0};
    if (poll(&p, 1, static_cast<int>(left)) <= 0) continue;
    char buf[4096];
    const ssize_t n = read(fd, buf, sizeof buf);
    if (n <= 0) return lines;
    buffer.append(buf, static_cast<std::size_t>(n));
  }
}

// Starts the binary and reads its "listening" line for the port.
struct Started {
  pid_t pid = -1;
  int port = 0;
};

Started start_floor() {
  Started s;
  int out[2];
  if (pipe(out) != 0) return s;
  s.pid = fork();
  if (s.pid == 0) {
    dup2(out[1], STDOUT_FILENO);
    close(out[0]);
    close(out[1]);
    execl(PARLEY_FLOOR_BIN, PARLEY_FLOOR_BIN, "--host", "127.0.0.1", "--port", "0", static_cast<char*>(nullptr));
    _exit(127);
  }
  close(out[1]);
  std::string buffer;
  const std::string prefix = "floor: listening on 127.0.0.1:";
  const auto end = Clock::now() + kDeadline;
  while (Clock::now() < end && buffer.find('\n') == std::string::npos) {
    pollfd p{out[0], POLLIN, 0};
    if (poll(&p, 1, 100) <= 0) continue;
    char buf[256];
    const ssize_t n = read(out[0], buf, sizeof buf);
    if (n <= 0) break;
    buffer.append(buf, static_cast<std::size_t>(n));
  }
  close(out[0]);
  if (buffer.rfind(prefix, 0) == 0) s.port = std::atoi(buffer.c_str() + prefix.size());
  return s;
}

class Client {
 public:
  explicit Client(int port) {
    fd_ = socket(AF_INET, SOCK_STREAM, 0);
    sockaddr_in addr{};
    addr.sin_family = AF_INET;
    addr.sin_port = htons(static_cast<std::uint16_t>(port));
    inet_pton(AF_INET, "127.0.0.1", &addr.sin_addr);
    connected_ = connect(fd_, reinterpret_cast<sockaddr*>(&addr), sizeof addr) == 0;
  }
  ~Client() { close(fd_); }
  bool connected() const { return connected_; }
  void send(const std::string& s) { ASSERT_EQ(::send(fd_, s.data(), s.size(), MSG_NOSIGNAL), static_cast<ssize_t>(s.size())); }
  // Every line up to and including `want`; fails the test if it never comes.
  std::vector<std::string> expect(const std::string& want) {
    auto lines = read_until(fd_, buffer_, want);
    EXPECT_TRUE(!lines.empty() && lines.back() == want) << "never received: " << want;
    return lines;
  }

 private:
  int fd_ = -1;
  bool connected_ = false;
  std::string buffer_;
};

class FloorTest : public ::testing::Test {
 protected:
  void SetUp() override {
    floor_ = start_floor();
    ASSERT_GT(floor_.pid, 0);
    ASSERT_GT(floor_.port, 0) << "no listening line from " << PARLEY_FLOOR_BIN;
  }
  void TearDown() override {
    if (floor_.pid <= 0) return;
    kill(floor_.pid, SIGTERM);
    int status = 0;
    waitpid(floor_.pid, &status, 0);
    EXPECT_TRUE(WIFEXITED(status) && WEXITSTATUS(status) == 0) << "SIGTERM should end it cleanly";
  }
  void register_as(Client& c, const std::string& nick) {
    ASSERT_TRUE(c.connected());
    c.send("NICK " + nick + "\r\nUSER " + nick + " 0 * :" + nick + "\r\n");
    c.expect(":floor 001 " + nick + " :Welcome to the floor " + nick);
    c.expect(":floor 422 " + nick + " :MOTD File is missing");
  }
  Started floor_;
};

TEST_F(FloorTest, RelaysARoomMessageToTheOtherMembersOnly) {
  Client a(floor_.port), b(floor_.port);
  register_as(a, "a");
  register_as(b, "b");
  a.send("JOIN #t\r\n");
  a.expect(":a!a@127.0.0.1 JOIN #t");
  a.expect(":floor 366 a #t :End of /NAMES list.");
  b.send("JOIN #T\r\n");  // room names ignore ASCII case; the first joiner's spelling stays
  b.expect(":b!b@127.0.0.1 JOIN #t");
  b.expect(":floor 366 b #t :End of /NAMES list.");
  a.expect(":b!b@127.0.0.1 JOIN #t");

  b.send("PRIVMSG #t :hello there\r\n");
  a.expect(":b!b@127.0.0.1 PRIVMSG #t :hello there");
  // No echo to the sender: nothing but the PONG comes back before the PONG.
  b.send("PING :after\r\n");
  const auto lines = b.expect(":floor PONG floor :after");
  EXPECT_EQ(lines.size(), 1u) << "first line back: " << lines.front();
}

TEST_F(FloorTest, AnswersCapAsAServerWithoutIt) {
  Client c(floor_.port);
  ASSERT_TRUE(c.connected());
  c.send("CAP LS 302\r\n");
  c.expect(":floor 421 * CAP :Unknown command");
  c.send("PING token\r\n");
  c.expect(":floor PONG floor :token");
}

}  // namespace
