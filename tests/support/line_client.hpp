#pragma once
// LineClient: one plain-text protocol connection to parleyd over loopback,
// blocking-style with deadlines, framed on '\n'.
//
// Thread safety: one thread may send (send_line/send_raw) while another reads
// (read/read_line/expect_*); two threads must not read, or send, at once.

#include <gtest/gtest.h>

#include <cstdint>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "system_util.hpp"
#include "timing.hpp"

namespace parley::test {

// The first line the server sends to a new connection.
inline constexpr std::string_view kGreeting = "Welcome to Chat room. To join enter your Name and begin chatting.";

// The line a user named `name` receives when its name is accepted.
std::string welcome_line(std::string_view name);
// What everyone else in the room receives when `name` joins / leaves.
std::string joined_line(std::string_view name);
std::string left_line(std::string_view name);
// A room message as every member of the room receives it.
std::string message_line(std::string_view name, std::string_view text);

struct ClientOptions {
  // When not empty, the socket is bound to this local address (any of
  // 127.0.0.1..127.255.255.254) before connecting.
  std::string source_address{};
  // When > 0, SO_RCVBUF is set to this many bytes before connecting (so the
  // advertised window stays small).
  int rcvbuf = 0;
  Duration connect_timeout = default_timeout();
  // Shown in failure messages ("client 'Raj Ingle' ...").
  std::string label{};
};

class LineClient {
 public:
  // Connects to 127.0.0.1:port; throws std::runtime_error on failure.
  explicit LineClient(std::uint16_t port, ClientOptions options = {});
  LineClient(LineClient&&) noexcept = default;
  LineClient& operator=(LineClient&&) noexcept = default;
  ~LineClient() = default;

  enum class Status { line, timeout, closed, error };
  struct Read {
    Status status = Status::timeout;
    std::string line;  // when status == line: the line without its '\n'
    int error = 0;     // when status == error (or closed by a reset): errno
  };

  // Sends `text` followed by '\n'. Throws on a write error or if the socket
  // stays unwritable past the default deadline.
  void send_line(std::string_view text);
  // Sends exactly these bytes.
  void send_raw(std::string_view bytes);
  // Like send_raw, but reports failure instead of throwing (for peers the
  // server may have closed). Returns 0 or the errno.
  int try_send_raw(std::string_view bytes);

  // The next complete line (without '\n'; a '\r' before it is kept, so that a
  // server sending "\r\n" is noticed). Partial data stays buffered.
  Read read(Duration timeout = default_timeout());
  // The next line, or nullopt on timeout, close or error (see closed()).
  std::optional<std::string> read_line(Duration timeout = default_timeout());

  // True once EOF or a connection reset was read; buffered lines before it
  // can still be read.
  bool closed() const { return closed_; }
  int close_error() const { return close_error_; }

  // The next line must be exactly `expected`.
  [[nodiscard]] ::testing::AssertionResult expect_line(std::string_view expected, Duration timeout = default_timeout());
  // The next line must start with `prefix`; the line is stored in *out.
  [[nodiscard]] ::testing::AssertionResult expect_line_prefix(std::string_view prefix, std::string* out = nullptr,
                                                              Duration timeout = default_timeout());
  // The server must close the connection (EOF or reset) with no further line.
  [[nodiscard]] ::testing::AssertionResult expect_closed(Duration timeout = default_timeout());

  // Reads the greeting, sends `typed` as the name and expects the welcome
  // line for `shown` (defaults to `typed`).
  [[nodiscard]] ::testing::AssertionResult register_as(std::string_view typed, std::string_view shown = {});

  // Closes the socket normally (FIN).
  void close();
  // Closes with SO_LINGER {on, 0}, so the peer gets a RST.
  void reset();
  // Half-closes the sending side (shutdown(SHUT_WR)).
  void shutdown_write();

  int fd() const { return fd_.get(); }
  std::uint16_t local_port() const { return local_port_; }
  const std::string& local_address() const { return local_address_; }
  // "ADDR:PORT" of the local end, as the server logs it.
  std::string local_endpoint() const;
  const std::string& label() const { return label_; }
  void set_label(std::string label) { label_ = std::move(label); }
  // Lines read so far (most recent last; at most the last 50).
  const std::vector<std::string>& history() const { return history_; }

 private:
  std::string describe() const;
  std::string pending() const { return buffer_.substr(head_); }
  std::string recent() const;
  // Lines already buffered (complete), without waiting, for failure messages.
  std::string drain_buffered();

  UniqueFd fd_;
  // Received bytes; [head_, size) is not yet returned as lines, and no '\n'
  // lies in [head_, scan_from_).
  std::string buffer_;
  std::size_t head_ = 0;
  std::size_t scan_from_ = 0;
  bool closed_ = false;
  int close_error_ = 0;
  std::uint16_t local_port_ = 0;
  std::string local_address_;
  std::string label_;
  std::vector<std::string> history_;
};

}  // namespace parley::test
