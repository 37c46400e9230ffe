#pragma once

#include <cstddef>
#include <string>
#include <string_view>

#include "line_splitter.hpp"
#include "unique_fd.hpp"

namespace parley::client {

// The connection to the server: a non-blocking socket, the bytes queued for
// it, and the framing of what it sends. It never blocks.
class ServerLink {
 public:
  enum class Status { Open, Closed, Failed };

  explicit ServerLink(UniqueFd socket) : socket_(std::move(socket)) {}

  int fd() const { return socket_.get(); }

  // Queues `line` and a "\n" to be sent. A "\n" inside `line` is not
  // checked for; callers hand over lines already split.
  void queue_line(std::string_view line);
  std::size_t queued_bytes() const { return outbox_.size() - sent_; }

  // Sends what the socket takes now. Failed when the connection broke.
  Status flush();

  // Ends our side of the stream (shutdown SHUT_WR) once everything queued
  // has been sent; may be called early, and then takes effect in flush().
  void close_when_sent();
  bool write_closed() const { return write_closed_; }

  // Reads what has arrived and calls on_line for each line it completes;
  // the last, unterminated line is handed on when the server closes.
  Status read(const LineSplitter::Sink& on_line);

 private:
  UniqueFd socket_;
  std::string outbox_;
  std::size_t sent_ = 0;
  bool close_pending_ = false;
  bool write_closed_ = false;
  LineSplitter lines_;
};

}  // namespace parley::client
