// Server, part two: the sockets. Accepting, receiving (multishot into the shared buffer ring,
// parsing in place), sending replies once per loop turn, backpressure, and closing a client
// only after its last operation has completed.
#include <sys/socket.h>

#include <algorithm>
#include <cerrno>
#include <cstring>

#include "ringdb/base/clock.h"
#include "ringdb/base/log.h"
#include "ringdb/io/socket.h"
#include "ringdb/server/server.h"
#include "server_internal.h"

namespace ringdb::server {

// A refused connection: the error reply is sent, then the socket is closed.
struct Server::Rejection {
  int fd;
  io::Operation send_operation;
  io::Operation close_operation;
};

namespace {
// Reads "<digits>\r\n" at *p (the usual length shape); false when it is anything else.
bool ScanLength(const char** p, const char* end, size_t* value) {
  const char* q = *p;
  size_t number = 0;
  int digits = 0;
  while (q < end && *q >= '0' && *q <= '9' && digits < 12) {
    number = number * 10 + static_cast<size_t>(*q - '0');
    q++;
    digits++;
  }
  if (digits == 0 || end - q < 2 || q[0] != '\r' || q[1] != '\n') return false;
  *value = number;
  *p = q + 2;
  return true;
}

}  // namespace

void Server::ArmAccept(Listener& listener) {
  io_uring_sqe* sqe = proactor_->Prepare(&listener.accept_operation);
  io_uring_prep_multishot_accept(sqe, listener.fd, nullptr, nullptr, SOCK_CLOEXEC);
}

void Server::OnAccept(Listener& listener, int result, uint32_t flags) {
  bool more = (flags & IORING_CQE_F_MORE) != 0;
  if (result < 0) {
    if (result != -ECANCELED) {
      LOG_WARNING("Accepting client connection: %s", strerror(-result));
    }
  } else {
    stats_.total_connections_received++;
    int fd = result;
    // Clients being torn down do not count: Redis frees a closed client at once.
    if (clients_.size() - closing_clients_ >= static_cast<size_t>(config_.maxclients)) {
      stats_.rejected_connections++;
      RejectConnection(fd);
    } else {
      if (!listener.unix_socket) io::ConfigureTcpClient(fd, config_.tcp_keepalive_seconds);
      uint64_t id = next_client_id_++;
      // A fresh clock: the loop's cached one may be a whole cron tick old, which CLIENT LIST's
      // age and CLIENT KILL MAXAGE (whole seconds) would see.
      auto client = std::make_unique<Client>(this, id, fd, listener.unix_socket, UnixTimeMs());
      client->reply.set_error_listener(this);
      client->parser.set_bulk_bytes_max(config_.proto_max_bulk_len);
      Client* raw = client.get();
      // A Unix socket peer has no name of its own; Redis shows the socket path with port 0.
      if (listener.unix_socket) raw->peer_address = config_.unixsocket + ":0";
      InitClientOperations(*raw);
      clients_.emplace(id, std::move(client));
      LOG_VERBOSE("Accepted %s", raw->peer_address.c_str());
      ArmReceive(*raw);
    }
  }
  if (!more && !proactor_->stopping() && !shutdown_requested_) ArmAccept(listener);
}

void Server::RejectConnection(int fd) {
  // The send and the close are hard-linked: the close runs even if the send fails.
  auto* rejection = new Rejection{fd, {}, {}};
  rejection->send_operation = io::Operation([](void*, int, uint32_t) {}, rejection);
  rejection->close_operation = io::Operation(
      [](void* owner, int, uint32_t) { delete static_cast<Rejection*>(owner); }, rejection);
  io_uring_sqe* send = proactor_->Prepare(&rejection->send_operation);
  io_uring_prep_send(send, fd, kMaxClientsError, sizeof(kMaxClientsError) - 1, MSG_NOSIGNAL);
  send->flags |= IOSQE_IO_HARDLINK;
  io_uring_sqe* close_sqe = proactor_->Prepare(&rejection->close_operation);
  io_uring_prep_close(close_sqe, fd);
}

void Server::InitClientOperations(Client& client) {
  client.recv_operation = io::Operation(
      [](void* owner, int result, uint32_t flags) {
        auto* self = static_cast<Client*>(owner);
        self->server()->OnReceive(*self, result, flags);
      },
      &client);
  client.send_operation = io::Operation(
      [](void* owner, int result, uint32_t flags) {
        auto* self = static_cast<Client*>(owner);
        self->server()->OnSend(*self, result, flags);
      },
      &client);
  client.close_operation = io::Operation(
      [](void* owner, int result, uint32_t flags) {
        auto* self = static_cast<Client*>(owner);
        self->server()->OnClosed(*self, result, flags);
      },
      &client);
}

void Server::ArmReceive(Client& client) {
  RINGDB_ASSERT(!client.recv_armed);
  io_uring_sqe* sqe = proactor_->Prepare(&client.recv_operation);
  io_uring_prep_recv_multishot(sqe, client.fd(), nullptr, 0, 0);
  sqe->flags |= IOSQE_BUFFER_SELECT;
  sqe->buf_group = kBufferGroup;
  client.recv_armed = true;
  client.recv_multishot = true;
  client.operations_in_flight++;
}

bool Server::CanProcessCommands(const Client& client) const {
  if (client.closing || client.close_after_reply || client.input_paused) return false;
  if (client.waiting_for_job || client.blocked) return false;
  if (pause_deadline_ms_ != 0 && !pause_writes_only_ && !client.monitor) return false;
  return true;
}

void Server::OnReceive(Client& client, int result, uint32_t flags) {
  bool more = (flags & IORING_CQE_F_MORE) != 0;
  bool has_buffer = (flags & IORING_CQE_F_BUFFER) != 0;
  uint16_t buffer_id = static_cast<uint16_t>(flags >> IORING_CQE_BUFFER_SHIFT);
  if (!more) {
    client.recv_armed = false;
    client.operations_in_flight--;
  }
  if (client.closing) {
    if (has_buffer) buffers_->Recycle(buffer_id);
    MaybeFinishClose(client);
    return;
  }
  if (result == -ENOBUFS) {
    // Every shared buffer is busy. Re-arming the multishot receive at once would spin, so
    // receive once into a buffer of the client's own; the next arm goes back to the ring.
    if (!client.fallback_buffer)
      client.fallback_buffer = std::make_unique<char[]>(kReceiveBufferBytes);
    io_uring_sqe* sqe = proactor_->Prepare(&client.recv_operation);
    io_uring_prep_recv(sqe, client.fd(), client.fallback_buffer.get(), kReceiveBufferBytes, 0);
    client.recv_armed = true;
    client.recv_multishot = false;
    client.operations_in_flight++;
    return;
  }
  if (result == -ECANCELED) return;  // We paused receiving (backpressure).
  if (result <= 0) {
    if (result < 0) {
      LOG_VERBOSE("Reading from client %s: %s", client.peer_address.c_str(), strerror(-result));
    } else {
      LOG_VERBOSE("Client closed connection id=%llu addr=%s",
                  static_cast<unsigned long long>(client.id()), client.peer_address.c_str());
    }
    if (has_buffer) buffers_->Recycle(buffer_id);
    CloseClient(client);
    return;
  }
  size_t length = static_cast<size_t>(result);
  stats_.total_net_input_bytes += length;
  stats_.total_reads_processed++;
  client.net_input_bytes += length;
  client.last_interaction_ms = UnixTimeMs();

  std::string_view data(has_buffer ? buffers_->buffer(buffer_id) : client.fallback_buffer.get(),
                        length);
  if (client.query.empty() && CanProcessCommands(client)) {
    // Common case: parse in place from the receive buffer, keep only an incomplete tail.
    size_t consumed = ProcessInput(client, data);
    data.remove_prefix(std::min(consumed, data.size()));
  }
  if (!data.empty() && !client.closing) {
    client.query.Append(data);
    size_t needed = client.parser.bytes_needed();
    if (needed >= resp::kBigArgBytes && needed > client.query.size() &&
        needed <= static_cast<size_t>(config_.client_query_buffer_limit)) {
      // Make room for the whole announced bulk once, so its bytes are copied only once. The
      // size is the client's word: past the query buffer limit the client is closed anyway
      // when the bytes come, and memory that is not there refuses the client, not the process.
      if (!client.query.TryReserve(needed - client.query.size())) {
        LOG_WARNING("Closing client id=%llu addr=%s: no memory for its %zu-byte request",
                    static_cast<unsigned long long>(client.id()), client.peer_address.c_str(),
                    needed);
        if (has_buffer) buffers_->Recycle(buffer_id);
        CloseClient(client);
        return;
      }
    }
    if (CanProcessCommands(client)) ProcessQueryBuffer(client);
  }
  if (has_buffer) {
    buffers_->Recycle(buffer_id);
  } else {
    client.fallback_buffer.reset();
  }
  if (client.closing) return;
  if (client.query.size() > static_cast<size_t>(config_.client_query_buffer_limit)) {
    LOG_WARNING("Closing client that reached max query buffer length: id=%llu addr=%s qbuf=%zu",
                static_cast<unsigned long long>(client.id()), client.peer_address.c_str(),
                client.query.size());
    stats_.client_query_buffer_limit_disconnections++;
    CloseClient(client);
    return;
  }
  if (client.input_paused && client.query.size() >= kInputPauseBytes) {
    if (client.recv_armed && client.recv_multishot) {
      io_uring_sqe* sqe = proactor_->Prepare(nullptr);
      io_uring_prep_cancel(sqe, &client.recv_operation, 0);
    }
    return;
  }
  if (!client.recv_armed && !client.close_after_reply) ArmReceive(client);
}

void Server::PrefetchKeys(const Client& client, std::string_view input) {
  // A pipeline's lookups are independent, but executed one by one each waits for its own
  // cache misses. Looking ahead, the loads of every key overlap: first the pages (directory
  // slot, tags), then the entries the tags point at. The scan only reads well-formed commands
  // and stops at anything else; the parser still decides what each byte means.
  constexpr int kKeysMax = 64;
  constexpr size_t kArgumentsMax = 64;
  uint64_t hashes[kKeysMax];
  int count = 0;
  int commands_seen = 0;
  const store::Table& table = keyspace_->database(client.session.db_index).table();
  const char* p = input.data();
  const char* end = p + input.size();
  std::string_view argv[kArgumentsMax];
  while (count < kKeysMax && p < end && *p == '*') {
    p++;
    size_t arguments = 0;
    if (!ScanLength(&p, end, &arguments) || arguments == 0 || arguments > kArgumentsMax) break;
    for (size_t i = 0; i < arguments; i++) {
      size_t length = 0;
      if (p >= end || *p != '$') return;
      p++;
      if (!ScanLength(&p, end, &length) || static_cast<size_t>(end - p) < length + 2) return;
      argv[i] = std::string_view(p, length);
      p += length + 2;
    }
    commands_seen++;
    // Pipelines usually repeat one command: the client's cached one saves the lookup.
    const commands::Command* command = client.cached_command;
    if (command == nullptr || !commands::MatchesCommandName(argv[0], command->full_name)) {
      command = commands_.Lookup(std::span<const std::string_view>(argv, arguments));
    }
    if (command == nullptr) continue;
    commands::ForEachKeyPosition(*command, arguments, [&](int position) {
      if (count == kKeysMax) return;
      hashes[count] = table.Hash(argv[position]);
      table.PrefetchDirectory(hashes[count]);
      count++;
    });
  }
  if (commands_seen < 2 && count < 2) return;  // A lone single-key command gains nothing.
  int slots[kKeysMax];
  for (int i = 0; i < count; i++) table.PrefetchPage(hashes[i]);
  for (int i = 0; i < count; i++) slots[i] = table.PrefetchSlot(hashes[i]);
  for (int i = 0; i < count; i++) table.PrefetchEntry(hashes[i], slots[i]);
}

size_t Server::ProcessInput(Client& client, std::string_view input) {
  PrefetchKeys(client, input);
  size_t total = 0;
  while (CanProcessCommands(client) && total < input.size()) {
    size_t consumed = 0;
    resp::Parser::Status status = client.parser.Parse(input.substr(total), &consumed);
    if (status == resp::Parser::Status::kIncomplete) {
      total += consumed;
      break;
    }
    if (status == resp::Parser::Status::kError) {
      client.reply.Error(client.parser.error());
      LOG_VERBOSE("Protocol error (%s) from client: id=%llu addr=%s", client.parser.error().c_str(),
                  static_cast<unsigned long long>(client.id()), client.peer_address.c_str());
      client.close_after_reply = true;
      QueueSend(client);
      return input.size();
    }
    // CLIENT PAUSE WRITE holds back a write without consuming it, so it and everything the
    // client sent after it run in order once the pause ends (Unpause requeues the client).
    client.postponed_by_pause = DeferredByPause(client, client.parser.args());
    if (client.postponed_by_pause) {
      client.parser.Reset();
      break;
    }
    Execute(client, client.parser.args());
    total += consumed;
  }
  return total;
}

void Server::ProcessQueryBuffer(Client& client) {
  if (client.query.empty() || !CanProcessCommands(client)) return;
  size_t consumed = ProcessInput(client, client.query.view());
  if (client.closing) return;
  client.query.Consume(consumed);
}

void Server::QueueSend(Client& client) {
  if (client.queued_for_send) return;
  client.queued_for_send = true;
  send_queue_.push_back(&client);
}

void Server::StartSend(Client& client) {
  RINGDB_ASSERT(!client.send_in_flight);
  int count = client.output.Gather(client.send_vectors, Client::kSendVectors);
  RINGDB_ASSERT(count > 0);
  io_uring_sqe* sqe = proactor_->Prepare(&client.send_operation);
  size_t bytes = 0;
  for (int i = 0; i < count; i++) bytes += client.send_vectors[i].iov_len;
  if (count == 1) {
    io_uring_prep_send(sqe, client.fd(), client.send_vectors[0].iov_base,
                       client.send_vectors[0].iov_len, MSG_NOSIGNAL);
  } else {
    client.send_message = msghdr{};
    client.send_message.msg_iov = client.send_vectors;
    client.send_message.msg_iovlen = static_cast<size_t>(count);
    io_uring_prep_sendmsg(sqe, client.fd(), &client.send_message, MSG_NOSIGNAL);
  }
  client.send_in_flight = true;
  client.send_bytes_in_flight = bytes;
  client.operations_in_flight++;
}

void Server::OnSend(Client& client, int result, uint32_t) {
  client.send_in_flight = false;
  client.operations_in_flight--;
  if (client.closing) {
    MaybeFinishClose(client);
    return;
  }
  if (result < 0) {
    LOG_VERBOSE("Error writing to client %s: %s", client.peer_address.c_str(), strerror(-result));
    CloseClient(client);
    return;
  }
  size_t sent = static_cast<size_t>(result);
  client.output.Consume(sent);
  client.net_output_bytes += sent;
  stats_.total_net_output_bytes += sent;
  stats_.total_writes_processed++;
  if (!client.output.empty()) {
    StartSend(client);
  } else if (client.close_after_reply) {
    CloseClient(client);
    return;
  }
  if (client.input_paused && client.output.size() < kOutputResumeBytes) {
    client.input_paused = false;
    if (!client.queued_for_input) {
      client.queued_for_input = true;
      input_queue_.push_back(&client);
    }
  }
}

void Server::CloseClientAsync(Client& client, const char* reason) {
  LOG_VERBOSE("Closing client id=%llu: %s", static_cast<unsigned long long>(client.id()), reason);
  // Replies of the current command are dropped; the socket closes at once.
  CloseClient(client);
}

void Server::CloseClient(Client& client) {
  if (client.closing) return;
  client.closing = true;
  closing_clients_++;
  if (client.blocked) Unblock(client);
  if (client.monitor) {
    std::erase(monitors_, &client);
    client.monitor = false;
  }
  UnsubscribeAll(client);
  DiscardTransaction(client);
  // Cancel what is in flight; the close itself waits for the cancelled operations to finish,
  // since the kernel may still be writing into this client's buffers until then.
  if (client.recv_armed) {
    io_uring_sqe* sqe = proactor_->Prepare(nullptr);
    io_uring_prep_cancel(sqe, &client.recv_operation, 0);
  }
  if (client.send_in_flight) {
    io_uring_sqe* sqe = proactor_->Prepare(nullptr);
    io_uring_prep_cancel(sqe, &client.send_operation, 0);
  }
  MaybeFinishClose(client);
}

void Server::MaybeFinishClose(Client& client) {
  if (!client.closing || client.operations_in_flight > 0) return;
  io_uring_sqe* sqe = proactor_->Prepare(&client.close_operation);
  io_uring_prep_close(sqe, client.fd());
  client.operations_in_flight++;
}

void Server::OnClosed(Client& client, int, uint32_t) {
  client.operations_in_flight--;
  RINGDB_ASSERT(client.operations_in_flight == 0);
  dead_clients_.push_back(&client);
}

Client* Server::FindClient(uint64_t id) {
  auto it = clients_.find(id);
  if (it == clients_.end() || it->second->closing) return nullptr;
  return it->second.get();
}

void Server::TurnEnd() {
  persistence_->TurnEnd();
  if (!input_queue_.empty()) {
    std::vector<Client*> ready;
    ready.swap(input_queue_);
    for (Client* client : ready) {
      client->queued_for_input = false;
      if (client->closing) continue;
      ProcessQueryBuffer(*client);
      if (!client->closing && !client->recv_armed && !client->input_paused &&
          !client->close_after_reply) {
        ArmReceive(*client);
      }
    }
  }
  for (size_t i = 0; i < send_queue_.size(); i++) {
    Client* client = send_queue_[i];
    client->queued_for_send = false;
    if (client->closing) continue;
    if (!client->send_in_flight && !client->output.empty()) {
      StartSend(*client);
    } else if (client->close_after_reply && client->output.empty() && !client->send_in_flight) {
      CloseClient(*client);
    }
  }
  send_queue_.clear();
  if (!dead_clients_.empty()) {
    for (Client* client : dead_clients_) {
      LOG_DEBUG("Freed client id=%llu", static_cast<unsigned long long>(client->id()));
      clients_.erase(client->id());
      closing_clients_--;
    }
    dead_clients_.clear();
  }
  if (shutdown_requested_) proactor_->Stop();
}

}  // namespace ringdb::server
