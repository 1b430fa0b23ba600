// The hash family through the command layer: replies and errors as Redis 7.2 sends them,
// keyspace events, encodings and their thresholds, copy on write, and a model-based test of
// random commands against std containers with small thresholds.
#include <doctest/doctest.h>

#include <algorithm>
#include <map>
#include <random>
#include <set>
#include <string>
#include <vector>

#include "reply_parsing.h"
#include "ringdb/base/strings.h"
#include "ringdb/store/hash_value.h"
#include "ringdb/testing/command_runner.h"
#include "string_test_util.h"

using namespace ringdb::testing;

namespace {

std::string Pairs(const std::vector<std::pair<std::string, std::string>>& pairs) {
  std::vector<std::string> flat;
  for (const auto& [field, value] : pairs) {
    flat.push_back(field);
    flat.push_back(value);
  }
  return BulkArray(flat);
}

// The flat field/value list of an HSCAN page (RESP2), and its cursor.
ScanPage HScanPage(std::string_view reply) { return ParseScanReply(reply); }

void SetLimits(CommandRunner& runner, int64_t entries, int64_t value) {
  runner.limits().encodings.hash_max_listpack_entries = entries;
  runner.limits().encodings.hash_max_listpack_value = value;
}

}  // namespace

TEST_CASE("HSET HGET HMGET HLEN HEXISTS HSTRLEN on a small hash") {
  CommandRunner runner;
  CHECK(runner.Run({"HSET", "h", "a", "1", "b", "hello", "a", "2"}) == Integer(2));
  CHECK(runner.Run({"HSET", "h", "b", "world"}) == Integer(0));
  CHECK(runner.Run({"HGET", "h", "a"}) == Bulk("2"));
  CHECK(runner.Run({"HGET", "h", "zz"}) == kNil);
  CHECK(runner.Run({"HGET", "nokey", "a"}) == kNil);
  CHECK(runner.Run({"HMGET", "h", "a", "zz", "b"}) == "*3\r\n$1\r\n2\r\n$-1\r\n$5\r\nworld\r\n");
  CHECK(runner.Run({"HMGET", "nokey", "a", "b"}) == "*2\r\n$-1\r\n$-1\r\n");
  CHECK(runner.Run({"HLEN", "h"}) == Integer(2));
  CHECK(runner.Run({"HLEN", "nokey"}) == Integer(0));
  CHECK(runner.Run({"HEXISTS", "h", "a"}) == Integer(1));
  CHECK(runner.Run({"HEXISTS", "h", "c"}) == Integer(0));
  CHECK(runner.Run({"HSTRLEN", "h", "b"}) == Integer(5));
  CHECK(runner.Run({"HSTRLEN", "h", "zz"}) == Integer(0));
  CHECK(runner.Run({"HSET", "h", "n", "-12345"}) == Integer(1));
  CHECK(runner.Run({"HSTRLEN", "h", "n"}) == Integer(6));
  CHECK(runner.Run({"HGETALL", "h"}) == Pairs({{"a", "2"}, {"b", "world"}, {"n", "-12345"}}));
  CHECK(runner.Run({"HKEYS", "h"}) == BulkArray({"a", "b", "n"}));
  CHECK(runner.Run({"HVALS", "h"}) == BulkArray({"2", "world", "-12345"}));
  CHECK(runner.Run({"TYPE", "h"}) == Simple("hash"));
  CHECK(runner.Run({"OBJECT", "ENCODING", "h"}) == Bulk("listpack"));
}

