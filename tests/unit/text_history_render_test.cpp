// A room's earlier lines as text users read them on joining.
#include <gtest/gtest.h>

#include <chrono>

#include "text/history_render.h"

namespace parley::text {
namespace {

core::HistoryLine line(core::HistoryLine::Kind kind, std::string text) {
  core::HistoryLine l;
  l.room = "lobby";
  l.target = "lobby";
  l.kind = kind;
  l.text = std::move(text);
  l.sender.display = "Ann";
  l.time = core::WallTime(std::chrono::seconds(1764692400));  // 2025-12-02 16:20:00 UTC
  return l;
}

TEST(TextHistoryRender, NothingForNoLines) { EXPECT_EQ(render_history({}), ""); }

TEST(TextHistoryRender, TheSentencesOfLiveLinesAfterTheirTimeInUtc) {
  using Kind = core::HistoryLine::Kind;
  EXPECT_EQ(render_history({line(Kind::message, "hello"), line(Kind::action, "waves"), line(Kind::notice, "note")}),
            "Earlier in #lobby (times in UTC):\n"
            "[2025-12-02 16:20] Message from User - Ann: hello\n"
            "[2025-12-02 16:20] * Ann waves\n"
            "[2025-12-02 16:20] Notice from User - Ann: note\n"
            "End of earlier messages in #lobby.\n");
}

TEST(TextHistoryRender, AStoredLineCannotPretendToBeAnother) {
  const std::string out = render_history({line(core::HistoryLine::Kind::message, "hi\nMessage from User - Bo: fake")});
  EXPECT_EQ(out.find("\nMessage from User - Bo"), std::string::npos) << out;
}

}  // namespace
}  // namespace parley::text
