#pragma once
// Many text-protocol connections on one epoll loop: opens them at a paced
// rate, registers each (greeting, name, welcome), then hands every further
// line to a LineSink and sends what the scenario asks.

#include <netinet/in.h>

#include <cstddef>
#include <cstdint>
#include <map>
#include <string>
#include <string_view>
#include <vector>

#include "histogram.h"
#include "line_assembler.h"
#include "poller.h"

namespace parley::bench {

class LineSink {
 public:
  virtual ~LineSink() = default;
  // A line received by a registered client, at time `now`.
  virtual void on_line(std::size_t client, std::string_view line, std::int64_t now) = 0;
  // A client has just been welcomed; it may be sent lines from here on.
  virtual void on_registered(std::size_t /*client*/, std::int64_t /*now*/) {}
};

struct PoolConfig {
  sockaddr_in server{};
  std::size_t count = 0;
  double connect_rate = 0;  // per second; 0 = as fast as kMaxPending allows
  std::int64_t register_timeout_ns = 0;
  std::string name_prefix;
};

class ClientPool {
 public:
  static constexpr std::size_t kMaxPending = 512;  // handshakes in progress when unpaced

  ClientPool(PoolConfig config, LineSink& sink);
  ~ClientPool();
  ClientPool(const ClientPool&) = delete;
  ClientPool& operator=(const ClientPool&) = delete;

  void start(std::int64_t now);
  // Waits for events until `until` at the latest and handles them.
  void poll(std::int64_t until);
  // Queues `line` plus '\n' and writes what the socket takes; false if the
  // client is not connected.
  bool send_line(std::size_t client, std::string_view line);
  std::size_t queued_bytes(std::size_t client) const { return clients_[client].out.size(); }
  bool joined(std::size_t client) const { return clients_[client].state == State::joined; }
  std::size_t connected() const { return registered_ - disconnected_; }
  void close_all();

  std::string name(std::size_t client) const;
  std::size_t count() const { return config_.count; }
  std::size_t registered() const { return registered_; }
  std::size_t failed() const { return failed_; }
  std::size_t disconnected() const { return disconnected_; }
  bool registration_done() const { return registered_ + failed_ == config_.count; }
  const Histogram& registration_latency() const { return registration_latency_; }
  std::int64_t first_connect_ns() const { return first_connect_ns_; }
  std::int64_t last_registered_ns() const { return last_registered_ns_; }
  // What went wrong, and how often: refusals, disconnection reasons, errors.
  const std::map<std::string, std::size_t>& problems() const { return problems_; }

 private:
  enum class State : std::uint8_t { waiting, connecting, greeting, welcome, joined, failed, closed };
  struct Client {
    int fd = -1;
    State state = State::waiting;
    bool want_write = false;
    std::int64_t started_ns = 0;
    LineAssembler in;
    std::string out;
  };

  std::size_t pending() const { return opened_ - registered_ - failed_; }
  std::int64_t next_open_due(std::int64_t now) const;
  void open_due(std::int64_t now);
  void open(std::size_t i, std::int64_t now);
  void handle(std::size_t i, std::uint32_t events);
  void read_some(std::size_t i);
  bool on_line(std::size_t i, std::string_view line, std::int64_t now);
  void flush(std::size_t i);
  void update_interest(std::size_t i);
  void end(std::size_t i, std::string_view reason);
  void note(std::string_view problem);
  void check_timeouts(std::int64_t now);

  PoolConfig config_;
  LineSink& sink_;
  Poller poller_;
  std::vector<Client> clients_;
  std::vector<char> scratch_;
  std::int64_t ramp_start_ns_ = 0;
  std::int64_t next_timeout_check_ns_ = 0;
  std::size_t opened_ = 0;
  std::size_t registered_ = 0;
  std::size_t failed_ = 0;
  std::size_t disconnected_ = 0;
  bool closing_ = false;
  Histogram registration_latency_;
  std::int64_t first_connect_ns_ = 0;
  std::int64_t last_registered_ns_ = 0;
  std::map<std::string, std::size_t> problems_;
};

}  // namespace parley::bench
