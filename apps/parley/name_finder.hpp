#pragma once

#include <cstddef>
#include <set>
#include <string>
#include <string_view>
#include <vector>

namespace parley::client {

// A user's name inside a server line: line.substr(pos, len).
struct NameSpan {
  std::size_t pos = 0;
  std::size_t len = 0;
  friend bool operator==(const NameSpan&, const NameSpan&) = default;
};

// Finds the names in the plain-text protocol's lines (docs/text-protocol.md),
// with or without a "[#room] " prefix:
//   Message from User - NAME: text      Private message from NAME: text
//   Private message to NAME: text       * NAME action
//   NAME has joined the chat room!      NAME left the chat room[ (reason)].  NAME left #room[ (reason)].
//   Welcome NAME to chatroom! ...       OLD is now known as NEW.
//   ... Members (N): NAME, NAME          Members of #room (N): NAME, NAME
// Names may hold spaces, so "* NAME action" is ambiguous; it is resolved by
// the names learnt from the unambiguous forms (longest match wins), else the
// first word is taken. Lines that start with "Error: ", "Usage: " or
// "Disconnected: " hold no names.
class NameFinder {
 public:
  // The spans, in order and not overlapping.
  std::vector<NameSpan> find(std::string_view line);

 private:
  void learn(std::string_view name);
  std::size_t longest_known_prefix(std::string_view text) const;

  std::set<std::string, std::less<>> known_;
};

}  // namespace parley::client
