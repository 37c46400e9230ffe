// A real IRC client against the real parleyd: WeeChat (weechat-headless, from
// Debian's weechat-headless package, installed by scripts/install-deps.sh)
// connects over IRC, joins #lobby, talks with a text user, parts, rejoins and
// quits. Everything is asserted from the text user's socket, except that the
// text user's message reached WeeChat, which WeeChat's own log file shows.
//
// WeeChat runs with its own --dir in a temporary folder (and HOME pointing
// there too), only its irc and logger plugins (-P irc,logger), no scripts (-s)
// and no autoconnect (-a); its only connection is the one to parleyd on
// loopback. The commands it runs after connecting are one server option
// ("command": run after the welcome, in order), so the test needs no timing:
// JOIN, PRIVMSG, PART and JOIN reach the server in that order.
//
// The test stops WeeChat itself (SIGTERM, then SIGKILL past a deadline) and
// reaps it, whatever happens.

#include <fcntl.h>
#include <poll.h>
#include <signal.h>
#include <sys/prctl.h>
#include <sys/syscall.h>
#include <sys/wait.h>
#include <unistd.h>

#include <filesystem>
#include <fstream>
#include <sstream>

#include "irc_client.hpp"
#include "itest_util.hpp"

extern char** environ;

namespace parley::test {
namespace {

constexpr const char* kWeechat = "/usr/bin/weechat-headless";

std::string read_text_file(const std::filesystem::path& path) {
  std::ifstream in(path, std::ios::binary);
  std::stringstream s;
  s << in.rdbuf();
  return s.str();
}

// The last `n` lines of `text`, for failure messages.
std::string tail(const std::string& text, std::size_t n = 40) {
  std::size_t at = text.size();
  for (std::size_t lines = 0; at > 0 && lines <= n; --at) {
    if (text[at - 1] == '\n') ++lines;
  }
  return text.substr(at);
}

// One child process, started with fork/exec, stopped and reaped on destruction.
class ChildProcess {
 public:
  ChildProcess(std::vector<std::string> args, std::vector<std::string> env, const std::filesystem::path& output) {
    std::vector<char*> argv, envp;
    for (auto& a : args) argv.push_back(a.data());
    argv.push_back(nullptr);
    for (auto& e : env) envp.push_back(e.data());
    envp.push_back(nullptr);
    UniqueFd out(::open(output.c_str(), O_WRONLY | O_CREAT | O_TRUNC | O_CLOEXEC, 0600));
    if (!out) throw std::system_error(errno, std::generic_category(), "open " + output.string());
    pid_t pid = ::fork();
    if (pid < 0) throw std::system_error(errno, std::generic_category(), "fork");
    if (pid == 0) {
      // Only async-signal-safe calls from here on.
      ::prctl(PR_SET_PDEATHSIG, SIGKILL);
      int devnull = ::open("/dev/null", O_RDONLY);
      if (devnull >= 0) ::dup2(devnull, 0);
      ::dup2(out.get(), 1);
      ::dup2(out.get(), 2);
      struct sigaction dfl {};
      dfl.sa_handler = SIG_DFL;
      for (int s : {SIGPIPE, SIGTERM, SIGINT, SIGHUP, SIGCHLD}) ::sigaction(s, &dfl, nullptr);
      sigset_t none;
      sigemptyset(&none);
      ::sigprocmask(SIG_SETMASK, &none, nullptr);
      ::execve(argv[0], argv.data(), envp.data());
      ::_exit(127);
    }
    pid_ = pid;
  }
  ChildProcess(const ChildProcess&) = delete;
  ChildProcess& operator=(const ChildProcess&) = delete;
  ~ChildProcess() { stop(scaled(std::chrono::seconds(10))); }

  bool running() const { return pid_ > 0; }

