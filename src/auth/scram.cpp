#include "auth/scram.h"

#include <openssl/evp.h>
#include <openssl/hmac.h>
#include <openssl/sha.h>

#include <stdexcept>
#include <vector>

#include "auth/base64.h"
#include "auth/secret.h"

namespace parley::auth {

namespace {

std::string hmac_sha256(std::string_view key, std::string_view data) {
  unsigned char out[EVP_MAX_MD_SIZE];
  unsigned int length = 0;
  if (!HMAC(EVP_sha256(), key.data(), static_cast<int>(key.size()), reinterpret_cast<const unsigned char*>(data.data()),
            data.size(), out, &length)) {
    throw std::runtime_error("HMAC-SHA-256 failed");
  }
  return std::string(reinterpret_cast<char*>(out), length);
}

std::string sha256(std::string_view data) {
  unsigned char out[SHA256_DIGEST_LENGTH];
  SHA256(reinterpret_cast<const unsigned char*>(data.data()), data.size(), out);
  return std::string(reinterpret_cast<char*>(out), sizeof out);
}

std::string xor_bytes(std::string_view a, std::string_view b) {
  std::string out(a);
  for (std::size_t i = 0; i < out.size() && i < b.size(); ++i) out[i] = static_cast<char>(out[i] ^ b[i]);
  return out;
}

// "a=x,b=y,..." split on ','.
std::vector<std::string_view> fields(std::string_view message) {
  std::vector<std::string_view> out;
  for (std::size_t start = 0;;) {
    const auto comma = message.find(',', start);
    out.push_back(message.substr(start, comma == std::string_view::npos ? std::string_view::npos : comma - start));
    if (comma == std::string_view::npos) return out;
    start = comma + 1;
  }
}

// The value of "k=value", or false.
bool value_of(std::string_view field, char key, std::string_view& value) {
  if (field.size() < 2 || field[0] != key || field[1] != '=') return false;
  value = field.substr(2);
  return true;
}

// saslname: "=2C" is ',', "=3D" is '='; any other '=' is malformed.
bool decode_saslname(std::string_view text, std::string& out) {
  out.clear();
  for (std::size_t i = 0; i < text.size(); ++i) {
    if (text[i] != '=') {
      out += text[i];
      continue;
    }
    const auto code = text.substr(i + 1, 2);
    if (code == "2C") out += ',';
    else if (code == "3D") out += '=';
    else return false;
    i += 2;
  }
  return true;
}

bool printable_nonce(std::string_view nonce) {
  if (nonce.empty()) return false;
  for (char c : nonce) {
    if (c < 0x21 || c > 0x7E || c == ',') return false;
  }
  return true;
}

}  // namespace

ScramCredentials make_scram_credentials(std::string_view password, std::string_view salt, std::uint32_t iterations) {
  unsigned char salted[SHA256_DIGEST_LENGTH];
  if (PKCS5_PBKDF2_HMAC(password.data(), static_cast<int>(password.size()),
                        reinterpret_cast<const unsigned char*>(salt.data()), static_cast<int>(salt.size()),
                        static_cast<int>(iterations), EVP_sha256(), sizeof salted, salted) != 1) {
    throw std::runtime_error("PBKDF2 failed");
  }
  const std::string_view salted_password(reinterpret_cast<char*>(salted), sizeof salted);
  ScramCredentials c;
  c.salt = std::string(salt);
  c.iterations = iterations;
  c.stored_key = sha256(hmac_sha256(salted_password, "Client Key"));
  c.server_key = hmac_sha256(salted_password, "Server Key");
  return c;
}

ScramCredentials make_scram_credentials(std::string_view password) {
  return make_scram_credentials(password, random_bytes(16));
}

ScramServer::ScramServer(std::string server_nonce) : server_nonce_(std::move(server_nonce)) {
  if (server_nonce_.empty()) server_nonce_ = base64_encode(random_bytes(18));
}

bool ScramServer::fail(std::string why) {
  state_ = State::failed;
  error_ = std::move(why);
  return false;
}

bool ScramServer::receive_client_first(std::string_view message) {
  if (state_ != State::want_client_first) return fail("out of order");
  if (message.size() > kMaxMessage) return fail("message too long");
  // gs2-header: cbind-flag "," [authzid] ","
  const auto f = fields(message);
  if (f.size() < 4) return fail("malformed client-first-message");
  if (f[0] == "p" || f[0].starts_with("p=")) return fail("channel binding is not supported");
  if (f[0] != "n" && f[0] != "y") return fail("malformed channel binding flag");
  std::string authzid;
  std::string_view raw;
  if (!f[1].empty() && (!value_of(f[1], 'a', raw) || !decode_saslname(raw, authzid))) {
    return fail("malformed authzid");
  }
  gs2_header_ = std::string(message.substr(0, f[0].size() + f[1].size() + 2));
  client_first_bare_ = std::string(message.substr(gs2_header_.size()));
  if (!value_of(f[2], 'n', raw) || !decode_saslname(raw, user_) || user_.empty()) return fail("malformed user name");
  std::string_view nonce;
  if (!value_of(f[3], 'r', nonce) || !printable_nonce(nonce)) return fail("malformed nonce");
  for (std::size_t i = 4; i < f.size(); ++i) {
    if (f[i].starts_with("m=")) return fail("unsupported mandatory extension");
  }
  if (!authzid.empty() && authzid != user_) return fail("authzid differs from the user");
  client_nonce_ = std::string(nonce);
  state_ = State::want_credentials;
  return true;
}

std::string ScramServer::server_first(const ScramCredentials& credentials) {
  if (state_ != State::want_credentials) {
    fail("out of order");
    return {};
  }
  credentials_ = credentials;
  server_first_ = "r=" + client_nonce_ + server_nonce_ + ",s=" + base64_encode(credentials.salt) +
                  ",i=" + std::to_string(credentials.iterations);
  state_ = State::want_client_final;
  return server_first_;
}

bool ScramServer::receive_client_final(std::string_view message) {
  if (state_ != State::want_client_final) return fail("out of order");
  if (message.size() > kMaxMessage) return fail("message too long");
  const auto proof_at = message.rfind(",p=");
  if (proof_at == std::string_view::npos) return fail("malformed client-final-message");
  const std::string_view without_proof = message.substr(0, proof_at);
  const auto f = fields(without_proof);
  std::string_view binding;
  std::string_view nonce;
  if (f.size() < 2 || !value_of(f[0], 'c', binding) || !value_of(f[1], 'r', nonce)) {
    return fail("malformed client-final-message");
  }
  if (binding != base64_encode(gs2_header_)) return fail("channel binding differs");
  if (nonce != client_nonce_ + server_nonce_) return fail("nonce differs");
  const auto proof = base64_decode(message.substr(proof_at + 3));
  if (!proof || proof->size() != credentials_.stored_key.size()) return fail("malformed proof");

  const std::string auth_message = client_first_bare_ + "," + server_first_ + "," + std::string(without_proof);
  const std::string client_signature = hmac_sha256(credentials_.stored_key, auth_message);
  const std::string client_key = xor_bytes(*proof, client_signature);
  if (!same_secret(sha256(client_key), credentials_.stored_key)) return fail("wrong password");
  server_final_ = "v=" + base64_encode(hmac_sha256(credentials_.server_key, auth_message));
  state_ = State::succeeded;
  return true;
}

}  // namespace parley::auth
