#pragma once
// What a session asks of the directory (the registry loop): finding people,
// private messages (routed by name), counts, names left, and watching names
// (IRC's MONITOR). Called on the session's loop; callbacks run there while
// the session is attached, tagged with the session's current command as
// RoomRequests' are.
#include <string>
#include <string_view>
#include <vector>

#include "core/hub_state.h"

namespace parley::core {

class DirectoryRequests {
 public:
  explicit DirectoryRequests(HubState& state) : state_(state) {}

  // A private message as it was sent: what the sender's echo must carry to
  // match what the recipient and history got.
  struct Sent {
    std::string id;  // "" if refused at once
    WallTime time{};
  };
  // `target` is a display name or a nick. Yields the recipient's identity.
  Sent private_message(SessionRef who, std::string_view target, Speech speech, std::string text,
                              Callback<Identity> done, std::string client_tags = {});
  // IRCv3 draft/message-redaction of a private message: `target` names the
  // other side's account (as CHATHISTORY's nick does), `msgid` a line of
  // who's kept conversation with it that who sent (by account: only the
  // sender may take a private message back). Removed from history first,
  // then the holder of `target`'s nick, if logged in to that account, is told
  // (Member::on_private_redaction). Refused: no_such_user (not a name),
  // no_such_message (not logged in, no such line kept, or not a message),
  // not_operator (the other side sent it), history_unavailable.
  Sent redact_private(SessionRef who, std::string_view target, std::string msgid, std::string reason,
                      Callback<Done> done);
  // Who holds a display name or nick, if anyone.
  void find_user(SessionRef who, std::string_view name, Callback<Identity> done);
  // find_user and more (UserDetails): asked of the registry, then of the
  // user's loop, then of each of its rooms' home loops. A secret room is
  // listed only when the asker is in it too or is a server operator.
  void user_details(SessionRef who, std::string_view name, Callback<UserDetails> done);
  // Everyone whose nick!user@host a mask matches ('*', '?'; "zo*" means
  // "zo*!*@*"), sorted by nick, at most `max`; invisible users are left out,
  // except the asker and those who share a room with it (asked of the rooms'
  // home loops). An unusable mask matches nobody. In a cluster, every other
  // node's matches too (Backplane::remote_users), at most `max` in all.
  void find_users(SessionRef who, std::string_view mask, std::size_t max, Callback<std::vector<Identity>> done);
  // How many sessions have a name, server-wide, told apart by
  // Presence::invisible; and how many connections have none yet (every
  // loop is asked).
  void count_users(SessionRef who, Callback<UserCounts> done);
  // Who held a display name or nick before (quit or renamed), newest first, at
  // most `count`; no_such_user when nobody is remembered. In a cluster, on
  // any node (Backplane::remote_past).
  void past_users(SessionRef who, std::string_view name, std::size_t count, Callback<std::vector<PastUser>> done);

  // A watcher is told (Member::on_watch_notice) when a watched name is taken
  // (online) or given up (offline), by an IRC nick or a text user's name or
  // nick. Names that are not valid names are left out; a full list refuses
  // the rest (HubLimits::watched_names).
  void watch(SessionRef who, std::vector<std::string> names, Callback<WatchOutcome> done);
  void unwatch(SessionRef who, std::vector<std::string> names);
  void unwatch_all(SessionRef who);
  // The watch list, oldest first, with who holds each name now.
  void watched(SessionRef who, Callback<std::vector<WatchedName>> done);
  // Runs `tell` with each watcher's Member on that watcher's loop, for
  // everyone watching a name `subject` holds. Called on subject's loop;
  // `tell` must hold values only (it crosses loops).
  void tell_watchers(SessionRef subject, std::function<void(Member&)> tell);

  // Registry loop, from the backplane: another node's private message for
  // the folded name `to_key`, held here (dropped if nobody holds it now).
  void deliver_remote(PrivateMessage pm, const std::string& to_key);
  // Registry loop, from the backplane: another node's session took (online)
  // or gave up the folded name `key`: its watchers here are told.
  void remote_name_news(const std::string& key, bool online, const Identity& who);
  // Registry loop, from the backplane: another node's WHOIS of the folded
  // name `key`: its holder here, as `asker` may see it, as user_details
  // gathers it (nullopt: nobody here holds it). `done` runs on any loop.
  void answer_details(const std::string& key, LookupAsker asker, std::function<void(std::optional<UserDetails>)> done);
  // Registry loop, from the backplane: another node's WHO of the normalized
  // `mask`: the users here it matches, as find_users lists them for `asker`,
  // at most `max`, sorted by nick. `done` runs on the registry loop.
  void answer_users(const std::string& mask, std::size_t max, LookupAsker asker,
                    std::function<void(std::vector<Identity>)> done);
  // Registry loop, from the backplane: another node's sender took back a
  // private line. Removed from this node's history if kept here (each side's
  // node keeps its copy), then every session here of either account is told.
  void redaction_from_another_node(PrivateRedaction redaction, std::string other_account);

 private:
  // Opens a request of who's and runs `ask` on the registry loop with it.
  void ask_registry(SessionRef who, std::function<void(Ticket)> ask);
  // Registry loop: a private message for a name no session here holds goes
  // to the node that holds it (Backplane::send_private).
  void send_remote(Ticket ticket, const std::string& key, PrivateMessage pm, Callback<Identity> done);
  // Registry loop: fills in who holds, on another node, each name of `list`
  // nobody here holds, then runs `done` with it on the registry loop.
  void with_remote_holders(std::vector<WatchedName> list, std::function<void(std::vector<WatchedName>)> done);

  // Registry loop: tells every session here of `other_account` or of the
  // redaction's sender's account (but `except`, the one that asked) that a
  // private line was taken back; `done` runs on the registry loop once each
  // session's loop has.
  void tell_redaction(const PrivateRedaction& redaction, const std::string& other_account,
                      std::optional<SessionRef> except, std::function<void()> done);
  // Which of `keys`, the rooms `target` is in, a lookup may show, with
  // `target`'s role there: asked of each room's home loop (`may_see` runs
  // there, so it must hold values only), gathered on loop `at`, where this is
  // called and `done` runs, in the order of `keys`.
  using RoomFilter = std::function<bool(const Room&)>;
  void rooms_seen(LoopIndex at, SessionRef target, std::vector<std::string> keys, RoomFilter may_see,
                  std::function<void(std::vector<UserDetails::InRoom>)> done);

  HubState& state_;
};

}  // namespace parley::core
