#include "client_pool.h"

#include <netinet/in.h>
#include <netinet/tcp.h>
#include <sys/socket.h>
#include <unistd.h>

#include <algorithm>
#include <cerrno>
#include <cstring>

#include <fmt/format.h>

#include "clock.h"
#include "net_addr.h"
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

class ClientPool::ConnOutput final : public Output {
 public:
  explicit ConnOutput(Conn& conn) : conn_(conn) {}
  void write(std::string_view bytes) override { conn_.out.append(bytes); }

 private:
  Conn& conn_;
};

// Turns a session's reports into pool state and listener calls.
class ClientPool::ConnEvents final : public SessionEvents {
 public:
  ConnEvents(ClientPool& pool, std::size_t i) : pool_(pool), i_(i) {}

  void registered(std::int64_t now) override {
    Conn& c = pool_.conns_[i_];
    if (c.state != State::handshaking) return;
    c.state = State::registered;
    if (!pool_.is_client(i_)) return;
    ++pool_.registered_;
    pool_.registration_latency_.record(now - c.started_ns);
    pool_.last_registered_ns_ = now;
  }
  void in_room(std::int64_t now) override {
    Conn& c = pool_.conns_[i_];
    if (c.state == State::handshaking) registered(now);
    if (c.state != State::registered) return;
    c.state = State::in_room;
    ++pool_.in_room_;
  }
  void member_joined() override {
    if (pool_.is_client(i_)) pool_.listener_.on_member_joined(i_);
  }
  void delivery(std::string_view payload, std::int64_t now) override {
    if (pool_.is_client(i_)) pool_.listener_.on_delivery(i_, payload, now);
  }
  void error_line(std::string_view line) override { pool_.listener_.on_error_line(i_, line); }

 private:
  ClientPool& pool_;
  std::size_t i_;
};

ClientPool::ClientPool(PoolConfig config, const Protocol& protocol, PoolListener& listener)
    : config_(std::move(config)),
      protocol_(protocol),
      listener_(listener),
      conns_(config_.clients + (protocol.sends_on_extra_connection() ? config_.senders : 0)),
      scratch_(kScratchBytes) {}

ClientPool::~ClientPool() { close_all(); }

std::string ClientPool::name(std::size_t client) const { return fmt::format("{}{}", config_.name_prefix, client); }

SessionSpec ClientPool::spec_for(std::size_t i) const {
  SessionSpec spec;
  spec.index = i;
  spec.part = config_.part;
  if (is_client(i)) {
    spec.role = i < config_.senders ? Role::sender : Role::member;
    spec.name = name(i);
    spec.room = config_.rooms[i % config_.rooms.size()];
  } else {
    spec.role = Role::publisher;
    spec.name = name(i - config_.clients);
    spec.room = config_.rooms[(i - config_.clients) % config_.rooms.size()];
  }
  return spec;
}

void ClientPool::start(std::int64_t now) {
  ramp_start_ns_ = now;
  open_due(now);
}

std::int64_t ClientPool::next_open_due(std::int64_t now) const {
  if (opened_ >= conns_.size()) return kNever;
  if (config_.connect_rate > 0)
    return ramp_start_ns_ + static_cast<std::int64_t>(static_cast<double>(opened_) * 1e9 / config_.connect_rate);
  return pending() < kMaxPending ? now : kNever;
}

void ClientPool::open_due(std::int64_t now) {
  for (std::size_t n = 0; n < kOpensPerPoll && next_open_due(now) <= now; ++n) open(opened_, now);
}

void ClientPool::open(std::size_t i, std::int64_t now) {
  ++opened_;
  Conn& c = conns_[i];
  if (first_connect_ns_ == 0) first_connect_ns_ = now;
  c.started_ns = now;
  c.session = protocol_.make_session(spec_for(i));
  std::string error;
  c.fd = start_connect(source_address(i), config_.servers[i % config_.servers.size()], error);
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
  flush_corked();
  std::int64_t now = now_ns();
  open_due(now);
  const std::int64_t wake = std::min(until, next_open_due(now));
  for (const epoll_event& ev : poller_.wait(wake - now)) handle(static_cast<std::size_t>(ev.data.u64), ev.events);
  now = now_ns();
  open_due(now);
  check_timeouts(now);
}

void ClientPool::handle(std::size_t i, std::uint32_t events) {
  Conn& c = conns_[i];
  if (c.fd < 0) return;
  if (c.state == State::connecting) {
    if ((events & (EPOLLOUT | EPOLLERR | EPOLLHUP)) == 0) return;
    if (const int err = connect_error(c.fd); err != 0) return end(i, fmt::format("connect: {}", std::strerror(err)));
    if (!config_.tls) {
      start_session(i);
    } else {
      c.tls = std::make_unique<TlsClient>(c.fd);
      c.state = State::tls_handshaking;
      return continue_tls_handshake(i);
    }
  }
  if (c.state == State::tls_handshaking) return continue_tls_handshake(i);
  if (events & (EPOLLIN | EPOLLHUP | EPOLLERR)) read_some(i);
  if (c.fd >= 0 && (events & EPOLLOUT) && !c.out.empty()) flush(i);
}

void ClientPool::start_session(std::size_t i) {
  Conn& c = conns_[i];
  c.state = State::handshaking;
  ConnOutput out{c};
  c.session->on_connected(out);
  if (!c.out.empty()) flush(i);
  if (c.fd < 0) return;
  update_interest(i);
}

