// parleyd: the Parley chat server. Wires the core, the codecs and the network
// layer together from the configuration; the work happens in src/.
#include <CLI/CLI.hpp>
#include <fmt/format.h>
#include <spdlog/sinks/stdout_sinks.h>
#include <spdlog/spdlog.h>

#include <csignal>
#include <filesystem>
#include <fstream>
#include <map>
#include <sstream>
#include <iostream>
#include <thread>

#include <sched.h>
#include <unistd.h>

#include "accounts.h"
#include "bind_addresses.h"
#include "cloak_key.h"
#include "log_format.h"
#include "config/config.h"
#include "history_store.h"
#include "kept_records.h"
#include "backplane/redis_address.h"
#include "backplane/redis_backplane.h"
#include "core/hub.h"
#include "irc/irc_session.h"
#include "irc/message.h"
#include "net/loop_pool.h"
#include "net/server.h"
#include "net/signal_watch.h"
#include "storage_commands.h"
#include "store/database.h"
#include "store/pg_connection.h"
#include "store/store_error.h"
#include "text/text_session.h"
#include "text_port.h"
#include "web_port.h"
#include "metrics.h"
#include "tls.h"

namespace {

using namespace parley;

void setup_logging(daemon::LogFormat format) {
  auto logger = spdlog::stdout_logger_mt("parleyd");
  daemon::apply_log_format(*logger, format);
  logger->flush_on(spdlog::level::trace);  // tests and operators read the log as it is written
  spdlog::set_default_logger(logger);
}

// The CPUs this process may run on (taskset, cgroups' cpusets), not the
// machine's: two loops taking turns on one allowed CPU only add hand-offs.
unsigned usable_cpus() {
  cpu_set_t allowed;
  CPU_ZERO(&allowed);
  if (sched_getaffinity(0, sizeof allowed, &allowed) == 0) return std::max(1, CPU_COUNT(&allowed));
  return std::max(1u, std::thread::hardware_concurrency());
}

// A node's name when [cluster] node is not given: unique on this host, and a
// restarted node is a new node.
std::string default_node_name() {
  char host[256] = {};
  if (gethostname(host, sizeof host - 1) != 0) host[0] = '\0';
  return fmt::format("{}-{}", host[0] ? host : "node", getpid());
}

std::string host_port(const std::string& address, std::uint16_t port) {
  return address.find(':') == std::string::npos ? fmt::format("{}:{}", address, port)
                                                : fmt::format("[{}]:{}", address, port);
}

net::Protocol irc_protocol(core::Hub& hub, std::shared_ptr<const irc::IrcConfig> config) {
  return net::Protocol{
      "IRC",
      [&hub, config](core::LoopIndex loop, session::Outbound& out, const std::string& address) {
        return std::make_unique<irc::IrcSession>(hub, loop, out, config, address);
      },
      [](session::CloseReason reason) { return irc::IrcSession::farewell(reason); },
  };
}

std::string read_motd(const std::string& path) {
  std::ifstream in(path);
  if (!in) return {};
  std::stringstream text;
  text << in.rdbuf();
  return text.str();
}

// Why `dir` cannot be the data directory ("" if it can): it is made if
// missing, and must take a new file (root passes access(2) checks, so try one).
std::string data_dir_problem(const std::string& dir) {
  std::error_code ec;
  std::filesystem::create_directories(dir, ec);
  if (ec) return "cannot be created: " + ec.message();
  if (!std::filesystem::is_directory(dir, ec)) return "is not a directory";
  const std::filesystem::path probe = std::filesystem::path(dir) / ".parleyd-write-test";
  if (!std::ofstream(probe)) return "is not writable";
  std::filesystem::remove(probe, ec);
  return {};
}

}  // namespace

