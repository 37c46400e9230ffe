#pragma once
// What a session asks of rooms: joining, leaving, speaking, the topic,
// moderation, invitations and lookups. Each is called on the session's loop
// (`who.loop`), checks what that loop can, and crosses to the room's home
// loop, which decides in the room's one order and announces the outcome as a
// RoomEvent. Callbacks run on who's loop while the session is attached; a
// callback may run before the method returns (a refusal the session's loop
// decides). What a request causes is tagged with the session's current
// command (Hub::begin_command), so its answers keep command order.
#include <functional>
#include <string>
#include <string_view>
#include <vector>

#include "core/hub_state.h"

namespace parley::core {

class RoomRequests {
 public:
  explicit RoomRequests(HubState& state) : state_(state) {}

  // Yields the checked room name; the joined event (the joiner's copy with the
  // room as found) follows. The room may still refuse (banned, invite_only,
  // bad_key, room_full): then `refused` is told, and the session is no longer
  // joining it. With `replay` (and history kept), the room's last messages
  // before the join follow the joined event (HistoryPolicy::replay_lines).
  Result<CheckedName> join(SessionRef who, std::string_view room, std::string key = {}, Refused refused = {},
                           Callback<std::vector<HistoryLine>> replay = {});
  Result<Done> part(SessionRef who, const std::string& room_key, std::string reason);
  // The room may refuse later (moderated, banned, storage_busy; not_in_room
  // for an outsider where outsiders may not speak, no_such_room where there is
  // no room): `refused` is told. `audience`: who among the members hears it.
  Result<Done> say(SessionRef who, const std::string& room_key, Speech speech, std::string text,
                   Refused refused = {}, std::string client_tags = {}, Audience audience = Audience::members);
  // Server operators may set the topic, change settings and kick in any room,
  // member or not, operator or not: each such override is logged.
  // The room may refuse later (topic_locked): `refused` is told.
  Result<Done> set_topic(SessionRef who, const std::string& room_key, std::string topic, Refused refused = {});
  // Operators (and server operators) only. Yields the changes refused one by
  // one; the others were applied and announced (settings_changed).
  void change_settings(SessionRef who, const std::string& room_key, std::vector<RoomChange> changes,
                       Callback<std::vector<Room::RefusedChange>> done);
  // Removes a member (display name or nick); operators only.
  void kick(SessionRef who, const std::string& room_key, std::string target, std::string reason,
            Callback<Done> done);
  // Lets `target` (display name or nick) join `room` once, past invite-only;
  // the invitee is told (Member::on_invite). Yields the invitee.
  void invite(SessionRef who, std::string_view target, std::string_view room, Callback<Identity> done);
  void room_info(SessionRef who, std::string_view room, Callback<RoomSnapshot> done);

  // Registered rooms (Room::register_to): registers the room to the asker's
  // account and keeps it at once; yields the record kept.
  void register_room(SessionRef who, std::string_view room, Callback<RoomRecord> done);
  // Ends a room's registration (Room::unregister); an empty room then goes.
  void unregister_room(SessionRef who, std::string_view room, Callback<RoomRecord> done);
  // Adds or removes an account on a registered room's access list
  // (Room::change_access), kept at once; yields the record kept.
  void change_access(SessionRef who, std::string_view room, std::string account, bool add, Callback<RoomRecord> done);
  // The room's home loop: another node registered the room, changed its
  // access list or ended its registration (an empty founder).
  void apply_remote_registration(const RoomRecord& record);
  // A registered room's record (room_not_registered when it is not).
  void registration(SessionRef who, std::string_view room, Callback<RoomRecord> done);
  // IRCv3 draft/message-redaction (redaction_requests.cpp): removes line
  // `msgid` of the room from history, then tells the members
  // (RoomEvent::Redacted). Its sender (by account) and the room's operators
  // may. Refused: not_in_room, no_such_message (not kept: unknown, too old,
  // not something said), not_operator, history_unavailable.
  void redact(SessionRef who, const std::string& room_key, std::string msgid, std::string reason, Refused refused);
  // Secret rooms are listed only to their members. In a cluster, with the
  // rooms the other nodes follow (Backplane::remote_rooms), each room once.
  void list_rooms(SessionRef who, Callback<std::vector<RoomSummary>> done);
  // From the backplane, any loop: another node's LIST: the rooms with
  // members here that are not secret (RemoteLookups::rooms), in no order.
  // `done` runs on the registry loop.
  void answer_rooms(std::function<void(std::vector<RoomSummary>)> done);

 private:
  // On loop `index`: the summaries of the non-empty rooms it is home to that
  // `listed` lets through.
  std::vector<RoomSummary> summaries_on(LoopIndex index, const std::function<bool(const Room&)>& listed);
  // Tells the other nodes (if any) the room's registration as it is now.
  void share_registration(const Room& room);
  // On the home loop: runs `decide` on the room (if it exists); an event it
  // yields is announced, a refusal goes to `refused` (not_in_room silently:
  // the session's view of its rooms was a step behind).
  // Inline up to 120 bytes: a room message's text and tags are moved in.
  using Decision = InlineFunction<Result<Room::EventPtr>(Room&), 120>;
  void decide(Ticket ticket, const std::string& room_key, Refused refused, Decision decide);
  // What decide() takes to the home loop: about 250 bytes, past a Task's
  // room, so it travels behind a pointer, and an emptied one is kept per
  // thread for the next (core::Spares): a room message costs no allocation.
  struct PendingDecision {
    Ticket ticket;
    std::string room_key;
    Refused refused;
    Decision decide;
  };

  // For a command decided with an event and a reply of its own (a mode
  // change, a kick): the event's ticket, finished once the event is delivered
  // here (in a cluster, after Redis ordered it: after the reply), and the
  // reply's. The command is settled only when both are, so no later command's
  // answer comes before its echo.
  struct EventAndReply {
    Ticket event;
    Ticket reply;
  };
  EventAndReply open_event_and_reply(LocalSession& session) {
    const Ticket event = state_.answers().open(session);
    return {event, state_.answers().open(session)};
  }
  // On the home loop: ends both tickets. `event` (caused by the command, or
  // null when there is none: a refusal) is broadcast in `room` on its ticket,
  // then `result` is the reply.
  template <class T>
  void settle_event_and_reply(EventAndReply tickets, Room* room, Room::EventPtr event, Callback<T> done,
                              Result<T> result) {
    if (event) state_.fanout().broadcast(*room, Fanout::caused_by(std::move(event), tickets.reply.cause), tickets.event);
    else state_.answers().finish_later(tickets.event);
    state_.answers().reply<T>(tickets.reply, std::move(done), std::move(result));
  }

  // Whether a message may be taken now: history keeps up (or is not kept).
  bool history_accepts(Speech speech) const;
  // On the home loop, after a join: the room's last messages before it, as
  // an answer to `ticket` (Room::recent, read from history once if need be).
  void replay(Ticket ticket, Room& room, Callback<std::vector<HistoryLine>> done);

  // On the home loop, for a request the room decides about someone else's
  // rights: `what` happened as a server operator's override when the actor is
  // no operator of the room; log it so.
  void log_override(const Room& room, SessionRef who, const Identity& actor, bool was_op, std::string_view what);
  // Registration requests: `decide` runs on the home loop of an existing room.
  void on_room(SessionRef who, std::string_view raw_room, Callback<RoomRecord> done,
               std::function<Result<RoomRecord>(Room&, const Identity&)> decide);

  HubState& state_;
};

}  // namespace parley::core
