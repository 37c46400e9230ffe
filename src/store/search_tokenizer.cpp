#include "store/search_tokenizer.h"

#include <iterator>

#include "store/store_error.h"

namespace parley::store {

fts5_api* fts5_of(sqlite3* db) {
  fts5_api* api = nullptr;
  sqlite3_stmt* stmt = nullptr;
  if (sqlite3_prepare_v2(db, "SELECT fts5(?1)", -1, &stmt, nullptr) == SQLITE_OK) {
    sqlite3_bind_pointer(stmt, 1, static_cast<void*>(&api), "fts5_api_ptr", nullptr);
    sqlite3_step(stmt);
  }
  sqlite3_finalize(stmt);
  return api;
}

namespace {

struct Collected {
  std::vector<std::string>& out;
  std::size_t used = 0;
};

int collect(void* context, int /*flags*/, const char* token, int bytes, int /*start*/, int /*end*/) {
  auto& c = *static_cast<Collected*>(context);
  if (c.used == c.out.size()) c.out.emplace_back();
  c.out[c.used++].assign(token, static_cast<std::size_t>(bytes));
  return SQLITE_OK;
}

}  // namespace

SearchTokenizer::SearchTokenizer(SQLite::Database& db) {
  fts5_api* fts5 = fts5_of(db.getHandle());
  void* user_data = nullptr;
  if (!fts5 || fts5->xFindTokenizer(fts5, "unicode61", &user_data, &api_) != SQLITE_OK)
    throw StoreError("this SQLite has no FTS5 unicode61 tokenizer, which search needs");
  // kSearchTokenizerSql's arguments, as the index was made with them.
  const char* args[] = {"remove_diacritics", "2"};
  if (api_.xCreate(user_data, args, static_cast<int>(std::size(args)), &tokenizer_) != SQLITE_OK)
    throw StoreError("cannot start FTS5's unicode61 tokenizer");
}

SearchTokenizer::~SearchTokenizer() {
  if (tokenizer_) api_.xDelete(tokenizer_);
}

void SearchTokenizer::split(std::string_view text, std::vector<std::string>& out) const {
  Collected c{out};
  api_.xTokenize(tokenizer_, &c, FTS5_TOKENIZE_DOCUMENT, text.data(), static_cast<int>(text.size()), collect);
  out.resize(c.used);
}

}  // namespace parley::store
