#pragma once
// The core's view of a session: something events are delivered to. Codecs
// implement it; the core never sees sockets or wire formats.
#include <cstdint>
#include <string>
#include <utility>
#include <vector>

#include "core/events.h"

namespace parley::core {

// Rendered forms of one event, for every recipient on one loop during one
// fan-out. A codec names each of its wire forms with a number it owns, so an
// event is formatted once per form, not once per recipient; each recipient's
// transport copies the bytes into its own queue (session::Outbound::send).
class RenderCache {
 public:
  template <class Render>
  const std::string& get(std::uint32_t form, Render&& render) {
    for (auto& [f, bytes] : forms_) {
      if (f == form) return bytes;
    }
    forms_.emplace_back(form, render());
    return forms_.back().second;
  }

 private:
  std::vector<std::pair<std::uint32_t, std::string>> forms_;
};

// One quit of a netsplit as a member receives it, with the rendered forms
// every recipient of that quit on this loop shares.
struct NetsplitQuit {
  const RoomEvent* event;  // a RoomEvent::Left whose `split` is set
  RenderCache* cache;
};

// One join of a netjoin (RoomEvent::Joined::again, with its Rejoin's
// netjoin set) as a member receives it, as NetsplitQuit.
struct NetjoinJoin {
  const RoomEvent* event;
  RenderCache* cache;
};

class Member {
 public:
  virtual ~Member() = default;
  // Replies in command order (DESIGN.md): the hub says which of this member's
  // commands what it hands over next answers. Called with a command's number
  // before a callback that answers that command runs, and with the number
  // that was current before (often 0) after it. A member's own room events
  // carry their cause in RoomEvent::cause instead.
  virtual void answering(CommandId) {}
  // Everything command `command` asked of other loops has been answered: its
  // callbacks ran and its room events arrived. Called on the member's loop,
  // once per command that had anything outstanding when Hub::end_command
  // returned (a command with nothing outstanding is settled by then). May
  // call into the Hub, detach included: it is the last thing its task does.
  virtual void on_settled(CommandId) {}
  // Called on the member's own loop. Contract: must not block, must not call
  // back into the Hub, and must not destroy or detach this member; a member
  // that needs to close schedules it for later.
  virtual void on_room_event(const RoomEvent& event, RenderCache& cache) = 0;
  // A netsplit (core/events.h Netsplit): the quits this member would hear,
  // one per room it shares with each user of the dead node, in their rooms'
  // order, handed over at once so that they can be shown as one group.
  // Same contract as on_room_event; by default, each as a room event.
  virtual void on_netsplit(const Netsplit& /*split*/, const std::vector<NetsplitQuit>& quits) {
    for (const NetsplitQuit& quit : quits) on_room_event(*quit.event, *quit.cache);
  }
  // A netjoin (core/events.h Netjoin): joins of a node coming back that
  // arrived together, one per room this member shares with each of its
  // users, in their rooms' order. Same contract; by default, each as a room event.
  virtual void on_netjoin(const Netjoin& /*netjoin*/, const std::vector<NetjoinJoin>& joins) {
    for (const NetjoinJoin& join : joins) on_room_event(*join.event, *join.cache);
  }
  virtual void on_private_message(const PrivateMessage& message) = 0;
  // Someone invited this member to a room. Same contract as on_room_event.
  virtual void on_invite(const Invitation&) {}
  // A name this member watches came online or went offline (Hub::watch).
  // Same contract as on_room_event.
  virtual void on_watch_notice(const WatchNotice&) {}
  // A server operator ends this session: say goodbye and close (later, as the
  // contract above says). The hub detaches it right after this returns, and
  // its rooms hear it quit with the reason.
  virtual void on_removed(const Removal&) {}
  // Someone whose name this member watches changed their away message or real
  // name (Hub::watch). Same contract as on_room_event.
  virtual void on_watched_profile(const ProfileNotice&) {}
  // A server operator's notice to all who hear them (Presence::operator_notices).
  // Same contract as on_room_event.
  virtual void on_operator_notice(const OperatorNotice&) {}
  // Another session of this member's account moved a read marker
  // (MarkerRequests::set). Same contract as on_room_event.
  virtual void on_read_marker(const ReadMarkerNotice&) {}
  // The hub logged this session out of its account (Hub::log_out_account):
  // forget the login, say why. Same contract as on_room_event.
  virtual void on_logged_out(const LoggedOut&) {}
  // The sender of a private message this member received removed it from
  // history (DirectoryRequests::redact_private). Same contract as on_room_event.
  virtual void on_private_redaction(const PrivateRedaction&) {}
  // In a cluster: another node holds this member's name now (its lease was
  // lost, e.g. after a freeze): the member must take another name at once
  // (Hub::claim_name) and tell its user. Called alone, from a task of its
  // own on the member's loop, so it may call into the Hub.
  virtual void on_name_lost(const Identity& /*lost*/) {}
};

}  // namespace parley::core
