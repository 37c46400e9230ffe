#include "backplane/redis_backplane.h"

#include <fmt/format.h>
#include <spdlog/spdlog.h>

#include <boost/asio/post.hpp>

#include <algorithm>
#include <charconv>
#include <random>

#include "backplane/redis_functions.h"
#include "backplane/redis_keys.h"
#include "backplane/wire.h"

namespace parley::backplane {

namespace asio = boost::asio;

namespace {

using namespace keys;

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
      beater_(io),
      cmd_(io, settings_.redis, settings_.timeout),
      sub_(io, settings_.redis, settings_.timeout),
      retry_(io),
      checker_(io),
      settle_timer_(io) {
  node_id_ = fmt::format("{}~{}", settings_.node, random_epoch().substr(0, 8));
  sub_.on_push([this](const RedisReply& r) { on_push(r); });
}

RedisBackplane::~RedisBackplane() { *alive_ = false; }

void RedisBackplane::start() {
  asio::post(io_, [this] { connect(); });
}

// Own events come back by several ways (the reply, the channel, a read of the
// stream, a refusal): rather than watch each, look again every few
// milliseconds. Only at shutdown, and the server's grace bounds the wait
// (Redis unreachable: they wait for it to come back, as they would running).
void RedisBackplane::after_settled(std::function<void()> done) {
  asio::post(io_, [this, done = std::move(done)]() mutable {
    if (!settled())
      spdlog::info("Cluster: waiting for {} message(s) on their way through Redis before closing.", own_.size());
    check_settled(std::move(done));
  });
}

bool RedisBackplane::settled() const {
  if (!own_.empty()) return false;
  return std::none_of(rooms_.begin(), rooms_.end(), [](const auto& room) { return room.second.order.holds_back(); });
}

void RedisBackplane::check_settled(std::function<void()> done) {
  if (settled()) return done();
  settle_timer_.expires_after(std::chrono::milliseconds(5));
  settle_timer_.async_wait([this, done = std::move(done), alive = std::weak_ptr<bool>(alive_)](
                               boost::system::error_code ec) mutable {
    if (!ec && !alive.expired()) check_settled(std::move(done));
  });
}

bool RedisBackplane::shares(const core::RoomEvent& event) const {
  // A message to every member, from a member; what changes who is in the room,
  // their names and roles, its topic and settings.
  if (const auto* said = event.as<core::RoomEvent::Said>())
    return said->audience == core::Audience::members && !said->from_outside && !event.outsider;
  return event.as<core::RoomEvent::Joined>() || event.as<core::RoomEvent::Left>() ||
         event.as<core::RoomEvent::Renamed>() || event.as<core::RoomEvent::TopicChanged>() ||
         event.as<core::RoomEvent::SettingsChanged>() || event.as<core::RoomEvent::Kicked>() ||
         event.as<core::RoomEvent::AwayChanged>() || event.as<core::RoomEvent::RealNameChanged>() ||
         event.as<core::RoomEvent::AccountChanged>();  // away-notify, setname, account-notify across nodes
}

void RedisBackplane::publish_with(core::Room::EventPtr event, core::Ticket ticket, core::Room::EventPtr own,
                                  std::shared_ptr<const core::RoomSnapshot> state) {
  asio::post(io_, [this, event = std::move(event), ticket, own = std::move(own), state = std::move(state)]() mutable {
    const std::string id = event->id;
    const std::string key = event->room_key;
    if (own_.size() >= settings_.max_unsent) {
      spdlog::warn("Cluster: {} events wait for Redis; an event of #{} stays on this node.", own_.size(), event->room);
      deliver_({std::move(event), ticket, std::move(own)});
      return;
    }
    own_.try_emplace(id, Own{std::move(event), ticket, false, std::move(own), std::move(state)});
    RoomState& room = rooms_[key];
    room.unsent.push_back(id);
    send_unsent(room);
  });
}

void RedisBackplane::publish(core::Room::EventPtr event, core::Ticket ticket) {
  asio::post(io_, [this, event = std::move(event), ticket]() mutable {
    const std::string id = event->id;
    const std::string key = event->room_key;
    if (own_.size() >= settings_.max_unsent) {
      spdlog::warn("Cluster: {} messages wait for Redis; a message to #{} was refused.", own_.size(), event->room);
      deliver_({nullptr, ticket});
      return;
    }
    own_.try_emplace(id, Own{std::move(event), ticket, false, nullptr, nullptr});
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

void RedisBackplane::prepare_room(const std::string& room_key,
                                  std::function<void(std::optional<core::RemoteRoom>)> ready) {
  asio::post(io_, [this, room_key, ready = std::move(ready)]() mutable {
    RoomState& room = rooms_[room_key];
    if (!up_) return ready(std::nullopt);  // decided here alone; followed once Redis is back
    if (room.sub == Subscription::active && room.order.started()) return ready(std::nullopt);  // this node has it
    room.waiting.push_back(std::move(ready));
    if (!room.in_use) {
      room.in_use = true;  // the join, if refused, says it is unused again
      if (room.sub == Subscription::none) subscribe(room_key, room);
    }
  });
}

// Joins waiting for a room go ahead, with what the cluster holds of it (or nothing).
static void release_waiting(std::vector<std::function<void(std::optional<core::RemoteRoom>)>>& waiting,
                            const std::optional<core::RemoteRoom>& remote) {
  for (auto& ready : std::exchange(waiting, {})) ready(remote);
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
      refuse_sent({});
      forget_what_redis_had(/*reaped=*/false);  // announced again once connected (all_up)
      beaten_ = false;  // its heartbeat is gone with the rest: not a sign it was reaped
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
  sub_.subscription({"SUBSCRIBE", std::string(kProbePrefix).append(node_id_)});
  sub_.subscription({"SUBSCRIBE", std::string(kNetsplitsChannel)});
  for (auto& [key, room] : rooms_) {
    if (room.in_use) subscribe(key, room);
  }
  probe_waiting_ = false;
  inbox_reading_ = false;  // a read cut off by the lost connection is news of an old attempt
  // Redis may have lost them, or this node took names while it was away.
  announce_again();
  check();
  beat();
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
  end_netsplits(/*all=*/true);  // their ends may come no more
  for (auto& [key, room] : rooms_) {
    release_waiting(room.waiting, std::nullopt);
    room.sub = Subscription::none;
    room.filling = false;
    room.fresh_start = false;
    if (room.order.started()) room.resume_after = room.order.applied();
    // Own events numbered but not yet applied: the stream has them; they are
    // applied when it is read again after the reconnect.
    for (auto& entry : room.order.stop()) {
      if (entry.ticket.who.id != 0 || entry.own)
        own_.try_emplace(entry.event->id, Own{entry.event, entry.ticket, true, entry.own, nullptr});
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
  sub_heard_ = std::chrono::steady_clock::now();
  const std::string& kind = reply.elements[0].str;
  const std::string& channel = reply.elements[1].str;
  if (channel.starts_with(kProbePrefix)) {
    // Probes start once the subscription to their channel has taken effect.
    if (kind == "subscribe") probing_ = true;
    if (kind == "message" || kind == "subscribe") probe_waiting_ = false;
    return;
  }
  if (channel == kBansChannel) {
    if (kind == "message") on_ban_push(reply.elements[2].str);
    return;
  }
  if (channel == kRegistrationsChannel) {
    if (kind == "message") on_registration_push(reply.elements[2].str);
    return;
  }
  if (channel == kNetsplitsChannel) {
    if (kind == "message") end_netsplit(reply.elements[2].str);
    return;
  }
  if (channel.starts_with(kAskPrefix) || channel.starts_with(kAnswerPrefix)) {
    if (kind == "message") on_lookup_push(channel, reply.elements[2].str);
    return;
  }
  if (channel == "parley:names" || channel.starts_with("parley:inbox:")) {
    if (kind == "message") on_presence_push(channel, reply.elements[2].str);
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
    release_waiting(room.waiting, std::nullopt);
    room.sub = Subscription::leaving;
    return sub_.subscription({"UNSUBSCRIBE", channel_of(key)});
  }
  // Where to start: the room's latest number now (asked after the subscription
  // took effect, so nothing later is missed), or where this node was before
  // it lost the connection (then what came between is read from the stream).
  const std::uint64_t attempt = attempt_;
  cmd_.command({"FCALL", "parley_room", "4", seq_key(key), members_key(key), roles_key(key), state_key(key)},
               [this, key = key, attempt](const RedisReply& r) {
    if (attempt != attempt_) return;
    RoomState& room = rooms_[key];
    if (!r.ok() || r.elements.size() < 4) {
      spdlog::warn("Cluster: cannot read #{} from Redis ({}).", key, r.why());
      return release_waiting(room.waiting, std::nullopt);
    }
    if (room.sub != Subscription::active || room.order.started()) return release_waiting(room.waiting, std::nullopt);
    const std::uint64_t latest = static_cast<std::uint64_t>(r.elements[0].integer);
    room.channel_from = latest;
    room.stalled_since.reset();
    const std::uint64_t resume = std::exchange(room.resume_after, 0);
    if (resume > 0 && resume <= latest) {
      room.order.start_at(resume);
      if (latest > resume) fill(key, resume + 1, latest);
    } else {
      if (resume > latest) refuse_sent(key);  // numbered in a Redis that lost them
      room.order.start_at(latest);
      // The room as it stands at `latest`: its members on other nodes, its topic and settings.
      core::RemoteRoom remote;
      remote.room_key = key;
      StateFields hash;
      const auto& sl = r.elements[1].elements;
      for (std::size_t i = 0; i + 1 < sl.size(); i += 2) hash.emplace_back(sl[i].str, sl[i + 1].str);
      remote.state = decode_room_state(hash);
      std::unordered_map<std::string, std::string> roles;
      const auto& rl = r.elements[3].elements;
      for (std::size_t i = 0; i + 1 < rl.size(); i += 2) roles[rl[i].str] = rl[i + 1].str;
      const auto& ml = r.elements[2].elements;
      for (std::size_t i = 0; i + 1 < ml.size(); i += 2) {
        const std::string& owner = ml[i].str;
        if (node_of_owner(owner) == node_id_) continue;
        auto identity = decode_identity(ml[i + 1].str);
        if (!identity) continue;
        const core::SessionRef ref = ref_of_owner(owner, node_id_);
        owners_.remember(ref.id, owner);
        const std::string& flags = roles[owner];
        remote.members.push_back({ref, std::move(identity), flags.find('o') != std::string::npos,
                                  flags.find('v') != std::string::npos});
      }
      if (resync_) resync_(remote);
      release_waiting(room.waiting, remote);
    }
    release_waiting(room.waiting, std::nullopt);
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
    if (entry.ticket.who.id != 0 || entry.own) deliver_entry(std::move(entry));  // its sender still hears it
  }
  if (room.in_use && up_) return subscribe(key, room);
  if (!room.in_use && room.unsent.empty()) rooms_.erase(key);
}

void RedisBackplane::take_message(const std::string& key, const std::string& payload) {
  const auto space = payload.find(' ');
  if (space == std::string::npos) return;
  const std::uint64_t seq = number(std::string_view(payload).substr(0, space));
  const auto space2 = payload.find(' ', space + 1);
  if (space2 == std::string::npos) return;
  const char flag = space2 == space + 2 ? payload[space + 1] : '.';
  auto decoded = decode(std::string_view(payload).substr(space2 + 1));
  if (!decoded || seq == 0) {
    spdlog::warn("Cluster: an event of #{} that this version cannot read was skipped.", key);
    decoded = DecodedEvent{"", nullptr, "", ""};
  }
  RoomState& room = rooms_[key];
  offer(key, room, seq, decoded->event, decoded->node, flag);
  apply(key, room);
}

// Puts event `seq` in the room's order: this node's own event (found by its
// id) keeps its sender's ticket and the very object the sender's room made.
void RedisBackplane::offer(const std::string&, RoomState& room, std::uint64_t seq, core::Room::EventPtr event,
                           const std::string& node, char flag) {
  core::Ticket ticket{};
  core::Room::EventPtr own;
  if (event && node == node_id_) {
    if (auto it = own_.find(event->id); it != own_.end()) {
      event = it->second.event;
      ticket = it->second.ticket;
      own = it->second.own;
      own_.erase(it);
    }
  } else if (event) {
    std::const_pointer_cast<core::RoomEvent>(event)->seq = seq;  // nobody holds it yet
  }
  room.order.offer(seq, RoomOrder::Entry{std::move(event), ticket, std::move(own), flag});
}

std::optional<DecodedEvent> RedisBackplane::decode(std::string_view bytes) {
  auto decoded = decode_event(bytes, node_id_);
  if (!decoded) return decoded;
  const core::RoomEvent& event = *decoded->event;
  auto remember = [&](const std::string& owner, core::SessionRef ref) {
    if (ref.loop == core::kRemoteLoop && !owner.empty()) owners_.remember(ref.id, owner);
  };
  remember(decoded->actor_owner, event.actor);
  if (const auto* left = event.as<core::RoomEvent::Left>(); left && left->quit && event.actor.loop == core::kRemoteLoop)
    owners_.quit(event.actor.id, std::chrono::steady_clock::now());
  // A netjoin is shown as between this node and the one coming back.
  if (const auto* joined = event.as<core::RoomEvent::Joined>(); joined && joined->rejoin && joined->rejoin->netjoin) {
    auto rejoin = std::make_shared<core::Rejoin>(*joined->rejoin);
    auto netjoin = std::make_shared<core::Netjoin>(*rejoin->netjoin);
    netjoin->here = settings_.node;
    rejoin->netjoin = std::move(netjoin);
    decoded->event->what = core::RoomEvent::Joined{nullptr, true, std::move(rejoin)};
  }
  if (const auto* kicked = event.as<core::RoomEvent::Kicked>()) remember(decoded->target_owner, kicked->target);
  return decoded;
}

void RedisBackplane::deliver_entry(RoomOrder::Entry entry) {
  if (entry.event) note_netsplit(*entry.event);
  std::optional<bool> runs_room;
  if (entry.flag == 'o' || entry.flag == '-') runs_room = entry.flag == 'o';
  deliver_({std::move(entry.event), entry.ticket, std::move(entry.own), runs_room});
}

void RedisBackplane::apply(const std::string& key, RoomState& room) {
  for (auto& entry : room.order.take_ready()) {
    if (entry.event) deliver_entry(std::move(entry));
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
                 const std::size_t read = r.elements.size();
                 for (const auto& entry : r.elements) {
                   if (entry.elements.size() < 2 || entry.elements[1].elements.size() < 2) continue;
                   const std::uint64_t seq = seq_of_entry(entry.elements[0].str);
                   const auto& fields = entry.elements[1].elements;
                   const char flag = fields.size() >= 4 && fields[3].str.size() == 1 ? fields[3].str[0] : '.';
                   auto decoded = decode(fields[1].str);
                   if (decoded) offer(key, room, seq, decoded->event, decoded->node, flag);
                   else offer(key, room, seq, nullptr, "", '.');
                 }
                 for (auto& e : room.order.take_ready()) {
                   if (e.event) deliver_entry(std::move(e));
                 }
                 // Only what was said before this subscription took effect can
                 // be missing for good; later events are still on their way
                 // through the channel (a node behind on its reading).
                 const std::uint64_t lost_up_to = std::min(to, room.channel_from);
                 if (room.order.applied() < lost_up_to) {
                   spdlog::warn("Cluster: #{} events {}..{} are no longer in Redis (its stream gave {} event(s)); "
                                "members here missed them.", key, room.order.applied() + 1, lost_up_to, read);
                   room.order.skip_to(lost_up_to);
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
  std::vector<std::string> args = {"FCALL", "parley_say", "6", seq_key(key), stream_key(key), members_key(key),
                                   roles_key(key), state_key(key), node_key(node_id_).append(":rooms"),
                                   channel_of(key), std::to_string(settings_.stream_length),
                                   encode_event(event, node_id_, [this](core::SessionRef who) { return owner_of(who); }),
                                   key};
  for (auto& op : state_ops(it->second)) args.push_back(std::move(op));
  cmd_.command(args, [this, id, key, attempt](const RedisReply& r) {
                 auto it = own_.find(id);
                 if (it == own_.end()) return;  // already applied from the channel
                 if (r.type == RedisReply::Type::array && r.elements.size() == 2) {
                   RoomState& room = rooms_[key];
                   const char flag = r.elements[1].str.size() == 1 ? r.elements[1].str[0] : '.';
                   if (!room.order.started()) {
                     // Nobody here follows the room any more: its sender alone hears it.
                     auto own = std::move(it->second);
                     own_.erase(it);
                     return deliver_entry(RoomOrder::Entry{std::move(own.event), own.ticket, std::move(own.own), flag});
                   }
                   if (attempt != attempt_) return;  // applied when the stream is read again
                   offer(key, room, static_cast<std::uint64_t>(r.elements[0].integer), it->second.event, node_id_, flag);
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
  auto own = std::move(it->second);
  own_.erase(it);
  // A join, departure or change stays on this node; a message is refused.
  if (own.event->as<core::RoomEvent::Said>()) return deliver_({nullptr, own.ticket});
  deliver_({std::move(own.event), own.ticket, std::move(own.own)});
}

// ---- checking

void RedisBackplane::check() {
  if (!up_) return;
  const auto now = std::chrono::steady_clock::now();
  owners_.forget_due(now);
  // A subscriber silent for the whole timeout with a probe out has stopped
  // delivering; one still delivering a backlog (a flood, a slow node) has not,
  // and reconnecting would lose what Redis's streams no longer hold.
  if (probe_waiting_ && now - probe_sent_ > settings_.timeout && now - sub_heard_ > settings_.timeout && !sub_.unread())
    return sub_.fail("the subscriber probe timed out");
  if (probing_ && !probe_waiting_) {
    probe_waiting_ = true;
    probe_sent_ = now;
    cmd_.command({"PUBLISH", std::string(kProbePrefix).append(node_id_), "probe"}, [](const RedisReply&) {});
  }
  if (now - renewed_ > settings_.name_lease / 3) renew_leases(/*announce=*/false);
  end_netsplits(/*all=*/false);
  read_inbox();  // a lost notification of a private message is made up for here
  // Each followed room's latest number, in batches of MGET: one round trip
  // per kTailBatch rooms, not one per room, for nodes following thousands.
  // Compared with what was applied when asking, not when answered: the
  // answer comes on the command connection, and messages numbered after the
  // MGET ran may have been applied from the subscriber's meanwhile.
  constexpr std::size_t kTailBatch = 256;
  const std::uint64_t attempt = attempt_;
  std::vector<std::pair<std::string, std::uint64_t>> asked;  // room key, applied when asked
  std::vector<std::string> mget{"MGET"};
  auto ask = [&] {
    if (asked.empty()) return;
    cmd_.command(std::exchange(mget, {"MGET"}), [this, attempt, asked = std::exchange(asked, {})](const RedisReply& r) {
      if (attempt != attempt_ || !r.ok() || r.elements.size() != asked.size()) return;
      for (std::size_t i = 0; i < asked.size(); ++i)
        check_tail(asked[i].first, asked[i].second, number(r.elements[i].str));
    });
  };
  for (auto& [key, room] : rooms_) {
    if (!room.order.started()) continue;
    asked.emplace_back(key, room.order.applied());
    mget.push_back(seq_key(key));
    if (asked.size() == kTailBatch) ask();
  }
  ask();
  checker_.expires_after(settings_.check_interval);
  checker_.async_wait([this, alive = std::weak_ptr<bool>(alive_)](boost::system::error_code ec) {
    if (!ec && !alive.expired()) check();
  });
}

void RedisBackplane::check_tail(const std::string& key, std::uint64_t applied_when_asked, std::uint64_t latest) {
  auto it = rooms_.find(key);
  if (it == rooms_.end() || !it->second.order.started()) return;
  RoomState& room = it->second;
  // Only a number below what was applied before asking means Redis lost it.
  if (latest < applied_when_asked) {
    spdlog::warn("Cluster: #{} restarted its numbers in Redis (data lost); following it from {}.", key, latest);
    room.order.start_at(latest);
    return;
  }
  if (latest <= room.order.applied()) {
    room.stalled_since.reset();
    return;
  }
  // Behind Redis. A backlog still being read moves between checks: the
  // channel brings it. A room that did not move is read from the stream;
  // one that stays stuck for the whole timeout has a channel that stopped
  // delivering, and the subscriber connects again (then reads the stream).
  const auto now = std::chrono::steady_clock::now();
  if (!room.stalled_since || applied_when_asked != room.applied_at_check) {
    room.applied_at_check = applied_when_asked;
    room.stalled_since = now;
    return;
  }
  if (!room.order.gap()) fill(key, room.order.applied() + 1, latest);
  if (now - *room.stalled_since > settings_.timeout) sub_.fail(fmt::format("#{} stopped arriving on its channel", key));
}

// ---- names

std::string RedisBackplane::owner_of(core::SessionRef who) const {
  if (who.loop == core::kRemoteLoop) {
    const std::string* owner = owners_.find(who.id);
    return owner ? *owner : std::string();
  }
  return owner_name(node_id_, who);
}

std::vector<std::string> RedisBackplane::state_ops(const Own& own) const {
  const core::RoomEvent& event = *own.event;
  const std::string actor = owner_of(event.actor);
  std::vector<std::string> ops;
  auto op = [&](std::string what, std::string owner, std::string value) {
    ops.push_back(std::move(what));
    ops.push_back(std::move(owner));
    ops.push_back(std::move(value));
  };
  if (event.as<core::RoomEvent::Joined>()) {
    // The node made the joiner the room's operator when it found the room
    // empty here: Redis says whether it was empty everywhere.
    bool first = false;
    if (own.own) {
      if (const auto* j = own.own->as<core::RoomEvent::Joined>(); j && j->snapshot && !j->snapshot->entries.empty())
        first = j->snapshot->entries.front().op && j->snapshot->entries.size() == 1;
    }
    op(first ? "join-first" : "join", actor, encode_identity(event.by()));
    // Announced again: the roles its node kept, which the others restore.
    if (const auto* j = event.as<core::RoomEvent::Joined>(); j->again && j->rejoin) {
      if (j->rejoin->op) op("role", actor, "+o");
      if (j->rejoin->voice) op("role", actor, "+v");
    }
  } else if (const auto* left = event.as<core::RoomEvent::Left>()) {
    op("leave", actor, "");
    (void)left;
  } else if (const auto* renamed = event.as<core::RoomEvent::Renamed>()) {
    op("ident", actor, encode_identity(*renamed->to));
  } else if (event.as<core::RoomEvent::AwayChanged>() || event.as<core::RoomEvent::RealNameChanged>() ||
             event.as<core::RoomEvent::AccountChanged>()) {
    op("ident", actor, encode_identity(event.by()));  // a node that follows the room later sees it so
  } else if (const auto* kicked = event.as<core::RoomEvent::Kicked>()) {
    op("leave", owner_of(kicked->target), "");
  } else if (const auto* changed = event.as<core::RoomEvent::SettingsChanged>()) {
    for (const auto& c : changed->changes) {
      if (c.setting != core::RoomSetting::op && c.setting != core::RoomSetting::voice) continue;
      op("role", owner_of(c.target), std::string(c.on ? "+" : "-").append(1, core::letter_of(c.setting)));
    }
  }
  if (own.state) {
    op("state", "-", encode_room_state(*own.state));
    for (auto& [name, value] : room_state_fields(event)) op("field", std::move(name), std::move(value));
  }
  return ops;
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
    cmd_.command({"FCALL", "parley_claim", "3", lease_key(key), kFenceKey, node_key(node_id_).append(":names"), owner,
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
    // This claim's leases: the name and the nick made from it (not current yet).
    auto claimed = [&](const std::string& k) {
      auto it = leases_.find(k);
      return it != leases_.end() && it->second.who == who && !it->second.current;
    };
    if (taken) {
      // Its other names (those it had before a rename) are free now.
      for (const std::string& other : std::vector<std::string>(names)) {
        if (other != key && !claimed(other)) release_lease(other);
      }
      std::erase_if(names, [&](const std::string& k) { return k != key && !claimed(k); });
      std::vector<std::string> newly;
      for (const std::string& k : names) {
        if (auto it = leases_.find(k); it != leases_.end() && it->second.who == who) {
          if (!it->second.current) newly.push_back(k);
          it->second.current = true;
        }
      }
      // Other nodes' MONITOR lists: the name is online, as this session.
      const auto shown = presence_.find(session_key(who));
      for (const std::string& k : newly) {
        const std::string identity = shown == presence_.end() ? std::string() : shown->second.identity;
        shown_by_lease_[k] = identity;
        publish_name_news(true, k, identity);
      }
      return;
    }
    for (const std::string& k : std::vector<std::string>(names)) {
      if (!claimed(k)) continue;
      release_lease(k);
      std::erase(names, k);
    }
    if (names.empty()) names_of_.erase(session_key(who));
  });
}

void RedisBackplane::names_released(core::SessionRef who) {
  asio::post(io_, [this, who] {
    if (auto shown = presence_.find(session_key(who)); shown != presence_.end()) {
      if (up_) cmd_.command({"HDEL", node_key(node_id_).append(":users"), shown->second.owner}, [](const RedisReply&) {});
      presence_.erase(shown);
    }
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
  if (auto shown = shown_by_lease_.find(key); shown != shown_by_lease_.end()) {
    publish_name_news(false, key, shown->second);  // after the release: the name is free when others hear it
    shown_by_lease_.erase(shown);
  }
}

void RedisBackplane::renew_leases(bool announce, std::function<void()> then) {
  renewed_ = std::chrono::steady_clock::now();
  auto left = std::make_shared<std::size_t>(leases_.size());
  auto done = [this, left, announce, then] {
    if (--*left > 0) return;
    if (announce) spdlog::info("Cluster: node {} holds its {} name(s) in Redis.", settings_.node, leases_.size());
    if (then) then();
  };
  if (leases_.empty()) {
    if (announce) spdlog::info("Cluster: node {} holds its 0 name(s) in Redis.", settings_.node);
    if (then) then();
  }
  const std::string ms = std::to_string(settings_.name_lease.count());
  for (auto& [key, lease] : leases_) {
    if (!lease.value.empty()) {
      cmd_.command({"FCALL", "parley_renew", "1", lease_key(key), lease.value, ms},
                   [this, key = key, value = lease.value, done](const RedisReply& r) {
                     auto it = leases_.find(key);
                     if (r.type == RedisReply::Type::integer && r.integer == 0 && it != leases_.end() &&
                         it->second.value == value) {
                       // Expired (a freeze, a lost Redis): taken again if still free, else lost.
                       it->second.value.clear();
                       return take_again(key, done);
                     }
                     done();
                   });
      continue;
    }
    take_again(key, done);
  }
}

void RedisBackplane::take_again(const std::string& key, std::function<void()> done) {
  auto it = leases_.find(key);
  if (it == leases_.end()) return done();
  const std::string owner = owner_of(it->second.who);
  cmd_.command({"FCALL", "parley_claim", "3", lease_key(key), kFenceKey, node_key(node_id_).append(":names"), owner,
                std::to_string(settings_.name_lease.count())},
               [this, key, who = it->second.who, owner, done](const RedisReply& r) {
                 auto it = leases_.find(key);
                 if (r.type == RedisReply::Type::integer && it != leases_.end() && it->second.who == who) {
                   if (r.integer == 0) {
                     lease_lost(key);  // another node holds it now: that one keeps it
                   } else {
                     it->second.value = fmt::format("{} {}", owner, r.integer);
                     // Its reaper told the other nodes' watchers it went offline.
                     if (names_offline_) {
                       if (auto shown = shown_by_lease_.find(key); shown != shown_by_lease_.end())
                         publish_name_news(true, key, shown->second);
                     }
                   }
                 }
                 done();
               });
}

}  // namespace parley::backplane
