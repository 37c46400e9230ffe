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

#include "core/session_ref.h"
#include "session/outbound.h"
#include "session/protocol_session.h"

namespace parley::net {

class LoopPool;

struct KeepAlive {
  int idle_seconds = 120;
  int interval_seconds = 15;
  int probes = 4;
};

// Per-connection policy of one listener.
struct ConnectionSettings {
  std::size_t line_bytes = 4096;
  double messages_per_second = 5;  // 0: unlimited
  double message_burst = 20;
  std::size_t outbox_bytes = 1 << 20;
  std::chrono::seconds registration_timeout{60};
  std::chrono::milliseconds close_grace{5000};  // how long a closing connection may take to flush
  std::chrono::seconds idle_interval{0};        // silence before ProtocolSession::on_idle; 0: never
  KeepAlive keepalive;
};

struct Protocol {
  std::string name;  // "text": for the log
  // Makes the codec session for a connection from `peer_address` ("127.0.0.1").
  std::function<std::unique_ptr<session::ProtocolSession>(core::LoopIndex, session::Outbound&,
                                                          const std::string& peer_address)>
      make_session;
  std::function<std::string(session::CloseReason)> farewell;  // last line for a server-decided close
};

struct ServerLimits {
  std::size_t connections_per_address = 10;  // 0: unlimited
  std::size_t max_connections = 18000;
  std::chrono::milliseconds shutdown_grace{3000};
};

class Server {
 public:
  Server(LoopPool& pool, ServerLimits limits);
  ~Server();
  Server(const Server&) = delete;
  Server& operator=(const Server&) = delete;

  // Binds and listens now, so a bad address or a port in use is reported here
  // (std::runtime_error, in words). Returns the port bound (useful with port 0).
  std::uint16_t listen(const std::string& address, std::uint16_t port, Protocol protocol, ConnectionSettings settings);
  // Starts accepting on every listener. Call once the pool runs or before.
  void start();
  // Stops accepting, tells every client, flushes their outboxes, and closes
  // them; calls `done` (on loop 0) when all are closed or the grace is over.
  void shutdown(std::function<void()> done);
  // Shuts down as above on the first SIGTERM or SIGINT.
  void shutdown_on_signals(std::function<void()> done);

  struct Impl;

 private:
  std::unique_ptr<Impl> impl_;
};

}  // namespace parley::net
