#pragma once
// The network side of parleyd: listeners, connections, outboxes, shutdown.
// Protocol-agnostic: each listener is given a Protocol that makes the codec
// session for each connection. Asio stays inside src/net's .cpp files.
#include <chrono>
#include <cstddef>
#include <cstdint>
#include <functional>
#include <memory>
#include <string>

#include "net/endpoint.h"
#include "net/network_set.h"
#include "net/write_hold.h"

namespace parley::metrics {
class Registry;
}

namespace parley::net {

class LoopPool;

struct ServerLimits {
  std::size_t connections_per_address = 10;  // 0: unlimited
  // Not limited per address: a bouncer, web gateway or bridge on the same host
  // connects all its users from one address. max_connections still applies.
  NetworkSet exempt_networks = NetworkSet::loopback();
  std::size_t max_connections = 18000;
  std::chrono::milliseconds shutdown_grace{3000};
  // The longest a busy loop lets others' room messages wait to share a write
  // (net/write_hold.h); 0: never.
  std::chrono::microseconds write_hold = WriteHold::kDefaultMost;
};

class Server {
 public:
  Server(LoopPool& pool, ServerLimits limits);
  ~Server();
  Server(const Server&) = delete;
  Server& operator=(const Server&) = delete;

  // Binds and listens now, so a bad address or a port in use is reported here
  // (std::runtime_error, in words). Returns the port bound (useful with port 0).
  // `tls`: the listener's connections speak TLS with the context's current
  // certificate (null: plain TCP).
  std::uint16_t listen(const std::string& address, std::uint16_t port, Protocol protocol, ConnectionSettings settings,
                       std::shared_ptr<TlsContext> tls = nullptr);
  // Starts accepting on every listener. Call once the pool runs or before.
  void start();
  // Stops accepting, tells every client, flushes their outboxes, and closes
  // them; calls `done` (on loop 0) when all are closed or the grace is over.
  void shutdown(std::function<void()> done);
  // Something outside the loops that holds accepted lines back (history that
  // keeps events before they are delivered, the cluster's messages on their
  // way through Redis): at shutdown, once input has stopped and the loops have
  // settled, `release(resume)` must call `resume` (from any thread) when all
  // it held has been posted to the loops. Several are released one after
  // another, in the order they were added (the order lines pass them).
  using Release = std::function<void(std::function<void()> resume)>;
  void wait_at_shutdown_for(Release release);

  // The counters the loops keep (read them from any thread).
  metrics::Registry& metrics();

  struct Impl;

 private:
  std::unique_ptr<Impl> impl_;
};

}  // namespace parley::net
