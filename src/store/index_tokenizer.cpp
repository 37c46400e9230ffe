#include "store/index_tokenizer.h"

#include <sqlite3.h>

#include <charconv>
#include <memory>

#include "store/search_tokenizer.h"
#include "store/store_error.h"

namespace parley::store {
namespace {

constexpr const char* kName = "parley_prefix";
// A prefix always holds a whole first character (UTF-8: 4 bytes at most), so
// no token is ever handed to the index empty.
constexpr std::size_t kFewestBytesKept = 4;

using TokenCallback = int (*)(void* context, int flags, const char* token, int bytes, int start, int end);

// One tokenizer as a table made it: unicode61 with the table's arguments.
struct PrefixTokenizer {
  fts5_tokenizer inner{};
  Fts5Tokenizer* inner_tokenizer = nullptr;
  std::size_t most_bytes = 0;
  ~PrefixTokenizer() {
    if (inner_tokenizer) inner.xDelete(inner_tokenizer);
  }
};

// args: the bytes kept, then unicode61's arguments.
int create(void* fts5, const char** args, int count, Fts5Tokenizer** out) {
  if (count < 1) return SQLITE_ERROR;
  const std::string_view most(args[0]);
  auto tokenizer = std::make_unique<PrefixTokenizer>();
  const auto [end, error] = std::from_chars(most.data(), most.data() + most.size(), tokenizer->most_bytes);
  if (error != std::errc() || end != most.data() + most.size() || tokenizer->most_bytes < kFewestBytesKept)
    return SQLITE_ERROR;
  auto* api = static_cast<fts5_api*>(fts5);
  void* inner_data = nullptr;
  if (api->xFindTokenizer(api, "unicode61", &inner_data, &tokenizer->inner) != SQLITE_OK) return SQLITE_ERROR;
  const int status = tokenizer->inner.xCreate(inner_data, args + 1, count - 1, &tokenizer->inner_tokenizer);
  if (status != SQLITE_OK) return status;
  // FTS5's handle is opaque: it only ever hands ours back to the functions below.
  *out = reinterpret_cast<Fts5Tokenizer*>(tokenizer.release());
  return SQLITE_OK;
}

void destroy(Fts5Tokenizer* tokenizer) { delete reinterpret_cast<PrefixTokenizer*>(tokenizer); }

struct Forward {
  void* context;
  TokenCallback token;
  std::size_t most_bytes;
};

int forward(void* f, int flags, const char* token, int bytes, int start, int end) {
  const auto& to = *static_cast<const Forward*>(f);
  const auto kept = indexed_prefix_bytes({token, static_cast<std::size_t>(bytes)}, to.most_bytes);
  return to.token(to.context, flags, token, static_cast<int>(kept), start, end);
}

int tokenize(Fts5Tokenizer* handle, void* context, int flags, const char* text, int bytes, TokenCallback token) {
  const auto& tokenizer = *reinterpret_cast<const PrefixTokenizer*>(handle);
  Forward to{context, token, tokenizer.most_bytes};
  return tokenizer.inner.xTokenize(tokenizer.inner_tokenizer, &to, flags, text, bytes, forward);
}

}  // namespace

std::size_t indexed_prefix_bytes(std::string_view token, std::size_t most) {
  if (token.size() <= most) return token.size();
  std::size_t kept = most;
  // token[kept] is the first byte left out: while it continues a character,
  // that character started inside the prefix, so it goes too.
  while (kept > 0 && (static_cast<unsigned char>(token[kept]) & 0xC0) == 0x80) --kept;
  return kept;
}

void register_index_tokenizer(SQLite::Database& db) {
  fts5_api* fts5 = fts5_of(db.getHandle());
  if (!fts5) return;  // no FTS5: opening the history fails later, with its own message
  fts5_tokenizer functions{create, destroy, tokenize};
  if (fts5->xCreateTokenizer(fts5, kName, fts5, &functions, nullptr) != SQLITE_OK)
    throw StoreError("cannot register the search index's tokenizer");
}

}  // namespace parley::store
