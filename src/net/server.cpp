#include "net/server.h"

#include <boost/asio/post.hpp>
#include <boost/asio/steady_timer.hpp>
#include <fmt/format.h>
#include <spdlog/spdlog.h>

#include <stdexcept>
#include <unordered_map>
#include <vector>

#include "net/connection.h"
#include "net/listener.h"
#include "net/loop_pool.h"
#include "net/refusal_log.h"

namespace parley::net {

namespace asio = boost::asio;
using asio::ip::tcp;
using session::CloseReason;

namespace {
// The longest chain of posts one accepted line starts (see Server::shutdown),
// with one to spare.
constexpr int kHandOffs = 5;
}  // namespace

// Connection counts and shutdown state live on loop 0, where the listeners run;
// other loops report a finished connection by posting there.
struct Server::Impl {
  Impl(LoopPool& pool, ServerLimits limits)
      : pool(pool), limits(limits), metrics(pool.loop_count()), shutdown_timer(pool.context(0)) {
    for (core::LoopIndex i = 0; i < pool.loop_count(); ++i) {
      loops.push_back(std::make_unique<LoopState>(pool.context(i), i));
      loops.back()->metrics = &metrics.loop(i);
      loops.back()->write_hold = WriteHold(limits.write_hold);
      loops.back()->on_connection_finished = [this](std::string address) {
        asio::post(this->pool.context(0), [this, address = std::move(address)] { on_finished(address); });
      };
      loops.back()->on_linger = [this](int delta) {
        asio::post(this->pool.context(0), [this, delta] {
          lingering += delta;
          if (shutting_down && total == 0 && lingering == 0) complete_shutdown();
        });
      };
      pool.on_pass_end(i, [state = loops.back().get()] { state->run_flushes(); });
    }
  }

  core::LoopIndex pick_loop() {
    const core::LoopIndex loop = next_loop;
    next_loop = (next_loop + 1) % pool.loop_count();
    return loop;
  }

  void on_accepted(core::LoopIndex loop, tcp::socket socket, std::shared_ptr<const Endpoint> endpoint);
  void on_finished(const std::string& address);
  void for_each_connection(void (*action)(Connection&));
  void complete_shutdown();
  // Runs `then` on loop 0 once every loop has run what was posted to it
  // before, and what that posted in turn, `rounds` hand-offs deep.
  void after_posts_settle(int rounds, std::function<void()> then);
  void release_held_back(std::size_t next);
  // Shutdown's last step: every connection writes its outbox, then closes.
  void flush_and_close();

