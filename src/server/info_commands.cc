// INFO [section ...]: Redis 7.2's sections, field names and order. Fields about machinery
// ringdb does not have yet (replication, snapshots, scripting) carry the values Redis reports
// for a server without it. Fields of ringdb's own are named ringdb_*, so no Redis field can
// ever collide with them.
#include <fcntl.h>
#include <sys/resource.h>
#include <sys/utsname.h>
#include <unistd.h>

#include <algorithm>
#include <cinttypes>
#include <climits>
#include <cstdarg>
#include <cstdio>
#include <set>
#include <string>

#include "pubsub.h"
#include "rdb_snapshot.h"
#include "ringdb/base/clock.h"
#include "ringdb/base/hash.h"
#include "ringdb/base/memory.h"
#include "ringdb/base/strings.h"
#include "ringdb/commands/context.h"
#include "ringdb/server/client.h"
#include "ringdb/server/server.h"
#include "server_commands.h"
#include "version.h"

namespace ringdb::server {
namespace {

using commands::CommandContext;
using commands::CommandSpec;

Server& ServerOf(CommandContext& context) { return *context.client->server(); }

// ---- Text helpers ----

void AppendFormat(std::string& out, const char* format, ...) __attribute__((format(printf, 2, 3)));
void AppendFormat(std::string& out, const char* format, ...) {
  char buffer[512];
  va_list arguments;
  va_start(arguments, format);
  int length = vsnprintf(buffer, sizeof(buffer), format, arguments);
  va_end(arguments);
  if (length < 0) return;
  out.append(buffer, std::min<size_t>(static_cast<size_t>(length), sizeof(buffer) - 1));
}

void Field(std::string& out, std::string_view key, std::string_view value) {
  out.append(key);
  out.push_back(':');
  out.append(value);
  out.append("\r\n");
}

void Field(std::string& out, std::string_view key, int64_t value) {
  Field(out, key, std::to_string(value));
}

void Field(std::string& out, std::string_view key, uint64_t value) {
  Field(out, key, std::to_string(value));
}

void Field(std::string& out, std::string_view key, int value) {
  Field(out, key, static_cast<int64_t>(value));
}

void FieldDouble(std::string& out, std::string_view key, double value, const char* suffix = "") {
  char text[64];
  snprintf(text, sizeof(text), "%.2f%s", value, suffix);
  Field(out, key, text);
}

// Redis's bytesToHuman: "943.50K", "6.47M", "100B".
std::string HumanBytes(uint64_t bytes) {
  static constexpr const char* kUnits[] = {"K", "M", "G", "T", "P"};
  if (bytes < 1024) return std::to_string(bytes) + "B";
  double value = static_cast<double>(bytes) / 1024;
  for (const char* unit : kUnits) {
    if (value < 1024 || unit == kUnits[4]) {
      char text[64];
      snprintf(text, sizeof(text), "%.2f%s", value, unit);
      return text;
    }
    value /= 1024;
  }
  return std::to_string(bytes) + "B";
}

// Characters that would break INFO's "key:value" lines, replaced as Redis's getSafeInfoString.
std::string SafeInfoName(std::string_view name) {
  std::string safe(name);
  for (char& c : safe) {
    if (c == '#' || c == ':' || c == '\n' || c == '\r') c = '_';
  }
  return safe;
}

// ---- Process facts, read once or cheaply ----

const utsname& Uname() {
  // uname cannot change while we run; Redis caches it too.
  static const utsname name = [] {
    utsname value{};
    uname(&value);
    return value;
  }();
  return name;
}

const std::string& ExecutablePath() {
  static const std::string path = [] {
    char buffer[PATH_MAX];
    ssize_t length = readlink("/proc/self/exe", buffer, sizeof(buffer) - 1);
    return length > 0 ? std::string(buffer, static_cast<size_t>(length)) : std::string();
  }();
  return path;
}

uint64_t TotalSystemMemoryBytes() {
  static const uint64_t bytes = [] {
    long pages = sysconf(_SC_PHYS_PAGES);
    long page_bytes = sysconf(_SC_PAGESIZE);
    return pages > 0 && page_bytes > 0
               ? static_cast<uint64_t>(pages) * static_cast<uint64_t>(page_bytes)
               : uint64_t{0};
  }();
  return bytes;
}

// Resident set size from /proc/self/statm. The file stays open: procfs regenerates it on
// every read from offset 0, and INFO is not on the path of ordinary commands.
uint64_t ResidentBytes() {
  static const int fd = open("/proc/self/statm", O_RDONLY | O_CLOEXEC);
  static const long page_bytes = sysconf(_SC_PAGESIZE);
  if (fd < 0) return 0;
  char buffer[128];
  ssize_t length = pread(fd, buffer, sizeof(buffer) - 1, 0);
  if (length <= 0) return 0;
  buffer[length] = '\0';
  unsigned long long size_pages = 0;
  unsigned long long resident_pages = 0;
  if (sscanf(buffer, "%llu %llu", &size_pages, &resident_pages) != 2) return 0;
  return resident_pages * static_cast<uint64_t>(page_bytes);
}

const char* CompilerVersion() {
  static char text[32];
  if (text[0] == '\0') {
    snprintf(text, sizeof(text), "%d.%d.%d", __GNUC__, __GNUC_MINOR__, __GNUC_PATCHLEVEL__);
  }
  return text;
}

// A stable id of this build, as Redis's redis_build_id (a hash of what went into it).
std::string BuildId() {
  std::string seed = std::string(kRingdbVersion) + " " + __VERSION__;
  char text[32];
  snprintf(text, sizeof(text), "%016" PRIx64, Hash64(seed, 0));
  return text;
}

const char* SupervisedName(const Config& config) {
  if (config.supervised == "systemd") return "systemd";
  if (config.supervised == "upstart") return "upstart";
  if (config.supervised == "auto") {
    if (getenv("UPSTART_JOB") != nullptr) return "upstart";
    if (getenv("NOTIFY_SOCKET") != nullptr) return "systemd";
  }
  return "no";
}

// ---- Sections ----

// Which sections INFO's arguments ask for, as Redis's genInfoSectionDict decides it.
struct SectionChoice {
  bool all = false;
  std::set<std::string> names;

