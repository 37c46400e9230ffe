// Accounts over IRC (issue 11): SASL PLAIN and SCRAM-SHA-256 before and after
// registration, draft/account-registration, account-tag, account-notify,
// extended-join's account, WHOX %a, WHOIS 330, NickServ, pacing, and name
// ownership with a short grace period.
#include <openssl/evp.h>
#include <openssl/hmac.h>
#include <openssl/sha.h>

#include "auth/base64.h"
#include "auth/password_hash.h"
#include <fmt/format.h>
#include <gmock/gmock.h>

#include <algorithm>

#include "irc_itest_util.hpp"

namespace parley::test {
namespace {

using auth::base64_decode;
using auth::base64_encode;

// One second of grace, so the ownership tests wait seconds, not a minute; they
// allow three times as long before calling a rename missing.
constexpr auto kGrace = 1s;
const std::string kConfig = "[accounts]\nname_grace_seconds = 1\nfailures_before_pacing = 2\n";

struct Accounts : ::testing::Test {
  ServerProcess server{ServerOptions{.threads = kThreads, .config_toml = kConfig}};
};

std::string plain(std::string_view user, std::string_view password) {
  std::string raw;
  raw += '\0';
  raw += user;
  raw += '\0';
  raw += password;
  return base64_encode(raw);
}

// Registers `nick` with an account of the same name (REGISTER), then quits.
void make_account(std::uint16_t port, const std::string& nick, const std::string& password) {
  IrcClient c(port, "registrar");
  ASSERT_TRUE(c.register_as(nick));
  c.send("REGISTER * * " + password);
  IrcMessage m;
  ASSERT_TRUE(c.expect_command("REGISTER", &m));
  ASSERT_EQ(m.param(0), "SUCCESS");
  ASSERT_TRUE(c.expect_command("900"));
  c.send("QUIT");
  ASSERT_TRUE(c.expect_closed());
}

// SASL before registration: CAP LS, REQ sasl (and `caps`), AUTHENTICATE ...
void start_sasl(IrcClient& c, std::string_view nick, std::string_view mechanism, const std::string& caps = "sasl") {
  c.send("CAP LS 302");
  c.send(fmt::format("NICK {}", nick));
  c.send("USER u 0 * :Real Name");
  IrcMessage ls;
  ASSERT_TRUE(c.expect(irc_command_param("CAP", 1, "LS"), "CAP LS", &ls));
  EXPECT_NE(ls.last().find("sasl=PLAIN,SCRAM-SHA-256"), std::string::npos) << ls.raw;
  EXPECT_NE(ls.last().find("draft/account-registration"), std::string::npos) << ls.raw;
  c.send("CAP REQ :" + caps);
  ASSERT_TRUE(c.expect(irc_command_param("CAP", 1, "ACK"), "CAP ACK"));
  c.send(fmt::format("AUTHENTICATE {}", mechanism));
  ASSERT_TRUE(c.expect_raw("AUTHENTICATE +"));
}

void finish_registration(IrcClient& c) {
  c.send("CAP END");
  ASSERT_TRUE(c.wait_for_command("001"));
  ASSERT_TRUE(c.wait_for(irc_any_of({"376", "422"}), "end of MOTD"));
}

TEST_F(Accounts, RegisterThenSaslPlainBeforeRegistration) {
  make_account(server.irc_port(), "alice", "sesame!!");
  IrcClient c(server.irc_port(), "alice");
  start_sasl(c, "alice", "PLAIN");
  c.send("AUTHENTICATE " + plain("alice", "sesame!!"));
  IrcMessage logged;
  ASSERT_TRUE(c.expect_command("900", &logged));
  EXPECT_EQ(logged.param(2), "alice");
  ASSERT_TRUE(c.expect_command("903"));
  finish_registration(c);
  // Logged in: WHOIS says so, and nobody renames the nick.
  c.send("WHOIS alice");
  IrcMessage whois;
  ASSERT_TRUE(c.wait_for_command("330", &whois));
  EXPECT_EQ(whois.param(2), "alice");
}

TEST_F(Accounts, SaslPlainWrongPasswordAbortAndUnknownMechanism) {
  make_account(server.irc_port(), "bob", "sesame!!");
  IrcClient c(server.irc_port(), "bob");
  start_sasl(c, "bob", "PLAIN");
  c.send("AUTHENTICATE " + plain("bob", "wrong"));
  ASSERT_TRUE(c.expect_command("904"));
  c.send("AUTHENTICATE PLAIN");
  ASSERT_TRUE(c.expect_raw("AUTHENTICATE +"));
  c.send("AUTHENTICATE *");
  ASSERT_TRUE(c.expect_command("906"));
  c.send("AUTHENTICATE EXTERNAL");
  IrcMessage mechs;
  ASSERT_TRUE(c.expect_command("908", &mechs));
  EXPECT_EQ(mechs.param(1), "PLAIN,SCRAM-SHA-256");
  ASSERT_TRUE(c.expect_command("904"));
  c.send("AUTHENTICATE PLAIN");
  ASSERT_TRUE(c.expect_raw("AUTHENTICATE +"));
  c.send("AUTHENTICATE !!!notbase64");
  ASSERT_TRUE(c.expect_command("904"));
}

TEST_F(Accounts, CapEndDuringAnExchangeAbortsItAndRegisters) {
  IrcClient c(server.irc_port(), "hasty");
  start_sasl(c, "hasty", "PLAIN");
  c.send("CAP END");
  ASSERT_TRUE(c.expect_command("906"));
  ASSERT_TRUE(c.expect_command("001"));
}

TEST_F(Accounts, SaslPiecesAtAndPastTheLimit) {
  IrcClient c(server.irc_port(), "pieces");
  start_sasl(c, "pieces", "PLAIN");
  c.send("AUTHENTICATE " + std::string(401, 'A'));  // past 400 bytes
  ASSERT_TRUE(c.expect_command("905"));
  c.send("AUTHENTICATE PLAIN");
  ASSERT_TRUE(c.expect_raw("AUTHENTICATE +"));
  c.send("AUTHENTICATE " + std::string(400, 'A'));  // exactly 400: more follows, no reply yet
  c.send("AUTHENTICATE +");                          // the end: 400 A's decode, but are no PLAIN message
  ASSERT_TRUE(c.expect_command("904"));
}

// The client's side of SCRAM-SHA-256, with OpenSSL, for the test.
struct ScramClient {
  explicit ScramClient(std::string pw) : password(std::move(pw)) {}
  std::string password;
  std::string nonce = "fyko+d2lbbFgONRv9qkxdawL";
  std::string first_bare;
  std::string auth_message;
  std::string server_key;

