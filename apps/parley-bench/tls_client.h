#pragma once
// Client-side TLS for the bench's connections (--tls): one OpenSSL session
// per connection over its non-blocking socket. Reads and writes follow
// recv()/send()'s conventions (-1 with errno EAGAIN when the socket must be
// waited for, 0 at the end), so the pool's loop treats both kinds alike.
#include <sys/types.h>

#include <cstddef>
#include <memory>
#include <string>

struct ssl_st;
struct ssl_ctx_st;

namespace parley::bench {

class TlsClient {
 public:
  enum class Step { done, want_read, want_write, failed };

  explicit TlsClient(int fd);  // throws std::runtime_error
  ~TlsClient();
  TlsClient(const TlsClient&) = delete;
  TlsClient& operator=(const TlsClient&) = delete;

  Step handshake(std::string& error);
  // Reads until `size` bytes or the socket has no more.
  ssize_t read(char* buffer, std::size_t size);
  ssize_t write(const char* data, std::size_t size);

 private:
  ssl_st* ssl_;
};

}  // namespace parley::bench
