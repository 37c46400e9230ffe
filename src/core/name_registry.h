#pragma once
// Who holds which name. One registry for every protocol: a person has a
// display name (what text users typed, "Raj Ingle") and an IRC nick derived
// from it ("Raj_Ingle"); both are unique under case folding, in one key space,
// so "Raj_Ingle" cannot be taken by someone else while Raj Ingle is here.
// Owned by one loop (the hub's registry loop); not thread-safe.
#include <chrono>
#include <cstddef>
#include <deque>
#include <memory>
#include <optional>
#include <string>
#include <unordered_map>
#include <vector>

#include "core/names.h"
#include "core/presence.h"
#include "core/refusal.h"
#include "core/session_ref.h"

namespace parley::core {

// What a session says about itself besides its name.
struct Profile {
  std::string user;       // IRC's user name ("~raj"); text users: "text"
  std::string host;       // where it connects from
  std::string real_name;  // IRC's real name; text users: their full display name
  std::string address = {};  // the real address when `host` is a cloak: for server operators only
  friend bool operator==(const Profile&, const Profile&) = default;
};

struct Identity {
  std::string display;  // as people typed it, NFC: "Raj Ingle"
  std::string nick;     // a valid IRC nick for the same person: "Raj_Ingle"
  std::string user;
  std::string host;
  std::string real_name;
  Presence presence = {};  // (initialised: older aggregate initialisations leave it out)
  std::string address = {};  // the real address (Profile::address): shown to server operators only
  friend bool operator==(const Identity&, const Identity&) = default;
  // Whether both name the same person the same way (all but real name and presence).
  bool same_names(const Identity& other) const {
    return display == other.display && nick == other.nick && user == other.user && host == other.host;
  }
};

// One identity shared by everyone who keeps it (the session's hub record, the
// registry, each room it is in), never changed: a change makes a new one. A
// user is then one copy of five strings, however many rooms they are in.
using SharedIdentity = std::shared_ptr<const Identity>;

// Someone who held a name: who they were when they left it (quit or renamed).
struct PastUser {
  Identity identity;
  std::chrono::system_clock::time_point left;
};

struct SessionRefHash {
  std::size_t operator()(const SessionRef& r) const { return std::hash<std::uint64_t>{}(r.id * 131 + r.loop); }
};

class NameRegistry {
 public:
  // Most entries remembered for one name: its newest.
  static constexpr std::size_t kPastPerName = 10;
  // Remembers the last `history_size` names left (0: none), for whowas,
  // at most kPastPerName of them for one name.
  explicit NameRegistry(std::size_t nick_chars, std::size_t history_size = 0)
      : nick_chars_(nick_chars), history_size_(history_size) {}

  // Gives `who` the checked name and a nick derived from it, in place of what
  // it held. The display name must be free (or already `who`'s); a derived
  // nick taken by someone else gets the first free suffix 2, 3, ...
  // The profile completes the identity (an empty real name becomes the display name);
  // a rename keeps the presence the session had.
  Result<Identity> claim(SessionRef who, const CheckedName& name, const Profile& profile = {});
  // Frees the session's names; they are remembered in the history.
  void release(SessionRef who);
  // The session's real name and presence changed (its names did not): they
  // are taken from `updated`, which is shared as it is when its names are the
  // ones held.
  void update(SessionRef who, const SharedIdentity& updated);

  struct Holder {
    SessionRef owner;
    Identity identity;
  };
  // By the key (fold_key) of a display name or a nick.
  std::optional<Holder> find(const std::string& key) const;
  // What `who` holds: its identity (nullptr if none) and the keys it holds.
  const Identity* identity_of(SessionRef who) const;
  // The same identity, shared (nullptr if none).
  SharedIdentity shared_identity_of(SessionRef who) const;
  std::vector<std::string> keys_of(SessionRef who) const;
  std::size_t size() const { return held_.size(); }
  // Calls fn(owner, identity) for everyone holding a name, in no order.
  template <class Fn>
  void for_each(Fn&& fn) const {
    for (const auto& [owner, held] : held_) fn(owner, *held.identity);
  }
  // How many of them are invisible (Presence::invisible).
  std::size_t invisible() const { return invisible_; }
  std::size_t operators() const { return operators_; }  // server operators holding names
  std::size_t most() const { return most_; }            // the most names held at once so far
  // Who held a display name or nick (by its key) before, newest first, at most `count`.
  std::vector<PastUser> history(const std::string& key, std::size_t count) const;

 private:
  struct Held {
    SharedIdentity identity;
    // The display key, and the nick key if different (else null): keys of
    // keys_, whose nodes stay where they are while held; the display name's
    // skeleton, a key of skeletons_ (no other session can hold it meanwhile).
    const std::string* display_key = nullptr;
    const std::string* nick_key = nullptr;
    const std::string* skeleton = nullptr;
    std::vector<std::string> keys() const;
  };
  bool free_for(const std::string& key, SessionRef who) const;
  void remember(const Identity& identity, std::vector<std::string> keys);

  struct Past {
    PastUser user;
    std::vector<std::string> keys;
  };
  std::size_t nick_chars_;
  std::size_t history_size_;
  std::deque<Past> history_;  // oldest first; one entry per key
  std::size_t invisible_ = 0;
  std::size_t operators_ = 0;
  std::size_t most_ = 0;
  std::unordered_map<std::string, SessionRef> keys_;
  // Display names' confusable skeletons (core/confusable.h): one holder each.
  std::unordered_map<std::string, SessionRef> skeletons_;
  std::unordered_map<SessionRef, Held, SessionRefHash> held_;
};

// The deterministic rule from a display name to an IRC nick (docs/text-protocol.md):
// letters and digits of any script and IRC's specials []\`_^{|}- stay, anything
// else (spaces among them) becomes '_', a leading digit or '-' gets a '_' in
// front, and the result is cut to `max_chars` characters.
std::string nick_for(std::string_view display, std::size_t max_chars);

}  // namespace parley::core
