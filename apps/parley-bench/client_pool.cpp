#include "client_pool.h"

#include <sys/socket.h>
#include <unistd.h>

#include <algorithm>
#include <cerrno>
#include <cstring>

#include <fmt/format.h>

#include "clock.h"
#include "net_addr.h"
#include "protocol.h"
#include "socket_ops.h"

namespace parley::bench {
namespace {

constexpr std::size_t kScratchBytes = 256 * 1024;
constexpr int kReadsPerEvent = 4;    // fairness: then let other sockets have a turn
constexpr int kWritesPerFlush = 16;
constexpr std::size_t kOpensPerPoll = 1024;
constexpr std::size_t kMaxProblemKinds = 64;

std::string shorten(std::string_view s) {
  constexpr std::size_t kMax = 120;
  return std::string{s.substr(0, kMax)} + (s.size() > kMax ? "..." : "");
}

}  // namespace

ClientPool::ClientPool(PoolConfig config, LineSink& sink)
    : config_(std::move(config)), sink_(sink), clients_(config_.count), scratch_(kScratchBytes) {}

ClientPool::~ClientPool() { close_all(); }

std::string ClientPool::name(std::size_t client) const { return fmt::format("{}{}", config_.name_prefix, client); }

void ClientPool::start(std::int64_t now) {
  ramp_start_ns_ = now;
  open_due(now);
}

std::int64_t ClientPool::next_open_due(std::int64_t now) const {
  if (opened_ >= config_.count) return kNever;
  if (config_.connect_rate > 0)
    return ramp_start_ns_ + static_cast<std::int64_t>(static_cast<double>(opened_) * 1e9 / config_.connect_rate);
  return pending() < kMaxPending ? now : kNever;
}

void ClientPool::open_due(std::int64_t now) {
  for (std::size_t n = 0; n < kOpensPerPoll && next_open_due(now) <= now; ++n) open(opened_, now);
}

void ClientPool::open(std::size_t i, std::int64_t now) {
  ++opened_;
  Client& c = clients_[i];
  if (first_connect_ns_ == 0) first_connect_ns_ = now;
  c.started_ns = now;
  std::string error;
  c.fd = start_connect(source_address(i), config_.server, error);
  if (c.fd < 0) {
    c.state = State::failed;
    ++failed_;
    note(error);
    return;
  }
  c.state = State::connecting;
  c.want_write = true;
  poller_.add(c.fd, i, EPOLLIN | EPOLLOUT);
}

void ClientPool::poll(std::int64_t until) {
  std::int64_t now = now_ns();
  open_due(now);
  const std::int64_t wake = std::min(until, next_open_due(now));
  for (const epoll_event& ev : poller_.wait(wake - now)) handle(static_cast<std::size_t>(ev.data.u64), ev.events);
  now = now_ns();
  open_due(now);
  check_timeouts(now);
}

void ClientPool::handle(std::size_t i, std::uint32_t events) {
  Client& c = clients_[i];
  if (c.fd < 0) return;
  if (c.state == State::connecting) {
    if ((events & (EPOLLOUT | EPOLLERR | EPOLLHUP)) == 0) return;
    if (const int err = connect_error(c.fd); err != 0) return end(i, fmt::format("connect: {}", std::strerror(err)));
    c.state = State::greeting;
    update_interest(i);
  }
  if (events & (EPOLLIN | EPOLLHUP | EPOLLERR)) read_some(i);
  if (c.fd >= 0 && (events & EPOLLOUT) && !c.out.empty()) flush(i);
}

void ClientPool::read_some(std::size_t i) {
  Client& c = clients_[i];
  for (int k = 0; k < kReadsPerEvent && c.fd >= 0; ++k) {
    const ssize_t n = ::recv(c.fd, scratch_.data(), scratch_.size(), 0);
    if (n > 0) {
      const std::int64_t now = now_ns();
      const std::string_view data{scratch_.data(), static_cast<std::size_t>(n)};
      const bool ok = c.in.feed(data, [&](std::string_view line) { return on_line(i, line, now); });
      if (!ok && c.fd >= 0) return end(i, "a line from the server was too long");
      if (static_cast<std::size_t>(n) < scratch_.size()) return;
    } else if (n == 0) {
      return end(i, "connection closed by the server");
    } else if (errno == EAGAIN || errno == EWOULDBLOCK) {
      return;
    } else if (errno != EINTR) {
      return end(i, fmt::format("recv: {}", std::strerror(errno)));
    }
  }
}

bool ClientPool::on_line(std::size_t i, std::string_view line, std::int64_t now) {
  Client& c = clients_[i];
  switch (c.state) {
    case State::greeting:
      if (line != kGreeting) {
        end(i, fmt::format("expected the greeting, got: {}", line));
        return false;
      }
      c.state = State::welcome;
      send_line(i, name(i));
      return c.fd >= 0;
    case State::welcome: {
      if (line == welcome_line(name(i))) {
        c.state = State::joined;
        ++registered_;
        registration_latency_.record(now - c.started_ns);
        last_registered_ns_ = now;
        sink_.on_registered(i, now);
        return c.fd >= 0;
      }
      const auto kind = classify_line(line).kind;
      if (kind == LineKind::error || kind == LineKind::disconnected) {
        end(i, line);
        return false;
      }
      return true;  // anything else before the welcome is tolerated
    }
    case State::joined:
      if (classify_line(line).kind == LineKind::disconnected) note(line);
      sink_.on_line(i, line, now);
      return c.fd >= 0;
    default:
      return false;
  }
}

bool ClientPool::send_line(std::size_t client, std::string_view line) {
  Client& c = clients_[client];
  if (c.fd < 0 || (c.state != State::welcome && c.state != State::joined)) return false;
  const bool was_empty = c.out.empty();
  c.out.append(line);
  c.out.push_back('\n');
  if (was_empty) flush(client);
  return c.fd >= 0;
}

void ClientPool::flush(std::size_t i) {
  Client& c = clients_[i];
  std::size_t sent = 0;
  for (int k = 0; k < kWritesPerFlush && sent < c.out.size(); ++k) {
    const ssize_t n = ::send(c.fd, c.out.data() + sent, c.out.size() - sent, MSG_NOSIGNAL | MSG_DONTWAIT);
    if (n > 0) {
      sent += static_cast<std::size_t>(n);
    } else if (n < 0 && (errno == EAGAIN || errno == EWOULDBLOCK)) {
      break;
    } else if (n < 0 && errno != EINTR) {
      return end(i, fmt::format("send: {}", std::strerror(errno)));
    }
  }
  c.out.erase(0, sent);
  update_interest(i);
}

void ClientPool::update_interest(std::size_t i) {
  Client& c = clients_[i];
  const bool want_write = c.state == State::connecting || !c.out.empty();
  if (want_write == c.want_write) return;
  c.want_write = want_write;
  poller_.modify(c.fd, i, EPOLLIN | (want_write ? EPOLLOUT : 0u));
}

void ClientPool::end(std::size_t i, std::string_view reason) {
  Client& c = clients_[i];
  if (c.fd < 0) return;
  ::close(c.fd);  // also leaves the epoll set
  c.fd = -1;
  c.in.clear();
  std::string{}.swap(c.out);
  if (closing_) {
    c.state = State::closed;
    return;
  }
  if (c.state == State::joined) {
    ++disconnected_;
    c.state = State::closed;
    note(fmt::format("disconnected: {}", reason));
  } else {
    ++failed_;
    c.state = State::failed;
    note(fmt::format("registration failed: {}", reason));
  }
}

void ClientPool::note(std::string_view problem) {
  auto key = shorten(problem);
  if (problems_.size() >= kMaxProblemKinds && !problems_.contains(key)) key = "(other problems)";
  ++problems_[key];
}

void ClientPool::check_timeouts(std::int64_t now) {
  if (now < next_timeout_check_ns_ || pending() == 0) return;
  next_timeout_check_ns_ = now + 100 * kNsPerMs;
  for (std::size_t i = 0; i < opened_; ++i) {
    const State s = clients_[i].state;
    const bool handshaking = s == State::connecting || s == State::greeting || s == State::welcome;
    if (handshaking && now - clients_[i].started_ns > config_.register_timeout_ns)
      end(i, "no welcome within the registration timeout");
  }
}

void ClientPool::close_all() {
  closing_ = true;
  for (std::size_t i = 0; i < clients_.size(); ++i) end(i, "");
}

}  // namespace parley::bench