  static std::string hmac(std::string_view key, std::string_view data) {
    unsigned char out[EVP_MAX_MD_SIZE];
    unsigned len = 0;
    HMAC(EVP_sha256(), key.data(), static_cast<int>(key.size()), reinterpret_cast<const unsigned char*>(data.data()),
         data.size(), out, &len);
    return std::string(reinterpret_cast<char*>(out), len);
  }
  std::string first(std::string_view user) {
    first_bare = fmt::format("n={},r={}", user, nonce);
    return "n,," + first_bare;
  }
  std::string final_message(const std::string& server_first) {
    // r=...,s=...,i=...
    const auto r = server_first.substr(2, server_first.find(",s=") - 2);
    const auto s_at = server_first.find(",s=") + 3;
    const auto salt = base64_decode(server_first.substr(s_at, server_first.find(",i=") - s_at)).value();
    const int iterations = std::stoi(server_first.substr(server_first.find(",i=") + 3));
    unsigned char salted[32];
    PKCS5_PBKDF2_HMAC(password.data(), static_cast<int>(password.size()),
                      reinterpret_cast<const unsigned char*>(salt.data()), static_cast<int>(salt.size()), iterations,
                      EVP_sha256(), 32, salted);
    const std::string salted_password(reinterpret_cast<char*>(salted), 32);
    const std::string client_key = hmac(salted_password, "Client Key");
    unsigned char stored[32];
    SHA256(reinterpret_cast<const unsigned char*>(client_key.data()), client_key.size(), stored);
    const std::string without_proof = "c=biws,r=" + r;
    auth_message = first_bare + "," + server_first + "," + without_proof;
    const std::string signature = hmac(std::string(reinterpret_cast<char*>(stored), 32), auth_message);
    std::string proof = client_key;
    for (std::size_t i = 0; i < proof.size(); ++i) proof[i] = static_cast<char>(proof[i] ^ signature[i]);
    server_key = hmac(salted_password, "Server Key");
    return without_proof + ",p=" + base64_encode(proof);
  }
  std::string expected_server_final() const { return "v=" + base64_encode(hmac(server_key, auth_message)); }
};

TEST_F(Accounts, SaslScramSha256) {
  make_account(server.irc_port(), "carol", "pencil!!");
  IrcClient c(server.irc_port(), "carol");
  start_sasl(c, "carol", "SCRAM-SHA-256");
  ScramClient scram("pencil!!");
  c.send("AUTHENTICATE " + base64_encode(scram.first("carol")));
  IrcMessage challenge;
  ASSERT_TRUE(c.expect_command("AUTHENTICATE", &challenge));
  const std::string server_first = base64_decode(challenge.param(0)).value();
  ASSERT_TRUE(server_first.starts_with("r=" + scram.nonce)) << server_first;
  c.send("AUTHENTICATE " + base64_encode(scram.final_message(server_first)));
  IrcMessage verifier;
  ASSERT_TRUE(c.expect_command("AUTHENTICATE", &verifier));
  EXPECT_EQ(base64_decode(verifier.param(0)).value(), scram.expected_server_final());
  c.send("AUTHENTICATE +");
  ASSERT_TRUE(c.expect_command("900"));
  ASSERT_TRUE(c.expect_command("903"));
  finish_registration(c);
  c.send("AUTHENTICATE PLAIN");  // once logged in: already authenticated
  ASSERT_TRUE(c.expect_command("907"));
}

TEST_F(Accounts, SaslScramWrongPasswordAndNoSuchAccountFailAlike) {
  make_account(server.irc_port(), "dave", "pencil!!");
  for (const std::string user : {"dave", "nobody"}) {
    IrcClient c(server.irc_port(), user);
    start_sasl(c, user, "SCRAM-SHA-256");
    ScramClient scram("wrong!!!");
    c.send("AUTHENTICATE " + base64_encode(scram.first(user)));
    IrcMessage challenge;
    ASSERT_TRUE(c.expect_command("AUTHENTICATE", &challenge)) << user;
    c.send("AUTHENTICATE " + base64_encode(scram.final_message(base64_decode(challenge.param(0)).value())));
    ASSERT_TRUE(c.expect_command("904")) << user;
  }
}

TEST_F(Accounts, RegisterRefusals) {
  make_account(server.irc_port(), "erin", "sesame!!");
  IrcClient c(server.irc_port(), "erin2");
  c.send("REGISTER * * sesame!!");  // before registration, and before NICK
  IrcMessage m;
  ASSERT_TRUE(c.expect_command("FAIL", &m));
  EXPECT_EQ(body_of(m), ":parley.local FAIL REGISTER NEED_NICK * :Send NICK before REGISTER");
  ASSERT_TRUE(c.register_as("erin2"));
  c.send("REGISTER someoneelse * sesame!!");
  ASSERT_TRUE(c.expect_command("FAIL", &m));
  EXPECT_EQ(m.param(1), "ACCOUNT_NAME_MUST_BE_NICK");
  c.send("REGISTER * * short");
  ASSERT_TRUE(c.expect_command("FAIL", &m));
  EXPECT_EQ(m.param(1), "WEAK_PASSWORD");
  c.send("NICK Erin");  // the account's, in another case
  ASSERT_TRUE(c.wait_for_command("NICK"));
  c.send("REGISTER * * sesame!!");
  ASSERT_TRUE(c.wait_for_command("FAIL", &m));
  EXPECT_EQ(m.param(1), "ACCOUNT_EXISTS");
}

TEST_F(Accounts, AccountTagNotifyExtendedJoinAndWhox) {
  make_account(server.irc_port(), "frank", "sesame!!");
  IrcClient watcher(server.irc_port(), "watcher");
  ASSERT_TRUE(watcher.register_as("watcher", {.caps = "account-notify account-tag extended-join"}));
  ASSERT_TRUE(watcher.join("#acct"));
  IrcClient frank(server.irc_port(), "frank");
  ASSERT_TRUE(frank.register_as("frank"));
  ASSERT_TRUE(frank.join("#acct"));
  IrcMessage join;
  ASSERT_TRUE(watcher.wait_for_command("JOIN", &join));
  EXPECT_EQ(join.param(1), "*");  // extended-join: no account yet
  frank.send("PRIVMSG NickServ :IDENTIFY sesame!!");
  // The name-ownership warning (output of no command) may come before or after.
  auto logged_in = [](const IrcMessage& m) {
    return m.is("NOTICE") && m.source_nick() == "NickServ" && m.last().find("logged in as frank") != std::string::npos;
  };
  IrcMessage notice;
  ASSERT_TRUE(frank.wait_for(logged_in, "NickServ's 'logged in as frank'", &notice));
  IrcMessage account;
  ASSERT_TRUE(watcher.wait_for_command("ACCOUNT", &account));
  EXPECT_EQ(account.source_nick(), "frank");
  EXPECT_EQ(account.param(0), "frank");
  frank.send("PRIVMSG #acct :hello");
  IrcMessage said;
  ASSERT_TRUE(watcher.wait_for_command("PRIVMSG", &said));
  ASSERT_NE(said.tag("account"), nullptr) << said.raw;
  EXPECT_EQ(*said.tag("account"), "frank");
  watcher.send("WHO #acct %na");
  IrcMessage row;
  std::vector<IrcMessage> rows;
  ASSERT_TRUE(watcher.wait_for_command("315", nullptr, &rows));
  bool seen = false;
  for (const auto& r : rows) {
    if (r.is("354") && r.param(1) == "frank") {
      EXPECT_EQ(r.param(2), "frank");
      seen = true;
    }
    if (r.is("354") && r.param(1) == "watcher") {
      EXPECT_EQ(r.param(2), "0");
    }
  }
  EXPECT_TRUE(seen);
  // A second session may use the same account at once.
  IrcClient again(server.irc_port(), "frank2");
  ASSERT_TRUE(again.register_as("frank2"));
  again.send("PRIVMSG NickServ :IDENTIFY frank sesame!!");
  ASSERT_TRUE(again.wait_for(logged_in, "NickServ's 'logged in as frank'", &notice));
}

// An INVITE is a line from a user like any other: it carries the inviter's
// account (account-tag); and a private message's echo carries the time its
// recipient and history have, to the millisecond (irctest compares them).
TEST_F(Accounts, InviteCarriesTheAccountAndAPrivateEchoTheRecipientsTime) {
  make_account(server.irc_port(), "hal", "sesame!!");
  IrcClient hal(server.irc_port(), "hal");
  ASSERT_TRUE(hal.register_as("hal", {.caps = "echo-message server-time message-tags"}));
  hal.send("PRIVMSG NickServ :IDENTIFY sesame!!");
  ASSERT_TRUE(hal.wait_for_command("900"));
  IrcClient ivy(server.irc_port(), "ivy");
  ASSERT_TRUE(ivy.register_as("ivy", {.caps = "account-tag server-time message-tags"}));
  ASSERT_TRUE(hal.join("#den"));
  hal.send("INVITE ivy #den");
  IrcMessage invite;
  ASSERT_TRUE(ivy.wait_for_command("INVITE", &invite));
  ASSERT_NE(invite.tag("account"), nullptr) << invite.raw;
  EXPECT_EQ(*invite.tag("account"), "hal");
  for (int i = 0; i < 20; ++i) {  // a millisecond boundary falls between two clocks' reads sooner or later
    hal.send("PRIVMSG ivy :tick " + std::to_string(i));
    IrcMessage echo, got;
    ASSERT_TRUE(hal.wait_for_command("PRIVMSG", &echo));
    ASSERT_TRUE(ivy.wait_for_command("PRIVMSG", &got));
    ASSERT_TRUE(echo.tag("time") && got.tag("time")) << echo.raw;
    EXPECT_EQ(*echo.tag("time"), *got.tag("time")) << i;
    EXPECT_EQ(*echo.tag("msgid"), *got.tag("msgid"));
  }
}

TEST_F(Accounts, NickServCannotBeTakenAndAnswersInCommandOrder) {
  IrcClient c(server.irc_port(), "gina");
  ASSERT_TRUE(c.register_as("gina"));
  c.send("NICK nickserv");
  ASSERT_TRUE(c.expect_command("433"));
  // The registration's answer comes from the worker thread; the PONG after it
  // is decided at once; the client sees them in the order it asked.
  c.send("PRIVMSG NickServ :REGISTER sesame!!");
  c.send("PING :after");
  IrcMessage m;
  ASSERT_TRUE(c.expect_command("NOTICE", &m));
  EXPECT_NE(m.last().find("registered"), std::string::npos) << m.raw;
  ASSERT_TRUE(c.expect_command("900"));  // RPL_LOGGEDIN, as after SASL
  ASSERT_TRUE(c.expect_command("PONG"));
  c.send("PRIVMSG NickServ :HELP");
  ASSERT_TRUE(c.expect_command("NOTICE", &m));
  EXPECT_NE(m.last().find("IDENTIFY"), std::string::npos);
}

TEST_F(Accounts, FailedLoginsArePaced) {
  make_account(server.irc_port(), "hank", "sesame!!");
  IrcClient c(server.irc_port(), "guesser");
  ASSERT_TRUE(c.register_as("guesser"));
  IrcMessage m;
  for (int i = 0; i < 3; ++i) {  // two free failures, then the third is paced
    c.send("PRIVMSG NickServ :IDENTIFY hank wrong");
    ASSERT_TRUE(c.expect_command("NOTICE", &m));
    EXPECT_NE(m.last().find("Invalid"), std::string::npos) << m.raw;
  }
  c.send("PRIVMSG NickServ :IDENTIFY hank sesame!!");
  ASSERT_TRUE(c.expect_command("NOTICE", &m));
  EXPECT_NE(m.last().find("Too many failed logins"), std::string::npos) << m.raw;
}

// NickServ's warning that the nick is registered. Output of no command: it
// may come in the middle of the welcome burst, or after it.
bool is_warning(const IrcMessage& m) {
  return m.is("NOTICE") && m.source_nick() == "NickServ" && m.last().find("Log in within") != std::string::npos;
}

// Registers as `nick` and reads until NickServ's warning, wherever it comes.
::testing::AssertionResult register_and_expect_warning(IrcClient& c, const std::string& nick) {
  std::vector<IrcMessage> welcome;
  if (auto r = c.register_as(nick, {}, &welcome); !r) return r;
  if (std::any_of(welcome.begin(), welcome.end(), is_warning)) return ::testing::AssertionSuccess();
  return c.wait_for(is_warning, "NickServ's warning");
}

TEST_F(Accounts, ARegisteredNickIsRenamedAfterTheGracePeriod) {
  make_account(server.irc_port(), "ivy", "sesame!!");
  IrcClient c(server.irc_port(), "ivy");
  ASSERT_TRUE(register_and_expect_warning(c, "ivy"));
  IrcMessage nick;
  ASSERT_TRUE(c.wait_for_command("NICK", &nick, nullptr, 3 * kGrace + default_timeout()));
  EXPECT_TRUE(nick.last().starts_with("Guest")) << nick.raw;
  IrcMessage why;
  ASSERT_TRUE(c.expect_command("NOTICE", &why));
  EXPECT_NE(why.last().find("did not log in"), std::string::npos) << why.raw;
}

TEST_F(Accounts, LoggingInWithinTheGracePeriodKeepsTheNick) {
  make_account(server.irc_port(), "jack", "sesame!!");
  make_account(server.irc_port(), "kate", "sesame!!");
  IrcClient c(server.irc_port(), "jack");
  ASSERT_TRUE(register_and_expect_warning(c, "jack"));
  c.send("PRIVMSG NickServ :IDENTIFY sesame!!");
  ASSERT_TRUE(c.wait_for(
      [](const IrcMessage& m) { return m.is("NOTICE") && m.last().find("You are now logged in") != std::string::npos; },
      "logged in"));
  // No sleep: kate takes her registered nick after jack's grace period began
  // and never logs in. The account worker ends grace periods in the order
  // they end, so once she is renamed, jack's has ended (and was heard on his
  // loop before anything he sends now).
  IrcClient k(server.irc_port(), "kate");
  ASSERT_TRUE(register_and_expect_warning(k, "kate"));
  ASSERT_TRUE(k.wait_for_command("NICK", nullptr, nullptr, 3 * kGrace + default_timeout()));
  // WHOIS goes where names are held, behind any rename jack's loop asked for,
  // and its answer comes back behind that rename's.
  c.send("WHOIS jack");
  std::vector<IrcMessage> after;
  ASSERT_TRUE(c.wait_for_command("318", nullptr, &after));
  for (const auto& m : after) EXPECT_FALSE(m.is("NICK")) << m.raw;
  EXPECT_TRUE(std::any_of(after.begin(), after.end(), [](const IrcMessage& m) { return m.is("311") && m.param(1) == "jack"; }))
      << "jack is still jack";
}

// draft/account-registration's before-connect (irctest's
// RegisterBeforeConnectTestCase): REGISTER after NICK, before USER and CAP
// END, makes the account and logs in, as SASL would.
TEST_F(Accounts, RegisterBeforeConnectionRegistration) {
  IrcClient c(server.irc_port(), "early");
  c.send("CAP LS 302");
  IrcMessage ls;
  ASSERT_TRUE(c.expect(irc_command_param("CAP", 1, "LS"), "CAP LS", &ls));
  EXPECT_THAT(" " + ls.last() + " ", ::testing::HasSubstr(" draft/account-registration=before-connect ")) << ls.raw;
  c.send("CAP REQ :draft/account-registration");
  ASSERT_TRUE(c.expect(irc_command_param("CAP", 1, "ACK"), "CAP ACK"));
  c.send("NICK early");
  c.send("REGISTER * * sesame!!");
  IrcMessage m;
  ASSERT_TRUE(c.expect_command("REGISTER", &m));
  EXPECT_EQ(m.param(0), "SUCCESS");
  EXPECT_EQ(m.param(1), "early");
  ASSERT_TRUE(c.expect_command("900"));
  c.send("USER u 0 * :Real Name");
  finish_registration(c);
  // Logged in: WHOIS names the account, and the name is its owner's (no rename).
  c.send("WHOIS early");
  ASSERT_TRUE(c.wait_for_command("330", &m));
  EXPECT_EQ(m.param(2), "early");

  // A nick someone connected holds cannot be registered from under them.
  IrcClient grab(server.irc_port(), "grab");
  grab.send("NICK early");
  grab.send("REGISTER * * sesame!!");
  ASSERT_TRUE(grab.expect_command("FAIL", &m));
  EXPECT_EQ(m.param(1), "ACCOUNT_EXISTS");
  auto holder = std::make_unique<IrcClient>(server.irc_port(), "holder");
  ASSERT_TRUE(holder->register_as("root"));
  grab.send("NICK root");
  grab.send("REGISTER * * sesame!!");
  ASSERT_TRUE(grab.expect_command("FAIL", &m));
  EXPECT_EQ(body_of(m), ":parley.local FAIL REGISTER ACCOUNT_EXISTS root :Someone else is using that name");
  // Named for the nick only.
  grab.send("NICK grabber");
  grab.send("REGISTER other * sesame!!");
  ASSERT_TRUE(grab.expect_command("FAIL", &m));
  EXPECT_EQ(m.param(1), "ACCOUNT_NAME_MUST_BE_NICK");
}

// Not offered when the configuration says so, nor with a server password
// (REGISTER must not let a client that has not given it make an account).
TEST(RegisterBeforeConnect, NotOfferedWhenTurnedOffOrWithAServerPassword) {
  for (const std::string& config : {std::string("[accounts]\nregister_before_connect = false\n"),
                                   std::string("[irc]\npassword = \"letmein\"\n")}) {
    ServerProcess server{ServerOptions{.threads = kThreads, .config_toml = config}};
    IrcClient c(server.irc_port(), "late");
    c.send("CAP LS 302");
    IrcMessage ls;
    ASSERT_TRUE(c.expect(irc_command_param("CAP", 1, "LS"), "CAP LS", &ls));
    EXPECT_THAT(" " + ls.last() + " ", ::testing::HasSubstr(" draft/account-registration ")) << config;
    c.send("NICK late");
    c.send("REGISTER * * sesame!!");
    IrcMessage m;
    ASSERT_TRUE(c.expect_command("FAIL", &m));
    EXPECT_EQ(m.param(1), "COMPLETE_CONNECTION_REQUIRED") << config;
  }
}

TEST(HashedOperators, OperWorksWithAnArgon2idHashInTheConfig) {
  const std::string hash = auth::hash_password("opensesame", auth::HashCost::minimum());
  ServerProcess server{ServerOptions{
      .threads = kThreads,
      .config_toml = fmt::format("[[irc.operators]]\nname = \"root\"\npassword = \"{}\"\n", hash)}};
  IrcClient c(server.irc_port(), "oper");
  ASSERT_TRUE(c.register_as("oper"));
  c.send("OPER root " + hash);  // the hash itself is no password
  ASSERT_TRUE(c.expect_command("464"));
  c.send("OPER root opensesame");
  ASSERT_TRUE(c.expect_command("MODE"));
  ASSERT_TRUE(c.expect_command("381"));
}

}  // namespace
}  // namespace parley::test
