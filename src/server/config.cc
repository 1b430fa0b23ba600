#include "ringdb/server/config.h"

#include <fcntl.h>
#include <unistd.h>

#include <cerrno>
#include <climits>
#include <functional>
#include <string>

#include "ringdb/base/strings.h"
#include "ringdb/resp/parser.h"

namespace ringdb::server {
namespace {

using Values = std::span<const std::string_view>;
using Setter = std::function<Status(Config&, Values)>;
using Getter = std::function<std::string(const Config&)>;

struct Directive {
  DirectiveInfo info;
  Setter set;
  Getter get;
};

Status Reason(std::string text) { return Status::InvalidArgument(std::move(text)); }

Status WantOne(Values values) {
  if (values.size() != 1) return Reason("wrong number of arguments");
  return Status::Ok();
}

std::string MemoryText(int64_t bytes) { return std::to_string(bytes); }

Directive Bool(const char* name, bool Config::*field, uint32_t flags = 0) {
  return Directive{
      {name, "", flags},
      [field](Config& config, Values values) -> Status {
        RINGDB_RETURN_IF_ERROR(WantOne(values));
        if (EqualsIgnoreCase(values[0], "yes")) {
          config.*field = true;
        } else if (EqualsIgnoreCase(values[0], "no")) {
          config.*field = false;
        } else {
          return Reason("argument must be 'yes' or 'no'");
        }
        return Status::Ok();
      },
      [field](const Config& config) { return std::string(config.*field ? "yes" : "no"); }};
}

template <typename Int>
Directive Integer(const char* name, Int Config::*field, int64_t minimum, int64_t maximum,
                  uint32_t flags = 0) {
  return Directive{
      {name, "", flags},
      [=](Config& config, Values values) -> Status {
        RINGDB_RETURN_IF_ERROR(WantOne(values));
        std::optional<int64_t> value = ParseInt64(values[0]);
        if (!value) return Reason("argument couldn't be parsed into an integer");
        if (*value < minimum || *value > maximum) {
          return Reason("argument must be between " + std::to_string(minimum) + " and " +
                        std::to_string(maximum) + " inclusive");
        }
        config.*field = static_cast<Int>(*value);
        return Status::Ok();
      },
      [field](const Config& config) { return std::to_string(config.*field); }};
}

Directive Memory(const char* name, int64_t Config::*field, int64_t minimum, int64_t maximum,
                 uint32_t flags = 0) {
  return Directive{
      {name, "", flags},
      [=](Config& config, Values values) -> Status {
        RINGDB_RETURN_IF_ERROR(WantOne(values));
        std::optional<uint64_t> value = ParseMemorySize(values[0]);
        if (!value || *value > static_cast<uint64_t>(LLONG_MAX)) {
          return Reason("argument must be a memory value");
        }
        int64_t bytes = static_cast<int64_t>(*value);
        if (bytes < minimum || bytes > maximum) {
          return Reason("argument must be between " + std::to_string(minimum) + " and " +
                        std::to_string(maximum) + " inclusive");
        }
        config.*field = bytes;
        return Status::Ok();
      },
      [field](const Config& config) { return MemoryText(config.*field); }};
}

Directive Enum(const char* name, std::string Config::*field, std::vector<std::string> choices,
               uint32_t flags = 0) {
  return Directive{
      {name, "", flags},
      [=](Config& config, Values values) -> Status {
        RINGDB_RETURN_IF_ERROR(WantOne(values));
        for (const std::string& choice : choices) {
          if (EqualsIgnoreCase(values[0], choice)) {
            config.*field = choice;
            return Status::Ok();
          }
        }
        std::string list;
        for (const std::string& choice : choices) list += (list.empty() ? "" : ", ") + choice;
        return Reason("argument(s) must be one of the following: " + list);
      },
      [field](const Config& config) { return config.*field; }};
}

Directive String(const char* name, std::string Config::*field, uint32_t flags = 0) {
  return Directive{{name, "", flags},
                   [field](Config& config, Values values) -> Status {
                     RINGDB_RETURN_IF_ERROR(WantOne(values));
                     config.*field = std::string(values[0]);
                     return Status::Ok();
                   },
                   [field](const Config& config) { return config.*field; }};
}

Status SetOutputLimits(Config& config, Values values) {
  if (values.empty() || values.size() % 4 != 0) return Reason("Wrong number of arguments in buffer limit configuration.");
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
    if (!hard || !soft || !seconds || *seconds < 0) {
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
  return one("normal", config.output_limit_normal) + " " + one("slave", config.output_limit_replica) +
         " " + one("pubsub", config.output_limit_pubsub);
}

// notify-keyspace-events letters, validated as Redis's keyspaceEventsStringToFlags does.
Status SetNotifyEvents(Config& config, Values values) {
  RINGDB_RETURN_IF_ERROR(WantOne(values));
  for (char c : values[0]) {
    if (std::string_view("gKE$lshzxetmdnA").find(c) == std::string_view::npos) {
      return Reason("Invalid event class character. Use 'Ag$lshzxeKEtmdn'.");
    }
  }
  config.notify_keyspace_events = std::string(values[0]);
  return Status::Ok();
}

const std::vector<Directive>& Table() {
  static const std::vector<Directive>* table = [] {
    auto* directives = new std::vector<Directive>();
    auto& d = *directives;
    d.push_back(Directive{
        {"bind", "", kImmutable | kMultiArg},
        [](Config& config, Values values) -> Status {
          if (values.empty()) return Reason("wrong number of arguments");
          if (values.size() > 16) return Reason("Too many bind addresses specified.");
          config.bind.assign(values.begin(), values.end());
          return Status::Ok();
        },
        [](const Config& config) {
          std::string text;
          for (const std::string& address : config.bind) text += (text.empty() ? "" : " ") + address;
          return text;
        }});
    d.push_back(Integer("port", &Config::port, 0, 65535, kImmutable));
    d.push_back(String("unixsocket", &Config::unixsocket, kImmutable));
    d.push_back(Directive{{"unixsocketperm", "", kImmutable},
                          [](Config& config, Values values) -> Status {
                            RINGDB_RETURN_IF_ERROR(WantOne(values));
                            std::string text(values[0]);
                            char* end = nullptr;
                            errno = 0;
                            unsigned long mode = std::strtoul(text.c_str(), &end, 8);
                            if (text.empty() || *end != '\0' || errno != 0 || mode > 0777) {
                              return Reason("argument must be between 0 and 777 inclusive");
                            }
                            config.unixsocketperm = static_cast<unsigned>(mode);
                            return Status::Ok();
                          },
                          [](const Config& config) {
                            char text[16];
                            snprintf(text, sizeof(text), "%o", config.unixsocketperm);
                            return std::string(text);
                          }});
    d.push_back(Integer("tcp-backlog", &Config::tcp_backlog, 0, INT_MAX, kImmutable));
    d.push_back(Integer("timeout", &Config::timeout_seconds, 0, INT_MAX));
    d.push_back(Integer("tcp-keepalive", &Config::tcp_keepalive_seconds, 0, INT_MAX));
    d.push_back(Integer("maxclients", &Config::maxclients, 1, INT_MAX));
    d.push_back(Bool("protected-mode", &Config::protected_mode));
    d.push_back(Memory("proto-max-bulk-len", &Config::proto_max_bulk_len, 1024 * 1024,
                       static_cast<int64_t>(UINT32_MAX)));
    d.push_back(Memory("client-query-buffer-limit", &Config::client_query_buffer_limit,
                       1024 * 1024, LLONG_MAX));
    d.push_back(Directive{{"client-output-buffer-limit", "", kMultiArg}, SetOutputLimits,
                          GetOutputLimits});
    d.push_back(Integer("databases", &Config::databases, 1, INT_MAX, kImmutable));
    d.push_back(Integer("hz", &Config::hz, 1, 500));
    d.push_back(Bool("dynamic-hz", &Config::dynamic_hz));
    d.push_back(Integer("active-expire-effort", &Config::active_expire_effort, 1, 10));
    d.push_back(Bool("lazyfree-lazy-user-flush", &Config::lazyfree_lazy_user_flush));
    d.push_back(Memory("maxmemory", &Config::maxmemory, 0, LLONG_MAX));
    d.push_back(Enum("maxmemory-policy", &Config::maxmemory_policy,
                     {"volatile-lru", "volatile-lfu", "volatile-random", "volatile-ttl",
                      "allkeys-lru", "allkeys-lfu", "allkeys-random", "noeviction"}));
    d.push_back(Integer("maxmemory-samples", &Config::maxmemory_samples, 1, 64));
    d.push_back(String("dir", &Config::dir, kImmutable));
    d.push_back(String("logfile", &Config::logfile, kImmutable));
    d.push_back(Directive{{"loglevel", "", 0},
                          [](Config& config, Values values) -> Status {
                            RINGDB_RETURN_IF_ERROR(WantOne(values));
                            LogLevel level;
                            if (!ParseLogLevel(values[0], &level)) {
                              return Reason(
                                  "argument(s) must be one of the following: debug, verbose, "
                                  "notice, warning, nothing");
                            }
                            config.loglevel = level;
                            return Status::Ok();
                          },
                          [](const Config& config) { return std::string(LogLevelName(config.loglevel)); }});
    d.push_back(Enum("supervised", &Config::supervised, {"upstart", "systemd", "auto", "no"},
                     kImmutable));
    d.push_back(String("pidfile", &Config::pidfile, kImmutable));
    d.push_back(Directive{{"daemonize", "", kImmutable},
                          [](Config&, Values values) -> Status {
                            RINGDB_RETURN_IF_ERROR(WantOne(values));
                            if (EqualsIgnoreCase(values[0], "no")) return Status::Ok();
                            if (EqualsIgnoreCase(values[0], "yes")) {
                              return Reason(
                                  "daemonize yes is not supported: run ringdb-server under a "
                                  "service manager (see tools/ringdb.service)");
                            }
                            return Reason("argument must be 'yes' or 'no'");
                          },
                          [](const Config&) { return std::string("no"); }});
    d.push_back(Integer("slowlog-log-slower-than", &Config::slowlog_log_slower_than_us, -1,
                        LLONG_MAX));
    d.push_back(Integer("slowlog-max-len", &Config::slowlog_max_len, 0, LONG_MAX));
    d.push_back(Integer("latency-monitor-threshold", &Config::latency_monitor_threshold_ms, 0,
                        LLONG_MAX));
    d.push_back(Directive{{"notify-keyspace-events", "", 0}, SetNotifyEvents,
                          [](const Config& config) { return config.notify_keyspace_events; }});
    return directives;
  }();
  return *table;
}

const Directive* FindDirective(std::string_view name) {
  for (const Directive& directive : Table()) {
    if (EqualsIgnoreCase(directive.info.name, name)) return &directive;
    if (!directive.info.alias.empty() && EqualsIgnoreCase(directive.info.alias, name)) {
      return &directive;
    }
  }
  return nullptr;
}

}  // namespace

std::span<const DirectiveInfo> ConfigRegistry::Directives() {
  static const std::vector<DirectiveInfo>* infos = [] {
    auto* list = new std::vector<DirectiveInfo>();
    for (const Directive& directive : Table()) list->push_back(directive.info);
    return list;
  }();
  return *infos;
}

Status ConfigRegistry::Set(Config& config, std::string_view name, Values values,
                           bool at_startup) {
  const Directive* directive = FindDirective(name);
  if (directive == nullptr) return Status::NotFound("Bad directive or wrong number of arguments");
  if (!at_startup && (directive->info.flags & kImmutable)) {
    return Reason("can't set immutable config");
  }
  return directive->set(config, values);
}

Result<std::string> ConfigRegistry::Get(const Config& config, std::string_view name) {
  const Directive* directive = FindDirective(name);
  if (directive == nullptr) return Status::NotFound(std::string(name));
  return directive->get(config);
}

std::vector<std::pair<std::string, std::string>> ConfigRegistry::Match(const Config& config,
                                                                       std::string_view pattern) {
  std::vector<std::pair<std::string, std::string>> matches;
  for (const Directive& directive : Table()) {
    if (GlobMatch(pattern, directive.info.name, true)) {
      matches.emplace_back(directive.info.name, directive.get(config));
    } else if (!directive.info.alias.empty() && GlobMatch(pattern, directive.info.alias, true)) {
      matches.emplace_back(directive.info.alias, directive.get(config));
    }
  }
  return matches;
}

bool ConfigRegistry::Known(std::string_view name) { return FindDirective(name) != nullptr; }

bool ConfigRegistry::IsImmutable(std::string_view name) {
  const Directive* directive = FindDirective(name);
  return directive != nullptr && (directive->info.flags & kImmutable) != 0;
}

Status LoadConfigText(Config& config, std::string_view text, std::string_view origin) {
  size_t line_number = 0;
  while (!text.empty()) {
    size_t newline = text.find('\n');
    std::string_view line = text.substr(0, newline);
    text = newline == std::string_view::npos ? std::string_view() : text.substr(newline + 1);
    line_number++;
    while (!line.empty() && (line.back() == '\r' || line.back() == ' ' || line.back() == '\t')) {
      line.remove_suffix(1);
    }
    size_t first = line.find_first_not_of(" \t");
    if (first == std::string_view::npos || line[first] == '#') continue;
    line.remove_prefix(first);

    std::string storage;
    std::vector<std::pair<size_t, size_t>> spans;
    auto fail = [&](std::string_view reason) {
      return Status::InvalidArgument(std::string(origin) + ":" + std::to_string(line_number) +
                                     ": '" + std::string(line) + "': " + std::string(reason));
    };
    if (!resp::SplitInlineArgs(line, &storage, &spans)) return fail("Unbalanced quotes in configuration line");
    if (spans.empty()) continue;
    std::vector<std::string_view> words;
    for (const auto& [offset, length] : spans) words.emplace_back(storage.data() + offset, length);
    Status status = ConfigRegistry::Set(config, words[0],
                                        std::span<const std::string_view>(words).subspan(1), true);
    if (!status.ok()) return fail(status.message());
  }
  return Status::Ok();
}

Status LoadConfigFile(Config& config, const std::string& path) {
  int fd = ::open(path.c_str(), O_RDONLY | O_CLOEXEC);
  if (fd < 0) return Status::FromErrno("can't open config file '" + path + "'", errno);
  std::string text;
  char buffer[64 * 1024];
  while (true) {
    ssize_t n = ::read(fd, buffer, sizeof(buffer));
    if (n < 0) {
      if (errno == EINTR) continue;
      int error_number = errno;
      ::close(fd);
      return Status::FromErrno("can't read config file '" + path + "'", error_number);
    }
    if (n == 0) break;
    text.append(buffer, static_cast<size_t>(n));
  }
  ::close(fd);
  config.config_file = path;
  return LoadConfigText(config, text, path);
}

Status ParseCommandLine(Config& config, int argc, char** argv, bool* show_help,
                        bool* show_version) {
  *show_help = false;
  *show_version = false;
  int index = 1;
  if (index < argc) {
    std::string_view first = argv[index];
    if (first == "--help" || first == "-h") {
      *show_help = true;
      return Status::Ok();
    }
    if (first == "--version" || first == "-v") {
      *show_version = true;
      return Status::Ok();
    }
    if (first.substr(0, 2) != "--") {
      RINGDB_RETURN_IF_ERROR(LoadConfigFile(config, argv[index]));
      index++;
    }
  }
  // As Redis does, "--name v1 v2 --other v" becomes the lines "name v1 v2" and "other v",
  // applied after the file so flags override it.
  std::string text;
  for (; index < argc; index++) {
    std::string_view word = argv[index];
    if (word == "--help" || word == "-h") {
      *show_help = true;
      return Status::Ok();
    }
    if (word.substr(0, 2) == "--") {
      if (!text.empty()) text += "\n";
      text += std::string(word.substr(2));
    } else {
      text += " \"";
      for (char c : word) {
        if (c == '"' || c == '\\') text += '\\';
        text += c;
      }
      text += "\"";
    }
  }
  return LoadConfigText(config, text, "command line");
}

}  // namespace ringdb::server
