// /search: what was said in the user's rooms (and, logged in, private
// conversations), found by words in the server's history (SQLite FTS5).
#include <fmt/format.h>

#include "text/command_line.h"
#include "text/history_render.h"
#include "text/refusal_text.h"
#include "text/text_session.h"

namespace parley::text {

void TextSession::cmd_search(std::string_view args) {
  if (!hub_.history().enabled()) return send_error("this server keeps no history to search.");
  constexpr std::string_view kBest = "--best";
  std::string room_key;
  bool best = false;
  std::string_view words = args;
  // Before the words, in either order: a room, and --best (relevance order).
  for (;;) {
    const FirstArg first = split_first_arg(words);
    if (first.arg == kBest && !best) {
      best = true;
    } else if (first.arg.starts_with('#') && room_key.empty()) {
      auto room = core::check_room_name(first.arg, hub_.limits().room_chars);
      if (!room.ok()) return send_error(refusal_text(room.refusal(), hub_.limits(), first.arg));
      room_key = room.value().key;
    } else {
      break;
    }
    words = first.rest;
  }
  if (words.find_first_not_of(" \t*") == std::string_view::npos) return send("Usage: /search [#ROOM] [--best] WORDS");
  core::SearchQuery query;
  query.words = std::string(words);
  query.limit = 20;
  query.newest_first = !best;
  hub_.history().search(ref_, room_key, std::move(query),
                        [this, words = std::string(words), best](core::Result<std::vector<core::HistoryLine>> found) {
                          if (!found.ok()) return send_error(refusal_text(found.refusal(), hub_.limits(), {}));
                          emit(render_search_results(words, found.value(),
                                                     best ? SearchOrder::best_first : SearchOrder::newest_first));
                        });
}

}  // namespace parley::text
