#include "tls.h"

#include <fmt/format.h>
#include <spdlog/spdlog.h>

#include <csignal>
#include <filesystem>
#include <iostream>

#include "bind_addresses.h"
#include "net/self_signed.h"
#include "net/server.h"
#include "net/signal_watch.h"
#include "net/tls_check.h"
#include "net/tls_context.h"

namespace parley::daemon {

std::string sts_value(const config::TlsSettings& tls, bool on_tls) {
  if (tls.sts_port == 0) return {};
  const long duration = static_cast<long>(tls.sts_duration.count());
  return on_tls ? fmt::format("duration={}", duration) : fmt::format("port={},duration={}", tls.sts_port, duration);
}

namespace {

std::string host_port(const std::string& address, std::uint16_t port) {
  return address.find(':') == std::string::npos ? fmt::format("{}:{}", address, port)
                                                : fmt::format("[{}]:{}", address, port);
}

std::shared_ptr<net::TlsContext> load_context(const config::Config& cfg) {
  net::TlsFiles files{cfg.tls.certificate, cfg.tls.key};
  if (files.certificate.empty()) {
    const net::SelfSigned made = net::ensure_self_signed(cfg.data_dir, cfg.server_name);
    files = made.files;
    if (made.created) spdlog::info("Made a self-signed TLS certificate: {} (key {}).", files.certificate, files.key);
  }
  auto context = std::make_shared<net::TlsContext>(files);
  spdlog::info("TLS certificate {}: SHA-256 fingerprint {}", files.certificate, context->fingerprint());
  return context;
}

}  // namespace

bool check_tls_files(const config::Config& cfg) {
  net::TlsFiles files{cfg.tls.certificate, cfg.tls.key};
  if (files.certificate.empty()) {
    if (!cfg.tls.enabled()) return true;  // no TLS port, no certificate: nothing to check
    // The self-signed default: checked when an earlier start made it.
    files = net::TlsFiles{cfg.data_dir + "/tls-certificate.pem", cfg.data_dir + "/tls-key.pem"};
    std::error_code ec;
    if (!std::filesystem::exists(files.certificate, ec) || !std::filesystem::exists(files.key, ec)) {
      std::cout << fmt::format("TLS certificate: self-signed, made in {} when parleyd starts.\n", cfg.data_dir);
      return true;
    }
  }
  const net::TlsFilesCheck check = net::check_tls_files(files);
  if (!check.problem.empty()) {
    std::cerr << "parleyd: " << check.problem << '\n';
    return false;
  }
  if (check.expired) {
    std::cerr << fmt::format("parleyd: the TLS certificate {} expired on {}: clients will refuse it\n",
                             files.certificate, check.not_after);
    return false;
  }
  std::cout << fmt::format("TLS certificate {} (key {}): SHA-256 fingerprint {}, valid until {}.\n",
                           files.certificate, files.key, check.fingerprint, check.not_after);
  return true;
}

std::unique_ptr<Tls> open_tls(net::SignalWatch& signals, net::Server& server, const config::Config& cfg,
                              net::Protocol text, std::function<net::Protocol(std::string sts)> irc,
                              net::ConnectionSettings irc_settings) {
  if (!cfg.tls.enabled()) return nullptr;
  auto tls = std::make_unique<Tls>();
  tls->context = load_context(cfg);
  // On the first of --bind's addresses (the plain ports listen on all).
  const std::string address = bind_addresses(cfg.bind).front();
  if (cfg.tls.text_port >= 0) {
    net::ConnectionSettings settings = cfg.text;
    settings.tls_handshake_timeout = cfg.tls.handshake_timeout;
    const auto port = server.listen(address, static_cast<std::uint16_t>(cfg.tls.text_port), std::move(text),
                                    settings, tls->context);
    spdlog::info("Listening for text clients over TLS on {}", host_port(address, port));
  }
  if (cfg.tls.irc_port >= 0) {
    irc_settings.tls_handshake_timeout = cfg.tls.handshake_timeout;
    const auto port = server.listen(address, static_cast<std::uint16_t>(cfg.tls.irc_port),
                                    irc(sts_value(cfg.tls, true)), irc_settings, tls->context);
    spdlog::info("Listening for IRC clients over TLS on {}", host_port(address, port));
  }
  // New handshakes use the new certificate; connections keep theirs.
  signals.on(SIGHUP, [context = tls->context] {
    try {
      context->reload();
      spdlog::info("Received SIGHUP: reloaded the TLS certificate {}: SHA-256 fingerprint {}",
                   context->files().certificate, context->fingerprint());
    } catch (const std::exception& e) {
      spdlog::warn("Received SIGHUP: {}; the TLS certificate in use stays.", e.what());
    }
  });
  return tls;
}

}  // namespace parley::daemon
