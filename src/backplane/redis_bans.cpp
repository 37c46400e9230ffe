// Server bans across nodes: a K-line an operator adds or removes on one node
// is published on parley:bans and applied by every other node at once (kept
// in its storage, enforced on its sessions). Publication is not kept: a node
// that was away from Redis at the time has the ban from shared storage
// (PostgreSQL) at its next start, or not at all with per-node storage
// (docs/cluster.md).
#include <boost/asio/post.hpp>
#include <spdlog/spdlog.h>

#include "backplane/redis_backplane.h"

namespace parley::backplane {

void RedisBackplane::publish_news(std::string_view channel, std::string news, std::string what) {
  boost::asio::post(io_, [this, channel = std::string(channel), news = std::move(news), what = std::move(what)] {
    if (!up_) {
      spdlog::warn("Cluster: Redis is unreachable; {} reaches the other nodes only through storage.", what);
      return;
    }
    cmd_.command({"PUBLISH", channel, news}, [](const RedisReply&) {});
  });
}

void RedisBackplane::publish_ban(const core::ServerBan& ban, bool added) {
  publish_news(kBansChannel, encode_ban_news(added, node_id_, ban), "the ban on " + ban.mask);
}

void RedisBackplane::on_ban_push(const std::string& payload) {
  auto news = decode_ban_news(payload);
  if (!news) {
    spdlog::warn("Cluster: a server ban from another node that this version cannot read was skipped.");
    return;
  }
  if (news->node == node_id_ || !ban_news_) return;  // applied here when it was decided
  ban_news_(std::move(news->ban), news->added);
}

}  // namespace parley::backplane
