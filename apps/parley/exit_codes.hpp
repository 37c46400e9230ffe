#pragma once

// The exit status of `parley`, as documented in `parley --help`.
namespace parley::client {

inline constexpr int kExitLeft = 0;   // we left cleanly (LEAVE, /quit, Ctrl-D, end of input)
inline constexpr int kExitLost = 1;   // the connection was refused, failed or lost
inline constexpr int kExitUsage = 2;  // bad command line or prompt answer

}  // namespace parley::client
