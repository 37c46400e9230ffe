#pragma once
// A fresh folder per test for database files, removed afterwards.
#include <gtest/gtest.h>

#include <chrono>
#include <filesystem>
#include <string>
#include <utility>
#include <vector>

#include <SQLiteCpp/Database.h>
#include <SQLiteCpp/Statement.h>
#include <SQLiteCpp/Transaction.h>

#include <unistd.h>

#include "core/history.h"
#include "core/message_id.h"
#include "store/database.h"
#include "store/history_rows.h"
#include "store/packed_lines.h"

namespace parley::store::testing {

class TempFolder {
 public:
  TempFolder() {
    const auto* info = ::testing::UnitTest::GetInstance()->current_test_info();
    path_ = std::filesystem::temp_directory_path() /
            (std::string("parley-store-") + info->test_suite_name() + "-" + info->name() + "-" +
             std::to_string(::getpid()));
    std::filesystem::remove_all(path_);
    std::filesystem::create_directories(path_);
  }
  ~TempFolder() {
    std::error_code ignored;
    std::filesystem::remove_all(path_, ignored);
  }
  std::string file(const std::string& name) const { return (path_ / name).string(); }

 private:
  std::filesystem::path path_;
};

// Queries and settings, spelled without designated initializers (GCC warns
// about the members they leave out).
inline core::HistoryQuery query(std::string target, core::HistoryQuery::Direction direction, std::size_t limit,
                                std::optional<core::HistoryPoint> from = {},
                                std::optional<core::HistoryPoint> to = {}) {
  core::HistoryQuery q;
  q.target = std::move(target);
  q.direction = direction;
  q.limit = limit;
  q.from = std::move(from);
  q.to = std::move(to);
  return q;
}
inline core::HistoryQuery latest(std::string target, std::size_t limit = 1000) {
  return query(std::move(target), core::HistoryQuery::Direction::latest, limit);
}

inline core::WallTime at_ms(std::int64_t ms) { return core::WallTime(std::chrono::milliseconds(ms)); }

// A message id as parleyd makes them: `base`, and the time `ms` it carries
// (core/message_id.h), by which the store finds its line.
inline std::string timed_id(const std::string& base, std::int64_t ms) {
  return core::timed_message_id(base, at_ms(ms));
}

// A line said in `room` by `who` at `ms` milliseconds, with id `id`.
inline core::HistoryLine said(std::string room, std::string who, std::string text, std::int64_t ms, std::string id,
                              core::HistoryLine::Kind kind = core::HistoryLine::Kind::message) {
  core::HistoryLine line;
  line.target = room;
  line.room = room;
  line.id = std::move(id);
  line.time = at_ms(ms);
  line.kind = kind;
  line.sender.display = who;
  line.sender.nick = who;
  line.sender.user = "u";
  line.sender.host = "h";
  line.text = std::move(text);
  return line;
}

inline StorageSettings settings(std::string path, std::size_t queue_lines = 100000,
                                SyncPolicy sync = SyncPolicy::batch) {
  StorageSettings s;
  s.path = std::move(path);
  s.queue_lines = queue_lines;
  s.sync = sync;
  return s;
}

// Every line's body in the database, oldest row first (schema 12 packs them:
// no column to SELECT).
inline std::vector<std::string> kept_bodies(SQLite::Database& db) {
  std::vector<std::string> bodies;
  SQLite::Statement rows(db, "SELECT packed FROM history_rows ORDER BY first_seq");
  while (rows.executeStep()) {
    const SQLite::Column blob = rows.getColumn(0);
    const std::string packed(static_cast<const char*>(blob.getBlob()), static_cast<std::size_t>(blob.getBytes()));
    for (const PackedLine& line : unpack_lines(packed)) bodies.emplace_back(line.body);
  }
  return bodies;
}

// Writes `lines` as the writer does one batch (a target's lines to a row),
// in one transaction; with `index`, also builds their search index in it.
// Returns how many lines the indexer looked at (0 without `index`).
inline std::size_t write_batch(SQLite::Database& db, const std::vector<core::HistoryLine>& lines, bool index = false) {
  SQLite::Transaction tx(db);
  HistoryInserter insert(db);
  for (const core::HistoryLine& line : lines) insert.add(line);
  insert.finish();
  const std::size_t indexed = index ? index_for_search(db, 100000) : 0;
  tx.commit();
  return indexed;
}

// How many rows hold the lines, and how many lines they say they hold.
inline std::pair<int, int> rows_and_lines(SQLite::Database& db) {
  SQLite::Statement q(db, "SELECT COUNT(*), COALESCE(SUM(lines), 0) FROM history_rows");
  q.executeStep();
  return {q.getColumn(0).getInt(), q.getColumn(1).getInt()};
}

}  // namespace parley::store::testing