  bool Wants(std::string_view name) const { return all || names.count(std::string(name)) > 0; }
};

void AddDefaultSections(SectionChoice& choice) {
  for (const char* name : {"server", "clients", "memory", "persistence", "stats", "replication",
                           "cpu", "module_list", "errorstats", "cluster", "keyspace"}) {
    choice.names.insert(name);
  }
}

SectionChoice ChooseSections(std::span<const std::string_view> arguments) {
  SectionChoice choice;
  if (arguments.empty()) AddDefaultSections(choice);
  for (std::string_view argument : arguments) {
    std::string name = ToLower(argument);
    if (name == "default") {
      AddDefaultSections(choice);
    } else if (name == "all" || name == "everything") {
      // Without modules, "everything" adds nothing to "all".
      choice.all = true;
    } else {
      choice.names.insert(std::move(name));
    }
  }
  return choice;
}

void ServerSection(Server& server, std::string& out) {
  const Config& config = server.config();
  const utsname& name = Uname();
  int64_t now_us = UnixTimeUs();
  int64_t uptime_seconds = (now_us / 1000 - server.start_time_ms()) / 1000;
  out += "# Server\r\n";
  Field(out, "redis_version", kRedisVersion);
  Field(out, "redis_git_sha1", "00000000");
  Field(out, "redis_git_dirty", 0);
  Field(out, "redis_build_id", BuildId());
  Field(out, "redis_mode", "standalone");
  Field(out, "os", std::string(name.sysname) + " " + name.release + " " + name.machine);
  Field(out, "arch_bits", 64);
  Field(out, "monotonic_clock", "POSIX clock_gettime");
  Field(out, "multiplexing_api", "io_uring");
  Field(out, "atomicvar_api", "c11-builtin");
  Field(out, "gcc_version", CompilerVersion());
  Field(out, "process_id", static_cast<int64_t>(getpid()));
  Field(out, "process_supervised", SupervisedName(config));
  Field(out, "run_id", server.run_id());
  Field(out, "tcp_port", server.tcp_port());
  Field(out, "server_time_usec", now_us);
  Field(out, "uptime_in_seconds", uptime_seconds);
  Field(out, "uptime_in_days", uptime_seconds / (3600 * 24));
  Field(out, "hz", config.hz);
  Field(out, "configured_hz", config.hz);
  Field(out, "lru_clock", (now_us / 1000000) & 0xffffff);
  Field(out, "executable", ExecutablePath());
  Field(out, "config_file", config.config_file);
  Field(out, "io_threads_active", 0);
  // One line per kind of listener, as Redis 7.2 prints them.
  std::string tcp = "name=tcp";
  for (const std::string& address : config.bind) tcp += ",bind=" + address;
  Field(out, "listener0", tcp + ",port=" + std::to_string(server.tcp_port()));
  if (!config.unixsocket.empty()) Field(out, "listener1", "name=unix,bind=" + config.unixsocket);
  Field(out, "ringdb_version", kRingdbVersion);
  Field(out, "ringdb_io_uring_setup", server.proactor().features());
}

void ClientsSection(Server& server, std::string& out) {
  size_t input_max = 0;
  size_t output_max = 0;
  for (const auto& [id, client] : server.clients()) {
    input_max = std::max(input_max, client->query.capacity());
    output_max = std::max(output_max, client->output.allocated_bytes());
  }
  out += "# Clients\r\n";
  Field(out, "connected_clients", static_cast<uint64_t>(server.clients().size()));
  Field(out, "cluster_connections", 0);
  Field(out, "maxclients", server.config().maxclients);
  Field(out, "client_recent_max_input_buffer", static_cast<uint64_t>(input_max));
  Field(out, "client_recent_max_output_buffer", static_cast<uint64_t>(output_max));
  Field(out, "blocked_clients", static_cast<uint64_t>(server.blocked_clients()));
  Field(out, "tracking_clients", 0);
  Field(out, "clients_in_timeout_table", static_cast<uint64_t>(server.blocked_clients()));
  Field(out, "total_blocking_keys", static_cast<uint64_t>(server.blocking_keys()));
  Field(out, "total_blocking_keys_on_nokey",
        static_cast<uint64_t>(server.blocking_keys_on_nokey()));
}

// What connections hold in buffers (INFO's mem_clients_normal).
uint64_t ClientBufferBytes(Server& server) {
  uint64_t bytes = 0;
  for (const auto& [id, client] : server.clients()) {
    bytes += client->query.capacity() + client->output.allocated_bytes();
  }
  return bytes;
}

void MemoryUsage(Server& server, std::string& out, uint64_t used, uint64_t rss, uint64_t peak) {
  uint64_t startup = static_cast<uint64_t>(std::max<int64_t>(server.startup_memory_bytes(), 0));
  uint64_t clients = ClientBufferBytes(server);
  uint64_t overhead = startup + clients;
  uint64_t dataset = used > overhead ? used - overhead : 0;
  uint64_t net = used > startup ? used - startup : 1;
  Field(out, "used_memory", used);
  Field(out, "used_memory_human", HumanBytes(used));
  Field(out, "used_memory_rss", rss);
  Field(out, "used_memory_rss_human", HumanBytes(rss));
  Field(out, "used_memory_peak", peak);
  Field(out, "used_memory_peak_human", HumanBytes(peak));
  FieldDouble(out, "used_memory_peak_perc", peak ? used * 100.0 / static_cast<double>(peak) : 0,
              "%");
  Field(out, "used_memory_overhead", overhead);
  Field(out, "used_memory_startup", startup);
  Field(out, "used_memory_dataset", dataset);
  FieldDouble(out, "used_memory_dataset_perc", dataset * 100.0 / static_cast<double>(net), "%");
  // mimalloc's own statistics are not exported: what we allocated stands in for them.
  Field(out, "allocator_allocated", used);
  Field(out, "allocator_active", used);
  Field(out, "allocator_resident", rss);
  Field(out, "total_system_memory", TotalSystemMemoryBytes());
  Field(out, "total_system_memory_human", HumanBytes(TotalSystemMemoryBytes()));
  // No scripting engine: nothing is spent on one.
  for (const char* key : {"used_memory_lua", "used_memory_vm_eval"}) Field(out, key, 0);
  Field(out, "used_memory_lua_human", "0B");
  for (const char* key :
       {"used_memory_scripts_eval", "number_of_cached_scripts", "number_of_functions",
        "number_of_libraries", "used_memory_vm_functions", "used_memory_vm_total"}) {
    Field(out, key, 0);
  }
  Field(out, "used_memory_vm_total_human", "0B");
  Field(out, "used_memory_functions", 0);
  Field(out, "used_memory_scripts", 0);
  Field(out, "used_memory_scripts_human", "0B");
}

void MemorySection(Server& server, std::string& out) {
  const Config& config = server.config();
  ServerStats& stats = server.stats();
  uint64_t used = static_cast<uint64_t>(std::max<int64_t>(AllocatedBytes(), 0));
  // The cron samples the peak; a sample taken now may be higher, and INFO must not show a
  // peak below the current value.
  if (used > stats.peak_memory_bytes) stats.peak_memory_bytes = used;
  uint64_t rss = ResidentBytes();
  double used_divisor = used ? static_cast<double>(used) : 1;
  out += "# Memory\r\n";
  MemoryUsage(server, out, used, rss, stats.peak_memory_bytes);
  Field(out, "maxmemory", config.maxmemory);
  Field(out, "maxmemory_human", HumanBytes(static_cast<uint64_t>(config.maxmemory)));
  Field(out, "maxmemory_policy", config.maxmemory_policy);
  FieldDouble(out, "allocator_frag_ratio", 1.0);
  Field(out, "allocator_frag_bytes", 0);
  FieldDouble(out, "allocator_rss_ratio", static_cast<double>(rss) / used_divisor);
  Field(out, "allocator_rss_bytes", static_cast<int64_t>(rss) - static_cast<int64_t>(used));
  FieldDouble(out, "rss_overhead_ratio", 1.0);
  Field(out, "rss_overhead_bytes", 0);
  FieldDouble(out, "mem_fragmentation_ratio", static_cast<double>(rss) / used_divisor);
  Field(out, "mem_fragmentation_bytes", static_cast<int64_t>(rss) - static_cast<int64_t>(used));
  Field(out, "mem_not_counted_for_evict", 0);
  Field(out, "mem_replication_backlog", 0);
  Field(out, "mem_total_replication_buffers", 0);
  Field(out, "mem_clients_slaves", 0);
  Field(out, "mem_clients_normal", ClientBufferBytes(server));
  Field(out, "mem_cluster_links", 0);
  Field(out, "mem_aof_buffer", 0);
  Field(out, "mem_allocator", AllocatorName());
  Field(out, "active_defrag_running", 0);
  Field(out, "lazyfree_pending_objects", 0);
  Field(out, "lazyfreed_objects", 0);
}

void PersistenceSection(Server& server, std::string& out) {
  const Persistence& persistence = server.persistence();
  out += "# Persistence\r\n";
  const LoadState* load = server.loading();
  Field(out, "loading", load != nullptr ? 1 : 0);
  Field(out, "async_loading", 0);
  if (load != nullptr) {
    // Redis's loading_* fields, shown while a snapshot loads.
    uint64_t done = load->loaded_bytes.load(std::memory_order_relaxed);
    int64_t elapsed_s = (server.now_ms() - load->start_ms) / 1000;
    uint64_t total = load->total_bytes.load(std::memory_order_relaxed);
    double fraction = total == 0 ? 0.0 : static_cast<double>(done) / static_cast<double>(total);
    Field(out, "loading_start_time", load->start_ms / 1000);
    Field(out, "loading_total_bytes", total);
    Field(out, "loading_rdb_used_mem", 0);
    Field(out, "loading_loaded_bytes", done);
    FieldDouble(out, "loading_loaded_perc", fraction * 100.0, "");
    int64_t eta = done == 0 || fraction == 0.0
                      ? 1
                      : static_cast<int64_t>(elapsed_s * (1.0 - fraction) / fraction);
    Field(out, "loading_eta_seconds", eta);
  }
  // Without fork there is no child's copy-on-write: what snapshots copy is reported below
  // (rdb_cow_*), and these stay 0.
  for (const char* key : {"current_cow_peak", "current_cow_size", "current_cow_size_age"}) {
    Field(out, key, 0);
  }
  Field(out, "current_fork_perc", "0.00");
  Field(out, "current_save_keys_processed", persistence.keys_processed());
  Field(out, "current_save_keys_total", persistence.keys_total());
  Field(out, "rdb_changes_since_last_save", server.counters().dirty);
  Field(out, "rdb_bgsave_in_progress", persistence.in_progress() ? 1 : 0);
  Field(out, "rdb_last_save_time", persistence.last_save_s());
  Field(out, "rdb_last_bgsave_status", persistence.last_status_ok() ? "ok" : "err");
  Field(out, "rdb_last_bgsave_time_sec", persistence.last_duration_s());
  Field(out, "rdb_current_bgsave_time_sec", persistence.current_duration_s(server.now_ms()));
  Field(out, "rdb_saves", persistence.saves());
  Field(out, "rdb_last_cow_size", persistence.last_cow_bytes());
  // Ours: pages whose pre-image the running (or last) snapshot kept, and the bytes only the
  // running snapshot keeps alive.
  Field(out, "rdb_cow_pages_copied", persistence.pages_copied());
  Field(out, "rdb_cow_bytes", persistence.cow_bytes());
  Field(out, "rdb_last_load_keys_expired", persistence.last_load_keys_expired());
  Field(out, "rdb_last_load_keys_loaded", persistence.last_load_keys_loaded());
  for (const char* key : {"aof_enabled", "aof_rewrite_in_progress", "aof_rewrite_scheduled"}) {
    Field(out, key, 0);
  }
  Field(out, "aof_last_rewrite_time_sec", -1);
  Field(out, "aof_current_rewrite_time_sec", -1);
  Field(out, "aof_last_bgrewrite_status", "ok");
  Field(out, "aof_rewrites", 0);
  Field(out, "aof_rewrites_consecutive_failures", 0);
  Field(out, "aof_last_write_status", "ok");
  for (const char* key :
       {"aof_last_cow_size", "module_fork_in_progress", "module_fork_last_cow_size"}) {
    Field(out, key, 0);
  }
}

void StatsSection(Server& server, std::string& out) {
  const ServerStats& stats = server.stats();
  const store::ExpireStats& expiry = server.keyspace().expire_stats();
  const commands::Counters& counters = server.counters();
  out += "# Stats\r\n";
  Field(out, "total_connections_received", stats.total_connections_received);
  Field(out, "total_commands_processed", stats.total_commands_processed);
  Field(out, "instantaneous_ops_per_sec", static_cast<int64_t>(stats.ops.per_second()));
  Field(out, "total_net_input_bytes", stats.total_net_input_bytes);
  Field(out, "total_net_output_bytes", stats.total_net_output_bytes);
  Field(out, "total_net_repl_input_bytes", 0);
  Field(out, "total_net_repl_output_bytes", 0);
  FieldDouble(out, "instantaneous_input_kbps", stats.input_bytes.per_second() / 1024);
  FieldDouble(out, "instantaneous_output_kbps", stats.output_bytes.per_second() / 1024);
  FieldDouble(out, "instantaneous_input_repl_kbps", 0);
  FieldDouble(out, "instantaneous_output_repl_kbps", 0);
  Field(out, "rejected_connections", stats.rejected_connections);
  for (const char* key : {"sync_full", "sync_partial_ok", "sync_partial_err"}) Field(out, key, 0);
  Field(out, "expired_keys", expiry.expired_keys);
  FieldDouble(out, "expired_stale_perc", expiry.stale_percent);
  Field(out, "expired_time_cap_reached_count", stats.expired_time_cap_reached_count);
  Field(out, "expire_cycle_cpu_milliseconds", expiry.cycle_time_us / 1000);
  Field(out, "evicted_keys", stats.evicted_keys);
  for (const char* key :
       {"evicted_clients", "total_eviction_exceeded_time", "current_eviction_exceeded_time"}) {
    Field(out, key, 0);
  }
  Field(out, "keyspace_hits", counters.keyspace_hits);
  Field(out, "keyspace_misses", counters.keyspace_misses);
  const PubSubRegistry& pubsub = server.pubsub();
  Field(out, "pubsub_channels", pubsub.size(SubscriptionKind::kChannel));
  Field(out, "pubsub_patterns", pubsub.size(SubscriptionKind::kPattern));
  Field(out, "pubsubshard_channels", pubsub.size(SubscriptionKind::kShardChannel));
  for (const char* key :
       {"latest_fork_usec", "total_forks", "migrate_cached_sockets", "slave_expires_tracked_keys",
        "active_defrag_hits", "active_defrag_misses", "active_defrag_key_hits",
        "active_defrag_key_misses", "total_active_defrag_time", "current_active_defrag_time",
        "tracking_total_keys", "tracking_total_items", "tracking_total_prefixes"}) {
    Field(out, key, 0);
  }
  Field(out, "unexpected_error_replies", stats.unexpected_error_replies);
  Field(out, "total_error_replies", stats.total_error_replies);
  Field(out, "dump_payload_sanitizations", 0);
  Field(out, "total_reads_processed", stats.total_reads_processed);
  Field(out, "total_writes_processed", stats.total_writes_processed);
  Field(out, "io_threaded_reads_processed", 0);
  Field(out, "io_threaded_writes_processed", 0);
  // Redis 7.4's names for two counters 7.2 keeps to itself.
  Field(out, "client_query_buffer_limit_disconnections",
        stats.client_query_buffer_limit_disconnections);
  Field(out, "client_output_buffer_limit_disconnections",
        stats.client_output_buffer_limit_disconnections);
  Field(out, "reply_buffer_shrinks", 0);
  Field(out, "reply_buffer_expands", 0);
  Field(out, "eventloop_cycles", server.proactor().turns());
  // Only command time is measured; the rest of a loop turn is mostly io_uring_enter.
  Field(out, "eventloop_duration_sum", stats.command_time_us);
  Field(out, "eventloop_duration_cmd_sum", stats.command_time_us);
  Field(out, "instantaneous_eventloop_cycles_per_sec",
        static_cast<int64_t>(stats.loop_cycles.per_second()));
  Field(out, "instantaneous_eventloop_duration_usec", 0);
  for (const char* key : {"acl_access_denied_auth", "acl_access_denied_cmd",
                          "acl_access_denied_key", "acl_access_denied_channel"}) {
    Field(out, key, 0);
  }
  Field(out, "ringdb_io_uring_enters", server.proactor().enters());
  Field(out, "ringdb_io_uring_completions", server.proactor().completions());
  Field(out, "ringdb_io_uring_in_flight", server.proactor().in_flight());
}

void ReplicationSection(Server& server, std::string& out) {
  out += "# Replication\r\n";
  Field(out, "role", "master");
  Field(out, "connected_slaves", 0);
  Field(out, "master_failover_state", "no-failover");
  Field(out, "master_replid", server.replication_id());
  Field(out, "master_replid2", std::string(40, '0'));
  Field(out, "master_repl_offset", 0);
  Field(out, "second_repl_offset", -1);
  Field(out, "repl_backlog_active", 0);
  Field(out, "repl_backlog_size", 1048576);
  Field(out, "repl_backlog_first_byte_offset", 0);
  Field(out, "repl_backlog_histlen", 0);
}

void CpuField(std::string& out, const char* key, const timeval& time) {
  AppendFormat(out, "%s:%ld.%06ld\r\n", key, static_cast<long>(time.tv_sec),
               static_cast<long>(time.tv_usec));
}

void CpuSection(std::string& out) {
  rusage self{};
  rusage children{};
  rusage thread{};
  getrusage(RUSAGE_SELF, &self);
  getrusage(RUSAGE_CHILDREN, &children);
  getrusage(RUSAGE_THREAD, &thread);
  out += "# CPU\r\n";
  CpuField(out, "used_cpu_sys", self.ru_stime);
  CpuField(out, "used_cpu_user", self.ru_utime);
  CpuField(out, "used_cpu_sys_children", children.ru_stime);
  CpuField(out, "used_cpu_user_children", children.ru_utime);
  CpuField(out, "used_cpu_sys_main_thread", thread.ru_stime);
  CpuField(out, "used_cpu_user_main_thread", thread.ru_utime);
}

// Every command and subcommand in the table, parents before their subcommands, by name.
std::vector<const commands::Command*> AllCommands(Server& server) {
  std::vector<const commands::Command*> all;
  for (const commands::Command* command : server.command_table().all()) {
    all.push_back(command);
    std::vector<const commands::Command*> subcommands;
    for (const auto& [name, sub] : command->subcommands) subcommands.push_back(sub.get());
    std::sort(subcommands.begin(), subcommands.end(),
              [](const auto* a, const auto* b) { return a->full_name < b->full_name; });
    all.insert(all.end(), subcommands.begin(), subcommands.end());
  }
  return all;
}

void CommandStatsSection(Server& server, std::string& out) {
  out += "# Commandstats\r\n";
  for (const commands::Command* command : AllCommands(server)) {
    if (command->calls == 0 && command->failed_calls == 0 && command->rejected_calls == 0) {
      continue;
    }
    double per_call = command->calls == 0 ? 0
                                          : static_cast<double>(command->microseconds) /
                                                static_cast<double>(command->calls);
    AppendFormat(out,
                 "cmdstat_%s:calls=%" PRIu64 ",usec=%" PRIu64
                 ",usec_per_call=%.2f,rejected_calls=%" PRIu64 ",failed_calls=%" PRIu64 "\r\n",
                 SafeInfoName(command->full_name).c_str(), command->calls, command->microseconds,
                 per_call, command->rejected_calls, command->failed_calls);
  }
}

void ErrorStatsSection(Server& server, std::string& out) {
  out += "# Errorstats\r\n";
  for (const auto& [code, count] : server.error_stats().counts()) {
    AppendFormat(out, "errorstat_%s:count=%" PRIu64 "\r\n", SafeInfoName(code).c_str(), count);
  }
}

// "p50=5.000,p99=12.000,p99.9=12.000": microseconds with three decimals, as Redis prints them.
std::string PercentilesText(const LatencyHistogram& histogram, const Config& config) {
  std::string text;
  for (double percentile : config.latency_tracking_info_percentiles) {
    if (!text.empty()) text += ",";
    char label[64];
    snprintf(label, sizeof(label), "%f", percentile);
    std::string trimmed(label);
    while (trimmed.back() == '0') trimmed.pop_back();
    if (trimmed.back() == '.') trimmed.pop_back();
    AppendFormat(text, "p%s=%.3f", trimmed.c_str(),
                 static_cast<double>(histogram.ValueAtPercentile(percentile)));
  }
  return text;
}

void LatencyStatsSection(Server& server, std::string& out) {
  out += "# Latencystats\r\n";
  if (!server.config().latency_tracking) return;
  for (const commands::Command* command : AllCommands(server)) {
    const LatencyHistogram* histogram = server.command_latencies().Find(command);
    if (histogram == nullptr) continue;
    Field(out, "latency_percentiles_usec_" + SafeInfoName(command->full_name),
          PercentilesText(*histogram, server.config()));
  }
}

void KeyspaceSection(Server& server, std::string& out) {
  out += "# Keyspace\r\n";
  store::Keyspace& keyspace = server.keyspace();
  for (int index = 0; index < keyspace.database_count(); index++) {
    const store::Database& database = keyspace.database(index);
    if (database.size() == 0 && database.volatile_size() == 0) continue;
    AppendFormat(out, "db%d:keys=%zu,expires=%zu,avg_ttl=%" PRId64 "\r\n", index, database.size(),
                 database.volatile_size(), database.average_ttl_ms());
  }
}

std::string InfoText(Server& server, const SectionChoice& choice) {
  std::string out;
  auto section = [&](bool wanted, auto&& write) {
    if (!wanted) return;
    if (!out.empty()) out += "\r\n";
    write();
  };
  section(choice.Wants("server"), [&] { ServerSection(server, out); });
  section(choice.Wants("clients"), [&] { ClientsSection(server, out); });
  section(choice.Wants("memory"), [&] { MemorySection(server, out); });
  section(choice.Wants("persistence"), [&] { PersistenceSection(server, out); });
  section(choice.Wants("stats"), [&] { StatsSection(server, out); });
  section(choice.Wants("replication"), [&] { ReplicationSection(server, out); });
  section(choice.Wants("cpu"), [&] { CpuSection(out); });
  section(choice.Wants("module_list") || choice.Wants("modules"), [&] { out += "# Modules\r\n"; });
  section(choice.Wants("commandstats"), [&] { CommandStatsSection(server, out); });
  section(choice.Wants("errorstats"), [&] { ErrorStatsSection(server, out); });
  section(choice.Wants("latencystats"), [&] { LatencyStatsSection(server, out); });
  section(choice.Wants("cluster"), [&] { out += "# Cluster\r\ncluster_enabled:0\r\n"; });
  section(choice.Wants("keyspace"), [&] { KeyspaceSection(server, out); });
  return out;
}

void Info(CommandContext& context) {
  SectionChoice choice = ChooseSections(context.args.subspan(1));
  context.reply.Verbatim(InfoText(ServerOf(context), choice));
}

// Command tables keep one entry per group of lines.
// clang-format off
constexpr CommandSpec kCommands[] = {
    {"info", -1, commands::kLoading | commands::kStale, 0, 0, 0, Info, "server", "1.0.0",
     "Returns information and statistics about the server.", "O(1)", "@slow @dangerous",
     "[section [section ...]]", {},
     "nondeterministic_output request_policy:all_shards response_policy:special"},
};

// clang-format on

}  // namespace

void RegisterInfoCommands(commands::CommandTable& table) { table.Register(kCommands); }

}  // namespace ringdb::server
