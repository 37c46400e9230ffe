#include "store/queued_lines.h"

#include <cstring>

namespace parley::store {
namespace {

// Fixed-size values in the machine's own layout: the bytes never leave the process.
template <class T>
void put(std::string& out, T value) {
  out.append(reinterpret_cast<const char*>(&value), sizeof value);
}
template <class T>
T get(const std::string& in, std::size_t& at) {
  T value;
  std::memcpy(&value, in.data() + at, sizeof value);
  at += sizeof value;
  return value;
}
void put_text(std::string& out, std::string_view text) {
  put(out, static_cast<std::uint32_t>(text.size()));
  out.append(text);
}
std::string_view get_text(const std::string& in, std::size_t& at) {
  const auto size = get<std::uint32_t>(in, at);
  const std::string_view text(in.data() + at, size);
  at += size;
  return text;
}

}  // namespace

void QueuedLines::push(const core::HistoryLineRef& f) {
  put(bytes_, f.time.time_since_epoch().count());
  put(bytes_, static_cast<std::uint8_t>(f.kind));
  put(bytes_, static_cast<std::uint8_t>(f.bot));
  for (std::string_view text : {f.target, f.room, f.id, f.display, f.nick, f.user, f.host, f.account, f.text,
                                f.object_name, f.client_tags})
    put_text(bytes_, text);
  ++count_;
}

core::HistoryLineRef QueuedLines::read(std::size_t& at) const {
  core::HistoryLineRef f;
  f.time = core::WallTime(core::WallTime::duration(get<core::WallTime::rep>(bytes_, at)));
  f.kind = static_cast<core::HistoryLine::Kind>(get<std::uint8_t>(bytes_, at));
  f.bot = get<std::uint8_t>(bytes_, at) != 0;
  for (std::string_view* text : {&f.target, &f.room, &f.id, &f.display, &f.nick, &f.user, &f.host, &f.account,
                                 &f.text, &f.object_name, &f.client_tags})
    *text = get_text(bytes_, at);
  return f;
}

}  // namespace parley::store
