// The directive registry: parsing, bounds and error texts of every directive type, CONFIG GET
// matching and CONFIG SET's all-or-nothing pairs.
#include <doctest/doctest.h>

#include <string>
#include <vector>

#include "ringdb/server/config.h"

using ringdb::Status;
using ringdb::server::Config;
using ringdb::server::ConfigRegistry;
using ringdb::server::DirectiveType;

namespace {

// Sets one directive from words as a config file line would give them.
Status SetWords(Config& config, std::string_view name, std::vector<std::string_view> values,
                bool at_startup = true) {
  return ConfigRegistry::Set(config, name, values, at_startup);
}

std::string GetValue(const Config& config, std::string_view name) {
  auto value = ConfigRegistry::Get(config, name);
  REQUIRE(value.ok());
  return *value;
}

std::string SetPairsError(const Config& config, std::vector<std::string_view> pairs,
                          bool protected_allowed = false) {
  auto result = ConfigRegistry::SetPairs(config, pairs, protected_allowed);
  REQUIRE(!result.ok());
  return result.status().message();
}

}  // namespace

TEST_CASE("a bool directive takes yes or no in any case and refuses anything else") {
  Config config;
  CHECK(SetWords(config, "protected-mode", {"NO"}).ok());
  CHECK_FALSE(config.protected_mode);
  CHECK(GetValue(config, "protected-mode") == "no");
  CHECK(SetWords(config, "protected-mode", {"yes"}).ok());
  CHECK(config.protected_mode);
  Status status = SetWords(config, "protected-mode", {"maybe"});
  CHECK(status.message() == "argument must be 'yes' or 'no'");
  CHECK(config.protected_mode);
}

TEST_CASE("an integer directive enforces its range with Redis's message") {
  Config config;
  CHECK(SetWords(config, "port", {"7000"}).ok());
  CHECK(config.port == 7000);
  CHECK(SetWords(config, "port", {"65536"}).message() ==
        "argument must be between 0 and 65535 inclusive");
  CHECK(SetWords(config, "port", {"-1"}).message() ==
        "argument must be between 0 and 65535 inclusive");
  CHECK(SetWords(config, "port", {"12a"}).message() ==
        "argument couldn't be parsed into an integer");
  CHECK(SetWords(config, "port", {" 12"}).message() ==
        "argument couldn't be parsed into an integer");
  CHECK(config.port == 7000);
  CHECK(SetWords(config, "slowlog-log-slower-than", {"-2"}).message() ==
        "argument must be between -1 and 9223372036854775807 inclusive");
  CHECK(SetWords(config, "slowlog-log-slower-than", {"-1"}).ok());
  CHECK(config.slowlog_log_slower_than_us == -1);
}

TEST_CASE("maxclients accepts Redis's unsigned range and stores what fits an int") {
  Config config;
  CHECK(SetWords(config, "maxclients", {"0"}).message() ==
        "argument must be between 1 and 4294967295 inclusive");
  CHECK(SetWords(config, "maxclients", {"4294967295"}).ok());
  CHECK(config.maxclients == 2147483647);
  CHECK(SetWords(config, "maxclients", {"1"}).ok());
  CHECK(GetValue(config, "maxclients") == "1");
}

TEST_CASE("hz accepts any non-negative value and keeps it between 1 and 500") {
  Config config;
  CHECK(SetWords(config, "hz", {"1000"}).ok());
  CHECK(GetValue(config, "hz") == "500");
  CHECK(SetWords(config, "hz", {"0"}).ok());
  CHECK(config.hz == 1);
  CHECK(SetWords(config, "hz", {"-1"}).message() ==
        "argument must be between 0 and 2147483647 inclusive");
}

TEST_CASE("a memory directive reads units and shows bytes") {
  Config config;
  CHECK(SetWords(config, "maxmemory", {"1kb"}).ok());
  CHECK(config.maxmemory == 1024);
  CHECK(SetWords(config, "maxmemory", {"1k"}).ok());
  CHECK(config.maxmemory == 1000);
  CHECK(SetWords(config, "maxmemory", {"2GB"}).ok());
  CHECK(GetValue(config, "maxmemory") == "2147483648");
  CHECK(SetWords(config, "maxmemory", {"100"}).ok());
  CHECK(config.maxmemory == 100);
  CHECK(SetWords(config, "maxmemory", {"1xb"}).message() == "argument must be a memory value");
  CHECK(SetWords(config, "maxmemory", {"-1"}).message() == "argument must be a memory value");
  CHECK(config.maxmemory == 100);
  CHECK(SetWords(config, "proto-max-bulk-len", {"1k"}).message() ==
        "argument must be between 1048576 and 9223372036854775807 inclusive");
  CHECK(SetWords(config, "proto-max-bulk-len", {"1mb"}).ok());
  CHECK(config.proto_max_bulk_len == 1048576);
}

