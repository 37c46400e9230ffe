#pragma once
// What the client knows of the conversation from the server's lines
// (docs/text-protocol.md): the room being talked in (for the prompt), the
// rooms joined or listed, and each room's members as far as seen (from
// "You joined", /who answers, joins, parts, renames and kicks), for Tab.
// Pure: no I/O, so tests feed it lines.

#include <cstddef>
#include <map>
#include <optional>
#include <set>
#include <string>
#include <string_view>
#include <utility>
#include <vector>

namespace parley::client {

// Where each name is in a member list ("Raj Ingle (operator), Zoë (voice,
// away), zoe"): /who's notes in brackets are not part of the names (a name's
// own brackets are). Pairs of position and length in `list`.
std::vector<std::pair<std::size_t, std::size_t>> member_spans(std::string_view list);

// What Tab does to a line: replace line[from, to) by `text`. `choices` lists
// the candidates when there are several (`text` is then their common start).
struct Completion {
  std::size_t from = 0;
  std::size_t to = 0;
  std::string text;
  std::vector<std::string> choices;
};

class ChatState {
 public:
  // One server line, as it came (before sanitizing). False when the line
  // answers the /who the client asked itself (asked_who) and is not shown.
  bool on_server_line(std::string_view line);
  // The client sent "/who" of its own (after the welcome, to learn the room
  // it was put in and who is there): its answer is taken, not shown.
  void asked_who() { ++own_who_pending_; }

  // The room being talked in, without '#'; empty when none or not known yet.
  const std::string& room() const { return room_; }
  // "#lobby> ", or "> " while no room is known.
  std::string prompt() const;
  // The members of `room` seen so far (the user too), in the order learnt.
  std::vector<std::string> members(std::string_view room) const;

  // Tab at `cursor` in `line`: a word starting with '#' completes a room
  // name; other words (one to three of them: names have spaces) complete
  // the current room's members, case-insensitively. A name completed at the
  // start of the line gets ": " after it; after a slash command, a name with
  // spaces is quoted ("/msg \"Raj Ingle\" "). Nullopt when nothing matches.
  std::optional<Completion> complete(std::string_view line, std::size_t cursor) const;

 private:
  using Names = std::vector<std::string>;
  void add_member(const std::string& room, std::string_view name);
  void remove_member(const std::string& room, std::string_view name);
  void set_members(const std::string& room, std::string_view list);
  // The room a line is about: its "[#room] " prefix (taken off `line`), or
  // the current room.
  std::string room_of(std::string_view& line) const;

  std::string me_;
  std::string room_;
  std::map<std::string, Names, std::less<>> members_;  // by room
  std::set<std::string, std::less<>> rooms_;            // joined or listed
  int own_who_pending_ = 0;
};

}  // namespace parley::client
