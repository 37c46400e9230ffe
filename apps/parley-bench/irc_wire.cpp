#include "irc_wire.h"

#include <charconv>

#include <fmt/format.h>

#include "irc_line.h"
#include "line_assembler.h"

namespace parley::bench {
namespace {

// Numerics by name, from modern.ircdocs.horse.
constexpr std::string_view kWelcome = "001";
constexpr std::string_view kEndOfMotd = "376";
constexpr std::string_view kNoMotd = "422";
constexpr std::string_view kYoureOper = "381";
constexpr std::string_view kUmodeIs = "221";
constexpr std::string_view kUnknownCommand = "421";

int numeric(std::string_view command) {
  int n = 0;
  if (command.size() != 3) return -1;
  const auto [ptr, ec] = std::from_chars(command.data(), command.data() + 3, n);
  return ec == std::errc{} && ptr == command.data() + 3 ? n : -1;
}

bool is_error_numeric(std::string_view command) {
  const int n = numeric(command);
  return n >= 400 && n < 600 && command != kNoMotd;
}

class IrcSession final : public Session {
 public:
  IrcSession(SessionSpec spec, const IrcSettings& settings) : spec_(std::move(spec)), settings_(settings) {}

  void on_connected(Output& out) override {
    out.write(fmt::format("CAP LS 302\r\nNICK {0}\r\nUSER {0} 0 * :parley-bench\r\n", spec_.name));
  }

  bool on_data(std::string_view data, std::int64_t now, Output& out, SessionEvents& events,
               std::string& reason) override {
    const bool ok = in_.feed(data, [&](std::string_view line) { return on_line(line, now, out, events, reason); });
    if (!ok && reason.empty()) reason = "a line from the server was too long";
    return ok;
  }

  void send_message(std::string_view payload, Output& out) override {
    out.write("PRIVMSG ");
    out.write(spec_.room);
    out.write(" :");
    out.write(payload);
    out.write("\r\n");
  }

 private:
  enum class Step { caps, cap_ack, welcome, motd, oper, umode, joining, in_room };

  bool is_sender() const { return spec_.role == Role::sender; }

  bool on_line(std::string_view line, std::int64_t now, Output& out, SessionEvents& events, std::string& reason) {
    if (step_ == Step::in_room) {
      if (const auto text = privmsg_text(line, spec_.room)) {
        events.delivery(*text, now);
        return true;
      }
    }
    const auto m = parse_irc_line(line);
    if (!m) return true;
    if (m->command == "PING") {
      out.write(fmt::format("PONG :{}\r\n", m->last()));
      return true;
    }
    if (m->command == "ERROR") return fail(reason, line);
    if (step_ == Step::in_room) return in_room_line(*m, line, now, events);
    if (m->command == kUnknownCommand && irc_same(m->param(1), "CAP") && step_ == Step::caps &&
        settings_.caps.empty()) {
      step_ = Step::welcome;  // a server without capability negotiation: NICK and USER register
      return true;
    }
    if (is_error_numeric(m->command)) return fail(reason, line);
    switch (step_) {
      case Step::caps:
      case Step::cap_ack:
        if (m->command == "CAP") return on_cap(*m, line, out, reason);
        if (m->command == kWelcome) on_welcome(*m);  // a server without CAP
        return true;
      case Step::welcome:
        if (m->command == kWelcome) on_welcome(*m);
        return true;
      case Step::motd:
        if (m->command == kEndOfMotd || m->command == kNoMotd) {
          events.registered(now);
          next_setup_step(out);
        }
        return true;
      case Step::oper:
        if (m->command == kYoureOper) {
          oper_done_ = true;
          next_setup_step(out);
        }
        return true;
      case Step::umode:
        if (m->command == kUmodeIs || (m->command == "MODE" && irc_same(m->param(0), nick_))) {
          umode_done_ = true;
          next_setup_step(out);
        }
        return true;
      case Step::joining:
        if (m->command == "JOIN" && irc_same(m->nick(), nick_) && irc_same(m->param(0), spec_.room)) {
          step_ = Step::in_room;
          events.in_room(now);
        }
        return true;
      case Step::in_room:
        break;
    }
    return true;
  }

