// Server configuration: redis.conf-style directives with Redis's names, defaults and error
// texts. They are read from a file and `--name value` flags at start-up, changed by CONFIG SET
// and written back by CONFIG REWRITE. man/ringdb.conf.5 documents every directive and the
// repository's ringdb.conf shows each one at its default.
//
// The registry is pure: it parses, validates, formats and rewrites text, and never touches the
// running server. Applying a changed value (log level, client limits) is Server's job.
#pragma once

#include <cstdint>
#include <span>
#include <string>
#include <string_view>
#include <utility>
#include <vector>

#include "ringdb/base/log.h"
#include "ringdb/base/status.h"
#include "ringdb/persist/save_rules.h"

namespace ringdb::server {

// client-output-buffer-limit for one class of clients; 0 means no limit.
struct OutputBufferLimit {
  int64_t hard_bytes = 0;
  int64_t soft_bytes = 0;
  int64_t soft_seconds = 0;

  bool operator==(const OutputBufferLimit&) const = default;
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
  // "no", "yes" or "local": who may CONFIG SET protected directives (dir).
  std::string enable_protected_configs = "no";
  // "no", "yes" or "local": who may run DEBUG.
  std::string enable_debug_command = "no";

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
  bool lazyfree_lazy_eviction = false;
  bool lazyfree_lazy_expire = false;
  bool lazyfree_lazy_server_del = false;
  bool lazyfree_lazy_user_del = false;
  bool lazyfree_lazy_user_flush = false;

  // Compact encodings: the sizes up to which a collection keeps its small encoding
  // (Redis's listpack and intset thresholds; OBJECT ENCODING reports the result).
  int64_t hash_max_listpack_entries = 512;
  int64_t hash_max_listpack_value = 64;
  int64_t zset_max_listpack_entries = 128;
  int64_t zset_max_listpack_value = 64;
  int64_t set_max_intset_entries = 512;
  int64_t set_max_listpack_entries = 128;
  int64_t set_max_listpack_value = 64;
  int list_max_listpack_size = -2;
  int list_compress_depth = 0;
  int64_t stream_node_max_bytes = 4096;
  int64_t stream_node_max_entries = 100;
  // A sparse HyperLogLog turns dense rather than grow past this many bytes.
  int64_t hll_sparse_max_bytes = 3000;

  // Memory.
  int64_t maxmemory = 0;
  std::string maxmemory_policy = "noeviction";
  int maxmemory_samples = 5;

  // Files and process.
  std::string dir = "./";
  // Snapshots (Redis's names and defaults).
  persist::SaveRules save_rules = persist::SaveRules::Default();
  std::string dbfilename = "dump.rdb";
  bool rdbcompression = true;
  bool rdbchecksum = true;
  bool stop_writes_on_bgsave_error = true;
  std::string logfile;
  LogLevel loglevel = LogLevel::kNotice;
  std::string supervised = "no";
  std::string pidfile;

  // Introspection.
  int64_t slowlog_log_slower_than_us = 10000;
  int64_t slowlog_max_len = 128;
  int64_t latency_monitor_threshold_ms = 0;
  bool latency_tracking = true;
  std::vector<double> latency_tracking_info_percentiles = {50.0, 99.0, 99.9};
  // Canonical letters, as CONFIG GET shows them ("AKE" for "KEA").
  std::string notify_keyspace_events;
  // The same as commands::NotifyClass bits. Kept apart from the text, which (as in Redis)
  // cannot show every combination: "A" plus "n" prints as "A".
  uint32_t notify_keyspace_events_flags = 0;

