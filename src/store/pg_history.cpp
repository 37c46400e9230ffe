#include "store/pg_history.h"

#include <spdlog/spdlog.h>

#include <pthread.h>

#include <chrono>
#include <memory>
#include <utility>

#include "store/pg_history_rows.h"
#include "store/pg_schema.h"
#include "store/store_error.h"
#include "store/time_ms.h"

namespace parley::store {

using core::HistoryLine;
using Clock = std::chrono::steady_clock;

namespace {
PgConnection connect_and_migrate(const std::string& url) {
  PgConnection db(url);
  pg_migrate(db);
  return db;
}
}  // namespace

PgHistory::PgHistory(StorageSettings settings)
    : settings_(std::move(settings)),
      writer_db_(connect_and_migrate(settings_.url)),
      reader_db_(settings_.url),
      writer_([this] {
        pthread_setname_np(pthread_self(), "history-write");
        write_loop();
      }),
      reader_([this] {
        pthread_setname_np(pthread_self(), "history-read");
        read_loop();
      }) {}

PgHistory::~PgHistory() {
  {
    std::lock_guard lock(mutex_);
    stopping_ = true;
  }
  writes_waiting_.notify_all();
  reads_waiting_.notify_all();
  writer_.join();
  committed_changed_.notify_all();
  reader_.join();
}

bool PgHistory::accepting() {
  std::lock_guard lock(mutex_);
  return accept_another(counts_, settings_.queue_lines, "PostgreSQL");
}

bool PgHistory::record(const core::HistoryLineRef& ref) {
  HistoryLine line = ref.owned();  // made before taking the lock
  bool first = false;
  {
    std::lock_guard lock(mutex_);
    if (!room_for_another(counts_, settings_.queue_lines, "PostgreSQL")) return false;
    ++counts_.recorded;
    first = writes_.empty();
    writes_.emplace_back(std::move(line));
  }
  if (first) writes_waiting_.notify_one();
  return true;
}

void PgHistory::after_commit(core::Task then) {
  bool first = false;
  {
    std::lock_guard lock(mutex_);
    first = writes_.empty();
    writes_.emplace_back(std::move(then));
  }
  if (first) writes_waiting_.notify_one();
}

template <class T>
void PgHistory::ask(std::function<T(PgConnection&)> read, std::function<void(core::Result<T>)> done) {
  auto shared_done = std::make_shared<std::function<void(core::Result<T>)>>(std::move(done));
  Read r{[read = std::move(read), shared_done](PgConnection& db) { (*shared_done)(read(db)); },
         [shared_done] { (*shared_done)(core::Refusal::history_unavailable); }, 0};
  {
    std::lock_guard lock(mutex_);
    r.after = counts_.recorded;
    ++counts_.reads;
    reads_.push_back(std::move(r));
  }
  reads_waiting_.notify_one();
}

void PgHistory::fetch(core::HistoryQuery query, std::function<void(core::Result<std::vector<HistoryLine>>)> done) {
  ask<std::vector<HistoryLine>>([query = std::move(query)](PgConnection& db) { return pg_read_history(db, query); },
                                std::move(done));
}

void PgHistory::fetch_targets(core::TargetsQuery query,
                              std::function<void(core::Result<std::vector<core::HistoryTarget>>)> done) {
  ask<std::vector<core::HistoryTarget>>(
      [query = std::move(query)](PgConnection& db) { return pg_read_targets(db, query); }, std::move(done));
}

void PgHistory::search(core::SearchQuery query, std::function<void(core::Result<std::vector<HistoryLine>>)> done) {
  ask<std::vector<HistoryLine>>([query = std::move(query)](PgConnection& db) { return pg_search_history(db, query); },
                                std::move(done));
}

void PgHistory::flush() {
  std::unique_lock lock(mutex_);
  const std::uint64_t target = counts_.recorded;
  committed_changed_.wait(lock, [&] { return counts_.settled() >= target || writer_done_; });
}

HistoryCounts PgHistory::counts() const {
  std::lock_guard lock(mutex_);
  return counts_;
}

void PgHistory::write_loop() {
  std::vector<Write> batch;
  const Retention& retention = settings_.retention;
  auto next_prune = Clock::now();
  auto last_commit = Clock::time_point{};
  for (;;) {
    {
      std::unique_lock lock(mutex_);
      const auto woken = [&] { return stopping_ || !writes_.empty(); };
      if (retention.enabled()) writes_waiting_.wait_until(lock, next_prune, woken);
      else writes_waiting_.wait(lock, woken);
      if (writes_.empty() && stopping_) break;
      if (settings_.sync == SyncPolicy::batch && !writes_.empty())
        writes_waiting_.wait_until(lock, last_commit + kBatchCommitSpacing, [&] { return stopping_; });
      batch.swap(writes_);
    }
    // Every node prunes what it keeps: a deletion another node made first
    // finds nothing left to delete.
    if (retention.enabled() && Clock::now() >= next_prune)
      next_prune = Clock::now() + (prune() ? std::chrono::milliseconds(50) : retention.interval);
    std::size_t lines = 0;
    for (const Write& w : batch) lines += std::holds_alternative<HistoryLine>(w) ? 1 : 0;
    const auto started = Clock::now();
    if (lines > 0) last_commit = started;
    const bool written = lines == 0 || commit(batch);
    const auto took = std::chrono::duration_cast<std::chrono::microseconds>(Clock::now() - started).count();
    for (Write& w : batch) {
      if (auto* then = std::get_if<core::Task>(&w)) (*then)();
    }
    {
      std::lock_guard lock(mutex_);
      (written ? counts_.committed : counts_.lost) += lines;
      if (lines > 0) {
        ++counts_.batches;
        counts_.batch_microseconds += static_cast<std::uint64_t>(took);
      }
    }
    committed_changed_.notify_all();
    batch.clear();
  }
  {
    std::lock_guard lock(mutex_);
    writer_done_ = true;
  }
  committed_changed_.notify_all();
}

bool PgHistory::commit(const std::vector<Write>& batch) {
  std::vector<const HistoryLine*> lines;
  for (const Write& w : batch) {
    if (const auto* line = std::get_if<HistoryLine>(&w)) lines.push_back(line);
  }
  auto first_failure = Clock::time_point{};
  auto last_report = Clock::time_point{};
  for (int attempt = 0;; ++attempt) {
    try {
      PgTransaction tx(writer_db_);
      // "batch": the commit does not wait for the server's disk; the server
      // writes its log within a fraction of a second (wal_writer_delay), so a
      // crash of it loses at most that, as the file's sync_interval does.
      if (settings_.sync == SyncPolicy::batch) writer_db_.exec("SET LOCAL synchronous_commit = off");
      insert_history(writer_db_, lines);
      tx.commit();
      if (attempt > 0) spdlog::warn("History: writing to {} works again; the waiting messages are saved.",
                                    writer_db_.where());
      return true;
    } catch (const StoreError& e) {
      const auto now = Clock::now();
      if (attempt == 0) first_failure = now;
      if (attempt == 0 || now - last_report >= std::chrono::seconds(30)) {
        spdlog::error("History: cannot write to PostgreSQL ({}); messages are still delivered, and kept in memory "
                      "until writing works again (new messages are refused past {} waiting).",
                      e.what(), settings_.queue_lines);
        last_report = now;
      }
      std::unique_lock lock(mutex_);
      if (stopping_ && now - first_failure >= std::chrono::seconds(3)) {
        spdlog::error("History: shutting down with {} message(s) that could not be saved.", counts_.waiting());
        return false;
      }
      writes_waiting_.wait_for(lock, std::chrono::seconds(1), [&] { return stopping_; });
    }
  }
}

bool PgHistory::prune() {
  constexpr std::size_t kBatch = 5000;
  const Retention& r = settings_.retention;
  try {
    PgTransaction tx(writer_db_);
    std::optional<core::WallTime> cutoff;
    if (r.max_age.count() > 0) cutoff = r.now() - r.max_age;
    const std::size_t deleted = pg_prune_history(writer_db_, cutoff, r.max_lines_per_room, kBatch);
    tx.commit();
    {
      std::lock_guard lock(mutex_);
      counts_.pruned += deleted;
    }
    return deleted >= kBatch;
  } catch (const StoreError& e) {
    spdlog::error("History: cannot delete old lines from PostgreSQL: {}", e.what());
    return false;
  }
}

void PgHistory::read_loop() {
  for (;;) {
    Read read;
    {
      std::unique_lock lock(mutex_);
      reads_waiting_.wait(lock, [&] { return stopping_ || !reads_.empty(); });
      if (reads_.empty()) return;
      read = std::move(reads_.front());
      reads_.pop_front();
      committed_changed_.wait(lock, [&] { return counts_.settled() >= read.after || writer_done_; });
    }
    try {
      read.run(reader_db_);
    } catch (const StoreError& e) {
      spdlog::error("History: cannot read from PostgreSQL: {}", e.what());
      read.failed();
    }
  }
}

PgHistoryEdits::PgHistoryEdits(const std::string& url) : db_(connect_and_migrate(url)) {}

std::optional<core::KeptLine> PgHistoryEdits::find(const std::string& target, const std::string& msgid) {
  PgResult q = db_.exec("SELECT kind, account, nick, time_ms FROM history WHERE target = $1 AND msgid = $2",
                        {target, msgid});
  if (q.rows() == 0) return std::nullopt;
  return core::KeptLine{static_cast<HistoryLine::Kind>(q.integer(0, 0)), q.text(0, 1), q.text(0, 2),
                        from_ms(q.integer(0, 3))};
}

bool PgHistoryEdits::remove(const std::string& target, const std::string& msgid) {
  return db_.exec("DELETE FROM history WHERE target = $1 AND msgid = $2", {target, msgid}).affected() > 0;
}

}  // namespace parley::store
