#include "redis_wire.h"

#include <fmt/format.h>

#include "resp_reader.h"

namespace parley::bench {
namespace {

constexpr std::string_view kMessage = "message";
constexpr std::string_view kSubscribe = "subscribe";
constexpr std::string_view kPong = "PONG";

std::string describe(const RespValue& v) {
  if (v.head.type == RespType::error) return fmt::format("-{}", v.head.text);
  return fmt::format("a reply of type {} and {} items", static_cast<int>(v.head.type), v.items.size());
}

class RedisSession final : public Session {
 public:
  explicit RedisSession(SessionSpec spec) : spec_(std::move(spec)) {}

  void on_connected(Output& out) override {
    std::string command;
    // A publisher has nothing to set up; PING proves the server answers.
    if (spec_.role == Role::publisher)
      append_resp_command(command, {"PING"});
    else
      append_resp_command(command, {"SUBSCRIBE", spec_.room});
    out.write(command);
  }

  bool on_data(std::string_view data, std::int64_t now, Output&, SessionEvents& events,
               std::string& reason) override {
    const bool ok = in_.feed(data, [&](const RespValue& v) { return on_value(v, now, events, reason); });
    if (!ok && reason.empty()) reason = "the server's reply is not RESP";
    return ok;
  }

  void send_message(std::string_view payload, Output& out) override {
    command_.clear();
    append_resp_command(command_, {"PUBLISH", spec_.room, payload});
    out.write(command_);
  }

 private:
  bool on_value(const RespValue& v, std::int64_t now, SessionEvents& events, std::string& reason) {
    const auto& items = v.items;
    const auto is = [&](std::size_t i, std::string_view word) {
      return items.size() > i && items[i].type == RespType::bulk && items[i].text == word;
    };
    if (v.head.type == RespType::array && items.size() == 3 && is(0, kMessage)) {
      events.delivery(items[2].text, now);
      return true;
    }
    if (!in_room_) {
      const bool subscribed = is(0, kSubscribe) && is(1, spec_.room);
      const bool ponged = v.head.type == RespType::simple && v.head.text == kPong;
      if (subscribed || ponged) {
        in_room_ = true;
        events.in_room(now);
        return true;
      }
      reason = fmt::format("unexpected reply while subscribing: {}", describe(v));
      return false;
    }
    if (v.head.type == RespType::error) events.error_line(describe(v));
    return true;  // PUBLISH answers with the subscriber count: nothing to check
  }

  SessionSpec spec_;
  RespStream in_;
  std::string command_;
  bool in_room_ = false;
};

class RedisProtocol final : public Protocol {
 public:
  std::string_view name() const override { return "redis"; }
  std::unique_ptr<Session> make_session(const SessionSpec& spec) const override {
    return std::make_unique<RedisSession>(spec);
  }
  // The sender's own subscriber connection receives its messages.
  bool echoes_to_sender() const override { return true; }
  bool announces_joins() const override { return false; }
  bool sends_on_extra_connection() const override { return true; }
  std::string default_room() const override { return "bench"; }
  std::string numbered_room(std::size_t k) const override { return fmt::format("bench{}", k); }
};

}  // namespace

std::unique_ptr<Protocol> make_redis_protocol() { return std::make_unique<RedisProtocol>(); }

}  // namespace parley::bench
