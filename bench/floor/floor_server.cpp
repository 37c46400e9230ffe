#include "floor_server.h"

#include <arpa/inet.h>
#include <netinet/in.h>
#include <netinet/tcp.h>
#include <sys/epoll.h>
#include <sys/socket.h>
#include <unistd.h>

#include <algorithm>
#include <cerrno>
#include <cstring>
#include <stdexcept>

namespace parley::floor {
namespace {

constexpr std::string_view kServer = "floor";
constexpr int kMaxEvents = 512;
constexpr std::size_t kReadChunk = 64 * 1024;
// A buffer that grew past this for a burst is freed once empty. Below it the
// capacity is kept: a busy room's pass queues ~16 KiB per member in `small`,
// and growing a fresh buffer every pass cost half the floor's instructions
// (callgrind). So an idle member keeps what its busiest pass took, up to this.
constexpr std::size_t kKeptCapacity = 64 * 1024;

std::string_view take_word(std::string_view& s) {
  const auto space = s.find(' ');
  const std::string_view word = s.substr(0, space);
  s = space == std::string_view::npos ? std::string_view{} : s.substr(space + 1);
  while (s.starts_with(' ')) s.remove_prefix(1);
  return word;
}

char lower(char c) { return c >= 'A' && c <= 'Z' ? static_cast<char>(c - 'A' + 'a') : c; }

bool same_command(std::string_view a, std::string_view upper) {
  return a.size() == upper.size() &&
         std::equal(a.begin(), a.end(), upper.begin(), [](char x, char y) { return lower(x) == lower(y); });
}

void lower_into(std::string& out, std::string_view s) {
  out.resize(s.size());
  std::transform(s.begin(), s.end(), out.begin(), lower);
}

// The first parameter, or the trailing one when it comes first.
std::string_view first_param(std::string_view rest) {
  if (rest.starts_with(':')) return rest.substr(1);
  return take_word(rest);
}

void release_if_big(std::string& s) {
  if (s.empty() && s.capacity() > kKeptCapacity) std::string().swap(s);
}

[[noreturn]] void fail(const char* what) { throw std::runtime_error(std::string(what) + ": " + std::strerror(errno)); }

}  // namespace

struct FloorServer::Conn {
  int fd = -1;
  std::size_t index = 0;      // in conns_
  std::string in;             // an incomplete line carried to the next read
  std::string out;            // queued for the peer
  std::size_t out_sent = 0;   // bytes of `out` already written
  std::string host;           // the peer's address
  std::string nick;
  std::string user;
  std::string prefix;         // ":nick!user@host ", made at registration
  std::vector<Room*> rooms;
  bool registered = false;
  bool dirty = false;         // in dirty_
  bool dead = false;          // in dead_
  bool want_out = false;      // EPOLLOUT armed
};

FloorServer::FloorServer(const std::string& host, std::uint16_t port, Limits limits) : limits_(limits) {
  sockaddr_in addr{};
  addr.sin_family = AF_INET;
  addr.sin_port = htons(port);
  if (inet_pton(AF_INET, host.c_str(), &addr.sin_addr) != 1) throw std::runtime_error("not an IPv4 address: " + host);
  listen_fd_ = socket(AF_INET, SOCK_STREAM | SOCK_NONBLOCK | SOCK_CLOEXEC, 0);
  if (listen_fd_ < 0) fail("socket");
  const int one = 1;
  setsockopt(listen_fd_, SOL_SOCKET, SO_REUSEADDR, &one, sizeof one);
  if (bind(listen_fd_, reinterpret_cast<sockaddr*>(&addr), sizeof addr) != 0) fail("bind");
  if (listen(listen_fd_, SOMAXCONN) != 0) fail("listen");
  socklen_t len = sizeof addr;
  getsockname(listen_fd_, reinterpret_cast<sockaddr*>(&addr), &len);
  port_ = ntohs(addr.sin_port);
  epoll_fd_ = epoll_create1(EPOLL_CLOEXEC);
  if (epoll_fd_ < 0) fail("epoll_create1");
  epoll_event ev{};
  ev.events = EPOLLIN;
  ev.data.ptr = nullptr;  // the listener
  if (epoll_ctl(epoll_fd_, EPOLL_CTL_ADD, listen_fd_, &ev) != 0) fail("epoll_ctl");
}

FloorServer::~FloorServer() {
  for (auto& c : conns_) close(c->fd);
  if (epoll_fd_ >= 0) close(epoll_fd_);
  if (listen_fd_ >= 0) close(listen_fd_);
}

void FloorServer::run(const volatile std::sig_atomic_t& stop) {
  epoll_event events[kMaxEvents];
  while (!stop) {
    const int n = epoll_wait(epoll_fd_, events, kMaxEvents, 200);
    if (n < 0) {
      if (errno == EINTR) continue;
      fail("epoll_wait");
    }
    for (int i = 0; i < n; ++i) {
      auto* c = static_cast<Conn*>(events[i].data.ptr);
      if (!c) {
        accept_all();
        continue;
      }
      if (c->dead) continue;
      if (events[i].events & (EPOLLIN | EPOLLHUP | EPOLLERR)) read_from(*c);
      if ((events[i].events & EPOLLOUT) && !c->dead && !c->dirty) {
        c->dirty = true;
        dirty_.push_back(c);
      }
    }
    // The end of a pass: one write per connection with output.
    flush_all();
    reap();
  }
}

void FloorServer::accept_all() {
  for (;;) {
    sockaddr_in peer{};
    socklen_t len = sizeof peer;
    const int fd = accept4(listen_fd_, reinterpret_cast<sockaddr*>(&peer), &len, SOCK_NONBLOCK | SOCK_CLOEXEC);
    if (fd < 0) return;  // EAGAIN, or out of descriptors: the rest wait in the backlog
    const int one = 1;
    setsockopt(fd, IPPROTO_TCP, TCP_NODELAY, &one, sizeof one);
    auto conn = std::make_unique<Conn>();
    conn->fd = fd;
    conn->index = conns_.size();
    char text[INET_ADDRSTRLEN] = {};
    inet_ntop(AF_INET, &peer.sin_addr, text, sizeof text);
    conn->host = text;
    epoll_event ev{};
    ev.events = EPOLLIN;
    ev.data.ptr = conn.get();
    if (epoll_ctl(epoll_fd_, EPOLL_CTL_ADD, fd, &ev) != 0) {
      close(fd);
      continue;
    }
    conns_.push_back(std::move(conn));
  }
}

void FloorServer::read_from(Conn& c) {
  char buf[kReadChunk];
  const ssize_t n = recv(c.fd, buf, sizeof buf, 0);
  if (n < 0 && (errno == EAGAIN || errno == EWOULDBLOCK || errno == EINTR)) return;
  if (n <= 0) return close_later(c);
  // Lines straight from the read buffer; only an incomplete tail is kept.
  std::string_view data(buf, static_cast<std::size_t>(n));
  if (!c.in.empty()) {
    c.in.append(data);
    data = c.in;
  }
  std::size_t start = 0;
  for (;;) {
    const auto nl = data.find('\n', start);
    if (nl == std::string_view::npos) break;
    std::string_view line = data.substr(start, nl - start);
    if (line.ends_with('\r')) line.remove_suffix(1);
    start = nl + 1;
    if (!line.empty()) on_line(c, line);
    if (c.dead) return;
  }
  if (data.size() - start > limits_.max_line) return close_later(c);
  if (data.data() == c.in.data()) {
    c.in.erase(0, start);
  } else {
    c.in.assign(data.substr(start));
  }
  release_if_big(c.in);
}

void FloorServer::on_line(Conn& c, std::string_view line) {
  if (line.starts_with('@')) take_word(line);  // tags: ignored
  if (line.starts_with(':')) take_word(line);  // a client's prefix: ignored
  const std::string_view command_and_rest = line;
  const std::string_view command = take_word(line);
  const std::string_view rest = line;
  if (same_command(command, "PRIVMSG")) return on_privmsg(c, command_and_rest, rest);
  if (same_command(command, "PING")) {
    line_.assign(":").append(kServer).append(" PONG ").append(kServer).append(" :").append(first_param(rest));
    line_.append("\r\n");
    return queue(c, line_);
  }
  if (same_command(command, "JOIN")) {
    if (c.registered) on_join(c, first_param(rest));
    return;
  }
  if (same_command(command, "NICK")) {
    if (c.registered) return;  // no renames here
    c.nick = first_param(rest);
    if (!c.user.empty()) welcome(c);
    return;
  }
  if (same_command(command, "USER")) {
    if (c.registered) return;
    c.user = first_param(rest);
    if (c.user.empty()) c.user = "user";
    if (!c.nick.empty()) welcome(c);
    return;
  }
  if (same_command(command, "CAP")) {
    // As from a server without capability negotiation: NICK and USER register.
    line_.assign(":").append(kServer).append(" 421 ").append(c.nick.empty() ? "*" : c.nick);
    line_.append(" CAP :Unknown command\r\n");
    return queue(c, line_);
  }
  if (same_command(command, "QUIT")) return close_later(c);
  // Anything else is ignored.
}

void FloorServer::welcome(Conn& c) {
  c.registered = true;
  c.prefix.assign(":").append(c.nick).append("!").append(c.user).append("@").append(c.host).append(" ");
  line_.assign(":").append(kServer).append(" 001 ").append(c.nick).append(" :Welcome to the floor ");
  line_.append(c.nick).append("\r\n:").append(kServer).append(" 422 ").append(c.nick);
  line_.append(" :MOTD File is missing\r\n");
  queue(c, line_);
}

void FloorServer::on_join(Conn& c, std::string_view targets) {
  std::string key;
  while (!targets.empty()) {
    const auto comma = targets.find(',');
    const std::string_view name = targets.substr(0, comma);
    targets = comma == std::string_view::npos ? std::string_view{} : targets.substr(comma + 1);
    if (name.empty()) continue;
    lower_into(key, name);
    Room& room = rooms_[key];
    if (room.name.empty()) room.name = name;
    if (std::find(c.rooms.begin(), c.rooms.end(), &room) != c.rooms.end()) continue;
    room.members.push_back(&c);
    c.rooms.push_back(&room);
    line_.assign(c.prefix).append("JOIN ").append(room.name).append("\r\n");
    for (Conn* m : room.members) queue(*m, line_);
    line_.assign(":").append(kServer).append(" 366 ").append(c.nick).append(" ").append(room.name);
    line_.append(" :End of /NAMES list.\r\n");
    queue(c, line_);
  }
}

void FloorServer::on_privmsg(Conn& c, std::string_view command_and_rest, std::string_view rest) {
  if (!c.registered) return;
  const std::string_view target = take_word(rest);
  // The room by name: one lookup per message, none per delivery.
  Room* room = nullptr;
  for (Room* r : c.rooms) {
    if (r->name.size() == target.size() &&
        std::equal(target.begin(), target.end(), r->name.begin(), [](char x, char y) { return lower(x) == lower(y); })) {
      room = r;
      break;
    }
  }
  if (!room) return;  // not a room the sender is in (no private messages here)
  // Formatted once: the sender's prefix and the client's own line.
  line_.assign(c.prefix).append(command_and_rest).append("\r\n");
  for (Conn* m : room->members) {
    if (m != &c) queue(*m, line_);
  }
}

void FloorServer::queue(Conn& c, std::string_view bytes) {
  if (c.dead) return;
  if (c.out.size() - c.out_sent + bytes.size() > limits_.max_output) return close_later(c);
  c.out.append(bytes);
  if (!c.dirty) {
    c.dirty = true;
    dirty_.push_back(&c);
  }
}

void FloorServer::flush_all() {
  for (Conn* c : dirty_) {
    c->dirty = false;
    if (c->dead || c->out.size() == c->out_sent) continue;
    const ssize_t n = send(c->fd, c->out.data() + c->out_sent, c->out.size() - c->out_sent, MSG_NOSIGNAL);
    if (n < 0 && errno != EAGAIN && errno != EWOULDBLOCK && errno != EINTR) {
      close_later(*c);
      continue;
    }
    if (n > 0) c->out_sent += static_cast<std::size_t>(n);
    const bool drained = c->out_sent == c->out.size();
    if (drained) {
      c->out.clear();
      c->out_sent = 0;
      release_if_big(c->out);
    } else if (c->out_sent > c->out.size() / 2) {
      c->out.erase(0, c->out_sent);  // keep the buffer from growing without end
      c->out_sent = 0;
    }
    if (drained == c->want_out) {  // arm EPOLLOUT while output waits, disarm once it is out
      c->want_out = !drained;
      epoll_event ev{};
      ev.events = EPOLLIN | (c->want_out ? EPOLLOUT : 0u);
      ev.data.ptr = c;
      epoll_ctl(epoll_fd_, EPOLL_CTL_MOD, c->fd, &ev);
    }
  }
  dirty_.clear();
}

void FloorServer::close_later(Conn& c) {
  if (c.dead) return;
  c.dead = true;
  // Out of every room at once, so nothing more is queued for it.
  for (Room* room : c.rooms) std::erase(room->members, &c);
  c.rooms.clear();
  epoll_ctl(epoll_fd_, EPOLL_CTL_DEL, c.fd, nullptr);
  dead_.push_back(&c);
}

void FloorServer::reap() {
  for (Conn* c : dead_) {
    close(c->fd);
    const std::size_t i = c->index;
    if (i + 1 != conns_.size()) {
      std::swap(conns_[i], conns_.back());
      conns_[i]->index = i;
    }
    conns_.pop_back();  // frees c
  }
  dead_.clear();
}

}  // namespace parley::floor
