#include "net/tls_stream.h"

#include <openssl/err.h>
#include <openssl/ssl.h>

#include <cerrno>
#include <cstring>
#include <limits>
#include <new>

namespace parley::net {

TlsStream::TlsStream(ssl_ctx_st* context, int fd) : ssl_(SSL_new(context)) {
  if (!ssl_) throw std::bad_alloc();
  SSL_set_fd(ssl_, fd);
  SSL_set_accept_state(ssl_);
}

TlsStream::~TlsStream() { SSL_free(ssl_); }

TlsStream::Status TlsStream::status_of(int ret) {
  switch (SSL_get_error(ssl_, ret)) {
    case SSL_ERROR_WANT_READ: return Status::want_read;
    case SSL_ERROR_WANT_WRITE: return Status::want_write;
    case SSL_ERROR_ZERO_RETURN: return Status::closed;  // close_notify
    case SSL_ERROR_SYSCALL:
      if (ERR_peek_error() == 0) {
        // EOF without close_notify, or a socket error.
        error_ = errno ? std::strerror(errno) : "the peer closed the connection";
        ERR_clear_error();
        return errno ? Status::failed : Status::closed;
      }
      [[fallthrough]];
    default: {
      const unsigned long e = ERR_get_error();
      char buf[256] = "TLS error";
      if (e) ERR_error_string_n(e, buf, sizeof buf);
      error_ = buf;
      ERR_clear_error();
      return Status::failed;
    }
  }
}

TlsStream::Status TlsStream::handshake() {
  ERR_clear_error();
  errno = 0;
  const int ret = SSL_do_handshake(ssl_);
  if (ret == 1) {
    handshaking_ = false;
    return Status::done;
  }
  return status_of(ret);
}

TlsStream::Result TlsStream::read(char* buffer, std::size_t size) {
  Result r;
  while (r.bytes < size) {
    ERR_clear_error();
    errno = 0;
    std::size_t n = 0;
    const int ret = SSL_read_ex(ssl_, buffer + r.bytes, size - r.bytes, &n);
    if (ret != 1) {
      r.status = status_of(ret);
      return r;
    }
    r.bytes += n;
  }
  return r;
}

TlsStream::Result TlsStream::write(const iovec* blocks, int count) {
  Result r;
  for (int i = 0; i < count; ++i) {
    const auto* data = static_cast<const char*>(blocks[i].iov_base);
    std::size_t left = blocks[i].iov_len;
    while (left > 0) {
      ERR_clear_error();
      errno = 0;
      std::size_t n = 0;
      const int ret = SSL_write_ex(ssl_, data, left, &n);
      if (ret != 1) {
        r.status = status_of(ret);
        return r;
      }
      r.bytes += n;
      data += n;
      left -= n;
    }
  }
  return r;
}

bool TlsStream::buffered() const { return SSL_has_pending(ssl_) == 1; }

void TlsStream::close_notify() {
  if (handshaking_ || (SSL_get_shutdown(ssl_) & SSL_SENT_SHUTDOWN)) return;
  ERR_clear_error();
  (void)SSL_shutdown(ssl_);  // non-blocking: sent if the socket takes it
  ERR_clear_error();
}

}  // namespace parley::net
