#include "store/row_search.h"

#include <algorithm>

#include "store/history_plan.h"

namespace parley::store {

SearchIndexWriter::SearchIndexWriter(SQLite::Database& db)
    : add_(db, "INSERT INTO history_search (rowid, body) VALUES (?, ?)"),
      remove_(db, "INSERT INTO history_search (history_search, rowid, body) VALUES ('delete', ?, ?)") {}

void SearchIndexWriter::add(std::int64_t first_seq, const std::vector<PackedLine>& lines) {
  write(add_, first_seq, lines);
}

void SearchIndexWriter::remove(std::int64_t first_seq, const std::vector<PackedLine>& lines) {
  write(remove_, first_seq, lines);
}

void SearchIndexWriter::write(SQLite::Statement& q, std::int64_t first_seq, const std::vector<PackedLine>& lines) {
  text_.clear();
  for (const PackedLine& line : lines) {
    if (line.kind > 2) continue;  // speech only
    if (!text_.empty()) text_ += '\n';
    text_ += line.body;
  }
  if (text_.empty()) return;
  q.reset();
  q.bind(1, first_seq);
  q.bindNoCopy(2, text_.data(), static_cast<int>(text_.size()));
  q.exec();
}

LineMatcher::LineMatcher(const SearchTokenizer& tokenizer, std::string_view words) : tokenizer_(tokenizer) {
  for_each_search_word(words, [&](std::string_view word, bool prefix) {
    Word w;
    tokenizer_.split(word, w.tokens);
    w.prefix = prefix;
    if (!w.tokens.empty()) words_.push_back(std::move(w));
  });
}

std::string LineMatcher::fts_query() const {
  std::string out;
  for (const Word& word : words_) {
    for (std::size_t i = 0; i < word.tokens.size(); ++i) {
      if (!out.empty()) out += ' ';
      out += '"';
      for (char c : word.tokens[i]) {
        if (c == '"') out += '"';  // FTS5 strings double their quotes
        out += c;
      }
      out += '"';
      if (word.prefix && i + 1 == word.tokens.size()) out += '*';
    }
  }
  return out;
}

std::vector<double> LineMatcher::word_weights(const std::vector<double>& token_weights) const {
  std::vector<double> weights;
  std::size_t token = 0;
  for (const Word& word : words_) {
    double weight = 0;
    for (std::size_t i = 0; i < word.tokens.size() && token < token_weights.size(); ++i)
      weight = std::max(weight, token_weights[token++]);
    weights.push_back(weight);
  }
  if (token != token_weights.size() || token_weights.empty()) weights.clear();  // not this query's: unweighed
  return weights;
}

std::size_t LineMatcher::count(const Word& word) const {
  const std::size_t n = word.tokens.size();
  std::size_t found = 0;
  for (std::size_t i = 0; i + n <= line_.size(); ++i) {
    bool here = true;
    for (std::size_t j = 0; j < n && here; ++j) {
      const std::string& token = line_[i + j];
      here = word.prefix && j + 1 == n ? token.starts_with(word.tokens[j]) : token == word.tokens[j];
    }
    found += here ? 1 : 0;
  }
  return found;
}

bool LineMatcher::matches(std::string_view body) {
  if (words_.empty()) return false;
  tokenizer_.split(body, line_);
  for (Word& word : words_) {
    word.found = count(word);
    if (word.found == 0) return false;
  }
  return true;
}

std::vector<std::uint32_t> LineMatcher::word_counts() const {
  std::vector<std::uint32_t> counts;
  counts.reserve(words_.size());
  for (const Word& word : words_) counts.push_back(static_cast<std::uint32_t>(word.found));
  return counts;
}

double bm25(const std::vector<std::uint32_t>& counts, std::size_t tokens, double average_tokens,
            const std::vector<double>& weights) {
  constexpr double k1 = 1.2, b = 0.75;
  const double length = average_tokens > 0 ? static_cast<double>(tokens) / average_tokens : 1.0;
  const bool weighed = weights.size() >= counts.size();
  double score = 0;
  for (std::size_t i = 0; i < counts.size(); ++i) {
    const auto tf = static_cast<double>(counts[i]);
    score += (weighed ? weights[i] : 1.0) * tf * (k1 + 1) / (tf + k1 * (1 - b + b * length));
  }
  return score;
}

}  // namespace parley::store
