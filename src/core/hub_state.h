#pragma once
// What the hub's parts share: the loops' state, each behind a LoopOwned, and
// the ways of crossing between them. Not for codecs: they use Hub and its
// request classes (hub.h).
//
// Who owns what:
//  - each loop: its sessions (SessionTable) and the rooms homed on it (a hash
//    of the room's key picks the home; the home numbers the room's events);
//  - the registry loop (loop 0): the Directory (names, nicks, watch lists,
//    names left).
// Calls go one way: a request starts on the session's loop, crosses to the
// owner with a post, and its answer comes back with a post. Posts from one
// loop to another run in order, which is what keeps a room's events, and a
// session's answers from one owner, in order.
#include <functional>
#include <memory>
#include <string>
#include <unordered_map>
#include <vector>

#include "core/backplane.h"
#include "core/directory.h"
#include "core/commit_gate.h"
#include "core/account_data.h"
#include "core/history.h"
#include "core/hub_limits.h"
#include "core/loop_owned.h"
#include "core/loop_poster.h"
#include "core/room.h"
#include "core/server_bans.h"
#include "core/session_table.h"

namespace parley::core {

// What a session does when the room refuses its request (its answer in its
// protocol). Inline up to 56 bytes: a channel message's holds the target's name.
using Refused = InlineFunction<void(Refusal), 56>;

// What one loop owns.
struct LoopState {
  explicit LoopState(LoopIndex loop) : sessions(loop) {}
  SessionTable sessions;
  std::unordered_map<std::string, Room> rooms;  // rooms homed on this loop, by key
  // The rooms' confusable skeletons (core/confusable.h): rooms whose names
  // look alike share a home, so this loop alone can refuse the second one.
  std::unordered_map<std::string, std::string> room_skeletons;  // skeleton -> room key
};

class HubState;

// A session's requests to other loops and their answers (DESIGN.md: replies
// in command order). Opened on the session's loop under its current cause,
// finished there once everything they caused has been delivered.
class Answers {
 public:
  explicit Answers(HubState& state) : state_(state) {}

  Ticket open(LocalSession& session);
  void finish(Ticket ticket);
  // From another loop: finishes a request that had nothing to deliver.
  void finish_later(Ticket ticket);
  // Runs fn(session) on the session's loop while it is attached, as an answer
  // to the ticket's command, then finishes the ticket.
  using SessionAnswer = InlineFunction<void(LocalSession&), 56>;
  void answer(Ticket ticket, SessionAnswer fn);
  template <class T>
  void reply(Ticket ticket, Callback<T> done, Result<T> result) {
    answer(ticket, [done = std::move(done), result = std::move(result)](LocalSession&) { done(result); });
  }
  // Runs `read` once none of the session's commands before `ticket`'s (the
  // read's own, just opened) has a request open, so that a read sees what
  // they caused: in a cluster, a line said just before is recorded only once
  // Redis has ordered it. At once when none has.
  void after_earlier(LocalSession& session, Ticket ticket, Task read);
  // Runs `fn` with the session's cause set to `cause` (and its member told,
  // as Member::answering says). `fn` may detach the session.
  void with_cause(SessionRef who, CommandId cause, const std::function<void()>& fn);

 private:
  void run_reads_due(LocalSession& session);
  HubState& state_;
};

// Telling sessions on other loops: room events, watch notices.
class Fanout {
 public:
  Fanout(HubState& state, Answers& answers) : state_(state), answers_(answers) {}

  // Runs `change` on the room's home loop, sends what it yields to every loop
  // with members (and the actor's), and finishes the ticket.
  void change_room(Ticket ticket, const std::string& room_key, std::function<Room::EventPtr(Room&)> change);
  // On the home loop: sends `event` to every loop with members, and to the
  // actor's loop, where `own` (if any) goes to the actor instead and the
  // ticket is finished after delivery. The one place where a room event,
  // once decided, leaves its room.
  void broadcast(Room& room, Room::EventPtr event, Ticket ticket, Room::EventPtr own = nullptr);
  // Any thread: delivers a shared event the backplane has put in its room's
  // cluster order (OrderedDelivery); a null event only finishes the ticket.
  void deliver_ordered(Ordered ordered);
  // Any thread (the backplane's), after it handed over every quit of
  // netsplit `id` it has (round `round` of it: quits held back in a room's
  // order may end it again later): each member gets those quits at once
  // (SessionTable::deliver), once every loop has passed them on.
  void netsplit_over(const std::string& id, std::uint64_t round);
  // Any thread: a room this node starts following, as the cluster has it
  // (Backplane::attach_resync); applied on its home loop.
  void resync(RemoteRoom remote);
  // On the home loop: takes what the cluster holds of the room into it.
  static void restore(Room& room, const RemoteRoom& remote);
  // Marks a freshly made event as caused by `cause` (nobody holds it yet).
  static Room::EventPtr caused_by(Room::EventPtr event, CommandId cause);
  // Runs `tell` for each of `whom` on its loop: one post per loop.
  void tell(const std::vector<SessionRef>& whom, std::function<void(Member&)> tell);
  void tell(WatchNotices notices);
  // Frees the session's names (on the registry loop) and tells its watchers.
  void release_names(SessionRef who);