TEST_CASE("hash commands refuse other types and bad arities with Redis's errors") {
  CommandRunner runner;
  runner.Run({"SET", "s", "v"});
  for (auto argv : std::vector<std::vector<std::string>>{{"HSET", "s", "f", "v"},
                                                         {"HSETNX", "s", "f", "v"},
                                                         {"HGET", "s", "f"},
                                                         {"HMGET", "s", "f"},
                                                         {"HMSET", "s", "f", "v"},
                                                         {"HDEL", "s", "f"},
                                                         {"HEXISTS", "s", "f"},
                                                         {"HLEN", "s"},
                                                         {"HSTRLEN", "s", "f"},
                                                         {"HKEYS", "s"},
                                                         {"HVALS", "s"},
                                                         {"HGETALL", "s"},
                                                         {"HINCRBY", "s", "f", "1"},
                                                         {"HINCRBYFLOAT", "s", "f", "1"},
                                                         {"HRANDFIELD", "s"},
                                                         {"HRANDFIELD", "s", "2"},
                                                         {"HSCAN", "s", "0"}}) {
    CAPTURE(argv[0]);
    CHECK(runner.Run(argv) == kWrongType);
  }
  CHECK(runner.Run({"HSET", "h", "f"}) == Error("wrong number of arguments for 'hset' command"));
  CHECK(runner.Run({"HSET", "h", "f", "v", "g"}) ==
        Error("wrong number of arguments for 'hset' command"));
  CHECK(runner.Run({"HMSET", "h", "f", "v", "g"}) ==
        Error("wrong number of arguments for 'hmset' command"));
  CHECK(runner.Run({"HGET", "h"}) == Error("wrong number of arguments for 'hget' command"));
  CHECK(runner.Run({"EXISTS", "h"}) == Integer(0));
  // The increment is parsed before the key's type is looked at.
  CHECK(runner.Run({"HINCRBY", "s", "f", "x"}) == kNotInteger);
  CHECK(runner.Run({"HINCRBYFLOAT", "s", "f", "x"}) == Error("value is not a valid float"));
}

TEST_CASE("HMSET replies OK; HSETNX sets only a missing field") {
  CommandRunner runner;
  CHECK(runner.Run({"HMSET", "h", "a", "1", "b", "2"}) == kOk);
  CHECK(runner.Run({"HSETNX", "h", "a", "9"}) == Integer(0));
  CHECK(runner.Run({"HSETNX", "h", "c", "3"}) == Integer(1));
  CHECK(runner.Run({"HSETNX", "new", "f", "v"}) == Integer(1));
  CHECK(runner.Run({"HGETALL", "h"}) == Pairs({{"a", "1"}, {"b", "2"}, {"c", "3"}}));
}

TEST_CASE("HDEL removes fields, and the key with the last one") {
  CommandRunner runner;
  runner.Run({"HSET", "h", "a", "1", "b", "2", "c", "3"});
  runner.events.clear();
  CHECK(runner.Run({"HDEL", "h", "zz"}) == Integer(0));
  CHECK(runner.events.empty());
  CHECK(runner.Run({"HDEL", "h", "a", "a", "zz"}) == Integer(1));
  CHECK(runner.events == std::vector<std::string>{"0:modified:h", "0:hdel:h"});
  runner.events.clear();
  CHECK(runner.Run({"HDEL", "h", "b", "c", "d"}) == Integer(2));
  CHECK(runner.events == std::vector<std::string>{"0:modified:h", "0:hdel:h", "0:del:h"});
  CHECK(runner.Run({"EXISTS", "h"}) == Integer(0));
  CHECK(runner.Run({"HDEL", "h", "a"}) == Integer(0));
}

TEST_CASE("hash writes send new and hset / hincrby / hincrbyfloat events and count changes") {
  CommandRunner runner;
  uint64_t dirty = runner.counters().dirty;
  runner.Run({"HSET", "h", "a", "1", "b", "2"});
  CHECK(runner.events == std::vector<std::string>{"0:new:h", "0:modified:h", "0:hset:h"});
  CHECK(runner.counters().dirty == dirty + 2);
  runner.events.clear();
  runner.Run({"HSETNX", "h", "a", "1"});
  CHECK(runner.events.empty());
  runner.Run({"HINCRBY", "h", "a", "5"});
  runner.Run({"HINCRBYFLOAT", "h", "a", "0.5"});
  CHECK(runner.events == std::vector<std::string>{"0:modified:h", "0:hincrby:h", "0:modified:h",
                                                  "0:hincrbyfloat:h"});
  runner.events.clear();
  runner.Run({"HGET", "missing", "f"});
  CHECK(runner.events == std::vector<std::string>{"0:keymiss:missing"});
}

