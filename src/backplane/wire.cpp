#include "backplane/wire.h"

#include <charconv>
#include <chrono>
#include <cstdint>
#include <vector>

namespace parley::backplane {
namespace {

constexpr std::string_view kVersion = "p1";

void put(std::string& out, std::string_view field) {
  out.append(std::to_string(field.size())).push_back(':');
  out.append(field);
}

// Reads "N:bytes" fields off the front of `in`.
class Fields {
 public:
  explicit Fields(std::string_view in) : in_(in) {}
  std::optional<std::string_view> next() {
    const auto colon = in_.find(':');
    if (colon == std::string_view::npos) return std::nullopt;
    std::size_t n = 0;
    const auto [end, ec] = std::from_chars(in_.data(), in_.data() + colon, n);
    if (ec != std::errc{} || end != in_.data() + colon || n > in_.size() - colon - 1) return std::nullopt;
    std::string_view field = in_.substr(colon + 1, n);
    in_.remove_prefix(colon + 1 + n);
    return field;
  }
  bool done() const { return in_.empty(); }

 private:
  std::string_view in_;
};

template <class T>
bool number(std::optional<std::string_view> field, T& out) {
  if (!field) return false;
  const auto [end, ec] = std::from_chars(field->data(), field->data() + field->size(), out);
  return ec == std::errc{} && end == field->data() + field->size();
}

}  // namespace

std::string encode_event(const core::RoomEvent& event, std::string_view node) {
  const auto* said = event.as<core::RoomEvent::Said>();
  const core::Identity& who = event.by();
  const auto ms = std::chrono::duration_cast<std::chrono::milliseconds>(event.time.time_since_epoch()).count();
  std::string out;
  put(out, kVersion);
  put(out, node);
  put(out, event.room);
  put(out, event.room_key);
  put(out, event.id);
  put(out, std::to_string(ms));
  put(out, who.display);
  put(out, who.nick);
  put(out, who.user);
  put(out, who.host);
  put(out, who.real_name);
  put(out, who.presence.account);
  put(out, who.presence.bot ? "1" : "0");
  put(out, std::to_string(said ? static_cast<int>(said->speech) : 0));
  put(out, said ? std::string_view(said->text) : std::string_view());
  put(out, said ? std::string_view(said->client_tags) : std::string_view());
  return out;
}

std::optional<DecodedEvent> decode_event(std::string_view bytes) {
  Fields f(bytes);
  if (f.next() != kVersion) return std::nullopt;
  std::vector<std::string_view> v;
  for (int i = 0; i < 15; ++i) {
    auto field = f.next();
    if (!field) return std::nullopt;
    v.push_back(*field);
  }
  if (!f.done()) return std::nullopt;
  std::int64_t ms = 0;
  int speech = 0;
  if (!number(v[4], ms) || !number(v[12], speech) || speech < 0 || speech > static_cast<int>(core::Speech::tagged))
    return std::nullopt;
  auto identity = std::make_shared<core::Identity>();
  identity->display = v[5];
  identity->nick = v[6];
  identity->user = v[7];
  identity->host = v[8];
  identity->real_name = v[9];
  identity->presence.account = v[10];
  identity->presence.bot = v[11] == "1";
  auto event = std::make_shared<core::RoomEvent>();
  event->room = v[1];
  event->room_key = v[2];
  event->id = v[3];
  event->time = core::WallTime(std::chrono::milliseconds(ms));
  event->actor_identity = std::move(identity);
  core::RoomEvent::Said said;
  said.speech = static_cast<core::Speech>(speech);
  said.text = v[13];
  said.client_tags = v[14];
  event->what = std::move(said);
  return DecodedEvent{std::string(v[0]), std::move(event)};
}

}  // namespace parley::backplane
