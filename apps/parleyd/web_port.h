#pragma once
// parleyd's HTTP port (src/web): the web client and IRC over WebSocket,
// opened from [http] beside the TCP ports.
#include <memory>

#include "config/config.h"
#include "net/endpoint.h"
#include "net/loop_pool.h"
#include "net/server.h"
#include "net/signal_watch.h"
#include "net/tls_context.h"
#include "web/web_server.h"

namespace parley::daemon {

// Opens the port on [http] bind, else on `default_address` (and logs
// "Listening for web clients on ADDR:PORT"; `bound` gets the port), or
// returns null when [http] is off and no HTTPS port is asked for (then the
// server has only its HTTPS port, opened by open_https_port). Throws
// std::runtime_error as net::Server::listen does. `irc`, `irc_settings`: the
// IRC port's.
std::unique_ptr<web::WebServer> open_web_port(net::LoopPool& pool, const config::Config& cfg,
                                              const std::string& default_address, net::Protocol irc,
                                              const net::ConnectionSettings& irc_settings, std::uint16_t& bound);

// The HTTPS port ([http] tls_port, --https-port), on the web port's address,
// with the TLS listeners' certificate (reloaded on SIGHUP). Does nothing when
// it is not asked for.
void open_https_port(web::WebServer& web, const config::Config& cfg, const std::string& default_address,
                     std::shared_ptr<net::TlsContext> tls);

// The web port's own lines of /metrics (the rest is the metrics module's).
std::string websocket_metrics(const web::WebServer& web);

// On SIGTERM or SIGINT, the TCP ports and the web port shut down together;
// `done` runs (on loop 0) once both have finished. A second signal changes
// nothing: the grace bounds the shutdown.
void shutdown_on_signals(net::SignalWatch& signals, net::Server& server, web::WebServer* web,
                         std::chrono::milliseconds grace, std::function<void()> done);

}  // namespace parley::daemon