TEST_CASE("an enum directive takes one of its words in any case and lists them on error") {
  Config config;
  CHECK(SetWords(config, "maxmemory-policy", {"ALLKEYS-LRU"}).ok());
  CHECK(GetValue(config, "maxmemory-policy") == "allkeys-lru");
  CHECK(SetWords(config, "maxmemory-policy", {"lru"}).message() ==
        "argument(s) must be one of the following: volatile-lru, volatile-lfu, volatile-random, "
        "volatile-ttl, allkeys-lru, allkeys-lfu, allkeys-random, noeviction");
  CHECK(SetWords(config, "loglevel", {"Warning"}).ok());
  CHECK(GetValue(config, "loglevel") == "warning");
  CHECK(SetWords(config, "loglevel", {"loud"}).message() ==
        "argument(s) must be one of the following: debug, verbose, notice, warning, nothing");
}

TEST_CASE("an octal directive reads and shows octal digits") {
  Config config;
  CHECK(SetWords(config, "unixsocketperm", {"700"}).ok());
  CHECK(config.unixsocketperm == 0700);
  CHECK(GetValue(config, "unixsocketperm") == "700");
  CHECK(SetWords(config, "unixsocketperm", {"8"}).message() ==
        "argument couldn't be parsed as an octal number");
  CHECK(SetWords(config, "unixsocketperm", {"1000"}).message() ==
        "argument must be between 0 and 777 inclusive");
}

TEST_CASE("multi-argument directives take their lists") {
  Config config;
  CHECK(SetWords(config, "bind", {"0.0.0.0", "::"}).ok());
  CHECK(GetValue(config, "bind") == "0.0.0.0 ::");
  CHECK(SetWords(config, "bind", {""}).ok());
  CHECK(config.bind.empty());

  CHECK(SetWords(config, "client-output-buffer-limit",
                 {"normal", "1mb", "512kb", "10", "pubsub", "0", "0", "0"})
            .ok());
  CHECK(GetValue(config, "client-output-buffer-limit") ==
        "normal 1048576 524288 10 slave 268435456 67108864 60 pubsub 0 0 0");
  CHECK(SetWords(config, "client-output-buffer-limit", {"normal", "1mb", "1mb"}).message() ==
        "Wrong number of arguments in buffer limit configuration.");
  CHECK(SetWords(config, "client-output-buffer-limit", {"master", "0", "0", "0"}).message() ==
        "Invalid client class specified in buffer limit configuration.");
  // A bad class later in the list changes none of the earlier ones.
  CHECK(SetWords(config, "client-output-buffer-limit",
                 {"replica", "1", "1", "1", "pubsub", "x", "0", "0"})
            .message() ==
        "Error in hard, soft or soft_seconds setting in buffer limit configuration.");
  CHECK(config.output_limit_replica.hard_bytes == 268435456);

  CHECK(SetWords(config, "latency-tracking-info-percentiles", {"50", "99.99", "100"}).ok());
  CHECK(GetValue(config, "latency-tracking-info-percentiles") == "50 99.99 100");
  CHECK(SetWords(config, "latency-tracking-info-percentiles", {"101"}).message() ==
        "latency-tracking-info-percentiles parameters should sit between [0.0,100.0]");
  CHECK(SetWords(config, "latency-tracking-info-percentiles", {"p50"}).message() ==
        "Invalid latency-tracking-info-percentiles parameters");
  CHECK(SetWords(config, "latency-tracking-info-percentiles", {""}).ok());
  CHECK(GetValue(config, "latency-tracking-info-percentiles").empty());
}

