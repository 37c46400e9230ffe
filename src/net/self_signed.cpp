#include "net/self_signed.h"

#include <fcntl.h>
#include <unistd.h>

#include <openssl/bn.h>
#include <openssl/err.h>
#include <openssl/evp.h>
#include <openssl/pem.h>
#include <openssl/x509.h>
#include <openssl/x509v3.h>

#include <fmt/format.h>

#include <cstdio>
#include <cstring>
#include <filesystem>
#include <memory>
#include <stdexcept>

namespace parley::net {

namespace {

constexpr long kValidSeconds = 5L * 365 * 24 * 3600;

template <class T, void (*Free)(T*)>
struct Freer {
  void operator()(T* p) const { Free(p); }
};
using KeyPtr = std::unique_ptr<EVP_PKEY, Freer<EVP_PKEY, EVP_PKEY_free>>;
using CertPtr = std::unique_ptr<X509, Freer<X509, X509_free>>;
using ExtPtr = std::unique_ptr<X509_EXTENSION, Freer<X509_EXTENSION, X509_EXTENSION_free>>;

[[noreturn]] void fail(const std::string& what) {
  const unsigned long e = ERR_get_error();
  char buf[256] = "unknown error";
  if (e) ERR_error_string_n(e, buf, sizeof buf);
  ERR_clear_error();
  throw std::runtime_error(fmt::format("cannot make a self-signed TLS certificate: {}: {}", what, buf));
}

void add_extension(X509* cert, int nid, const std::string& value) {
  X509V3_CTX ctx;
  X509V3_set_ctx_nodb(&ctx);
  X509V3_set_ctx(&ctx, cert, cert, nullptr, nullptr, 0);
  ExtPtr ext(X509V3_EXT_conf_nid(nullptr, &ctx, nid, value.c_str()));
  if (!ext || X509_add_ext(cert, ext.get(), -1) != 1) fail("extension " + value);
}

CertPtr make_certificate(EVP_PKEY* key, const std::string& host_name) {
  CertPtr cert(X509_new());
  if (!cert) fail("X509_new");
  X509_set_version(cert.get(), 2);  // v3, for the extensions
  // A random serial: a client that saw an earlier certificate of the same name
  // must not take this one for it.
  BIGNUM* serial = BN_new();
  if (!serial || BN_rand(serial, 63, BN_RAND_TOP_ANY, BN_RAND_BOTTOM_ANY) != 1 ||
      !BN_to_ASN1_INTEGER(serial, X509_get_serialNumber(cert.get()))) {
    BN_free(serial);
    fail("serial number");
  }
  BN_free(serial);
  X509_gmtime_adj(X509_getm_notBefore(cert.get()), -3600);  // clocks a little behind still accept it
  X509_gmtime_adj(X509_getm_notAfter(cert.get()), kValidSeconds);
  X509_NAME* name = X509_get_subject_name(cert.get());
  X509_NAME_add_entry_by_txt(name, "O", MBSTRING_ASC, reinterpret_cast<const unsigned char*>("Parley"), -1, -1, 0);
  X509_NAME_add_entry_by_txt(name, "CN", MBSTRING_ASC, reinterpret_cast<const unsigned char*>(host_name.c_str()), -1,
                             -1, 0);
  X509_set_issuer_name(cert.get(), name);
  if (X509_set_pubkey(cert.get(), key) != 1) fail("public key");
  add_extension(cert.get(), NID_basic_constraints, "critical,CA:FALSE");
  add_extension(cert.get(), NID_ext_key_usage, "serverAuth");
  add_extension(cert.get(), NID_subject_alt_name, fmt::format("DNS:{},DNS:localhost,IP:127.0.0.1", host_name));
  if (X509_sign(cert.get(), key, EVP_sha256()) == 0) fail("signing");
  return cert;
}

// Writes `path` through a temporary file renamed over it, so a crash leaves
// no half-written key; `mode` from the start (0600: never readable by others).
template <class Write>
void write_file(const std::string& path, mode_t mode, Write&& write) {
  const std::string temporary = path + ".new";
  ::unlink(temporary.c_str());
  const int fd = ::open(temporary.c_str(), O_WRONLY | O_CREAT | O_EXCL | O_CLOEXEC, mode);
  if (fd < 0) throw std::runtime_error(fmt::format("cannot create {}: {}", temporary, std::strerror(errno)));
  std::FILE* f = ::fdopen(fd, "w");
  if (!f) {
    ::close(fd);
    throw std::runtime_error(fmt::format("cannot write {}", temporary));
  }
  const bool written = write(f);
  const bool closed = std::fclose(f) == 0;
  if (!written || !closed || std::rename(temporary.c_str(), path.c_str()) != 0) {
    ::unlink(temporary.c_str());
    throw std::runtime_error(fmt::format("cannot write {}", path));
  }
}

}  // namespace

SelfSigned ensure_self_signed(const std::string& data_dir, const std::string& host_name) {
  SelfSigned out;
  out.files.certificate = data_dir + "/tls-certificate.pem";
  out.files.key = data_dir + "/tls-key.pem";
  std::error_code ec;
  if (std::filesystem::exists(out.files.certificate, ec) && std::filesystem::exists(out.files.key, ec)) return out;

  ERR_clear_error();
  KeyPtr key(EVP_EC_gen("P-256"));
  if (!key) fail("EC P-256 key");
  CertPtr cert = make_certificate(key.get(), host_name);
  // The key first: a certificate without its key would be reused next time.
  write_file(out.files.key, 0600, [&](std::FILE* f) {
    return PEM_write_PrivateKey(f, key.get(), nullptr, nullptr, 0, nullptr, nullptr) == 1;
  });
  write_file(out.files.certificate, 0644, [&](std::FILE* f) { return PEM_write_X509(f, cert.get()) == 1; });
  out.created = true;
  return out;
}

}  // namespace parley::net
