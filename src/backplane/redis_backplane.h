#pragma once
// The cluster's backplane on Redis (issue 16; docs/cluster.md): each room's
// shared events in one order across nodes. A node appends an event with the
// parley_say function (redis_functions.h), which numbers it, keeps it in the
// room's bounded stream and publishes it; every node following the room
// applies its events strictly by number (RoomOrder), and reads the stream
// for any it missed. A node follows a room (subscribes to its channel) only
// while it has members there.
//
// Threads: everything here runs on one io_context (the registry loop's);
// publish and room_in_use are called on rooms' home loops and post to it.
#include <boost/asio/io_context.hpp>
#include <boost/asio/steady_timer.hpp>

#include <chrono>
#include <cstdint>
#include <deque>
#include <functional>
#include <memory>
#include <optional>
#include <string>
#include <string_view>
#include <unordered_map>
#include <vector>

#include "backplane/lookup_wire.h"
#include "backplane/redis_address.h"
#include "backplane/redis_connection.h"
#include "backplane/remote_owners.h"
#include "backplane/room_order.h"
#include "backplane/wire.h"
#include "core/backplane.h"

namespace parley::backplane {

struct BackplaneSettings {
  RedisAddress redis;
  std::string node;  // this node's name, unique in the cluster
  // A connect, a command or a probe slower than this ends the connection.
  std::chrono::milliseconds timeout{3000};
  // How often each followed room's latest number is checked (a lost tail is
  // found within this), and the subscriber connection probed.
  std::chrono::milliseconds check_interval{1000};
  std::size_t stream_length = 10000;  // entries kept per room's stream (about)
  std::size_t max_unsent = 10000;     // own events waiting for Redis; past it, refused
  // A name's lease lasts this long unless renewed (every third of it).
  std::chrono::milliseconds name_lease{30000};
  // Liveness: each node's heartbeat, every `heartbeat`; a node silent for
  // longer than `node_timeout` is dead, and one survivor announces its
  // users' quits and frees their names.
  std::chrono::milliseconds heartbeat{1000};
  std::chrono::milliseconds node_timeout{5000};
  // How long a lookup (WHOIS of another node's user, WHO of a mask, LIST)
  // waits for the other nodes' answers before it answers with what it has.
  std::chrono::milliseconds lookup_timeout{1000};
};

class RedisBackplane final : public core::Backplane {
 public:
  RedisBackplane(boost::asio::io_context& io, BackplaneSettings settings);
  ~RedisBackplane() override;

  // Connects (and keeps reconnecting); on the io_context.
  void start();
  // At shutdown (net::Server::wait_at_shutdown_for): calls `done` once every
  // own event handed over so far has come back from Redis and been delivered
  // here, or was refused. Any thread; `done` runs on the io_context.
  void after_settled(std::function<void()> done);

