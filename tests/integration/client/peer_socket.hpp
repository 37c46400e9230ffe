#pragma once

#include <chrono>
#include <cstdint>
#include <string>
#include <string_view>

namespace parley::test {

using Deadline = std::chrono::steady_clock::time_point;

// Waits until fd is readable (or hung up); false when the deadline passed.
bool wait_readable(int fd, Deadline deadline);

// A one-connection TCP server on 127.0.0.1 and a port the kernel picks: the
// client's peer in these tests. Every wait takes a deadline.
class PeerSocket {
 public:
  PeerSocket();
  ~PeerSocket();
  PeerSocket(const PeerSocket&) = delete;
  PeerSocket& operator=(const PeerSocket&) = delete;

  std::uint16_t port() const { return port_; }

  // Accepts the client's connection; false when none came in time.
  bool accept(Deadline deadline);
  // Sends all of `bytes` (the client reads, so this does not stall).
  void send(std::string_view bytes);
  // Reads until what was received holds `needle`; returns all received so
  // far (check it holds the needle: it does not when time ran out).
  std::string read_until(std::string_view needle, Deadline deadline);
  // Reads until the client ends its half of the stream; false on timeout.
  // `received` is set to all that arrived on the connection.
  bool read_until_eof(std::string& received, Deadline deadline);
  // Ends the peer's half of the stream (shutdown SHUT_WR).
  void end_output();
  // Closes the connection; with `reset`, abortively (RST).
  void close(bool reset = false);

 private:
  bool read_some();  // false at the end of the stream

  int listener_ = -1;
  int conn_ = -1;
  std::uint16_t port_ = 0;
  std::string received_;
};

}  // namespace parley::test
