#include "ringdb/server/server.h"

#include <signal.h>
#include <sys/random.h>
#include <sys/resource.h>
#include <sys/signalfd.h>
#include <sys/socket.h>
#include <sys/un.h>
#include <unistd.h>

#include <algorithm>
#include <cerrno>
#include <climits>
#include <cstring>

#include "pubsub.h"
#include "rdb_snapshot.h"
#include "ringdb/base/clock.h"
#include "ringdb/base/log.h"
#include "ringdb/base/memory.h"
#include "ringdb/base/strings.h"
#include "ringdb/commands/registry.h"
#include "ringdb/io/socket.h"
#include "server_commands.h"
#include "server_internal.h"

namespace ringdb::server {
namespace {

// Descriptors kept for listeners, the ring, files and logs (Redis's CONFIG_MIN_RESERVED_FDS).
constexpr int kReservedFds = 32;

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

Server::Server(Config config) : config_(std::move(config)) {
  hash_seed_ = RandomSeed();
  run_id_ = RandomHex(40);
  replication_id_ = RandomHex(40);
  keyspace_ = std::make_unique<store::Keyspace>(config_.databases, hash_seed_);
  blocking_keys_.resize(static_cast<size_t>(config_.databases));
  keyspace_->set_listener(this);
  pubsub_ = std::make_unique<PubSubRegistry>();
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
  files_ = std::make_unique<io::Files>(proactor_.get());
  persistence_ = std::make_unique<Persistence>(this);
  persistence_->set_last_save_s(start_time_ms_ / 1000);
  persistence_->set_encoder_factory([this] { return NewRdbEncoder(*this); });
  // Start-up (before anyone is served) checks for a snapshot, so that a server without one
  // never answers -LOADING.
  if (::access((config_.dir + "/" + config_.dbfilename).c_str(), F_OK) == 0) {
    load_ = StartLoading(*this, [this] { FinishLoading(0); });
  }
  RINGDB_RETURN_IF_ERROR(OpenListeners());
  signal_operation_ = io::MakeOperation<&Server::OnSignal>(this);
  ArmSignalRead();
  cron_operation_ = io::MakeOperation<&Server::OnCron>(this);
  ArmCron();
  expire_operation_ = io::MakeOperation<&Server::OnExpireTimer>(this);
  ArmExpireTimer(false);
  block_timer_operation_ = io::MakeOperation<&Server::OnBlockTimer>(this);

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
  // A file-size limit (ulimit -f) makes a snapshot write fail with EFBIG, reported like a
  // full disk, instead of killing the server.
  signal(SIGXFSZ, SIG_IGN);
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

void Server::ChangeReplicationId() { replication_id_ = RandomHex(40); }

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
  if (pause_deadline_ms_ != 0 && now_ms_ >= pause_deadline_ms_) Unpause();
  if (config_.timeout_seconds > 0) CloseIdleClients();
  if (proactor_->stopping() || shutdown_requested_) return;
  if (load_ != nullptr) {
    if (now_ms_ - load_progress_logged_ms_ >= 2000) {
      load_progress_logged_ms_ = now_ms_;
      uint64_t done = load_->loaded_bytes.load(std::memory_order_relaxed);
      uint64_t total = load_->total_bytes.load(std::memory_order_relaxed);
      LOG_NOTICE("Loading RDB: %llu of %llu bytes (%.1f%%)", static_cast<unsigned long long>(done),
                 static_cast<unsigned long long>(total),
                 total == 0 ? 0.0 : 100.0 * static_cast<double>(done) / static_cast<double>(total));
    }
  } else {
    persistence_->Cron(now_ms_ / 1000);
  }
  ArmCron();
}

void Server::ArmExpireTimer(bool backlog) {
  // Redis's slow cycle may use 25% of a core while stale keys pile up: 1 ms every 4 ms here.
  constexpr int64_t kBacklogIntervalMs = 4;
  int64_t interval_ms = backlog ? kBacklogIntervalMs : std::max<int64_t>(1, 1000 / config_.hz);
  expire_interval_.tv_sec = interval_ms / 1000;
  expire_interval_.tv_nsec = (interval_ms % 1000) * 1000000;
  io_uring_sqe* sqe = proactor_->Prepare(&expire_operation_);
  io_uring_prep_timeout(sqe, &expire_interval_, 0, 0);
}

void Server::OnExpireTimer(int, uint32_t) {
  // Active expiry: about 1 ms per cycle (more with active-expire-effort), once per tick; when
  // a cycle runs out of time with many of the keys it sampled stale, the next one comes
  // within a few milliseconds instead of a whole tick. DEBUG SET-ACTIVE-EXPIRE 0 turns this
  // off, and like Redis no key expires on its own while clients are paused (a paused server
  // must not change the dataset behind their back).
  bool backlog = false;
  if (active_expire_enabled_ && pause_deadline_ms_ == 0) {
    now_ms_ = UnixTimeMs();
    int64_t budget_us = 1000 + 250 * (config_.active_expire_effort - 1);
    backlog = keyspace_->ActiveExpireCycle(now_ms_, budget_us);
    if (backlog) stats_.expired_time_cap_reached_count++;
  }
  if (proactor_->stopping() || shutdown_requested_) return;
  ArmExpireTimer(backlog);
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
    if ((shutdown_requested_ || shutdown_saving_) && info.ssi_signo == SIGINT) {
      LOG_WARNING("You insist... exiting now.");
      StopLogWriter();
      _exit(1);
    }
    LOG_WARNING("Received %s scheduling shutdown...", name);
    if (shutdown_saving_) {
      // The final save is already running; its end shuts down.
    } else if (!config_.save_rules.empty() && load_ == nullptr) {
      SaveThenShutdown(name, false, [](bool) {});
    } else {
      RequestShutdown(name);
    }
  }
  if (!proactor_->stopping()) ArmSignalRead();
}

void Server::SaveThenShutdown(const char* reason, bool force,
                              std::function<void(bool exiting)> after) {
  LOG_WARNING("Saving the final RDB snapshot before exiting.");
  shutdown_saving_ = true;
  Pause(INT64_MAX, true);
  persistence_->SaveAndWait("shutdown", [this, reason, force, after](const Status& status) {
    shutdown_saving_ = false;
    bool exiting = true;
    if (status.ok()) {
      LOG_WARNING("DB saved on disk");
    } else if (force) {
      LOG_WARNING("Error trying to save the DB. Exit anyway.");
    } else {
      LOG_WARNING("Error trying to save the DB, can't exit.");
      LOG_WARNING("Errors trying to shut down the server. Check the logs for more information.");
      Unpause();
      exiting = false;
    }
    if (exiting) RequestShutdown(reason);
    after(exiting);
  });
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
  commands::EncodingLimits& encodings = limits_.encodings;
  encodings.hash_max_listpack_entries = config_.hash_max_listpack_entries;
  encodings.hash_max_listpack_value = config_.hash_max_listpack_value;
  encodings.zset_max_listpack_entries = config_.zset_max_listpack_entries;
  encodings.zset_max_listpack_value = config_.zset_max_listpack_value;
  encodings.set_max_intset_entries = config_.set_max_intset_entries;
  encodings.set_max_listpack_entries = config_.set_max_listpack_entries;
  encodings.set_max_listpack_value = config_.set_max_listpack_value;
  encodings.list_max_listpack_size = config_.list_max_listpack_size;
  encodings.list_compress_depth = config_.list_compress_depth;
  encodings.stream_node_max_bytes = config_.stream_node_max_bytes;
  encodings.stream_node_max_entries = config_.stream_node_max_entries;
  limits_.hll_sparse_max_bytes = config_.hll_sparse_max_bytes;
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
  return exit_code_;
}

void Server::DebugReload(Client& client, bool save) {
  uint64_t id = client.id();
  SuspendClient(client);
  auto load = [this, id] {
    // As Redis: the dataset goes first, then the file comes back in.
    for (auto& table : keyspace_->TakeAll()) FreeInBackground(std::move(table));
    load_ = StartLoading(*this, [this, id] { FinishLoading(id); });
  };
  if (!save) {
    load();
    return;
  }
  persistence_->SaveAndWait("DEBUG RELOAD", [this, id, load](const Status& status) {
    if (!status.ok()) {
      ResumeClient(id, [](Client& waiting) { waiting.reply.Error("ERR"); });
      return;
    }
    load();
  });
}

void Server::FinishLoading(uint64_t reload_client) {
  std::shared_ptr<LoadState> state = std::move(load_);
  if (!state->status.ok() && reload_client != 0) {
    LOG_WARNING("DEBUG RELOAD failed to load %s: %s", state->path.c_str(),
                state->status.message().c_str());
    ResumeClient(reload_client, [](Client& waiting) {
      waiting.reply.Error("Error trying to load the RDB dump, check server logs.");
    });
    return;
  }
  // The file went away between start-up's check and the worker's: start empty.
  if (state->status.code() == Status::Code::kNotFound) return;
  if (!state->status.ok()) {
    // As Redis, the server does not run on a damaged snapshot: it would save over it.
    LOG_WARNING(
        "Fatal error loading the DB %s: %s. Exiting: move the file away to start empty, or "
        "look at it with 'ringdb-rdb dump %s' (build directory).",
        state->path.c_str(), state->status.message().c_str(), state->path.c_str());
    exit_code_ = 1;
    RequestShutdown("load error");
    return;
  }
  InstallLoaded(*this, *state);
  if (reload_client != 0) {
    LOG_WARNING("DB reloaded by DEBUG RELOAD");
    ResumeClient(reload_client, [](Client& waiting) { waiting.reply.Ok(); });
  }
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
    io_uring_prep_cancel(sqe, &expire_operation_, 0);
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

void Server::OnKeyExpired(int db_index, std::string_view key) {
  Notify(commands::kNotifyExpired, "expired", key, db_index);
  KeyModified(db_index, key);  // An expired key breaks its WATCHes, as any deletion.
}

void Server::FreeInBackground(std::unique_ptr<store::Table> table) {
  // std::function needs a copyable callable, so the table travels as a raw pointer; the job
  // owns it from here. Entries are freed on the worker thread (the allocator and the memory
  // counters are thread-safe).
  // A running snapshot may still read the table: it is freed when the snapshot ends.
  table = persistence_->AdoptTable(std::move(table));
  if (table == nullptr) return;
  store::Table* doomed = table.release();
  worker_->Submit([doomed] { delete doomed; }, [] {});
}

bool Server::SaveAfterFlushAll() {
  if (config_.save_rules.empty()) return false;
  Client* client = executing_client_;
  // Inside EXEC the transaction's other replies must not wait: the save just starts.
  bool wait = client != nullptr && !client->in_exec;
  uint64_t id = wait ? client->id() : 0;
  if (wait) SuspendClient(*client);
  persistence_->SaveAndWait("FLUSHALL", [this, id, wait](const Status& status) {
    if (!status.ok()) LOG_WARNING("Saving after FLUSHALL failed: %s", status.message().c_str());
    // Redis replies OK whatever the save did.
    if (wait) ResumeClient(id, [](Client& waiting) { waiting.reply.Ok(); });
  });
  return wait;
}

void Server::OnErrorReply(std::string_view text) {
  size_t space = text.find(' ');
  error_stats_.Add(text.substr(0, space));
  stats_.total_error_replies++;
  current_command_failed_ = true;
}

}  // namespace ringdb::server
