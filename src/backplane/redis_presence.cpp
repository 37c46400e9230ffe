// Private messages, presence and names across nodes (docs/cluster.md): the
// part of RedisBackplane that is about sessions rather than rooms.
//
// - A private message for a name held on another node goes, with
//   parley_pm, into the inbox stream of the node holding the name's lease,
//   which is told on its inbox channel and reads the stream in order. One
//   connection carries every command of this node in the order given, so a
//   sender's messages to one recipient reach its node's inbox in the order
//   sent; the inbox is read strictly in stream order, so they are delivered
//   in that order too. A lost notification is made up for by the periodic
//   check, which reads the inbox as well.
// - Each node keeps its sessions' identities (nick, user, host, real name,
//   account, away message) in its users hash, for WHOIS, WHO and the
//   recipient's side of a private message elsewhere.
// - A name taken or given up here is announced on parley:names, for other
//   nodes' MONITOR lists; the reaper of a dead node announces its names.
// - A private line taken back by its sender goes into every other node's
//   inbox (parley_tell_all), where it comes after the line it takes back.
#include <fmt/format.h>
#include <spdlog/spdlog.h>

#include <boost/asio/post.hpp>

#include "backplane/redis_backplane.h"
#include "backplane/redis_keys.h"
#include "backplane/wire.h"