TEST_CASE("notify-keyspace-events is validated and shown in Redis's canonical order") {
  Config config;
  CHECK(SetWords(config, "notify-keyspace-events", {"KEA"}).ok());
  CHECK(GetValue(config, "notify-keyspace-events") == "AKE");
  CHECK(SetWords(config, "notify-keyspace-events", {"Kz$x"}).ok());
  CHECK(GetValue(config, "notify-keyspace-events") == "$zxK");
  CHECK(SetWords(config, "notify-keyspace-events", {"KEAmn"}).ok());
  CHECK(GetValue(config, "notify-keyspace-events") == "AKEm");
  CHECK(SetWords(config, "notify-keyspace-events", {"q"}).message() ==
        "Invalid event class character. Use 'Ag$lshzxeKEtmdn'.");
  CHECK(SetWords(config, "notify-keyspace-events", {""}).ok());
  CHECK(GetValue(config, "notify-keyspace-events").empty());
}

TEST_CASE("unknown directives and wrong argument counts are refused") {
  Config config;
  Status unknown = SetWords(config, "no-such-directive", {"1"});
  CHECK(unknown.code() == Status::Code::kNotFound);
  CHECK(unknown.message() == "Bad directive or wrong number of arguments");
  CHECK(SetWords(config, "port", {"1", "2"}).message() == "wrong number of arguments");
  CHECK(SetWords(config, "port", {}).message() == "wrong number of arguments");
  CHECK(SetWords(config, "daemonize", {"yes"})
            .message()
            .starts_with("daemonize yes is not supported"));
  CHECK(SetWords(config, "daemonize", {"no"}).ok());
  CHECK_FALSE(ConfigRegistry::Known("no-such-directive"));
  CHECK(ConfigRegistry::Known("MAXMEMORY"));
  CHECK(ConfigRegistry::IsImmutable("databases"));
  CHECK_FALSE(ConfigRegistry::IsImmutable("maxmemory"));
}

TEST_CASE("immutable and protected directives are refused outside start-up") {
  Config config;
  CHECK(SetWords(config, "port", {"1"}, false).message() == "can't set immutable config");
  CHECK(SetWords(config, "dir", {"/tmp"}, false).message() == "can't set protected config");
  CHECK(SetWords(config, "dir", {"/tmp"}, true).ok());
  CHECK(config.dir == "/tmp");
}

TEST_CASE("aliases name the same directive") {
  Config config;
  CHECK(SetWords(config, "hash-max-ziplist-entries", {"64"}).ok());
  CHECK(config.hash_max_listpack_entries == 64);
  CHECK(GetValue(config, "hash-max-listpack-entries") == "64");
  const auto* info = ConfigRegistry::Find("HASH-MAX-ZIPLIST-ENTRIES");
  REQUIRE(info != nullptr);
  CHECK(info->name == "hash-max-listpack-entries");
}

TEST_CASE("the registry lists each directive once with a type") {
  std::vector<std::string> names;
  for (const auto& info : ConfigRegistry::Directives()) {
    CHECK(ConfigRegistry::Find(info.name) == &info);
    if (!info.alias.empty()) CHECK(ConfigRegistry::Find(info.alias) == &info);
    for (const std::string& seen : names) CHECK(seen != info.name);
    names.push_back(info.name);
    // Every directive's default reads back through its own setter.
    Config config;
    auto value = ConfigRegistry::Get(config, info.name);
    REQUIRE(value.ok());
    if (info.type != DirectiveType::kList) {
      CHECK_MESSAGE(SetWords(config, info.name, {*value}).ok(), info.name);
    }
  }
  CHECK(names.size() > 40);
}

TEST_CASE("CONFIG GET answers exact names as given and globs by name and alias") {
  Config config;
  std::vector<std::string_view> exact = {"MAXCLIENTS", "maxclients", "nope"};
  auto matches = ConfigRegistry::Match(config, exact);
  REQUIRE(matches.size() == 1);
  CHECK(matches[0].first == "MAXCLIENTS");
  CHECK(matches[0].second == "10000");

  std::vector<std::string_view> glob = {"hash-max-*-entries", "hash-max-listpack-entries"};
  matches = ConfigRegistry::Match(config, glob);
  REQUIRE(matches.size() == 2);
  CHECK(matches[0].first == "hash-max-listpack-entries");
  CHECK(matches[1].first == "hash-max-ziplist-entries");
  CHECK(matches[1].second == "512");

  std::vector<std::string_view> upper = {"SLOWLOG-*"};
  matches = ConfigRegistry::Match(config, upper);
  REQUIRE(matches.size() == 2);
  CHECK(matches[0] == std::pair<std::string, std::string>("slowlog-log-slower-than", "10000"));
  CHECK(matches[1] == std::pair<std::string, std::string>("slowlog-max-len", "128"));
}

