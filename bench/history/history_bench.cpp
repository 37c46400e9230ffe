// parley-history-bench: what keeping history costs, measured on the store
// itself (src/store, no sockets): sustained writes per second through
// SqliteHistory's batching writer, the database's size per million messages,
// how long a client waits for 100 lines of a room with a million messages
// (p50/p99 of CHATHISTORY BEFORE at random points), and for a search's 10
// lines, newest first and by relevance (a word one line holds, and one every
// line holds). See
// BENCHMARKS.md for figures and the command that made them.
#include <CLI/CLI.hpp>
#include <fmt/format.h>
#include <spdlog/spdlog.h>

#include <algorithm>
#include <chrono>
#include <cstdio>
#include <filesystem>
#include <future>
#include <thread>
#include <random>
#include <string>
#include <vector>

#include "store/history_rows.h"
#include "store/sqlite_history.h"

namespace {

using namespace parley;
using Clock = std::chrono::steady_clock;

core::HistoryLine message(std::uint64_t n, core::WallTime when) {
  core::HistoryLine line;
  line.target = "#bench";
  line.room = "bench";
  line.id = fmt::format("m{:016x}", n * 0x9e3779b97f4a7c15ull);
  line.time = when;
  line.kind = core::HistoryLine::Kind::message;
  line.sender.display = fmt::format("user{}", n % 100);
  line.sender.nick = line.sender.display;
  line.sender.user = "text";
  line.sender.host = "127.0.0.1";
  // The length of a typical chat line.
  line.text = fmt::format("message number {} with some words so that it is as long as a chat line", n);
  return line;
}

double seconds(Clock::duration d) { return std::chrono::duration<double>(d).count(); }

}  // namespace

