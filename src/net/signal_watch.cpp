#include "net/signal_watch.h"

#include <boost/asio/signal_set.hpp>

#include "net/loop_pool.h"

namespace parley::net {

struct SignalWatch::Impl : std::enable_shared_from_this<Impl> {
  Impl(LoopPool& pool, int signal, std::function<void()> action) : signals(pool.context(0), signal), action(std::move(action)) {}

  void wait() {
    signals.async_wait([weak = weak_from_this()](boost::system::error_code ec, int) {
      auto self = weak.lock();
      if (ec || !self) return;
      self->action();
      self->wait();
    });
  }

  boost::asio::signal_set signals;
  std::function<void()> action;
};

SignalWatch::SignalWatch(LoopPool& pool, int signal, std::function<void()> action)
    : impl_(std::make_shared<Impl>(pool, signal, std::move(action))) {
  impl_->wait();
}

SignalWatch::~SignalWatch() {
  boost::system::error_code ec;
  impl_->signals.cancel(ec);
}

}  // namespace parley::net
