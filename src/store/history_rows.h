#pragma once
// History lines to and from rows of the `history` table (schema.cpp).
#include <SQLiteCpp/Database.h>

#include <vector>

#include "core/history.h"

namespace parley::store {

// Inserts lines, in order, on a connection that is inside a transaction.
class HistoryInserter {
 public:
  explicit HistoryInserter(SQLite::Database& db);
  void insert(const core::HistoryLine& line);

 private:
  SQLite::Statement insert_;
};

// Runs a query: the lines it asks for, oldest first. An unknown message id
// yields no lines.
std::vector<core::HistoryLine> read_history(SQLite::Database& db, const core::HistoryQuery& query);

}  // namespace parley::store
