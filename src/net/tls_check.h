#pragma once
// What `parleyd --check-config` says about TLS certificate and key files,
// before a server relies on them: each file exists and can be read, holds a
// PEM certificate or an unencrypted PEM private key, and the key is the
// certificate's. Problems are sentences naming the file.
#include <string>

#include "net/tls_context.h"

namespace parley::net {

struct TlsFilesCheck {
  std::string problem;      // empty: the files are usable
  std::string fingerprint;  // SHA-256 of the certificate, when it was read
  std::string not_after;    // "2031-12-02 10:00:00 UTC", when it was read
  bool expired = false;     // past not_after (a warning: clients will refuse it)
};

TlsFilesCheck check_tls_files(const TlsFiles& files);

}  // namespace parley::net
