#pragma once
// The sessions of one loop: each session's record, the loop's view of every
// room with members here, and delivery of room events to those members.
// Owned by its loop (HubState keeps it behind a LoopOwned); not thread-safe.
#include <algorithm>
#include <cstdint>
#include <functional>
#include <memory>
#include <string>
#include <unordered_map>
#include <vector>

#include "core/events.h"
#include "core/loop_poster.h"
#include "core/member.h"
#include "core/name_registry.h"
#include "core/refusal.h"
#include "core/spares.h"

namespace parley::core {

template <class T>
using Callback = std::function<void(Result<T>)>;

// A session's record on its own loop.
struct LocalSession {
  struct Claim {
    std::string raw;
    Callback<Identity> done;
    CommandId cause = 0;
  };
  // Requests of one command that other loops have not answered yet.
  struct Outstanding {
    CommandId command = 0;
    std::uint32_t requests = 0;
  };
  // A read that runs once the commands before `command` have no request open.
  struct Waiting {
    CommandId command = 0;
    Task run;
  };
  // Requests not settled yet. Most sessions make a few (a name, a first
  // join) and then none for hours: made by the first, given back once all are
  // settled (core/spares.h: every room message makes one).
  struct Pending {
    std::vector<Claim> claims;           // name claims asked for, in order
    std::vector<std::string> joining;    // one entry per join not yet answered by its room
    std::vector<Outstanding> outstanding;  // per command, oldest first
    // In a cluster: announce its rooms again once its claims are settled
    // (Backplane::attach_rejoin; a lost name is replaced first).
    std::shared_ptr<const Netjoin> rejoin;  // null: none due
    // Reads waiting for the commands before theirs (Answers::after_earlier), oldest first.
    std::vector<Waiting> after_earlier;
  };

  SessionRef ref;
  Member* member = nullptr;
  // What set_profile gave, until a claim has put it into `identity`; later
  // renames take user, host and (if given) real name from `identity`.
  std::unique_ptr<Profile> profile;
  SharedIdentity identity;             // shared with the registry and rooms; never null
  bool real_name_given = false;        // the real name is the profile's, not the display name
  bool claim_in_flight = false;        // the first of the claims is at the registry
  std::vector<std::string> room_keys;  // joined, or join requested
  std::unique_ptr<Pending> pending;
  std::uint64_t private_sent = 0;      // numbers this session's private messages, for their ids
  std::uint64_t presence_changes = 0;  // numbers its announced presence changes
  CommandId commands = 0;              // commands begun so far
  CommandId dispatching = 0;           // the command being run (begin_command .. end_command)
  CommandId cause = 0;                 // what a request made now answers
  WallTime signed_on{};                // when it attached (HubState::wall_clock)
  WallTime last_spoke{};               // when it last said something to a room or a person; signed_on before
  // Of its login: account deletions numbered up to this one were applied
  // before its account was found (auth::AccountAnswer::deletions_seen), so
  // they were of an earlier account of that name (Hub::log_out_account).
  std::int64_t account_deletions_seen = 0;

  Pending& unsettled() {
    if (!pending) pending = Spares<Pending>::take();
    return *pending;
  }
  bool has_claims() const { return pending && !pending->claims.empty(); }
  bool is_joining(const std::string& room_key) const {
    return pending && std::find(pending->joining.begin(), pending->joining.end(), room_key) != pending->joining.end();
  }
  bool in_room(const std::string& room_key) const {
    return std::find(room_keys.begin(), room_keys.end(), room_key) != room_keys.end();
  }
  // One join of the room is answered.
  void joined(const std::string& room_key);
  void release_if_settled();
  // The command's count of requests not yet answered; null when none.
  Outstanding* outstanding_for(CommandId command);
  // Whether a command still waits for answers.
  bool outstanding(CommandId command) const { return const_cast<LocalSession*>(this)->outstanding_for(command); }
  // What the next claim completes the identity with (NameRegistry::claim).
  Profile claim_profile() const;
  // A copy of the identity to change; it replaces the shared one.
  Identity& changed_identity();
};

// One request a session made that another loop answers: opened on the
// session's loop (Answers::open), finished there (Answers::finish).
struct Ticket {
  SessionRef who;  // id 0 (Ticket{}): no request
  CommandId cause = 0;  // 0: not tracked (made outside any command)
};

class SessionTable {
 public:
  explicit SessionTable(LoopIndex loop) : loop_(loop) {}

  LocalSession& add(Member& member, SharedIdentity no_identity);
  LocalSession* find(std::uint64_t id);
  // Takes the record out (and out of every view); empty when unknown.
  using Removed = std::unordered_map<std::uint64_t, LocalSession>::node_type;
  Removed remove(std::uint64_t id);

  // Hands `event` to this loop's members of its room, in join order; the
  // actor gets `own` instead when given (a joiner's copy). Keeps the views in
  // step: a joiner is added first, a leaver and a kicked member removed after.
  // A netsplit's quit (RoomEvent::Left::split) is held until the split is
  // over here (netsplit_passed), then each member gets the quits of its
  // rooms at once (Member::on_netsplit); any other event of a room with a
  // quit held sends the held quits first, so that the room's order holds.
  void deliver(const std::shared_ptr<const RoomEvent>& event, const RoomEvent* own);
  // One of the `loops` loops has handed this loop everything it had of
  // netsplit `id` when round `round` of its end was announced
  // (Fanout::netsplit_over): once every loop has, the quits held go out.
  void netsplit_passed(const std::string& id, std::uint64_t round, LoopIndex loops);

  // Sessions attached on this loop, named or not.
  std::size_t size() const { return sessions_.size(); }

  // Runs fn(member) for each session of `ids` still here.
  void for_each(const std::vector<std::uint64_t>& ids, const std::function<void(LocalSession&)>& fn);
  // Runs fn(session) for every session attached here.
  void for_all(const std::function<void(LocalSession&)>& fn);

 private:
  void add_to_view(const std::string& room_key, LocalSession* session);
  void remove_from_view(const std::string& room_key, LocalSession* session);
  // The netsplit or netjoin id `event` is held under until its end; null: none.
  static const std::string* held_as(const RoomEvent& event);
  // Sends held_[index]'s quits (or joins) to the members of their rooms, and forgets it.
  void release_netsplit(std::size_t index);

  // A netsplit's quits (or a netjoin's joins) waiting for its end, by id (usually none).
  struct HeldSplit {
    std::string id;
    std::vector<std::shared_ptr<const RoomEvent>> quits;
  };
  struct SplitRound {
    std::string id;
    std::uint64_t round = 0;
    LoopIndex passed = 0;
  };
  std::vector<HeldSplit> held_;
  std::vector<SplitRound> rounds_;

  LoopIndex loop_;
  std::uint64_t next_id_ = 1;
  // Views point at records: an unordered_map never moves its elements, and a
  // record leaves every view before it is freed.
  std::unordered_map<std::uint64_t, LocalSession> sessions_;
  // For each room with members on this loop: those members, in join order.
  // Pointers, so a delivery costs no lookup per member.
  std::unordered_map<std::string, std::vector<LocalSession*>> views_;
};

}  // namespace parley::core
