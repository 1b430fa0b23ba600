// Server configuration: redis.conf-style directives with Redis's names, defaults and error
// texts, read from a file and `--name value` flags at start-up and changed by CONFIG SET.
#pragma once

#include <cstdint>
#include <span>
#include <string>
#include <string_view>
#include <utility>
#include <vector>

#include "ringdb/base/log.h"
#include "ringdb/base/status.h"

namespace ringdb::server {

// client-output-buffer-limit for one class of clients; 0 means no limit.
struct OutputBufferLimit {
  int64_t hard_bytes = 0;
  int64_t soft_bytes = 0;
  int64_t soft_seconds = 0;
};

struct Config {
  // Network.
  std::vector<std::string> bind = {"127.0.0.1", "-::1"};
  int port = 6379;
  std::string unixsocket;
  unsigned unixsocketperm = 0;
  int tcp_backlog = 511;
  int timeout_seconds = 0;
  int tcp_keepalive_seconds = 300;
  int maxclients = 10000;
  bool protected_mode = true;

  // Limits.
  int64_t proto_max_bulk_len = 512LL * 1024 * 1024;
  int64_t client_query_buffer_limit = 1024LL * 1024 * 1024;
  OutputBufferLimit output_limit_normal{0, 0, 0};
  OutputBufferLimit output_limit_replica{256LL << 20, 64LL << 20, 60};
  OutputBufferLimit output_limit_pubsub{32LL << 20, 8LL << 20, 60};

  // Keyspace.
  int databases = 16;
  int hz = 10;
  bool dynamic_hz = true;
  int active_expire_effort = 1;
  bool lazyfree_lazy_user_flush = false;

  // Memory.
  int64_t maxmemory = 0;
  std::string maxmemory_policy = "noeviction";
  int maxmemory_samples = 5;

  // Files and process.
  std::string dir = "./";
  std::string logfile;
  LogLevel loglevel = LogLevel::kNotice;
  std::string supervised = "no";
  std::string pidfile;

  // Introspection.
  int64_t slowlog_log_slower_than_us = 10000;
  int64_t slowlog_max_len = 128;
  int64_t latency_monitor_threshold_ms = 0;
  std::string notify_keyspace_events;

  // Where the configuration came from (for CONFIG REWRITE and INFO's config_file).
  std::string config_file;
};

// What a directive allows.
enum DirectiveFlag : uint32_t {
  kImmutable = 1u << 0,  // Start-up only: CONFIG SET refuses it.
  kMultiArg = 1u << 1,   // Takes a list of values ("bind a b", "save 900 1 300 10").
};

// Directive metadata, for CONFIG GET/SET/REWRITE and the man page.
struct DirectiveInfo {
  std::string name;
  std::string alias;
  uint32_t flags;
};

class ConfigRegistry {
 public:
  // The directives, in the order man/ringdb.conf.5 lists them.
  static std::span<const DirectiveInfo> Directives();

  // Sets one directive. `values` are the arguments after the name. On error returns Redis's
  // reason text ("argument must be between 0 and 65535 inclusive"). `at_startup` allows
  // immutable directives.
  static Status Set(Config& config, std::string_view name, std::span<const std::string_view> values,
                    bool at_startup);
  // The directive's current value as CONFIG GET shows it, or NotFound.
  static Result<std::string> Get(const Config& config, std::string_view name);
  // Every (name, value) pair whose name matches a glob pattern (CONFIG GET), aliases included.
  static std::vector<std::pair<std::string, std::string>> Match(const Config& config,
                                                                std::string_view pattern);
  static bool Known(std::string_view name);
  static bool IsImmutable(std::string_view name);
};

// Parses config file text (one directive per line, '#' comments, quoting as in redis.conf).
// Errors read "<origin>:<line>: '<line text>': <reason>".
Status LoadConfigText(Config& config, std::string_view text, std::string_view origin);
Status LoadConfigFile(Config& config, const std::string& path);

// Parses the command line: [config-file] [--name value ...]. Sets *show_help / *show_version
// for --help and --version.
Status ParseCommandLine(Config& config, int argc, char** argv, bool* show_help,
                        bool* show_version);

}  // namespace ringdb::server
