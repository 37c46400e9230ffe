// src/web's decisions without I/O: who may open a WebSocket, which IRCv3
// subprotocol it speaks, text frames' UTF-8, and what each path answers.
#include <gtest/gtest.h>

#include "web/handshake_policy.h"
#include "web/routes.h"

namespace parley::web {
namespace {

TEST(WebOrigin, SameOriginAndNoOriginAreAllowed) {
  EXPECT_TRUE(origin_allowed("", "127.0.0.1:8080", {}));
  EXPECT_TRUE(origin_allowed("http://127.0.0.1:8080", "127.0.0.1:8080", {}));
  EXPECT_TRUE(origin_allowed("https://Chat.Example", "chat.example", {}));
  EXPECT_FALSE(origin_allowed("http://127.0.0.1:8081", "127.0.0.1:8080", {}));
  EXPECT_FALSE(origin_allowed("http://evil.example", "127.0.0.1:8080", {}));
  EXPECT_FALSE(origin_allowed("null", "127.0.0.1:8080", {}));
  EXPECT_FALSE(origin_allowed("ftp://127.0.0.1:8080", "127.0.0.1:8080", {}));
}

TEST(WebOrigin, ListedOriginsAndTheWildcardAreAllowed) {
  const std::vector<std::string> listed{"https://chat.example"};
  EXPECT_TRUE(origin_allowed("https://chat.example", "127.0.0.1:8080", listed));
  EXPECT_FALSE(origin_allowed("https://chat.example.evil", "127.0.0.1:8080", listed));
  EXPECT_FALSE(origin_allowed("http://chat.example", "127.0.0.1:8080", listed));
  EXPECT_TRUE(origin_allowed("http://anything", "127.0.0.1:8080", {"*"}));
}

TEST(WebSubprotocol, TheFirstIrcv3OneOfferedIsChosen) {
  auto chosen = choose_subprotocol("chat, binary.ircv3.net, text.ircv3.net");
  ASSERT_TRUE(chosen);
  EXPECT_EQ(chosen->name, "binary.ircv3.net");
  EXPECT_EQ(chosen->framing, Framing::binary);
  chosen = choose_subprotocol("text.ircv3.net,binary.ircv3.net");
  ASSERT_TRUE(chosen);
  EXPECT_EQ(chosen->name, "text.ircv3.net");
  chosen = choose_subprotocol("");
  ASSERT_TRUE(chosen);
  EXPECT_EQ(chosen->name, "");
  EXPECT_EQ(chosen->framing, Framing::text);
  EXPECT_FALSE(choose_subprotocol("chat, superchat"));
}

TEST(WebUtf8, InvalidBytesBecomeReplacementCharacters) {
  EXPECT_EQ(to_valid_utf8("plain"), "plain");
  EXPECT_EQ(to_valid_utf8("caf\xC3\xA9 \xF0\x9F\x91\x8B"), "caf\xC3\xA9 \xF0\x9F\x91\x8B");
  EXPECT_EQ(to_valid_utf8("caf\xE9"), "caf\xEF\xBF\xBD");
  EXPECT_EQ(to_valid_utf8("\xC0\xAF"), "\xEF\xBF\xBD\xEF\xBF\xBD");                  // overlong
  EXPECT_EQ(to_valid_utf8("\xED\xA0\x80"), "\xEF\xBF\xBD\xEF\xBF\xBD\xEF\xBF\xBD");  // a surrogate
  EXPECT_EQ(to_valid_utf8("\xE2\x82"), "\xEF\xBF\xBD\xEF\xBF\xBD");                  // cut short
}

std::string header(const Reply& r, const std::string& name) {
  for (const auto& [n, v] : r.headers)
    if (n == name) return v;
  return {};
}

TEST(WebRoutes, TheClientIsServedWithItsTypeAndPolicy) {
  const Reply index = route("GET", "/", "", nullptr);
  EXPECT_EQ(index.status, 200u);
  EXPECT_EQ(header(index, "Content-Type"), "text/html; charset=utf-8");
  EXPECT_NE(header(index, "Content-Security-Policy").find("script-src 'self'"), std::string::npos);
  EXPECT_EQ(route("GET", "/index.html?x=1", "", nullptr).body, index.body);
  EXPECT_EQ(header(route("GET", "/app.js", "", nullptr), "Content-Type"), "text/javascript; charset=utf-8");
  const Reply again = route("GET", "/", header(index, "ETag"), nullptr);
  EXPECT_EQ(again.status, 304u);
  EXPECT_TRUE(again.body.empty());
  const Reply head = route("HEAD", "/", "", nullptr);
  EXPECT_EQ(head.status, 200u);
  EXPECT_TRUE(head.body.empty());
  EXPECT_EQ(head.content_length, index.body.size());
}

TEST(WebRoutes, ProbesMissingPathsAndOtherMethods) {
  EXPECT_EQ(route("GET", "/healthz", "", nullptr).body, "ok\n");
  EXPECT_EQ(route("GET", "/metrics", "", [] { return std::string("x 1\n"); }).body, "x 1\n");
  EXPECT_EQ(route("GET", "/../etc/passwd", "", nullptr).status, 404u);
  EXPECT_EQ(route("GET", "/nope", "", nullptr).status, 404u);
  const Reply post = route("POST", "/", "", nullptr);
  EXPECT_EQ(post.status, 405u);
  EXPECT_EQ(header(post, "Allow"), "GET, HEAD");
}

}  // namespace
}  // namespace parley::web