 private:
  HubState& state_;
  Answers& answers_;
  // broadcast's delivery on this node, and deliver_ordered's.
  void deliver(Room& room, Room::EventPtr event, Ticket ticket, Room::EventPtr own);
  // Whether an event the cluster ordered is news to this node's members of
  // `room` (null: none here): `remote`, decided about another node's session.
  static bool shown_here(const Room* room, const RoomEvent& event, bool remote);
};

class HubState {
 public:
  static constexpr LoopIndex kRegistryLoop = 0;

  HubState(LoopPoster& poster, HubLimits limits);
  HubState(const HubState&) = delete;
  HubState& operator=(const HubState&) = delete;

  const HubLimits& limits() const { return limits_; }
  // Part of every id made outside a room (a private message's): the start
  // time, so that ids stay unique across restarts, as history needs.
  const std::string& id_stamp() const { return id_stamp_; }
  LoopIndex loop_count() const { return static_cast<LoopIndex>(loops_.size()); }
  LoopIndex home_of(const std::string& room_key) const;
  // Runs `task` on `loop`; behind the history's commit while this loop has
  // posts waiting there (sync = "always", see CommitGate).
  void post(LoopIndex loop, Task task) {
    if (commit_gate_ && commit_gate_->holding(this_loop())) return commit_gate_->post(this_loop(), loop, std::move(task));
    poster_.post(loop, std::move(task));
  }
  // After recording a room event: runs `task` on `loop` once the event is
  // kept, when history must keep events before anyone hears of them.
  void post_after_recording(LoopIndex loop, Task task) {
    if (commit_gate_) return commit_gate_->post(this_loop(), loop, std::move(task));
    poster_.post(loop, std::move(task));
  }

  // Loop-owned state; each asserts the calling loop where checks are built in.
  LoopState& loop(LoopIndex index) { return loops_[index]->get(); }
  Directory& directory() { return *directory_; }
  LocalSession* find(SessionRef who) { return loop(who.loop).sessions.find(who.id); }
  const SharedIdentity& no_identity() const { return no_identity_; }
  // The home loop's room, or null. Creates it when `create`, unless its name
  // looks like an existing room's (then null: Refusal::room_name_confusable).
  Room* room(const std::string& room_key, const std::string& display = {}, bool create = false);
  // Forgets an empty room (not the server's default room).
  void drop_if_empty(const Room& room);

  Answers& answers() { return answers_; }
  Fanout& fanout() { return fanout_; }

  // Server operators' logins; read-only once the loops run.
  std::vector<OperatorLogin> operator_logins;
  // Where room events are remembered (null: nowhere), and how; set before the
  // loops run. Written from every home loop: History is thread-safe.
  History* history = nullptr;
  HistoryPolicy history_policy;
  void set_history(History* h, HistoryPolicy policy);

  // Registered rooms and server bans (kept_records.h): where they are kept
  // (null: nowhere), and the thread that writes them (`offload` runs a job
  // there, in the order given; never on a loop). Set before the loops run.
  RoomRecords* room_records = nullptr;
  BanRecords* ban_records = nullptr;
  std::function<void(std::function<void()>)> offload;
  // Whether the other nodes of a cluster keep their records in the same place
  // (PostgreSQL): then what another node changed is theirs to write, not ours.
  bool records_shared = false;
  // The cluster's backplane (null: a single node); set before the loops run.
  Backplane* backplane = nullptr;
  // On the registry loop: drops the server bans expired by now (kept and logged).
  void expire_bans();
  // Read markers and history edits (account_data.h), used through `offload`
  // too (null: not kept). Set before the loops run.
  ReadMarkerRecords* read_markers = nullptr;
  HistoryEdits* history_edits = nullptr;
  // The server log (a person reads it); any thread. Null: not logged.
  std::function<void(const std::string&)> log;
  // The time of day the core stamps sessions with (sign-on, last spoken) and
  // keeps server bans with (and their expiry); any thread. Tests pass a clock
  // they move by hand; set before the loops run.
  std::function<WallTime()> wall_clock = [] { return std::chrono::system_clock::now(); };
  // Ends a session on its own loop, telling it why (set by the Hub).
  std::function<void(SessionRef, Removal)> remove_session;

  // Hands a registered room's record (or its end) to the writer.
  void keep_room(RoomRecord record);
  void forget_room(std::string key);
  void keep_ban(ServerBan ban);
  void forget_ban(std::string mask);
  void note(const std::string& line) const {
    if (log) log(line);
  }
  // Registry loop: the server bans.
  ServerBans& bans() { return *bans_; }
  // Registry loop, for a session whose name is held: when a server ban
  // applies (and it is no server operator), gives its names back and ends it
  // on its loop. True when it did.
  bool enforce_bans(SessionRef who, const Identity& identity);

 private:
  LoopPoster& poster_;
  std::unique_ptr<CommitGate> commit_gate_;  // only when history->keeps_before_delivery()
  HubLimits limits_;
  std::string id_stamp_;
  std::vector<std::unique_ptr<LoopOwned<LoopState>>> loops_;
  LoopOwned<Directory> directory_;
  LoopOwned<ServerBans> bans_{kRegistryLoop};
  SharedIdentity no_identity_;  // the identity of a session without a name yet
  std::string default_room_key_;
  Answers answers_{*this};
  Fanout fanout_{*this, answers_};
};

}  // namespace parley::core
