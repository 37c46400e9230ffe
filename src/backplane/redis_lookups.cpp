// Lookups of other nodes' users (docs/cluster.md): the part of RedisBackplane
// that asks another node about its users and answers such questions.
//
// WHOIS of a user on another node asks that node, by request and answer
// through Redis, rather than reading what nodes publish: the user's rooms as
// the asker may see them (secret ones only to their members and server
// operators) and its idle time are known where the user is, and idle time
// changes with every line the user says, which no node should write to Redis
// for the rare WHOIS. parley_ask finds the holder's node from the name's lease
// and publishes the request on that node's parley:ask:NODE in one step,
// returning what Redis has of the holder and how many subscribers heard it;
// the node answers on parley:answer:ASKER. An asker never waits past
// lookup_timeout for an answer: a node that did not hear the request, or is
// too slow, leaves what Redis has.
//
// WHO of a mask asks every other node the same way (parley_ask_all): each
// lists its own matches for the asker, at most the asker's bound, and the
// asker merges them with its own. Nothing in Redis could do it: the mask
// would have to be matched in Lua against every user of every node, and
// whether an invisible user shares a room with the asker is known only where
// the user is.
//
// LIST asks every other node too: each lists the rooms it follows that are
// not secret (it holds their whole membership and topic), and the asker
// merges them with its own, each room once. No node publishes its rooms to
// Redis for this: LIST is rare, and the counts change with every join.
//
// WHOWAS: each node records the names its users leave in parley:was:KEY, a
// list of the newest kPastPerName per name that lapses a day after its last
// record (parley_was); WHOWAS adds the other nodes' records to its own.
#include <fmt/format.h>
#include <spdlog/spdlog.h>

#include <boost/asio/post.hpp>

#include <algorithm>
#include <chrono>
#include <iterator>

#include "backplane/redis_backplane.h"
#include "backplane/redis_keys.h"
#include "backplane/wire.h"