int main(int argc, char** argv) {
  if (auto status = daemon::run_subcommand(argc, argv)) return *status;  // account, hash-password
  CLI::App app{"parleyd: the Parley chat server. With no options it serves the text protocol on 127.0.0.1:7000, "
               "IRC on 127.0.0.1:6667 and the web client on http://127.0.0.1:8080."};
  std::string config_path, bind, data_dir;
  std::uint16_t text_port = 0, irc_port = 0;
  unsigned threads = 0;
  app.add_option("--config", config_path, "TOML configuration file (see docs/configuration.md)");
  auto* bind_opt = app.add_option("--bind", bind,
                                  "addresses to listen on, separated by commas: IP addresses (:: for all), or host "
                                  "names such as localhost (default 127.0.0.1)");
  auto* port_opt = app.add_option("--text-port", text_port, "text protocol port; 0 picks a free one (default 7000)");
  auto* irc_port_opt = app.add_option("--irc-port", irc_port, "IRC port; 0 picks a free one (default 6667)");
  std::uint16_t http_port = 0;
  bool no_http = false;
  auto* http_port_opt = app.add_option("--http-port", http_port, "web client and WebSocket port; 0 picks a free one (default 8080)");
  app.add_flag("--no-http", no_http, "no web port ([http] enabled = false)");
  auto* dir_opt = app.add_option("--data-dir", data_dir, "data directory (default $XDG_STATE_HOME/parley)");
  auto* threads_opt = app.add_option("--threads", threads,
                                     "how many event loops to run, each on a thread of its own (default: one per core)")
                          ->check(CLI::Range(1u, 256u));
  daemon::LogFormat log_format = daemon::LogFormat::text;
  app.add_option("--log-format", log_format, "log lines as sentences (text, the default) or JSON objects (json)")
      ->transform(CLI::CheckedTransformer(std::map<std::string, daemon::LogFormat>{
          {"text", daemon::LogFormat::text}, {"json", daemon::LogFormat::json}}));
  int irc_tls_port = -1, text_tls_port = -1, https_port = -1;
  auto* irc_tls_opt = app.add_option("--irc-tls-port", irc_tls_port, "IRC over TLS port, conventionally 6697; 0 picks "
                                     "a free one (default: none)")->check(CLI::Range(0, 65535));
  auto* text_tls_opt = app.add_option("--text-tls-port", text_tls_port, "text protocol over TLS port; 0 picks a free "
                                      "one (default: none)")->check(CLI::Range(0, 65535));
  auto* https_opt = app.add_option("--https-port", https_port, "web client and WebSocket over TLS port, "
                                   "conventionally 443 or 8443; 0 picks a free one (default: none)")
                       ->check(CLI::Range(0, 65535));
  bool check_config = false;
  app.add_flag("--check-config", check_config,
               "check the configuration and the data directory, then exit (0: usable, 2: not)");
  app.set_version_flag("--version", std::string("parleyd ") + PARLEY_VERSION);
  std::string backup_file;
  auto* backup = app.add_subcommand("backup", "copy the database to FILE, also while parleyd runs "
                                              "(docs/configuration.md, \"Backup and restore\")");
  backup->fallthrough();  // --config and --data-dir may follow it
  backup->add_option("FILE", backup_file, "where to write the copy")->required();
  try {
    app.parse(argc, argv);
  } catch (const CLI::ParseError& e) {
    return app.exit(e) == 0 ? 0 : 2;
  }

  config::Config cfg;
  try {
    if (!config_path.empty()) cfg = config::load_file(config_path, cfg);
  } catch (const config::ConfigError& e) {
    std::cerr << "parleyd: " << e.what() << '\n';
    return 2;
  }
  if (*bind_opt) cfg.bind = bind;
  if (*port_opt) cfg.text_port = text_port;
  if (*irc_port_opt) cfg.irc_port = irc_port;
  if (*http_port_opt) cfg.http.port = http_port;
  if (no_http) cfg.http.enabled = false;
  if (*dir_opt) cfg.data_dir = data_dir;
  if (*threads_opt) cfg.threads = threads;
  if (*irc_tls_opt) cfg.tls.irc_port = irc_tls_port;
  if (*text_tls_opt) cfg.tls.text_port = text_tls_port;
  if (*https_opt) cfg.tls.https_port = https_port;
  if (cfg.data_dir.empty()) cfg.data_dir = config::default_data_dir();
  if (cfg.threads == 0) cfg.threads = usable_cpus();
  cfg.storage.path = config::database_path(cfg.data_dir);
  if (check_config) return app::check_config_command(cfg);
  if (*backup) return app::backup_command(cfg, backup_file);

  if (const std::string problem = data_dir_problem(cfg.data_dir); !problem.empty()) {
    std::cerr << "parleyd: the data directory " << cfg.data_dir << " " << problem << '\n';
    return 2;  // a configuration error, like a bad key
  }

  setup_logging(log_format);
  std::signal(SIGPIPE, SIG_IGN);  // a peer gone mid-write is an error code, not a signal
  // Before any thread starts, so every thread has them blocked: they are
  // read on loop 0 (signals, below), even when sent before the loops run.
  net::block_watched_signals();

  net::LoopPool pool(cfg.threads);
  core::Hub hub(pool, cfg.hub);
  hub.presence().set_operator_logins(cfg.operators);  // before any loop runs: read-only from then on
  // Declared after the hub and the pool: it is closed first, writing what is
  // queued, while the answers it still posts have loops to go to.
  daemon::HistoryStore kept_history;
  core::History* history = nullptr;
  if (cfg.history_enabled) {
    try {
      kept_history = daemon::open_history(cfg);
    } catch (const store::StoreError& e) {
      std::cerr << "parleyd: " << e.what() << '\n';
      return 1;
    }
    history = kept_history.history.get();
    hub.set_history(history, cfg.history);
  }
  // [cluster]: room events through Redis, in one order across nodes. On the
  // registry loop; declared after the pool and the hub, so it goes first.
  std::unique_ptr<backplane::RedisBackplane> cluster;
  if (cfg.cluster.enabled()) {
    backplane::BackplaneSettings settings;
    settings.redis = *backplane::parse_redis_url(cfg.cluster.redis);  // checked when read
    settings.node = cfg.cluster.node.empty() ? default_node_name() : cfg.cluster.node;
    settings.heartbeat = cfg.cluster.heartbeat;
    settings.node_timeout = cfg.cluster.node_timeout;
    settings.name_lease = cfg.cluster.name_lease;
    settings.check_interval = cfg.cluster.tail_check;
    settings.stream_length = static_cast<std::size_t>(cfg.cluster.stream_length);
    cluster = std::make_unique<backplane::RedisBackplane>(pool.context(core::HubState::kRegistryLoop), settings);
    hub.set_backplane(cluster.get());
    cluster->start();  // connects once the loops run
    spdlog::info("Cluster: node {}, Redis at {}; {}.", settings.node, cfg.cluster.redis,
                 cfg.storage.url.empty() ? "history and accounts stay on each node (no [storage] url)"
                                         : "history and accounts are shared in PostgreSQL");
  }
  std::shared_ptr<daemon::KeptRecords> kept;  // registered rooms, server bans: before the loops run
  std::int64_t account_deletions = 0;  // applied to the rooms as loaded: read before them
  try {
    account_deletions = daemon::last_account_deletion(cfg);
    kept = daemon::start_kept_records(hub, cfg);
  } catch (const store::StoreError& e) {
    std::cerr << "parleyd: " << e.what() << '\n';
    return 1;
  }
  // Its actions use the ports declared after it: they run only on loop 0,
  // which has stopped before those are destroyed.
  net::SignalWatch signals(pool);
  net::Server server(pool, cfg.server);
  // At shutdown, what was accepted reaches its readers: first the messages on
  // their way through Redis, then (sync = "always") history that keeps them
  // before they are delivered.
  if (cluster)
    server.wait_at_shutdown_for([node = cluster.get()](auto resume) { node->after_settled(std::move(resume)); });
  if (history && history->keeps_before_delivery())
    server.wait_at_shutdown_for([history](auto resume) { history->after_commit(std::move(resume)); });
  // What an HTTP /metrics route answers (the Prometheus text); any thread.
  const std::function<std::string()> metrics_text = daemon::metrics_source(server, kept_history.counts);
  std::unique_ptr<daemon::Accounts> accounts;  // after the server: its worker stops first
  std::unique_ptr<daemon::Tls> tls;
  try {
    accounts = daemon::start_accounts(cfg);
    if (accounts) daemon::watch_deleted_accounts(hub, *accounts, account_deletions);
  } catch (const store::StoreError& e) {
    std::cerr << "parleyd: " << e.what() << '\n';
    return 1;
  }
  std::unique_ptr<auth::HostCloak> cloak;  // used as sessions are made, while the loops run
  try {
    if (cfg.cloak_hosts) cloak = daemon::load_host_cloak(cfg.data_dir);
  } catch (const daemon::CloakKeyError& e) {
    std::cerr << "parleyd: " << e.what() << '\n';
    return 2;
  }
  std::unique_ptr<web::WebServer> web;  // after the hub and the accounts: its sessions go first
  try {
    auto irc_config = std::make_shared<irc::IrcConfig>();
    irc_config->cloak = cloak.get();
    irc_config->server_name = cfg.server_name;
    irc_config->description = cfg.server_description;
    irc_config->register_before_connect = cfg.register_before_connect;
    irc_config->version = std::string("parley-") + PARLEY_VERSION;
    irc_config->accounts = accounts ? &accounts->service() : nullptr;
    irc_config->motd = read_motd(cfg.motd_file.empty() ? cfg.data_dir + "/motd.txt" : cfg.motd_file);
    if (!cfg.admin_location.empty()) irc_config->admin_location = cfg.admin_location;
    if (!cfg.admin_contact.empty()) irc_config->admin_contact = cfg.admin_contact;
    irc_config->password = cfg.irc_password;
    const text::TextConfig text_config{cfg.text.registration_timeout, accounts ? &accounts->service() : nullptr,
                                       cloak.get(), irc_config->motd};
    // Several addresses share one port: a port picked for the first (0) is the others' too.
    const std::vector<std::string> addresses = daemon::bind_addresses(cfg.bind);
    // Copies the text listener's policy, limits.name_timeout_seconds included:
    // the connection closes an IRC client that has not registered by then
    // (ProtocolSession::registered), as it does a text user with no name.
    net::ConnectionSettings irc_settings = cfg.text;
    // A tag section, a space and a 510-byte body: parse_message checks each part.
    irc_settings.line_bytes = irc::kMaxClientTagBytes + 2 + irc::kMaxBodyBytes;
    irc_settings.idle_interval = cfg.irc_ping;
    irc_config->sts = daemon::sts_value(cfg.tls, /*on_tls=*/false);
    // The web port first: the text port names it to browsers that knock there.
    std::uint16_t web_port = cfg.http.port;
    web = daemon::open_web_port(pool, cfg, addresses.front(), irc_protocol(hub, irc_config), irc_settings, web_port);

    const auto text_port = daemon::text_port_protocol(hub, pool, text_config, irc_config, web_port);
    for (std::uint16_t port = cfg.text_port; const auto& address : addresses) {
      port = server.listen(address, port, text_port, cfg.text);
      spdlog::info("Listening for text clients on {}", host_port(address, port));
    }
    for (std::uint16_t port = cfg.irc_port; const auto& address : addresses) {
      port = server.listen(address, port, irc_protocol(hub, irc_config), irc_settings);
      spdlog::info("Listening for IRC clients on {}", host_port(address, port));
    }
    if (web)
      web->set_metrics_page([&metrics_text, w = web.get()] { return metrics_text() + daemon::websocket_metrics(*w); });
    tls = daemon::open_tls(signals, server, cfg, text_port, [&](std::string sts) {
      auto tls_config = std::make_shared<irc::IrcConfig>(*irc_config);
      tls_config->sts = std::move(sts);
      return irc_protocol(hub, tls_config);
    }, irc_settings);
    if (web && tls) daemon::open_https_port(*web, cfg, addresses.front(), tls->context);
    if (web) web->set_metrics(server.metrics());
  } catch (const std::exception& e) {
    std::cerr << "parleyd: " << e.what() << '\n';
    return 1;
  }
  spdlog::info("Data directory: {}; {} event loop(s); default room #{}.", cfg.data_dir, cfg.threads,
               cfg.hub.default_room);
  if (!cfg.storage.url.empty()) {
    spdlog::info("Accounts, registered rooms, server bans and read markers: kept in PostgreSQL at {}.",
                 store::postgres_url_for_logs(cfg.storage.url));
  }
  if (history) {
    spdlog::info("History: kept in {} ({} writes).", kept_history.where,
                 cfg.storage.sync == store::SyncPolicy::always ? "synced" : "batched");
  } else {
    spdlog::info("History: off ([history] enabled = false).");
  }

  daemon::shutdown_on_signals(signals, server, web.get(), cfg.server.shutdown_grace, [&pool] { pool.stop(); });
  server.start();
  if (web) web->start();
  pool.start();
  spdlog::info("Waiting for new users....");
  pool.join();
  if (history) {
    kept_history.history.reset();  // writes what is still queued
    spdlog::info("History saved.");
  }
  spdlog::info("Server stopped.");
  return 0;
}
