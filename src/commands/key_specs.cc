// The key specs of every command with keys, as Redis 7 declares them (COMMAND INFO of
// redis-server 7.0.15, which Redis 7.2 keeps for these commands), and the keys functions
// Redis pairs with them. tests/integration/test_command_keys.py compares both with a real
// redis-server, command by command.
#include "key_specs.h"

#include <algorithm>
#include <cstdlib>
#include <iterator>
#include <string>
#include <vector>

#include "ringdb/base/assert.h"
#include "ringdb/base/strings.h"

namespace ringdb::commands {
namespace {

constexpr uint32_t kRO = kKeyRO;
constexpr uint32_t kRW = kKeyRW;
constexpr uint32_t kOW = kKeyOW;
constexpr uint32_t kRM = kKeyRM;
constexpr uint32_t kAccess = kKeyAccess;
constexpr uint32_t kUpdate = kKeyUpdate;
constexpr uint32_t kInsert = kKeyInsert;
constexpr uint32_t kDelete = kKeyDelete;
constexpr uint32_t kNotKey = kKeyNotKey;
constexpr uint32_t kVariableFlags = kKeyVariableFlags;

constexpr BeginSearch Index(int position) { return {BeginSearch::kIndex, position, ""}; }
constexpr BeginSearch Keyword(const char* keyword, int start) {
  return {BeginSearch::kKeyword, start, keyword};
}
constexpr BeginSearch kUnknownBegin{};
constexpr FindKeys Range(int last_key, int key_step, int limit) {
  return {FindKeys::kRange, last_key, key_step, limit, 0, 0};
}
constexpr FindKeys Keynum(int keynum_index, int first_key, int key_step) {
  return {FindKeys::kKeynum, 0, key_step, 0, keynum_index, first_key};
}
constexpr FindKeys kUnknownFind{};

struct KeySpecRow {
  std::string_view command;
  KeySpec spec;
};

// One row per key spec, a command's rows together and in Redis's order, commands sorted by
// full name.
// clang-format off
constexpr KeySpecRow kKeySpecRows[] = {
    {"append", {kRW | kInsert, Index(1), Range(0, 1, 0)}},
    {"bitcount", {kRO | kAccess, Index(1), Range(0, 1, 0)}},
    {"bitfield", {kRW | kAccess | kUpdate | kVariableFlags, Index(1), Range(0, 1, 0), "This command allows both access and modification of the key"}},
    {"bitfield_ro", {kRO | kAccess, Index(1), Range(0, 1, 0)}},
    {"bitop", {kOW | kUpdate, Index(2), Range(0, 1, 0)}},
    {"bitop", {kRO | kAccess, Index(3), Range(-1, 1, 0)}},
    {"bitpos", {kRO | kAccess, Index(1), Range(0, 1, 0)}},
    {"blmove", {kRW | kAccess | kDelete, Index(1), Range(0, 1, 0)}},
    {"blmove", {kRW | kInsert, Index(2), Range(0, 1, 0)}},
    {"blmpop", {kRW | kAccess | kDelete, Index(2), Keynum(0, 1, 1)}},
    {"blpop", {kRW | kAccess | kDelete, Index(1), Range(-2, 1, 0)}},
    {"brpop", {kRW | kAccess | kDelete, Index(1), Range(-2, 1, 0)}},
    {"brpoplpush", {kRW | kAccess | kDelete, Index(1), Range(0, 1, 0)}},
    {"brpoplpush", {kRW | kInsert, Index(2), Range(0, 1, 0)}},
    {"bzmpop", {kRW | kAccess | kDelete, Index(2), Keynum(0, 1, 1)}},
    {"bzpopmax", {kRW | kAccess | kDelete, Index(1), Range(-2, 1, 0)}},
    {"bzpopmin", {kRW | kAccess | kDelete, Index(1), Range(-2, 1, 0)}},
    {"copy", {kRO | kAccess, Index(1), Range(0, 1, 0)}},
    {"copy", {kOW | kUpdate, Index(2), Range(0, 1, 0)}},
    {"decr", {kRW | kAccess | kUpdate, Index(1), Range(0, 1, 0)}},
    {"decrby", {kRW | kAccess | kUpdate, Index(1), Range(0, 1, 0)}},
    {"del", {kRM | kDelete, Index(1), Range(-1, 1, 0)}},
    {"dump", {kRO | kAccess, Index(1), Range(0, 1, 0)}},
    {"exists", {kRO, Index(1), Range(-1, 1, 0)}},
    {"expire", {kRW | kUpdate, Index(1), Range(0, 1, 0)}},
    {"expireat", {kRW | kUpdate, Index(1), Range(0, 1, 0)}},
    {"expiretime", {kRO | kAccess, Index(1), Range(0, 1, 0)}},
    {"geoadd", {kRW | kUpdate, Index(1), Range(0, 1, 0)}},
    {"geodist", {kRO | kAccess, Index(1), Range(0, 1, 0)}},
    {"geohash", {kRO | kAccess, Index(1), Range(0, 1, 0)}},
    {"geopos", {kRO | kAccess, Index(1), Range(0, 1, 0)}},
    {"georadius", {kRO | kAccess, Index(1), Range(0, 1, 0)}},
    {"georadius", {kOW | kUpdate, Keyword("STORE", 6), Range(0, 1, 0)}},
    {"georadius", {kOW | kUpdate, Keyword("STOREDIST", 6), Range(0, 1, 0)}},
    {"georadius_ro", {kRO | kAccess, Index(1), Range(0, 1, 0)}},
    {"georadiusbymember", {kRO | kAccess, Index(1), Range(0, 1, 0)}},
    {"georadiusbymember", {kOW | kUpdate, Keyword("STORE", 5), Range(0, 1, 0)}},
    {"georadiusbymember", {kOW | kUpdate, Keyword("STOREDIST", 5), Range(0, 1, 0)}},
    {"georadiusbymember_ro", {kRO | kAccess, Index(1), Range(0, 1, 0)}},
    {"geosearch", {kRO | kAccess, Index(1), Range(0, 1, 0)}},
    {"geosearchstore", {kOW | kUpdate, Index(1), Range(0, 1, 0)}},
    {"geosearchstore", {kRO | kAccess, Index(2), Range(0, 1, 0)}},
    {"get", {kRO | kAccess, Index(1), Range(0, 1, 0)}},
    {"getbit", {kRO | kAccess, Index(1), Range(0, 1, 0)}},
    {"getdel", {kRW | kAccess | kDelete, Index(1), Range(0, 1, 0)}},
    {"getex", {kRW | kAccess | kUpdate, Index(1), Range(0, 1, 0), "RW and UPDATE because it changes the TTL"}},
    {"getrange", {kRO | kAccess, Index(1), Range(0, 1, 0)}},
    {"getset", {kRW | kAccess | kUpdate, Index(1), Range(0, 1, 0)}},
    {"hdel", {kRW | kDelete, Index(1), Range(0, 1, 0)}},
    {"hexists", {kRO, Index(1), Range(0, 1, 0)}},
    {"hget", {kRO | kAccess, Index(1), Range(0, 1, 0)}},
    {"hgetall", {kRO | kAccess, Index(1), Range(0, 1, 0)}},
    {"hincrby", {kRW | kAccess | kUpdate, Index(1), Range(0, 1, 0)}},
    {"hincrbyfloat", {kRW | kAccess | kUpdate, Index(1), Range(0, 1, 0)}},
    {"hkeys", {kRO | kAccess, Index(1), Range(0, 1, 0)}},
    {"hlen", {kRO, Index(1), Range(0, 1, 0)}},
    {"hmget", {kRO | kAccess, Index(1), Range(0, 1, 0)}},
    {"hmset", {kRW | kUpdate, Index(1), Range(0, 1, 0)}},
    {"hrandfield", {kRO | kAccess, Index(1), Range(0, 1, 0)}},
    {"hscan", {kRO | kAccess, Index(1), Range(0, 1, 0)}},
    {"hset", {kRW | kUpdate, Index(1), Range(0, 1, 0)}},
    {"hsetnx", {kRW | kInsert, Index(1), Range(0, 1, 0)}},
    {"hstrlen", {kRO, Index(1), Range(0, 1, 0)}},
    {"hvals", {kRO | kAccess, Index(1), Range(0, 1, 0)}},
    {"incr", {kRW | kAccess | kUpdate, Index(1), Range(0, 1, 0)}},
    {"incrby", {kRW | kAccess | kUpdate, Index(1), Range(0, 1, 0)}},
    {"incrbyfloat", {kRW | kAccess | kUpdate, Index(1), Range(0, 1, 0)}},
    {"lcs", {kRO | kAccess, Index(1), Range(1, 1, 0)}},
    {"lindex", {kRO | kAccess, Index(1), Range(0, 1, 0)}},
    {"linsert", {kRW | kInsert, Index(1), Range(0, 1, 0)}},
    {"llen", {kRO, Index(1), Range(0, 1, 0)}},
    {"lmove", {kRW | kAccess | kDelete, Index(1), Range(0, 1, 0)}},
    {"lmove", {kRW | kInsert, Index(2), Range(0, 1, 0)}},
    {"lmpop", {kRW | kAccess | kDelete, Index(1), Keynum(0, 1, 1)}},
    {"lpop", {kRW | kAccess | kDelete, Index(1), Range(0, 1, 0)}},
    {"lpos", {kRO | kAccess, Index(1), Range(0, 1, 0)}},
    {"lpush", {kRW | kInsert, Index(1), Range(0, 1, 0)}},
    {"lpushx", {kRW | kInsert, Index(1), Range(0, 1, 0)}},
    {"lrange", {kRO | kAccess, Index(1), Range(0, 1, 0)}},
    {"lrem", {kRW | kDelete, Index(1), Range(0, 1, 0)}},
    {"lset", {kRW | kUpdate, Index(1), Range(0, 1, 0)}},
    {"ltrim", {kRW | kDelete, Index(1), Range(0, 1, 0)}},
    {"memory|usage", {kRO, Index(2), Range(0, 1, 0)}},
    {"mget", {kRO | kAccess, Index(1), Range(-1, 1, 0)}},
    {"move", {kRW | kAccess | kUpdate, Index(1), Range(0, 1, 0)}},
    {"mset", {kOW | kUpdate, Index(1), Range(-1, 2, 0)}},
    {"msetnx", {kOW | kInsert, Index(1), Range(-1, 2, 0)}},
    {"object|encoding", {kRO, Index(2), Range(0, 1, 0)}},
    {"object|freq", {kRO, Index(2), Range(0, 1, 0)}},
    {"object|idletime", {kRO, Index(2), Range(0, 1, 0)}},
    {"object|refcount", {kRO, Index(2), Range(0, 1, 0)}},
    {"persist", {kRW | kUpdate, Index(1), Range(0, 1, 0)}},
    {"pexpire", {kRW | kUpdate, Index(1), Range(0, 1, 0)}},
    {"pexpireat", {kRW | kUpdate, Index(1), Range(0, 1, 0)}},
    {"pexpiretime", {kRO | kAccess, Index(1), Range(0, 1, 0)}},
    {"pfadd", {kRW | kInsert, Index(1), Range(0, 1, 0)}},
    {"pfcount", {kRW | kAccess, Index(1), Range(-1, 1, 0), "RW because it may change the internal representation of the key, and propagate to replicas"}},
    {"pfdebug", {kRW | kAccess, Index(2), Range(0, 1, 0)}},
    {"pfmerge", {kRW | kAccess | kInsert, Index(1), Range(0, 1, 0)}},
    {"pfmerge", {kRO | kAccess, Index(2), Range(-1, 1, 0)}},
    {"psetex", {kOW | kUpdate, Index(1), Range(0, 1, 0)}},
    {"pttl", {kRO | kAccess, Index(1), Range(0, 1, 0)}},
    {"rename", {kRW | kAccess | kDelete, Index(1), Range(0, 1, 0)}},
    {"rename", {kOW | kUpdate, Index(2), Range(0, 1, 0)}},
    {"renamenx", {kRW | kAccess | kDelete, Index(1), Range(0, 1, 0)}},
    {"renamenx", {kOW | kInsert, Index(2), Range(0, 1, 0)}},
    {"restore", {kOW | kUpdate, Index(1), Range(0, 1, 0)}},
    {"rpop", {kRW | kAccess | kDelete, Index(1), Range(0, 1, 0)}},
    {"rpoplpush", {kRW | kAccess | kDelete, Index(1), Range(0, 1, 0)}},
    {"rpoplpush", {kRW | kInsert, Index(2), Range(0, 1, 0)}},
    {"rpush", {kRW | kInsert, Index(1), Range(0, 1, 0)}},
    {"rpushx", {kRW | kInsert, Index(1), Range(0, 1, 0)}},
    {"sadd", {kRW | kInsert, Index(1), Range(0, 1, 0)}},
    {"scard", {kRO, Index(1), Range(0, 1, 0)}},
    {"sdiff", {kRO | kAccess, Index(1), Range(-1, 1, 0)}},
    {"sdiffstore", {kOW | kUpdate, Index(1), Range(0, 1, 0)}},
    {"sdiffstore", {kRO | kAccess, Index(2), Range(-1, 1, 0)}},
    {"set", {kRW | kAccess | kUpdate | kVariableFlags, Index(1), Range(0, 1, 0), "RW and ACCESS due to the optional `GET` argument"}},
    {"setbit", {kRW | kAccess | kUpdate, Index(1), Range(0, 1, 0)}},
    {"setex", {kOW | kUpdate, Index(1), Range(0, 1, 0)}},
    {"setnx", {kOW | kInsert, Index(1), Range(0, 1, 0)}},
    {"setrange", {kRW | kUpdate, Index(1), Range(0, 1, 0)}},
    {"sinter", {kRO | kAccess, Index(1), Range(-1, 1, 0)}},
    {"sintercard", {kRO | kAccess, Index(1), Keynum(0, 1, 1)}},
    {"sinterstore", {kRW | kUpdate, Index(1), Range(0, 1, 0)}},
    {"sinterstore", {kRO | kAccess, Index(2), Range(-1, 1, 0)}},
    {"sismember", {kRO, Index(1), Range(0, 1, 0)}},
    {"smembers", {kRO | kAccess, Index(1), Range(0, 1, 0)}},
    {"smismember", {kRO | kAccess, Index(1), Range(0, 1, 0)}},
    {"smove", {kRW | kAccess | kDelete, Index(1), Range(0, 1, 0)}},
    {"smove", {kRW | kInsert, Index(2), Range(0, 1, 0)}},
    {"sort", {kRO | kAccess, Index(1), Range(0, 1, 0)}},
    {"sort", {kRO | kAccess, kUnknownBegin, kUnknownFind, "For the optional BY/GET keyword. It is marked 'unknown' because the key names derive from the content of the key we sort"}},
    {"sort", {kOW | kUpdate, kUnknownBegin, kUnknownFind, "For the optional STORE keyword. It is marked 'unknown' because the keyword can appear anywhere in the argument array"}},
    {"sort_ro", {kRO | kAccess, Index(1), Range(0, 1, 0)}},
    {"sort_ro", {kRO | kAccess, kUnknownBegin, kUnknownFind, "For the optional BY/GET keyword. It is marked 'unknown' because the key names derive from the content of the key we sort"}},
    {"spop", {kRW | kAccess | kDelete, Index(1), Range(0, 1, 0)}},
    {"spublish", {kNotKey, Index(1), Range(0, 1, 0)}},
    {"srandmember", {kRO | kAccess, Index(1), Range(0, 1, 0)}},
    {"srem", {kRW | kDelete, Index(1), Range(0, 1, 0)}},
    {"sscan", {kRO | kAccess, Index(1), Range(0, 1, 0)}},
    {"ssubscribe", {kNotKey, Index(1), Range(-1, 1, 0)}},
    {"strlen", {kRO, Index(1), Range(0, 1, 0)}},
    {"substr", {kRO | kAccess, Index(1), Range(0, 1, 0)}},
    {"sunion", {kRO | kAccess, Index(1), Range(-1, 1, 0)}},
    {"sunionstore", {kOW | kUpdate, Index(1), Range(0, 1, 0)}},
    {"sunionstore", {kRO | kAccess, Index(2), Range(-1, 1, 0)}},
    {"sunsubscribe", {kNotKey, Index(1), Range(-1, 1, 0)}},
    {"touch", {kRO, Index(1), Range(-1, 1, 0)}},
    {"ttl", {kRO | kAccess, Index(1), Range(0, 1, 0)}},
    {"type", {kRO, Index(1), Range(0, 1, 0)}},
    {"unlink", {kRM | kDelete, Index(1), Range(-1, 1, 0)}},
    {"watch", {kRO, Index(1), Range(-1, 1, 0)}},
    {"xack", {kRW | kUpdate, Index(1), Range(0, 1, 0)}},
    {"xadd", {kRW | kUpdate, Index(1), Range(0, 1, 0), "UPDATE instead of INSERT because of the optional trimming feature"}},
    {"xautoclaim", {kRW | kDelete, Index(1), Range(0, 1, 0)}},
    {"xclaim", {kRW | kUpdate, Index(1), Range(0, 1, 0)}},
    {"xdel", {kRW | kDelete, Index(1), Range(0, 1, 0)}},
    {"xgroup|create", {kRW | kInsert, Index(2), Range(0, 1, 0)}},
    {"xgroup|createconsumer", {kRW | kInsert, Index(2), Range(0, 1, 0)}},
    {"xgroup|delconsumer", {kRW | kDelete, Index(2), Range(0, 1, 0)}},
    {"xgroup|destroy", {kRW | kDelete, Index(2), Range(0, 1, 0)}},
    {"xgroup|setid", {kRW | kUpdate, Index(2), Range(0, 1, 0)}},
    {"xinfo|consumers", {kRO | kAccess, Index(2), Range(0, 1, 0)}},
    {"xinfo|groups", {kRO | kAccess, Index(2), Range(0, 1, 0)}},
    {"xinfo|stream", {kRO | kAccess, Index(2), Range(0, 1, 0)}},
    {"xlen", {kRO, Index(1), Range(0, 1, 0)}},
    {"xpending", {kRO | kAccess, Index(1), Range(0, 1, 0)}},
    {"xrange", {kRO | kAccess, Index(1), Range(0, 1, 0)}},
    {"xread", {kRO | kAccess, Keyword("STREAMS", 1), Range(-1, 1, 2)}},
    {"xreadgroup", {kRO | kAccess, Keyword("STREAMS", 4), Range(-1, 1, 2)}},
    {"xrevrange", {kRO | kAccess, Index(1), Range(0, 1, 0)}},
    {"xsetid", {kRW | kUpdate, Index(1), Range(0, 1, 0)}},
    {"xtrim", {kRW | kDelete, Index(1), Range(0, 1, 0)}},
    {"zadd", {kRW | kUpdate, Index(1), Range(0, 1, 0)}},
    {"zcard", {kRO, Index(1), Range(0, 1, 0)}},
    {"zcount", {kRO | kAccess, Index(1), Range(0, 1, 0)}},
    {"zdiff", {kRO | kAccess, Index(1), Keynum(0, 1, 1)}},
    {"zdiffstore", {kOW | kUpdate, Index(1), Range(0, 1, 0)}},
    {"zdiffstore", {kRO | kAccess, Index(2), Keynum(0, 1, 1)}},
    {"zincrby", {kRW | kAccess | kUpdate, Index(1), Range(0, 1, 0)}},
    {"zinter", {kRO | kAccess, Index(1), Keynum(0, 1, 1)}},
    {"zintercard", {kRO | kAccess, Index(1), Keynum(0, 1, 1)}},
    {"zinterstore", {kOW | kUpdate, Index(1), Range(0, 1, 0)}},
    {"zinterstore", {kRO | kAccess, Index(2), Keynum(0, 1, 1)}},
    {"zlexcount", {kRO | kAccess, Index(1), Range(0, 1, 0)}},
    {"zmpop", {kRW | kAccess | kDelete, Index(1), Keynum(0, 1, 1)}},
    {"zmscore", {kRO | kAccess, Index(1), Range(0, 1, 0)}},
    {"zpopmax", {kRW | kAccess | kDelete, Index(1), Range(0, 1, 0)}},
    {"zpopmin", {kRW | kAccess | kDelete, Index(1), Range(0, 1, 0)}},
    {"zrandmember", {kRO | kAccess, Index(1), Range(0, 1, 0)}},
    {"zrange", {kRO | kAccess, Index(1), Range(0, 1, 0)}},
    {"zrangebylex", {kRO | kAccess, Index(1), Range(0, 1, 0)}},
    {"zrangebyscore", {kRO | kAccess, Index(1), Range(0, 1, 0)}},
    {"zrangestore", {kOW | kUpdate, Index(1), Range(0, 1, 0)}},
    {"zrangestore", {kRO | kAccess, Index(2), Range(0, 1, 0)}},
    {"zrank", {kRO | kAccess, Index(1), Range(0, 1, 0)}},
    {"zrem", {kRW | kDelete, Index(1), Range(0, 1, 0)}},
    {"zremrangebylex", {kRW | kDelete, Index(1), Range(0, 1, 0)}},
    {"zremrangebyrank", {kRW | kDelete, Index(1), Range(0, 1, 0)}},
    {"zremrangebyscore", {kRW | kDelete, Index(1), Range(0, 1, 0)}},
    {"zrevrange", {kRO | kAccess, Index(1), Range(0, 1, 0)}},
    {"zrevrangebylex", {kRO | kAccess, Index(1), Range(0, 1, 0)}},
    {"zrevrangebyscore", {kRO | kAccess, Index(1), Range(0, 1, 0)}},
    {"zrevrank", {kRO | kAccess, Index(1), Range(0, 1, 0)}},
    {"zscan", {kRO | kAccess, Index(1), Range(0, 1, 0)}},
    {"zscore", {kRO | kAccess, Index(1), Range(0, 1, 0)}},
    {"zunion", {kRO | kAccess, Index(1), Keynum(0, 1, 1)}},
    {"zunionstore", {kOW | kUpdate, Index(1), Range(0, 1, 0)}},
    {"zunionstore", {kRO | kAccess, Index(2), Keynum(0, 1, 1)}},
};
// clang-format on

// ---- Keys functions (Redis's getkeys_proc) ----

// Redis compares arguments as C strings (strcasecmp): the text ends at a NUL byte.
bool IsWord(std::string_view argument, std::string_view word) {
  size_t nul = argument.find('\0');
  if (nul != std::string_view::npos) argument = argument.substr(0, nul);
  return EqualsIgnoreCase(argument, word);
}

// glibc's atoi, which genericGetKeys reads the key count with: strtol's leading blanks, sign
// and digits, saturating at the long range, then truncated to int. So "2abc" counts 2 keys.
int CAtoi(std::string_view text) {
  std::string copy(text.substr(0, text.find('\0')));
  return static_cast<int>(std::strtol(copy.c_str(), nullptr, 10));
}

// Redis's genericGetKeys: `count_index` holds the number of keys that start at `first_index`
// every `step`, followed by the destination at `store_index` (0: none). Nothing when the
// count is below 1 or more than the arguments hold; the flags are left 0, as Redis does.
void GenericKeys(std::span<const std::string_view> argv, int store_index, int count_index,
                 int first_index, int step, std::vector<KeyReference>* keys) {
  int argc = static_cast<int>(argv.size());
  int count = CAtoi(argv[static_cast<size_t>(count_index)]);
  if (count < 1 || count > (argc - first_index) / step) return;
  for (int i = 0; i < count; i++) keys->push_back({first_index + i * step, 0});
  if (store_index != 0) keys->push_back({store_index, 0});
}

// ZUNION, ZINTER, ZDIFF, ZINTERCARD, SINTERCARD, LMPOP, ZMPOP: numkeys key [key ...] ...
void CountAtOneKeys(std::span<const std::string_view> argv, std::vector<KeyReference>* keys) {
  GenericKeys(argv, 0, 1, 2, 1, keys);
}

// BLMPOP, BZMPOP: timeout numkeys key [key ...] ...
void CountAtTwoKeys(std::span<const std::string_view> argv, std::vector<KeyReference>* keys) {
  GenericKeys(argv, 0, 2, 3, 1, keys);
}

// ZUNIONSTORE, ZINTERSTORE, ZDIFFSTORE: destination numkeys key [key ...] ...; the
// destination comes last.
void StoreCountKeys(std::span<const std::string_view> argv, std::vector<KeyReference>* keys) {
  GenericKeys(argv, 1, 2, 3, 1, keys);
}

// sortROGetKeys: the sorted key only.
void SortReadOnlyKeys(std::span<const std::string_view>, std::vector<KeyReference>* keys) {
  keys->push_back({1, kRO | kAccess});
}

// georadiusGetKeys: the key, then the last STORE or STOREDIST destination (searched from the
// fifth argument on, a keyword's value skipped).
void GeoRadiusKeys(std::span<const std::string_view> argv, std::vector<KeyReference>* keys) {
  int argc = static_cast<int>(argv.size());
  int store = -1;
  for (int i = 5; i < argc; i++) {
    std::string_view word = argv[static_cast<size_t>(i)];
    if ((IsWord(word, "store") || IsWord(word, "storedist")) && i + 1 < argc) {
      store = i + 1;
      i++;
    }
  }
  keys->push_back({1, 0});
  if (store != -1) keys->push_back({store, 0});
}

// xreadGetKeys: the options are skipped up to STREAMS (a group or stream may be named
// "streams"); the keys are the first half of what follows, which must be an even count.
void XReadKeys(std::span<const std::string_view> argv, std::vector<KeyReference>* keys) {
  int argc = static_cast<int>(argv.size());
  int streams = -1;
  for (int i = 1; i < argc; i++) {
    std::string_view word = argv[static_cast<size_t>(i)];
    if (IsWord(word, "block") || IsWord(word, "count")) {
      i++;
    } else if (IsWord(word, "group")) {
      i += 2;
    } else if (IsWord(word, "noack")) {
      continue;
    } else if (IsWord(word, "streams")) {
      streams = i;
      break;
    } else {
      break;
    }
  }
  if (streams == -1) return;
  int count = argc - streams - 1;
  if (count == 0 || count % 2 != 0) return;
  for (int i = streams + 1; i < streams + 1 + count / 2; i++) keys->push_back({i, 0});
}

// setGetKeys: the key is read too when a GET option follows the value.
void SetKeys(std::span<const std::string_view> argv, std::vector<KeyReference>* keys) {
  for (size_t i = 3; i < argv.size(); i++) {
    if (IsWord(argv[i], "get")) {
      keys->push_back({1, kRW | kAccess | kUpdate});
      return;
    }
  }
  keys->push_back({1, kOW | kUpdate});
}

// bitfieldGetKeys: read-only while every operation is a complete GET (or OVERFLOW); the
// first SET, INCRBY or malformed operation makes it a read-write access.
void BitfieldKeys(std::span<const std::string_view> argv, std::vector<KeyReference>* keys) {
  int argc = static_cast<int>(argv.size());
  bool read_only = true;
  for (int i = 2; i < argc; i++) {
    int remaining = argc - i - 1;
    std::string_view word = argv[static_cast<size_t>(i)];
    if (IsWord(word, "get") && remaining >= 2) {
      i += 2;
    } else if ((IsWord(word, "set") || IsWord(word, "incrby")) && remaining >= 3) {
      read_only = false;
      break;
    } else if (IsWord(word, "overflow") && remaining >= 1) {
      i += 1;
    } else {
      read_only = false;
      break;
    }
  }
  keys->push_back({1, read_only ? kRO | kAccess : kRW | kAccess | kUpdate});
}

struct KeysFunctionRow {
  std::string_view command;
  KeysFunction keys;
};

// SORT's own function lives with it (sort_commands.cc).
constexpr KeysFunctionRow kKeysFunctionRows[] = {
    {"bitfield", BitfieldKeys},
    {"blmpop", CountAtTwoKeys},
    {"bzmpop", CountAtTwoKeys},
    {"georadius", GeoRadiusKeys},
    {"georadiusbymember", GeoRadiusKeys},
    {"lmpop", CountAtOneKeys},
    {"set", SetKeys},
    {"sintercard", CountAtOneKeys},
    {"sort_ro", SortReadOnlyKeys},
    {"xread", XReadKeys},
    {"xreadgroup", XReadKeys},
    {"zdiff", CountAtOneKeys},
    {"zdiffstore", StoreCountKeys},
    {"zinter", CountAtOneKeys},
    {"zintercard", CountAtOneKeys},
    {"zinterstore", StoreCountKeys},
    {"zmpop", CountAtOneKeys},
    {"zunion", CountAtOneKeys},
    {"zunionstore", StoreCountKeys},
};

}  // namespace

std::span<const KeySpec> FindKeySpecs(std::string_view full_name) {
  // The specs copied out of the rows once, so that each command's are one contiguous span.
  static const std::vector<KeySpec> specs = [] {
    std::vector<KeySpec> all;
    for (size_t i = 0; i < std::size(kKeySpecRows); i++) {
      if (i > 0) RINGDB_ASSERT(kKeySpecRows[i - 1].command <= kKeySpecRows[i].command);
      all.push_back(kKeySpecRows[i].spec);
    }
    return all;
  }();
  auto before = [](const KeySpecRow& row, std::string_view name) { return row.command < name; };
  const KeySpecRow* rows = std::begin(kKeySpecRows);
  const KeySpecRow* first = std::lower_bound(rows, std::end(kKeySpecRows), full_name, before);
  const KeySpecRow* last = first;
  while (last != std::end(kKeySpecRows) && last->command == full_name) last++;
  return std::span<const KeySpec>(specs).subspan(static_cast<size_t>(first - rows),
                                                 static_cast<size_t>(last - first));
}

KeysFunction FindKeysFunction(std::string_view full_name) {
  for (const KeysFunctionRow& row : kKeysFunctionRows) {
    if (row.command == full_name) return row.keys;
  }
  return nullptr;
}

}  // namespace ringdb::commands
