#pragma once
// What a person says about themselves besides their name, and what the server
// grants them. Protocol-neutral: IRC shows it as AWAY, user modes (+B +i +o)
// and WHO flags; the text protocol in words.
#include <string>
#include <string_view>

namespace parley::core {

struct Presence {
  std::string away;              // "" while present; else why they are away
  bool bot = false;              // an automated client, by its own word
  bool invisible = false;        // hidden from member lists of rooms the asker is not in
  bool server_operator = false;  // logged in as a server operator (may disconnect others)
  bool operator_notices = false; // hears server operators' notices to all (IRC's +w and WALLOPS)
  std::string account;           // the account logged in to, as registered ("" for none)
  friend bool operator==(const Presence&, const Presence&) = default;
};

// A server operator's login, from the configuration.
struct OperatorLogin {
  std::string name;
  std::string password;
};

// Compares two secrets in time that depends only on their lengths, never on
// where they first differ.
bool same_secret(std::string_view a, std::string_view b);

}  // namespace parley::core
