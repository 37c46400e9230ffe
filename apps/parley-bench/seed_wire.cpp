#include "seed_wire.h"

#include <fmt/format.h>

#include "seed_stream.h"

namespace parley::bench {
namespace {

constexpr std::string_view kLeave = "LEAVE";
constexpr std::size_t kGarbageShown = 60;

class SeedSession final : public Session {
 public:
  SeedSession(SessionSpec spec, const std::string& name_prefix, std::size_t payload_size)
      : spec_(std::move(spec)), in_(name_prefix, payload_size) {}

  void on_connected(Output&) override {}  // the seed greets first

  bool on_data(std::string_view data, std::int64_t now, Output& out, SessionEvents& events,
               std::string& reason) override {
    const bool ok = in_.feed(data, [&](const SeedRecord& r) { return on_record(r, now, out, events, reason); });
    if (!ok && reason.empty()) reason = "unrecognised bytes from the seed piled up";
    return ok;
  }

  // No line end: the seed relays the bytes of one recv() as they are.
  void send_message(std::string_view payload, Output& out) override { out.write(payload); }

  std::string_view farewell() const override { return kLeave; }

 private:
  bool on_record(const SeedRecord& r, std::int64_t now, Output& out, SessionEvents& events, std::string& reason) {
    switch (r.kind) {
      case SeedKind::greeting:
        if (greeted_) return true;
        greeted_ = true;
        out.write(spec_.name);
        return true;
      case SeedKind::welcome:
        if (in_room_ || r.name != spec_.name) return true;
        in_room_ = true;
        events.in_room(now);  // registered and in the seed's one room
        return true;
      case SeedKind::joined:
        if (in_room_) events.member_joined();
        return true;
      case SeedKind::message:
        if (in_room_) events.delivery(r.text, now);
        return true;
      case SeedKind::garbage:
        if (!in_room_) {
          reason = fmt::format("unexpected bytes from the seed: {}", r.text.substr(0, kGarbageShown));
          return false;
        }
        events.error_line(fmt::format("unrecognised bytes: {}", r.text.substr(0, kGarbageShown)));
        return true;
      case SeedKind::left:
      case SeedKind::leave:
        return true;
    }
    return true;
  }

  SessionSpec spec_;
  SeedStream in_;
  bool greeted_ = false;
  bool in_room_ = false;
};

class SeedProtocol final : public Protocol {
 public:
  SeedProtocol(std::string name_prefix, std::size_t payload_size)
      : name_prefix_(std::move(name_prefix)), payload_size_(payload_size) {}
  std::string_view name() const override { return "seed"; }
  std::unique_ptr<Session> make_session(const SessionSpec& spec) const override {
    return std::make_unique<SeedSession>(spec, name_prefix_, payload_size_);
  }
  bool echoes_to_sender() const override { return true; }
  bool announces_joins() const override { return true; }
  // A newcomer announces itself before the seed lists it, so two close
  // registrations may each miss the other's announcement.
  bool exact_join_count() const override { return false; }
  std::string default_room() const override { return "seed"; }
  std::string numbered_room(std::size_t) const override { return "seed"; }

 private:
  std::string name_prefix_;
  std::size_t payload_size_;
};

}  // namespace

std::unique_ptr<Protocol> make_seed_protocol(std::string name_prefix, std::size_t payload_size) {
  return std::make_unique<SeedProtocol>(std::move(name_prefix), payload_size);
}

}  // namespace parley::bench
