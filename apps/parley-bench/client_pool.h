#pragma once
// Many connections on one epoll loop: opens them at a paced rate and moves
// bytes between each socket and its protocol Session (wire.h), which
// registers, joins and recognises what arrives; the pool passes what the
// sessions recognise on to the scenario.
//
// Connections 0..clients-1 are the clients (the first `senders` of them
// send); with a protocol that sends on an extra connection (Redis), sender s
// also owns connection clients+s, its publisher.

#include <netinet/in.h>

#include <cstddef>
#include <cstdint>
#include <map>
#include <memory>
#include <string>
#include <string_view>
#include <vector>

#include "histogram.h"
#include "poller.h"
#include "tls_client.h"
#include "wire.h"

namespace parley::bench {

// What the scenario hears about each client connection (publishers report
// nothing but failures, which count as registration failures).
class PoolListener {
 public:
  virtual ~PoolListener() = default;
  virtual void on_member_joined(std::size_t /*client*/) {}
  virtual void on_delivery(std::size_t client, std::string_view payload, std::int64_t now) = 0;
  virtual void on_error_line(std::size_t /*client*/, std::string_view /*line*/) {}
};

struct PoolConfig {
  std::vector<sockaddr_in> servers;  // client i connects to servers[i % size]
  std::size_t clients = 0;
  std::size_t senders = 0;           // clients 0..senders-1 send
  std::vector<std::string> rooms;    // client i joins rooms[i % rooms.size()]
  bool part = false;                 // text --part: leave the default room, join none
  double connect_rate = 0;           // per second; 0 = as fast as kMaxPending allows
  std::int64_t register_timeout_ns = 0;
  std::string name_prefix;
  bool quickack = true;              // re-arm TCP_QUICKACK after every read
  bool tls = false;                  // TLS over every connection (--tls)
};

class ClientPool {
 public:
  static constexpr std::size_t kMaxPending = 512;  // handshakes in progress when unpaced

  ClientPool(PoolConfig config, const Protocol& protocol, PoolListener& listener);
  ~ClientPool();
  ClientPool(const ClientPool&) = delete;
  ClientPool& operator=(const ClientPool&) = delete;

  void start(std::int64_t now);
  // Waits for events until `until` at the latest and handles them.
  void poll(std::int64_t until);
  // Queues one chat message from `sender` (through its publisher if it has
  // one); false if that connection is not in its room. Queued messages leave
  // at the start of the next poll(), one write per connection: a sender
  // refilling its window sends one segment, as a real client would.
  bool send_message(std::size_t sender, std::string_view payload);
  // Unsent bytes on the connection `sender` sends through.
  std::size_t queued_bytes(std::size_t sender) const { return conns_[sending_conn(sender)].out.size(); }
  bool in_room(std::size_t client) const { return conns_[client].state == State::in_room; }
  // Sends every open connection the protocol's farewell (if it has one);
  // the server closing them afterwards is not a problem.
  void say_farewell();
  // Connections sent a farewell that the server has not closed yet.
  std::size_t leaving() const { return leaving_; }
  void close_all();

  std::string name(std::size_t client) const;
  std::size_t clients() const { return config_.clients; }
  std::size_t connections() const { return conns_.size(); }
  // Client connections the server registered, and of them those still open.
  std::size_t registered() const { return registered_; }
  std::size_t connected() const { return registered_ - clients_lost_; }
  std::size_t failed() const { return failed_; }
  std::size_t disconnected() const { return disconnected_; }
  // Every connection (publishers included) reached its room, or failed.
  bool setup_done() const { return in_room_ + failed_ == conns_.size(); }
  const Histogram& registration_latency() const { return registration_latency_; }
  std::int64_t first_connect_ns() const { return first_connect_ns_; }
  std::int64_t last_registered_ns() const { return last_registered_ns_; }
  // What went wrong, and how often: refusals, disconnection reasons, errors.
  const std::map<std::string, std::size_t>& problems() const { return problems_; }

 private:
  enum class State : std::uint8_t { waiting, connecting, tls_handshaking, handshaking, registered, in_room, failed, closed };
  struct Conn {
    int fd = -1;
    State state = State::waiting;
    bool want_write = false;
    bool leaving = false;
    std::int64_t started_ns = 0;
    std::unique_ptr<Session> session;
    std::unique_ptr<TlsClient> tls;
    std::string out;
  };
  class ConnOutput;
  class ConnEvents;

  bool is_client(std::size_t i) const { return i < config_.clients; }
  std::size_t sending_conn(std::size_t sender) const {
    return conns_.size() > config_.clients ? config_.clients + sender : sender;
  }
  SessionSpec spec_for(std::size_t i) const;
  std::size_t pending() const { return opened_ - in_room_ - failed_; }
  std::int64_t next_open_due(std::int64_t now) const;
  void open_due(std::int64_t now);
  void open(std::size_t i, std::int64_t now);
  void handle(std::size_t i, std::uint32_t events);
  void continue_tls_handshake(std::size_t i);
  void start_session(std::size_t i);
  ssize_t receive(Conn& c, char* buffer, std::size_t size);
  ssize_t transmit(Conn& c, const char* data, std::size_t size);
  void read_some(std::size_t i);
  void flush(std::size_t i);
  void flush_corked();
  void update_interest(std::size_t i);
  void end(std::size_t i, std::string_view reason);
  void note(std::string_view problem);
  void check_timeouts(std::int64_t now);

  PoolConfig config_;
  const Protocol& protocol_;
  PoolListener& listener_;
  Poller poller_;
  std::vector<Conn> conns_;
  std::vector<char> scratch_;
  std::vector<std::size_t> corked_;  // connections with messages queued since the last poll()
  std::int64_t ramp_start_ns_ = 0;
  std::int64_t next_timeout_check_ns_ = 0;
  std::size_t opened_ = 0;
  std::size_t leaving_ = 0;
  std::size_t registered_ = 0;
  std::size_t in_room_ = 0;        // ever reached; never decremented
  std::size_t clients_lost_ = 0;   // client connections closed after registering
  std::size_t failed_ = 0;
  std::size_t disconnected_ = 0;
  bool closing_ = false;
  Histogram registration_latency_;
  std::int64_t first_connect_ns_ = 0;
  std::int64_t last_registered_ns_ = 0;
  std::map<std::string, std::size_t> problems_;
};

}  // namespace parley::bench
