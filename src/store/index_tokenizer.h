#pragma once
// The search index's own FTS5 tokenizer, "parley_prefix": FTS5's unicode61,
// except that a token longer than a set number of bytes goes into the index
// as its first bytes only (never cut inside a character).
//
// Why: long tokens (timestamps, ids, hashes, pasted tokens) are nearly all
// different, and each different token costs the index a term of its own, to
// hash, write and merge again and again. Kept as a prefix, they share terms
// with their neighbours. Nothing is lost for search: a query goes through
// the same tokenizer, so a long word finds every row whose word starts the
// same, and LineMatcher (row_search.h) then keeps only the lines that hold
// the whole word, tokenized in full by SearchTokenizer.
#include <SQLiteCpp/Database.h>

#include <cstddef>
#include <string_view>

namespace parley::store {

// How history_search splits text since schema 16: tokens kept to 10 bytes,
// then unicode61's own arguments. A word of 10 bytes or fewer (nearly all of
// them in chat) is indexed whole; a 10-byte prefix of a longer one still
// picks out few rows. Changing the number needs a migration that makes the
// index again (the table keeps the arguments it was made with).
inline constexpr const char* kIndexTokenizerSql = "parley_prefix 10 remove_diacritics 2";

// Registers "parley_prefix" on `db`'s connection. Once per connection, before
// history_search is used: database.cpp does it as it opens one. Without
// FTS5 it does nothing (opening the history then fails with its own message).
void register_index_tokenizer(SQLite::Database& db);

// The bytes of `token` the index keeps: all of it up to `most` bytes, else
// the longest prefix of at most `most` bytes that ends between characters.
std::size_t indexed_prefix_bytes(std::string_view token, std::size_t most);

}  // namespace parley::store
