#pragma once
// The host cloak's key: made into the data directory on first start (mode
// 0600) and read back on every later one, so a cloak, and a ban on it, stays
// the same across restarts.
#include <memory>
#include <stdexcept>
#include <string>

#include "auth/host_cloak.h"

namespace parley::daemon {

class CloakKeyError : public std::runtime_error {
 public:
  using std::runtime_error::runtime_error;
};

// DATA_DIR/cloak.key
std::string cloak_key_path(const std::string& data_dir);
// The cloak made from the data directory's key, making the key if there is
// none. Throws CloakKeyError (a key file that cannot be read, written or is
// not a key).
std::unique_ptr<auth::HostCloak> load_host_cloak(const std::string& data_dir);

}  // namespace parley::daemon
