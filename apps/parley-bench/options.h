#pragma once
// Command-line options of parley-bench and their validation.

#include <cstddef>
#include <cstdint>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

namespace parley::bench {

enum class Scenario { fanout, idle };
enum class Proto { text, irc, redis, seed };

struct Options {
  Scenario scenario = Scenario::fanout;
  Proto proto = Proto::text;
  std::string host = "127.0.0.1";
  std::uint16_t port = 7000;       // the first of `ports`
  std::vector<std::uint16_t> ports{7000};  // client i connects to ports[i % size] (a cluster's nodes)
  std::size_t clients = 100;
  std::size_t senders = 10;
  std::size_t size = 100;         // payload bytes per message, line end excluded
  double rate = 0;                // messages/s per sender; 0 = window mode
  std::size_t window = 0;         // messages in flight per sender; 0 = rate mode
  double warmup = 2;              // seconds
  double duration = 10;           // seconds
  double connect_rate = 2000;     // new connections per second; 0 = as fast as allowed
  std::vector<int> server_pids;   // the server's processes (a cluster's nodes); none = unknown
  std::string json_path;          // empty = JSON goes to stdout as a second line
  double time_limit = 120;        // hard cap on the whole run, seconds
  double drain_timeout = 10;      // seconds to wait for in-flight messages at the end
  double settle_timeout = 30;     // seconds to wait for join lines before sending
  double register_timeout = 15;   // seconds one connection may take to register
  std::string name_prefix = "b";  // client names are PREFIX0, PREFIX1, ...
  bool part = false;              // idle: leave the default room after registering
  std::string room;               // empty: the protocol's default room
  std::size_t rooms = 1;          // idle: client i joins room i % rooms
  bool quickack = true;           // re-arm TCP_QUICKACK after every read
  bool tls = false;               // TLS on every connection (parleyd's TLS ports)
  std::string caps;               // irc: CAP REQ
  bool ws = false;                // irc: through parleyd's web port (IRC over WebSocket); port = the HTTP port
  std::string oper;               // irc: NAME:PASSWORD, senders become operators
  std::string sender_umode;       // irc: user modes senders set, e.g. "+F"
};

std::string_view proto_name(Proto proto);

// Parses argv into `out`. Returns an exit code when the program should stop
// now (0 after --help, 2 on a usage error), nothing when it should run.
std::optional<int> parse_options(int argc, char** argv, Options& out);

}  // namespace parley::bench
