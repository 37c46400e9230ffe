#include "tls_client.h"

#include <openssl/err.h>
#include <openssl/ssl.h>

#include <cerrno>
#include <stdexcept>

namespace parley::bench {
namespace {

// One context for every connection. The bench measures the server: it does
// not verify the certificate (parleyd's default is self-signed).
SSL_CTX* shared_context() {
  static SSL_CTX* context = [] {
    SSL_CTX* c = SSL_CTX_new(TLS_client_method());
    if (!c) throw std::runtime_error("cannot make a TLS client context");
    SSL_CTX_set_verify(c, SSL_VERIFY_NONE, nullptr);
    SSL_CTX_set_mode(c, SSL_MODE_ENABLE_PARTIAL_WRITE | SSL_MODE_ACCEPT_MOVING_WRITE_BUFFER);
    return c;
  }();
  return context;
}

// SSL_read/SSL_write's outcome in recv()/send()'s terms.
ssize_t as_errno(SSL* ssl, int ret) {
  const int e = SSL_get_error(ssl, ret);
  ERR_clear_error();
  if (e == SSL_ERROR_WANT_READ || e == SSL_ERROR_WANT_WRITE) {
    errno = EAGAIN;
    return -1;
  }
  if (e == SSL_ERROR_ZERO_RETURN || (e == SSL_ERROR_SYSCALL && errno == 0)) return 0;
  if (e != SSL_ERROR_SYSCALL) errno = EPROTO;
  return -1;
}

}  // namespace

TlsClient::TlsClient(int fd) : ssl_(SSL_new(shared_context())) {
  if (!ssl_) throw std::runtime_error("cannot make a TLS session");
  SSL_set_fd(ssl_, fd);
  SSL_set_connect_state(ssl_);
}

TlsClient::~TlsClient() { SSL_free(ssl_); }

TlsClient::Step TlsClient::handshake(std::string& error) {
  ERR_clear_error();
  errno = 0;
  const int ret = SSL_do_handshake(ssl_);
  if (ret == 1) return Step::done;
  const int e = SSL_get_error(ssl_, ret);
  if (e == SSL_ERROR_WANT_READ) return Step::want_read;
  if (e == SSL_ERROR_WANT_WRITE) return Step::want_write;
  char buf[256] = "the connection closed";
  if (const unsigned long code = ERR_get_error()) ERR_error_string_n(code, buf, sizeof buf);
  ERR_clear_error();
  error = std::string("TLS handshake: ") + buf;
  return Step::failed;
}

ssize_t TlsClient::read(char* buffer, std::size_t size) {
  std::size_t total = 0;
  while (total < size) {
    ERR_clear_error();
    errno = 0;
    std::size_t n = 0;
    const int ret = SSL_read_ex(ssl_, buffer + total, size - total, &n);
    if (ret != 1) {
      if (total > 0) return static_cast<ssize_t>(total);  // the rest next time
      return as_errno(ssl_, ret);
    }
    total += n;
  }
  return static_cast<ssize_t>(total);
}

ssize_t TlsClient::write(const char* data, std::size_t size) {
  ERR_clear_error();
  errno = 0;
  std::size_t n = 0;
  const int ret = SSL_write_ex(ssl_, data, size, &n);
  if (ret == 1) return static_cast<ssize_t>(n);
  return as_errno(ssl_, ret);
}

}  // namespace parley::bench
