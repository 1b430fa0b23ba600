// The directive registry: every directive's name, type, bounds, error texts and file form.
// Loading files, the command line and CONFIG REWRITE's text transformation live in
// config_file.cc.
#include "ringdb/server/config.h"

#include <cerrno>
#include <climits>
#include <cstdio>
#include <cstdlib>
#include <functional>
#include <limits>
#include <string>

#include "ringdb/base/strings.h"
#include "ringdb/commands/context.h"
#include "ringdb/resp/parser.h"

namespace ringdb::server {
namespace {

using Values = std::span<const std::string_view>;
using Setter = std::function<Status(Config&, Values)>;
using Getter = std::function<std::string(const Config&)>;
using RewriteLines = std::vector<ConfigRegistry::RewriteLine>;
using Rewriter = std::function<RewriteLines(const Config&)>;

struct Directive {
  DirectiveInfo info;
  Setter set;
  Getter get;
  // Null: one "name value" line, forced when the value is not the default.
  Rewriter rewrite;
};

Status Reason(std::string text) { return Status::InvalidArgument(std::move(text)); }

std::string RangeError(int64_t minimum, int64_t maximum) {
  return "argument must be between " + std::to_string(minimum) + " and " + std::to_string(maximum) +
         " inclusive";
}

// ---- File forms (CONFIG REWRITE) ----

// A byte count in the largest unit that divides it, as Redis's rewriteConfigFormatMemory.
std::string FormatMemory(int64_t bytes) {
  constexpr int64_t kKb = 1024;
  if (bytes != 0 && bytes % (kKb * kKb * kKb) == 0)
    return std::to_string(bytes / (kKb * kKb * kKb)) + "gb";
  if (bytes != 0 && bytes % (kKb * kKb) == 0) return std::to_string(bytes / (kKb * kKb)) + "mb";
  if (bytes != 0 && bytes % kKb == 0) return std::to_string(bytes / kKb) + "kb";
  return std::to_string(bytes);
}

// A string quoted so that the config parser reads it back unchanged (Redis's sdscatrepr).
std::string Quote(std::string_view text) {
  std::string out;
  AppendQuoted(out, text);
  return out;
}

// ---- Directive kinds ----

Directive Bool(const char* name, bool Config::*field, uint32_t flags = 0) {
  return Directive{
      {name, "", flags, DirectiveType::kBool},
      [field](Config& config, Values values) -> Status {
        if (EqualsIgnoreCase(values[0], "yes")) {
          config.*field = true;
        } else if (EqualsIgnoreCase(values[0], "no")) {
          config.*field = false;
        } else {
          return Reason("argument must be 'yes' or 'no'");
        }
        return Status::Ok();
      },
      [field](const Config& config) { return std::string(config.*field ? "yes" : "no"); },
      nullptr};
}

// An integer directive. Values past `stored_max` (but within `maximum`) are stored as
// `stored_max`: Redis keeps maxclients in an unsigned int, we in an int.
template <typename Int>
Directive Integer(const char* name, Int Config::*field, int64_t minimum, int64_t maximum,
                  uint32_t flags = 0, const char* alias = "") {
  return Directive{{name, alias, flags, DirectiveType::kInteger},
                   [=](Config& config, Values values) -> Status {
                     std::optional<int64_t> value = ParseInt64(values[0]);
                     if (!value) return Reason("argument couldn't be parsed into an integer");
                     if (*value < minimum || *value > maximum)
                       return Reason(RangeError(minimum, maximum));
                     int64_t stored_max = static_cast<int64_t>(std::numeric_limits<Int>::max());
                     config.*field = static_cast<Int>(*value > stored_max ? stored_max : *value);
                     return Status::Ok();
                   },
                   [field](const Config& config) { return std::to_string(config.*field); },
                   nullptr};
}

Directive Memory(const char* name, int64_t Config::*field, int64_t minimum, int64_t maximum,
                 uint32_t flags = 0, const char* alias = "") {
  return Directive{{name, alias, flags, DirectiveType::kMemory},
                   [=](Config& config, Values values) -> Status {
                     std::optional<uint64_t> value = ParseMemorySize(values[0]);
                     if (!value) return Reason("argument must be a memory value");
                     // Redis keeps maxmemory unsigned; past LLONG_MAX every limit means "unlimited"
                     // anyway.
                     int64_t bytes = *value > static_cast<uint64_t>(LLONG_MAX)
                                         ? LLONG_MAX
                                         : static_cast<int64_t>(*value);
                     if (bytes < minimum || bytes > maximum)
                       return Reason(RangeError(minimum, maximum));
                     config.*field = bytes;
                     return Status::Ok();
                   },
                   [field](const Config& config) { return std::to_string(config.*field); },
                   [name, field](const Config& config) {
                     return RewriteLines{{std::string(name) + " " + FormatMemory(config.*field),
                                          config.*field != Config{}.*field}};
                   }};
}

Directive Enum(const char* name, std::string Config::*field, std::vector<std::string> choices,
               uint32_t flags = 0) {
  return Directive{{name, "", flags, DirectiveType::kEnum},
                   [=](Config& config, Values values) -> Status {
                     for (const std::string& choice : choices) {
                       if (EqualsIgnoreCase(values[0], choice)) {
                         config.*field = choice;
                         return Status::Ok();
                       }
                     }
                     std::string list;
                     for (const std::string& choice : choices)
                       list += (list.empty() ? "" : ", ") + choice;
                     return Reason("argument(s) must be one of the following: " + list);
                   },
                   [field](const Config& config) { return config.*field; },
                   nullptr};
}

Directive String(const char* name, std::string Config::*field, uint32_t flags = 0) {
  return Directive{{name, "", flags, DirectiveType::kString},
                   [field](Config& config, Values values) -> Status {
                     config.*field = std::string(values[0]);
                     return Status::Ok();
                   },
                   [field](const Config& config) { return config.*field; },
                   nullptr};
}

// ---- Directives with their own syntax ----

Status SetBind(Config& config, Values values) {
  if (values.size() > 16) return Reason("Too many bind addresses specified.");
  // A single empty argument means "no addresses" (bind "").
  if (values.size() == 1 && values[0].empty()) values = {};
  config.bind.assign(values.begin(), values.end());
  return Status::Ok();
}

std::string GetBind(const Config& config) {
  std::string text;
  for (const std::string& address : config.bind) text += (text.empty() ? "" : " ") + address;
  return text;
}

// An address as the config parser reads it back: as it is when it is one plain word (what
// Redis writes), quoted when it holds spaces, quotes or other bytes that would split it or
// leave the line unparsable (Redis writes those as they are, and then cannot restart).
std::string BindWord(const std::string& address) {
  bool plain = !address.empty();
  for (char c : address) {
    if (c <= ' ' || c > '~' || c == '"' || c == '\'' || c == '\\') plain = false;
  }
  return plain ? address : Quote(address);
}

RewriteLines RewriteBind(const Config& config) {
  // At the default no line is written, and existing ones are dropped, as in Redis.
  if (config.bind == Config{}.bind) return {};
  if (config.bind.empty()) return {{"bind \"\"", true}};
  std::string line = "bind";
  for (const std::string& address : config.bind) line += " " + BindWord(address);
  return {{line, true}};
}

Status SetUnixSocketPerm(Config& config, Values values) {
  std::string text(values[0]);
  char* end = nullptr;
  errno = 0;
  long long mode = std::strtoll(text.c_str(), &end, 8);
  if (text.empty() || *end != '\0' || errno != 0) {
    return Reason("argument couldn't be parsed as an octal number");
  }
  if (mode < 0 || mode > 0777) return Reason("argument must be between 0 and 777 inclusive");
  config.unixsocketperm = static_cast<unsigned>(mode);
  return Status::Ok();
}

std::string GetUnixSocketPerm(const Config& config) {
  char text[16];
  snprintf(text, sizeof(text), "%o", config.unixsocketperm);
  return text;
}

Status SetOutputLimits(Config& config, Values values) {
  if (values.size() % 4 != 0) {
    return Reason("Wrong number of arguments in buffer limit configuration.");
  }
  // Validate every class before changing any, so a bad value changes nothing.
  struct Parsed {
    OutputBufferLimit* target;
    OutputBufferLimit limit;
  };
  std::vector<Parsed> parsed;
  for (size_t i = 0; i < values.size(); i += 4) {
    OutputBufferLimit* target = nullptr;
    std::string_view name = values[i];
    if (EqualsIgnoreCase(name, "normal")) {
      target = &config.output_limit_normal;
    } else if (EqualsIgnoreCase(name, "replica") || EqualsIgnoreCase(name, "slave")) {
      target = &config.output_limit_replica;
    } else if (EqualsIgnoreCase(name, "pubsub")) {
      target = &config.output_limit_pubsub;
    } else {
      return Reason("Invalid client class specified in buffer limit configuration.");
    }
    std::optional<uint64_t> hard = ParseMemorySize(values[i + 1]);
    std::optional<uint64_t> soft = ParseMemorySize(values[i + 2]);
    std::optional<int64_t> seconds = ParseInt64(values[i + 3]);
    if (!hard || !soft || !seconds || *seconds < 0 || *hard > static_cast<uint64_t>(LLONG_MAX) ||
        *soft > static_cast<uint64_t>(LLONG_MAX)) {
      return Reason("Error in hard, soft or soft_seconds setting in buffer limit configuration.");
    }
    parsed.push_back(Parsed{target, OutputBufferLimit{static_cast<int64_t>(*hard),
                                                      static_cast<int64_t>(*soft), *seconds}});
  }
  for (const Parsed& item : parsed) *item.target = item.limit;
  return Status::Ok();
}

std::string GetOutputLimits(const Config& config) {
  auto one = [](const char* name, const OutputBufferLimit& limit) {
    return std::string(name) + " " + std::to_string(limit.hard_bytes) + " " +
           std::to_string(limit.soft_bytes) + " " + std::to_string(limit.soft_seconds);
  };
  return one("normal", config.output_limit_normal) + " " +
         one("slave", config.output_limit_replica) + " " +
         one("pubsub", config.output_limit_pubsub);
}

RewriteLines RewriteOutputLimits(const Config& config) {
  // One line per class, forced out when that class is off its default.
  const Config defaults;
  struct Class {
    const char* name;
    const OutputBufferLimit& value;
    const OutputBufferLimit& standard;
  };
  const Class classes[] = {{"normal", config.output_limit_normal, defaults.output_limit_normal},
                           {"replica", config.output_limit_replica, defaults.output_limit_replica},
                           {"pubsub", config.output_limit_pubsub, defaults.output_limit_pubsub}};
  RewriteLines lines;
  for (const Class& item : classes) {
    lines.push_back({std::string("client-output-buffer-limit ") + item.name + " " +
                         FormatMemory(item.value.hard_bytes) + " " +
                         FormatMemory(item.value.soft_bytes) + " " +
                         std::to_string(item.value.soft_seconds),
                     !(item.value == item.standard)});
  }
  return lines;
}

constexpr std::pair<char, uint32_t> kNotifyLetters[] = {
    {'g', commands::kNotifyGeneric},  {'$', commands::kNotifyString},
    {'l', commands::kNotifyList},     {'s', commands::kNotifySet},
    {'h', commands::kNotifyHash},     {'z', commands::kNotifyZset},
    {'x', commands::kNotifyExpired},  {'e', commands::kNotifyEvicted},
    {'t', commands::kNotifyStream},   {'d', commands::kNotifyModule},
    {'n', commands::kNotifyNew},      {'K', commands::kNotifyKeyspace},
    {'E', commands::kNotifyKeyevent}, {'m', commands::kNotifyKeyMiss},
};

// The canonical text of a set of classes, as Redis's keyspaceEventsFlagsToString.
std::string NotifyText(uint32_t flags) {
  std::string text;
  if ((flags & commands::kNotifyAll) == commands::kNotifyAll) {
    text = "A";
  } else {
    for (const auto& [letter, bit] : kNotifyLetters) {
      if (letter == 'K') break;  // K, E and m follow A.
      if (flags & bit) text.push_back(letter);
    }
  }
  if (flags & commands::kNotifyKeyspace) text.push_back('K');
  if (flags & commands::kNotifyKeyevent) text.push_back('E');
  if (flags & commands::kNotifyKeyMiss) text.push_back('m');
  return text;
}

Status SetNotifyEvents(Config& config, Values values) {
  uint32_t flags = 0;
  for (char c : values[0]) {
    if (c == 'A') {
      flags |= commands::kNotifyAll;
      continue;
    }
    bool known = false;
    for (const auto& [letter, bit] : kNotifyLetters) {
      if (letter == c) {
        flags |= bit;
        known = true;
      }
    }
    if (!known) return Reason("Invalid event class character. Use 'Ag$lshzxeKEtmdn'.");
  }
  config.notify_keyspace_events = NotifyText(flags);
  config.notify_keyspace_events_flags = flags;
  return Status::Ok();
}

RewriteLines RewriteNotifyEvents(const Config& config) {
  return {{"notify-keyspace-events " + Quote(config.notify_keyspace_events),
           !config.notify_keyspace_events.empty()}};
}

// A percentile as Redis prints it: "%f" without trailing zeros ("50", "99.9").
std::string PercentileText(double percentile) {
  char text[64];
  snprintf(text, sizeof(text), "%f", percentile);
  std::string result(text);
  if (result.find('.') != std::string::npos) {
    while (result.back() == '0') result.pop_back();
    if (result.back() == '.') result.pop_back();
  }
  return result;
}

Status SetPercentiles(Config& config, Values values) {
  // A single empty argument means "no percentiles" (latency-tracking-info-percentiles "").
  if (values.size() == 1 && values[0].empty()) values = {};
  std::vector<double> percentiles;
  for (std::string_view value : values) {
    std::optional<double> parsed = ParseDouble(value);
    if (!parsed) return Reason("Invalid latency-tracking-info-percentiles parameters");
    if (*parsed < 0.0 || *parsed > 100.0) {
      return Reason("latency-tracking-info-percentiles parameters should sit between [0.0,100.0]");
    }
    percentiles.push_back(*parsed);
  }
  config.latency_tracking_info_percentiles = std::move(percentiles);
  return Status::Ok();
}

std::string GetPercentiles(const Config& config) {
  std::string text;
  for (double percentile : config.latency_tracking_info_percentiles) {
    text += (text.empty() ? "" : " ") + PercentileText(percentile);
  }
  return text;
}

RewriteLines RewritePercentiles(const Config& config) {
  // Redis always writes this line, with "" for an empty list so the default does not return.
  std::string value = GetPercentiles(config);
  return {{"latency-tracking-info-percentiles " + (value.empty() ? "\"\"" : value), true}};
}

Status SetLogLevelDirective(Config& config, Values values) {
  LogLevel level;
  if (!ParseLogLevel(values[0], &level)) {
    return Reason(
        "argument(s) must be one of the following: debug, verbose, notice, warning, nothing");
  }
  config.loglevel = level;
  return Status::Ok();
}

Status SetDaemonize(Config&, Values values) {
  if (EqualsIgnoreCase(values[0], "no")) return Status::Ok();
  if (EqualsIgnoreCase(values[0], "yes")) {
    return Reason(
        "daemonize yes is not supported: run ringdb-server under a service manager (see "
        "ringdb.conf(5))");
  }
  return Reason("argument must be 'yes' or 'no'");
}

// hz: Redis accepts any non-negative value and keeps it within 1..500.
Status SetHz(Config& config, Values values) {
  std::optional<int64_t> value = ParseInt64(values[0]);
  if (!value) return Reason("argument couldn't be parsed into an integer");
  if (*value < 0 || *value > INT_MAX) return Reason(RangeError(0, INT_MAX));
  config.hz = static_cast<int>(std::min<int64_t>(std::max<int64_t>(*value, 1), 500));
  return Status::Ok();
}

std::vector<Directive> NetworkDirectives() {
  std::vector<Directive> d;
  d.push_back(Directive{
      {"bind", "", kImmutable | kMultiArg, DirectiveType::kList}, SetBind, GetBind, RewriteBind});
  d.push_back(Integer("port", &Config::port, 0, 65535, kImmutable));
  d.push_back(String("unixsocket", &Config::unixsocket, kImmutable | kEmptyIsUnset));
  d.push_back(Directive{{"unixsocketperm", "", kImmutable, DirectiveType::kOctal},
                        SetUnixSocketPerm,
                        GetUnixSocketPerm,
                        nullptr});
  d.push_back(Integer("tcp-backlog", &Config::tcp_backlog, 0, INT_MAX, kImmutable));
  d.push_back(Integer("timeout", &Config::timeout_seconds, 0, INT_MAX));
  d.push_back(Integer("tcp-keepalive", &Config::tcp_keepalive_seconds, 0, INT_MAX));
  d.push_back(Integer("maxclients", &Config::maxclients, 1, UINT32_MAX));
  d.push_back(Bool("protected-mode", &Config::protected_mode));
  d.push_back(Enum("enable-protected-configs", &Config::enable_protected_configs,
                   {"no", "yes", "local"}, kImmutable));
  d.push_back(Enum("enable-debug-command", &Config::enable_debug_command, {"no", "yes", "local"},
                   kImmutable));
  return d;
}

std::vector<Directive> LimitDirectives() {
  std::vector<Directive> d;
  d.push_back(Memory("proto-max-bulk-len", &Config::proto_max_bulk_len, 1024 * 1024, LONG_MAX));
  d.push_back(Memory("client-query-buffer-limit", &Config::client_query_buffer_limit, 1024 * 1024,
                     LONG_MAX));
  d.push_back(Directive{{"client-output-buffer-limit", "", kMultiArg, DirectiveType::kList},
                        SetOutputLimits,
                        GetOutputLimits,
                        RewriteOutputLimits});
  return d;
}

std::vector<Directive> KeyspaceDirectives() {
  std::vector<Directive> d;
  d.push_back(Integer("databases", &Config::databases, 1, INT_MAX, kImmutable));
  d.push_back(Directive{{"hz", "", 0, DirectiveType::kInteger},
                        SetHz,
                        [](const Config& config) { return std::to_string(config.hz); },
                        nullptr});
  d.push_back(Bool("dynamic-hz", &Config::dynamic_hz));
  d.push_back(Integer("active-expire-effort", &Config::active_expire_effort, 1, 10));
  d.push_back(Bool("lazyfree-lazy-eviction", &Config::lazyfree_lazy_eviction));
  d.push_back(Bool("lazyfree-lazy-expire", &Config::lazyfree_lazy_expire));
  d.push_back(Bool("lazyfree-lazy-server-del", &Config::lazyfree_lazy_server_del));
  d.push_back(Bool("lazyfree-lazy-user-del", &Config::lazyfree_lazy_user_del));
  d.push_back(Bool("lazyfree-lazy-user-flush", &Config::lazyfree_lazy_user_flush));
  return d;
}

std::vector<Directive> EncodingDirectives() {
  std::vector<Directive> d;
  d.push_back(Integer("hash-max-listpack-entries", &Config::hash_max_listpack_entries, 0, LONG_MAX,
                      0, "hash-max-ziplist-entries"));
  d.push_back(Memory("hash-max-listpack-value", &Config::hash_max_listpack_value, 0, LONG_MAX, 0,
                     "hash-max-ziplist-value"));
  d.push_back(Integer("zset-max-listpack-entries", &Config::zset_max_listpack_entries, 0, LONG_MAX,
                      0, "zset-max-ziplist-entries"));
  d.push_back(Memory("zset-max-listpack-value", &Config::zset_max_listpack_value, 0, LONG_MAX, 0,
                     "zset-max-ziplist-value"));
  d.push_back(Integer("set-max-intset-entries", &Config::set_max_intset_entries, 0, LONG_MAX));
  d.push_back(Integer("set-max-listpack-entries", &Config::set_max_listpack_entries, 0, LONG_MAX));
  d.push_back(Memory("set-max-listpack-value", &Config::set_max_listpack_value, 0, LONG_MAX));
  d.push_back(Integer("list-max-listpack-size", &Config::list_max_listpack_size, INT_MIN, INT_MAX,
                      0, "list-max-ziplist-size"));
  d.push_back(Integer("list-compress-depth", &Config::list_compress_depth, 0, INT_MAX));
  d.push_back(Memory("stream-node-max-bytes", &Config::stream_node_max_bytes, 0, LONG_MAX));
  d.push_back(Integer("stream-node-max-entries", &Config::stream_node_max_entries, 0, LONG_MAX));
  d.push_back(Memory("hll-sparse-max-bytes", &Config::hll_sparse_max_bytes, 0, LONG_MAX));
  return d;
}

std::vector<Directive> MemoryDirectives() {
  std::vector<Directive> d;
  d.push_back(Memory("maxmemory", &Config::maxmemory, 0, LLONG_MAX));
  d.push_back(Enum("maxmemory-policy", &Config::maxmemory_policy,
                   {"volatile-lru", "volatile-lfu", "volatile-random", "volatile-ttl",
                    "allkeys-lru", "allkeys-lfu", "allkeys-random", "noeviction"}));
  d.push_back(Integer("maxmemory-samples", &Config::maxmemory_samples, 1, 64));
  return d;
}

std::vector<Directive> ProcessDirectives() {
  std::vector<Directive> d;
  d.push_back(String("dir", &Config::dir, kProtected | kAlwaysRewrite));
  d.push_back(String("logfile", &Config::logfile, kImmutable));
  d.push_back(
      Directive{{"loglevel", "", 0, DirectiveType::kEnum},
                SetLogLevelDirective,
                [](const Config& config) { return std::string(LogLevelName(config.loglevel)); },
                nullptr});
  d.push_back(
      Enum("supervised", &Config::supervised, {"upstart", "systemd", "auto", "no"}, kImmutable));
  d.push_back(String("pidfile", &Config::pidfile, kImmutable | kEmptyIsUnset));
  d.push_back(Directive{{"daemonize", "", kImmutable, DirectiveType::kBool},
                        SetDaemonize,
                        [](const Config&) { return std::string("no"); },
                        nullptr});
  return d;
}

// save <seconds> <changes> [...]: the snapshot rules; "" for none.
Status SetSave(Config& config, Values values) {
  std::string text;
  for (std::string_view value : values) {
    if (!text.empty()) text += ' ';
    text += value;
  }
  Result<persist::SaveRules> rules = persist::SaveRules::Parse(text);
  if (!rules.ok()) return Reason(rules.status().message());
  config.save_rules = std::move(*rules);
  return Status::Ok();
}

// One line per rule, or save "" so that no rules stay no rules (the defaults would apply).
RewriteLines RewriteSave(const Config& config) {
  if (config.save_rules.empty()) return {{"save \"\"", true}};
  RewriteLines lines;
  for (const persist::SaveRules::Rule& rule : config.save_rules.rules()) {
    lines.push_back(
        {"save " + std::to_string(rule.seconds) + " " + std::to_string(rule.changes), true});
  }
  return lines;
}

// dbfilename: a plain file name inside `dir`, as Redis requires.
Status SetDbFilename(Config& config, Values values) {
  std::string_view name = values[0];
  if (name.find('/') != std::string_view::npos) {
    return Reason("dbfilename can't be a path, just a filename");
  }
  if (name.empty()) return Reason("dbfilename can't be empty");
  config.dbfilename = std::string(name);
  return Status::Ok();
}

std::vector<Directive> SnapshotDirectives() {
  std::vector<Directive> d;
  d.push_back(Directive{{"save", "", kMultiArg | kAlwaysRewrite, DirectiveType::kList},
                        SetSave,
                        [](const Config& config) { return config.save_rules.ToString(); },
                        RewriteSave});
  d.push_back(Directive{{"dbfilename", "", kProtected, DirectiveType::kString},
                        SetDbFilename,
                        [](const Config& config) { return config.dbfilename; },
                        nullptr});
  d.push_back(Bool("rdbcompression", &Config::rdbcompression));
  d.push_back(Bool("rdbchecksum", &Config::rdbchecksum));
  d.push_back(Bool("stop-writes-on-bgsave-error", &Config::stop_writes_on_bgsave_error));
  return d;
}

std::vector<Directive> IntrospectionDirectives() {
  std::vector<Directive> d;
  d.push_back(
      Integer("slowlog-log-slower-than", &Config::slowlog_log_slower_than_us, -1, LLONG_MAX));
  d.push_back(Integer("slowlog-max-len", &Config::slowlog_max_len, 0, LONG_MAX));
  d.push_back(
      Integer("latency-monitor-threshold", &Config::latency_monitor_threshold_ms, 0, LLONG_MAX));
  d.push_back(Bool("latency-tracking", &Config::latency_tracking));
  d.push_back(Directive{
      {"latency-tracking-info-percentiles", "", kMultiArg | kAlwaysRewrite, DirectiveType::kList},
      SetPercentiles,
      GetPercentiles,
      RewritePercentiles});
  d.push_back(Directive{{"notify-keyspace-events", "", 0, DirectiveType::kString},
                        SetNotifyEvents,
                        [](const Config& config) { return config.notify_keyspace_events; },
                        RewriteNotifyEvents});
  return d;
}

const std::vector<Directive>& Table() {
  static const std::vector<Directive>* table = [] {
    auto* directives = new std::vector<Directive>();
    for (auto group :
         {NetworkDirectives, LimitDirectives, KeyspaceDirectives, EncodingDirectives,
          MemoryDirectives, ProcessDirectives, SnapshotDirectives, IntrospectionDirectives}) {
      for (Directive& directive : group()) directives->push_back(std::move(directive));
    }
    return directives;
  }();
  return *table;
}

const std::vector<DirectiveInfo>& Infos() {
  static const std::vector<DirectiveInfo>* infos = [] {
    auto* list = new std::vector<DirectiveInfo>();
    for (const Directive& directive : Table()) list->push_back(directive.info);
    return list;
  }();
  return *infos;
}

size_t IndexOf(std::string_view name) {
  const std::vector<Directive>& table = Table();
  for (size_t i = 0; i < table.size(); i++) {
    const DirectiveInfo& info = table[i].info;
    if (EqualsIgnoreCase(info.name, name)) return i;
    if (!info.alias.empty() && EqualsIgnoreCase(info.alias, name)) return i;
  }
  return table.size();
}

const Directive* FindDirective(std::string_view name) {
  size_t index = IndexOf(name);
  return index < Table().size() ? &Table()[index] : nullptr;
}

const Directive& DirectiveOf(const DirectiveInfo& info) {
  size_t index = static_cast<size_t>(&info - Infos().data());
  RINGDB_ASSERT(index < Table().size());
  return Table()[index];
}

// CONFIG SET's list values are split on single spaces, as Redis's sdssplitlen(" ") does.
std::vector<std::string_view> SplitOnSpaces(std::string_view text) {
  std::vector<std::string_view> words;
  if (text.empty()) return words;
  size_t start = 0;
  while (true) {
    size_t space = text.find(' ', start);
    words.push_back(text.substr(start, space - start));
    if (space == std::string_view::npos) break;
    start = space + 1;
  }
  return words;
}

bool HasGlob(std::string_view pattern) {
  return pattern.find_first_of("*?[") != std::string_view::npos;
}

}  // namespace

std::span<const DirectiveInfo> ConfigRegistry::Directives() { return Infos(); }

const DirectiveInfo* ConfigRegistry::Find(std::string_view name) {
  size_t index = IndexOf(name);
  return index < Infos().size() ? &Infos()[index] : nullptr;
}

bool ConfigRegistry::IsImmutable(std::string_view name) {
  const DirectiveInfo* info = Find(name);
  return info != nullptr && (info->flags & kImmutable) != 0;
}

Status ConfigRegistry::Set(Config& config, std::string_view name, Values values, bool at_startup) {
  const Directive* directive = FindDirective(name);
  if (directive == nullptr) return Status::NotFound("Bad directive or wrong number of arguments");
  uint32_t flags = directive->info.flags;
  if (!at_startup && (flags & kImmutable)) return Reason("can't set immutable config");
  if (!at_startup && (flags & kProtected)) return Reason("can't set protected config");
  if (!(flags & kMultiArg) && values.size() != 1) return Reason("wrong number of arguments");
  if ((flags & kMultiArg) && values.size() == 1 && !values[0].empty()) {
    // As Redis: a multi-argument directive given one argument ("--bind '1.2.3.4 ::1'") has it
    // split like a config line. An empty argument stays one (an empty list).
    std::string storage;
    std::vector<std::pair<size_t, size_t>> spans;
    if (!resp::SplitInlineArgs(values[0], &storage, &spans)) return Reason("unbalanced quotes");
    std::vector<std::string_view> words;
    for (const auto& [offset, length] : spans) words.emplace_back(storage.data() + offset, length);
    if (words.size() > 1) return directive->set(config, words);
  }
  // Setters validate before they assign, so a failed Set leaves `config` as it was.
  return directive->set(config, values);
}

Result<std::string> ConfigRegistry::Get(const Config& config, std::string_view name) {
  const Directive* directive = FindDirective(name);
  if (directive == nullptr) return Status::NotFound(std::string(name));
  return directive->get(config);
}

std::vector<std::pair<std::string, std::string>> ConfigRegistry::Match(
    const Config& config, std::span<const std::string_view> patterns) {
  std::vector<std::pair<std::string, std::string>> matches;
  auto add = [&](std::string_view key, const Directive& directive) {
    for (const auto& [existing, value] : matches) {
      if (EqualsIgnoreCase(existing, key)) return;
    }
    matches.emplace_back(std::string(key), directive.get(config));
  };
  for (std::string_view pattern : patterns) {
    if (!HasGlob(pattern)) {
      const Directive* directive = FindDirective(pattern);
      if (directive != nullptr) add(pattern, *directive);
      continue;
    }
    for (const Directive& directive : Table()) {
      if (GlobMatch(pattern, directive.info.name, true)) add(directive.info.name, directive);
      if (!directive.info.alias.empty() && GlobMatch(pattern, directive.info.alias, true)) {
        add(directive.info.alias, directive);
      }
    }
  }
  return matches;
}

std::string ConfigSetError(std::string_view name, std::string_view reason) {
  return "CONFIG SET failed (possibly related to argument '" + std::string(name) + "') - " +
         std::string(reason);
}

Result<Config> ConfigRegistry::SetPairs(const Config& current, Values pairs,
                                        bool protected_allowed) {
  RINGDB_ASSERT(pairs.size() % 2 == 0);
  // First every name is checked, the first problem in argument order wins; only then are
  // values parsed, into a copy, so that a bad pair leaves the running configuration alone.
  std::vector<const Directive*> directives;
  for (size_t i = 0; i < pairs.size(); i += 2) {
    std::string_view given = pairs[i];
    const Directive* directive = FindDirective(given);
    if (directive == nullptr) {
      return Status::InvalidArgument("Unknown option or number of arguments for CONFIG SET - '" +
                                     std::string(given) + "'");
    }
    uint32_t flags = directive->info.flags;
    if (flags & kImmutable) {
      return Status::InvalidArgument(ConfigSetError(given, "can't set immutable config"));
    }
    if ((flags & kProtected) && !protected_allowed) {
      return Status::InvalidArgument(ConfigSetError(given, "can't set protected config"));
    }
    for (const Directive* earlier : directives) {
      if (earlier == directive) {
        return Status::InvalidArgument(ConfigSetError(given, "duplicate parameter"));
      }
    }
    directives.push_back(directive);
  }
  Config next = current;
  for (size_t i = 0; i < directives.size(); i++) {
    const Directive& directive = *directives[i];
    std::string_view value = pairs[2 * i + 1];
    std::vector<std::string_view> values;
    if (directive.info.flags & kMultiArg) {
      values = SplitOnSpaces(value);
    } else {
      values.push_back(value);
    }
    Status status = Set(next, directive.info.name, values, true);
    if (!status.ok()) {
      return Status::InvalidArgument(ConfigSetError(directive.info.name, status.message()));
    }
  }
  return next;
}

std::vector<ConfigRegistry::RewriteLine> ConfigRegistry::Rewrite(const Config& config,
                                                                 const DirectiveInfo& info) {
  const Directive& directive = DirectiveOf(info);
  if (directive.rewrite) return directive.rewrite(config);
  std::string value = directive.get(config);
  // An unset value is not written, and lines that set it are dropped.
  if ((info.flags & kEmptyIsUnset) && value.empty()) return {};
  bool force = (info.flags & kAlwaysRewrite) != 0 || value != directive.get(Config{});
  std::string shown = info.type == DirectiveType::kString ? Quote(value) : value;
  return {{info.name + " " + shown, force}};
}

}  // namespace ringdb::server
