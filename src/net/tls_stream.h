#pragma once
// One server-side TLS session over a non-blocking socket the connection owns:
// OpenSSL reads and writes the descriptor itself; the connection waits for
// readiness as it does for plain sockets, and asks again.
#include <cstddef>
#include <string>
#include <sys/uio.h>

struct ssl_st;
struct ssl_ctx_st;

namespace parley::net {

class TlsStream {
 public:
  // What an operation needs before it can go on.
  enum class Status { done, want_read, want_write, closed, failed };
  struct Result {
    std::size_t bytes = 0;
    Status status = Status::done;
  };

  TlsStream(ssl_ctx_st* context, int fd);  // throws std::bad_alloc if OpenSSL cannot make the session
  ~TlsStream();
  TlsStream(const TlsStream&) = delete;
  TlsStream& operator=(const TlsStream&) = delete;

  // Goes on with the handshake; done once it is complete.
  Status handshake();
  bool handshaking() const { return handshaking_; }
  // Reads decrypted bytes into `buffer` until it is full or the socket has no
  // more: bytes > 0 with any status.
  Result read(char* buffer, std::size_t size);
  // Writes the blocks in order, as far as the socket takes them.
  Result write(const iovec* blocks, int count);
  // Whether decrypted or undecrypted bytes wait inside OpenSSL: the socket
  // may not become readable for them.
  bool buffered() const;
  // Sends close_notify, once, without waiting for the peer's.
  void close_notify();
  // Why the last operation failed, in words (OpenSSL's error queue).
  const std::string& error() const { return error_; }

 private:
  Status status_of(int ret);

  ssl_st* ssl_;
  std::string error_;
  bool handshaking_ = true;
};

}  // namespace parley::net
