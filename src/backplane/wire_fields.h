#pragma once
// The wire form's pieces, shared by the encoders of src/backplane (wire.cpp,
// lookup_wire.cpp): length-prefixed fields, so any byte may appear in a
// text, and the identity of a session as they all carry it. Internal.
#include <charconv>
#include <chrono>
#include <cstdint>
#include <memory>
#include <string>
#include <string_view>

#include "core/events.h"

namespace parley::backplane::wire_detail {

// p2: every shared kind of event, and the sessions they name (p1 carried
// room messages only). Within p2, fields added later come last and only
// when set (a netsplit's quit, a join announced again, then its roles and
// netjoin), so that a node reads what an older one wrote.
constexpr std::string_view kVersion = "p2";

inline void put(std::string& out, std::string_view field) {
  out.append(std::to_string(field.size())).push_back(':');
  out.append(field);
}
inline void put_flag(std::string& out, bool on) { put(out, on ? "1" : "0"); }
inline void put_number(std::string& out, std::int64_t n) { put(out, std::to_string(n)); }

// Reads "N:bytes" fields off the front of `in`; a missing or damaged field
// makes every later read fail too.
class Fields {
 public:
  explicit Fields(std::string_view in) : in_(in) {}
  std::string_view next() {
    if (!ok_) return {};
    const auto colon = in_.find(':');
    std::size_t n = 0;
    if (colon == std::string_view::npos) return fail();
    const auto [end, ec] = std::from_chars(in_.data(), in_.data() + colon, n);
    if (ec != std::errc{} || end != in_.data() + colon || n > in_.size() - colon - 1) return fail();
    std::string_view field = in_.substr(colon + 1, n);
    in_.remove_prefix(colon + 1 + n);
    return field;
  }
  template <class T>
  T number() {
    const std::string_view f = next();
    T out{};
    const auto [end, ec] = std::from_chars(f.data(), f.data() + f.size(), out);
    if (ec != std::errc{} || end != f.data() + f.size()) fail();
    return out;
  }
  bool flag() { return next() == "1"; }
  bool ok() const { return ok_; }
  bool done() const { return ok_ && in_.empty(); }

 private:
  std::string_view fail() {
    ok_ = false;
    return {};
  }
  std::string_view in_;
  bool ok_ = true;
};

inline void put_identity(std::string& out, const core::Identity& who) {
  put(out, who.display);
  put(out, who.nick);
  put(out, who.user);
  put(out, who.host);
  put(out, who.real_name);
  put(out, who.presence.account);
  put_flag(out, who.presence.bot);
  put(out, who.presence.away);
}

inline core::Identity read_identity(Fields& f) {
  core::Identity identity;
  identity.display = f.next();
  identity.nick = f.next();
  identity.user = f.next();
  identity.host = f.next();
  identity.real_name = f.next();
  identity.presence.account = f.next();
  identity.presence.bot = f.flag();
  identity.presence.away = f.next();
  return identity;
}

inline core::SharedIdentity take_identity(Fields& f) { return std::make_shared<const core::Identity>(read_identity(f)); }

inline std::int64_t ms_of(core::WallTime t) {
  return std::chrono::duration_cast<std::chrono::milliseconds>(t.time_since_epoch()).count();
}

// What ms_of wrote.
inline core::WallTime time_of(Fields& f) {
  return core::WallTime(std::chrono::milliseconds(f.number<std::int64_t>()));
}

}  // namespace parley::backplane::wire_detail
