#include "web/web_transport.h"

#include <sys/socket.h>

#include <cerrno>

#include "web/web_loop.h"

namespace parley::web {

namespace asio = boost::asio;
using boost::system::error_code;

WebTransport::WebTransport(WebLoop& loop, asio::ip::tcp::socket socket, const std::shared_ptr<ssl_ctx_st>& tls)
    : loop_(loop), socket_(loop.io.get_executor()) {
  // Re-homed on the loop's own executor (as net::Connection does); the descriptor stays open.
  error_code ec;
  const auto protocol = socket.local_endpoint(ec).protocol();
  const int fd = socket.release(ec);
  if (fd >= 0) socket_.assign(protocol, fd, ec);
  socket_.non_blocking(true, ec);
  socket_.set_option(asio::ip::tcp::no_delay(true), ec);  // we coalesce writes ourselves
  if (tls && socket_.is_open()) tls_ = std::make_unique<net::TlsStream>(tls.get(), socket_.native_handle());
}

WebTransport::~WebTransport() = default;

WebTransport::executor_type WebTransport::executor() const { return loop_.io.get_executor(); }

// --- reading ------------------------------------------------------------------

void WebTransport::read_some(asio::mutable_buffer buffer, Handler handler) {
  if (closed_ || closing_) {
    asio::post(executor(), [h = std::move(handler)]() mutable { std::move(h)(asio::error::operation_aborted, 0); });
    return;
  }
  if (!tls_) return socket_.async_read_some(buffer, std::move(handler));
  read_buffer_ = buffer;
  read_handler_.emplace(std::move(handler));
  // From a task of its own: a handler is never called inside its initiation.
  asio::post(executor(), [self = shared_from_this()] { self->read_tls(); });
}

void WebTransport::read_tls() {
  if (!read_handler_) return;
  if (closed_ || closing_) return complete_read(asio::error::operation_aborted, 0);
  auto wait = [this](asio::socket_base::wait_type type) {
    socket_.async_wait(type, [self = shared_from_this()](error_code ec) {
      if (ec) return self->complete_read(ec, 0);
      self->read_tls();
    });
  };
  if (tls_->handshaking()) {
    switch (tls_->handshake()) {
      case net::TlsStream::Status::done:
        request_flush();  // anything queued meanwhile can go now
        break;
      case net::TlsStream::Status::want_read: return wait(asio::socket_base::wait_read);
      case net::TlsStream::Status::want_write: return wait(asio::socket_base::wait_write);
      case net::TlsStream::Status::closed:
      case net::TlsStream::Status::failed:
        loop_.counters(true).tls_handshake_failures.add();
        return complete_read(asio::error::connection_aborted, 0);
    }
  }
  const net::TlsStream::Result r =
      tls_->read(static_cast<char*>(read_buffer_.data()), read_buffer_.size());
  if (r.bytes > 0) return complete_read({}, r.bytes);
  switch (r.status) {
    case net::TlsStream::Status::done:  // an empty buffer
      return complete_read({}, 0);
    case net::TlsStream::Status::want_read:
      if (tls_->buffered()) {
        asio::post(executor(), [self = shared_from_this()] { self->read_tls(); });
        return;
      }
      return wait(asio::socket_base::wait_read);
    case net::TlsStream::Status::want_write: return wait(asio::socket_base::wait_write);
    case net::TlsStream::Status::closed: return complete_read(asio::error::eof, 0);
    case net::TlsStream::Status::failed: return complete_read(asio::error::connection_reset, 0);
  }
}

void WebTransport::complete_read(error_code ec, std::size_t n) {
  if (!read_handler_) return;
  Handler handler(std::move(*read_handler_));
  read_handler_.reset();
  std::move(handler)(ec, n);  // from a completion of our own: not inside the initiation
}

// --- writing ------------------------------------------------------------------

void WebTransport::set_limits(std::size_t soft, std::size_t hard, std::function<void()> too_slow) {
  soft_limit_ = soft;
  hard_limit_ = hard;
  too_slow_ = std::move(too_slow);
}

bool WebTransport::queue(std::string_view header, std::string_view body) {
  if (closed_ || ending_) return true;  // nobody to write to: not an overflow
  if (hard_limit_ > 0 && queue_.bytes() + header.size() + body.size() > hard_limit_) return false;
  const std::size_t before = queue_.bytes();
  queue_.push(header, body);
  count_queued(before);
  request_flush();
  return true;
}

void WebTransport::count_queued(std::size_t bytes_before) {
  loop_.metrics->outbox_bytes.add(static_cast<std::int64_t>(queue_.bytes()) - static_cast<std::int64_t>(bytes_before));
}

void WebTransport::request_flush() {
  if (flush_requested_ || write_waiting_ || closed_) return;
  flush_requested_ = true;
  loop_.pending_flush.push_back(shared_from_this());
}

ssize_t WebTransport::write_out(const iovec* iov, int count) {
  if (tls_) {
    const net::TlsStream::Result r = tls_->write(iov, count);
    if (r.bytes > 0) return static_cast<ssize_t>(r.bytes);
    if (r.status == net::TlsStream::Status::failed || r.status == net::TlsStream::Status::closed) {
      errno = EPIPE;
      return -1;
    }
    errno = EAGAIN;
    return -1;
  }
  return ::send(socket_.native_handle(), iov[0].iov_base, iov[0].iov_len, MSG_NOSIGNAL);
}

void WebTransport::flush() {
  flush_requested_ = false;
  if (closed_ || write_waiting_) return;
  if (tls_ && tls_->handshaking()) return;  // the handshake's end asks again
  while (!queue_.empty()) {
    iovec iov[1];
    const ssize_t n = write_out(iov, queue_.gather(iov));
    if (n < 0) {
      if (errno == EINTR) continue;
      if (errno == EAGAIN || errno == EWOULDBLOCK) {
        // As on the TCP ports: the limit applies to what the socket would not
        // take, so one large reply still reaches a client that reads.
        if (soft_limit_ > 0 && queue_.bytes() > soft_limit_ && !overflowed_ && too_slow_) {
          overflowed_ = true;
          asio::post(executor(), [self = shared_from_this()] {
            if (!self->closed_ && self->too_slow_) self->too_slow_();
          });
        }
        return wait_writable();
      }
      const std::size_t before = queue_.bytes();
      queue_.clear();  // the peer is gone; the read side will say so
      count_queued(before);
      ending_ = true;
      return;
    }
    const std::size_t before = queue_.bytes();
    queue_.consume(static_cast<std::size_t>(n));
    count_queued(before);
    if (counted_) counted_(static_cast<std::size_t>(n));
  }
  if (closing_) linger();
}

void WebTransport::wait_writable() {
  write_waiting_ = true;
  socket_.async_wait(asio::socket_base::wait_write, [self = shared_from_this()](error_code ec) {
    self->write_waiting_ = false;
    if (!ec && !self->closed_) self->flush();
  });
}

void WebLoop::run_flushes() {
  // Flushing may queue more (a farewell): those wait for the next pass.
  flushing.swap(pending_flush);
  for (auto& transport : flushing) transport->flush();
  flushing.clear();
}

// --- closing ------------------------------------------------------------------

void WebTransport::close() {
  if (closed_ || closing_) return;
  closing_ = true;
  ending_ = true;
  // Whatever the peer does, the socket is closed within kLinger.
  linger_timer_ = std::make_unique<net::LoopTimer>(executor());
  linger_timer_->expires_after(kLinger);
  linger_timer_->async_wait([self = shared_from_this()](error_code ec) {
    if (!ec) self->close_now();
  });
  if (tls_ && tls_->handshaking()) return linger();
  if (!write_waiting_) flush();  // lingers once the queue is written; else the writable wait's flush does
}

void WebTransport::linger() {
  if (closed_ || lingering_) return;
  lingering_ = true;
  error_code ec;
  if (tls_) tls_->close_notify();
  socket_.shutdown(asio::socket_base::shutdown_send, ec);
  if (ec) return close_now();
  discard_input();
}

void WebTransport::discard_input() {
  socket_.async_wait(asio::socket_base::wait_read, [self = shared_from_this()](error_code ec) {
    if (ec || self->closed_) return;
    char scratch[4096];
    for (;;) {
      const ssize_t n = ::recv(self->socket_.native_handle(), scratch, sizeof scratch, 0);
      if (n > 0 || (n < 0 && errno == EINTR)) continue;
      if (n < 0 && (errno == EAGAIN || errno == EWOULDBLOCK)) return self->discard_input();
      break;  // the peer closed, or an error: nothing more to wait for
    }
    self->close_now();
  });
}

void WebTransport::close_now() {
  if (closed_) return;
  closed_ = true;
  closing_ = true;
  ending_ = true;
  const std::size_t before = queue_.bytes();
  queue_.clear();
  count_queued(before);
  error_code ec;
  socket_.close(ec);  // pending waits and reads end with operation_aborted
  if (linger_timer_) linger_timer_->cancel();
}

// --- Beast's customisation points -------------------------------------------

void beast_close_socket(WebStream& stream) { stream.transport().close_now(); }

void teardown(boost::beast::role_type, WebStream& stream, error_code& ec) {
  stream.transport().end_output();
  stream.transport().request_flush();
  ec = {};
}

}  // namespace parley::web
