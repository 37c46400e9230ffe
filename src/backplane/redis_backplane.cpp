#include "backplane/redis_backplane.h"

#include <fmt/format.h>
#include <spdlog/spdlog.h>

#include <boost/asio/post.hpp>

#include <charconv>
#include <random>

#include "backplane/redis_functions.h"
#include "backplane/wire.h"

namespace parley::backplane {

namespace asio = boost::asio;

namespace {

constexpr std::string_view kRoomPrefix = "parley:room:";
constexpr std::string_view kProbePrefix = "parley:probe:";
const std::string kEpochKey = "parley:epoch";
const std::string kFenceKey = "parley:name-fence";
std::string lease_key(const std::string& name_key) { return std::string("parley:name:").append(name_key); }
std::uint64_t session_key(core::SessionRef who) { return (std::uint64_t{who.loop} << 48) ^ who.id; }

std::string channel_of(const std::string& key) { return std::string(kRoomPrefix).append(key); }
std::string seq_key(const std::string& key) { return channel_of(key).append(":seq"); }
std::string stream_key(const std::string& key) { return channel_of(key).append(":events"); }

std::uint64_t number(std::string_view text) {
  std::uint64_t n = 0;
  std::from_chars(text.data(), text.data() + text.size(), n);
  return n;
}

// A stream entry id "N-0": N.
std::uint64_t seq_of_entry(std::string_view id) { return number(id.substr(0, id.find('-'))); }

std::string random_epoch() {
  std::random_device rd;
  return fmt::format("{:08x}{:08x}", rd(), rd());
}

}  // namespace

RedisBackplane::RedisBackplane(asio::io_context& io, BackplaneSettings settings)
    : io_(io),
      settings_(std::move(settings)),
      cmd_(io, settings_.redis, settings_.timeout),
      sub_(io, settings_.redis, settings_.timeout),
      retry_(io),
      checker_(io) {
  sub_.on_push([this](const RedisReply& r) { on_push(r); });
}

RedisBackplane::~RedisBackplane() { *alive_ = false; }

void RedisBackplane::start() {
  asio::post(io_, [this] { connect(); });
}

bool RedisBackplane::shares(const core::RoomEvent& event) const {
  // What another node can show as it is: a message to every member, from a member.
  const auto* said = event.as<core::RoomEvent::Said>();
  return said && said->audience == core::Audience::members && !said->from_outside && !event.outsider;
}

void RedisBackplane::publish(core::Room::EventPtr event, core::Ticket ticket) {
  asio::post(io_, [this, event = std::move(event), ticket]() mutable {
    const std::string id = event->id;
    const std::string key = event->room_key;
    if (own_.size() >= settings_.max_unsent) {
      spdlog::warn("Cluster: {} messages wait for Redis; a message to #{} was refused.", own_.size(), event->room);
      deliver_(nullptr, ticket);
      return;
    }
    own_.try_emplace(id, Own{std::move(event), ticket, false});
    RoomState& room = rooms_[key];
    room.unsent.push_back(id);
    send_unsent(room);
  });
}

void RedisBackplane::room_in_use(const std::string& room_key, bool in_use) {
  asio::post(io_, [this, room_key, in_use] {
    RoomState& room = rooms_[room_key];
    if (room.in_use == in_use) return;
    room.in_use = in_use;
    if (!up_) return;
    if (in_use && room.sub == Subscription::none) return subscribe(room_key, room);
    if (!in_use && room.sub == Subscription::active) {
      room.sub = Subscription::leaving;
      sub_.subscription({"UNSUBSCRIBE", channel_of(room_key)});
    }
  });
}

// ---- connecting

void RedisBackplane::connect() {
  const std::uint64_t attempt = ++attempt_;
  cmd_.open([this, attempt] { cmd_up(attempt); },
            [this, attempt](std::string why) { connection_lost(attempt, why); });
}

void RedisBackplane::cmd_up(std::uint64_t attempt) {
  cmd_.command({"FUNCTION", "LOAD", "REPLACE", std::string(kFunctions)}, [this, attempt](const RedisReply& r) {
    if (attempt != attempt_) return;
    if (!r.ok()) return cmd_.fail(fmt::format("cannot load the parley functions: {}", r.why()));
  });
  cmd_.command({"SET", kEpochKey, random_epoch(), "NX"}, [](const RedisReply&) {});
  cmd_.command({"GET", kEpochKey}, [this, attempt](const RedisReply& r) {
    if (attempt != attempt_) return;
    if (!r.ok()) return cmd_.fail(fmt::format("cannot read the epoch: {}", r.why()));
    if (!epoch_.empty() && r.str != epoch_) {
      spdlog::warn("Cluster: Redis lost its data (a new epoch): rooms start again from its numbers.");
      for (auto& [key, room] : rooms_) room.resume_after = 0;
      for (auto& [key, lease] : leases_) lease.value.clear();  // taken again, with new tokens
      refuse_sent({});
    }
    epoch_ = r.str;
    sub_.open([this, attempt] {
      if (attempt == attempt_) all_up();
    }, [this, attempt](std::string why) { connection_lost(attempt, why); });
  });
}

void RedisBackplane::all_up() {
  up_ = true;
  backoff_ = std::chrono::milliseconds(100);
  spdlog::info("Cluster: node {} connected to Redis at {}:{}.", settings_.node, settings_.redis.host,
               settings_.redis.port);
  sub_.subscription({"SUBSCRIBE", std::string(kProbePrefix).append(settings_.node)});
  for (auto& [key, room] : rooms_) {
    if (room.in_use) subscribe(key, room);
  }
  probe_waiting_ = false;
  renew_leases(/*announce=*/true);  // Redis may have lost them, or this node took names while it was away
  check();
}

void RedisBackplane::connection_lost(std::uint64_t attempt, const std::string& why) {
  if (attempt != attempt_) return;
  ++attempt_;  // whatever the other connection reports now is old news
  const bool was_up = std::exchange(up_, false);
  probing_ = false;
  probe_waiting_ = false;
  if (was_up) spdlog::warn("Cluster: lost Redis ({}); reconnecting.", why);
  else spdlog::warn("Cluster: cannot reach Redis at {}:{} ({}); retrying.", settings_.redis.host,
                    settings_.redis.port, why);
  cmd_.fail(why);
  sub_.fail(why);
  checker_.cancel();
  for (auto& [key, room] : rooms_) {
    room.sub = Subscription::none;
    room.filling = false;
    room.fresh_start = false;
    if (room.order.started()) room.resume_after = room.order.applied();
    // Own events numbered but not yet applied: the stream has them; they are
    // applied when it is read again after the reconnect.
    for (auto& entry : room.order.stop()) {
      if (entry.ticket.who.id != 0) own_.try_emplace(entry.event->id, Own{entry.event, entry.ticket, true});
    }
  }
  retry_.expires_after(backoff_);
  backoff_ = std::min(backoff_ * 2, std::chrono::milliseconds(2000));
  retry_.async_wait([this, alive = std::weak_ptr<bool>(alive_)](boost::system::error_code ec) {
    if (!ec && !alive.expired()) connect();
  });
}

// ---- following rooms

void RedisBackplane::subscribe(const std::string& key, RoomState& room) {
  room.sub = Subscription::asked;
  sub_.subscription({"SUBSCRIBE", channel_of(key)});
}

void RedisBackplane::on_push(const RedisReply& reply) {
  if (reply.type != RedisReply::Type::array || reply.elements.size() < 3) return;
  const std::string& kind = reply.elements[0].str;
  const std::string& channel = reply.elements[1].str;
  if (channel.starts_with(kProbePrefix)) {
    // Probes start once the subscription to their channel has taken effect.
    if (kind == "subscribe") probing_ = true;
    if (kind == "message" || kind == "subscribe") probe_waiting_ = false;
    return;
  }
  if (!channel.starts_with(kRoomPrefix)) return;
  const std::string key = channel.substr(kRoomPrefix.size());
  if (kind == "message") take_message(key, reply.elements[2].str);
  else if (kind == "subscribe") subscribed(key);
  else if (kind == "unsubscribe") unsubscribed(key);
}

void RedisBackplane::subscribed(const std::string& key) {
  RoomState& room = rooms_[key];
  room.sub = Subscription::active;
  if (!room.in_use) {
    room.sub = Subscription::leaving;
    return sub_.subscription({"UNSUBSCRIBE", channel_of(key)});
  }
  // Where to start: the room's latest number now (asked after the subscription
  // took effect, so nothing later is missed), or where this node was before
  // it lost the connection (then what came between is read from the stream).
  const std::uint64_t attempt = attempt_;
  cmd_.command({"GET", seq_key(key)}, [this, key = key, attempt](const RedisReply& r) {
    if (attempt != attempt_ || !r.ok()) return;
    RoomState& room = rooms_[key];
    if (room.sub != Subscription::active || room.order.started()) return;
    const std::uint64_t latest = number(r.str);
    const std::uint64_t resume = std::exchange(room.resume_after, 0);
    if (resume > 0 && resume <= latest) {
      room.order.start_at(resume);
      if (latest > resume) fill(key, resume + 1, latest);
    } else {
      if (resume > latest) refuse_sent(key);  // numbered in a Redis that lost them
      room.order.start_at(latest);
    }
    room.fresh_start = true;
    room.doubts_checked_at = latest;
    apply(key, room);
    send_unsent(room);
  });
}

void RedisBackplane::unsubscribed(const std::string& key) {
  RoomState& room = rooms_[key];
  room.sub = Subscription::none;
  room.fresh_start = false;
  for (const auto& id : std::exchange(room.in_doubt, {})) refuse(id, "its room is no longer followed here");
  for (auto& entry : room.order.stop()) {
    if (entry.ticket.who.id != 0) deliver_(entry.event, entry.ticket);  // its sender still hears it
  }
  if (room.in_use && up_) return subscribe(key, room);
  if (!room.in_use && room.unsent.empty()) rooms_.erase(key);
}

void RedisBackplane::take_message(const std::string& key, const std::string& payload) {
  const auto space = payload.find(' ');
  if (space == std::string::npos) return;
  const std::uint64_t seq = number(std::string_view(payload).substr(0, space));
  auto decoded = decode_event(std::string_view(payload).substr(space + 1));
  if (!decoded || seq == 0) {
    spdlog::warn("Cluster: an event of #{} that this version cannot read was skipped.", key);
    decoded = DecodedEvent{"", nullptr};
  }
  RoomState& room = rooms_[key];
  offer(key, room, seq, decoded->event, decoded->node);
  apply(key, room);
}

// Puts event `seq` in the room's order: this node's own event (found by its
// id) keeps its sender's ticket and the very object the sender's room made.
void RedisBackplane::offer(const std::string&, RoomState& room, std::uint64_t seq, core::Room::EventPtr event,
                           const std::string& node) {
  core::Ticket ticket{};
  if (event && node == settings_.node) {
    if (auto it = own_.find(event->id); it != own_.end()) {
      event = it->second.event;
      ticket = it->second.ticket;
      own_.erase(it);
    }
  } else if (event) {
    std::const_pointer_cast<core::RoomEvent>(event)->seq = seq;  // nobody holds it yet
  }
  room.order.offer(seq, RoomOrder::Entry{std::move(event), ticket});
}

void RedisBackplane::apply(const std::string& key, RoomState& room) {
  for (auto& entry : room.order.take_ready()) {
    if (entry.event) deliver_(std::move(entry.event), entry.ticket);
  }
  if (!room.in_doubt.empty() && room.fresh_start && room.order.applied() >= room.doubts_checked_at)
    settle_doubts(room);
  if (auto gap = room.order.gap()) fill(key, gap->first, gap->second);
}

void RedisBackplane::fill(const std::string& key, std::uint64_t from, std::uint64_t to) {
  RoomState& room = rooms_[key];
  if (room.filling) return;
  room.filling = true;
  const std::uint64_t attempt = attempt_;
  cmd_.command({"XRANGE", stream_key(key), fmt::format("{}-0", from), fmt::format("{}-0", to)},
               [this, key, to, attempt](const RedisReply& r) {
                 if (attempt != attempt_) return;
                 RoomState& room = rooms_[key];
                 room.filling = false;
                 if (!r.ok() || !room.order.started()) return;
                 for (const auto& entry : r.elements) {
                   if (entry.elements.size() < 2 || entry.elements[1].elements.size() < 2) continue;
                   const std::uint64_t seq = seq_of_entry(entry.elements[0].str);
                   auto decoded = decode_event(entry.elements[1].elements[1].str);
                   if (decoded) offer(key, room, seq, decoded->event, decoded->node);
                   else offer(key, room, seq, nullptr, "");
                 }
                 for (auto& e : room.order.take_ready()) {
                   if (e.event) deliver_(std::move(e.event), e.ticket);
                 }
                 if (room.order.applied() < to) {
                   spdlog::warn("Cluster: #{} events {}..{} are no longer in Redis; members here missed them.", key,
                                room.order.applied() + 1, to);
                   room.order.skip_to(to);
                 }
                 apply(key, room);
               });
}

// ---- own events

void RedisBackplane::send_unsent(RoomState& room) {
  if (!up_) return;
  // A room this node follows sends once it knows where the room starts, so
  // that its own events come after that point; one it does not follow (its
  // last member here left) sends at once.
  if (room.in_use && !room.order.started()) return;
  if (!room.in_doubt.empty()) return;  // they go first, once settled
  while (!room.unsent.empty()) {
    send(room.unsent.front());
    room.unsent.pop_front();
  }
}

void RedisBackplane::send(const std::string& id) {
  auto it = own_.find(id);
  if (it == own_.end()) return;
  it->second.sent = true;
  const core::RoomEvent& event = *it->second.event;
  const std::string& key = event.room_key;
  const std::uint64_t attempt = attempt_;
  cmd_.command({"FCALL", "parley_say", "2", seq_key(key), stream_key(key), channel_of(key),
                std::to_string(settings_.stream_length), encode_event(event, settings_.node)},
               [this, id, key, attempt](const RedisReply& r) {
                 auto it = own_.find(id);
                 if (it == own_.end()) return;  // already applied from the channel
                 if (r.type == RedisReply::Type::integer) {
                   RoomState& room = rooms_[key];
                   if (!room.order.started()) {
                     // Nobody here follows the room any more: its sender alone hears it.
                     auto own = std::move(it->second);
                     own_.erase(it);
                     return deliver_(std::move(own.event), own.ticket);
                   }
                   if (attempt != attempt_) return;  // applied when the stream is read again
                   offer(key, room, static_cast<std::uint64_t>(r.integer), it->second.event, settings_.node);
                   return apply(key, room);
                 }
                 if (r.type == RedisReply::Type::lost && rooms_[key].in_use) {
                   rooms_[key].in_doubt.push_back(id);  // settled once the room is followed again
                   return;
                 }
                 refuse(id, r.why());
               });
}

void RedisBackplane::settle_doubts(RoomState& room) {
  // Read up to where Redis stood after the reconnect: those still here were
  // not taken. Sent again first, in the order their senders sent them.
  std::size_t again = 0;
  for (auto it = room.in_doubt.rbegin(); it != room.in_doubt.rend(); ++it) {
    if (auto own = own_.find(*it); own != own_.end()) {
      own->second.sent = false;
      room.unsent.push_front(*it);
      ++again;
    }
  }
  if (again > 0)
    spdlog::info("Cluster: {} of {} message(s) cut off by the lost connection had not reached Redis; sent again.",
                 again, room.in_doubt.size());
  room.in_doubt.clear();
  send_unsent(room);
}

void RedisBackplane::refuse_sent(const std::string& key) {
  std::vector<std::string> ids;
  for (const auto& [id, own] : own_) {
    if (own.sent && (key.empty() || own.event->room_key == key)) ids.push_back(id);
  }
  for (const auto& id : ids) refuse(id, "Redis lost its data");
}

void RedisBackplane::refuse(const std::string& id, const std::string& why) {
  auto it = own_.find(id);
  if (it == own_.end()) return;
  spdlog::warn("Cluster: a message to #{} may not have reached other nodes ({}).", it->second.event->room, why);
  const core::Ticket ticket = it->second.ticket;
  own_.erase(it);
  deliver_(nullptr, ticket);
}

// ---- checking

void RedisBackplane::check() {
  if (!up_) return;
  const auto now = std::chrono::steady_clock::now();
  if (probe_waiting_ && now - probe_sent_ > settings_.timeout) return sub_.fail("the subscriber probe timed out");
  if (probing_ && !probe_waiting_) {
    probe_waiting_ = true;
    probe_sent_ = now;
    cmd_.command({"PUBLISH", std::string(kProbePrefix).append(settings_.node), "probe"}, [](const RedisReply&) {});
  }
  if (now - renewed_ > settings_.name_lease / 3) renew_leases(/*announce=*/false);
  const std::uint64_t attempt = attempt_;
  for (auto& [key, room] : rooms_) {
    if (!room.order.started()) continue;
    cmd_.command({"GET", seq_key(key)}, [this, key = key, attempt](const RedisReply& r) {
      if (attempt != attempt_ || !r.ok()) return;
      RoomState& room = rooms_[key];
      if (!room.order.started()) return;
      const std::uint64_t latest = number(r.str);
      if (latest < room.order.applied()) {
        spdlog::warn("Cluster: #{} restarted its numbers in Redis (data lost); following it from {}.", key, latest);
        room.order.start_at(latest);
        return;
      }
      if (latest > room.order.applied() && !room.order.gap()) fill(key, room.order.applied() + 1, latest);
    });
  }
  checker_.expires_after(settings_.check_interval);
  checker_.async_wait([this, alive = std::weak_ptr<bool>(alive_)](boost::system::error_code ec) {
    if (!ec && !alive.expired()) check();
  });
}

// ---- names

std::string RedisBackplane::owner_of(core::SessionRef who) const {
  return fmt::format("{}/{}.{}", settings_.node, who.loop, who.id);
}

void RedisBackplane::lease_name(core::SessionRef who, const std::string& key, std::function<void(bool)> answer) {
  asio::post(io_, [this, who, key, answer = std::move(answer)] {
    // Someone here holds or claims it: the directory here decides.
    if (leases_.contains(key)) return answer(true);
    leases_.emplace(key, Lease{who, "", false});
    names_of_[session_key(who)].push_back(key);
    if (!up_) {
      spdlog::warn("Cluster: Redis is unreachable; the name {} is taken here unchecked (checked when it is back).", key);
      return answer(true);
    }
    const std::string owner = owner_of(who);
    cmd_.command({"FCALL", "parley_claim", "2", lease_key(key), kFenceKey, owner,
                  std::to_string(settings_.name_lease.count())},
                 [this, who, key, owner, answer](const RedisReply& r) {
                   auto it = leases_.find(key);
                   const bool ours = it != leases_.end() && it->second.who == who;
                   if (r.type == RedisReply::Type::integer && r.integer == 0) {
                     if (ours) {
                       leases_.erase(it);
                       std::erase(names_of_[session_key(who)], key);
                     }
                     return answer(false);  // another node holds it
                   }
                   if (r.type == RedisReply::Type::integer && ours) it->second.value = fmt::format("{} {}", owner, r.integer);
                   if (!r.ok()) spdlog::warn("Cluster: the name {} is taken here unchecked ({}).", key, r.why());
                   answer(true);
                 });
  });
}

void RedisBackplane::name_settled(core::SessionRef who, const std::string& key, bool taken) {
  asio::post(io_, [this, who, key, taken] {
    auto& names = names_of_[session_key(who)];
    if (taken) {
      // Its other names (the one it had before a rename) are free now.
      for (const std::string& other : std::vector<std::string>(names)) {
        if (other != key) release_lease(other);
      }
      std::erase_if(names, [&](const std::string& k) { return k != key; });
      if (auto it = leases_.find(key); it != leases_.end() && it->second.who == who) it->second.current = true;
      return;
    }
    auto it = leases_.find(key);
    if (it != leases_.end() && it->second.who == who && !it->second.current) {
      release_lease(key);
      std::erase(names, key);
    }
    if (names.empty()) names_of_.erase(session_key(who));
  });
}

void RedisBackplane::names_released(core::SessionRef who) {
  asio::post(io_, [this, who] {
    auto it = names_of_.find(session_key(who));
    if (it == names_of_.end()) return;
    for (const std::string& key : it->second) {
      if (auto lease = leases_.find(key); lease != leases_.end() && lease->second.who == who) release_lease(key);
    }
    names_of_.erase(it);
  });
}

void RedisBackplane::release_lease(const std::string& key) {
  auto it = leases_.find(key);
  if (it == leases_.end()) return;
  if (!it->second.value.empty() && up_)
    cmd_.command({"FCALL", "parley_release", "1", lease_key(key), it->second.value}, [](const RedisReply&) {});
  leases_.erase(it);
}

void RedisBackplane::renew_leases(bool announce) {
  renewed_ = std::chrono::steady_clock::now();
  auto left = std::make_shared<std::size_t>(leases_.size());
  auto done = [this, left, announce] {
    if (--*left == 0 && announce) spdlog::info("Cluster: node {} holds its {} name(s) in Redis.", settings_.node, leases_.size());
  };
  if (leases_.empty() && announce) spdlog::info("Cluster: node {} holds its 0 name(s) in Redis.", settings_.node);
  const std::string ms = std::to_string(settings_.name_lease.count());
  for (auto& [key, lease] : leases_) {
    if (!lease.value.empty()) {
      cmd_.command({"FCALL", "parley_renew", "1", lease_key(key), lease.value, ms},
                   [key = key, done](const RedisReply& r) {
                     if (r.type == RedisReply::Type::integer && r.integer == 0)
                       spdlog::warn("Cluster: the lease on the name {} was lost to another node; it is held twice.", key);
                     done();
                   });
      continue;
    }
    const std::string owner = owner_of(lease.who);
    cmd_.command({"FCALL", "parley_claim", "2", lease_key(key), kFenceKey, owner, ms},
                 [this, key = key, who = lease.who, owner, done](const RedisReply& r) {
                   auto it = leases_.find(key);
                   if (r.type == RedisReply::Type::integer && it != leases_.end() && it->second.who == who) {
                     if (r.integer == 0) spdlog::warn("Cluster: the name {} is held on another node too.", key);
                     else it->second.value = fmt::format("{} {}", owner, r.integer);
                   }
                   done();
                 });
  }
}

}  // namespace parley::backplane
