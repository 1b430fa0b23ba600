// Socket set-up: listening sockets (TCP over IPv4/IPv6, Unix) and per-connection options.
// These are quick non-blocking system calls made at start-up or right after an accept; the
// data path (accept, receive, send, close) goes through the proactor.
#pragma once

#include <sys/socket.h>

#include <string>

#include "ringdb/base/status.h"

namespace ringdb::io {

struct ListenAddress {
  std::string host;       // "127.0.0.1", "::1", "*" (any IPv4), "::*" (any IPv6)
  bool optional = false;  // Redis's "-" prefix: skip it if the address is not available
};

// Opens a listening TCP socket on host:port. Returns the fd.
Result<int> ListenTcp(const std::string& host, int port, int backlog);
// Opens a listening Unix socket at `path` (removing a stale socket file) with permissions `mode`
// (0 to leave the default).
Result<int> ListenUnix(const std::string& path, unsigned mode, int backlog);

// Sets TCP_NODELAY and, when keepalive_seconds > 0, keepalive probes after that idle time.
void ConfigureTcpClient(int fd, int keepalive_seconds);

// "ip:port" for a TCP peer (IPv6 without brackets, as Redis prints it), "path:0" or "/path:0"
// style for Unix sockets. `local` selects the local address instead of the peer's.
std::string SocketAddress(int fd, bool local);

// The port a listening socket is bound to (for port 0 in tests).
int BoundPort(int fd);

}  // namespace ringdb::io
