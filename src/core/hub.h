#pragma once
// The hub: the core's one entry point for codecs. It owns the loops' state
// (HubState) and hands out the request classes, one per owner of state:
//  - rooms():     RoomRequests, decided on each room's home loop;
//  - directory(): DirectoryRequests, decided on the registry loop;
//  - presence():  PresenceRequests, decided on the session's own loop.
// The Hub itself keeps what spans them: a session's life (attach, detach),
// its name (claimed at the directory, announced in its rooms), its commands
// (replies in command order), and ending another's session.
//
// Every method is called on the loop of the session it names (`who.loop`).
// Callbacks run on that same loop, only while that session is attached; a
// callback may run before the method returns.
//
// Replies in command order (DESIGN.md): a session calls begin_command before
// it acts on each input line and end_command after. What that command asks of
// other loops carries the command's number back: callbacks are announced with
// Member::answering, the session's own room events carry RoomEvent::cause, and
// Member::on_settled says when the command has had its whole answer. The
// session layer (session::ReplyOrder) keeps bytes in that order.
#include <cstdint>
#include <limits>
#include <memory>
#include <string>
#include <string_view>
#include <vector>

#include "core/ban_requests.h"
#include "core/directory_requests.h"
#include "core/history_requests.h"
#include "core/hub_state.h"
#include "core/marker_requests.h"
#include "core/presence_requests.h"
#include "core/room_requests.h"

namespace parley::core {

class Hub {
 public:
  Hub(LoopPoster& poster, HubLimits limits);
  Hub(const Hub&) = delete;
  Hub& operator=(const Hub&) = delete;

  const HubLimits& limits() const { return state_.limits(); }
  RoomRequests& rooms() { return rooms_; }
  DirectoryRequests& directory() { return directory_; }
  PresenceRequests& presence() { return presence_; }
  HistoryRequests& history() { return history_; }
  BanRequests& bans() { return bans_; }
  MarkerRequests& markers() { return markers_; }
  // Remember room events in `history` (which must outlive the hub's loops).
  // Before the loops run.
  void set_history(History* history, HistoryPolicy policy);
  // Keep registered rooms and server bans in `rooms` and `bans` (either may
  // be null), writing through `offload`, which runs each job off the loops in
  // the order given; and take back what they kept. `shared`: every node of
  // the cluster keeps them there too (see HubState::records_shared). Before
  // the loops run.
  void set_records(RoomRecords* rooms, BanRecords* bans, std::function<void(std::function<void()>)> offload,
                   bool shared = false);
  // Keep read markers in `markers` and let redaction remove lines through
  // `edits` (either may be null: not offered), on set_records' offload
  // thread. Before the loops run, after set_records.
  void set_account_data(ReadMarkerRecords* markers, HistoryEdits* edits);
  // The server log: overrides by server operators, server bans. Any thread
  // may call `log`. Before the loops run.
  void set_log(std::function<void(const std::string&)> log);
  // The time of day sessions are stamped with (sign-on, last spoken: WHOIS's
  // idle time) and server bans are dated and expire by; any thread may call
  // it; tests move it by hand. Before the loops run.
  void set_wall_clock(std::function<WallTime()> clock);
  // Join a cluster: room events the backplane shares go through it, in each
  // room's order across nodes (core/backplane.h). It must outlive the hub's
  // loops. Before the loops run.
  void set_backplane(Backplane* backplane);

  // Makes `member` reachable. Called on `loop`; the member must outlive its
  // attachment (until detach).
  SessionRef attach(LoopIndex loop, Member& member, Profile profile = {});
  // Takes effect at the next claim_name.
  void set_profile(SessionRef who, Profile profile);
  // Leaves every room (members hear "left" with `reason`, and whether the
  // user asked to go) and frees the name. No event or callback reaches the
  // member after this returns.
  void detach(SessionRef who, std::string reason, Ending how = Ending::lost);

  // Takes a name, or changes it (every room the session is in hears "renamed").
  // Yields the identity as it will be shown. Claims by one session are settled
  // one at a time, in the order asked.
  void claim_name(SessionRef who, std::string_view raw, Callback<Identity> done);
  // The keys of the rooms the session is in or joining.
  std::vector<std::string> rooms_of(SessionRef who) const;
  // The session's current identity (empty before claim_name succeeds). Good
  // until the identity next changes (a claim, a presence change) or detach.
  const Identity& identity_of(SessionRef who) const;

  // The session starts acting on one input line; yields the command's number.
  CommandId begin_command(SessionRef who);
  // It has finished: true when the command is settled already (nothing it
  // asked is outstanding); otherwise Member::on_settled says so later.
  bool end_command(SessionRef who);

  // Work done off the loops, by a worker thread (the account service's):
  // `start` runs now and is handed `reply`, which any thread may call once;
  // it runs its function on the session's loop, while the session is
  // attached. With `answers_command`, as the answer to the command running
  // now, in command order like any other answer (Member::answering,
  // on_settled); without (a deadline, a check nobody waits for), as output
  // of no command.
  using Reply = std::function<void(std::function<void()>)>;
  void await_outside(SessionRef who, const std::function<void(Reply)>& start, bool answers_command = true);

  // Logs every session logged in to `account_key` (folded) out, on its own
  // loop: its account is cleared (rooms hear it, as for any account change)
  // and it is told `reason` (Member::on_logged_out). With `deletion` (the
  // account's deletion's number, auth::AccountDeletion), only sessions
  // logged in before it: one whose login had seen that deletion
  // (account_deletions_seen) is of a later account of the name, and stays.
  // Any thread may call.
  void log_out_account(std::string account_key, std::string reason,
                       std::int64_t deletion = std::numeric_limits<std::int64_t>::max());
  // The account `account_key` (folded) was deleted (NickServ DROP, or
  // `parleyd account del` on a running server's database), as number
  // `deletion`: its sessions are logged out as log_out_account does, and
  // every registered room forgets it on its home loop (Room::forget_account),
  // keeping what changed. Told twice (the DROP's session, then the store's
  // record of it), nothing more happens. Any thread may call.
  void account_deleted(std::string account_key, std::int64_t deletion, std::string reason);

  // Ends `target`'s session (display name or nick): it is told
  // (Member::on_removed), then detached, and its rooms hear it quit with
  // `reason`, closed by `who`. Server operators only (not_server_operator).
  // Yields whom it removed.
  void remove_user(SessionRef who, std::string_view target, std::string reason, Callback<Identity> done);

 private:
  // Name claims, one at a time per session (see claim_name).
  void pump_claims(SessionRef who);
  // In a cluster: announces the session's rooms again (Backplane::attach_rejoin).
  void rejoin_rooms(LocalSession& session, const std::shared_ptr<const Netjoin>& netjoin);
  // Registry loop: gives `who` the name unless it is not `free` (held on
  // another node); answers on the session's loop. True when it took it.
  bool settle_claim(SessionRef who, const CheckedName& name, const Profile& profile, bool free);
  void finish_claim(LocalSession& session, Result<SharedIdentity> result);
  void detach_closed_by(SessionRef who, std::string reason, std::string closed_by, Ending how = Ending::lost);
  // On the target's loop: tells it (Member::on_removed), then detaches it.
  void remove_session(SessionRef target, const Removal& removal);

  // mutable: lookups of a session's own record are const to callers, but the
  // ownership check that guards them is not.
  mutable HubState state_;
  RoomRequests rooms_;
  DirectoryRequests directory_;
  PresenceRequests presence_;
  HistoryRequests history_;
  BanRequests bans_;
  MarkerRequests markers_;
};

}  // namespace parley::core