TEST_CASE("HINCRBY adds integers, refuses non-integers and overflow") {
  CommandRunner runner;
  CHECK(runner.Run({"HINCRBY", "h", "n", "5"}) == Integer(5));
  CHECK(runner.Run({"HINCRBY", "h", "n", "-7"}) == Integer(-2));
  runner.Run({"HSET", "h", "s", "abc", "big", "9223372036854775807", "sp", " 1"});
  CHECK(runner.Run({"HINCRBY", "h", "s", "1"}) == Error("hash value is not an integer"));
  CHECK(runner.Run({"HINCRBY", "h", "sp", "1"}) == Error("hash value is not an integer"));
  CHECK(runner.Run({"HINCRBY", "h", "big", "1"}) == Error("increment or decrement would overflow"));
  CHECK(runner.Run({"HINCRBY", "h", "big", "-1"}) == Integer(9223372036854775806));
  CHECK(runner.Run({"HINCRBY", "h", "n", "9223372036854775808"}) == kNotInteger);
  CHECK(runner.Run({"HINCRBY", "h", "n", "1.5"}) == kNotInteger);
  CHECK(runner.Run({"HGET", "h", "n"}) == Bulk("-2"));
}

TEST_CASE("HINCRBYFLOAT formats like Redis and refuses NaN and infinity") {
  CommandRunner runner;
  CHECK(runner.Run({"HINCRBYFLOAT", "h", "f", "10.5"}) == Bulk("10.5"));
  CHECK(runner.Run({"HINCRBYFLOAT", "h", "f", "0.1"}) == Bulk("10.6"));
  // Long double arithmetic, as Redis 7.0.15 prints it too.
  CHECK(runner.Run({"HINCRBYFLOAT", "h", "f", "-5.0e3"}) == Bulk("-4989.39999999999999991"));
  CHECK(runner.Run({"HINCRBYFLOAT", "h", "g", "3"}) == Bulk("3"));
  CHECK(runner.Run({"HINCRBYFLOAT", "h", "g", "inf"}) == Error("value is NaN or Infinity"));
  CHECK(runner.Run({"HINCRBYFLOAT", "h", "g", "nan"}) == Error("value is not a valid float"));
  CHECK(runner.Run({"HINCRBYFLOAT", "h", "g", "1e5000"}) == Error("value is not a valid float"));
  runner.Run({"HSET", "h", "s", "abc"});
  CHECK(runner.Run({"HINCRBYFLOAT", "h", "s", "1"}) == Error("hash value is not a float"));
  SetLimits(runner, 512, 10000);
  runner.Run({"HSET", "h", "m", "1.18973149535723176502e+4932"});
  CHECK(runner.Run({"HINCRBYFLOAT", "h", "m", "1.18973149535723176502e+4932"}) ==
        Error("increment would produce NaN or Infinity"));
  // A long result converts the hash as a long value does (Redis: hashTypeSet's check).
  SetLimits(runner, 512, 64);
  CHECK(runner.Run({"OBJECT", "ENCODING", "h"}) == Bulk("listpack"));
  std::string reply = runner.Run({"HINCRBYFLOAT", "h", "big", "1e300"});
  CHECK(reply.size() > 300);
  CHECK(runner.Run({"OBJECT", "ENCODING", "h"}) == Bulk("hashtable"));
}

