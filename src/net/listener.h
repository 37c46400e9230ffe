#pragma once
// Accepts connections on loop 0 and hands each to a loop, in turn.
#include <boost/asio/ip/tcp.hpp>
#include <boost/asio/steady_timer.hpp>

#include <functional>
#include <memory>

#include "core/session_ref.h"
#include "net/endpoint.h"

namespace parley::net {

class LoopPool;

class Listener {
 public:
  // Called with each accepted socket (already bound to the loop it is given).
  using Accepted = std::function<void(core::LoopIndex, boost::asio::ip::tcp::socket, std::shared_ptr<const Endpoint>)>;
  using PickLoop = std::function<core::LoopIndex()>;

  // Binds and listens; throws std::runtime_error in words.
  Listener(LoopPool& pool, const boost::asio::ip::tcp::endpoint& where, std::shared_ptr<const Endpoint> endpoint,
           PickLoop pick_loop, Accepted on_accepted);

  std::uint16_t port() const;
  void start() { accept(); }
  void stop();

 private:
  void accept();

  LoopPool& pool_;
  boost::asio::ip::tcp::acceptor acceptor_;
  boost::asio::steady_timer retry_;
  std::shared_ptr<const Endpoint> endpoint_;
  PickLoop pick_loop_;
  Accepted on_accepted_;
};

}  // namespace parley::net
