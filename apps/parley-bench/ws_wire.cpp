#include "ws_wire.h"

#include <cstring>

namespace parley::bench {

namespace {

// Masked client frames. The mask is fixed: it hides nothing from anyone on
// loopback, and the server must unmask whatever it is.
std::string frame(int opcode, std::string_view payload) {
  static constexpr char kMask[4] = {0x37, 0x5a, 0x11, 0x6c};
  std::string out;
  out.reserve(payload.size() + 14);
  out += static_cast<char>(0x80 | opcode);
  const std::size_t n = payload.size();
  if (n < 126) {
    out += static_cast<char>(0x80 | n);
  } else if (n < 65536) {
    out += static_cast<char>(0x80 | 126);
    out += static_cast<char>(n >> 8);
    out += static_cast<char>(n & 0xff);
  } else {
    out += static_cast<char>(0x80 | 127);
    for (int shift = 56; shift >= 0; shift -= 8) out += static_cast<char>((n >> shift) & 0xff);
  }
  out.append(kMask, 4);
  for (std::size_t i = 0; i < n; ++i) out += static_cast<char>(payload[i] ^ kMask[i % 4]);
  return out;
}

// What the inner session writes (whole CRLF lines), sent as one frame per line.
class FramingOutput final : public Output {
 public:
  explicit FramingOutput(Output& socket) : socket_(socket) {}
  void write(std::string_view bytes) override {
    pending_.append(bytes);
    std::size_t start = 0, end;
    while ((end = pending_.find('\n', start)) != std::string::npos) {
      std::string_view line(pending_.data() + start, end - start);
      if (!line.empty() && line.back() == '\r') line.remove_suffix(1);
      if (!line.empty()) socket_.write(frame(1, line));
      start = end + 1;
    }
    pending_.erase(0, start);
  }

 private:
  Output& socket_;
  std::string pending_;
};

class WebSocketSession final : public Session {
 public:
  WebSocketSession(std::unique_ptr<Session> inner, const std::string& host) : inner_(std::move(inner)) {
    request_ = "GET / HTTP/1.1\r\nHost: " + host +
               "\r\nUpgrade: websocket\r\nConnection: Upgrade\r\nSec-WebSocket-Key: cGFybGV5LWJlbmNoLWtleQ==\r\n"
               "Sec-WebSocket-Version: 13\r\nSec-WebSocket-Protocol: text.ircv3.net\r\n\r\n";
    const std::string_view bye = inner_->farewell();
    if (!bye.empty()) {
      std::string text(bye);
      while (!text.empty() && (text.back() == '\n' || text.back() == '\r')) text.pop_back();
      farewell_ = frame(1, text);
    }
  }

  void on_connected(Output& out) override { out.write(request_); }

  bool on_data(std::string_view data, std::int64_t now, Output& out, SessionEvents& events,
               std::string& reason) override {
    buffer_.append(data);
    FramingOutput framed(out);
    if (!upgraded_) {
      const auto end = buffer_.find("\r\n\r\n");
      if (end == std::string::npos) return true;
      if (buffer_.compare(0, 12, "HTTP/1.1 101") != 0) {
        reason = "WebSocket upgrade refused: " + buffer_.substr(0, buffer_.find('\r'));
        return false;
      }
      buffer_.erase(0, end + 4);
      upgraded_ = true;
      inner_->on_connected(framed);
    }
    std::size_t at = 0;
    while (buffer_.size() - at >= 2) {
      const auto b0 = static_cast<unsigned char>(buffer_[at]);
      const auto b1 = static_cast<unsigned char>(buffer_[at + 1]);
      std::size_t header = 2, length = b1 & 0x7f;
      if (length == 126) {
        if (buffer_.size() - at < 4) break;
        length = (static_cast<unsigned char>(buffer_[at + 2]) << 8) | static_cast<unsigned char>(buffer_[at + 3]);
        header = 4;
      } else if (length == 127) {
        if (buffer_.size() - at < 10) break;
        length = 0;
        for (int i = 2; i < 10; ++i) length = (length << 8) | static_cast<unsigned char>(buffer_[at + i]);
        header = 10;
      }
      if (buffer_.size() - at < header + length) break;
      const std::string_view payload(buffer_.data() + at + header, length);
      at += header + length;
      const int opcode = b0 & 0x0f;
      if (opcode == 8) {
        reason = "the server closed the WebSocket";
        return false;
      }
      if (opcode == 9) {
        out.write(frame(10, payload));
        continue;
      }
      if (opcode != 1 && opcode != 2) continue;
      line_.assign(payload);
      line_ += "\r\n";
      if (!inner_->on_data(line_, now, framed, events, reason)) return false;
    }
    buffer_.erase(0, at);
    return true;
  }

  void send_message(std::string_view payload, Output& out) override {
    FramingOutput framed(out);
    inner_->send_message(payload, framed);
  }

  std::string_view farewell() const override { return farewell_; }

 private:
  std::unique_ptr<Session> inner_;
  std::string request_;
  std::string farewell_;
  std::string buffer_;
  std::string line_;
  bool upgraded_ = false;
};

class WebSocketProtocol final : public Protocol {
 public:
  WebSocketProtocol(std::unique_ptr<Protocol> inner, std::string host)
      : inner_(std::move(inner)), host_(std::move(host)), name_(std::string(inner_->name()) + "+ws") {}
  std::string_view name() const override { return name_; }
  std::unique_ptr<Session> make_session(const SessionSpec& spec) const override {
    return std::make_unique<WebSocketSession>(inner_->make_session(spec), host_);
  }
  bool echoes_to_sender() const override { return inner_->echoes_to_sender(); }
  bool announces_joins() const override { return inner_->announces_joins(); }
  bool exact_join_count() const override { return inner_->exact_join_count(); }
  std::string default_room() const override { return inner_->default_room(); }
  std::string numbered_room(std::size_t k) const override { return inner_->numbered_room(k); }

 private:
  std::unique_ptr<Protocol> inner_;
  std::string host_;
  std::string name_;
};

}  // namespace

std::unique_ptr<Protocol> make_websocket_protocol(std::unique_ptr<Protocol> inner, std::string host) {
  return std::make_unique<WebSocketProtocol>(std::move(inner), std::move(host));
}

}  // namespace parley::bench
