#pragma once
// parleyd's TLS listeners (issue 12): IRC and the text protocol over TLS, the
// certificate they share (configured, or self-signed in the data directory),
// its reload on SIGHUP, and the IRCv3 sts policy.
#include <functional>
#include <memory>
#include <string>

#include "config/config.h"
#include "net/endpoint.h"

namespace parley::net {
class Server;
class SignalWatch;
class TlsContext;
}  // namespace parley::net

namespace parley::daemon {

struct Tls {
  std::shared_ptr<net::TlsContext> context;  // for other TLS listeners (HTTPS) to share
};

// The sts capability's value for IRC listeners ("" when not configured):
// where to go and for how long on plain ones, how long on TLS ones.
std::string sts_value(const config::TlsSettings& tls, bool on_tls);

// For --check-config: checks the configured certificate and key files (or
// the self-signed pair in the data directory, when it exists and a TLS port
// is on), printing what it found; returns false after printing a problem.
bool check_tls_files(const config::Config& cfg);

// Opens the TLS listeners `cfg` asks for (none: returns null), and reloads
// their certificate on SIGHUP. `irc` makes the IRC protocol for TLS
// connections, given their sts value. Throws std::runtime_error in words.
std::unique_ptr<Tls> open_tls(net::SignalWatch& signals, net::Server& server, const config::Config& cfg,
                              net::Protocol text, std::function<net::Protocol(std::string sts)> irc,
                              net::ConnectionSettings irc_settings);

}  // namespace parley::daemon