TEST_CASE("encodings convert past hash-max-listpack-entries and -value, never back") {
  CommandRunner runner;
  SetLimits(runner, 3, 5);
  runner.Run({"HSET", "h", "a", "1", "b", "2", "c", "3"});
  CHECK(runner.Run({"OBJECT", "ENCODING", "h"}) == Bulk("listpack"));
  runner.Run({"HSET", "h", "d", "4"});
  CHECK(runner.Run({"OBJECT", "ENCODING", "h"}) == Bulk("hashtable"));
  runner.Run({"HDEL", "h", "a", "b", "c"});
  CHECK(runner.Run({"OBJECT", "ENCODING", "h"}) == Bulk("hashtable"));

  runner.Run({"HSET", "v", "f", "12345"});
  CHECK(runner.Run({"OBJECT", "ENCODING", "v"}) == Bulk("listpack"));
  runner.Run({"HSET", "v", "f", "123456"});
  CHECK(runner.Run({"OBJECT", "ENCODING", "v"}) == Bulk("hashtable"));

  runner.Run({"HSET", "k", "field6", "1"});
  CHECK(runner.Run({"OBJECT", "ENCODING", "k"}) == Bulk("hashtable"));
  // HINCRBY's field is checked too (hashTypeSet).
  runner.Run({"HINCRBY", "i", "longfield", "1"});
  CHECK(runner.Run({"OBJECT", "ENCODING", "i"}) == Bulk("hashtable"));
  // Redis 7.2: more pairs in one HSET than the entries limit convert even when repeated.
  runner.Run({"HSET", "r", "x", "1", "x", "2", "x", "3", "x", "4"});
  CHECK(runner.Run({"HLEN", "r"}) == Integer(1));
  CHECK(runner.Run({"OBJECT", "ENCODING", "r"}) == Bulk("hashtable"));
}

TEST_CASE("an update converts a listpack over an entries limit lowered since, as Redis") {
  CommandRunner runner;
  runner.Run({"HSET", "h", "a", "1", "b", "2", "c", "3"});
  SetLimits(runner, 2, 64);
  CHECK(runner.Run({"OBJECT", "ENCODING", "h"}) == Bulk("listpack"));
  CHECK(runner.Run({"HSETNX", "h", "a", "9"}) == Integer(0));
  CHECK(runner.Run({"OBJECT", "ENCODING", "h"}) == Bulk("listpack"));
  CHECK(runner.Run({"HSET", "h", "a", "9"}) == Integer(0));
  CHECK(runner.Run({"OBJECT", "ENCODING", "h"}) == Bulk("hashtable"));
}

TEST_CASE("a hashtable hash answers every read like a listpack one, in table order") {
  CommandRunner runner;
  SetLimits(runner, 2, 64);
  runner.Run({"HSET", "h", "a", "1", "b", "2", "c", "3", "d", ""});
  REQUIRE(runner.Run({"OBJECT", "ENCODING", "h"}) == Bulk("hashtable"));
  CHECK(runner.Run({"HGET", "h", "c"}) == Bulk("3"));
  CHECK(runner.Run({"HSTRLEN", "h", "d"}) == Integer(0));
  CHECK(runner.Run({"HEXISTS", "h", "d"}) == Integer(1));
  CHECK(SortedBulkArray(runner.Run({"HKEYS", "h"})) ==
        std::vector<std::string>{"a", "b", "c", "d"});
  CHECK(SortedBulkArray(runner.Run({"HVALS", "h"})) == std::vector<std::string>{"", "1", "2", "3"});
  CHECK(SortedBulkArray(runner.Run({"HGETALL", "h"})).size() == 8);
}

