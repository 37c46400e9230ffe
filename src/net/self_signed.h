#pragma once
// The embedded default for TLS: a self-signed certificate made once in the
// data directory and reused on every start after, so that clients that
// pinned its fingerprint keep trusting it.
#include <string>

#include "net/tls_context.h"

namespace parley::net {

struct SelfSigned {
  TlsFiles files;
  bool created = false;  // made now, not found from an earlier start
};

// DIR/tls-certificate.pem and DIR/tls-key.pem (mode 0600), an EC P-256 key
// and a certificate for `host_name`, localhost and 127.0.0.1 valid for five
// years. Made if either is missing; throws std::runtime_error in words.
SelfSigned ensure_self_signed(const std::string& data_dir, const std::string& host_name);

}  // namespace parley::net
