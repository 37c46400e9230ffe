#pragma once
// The server side of TLS for any listener (IRC, text, later HTTP): one OpenSSL
// context made from a certificate and key file, with modern defaults (TLS 1.2
// or later, no weak ciphers, no renegotiation), that can be reloaded from its
// files while connections made with the old one go on (each SSL object holds
// its own reference to the context it was made from).
//
// OpenSSL's types are only named here; <openssl/*> stays in the .cpp files.
#include <memory>
#include <mutex>
#include <string>

struct ssl_ctx_st;

namespace parley::net {

struct TlsFiles {
  std::string certificate;  // PEM; a chain may follow the server's certificate
  std::string key;          // PEM private key
};

class TlsContext {
 public:
  // Loads the files; throws std::runtime_error naming the file and the problem.
  explicit TlsContext(TlsFiles files);
  ~TlsContext();
  TlsContext(const TlsContext&) = delete;
  TlsContext& operator=(const TlsContext&) = delete;

  // Reads the files again; new handshakes use the result. On an error
  // (std::runtime_error) the context in use stays. Any thread.
  void reload();
  // The context new connections use; any thread. The caller's SSL object
  // takes its own reference (SSL_new), so a reload does not affect it.
  std::shared_ptr<ssl_ctx_st> current() const;
  // The SHA-256 fingerprint of the current certificate ("AB:CD:..."), as
  // clients show it when they ask the user to trust it.
  std::string fingerprint() const;
  const TlsFiles& files() const { return files_; }

 private:
  TlsFiles files_;
  mutable std::mutex mutex_;  // taken once per accepted connection, never per message
  std::shared_ptr<ssl_ctx_st> context_;
  std::string fingerprint_;
};

// The SHA-256 fingerprint of the first certificate in a PEM file; throws
// std::runtime_error.
std::string certificate_fingerprint(const std::string& pem_path);

}  // namespace parley::net