TEST_CASE("HGETALL is a map and HRANDFIELD WITHVALUES an array of pairs in RESP3") {
  CommandRunner runner;
  runner.set_protocol(3);
  CHECK(runner.Run({"HGETALL", "missing"}) == "%0\r\n");
  runner.Run({"HSET", "h", "a", "1"});
  CHECK(runner.Run({"HGETALL", "h"}) == "%1\r\n$1\r\na\r\n$1\r\n1\r\n");
  CHECK(runner.Run({"HRANDFIELD", "h", "2", "WITHVALUES"}) == "*1\r\n*2\r\n$1\r\na\r\n$1\r\n1\r\n");
  CHECK(runner.Run({"HRANDFIELD", "h", "-2", "withvalues"}) ==
        "*2\r\n*2\r\n$1\r\na\r\n$1\r\n1\r\n*2\r\n$1\r\na\r\n$1\r\n1\r\n");
  CHECK(runner.Run({"HRANDFIELD", "missing"}) == "_\r\n");
  runner.set_protocol(2);
  CHECK(runner.Run({"HGETALL", "missing"}) == "*0\r\n");
  CHECK(runner.Run({"HRANDFIELD", "h", "-2", "WITHVALUES"}) ==
        "*4\r\n$1\r\na\r\n$1\r\n1\r\n$1\r\na\r\n$1\r\n1\r\n");
}

TEST_CASE("HRANDFIELD counts: errors, distinct fields, repeats, the whole hash") {
  CommandRunner runner;
  CHECK(runner.Run({"HRANDFIELD", "missing", "3"}) == "*0\r\n");
  CHECK(runner.Run({"HRANDFIELD", "missing"}) == kNil);
  CHECK(runner.Run({"HRANDFIELD", "h", "x"}) == kNotInteger);
  CHECK(runner.Run({"HRANDFIELD", "h", "-9223372036854775808"}) ==
        Error("value is out of range, value must between -9223372036854775807 and "
              "9223372036854775807"));
  CHECK(runner.Run({"HRANDFIELD", "h", "1", "WITHVALUE"}) == kSyntaxError);
  CHECK(runner.Run({"HRANDFIELD", "h", "1", "WITHVALUES", "x"}) == kSyntaxError);
  CHECK(runner.Run({"HRANDFIELD", "h", "-4611686018427387904", "WITHVALUES"}) ==
        Error("value is out of range"));
  CHECK(runner.Run({"HRANDFIELD", "h", "4611686018427387904", "WITHVALUES"}) ==
        Error("value is out of range"));
  for (int64_t limit : {512, 2}) {
    CommandRunner hashes;
    SetLimits(hashes, limit, 64);
    std::vector<std::string> argv = {"HSET", "h"};
    for (int i = 0; i < 30; i++) {
      argv.push_back("f" + std::to_string(i));
      argv.push_back("v" + std::to_string(i));
    }
    hashes.Run(argv);
    CAPTURE(limit);
    CHECK(hashes.Run({"HRANDFIELD", "h", "0"}) == "*0\r\n");
    for (int count : {1, 3, 9, 10, 11, 29, 30, 31, 1000}) {
      std::vector<std::string> fields =
          SortedBulkArray(hashes.Run({"HRANDFIELD", "h", std::to_string(count)}));
      CHECK(fields.size() == static_cast<size_t>(std::min(count, 30)));
      CHECK(std::set<std::string>(fields.begin(), fields.end()).size() == fields.size());
      for (const std::string& field : fields) CHECK(field[0] == 'f');
    }
    std::vector<std::string> repeated = SortedBulkArray(hashes.Run({"HRANDFIELD", "h", "-100"}));
    CHECK(repeated.size() == 100);
    CHECK(std::set<std::string>(repeated.begin(), repeated.end()).size() < 100);
    // Pairs stay together.
    size_t offset = 0;
    std::string reply = hashes.Run({"HRANDFIELD", "h", "-50", "WITHVALUES"});
    std::vector<std::string> flat = ReadBulkArray(reply, &offset);
    REQUIRE(flat.size() == 100);
    for (size_t i = 0; i < flat.size(); i += 2) CHECK(flat[i].substr(1) == flat[i + 1].substr(1));
    std::string single = hashes.Run({"HRANDFIELD", "h"});
    CHECK(single.rfind("$", 0) == 0);
  }
}

