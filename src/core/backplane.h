#pragma once
// Where a cluster of nodes attaches to the core (issue 16; docs/cluster.md).
// The core decides a room event once, on the room's home loop
// (Fanout::broadcast); an event the backplane shares does not go to the
// room's members from there, but to the backplane, which puts it in the
// room's one order across every node and hands it back, with the other
// nodes' events for the room, through OrderedDelivery. The core knows no
// Redis and does no I/O here: src/backplane implements this.
#include <functional>
#include <optional>
#include <string>
#include <vector>

#include "core/directory.h"
#include "core/kept_records.h"
#include "core/room.h"
#include "core/session_table.h"

namespace parley::core {

// Delivers an event, decided here or on another node, to this node's members
// of its room, in the order the calls come (the room's cluster order). The
// ticket is the one Backplane::publish was given (Ticket{} for another node's
// event); it is finished once the actor has the event. Any thread.
// Besides the event and ticket: a joiner's own copy of its join (this
// node's joins: the room as it finds it), and for a join whether the cluster
// made the joiner its operator (the first in; nullopt: as the node decided).
struct Ordered {
  Ordered(Room::EventPtr e, Ticket t, Room::EventPtr o = nullptr, std::optional<bool> runs = std::nullopt)
      : event(std::move(e)), ticket(t), own(std::move(o)), runs_room(runs) {}
  Room::EventPtr event;
  Ticket ticket;
  Room::EventPtr own;
  std::optional<bool> runs_room;
};
using OrderedDelivery = std::function<void(Ordered)>;

// Sessions on other nodes, as this node's rooms hold them: a SessionRef on
// this loop index (past every real loop), its id made from the session's
// cluster-wide name ("node/loop.id"), so every event names it the same way.
inline constexpr LoopIndex kRemoteLoop = 0xffffffff;

// A room as Redis holds it when this node starts following it: its members
// on other nodes and, when the cluster has changed them, its topic and
// settings (snapshot without entries). Handed to the room's home loop.
struct RemoteRoom {
  struct Member {
    SessionRef ref;
    SharedIdentity identity;
    bool op = false;
    bool voice = false;
  };
  std::string room_key;
  std::vector<Member> members;
  std::shared_ptr<const RoomSnapshot> state;  // null: as this node has it
};
using RoomResync = std::function<void(RemoteRoom)>;

// Who asks about another node's user, as that node needs to know to answer as
// a single server would: a secret room is shown to its members and to server
// operators only (the real address behind a cloak, to server operators only).
struct LookupAsker {
  std::vector<std::string> room_keys;  // the rooms the asker is in
  bool server_operator = false;
};

// WHOIS of a user on another node: who holds the name as Redis has it
// (null: nobody, anywhere), and what its node told (nullopt: it did not
// answer in time, or could not be asked).
struct RemoteDetails {
  SharedIdentity identity;
  std::optional<UserDetails> details;
};

// How this node answers other nodes' lookups of its users. Each runs on any
// thread and calls its reply once, on any thread.
struct RemoteLookups {
  // The user holding the folded name `key` here, as `asker` may see it
  // (nullopt: nobody here holds it).
  std::function<void(std::string key, LookupAsker asker, std::function<void(std::optional<UserDetails>)> reply)>
      details;
  // Users here the normalized `mask` matches, as a WHO of it here would list
  // them for `asker` (an invisible one only if it shares a room with it), at
  // most `max`, sorted by nick.
  std::function<void(std::string mask, std::size_t max, LookupAsker asker,
                     std::function<void(std::vector<Identity>)> reply)>
      users;
  // The rooms this node follows (has members in) that are not secret, for
  // another node's LIST: a secret room is listed only to its members, whose
  // own node follows it and lists it itself.
  std::function<void(std::function<void(std::vector<RoomSummary>)> reply)> rooms;
};

class Backplane {
 public:
  virtual ~Backplane() = default;
  // Once, before the loops run: where ordered events go.
  virtual void attach(OrderedDelivery deliver) = 0;
  // Once, before the loops run: where a room's remote state goes when this
  // node starts following it (before any of its events after that point).
  virtual void attach_resync(RoomResync) {}
  // Whether the cluster orders `event` (else it stays on this node, delivered
  // as without a backplane). On the room's home loop; must not block.
  virtual bool shares(const RoomEvent& event) const = 0;
  // On the room's home loop, instead of delivering a shared event: the
  // backplane hands it back through OrderedDelivery in its place in the
  // room's order, with `ticket`, or never when the cluster cannot take it
  // (then it finishes the ticket through OrderedDelivery with a null event).
  // Must not block.
  virtual void publish(Room::EventPtr event, Ticket ticket) = 0;
  // As publish, for a join (`own`: the joiner's copy, handed back with it) and
  // for a topic or settings change (`state`: the room's topic and settings
  // after it, without entries, for nodes that start following it later).
  virtual void publish_with(Room::EventPtr event, Ticket ticket, Room::EventPtr /*own*/,
                            std::shared_ptr<const RoomSnapshot> /*state*/) {
    publish(std::move(event), ticket);
  }
  // On the room's home loop, before a join to a room with no members on this
  // node: follows the room and hands `ready` what the cluster holds of it
  // (nullopt when it cannot say, e.g. Redis is unreachable: the node decides
  // alone), once, on any thread. Then the join is decided against that.
  virtual void prepare_room(const std::string& /*room_key*/, std::function<void(std::optional<RemoteRoom>)> ready) {
    ready(std::nullopt);
  }
  // On the room's home loop, after each join or departure: whether the room
  // has members on this node (a node follows a room only while it has).
  virtual void room_in_use(const std::string& room_key, bool in_use) = 0;

