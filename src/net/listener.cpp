#include "net/listener.h"

#include <fmt/format.h>
#include <spdlog/spdlog.h>

#include <stdexcept>

#include "net/loop_pool.h"

namespace parley::net {

namespace asio = boost::asio;
using asio::ip::tcp;

Listener::Listener(LoopPool& pool, const tcp::endpoint& where, std::shared_ptr<const Endpoint> endpoint,
                   PickLoop pick_loop, Accepted on_accepted)
    : pool_(pool),
      acceptor_(pool.context(0)),
      retry_(pool.context(0)),
      endpoint_(std::move(endpoint)),
      pick_loop_(std::move(pick_loop)),
      on_accepted_(std::move(on_accepted)) {
  boost::system::error_code ec;
  auto fail = [&](const char* what) {
    throw std::runtime_error(fmt::format("cannot listen for {} clients on {}:{}: {} ({})", endpoint_->protocol.name,
                                         where.address().to_string(), where.port(), ec.message(), what));
  };
  acceptor_.open(where.protocol(), ec);
  if (ec) fail("socket");
  acceptor_.set_option(tcp::acceptor::reuse_address(true), ec);
  if (ec) fail("SO_REUSEADDR");
  acceptor_.bind(where, ec);
  if (ec) fail("bind");
  acceptor_.listen(asio::socket_base::max_listen_connections, ec);
  if (ec) fail("listen");
}

std::uint16_t Listener::port() const { return acceptor_.local_endpoint().port(); }

void Listener::stop() {
  boost::system::error_code ec;
  acceptor_.close(ec);
  retry_.cancel();
}

void Listener::accept() {
  const core::LoopIndex loop = pick_loop_();
  acceptor_.async_accept(pool_.context(loop), [this, loop](boost::system::error_code ec, tcp::socket socket) {
    if (ec == asio::error::operation_aborted || !acceptor_.is_open()) return;
    if (ec) {
      // Out of descriptors, most likely: say so, and back off instead of spinning.
      spdlog::warn("cannot accept a {} connection: {}; trying again in 100 ms", endpoint_->protocol.name, ec.message());
      retry_.expires_after(std::chrono::milliseconds(100));
      retry_.async_wait([this](boost::system::error_code e) {
        if (!e) accept();
      });
      return;
    }
    on_accepted_(loop, std::move(socket), endpoint_);
    accept();
  });
}

}  // namespace parley::net