TEST_CASE("HSCAN returns a listpack whole with cursor 0 and walks a hashtable") {
  CommandRunner runner;
  CHECK(runner.Run({"HSCAN", "missing", "0"}) == "*2\r\n$1\r\n0\r\n*0\r\n");
  // A missing key answers before its options are read, as Redis does.
  CHECK(runner.Run({"HSCAN", "missing", "0", "FOO"}) == "*2\r\n$1\r\n0\r\n*0\r\n");
  CHECK(runner.Run({"HSCAN", "missing", "x"}) == Error("invalid cursor"));
  runner.Run({"HSET", "h", "f1", "a", "g2", "b", "f3", "c"});
  CHECK(runner.Run({"HSCAN", "h", "123"}) ==
        "*2\r\n$1\r\n0\r\n" + Pairs({{"f1", "a"}, {"g2", "b"}, {"f3", "c"}}));
  CHECK(runner.Run({"HSCAN", "h", "0", "MATCH", "f*", "COUNT", "1"}) ==
        "*2\r\n$1\r\n0\r\n" + Pairs({{"f1", "a"}, {"f3", "c"}}));
  CHECK(runner.Run({"HSCAN", "h", "0", "COUNT", "0"}) == kSyntaxError);
  CHECK(runner.Run({"HSCAN", "h", "0", "COUNT", "x"}) == kNotInteger);
  CHECK(runner.Run({"HSCAN", "h", "0", "TYPE", "hash"}) == kSyntaxError);
  CHECK(runner.Run({"HSCAN", "h", "0", "MATCH"}) == kSyntaxError);

  SetLimits(runner, 4, 64);
  std::vector<std::string> argv = {"HSET", "big"};
  for (int i = 0; i < 500; i++) {
    argv.push_back("f" + std::to_string(i));
    argv.push_back(std::to_string(i));
  }
  runner.Run(argv);
  std::map<std::string, std::string> seen;
  std::string cursor = "0";
  int calls = 0;
  do {
    std::string reply = runner.Run({"HSCAN", "big", cursor, "COUNT", "7"});
    ScanPage page = HScanPage(reply);
    REQUIRE(page.keys.size() % 2 == 0);
    for (size_t i = 0; i < page.keys.size(); i += 2) seen[page.keys[i]] = page.keys[i + 1];
    cursor = page.cursor;
    REQUIRE(++calls < 10000);
  } while (cursor != "0");
  CHECK(calls > 10);
  REQUIRE(seen.size() == 500);
  for (int i = 0; i < 500; i++) CHECK(seen["f" + std::to_string(i)] == std::to_string(i));
}

TEST_CASE("binary fields and values round-trip exactly") {
  CommandRunner runner;
  std::string nul("a\0b", 3);
  std::string high("\xff\xfe\x80", 3);
  runner.Run({"HSET", "h", nul, "\r\n", "", high, "\r\n", nul});
  CHECK(runner.Run({"HGET", "h", nul}) == Bulk("\r\n"));
  CHECK(runner.Run({"HGET", "h", ""}) == Bulk(high));
  CHECK(runner.Run({"HGET", "h", "\r\n"}) == Bulk(nul));
  CHECK(runner.Run({"HGET", "h", "a"}) == kNil);
  CHECK(runner.Run({"HGETALL", "h"}) == Pairs({{nul, "\r\n"}, {"", high}, {"\r\n", nul}}));
}

