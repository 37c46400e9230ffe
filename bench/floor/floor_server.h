#pragma once
// The floor: a bare IRC broadcaster that bench/compare runs beside Parley, so
// every table can say how far Parley is from the least a fan-out must cost on
// this machine. It does only what parley-bench's IRC mode needs: NICK and
// USER get 001 and 422, JOIN gets the JOIN (to every member, the joiner
// included) and an end of NAMES, PING gets PONG, CAP gets 421 (as from a
// server without capability negotiation), and PRIVMSG to a room is relayed.
//
// It parses only the PRIVMSG target, formats the relayed line once
// (the sender's prefix, computed at registration, and the client's own line),
// appends it to each other member's output buffer and writes each connection
// once per loop pass: one epoll_wait's events, then one send() per connection
// with output. TCP_NODELAY on every connection, as Parley sets it.
//
// Not a server anyone should run: no nick uniqueness, no modes, no flood
// control, no checks beyond bounded buffers. One thread; not thread-safe.
#include <csignal>
#include <cstddef>
#include <cstdint>
#include <memory>
#include <string>
#include <string_view>
#include <unordered_map>
#include <vector>

namespace parley::floor {

struct Limits {
  std::size_t max_line = 8192;              // a longer input line closes the connection
  std::size_t max_output = 64u << 20;       // queued bytes past this close it (a reader that stopped)
};

class FloorServer {
 public:
  // Listens on host:port (port 0: the kernel chooses; see port()).
  // Throws std::runtime_error when it cannot.
  FloorServer(const std::string& host, std::uint16_t port, Limits limits = {});
  ~FloorServer();
  FloorServer(const FloorServer&) = delete;
  FloorServer& operator=(const FloorServer&) = delete;

  std::uint16_t port() const { return port_; }
  // Runs passes until `stop` becomes non-zero (checked after each
  // epoll_wait, which wakes at least every 200 ms): a signal handler sets it.
  void run(const volatile std::sig_atomic_t& stop);

 private:
  struct Conn;
  struct Room {
    std::string name;             // as the first joiner wrote it
    std::vector<Conn*> members;   // in join order
  };

  void accept_all();
  void read_from(Conn& c);
  void on_line(Conn& c, std::string_view line);
  void on_join(Conn& c, std::string_view targets);
  void on_privmsg(Conn& c, std::string_view line, std::string_view rest);
  void queue(Conn& c, std::string_view bytes);
  void flush_all();
  void close_later(Conn& c);
  void reap();
  void welcome(Conn& c);

  int listen_fd_ = -1;
  int epoll_fd_ = -1;
  std::uint16_t port_ = 0;
  Limits limits_;
  std::vector<std::unique_ptr<Conn>> conns_;   // every open connection, unordered
  std::vector<Conn*> dirty_;                   // output queued this pass
  std::vector<Conn*> dead_;                    // closed this pass, freed at its end
  std::unordered_map<std::string, Room> rooms_;  // by lower-case ASCII name
  std::string line_;                           // scratch for one formatted line
};

}  // namespace parley::floor
