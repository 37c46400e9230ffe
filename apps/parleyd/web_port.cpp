#include "web_port.h"

#include <fmt/format.h>
#include <spdlog/spdlog.h>

#include <csignal>
#include <utility>

namespace parley::daemon {

std::unique_ptr<web::WebServer> open_web_port(net::LoopPool& pool, const config::Config& cfg,
                                              const std::string& default_address, net::Protocol irc,
                                              const net::ConnectionSettings& irc_settings, std::uint16_t& bound) {
  if (!cfg.http.enabled && cfg.tls.https_port < 0) return nullptr;
  web::WebSettings settings = cfg.http;
  settings.max_message_bytes = irc_settings.line_bytes;  // one IRC line per message
  settings.exempt_networks = cfg.server.exempt_networks;  // as on the TCP ports
  settings.max_frame_bytes = std::max(settings.max_frame_bytes, settings.max_message_bytes + 1);
  auto server = std::make_unique<web::WebServer>(pool, settings, std::move(irc), irc_settings, nullptr);
  if (!cfg.http.enabled) return server;  // HTTPS only
  const std::string address = cfg.http.bind.empty() ? default_address : cfg.http.bind;
  const auto port = bound = server->listen(address, cfg.http.port);
  spdlog::info("Listening for web clients on {}", address.find(':') == std::string::npos
                                                     ? fmt::format("{}:{}", address, port)
                                                     : fmt::format("[{}]:{}", address, port));
  return server;
}

void open_https_port(web::WebServer& web, const config::Config& cfg, const std::string& default_address,
                     std::shared_ptr<net::TlsContext> tls) {
  if (cfg.tls.https_port < 0 || !tls) return;
  const std::string address = cfg.http.bind.empty() ? default_address : cfg.http.bind;
  const auto port = web.listen(address, static_cast<std::uint16_t>(cfg.tls.https_port), std::move(tls));
  spdlog::info("Listening for web clients over TLS on {}", address.find(':') == std::string::npos
                                                              ? fmt::format("https://{}:{}", address, port)
                                                              : fmt::format("https://[{}]:{}", address, port));
}

std::string websocket_metrics(const web::WebServer& web) {
  return fmt::format(
      "# HELP parley_websocket_connections Open WebSocket connections.\n"
      "# TYPE parley_websocket_connections gauge\n"
      "parley_websocket_connections {}\n",
      web.websocket_count());
}

void shutdown_on_signals(net::SignalWatch& signals, net::Server& server, web::WebServer* web,
                         std::chrono::milliseconds grace, std::function<void()> done) {
  // Both callbacks run on loop 0: a plain count is enough.
  auto remaining = std::make_shared<int>(web ? 2 : 1);
  auto one_finished = [remaining, done = std::move(done)] {
    if (--*remaining == 0) done();
  };
  auto started = std::make_shared<bool>(false);
  for (const int signal : {SIGINT, SIGTERM}) {
    signals.on(signal, [signal, &server, web, grace, one_finished, started] {
      if (std::exchange(*started, true)) {
        spdlog::info("Received {} again; already shutting down.", net::SignalWatch::name(signal));
        return;
      }
      spdlog::info("Received {}.", net::SignalWatch::name(signal));
      server.shutdown(one_finished);
      if (web) web->shutdown(grace, one_finished);
    });
  }
}

}  // namespace parley::daemon