void ClientPool::continue_tls_handshake(std::size_t i) {
  Conn& c = conns_[i];
  std::string error;
  switch (c.tls->handshake(error)) {
    case TlsClient::Step::done:
      c.want_write = true;  // so that update_interest settles the interest set
      return start_session(i);
    case TlsClient::Step::want_read:
      c.want_write = false;
      return poller_.modify(c.fd, i, EPOLLIN);
    case TlsClient::Step::want_write:
      c.want_write = true;
      return poller_.modify(c.fd, i, EPOLLIN | EPOLLOUT);
    case TlsClient::Step::failed:
      return end(i, error);
  }
}

ssize_t ClientPool::receive(Conn& c, char* buffer, std::size_t size) {
  if (c.tls) return c.tls->read(buffer, size);
  return ::recv(c.fd, buffer, size, 0);
}

ssize_t ClientPool::transmit(Conn& c, const char* data, std::size_t size) {
  if (c.tls) return c.tls->write(data, size);
  return ::send(c.fd, data, size, MSG_NOSIGNAL | MSG_DONTWAIT);
}

void ClientPool::read_some(std::size_t i) {
  Conn& c = conns_[i];
  const int quickack = 1;
  for (int k = 0; k < kReadsPerEvent && c.fd >= 0; ++k) {
    const ssize_t n = receive(c, scratch_.data(), scratch_.size());
    if (n > 0) {
      // Linux turns quick ACKs off again by itself; without re-arming, a
      // server that does not set TCP_NODELAY waits ~40 ms for our delayed ACK.
      if (config_.quickack) ::setsockopt(c.fd, IPPROTO_TCP, TCP_QUICKACK, &quickack, sizeof quickack);
      const std::int64_t now = now_ns();
      const bool was_empty = c.out.empty();
      ConnOutput out{c};
      ConnEvents events{*this, i};
      std::string reason;
      const bool ok = c.session->on_data({scratch_.data(), static_cast<std::size_t>(n)}, now, out, events, reason);
      if (!ok) return end(i, reason);
      if (c.fd < 0) return;
      if (was_empty && !c.out.empty()) flush(i);  // answers (PONG, registration steps)
      if (c.fd < 0 || static_cast<std::size_t>(n) < scratch_.size()) return;
    } else if (n == 0) {
      return end(i, "connection closed by the server");
    } else if (errno == EAGAIN || errno == EWOULDBLOCK) {
      return;
    } else if (errno != EINTR) {
      return end(i, fmt::format("recv: {}", std::strerror(errno)));
    }
  }
}

bool ClientPool::send_message(std::size_t sender, std::string_view payload) {
  const std::size_t i = sending_conn(sender);
  Conn& c = conns_[i];
  if (c.fd < 0 || c.state != State::in_room || c.leaving) return false;
  const bool was_empty = c.out.empty();
  ConnOutput out{c};
  c.session->send_message(payload, out);
  if (was_empty) corked_.push_back(i);
  return true;
}

void ClientPool::flush_corked() {
  for (const std::size_t i : corked_) {
    if (conns_[i].fd >= 0 && !conns_[i].out.empty()) flush(i);
  }
  corked_.clear();
}

void ClientPool::flush(std::size_t i) {
  Conn& c = conns_[i];
  std::size_t sent = 0;
  for (int k = 0; k < kWritesPerFlush && sent < c.out.size(); ++k) {
    const ssize_t n = transmit(c, c.out.data() + sent, c.out.size() - sent);
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
  Conn& c = conns_[i];
  const bool want_write = c.state == State::connecting || !c.out.empty();
  if (want_write == c.want_write) return;
  c.want_write = want_write;
  poller_.modify(c.fd, i, EPOLLIN | (want_write ? EPOLLOUT : 0u));
}

void ClientPool::say_farewell() {
  for (std::size_t i = 0; i < conns_.size(); ++i) {
    Conn& c = conns_[i];
    if (c.fd < 0 || c.leaving) continue;
    const std::string_view bye = c.session->farewell();
    if (bye.empty()) continue;
    c.leaving = true;
    ++leaving_;
    const bool was_empty = c.out.empty();
    c.out.append(bye);
    if (was_empty) flush(i);
  }
}

void ClientPool::end(std::size_t i, std::string_view reason) {
  Conn& c = conns_[i];
  if (c.fd < 0) return;
  ::close(c.fd);  // also leaves the epoll set
  c.fd = -1;
  if (c.leaving) --leaving_;
  c.session.reset();
  c.tls.reset();
  std::string{}.swap(c.out);
  const State was = c.state;
  c.state = State::closed;
  if (closing_ || c.leaving) return;
  if (is_client(i) && (was == State::registered || was == State::in_room)) ++clients_lost_;
  if (was == State::in_room) {
    ++disconnected_;
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
    const State s = conns_[i].state;
    const bool setting_up =
        s == State::connecting || s == State::tls_handshaking || s == State::handshaking || s == State::registered;
    if (setting_up && now - conns_[i].started_ns > config_.register_timeout_ns)
      end(i, s == State::registered ? "not in the room within the registration timeout"
                                    : "not registered within the registration timeout");
  }
}

void ClientPool::close_all() {
  closing_ = true;
  for (std::size_t i = 0; i < conns_.size(); ++i) end(i, "");
}

}  // namespace parley::bench
