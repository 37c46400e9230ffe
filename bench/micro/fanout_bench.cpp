// The fan-out path without sockets: one member says a line in a room of N, the
// hub numbers it on the room's home loop and hands it to every loop with
// members, and each recipient session (the real TextSession / IrcSession) takes
// its wire form from the fan-out's RenderCache: rendered once per form, shared
// by every recipient. Loops are queues drained on this thread.
#include <benchmark/benchmark.h>

#include <cstddef>
#include <cstdint>
#include <initializer_list>
#include <memory>
#include <string>
#include <tuple>
#include <vector>

#include "bench_support.h"
#include "core/hub.h"
#include "irc/irc_session.h"
#include "session/protocol_session.h"
#include "text/render.h"
#include "text/text_session.h"

namespace parley::bench {
namespace {

// Who is in the room: text users, plain IRC clients, IRC clients that asked
// for message-tags and server-time, or the three in turn (three wire forms).
enum class Mix { text, irc, irc_tagged, mixed };

enum class Kind { text, irc, irc_tagged };

Kind kind_of(Mix mix, std::size_t index) {
  switch (mix) {
    case Mix::text:
      return Kind::text;
    case Mix::irc:
      return Kind::irc;
    case Mix::irc_tagged:
      return Kind::irc_tagged;
    case Mix::mixed:
      return static_cast<Kind>(index % 3);
  }
  return Kind::text;
}

struct Peer {
  Peer(Tally& tally, core::LoopIndex loop) : out(tally, loop) {}
  CountingOutbound out;
  std::unique_ptr<session::ProtocolSession> session;
};

// N registered sessions in one room, spread over the loops in turn. Member 0 speaks.
class World {
 public:
  World(Mix mix, std::size_t members, core::LoopIndex loops)
      : key_(mix, members, loops), poster_(loops), hub_(poster_, {}) {
    for (std::size_t i = 0; i < members && error_.empty(); ++i)
      add(kind_of(mix, i), i, static_cast<core::LoopIndex>(i % loops));
    const bool text_sender = kind_of(mix, 0) == Kind::text;
    sender_line_ = text_sender ? std::string(kChatText) : "PRIVMSG #lobby :" + std::string(kChatText);
    if (error_.empty()) check_one_message();
  }
  ~World() { peers_.clear(); }  // sessions detach from a living hub

  const std::tuple<Mix, std::size_t, core::LoopIndex>& key() const { return key_; }
  // Why the world is not fit to measure ("" if it is).
  const std::string& error() const { return error_; }
  Tally& tally() { return tally_; }

  // One message from member 0, through every loop, to every recipient.
  void say() {
    peers_.front()->session->on_line(sender_line_);
    poster_.drain();
  }

 private:
  void add(Kind kind, std::size_t index, core::LoopIndex loop) {
    auto& peer = *peers_.emplace_back(std::make_unique<Peer>(tally_, loop));
    const std::string nick = (kind == Kind::text ? "t" : "i") + std::to_string(index);
    if (kind == Kind::text) {
      peer.session = std::make_unique<text::TextSession>(hub_, loop, peer.out, text::TextConfig{}, "127.0.0.1");
      start(peer);
      type(peer, {nick});  // names it and joins the default room, "lobby"
    } else {
      peer.session = std::make_unique<irc::IrcSession>(hub_, loop, peer.out, irc_config_, "127.0.0.1");
      start(peer);
      if (kind == Kind::irc_tagged) type(peer, {"CAP REQ :message-tags server-time"});
      type(peer, {"NICK " + nick, "USER bench 0 * :Bench User"});
      if (kind == Kind::irc_tagged) type(peer, {"CAP END"});
      type(peer, {"JOIN #lobby"});
    }
    if (!peer.session->registered() || peer.out.closed()) error_ = "member " + nick + " did not register";
  }

  void start(Peer& peer) {
    peer.session->start();
    poster_.drain();
  }
  // Lines as a transport hands them over: one at a time, each once the last is settled.
  void type(Peer& peer, std::initializer_list<std::string> lines) {
    for (const auto& line : lines) {
      peer.session->on_line(line);
      poster_.drain();
      if (peer.out.held()) error_ = "input still held after: " + line;
    }
  }

