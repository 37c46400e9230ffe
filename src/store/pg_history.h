#pragma once
// History kept in PostgreSQL ([storage] url), shared by every node: one
// writer thread commits the lines it is given in batches (a repeated line,
// kept by another node already, is left as it is), one reader thread answers
// queries, each once every line recorded before it is committed. Each thread
// has its own connection; neither ever runs on an event loop.
#include <condition_variable>
#include <cstdint>
#include <deque>
#include <functional>
#include <mutex>
#include <optional>
#include <string>
#include <thread>
#include <variant>
#include <vector>

#include "core/account_data.h"
#include "core/history.h"
#include "store/database.h"
#include "store/history_counts.h"
#include "store/pg_connection.h"

namespace parley::store {

class PgHistory final : public core::History {
 public:
  // Connects twice (writer, reader) and migrates; throws StoreError.
  explicit PgHistory(StorageSettings settings);
  // Writes every line accepted so far, answers every query asked, then stops.
  ~PgHistory() override;
  PgHistory(const PgHistory&) = delete;
  PgHistory& operator=(const PgHistory&) = delete;

  bool accepting() override;
  bool record(const core::HistoryLineRef& line) override;
  void fetch(core::HistoryQuery query, std::function<void(core::Result<std::vector<core::HistoryLine>>)> done) override;
  void fetch_targets(core::TargetsQuery query,
                     std::function<void(core::Result<std::vector<core::HistoryTarget>>)> done) override;
  void search(core::SearchQuery query, std::function<void(core::Result<std::vector<core::HistoryLine>>)> done) override;
  bool keeps_before_delivery() const override { return settings_.sync == SyncPolicy::always; }
  void after_commit(core::Task then) override;
  // Blocks until every line recorded so far is committed (or given up on).
  void flush();
  HistoryCounts counts() const;

 private:
  using Write = std::variant<core::HistoryLine, core::Task>;
  struct Read {
    std::function<void(PgConnection&)> run;
    std::function<void()> failed;  // when `run` threw
    std::uint64_t after = 0;       // run once this many lines are settled
  };
  template <class T>
  void ask(std::function<T(PgConnection&)> read, std::function<void(core::Result<T>)> done);
  // Under sync = "batch", commits start at most this often (as SqliteHistory's).
  static constexpr std::chrono::milliseconds kBatchCommitSpacing{25};
  void write_loop();
  void read_loop();
  // Commits the batch's lines, retrying while the server refuses them. False
  // only when shutting down with the server still refusing.
  bool commit(const std::vector<Write>& batch);
  bool prune();

  StorageSettings settings_;
  PgConnection writer_db_;
  PgConnection reader_db_;

  mutable std::mutex mutex_;
  std::condition_variable writes_waiting_;
  std::condition_variable reads_waiting_;
  std::condition_variable committed_changed_;
  std::vector<Write> writes_;
  std::deque<Read> reads_;
  HistoryCounts counts_;
  bool stopping_ = false;
  bool writer_done_ = false;

  std::thread writer_;
  std::thread reader_;
};

// Redaction's edits of the shared history (as SqliteHistoryEdits).
class PgHistoryEdits final : public core::HistoryEdits {
 public:
  explicit PgHistoryEdits(const std::string& url);
  std::optional<core::KeptLine> find(const std::string& target, const std::string& msgid) override;
  bool remove(const std::string& target, const std::string& msgid) override;

 private:
  PgConnection db_;
};

}  // namespace parley::store
