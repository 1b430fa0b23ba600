// A client connection: its socket, the bytes it sent that are not parsed yet, the replies not
// sent yet, and its session state.
//
// Lifetime: a Client is created on accept and destroyed only after every io_uring operation
// on its socket has completed (see Server::CloseClient), because the kernel may still write
// into its buffers until then.
#pragma once

#include <sys/socket.h>
#include <sys/uio.h>

#include <cstdint>
#include <list>
#include <map>
#include <memory>
#include <string>
#include <unordered_set>
#include <vector>

#include "ringdb/base/byte_buffer.h"
#include "ringdb/commands/command.h"
#include "ringdb/commands/context.h"
#include "ringdb/io/proactor.h"
#include "ringdb/resp/output_buffer.h"
#include "ringdb/resp/parser.h"
#include "ringdb/resp/reply.h"

namespace ringdb::server {

class Server;

enum class ReplyMode : uint8_t { kOn, kOff, kSkip, kSkipNext };

// The three namespaces of pub/sub: channels (SUBSCRIBE), patterns (PSUBSCRIBE) and shard
// channels (SSUBSCRIBE). The values index Client::subscriptions.
enum class SubscriptionKind : uint8_t { kChannel = 0, kPattern = 1, kShardChannel = 2 };
inline constexpr int kSubscriptionKinds = 3;

// Names (channels or patterns), searchable with a string_view.
using NameSet = std::unordered_set<std::string, commands::StringHash, std::equal_to<>>;

class Client {
 public:
  // Iovecs per send: 64 chunks of 16 KiB is 1 MiB per submission.
  static constexpr int kSendVectors = 64;

  Client(Server* server, uint64_t id, int fd, bool unix_socket, int64_t now_ms);
  ~Client();
  Client(const Client&) = delete;
  Client& operator=(const Client&) = delete;

  Server* server() const { return server_; }
  uint64_t id() const { return id_; }
  int fd() const { return fd_; }
  bool unix_socket() const { return unix_socket_; }

  commands::Session session;
  resp::Parser parser;
  ByteBuffer query;
  resp::OutputBuffer output;
  resp::ReplyBuilder reply;

  // Name set by CLIENT SETNAME or HELLO SETNAME.
  std::string name;
  std::string library_name;
  std::string library_version;
  std::string peer_address;
  std::string local_address;
  int64_t created_ms;
  int64_t last_interaction_ms;
  // Full name of the last command run ("client|list"), for CLIENT LIST's cmd=.
  std::string last_command = "NULL";
  uint64_t commands_processed = 0;
  uint64_t net_input_bytes = 0;
  uint64_t net_output_bytes = 0;

  // The last top-level command this client ran (CommandTable::Resolve's cache).
  commands::Command* cached_command = nullptr;
  ReplyMode reply_mode = ReplyMode::kOn;
  bool no_evict = false;
  bool monitor = false;
  // The client asked to go away (QUIT) or broke the protocol: close once replies are sent.
  bool close_after_reply = false;
  // Being torn down: no more commands or sends.
  bool closing = false;
  // Command processing is paused until the output drains (backpressure).
  bool input_paused = false;
  // A command of this client runs on the background worker; later ones wait for its reply.
  bool waiting_for_job = false;
  // In the server's list of clients with replies to send.
  bool queued_for_send = false;
  // In the server's list of clients whose leftover input waits to be processed.
  bool queued_for_input = false;

  // io_uring state.
  io::Operation recv_operation;
  io::Operation send_operation;
  io::Operation close_operation;
  bool recv_armed = false;
  bool recv_multishot = false;
  bool send_in_flight = false;
  int operations_in_flight = 0;
  size_t send_bytes_in_flight = 0;
  // Receive buffer of last resort, used only while the shared buffer ring is exhausted.
  std::unique_ptr<char[]> fallback_buffer;
  iovec send_vectors[kSendVectors];
  msghdr send_message{};

  // For output-buffer soft limits: when the soft limit was first exceeded (0: not exceeded).
  int64_t soft_limit_reached_ms = 0;

  // ---- Blocking commands (src/server/blocking.cc). ----
  // What a client parked by BLPOP, BZPOPMIN, XREAD BLOCK... waits for. While it exists the
  // client runs no commands; what it sends meanwhile waits in its query buffer.
  struct BlockState {
    int db_index = 0;
    store::ValueType type = store::ValueType::kList;
    int64_t deadline_ms = 0;  // 0: none
    bool null_bulk_on_timeout = false;
    bool wake_on_missing_key = false;
    std::vector<std::string> keys;
    // The command to run again when a key is ready.
    std::vector<std::string> argv;
    // This client's place in each key's queue (same order as keys), for O(1) removal.
    std::vector<std::list<Client*>::iterator> queue_positions;
    std::multimap<int64_t, Client*>::iterator deadline_position;
  };
  std::unique_ptr<BlockState> blocked;

  // ---- Pub/sub (pubsub.cc). ----
  // What this client listens to, by SubscriptionKind; the server's PubSubRegistry holds the
  // reverse map, and the two always agree. session.pubsub is set while any of them is
  // non-empty (Redis's CLIENT_PUBSUB).
  NameSet subscriptions[kSubscriptionKinds];
  NameSet& subscribed(SubscriptionKind kind) { return subscriptions[static_cast<int>(kind)]; }
  const NameSet& subscribed(SubscriptionKind kind) const {
    return subscriptions[static_cast<int>(kind)];
  }
  // Channels plus patterns: the count SUBSCRIBE and PSUBSCRIBE replies carry.
  size_t channel_and_pattern_count() const {
    return subscribed(SubscriptionKind::kChannel).size() +
           subscribed(SubscriptionKind::kPattern).size();
  }

  // ---- Transactions (transactions.cc). ----
  struct QueuedCommand {
    commands::Command* command;
    std::vector<std::string> argv;
  };
  struct WatchedKey {
    int db_index;
    std::string key;
    // The key was already expired (but not yet deleted) when WATCHed: its deletion by
    // expiry is then no change (Redis 7's watchedKey.expired).
    bool expired_at_watch;
  };
  // Between MULTI and EXEC/DISCARD: commands are queued (CLIENT LIST flag 'x').
  bool in_multi = false;
  // A command was refused while queuing: EXEC answers EXECABORT.
  bool dirty_exec = false;
  // A WATCHed key changed: EXEC answers a null array (flag 'd').
  bool dirty_cas = false;
  // EXEC is running this client's queued commands (Redis's CLIENT_DENY_BLOCKING).
  bool in_exec = false;
  std::vector<QueuedCommand> queued_commands;
  // Union of the queued commands' flags (CLIENT PAUSE WRITE holds back an EXEC with writes).
  uint32_t queued_flags = 0;
  // Bytes the queued commands hold (CLIENT LIST's multi-mem), bounded by the query buffer
  // limit: past it the client is closed, as for an oversized query.
  size_t queued_bytes = 0;
  std::vector<WatchedKey> watched_keys;

  // ---- Server commands' state. ----
  // The next command waits for CLIENT PAUSE WRITE to end (CLIENT LIST shows flag 'b').
  bool postponed_by_pause = false;

 private:
  Server* server_;
  uint64_t id_;
  int fd_;
  bool unix_socket_;
};

}  // namespace ringdb::server