  // Every member but the sender receives the message exactly once.
  void check_one_message() {
    std::vector<std::size_t> before;
    for (const auto& p : peers_) before.push_back(p->out.received());
    say();
    for (std::size_t i = 1; i < peers_.size() && error_.empty(); ++i) {
      if (peers_[i]->out.received() != before[i] + 1)
        error_ = "member " + std::to_string(i) + " did not get the message exactly once";
    }
  }

  std::tuple<Mix, std::size_t, core::LoopIndex> key_;
  HandRunPoster poster_;
  core::Hub hub_;
  std::shared_ptr<irc::IrcConfig> irc_config_ = std::make_shared<irc::IrcConfig>();
  Tally tally_;
  std::vector<std::unique_ptr<Peer>> peers_;
  std::string sender_line_;
  std::string error_;
};

// Building a room of 1000 costs about N²/2 join announcements; the library
// calls a benchmark several times while it settles the iteration count, so the
// last world is kept for the next call with the same arguments.
std::unique_ptr<World>& cached_world() {
  static std::unique_ptr<World> world;
  return world;
}

World& world_for(Mix mix, std::size_t members, core::LoopIndex loops) {
  auto& world = cached_world();
  if (!world || world->key() != std::make_tuple(mix, members, loops)) {
    world.reset();
    world = std::make_unique<World>(mix, members, loops);
  }
  return *world;
}

// Args: members in the room, loops they are spread over.
void BM_Fanout(benchmark::State& state, Mix mix) {
  World& world = world_for(mix, static_cast<std::size_t>(state.range(0)), static_cast<core::LoopIndex>(state.range(1)));
  if (!world.error().empty()) {
    state.SkipWithError(world.error().c_str());
    return;
  }
  Tally& tally = world.tally();
  tally.reset();
  for (auto _ : state) world.say();
  const auto deliveries = static_cast<double>(tally.sends);
  const auto messages = static_cast<double>(state.iterations());
  state.SetItemsProcessed(static_cast<std::int64_t>(tally.sends));  // items_per_second: deliveries
  state.counters["deliveries_per_msg"] = deliveries / messages;
  state.counters["time_per_delivery"] =
      benchmark::Counter(deliveries, benchmark::Counter::kIsRate | benchmark::Counter::kInvert);

  // One more message, untimed, to see what was formatted for it.
  tally.reset();
  tally.tracking = true;
  world.say();
  state.counters["renders_per_msg"] = static_cast<double>(tally.distinct.size());
  state.counters["formatted_bytes_per_msg"] = static_cast<double>(tally.formatted_bytes);
  state.counters["delivered_bytes_per_msg"] = static_cast<double>(tally.bytes);
  tally.reset();
}

void fanout_args(benchmark::internal::Benchmark* b) {
  b->ArgNames({"members", "loops"});
  for (std::int64_t members : {10, 100, 1000}) b->Args({members, 1});
  b->Args({100, 4});
  b->Args({1000, 4});
  b->Unit(benchmark::kMicrosecond);
  fixed_iterations_from_env(b);
}

BENCHMARK_CAPTURE(BM_Fanout, text, Mix::text)->Apply(fanout_args);
BENCHMARK_CAPTURE(BM_Fanout, irc, Mix::irc)->Apply(fanout_args);
BENCHMARK_CAPTURE(BM_Fanout, irc_tagged, Mix::irc_tagged)->Apply(fanout_args);
BENCHMARK_CAPTURE(BM_Fanout, mixed, Mix::mixed)->Apply(fanout_args);

// The text protocol's one render per message. Arg 1: the room is the
// recipient's current one (no "[#room] " prefix).
void BM_TextRenderMessage(benchmark::State& state) {
  const core::RoomEvent ev = sample_message_event();
  const bool current_room = state.range(0) != 0;
  std::size_t bytes = 0;
  for (auto _ : state) {
    std::string line = text::render_room_event(ev, current_room);
    bytes = line.size();
    benchmark::DoNotOptimize(line);
  }
  state.SetItemsProcessed(state.iterations());
  state.counters["bytes_per_message"] = static_cast<double>(bytes);
}
BENCHMARK(BM_TextRenderMessage)->ArgName("current_room")->Arg(1)->Arg(0)->Apply(fixed_iterations_from_env);

}  // namespace

void release_fanout_worlds() { cached_world().reset(); }

}  // namespace parley::bench