  void attach(core::OrderedDelivery deliver) override { deliver_ = std::move(deliver); }
  void attach_resync(core::RoomResync resync) override { resync_ = std::move(resync); }
  void publish_with(core::Room::EventPtr event, core::Ticket ticket, core::Room::EventPtr own,
                    std::shared_ptr<const core::RoomSnapshot> state) override;
  // This run of the node, as other nodes know it: its name and a random part
  // (a restarted node is a new node).
  const std::string& node_id() const { return node_id_; }
  bool shares(const core::RoomEvent& event) const override;
  void publish(core::Room::EventPtr event, core::Ticket ticket) override;
  void room_in_use(const std::string& room_key, bool in_use) override;
  void prepare_room(const std::string& room_key, std::function<void(std::optional<core::RemoteRoom>)> ready) override;
  void lease_name(core::SessionRef who, const std::string& key, std::function<void(bool)> answer) override;
  void name_settled(core::SessionRef who, const std::string& key, bool taken) override;
  void names_released(core::SessionRef who) override;
  // Private messages, presence and names across nodes (redis_presence.cpp).
  void attach_private(std::function<void(core::PrivateMessage, std::string)> deliver) override {
    private_ = std::move(deliver);
  }
  void attach_name_news(std::function<void(std::string, bool, core::SharedIdentity)> news) override {
    name_news_ = std::move(news);
  }
  void attach_lost_name(std::function<void(core::SessionRef, std::string)> lost) override {
    lost_name_ = std::move(lost);
  }
  void attach_rejoin(std::function<void(std::shared_ptr<const core::Netjoin>)> rejoin) override { rejoin_ = std::move(rejoin); }
  void attach_netsplit_over(std::function<void(std::string, std::uint64_t)> over) override {
    netsplit_over_ = std::move(over);
  }
  void send_private(const core::PrivateMessage& pm, const std::string& to_key,
                    std::function<void(core::SharedIdentity)> answer) override;
  void find_remote(const std::string& key, std::function<void(core::SharedIdentity)> answer) override;
  void publish_presence(core::SessionRef who, core::SharedIdentity identity) override;
  void attach_private_redaction(std::function<void(core::PrivateRedaction, std::string)> deliver) override {
    redaction_ = std::move(deliver);
  }
  void send_private_redaction(const core::PrivateRedaction& redaction, const std::string& other_account,
                              std::function<void()> sent) override;
  // Lookups of other nodes' users (redis_lookups.cpp).
  void attach_lookups(core::RemoteLookups lookups) override { lookups_ = std::move(lookups); }
  void remote_details(const std::string& key, const core::LookupAsker& asker,
                      std::function<void(core::RemoteDetails)> answer) override;
  void remote_users(const std::string& mask, std::size_t max, const core::LookupAsker& asker,
                    std::function<void(std::vector<core::Identity>)> answer) override;
  void remote_rooms(std::function<void(std::vector<core::RoomSummary>)> answer) override;
  void name_left(const core::PastUser& past, const std::vector<std::string>& keys) override;
  void remote_past(const std::string& key, std::size_t count,
                   std::function<void(std::vector<core::PastUser>)> answer) override;
  // Server bans across nodes (redis_bans.cpp).
  void attach_ban_news(std::function<void(core::ServerBan, bool)> news) override { ban_news_ = std::move(news); }
  void publish_ban(const core::ServerBan& ban, bool added) override;
  // Registered rooms across nodes (redis_registrations.cpp).
  void attach_registration_news(std::function<void(core::RoomRecord)> news) override {
    registration_news_ = std::move(news);
  }
  void publish_registration(const core::RoomRecord& record) override;

 private:
  enum class Subscription { none, asked, active, leaving };
  struct RoomState {
    bool in_use = false;
    Subscription sub = Subscription::none;
    RoomOrder order;
    std::uint64_t resume_after = 0;  // applied before the connection was lost (same epoch)
    bool filling = false;
    std::deque<std::string> unsent;  // own events' ids, waiting for the room to be followed
    // Own events whose append was in flight when the connection broke: Redis
    // may or may not have taken them. Once the room is followed again and read
    // up to `doubts_checked_at`, those the stream did not hold are sent again
    // (ahead of `unsent`, which waits for them).
    std::deque<std::string> in_doubt;
    bool fresh_start = false;  // followed again since the connection came back
    // Joins waiting for the room as the cluster holds it (prepare_room).
    std::vector<std::function<void(std::optional<core::RemoteRoom>)>> waiting;
    std::uint64_t doubts_checked_at = 0;
    // The room's latest number when this subscription took effect: every
    // later event comes on the channel while the subscriber connection
    // lives, so a gap above it is a backlog still on its way, never a loss.
    std::uint64_t channel_from = 0;
    // The tail check: what was applied when it last asked, and since when the
    // room has been behind Redis without moving (a channel that stopped).
    std::uint64_t applied_at_check = 0;
    std::optional<std::chrono::steady_clock::time_point> stalled_since;
  };
  // A name a session here holds (or is claiming).
  struct Lease {
    core::SessionRef who;
    std::string value;     // "OWNER TOKEN" as held in Redis; "": not leased (Redis was unreachable)
    bool current = false;  // the directory gave it to `who` (else: a claim still being settled)
  };
  struct Own {
    core::Room::EventPtr event;
    core::Ticket ticket;
    bool sent = false;
    core::Room::EventPtr own;                     // a join: the joiner's copy
    std::shared_ptr<const core::RoomSnapshot> state;  // a topic or settings change: the room's after it
  };