TEST_CASE("CONFIG SET applies every pair or none") {
  Config config;
  std::vector<std::string_view> good = {"maxmemory", "10mb", "timeout", "30", "bind-nope", "x"};
  CHECK(SetPairsError(config, good) ==
        "Unknown option or number of arguments for CONFIG SET - 'bind-nope'");

  std::vector<std::string_view> pairs = {"maxmemory", "10mb", "TIMEOUT", "30"};
  auto result = ConfigRegistry::SetPairs(config, pairs, false);
  REQUIRE(result.ok());
  CHECK(result->maxmemory == 10 * 1024 * 1024);
  CHECK(result->timeout_seconds == 30);
  CHECK(config.maxmemory == 0);  // The input is untouched.

  std::vector<std::string_view> bad_value = {"maxmemory", "10mb", "TIMEOUT", "x"};
  CHECK(SetPairsError(config, bad_value) ==
        "CONFIG SET failed (possibly related to argument 'timeout') - argument couldn't be parsed "
        "into an integer");
}

TEST_CASE("CONFIG SET reports the first bad name with Redis's texts") {
  Config config;
  std::vector<std::string_view> immutable = {"timeout", "1", "port", "1", "foo", "1"};
  CHECK(SetPairsError(config, immutable) ==
        "CONFIG SET failed (possibly related to argument 'port') - can't set immutable config");
  std::vector<std::string_view> unknown = {"foo", "1", "port", "1"};
  CHECK(SetPairsError(config, unknown) ==
        "Unknown option or number of arguments for CONFIG SET - 'foo'");
  std::vector<std::string_view> duplicate = {"TIMEOUT", "1", "timeout", "2"};
  CHECK(SetPairsError(config, duplicate) ==
        "CONFIG SET failed (possibly related to argument 'timeout') - duplicate parameter");
  std::vector<std::string_view> alias = {"hash-max-listpack-entries", "1",
                                         "hash-max-ziplist-entries", "2"};
  CHECK(SetPairsError(config, alias) ==
        "CONFIG SET failed (possibly related to argument 'hash-max-ziplist-entries') - duplicate "
        "parameter");
  std::vector<std::string_view> protected_dir = {"dir", "/tmp"};
  CHECK(SetPairsError(config, protected_dir) ==
        "CONFIG SET failed (possibly related to argument 'dir') - can't set protected config");
  CHECK(ConfigRegistry::SetPairs(config, protected_dir, true).ok());
}

TEST_CASE("CONFIG SET splits list values on spaces") {
  Config config;
  std::vector<std::string_view> pairs = {"client-output-buffer-limit", "pubsub 1mb 1mb 5",
                                         "latency-tracking-info-percentiles", "90 99"};
  auto result = ConfigRegistry::SetPairs(config, pairs, false);
  REQUIRE(result.ok());
  CHECK(result->output_limit_pubsub.hard_bytes == 1048576);
  CHECK(result->output_limit_pubsub.soft_seconds == 5);
  CHECK(result->latency_tracking_info_percentiles == std::vector<double>{90, 99});
  std::vector<std::string_view> empty = {"latency-tracking-info-percentiles", ""};
  result = ConfigRegistry::SetPairs(config, empty, false);
  REQUIRE(result.ok());
  CHECK(result->latency_tracking_info_percentiles.empty());
}

TEST_CASE("a multi-argument directive given as one quoted argument is split like a line") {
  Config config;
  CHECK(SetWords(config, "client-output-buffer-limit", {"normal 2mb 0 0"}).ok());
  CHECK(config.output_limit_normal.hard_bytes == 2 * 1024 * 1024);
  CHECK(SetWords(config, "bind", {"10.0.0.1 -::1"}).ok());
  CHECK(config.bind == std::vector<std::string>{"10.0.0.1", "-::1"});
  CHECK(!SetWords(config, "client-output-buffer-limit", {"normal 2mb 0"}).ok());
  CHECK(config.output_limit_normal.hard_bytes == 2 * 1024 * 1024);
}
