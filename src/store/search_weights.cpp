#include "store/search_weights.h"

#include <sqlite3.h>

#include <cmath>
#include <sstream>

#include "store/search_tokenizer.h"
#include "store/store_error.h"

namespace parley::store {
namespace {

constexpr const char* kWordRowsFunction = "parley_word_rows";

int count_row(const Fts5ExtensionApi* /*api*/, Fts5Context* /*fts*/, void* rows) {
  ++*static_cast<sqlite3_int64*>(rows);
  return SQLITE_OK;
}

// parley_word_rows(history_search), in a MATCH query: "ROWS N1 N2 ...", the
// rows in the index and, for each phrase of the query (a token each), the
// rows that hold it (FTS5's own bm25 counts them the same way).
void word_rows(const Fts5ExtensionApi* api, Fts5Context* fts, sqlite3_context* result, int /*argc*/,
               sqlite3_value** /*argv*/) {
  sqlite3_int64 rows = 0;
  int rc = api->xRowCount(fts, &rows);
  std::string out = std::to_string(rows);
  for (int phrase = 0; rc == SQLITE_OK && phrase < api->xPhraseCount(fts); ++phrase) {
    if (api->xPhraseSize(fts, phrase) == 0) continue;
    sqlite3_int64 holding = 0;
    rc = api->xQueryPhrase(fts, phrase, &holding, count_row);
    out += ' ';
    out += std::to_string(holding);
  }
  if (rc != SQLITE_OK) {
    sqlite3_result_error_code(result, rc);
    return;
  }
  sqlite3_result_text(result, out.data(), static_cast<int>(out.size()), SQLITE_TRANSIENT);
}

}  // namespace

void register_search_functions(SQLite::Database& db) {
  fts5_api* fts5 = fts5_of(db.getHandle());
  if (!fts5) return;  // no FTS5: opening the history fails later, with its own message
  if (fts5->xCreateFunction(fts5, kWordRowsFunction, nullptr, word_rows, nullptr) != SQLITE_OK)
    throw StoreError("cannot register the search index's function");
}

std::vector<double> token_weights(SQLite::Database& db, const std::string& fts_query) {
  SQLite::Statement q(db, std::string("SELECT ") + kWordRowsFunction +
                              "(history_search) FROM history_search WHERE history_search MATCH ? LIMIT 1");
  q.bind(1, fts_query);
  std::vector<double> weights;
  if (!q.executeStep()) return weights;
  std::istringstream counts(q.getColumn(0).getString());
  double rows = 0, holding = 0;
  counts >> rows;
  // BM25's IDF, as FTS5's bm25() has it: never below zero, a word in every
  // row weighs little, a rare one much.
  while (counts >> holding) weights.push_back(std::log(1 + (rows - holding + 0.5) / (holding + 0.5)));
  return weights;
}

}  // namespace parley::store
