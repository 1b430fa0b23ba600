#include "ringdb/server/server.h"

#include <signal.h>
#include <sys/random.h>
#include <sys/resource.h>
#include <sys/signalfd.h>
#include <sys/socket.h>
#include <sys/un.h>
#include <unistd.h>

#include <cerrno>
#include <climits>
#include <cstring>

#include "ringdb/base/clock.h"
#include "ringdb/base/log.h"
#include "ringdb/base/memory.h"
#include "ringdb/base/strings.h"
#include "ringdb/commands/registry.h"
#include "ringdb/io/socket.h"
#include "server_commands.h"

namespace ringdb::server {
namespace {

constexpr uint16_t kBufferGroup = 0;
// Receive buffers shared by all connections: a client holds one only while its bytes are
// parsed, so a few hundred serve thousands of clients; when they run out a client falls back
// to a one-shot receive into its own buffer.
constexpr uint32_t kReceiveBuffers = 256;
constexpr uint32_t kReceiveBufferBytes = 16 * 1024;
// Backpressure: a client with this much output waiting runs no more commands until it drains
// below the resume mark, and once this much of its input is waiting too, the server stops
// receiving from it, so TCP flow control pushes back on the sender.
constexpr size_t kOutputPauseBytes = 1024 * 1024;
constexpr size_t kOutputResumeBytes = 256 * 1024;
constexpr size_t kInputPauseBytes = 1024 * 1024;
// Descriptors kept for listeners, the ring, files and logs (Redis's CONFIG_MIN_RESERVED_FDS).
constexpr int kReservedFds = 32;
constexpr char kMaxClientsError[] = "-ERR max number of clients reached\r\n";

uint64_t RandomSeed() {
  uint64_t seed = 0;
  if (getrandom(&seed, sizeof(seed), 0) != sizeof(seed)) {
    seed = static_cast<uint64_t>(MonotonicUs()) ^ (static_cast<uint64_t>(getpid()) << 32);
  }
  return seed;
}

std::string RandomHex(size_t length) {
  static constexpr char kDigits[] = "0123456789abcdef";
  std::string text;
  while (text.size() < length) {
    uint64_t bits = RandomSeed();
    for (int i = 0; i < 16 && text.size() < length; i++) {
      text.push_back(kDigits[bits & 15]);
      bits >>= 4;
    }
  }
  return text;
}

// Appends every byte of `source` to `target` and empties `source`.
void MoveOutput(resp::OutputBuffer& source, resp::OutputBuffer& target) {
  iovec vectors[16];
  while (!source.empty()) {
    int count = source.Gather(vectors, 16);
    size_t moved = 0;
    for (int i = 0; i < count; i++) {
      target.Append(static_cast<const char*>(vectors[i].iov_base), vectors[i].iov_len);
      moved += vectors[i].iov_len;
    }
    source.Consume(moved);
  }
}

// Raises the descriptor limit to fit maxclients, lowering maxclients when the system will not
// allow it, as Redis's adjustOpenFilesLimit does.
void AdjustOpenFilesLimit(Config& config) {
  rlim_t wanted = static_cast<rlim_t>(config.maxclients) + kReservedFds;
  rlimit limit{};
  if (getrlimit(RLIMIT_NOFILE, &limit) != 0) return;
  if (limit.rlim_cur >= wanted) return;
  rlim_t best = wanted;
  int last_error = 0;
  while (best > limit.rlim_cur) {
    rlimit attempt{best, std::max(best, limit.rlim_max)};
    if (attempt.rlim_max > limit.rlim_max) attempt.rlim_max = best;
    if (setrlimit(RLIMIT_NOFILE, &attempt) == 0) break;
    last_error = errno;
    best = best > 16 ? best - 16 : 0;
  }
  if (best >= wanted) return;
  if (best < limit.rlim_cur) best = limit.rlim_cur;
  int old_maxclients = config.maxclients;
  config.maxclients = static_cast<int>(best) - kReservedFds;
  if (config.maxclients < 1) config.maxclients = 1;
  LOG_WARNING("You requested maxclients of %d requiring at least %llu max file descriptors.",
              old_maxclients, static_cast<unsigned long long>(wanted));
  LOG_WARNING("Server can't set maximum open files to %llu because of OS error: %s.",
              static_cast<unsigned long long>(wanted), strerror(last_error));
  LOG_WARNING(
      "Current maximum open files is %llu. maxclients has been reduced to %d to compensate for "
      "low ulimit. If you need higher maxclients increase 'ulimit -n'.",
      static_cast<unsigned long long>(best), config.maxclients);
}

// Tells systemd (or another supervisor speaking its protocol) about our state.
void NotifySupervisor(const Config& config, const char* message) {
  const char* socket_path = getenv("NOTIFY_SOCKET");
  if (socket_path == nullptr || socket_path[0] == '\0') return;
  if (config.supervised != "systemd" && config.supervised != "auto") return;
  sockaddr_un address{};
  address.sun_family = AF_UNIX;
  size_t length = strlen(socket_path);
  if (length >= sizeof(address.sun_path)) return;
  memcpy(address.sun_path, socket_path, length);
  if (address.sun_path[0] == '@') address.sun_path[0] = '\0';  // Abstract namespace.
  int fd = socket(AF_UNIX, SOCK_DGRAM | SOCK_CLOEXEC, 0);
  if (fd < 0) return;
  socklen_t address_length = static_cast<socklen_t>(offsetof(sockaddr_un, sun_path) + length);
  if (sendto(fd, message, strlen(message), MSG_NOSIGNAL, reinterpret_cast<sockaddr*>(&address),
             address_length) < 0) {
    LOG_WARNING("Can't notify the supervisor at %s: %s", socket_path, strerror(errno));
  }
  close(fd);
}

}  // namespace

// A refused connection: the error reply is sent, then the socket is closed.
struct Server::Rejection {
  int fd;
  io::Operation send_operation;
  io::Operation close_operation;
};

Server::Server(Config config) : config_(std::move(config)) {
  hash_seed_ = RandomSeed();
  run_id_ = RandomHex(40);
  replication_id_ = RandomHex(40);
  keyspace_ = std::make_unique<store::Keyspace>(config_.databases, hash_seed_);
  keyspace_->set_listener(this);
  commands::RegisterDataCommands(commands_);
  RegisterServerCommands(commands_);
  start_time_ms_ = UnixTimeMs();
  now_ms_ = start_time_ms_;
}

Server::~Server() {
  clients_.clear();
  for (auto& listener : listeners_) {
    if (listener->fd >= 0) close(listener->fd);
  }
  if (signal_fd_ >= 0) close(signal_fd_);
}

Status Server::Start() {
  SetLogLevel(config_.loglevel);
  if (!config_.logfile.empty()) RINGDB_RETURN_IF_ERROR(SetLogFile(config_.logfile));
  // Signals must be blocked before any thread starts, so that only the signalfd sees them.
  RINGDB_RETURN_IF_ERROR(SetUpSignals());
  StartLogWriter();
  LOG_NOTICE("oO0OoO0OoO0Oo ringdb is starting oO0OoO0OoO0Oo");
  LOG_NOTICE("ringdb version=%s, bits=64, pid=%d, just started", RINGDB_VERSION,
             static_cast<int>(getpid()));
  if (config_.config_file.empty()) {
    LOG_WARNING(
        "No config file specified, using the default config. In order to specify a config file use "
        "ringdb-server /path/to/ringdb.conf");
  }
  AdjustOpenFilesLimit(config_);
  ApplyLimits();

  if (chdir(config_.dir.c_str()) != 0) {
    return Status::FromErrno("Can't chdir to '" + config_.dir + "'", errno);
  }
  // CONFIG GET dir and CONFIG REWRITE show the absolute directory, as Redis does.
  char working_directory[PATH_MAX];
  if (getcwd(working_directory, sizeof(working_directory)) != nullptr) {
    config_.dir = working_directory;
  }

  io::Proactor::Options options;
  auto proactor = io::Proactor::Create(options);
  if (!proactor.ok()) return proactor.status();
  proactor_ = std::move(proactor.value());
  LOG_NOTICE("io_uring ring ready (%s)", proactor_->features().c_str());
  if (!proactor_->defer_taskrun()) {
    LOG_WARNING(
        "This kernel lacks IORING_SETUP_DEFER_TASKRUN (Linux 6.1+): running with a basic ring, "
        "which costs some CPU per operation.");
  }
  auto buffers = proactor_->CreateBufferRing(kBufferGroup, kReceiveBuffers, kReceiveBufferBytes);
  if (!buffers.ok()) return buffers.status();
  buffers_ = std::move(buffers.value());
  const char* large_pages = getenv("MIMALLOC_LARGE_OS_PAGES");
  LOG_NOTICE("Allocator: %s%s%s", AllocatorName(),
             AllocatorOverridesMalloc() ? " (process-wide)" : "",
             large_pages != nullptr && large_pages[0] == '1' ? ", transparent huge pages" : "");

  auto worker = io::Worker::Start(proactor_.get());
  if (!worker.ok()) return worker.status();
  worker_ = std::move(worker.value());
  RINGDB_RETURN_IF_ERROR(OpenListeners());
  signal_operation_ = io::MakeOperation<&Server::OnSignal>(this);
  ArmSignalRead();
  cron_operation_ = io::MakeOperation<&Server::OnCron>(this);
  ArmCron();

  if (!config_.pidfile.empty()) {
    FILE* pidfile = fopen(config_.pidfile.c_str(), "w");
    if (pidfile == nullptr) {
      LOG_WARNING("Failed to write PID file %s: %s", config_.pidfile.c_str(), strerror(errno));
    } else {
      fprintf(pidfile, "%d\n", static_cast<int>(getpid()));
      fclose(pidfile);
    }
  }
  startup_memory_bytes_ = AllocatedBytes();
  LOG_NOTICE("Server initialized");
  LOG_NOTICE("Ready to accept connections");
  NotifySupervisor(config_, "READY=1\nSTATUS=Ready to accept connections\n");
  return Status::Ok();
}

Status Server::SetUpSignals() {
  signal(SIGPIPE, SIG_IGN);
  sigset_t mask;
  sigemptyset(&mask);
  sigaddset(&mask, SIGTERM);
  sigaddset(&mask, SIGINT);
  if (pthread_sigmask(SIG_BLOCK, &mask, nullptr) != 0) {
    return Status::FromErrno("blocking SIGTERM and SIGINT", errno);
  }
  signal_fd_ = signalfd(-1, &mask, SFD_CLOEXEC);
  if (signal_fd_ < 0) return Status::FromErrno("signalfd", errno);
  return Status::Ok();
}

Status Server::OpenListeners() {
  int opened = 0;
  int port = config_.port;
  if (port != 0 || !config_.bind.empty()) {
    for (const std::string& entry : config_.bind) {
      bool optional = !entry.empty() && entry[0] == '-';
      std::string host = optional ? entry.substr(1) : entry;
      // Port 0 picks a free port (tests); every address then shares the first one's port.
      auto fd = io::ListenTcp(host, bound_port_ != 0 ? bound_port_ : port, config_.tcp_backlog);
      if (!fd.ok()) {
        if (optional) {
          LOG_NOTICE("Skipping optional bind address %s: %s", host.c_str(),
                     fd.status().message().c_str());
          continue;
        }
        return Status::IoError("Failed listening on " + host + ": " + fd.status().message());
      }
      if (bound_port_ == 0) bound_port_ = io::BoundPort(*fd);
      auto listener = std::make_unique<Listener>();
      listener->server = this;
      listener->fd = *fd;
      listener->description = host + ":" + std::to_string(bound_port_);
      listeners_.push_back(std::move(listener));
      opened++;
    }
  }
  if (!config_.unixsocket.empty()) {
    auto fd = io::ListenUnix(config_.unixsocket, config_.unixsocketperm, config_.tcp_backlog);
    if (!fd.ok()) return fd.status();
    auto listener = std::make_unique<Listener>();
    listener->server = this;
    listener->fd = *fd;
    listener->unix_socket = true;
    listener->description = config_.unixsocket;
    listeners_.push_back(std::move(listener));
    opened++;
  }
  if (opened == 0) {
    return Status::InvalidArgument("Configured to not listen anywhere, exiting.");
  }
  for (auto& listener : listeners_) {
    Listener* raw = listener.get();
    raw->accept_operation = io::Operation(
        [](void* owner, int result, uint32_t flags) {
          auto* self = static_cast<Listener*>(owner);
          self->server->OnAccept(*self, result, flags);
        },
        raw);
    ArmAccept(*raw);
    LOG_NOTICE("Listening on %s", raw->description.c_str());
  }
  return Status::Ok();
}

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
      auto client = std::make_unique<Client>(this, id, fd, listener.unix_socket, now_ms_);
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
  if (client.waiting_for_job) return false;
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
  client.last_interaction_ms = now_ms_;

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

bool Server::DeferredByPause(const Client& client, std::span<const std::string_view> argv) const {
  if (pause_deadline_ms_ == 0 || !pause_writes_only_ || client.monitor) return false;
  // As in Redis, commands that fail the lookup or the arity check are answered at once.
  const commands::Command* command = commands_.Lookup(argv);
  if (command == nullptr || !command->ArityAccepts(argv.size())) return false;
  return command->has(commands::kWrite) || command->has(commands::kMayReplicate);
}

void Server::ProcessQueryBuffer(Client& client) {
  if (client.query.empty() || !CanProcessCommands(client)) return;
  size_t consumed = ProcessInput(client, client.query.view());
  if (client.closing) return;
  client.query.Consume(consumed);
}

void Server::Execute(Client& client, std::span<const std::string_view> argv) {
  // One clock read gives both the command's notion of "now" and the start of its duration
  // (Redis also times commands with the wall clock).
  int64_t start_us = UnixTimeUs();
  now_ms_ = start_us / 1000;
  bool silent = client.reply_mode == ReplyMode::kOff || client.reply_mode == ReplyMode::kSkip;
  resp::OutputBuffer discarded;
  if (silent) client.reply.set_output(&discarded);

  current_command_failed_ = false;
  commands::Command* command = commands_.Resolve(argv, client.reply, &client.cached_command);
  if (command != nullptr && !ProtectedCommandAllowed(client, *command)) {
    command->rejected_calls++;
    client.reply.Error(
        "DEBUG command not allowed. If the enable-debug-command option is set to \"local\", you "
        "can run it from a local connection, otherwise you need to set this option in the "
        "configuration file, and then restart the server.");
    command = nullptr;
  }
  current_command_ = command;
  if (command != nullptr) {
    client.last_command = command->full_name;
    commands::CommandContext context(argv, client.reply, *keyspace_, client.session, limits_,
                                     counters_, this, &client, now_ms_);
    context.command = command;
    command->spec->handler(context);
    int64_t duration_us = std::max<int64_t>(0, UnixTimeUs() - start_us);
    command->calls++;
    command->microseconds += static_cast<uint64_t>(duration_us);
    stats_.command_time_us += static_cast<uint64_t>(duration_us);
    if (config_.latency_tracking) command_latencies_.Record(command, duration_us);
    if (current_command_failed_) command->failed_calls++;
    stats_.total_commands_processed++;
    client.commands_processed++;
    if (config_.slowlog_log_slower_than_us >= 0 &&
        duration_us >= config_.slowlog_log_slower_than_us &&
        !command->has(commands::kSkipSlowlog)) {
      slowlog_.Add(argv, duration_us, now_ms_, client.peer_address, client.name,
                   static_cast<size_t>(config_.slowlog_max_len));
    }
    if (config_.latency_monitor_threshold_ms > 0 &&
        duration_us / 1000 >= config_.latency_monitor_threshold_ms) {
      latency_.Add(command->has(commands::kFast) ? "fast-command" : "command", now_ms_,
                   static_cast<uint32_t>(duration_us / 1000));
    }
    if (!monitors_.empty() && !command->has(commands::kSkipMonitor) &&
        !command->has(commands::kAdmin)) {
      FeedMonitors(client, argv);
    }
  }
  current_command_ = nullptr;

  if (silent) {
    client.reply.set_output(&client.output);
    // CLIENT REPLY ON and RESET switch replies back on from within a silenced command; Redis
    // clears the flag before replying, so that command's own reply is sent.
    if (client.reply_mode == ReplyMode::kOn) MoveOutput(discarded, client.output);
  }
  // CLIENT REPLY SKIP silences exactly the command after it.
  if (client.reply_mode == ReplyMode::kSkip) {
    client.reply_mode = ReplyMode::kOn;
  } else if (client.reply_mode == ReplyMode::kSkipNext) {
    client.reply_mode = ReplyMode::kSkip;
  }
  if (client.closing) return;
  if (!client.output.empty()) {
    QueueSend(client);
    CheckOutputLimits(client);
    if (client.output.size() >= kOutputPauseBytes) client.input_paused = true;
  }
}

bool Server::ProtectedCommandAllowed(const Client& client, const commands::Command& command) const {
  const commands::Command& top = command.parent != nullptr ? *command.parent : command;
  if (!top.has(commands::kProtected)) return true;
  const std::string& setting = config_.enable_debug_command;
  if (setting == "yes") return true;
  if (setting != "local") return false;
  // Redis's islocalClient: a Unix socket or a loopback peer.
  if (client.unix_socket()) return true;
  std::string_view peer = client.peer_address;
  return peer.rfind("127.0.0.1:", 0) == 0 || peer.rfind("::1:", 0) == 0;
}

void Server::CheckOutputLimits(Client& client) {
  const OutputBufferLimit& limit =
      client.monitor ? config_.output_limit_pubsub : config_.output_limit_normal;
  int64_t used = static_cast<int64_t>(client.output.allocated_bytes());
  bool hard = limit.hard_bytes > 0 && used >= limit.hard_bytes;
  bool soft = false;
  if (limit.soft_bytes > 0 && used >= limit.soft_bytes) {
    if (client.soft_limit_reached_ms == 0) client.soft_limit_reached_ms = now_ms_;
    soft = now_ms_ - client.soft_limit_reached_ms >= limit.soft_seconds * 1000;
  } else {
    client.soft_limit_reached_ms = 0;
  }
  if (hard || soft) {
    LOG_WARNING(
        "Client id=%llu addr=%s scheduled to be closed ASAP for overcoming of output buffer "
        "limits.",
        static_cast<unsigned long long>(client.id()), client.peer_address.c_str());
    stats_.client_output_buffer_limit_disconnections++;
    CloseClientAsync(client, "output buffer limit");
  }
}

void Server::FeedMonitors(const Client& client, std::span<const std::string_view> argv) {
  std::string line = "+";
  char stamp[32];
  int64_t now_us = UnixTimeUs();
  snprintf(stamp, sizeof(stamp), "%lld.%06lld", static_cast<long long>(now_us / 1000000),
           static_cast<long long>(now_us % 1000000));
  line += stamp;
  line += " [" + std::to_string(client.session.db_index) + " ";
  if (client.unix_socket()) {
    line += "unix:" + config_.unixsocket;
  } else {
    line += client.peer_address;
  }
  line += "]";
  for (std::string_view arg : argv) {
    line += " ";
    AppendQuoted(line, arg);
  }
  line += "\r\n";
  for (Client* monitor : monitors_) {
    if (monitor->closing) continue;
    monitor->output.Append(line);
    QueueSend(*monitor);
  }
}

void Server::AddMonitor(Client& client) {
  if (client.monitor) return;
  client.monitor = true;
  monitors_.push_back(&client);
}

void Server::RunJob(Client& client, std::function<void()> job, std::function<void(Client&)> reply) {
  client.waiting_for_job = true;
  uint64_t id = client.id();
  worker_->Submit(std::move(job), [this, id, reply = std::move(reply)] {
    Client* waiting = FindClient(id);
    if (waiting == nullptr) return;  // The client left; its reply goes nowhere.
    waiting->waiting_for_job = false;
    reply(*waiting);
    if (!waiting->output.empty()) QueueSend(*waiting);
    if (!waiting->queued_for_input) {
      waiting->queued_for_input = true;
      input_queue_.push_back(waiting);
    }
  });
}

void Server::RemoveMonitor(Client& client) {
  if (!client.monitor) return;
  std::erase(monitors_, &client);
  client.monitor = false;
}

void Server::ChangeReplicationId() { replication_id_ = RandomHex(40); }

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
  if (client.monitor) {
    std::erase(monitors_, &client);
    client.monitor = false;
  }
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

void Server::ArmCron() {
  int64_t interval_ms = 1000 / config_.hz;
  if (interval_ms < 1) interval_ms = 1;
  cron_interval_.tv_sec = interval_ms / 1000;
  cron_interval_.tv_nsec = (interval_ms % 1000) * 1000000;
  io_uring_sqe* sqe = proactor_->Prepare(&cron_operation_);
  io_uring_prep_timeout(sqe, &cron_interval_, 0, 0);
}

void Server::OnCron(int, uint32_t) {
  now_ms_ = UnixTimeMs();
  stats_.ops.Sample(now_ms_, stats_.total_commands_processed);
  stats_.input_bytes.Sample(now_ms_, stats_.total_net_input_bytes);
  stats_.output_bytes.Sample(now_ms_, stats_.total_net_output_bytes);
  stats_.loop_cycles.Sample(now_ms_, proactor_->turns());
  int64_t used = AllocatedBytes();
  if (used > 0 && static_cast<uint64_t>(used) > stats_.peak_memory_bytes) {
    stats_.peak_memory_bytes = static_cast<uint64_t>(used);
  }
  // Active expiry: about 1 ms per tick (more with active-expire-effort); when many sampled keys
  // were stale, run again within the same tick budget rather than waiting a whole tick.
  // DEBUG SET-ACTIVE-EXPIRE 0 turns this off, and like Redis no key expires on its own while
  // clients are paused (a paused server must not change the dataset behind their back).
  if (active_expire_enabled_ && pause_deadline_ms_ == 0) {
    int64_t budget_us = 1000 + 250 * (config_.active_expire_effort - 1);
    bool more = keyspace_->ActiveExpireCycle(now_ms_, budget_us);
    if (more) stats_.expired_time_cap_reached_count++;
  }
  if (pause_deadline_ms_ != 0 && now_ms_ >= pause_deadline_ms_) Unpause();
  if (config_.timeout_seconds > 0) CloseIdleClients();
  if (proactor_->stopping() || shutdown_requested_) return;
  ArmCron();
}

void Server::CloseIdleClients() {
  int64_t limit_ms = static_cast<int64_t>(config_.timeout_seconds) * 1000;
  for (auto& [id, client] : clients_) {
    if (client->closing || client->monitor) continue;
    if (now_ms_ - client->last_interaction_ms > limit_ms) {
      LOG_VERBOSE("Closing idle client id=%llu", static_cast<unsigned long long>(id));
      CloseClient(*client);
    }
  }
}

void Server::ArmSignalRead() {
  io_uring_sqe* sqe = proactor_->Prepare(&signal_operation_);
  io_uring_prep_read(sqe, signal_fd_, signal_buffer_, sizeof(signalfd_siginfo), 0);
}

void Server::OnSignal(int result, uint32_t) {
  if (result == static_cast<int>(sizeof(signalfd_siginfo))) {
    signalfd_siginfo info;
    memcpy(&info, signal_buffer_, sizeof(info));
    const char* name = info.ssi_signo == SIGINT ? "SIGINT" : "SIGTERM";
    if (shutdown_requested_ && info.ssi_signo == SIGINT) {
      LOG_WARNING("You insist... exiting now.");
      StopLogWriter();
      _exit(1);
    }
    LOG_WARNING("Received %s scheduling shutdown...", name);
    RequestShutdown(name);
  }
  if (!proactor_->stopping()) ArmSignalRead();
}

void Server::RequestShutdown(const char* reason) {
  shutdown_requested_ = true;
  shutdown_reason_ = reason;
}

// ---- Configuration changes and statistics (CONFIG, INFO) ----

Status Server::ReplaceConfig(const Config& next) {
  // The steps that can fail come first, so that a failure leaves everything as it was.
  if (next.maxclients != config_.maxclients) {
    Config probe = next;
    AdjustOpenFilesLimit(probe);
    if (probe.maxclients != next.maxclients) {
      return Status::InvalidArgument(ConfigSetError(
          "maxclients",
          "The operating system is not able to handle the specified number of clients, try "
          "with " +
              std::to_string(probe.maxclients)));
    }
  }
  Config applied = next;
  if (next.dir != config_.dir) {
    if (chdir(next.dir.c_str()) != 0) {
      return Status::InvalidArgument(ConfigSetError("dir", strerror(errno)));
    }
    char working_directory[PATH_MAX];
    if (getcwd(working_directory, sizeof(working_directory)) != nullptr) {
      applied.dir = working_directory;
    }
  }
  if (next.loglevel != config_.loglevel) SetLogLevel(next.loglevel);
  if (next.proto_max_bulk_len != config_.proto_max_bulk_len) {
    for (auto& [id, client] : clients_) client->parser.set_bulk_bytes_max(next.proto_max_bulk_len);
  }
  // Everything else is read from config_ where it is used: timeout and hz by the cron,
  // tcp-keepalive at accept, the buffer limits after each read and command, slowlog and
  // latency settings after each command.
  applied.config_file = config_.config_file;
  config_ = std::move(applied);
  ApplyLimits();
  return Status::Ok();
}

void Server::ApplyLimits() {
  limits_.proto_max_bulk_len = config_.proto_max_bulk_len;
  limits_.lazy_user_flush = config_.lazyfree_lazy_user_flush;
  const std::string& policy = config_.maxmemory_policy;
  bool lru = policy.find("lru") != std::string::npos;
  limits_.lfu_policy = policy.find("lfu") != std::string::npos;
  // Redis stops sharing small integer objects when each key needs its own LRU/LFU data.
  limits_.share_small_integers = config_.maxmemory == 0 || !(lru || limits_.lfu_policy);
}

void Server::ResetStats() {
  stats_.Reset();
  commands_.ResetStats();
  error_stats_.Reset();
  command_latencies_.Reset();
  counters_.keyspace_hits = 0;
  counters_.keyspace_misses = 0;
  keyspace_->mutable_expire_stats() = store::ExpireStats{};
}

void Server::Pause(int64_t deadline_ms, bool writes_only) {
  // As in Redis, a pause only grows: the later deadline and the stricter mode (ALL over WRITE)
  // win, whichever request brought them.
  if (pause_deadline_ms_ == 0) {
    pause_writes_only_ = writes_only;
  } else if (!writes_only) {
    pause_writes_only_ = false;
  }
  if (deadline_ms > pause_deadline_ms_) pause_deadline_ms_ = deadline_ms;
}

void Server::Unpause() {
  pause_deadline_ms_ = 0;
  pause_writes_only_ = false;
  for (auto& [id, client] : clients_) {
    if (client->closing || client->query.empty() || client->queued_for_input) continue;
    client->queued_for_input = true;
    input_queue_.push_back(client.get());
  }
}

int Server::Run() {
  proactor_->Run([this] { TurnEnd(); });
  Shutdown();
  return 0;
}

void Server::Shutdown() {
  LOG_WARNING("User requested shutdown...");
  NotifySupervisor(config_, "STOPPING=1\n");
  for (auto& listener : listeners_) {
    io_uring_sqe* sqe = proactor_->Prepare(nullptr);
    io_uring_prep_cancel(sqe, &listener->accept_operation, 0);
  }
  for (auto& [id, client] : clients_) CloseClient(*client);
  worker_->Quiesce();
  {
    io_uring_sqe* sqe = proactor_->Prepare(nullptr);
    io_uring_prep_cancel(sqe, &cron_operation_, 0);
    sqe = proactor_->Prepare(nullptr);
    io_uring_prep_cancel(sqe, &signal_operation_, 0);
  }
  int left = proactor_->Drain(2000);
  if (left > 0) LOG_WARNING("%d operations still in flight at exit", left);
  for (Client* client : dead_clients_) {
    clients_.erase(client->id());
    closing_clients_--;
  }
  dead_clients_.clear();
  for (auto& listener : listeners_) {
    close(listener->fd);
    listener->fd = -1;
  }
  if (!config_.unixsocket.empty()) unlink(config_.unixsocket.c_str());
  if (!config_.pidfile.empty()) unlink(config_.pidfile.c_str());
  LOG_WARNING("ringdb is now ready to exit, bye bye...");
  StopLogWriter();
}

void Server::KeyModified(int, std::string_view) {}
void Server::DatabaseFlushed(int) {}
void Server::Notify(uint32_t, std::string_view, std::string_view, int) {}
void Server::OnKeyExpired(int, std::string_view) {}

void Server::FreeInBackground(std::unique_ptr<store::Table> table) {
  // std::function needs a copyable callable, so the table travels as a raw pointer; the job
  // owns it from here. Entries are freed on the worker thread (the allocator and the memory
  // counters are thread-safe).
  store::Table* doomed = table.release();
  worker_->Submit([doomed] { delete doomed; }, [] {});
}

void Server::OnErrorReply(std::string_view text) {
  size_t space = text.find(' ');
  error_stats_.Add(text.substr(0, space));
  stats_.total_error_replies++;
  current_command_failed_ = true;
}

}  // namespace ringdb::server
