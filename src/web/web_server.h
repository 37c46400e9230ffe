#pragma once
// The HTTP port: the web client's files, /healthz, /metrics, and IRC over
// WebSocket (the IRCv3 transport). Connections are spread over the event
// loops like the TCP ports' (DESIGN.md, "Threads and ownership"); each
// WebSocket gets an IRC session made by the IRC port's Protocol.
#include <cstddef>
#include <cstdint>
#include <functional>
#include <memory>
#include <string>

#include "net/endpoint.h"
#include "web/routes.h"
#include "web/web_settings.h"

namespace parley::net {
class LoopPool;
class TlsContext;
}  // namespace parley::net

namespace parley::metrics {
class Registry;
}

namespace parley::web {

class WebServer {
 public:
  // `irc_settings`: the IRC port's policy (pacing, registration timeout, idle
  // PINGs, close grace); `metrics` builds /metrics on whichever loop asks.
  // Adds a pass-end action to each of the pool's loops (the output flush):
  // destroy the WebServer only once the loops have stopped, as net::Server.
  WebServer(net::LoopPool& pool, WebSettings settings, net::Protocol irc, net::ConnectionSettings irc_settings,
            MetricsPage metrics);
  ~WebServer();
  WebServer(const WebServer&) = delete;
  WebServer& operator=(const WebServer&) = delete;

  // Binds now (a port in use is a std::runtime_error, in words); returns the
  // port. With `tls`, the port is HTTPS: each connection's TLS handshake uses
  // the context's certificate of the moment (a reload applies to new ones).
  // One plain and one TLS port at most.
  std::uint16_t listen(const std::string& address, std::uint16_t port,
                       std::shared_ptr<net::TlsContext> tls = nullptr);
  // Replaces the /metrics page builder; before start().
  void set_metrics_page(MetricsPage metrics);
  void start();
  // Stops accepting; every WebSocket writes what it has, then the IRC
  // farewell, then closes. `done` runs on loop 0 when all have, or when the
  // grace is over.
  void shutdown(std::chrono::milliseconds grace, std::function<void()> done);
  // Open WebSocket sessions (any thread).
  std::size_t websocket_count() const;
  // Counts WebSocket sessions (protocol "web"), their lines, deliveries,
  // bytes, disconnects and rejected lines, and the HTTPS port's failed
  // handshakes, in `registry` (one slot per loop, as the TCP ports). After
  // listen(), before start().
  void set_metrics(metrics::Registry& registry);

  struct Impl;

 private:
  std::unique_ptr<Impl> impl_;
};

}  // namespace parley::web
