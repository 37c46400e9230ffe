#include "net/tls_context.h"

#include <openssl/err.h>
#include <openssl/evp.h>
#include <openssl/pem.h>
#include <openssl/ssl.h>
#include <openssl/x509.h>

#include <fmt/format.h>

#include <cstdio>
#include <stdexcept>

namespace parley::net {

namespace {

// TLS 1.2's ciphers: forward secret, authenticated encryption only. TLS 1.3's
// own suites are all strong, and OpenSSL's defaults for them stay.
constexpr const char* kTls12Ciphers =
    "ECDHE-ECDSA-AES128-GCM-SHA256:ECDHE-RSA-AES128-GCM-SHA256:ECDHE-ECDSA-AES256-GCM-SHA384:"
    "ECDHE-RSA-AES256-GCM-SHA384:ECDHE-ECDSA-CHACHA20-POLY1305:ECDHE-RSA-CHACHA20-POLY1305";

// OpenSSL's error queue, in words, emptied.
std::string openssl_errors() {
  std::string text;
  while (const unsigned long e = ERR_get_error()) {
    char buf[256];
    ERR_error_string_n(e, buf, sizeof buf);
    if (!text.empty()) text += "; ";
    text += buf;
  }
  return text.empty() ? "unknown error" : text;
}

std::string fingerprint_of(X509* cert) {
  unsigned char digest[EVP_MAX_MD_SIZE];
  unsigned int length = 0;
  if (X509_digest(cert, EVP_sha256(), digest, &length) != 1) return {};
  std::string out;
  for (unsigned int i = 0; i < length; ++i) out += fmt::format("{}{:02X}", i ? ":" : "", digest[i]);
  return out;
}

struct Loaded {
  std::shared_ptr<SSL_CTX> context;
  std::string fingerprint;
};

Loaded load(const TlsFiles& files) {
  ERR_clear_error();
  std::shared_ptr<SSL_CTX> ctx(SSL_CTX_new(TLS_server_method()), SSL_CTX_free);
  if (!ctx) throw std::runtime_error("cannot make a TLS context: " + openssl_errors());
  SSL_CTX* c = ctx.get();
  SSL_CTX_set_min_proto_version(c, TLS1_2_VERSION);
  SSL_CTX_set_options(c, SSL_OP_NO_RENEGOTIATION | SSL_OP_NO_COMPRESSION | SSL_OP_CIPHER_SERVER_PREFERENCE |
                             SSL_OP_NO_TICKET |
                             SSL_OP_IGNORE_UNEXPECTED_EOF);  // a client gone without close_notify just left
  if (SSL_CTX_set_cipher_list(c, kTls12Ciphers) != 1)
    throw std::runtime_error("cannot set the TLS ciphers: " + openssl_errors());
  // Idle connections give their read and write buffers back (about 34 KiB
  // each); partial writes let the outbox be written block by block, and the
  // outbox may move its data between a write that would block and its retry.
  SSL_CTX_set_mode(c, SSL_MODE_RELEASE_BUFFERS | SSL_MODE_ENABLE_PARTIAL_WRITE | SSL_MODE_ACCEPT_MOVING_WRITE_BUFFER);
  // No resumption: no session memory kept per client, no tickets sent.
  SSL_CTX_set_session_cache_mode(c, SSL_SESS_CACHE_OFF);
  SSL_CTX_set_num_tickets(c, 0);
  if (SSL_CTX_use_certificate_chain_file(c, files.certificate.c_str()) != 1)
    throw std::runtime_error(
        fmt::format("cannot use the TLS certificate {}: {}", files.certificate, openssl_errors()));
  if (SSL_CTX_use_PrivateKey_file(c, files.key.c_str(), SSL_FILETYPE_PEM) != 1)
    throw std::runtime_error(fmt::format("cannot use the TLS key {}: {}", files.key, openssl_errors()));
  if (SSL_CTX_check_private_key(c) != 1)
    throw std::runtime_error(fmt::format("the TLS key {} does not match the certificate {}: {}", files.key,
                                         files.certificate, openssl_errors()));
  return Loaded{std::move(ctx), fingerprint_of(SSL_CTX_get0_certificate(c))};
}

}  // namespace

TlsContext::TlsContext(TlsFiles files) : files_(std::move(files)) {
  Loaded loaded = load(files_);
  context_ = std::move(loaded.context);
  fingerprint_ = std::move(loaded.fingerprint);
}

TlsContext::~TlsContext() = default;

void TlsContext::reload() {
  Loaded loaded = load(files_);  // outside the lock: reading files takes a while
  std::lock_guard lock(mutex_);
  context_ = std::move(loaded.context);
  fingerprint_ = std::move(loaded.fingerprint);
}

std::shared_ptr<ssl_ctx_st> TlsContext::current() const {
  std::lock_guard lock(mutex_);
  return context_;
}

std::string TlsContext::fingerprint() const {
  std::lock_guard lock(mutex_);
  return fingerprint_;
}

std::string certificate_fingerprint(const std::string& pem_path) {
  std::FILE* f = std::fopen(pem_path.c_str(), "r");
  if (!f) throw std::runtime_error(fmt::format("cannot read {}", pem_path));
  X509* cert = PEM_read_X509(f, nullptr, nullptr, nullptr);
  std::fclose(f);
  if (!cert) throw std::runtime_error(fmt::format("{} holds no PEM certificate: {}", pem_path, openssl_errors()));
  std::string fp = fingerprint_of(cert);
  X509_free(cert);
  return fp;
}

}  // namespace parley::net