namespace parley::backplane {

namespace asio = boost::asio;

namespace {

using namespace keys;

constexpr std::chrono::hours kPastKept{24};  // a name's records lapse this long after its last

}  // namespace

void RedisBackplane::remote_details(const std::string& key, const core::LookupAsker& asker,
                                    std::function<void(core::RemoteDetails)> answer) {
  asio::post(io_, [this, key, asker, answer = std::move(answer)]() mutable {
    if (!up_) return answer({});
    // What Redis has of the holder, set when parley_ask answers; its node's
    // answer, if it comes in time, tells more.
    auto known = std::make_shared<core::SharedIdentity>();
    const std::uint64_t id = open_lookup([known, answer = std::move(answer)](std::vector<std::string> answers) {
      core::RemoteDetails out{*known, std::nullopt};
      if (out.identity) {
        for (const auto& bytes : answers) {
          if (auto decoded = decode_lookup_answer(bytes); decoded && decoded->details)
            out.details = std::move(decoded->details);
        }
      }
      answer(std::move(out));
    });
    const LookupRequest request{LookupRequest::Kind::details, id, node_id_, std::move(asker), key};
    cmd_.command({"FCALL", "parley_ask", "1", lease_key(key), encode_lookup_request(request), node_id_},
                 [this, id, key, known](const RedisReply& r) {
                   *known = holder_of(r, key);
                   // A session of this node the directory does not hold: nobody, here.
                   if (*known && node_of_owner(r.elements[0].str) == node_id_) *known = nullptr;
                   const bool heard = *known && r.elements.size() == 3 && r.elements[2].integer > 0;
                   expect_answers(id, heard ? static_cast<std::size_t>(r.elements[2].integer) : 0);
                 });
  });
}

void RedisBackplane::remote_users(const std::string& mask, std::size_t max, const core::LookupAsker& asker,
                                  std::function<void(std::vector<core::Identity>)> answer) {
  asio::post(io_, [this, mask, max, asker, answer = std::move(answer)]() mutable {
    if (!up_) return answer({});
    const std::uint64_t id = open_lookup([answer = std::move(answer)](std::vector<std::string> answers) {
      std::vector<core::Identity> users;
      for (const auto& bytes : answers) {
        if (auto decoded = decode_lookup_answer(bytes))
          std::move(decoded->users.begin(), decoded->users.end(), std::back_inserter(users));
      }
      answer(std::move(users));
    });
    const LookupRequest request{LookupRequest::Kind::users, id, node_id_, std::move(asker), mask, max};
    cmd_.command({"FCALL", "parley_ask_all", "1", kNodesKey, node_id_, encode_lookup_request(request)},
                 [this, id](const RedisReply& r) {
                   const bool heard = r.type == RedisReply::Type::integer && r.integer > 0;
                   expect_answers(id, heard ? static_cast<std::size_t>(r.integer) : 0);
                 });
  });
}

void RedisBackplane::remote_rooms(std::function<void(std::vector<core::RoomSummary>)> answer) {
  asio::post(io_, [this, answer = std::move(answer)]() mutable {
    if (!up_) return answer({});
    const std::uint64_t id = open_lookup([answer = std::move(answer)](std::vector<std::string> answers) {
      std::vector<core::RoomSummary> rooms;
      for (const auto& bytes : answers) {
        if (auto decoded = decode_lookup_answer(bytes))
          std::move(decoded->rooms.begin(), decoded->rooms.end(), std::back_inserter(rooms));
      }
      answer(std::move(rooms));
    });
    const LookupRequest request{LookupRequest::Kind::rooms, id, node_id_, {}, {}, 0};
    cmd_.command({"FCALL", "parley_ask_all", "1", kNodesKey, node_id_, encode_lookup_request(request)},
                 [this, id](const RedisReply& r) {
                   const bool heard = r.type == RedisReply::Type::integer && r.integer > 0;
                   expect_answers(id, heard ? static_cast<std::size_t>(r.integer) : 0);
                 });
  });
}

void RedisBackplane::name_left(const core::PastUser& past, const std::vector<std::string>& keys) {
  asio::post(io_, [this, record = encode_past(node_id_, past), keys] {
    if (!up_ || keys.empty()) return;  // not kept: this node's WHOWAS still has it
    std::vector<std::string> args = {"FCALL", "parley_was", std::to_string(keys.size())};
    for (const auto& key : keys) args.push_back(past_key(key));
    args.push_back(record);
    args.push_back(std::to_string(core::NameRegistry::kPastPerName));
    args.push_back(std::to_string(std::chrono::milliseconds(kPastKept).count()));
    cmd_.command(args, [](const RedisReply&) {});
  });
}

void RedisBackplane::remote_past(const std::string& key, std::size_t count,
                                 std::function<void(std::vector<core::PastUser>)> answer) {
  asio::post(io_, [this, key, count, answer = std::move(answer)]() mutable {
    if (!up_) return answer({});
    const std::size_t most = std::min(count, core::NameRegistry::kPastPerName);
    cmd_.command({"LRANGE", past_key(key), "0", std::to_string(most - 1)},
                 [this, answer = std::move(answer)](const RedisReply& r) {
                   std::vector<core::PastUser> found;
                   for (const auto& entry : r.elements) {
                     auto record = decode_past(entry.str);
                     // This node's own are in its own history (or it forgot them, as one node does).
                     if (record && record->node != node_id_) found.push_back(std::move(record->past));
                   }
                   answer(std::move(found));
                 });
  });
}

std::uint64_t RedisBackplane::open_lookup(std::function<void(std::vector<std::string>)> done) {
  const std::uint64_t id = ++lookups_made_;
  Asked& asked = asked_.try_emplace(id, io_).first->second;
  asked.done = std::move(done);
  return id;
}

void RedisBackplane::expect_answers(std::uint64_t id, std::size_t heard) {
  auto it = asked_.find(id);
  if (it == asked_.end()) return;
  Asked& asked = it->second;
  asked.counted = true;
  asked.heard = heard;
  if (asked.answers.size() >= heard) return close_lookup(id);
  asked.deadline.expires_after(settings_.lookup_timeout);
  asked.deadline.async_wait([this, id, alive = std::weak_ptr<bool>(alive_)](boost::system::error_code ec) {
    if (ec || alive.expired()) return;
    close_lookup(id);
  });
}

void RedisBackplane::close_lookup(std::uint64_t id) {
  auto it = asked_.find(id);
  if (it == asked_.end()) return;
  auto done = std::move(it->second.done);
  auto answers = std::move(it->second.answers);
  asked_.erase(it);
  done(std::move(answers));
}

void RedisBackplane::on_lookup_push(const std::string& channel, const std::string& payload) {
  if (channel.starts_with(kAnswerPrefix)) {
    auto answer = decode_lookup_answer(payload);
    if (!answer) return;
    auto it = asked_.find(answer->id);
    if (it == asked_.end()) return;  // too late: answered without it
    Asked& asked = it->second;
    asked.answers.push_back(payload);
    if (asked.counted && asked.answers.size() >= asked.heard) close_lookup(answer->id);
    return;
  }
  auto request = decode_lookup_request(payload);
  if (!request) {
    spdlog::warn("Cluster: a lookup that this version cannot read was skipped.");
    return;
  }
  answer_lookup(std::move(*request));
}

void RedisBackplane::answer_lookup(LookupRequest request) {
  auto publish = [this, alive = std::weak_ptr<bool>(alive_),
                  channel = answer_channel(request.node)](std::string answer) {
    asio::post(io_, [this, alive, channel, answer = std::move(answer)] {
      if (alive.expired() || !up_) return;
      cmd_.command({"PUBLISH", channel, answer}, [](const RedisReply&) {});
    });
  };
  const std::uint64_t id = request.id;
  switch (request.kind) {
    case LookupRequest::Kind::details:
      if (!lookups_.details) return publish(encode_details_answer(id, std::nullopt));
      return lookups_.details(std::move(request.subject), std::move(request.asker),
                              [publish, id](std::optional<core::UserDetails> details) {
                                publish(encode_details_answer(id, details));
                              });
    case LookupRequest::Kind::users:
      if (!lookups_.users) return publish(encode_users_answer(id, {}));
      return lookups_.users(std::move(request.subject), request.max, std::move(request.asker),
                            [publish, id](std::vector<core::Identity> users) {
                              publish(encode_users_answer(id, users));
                            });
    case LookupRequest::Kind::rooms:
      if (!lookups_.rooms) return publish(encode_rooms_answer(id, {}));
      return lookups_.rooms([publish, id](std::vector<core::RoomSummary> rooms) {
        publish(encode_rooms_answer(id, rooms));
      });
  }
}

}  // namespace parley::backplane
