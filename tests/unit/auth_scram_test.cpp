// SCRAM-SHA-256, server side, against RFC 7677's example exchange (section 3).
#include <gtest/gtest.h>

#include "auth/base64.h"
#include "auth/scram.h"

namespace parley::auth {
namespace {

constexpr std::string_view kClientFirst = "n,,n=user,r=rOprNGfwEbeRWgbNEkqO";
constexpr std::string_view kServerNonce = "%hvYDpWUa2RaTCAfuxFIlj)hNlF$k0";
constexpr std::string_view kServerFirst =
    "r=rOprNGfwEbeRWgbNEkqO%hvYDpWUa2RaTCAfuxFIlj)hNlF$k0,s=W22ZaJ0SNY7soEsUEjb6gQ==,i=4096";
constexpr std::string_view kClientFinal =
    "c=biws,r=rOprNGfwEbeRWgbNEkqO%hvYDpWUa2RaTCAfuxFIlj)hNlF$k0,p=dHzbZapWIk4jUhN+Ute9ytag9zjfMHgsqmmiz7AndVQ=";
constexpr std::string_view kServerFinal = "v=6rriTRBi23WpRR/wtup+mMhUZUn/dB5nLTJRsjl95G4=";

ScramCredentials pencil() {
  return make_scram_credentials("pencil", base64_decode("W22ZaJ0SNY7soEsUEjb6gQ==").value(), 4096);
}

TEST(Scram, Rfc7677ExampleExchange) {
  ScramServer server{std::string(kServerNonce)};
  ASSERT_TRUE(server.receive_client_first(kClientFirst)) << server.error();
  EXPECT_EQ(server.user(), "user");
  EXPECT_EQ(server.state(), ScramServer::State::want_credentials);
  EXPECT_EQ(server.server_first(pencil()), kServerFirst);
  ASSERT_TRUE(server.receive_client_final(kClientFinal)) << server.error();
  EXPECT_EQ(server.server_final(), kServerFinal);
  EXPECT_EQ(server.state(), ScramServer::State::succeeded);
}

TEST(Scram, WrongPasswordFailsAtTheProof) {
  ScramServer server{std::string(kServerNonce)};
  ASSERT_TRUE(server.receive_client_first(kClientFirst));
  server.server_first(make_scram_credentials("pencil2", base64_decode("W22ZaJ0SNY7soEsUEjb6gQ==").value(), 4096));
  EXPECT_FALSE(server.receive_client_final(kClientFinal));
  EXPECT_EQ(server.state(), ScramServer::State::failed);
  EXPECT_EQ(server.error(), "wrong password");
  EXPECT_TRUE(server.server_final().empty());
}

TEST(Scram, TamperedFinalMessagesFail) {
  const std::string final_message(kClientFinal);
  const std::vector<std::string> bad = {
      "c=eSws,r=rOprNGfwEbeRWgbNEkqO%hvYDpWUa2RaTCAfuxFIlj)hNlF$k0,p=dHzbZapWIk4jUhN+Ute9ytag9zjfMHgsqmmiz7AndVQ=",
      "c=biws,r=rOprNGfwEbeRWgbNEkqO,p=dHzbZapWIk4jUhN+Ute9ytag9zjfMHgsqmmiz7AndVQ=",
      "c=biws,r=rOprNGfwEbeRWgbNEkqO%hvYDpWUa2RaTCAfuxFIlj)hNlF$k0,p=AAAA",
      "c=biws,r=rOprNGfwEbeRWgbNEkqO%hvYDpWUa2RaTCAfuxFIlj)hNlF$k0",
      final_message.substr(0, final_message.size() - 2) + "A=",
  };
  for (const std::string& message : bad) {
    ScramServer server{std::string(kServerNonce)};
    ASSERT_TRUE(server.receive_client_first(kClientFirst));
    server.server_first(pencil());
    EXPECT_FALSE(server.receive_client_final(message)) << message;
  }
}

TEST(Scram, MalformedOrUnsupportedFirstMessagesFail) {
  for (std::string_view message : {"", "n,,", "n,,n=user", "x,,n=user,r=abc", "p=tls-unique,,n=user,r=abc",
                                   "n,,n=us=er,r=abc", "n,,n=,r=abc", "n,,n=user,r=", "n,,n=user,r=abc,m=ext",
                                   "n,a=other,n=user,r=abc"}) {
    ScramServer server;
    EXPECT_FALSE(server.receive_client_first(message)) << message;
    EXPECT_EQ(server.state(), ScramServer::State::failed);
  }
}

TEST(Scram, SaslNamesAreDecodedAndAuthzidMayNameTheUser) {
  ScramServer server;
  ASSERT_TRUE(server.receive_client_first("y,a=a=2Cb=3Dc,n=a=2Cb=3Dc,r=xyz")) << server.error();
  EXPECT_EQ(server.user(), "a,b=c");
}

TEST(Scram, MessagesOverTheLimitFail) {
  ScramServer at_limit;
  std::string message = "n,,n=user,r=";
  message += std::string(ScramServer::kMaxMessage - message.size(), 'x');
  EXPECT_TRUE(at_limit.receive_client_first(message));
  ScramServer past;
  EXPECT_FALSE(past.receive_client_first(message + "x"));
}

TEST(Scram, OutOfOrderStepsFail) {
  ScramServer server;
  EXPECT_FALSE(server.receive_client_final(kClientFinal));
  EXPECT_EQ(server.state(), ScramServer::State::failed);
}

TEST(Scram, FreshCredentialsHaveRandomSaltsAndTheDefaultIterations) {
  const auto a = make_scram_credentials("pw");
  const auto b = make_scram_credentials("pw");
  EXPECT_EQ(a.iterations, kScramIterations);
  EXPECT_EQ(a.salt.size(), 16u);
  EXPECT_NE(a.salt, b.salt);
  EXPECT_NE(a.stored_key, b.stored_key);
  EXPECT_EQ(a.stored_key.size(), 32u);
}

}  // namespace
}  // namespace parley::auth
