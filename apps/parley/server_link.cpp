#include "server_link.hpp"

#include <sys/socket.h>

#include <array>
#include <cerrno>

namespace parley::client {

void ServerLink::queue_line(std::string_view line) {
  if (write_closed_ || close_pending_) return;
  outbox_.append(line).push_back('\n');
}

ServerLink::Status ServerLink::flush() {
  while (sent_ < outbox_.size()) {
    const auto n = ::send(socket_.get(), outbox_.data() + sent_, outbox_.size() - sent_, MSG_NOSIGNAL);
    if (n < 0) {
      if (errno == EINTR) continue;
      if (errno != EAGAIN && errno != EWOULDBLOCK) return Status::Failed;
      if (sent_ >= 64 * 1024) {  // keep a long backlog from growing at the front
        outbox_.erase(0, sent_);
        sent_ = 0;
      }
      return Status::Open;
    }
    sent_ += static_cast<std::size_t>(n);
  }
  outbox_.clear();
  sent_ = 0;
  if (close_pending_ && !write_closed_) {
    write_closed_ = true;
    if (::shutdown(socket_.get(), SHUT_WR) < 0 && errno != ENOTCONN) return Status::Failed;
  }
  return Status::Open;
}

void ServerLink::close_when_sent() { close_pending_ = true; }

ServerLink::Status ServerLink::read(const LineSplitter::Sink& on_line) {
  std::array<char, 16 * 1024> buf;
  for (int reads = 0; reads < 8; ++reads) {  // bounded, so a flood cannot starve the keyboard
    const auto n = ::recv(socket_.get(), buf.data(), buf.size(), 0);
    if (n > 0) {
      lines_.feed(std::string_view(buf.data(), static_cast<std::size_t>(n)), on_line);
      if (static_cast<std::size_t>(n) < buf.size()) return Status::Open;
      continue;  // there may be more; the socket is non-blocking
    }
    if (n < 0 && errno == EINTR) continue;
    if (n < 0 && (errno == EAGAIN || errno == EWOULDBLOCK)) return Status::Open;
    if (auto rest = lines_.take_rest()) on_line(*rest);
    return n == 0 ? Status::Closed : Status::Failed;
  }
  return Status::Open;
}

}  // namespace parley::client
