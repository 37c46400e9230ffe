#pragma once

#include <string>
#include <string_view>

#include "name_finder.hpp"

namespace parley::client {

// Adds colour to a sanitized server line for a terminal: each user's name in
// a colour of its own (a stable hash of the name picks one from a small
// palette, so a name has the same colour every time and everywhere), and
// lines starting with "Error: " or "Disconnected: " in red.
class Painter {
 public:
  std::string paint(std::string_view line);

 private:
  NameFinder names_;
};

// The SGR sequence that starts `name`'s colour.
std::string_view name_color(std::string_view name);

}  // namespace parley::client
