#include "config/config.h"

#include "auth/password_hash.h"
#include "auth/saslprep.h"

#include <fmt/format.h>

#include <algorithm>
#include <cerrno>
#include <filesystem>
#include <fstream>
#include <cmath>
#include <cstdio>
#include <cstring>
#include <cstdlib>
#include <set>
#include <toml++/toml.h>

#include "backplane/redis_address.h"
#include "store/pg_connection.h"
#include "core/names.h"
#include "core/shown_text.h"

namespace parley::config {
namespace {

// The longest server_description, in characters: short enough for one 364
// line beside the server's name.
constexpr std::size_t kServerDescriptionChars = 100;

// Reads known keys from one table and remembers them, so that whatever is
// left at the end is an unknown key, reported rather than ignored.
class TableReader {
 public:
  TableReader(const toml::table& table, std::string file, std::string prefix)
      : table_(table), file_(std::move(file)), prefix_(std::move(prefix)) {}

  template <class Int>
  void integer(std::string_view key, Int& out, std::int64_t min, std::int64_t max) {
    const toml::node* node = take(key);
    if (!node) return;
    // Only an integer node is asked for its value: toml++ converts a float
    // such as 1e20 to int64 without a range check, which is undefined.
    const auto* integer_node = node->as_integer();
    if (!integer_node || integer_node->get() < min || integer_node->get() > max)
      fail(key, fmt::format("must be a whole number from {} to {}", min, max));
    out = static_cast<Int>(integer_node->get());
  }

  void number(std::string_view key, double& out, double min, double max) {
    const toml::node* node = take(key);
    if (!node) return;
    auto v = node->value<double>();
    if (!(node->is_integer() || node->is_floating_point()) || !v || !std::isfinite(*v) || *v < min || *v > max)
      fail(key, fmt::format("must be a number from {} to {}", min, max));
    out = *v;
  }

  void string(std::string_view key, std::string& out) {
    const toml::node* node = take(key);
    if (!node) return;
    if (!node->is_string()) fail(key, "must be a string in quotes");
    out = *node->value<std::string>();
  }

  void boolean(std::string_view key, bool& out) {
    const toml::node* node = take(key);
    if (!node) return;
    if (!node->is_boolean()) fail(key, "must be true or false");
    out = *node->value<bool>();
  }

  // One of `choices`, as a string.
  template <class T>
  void choice(std::string_view key, T& out, std::initializer_list<std::pair<std::string_view, T>> choices) {
    const toml::node* node = take(key);
    if (!node) return;
    std::string names;
    for (const auto& [name, value] : choices) {
      if (node->is_string() && *node->value<std::string>() == name) {
        out = value;
        return;
      }
      names += fmt::format("{}\"{}\"", names.empty() ? "" : " or ", name);
    }
    fail(key, "must be " + names);
  }

  // An array of strings. `check` may throw std::invalid_argument for an
  // element, whose message is reported with the element's key ("key[2]").
  template <class Check>
  void strings(std::string_view key, std::vector<std::string>& out, Check&& check) {
    const toml::node* node = take(key);
    if (!node) return;
    const toml::array* array = node->as_array();
    if (!array) fail(key, "must be a list of strings in quotes ([\"a\", \"b\"]), or [] for none");
    std::vector<std::string> values;
    for (std::size_t i = 0; i < array->size(); ++i) {
      const std::string element = fmt::format("{}[{}]", key, i);
      const auto value = array->get(i)->value<std::string>();
      if (!array->get(i)->is_string() || !value) fail(element, "must be a string in quotes");
      try {
        check(*value);
      } catch (const std::invalid_argument& e) {
        fail(element, e.what());
      }
      values.push_back(*value);
    }
    out = std::move(values);
  }

  template <class F>
  void table(std::string_view key, F&& read) {
    const toml::node* node = take(key);
    if (!node) return;
    if (!node->is_table()) fail(key, "must be a table ([" + std::string(key) + "])");
    TableReader inner(*node->as_table(), file_, path(key) + ".");
    read(inner);
    inner.finish();
  }

  // [[key]]: an array of tables, each read by `read`.
  template <class F>
  void tables(std::string_view key, F&& read) {
    const toml::node* node = take(key);
    if (!node) return;
    const toml::array* array = node->as_array();
    if (!array || !array->is_array_of_tables())
      fail(key, "must be an array of tables ([[" + path(key) + "]])");
    for (std::size_t i = 0; i < array->size(); ++i) {
      TableReader inner(*array->get(i)->as_table(), file_, fmt::format("{}[{}].", path(key), i));
      read(inner);
      inner.finish();
    }
  }

  // A key this table must have, with a non-empty string.
  void required_string(std::string_view key, std::string& out) {
    string(key, out);
    if (out.empty()) fail(key, "must be given, and not be empty");
  }

