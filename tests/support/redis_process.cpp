#include "redis_process.hpp"

#include <arpa/inet.h>
#include <fcntl.h>
#include <netinet/in.h>
#include <poll.h>
#include <signal.h>
#include <sys/socket.h>
#include <sys/wait.h>
#include <unistd.h>

#include <cstdlib>
#include <filesystem>
#include <stdexcept>
#include <thread>

namespace parley::test {

namespace {

std::string find_redis_server() {
  for (const char* dir : {"/usr/bin", "/usr/local/bin", "/usr/sbin"}) {
    const std::string path = std::string(dir) + "/redis-server";
    if (::access(path.c_str(), X_OK) == 0) return path;
  }
  return {};
}

}  // namespace

bool RedisProcess::available() { return !find_redis_server().empty(); }

RedisProcess::RedisProcess() {
  {
    PortHolder holder;  // a port the kernel picked, free again once it closes
    port_ = holder.port();
  }
  start();
}

RedisProcess::~RedisProcess() { stop_child(pid_, SIGTERM, 10); }

void RedisProcess::kill() {
  if (pid_ <= 0) return;
  ::kill(pid_, SIGKILL);
  int status = 0;
  ::waitpid(pid_, &status, 0);
  pid_ = -1;
}

void RedisProcess::signal(int signo) {
  if (pid_ > 0) ::kill(pid_, signo);
}

void RedisProcess::start() {
  const std::string binary = find_redis_server();
  if (binary.empty()) throw std::runtime_error("redis-server is not installed");
  const std::string port = std::to_string(port_);
  const std::string log = (dir_.path() / "redis.log").string();
  const std::string dir = dir_.path().string();
  pid_ = ::fork();
  if (pid_ < 0) throw std::runtime_error("fork failed");
  if (pid_ == 0) {
    const int out = ::open(log.c_str(), O_WRONLY | O_CREAT | O_APPEND, 0600);
    if (out >= 0) {
      ::dup2(out, 1);
      ::dup2(out, 2);
    }
    ::execl(binary.c_str(), binary.c_str(), "--port", port.c_str(), "--bind", "127.0.0.1", "--save", "",
            "--appendonly", "no", "--dir", dir.c_str(), "--daemonize", "no", "--protected-mode", "no",
            static_cast<char*>(nullptr));
    ::_exit(127);
  }
  const auto deadline = Clock::now() + scaled(std::chrono::seconds(20));
  while (Clock::now() < deadline) {
    if (auto reply = command({"PING"}, std::chrono::milliseconds(500)); reply && *reply == "+PONG") return;
    int status = 0;
    if (::waitpid(pid_, &status, WNOHANG) == pid_) {
      pid_ = -1;
      throw std::runtime_error("redis-server exited at start (see " + log + ")");
    }
    std::this_thread::sleep_for(std::chrono::milliseconds(20));  // polling its first PONG
  }
  throw std::runtime_error("redis-server did not answer PING on port " + port);
}

std::optional<std::string> RedisProcess::command(const std::vector<std::string>& args, Duration timeout) {
  UniqueFd fd(::socket(AF_INET, SOCK_STREAM | SOCK_CLOEXEC, 0));
  sockaddr_in addr{};
  addr.sin_family = AF_INET;
  addr.sin_addr.s_addr = htonl(INADDR_LOOPBACK);
  addr.sin_port = htons(port_);
  if (::connect(fd.get(), reinterpret_cast<sockaddr*>(&addr), sizeof addr) != 0) return std::nullopt;
  std::string request = "*" + std::to_string(args.size()) + "\r\n";
  for (const auto& a : args) request += "$" + std::to_string(a.size()) + "\r\n" + a + "\r\n";
  if (::send(fd.get(), request.data(), request.size(), MSG_NOSIGNAL) != static_cast<ssize_t>(request.size()))
    return std::nullopt;
  std::string reply;
  const auto deadline = Clock::now() + timeout;
  while (reply.find("\r\n") == std::string::npos) {
    pollfd p{fd.get(), POLLIN, 0};
    const auto left = std::chrono::duration_cast<std::chrono::milliseconds>(remaining(deadline)).count();
    if (left <= 0 || ::poll(&p, 1, static_cast<int>(left)) <= 0) return std::nullopt;
    char buf[512];
    const ssize_t n = ::recv(fd.get(), buf, sizeof buf, 0);
    if (n <= 0) return std::nullopt;
    reply.append(buf, static_cast<std::size_t>(n));
  }
  return reply.substr(0, reply.find("\r\n"));
}

}  // namespace parley::test
