#include "ringdb/io/socket.h"

#include <arpa/inet.h>
#include <fcntl.h>
#include <netdb.h>
#include <netinet/in.h>
#include <netinet/tcp.h>
#include <sys/stat.h>
#include <sys/un.h>
#include <unistd.h>

#include <cerrno>
#include <cstring>

namespace ringdb::io {
namespace {

Status SocketError(const std::string& what, int error_number) {
  return Status::FromErrno(what, error_number);
}

}  // namespace

Result<int> ListenTcp(const std::string& host, int port, int backlog) {
  std::string address = host;
  bool any_v4 = address == "*" || address == "0.0.0.0";
  bool any_v6 = address == "::*" || address == "::";
  bool v6 = any_v6 || address.find(':') != std::string::npos;
  int fd = socket(v6 ? AF_INET6 : AF_INET, SOCK_STREAM | SOCK_CLOEXEC, 0);
  if (fd < 0) return SocketError("socket() for " + host, errno);
  int yes = 1;
  setsockopt(fd, SOL_SOCKET, SO_REUSEADDR, &yes, sizeof(yes));
  sockaddr_storage storage{};
  socklen_t length = 0;
  if (v6) {
    // Like Redis, an IPv6 listener only takes IPv6 so "*" and "::*" can both be bound.
    setsockopt(fd, IPPROTO_IPV6, IPV6_V6ONLY, &yes, sizeof(yes));
    auto* in6 = reinterpret_cast<sockaddr_in6*>(&storage);
    in6->sin6_family = AF_INET6;
    in6->sin6_port = htons(static_cast<uint16_t>(port));
    if (any_v6) {
      in6->sin6_addr = in6addr_any;
    } else if (inet_pton(AF_INET6, address.c_str(), &in6->sin6_addr) != 1) {
      close(fd);
      return Status::InvalidArgument("invalid bind address '" + host + "'");
    }
    length = sizeof(sockaddr_in6);
  } else {
    auto* in4 = reinterpret_cast<sockaddr_in*>(&storage);
    in4->sin_family = AF_INET;
    in4->sin_port = htons(static_cast<uint16_t>(port));
    if (any_v4) {
      in4->sin_addr.s_addr = htonl(INADDR_ANY);
    } else if (inet_pton(AF_INET, address.c_str(), &in4->sin_addr) != 1) {
      close(fd);
      return Status::InvalidArgument("invalid bind address '" + host + "'");
    }
    length = sizeof(sockaddr_in);
  }
  if (bind(fd, reinterpret_cast<sockaddr*>(&storage), length) != 0) {
    int error_number = errno;
    close(fd);
    return SocketError("could not bind " + host + ":" + std::to_string(port), error_number);
  }
  if (listen(fd, backlog) != 0) {
    int error_number = errno;
    close(fd);
    return SocketError("listen() on " + host + ":" + std::to_string(port), error_number);
  }
  return fd;
}

Result<int> ListenUnix(const std::string& path, unsigned mode, int backlog) {
  sockaddr_un address{};
  if (path.size() >= sizeof(address.sun_path)) {
    return Status::InvalidArgument("unix socket path too long: " + path);
  }
  int fd = socket(AF_UNIX, SOCK_STREAM | SOCK_CLOEXEC, 0);
  if (fd < 0) return SocketError("socket() for " + path, errno);
  address.sun_family = AF_UNIX;
  std::memcpy(address.sun_path, path.c_str(), path.size() + 1);
  unlink(path.c_str());  // A socket file left by an earlier run.
  if (bind(fd, reinterpret_cast<sockaddr*>(&address), sizeof(address)) != 0) {
    int error_number = errno;
    close(fd);
    return SocketError("could not bind unix socket " + path, error_number);
  }
  if (mode != 0) chmod(path.c_str(), mode);
  if (listen(fd, backlog) != 0) {
    int error_number = errno;
    close(fd);
    return SocketError("listen() on " + path, error_number);
  }
  return fd;
}

void ConfigureTcpClient(int fd, int keepalive_seconds) {
  int yes = 1;
  // These fail harmlessly on Unix sockets.
  setsockopt(fd, IPPROTO_TCP, TCP_NODELAY, &yes, sizeof(yes));
  if (keepalive_seconds > 0) {
    setsockopt(fd, SOL_SOCKET, SO_KEEPALIVE, &yes, sizeof(yes));
    int idle = keepalive_seconds;
    int interval = keepalive_seconds / 3 > 0 ? keepalive_seconds / 3 : 1;
    int count = 3;
    setsockopt(fd, IPPROTO_TCP, TCP_KEEPIDLE, &idle, sizeof(idle));
    setsockopt(fd, IPPROTO_TCP, TCP_KEEPINTVL, &interval, sizeof(interval));
    setsockopt(fd, IPPROTO_TCP, TCP_KEEPCNT, &count, sizeof(count));
  }
}

std::string SocketAddress(int fd, bool local) {
  sockaddr_storage storage{};
  socklen_t length = sizeof(storage);
  int result = local ? getsockname(fd, reinterpret_cast<sockaddr*>(&storage), &length)
                     : getpeername(fd, reinterpret_cast<sockaddr*>(&storage), &length);
  if (result != 0) return "?:0";
  char text[INET6_ADDRSTRLEN + 16];
  if (storage.ss_family == AF_INET) {
    auto* in4 = reinterpret_cast<sockaddr_in*>(&storage);
    inet_ntop(AF_INET, &in4->sin_addr, text, sizeof(text));
    return std::string(text) + ":" + std::to_string(ntohs(in4->sin_port));
  }
  if (storage.ss_family == AF_INET6) {
    auto* in6 = reinterpret_cast<sockaddr_in6*>(&storage);
    inet_ntop(AF_INET6, &in6->sin6_addr, text, sizeof(text));
    return std::string(text) + ":" + std::to_string(ntohs(in6->sin6_port));
  }
  if (storage.ss_family == AF_UNIX) {
    auto* un = reinterpret_cast<sockaddr_un*>(&storage);
    return std::string(un->sun_path) + ":0";
  }
  return "?:0";
}

int BoundPort(int fd) {
  sockaddr_storage storage{};
  socklen_t length = sizeof(storage);
  if (getsockname(fd, reinterpret_cast<sockaddr*>(&storage), &length) != 0) return 0;
  if (storage.ss_family == AF_INET)
    return ntohs(reinterpret_cast<sockaddr_in*>(&storage)->sin_port);
  if (storage.ss_family == AF_INET6) {
    return ntohs(reinterpret_cast<sockaddr_in6*>(&storage)->sin6_port);
  }
  return 0;
}

}  // namespace ringdb::io
