#pragma once
// History kept in the SQLite database: one writer thread takes lines from a
// bounded queue and commits them in batches; one reader thread answers
// queries on its own connection (WAL: it never waits for the writer), each
// once the writer has committed every line recorded before the query; one
// syncer thread checkpoints the log every sync_interval on a third
// connection, so that the writer waits for the disk's sync only when the log
// has grown past wal_restart_bytes and it starts it again.
#include <condition_variable>
#include <cstdint>
#include <deque>
#include <functional>
#include <mutex>
#include <thread>
#include <vector>

#include "core/history.h"
#include "store/database.h"
#include "store/history_counts.h"
#include "store/history_rows.h"
#include "store/queued_lines.h"

namespace parley::store {

class SqliteHistory final : public core::History {
 public:
  // Opens the database (creating and migrating it); throws StoreError.
  explicit SqliteHistory(StorageSettings settings);
  // Writes every line accepted so far, answers every query asked, then stops.
  ~SqliteHistory() override;
  SqliteHistory(const SqliteHistory&) = delete;
  SqliteHistory& operator=(const SqliteHistory&) = delete;

  // Messages are refused past settings().queue_lines waiting; other lines
  // (joins, parts) are still kept up to twice that, so that a room's story
  // has no holes where the messages were refused.
  bool accepting() override;
  bool record(const core::HistoryLineRef& line) override;
  void fetch(core::HistoryQuery query, std::function<void(core::Result<std::vector<core::HistoryLine>>)> done) override;
  void fetch_targets(core::TargetsQuery query,
                     std::function<void(core::Result<std::vector<core::HistoryTarget>>)> done) override;
  void search(core::SearchQuery query, std::function<void(core::Result<std::vector<core::HistoryLine>>)> done) override;
  bool keeps_before_delivery() const override { return settings_.sync == SyncPolicy::always; }
  // Runs `then` on the writer thread once every line recorded before this
  // call is committed (and, under SyncPolicy::always, synced).
  void after_commit(core::Task then) override;
  // Blocks until every line recorded so far is committed.
  void flush();

  using Counts = HistoryCounts;
  Counts counts() const;
  const StorageSettings& settings() const { return settings_; }

 private:
  // What the writer takes at once: the lines recorded, and what runs once
  // they are committed (after_commit), each in the order given.
  struct Batch {
    QueuedLines lines;
    std::vector<core::Task> then;
    bool empty() const { return lines.empty() && then.empty(); }
    void clear() {
      lines.clear();
      then.clear();
    }
  };
  struct Read {
    // Runs on the reader's connection; answers the asker either way.
    std::function<void(SQLite::Database&)> run;
    std::function<void()> failed;  // when `run` threw
    std::uint64_t after;           // run once this many lines are committed
    bool needs_index = false;      // ... and in the search index
  };
  template <class T>
  void ask(std::function<T(SQLite::Database&)> read, std::function<void(core::Result<T>)> done,
           bool needs_index = false);
  // The search index is filled behind the writer, kIndexChunk lines at a
  // time: when it has been idle for kIndexWhenIdleAfter, when a search waits,
  // or when more than kMostUnindexed lines wait. Return the lines left.
  // Behind every batch (25 ms apart when busy), 8,000 lines keep up with
  // 320,000 lines/s (2,000 fell behind the `small` benchmark's ~110,000), and
  // hold the next commit up by about 8 ms (rows index at ~1 us a line).
  std::uint64_t index_some(std::uint64_t unindexed);
  std::uint64_t index_all();
  static constexpr std::size_t kIndexChunk = 8000;
  // Lines written between offers of the CPU (share_cpu.h): about 0.05 ms.
  static constexpr std::size_t kLinesPerStep = 128;
  static constexpr std::uint64_t kMostUnindexed = 200000;
  static constexpr std::chrono::milliseconds kIndexWhenIdleAfter{200};
  // Under sync = "batch", commits start at most this often: a busy server
  // then writes each page of the log once for many lines, not once for a
  // few (a commit's pages cost the same for 1 line as for 100). Nobody waits
  // for a batched commit but a history read, which waits at most this long.
  static constexpr std::chrono::milliseconds kBatchCommitSpacing{25};
  void write_loop();
  void read_loop();
  void sync_loop();
  // Commits `batch`'s lines in one transaction, retrying (with a pause and a
  // log line) while the disk refuses them. False only when shutting down with
  // the disk still refusing.
  bool commit(const QueuedLines& lines, HistoryInserter& inserter);
  // Deletes a batch of lines past the retention limits; true if there may be more.
  bool prune();
  // Makes what is committed safe from a crash of the machine (batch), and
  // keeps the write-ahead log short.
  void checkpoint();
  // On the writer, once the log holds settings_.wal_restart_bytes: copies it
  // into the database and starts it again from its beginning (the file is
  // then cut to that size). The syncer's checkpoints never wait, so they
  // never finish while the writer appends, and SQLite starts the log again
  // only after one has.
  void restart_log_if_long();

  StorageSettings settings_;
  int wal_frames_ = 0;  // frames in the log after the writer's last commit (set by its WAL hook)
  int wal_restart_frames_ = 0;  // settings_.wal_restart_bytes in frames (write_loop sets both at its start)
  int wal_retry_frames_ = 0;    // the next try, later when a reader held the log
  SQLite::Database writer_db_;
  SQLite::Database reader_db_;
  SQLite::Database syncer_db_;

  mutable std::mutex mutex_;
  std::condition_variable writes_waiting_;
  std::condition_variable reads_waiting_;
  std::condition_variable committed_changed_;
  std::condition_variable syncer_woken_;
  Batch writes_;
  std::deque<Read> reads_;
  Counts counts_;
  bool stopping_ = false;
  bool writer_done_ = false;
  std::uint64_t index_wanted_ = 0;  // a search waits until this many lines are indexed
  std::uint64_t indexed_mark_ = 0;  // lines settled as of the last complete indexing

  std::thread writer_;
  std::thread reader_;
  std::thread syncer_;
};

}  // namespace parley::store
