#include "options.h"

#include <CLI/CLI.hpp>
#include <fmt/core.h>

#include "diag.h"
#include "irc_wire.h"
#include "net_addr.h"
#include "seed_wire.h"

namespace parley::bench {
namespace {

constexpr std::size_t kMaxPayload = 4096;       // limits.line_bytes default
constexpr std::size_t kMaxIrcPayload = 400;     // "PRIVMSG #room :" + payload + CRLF fits in 512 bytes
constexpr std::size_t kMaxPairs = 50'000'000;   // (recipient, sender) table cap

std::optional<std::string> validate(const Options& o, bool rate_given) {
  if (!is_loopback_ipv4(o.host)) return "--host must be an IPv4 loopback address (127.x.x.x)";
  for (std::uint16_t p : o.ports) {
    if (p == 0) return "--port must be 1..65535";
  }
  if (o.ports.size() > 1 && o.ws) return "--ws takes one --port";
  if (o.clients == 0) return "--clients must be at least 1";
  if (o.warmup < 0 || o.duration <= 0) return "--warmup must be >= 0 and --duration > 0";
  if (o.connect_rate < 0) return "--connect-rate must be >= 0";
  if (o.time_limit <= 0 || o.drain_timeout < 0 || o.settle_timeout < 0 || o.register_timeout <= 0)
    return "timeouts must be positive";
  if (o.name_prefix.empty() || o.name_prefix.size() > 16 ||
      o.name_prefix.find_first_of(" :/#\t") != std::string::npos || o.name_prefix[0] == '/')
    return "--name-prefix must be 1-16 characters without spaces, ':', '/' or '#'";
  const bool irc = o.proto == Proto::irc;
  if (!irc && (!o.caps.empty() || !o.oper.empty() || !o.sender_umode.empty()))
    return "--caps, --oper and --sender-umode are for --proto irc";
  if (!o.oper.empty() && (o.oper.find(':') == std::string::npos || o.oper.find_first_of(" \r\n") != std::string::npos))
    return "--oper must be NAME:PASSWORD without spaces";
  if (o.caps.find_first_of("\r\n") != std::string::npos || o.sender_umode.find_first_of(" \r\n") != std::string::npos)
    return "--caps and --sender-umode must be one line (--sender-umode without spaces)";
  if (o.room.find_first_of(" ,\r\n") != std::string::npos) return "--room must not hold spaces or ','";
  if (irc && !o.room.empty() && o.room[0] != '#') return "--room must start with '#' for --proto irc";
  if (o.ws && !irc) return "--ws is for --proto irc (IRC over WebSocket)";
  if (o.part && o.proto != Proto::text) return "--part is for --proto text";
  if (o.rooms == 0) return "--rooms must be at least 1";
  if (o.rooms > 1 && o.scenario != Scenario::idle) return "--rooms is for --scenario idle";
  if (o.rooms > 1 && o.proto == Proto::seed) return "the seed has one room: --rooms must be 1";
  if (o.proto == Proto::seed && !o.room.empty()) return "the seed has one room: no --room";
  if (o.scenario == Scenario::fanout) {
    if (o.senders == 0 || o.senders > o.clients) return "--senders must be 1..--clients";
    const std::size_t max_payload =
        irc ? kMaxIrcPayload : o.proto == Proto::seed ? kSeedMaxPayload : kMaxPayload;
    if (o.size == 0 || o.size > max_payload)
      return fmt::format("--size must be 1..{} for --proto {}", max_payload, proto_name(o.proto));
    if (irc && o.clients < 2 && !irc_caps_include(o.caps, "echo-message"))
      return "--proto irc without echo-message needs --clients >= 2 (a sender does not receive its own messages)";
    if (rate_given && o.window > 0) return "--rate and --window exclude each other";
    if (o.rate < 0) return "--rate must be > 0";
    if (o.clients * o.senders > kMaxPairs)
      return fmt::format("--clients x --senders must be at most {}", kMaxPairs);
  }
  return std::nullopt;
}

}  // namespace

std::string_view proto_name(Proto proto) {
  switch (proto) {
    case Proto::text: return "text";
    case Proto::irc: return "irc";
    case Proto::redis: return "redis";
    case Proto::seed: return "seed";
  }
  return "?";
}

std::optional<int> parse_options(int argc, char** argv, Options& out) {
  CLI::App app{
      "parley-bench: chat load generator (loopback only) for parleyd's plain-text protocol,\n"
      "IRC, Redis pub/sub and the seed's Python server. Source addresses are spread over\n"
      "127.0.0.2-127.0.0.254; still, raise the server's per-address and flood limits."};
  app.set_help_flag("-h,--help", "Show this help and exit");

  std::string scenario = "fanout";
  app.add_option("--scenario", scenario, "fanout | idle")
      ->check(CLI::IsMember({"fanout", "idle"}))
      ->capture_default_str();
  std::string proto = "text";
  app.add_option("--proto", proto, "text | irc | redis | seed")
      ->check(CLI::IsMember({"text", "irc", "redis", "seed"}))
      ->capture_default_str();
  app.add_option("--host", out.host, "Server address (loopback)")->capture_default_str();
  app.add_option("--port", out.ports,
                 "Server port (of the --proto listener); several, comma-separated: clients spread over them in "
                 "turn (the nodes of a cluster)")
      ->delimiter(',')
      ->capture_default_str();
  app.add_option("--clients", out.clients, "Connections to register")->capture_default_str();
  app.add_option("--senders", out.senders, "fanout: clients that send")->capture_default_str();
  app.add_option("--size", out.size, "fanout: message payload bytes")->capture_default_str();
  auto* rate = app.add_option("--rate", out.rate,
                              "fanout: messages/s per sender, latency from the scheduled time "
                              "(default 10 unless --window is given)");
  auto* window = app.add_option("--window", out.window,
                                "fanout: in-flight messages per sender, sent as fast as they complete");
  rate->excludes(window);
  app.add_option("--warmup", out.warmup, "Seconds of load before measuring")->capture_default_str();
  app.add_option("--duration", out.duration, "Measured seconds (idle: hold time)")->capture_default_str();
  app.add_option("--connect-rate", out.connect_rate, "New connections per second; 0 = as fast as possible")
      ->capture_default_str();
  app.add_option("--server-pid", out.server_pids,
                 "The server's PID: its CPU and RSS from /proc; several, comma-separated: their sum")
      ->delimiter(',');
  app.add_option("--json", out.json_path, "Write the JSON result to FILE (default: 2nd stdout line)");
  app.add_option("--time-limit", out.time_limit, "Hard cap on the whole run, seconds")->capture_default_str();
  app.add_option("--drain-timeout", out.drain_timeout, "Seconds to wait for in-flight messages")
      ->capture_default_str();
  app.add_option("--settle-timeout", out.settle_timeout, "Seconds to wait for join lines to settle")
      ->capture_default_str();
  app.add_option("--register-timeout", out.register_timeout, "Seconds one registration may take")
      ->capture_default_str();
  app.add_option("--name-prefix", out.name_prefix, "Client names are PREFIX<n>")->capture_default_str();
  app.add_flag("--part", out.part,
               "text idle: send /part right after registering, so that later joins are not announced to "
               "every idle client (bare connections instead of one big room)");

  app.add_option("--room", out.room,
                 "Room to join (default: text the server's default room, irc #bench, redis bench)");
  app.add_option("--rooms", out.rooms, "idle: client i joins room bench<i % K> (irc #bench<k>)")
      ->capture_default_str();
  app.add_flag("--tls", out.tls, "Speak TLS on every connection (point --port at a TLS port); the certificate is "
               "not verified");
  bool no_quickack = false;
  app.add_flag("--no-quickack", no_quickack, "Do not re-arm TCP_QUICKACK after every read");
  app.add_option("--caps", out.caps, "irc: capabilities to request, e.g. \"echo-message server-time\"");
  app.add_flag("--ws", out.ws, "irc: connect through parleyd's web port, IRC over WebSocket (--port: the HTTP port)");
  app.add_option("--oper", out.oper, "irc: senders send OPER NAME PASSWORD (NAME:PASSWORD)");
  app.add_option("--sender-umode", out.sender_umode, "irc: senders send MODE <nick> MODES, e.g. +F");

  try {
    app.parse(argc, argv);
  } catch (const CLI::ParseError& e) {
    const int code = app.exit(e);
    return code == 0 ? 0 : 2;
  }
  out.scenario = scenario == "idle" ? Scenario::idle : Scenario::fanout;
  if (!out.ports.empty()) out.port = out.ports.front();
  out.proto = proto == "irc" ? Proto::irc : proto == "redis" ? Proto::redis : proto == "seed" ? Proto::seed : Proto::text;
  out.quickack = !no_quickack;
  if (out.proto == Proto::seed && out.scenario == Scenario::fanout) {
    // Two messages in flight would reach the seed in one recv() and come back as one.
    if (rate->count() > 0 || out.window > 1) diag("--proto seed: one message in flight per sender (window 1)");
    out.window = 1;
    out.rate = 0;
  }
  const bool rate_given = rate->count() > 0 && out.window == 0;
  if (out.scenario == Scenario::fanout && !rate_given && out.window == 0) out.rate = 10;
  if (rate_given && out.rate <= 0) {
    diag("--rate must be > 0");
    return 2;
  }
  if (auto err = validate(out, rate_given)) {
    diag("{}\nRun with --help for more information.", *err);
    return 2;
  }
  return std::nullopt;
}

}  // namespace parley::bench
