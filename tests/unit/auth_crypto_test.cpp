// Password hashing, base64, SASL PLAIN and constant-time comparison.
#include <gtest/gtest.h>

#include "auth/base64.h"
#include "auth/password_hash.h"
#include "auth/sasl_plain.h"
#include "auth/secret.h"

namespace parley::auth {
namespace {

TEST(PasswordHash, VerifiesTheRightPasswordOnly) {
  const std::string hash = hash_password("correct horse", HashCost::minimum());
  EXPECT_TRUE(hash.starts_with("$argon2id$"));
  EXPECT_TRUE(verify_password(hash, "correct horse"));
  EXPECT_FALSE(verify_password(hash, "correct hors"));
  EXPECT_FALSE(verify_password(hash, "correct horse "));
}

TEST(PasswordHash, EachHashHasItsOwnSalt) {
  EXPECT_NE(hash_password("same", HashCost::minimum()), hash_password("same", HashCost::minimum()));
}

TEST(PasswordHash, TextThatIsNoHashVerifiesNothing) {
  EXPECT_FALSE(is_password_hash("hunter2"));
  EXPECT_FALSE(verify_password("hunter2", "hunter2"));
  EXPECT_FALSE(verify_password("$argon2id$garbage", "x"));
  EXPECT_FALSE(is_password_hash("$argon2i$v=19$m=4096,t=3,p=1$c2FsdA$aGFzaA"));  // argon2i, not id
}

TEST(PasswordHash, DefaultCostIsInteractiveAndStillVerifies) {
  const std::string hash = hash_password("pw");
  EXPECT_NE(hash.find("m=65536"), std::string::npos) << hash;
  EXPECT_TRUE(verify_password(hash, "pw"));
}

TEST(Base64, RoundTripsAndRejectsGarbage) {
  EXPECT_EQ(base64_encode(std::string("\0a\0b", 4)), "AGEAYg==");
  EXPECT_EQ(base64_decode("AGEAYg==").value(), std::string("\0a\0b", 4));
  EXPECT_EQ(base64_encode(""), "");
  EXPECT_EQ(base64_decode("").value(), "");
  EXPECT_FALSE(base64_decode("AGEAYg=").has_value());
  EXPECT_FALSE(base64_decode("AG!AYg==").has_value());
  EXPECT_FALSE(base64_decode("AGEAYg==x").has_value());
}

TEST(SaslPlain, ParsesThreeFields) {
  const auto c = parse_sasl_plain(std::string("\0jilles\0sesame", 14));
  ASSERT_TRUE(c);
  EXPECT_EQ(c->authzid, "");
  EXPECT_EQ(c->authcid, "jilles");
  EXPECT_EQ(c->password, "sesame");
  const auto z = parse_sasl_plain(std::string("admin\0jilles\0se same", 20));
  ASSERT_TRUE(z);
  EXPECT_EQ(z->authzid, "admin");
  EXPECT_EQ(z->password, "se same");
}

TEST(SaslPlain, RejectsMalformed) {
  EXPECT_FALSE(parse_sasl_plain("jilles"));
  EXPECT_FALSE(parse_sasl_plain(std::string("\0jilles", 7)));
  EXPECT_FALSE(parse_sasl_plain(std::string("\0\0sesame", 8)));      // no authcid
  EXPECT_FALSE(parse_sasl_plain(std::string("\0jilles\0", 8)));      // no password
  EXPECT_FALSE(parse_sasl_plain(std::string("\0a\0b\0c", 6)));       // a third NUL
}

TEST(SameSecret, ComparesContentAndLength) {
  EXPECT_TRUE(same_secret("abc", "abc"));
  EXPECT_TRUE(same_secret("", ""));
  EXPECT_FALSE(same_secret("abc", "abd"));
  EXPECT_FALSE(same_secret("abc", "abcd"));
  EXPECT_FALSE(same_secret("", "a"));
}

TEST(RandomBytes, GivesWhatWasAskedAndDiffers) {
  EXPECT_EQ(random_bytes(16).size(), 16u);
  EXPECT_NE(random_bytes(16), random_bytes(16));
}

}  // namespace
}  // namespace parley::auth