  // Names, unique across nodes. On the registry loop, before the directory
  // gives `who` the name whose folded key is `key`: whether no other node
  // holds it. `answer` runs once, on any thread; the core then decides as
  // without a cluster (the name may still be in use here).
  virtual void lease_name(SessionRef who, const std::string& key, std::function<void(bool free)> answer) = 0;
  // Registry loop: the directory settled a claim `lease_name` allowed: `who`
  // holds `key` now (taken) or did not get it (!taken). Either way no other
  // name of `who` is held any more but its current one.
  virtual void name_settled(SessionRef who, const std::string& key, bool taken) = 0;
  // Registry loop: `who` gave up every name (it left, or was banned).
  virtual void names_released(SessionRef who) = 0;

  // ---- Private messages, presence and names across nodes (docs/cluster.md).
  // Once, before the loops run: where other nodes' private messages for this
  // node's sessions go (`to_key`: the folded name they were sent to), and
  // where news that another node's session took (`online`) or gave up a
  // name goes (`who`: the one who holds or held it). Either runs on any thread.
  virtual void attach_private(std::function<void(PrivateMessage pm, std::string to_key)>) {}
  virtual void attach_name_news(std::function<void(std::string key, bool online, SharedIdentity who)>) {}
  // Once, before the loops run: where a name this node can no longer hold
  // goes (its lease went to another node): the session must give it up.
  virtual void attach_lost_name(std::function<void(SessionRef who, std::string key)>) {}
  // Once, before the loops run: where the backplane says that the other
  // nodes no longer know this node's sessions (they found it dead while it
  // was frozen or cut off, or Redis lost its data) and their names are
  // settled again (kept, or lost: attach_lost_name): every session announces
  // its rooms again (RoomEvent::Joined::again), once its own renaming is
  // done, as part of the netjoin given (never null). Any thread.
  virtual void attach_rejoin(std::function<void(std::shared_ptr<const Netjoin>)>) {}
  // Once, before the loops run: where the backplane says that it has handed
  // over (OrderedDelivery) every quit of the netsplit `id` (or join of the
  // netjoin `id`: Netjoin) it has, for the
  // `round`th time (one held back in its room's order ends it again later):
  // members hear those quits now, each at once (Member::on_netsplit). Any thread.
  virtual void attach_netsplit_over(std::function<void(std::string id, std::uint64_t round)>) {}
  // Registry loop: `pm` is for the folded name `to_key`, held by nobody here.
  // The backplane hands it to the node holding that name's lease, after every
  // earlier one this node sent; `answer` runs once, on any thread, with the
  // recipient as its node published it, or null when nobody holds the name
  // anywhere (or Redis could not be asked). Must not block.
  virtual void send_private(const PrivateMessage& /*pm*/, const std::string& /*to_key*/,
                            std::function<void(SharedIdentity)> answer) {
    answer(nullptr);
  }
  // Registry loop: who holds the folded name `key` on another node, as its
  // node published it (null: nobody). `answer` runs once, on any thread.
  virtual void find_remote(const std::string& /*key*/, std::function<void(SharedIdentity)> answer) {
    answer(nullptr);
  }
  // Registry loop: `who` holds a name here, shown as `identity` (after a
  // claim, or a change of its away message, real name or account).
  virtual void publish_presence(SessionRef /*who*/, SharedIdentity /*identity*/) {}

