#pragma once
// The search index's tokenizer (FTS5's unicode61, with the arguments
// history_search is made with), run outside the index, its tokens whole. The
// index holds one document per row of lines (row_search.h), long tokens as
// their prefix (index_tokenizer.h); which of a row's lines hold the words is
// found by splitting them into the same tokens, in full.
#include <SQLiteCpp/Database.h>
#include <sqlite3.h>

#include <string>
#include <string_view>
#include <vector>

namespace parley::store {

// How history_search split text in schemas 13 to 15 (their migrations make
// the table with it), and how SearchTokenizer splits it: kIndexTokenizerSql
// passes the same arguments on to unicode61.
inline constexpr const char* kSearchTokenizerSql = "unicode61 remove_diacritics 2";

// The connection's FTS5 API (SQLite hands it out through a query, as a
// pointer bound to it); null when this SQLite has no FTS5.
fts5_api* fts5_of(sqlite3* db);

class SearchTokenizer {
 public:
  // Throws StoreError if `db`'s SQLite has no FTS5 or no unicode61.
  explicit SearchTokenizer(SQLite::Database& db);
  ~SearchTokenizer();
  SearchTokenizer(const SearchTokenizer&) = delete;
  SearchTokenizer& operator=(const SearchTokenizer&) = delete;

  // The tokens of `text` (case and accents folded as the index folds them),
  // replacing what `out` held; its strings' buffers are reused.
  void split(std::string_view text, std::vector<std::string>& out) const;

 private:
  fts5_tokenizer api_{};
  Fts5Tokenizer* tokenizer_ = nullptr;
};

}  // namespace parley::store
