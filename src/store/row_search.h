#pragma once
// The search index holds one document per row of lines (schema 13): the
// row's speech, its lines' bodies one after another, under the row's
// first_seq. A row is in the index when its first_seq is at or before
// search_progress.indexed_seq. Indexing a row costs FTS5 a third to a half
// of what indexing its lines one by one did (docs/performance.md, "History
// writes"); a match is a row, and LineMatcher finds which of its lines hold
// every word.
#include <SQLiteCpp/Database.h>
#include <SQLiteCpp/Statement.h>

#include <cstdint>
#include <string>
#include <string_view>
#include <vector>

#include "store/packed_lines.h"
#include "store/search_tokenizer.h"

namespace parley::store {

// Adds rows to the index and takes them out. A contentless index forgets the
// text, so a row is taken out with the text it was added with: its lines then.
class SearchIndexWriter {
 public:
  explicit SearchIndexWriter(SQLite::Database& db);
  // Rows without speech (joins, parts...) are not in the index.
  void add(std::int64_t first_seq, const std::vector<PackedLine>& lines);
  void remove(std::int64_t first_seq, const std::vector<PackedLine>& lines);

 private:
  void write(SQLite::Statement& q, std::int64_t first_seq, const std::vector<PackedLine>& lines);
  SQLite::Statement add_, remove_;
  std::string text_;
};

// Whether a line holds every word of a search, as FTS5 would have matched it
// on its own: each word's tokens in a row in the line ("word*": the last
// token a prefix). Words without tokens (punctuation) are left out, as FTS5
// leaves them out.
class LineMatcher {
 public:
  LineMatcher(const SearchTokenizer& tokenizer, std::string_view words);
  bool empty() const { return words_.empty(); }
  // Whether `body` holds every word; then relevance() scores it.
  bool matches(std::string_view body);
  // BM25's term-frequency part (k1 = 1.2, b = 0.75) for the line matches()
  // last said yes to, against `average_tokens` per line: among lines that
  // hold the words, more of them in a shorter line is better.
  double relevance(double average_tokens) const;
  std::size_t tokens() const { return line_.size(); }

 private:
  struct Word {
    std::vector<std::string> tokens;
    bool prefix = false;
    std::size_t found = 0;  // in the last line matched
  };
  std::size_t count(const Word& word) const;
  const SearchTokenizer& tokenizer_;
  std::vector<Word> words_;
  std::vector<std::string> line_;
};

}  // namespace parley::store
