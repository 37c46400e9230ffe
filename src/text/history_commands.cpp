// /search: what was said in the user's rooms (and, logged in, private
// conversations), found by words in the server's history (SQLite FTS5).
#include <fmt/format.h>

#include "text/history_render.h"
#include "text/refusal_text.h"
#include "text/text_session.h"

namespace parley::text {

void TextSession::cmd_search(std::string_view args) {
  if (!hub_.history().enabled()) return send_error("this server keeps no history to search.");
  std::string room_key;
  std::string_view words = args;
  if (args.starts_with('#')) {
    const auto space = args.find(' ');
    auto room = core::check_room_name(args.substr(0, space), hub_.limits().room_chars);
    if (!room.ok()) return send_error(refusal_text(room.refusal(), hub_.limits(), std::string(args.substr(0, space))));
    room_key = room.value().key;
    words = space == std::string_view::npos ? std::string_view() : args.substr(space + 1);
  }
  if (words.find_first_not_of(" \t*") == std::string_view::npos) return send("Usage: /search [#ROOM] WORDS");
  core::SearchQuery query;
  query.words = std::string(words);
  query.limit = 20;
  hub_.history().search(ref_, room_key, std::move(query),
                        [this, words = std::string(words)](core::Result<std::vector<core::HistoryLine>> found) {
                          if (!found.ok()) return send_error(refusal_text(found.refusal(), hub_.limits(), {}));
                          emit(render_search_results(words, found.value()));
                        });
}

}  // namespace parley::text