  // ---- Private redactions across nodes (docs/cluster.md).
  // Once, before the loops run: where another node's redaction of a private
  // line goes (`other_account`: the account the conversation is with, as its
  // sender named it). Any thread.
  virtual void attach_private_redaction(std::function<void(PrivateRedaction, std::string other_account)>) {}
  // Registry loop: the sender of a private line took it back here (gone from
  // this node's history): every other node removes it from its own history
  // too and tells its sessions of both accounts, after every private message
  // this node sent before. `sent` runs once, on any thread, once Redis has
  // taken it (or could not). Must not block.
  virtual void send_private_redaction(const PrivateRedaction& /*redaction*/, const std::string& /*other_account*/,
                                      std::function<void()> sent) {
    sent();
  }

  // ---- Lookups of other nodes' users (docs/cluster.md).
  // Once, before the loops run: how this node answers other nodes' lookups.
  virtual void attach_lookups(RemoteLookups) {}
  // Registry loop: WHOIS of the folded name `key`, held by nobody here: its
  // holder on another node, asked of that node for `asker`, which answers
  // within a deadline or is taken as it is in Redis. `answer` runs once, on
  // any thread. By default, what Redis has (find_remote).
  virtual void remote_details(const std::string& key, const LookupAsker& /*asker*/,
                              std::function<void(RemoteDetails)> answer) {
    find_remote(key, [answer = std::move(answer)](SharedIdentity found) { answer({std::move(found), std::nullopt}); });
  }
  // Registry loop: WHO of the normalized `mask`: the users of the other nodes
  // it matches, as each node lists them for `asker`, at most `max` of each,
  // in no order; a node that does not answer in time is left out. `answer`
  // runs once, on any thread.
  virtual void remote_users(const std::string& /*mask*/, std::size_t /*max*/, const LookupAsker& /*asker*/,
                            std::function<void(std::vector<Identity>)> answer) {
    answer({});
  }
  // Any loop: LIST: the rooms the other nodes follow, as each lists them
  // (RemoteLookups::rooms), in no order, a room followed by several nodes
  // once from each; a node that does not answer in time is left out.
  // `answer` runs once, on any thread.
  virtual void remote_rooms(std::function<void(std::vector<RoomSummary>)> answer) { answer({}); }
  // Registry loop: a user here left a name (quit or renamed), whose folded
  // keys were `keys`: kept for other nodes' WHOWAS. Must not block.
  virtual void name_left(const PastUser& /*past*/, const std::vector<std::string>& /*keys*/) {}
  // Registry loop: who left the folded name `key` on other nodes, newest
  // first, at most `count`. `answer` runs once, on any thread.
  virtual void remote_past(const std::string& /*key*/, std::size_t /*count*/,
                           std::function<void(std::vector<PastUser>)> answer) {
    answer({});
  }

  // ---- Server bans (K-lines) across nodes.
  // Once, before the loops run: where a ban another node's operator added
  // (`added`) or removed goes. Any thread.
  virtual void attach_ban_news(std::function<void(ServerBan ban, bool added)>) {}
  // Registry loop: an operator here added (or changed) or removed `ban`; the
  // other nodes apply it too. Must not block.
  virtual void publish_ban(const ServerBan& /*ban*/, bool /*added*/) {}

  // ---- Registered rooms across nodes: who founded a room and its access list.
  // (Its topic and settings travel as room events.)
  // Once, before the loops run: where a registration another node changed
  // goes (an empty founder: the room is no longer registered). Any thread.
  virtual void attach_registration_news(std::function<void(RoomRecord record)>) {}
  // A room's home loop: a user here registered the room, changed its access
  // list or ended its registration (Room::record() after the change); the
  // other nodes take it too. Must not block.
  virtual void publish_registration(const RoomRecord& /*record*/) {}
};

}  // namespace parley::core