  void connect();
  void connection_lost(std::uint64_t attempt, const std::string& why);
  void cmd_up(std::uint64_t attempt);
  void all_up();
  void on_push(const RedisReply& reply);
  void subscribe(const std::string& key, RoomState& room);
  void subscribed(const std::string& key);
  void unsubscribed(const std::string& key);
  void take_message(const std::string& key, const std::string& payload);
  void offer(const std::string& key, RoomState& room, std::uint64_t seq, core::Room::EventPtr event,
             const std::string& node, char flag);
  // Reads a published or streamed event; remembers the sessions it names.
  std::optional<DecodedEvent> decode(std::string_view bytes);
  void deliver_entry(RoomOrder::Entry entry);
  // The ops parley_say applies to the room as Redis keeps it.
  std::vector<std::string> state_ops(const Own& own) const;
  void apply(const std::string& key, RoomState& room);
  void fill(const std::string& key, std::uint64_t from, std::uint64_t to);
  void send(const std::string& id);
  void send_unsent(RoomState& room);
  void settle_doubts(RoomState& room);
  void check();
  // A followed room's latest number in Redis, `latest`, as the tail check
  // read it; `applied_when_asked`: what this node had applied then.
  void check_tail(const std::string& key, std::uint64_t applied_when_asked, std::uint64_t latest);
  void refuse(const std::string& id, const std::string& why);
  std::string owner_of(core::SessionRef who) const;
  void release_lease(const std::string& key);
  // Renews every lease; takes those not leased yet (after Redis was away or
  // lost its data), and says in the log when that is done; then `then`.
  void renew_leases(bool announce, std::function<void()> then = {});
  // Claims the lease of `key` (held here) again: kept if free or still ours,
  // else lost (lease_lost). Then `done`.
  void take_again(const std::string& key, std::function<void()> done);
  // Refuses own events Redis numbered but no longer has (of one room; "": all).
  void refuse_sent(const std::string& key);
  bool settled() const;
  void check_settled(std::function<void()> done);

  boost::asio::io_context& io_;
  BackplaneSettings settings_;
  core::OrderedDelivery deliver_;
  core::RoomResync resync_;
  std::string node_id_;
  // Cluster names of the other nodes' sessions this node has heard of, by
  // their ref's id (wire.h ref_of_owner), to name them in events decided here;
  // forgotten a minute after they quit (remote_owners.h).
  static constexpr std::chrono::seconds kForgetQuitAfter{60};
  RemoteOwners owners_{kForgetQuitAfter};
  boost::asio::steady_timer beater_;
  std::unordered_map<std::string, std::chrono::steady_clock::time_point> reaping_;
  RedisConnection cmd_;
  RedisConnection sub_;
  std::uint64_t attempt_ = 0;  // numbers connection attempts: news of an old one is ignored
  bool up_ = false;            // both connections up, functions loaded
  std::string epoch_;          // Redis's data generation (a restart without data makes a new one)
  std::chrono::milliseconds backoff_{100};
  boost::asio::steady_timer retry_;
  boost::asio::steady_timer checker_;
  boost::asio::steady_timer settle_timer_;
  std::chrono::steady_clock::time_point probe_sent_{};
  bool probe_waiting_ = false;
  bool probing_ = false;  // the probe channel's subscription has taken effect
  // When the subscriber last delivered anything: a probe queued behind a
  // backlog this node is still reading is late, not lost.
  std::chrono::steady_clock::time_point sub_heard_{};
  std::unordered_map<std::string, RoomState> rooms_;
  std::unordered_map<std::string, Own> own_;  // by event id
  std::unordered_map<std::string, Lease> leases_;  // by folded name
  std::unordered_map<std::uint64_t, std::vector<std::string>> names_of_;  // a session's leases (session_key)
  std::chrono::steady_clock::time_point renewed_{};
  std::shared_ptr<bool> alive_ = std::make_shared<bool>(true);

  // ---- private messages, presence and names across nodes (redis_presence.cpp)
  // Once connected: follows this node's inbox and the names channel, and
  // publishes every session's presence again (Redis may have lost it).
  void presence_up();
  // A message on parley:inbox:NODE or parley:names.
  void on_presence_push(const std::string& channel, const std::string& payload);
  // Reads the inbox past the last entry read; again if asked meanwhile.
  void read_inbox();
  // The answer of parley_pm / parley_who: the holder's identity (null: nobody,
  // or a session of this node the directory here does not know yet).
  core::SharedIdentity holder_of(const RedisReply& r, const std::string& key) const;
  void publish_name_news(bool online, const std::string& key, const std::string& identity);
  // A lease this node cannot renew or take back: the session must give up the name.
  void lease_lost(const std::string& key);

  std::function<void(core::PrivateMessage, std::string)> private_;
  std::function<void(std::string, bool, core::SharedIdentity)> name_news_;
  std::function<void(core::SessionRef, std::string)> lost_name_;
  std::function<void(core::PrivateRedaction, std::string)> redaction_;
  struct Shown {
    std::string owner;
    std::string identity;  // encode_identity
  };
  std::unordered_map<std::uint64_t, Shown> presence_;  // by session_key
  std::unordered_map<std::string, std::string> shown_by_lease_;  // folded name -> identity it went online with
  std::string inbox_last_ = "0-0";  // the last inbox entry read
  bool inbox_reading_ = false;
  bool inbox_again_ = false;

