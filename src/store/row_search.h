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
  // The words as a query of the index: every token of every word required,
  // each quoted, the last of a prefix word with its '*'. A word of several
  // tokens is not asked as a phrase (an index without positions cannot);
  // matches() checks that they follow each other in one line.
  std::string fts_query() const;
  // Each word's weight from its tokens' (token_weights(), in fts_query()'s
  // order): its rarest token's, since the word is at least that rare.
  std::vector<double> word_weights(const std::vector<double>& token_weights) const;
  // Whether `body` holds every word; then word_counts() says how often.
  bool matches(std::string_view body);
  // The tokens of the line matches() last looked at, whether it matched or not.
  std::size_t tokens() const { return line_.size(); }
  // How often each word is in the line matches() last said yes to.
  std::vector<std::uint32_t> word_counts() const;

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

// BM25 (k1 = 1.2, b = 0.75) of a line that holds every word of a search,
// `counts` times each, in `tokens` tokens, against `average_tokens` per line;
// `weights` are the words' (search_weights.h), or all 1 when it has fewer.
// More of the rarer words in a shorter line is better.
double bm25(const std::vector<std::uint32_t>& counts, std::size_t tokens, double average_tokens,
            const std::vector<double>& weights);

}  // namespace parley::store