namespace parley::backplane {

namespace asio = boost::asio;

namespace {

const std::string kNamesChannel = "parley:names";
constexpr std::size_t kInboxLength = 10000;  // entries kept per node's inbox (about)
constexpr std::size_t kInboxBatch = 500;     // entries read at once

using namespace keys;

std::string inbox_channel(const std::string& node) { return std::string("parley:inbox:").append(node); }

}  // namespace

void RedisBackplane::send_private(const core::PrivateMessage& pm, const std::string& to_key,
                                  std::function<void(core::SharedIdentity)> answer) {
  // Posted in the order the registry loop sends them, and queued on the one
  // command connection in that order: the order per sender and recipient.
  asio::post(io_, [this, payload = encode_private(pm, owner_of(pm.from), to_key), to_key,
                   answer = std::move(answer)]() mutable {
    if (!up_) return answer(nullptr);
    cmd_.command({"FCALL", "parley_pm", "1", lease_key(to_key), payload, std::to_string(kInboxLength)},
                 [this, to_key, answer = std::move(answer)](const RedisReply& r) {
                   if (!r.ok()) spdlog::warn("Cluster: a private message may not have reached its node ({}).", r.why());
                   answer(holder_of(r, to_key));
                 });
  });
}

void RedisBackplane::send_private_redaction(const core::PrivateRedaction& redaction, const std::string& other_account,
                                            std::function<void()> sent) {
  // Every other node's inbox, behind the private messages this node sent
  // before (one connection, in order): a node that delivered the line reads
  // its redaction after it. Either account's sessions may be on any node,
  // and redactions are rare: all nodes rather than an index of accounts.
  asio::post(io_, [this, payload = encode_private_redaction(redaction, other_account), sent = std::move(sent)] {
    if (!up_) {
      spdlog::warn("Cluster: Redis is unreachable; a private message taken back is not taken back on other nodes.");
      return sent();
    }
    cmd_.command({"FCALL", "parley_tell_all", "1", kNodesKey, node_id_, "r", payload, std::to_string(kInboxLength)},
                 [sent](const RedisReply& r) {
                   if (!r.ok()) spdlog::warn("Cluster: a private message taken back may not be on other nodes ({}).", r.why());
                   sent();
                 });
  });
}

void RedisBackplane::find_remote(const std::string& key, std::function<void(core::SharedIdentity)> answer) {
  asio::post(io_, [this, key, answer = std::move(answer)]() mutable {
    if (!up_) return answer(nullptr);
    cmd_.command({"FCALL", "parley_who", "1", lease_key(key)},
                 [this, key, answer = std::move(answer)](const RedisReply& r) {
                   auto found = holder_of(r, key);
                   // A session of this node the directory does not hold: nobody, here.
                   if (found && r.elements.size() == 2 && node_of_owner(r.elements[0].str) == node_id_) found = nullptr;
                   answer(std::move(found));
                 });
  });
}

core::SharedIdentity RedisBackplane::holder_of(const RedisReply& r, const std::string& key) const {
  if (r.type != RedisReply::Type::array || r.elements.size() < 2) return nullptr;
  if (auto identity = decode_identity(r.elements[1].str)) return identity;
  // Held, but its node has not published the session yet: what the key says.
  auto bare = std::make_shared<core::Identity>();
  bare->display = key;
  bare->nick = key;
  return bare;
}

void RedisBackplane::publish_presence(core::SessionRef who, core::SharedIdentity identity) {
  asio::post(io_, [this, who, identity = std::move(identity)] {
    if (!identity) return;
    Shown& shown = presence_[session_key(who)];
    shown.owner = owner_of(who);
    shown.identity = encode_identity(*identity);
    if (up_) cmd_.command({"HSET", node_key(node_id_).append(":users"), shown.owner, shown.identity}, [](const RedisReply&) {});
  });
}

void RedisBackplane::presence_up() {
  sub_.subscription({"SUBSCRIBE", inbox_channel(node_id_), kNamesChannel, std::string(kBansChannel),
                     std::string(kRegistrationsChannel), ask_channel(node_id_), answer_channel(node_id_)});
  if (!presence_.empty()) {
    std::vector<std::string> args = {"HSET", node_key(node_id_).append(":users")};
    for (const auto& [key, shown] : presence_) {
      args.push_back(shown.owner);
      args.push_back(shown.identity);
    }
    cmd_.command(args, [](const RedisReply&) {});
  }
  read_inbox();
}

void RedisBackplane::on_presence_push(const std::string& channel, const std::string& payload) {
  if (channel == kNamesChannel) {
    auto news = decode_name_news(payload);
    if (!news || news->node == node_id_ || !name_news_) return;  // this node's watchers hear it from the directory
    name_news_(news->key, news->online, news->who);
    return;
  }
  read_inbox();
}

void RedisBackplane::read_inbox() {
  if (!up_) return;
  if (inbox_reading_) {
    inbox_again_ = true;
    return;
  }
  inbox_reading_ = true;
  inbox_again_ = false;
  const std::uint64_t attempt = attempt_;
  cmd_.command({"XRANGE", node_key(node_id_).append(":inbox"), std::string("(").append(inbox_last_), "+", "COUNT",
                std::to_string(kInboxBatch)},
               [this, attempt](const RedisReply& r) {
                 if (attempt != attempt_) return;  // read again after the reconnect
                 inbox_reading_ = false;
                 if (!r.ok()) return;
                 for (const auto& entry : r.elements) {
                   if (entry.elements.size() < 2 || entry.elements[1].elements.size() < 2) continue;
                   inbox_last_ = entry.elements[0].str;
                   const auto& fields = entry.elements[1].elements;
                   if (fields[0].str == "r") {  // a private line taken back (parley_tell_all)
                     auto taken_back = decode_private_redaction(fields[1].str);
                     if (!taken_back) spdlog::warn("Cluster: a redaction that this version cannot read was skipped.");
                     else if (redaction_) redaction_(std::move(taken_back->redaction), std::move(taken_back->other_account));
                     continue;
                   }
                   auto decoded = decode_private(fields[1].str, node_id_);
                   if (!decoded) {
                     spdlog::warn("Cluster: a private message that this version cannot read was skipped.");
                     continue;
                   }
                   if (private_) private_(std::move(decoded->pm), std::move(decoded->to_key));
                 }
                 if (inbox_again_ || r.elements.size() == kInboxBatch) read_inbox();
               });
}

void RedisBackplane::publish_name_news(bool online, const std::string& key, const std::string& identity) {
  if (!up_) return;
  cmd_.command({"PUBLISH", kNamesChannel, encode_name_news(online, node_id_, key, identity)}, [](const RedisReply&) {});
}

void RedisBackplane::lease_lost(const std::string& key) {
  auto it = leases_.find(key);
  if (it == leases_.end()) return;
  const core::SessionRef who = it->second.who;
  spdlog::warn("Cluster: the name {} is held on another node now; its holder here is renamed.", key);
  shown_by_lease_.erase(key);
  leases_.erase(it);  // not released: it is not ours
  if (auto names = names_of_.find(session_key(who)); names != names_of_.end()) std::erase(names->second, key);
  if (lost_name_) lost_name_(who, key);
}

}  // namespace parley::backplane
