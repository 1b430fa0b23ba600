// Server: owns the proactor, the keyspace, the command table and every client, and runs the
// loop. One Server is one shard (today the only one).
#pragma once

#include <cstdint>
#include <deque>
#include <functional>
#include <map>
#include <memory>
#include <span>
#include <string>
#include <string_view>
#include <vector>

#include "ringdb/base/status.h"
#include "ringdb/commands/command.h"
#include "ringdb/commands/context.h"
#include "ringdb/io/files.h"
#include "ringdb/io/proactor.h"
#include "ringdb/io/worker.h"
#include "ringdb/server/client.h"
#include "ringdb/server/config.h"
#include "ringdb/server/persistence.h"
#include "ringdb/server/stats.h"
#include "ringdb/store/keyspace.h"

namespace ringdb::server {

class PubSubRegistry;
struct LoadState;

class Server : public commands::KeyEvents,
               public store::KeyspaceListener,
               public resp::ErrorListener {
 public:
  explicit Server(Config config);
  ~Server();
  Server(const Server&) = delete;
  Server& operator=(const Server&) = delete;

  // Opens listeners and the ring. Errors name what failed.
  Status Start();
  // Runs until shutdown. Returns the process exit code.
  int Run();

  // Asks the loop to shut down after this turn (signal, SHUTDOWN).
  void RequestShutdown(const char* reason);
  // The final save before a shutdown (SHUTDOWN, SIGTERM with save rules): writes pause so
  // that nothing is acknowledged after the snapshot's point in time; when the save is durable
  // (or failed and `force`), the shutdown is requested. `after(exiting)` runs then.
  void SaveThenShutdown(const char* reason, bool force, std::function<void(bool exiting)> after);
  bool shutdown_saving() const { return shutdown_saving_; }
  // The snapshot being loaded at start-up, or nullptr once the data is in place.
  const LoadState* loading() const { return load_.get(); }
  // DEBUG RELOAD: saves (unless !save), empties the keyspace and loads the file back while
  // other clients get -LOADING; `client` waits for the outcome.
  void DebugReload(Client& client, bool save);

  // ---- For command handlers (loop thread only). ----
  Config& config() { return config_; }
  store::Keyspace& keyspace() { return *keyspace_; }
  commands::CommandTable& command_table() { return commands_; }
  commands::Counters& counters() { return counters_; }
  const commands::Limits& limits() const { return limits_; }
  ServerStats& stats() { return stats_; }
  io::Proactor& proactor() { return *proactor_; }
  io::Files& files() { return *files_; }
  io::Worker& worker() { return *worker_; }
  Persistence& persistence() { return *persistence_; }
  // Suspends `client` until ResumeClient: its later commands wait (SAVE, CONFIG REWRITE).
  void SuspendClient(Client& client);
  // Runs `reply` for the suspended client `id` (if it is still connected) and lets it go on.
  void ResumeClient(uint64_t id, const std::function<void(Client&)>& reply);
  const std::map<uint64_t, std::unique_ptr<Client>>& clients() const { return clients_; }
  Client* FindClient(uint64_t id);
  // Closes `client` after the current command (CLIENT KILL, QUIT).
  void CloseClientAsync(Client& client, const char* reason);
  // Registers a MONITOR client.
  void AddMonitor(Client& client);
  int64_t start_time_ms() const { return start_time_ms_; }
  int64_t now_ms() const { return now_ms_; }
  uint64_t run_id_seed() const { return hash_seed_; }
  const std::string& run_id() const { return run_id_; }
  int tcp_port() const { return bound_port_; }
  SlowLog& slowlog() { return slowlog_; }
  LatencyMonitor& latency() { return latency_; }
  ErrorStats& error_stats() { return error_stats_; }

  // ---- Configuration changes and statistics (CONFIG, INFO) ----
  // Makes `next` the running configuration and pushes the values that running state caches:
  // the log level, every connection's protocol limit, the descriptor limit (maxclients) and the
  // working directory. On error nothing changes and the Status carries the whole CONFIG SET
  // error text.
  Status ReplaceConfig(const Config& next);
  // CONFIG RESETSTAT: zeroes INFO's counters, commandstats, errorstats and the latency
  // histograms; the slowlog and LATENCY's events stay, as in Redis.
  void ResetStats();
  CommandLatencies& command_latencies() { return command_latencies_; }
  // Bytes allocated once start-up was done (INFO's used_memory_startup).
  int64_t startup_memory_bytes() const { return startup_memory_bytes_; }

  // CLIENT PAUSE: until `deadline_ms`, no commands (all) or no writes (write) run.
  void Pause(int64_t deadline_ms, bool writes_only);
  void Unpause();

  // Runs `job` on the background worker; then, on the loop, `reply` writes the reply of the
  // command being executed. The client's later commands wait in order until then. For
  // commands whose work blocks (file writes and syncs): the loop never does.
  // REQUIRES: called from a command handler, which has not replied.
  void RunJob(Client& client, std::function<void()> job, std::function<void(Client&)> reply);

  // Executes one command for `client`. Public for DEBUG and tests; the loop calls it too.
  void Execute(Client& client, std::span<const std::string_view> argv);

  // ---- Server commands: CLIENT, RESET, MONITOR, DEBUG (loop thread only). ----
  // Takes a MONITOR client out of monitor mode (RESET).
  void RemoveMonitor(Client& client);
  // True while CLIENT PAUSE is in force; paused_writes_only() tells WRITE from ALL.
  bool paused() const { return pause_deadline_ms_ != 0; }
  bool paused_writes_only() const { return pause_writes_only_; }
  // DEBUG SET-ACTIVE-EXPIRE: whether the cron deletes expired keys nobody reads.
  bool active_expire_enabled() const { return active_expire_enabled_; }
  void set_active_expire_enabled(bool enabled) { active_expire_enabled_ = enabled; }
  // DEBUG QUICKLIST-PACKED-THRESHOLD: list elements at least this long are stored as plain
  // nodes (kept for the list encoding to honour).
  uint64_t quicklist_packed_threshold_bytes() const { return quicklist_packed_threshold_bytes_; }
  void set_quicklist_packed_threshold_bytes(uint64_t bytes) {
    quicklist_packed_threshold_bytes_ = bytes;
  }
  // The replication ID (INFO replication's master_replid); DEBUG CHANGE-REPL-ID draws a new one.
  const std::string& replication_id() const { return replication_id_; }
  void ChangeReplicationId();

  // ---- Pub/sub (pubsub.cc, pubsub_commands.cc; loop thread only). ----
  PubSubRegistry& pubsub() { return *pubsub_; }
  // Sends `message` to the subscribers of `channel` and, unless `shard`, to those of every
  // matching pattern. Returns the number of deliveries (Redis's receivers: a client
  // subscribed to the channel and to a matching pattern counts twice). Subscribers that pass
  // their output buffer limit are closed before this returns.
  int64_t Publish(std::string_view channel, std::string_view message, bool shard);
  // Drops every subscription of `client` without replies (RESET; closing does it too).
  void UnsubscribeAll(Client& client);

  // ---- Transactions (transactions.cc; loop thread only). ----
  // Runs a resolved command for `client`: the handler, then statistics, the slow log, the
  // latency monitor and MONITOR. EXEC runs each queued command through it.
  void Call(Client& client, commands::Command& command, std::span<const std::string_view> argv,
            int64_t start_us);
  // WATCHes `key` of database `db_index` for `client` (no-op when already watched).
  void Watch(Client& client, int db_index, std::string_view key);
  void UnwatchAll(Client& client);
  // EXEC's check: has a key this client watches expired since (without being deleted yet)?
  bool WatchedKeyExpired(const Client& client) const;
  // Leaves MULTI: drops the queued commands, the dirty flags and every WATCH.
  void DiscardTransaction(Client& client);

  // ---- commands::KeyEvents ----
  void KeyModified(int db_index, std::string_view key) override;
  void DatabaseFlushed(int db_index) override;
  void DatabasesSwapping(int first, int second) override;
  void FreeInBackground(std::unique_ptr<store::Table> table) override;
  bool SaveAfterFlushAll() override;
  void Notify(uint32_t notify_class, std::string_view event, std::string_view key,
              int db_index) override;
  void KeyReady(int db_index, std::string_view key) override;
  bool CanBlock() const override;
  void Block(const commands::BlockSpec& spec) override;

  // ---- Blocking (src/server/blocking.cc) ----
  // Clients parked by blocking commands (INFO's blocked_clients) and the keys they wait on
  // (total_blocking_keys).
  size_t blocked_clients() const { return blocked_clients_; }
  size_t blocking_keys() const;
  // Keys some client waits on that also wake it when deleted (XREADGROUP).
  size_t blocking_keys_on_nokey() const;
  // CLIENT UNBLOCK: wakes `client` as if its timeout had passed, or with the UNBLOCKED error.
  // Returns false when the client is not blocked.
  bool UnblockByRequest(Client& client, bool with_error);

  // ---- store::KeyspaceListener ----
  void OnKeyExpired(int db_index, std::string_view key) override;
  // ---- resp::ErrorListener ----
  void OnErrorReply(std::string_view text) override;

 private:
  struct Listener {
    Server* server = nullptr;
    int fd = -1;
    bool unix_socket = false;
    std::string description;
    io::Operation accept_operation;
  };
  struct Rejection;

  // enable-debug-command: may `client` run `command` (DEBUG is protected)?
  bool ProtectedCommandAllowed(const Client& client, const commands::Command& command) const;
  // Copies the configuration commands enforce into limits_.
  void ApplyLimits();
  Status OpenListeners();
  Status SetUpSignals();
  void ArmAccept(Listener& listener);
  void OnAccept(Listener& listener, int result, uint32_t flags);
  void RejectConnection(int fd);

  void InitClientOperations(Client& client);
  void ArmReceive(Client& client);
  void OnReceive(Client& client, int result, uint32_t flags);
  void OnSend(Client& client, int result, uint32_t flags);
  void OnClosed(Client& client, int result, uint32_t flags);
  // Prefetches the keys of the commands queued at the front of `input` (pipelines).
  void PrefetchKeys(const Client& client, std::string_view input);
  // Parses and runs complete commands in `input`; returns the bytes consumed.
  size_t ProcessInput(Client& client, std::string_view input);
  // Runs what is left in client.query (after a pause or a fallback receive).
  void ProcessQueryBuffer(Client& client);
  bool CanProcessCommands(const Client& client) const;
  void QueueSend(Client& client);
  void StartSend(Client& client);
  void CloseClient(Client& client);
  void MaybeFinishClose(Client& client);
  void CheckOutputLimits(Client& client);
  // Whether `client` is past its class's output buffer limit (hard, or soft for long
  // enough); starts or clears the soft limit's clock.
  bool OutputLimitReached(Client& client);
  void CloseForOutputLimit(Client& client);
  // The client-output-buffer-limit class `client` belongs to.
  const OutputBufferLimit& OutputLimitOf(const Client& client) const;
  // Where a push for `client` goes: its output, or pending_pushes_ while its own command runs.
  resp::OutputBuffer& PushTarget(Client& client);
  // Appends a message formatted in RESP2 (`head` starts with '*') to `client`, as a push in
  // RESP3, and queues the send.
  void DeliverPush(Client& client, std::string_view head, std::string_view tail);
  void FeedMonitors(const Client& client, std::span<const std::string_view> argv);

  void TurnEnd();
  void ArmCron();
  void OnCron(int result, uint32_t flags);
  // Active expiry runs on a timer of its own: every tick, or every few milliseconds while
  // expired keys pile up faster than one cycle per tick removes them.
  void ArmExpireTimer(bool backlog);
  void OnExpireTimer(int result, uint32_t flags);
  void ArmSignalRead();
  void OnSignal(int result, uint32_t flags);
  void CloseIdleClients();
  // Blocking: takes `client` off every queue and the deadline list and lets its pending input
  // run again.
  void Unblock(Client& client);
  // Serves clients blocked on the keys signalled ready, in the order they blocked, by running
  // their commands again; repeats while that makes more keys ready.
  void ServeReadyKeys();
  void ReplyBlockTimeout(Client& client);
  void ArmBlockTimer();
  void OnBlockTimer(int result, uint32_t flags);
  // Before SWAPDB exchanges two databases: keys that clients wait on in one may exist in the
  // other.
  void SignalKeysReadyAfterSwap(int first, int second);
  // Signals `key` of `db_index` ready when a client that wakes on a missing key waits on it
  // and the key is missing or of another type than that client waits for (or, with
  // `unconditionally`, whatever it holds: a flush is about to delete it).
  void SignalKeyGone(int db_index, std::string_view key, bool unconditionally);
  void Shutdown();

  Config config_;
  uint64_t hash_seed_;
  std::string run_id_;
  std::unique_ptr<io::Proactor> proactor_;
  std::unique_ptr<io::BufferRing> buffers_;
  std::unique_ptr<io::Worker> worker_;
  std::unique_ptr<io::Files> files_;
  std::unique_ptr<store::Keyspace> keyspace_;
  std::unique_ptr<Persistence> persistence_;
  commands::CommandTable commands_;
  commands::Counters counters_;
  commands::Limits limits_;
  ServerStats stats_;
  SlowLog slowlog_;
  LatencyMonitor latency_;
  ErrorStats error_stats_;

  std::vector<std::unique_ptr<Listener>> listeners_;
  int bound_port_ = 0;
  std::map<uint64_t, std::unique_ptr<Client>> clients_;
  // Clients in clients_ that are closing (waiting for their last operations to complete).
  size_t closing_clients_ = 0;
  uint64_t next_client_id_ = 1;
  std::vector<Client*> send_queue_;
  std::vector<Client*> input_queue_;
  std::vector<Client*> monitors_;
  // Clients whose last operation completed; freed at the end of the turn.
  std::vector<Client*> dead_clients_;

  int signal_fd_ = -1;
  io::Operation signal_operation_;
  char signal_buffer_[128];
  io::Operation cron_operation_;
  __kernel_timespec cron_interval_{};
  io::Operation expire_operation_;
  __kernel_timespec expire_interval_{};
  int64_t last_expire_cycle_us_ = 0;

  int64_t start_time_ms_ = 0;
  int64_t now_ms_ = 0;
  int64_t pause_deadline_ms_ = 0;
  bool pause_writes_only_ = false;
  bool shutdown_requested_ = false;
  std::string shutdown_reason_;
  bool shutdown_saving_ = false;
  std::shared_ptr<LoadState> load_;
  int64_t load_progress_logged_ms_ = 0;
  int exit_code_ = 0;
  // Installs the loaded snapshot; `reload_client` is DEBUG RELOAD's caller (0 at start-up).
  void FinishLoading(uint64_t reload_client);

  // Configuration and statistics (see ReplaceConfig).
  CommandLatencies command_latencies_;
  int64_t startup_memory_bytes_ = 0;

  // Blocking state: per database, the clients blocked on each key in the order they blocked;
  // the deadlines; the keys signalled ready and not served yet.
  std::vector<commands::StringMap<std::list<Client*>>> blocking_keys_;
  std::multimap<int64_t, Client*> block_deadlines_;
  std::vector<std::pair<int, std::string>> ready_keys_;
  size_t blocked_clients_ = 0;
  io::Operation block_timer_operation_;
  __kernel_timespec block_timer_interval_{};
  // The deadline the armed timer fires for; 0 when no timer is armed.
  int64_t block_timer_deadline_ms_ = 0;
  bool serving_ready_keys_ = false;
  // Set while a blocked command runs again: if it blocks once more it keeps its place at the
  // head of the queues and its original deadline (Redis 7 reprocessing).
  bool reprocessing_blocked_ = false;
  int64_t reprocessing_deadline_ms_ = 0;
  // The arguments of executing_client_'s running command (the command a Block re-runs).
  std::span<const std::string_view> executing_argv_;

  // The command being executed, for error accounting.
  commands::Command* current_command_ = nullptr;
  bool current_command_failed_ = false;

  // ---- Pub/sub. ----
  std::unique_ptr<PubSubRegistry> pubsub_;
  // Formatting buffers reused by every PUBLISH and notification (no allocation per message).
  std::string publish_head_;
  std::string publish_tail_;
  std::string notify_channel_;
  // Subscribers found over their output limit while a message was being delivered.
  std::vector<Client*> output_limit_victims_;
  // The client whose command is running, and whether that command replies with pushes (the
  // (un)subscribe family). Pushes for that client meanwhile wait in pending_pushes_ and
  // follow the command's reply (Redis 7.2's server.pending_push_messages).
  Client* executing_client_ = nullptr;
  bool executing_push_reply_ = false;
  resp::OutputBuffer pending_pushes_;

  // ---- Transactions. ----
  // Queues a command between MULTI and EXEC and answers +QUEUED.
  void QueueCommand(Client& client, commands::Command& command,
                    std::span<const std::string_view> argv);
  // Refuses `command` (nullptr: unknown) with the error `text` (no "ERR " prefix), as
  // Redis's rejectCommand: counts it, dooms a transaction in progress, and turns a refused
  // EXEC into EXECABORT.
  void RejectCommand(Client& client, commands::Command* command, const std::string& text);
  // A command was refused: inside MULTI that dooms the transaction (Redis's flagTransaction).
  static void FlagTransaction(Client& client) {
    if (client.in_multi) client.dirty_exec = true;
  }
  // Redis's touchAllWatchedKeysInDb: database `emptied` is about to lose its keys, to be
  // replaced by those of `replacement` (SWAPDB) or by none (-1).
  void TouchWatchedKeysInDatabase(int emptied, int replacement);
  bool KeyExists(int db_index, std::string_view key) const;
  bool KeyLogicallyExpired(int db_index, std::string_view key) const;
  // For each database, the clients watching each key. Shard-local, like the keyspace.
  std::vector<commands::StringMap<std::vector<Client*>>> watchers_;
  size_t watched_keys_total_ = 0;

  // ---- Server commands' state (see the block of accessors above). ----
  bool active_expire_enabled_ = true;
  // Redis's default packed threshold: 1 GiB.
  uint64_t quicklist_packed_threshold_bytes_ = uint64_t{1} << 30;
  std::string replication_id_;
  // CLIENT PAUSE WRITE: true when argv is a write the pause must hold back.
  bool DeferredByPause(const Client& client, std::span<const std::string_view> argv) const;
};

}  // namespace ringdb::server
