#pragma once
// What carries one web connection's bytes, plain or TLS, under Beast's HTTP
// and WebSocket code (which sees it as an AsyncStream: WebStream below).
//
// Reads go to the socket (through OpenSSL on the HTTPS port). Writes never do
// at once: every write, a WebSocket frame the session queues itself or a
// response or control frame Beast writes, is copied into one OutQueue and
// completes; the queue goes out in one write at the end of the loop's pass
// (WebLoop::run_flushes), as a TCP connection's outbox does (DESIGN.md,
// "queue now, write later"). A browser in a busy room gets each pass's
// messages in one system call, not one per message.
//
// Loop-owned: every call on the loop the connection lives on.
#include <boost/asio/any_completion_handler.hpp>
#include <boost/asio/ip/tcp.hpp>
#include <boost/asio/post.hpp>
#include <boost/beast/core/buffers_range.hpp>
#include <boost/beast/core/role.hpp>

#include <cstddef>
#include <functional>
#include <memory>
#include <optional>
#include <string>
#include <string_view>

#include "net/loop_state.h"
#include "net/tls_stream.h"
#include "web/out_queue.h"

struct ssl_ctx_st;

namespace parley::web {

struct WebLoop;

class WebTransport final : public std::enable_shared_from_this<WebTransport> {
 public:
  using Handler = boost::asio::any_completion_handler<void(boost::system::error_code, std::size_t)>;
  using executor_type = boost::asio::io_context::executor_type;

  // `tls`: the context a TLS port's handshakes use now; null on the plain port.
  WebTransport(WebLoop& loop, boost::asio::ip::tcp::socket socket, const std::shared_ptr<ssl_ctx_st>& tls);
  ~WebTransport();

  executor_type executor() const;
  bool is_tls() const { return tls_ != nullptr; }

  // Beast's reads: completes with what the socket (or TLS) has, at least one byte.
  void read_some(boost::asio::mutable_buffer buffer, Handler handler);
  // Beast's writes (responses, control frames): queued whole, completed at
  // once (posted); broken_pipe once the connection is closed.
  template <class ConstBuffers>
  void write_some(const ConstBuffers& buffers, Handler handler) {
    boost::system::error_code ec;
    std::size_t n = 0;
    if (closed_ || ending_) {
      ec = boost::asio::error::broken_pipe;
    } else {
      std::string record;
      for (const auto b : boost::beast::buffers_range_ref(buffers))
        record.append(static_cast<const char*>(b.data()), b.size());
      n = record.size();
      const std::size_t before = queue_.bytes();
      queue_.push(record);
      count_queued(before);
      request_flush();
    }
    boost::asio::post(executor(), [h = std::move(handler), ec, n]() mutable { std::move(h)(ec, n); });
  }

  // A record the session built (a frame): false, and nothing queued, if it
  // would take the queue past hard_limit (set_limits).
  bool queue(std::string_view header, std::string_view body);
  // Past the limit: for the one farewell after drop_unstarted().
  void queue_past_limit(std::string_view header, std::string_view body) {
    const std::size_t before = queue_.bytes();
    queue_.push(header, body);
    count_queued(before);
  }
  void drop_unstarted() {
    const std::size_t before = queue_.bytes();
    queue_.drop_unstarted();
    count_queued(before);
  }
  std::size_t queued_bytes() const { return queue_.bytes(); }
  // The outbox policy of a TCP connection: queue() refuses past `hard`; when
  // the socket takes no more and more than `soft` bytes wait, `too_slow` is
  // called (from a task of its own).
  void set_limits(std::size_t soft, std::size_t hard, std::function<void()> too_slow);
  // Counts bytes written (before TLS) for the metrics.
  void on_bytes_written(std::function<void(std::size_t)> counted) { counted_ = std::move(counted); }

  // Output is written at the end of the loop's pass.
  void request_flush();
  void flush();  // from the pass end