int main(int argc, char** argv) {
  CLI::App app{"Measures Parley's history store: writes/s, size per message, fetch latency."};
  std::uint64_t messages = 1000000;
  int fetches = 2000;
  std::string dir = "/tmp/parley-history-bench";
  std::string sync = "batch";
  app.add_option("--messages", messages, "messages written into one room")->capture_default_str();
  app.add_option("--fetches", fetches, "100-line reads timed at random points")->capture_default_str();
  app.add_option("--dir", dir, "scratch directory (emptied first)")->capture_default_str();
  app.add_option("--sync", sync, "batch or always")->check(CLI::IsMember({"batch", "always"}))->capture_default_str();
  CLI11_PARSE(app, argc, argv);
  // It offers lines faster than the writer takes them, on purpose, so the
  // store's warnings that it is refusing (and caught up) would fill the screen.
  spdlog::set_level(spdlog::level::err);

  std::filesystem::remove_all(dir);
  std::filesystem::create_directories(dir);
  store::StorageSettings settings;
  settings.path = dir + "/parley.db";
  settings.sync = sync == "always" ? store::SyncPolicy::always : store::SyncPolicy::batch;
  auto history = std::make_unique<store::SqliteHistory>(settings);

  // Writes: as fast as the queue takes them (record() refuses past twice
  // queue_lines; then wait for the writer, as a busy server's rooms would).
  const auto start = Clock::now();
  auto last_report = start;
  core::WallTime when = std::chrono::system_clock::now() - std::chrono::hours(24 * 30);
  std::vector<std::string> ids;
  ids.reserve(messages);
  for (std::uint64_t n = 0; n < messages; ++n) {
    auto line = message(n, when += std::chrono::milliseconds(2));
    ids.push_back(line.id);
    while (!history->accepting()) std::this_thread::sleep_for(std::chrono::milliseconds(1));
    history->record(std::move(line));
    if (Clock::now() - last_report > std::chrono::seconds(2)) {
      last_report = Clock::now();
      std::fprintf(stderr, "  written %llu of %llu (%.0f/s)\r", static_cast<unsigned long long>(history->counts().committed),
                   static_cast<unsigned long long>(messages), history->counts().committed / seconds(last_report - start));
    }
  }
  history->flush();
  const double write_s = seconds(Clock::now() - start);
  std::fprintf(stderr, "%60s\r", "");
  // Search: the first query waits while the writer indexes everything (it
  // indexes only when idle or asked); that is the index's whole cost.
  const auto index_start = Clock::now();
  {
    core::SearchQuery q;
    q.targets = {"#bench"};
    q.words = "chat";
    q.limit = 10;
    std::promise<std::size_t> got;
    history->search(q, [&](core::Result<std::vector<core::HistoryLine>> r) { got.set_value(r.ok() ? r.value().size() : 0); });
    got.get_future().get();
  }
  const double index_s = seconds(Clock::now() - index_start);
  history.reset();  // the last checkpoint: the log's pages move into the file


  std::uintmax_t bytes = 0;
  for (const auto& f : std::filesystem::directory_iterator(dir)) bytes += f.file_size();

  history = std::make_unique<store::SqliteHistory>(settings);
  // Each read as a client waits for it, one at a time: milliseconds, sorted.
  auto wait_each = [&](int count, auto&& ask) {
    std::vector<double> waits;
    for (int i = 0; i < count; ++i) {
      std::promise<std::size_t> got;
      const auto asked = Clock::now();
      ask(i, [&](auto r) { got.set_value(r.ok() ? r.value().size() : 0); });
      got.get_future().get();
      waits.push_back(seconds(Clock::now() - asked) * 1000);
    }
    std::sort(waits.begin(), waits.end());
    return waits;
  };
  auto pct = [](const std::vector<double>& waits, double p) {
    return waits.empty() ? 0.0 : waits[std::min(waits.size() - 1, static_cast<std::size_t>(p * waits.size()))];
  };
  // Reads: 100 lines before a random message.
  std::mt19937_64 rng(42);
  const auto fetch_waits = wait_each(fetches, [&](int, auto done) {
    core::HistoryQuery q;
    q.target = "#bench";
    q.direction = core::HistoryQuery::Direction::before;
    q.from = core::HistoryPoint::line(ids[rng() % ids.size()]);
    q.limit = 100;
    history->fetch(q, done);
  });
  // Searches, 10 lines newest first and by relevance: a word one line holds
  // (its number), and one every line holds (relevance then ranks the newest
  // store::kRankedLinesLookedAt lines).
  auto search_waits = [&](bool rare, bool newest_first) {
    return wait_each(std::max(1, fetches / 10), [&](int, auto done) {
      core::SearchQuery q;
      q.targets = {"#bench"};
      q.words = rare ? std::to_string(rng() % messages) : "words";
      q.limit = 10;
      q.newest_first = newest_first;
      history->search(q, done);
    });
  };
  const auto rare_waits = search_waits(true, true);
  const auto common_waits = search_waits(false, true);
  const auto rare_ranked_waits = search_waits(true, false);
  const auto common_ranked_waits = search_waits(false, false);

  fmt::print("messages {} sync {}\n", messages, sync);
  fmt::print("writes/s {:.0f} ({:.1f} s)\n", messages / write_s, write_s);
  fmt::print("search indexing {:.0f} messages/s ({:.1f} s, behind the writer)\n", messages / index_s, index_s);
  fmt::print("bytes per message {:.0f} (database {:.1f} MiB; {:.0f} MiB per million)\n", double(bytes) / messages,
             bytes / 1048576.0, double(bytes) / messages * 1e6 / 1048576.0);
  fmt::print("fetch 100 lines: p50 {:.2f} ms, p99 {:.2f} ms ({} fetches)\n", pct(fetch_waits, 0.5),
             pct(fetch_waits, 0.99), fetches);
  fmt::print("search, newest 10: a word in one line p50 {:.2f} ms, p99 {:.2f} ms; a word in every line p50 {:.2f} ms, "
             "p99 {:.2f} ms ({} searches each)\n",
             pct(rare_waits, 0.5), pct(rare_waits, 0.99), pct(common_waits, 0.5), pct(common_waits, 0.99),
             rare_waits.size());
  fmt::print("search, by relevance 10: a word in one line p50 {:.2f} ms, p99 {:.2f} ms; a word in every line p50 "
             "{:.2f} ms, p99 {:.2f} ms\n",
             pct(rare_ranked_waits, 0.5), pct(rare_ranked_waits, 0.99), pct(common_ranked_waits, 0.5),
             pct(common_ranked_waits, 0.99));
  return 0;
}