  // Where the configuration came from (absolute), for CONFIG REWRITE and INFO's config_file.
  // Empty when the server started without a file.
  std::string config_file;
};

enum class DirectiveType : uint8_t {
  kBool,     // yes | no
  kInteger,  // decimal, within a range
  kMemory,   // bytes with an optional unit: 1k = 1000, 1kb = 1024, also m, mb, g, gb
  kOctal,    // octal digits (unixsocketperm)
  kEnum,     // one word of a fixed set
  kString,   // any single argument
  kList,     // several arguments (bind, client-output-buffer-limit, ...)
};

// What a directive allows.
enum DirectiveFlag : uint32_t {
  kImmutable = 1u << 0,     // Start-up only: CONFIG SET refuses it.
  kMultiArg = 1u << 1,      // Takes a list of values ("bind a b"); CONFIG SET splits on spaces.
  kProtected = 1u << 2,     // CONFIG SET needs enable-protected-configs (Redis's PROTECTED_CONFIG).
  kEmptyIsUnset = 1u << 3,  // An empty value means "not set": CONFIG REWRITE drops its lines.
  kAlwaysRewrite = 1u << 4,  // CONFIG REWRITE writes it even at its default, as Redis does.
};

// Directive metadata, for CONFIG GET/SET/REWRITE, the man page and its tests.
struct DirectiveInfo {
  std::string name;
  std::string alias;  // Redis's older name ("hash-max-ziplist-entries"), or empty.
  uint32_t flags;
  DirectiveType type;
};

class ConfigRegistry {
 public:
  // The directives, in the order man/ringdb.conf.5 lists them.
  static std::span<const DirectiveInfo> Directives();
  // The directive called `name` (or aliased so), any case; nullptr when there is none.
  static const DirectiveInfo* Find(std::string_view name);
  static bool Known(std::string_view name) { return Find(name) != nullptr; }
  static bool IsImmutable(std::string_view name);

  // Sets one directive. `values` are the arguments after the name. On error returns Redis's
  // reason text ("argument must be between 0 and 65535 inclusive") and leaves `config` as it
  // was. `at_startup` allows immutable and protected directives.
  static Status Set(Config& config, std::string_view name, std::span<const std::string_view> values,
                    bool at_startup);
  // The directive's current value as CONFIG GET shows it, or NotFound.
  static Result<std::string> Get(const Config& config, std::string_view name);

  // CONFIG GET pattern [pattern ...]: (name, value) pairs in pattern order. A pattern without
  // glob characters is looked up exactly (any case) and answered under the name as given; a glob
  // matches names and aliases case-insensitively. A name is answered once.
  static std::vector<std::pair<std::string, std::string>> Match(
      const Config& config, std::span<const std::string_view> patterns);

  // CONFIG SET name value [name value ...]: all pairs or none. Returns the new configuration or
  // the whole error text Redis replies (without "ERR "), e.g. "CONFIG SET failed (possibly
  // related to argument 'port') - can't set immutable config". `protected_allowed`: whether the
  // caller may change protected directives.
  // REQUIRES: pairs.size() is even.
  static Result<Config> SetPairs(const Config& current, std::span<const std::string_view> pairs,
                                 bool protected_allowed);

  // A line CONFIG REWRITE writes for a directive, and whether it must be written even where
  // the file does not mention the directive (its value is not the default).
  struct RewriteLine {
    std::string text;
    bool force = false;
  };
  // The lines for `directive`; none when it is unset (its old lines are then dropped).
  static std::vector<RewriteLine> Rewrite(const Config& config, const DirectiveInfo& directive);
};

// CONFIG SET's error for a value it could not set or apply.
std::string ConfigSetError(std::string_view name, std::string_view reason);

// Parses config file text (one directive per line, '#' comments, quoting as in redis.conf).
// Errors read "<origin>:<line>: '<line text>': <reason>".
Status LoadConfigText(Config& config, std::string_view text, std::string_view origin);
// Loads a file and records its absolute path in config.config_file.
Status LoadConfigFile(Config& config, const std::string& path);

// Parses the command line: [config-file] [--name value ...]. Sets *show_help / *show_version
// for --help and --version.
Status ParseCommandLine(Config& config, int argc, char** argv, bool* show_help, bool* show_version);

// CONFIG REWRITE's text transformation, as Redis's rewriteConfig does it: comments and blank
// lines stay (runs of blank lines become one); each directive's lines are replaced in place by
// its current value; values that differ from the default and are not in the file are appended
// after a "# Generated by CONFIG REWRITE" line; lines of a directive that no longer has a value
// for them are blanked; lines that are not directives become "# ??? <line>".
std::string RewriteConfigText(std::string_view old_text, const Config& config);

// Reads a whole file. A missing file reads as empty text when `missing_is_empty`. An error's
// message is strerror's text.
Result<std::string> ReadWholeFile(const std::string& path, bool missing_is_empty);

// Replaces `path` with `content` so that a crash leaves either the old or the new file: writes
// a temporary file beside it, fsyncs it, renames it over `path` and fsyncs the directory. The
// permissions of the old file are kept. An error is logged in full; its message is strerror's.
Status ReplaceFileDurably(const std::string& path, std::string_view content);

}  // namespace ringdb::server