  // Waits up to `timeout` for the process to exit; reaps it. The wait status,
  // or nullopt if it is still running.
  std::optional<int> wait_exit(Duration timeout) {
    if (!running()) return status_;
    auto deadline = Clock::now() + timeout;
#ifdef SYS_pidfd_open
    UniqueFd pidfd(static_cast<int>(::syscall(SYS_pidfd_open, pid_, 0)));
#else
    UniqueFd pidfd;
#endif
    for (;;) {
      int status = 0;
      pid_t r = ::waitpid(pid_, &status, WNOHANG);
      if (r == pid_) {
        pid_ = -1;
        status_ = status;
        return status_;
      }
      if (Clock::now() >= deadline) return std::nullopt;
      if (pidfd) {
        pollfd p{pidfd.get(), POLLIN, 0};
        ::poll(&p, 1, static_cast<int>(remaining(deadline).count()));
      } else {
        ::poll(nullptr, 0, 10);  // no pidfd (old kernel): check waitpid again shortly
      }
    }
  }

  // SIGTERM, then SIGKILL past `grace`; always reaps.
  void stop(Duration grace) {
    if (!running()) return;
    ::kill(pid_, SIGTERM);
    if (wait_exit(grace)) return;
    killed_ = true;
    ::kill(pid_, SIGKILL);
    int status = 0;
    while (::waitpid(pid_, &status, 0) < 0 && errno == EINTR) {
    }
    pid_ = -1;
    status_ = status;
  }

  void signal(int signo) {
    if (running()) ::kill(pid_, signo);
  }
  bool killed() const { return killed_; }

