// The IRC codec's per-line costs: parsing what clients send, and writing what
// the server relays.
#include <benchmark/benchmark.h>

#include <cstddef>
#include <string>

#include "bench_support.h"
#include "irc/capabilities.h"
#include "irc/message.h"
#include "irc/render.h"

namespace parley::bench {
namespace {

const std::string& plain_privmsg() {
  static const std::string line = "PRIVMSG #lobby :" + std::string(kChatText);
  return line;
}

// Tags as a client that asked for message-tags sends them: a label and a client-only tag.
const std::string& tagged_privmsg() {
  static const std::string line = "@label=r7Xq;+draft/reply=3f9a1c0000001091 " + plain_privmsg();
  return line;
}

// The longest body the parser takes: 512 bytes with the CR LF it no longer has.
const std::string& full_length_privmsg() {
  static const std::string line = [] {
    std::string l = "PRIVMSG #lobby :";
    while (l.size() < irc::kMaxBodyBytes) l += "lorem ipsum dolor sit amet ";
    l.resize(irc::kMaxBodyBytes);
    return l;
  }();
  return line;
}

// The most tag data a client may send (4094 bytes), with escapes to undo.
const std::string& max_tags_privmsg() {
  static const std::string line = [] {
    std::string tags;
    for (int i = 0; tags.size() < irc::kMaxClientTagBytes - 64; ++i) {
      if (!tags.empty()) tags += ';';
      tags += "+example.com/k" + std::to_string(i) + "=a\\svalue\\:with\\sescapes";
    }
    tags += ";+pad=";
    tags.resize(irc::kMaxClientTagBytes, 'p');
    return "@" + tags + " PRIVMSG #lobby :hi";
  }();
  return line;
}

void parse(benchmark::State& state, const std::string& line, std::size_t expected_params) {
  const auto check = irc::parse_message(line);
  if (!check.message || check.message->command != "PRIVMSG" || check.message->params.size() != expected_params) {
    state.SkipWithError("the benchmark line did not parse as expected");
    return;
  }
  for (auto _ : state) {
    auto result = irc::parse_message(line);
    benchmark::DoNotOptimize(result);
  }
  state.SetItemsProcessed(state.iterations());
  state.SetBytesProcessed(state.iterations() * static_cast<std::int64_t>(line.size()));
  state.counters["line_bytes"] = static_cast<double>(line.size());
  state.counters["tags"] = static_cast<double>(check.message->tags.size());
}

void BM_ParsePrivmsg(benchmark::State& state) { parse(state, plain_privmsg(), 2); }
void BM_ParsePrivmsgTagged(benchmark::State& state) { parse(state, tagged_privmsg(), 2); }
void BM_ParsePrivmsg512(benchmark::State& state) { parse(state, full_length_privmsg(), 2); }
void BM_ParsePrivmsgMaxTags(benchmark::State& state) { parse(state, max_tags_privmsg(), 2); }

BENCHMARK(BM_ParsePrivmsg)->Apply(fixed_iterations_from_env);
BENCHMARK(BM_ParsePrivmsgTagged)->Apply(fixed_iterations_from_env);
BENCHMARK(BM_ParsePrivmsg512)->Apply(fixed_iterations_from_env);
BENCHMARK(BM_ParsePrivmsgMaxTags)->Apply(fixed_iterations_from_env);

// The relay fast path: one PRIVMSG line without building a Message.
void BM_FormatLinePrivmsg(benchmark::State& state) {
  std::size_t bytes = 0;
  for (auto _ : state) {
    std::string line = irc::format_line("Alice!~alice@127.0.0.1", "PRIVMSG", {"#lobby"}, kChatText);
    bytes = line.size();
    benchmark::DoNotOptimize(line);
  }
  state.SetItemsProcessed(state.iterations());
  state.counters["bytes_per_message"] = static_cast<double>(bytes);
}
BENCHMARK(BM_FormatLinePrivmsg)->Apply(fixed_iterations_from_env);

// The general serializer, with tags to escape, into a reused buffer.
void BM_AppendMessagePrivmsg(benchmark::State& state) {
  irc::Message m;
  m.tags = {{"time", "2026-11-20T08:13:20.123Z"}, {"msgid", "3f9a1c0000001092"}};
  m.source = "Alice!~alice@127.0.0.1";
  m.command = "PRIVMSG";
  m.params = {"#lobby", std::string(kChatText)};
  std::string out;
  for (auto _ : state) {
    out.clear();
    irc::append_message(out, m);
    benchmark::DoNotOptimize(out);
  }
  state.SetItemsProcessed(state.iterations());
  state.counters["bytes_per_message"] = static_cast<double>(out.size());
}
BENCHMARK(BM_AppendMessagePrivmsg)->Apply(fixed_iterations_from_env);

// A room message as one IRC wire form sees it: what the fan-out renders once
// per form. Arg: the line-shaping capabilities (0: plain RFC client).
void BM_RenderRelayedPrivmsg(benchmark::State& state) {
  const core::RoomEvent ev = sample_message_event();
  const auto caps = static_cast<std::uint32_t>(state.range(0));
  std::size_t bytes = 0;
  for (auto _ : state) {
    std::string line = irc::render_room_event(ev, caps);
    bytes = line.size();
    benchmark::DoNotOptimize(line);
  }
  state.SetItemsProcessed(state.iterations());
  state.counters["bytes_per_message"] = static_cast<double>(bytes);
}
BENCHMARK(BM_RenderRelayedPrivmsg)
    ->ArgName("caps")
    ->Arg(0)
    ->Arg(irc::kCapMessageTags | irc::kCapServerTime)
    ->Apply(fixed_iterations_from_env);

}  // namespace
}  // namespace parley::bench
