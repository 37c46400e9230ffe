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
#include <fmt/format.h>
#include <spdlog/spdlog.h>

#include <boost/asio/post.hpp>

#include "backplane/redis_backplane.h"
#include "backplane/wire.h"

namespace parley::backplane {

namespace asio = boost::asio;

namespace {

std::string lease_key(const std::string& name_key) { return std::string("parley:name:").append(name_key); }

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
  if (!lookups_.details) return;
  // Answered on the core's loops; published from here.
  auto publish = [this, alive = std::weak_ptr<bool>(alive_),
                  channel = std::string(kAnswerPrefix).append(request->node)](std::string answer) {
    asio::post(io_, [this, alive, channel, answer = std::move(answer)] {
      if (alive.expired() || !up_) return;
      cmd_.command({"PUBLISH", channel, answer}, [](const RedisReply&) {});
    });
  };
  lookups_.details(request->subject, std::move(request->asker),
                   [publish, id = request->id](std::optional<core::UserDetails> details) {
                     publish(encode_details_answer(id, details));
                   });
}

}  // namespace parley::backplane
