#pragma once
// parleyd's settings. Defaults make a useful loopback server; a TOML file
// changes them (docs/configuration.md), and flags override the file.
#include <chrono>
#include <cstdint>
#include <stdexcept>
#include <string>
#include <vector>

#include "auth/account_service.h"
#include "core/hub.h"
#include "net/server.h"
#include "store/database.h"
#include "web/web_settings.h"

namespace parley::config {

// TLS listeners and their certificate (issue 12; docs/configuration.md, "TLS").
struct TlsSettings {
  int irc_port = -1;   // [irc] tls_port, --irc-tls-port; -1: no IRC over TLS
  int text_port = -1;  // [text] tls_port, --text-tls-port; -1: no text protocol over TLS
  int https_port = -1;  // [http] tls_port, --https-port; -1: no HTTPS (the web client and WebSocket over TLS)
  // PEM files, reloaded on SIGHUP; both empty: a self-signed pair made once
  // in the data directory.
  std::string certificate;
  std::string key;
  int sts_port = 0;  // IRCv3 sts: the TLS port plain IRC clients are sent to; 0: not advertised
  std::chrono::seconds sts_duration{30 * 24 * 3600};
  std::chrono::seconds handshake_timeout{10};
  bool enabled() const { return irc_port >= 0 || text_port >= 0 || https_port >= 0; }
};

// [cluster] (issue 16; docs/cluster.md): several nodes, one community.
struct ClusterSettings {
  std::string redis;  // "redis://HOST:PORT"; empty: a single node, no cluster
  std::string node;   // this node's name, unique in the cluster; empty: HOSTNAME-PID
  // Liveness: a heartbeat this often; a node silent longer than the timeout is dead.
  std::chrono::milliseconds heartbeat{1000};
  std::chrono::milliseconds node_timeout{5000};
  // A name's lease in Redis lasts this long unless renewed (every third of it).
  std::chrono::milliseconds name_lease{30000};
  // How often each followed room's latest number is read from Redis: a room
  // behind it that did not move since the last check is read from its stream.
  std::chrono::milliseconds tail_check{1000};
  // Events kept in each room's stream in Redis (about): how far a node that
  // lost its connection can catch up without its members missing any.
  std::int64_t stream_length = 10000;
  bool enabled() const { return !redis.empty(); }
};

struct Config {
  std::string bind = "127.0.0.1";
  std::uint16_t text_port = 7000;
  std::uint16_t irc_port = 6667;
  std::string server_name = "parley.local";  // how the server names itself to IRC clients
  std::string server_description = "Parley chat server";  // IRC LINKS and WHOIS: one line of text
  std::string motd_file;                      // empty: DATA_DIR/motd.txt, if it exists
  std::chrono::seconds irc_ping{120};         // IRC: silence before a PING, and then before giving up
  std::string admin_location;                 // IRC ADMIN; empty: a default sentence
  std::string admin_contact;                  // IRC ADMIN; empty: a default sentence
  std::string irc_password;                   // IRC PASS every client must give; empty: none
  std::vector<core::OperatorLogin> operators;  // server operator logins (IRC OPER); password or Argon2id hash
  bool accounts = true;                        // [accounts] enabled: register, log in, names kept for their owners
  auth::AccountSettings account_settings;
  bool register_before_connect = true;  // [accounts]: IRC REGISTER before NICK/USER completes
  std::string data_dir;  // empty: default_data_dir()
  unsigned threads = 0;  // 0: one per core
  core::HubLimits hub;
  store::StorageSettings storage;  // path: empty until the data directory is known (database_path)
  bool history_enabled = true;
  core::HistoryPolicy history;
  net::ConnectionSettings text;
  net::ServerLimits server;
  // [privacy] cloak: other users see a keyed hash of each address (the key
  // is DATA_DIR/cloak.key), server operators and the log the address.
  bool cloak_hosts = true;
  web::WebSettings http;  // [http]: the web client and IRC over WebSocket (src/web)
  TlsSettings tls;
  ClusterSettings cluster;
};

// A problem with the configuration, in words that name the file and key.
class ConfigError : public std::runtime_error {
 public:
  using std::runtime_error::runtime_error;
};

// Reads `path` over `base`. Throws ConfigError.
Config load_file(const std::string& path, Config base);
// The database file in a data directory.
inline std::string database_path(const std::string& data_dir) { return data_dir + "/parley.db"; }
// $XDG_STATE_HOME/parley, else ~/.local/state/parley.
std::string default_data_dir();

}  // namespace parley::config
