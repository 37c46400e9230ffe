#include "web/web_server.h"

#include <boost/asio/ip/tcp.hpp>
#include <boost/asio/post.hpp>
#include <boost/asio/steady_timer.hpp>
#include <fmt/format.h>
#include <spdlog/spdlog.h>

#include <algorithm>
#include <stdexcept>
#include <unordered_map>

#include "net/loop_pool.h"
#include "net/network_set.h"
#include "metrics/registry.h"
#include "net/tls_context.h"
#include "web/http_session.h"
#include "web/web_transport.h"
#include "web/ws_session.h"

namespace parley::web {

namespace asio = boost::asio;
namespace beast = boost::beast;
using asio::ip::tcp;

namespace {
// Hand-offs one accepted line can start before its effects are in every
// outbox (as net::Server counts them), with one to spare.
constexpr int kHandOffs = 5;
}  // namespace

// Counts per address live on loop 0, where the acceptor runs; connections on
// other loops report their end by posting there. Shared with the tickets, so
// a ticket released while the pool is torn down finds it (and `closed`).
struct Accounting {
  std::unordered_map<std::string, std::size_t> per_address;
  std::size_t total = 0;
  bool closed = false;  // the server is gone: releases are ignored
  std::function<void()> on_empty;
};

struct WebServer::Impl {
  Impl(net::LoopPool& pool, std::shared_ptr<WebShared> shared)
      : pool(pool), shared(std::move(shared)), grace_timer(pool.context(0)) {
    for (core::LoopIndex i = 0; i < pool.loop_count(); ++i) {
      loops.push_back(std::make_unique<WebLoop>(pool.context(i), i));
      pool.on_pass_end(i, [loop = loops.back().get()] { loop->run_flushes(); });
    }
  }

  struct Port {
    explicit Port(asio::io_context& io) : acceptor(io), retry(io) {}
    tcp::acceptor acceptor;
    asio::steady_timer retry;  // after a failed accept
    std::shared_ptr<net::TlsContext> tls;  // null: plain HTTP
  };
  void accept(Port& port);
  void on_accepted(core::LoopIndex loop, tcp::socket socket, const Port& port);
  ConnectionTicket ticket(const std::string& address);
  void after_posts_settle(int rounds, std::function<void()> then);
  template <class Action>
  void for_each_loop(Action action) {
    for (auto& loop : loops) asio::post(loop->io, [l = loop.get(), action] { action(*l); });
  }
  void complete_shutdown();

