#pragma once
// Which part of a typed line is a password: shown as '*' while typed, and
// kept out of the history (the server never repeats it either).

#include <cstddef>
#include <string_view>

namespace parley::client {

// Where the password starts in `line` ("/register PASSWORD",
// "/login NAME PASSWORD", NAME possibly "quoted with spaces"), or npos when
// the line holds none (yet).
std::size_t secret_start(std::string_view line);

}  // namespace parley::client