  bool on_cap(const IrcLine& m, std::string_view line, Output& out, std::string& reason) {
    const std::string_view sub = m.param(1);
    if (sub == "LS" && step_ == Step::caps) {
      if (m.param(2) == "*") return true;  // more LS lines follow
      if (settings_.caps.empty()) {
        out.write("CAP END\r\n");
        step_ = Step::welcome;
      } else {
        out.write(fmt::format("CAP REQ :{}\r\n", settings_.caps));
        step_ = Step::cap_ack;
      }
      return true;
    }
    if (sub == "ACK" && step_ == Step::cap_ack) {
      out.write("CAP END\r\n");
      step_ = Step::welcome;
      return true;
    }
    if (sub == "NAK") return fail(reason, fmt::format("the server refused the capabilities: {}", line));
    return true;
  }

  void on_welcome(const IrcLine& m) {
    if (!m.param(0).empty()) nick_ = m.param(0);  // the nick the server settled on
    step_ = Step::motd;
  }

  // After registering: OPER and user modes (senders), then JOIN.
  void next_setup_step(Output& out) {
    if (is_sender() && !settings_.oper.empty() && !oper_done_) {
      const auto colon = settings_.oper.find(':');
      out.write(fmt::format("OPER {} {}\r\n", settings_.oper.substr(0, colon), settings_.oper.substr(colon + 1)));
      step_ = Step::oper;
      return;
    }
    if (is_sender() && !settings_.sender_umode.empty() && !umode_done_) {
      out.write(fmt::format("MODE {} {}\r\n", nick_, settings_.sender_umode));
      step_ = Step::umode;
      return;
    }
    out.write(fmt::format("JOIN {}\r\n", spec_.room));
    step_ = Step::joining;
  }

  bool in_room_line(const IrcLine& m, std::string_view line, std::int64_t now, SessionEvents& events) {
    if (m.command == "PRIVMSG") {
      if (irc_same(m.param(0), spec_.room)) events.delivery(m.last(), now);
    } else if (m.command == "JOIN") {
      if (!irc_same(m.nick(), nick_)) events.member_joined();
    } else if (is_error_numeric(m.command)) {
      events.error_line(line);
    }
    return true;
  }

  static bool fail(std::string& reason, std::string_view why) {
    reason = why;
    return false;
  }

  SessionSpec spec_;
  const IrcSettings& settings_;
  std::string nick_ = spec_.name;
  Step step_ = Step::caps;
  bool oper_done_ = false;
  bool umode_done_ = false;
  LineAssembler in_;
};

class IrcProtocol final : public Protocol {
 public:
  explicit IrcProtocol(IrcSettings settings) : settings_(std::move(settings)) {}
  std::string_view name() const override { return "irc"; }
  std::unique_ptr<Session> make_session(const SessionSpec& spec) const override {
    return std::make_unique<IrcSession>(spec, settings_);
  }
  bool echoes_to_sender() const override { return irc_caps_include(settings_.caps, "echo-message"); }
  bool announces_joins() const override { return true; }
  std::string default_room() const override { return "#bench"; }
  std::string numbered_room(std::size_t k) const override { return fmt::format("#bench{}", k); }

 private:
  IrcSettings settings_;
};

}  // namespace

bool irc_caps_include(std::string_view caps, std::string_view cap) {
  while (!caps.empty()) {
    const auto space = caps.find(' ');
    if (caps.substr(0, space) == cap) return true;
    if (space == std::string_view::npos) break;
    caps.remove_prefix(space + 1);
  }
  return false;
}

std::unique_ptr<Protocol> make_irc_protocol(IrcSettings settings) {
  return std::make_unique<IrcProtocol>(std::move(settings));
}

}  // namespace parley::bench
