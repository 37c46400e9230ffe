#pragma once
// Helpers shared by the raw-IRC integration tests.

#include <algorithm>
#include <string>
#include <string_view>
#include <vector>

#include "irc_client.hpp"
#include "itest_util.hpp"

namespace parley::test {

// The source of a test user: IrcClient registers with "USER u ...", from loopback.
inline std::string prefix_of(std::string_view nick) { return std::string(nick) + "!~u@127.0.0.1"; }

// The body of a line: the raw line without its tag section.
inline std::string body_of(const IrcMessage& m) {
  if (!m.has_tags) return m.raw;
  return m.raw.substr(std::min(m.raw.size(), m.raw.find(' ') + 1));
}

// The msgid of the next PRIVMSG `c` reads with `text` ("" if it has none).
inline std::string msgid_of(IrcClient& c, const std::string& text) {
  IrcMessage m;
  EXPECT_TRUE(c.wait_for(
      [&](const IrcMessage& x) { return x.is("PRIVMSG") && x.last() == text; }, text, &m));
  const std::string* id = m.tag("msgid");
  return id ? *id : std::string();
}

// The texts of the PRIVMSGs in the next batch `c` reads (a CHATHISTORY
// answer), in order; lines before the batch are skipped.
inline std::vector<std::string> batch_texts(IrcClient& c) {
  std::vector<std::string> texts;
  IrcMessage start;
  EXPECT_TRUE(c.wait_for_command("BATCH", &start));
  for (;;) {
    auto m = c.next();
    if (!m) {
      ADD_FAILURE() << "the batch did not end";
      break;
    }
    if (m->is("BATCH")) break;
    if (m->is("PRIVMSG")) texts.push_back(m->last());
  }
  return texts;
}

// The texts of `target`'s latest 50 PRIVMSGs in history (CHATHISTORY LATEST),
// oldest first; `c` needs draft/chathistory and batch.
inline std::vector<std::string> history_texts(IrcClient& c, const std::string& target) {
  c.send("CHATHISTORY LATEST " + target + " * 50");
  return batch_texts(c);
}

// Registers an account named after `c`'s nick (IRCv3 REGISTER), which `c`
// is then logged in to; fails unless the server answers SUCCESS.
[[nodiscard]] inline ::testing::AssertionResult new_account(IrcClient& c, const std::string& password = "sesame!!") {
  c.send("REGISTER * * " + password);
  IrcMessage m;
  if (auto r = c.wait_for_command("REGISTER", &m); !r) return r;
  if (m.param(0) != "SUCCESS") return ::testing::AssertionFailure() << "REGISTER refused: " << m.raw;
  return c.wait_for_command("900");  // RPL_LOGGEDIN
}

}  // namespace parley::test
