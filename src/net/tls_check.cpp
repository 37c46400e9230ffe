#include "net/tls_check.h"

#include <openssl/asn1.h>
#include <openssl/err.h>
#include <openssl/evp.h>
#include <openssl/pem.h>
#include <openssl/x509.h>

#include <fmt/format.h>

#include <cerrno>
#include <cstdio>
#include <cstring>
#include <ctime>
#include <filesystem>
#include <memory>

namespace parley::net {

namespace {

struct FileCloser {
  void operator()(std::FILE* f) const { std::fclose(f); }
};
using File = std::unique_ptr<std::FILE, FileCloser>;

// Opens `path` for reading, or says why not ("" and the file on success).
std::string open_file(const std::string& path, const char* what, File& file) {
  std::error_code ec;
  if (!std::filesystem::exists(path, ec)) return fmt::format("the TLS {} {} does not exist", what, path);
  if (std::filesystem::is_directory(path, ec)) return fmt::format("the TLS {} {} is a directory", what, path);
  file.reset(std::fopen(path.c_str(), "r"));
  if (!file) return fmt::format("the TLS {} {} cannot be read: {}", what, path, std::strerror(errno));
  return {};
}

// An encrypted key would make OpenSSL ask for a passphrase on the terminal.
int no_passphrase(char*, int, int, void* asked) {
  *static_cast<bool*>(asked) = true;
  return 0;
}

std::string fingerprint_of(X509* cert) {
  unsigned char digest[EVP_MAX_MD_SIZE];
  unsigned int length = 0;
  if (X509_digest(cert, EVP_sha256(), digest, &length) != 1) return {};
  std::string out;
  for (unsigned int i = 0; i < length; ++i) out += fmt::format("{}{:02X}", i ? ":" : "", digest[i]);
  return out;
}

std::string utc_text(const ASN1_TIME* time) {
  std::tm tm{};
  if (ASN1_TIME_to_tm(time, &tm) != 1) return "an unreadable date";
  char text[32];
  std::strftime(text, sizeof text, "%Y-%m-%d %H:%M:%S UTC", &tm);
  return text;
}

}  // namespace

TlsFilesCheck check_tls_files(const TlsFiles& files) {
  TlsFilesCheck result;
  ERR_clear_error();
  File cert_file, key_file;
  if (auto problem = open_file(files.certificate, "certificate", cert_file); !problem.empty()) {
    result.problem = std::move(problem);
    return result;
  }
  std::unique_ptr<X509, decltype(&X509_free)> cert(PEM_read_X509(cert_file.get(), nullptr, nullptr, nullptr),
                                                    X509_free);
  if (!cert) {
    result.problem = fmt::format("the TLS certificate {} holds no PEM certificate (\"-----BEGIN CERTIFICATE-----\")",
                                 files.certificate);
    ERR_clear_error();
    return result;
  }
  result.fingerprint = fingerprint_of(cert.get());
  result.not_after = utc_text(X509_get0_notAfter(cert.get()));
  result.expired = X509_cmp_current_time(X509_get0_notAfter(cert.get())) < 0;

  if (auto problem = open_file(files.key, "key", key_file); !problem.empty()) {
    result.problem = std::move(problem);
    return result;
  }
  bool asked = false;
  std::unique_ptr<EVP_PKEY, decltype(&EVP_PKEY_free)> key(
      PEM_read_PrivateKey(key_file.get(), nullptr, no_passphrase, &asked), EVP_PKEY_free);
  ERR_clear_error();
  if (!key) {
    result.problem = asked ? fmt::format("the TLS key {} is encrypted: parleyd needs it without a passphrase "
                                         "(openssl pkey -in {} -out NEW_FILE), readable only by its user",
                                         files.key, files.key)
                           : fmt::format("the TLS key {} holds no PEM private key (\"-----BEGIN PRIVATE KEY-----\")",
                                         files.key);
    return result;
  }
  if (X509_check_private_key(cert.get(), key.get()) != 1) {
    ERR_clear_error();
    result.problem = fmt::format("the TLS key {} is not the key of the certificate {}", files.key, files.certificate);
    return result;
  }
  // Last, what the server itself does with them (a chain after the
  // certificate, a key type the TLS settings refuse).
  try {
    TlsContext context(files);
  } catch (const std::exception& e) {
    result.problem = e.what();
  }
  return result;
}

}  // namespace parley::net
