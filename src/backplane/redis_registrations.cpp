// Registered rooms across nodes: a room registered, its access list changed
// or its registration ended on one node is published on parley:registrations
// and taken by every other node at once (its founder and access list; the
// room's topic and settings travel as room events). As with server bans
// (redis_bans.cpp), publication is not kept: a node away from Redis at the
// time has the change from shared storage (PostgreSQL) at its next start, or
// not at all with per-node storage (docs/cluster.md).
#include <spdlog/spdlog.h>

#include "backplane/redis_backplane.h"

namespace parley::backplane {

void RedisBackplane::publish_registration(const core::RoomRecord& record) {
  publish_news(kRegistrationsChannel, encode_registration_news(node_id_, record),
               "the registration of #" + record.name);
}

void RedisBackplane::on_registration_push(const std::string& payload) {
  auto news = decode_registration_news(payload);
  if (!news) {
    spdlog::warn("Cluster: a room registration from another node that this version cannot read was skipped.");
    return;
  }
  if (news->node == node_id_ || !registration_news_) return;  // applied here when it was decided
  registration_news_(std::move(news->record));
}

}  // namespace parley::backplane
