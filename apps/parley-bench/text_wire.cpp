#include "text_wire.h"

#include <fmt/format.h>

#include "line_assembler.h"
#include "text_lines.h"

namespace parley::bench {
namespace {

constexpr std::string_view kYouJoined = "You joined ";  // "You joined #games. Members (2): ..."
constexpr std::string_view kYouLeft = "You left ";      // "You left #lobby."

class TextSession final : public Session {
 public:
  explicit TextSession(SessionSpec spec) : spec_(std::move(spec)), welcome_(welcome_line(spec_.name)) {}

  void on_connected(Output&) override {}  // the server speaks first

  bool on_data(std::string_view data, std::int64_t now, Output& out, SessionEvents& events,
               std::string& reason) override {
    const bool ok = in_.feed(data, [&](std::string_view line) { return on_line(line, now, out, events, reason); });
    if (!ok && reason.empty()) reason = "a line from the server was too long";
    return ok;
  }

  void send_message(std::string_view payload, Output& out) override {
    out.write(payload);
    out.write("\n");
  }

 private:
  enum class Step { greeting, welcome, moving, in_room };

  bool on_line(std::string_view line, std::int64_t now, Output& out, SessionEvents& events, std::string& reason) {
    switch (step_) {
      case Step::greeting:
        if (line != kGreeting) return fail(reason, fmt::format("expected the greeting, got: {}", line));
        out.write(spec_.name);
        out.write("\n");
        step_ = Step::welcome;
        return true;
      case Step::welcome:
        if (line == welcome_) {
          events.registered(now);
          return enter_room(now, out, events);
        }
        return refused(line, reason);  // anything else before the welcome is tolerated
      case Step::moving:
        // "/part" then "/join ROOM": the room is reached with its own confirmation.
        if (line.starts_with(spec_.room.empty() ? kYouLeft : kYouJoined)) {
          step_ = Step::in_room;
          events.in_room(now);
          return true;
        }
        return refused(line, reason);
      case Step::in_room:
        return in_room_line(line, now, events, reason);
    }
    return false;
  }

  bool enter_room(std::int64_t now, Output& out, SessionEvents& events) {
    if (spec_.room.empty() && !spec_.part) {
      step_ = Step::in_room;  // the default room
      events.in_room(now);
      return true;
    }
    // Leave the default room first, so that its join announcements stop.
    out.write("/part\n");
    if (!spec_.room.empty()) out.write(fmt::format("/join {}\n", spec_.room));
    step_ = Step::moving;
    return true;
  }

  bool in_room_line(std::string_view line, std::int64_t now, SessionEvents& events, std::string& reason) {
    if (line.starts_with('[')) return true;  // "[#lobby] ...": another room
    const ParsedLine p = classify_line(line);
    switch (p.kind) {
      case LineKind::message:
        events.delivery(p.text, now);
        return true;
      case LineKind::joined:
        events.member_joined();
        return true;
      case LineKind::error:
        events.error_line(line);
        return true;
      case LineKind::disconnected:
        return fail(reason, line);
      default:
        return true;
    }
  }

  static bool refused(std::string_view line, std::string& reason) {
    const LineKind kind = classify_line(line).kind;
    if (kind == LineKind::error || kind == LineKind::disconnected) return fail(reason, line);
    return true;
  }

  static bool fail(std::string& reason, std::string_view why) {
    reason = why;
    return false;
  }

  SessionSpec spec_;
  std::string welcome_;
  Step step_ = Step::greeting;
  LineAssembler in_;
};

class TextProtocol final : public Protocol {
 public:
  std::string_view name() const override { return "text"; }
  std::unique_ptr<Session> make_session(const SessionSpec& spec) const override {
    return std::make_unique<TextSession>(spec);
  }
  bool echoes_to_sender() const override { return true; }
  bool announces_joins() const override { return true; }
  std::string default_room() const override { return {}; }
  std::string numbered_room(std::size_t k) const override { return fmt::format("bench{}", k); }
};

}  // namespace

std::unique_ptr<Protocol> make_text_protocol() { return std::make_unique<TextProtocol>(); }

}  // namespace parley::bench