  // ---- liveness, netsplits and coming back (redis_liveness.cpp)
  // Records this node's heartbeat; reaps the nodes found silent; finds out
  // whether the others took this node for dead meanwhile.
  void beat();
  // A dead node: one survivor announces its users' quits (one netsplit) and
  // frees their names.
  void reap(const std::string& dead);
  // This node's heartbeat was missing: the others found it dead (it was
  // frozen or cut off) and announced its users' quits.
  void found_dead();
  // Once the reaper is done with this node: takes its place again (come back).
  void come_back();
  // What Redis knew of this node is gone (Redis lost its data, or another
  // node reaped this one): its leases, its inbox's place; `reaped`: the
  // reaper told the other nodes its names went offline. Then announce_again.
  void forget_what_redis_had(bool reaped);
  // Takes every name again (or loses it), publishes every session's presence
  // and, after forget_what_redis_had, has every session join its rooms again.
  void announce_again();
  // A netsplit's quit (or a netjoin's join) being delivered here: the split
  // (or netjoin) is open until its end.
  void note_netsplit(const core::RoomEvent& event);
  // Its end came (on kNetsplitsChannel): the core groups its quits now.
  void end_netsplit(const std::string& id);
  // Ends the netsplits open longer than a check (`all`: every one), whose end
  // was missed or whose quits were read from a room's stream.
  void end_netsplits(bool all);

  std::function<void(std::shared_ptr<const core::Netjoin>)> rejoin_;
  std::uint64_t netjoins_ = 0;  // this node's returns, numbering its netjoins
  // The netjoin announced last, and when: its end is published a check
  // later, once its sessions' joins have gone out (renamed ones may follow).
  std::string netjoin_open_;
  std::chrono::steady_clock::time_point netjoin_since_{};
  std::function<void(std::string, std::uint64_t)> netsplit_over_;
  bool beaten_ = false;        // a heartbeat of this node is in Redis (since the last data loss)
  bool coming_back_ = false;   // found dead: waiting for its reaper to finish
  bool asking_reaper_ = false;
  std::chrono::steady_clock::time_point coming_back_since_{};
  bool rejoin_due_ = false;     // announce_again has sessions join their rooms again
  bool names_offline_ = false;  // names taken again are announced online again
  std::unordered_map<std::string, std::chrono::steady_clock::time_point> netsplits_;  // open, since
  std::uint64_t netsplit_rounds_ = 0;

  // ---- lookups of other nodes' users (redis_lookups.cpp)
  // A lookup this node asked of others, waiting for their answers on
  // parley:answer:NODE: done once every node that heard it answered, or at
  // the deadline, with what came.
  struct Asked {
    explicit Asked(boost::asio::io_context& io) : deadline(io) {}
    bool counted = false;   // Redis said how many nodes heard the request
    std::size_t heard = 0;
    std::vector<std::string> answers;
    std::function<void(std::vector<std::string>)> done;
    boost::asio::steady_timer deadline;
  };
  // Opens a lookup; its number goes in the request.
  std::uint64_t open_lookup(std::function<void(std::vector<std::string>)> done);
  // How many nodes heard request `id` (0: none will answer, or it was not sent).
  void expect_answers(std::uint64_t id, std::size_t heard);
  void close_lookup(std::uint64_t id);
  // A message on parley:ask:NODE (another node's request) or parley:answer:NODE.
  void on_lookup_push(const std::string& channel, const std::string& payload);
  // Another node's request: answered by the core, published from here.
  void answer_lookup(LookupRequest request);
  core::RemoteLookups lookups_;
  std::unordered_map<std::uint64_t, Asked> asked_;
  std::uint64_t lookups_made_ = 0;

  // ---- server bans across nodes (redis_bans.cpp)
  // A message on parley:bans: another node's operator added or removed a ban.
  // Publishes `news` on `channel` for the other nodes (any thread); with Redis
  // unreachable, logs that `what` reaches them only through storage.
  void publish_news(std::string_view channel, std::string news, std::string what);
  void on_ban_push(const std::string& payload);
  std::function<void(core::ServerBan, bool)> ban_news_;
  void on_registration_push(const std::string& payload);
  std::function<void(core::RoomRecord)> registration_news_;
};

}  // namespace parley::backplane