  LoopPool& pool;
  ServerLimits limits;
  metrics::Registry metrics;
  std::vector<std::unique_ptr<LoopState>> loops;
  std::vector<std::unique_ptr<Listener>> listeners;
  core::LoopIndex next_loop = 0;
  std::unordered_map<std::string, std::size_t> per_address;
  std::size_t total = 0;
  long lingering = 0;  // closed connections still draining their peer's input (loop 0's count)
  bool shutting_down = false;
  std::function<void()> shutdown_done;
  std::vector<Server::Release> held_back;  // in the order lines pass through them
  asio::steady_timer shutdown_timer;
  RefusalLog refusals{pool.context(0)};
};

void Server::Impl::on_accepted(core::LoopIndex loop, tcp::socket socket, std::shared_ptr<const Endpoint> endpoint) {
  boost::system::error_code ec;
  const tcp::endpoint remote = socket.remote_endpoint(ec);
  if (ec || shutting_down) return;  // gone already, or we are closing: the socket closes with it
  std::string address = remote.address().to_string();
  std::string peer = remote.address().is_v6() ? fmt::format("[{}]:{}", address, remote.port())
                                              : fmt::format("{}:{}", address, remote.port());

  std::optional<CloseReason> refusal;
  if (total >= limits.max_connections) refusal = CloseReason::server_full;
  else if (limits.connections_per_address > 0 && per_address[address] >= limits.connections_per_address &&
           !limits.exempt_networks.contains(remote.address()))
    refusal = CloseReason::too_many_from_address;
  if (!refusal) {
    ++total;
    ++per_address[address];
  }
  const bool quiet = refusal && refusals.count(address, *refusal);

  asio::post(pool.context(loop), [this, loop, socket = std::move(socket), peer = std::move(peer),
                                  endpoint = std::move(endpoint), refusal, quiet]() mutable {
    LoopState& state = *loops[loop];
    const std::uint64_t id = state.next_id++;
    auto connection =
        std::make_shared<Connection>(state, id, std::move(socket), std::move(peer), std::move(endpoint), !refusal);
    if (refusal) return connection->refuse(*refusal, quiet);
    state.adopt(connection);
    connection->start();
  });
}

void Server::Impl::on_finished(const std::string& address) {
  --total;
  if (auto it = per_address.find(address); it != per_address.end() && --it->second == 0) per_address.erase(it);
  if (shutting_down && total == 0 && lingering == 0) complete_shutdown();
}

void Server::Impl::flush_and_close() {
  for_each_connection([](Connection& c) { c.begin_shutdown(); });
  if (total == 0 && lingering == 0) complete_shutdown();
}

// Each holder in turn lets go of what it held, which reaches the loops and
// travels on (to the next holder, perhaps) before the next is asked.
void Server::Impl::release_held_back(std::size_t next) {
  if (next == held_back.size()) return flush_and_close();
  held_back[next]([this, next] {
    asio::post(pool.context(0), [this, next] {
      after_posts_settle(kHandOffs, [this, next] { release_held_back(next + 1); });
    });
  });
}

void Server::Impl::after_posts_settle(int rounds, std::function<void()> then) {
  if (rounds == 0) return then();
  // Each loop runs, in order, what was posted to it before this round's task,
  // and posts what that causes before it acknowledges.
  auto remaining = std::make_shared<std::size_t>(loops.size());
  for (auto& state : loops) {
    asio::post(state->io, [this, remaining, rounds, then] {
      asio::post(pool.context(0), [this, remaining, rounds, then] {
        if (--*remaining == 0) after_posts_settle(rounds - 1, then);
      });
    });
  }
}

void Server::Impl::for_each_connection(void (*action)(Connection&)) {
  for (auto& state : loops) {
    asio::post(state->io, [s = state.get(), action] {
      auto connections = s->connections;  // an action may remove a connection from the map
      for (auto& [id, c] : connections) action(*c);
    });
  }
}

void Server::Impl::complete_shutdown() {
  shutdown_timer.cancel();
  if (auto done = std::exchange(shutdown_done, nullptr)) done();
}

Server::Server(LoopPool& pool, ServerLimits limits) : impl_(std::make_unique<Impl>(pool, limits)) {}

Server::~Server() = default;

std::uint16_t Server::listen(const std::string& address, std::uint16_t port, Protocol protocol,
                             ConnectionSettings settings, std::shared_ptr<TlsContext> tls) {
  boost::system::error_code ec;
  const auto ip = asio::ip::make_address(address, ec);
  if (ec) throw std::runtime_error(fmt::format("'{}' is not an IP address", address));
  const std::size_t kind = impl_->metrics.kind(protocol.name, tls != nullptr);
  auto endpoint = std::make_shared<const Endpoint>(Endpoint{std::move(protocol), settings, std::move(tls), kind});
  auto listener = std::make_unique<Listener>(
      impl_->pool, tcp::endpoint(ip, port), std::move(endpoint), [impl = impl_.get()] { return impl->pick_loop(); },
      [impl = impl_.get()](core::LoopIndex loop, tcp::socket socket, std::shared_ptr<const Endpoint> ep) {
        impl->on_accepted(loop, std::move(socket), std::move(ep));
      });
  const std::uint16_t bound = listener->port();
  impl_->listeners.push_back(std::move(listener));
  return bound;
}

metrics::Registry& Server::metrics() { return impl_->metrics; }

void Server::start() {
  asio::post(impl_->pool.context(0), [impl = impl_.get()] {
    for (auto& l : impl->listeners) l->start();
  });
}

void Server::shutdown(std::function<void()> done) {
  asio::post(impl_->pool.context(0), [impl = impl_.get(), done = std::move(done)]() mutable {
    if (impl->shutting_down) return;
    impl->shutting_down = true;
    impl->shutdown_done = std::move(done);
    for (auto& l : impl->listeners) l->stop();
    impl->refusals.flush();
    spdlog::info("Shutting down: telling {} client(s) and flushing for up to {} ms.", impl->total,
                 impl->limits.shutdown_grace.count());
    // Input stops first. What was read is accepted: every line already handed
    // to a session reaches every member's outbox (a message travels at most
    // sender -> registry or room loop -> members' loops -> sender for its
    // answer), and only then does each connection write its outbox, then the
    // farewell, then close.
    impl->for_each_connection([](Connection& c) { c.stop_input(); });
    impl->after_posts_settle(kHandOffs, [impl] { impl->release_held_back(0); });
    impl->shutdown_timer.expires_after(impl->limits.shutdown_grace);
    impl->shutdown_timer.async_wait([impl](boost::system::error_code ec) {
      if (ec) return;
      spdlog::warn("Shutdown grace is over; closing {} connection(s) that did not finish.", impl->total);
      impl->for_each_connection([](Connection& c) { c.abort(CloseReason::shutdown); });
    });
  });
}

void Server::wait_at_shutdown_for(Release release) { impl_->held_back.push_back(std::move(release)); }

}  // namespace parley::net
