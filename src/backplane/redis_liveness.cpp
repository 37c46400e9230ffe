// Node liveness (docs/cluster.md, "Node liveness"): every node records a
// heartbeat in parley:nodes; a node silent too long is dead, and one survivor
// announces its users' quits, one netsplit, and frees their names.
#include <fmt/format.h>
#include <spdlog/spdlog.h>

#include <algorithm>

#include "backplane/redis_backplane.h"
#include "backplane/redis_keys.h"
#include "backplane/wire.h"

namespace parley::backplane {

using namespace keys;

void RedisBackplane::beat() {
  if (!up_) return;
  const std::uint64_t attempt = attempt_;
  cmd_.command({"FCALL", "parley_beat", "1", kNodesKey, node_id_, std::to_string(settings_.node_timeout.count())},
               [this, attempt](const RedisReply& r) {
                 if (attempt != attempt_ || r.type != RedisReply::Type::array) return;
                 for (const auto& dead : r.elements) {
                   if (dead.str != node_id_) reap(dead.str);
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
               [this, dead](const RedisReply& r) {
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
                   ev.id = fmt::format("{}-split-{}", dead, ++n);
                   ev.time = std::chrono::system_clock::now();
                   ev.actor = ref_of_owner(owner, node_id_);
                   owners_[ev.actor.id] = owner;
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
                 // node shows the quits it got as one netsplit.
                 cmd_.command({"PUBLISH", std::string(kNetsplitsChannel), dead}, [](const RedisReply&) {});
               });
}

// ---- netsplits

void RedisBackplane::note_netsplit(const core::RoomEvent& event) {
  const auto* left = event.as<core::RoomEvent::Left>();
  if (!left || !left->split) return;
  netsplits_.try_emplace(left->split->id, std::chrono::steady_clock::now());
}

void RedisBackplane::end_netsplit(const std::string& id) {
  if (netsplits_.erase(id) == 0) return;  // none of its quits came here (yet)
  if (netsplit_over_) netsplit_over_(id, ++netsplit_rounds_);
}

void RedisBackplane::end_netsplits(bool all) {
  const auto now = std::chrono::steady_clock::now();
  std::vector<std::string> ended;
  for (const auto& [id, since] : netsplits_) {
    if (all || now - since >= settings_.check_interval) ended.push_back(id);
  }
  for (const auto& id : ended) end_netsplit(id);
}

}  // namespace parley::backplane
