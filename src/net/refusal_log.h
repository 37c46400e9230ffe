#pragma once
// Refused connections, logged in words a person can read: a bouncer retrying
// a refused connection every few seconds would otherwise fill the log with
// three lines a try. The first refusal of an address is logged as it happens;
// further ones within kWindow are counted and summarised in one line when the
// window ends (or the server stops). Lives on loop 0, with the counts.
#include <boost/asio/io_context.hpp>
#include <boost/asio/steady_timer.hpp>

#include <chrono>
#include <cstddef>
#include <string>
#include <unordered_map>

#include "session/close_reason.h"

namespace parley::net {

class RefusalLog {
 public:
  static constexpr std::chrono::seconds kWindow{60};

  explicit RefusalLog(boost::asio::io_context& io) : timer_(io) {}

  // A connection from `address` is refused for `reason`. True when it is
  // counted for a summary rather than logged on its own.
  bool count(const std::string& address, session::CloseReason reason);
  // Logs every pending summary now (at shutdown).
  void flush();

 private:
  struct Window {
    std::chrono::steady_clock::time_point start;
    std::size_t counted = 0;  // refusals since the one logged
    session::CloseReason reason{};
  };
  void summarise(const std::string& address, const Window& window) const;
  void arm();
  void on_timer();

  std::unordered_map<std::string, Window> windows_;
  boost::asio::steady_timer timer_;
  bool armed_ = false;
};

}  // namespace parley::net
