#pragma once
// Thin wrappers over the socket calls the bench makes.

#include <netinet/in.h>

#include <string>

namespace parley::bench {

// A non-blocking TCP socket bound to `source` (port chosen at connect time),
// with TCP_NODELAY, that has started connecting to `server`. Returns the fd,
// or -1 with `error` set.
int start_connect(const sockaddr_in& source, const sockaddr_in& server, std::string& error);

// The outcome of a non-blocking connect once the socket is writable: 0 or an errno.
int connect_error(int fd);

// Raises RLIMIT_NOFILE's soft limit to its hard limit; returns the new soft limit.
long raise_fd_limit();

}  // namespace parley::bench