  net::LoopPool& pool;
  std::shared_ptr<WebShared> shared;
  std::vector<std::unique_ptr<WebLoop>> loops;
  std::shared_ptr<Accounting> accounting = std::make_shared<Accounting>();
  std::vector<std::unique_ptr<Port>> ports;
  asio::steady_timer grace_timer;
  core::LoopIndex next_loop = 0;
  bool shutting_down = false;
  std::function<void()> shutdown_done;
};

void WebServer::Impl::accept(Port& port) {
  const core::LoopIndex loop = next_loop;
  next_loop = (next_loop + 1) % pool.loop_count();
  port.acceptor.async_accept(pool.context(loop), [this, loop, &port](boost::system::error_code ec, tcp::socket socket) {
    if (ec == asio::error::operation_aborted || !port.acceptor.is_open()) return;
    if (ec) {
      spdlog::warn("cannot accept a web connection: {}; trying again in 100 ms", ec.message());
      port.retry.expires_after(std::chrono::milliseconds(100));
      port.retry.async_wait([this, &port](boost::system::error_code e) {
        if (!e) accept(port);
      });
      return;
    }
    on_accepted(loop, std::move(socket), port);
    accept(port);
  });
}

ConnectionTicket WebServer::Impl::ticket(const std::string& address) {
  ++accounting->total;
  ++accounting->per_address[address];
  return ConnectionTicket([accounting = accounting, &io = pool.context(0), address] {
    if (accounting->closed) return;
    asio::post(io, [accounting, address] {
      if (accounting->closed) return;
      --accounting->total;
      if (auto it = accounting->per_address.find(address); it != accounting->per_address.end() && --it->second == 0)
        accounting->per_address.erase(it);
      if (accounting->total == 0 && accounting->on_empty) accounting->on_empty();
    });
  });
}

void WebServer::Impl::on_accepted(core::LoopIndex loop, tcp::socket socket, const Port& port) {
  boost::system::error_code ec;
  const tcp::endpoint remote = socket.remote_endpoint(ec);
  if (ec || shutting_down) return;
  std::string address = remote.address().to_string();
  std::string peer = remote.address().is_v6() ? fmt::format("[{}]:{}", address, remote.port())
                                              : fmt::format("{}:{}", address, remote.port());
  const std::size_t limit = shared->settings.connections_per_address;
  if (limit > 0 && accounting->per_address[address] >= limit &&
      !shared->settings.exempt_networks.contains(remote.address())) {
    // Refused before a byte is read: an HTTP client sees the connection close.
    spdlog::info("Web client {} refused: too many connections from its address.", peer);
    return;
  }
  ConnectionTicket counted = ticket(address);
  // The certificate of the moment: a SIGHUP reload applies to later handshakes.
  std::shared_ptr<ssl_ctx_st> tls = port.tls ? port.tls->current() : nullptr;
  asio::post(pool.context(loop), [this, loop, socket = std::move(socket), peer = std::move(peer),
                                  address = std::move(address), ticket = std::move(counted),
                                  tls = std::move(tls)]() mutable {
    WebLoop& state = *loops[loop];
    const std::uint64_t id = state.next_id++;
    WebStream stream(std::make_shared<WebTransport>(state, std::move(socket), tls));
    auto exchange = std::make_shared<HttpSession>(shared, state, id, std::move(stream), std::move(peer),
                                                  std::move(address), std::move(ticket));
    state.exchanges.emplace(id, exchange);
    exchange->start();
  });
}

void WebServer::Impl::after_posts_settle(int rounds, std::function<void()> then) {
  if (rounds == 0) return then();
  auto remaining = std::make_shared<std::size_t>(loops.size());
  for (auto& loop : loops) {
    asio::post(loop->io, [this, remaining, rounds, then] {
      asio::post(pool.context(0), [this, remaining, rounds, then] {
        if (--*remaining == 0) after_posts_settle(rounds - 1, then);
      });
    });
  }
}

void WebServer::Impl::complete_shutdown() {
  grace_timer.cancel();
  accounting->on_empty = nullptr;
  if (auto done = std::exchange(shutdown_done, nullptr)) done();
}

WebServer::WebServer(net::LoopPool& pool, WebSettings settings, net::Protocol irc,
                     net::ConnectionSettings irc_settings, MetricsPage metrics) {
  auto shared = std::make_shared<WebShared>();
  shared->settings = std::move(settings);
  shared->irc = std::move(irc);
  shared->irc_settings = irc_settings;
  shared->metrics = std::move(metrics);
  impl_ = std::make_unique<Impl>(pool, std::move(shared));
}

WebServer::~WebServer() {
  // The loops have stopped. Sessions still referenced by handlers the pool
  // has not destroyed yet must not report to a server that is gone.
  impl_->accounting->closed = true;
  for (auto& loop : impl_->loops) {
    loop->exchanges.clear();
    loop->sockets.clear();
    loop->pending_flush.clear();
  }
}

std::uint16_t WebServer::listen(const std::string& address, std::uint16_t port,
                                std::shared_ptr<net::TlsContext> tls) {
  boost::system::error_code ec;
  const auto ip = asio::ip::make_address(address, ec);
  if (ec) throw std::runtime_error(fmt::format("'{}' is not an IP address", address));
  const tcp::endpoint where(ip, port);
  auto fail = [&](const char* what) {
    throw std::runtime_error(
        fmt::format("cannot listen for web clients on {}:{}: {} ({})", address, port, ec.message(), what));
  };
  auto& added = impl_->ports.emplace_back(std::make_unique<Impl::Port>(impl_->pool.context(0)));
  added->tls = std::move(tls);
  auto& acceptor = added->acceptor;
  acceptor.open(where.protocol(), ec);
  if (ec) fail("socket");
  acceptor.set_option(tcp::acceptor::reuse_address(true), ec);
  if (ec) fail("SO_REUSEADDR");
  acceptor.bind(where, ec);
  if (ec) fail("bind");
  acceptor.listen(asio::socket_base::max_listen_connections, ec);
  if (ec) fail("listen");
  return acceptor.local_endpoint().port();
}

void WebServer::start() {
  asio::post(impl_->pool.context(0), [impl = impl_.get()] {
    for (auto& port : impl->ports) {
      if (port->acceptor.is_open()) impl->accept(*port);
    }
  });
}

void WebServer::shutdown(std::chrono::milliseconds grace, std::function<void()> done) {
  asio::post(impl_->pool.context(0), [impl = impl_.get(), grace, done = std::move(done)]() mutable {
    if (impl->shutting_down) return;
    impl->shutting_down = true;
    impl->shutdown_done = std::move(done);
    boost::system::error_code ignored;
    for (auto& port : impl->ports) {
      port->acceptor.close(ignored);
      port->retry.cancel();
    }
    // As on the TCP ports: input stops, what was read reaches every outbox,
    // then each WebSocket writes its outbox, the farewell, and closes.
    impl->for_each_loop([](WebLoop& loop) {
      loop.stopping = true;
      for (auto& [id, exchange] : std::unordered_map(loop.exchanges)) {
        if (auto e = exchange.lock()) e->stop();
      }
      for (auto& [id, socket] : loop.sockets) socket->stop_input();
    });
    impl->after_posts_settle(kHandOffs, [impl] {
      impl->accounting->on_empty = [impl] { impl->complete_shutdown(); };
      impl->for_each_loop([](WebLoop& loop) {
        for (auto& [id, socket] : std::unordered_map(loop.sockets)) socket->begin_shutdown();
      });
      if (impl->accounting->total == 0) impl->complete_shutdown();
    });
    impl->grace_timer.expires_after(grace);
    impl->grace_timer.async_wait([impl](boost::system::error_code ec) {
      if (ec) return;
      spdlog::warn("Shutdown grace is over; closing {} web connection(s) that did not finish.",
                   impl->accounting->total);
      impl->for_each_loop([](WebLoop& loop) {
        for (auto& [id, socket] : std::unordered_map(loop.sockets)) socket->close_now(session::CloseReason::shutdown);
      });
      // Done once every loop has closed its sessions (their IRC sessions
      // leave the hub on their own loops before the loops stop).
      impl->after_posts_settle(1, [impl] { impl->complete_shutdown(); });
    });
  });
}

void WebServer::set_metrics_page(MetricsPage metrics) { impl_->shared->metrics = std::move(metrics); }

std::size_t WebServer::websocket_count() const { return impl_->shared->websockets.load(); }

void WebServer::set_metrics(metrics::Registry& registry) {
  const bool any_tls = std::any_of(impl_->ports.begin(), impl_->ports.end(), [](const auto& p) { return p->tls != nullptr; });
  const std::size_t plain = registry.kind("web", false);
  const std::size_t tls = any_tls ? registry.kind("web", true) : plain;
  for (auto& loop : impl_->loops) {
    loop->metrics = &registry.loop(loop->index);
    loop->kind_plain = plain;
    loop->kind_tls = tls;
  }
}

}  // namespace parley::web
