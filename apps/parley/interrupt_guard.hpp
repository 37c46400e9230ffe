#pragma once
// Ctrl-C at a terminal: with nothing typed it quits; with a draft it first
// asks, and throws the draft away when pressed again with the draft
// unchanged (so a line is never lost to one stray key); once the line is
// empty, the next one quits. Pure, for tests.

#include <optional>
#include <string>
#include <string_view>

namespace parley::client {

class InterruptGuard {
 public:
  enum class Decision { quit, ask, discard };

  Decision on_interrupt(std::string_view draft) {
    if (draft.empty()) return Decision::quit;
    if (asked_about_ && *asked_about_ == draft) {
      asked_about_.reset();
      return Decision::discard;
    }
    asked_about_ = std::string(draft);
    return Decision::ask;
  }

 private:
  std::optional<std::string> asked_about_;  // the draft the last question was about
};

}  // namespace parley::client