  void finish() const {
    for (const auto& [key, node] : table_) {
      if (!seen_.contains(std::string(key.str())))
        throw ConfigError(fmt::format("{}: unknown key '{}' (see docs/configuration.md)", file_, path(key.str())));
    }
  }

 private:
  const toml::node* take(std::string_view key) {
    seen_.insert(std::string(key));
    return table_.get(key);
  }
  std::string path(std::string_view key) const { return prefix_ + std::string(key); }
  [[noreturn]] void fail(std::string_view key, std::string_view problem) const {
    throw ConfigError(fmt::format("{}: {}: {}", file_, path(key), problem));
  }

  const toml::table& table_;
  std::string file_;
  std::string prefix_;
  std::set<std::string> seen_;
};

template <class Rep, class Period>
void seconds(TableReader& r, std::string_view key, std::chrono::duration<Rep, Period>& out, double min, double max) {
  double s = std::chrono::duration<double>(out).count();
  r.number(key, s, min, max);
  out = std::chrono::duration_cast<std::chrono::duration<Rep, Period>>(std::chrono::duration<double>(s));
}

}  // namespace

namespace {

// What an IRC line can carry as the server's name: a host name's characters.
bool is_server_name(std::string_view name) {
  return !name.empty() && name.size() <= 63 && name.front() != '.' && name.front() != '-' &&
         std::all_of(name.begin(), name.end(), [](char ch) {
           return (ch >= 'a' && ch <= 'z') || (ch >= 'A' && ch <= 'Z') || (ch >= '0' && ch <= '9') || ch == '-' ||
                  ch == '.';
         });
}

// Values each fine alone that would still start a broken server (issue 15).
void check_values(const std::string& path, const Config& c) {
  auto fail = [&](std::string_view key, const std::string& problem) {
    throw ConfigError(fmt::format("{}: {}: {}", path, key, problem));
  };
  if (auto room = core::check_room_name(c.hub.default_room, c.hub.room_chars); !room.ok())
    fail("default_room", fmt::format("'{}' is not a room name (1 to {} characters; no spaces, control characters, "
                                     "',' or ':')",
                                     c.hub.default_room, c.hub.room_chars));
  if (!is_server_name(c.server_name))
    fail("server_name", fmt::format("'{}' is not a server name (a host name: letters, digits, '-' and '.')",
                                    c.server_name));
  // One line others see beside the server's name (LINKS, WHOIS): words, not
  // control characters, and short enough to fit in any reply.
  if (c.server_description.empty() || !core::is_fit_to_show(c.server_description, kServerDescriptionChars))
    fail("server_description", fmt::format("'{}' is not a server description (1 to {} characters, no control "
                                           "characters)",
                                           core::fit_to_show(c.server_description, kServerDescriptionChars),
                                           kServerDescriptionChars));
  if (!c.motd_file.empty()) {
    std::error_code ec;
    if (!std::filesystem::is_regular_file(c.motd_file, ec) || !std::ifstream(c.motd_file))
      fail("irc.motd_file", fmt::format("cannot read {}", c.motd_file));
  }
}

}  // namespace

namespace {

// [tls]: the certificate and the sts policy (the ports are in [irc] and [text]).
void read_tls(TableReader& r, TlsSettings& tls, const std::string& path) {
  r.table("tls", [&](TableReader& t) {
    t.string("certificate", tls.certificate);
    t.string("key", tls.key);
    t.integer("sts_port", tls.sts_port, 0, 65535);
    seconds(t, "sts_duration_seconds", tls.sts_duration, 0, 10 * 365 * 86400.0);
    seconds(t, "handshake_timeout_seconds", tls.handshake_timeout, 1, 3600);
  });
  if (tls.certificate.empty() != tls.key.empty())
    throw ConfigError(fmt::format("{}: tls: certificate and key go together (give both, or neither for a "
                                  "self-signed certificate)",
                                  path));
}

}  // namespace

Config load_file(const std::string& path, Config c) {
  if (std::error_code ec; std::filesystem::is_directory(path, ec))
    throw ConfigError(fmt::format("cannot read the configuration file {}: it is a directory", path));
  if (std::FILE* f = std::fopen(path.c_str(), "r")) {
    std::fclose(f);
  } else {
    throw ConfigError(fmt::format("cannot read the configuration file {}: {}", path, std::strerror(errno)));
  }
  toml::table root;
  try {
    root = toml::parse_file(path);
  } catch (const toml::parse_error& e) {
    const auto& where = e.source().begin;
    throw ConfigError(fmt::format("{}:{}:{}: {}", path, where.line, where.column, e.description()));
  }
  TableReader r(root, path, "");
  r.string("bind", c.bind);
  r.string("data_dir", c.data_dir);
  r.integer("threads", c.threads, 0, 256);
  r.string("default_room", c.hub.default_room);
  seconds(r, "shutdown_grace_seconds", c.server.shutdown_grace, 0, 600);
  seconds(r, "write_hold_seconds", c.server.write_hold, 0, 1);
  r.string("server_name", c.server_name);
  r.string("server_description", c.server_description);
  r.table("text", [&](TableReader& t) {
    t.integer("port", c.text_port, 0, 65535);
    t.integer("tls_port", c.tls.text_port, -1, 65535);
  });
  r.table("irc", [&](TableReader& t) {
    t.integer("port", c.irc_port, 0, 65535);
    t.integer("tls_port", c.tls.irc_port, -1, 65535);
    t.string("motd_file", c.motd_file);
    seconds(t, "ping_seconds", c.irc_ping, 1, 86400);
    t.string("admin_location", c.admin_location);
    t.string("admin_contact", c.admin_contact);
    t.string("password", c.irc_password);
    t.tables("operators", [&](TableReader& o) {
      core::OperatorLogin login;
      o.required_string("name", login.name);
      o.required_string("password", login.password);
      c.operators.push_back(std::move(login));
    });
  });
  r.table("limits", [&](TableReader& t) {
    t.integer("line_bytes", c.text.line_bytes, 16, 1 << 20);
    t.integer("name_chars", c.hub.name_chars, 1, 256);
    t.integer("room_chars", c.hub.room_chars, 1, 256);
    t.integer("topic_chars", c.hub.topic_chars, 0, 4096);
    t.integer("rooms_per_user", c.hub.rooms_per_user, 1, 10000);
    t.integer("name_history", c.hub.name_history, 0, 1000000);
    t.integer("real_name_chars", c.hub.real_name_chars, 1, 400);
    t.integer("away_chars", c.hub.away_chars, 1, 400);
    t.integer("bans_per_room", c.hub.room.bans, 0, 10000);
    t.integer("invitations_per_room", c.hub.room.invitations, 1, 10000);
    t.integer("room_key_bytes", c.hub.room.key_bytes, 1, 256);
    t.integer("room_member_limit", c.hub.room.member_limit, 1, 1 << 30);
    t.number("messages_per_second", c.text.messages_per_second, 0, 1e9);
    t.number("message_burst", c.text.message_burst, 1, 1e9);
    t.integer("connections_per_address", c.server.connections_per_address, 0, 1 << 30);
    t.integer("max_connections", c.server.max_connections, 1, 1 << 30);
    std::vector<std::string> exempt = c.server.exempt_networks.to_strings();
    // Each entry is checked on its own, so that an error names it ("exempt_networks[2]").
    t.strings("exempt_networks", exempt, [](const std::string& cidr) { net::NetworkSet{std::vector{cidr}}; });
    c.server.exempt_networks = net::NetworkSet(exempt);
    seconds(t, "name_timeout_seconds", c.text.registration_timeout, 1, 86400);
    seconds(t, "silent_close_seconds", c.text.silent_close, 0, 30 * 86400);
    t.integer("outbox_bytes", c.text.outbox_bytes, 1024, std::int64_t{1} << 32);
  });
  r.table("storage", [&](TableReader& t) {
    t.choice("sync", c.storage.sync, {{"batch", store::SyncPolicy::batch}, {"always", store::SyncPolicy::always}});
    seconds(t, "sync_seconds", c.storage.sync_interval, 0.01, 60);
    t.integer("queue_lines", c.storage.queue_lines, 100, 100000000);
    t.string("url", c.storage.url);
  });
  if (!c.storage.url.empty()) {
    if (auto problem = store::postgres_url_problem(c.storage.url))
      throw ConfigError(fmt::format("{}: storage.url: '{}' {}", path, store::postgres_url_for_logs(c.storage.url),
                                    *problem));
  }
  r.table("history", [&](TableReader& t) {
    t.boolean("enabled", c.history_enabled);
    t.integer("replay_lines", c.history.replay_lines, 0, 1000);
    t.integer("max_query_lines", c.history.max_query_lines, 1, 10000);
    // Retention: 0 keeps everything. Days up to 100 years.
    int keep_days = 0;
    t.integer("keep_days", keep_days, 0, 36500);
    c.storage.retention.max_age = std::chrono::hours(24 * keep_days);
    c.history.replay_max_age = c.storage.retention.max_age;
    t.integer("keep_lines_per_room", c.storage.retention.max_lines_per_room, 0, std::int64_t{1} << 40);
  });
  r.table("accounts", [&](TableReader& t) {
    t.boolean("enabled", c.accounts);
    seconds(t, "name_grace_seconds", c.account_settings.name_grace, 0.1, 86400);
    t.integer("min_password_bytes", c.account_settings.min_password, 1, 256);
    t.integer("max_password_bytes", c.account_settings.max_password, 8, 4096);
    if (c.account_settings.min_password > c.account_settings.max_password)
      throw ConfigError(fmt::format("{}: accounts.min_password_bytes: is more than max_password_bytes", path));
    t.integer("failures_before_pacing", c.account_settings.pacing.free_failures, 0, 1000);
    t.boolean("register_before_connect", c.register_before_connect);
    std::int64_t deleted_check = c.account_settings.deleted_check.count();
    t.integer("deleted_check_seconds", deleted_check, 0, 86400);
    c.account_settings.deleted_check = std::chrono::seconds(deleted_check);
  });
  r.table("keepalive", [&](TableReader& t) {
    t.integer("idle_seconds", c.text.keepalive.idle_seconds, 1, 86400);
    t.integer("interval_seconds", c.text.keepalive.interval_seconds, 1, 3600);
    t.integer("probes", c.text.keepalive.probes, 1, 100);
  });
  r.table("privacy", [&](TableReader& t) { t.boolean("cloak", c.cloak_hosts); });
  // [http]: the web port (src/web, docs/web.md).
  r.table("http", [&](TableReader& t) {
    t.boolean("enabled", c.http.enabled);
    t.string("bind", c.http.bind);
    t.integer("port", c.http.port, 0, 65535);
    t.integer("tls_port", c.tls.https_port, -1, 65535);
    t.strings("allowed_origins", c.http.allowed_origins, [](const std::string& origin) {
      if (origin != "*" && origin.find("://") == std::string::npos)
        throw std::invalid_argument("'" + origin + "' is not an origin (scheme://host[:port], or \"*\")");
    });
    t.integer("max_frame_bytes", c.http.max_frame_bytes, 512, 16 << 20);
    t.integer("outbox_bytes", c.http.outbox_bytes, 1024, std::int64_t{1} << 32);
    seconds(t, "handshake_timeout_seconds", c.http.handshake_timeout, 1, 3600);
    t.integer("connections_per_address", c.http.connections_per_address, 0, 1 << 30);
  });
  read_tls(r, c.tls, path);
  r.table("cluster", [&](TableReader& t) {
    t.string("redis", c.cluster.redis);
    t.string("node", c.cluster.node);
    seconds(t, "heartbeat_seconds", c.cluster.heartbeat, 0.05, 60);
    seconds(t, "node_timeout_seconds", c.cluster.node_timeout, 0.2, 600);
    seconds(t, "name_lease_seconds", c.cluster.name_lease, 3, 3600);
    seconds(t, "tail_check_seconds", c.cluster.tail_check, 0.01, 60);
    t.integer("stream_length", c.cluster.stream_length, 100, 10'000'000);
  });
  if (!c.cluster.redis.empty() && !backplane::parse_redis_url(c.cluster.redis))
    throw ConfigError(fmt::format("{}: cluster.redis: '{}' is not a Redis address (redis://HOST:PORT)", path,
                                  c.cluster.redis));
  if (c.cluster.name_lease < 3 * c.cluster.tail_check)  // leases are renewed at the checks
    throw ConfigError(fmt::format("{}: cluster.name_lease_seconds must be at least 3 times tail_check_seconds", path));
  if (c.cluster.node_timeout < 2 * c.cluster.heartbeat)
    throw ConfigError(fmt::format("{}: cluster.node_timeout_seconds must be at least twice heartbeat_seconds", path));
  if (!c.cluster.node.empty() && !is_server_name(c.cluster.node))
    throw ConfigError(fmt::format("{}: cluster.node: '{}' is not a node name (letters, digits, '-' and '.')", path,
                                  c.cluster.node));
  r.finish();
  for (std::size_t i = 0; i < c.operators.size(); ++i) {
    std::string& password = c.operators[i].password;
    if (auth::is_password_hash(password)) {
      if (!c.accounts)
        throw ConfigError(fmt::format("{}: irc.operators[{}].password: a hashed password needs [accounts] enabled = true",
                                      path, i));
      continue;
    }
    // Kept as SASLprep prepares it, as OPER prepares what is typed (and
    // `parleyd hash-password` what it hashes): one password typed two ways
    // (a composed or decomposed "é") is one password, as for accounts.
    auto prepared = auth::saslprep(password);
    if (!prepared)
      throw ConfigError(fmt::format("{}: irc.operators[{}].password: not a usable password (SASLprep prohibits "
                                    "control characters and some others)",
                                    path, i));
    password = std::move(*prepared);
  }
  check_values(path, c);
  return c;
}

std::string default_data_dir() {
  if (const char* state = std::getenv("XDG_STATE_HOME"); state && *state) return std::string(state) + "/parley";
  if (const char* home = std::getenv("HOME"); home && *home) return std::string(home) + "/.local/state/parley";
  return "parley-data";
}

}  // namespace parley::config