TEST_CASE("writes after COPY change only the copy; a snapshot keeps the old hash") {
  CommandRunner runner;
  runner.Run({"HSET", "src", "a", "1"});
  CHECK(runner.Run({"COPY", "src", "dst"}) == Integer(1));
  runner.Run({"HSET", "dst", "a", "2", "b", "3"});
  runner.Run({"HDEL", "src", "a"});
  CHECK(runner.Run({"EXISTS", "src"}) == Integer(0));
  CHECK(runner.Run({"HGETALL", "dst"}) == Pairs({{"a", "2"}, {"b", "3"}}));

  runner.Run({"HSET", "snap", "f", "old"});
  SharingObserver observer;
  StartSnapshot(runner, observer);
  runner.Run({"HSET", "snap", "f", "new"});
  runner.Run({"HINCRBY", "snap", "n", "1"});
  runner.keyspace().database(0).table().set_observer(nullptr);
  CHECK(runner.Run({"HGETALL", "snap"}) == Pairs({{"f", "new"}, {"n", "1"}}));
  bool found = false;
  for (ringdb::store::Entry* entry : observer.held) {
    if (entry->key() != "snap") continue;
    found = true;
    auto* hash = static_cast<ringdb::store::HashValue*>(entry->object());
    ringdb::store::HashValue::Scratch scratch;
    std::string_view value;
    REQUIRE(hash->Get("f", scratch, &value));
    CHECK(value == "old");
    CHECK_FALSE(hash->Get("n", scratch, nullptr));
  }
  CHECK(found);
}

