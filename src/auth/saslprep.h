#pragma once
// RFC 4013 SASLprep, the form a password is hashed and compared in, so that
// one password typed two ways (a composed or decomposed "é", a no-break
// space, a soft hyphen) is one password, as SCRAM-SHA-256 clients expect
// (RFC 5802: the client prepares the password with SASLprep before hashing).
// By libidn's stringprep (Debian's libidn-dev), not by hand.
#include <optional>
#include <string>
#include <string_view>

namespace parley::auth {

// The password prepared (mapped, NFKC-normalized), or nullopt when SASLprep
// prohibits it (control characters, private use, a bidirectional mix that
// RFC 3454 section 6 forbids, invalid UTF-8, NUL) or it prepares to nothing.
// The same at registration and at login: code points unassigned in Unicode
// 3.2 (emoji, for one) are let through as they are, as the RFC allows for
// queries, so that such passwords keep working.
std::optional<std::string> saslprep(std::string_view password);

}  // namespace parley::auth
