// Which first lines on the text port are another protocol: only lines that
// are plainly IRC registration or an HTTP request line; everything else is
// the seed's conversation (a name first).
#include <gtest/gtest.h>

#include "text/port_sniffing.h"

namespace parley::text {
namespace {

FirstLines classify(std::vector<std::string> lines) { return classify_first_lines(lines); }

TEST(TextPortSniffing, CapLsIsIrc) {
  EXPECT_EQ(classify({"CAP LS"}), FirstLines::irc);
  EXPECT_EQ(classify({"CAP LS 302"}), FirstLines::irc);
}

TEST(TextPortSniffing, NickThenUserIsIrc) {
  EXPECT_EQ(classify({"NICK zoe"}), FirstLines::undecided);
  EXPECT_EQ(classify({"NICK zoe", "USER zoe 0 * :Zoe Washburne"}), FirstLines::irc);
  EXPECT_EQ(classify({"NICK :zoe", "USER zoe 0 * zoe"}), FirstLines::irc);
}

TEST(TextPortSniffing, NamesThatOnlyLookLikeIrcAreNames) {
  EXPECT_EQ(classify({"CAP"}), FirstLines::text);
  EXPECT_EQ(classify({"CAP LS please"}), FirstLines::text);
  EXPECT_EQ(classify({"cap ls"}), FirstLines::text);
  EXPECT_EQ(classify({"CAPTAIN LS"}), FirstLines::text);
  EXPECT_EQ(classify({"NICKY"}), FirstLines::text);
  EXPECT_EQ(classify({"NICK"}), FirstLines::text);
  EXPECT_EQ(classify({"NICK Van Dyke"}), FirstLines::text);
  EXPECT_EQ(classify({"Nick Jones"}), FirstLines::text);
  EXPECT_EQ(classify({"Raj Ingle"}), FirstLines::text);
  EXPECT_EQ(classify({"LEAVE"}), FirstLines::text);
}

TEST(TextPortSniffing, NickThenAnythingButUserIsText) {
  EXPECT_EQ(classify({"NICK Jones", "hello everyone"}), FirstLines::text);
  EXPECT_EQ(classify({"NICK Jones", "USER"}), FirstLines::text);
  EXPECT_EQ(classify({"NICK Jones", "USER manual is missing"}), FirstLines::text);
}

TEST(TextPortSniffing, HttpRequestLineIsHttp) {
  EXPECT_EQ(classify({"GET / HTTP/1.1"}), FirstLines::http);
  EXPECT_EQ(classify({"HEAD /index.html HTTP/1.0"}), FirstLines::http);
  EXPECT_EQ(classify({"GET /"}), FirstLines::text);
  EXPECT_EQ(classify({"GET / over here"}), FirstLines::text);
  EXPECT_EQ(classify({"get / http/1.1"}), FirstLines::text);
}

TEST(TextPortSniffing, HttpAnswerIsAWholeResponseNamingTheWebPort) {
  const std::string answer = http_answer_for_text_port(8081);
  ASSERT_TRUE(answer.starts_with("HTTP/1.1 400 Bad Request\r\n"));
  const auto body_at = answer.find("\r\n\r\n");
  ASSERT_NE(body_at, std::string::npos);
  const std::string body = answer.substr(body_at + 4);
  EXPECT_NE(body.find("8081"), std::string::npos);
  EXPECT_NE(answer.find("Content-Length: " + std::to_string(body.size()) + "\r\n"), std::string::npos);
  EXPECT_NE(answer.find("Connection: close\r\n"), std::string::npos);
}

}  // namespace
}  // namespace parley::text