// Random commands against a model: a map of keys to (fields in insertion order + values),
// with small limits so hashes cross both thresholds often. Replies of reads are checked
// exactly where the order is defined (listpack) and as sets where it is not (hashtable); the
// encoding is predicted from Redis's rules.
TEST_CASE("hash commands match a model over thousands of random operations") {
  uint64_t seed = std::random_device{}();
  INFO("seed " << seed);
  std::mt19937_64 rng(seed);
  CommandRunner runner;
  struct ModelHash {
    std::vector<std::string> order;
    std::map<std::string, std::string> values;
    bool table = false;
  };
  std::map<std::string, ModelHash> model;
  int64_t entries_max = 4;
  int64_t value_max = 6;
  SetLimits(runner, entries_max, value_max);
  auto field = [&] {
    std::string f = std::to_string(rng() % 10);
    if (rng() % 3 == 0) f = "f" + f;
    if (rng() % 20 == 0) f = std::string(1 + rng() % 9, 'L');
    return f;
  };
  auto value = [&] {
    switch (rng() % 4) {
      case 0:
        return std::to_string(static_cast<int64_t>(rng() % 2000) - 1000);
      case 1:
        return std::string(rng() % 9, 'v');
      case 2:
        return std::string("\0\r\n", 3).substr(0, rng() % 4);
      default:
        return std::to_string(rng() % 7);
    }
  };
  auto set = [&](ModelHash& hash, const std::string& f, const std::string& v) {
    if (!hash.table &&
        (f.size() > static_cast<size_t>(value_max) || v.size() > static_cast<size_t>(value_max))) {
      hash.table = true;
    }
    if (hash.values.count(f) == 0) hash.order.push_back(f);
    hash.values[f] = v;
    if (hash.values.size() > static_cast<size_t>(entries_max)) hash.table = true;
  };
  for (int step = 0; step < 6000; step++) {
    std::string key = "k" + std::to_string(rng() % 4);
    ModelHash* hash = model.count(key) ? &model[key] : nullptr;
    int op = static_cast<int>(rng() % 12);
    if (op <= 3) {
      std::vector<std::string> argv = {"HSET", key};
      size_t pairs = 1 + rng() % 3;
      for (size_t i = 0; i < pairs; i++) {
        argv.push_back(field());
        argv.push_back(value());
      }
      ModelHash& target = model[key];
      // Redis 7.2's hashTypeTryConversion, then each pair.
      if (!target.table) {
        if (pairs > static_cast<size_t>(entries_max)) target.table = true;
        for (size_t i = 2; i < argv.size(); i++) {
          if (argv[i].size() > static_cast<size_t>(value_max)) target.table = true;
        }
      }
      int64_t added = 0;
      for (size_t i = 2; i < argv.size(); i += 2) {
        added += target.values.count(argv[i]) == 0;
        set(target, argv[i], argv[i + 1]);
      }
      REQUIRE(runner.Run(argv) == Integer(added));
    } else if (op == 4) {
      std::vector<std::string> argv = {"HDEL", key};
      for (size_t i = 0, n = 1 + rng() % 3; i < n; i++) argv.push_back(field());
      int64_t deleted = 0;
      if (hash != nullptr) {
        for (size_t i = 2; i < argv.size(); i++) {
          if (hash->values.erase(argv[i]) == 1) {
            std::erase(hash->order, argv[i]);
            deleted++;
          }
        }
        if (hash->values.empty()) model.erase(key);
      }
      REQUIRE(runner.Run(argv) == Integer(deleted));
    } else if (op == 5) {
      std::string f = field();
      int64_t increment = static_cast<int64_t>(rng() % 200) - 100;
      std::string reply = runner.Run({"HINCRBY", key, f, std::to_string(increment)});
      int64_t current = 0;
      bool numeric = true;
      if (hash != nullptr && hash->values.count(f)) {
        std::optional<int64_t> parsed = ringdb::ParseInt64(hash->values[f]);
        numeric = parsed.has_value();
        current = parsed.value_or(0);
      }
      if (!numeric) {
        REQUIRE(reply == Error("hash value is not an integer"));
      } else {
        REQUIRE(reply == Integer(current + increment));
        set(model[key], f, std::to_string(current + increment));
      }
    } else if (op == 6) {
      std::string f = field();
      std::string v = value();
      bool fresh = hash == nullptr || hash->values.count(f) == 0;
      REQUIRE(runner.Run({"HSETNX", key, f, v}) == Integer(fresh ? 1 : 0));
      if (fresh) {
        ModelHash& target = model[key];
        if (!target.table && (f.size() > static_cast<size_t>(value_max) ||
                              v.size() > static_cast<size_t>(value_max))) {
          target.table = true;
        }
        set(target, f, v);
      }
    } else if (op == 7) {
      std::string f = field();
      std::string expected = kNil;
      if (hash != nullptr && hash->values.count(f)) expected = Bulk(hash->values[f]);
      REQUIRE(runner.Run({"HGET", key, f}) == expected);
    } else if (op == 8) {
      std::string reply = runner.Run({"HGETALL", key});
      std::vector<std::pair<std::string, std::string>> pairs;
      if (hash != nullptr) {
        for (const std::string& f : hash->order) pairs.emplace_back(f, hash->values[f]);
      }
      if (hash == nullptr || !hash->table) {
        REQUIRE(reply == Pairs(pairs));
      } else {
        size_t offset = 0;
        std::vector<std::string> flat = ReadBulkArray(reply, &offset);
        std::map<std::string, std::string> got;
        for (size_t i = 0; i + 1 < flat.size(); i += 2) got[flat[i]] = flat[i + 1];
        REQUIRE(flat.size() == pairs.size() * 2);
        REQUIRE(got == hash->values);
      }
    } else if (op == 9) {
      std::string expected = hash == nullptr ? kNil : Bulk(hash->table ? "hashtable" : "listpack");
      REQUIRE(runner.Run({"OBJECT", "ENCODING", key}) == expected);
      REQUIRE(runner.Run({"HLEN", key}) == Integer(hash == nullptr ? 0 : hash->values.size()));
    } else if (op == 10) {
      // HSCAN's whole iteration returns exactly the hash.
      std::map<std::string, std::string> seen;
      std::string cursor = "0";
      do {
        ScanPage page = HScanPage(runner.Run({"HSCAN", key, cursor, "COUNT", "2"}));
        for (size_t i = 0; i + 1 < page.keys.size(); i += 2) seen[page.keys[i]] = page.keys[i + 1];
        cursor = page.cursor;
      } while (cursor != "0");
      REQUIRE(seen == (hash == nullptr ? std::map<std::string, std::string>{} : hash->values));
    } else if (rng() % 40 == 0) {
      // New limits apply to later writes; nothing converts back.
      entries_max = 1 + static_cast<int64_t>(rng() % 8);
      value_max = static_cast<int64_t>(rng() % 10);
      SetLimits(runner, entries_max, value_max);
    }
  }
}
