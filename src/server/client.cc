#include "ringdb/server/client.h"

#include "ringdb/io/socket.h"

namespace ringdb::server {

Client::Client(Server* server, uint64_t id, int fd, bool unix_socket, int64_t now_ms)
    : reply(&output),
      created_ms(now_ms),
      last_interaction_ms(now_ms),
      server_(server),
      id_(id),
      fd_(fd),
      unix_socket_(unix_socket) {
  peer_address = io::SocketAddress(fd, false);
  local_address = io::SocketAddress(fd, true);
}

Client::~Client() = default;

}  // namespace ringdb::server
