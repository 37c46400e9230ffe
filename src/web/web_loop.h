#pragma once
// What the HTTP port keeps per event loop, and what all its connections share.
// Private to src/web; touched only on its own loop (check_owner).
#include <boost/asio/io_context.hpp>

#include <atomic>
#include <cstdint>
#include <functional>
#include <memory>
#include <string>
#include <unordered_map>
#include <vector>

#include "core/loop_owned.h"
#include "core/session_ref.h"
#include "metrics/registry.h"
#include "net/endpoint.h"
#include "web/routes.h"
#include "web/web_settings.h"

namespace parley::web {

class HttpSession;
class WsSession;
class WebTransport;

// Counts one accepted TCP connection against the port's limits while it
// lives (an HTTP exchange, then maybe a WebSocket); its destructor reports the
// end. Move-only.
class ConnectionTicket {
 public:
  ConnectionTicket() = default;
  explicit ConnectionTicket(std::function<void()> release) : release_(std::move(release)) {}
  ConnectionTicket(ConnectionTicket&& other) noexcept : release_(std::exchange(other.release_, nullptr)) {}
  ConnectionTicket& operator=(ConnectionTicket&&) = delete;
  ~ConnectionTicket() {
    if (release_) release_();
  }

 private:
  std::function<void()> release_;
};

struct WebLoop {
  WebLoop(boost::asio::io_context& io, core::LoopIndex index) : io(io), index(index) {}
  void check_owner() const { core::check_loop(index, "web loop state"); }

  boost::asio::io_context& io;
  core::LoopIndex index;
  std::uint64_t next_id = 1;
  bool stopping = false;  // shutdown: no new WebSocket sessions, idle HTTP exchanges end
  std::unordered_map<std::uint64_t, std::weak_ptr<HttpSession>> exchanges;
  std::unordered_map<std::uint64_t, std::shared_ptr<WsSession>> sockets;
  // Queue now, write later (web_transport.h): connections with output wait
  // here for the end of the loop's pass.
  std::vector<std::shared_ptr<WebTransport>> pending_flush;
  std::vector<std::shared_ptr<WebTransport>> flushing;
  void run_flushes();
  // This loop's counters (metrics/registry.h; WebServer::set_metrics points
  // them at the server's registry): WebSocket sessions count under the
  // protocol "web", plain or TLS.
  metrics::LoopCounters unregistered_metrics;
  metrics::LoopCounters* metrics = &unregistered_metrics;
  std::size_t kind_plain = 0;
  std::size_t kind_tls = 1;
  metrics::KindCounters& counters(bool tls) { return metrics->kinds[tls ? kind_tls : kind_plain]; }
};

// Set up before the loops start; read-only after, but for the counters.
struct WebShared {
  WebSettings settings;
  net::Protocol irc;                    // makes each WebSocket's IRC session
  net::ConnectionSettings irc_settings;  // the IRC port's policy: pacing, timeouts, idle PINGs
  MetricsPage metrics;
  std::atomic<std::size_t> websockets{0};  // open WebSocket sessions, for the metrics page
};

}  // namespace parley::web
