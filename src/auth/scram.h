#pragma once
// SCRAM-SHA-256 (RFC 5802, RFC 7677), the server's side, without channel
// binding (no -PLUS). The server keeps only the salted keys (StoredKey,
// ServerKey), never the password, and the client proves it knows the password
// without sending it.
//
// One exchange:
//   client-first  -> receive_client_first()  yields the user name; fetch their credentials
//   server-first  <- server_first(credentials)
//   client-final  -> receive_client_final()  checks the proof
//   server-final  <- server_final()          proves the server knew the keys too
// Passwords are used as the UTF-8 bytes given (no SASLprep), as registration stored them.
#include <cstdint>
#include <string>
#include <string_view>

namespace parley::auth {

struct ScramCredentials {
  std::string salt;             // raw bytes
  std::uint32_t iterations = 0;
  std::string stored_key;       // H(HMAC(SaltedPassword, "Client Key")), 32 raw bytes
  std::string server_key;       // HMAC(SaltedPassword, "Server Key"), 32 raw bytes
  friend bool operator==(const ScramCredentials&, const ScramCredentials&) = default;
};

inline constexpr std::uint32_t kScramIterations = 4096;  // RFC 7677's minimum

ScramCredentials make_scram_credentials(std::string_view password, std::string_view salt,
                                        std::uint32_t iterations = kScramIterations);
// With a fresh random 16-byte salt.
ScramCredentials make_scram_credentials(std::string_view password);

class ScramServer {
 public:
  enum class State { want_client_first, want_credentials, want_client_final, succeeded, failed };

  // `server_nonce`: printable, no ','; random when empty (tests give RFC 7677's).
  explicit ScramServer(std::string server_nonce = {});

  // False (and failed) for a malformed message, channel binding asked for, or
  // an authzid other than the user. Longer than kMaxMessage: malformed.
  bool receive_client_first(std::string_view message);
  // The authentication identity, "=2C"/"=3D" decoded.
  const std::string& user() const { return user_; }
  // The challenge for the user's credentials. For a user without an account,
  // pass made-up credentials: the exchange then fails at the proof, as for a
  // wrong password, so names cannot be probed.
  std::string server_first(const ScramCredentials& credentials);
  // False (and failed) for a malformed message or a wrong proof.
  bool receive_client_final(std::string_view message);
  // "v=..." once succeeded.
  const std::string& server_final() const { return server_final_; }
  State state() const { return state_; }
  const std::string& error() const { return error_; }

  static constexpr std::size_t kMaxMessage = 1024;

 private:
  bool fail(std::string why);

  State state_ = State::want_client_first;
  std::string server_nonce_;
  std::string gs2_header_;
  std::string client_first_bare_;
  std::string client_nonce_;
  std::string user_;
  std::string server_first_;
  ScramCredentials credentials_;
  std::string server_final_;
  std::string error_;
};

}  // namespace parley::auth
