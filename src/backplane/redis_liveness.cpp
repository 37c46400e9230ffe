// Node liveness (docs/cluster.md, "Node liveness"): every node records a
// heartbeat in parley:nodes; a node silent too long is dead, and one survivor
// announces its users' quits, one netsplit, and frees their names. A node
// that finds it was taken for dead (it was frozen or cut off meanwhile, and
// is still there) takes its names again and has its sessions join their rooms
// again: the same path as after Redis lost its data.
#include <fmt/format.h>
#include <spdlog/spdlog.h>

#include <algorithm>

#include "backplane/redis_backplane.h"
#include "backplane/redis_keys.h"
#include "backplane/wire.h"
#include "core/message_id.h"

namespace parley::backplane {

using namespace keys;

void RedisBackplane::beat() {
  if (!up_) return;
  const std::uint64_t attempt = attempt_;
  cmd_.command({"FCALL", "parley_beat", "1", kNodesKey, node_id_, std::to_string(settings_.node_timeout.count())},
               [this, attempt](const RedisReply& r) {
                 if (attempt != attempt_ || r.type != RedisReply::Type::array || r.elements.empty()) return;
                 // Missing after an earlier one was there: the others reaped this node.
                 const bool missing = r.elements[0].integer == 1;
                 if (missing && beaten_) found_dead();
                 beaten_ = true;
                 if (coming_back_) come_back();
                 for (std::size_t i = 1; i < r.elements.size(); ++i) {
                   if (r.elements[i].str != node_id_) reap(r.elements[i].str);
                 }
               });
  beater_.expires_after(settings_.heartbeat);
  beater_.async_wait([this, attempt, alive = std::weak_ptr<bool>(alive_)](boost::system::error_code ec) {
    if (!ec && !alive.expired() && attempt == attempt_) beat();
  });
}

void RedisBackplane::reap(const std::string& dead) {
  // One survivor wins the dead node's lock (SET NX inside parley_reap): it
  // frees the names and announces the quits, in each room's order.
  const auto now = std::chrono::steady_clock::now();
  if (auto it = reaping_.find(dead); it != reaping_.end() && now - it->second < settings_.node_timeout) return;
  reaping_[dead] = now;
  const std::string lock = node_key(dead).append(":reaper");
  const std::string lock_ms = std::to_string(std::max<std::int64_t>(60000, 3 * settings_.node_timeout.count()));
  cmd_.command({"FCALL", "parley_reap", "4", kNodesKey, lock, node_key(dead).append(":rooms"),
                node_key(dead).append(":names"), dead, node_id_, lock_ms},
               [this, dead, lock](const RedisReply& r) {
                 if (r.type != RedisReply::Type::array) return;  // another survivor reaps it
                 const std::string dead_name(dead.substr(0, dead.rfind('~')));
                 spdlog::warn("Cluster: node {} is silent; node {} announces its {} member(s)' quits and frees its "
                              "names.", dead_name, settings_.node, r.elements.size() / 3);
                 auto split = std::make_shared<core::Netsplit>(core::Netsplit{dead, settings_.node, dead_name});
                 // A netsplit's reason, as IRC servers give it: the two sides.
                 const std::string reason = fmt::format("{} {}", split->survivor, split->lost);
                 std::size_t n = 0;
                 for (std::size_t i = 0; i + 2 < r.elements.size(); i += 3) {
                   const std::string& key = r.elements[i].str;
                   const std::string& owner = r.elements[i + 1].str;
                   auto identity = decode_identity(r.elements[i + 2].str);
                   if (!identity) continue;
                   core::RoomEvent ev;
                   ev.room = key;  // each node shows its own display name of the room
                   ev.room_key = key;
                   ev.time = std::chrono::system_clock::now();
                   ev.id = core::timed_message_id(fmt::format("{}-split-{}", dead, ++n), ev.time);
                   ev.actor = ref_of_owner(owner, node_id_);
                   owners_.remember(ev.actor.id, owner);
                   ev.actor_identity = std::move(identity);
                   ev.what = core::RoomEvent::Left{reason, true, "", false, split};
                   cmd_.command({"FCALL", "parley_say", "6", seq_key(key), stream_key(key), members_key(key),
                                 roles_key(key), state_key(key), node_key(node_id_).append(":rooms"), channel_of(key),
                                 std::to_string(settings_.stream_length),
                                 encode_event(ev, node_id_, [this](core::SessionRef who) { return owner_of(who); }),
                                 key, "leave", owner, ""},
                                [](const RedisReply&) {});
                 }
                 // After the last quit (one connection keeps the order): every
                 // node shows the quits it got as one netsplit, and the dead
                 // node, should it come back, knows its reaper is done.
                 cmd_.command({"PUBLISH", std::string(kNetsplitsChannel), dead}, [](const RedisReply&) {});
                 cmd_.command({"SET", lock, node_id_ + " done", "XX", "KEEPTTL"}, [](const RedisReply&) {});
               });
}

// ---- coming back

void RedisBackplane::found_dead() {
  spdlog::warn("Cluster: the other nodes found node {} dead (frozen or cut off for longer than node_timeout_seconds) "
               "and announced its users' quits; it announces them again.", settings_.node);
  coming_back_ = true;
  coming_back_since_ = std::chrono::steady_clock::now();
}

void RedisBackplane::come_back() {
  if (asking_reaper_) return;
  asking_reaper_ = true;
  const std::uint64_t attempt = attempt_;
  const std::string lock = node_key(node_id_).append(":reaper");
  cmd_.command({"GET", lock}, [this, attempt, lock](const RedisReply& r) {
    asking_reaper_ = false;
    if (attempt != attempt_ || !coming_back_ || !r.ok()) return;  // asked again at the next beat
    // Announced before its reaper's quits, a join would come before them in
    // its room's order, and the quit would win. A reaper cut off before it
    // finished is not waited for past the node timeout.
    const bool reaping = r.type == RedisReply::Type::string && !r.str.ends_with(" done");
    if (reaping && std::chrono::steady_clock::now() - coming_back_since_ < settings_.node_timeout) return;
    coming_back_ = false;
    cmd_.command({"DEL", lock}, [](const RedisReply&) {});  // should it die for good, it is reaped again
    forget_what_redis_had(/*reaped=*/true);
    announce_again();
  });
}

void RedisBackplane::forget_what_redis_had(bool reaped) {
  for (auto& [key, lease] : leases_) lease.value.clear();  // taken again, with new tokens
  inbox_last_ = "0-0";
  rejoin_due_ = true;
  names_offline_ = names_offline_ || reaped;
}

void RedisBackplane::announce_again() {
  // The sessions join their rooms again once every name is kept or lost (a
  // lost one's session renamed first: Hub's rejoin waits for its claim).
  renew_leases(/*announce=*/true, [this] {
    names_offline_ = false;
    if (!std::exchange(rejoin_due_, false) || !rejoin_) return;
    // One netjoin per return: the other nodes show its joins together.
    auto netjoin = std::make_shared<core::Netjoin>();
    netjoin->id = fmt::format("{}+{}", node_id_, ++netjoins_);
    netjoin->back = settings_.node;
    netjoin_open_ = netjoin->id;
    netjoin_since_ = std::chrono::steady_clock::now();
    rejoin_(std::move(netjoin));
  });
  presence_up();
}

// ---- netsplits

void RedisBackplane::note_netsplit(const core::RoomEvent& event) {
  if (const auto* left = event.as<core::RoomEvent::Left>(); left && left->split)
    netsplits_.try_emplace(left->split->id, std::chrono::steady_clock::now());
  if (const auto* joined = event.as<core::RoomEvent::Joined>(); joined && joined->rejoin && joined->rejoin->netjoin)
    netsplits_.try_emplace(joined->rejoin->netjoin->id, std::chrono::steady_clock::now());
}

void RedisBackplane::end_netsplit(const std::string& id) {
  if (netsplits_.erase(id) == 0) return;  // none of its quits came here (yet)
  if (netsplit_over_) netsplit_over_(id, ++netsplit_rounds_);
}

void RedisBackplane::end_netsplits(bool all) {
  const auto now = std::chrono::steady_clock::now();
  // This node's netjoin: its joins went out on this connection before this,
  // so the others read its end after them (one subscriber connection each).
  if (!netjoin_open_.empty() && up_ && now - netjoin_since_ >= settings_.check_interval)
    cmd_.command({"PUBLISH", std::string(kNetsplitsChannel), std::exchange(netjoin_open_, {})}, [](const RedisReply&) {});
  std::vector<std::string> ended;
  for (const auto& [id, since] : netsplits_) {
    if (all || now - since >= settings_.check_interval) ended.push_back(id);
  }
  for (const auto& id : ended) end_netsplit(id);
}

}  // namespace parley::backplane
