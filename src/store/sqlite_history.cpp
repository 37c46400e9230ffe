#include "store/sqlite_history.h"

#include <fmt/format.h>
#include <spdlog/spdlog.h>

#include <SQLiteCpp/Exception.h>
#include <SQLiteCpp/Statement.h>
#include <SQLiteCpp/Transaction.h>

#include <pthread.h>
#include <sqlite3.h>

#include <algorithm>
#include <chrono>
#include <utility>

#include "store/history_rows.h"
#include "store/share_cpu.h"

namespace parley::store {

using core::HistoryLine;
using Clock = std::chrono::steady_clock;

namespace {
// Named for `top -H`, perf and debuggers (at most 15 characters).
void name_this_thread(const char* name) { pthread_setname_np(pthread_self(), name); }

int count_wal_frames(void* frames, sqlite3* /*db*/, const char* /*schema*/, int count) {
  *static_cast<int*>(frames) = count;
  return SQLITE_OK;
}

SQLite::Database open_writer(const StorageSettings& settings, int* wal_frames) {
  SQLite::Database db = open_for_writing(settings);
  // Checkpoints are the syncer's: SQLite's automatic one would run inside the
  // writer's commits, which would then wait for the disk. (Our WAL hook takes
  // the automatic one's place; restart_log_if_long reads what it counts.)
  db.exec("PRAGMA wal_autocheckpoint = 0");
  sqlite3_wal_hook(db.getHandle(), count_wal_frames, wal_frames);
  db.exec(fmt::format("PRAGMA journal_size_limit = {}", settings.wal_restart_bytes));
  return db;
}
}  // namespace

SqliteHistory::SqliteHistory(StorageSettings settings)
    : settings_(std::move(settings)),
      writer_db_(open_writer(settings_, &wal_frames_)),
      reader_db_(open_for_reading(settings_.path, PageCache::large)),
      syncer_db_(open_for_writing(settings_)),
      writer_([this] {
        name_this_thread("history-write");
        write_loop();
      }),
      reader_([this] {
        name_this_thread("history-read");
        read_loop();
      }),
      syncer_([this] {
        name_this_thread("history-sync");
        sync_loop();
      }) {}

SqliteHistory::~SqliteHistory() {
  {
    std::lock_guard lock(mutex_);
    stopping_ = true;
  }
  writes_waiting_.notify_all();
  reads_waiting_.notify_all();
  writer_.join();
  committed_changed_.notify_all();
  reader_.join();
  syncer_woken_.notify_all();
  syncer_.join();
}

bool SqliteHistory::accepting() {
  std::lock_guard lock(mutex_);
  return accept_another(counts_, settings_.queue_lines, settings_.path);
}

bool SqliteHistory::record(const core::HistoryLineRef& line) {
  bool first = false;
  {
    std::lock_guard lock(mutex_);
    if (!room_for_another(counts_, settings_.queue_lines, settings_.path)) return false;  // commit() says why
    ++counts_.recorded;
    first = writes_.empty();
    writes_.lines.push(line);  // copied: what it views stays the caller's, freed on its loop
  }
  // Only the first line of a batch wakes the writer (a wake is a system call).
  if (first) writes_waiting_.notify_one();
  return true;
}

void SqliteHistory::after_commit(core::Task then) {
  bool first = false;
  {
    std::lock_guard lock(mutex_);
    first = writes_.empty();
    writes_.then.push_back(std::move(then));
  }
  if (first) writes_waiting_.notify_one();
}

template <class T>
void SqliteHistory::ask(std::function<T(SQLite::Database&)> read, std::function<void(core::Result<T>)> done,
                        bool needs_index) {
  auto shared_done = std::make_shared<std::function<void(core::Result<T>)>>(std::move(done));
  Read r{[read = std::move(read), shared_done](SQLite::Database& db) { (*shared_done)(read(db)); },
         [shared_done] { (*shared_done)(core::Refusal::history_unavailable); }, 0, needs_index};
  {
    std::lock_guard lock(mutex_);
    r.after = counts_.recorded;
    ++counts_.reads;
    if (needs_index) index_wanted_ = std::max(index_wanted_, r.after);
    reads_.push_back(std::move(r));
  }
  reads_waiting_.notify_one();
}

void SqliteHistory::fetch(core::HistoryQuery query,
                          std::function<void(core::Result<std::vector<HistoryLine>>)> done) {
  ask<std::vector<HistoryLine>>([query = std::move(query)](SQLite::Database& db) { return read_history(db, query); },
                                std::move(done));
}

void SqliteHistory::fetch_targets(core::TargetsQuery query,
                                  std::function<void(core::Result<std::vector<core::HistoryTarget>>)> done) {
  ask<std::vector<core::HistoryTarget>>(
      [query = std::move(query)](SQLite::Database& db) { return read_targets(db, query); }, std::move(done));
}

void SqliteHistory::search(core::SearchQuery query, std::function<void(core::Result<std::vector<HistoryLine>>)> done) {
  ask<std::vector<HistoryLine>>([query = std::move(query)](SQLite::Database& db) { return search_history(db, query); },
                                std::move(done), /*needs_index=*/true);
  writes_waiting_.notify_one();  // the writer indexes what the search must see
}

void SqliteHistory::flush() {
  std::unique_lock lock(mutex_);
  const std::uint64_t target = counts_.recorded;
  committed_changed_.wait(lock, [&] { return counts_.settled() >= target || writer_done_; });
}

SqliteHistory::Counts SqliteHistory::counts() const {
  std::lock_guard lock(mutex_);
  return counts_;
}

void SqliteHistory::write_loop() {
  HistoryInserter inserter(writer_db_);
  // restart_log_if_long's limit in the log's frames: a page and its 24-byte header each.
  const auto frame_bytes = static_cast<std::size_t>(writer_db_.execAndGet("PRAGMA page_size").getInt64()) + 24;
  wal_restart_frames_ = static_cast<int>(std::max<std::size_t>(1, settings_.wal_restart_bytes / frame_bytes));
  wal_retry_frames_ = wal_restart_frames_;
  Batch batch;
  const Retention& retention = settings_.retention;
  auto next_prune = Clock::now();  // the first at start: a restart after a long stop
  // Lines committed and not yet in the search index (at start: unknown, so look).
  std::uint64_t unindexed = 1;
  auto last_commit = Clock::time_point{};
  for (;;) {
    bool search_waits = false;
    {
      std::unique_lock lock(mutex_);
      const auto woken = [&] { return stopping_ || !writes_.empty() || index_wanted_ > indexed_mark_; };
      // Idle for a moment with lines to index: index them (search uses what
      // the server has to spare; a search that waits asks for it at once).
      auto until = Clock::time_point::max();
      if (retention.enabled()) until = next_prune;
      if (unindexed > 0) until = std::min(until, Clock::now() + kIndexWhenIdleAfter);
      if (until == Clock::time_point::max()) writes_waiting_.wait(lock, woken);
      else writes_waiting_.wait_until(lock, until, woken);
      if (writes_.empty() && stopping_) break;
      if (settings_.sync == SyncPolicy::batch && !writes_.empty()) {
        writes_waiting_.wait_until(lock, last_commit + kBatchCommitSpacing,
                                   [&] { return stopping_ || index_wanted_ > indexed_mark_; });
      }
      std::swap(batch, writes_);  // the buffers go back and forth: no allocation once grown
      search_waits = index_wanted_ > indexed_mark_;
    }
    // Between batches, on this thread: pruning and indexing never hold a
    // commit up for long (a few thousand lines a time) and never contend for
    // SQLite's write lock.
    if (retention.enabled() && Clock::now() >= next_prune)
      next_prune = Clock::now() + (prune() ? std::chrono::milliseconds(50) : retention.interval);
    const std::size_t lines = batch.lines.size();
    const auto started = Clock::now();
    if (lines > 0) last_commit = started;
    const bool written = lines == 0 || commit(batch.lines, inserter);
    const auto took = std::chrono::duration_cast<std::chrono::microseconds>(Clock::now() - started).count();
    for (auto& then : batch.then) then();
    {
      std::lock_guard lock(mutex_);
      (written ? counts_.committed : counts_.lost) += lines;
      if (lines > 0) {
        ++counts_.batches;
        counts_.batch_microseconds += static_cast<std::uint64_t>(took);
      }
    }
    if (written) unindexed += lines;
    if (search_waits) {
      unindexed = index_all();
    } else if (unindexed > 0 && (batch.empty() || unindexed > kMostUnindexed)) {
      unindexed = index_some(unindexed);
    }
    committed_changed_.notify_all();
    batch.clear();
    restart_log_if_long();
  }
  {
    std::lock_guard lock(mutex_);
    writer_done_ = true;
  }
  committed_changed_.notify_all();
}

std::uint64_t SqliteHistory::index_some(std::uint64_t unindexed) {
  try {
    SQLite::Transaction tx(writer_db_);
    const std::size_t looked_at = index_for_search(writer_db_, kIndexChunk);
    tx.commit();
    if (looked_at < kIndexChunk) return 0;
    return unindexed > looked_at ? unindexed - looked_at : 1;
  } catch (const std::exception& e) {  // SQLite::Exception, or StoreError for a damaged row
    spdlog::error("History: cannot index {} for search: {}", settings_.path, e.what());
    return 0;  // tried again when a search asks
  }
}

std::uint64_t SqliteHistory::index_all() {
  std::uint64_t mark = 0;
  {
    std::lock_guard lock(mutex_);
    mark = counts_.settled();  // everything settled now is in the index after this
  }
  std::uint64_t left = 1;
  while (left > 0) {
    left = index_some(left);
    if (left == 0) break;
  }
  {
    std::lock_guard lock(mutex_);
    indexed_mark_ = std::max(indexed_mark_, mark);
  }
  return 0;
}

bool SqliteHistory::prune() {
  constexpr std::size_t kBatch = 5000;
  const Retention& r = settings_.retention;
  try {
    SQLite::Transaction tx(writer_db_);
    std::optional<core::WallTime> cutoff;
    if (r.max_age.count() > 0) cutoff = r.now() - r.max_age;
    const std::size_t deleted = prune_history(writer_db_, cutoff, r.max_lines_per_room, kBatch);
    tx.commit();
    {
      std::lock_guard lock(mutex_);
      counts_.pruned += deleted;
    }
    return deleted >= kBatch;
  } catch (const std::exception& e) {  // SQLite::Exception, or StoreError for a damaged row
    spdlog::error("History: cannot delete old lines from {}: {}", settings_.path, e.what());
    return false;
  }
}

void SqliteHistory::sync_loop() {
  std::uint64_t synced = 0;  // lines committed as of the last checkpoint
  for (;;) {
    std::uint64_t committed = 0;
    bool last = false;
    {
      std::unique_lock lock(mutex_);
      syncer_woken_.wait_for(lock, settings_.sync_interval, [&] { return writer_done_; });
      committed = counts_.committed;
      last = writer_done_;
    }
    if (committed != synced) {
      checkpoint();
      synced = committed;
    }
    if (last) return;
  }
}

bool SqliteHistory::commit(const QueuedLines& lines, HistoryInserter& inserter) {
  auto first_failure = Clock::time_point{};
  auto last_report = Clock::time_point{};
  for (int attempt = 0;; ++attempt) {
    try {
      SQLite::Transaction tx(writer_db_);
      std::size_t added = 0;
      lines.for_each([&](const core::HistoryLineRef& line) {
        inserter.add(line);
        if (++added % kLinesPerStep == 0) let_waiting_work_run();  // share_cpu.h
      });
      inserter.finish();
      tx.commit();
      if (attempt > 0) spdlog::warn("History: writing works again; the waiting messages are saved.");
      return true;
    } catch (const SQLite::Exception& e) {
      try {
        inserter.forget();  // rolled back: its numbers may name rows never kept
      } catch (const SQLite::Exception&) {
        // Its caches are emptied already; its next seq stays past every kept line.
      }
      const auto now = Clock::now();
      if (attempt == 0) first_failure = now;
      // Said once, then every 30 s: the operator needs to know, not a flood.
      if (attempt == 0 || now - last_report >= std::chrono::seconds(30)) {
        spdlog::error("History: cannot write {} ({}); messages are still delivered, and kept in memory "
                      "until writing works again (new messages are refused past {} waiting).",
                      settings_.path, e.what(), settings_.queue_lines);
        last_report = now;
      }
      std::unique_lock lock(mutex_);
      if (stopping_ && now - first_failure >= std::chrono::seconds(3)) {
        spdlog::error("History: shutting down with {} message(s) that could not be saved.",
                      counts_.waiting());
        return false;
      }
      writes_waiting_.wait_for(lock, std::chrono::seconds(1), [&] { return stopping_; });
    }
  }
}

void SqliteHistory::checkpoint() {
  try {
    // Syncs the write-ahead log, then copies what it can into the main file
    // (PASSIVE: never waits for the writer or a reader).
    syncer_db_.exec("PRAGMA wal_checkpoint(PASSIVE)");
  } catch (const SQLite::Exception& e) {
    spdlog::error("History: cannot sync {}: {}", settings_.path, e.what());
  }
}

void SqliteHistory::restart_log_if_long() {
  if (wal_frames_ < wal_retry_frames_) return;
  // RESTART waits for the syncer's checkpoint and for readers still on the
  // log: briefly, since lines queue meanwhile. A longer reader (a search
  // ranking many matches) leaves it for a quarter more log.
  constexpr int kWaitMs = 200;
  bool done = false;
  try {
    sqlite3_busy_timeout(writer_db_.getHandle(), kWaitMs);
    SQLite::Statement restart(writer_db_, "PRAGMA wal_checkpoint(RESTART)");
    done = restart.executeStep() && restart.getColumn(0).getInt() == 0;
  } catch (const SQLite::Exception& e) {
    spdlog::error("History: cannot checkpoint {}: {}", settings_.path, e.what());
  }
  writer_db_.setBusyTimeout(kBusyTimeoutMs);
  if (done) {
    wal_frames_ = 0;
    wal_retry_frames_ = wal_restart_frames_;
  } else {
    wal_retry_frames_ = wal_frames_ + wal_restart_frames_ / 4;
  }
}

void SqliteHistory::read_loop() {
  for (;;) {
    Read read;
    {
      std::unique_lock lock(mutex_);
      reads_waiting_.wait(lock, [&] { return stopping_ || !reads_.empty(); });
      if (reads_.empty()) return;
      read = std::move(reads_.front());
      reads_.pop_front();
      // Sees every line recorded before the query was asked.
      committed_changed_.wait(lock, [&] {
        return (read.needs_index ? indexed_mark_ >= read.after : counts_.settled() >= read.after) || writer_done_;
      });
    }
    try {
      read.run(reader_db_);
    } catch (const std::exception& e) {  // SQLite::Exception, or StoreError for a damaged row
      spdlog::error("History: cannot read {}: {}", settings_.path, e.what());
      read.failed();
    }
  }
}

}  // namespace parley::store