  // No more writes after what is queued (Beast's teardown after its close
  // frame): later writes fail.
  void end_output() { ending_ = true; }
  // Writes what is queued (one attempt for the rest), sends TLS close_notify
  // and a FIN, then reads and discards until the peer closes or kLinger
  // passes, and closes. Pending reads end with operation_aborted.
  void close();
  // Closes the socket at once.
  void close_now();
  bool closed() const { return closed_; }

  static constexpr std::chrono::seconds kLinger{2};

 private:
  // Keeps the loop's parley_outbox_bytes gauge in step with the queue.
  void count_queued(std::size_t bytes_before);
  void read_tls();
  void complete_read(boost::system::error_code ec, std::size_t n);
  ssize_t write_out(const iovec* iov, int count);
  void wait_writable();
  void linger();
  void discard_input();
  void end_linger();

  WebLoop& loop_;
  boost::asio::basic_stream_socket<boost::asio::ip::tcp, executor_type> socket_;
  std::unique_ptr<net::TlsStream> tls_;
  OutQueue queue_;
  std::size_t soft_limit_ = 0;  // 0: none
  std::size_t hard_limit_ = 0;
  std::function<void()> too_slow_;
  std::function<void(std::size_t)> counted_;
  boost::asio::mutable_buffer read_buffer_;
  // A TLS read waiting for the socket. In an optional: Boost 1.81's
  // any_completion_handler move assignment recurses without end (it copies
  // from an lvalue through its own converting constructor), so it is never assigned.
  std::optional<Handler> read_handler_;
  std::unique_ptr<net::LoopTimer> linger_timer_;
  bool flush_requested_ = false;
  bool write_waiting_ = false;
  bool ending_ = false;
  bool closing_ = false;
  bool closed_ = false;
  bool overflowed_ = false;
  bool lingering_ = false;
};

// The AsyncStream face Beast's http:: and websocket:: code needs: a movable
// handle on a WebTransport.
class WebStream {
 public:
  using executor_type = WebTransport::executor_type;
  explicit WebStream(std::shared_ptr<WebTransport> transport) : transport_(std::move(transport)) {}

  executor_type get_executor() const noexcept { return transport_->executor(); }
  WebTransport& transport() const { return *transport_; }
  const std::shared_ptr<WebTransport>& shared() const { return transport_; }

  template <class MutableBuffers, class Token>
  auto async_read_some(const MutableBuffers& buffers, Token&& token) {
    return boost::asio::async_initiate<Token, void(boost::system::error_code, std::size_t)>(
        [t = transport_](auto handler, boost::asio::mutable_buffer buffer) {
          t->read_some(buffer, std::move(handler));
        },
        token, first_buffer(buffers));
  }

  template <class ConstBuffers, class Token>
  auto async_write_some(const ConstBuffers& buffers, Token&& token) {
    return boost::asio::async_initiate<Token, void(boost::system::error_code, std::size_t)>(
        [t = transport_](auto handler, const ConstBuffers& b) { t->write_some(b, std::move(handler)); }, token,
        buffers);
  }

 private:
  // read_some may fill less than offered: the first non-empty buffer will do.
  template <class MutableBuffers>
  static boost::asio::mutable_buffer first_buffer(const MutableBuffers& buffers) {
    for (const boost::asio::mutable_buffer b : boost::beast::buffers_range_ref(buffers)) {
      if (b.size() > 0) return b;
    }
    return {};
  }

  std::shared_ptr<WebTransport> transport_;
};

// Beast's customisation points (found by argument-dependent lookup): closing
// the socket on a timeout, and the WebSocket's teardown after the closing
// handshake (what is queued goes out first).
void beast_close_socket(WebStream& stream);
void teardown(boost::beast::role_type role, WebStream& stream, boost::system::error_code& ec);
template <class TeardownHandler>
void async_teardown(boost::beast::role_type, WebStream& stream, TeardownHandler&& handler) {
  stream.transport().end_output();
  stream.transport().request_flush();
  boost::asio::post(stream.get_executor(),
                    [h = std::forward<TeardownHandler>(handler)]() mutable { std::move(h)(boost::system::error_code{}); });
}

}  // namespace parley::web
