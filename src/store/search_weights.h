#pragma once
// How much each word of a search weighs in relevance order: BM25's inverse
// document frequency, from how many of the index's rows hold the word. The
// index keeps no word positions (schema 14), so FTS5's own bm25() cannot
// rank; search_history scores each matching line itself (row_search.h), and
// asks FTS5 here only for the counts it keeps anyway.
#include <SQLiteCpp/Database.h>

#include <string>
#include <vector>

namespace parley::store {

// Registers the FTS5 function that reports those counts on `db`. Once per
// connection: database.cpp does it as it opens one.
void register_search_functions(SQLite::Database& db);

// The weight of each token of `fts_query` (LineMatcher::fts_query(): one
// quoted token after another), in order; empty when no row matches it.
std::vector<double> token_weights(SQLite::Database& db, const std::string& fts_query);

}  // namespace parley::store