 private:
  pid_t pid_ = -1;
  std::optional<int> status_;
  bool killed_ = false;
};

// The environment for the child: ours, with HOME and the XDG directories
// pointing into `home`.
std::vector<std::string> child_environment(const std::filesystem::path& home) {
  std::vector<std::string> env;
  for (char** e = environ; e != nullptr && *e != nullptr; ++e) {
    std::string_view v(*e);
    if (v.starts_with("HOME=") || v.starts_with("XDG_") || v.starts_with("WEECHAT_")) continue;
    env.emplace_back(v);
  }
  env.push_back("HOME=" + home.string());
  for (const char* xdg : {"XDG_CONFIG_HOME", "XDG_DATA_HOME", "XDG_CACHE_HOME", "XDG_STATE_HOME", "XDG_RUNTIME_DIR"})
    env.push_back(std::string(xdg) + "=" + (home / "xdg").string());
  env.push_back("TERM=dumb");
  return env;
}

// Modern IRC, Connection Registration and JOIN/PRIVMSG/PART/QUIT, exercised
// end to end by a client written by other people: "Upon successful completion
// of the registration process, the server MUST send, in this order:" 001 ...;
// "If a client's JOIN command to the server is successful, the server MUST
// send, in this order:" JOIN, topic, names. If WeeChat did not get what it
// expects, it would not reach the channel, and the text user would not hear it.
TEST(IrcWeechat, WeechatJoinsTalksPartsAndQuits) {
  if (!std::filesystem::exists(kWeechat)) {
    GTEST_SKIP() << kWeechat << " is missing: install the Debian package weechat-headless "
                 << "(scripts/install-deps.sh does) to run this test";
  }
  ServerProcess server{ServerOptions{.threads = 1, .config_toml = unlimited_config()}};
  auto raj = connect(server, "Raj Ingle");
  ASSERT_TRUE(raj->register_as("Raj Ingle"));

  TempDir temp("parley-weechat");
  const auto home = temp.path() / "weechat";
  std::filesystem::create_directories(home / "xdg");
  const std::string port = std::to_string(server.irc_port());
  std::vector<std::string> args = {kWeechat,      "--dir",     home.string(), "--no-connect",
                                   "--no-script", "--plugins", "irc,logger"};
  for (std::string command : {
           // Write each log line as it comes (the default waits up to 120 s).
           std::string("/set logger.file.flush_delay 0"),
           "/server add parley 127.0.0.1/" + port,
           std::string("/set irc.server.parley.nicks weebot"),
           std::string("/set irc.server.parley.username weebot"),
           std::string("/set irc.server.parley.realname \"Wee Bot\""),
           // Plain TCP: "ssl" in WeeChat 3.8, "tls" from 4.0 (the other one is
           // reported as unknown and changes nothing).
           std::string("/set irc.server.parley.ssl off"),
           std::string("/set irc.server.parley.tls off"),
           std::string("/set irc.server.parley.autoreconnect off"),
           std::string("/set irc.server.parley.anti_flood_prio_high 0"),
           std::string("/set irc.server.parley.msg_part \"brb\""),
           std::string("/set irc.server.parley.msg_quit \"bye from weechat\""),
           // Run after the welcome, in this order (\; separates commands
           // inside the option's value).
           std::string("/set irc.server.parley.command \"/join #lobby\\;/msg #lobby hello from weechat\\;"
                       "/part #lobby\\;/join #lobby\""),
           std::string("/connect parley"),
       }) {
    args.push_back("--run-command");
    args.push_back(command);
  }
  const auto output = temp.path() / "weechat.out";
  ChildProcess weechat(args, child_environment(home), output);
  auto diagnostics = [&] {
    return "\n---- WeeChat core log ----\n" + tail(read_text_file(home / "logs" / "core.weechat.weechatlog")) +
           "\n---- WeeChat server log ----\n" + tail(read_text_file(home / "logs" / "irc.server.parley.weechatlog")) +
           "\n---- WeeChat output ----\n" + printable(tail(read_text_file(output), 20));
  };

  // WeeChat starting up on a loaded machine is the slow part: a wide deadline.
  const Duration startup = scaled(std::chrono::seconds(30));
  ASSERT_TRUE(raj->expect_line(joined_line("weebot"), startup)) << diagnostics();
  ASSERT_TRUE(raj->expect_line(message_line("weebot", "hello from weechat"))) << diagnostics();
  ASSERT_TRUE(raj->expect_line("weebot left #lobby (brb).")) << diagnostics();
  ASSERT_TRUE(raj->expect_line(joined_line("weebot"))) << diagnostics();

  // The text user's message reaches WeeChat: its channel log shows it, with the
  // text user's IRC nick (maybe behind a mode prefix such as '@').
  const std::string text = "hello weebot, this is Raj";
  raj->send_line(text);
  ASSERT_TRUE(raj->expect_line(message_line("Raj Ingle", text)));
  const auto channel_log = home / "logs" / "irc.parley.#lobby.weechatlog";
  const std::string wanted = "Raj_Ingle\t" + text;
  auto deadline = Clock::now() + scaled(std::chrono::seconds(20));
  std::string log;
  for (;;) {
    log = read_text_file(channel_log);
    if (log.find(wanted) != std::string::npos) break;
    ASSERT_LT(Clock::now(), deadline) << "WeeChat's log " << channel_log << " never showed \"" << printable(wanted)
                                      << "\"; it holds:\n"
                                      << log << diagnostics();
    ASSERT_TRUE(weechat.running()) << "WeeChat exited" << diagnostics();
    ::poll(nullptr, 0, 20);  // re-read the file shortly: WeeChat writes it as lines arrive
  }

  // SIGTERM makes WeeChat quit cleanly: QUIT with its quit message.
  weechat.signal(SIGTERM);
  ASSERT_TRUE(raj->expect_line("weebot left the chat room (bye from weechat).")) << diagnostics();
  auto status = weechat.wait_exit(scaled(std::chrono::seconds(20)));
  ASSERT_TRUE(status) << "WeeChat did not exit after SIGTERM" << diagnostics();
  EXPECT_TRUE(WIFEXITED(*status) && WEXITSTATUS(*status) == 0) << "WeeChat's wait status: " << *status << diagnostics();
  // Nothing else for the text user, and the server is still fine.
  raj->send_line("still here");
  ASSERT_TRUE(raj->expect_line(message_line("Raj Ingle", "still here")));
}

}  // namespace
}  // namespace parley::test
