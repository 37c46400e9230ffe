#pragma once
// Who holds which name. One registry for every protocol: a person has a
// display name (what text users typed, "Raj Ingle") and an IRC nick derived
// from it ("Raj_Ingle"); both are unique under case folding, in one key space,
// so "Raj_Ingle" cannot be taken by someone else while Raj Ingle is here.
// Owned by one loop (the hub's registry loop); not thread-safe.
#include <cstddef>
#include <optional>
#include <string>
#include <unordered_map>
#include <vector>

#include "core/names.h"
#include "core/refusal.h"
#include "core/session_ref.h"

namespace parley::core {

// What a session says about itself besides its name.
struct Profile {
  std::string user;       // IRC's user name ("~raj"); text users: "text"
  std::string host;       // where it connects from
  std::string real_name;  // IRC's real name; text users: their full display name
};

struct Identity {
  std::string display;  // as people typed it, NFC: "Raj Ingle"
  std::string nick;     // a valid IRC nick for the same person: "Raj_Ingle"
  std::string user;
  std::string host;
  std::string real_name;
  friend bool operator==(const Identity&, const Identity&) = default;
};

struct SessionRefHash {
  std::size_t operator()(const SessionRef& r) const { return std::hash<std::uint64_t>{}(r.id * 131 + r.loop); }
};

class NameRegistry {
 public:
  explicit NameRegistry(std::size_t nick_chars) : nick_chars_(nick_chars) {}

  // Gives `who` the checked name and a nick derived from it, in place of what
  // it held. The display name must be free (or already `who`'s); a derived
  // nick taken by someone else gets the first free suffix 2, 3, ...
  // The profile completes the identity (an empty real name becomes the display name).
  Result<Identity> claim(SessionRef who, const CheckedName& name, const Profile& profile = {});
  void release(SessionRef who);

  struct Holder {
    SessionRef owner;
    Identity identity;
  };
  // By the key (fold_key) of a display name or a nick.
  std::optional<Holder> find(const std::string& key) const;
  std::size_t size() const { return held_.size(); }

 private:
  struct Held {
    Identity identity;
    std::vector<std::string> keys;  // the display key, and the nick key if different
  };
  bool free_for(const std::string& key, SessionRef who) const;

  std::size_t nick_chars_;
  std::unordered_map<std::string, SessionRef> keys_;
  std::unordered_map<SessionRef, Held, SessionRefHash> held_;
};

// The deterministic rule from a display name to an IRC nick (docs/text-protocol.md):
// letters and digits of any script and IRC's specials []\`_^{|}- stay, anything
// else (spaces among them) becomes '_', a leading digit or '-' gets a '_' in
// front, and the result is cut to `max_chars` characters.
std::string nick_for(std::string_view display, std::size_t max_chars);

}  // namespace parley::core
