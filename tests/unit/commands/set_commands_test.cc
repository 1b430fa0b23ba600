// Set commands: replies and errors as Redis 7.2 sends them, encodings and their conversions,
// keyspace events, random picks' shapes, SSCAN, and copy-on-write under COPY.
#include <doctest/doctest.h>

#include <algorithm>
#include <set>
#include <string>
#include <vector>

#include "reply_parsing.h"
#include "ringdb/store/set_value.h"
#include "ringdb/testing/command_runner.h"
#include "string_test_util.h"

using namespace ringdb::testing;

namespace {

std::vector<std::string> Sorted(std::vector<std::string> items) {
  std::sort(items.begin(), items.end());
  return items;
}

std::vector<std::string> Items(const std::string& reply) {
  size_t offset = 0;
  std::vector<std::string> items = ReadBulkArray(reply, &offset);
  REQUIRE(offset == reply.size());
  return items;
}

std::string Sadd(CommandRunner& runner, const std::string& key,
                 const std::vector<std::string>& members) {
  std::vector<std::string> argv = {"SADD", key};
  argv.insert(argv.end(), members.begin(), members.end());
  return runner.Run(argv);
}

}  // namespace

TEST_CASE("SADD SREM SCARD SISMEMBER SMISMEMBER count and report membership") {
  CommandRunner runner;
  CHECK(runner.Run({"SADD", "s", "a", "b", "a"}) == Integer(2));
  CHECK(runner.Run({"SADD", "s", "b"}) == Integer(0));
  CHECK(runner.Run({"SCARD", "s"}) == Integer(2));
  CHECK(runner.Run({"SCARD", "missing"}) == Integer(0));
  CHECK(runner.Run({"SISMEMBER", "s", "a"}) == Integer(1));
  CHECK(runner.Run({"SISMEMBER", "s", "z"}) == Integer(0));
  CHECK(runner.Run({"SISMEMBER", "missing", "a"}) == Integer(0));
  CHECK(runner.Run({"SMISMEMBER", "s", "a", "z", "b"}) == "*3\r\n:1\r\n:0\r\n:1\r\n");
  CHECK(runner.Run({"SMISMEMBER", "missing", "a"}) == "*1\r\n:0\r\n");
  CHECK(runner.Run({"SREM", "s", "z"}) == Integer(0));
  CHECK(runner.Run({"SREM", "missing", "a"}) == Integer(0));
  CHECK(runner.Run({"SREM", "s", "a", "a", "b", "c"}) == Integer(2));
  CHECK(runner.Run({"EXISTS", "s"}) == Integer(0));
}

TEST_CASE("Set commands refuse other types and wrong arities with Redis's errors") {
  CommandRunner runner;
  CHECK(runner.Run({"SET", "str", "v"}) == kOk);
  CHECK(runner.Run({"SADD", "s", "1"}) == Integer(1));
  for (const std::vector<std::string>& argv :
       std::vector<std::vector<std::string>>{{"SADD", "str", "a"},
                                             {"SREM", "str", "a"},
                                             {"SCARD", "str"},
                                             {"SISMEMBER", "str", "a"},
                                             {"SMISMEMBER", "str", "a"},
                                             {"SMEMBERS", "str"},
                                             {"SPOP", "str"},
                                             {"SPOP", "str", "1"},
                                             {"SRANDMEMBER", "str"},
                                             {"SRANDMEMBER", "str", "2"},
                                             {"SMOVE", "str", "s", "a"},
                                             {"SMOVE", "s", "str", "1"},
                                             {"SINTER", "s", "str"},
                                             {"SINTERCARD", "2", "s", "str"},
                                             {"SUNION", "missing", "str"},
                                             {"SDIFF", "s", "str"},
                                             {"SINTERSTORE", "d", "s", "str"},
                                             {"SUNIONSTORE", "d", "str"},
                                             {"SDIFFSTORE", "d", "str"},
                                             {"SSCAN", "str", "0"}}) {
    CAPTURE(argv[0]);
    CHECK(runner.Run(argv) == kWrongType);
  }
  CHECK(runner.Run({"SADD", "s"}) == Error("wrong number of arguments for 'sadd' command"));
  CHECK(runner.Run({"SCARD"}) == Error("wrong number of arguments for 'scard' command"));
  CHECK(runner.Run({"SISMEMBER", "s"}) ==
        Error("wrong number of arguments for 'sismember' command"));
  CHECK(runner.Run({"SMOVE", "a", "b"}) == Error("wrong number of arguments for 'smove' command"));
  CHECK(runner.Run({"SINTERCARD", "1"}) ==
        Error("wrong number of arguments for 'sintercard' command"));
  CHECK(runner.Run({"SPOP", "s", "1", "2"}) == kSyntaxError);
  CHECK(runner.Run({"SRANDMEMBER", "s", "1", "2"}) == kSyntaxError);
  // The destination of a STORE may hold anything: it is overwritten.
  CHECK(runner.Run({"SUNIONSTORE", "str", "s"}) == Integer(1));
  CHECK(runner.Run({"TYPE", "str"}) == Simple("set"));
}

TEST_CASE("SPOP and SRANDMEMBER count errors and empty replies in RESP2 and RESP3") {
  CommandRunner runner;
  CHECK(runner.Run({"SADD", "s", "a"}) == Integer(1));
  const std::string positive = Error("value is out of range, must be positive");
  CHECK(runner.Run({"SPOP", "s", "-1"}) == positive);
  CHECK(runner.Run({"SPOP", "s", "x"}) == positive);
  CHECK(runner.Run({"SPOP", "missing", "-1"}) == positive);
  CHECK(runner.Run({"SRANDMEMBER", "s", "x"}) == Error("value is not an integer or out of range"));
  CHECK(runner.Run({"SRANDMEMBER", "s", "-9223372036854775808"}) ==
        Error("value is out of range, value must between -9223372036854775807 and "
              "9223372036854775807"));
  CHECK(runner.Run({"SRANDMEMBER", "s", "9223372036854775807"}) == BulkArray({"a"}));
  CHECK(runner.Run({"SRANDMEMBER", "s", "-3"}) == BulkArray({"a", "a", "a"}));
  CHECK(runner.Run({"SRANDMEMBER", "s", "0"}) == "*0\r\n");
  CHECK(runner.Run({"SRANDMEMBER", "missing", "5"}) == "*0\r\n");
  CHECK(runner.Run({"SRANDMEMBER", "missing"}) == kNil);
  CHECK(runner.Run({"SPOP", "missing"}) == kNil);
  CHECK(runner.Run({"SPOP", "missing", "3"}) == "*0\r\n");
  CHECK(runner.Run({"SPOP", "s", "0"}) == "*0\r\n");
  runner.set_protocol(3);
  CHECK(runner.Run({"SPOP", "missing", "3"}) == "~0\r\n");
  CHECK(runner.Run({"SPOP", "s", "0"}) == "~0\r\n");
  CHECK(runner.Run({"SRANDMEMBER", "missing", "5"}) == "*0\r\n");
  CHECK(runner.Run({"SMEMBERS", "missing"}) == "~0\r\n");
  CHECK(runner.Run({"SMEMBERS", "s"}) == "~1\r\n$1\r\na\r\n");
  CHECK(runner.Run({"SPOP", "missing"}) == "_\r\n");
  CHECK(runner.Run({"SPOP", "s", "5"}) == "~1\r\n$1\r\na\r\n");
  CHECK(runner.Run({"EXISTS", "s"}) == Integer(0));
}

TEST_CASE("Intset members reply in ascending order and keep Redis's encoding names") {
  CommandRunner runner;
  CHECK(runner.Run({"SADD", "s", "10", "-5", "3", "9223372036854775807"}) == Integer(4));
  CHECK(EncodingOf(runner, "s") == "intset");
  CHECK(runner.Run({"SMEMBERS", "s"}) == BulkArray({"-5", "3", "10", "9223372036854775807"}));
  CHECK(runner.Run({"SSCAN", "s", "0"}) ==
        "*2\r\n$1\r\n0\r\n" + BulkArray({"-5", "3", "10", "9223372036854775807"}));
  // A non-canonical integer is a string: the set becomes a listpack (7.2), in intset order.
  CHECK(runner.Run({"SADD", "s", "007"}) == Integer(1));
  CHECK(EncodingOf(runner, "s") == "listpack");
  CHECK(runner.Run({"SMEMBERS", "s"}) ==
        BulkArray({"-5", "3", "10", "9223372036854775807", "007"}));
  // Conversion is one-way.
  CHECK(runner.Run({"SREM", "s", "007"}) == Integer(1));
  CHECK(EncodingOf(runner, "s") == "listpack");
}

TEST_CASE("Encodings convert at Redis's thresholds, by count and by member length") {
  CommandRunner runner;
  runner.limits().encodings.set_max_intset_entries = 4;
  runner.limits().encodings.set_max_listpack_entries = 3;
  runner.limits().encodings.set_max_listpack_value = 5;
  CHECK(runner.Run({"SADD", "i", "1", "2", "3", "4"}) == Integer(4));
  CHECK(EncodingOf(runner, "i") == "intset");
  CHECK(runner.Run({"SADD", "i", "5"}) == Integer(1));
  CHECK(EncodingOf(runner, "i") == "hashtable");
  // The size hint alone converts: SADD with more arguments than an intset may hold.
  CHECK(runner.Run({"SADD", "j", "1"}) == Integer(1));
  CHECK(runner.Run({"SADD", "j", "1", "1", "1", "1", "1"}) == Integer(0));
  CHECK(EncodingOf(runner, "j") == "hashtable");
  CHECK(runner.Run({"SADD", "l", "a", "b", "c"}) == Integer(3));
  CHECK(EncodingOf(runner, "l") == "listpack");
  CHECK(runner.Run({"SADD", "l", "d"}) == Integer(1));
  CHECK(EncodingOf(runner, "l") == "hashtable");
  CHECK(runner.Run({"SADD", "v", "abcde"}) == Integer(1));
  CHECK(EncodingOf(runner, "v") == "listpack");
  CHECK(runner.Run({"SADD", "v", "abcdef"}) == Integer(1));
  CHECK(EncodingOf(runner, "v") == "hashtable");
  // A new set with more members than a listpack holds starts as a hashtable.
  CHECK(runner.Run({"SADD", "h", "a", "b", "c", "d"}) == Integer(4));
  CHECK(EncodingOf(runner, "h") == "hashtable");
  // An intset whose integers are longer than the value limit skips the listpack.
  CHECK(runner.Run({"SADD", "w", "123456"}) == Integer(1));
  CHECK(runner.Run({"SADD", "w", "x"}) == Integer(1));
  CHECK(EncodingOf(runner, "w") == "hashtable");
}

TEST_CASE("SMOVE moves members, creates and deletes keys, and sends Redis's events") {
  CommandRunner runner;
  CHECK(runner.Run({"SADD", "src", "a", "b"}) == Integer(2));
  CHECK(runner.Run({"SMOVE", "missing", "dst", "a"}) == Integer(0));
  CHECK(runner.Run({"SMOVE", "src", "dst", "zz"}) == Integer(0));
  CHECK(runner.Run({"SMOVE", "src", "src", "a"}) == Integer(1));
  CHECK(runner.Run({"SMOVE", "src", "src", "zz"}) == Integer(0));
  runner.events.clear();
  CHECK(runner.Run({"SMOVE", "src", "dst", "a"}) == Integer(1));
  CHECK(runner.events == std::vector<std::string>{"0:modified:src", "0:srem:src", "0:new:dst",
                                                  "0:modified:dst", "0:sadd:dst"});
  CHECK(EncodingOf(runner, "dst") == "listpack");
  CHECK(runner.Run({"SADD", "dst", "b"}) == Integer(1));
  runner.events.clear();
  CHECK(runner.Run({"SMOVE", "src", "dst", "b"}) == Integer(1));
  CHECK(runner.events == std::vector<std::string>{"0:modified:src", "0:srem:src", "0:del:src"});
  CHECK(runner.Run({"EXISTS", "src"}) == Integer(0));
  CHECK(Sorted(Items(runner.Run({"SMEMBERS", "dst"}))) == std::vector<std::string>{"a", "b"});
  CHECK(runner.Run({"SMOVE", "dst", "n", "5"}) == Integer(0));
  CHECK(runner.Run({"SADD", "dst", "5"}) == Integer(1));
  CHECK(runner.Run({"SMOVE", "dst", "n", "5"}) == Integer(1));
  CHECK(EncodingOf(runner, "n") == "intset");
}

TEST_CASE("SADD SREM SPOP send sadd, srem, spop and del events") {
  CommandRunner runner;
  CHECK(runner.Run({"SADD", "s", "a", "b", "c"}) == Integer(3));
  CHECK(runner.events == std::vector<std::string>{"0:new:s", "0:modified:s", "0:sadd:s"});
  runner.events.clear();
  CHECK(runner.Run({"SADD", "s", "a"}) == Integer(0));
  CHECK(runner.Run({"SREM", "s", "x"}) == Integer(0));
  CHECK(runner.events.empty());
  CHECK(runner.Run({"SREM", "s", "a"}) == Integer(1));
  CHECK(runner.events == std::vector<std::string>{"0:modified:s", "0:srem:s"});
  runner.events.clear();
  CHECK(runner.Run({"SPOP", "s"})[0] == '$');
  CHECK(runner.events == std::vector<std::string>{"0:modified:s", "0:spop:s"});
  runner.events.clear();
  CHECK(Items(runner.Run({"SPOP", "s", "10"})).size() == 1);
  CHECK(runner.events == std::vector<std::string>{"0:modified:s", "0:spop:s", "0:del:s"});
  CHECK(runner.Run({"EXISTS", "s"}) == Integer(0));
  uint64_t dirty = runner.counters().dirty;
  CHECK(runner.Run({"SADD", "t", "1", "2", "3"}) == Integer(3));
  CHECK(runner.counters().dirty == dirty + 3);
}

TEST_CASE("SPOP with a count pops distinct members in every encoding and strategy") {
  for (const std::string& prefix : {std::string(""), std::string("m"), std::string("long")}) {
    for (int size : {5, 20, 300, 1000}) {
      for (int count : {1, 2, size / 6 + 1, size - size / 6, size - 1}) {
        CAPTURE(prefix);
        CAPTURE(size);
        CAPTURE(count);
        CommandRunner runner;
        std::vector<std::string> members;
        for (int i = 0; i < size; i++) {
          members.push_back(prefix == "long" ? std::string(70, 'x') + std::to_string(i)
                                             : prefix + std::to_string(i));
        }
        Sadd(runner, "s", members);
        std::string encoding_before = EncodingOf(runner, "s");
        std::vector<std::string> popped = Items(runner.Run({"SPOP", "s", std::to_string(count)}));
        CHECK(popped.size() == static_cast<size_t>(count));
        std::set<std::string> distinct(popped.begin(), popped.end());
        CHECK(distinct.size() == popped.size());
        std::vector<std::string> rest = Items(runner.Run({"SMEMBERS", "s"}));
        CHECK(rest.size() == static_cast<size_t>(size - count));
        for (const std::string& member : rest) CHECK(distinct.count(member) == 0);
        std::set<std::string> all(rest.begin(), rest.end());
        all.insert(popped.begin(), popped.end());
        CHECK(all == std::set<std::string>(members.begin(), members.end()));
        // Keeping the rest in a new set may pick a smaller encoding, as Redis does.
        if (encoding_before == "intset" && count < size) CHECK(EncodingOf(runner, "s") == "intset");
      }
    }
  }
}

TEST_CASE("SPOP keeping a few of a big set rebuilds it in a small encoding, as Redis 7.2") {
  CommandRunner runner;
  std::vector<std::string> members;
  for (int i = 0; i < 200; i++) members.push_back("m" + std::to_string(i));
  Sadd(runner, "s", members);
  CHECK(EncodingOf(runner, "s") == "hashtable");
  CHECK(Items(runner.Run({"SPOP", "s", "190"})).size() == 190);
  CHECK(EncodingOf(runner, "s") == "listpack");
  CHECK(runner.Run({"SCARD", "s"}) == Integer(10));
}

TEST_CASE("SRANDMEMBER returns distinct members for positive counts, repeats for negative") {
  for (int size : {3, 50, 300, 2000}) {
    for (bool integers : {true, false}) {
      CAPTURE(size);
      CAPTURE(integers);
      CommandRunner runner;
      std::vector<std::string> members;
      for (int i = 0; i < size; i++) members.push_back((integers ? "" : "m") + std::to_string(i));
      Sadd(runner, "s", members);
      std::set<std::string> universe(members.begin(), members.end());
      for (int count : {1, 2, size / 4, size / 2, size - 1, size, size + 5}) {
        std::vector<std::string> picked =
            Items(runner.Run({"SRANDMEMBER", "s", std::to_string(count)}));
        CHECK(picked.size() == static_cast<size_t>(std::min(count, size)));
        std::set<std::string> distinct(picked.begin(), picked.end());
        CHECK(distinct.size() == picked.size());
        for (const std::string& member : picked) CHECK(universe.count(member) == 1);
        std::vector<std::string> repeated =
            Items(runner.Run({"SRANDMEMBER", "s", std::to_string(-count)}));
        CHECK(repeated.size() == static_cast<size_t>(count));
        for (const std::string& member : repeated) CHECK(universe.count(member) == 1);
      }
      std::string one = runner.Run({"SRANDMEMBER", "s"});
      CHECK(universe.count(one.substr(one.find("\r\n") + 2, one.size() - one.find("\r\n") - 4)));
      CHECK(runner.Run({"SCARD", "s"}) == Integer(size));
    }
  }
}

TEST_CASE("SINTER SUNION SDIFF and their STORE forms, with result encodings as Redis's") {
  CommandRunner runner;
  CHECK(runner.Run({"SADD", "a", "1", "2", "3", "x"}) == Integer(4));
  CHECK(runner.Run({"SADD", "b", "3", "2", "9"}) == Integer(3));
  CHECK(runner.Run({"SADD", "c", "x", "y"}) == Integer(2));
  // The smallest set (an intset) is walked: ascending order.
  CHECK(runner.Run({"SINTER", "a", "b"}) == BulkArray({"2", "3"}));
  CHECK(runner.Run({"SINTER", "a", "missing"}) == "*0\r\n");
  CHECK(runner.Run({"SINTERCARD", "2", "a", "b"}) == Integer(2));
  CHECK(runner.Run({"SINTERCARD", "2", "a", "b", "LIMIT", "1"}) == Integer(1));
  CHECK(runner.Run({"SINTERCARD", "2", "a", "b", "limit", "0"}) == Integer(2));
  CHECK(runner.Run({"SINTERCARD", "1", "a", "LIMIT", "2", "LIMIT", "3"}) == Integer(3));
  CHECK(runner.Run({"SINTERCARD", "x", "a"}) == Error("numkeys should be greater than 0"));
  CHECK(runner.Run({"SINTERCARD", "0", "a"}) == Error("numkeys should be greater than 0"));
  CHECK(runner.Run({"SINTERCARD", "3", "a", "b"}) ==
        Error("Number of keys can't be greater than number of args"));
  CHECK(runner.Run({"SINTERCARD", "1", "a", "LIMIT", "-1"}) == Error("LIMIT can't be negative"));
  CHECK(runner.Run({"SINTERCARD", "1", "a", "LIMIT"}) == kSyntaxError);
  // A union of intsets is an intset, ascending.
  CHECK(runner.Run({"SUNION", "b", "missing", "b"}) == BulkArray({"2", "3", "9"}));
  CHECK(runner.Run({"SDIFF", "b", "a"}) == BulkArray({"9"}));
  CHECK(runner.Run({"SDIFF", "a", "a"}) == "*0\r\n");
  CHECK(runner.Run({"SDIFF", "missing", "a"}) == "*0\r\n");
  CHECK(Sorted(Items(runner.Run({"SUNION", "a", "c"}))) ==
        std::vector<std::string>{"1", "2", "3", "x", "y"});
  CHECK(runner.Run({"SINTERSTORE", "d", "a", "b"}) == Integer(2));
  CHECK(EncodingOf(runner, "d") == "intset");
  // An intersection of listpacks holding only integers becomes an intset.
  CHECK(runner.Run({"SINTERSTORE", "d2", "a", "a"}) == Integer(4));
  CHECK(EncodingOf(runner, "d2") == "listpack");
  CHECK(runner.Run({"SREM", "d2", "x"}) == Integer(1));
  CHECK(runner.Run({"SINTERSTORE", "d3", "d2", "a"}) == Integer(3));
  CHECK(EncodingOf(runner, "d3") == "intset");
  CHECK(runner.Run({"SUNIONSTORE", "u", "a", "c"}) == Integer(5));
  CHECK(EncodingOf(runner, "u") == "listpack");
  CHECK(runner.Run({"SDIFFSTORE", "df", "a", "c"}) == Integer(3));
  CHECK(EncodingOf(runner, "df") == "intset");
  runner.events.clear();
  CHECK(runner.Run({"SDIFFSTORE", "df", "a", "a"}) == Integer(0));
  CHECK(runner.events == std::vector<std::string>{"0:modified:df", "0:del:df"});
  runner.events.clear();
  CHECK(runner.Run({"SINTERSTORE", "df", "a", "missing"}) == Integer(0));
  CHECK(runner.events == std::vector<std::string>{"0:keymiss:missing"});
  CHECK(runner.Run({"SET", "ttl", "v", "EX", "100"}) == kOk);
  CHECK(runner.Run({"SUNIONSTORE", "ttl", "a"}) == Integer(4));
  CHECK(runner.Run({"TTL", "ttl"}) == Integer(-1));
  runner.events.clear();
  CHECK(runner.Run({"SUNIONSTORE", "fresh", "b"}) == Integer(3));
  CHECK(runner.events ==
        std::vector<std::string>{"0:new:fresh", "0:modified:fresh", "0:sunionstore:fresh"});
  // A source may be the destination.
  CHECK(runner.Run({"SINTERSTORE", "a", "a", "b"}) == Integer(2));
  CHECK(runner.Run({"SMEMBERS", "a"}) == BulkArray({"2", "3"}));
}

TEST_CASE("SSCAN walks a hashtable with COUNT and MATCH and returns every member") {
  CommandRunner runner;
  std::vector<std::string> members;
  for (int i = 0; i < 1000; i++) members.push_back("m" + std::to_string(i));
  Sadd(runner, "s", members);
  CHECK(EncodingOf(runner, "s") == "hashtable");
  std::set<std::string> seen;
  std::string cursor = "0";
  int calls = 0;
  do {
    ScanPage page = ParseScanReply(runner.Run({"SSCAN", "s", cursor, "COUNT", "7"}));
    seen.insert(page.keys.begin(), page.keys.end());
    cursor = page.cursor;
    // Grow the set between calls: the original members must still all be returned.
    runner.Run({"SADD", "s", "extra" + std::to_string(calls)});
    REQUIRE(++calls < 10000);
  } while (cursor != "0");
  for (const std::string& member : members) CHECK(seen.count(member) == 1);
  ScanPage matched =
      ParseScanReply(runner.Run({"SSCAN", "s", "0", "MATCH", "m99*", "COUNT", "5000"}));
  CHECK(matched.cursor == "0");
  CHECK(Sorted(matched.keys) == std::vector<std::string>{"m99", "m990", "m991", "m992", "m993",
                                                         "m994", "m995", "m996", "m997", "m998",
                                                         "m999"});
  CHECK(runner.Run({"SSCAN", "s", "0", "COUNT", "0"}) == kSyntaxError);
  CHECK(runner.Run({"SSCAN", "s", "0", "TYPE", "set"}) == kSyntaxError);
  CHECK(runner.Run({"SSCAN", "s", "0", "MATCH"}) == kSyntaxError);
  CHECK(runner.Run({"SSCAN", "s", "x"}) == Error("invalid cursor"));
  CHECK(runner.Run({"SSCAN", "missing", "0", "COUNT", "0"}) == "*2\r\n$1\r\n0\r\n*0\r\n");
  CHECK(runner.Run({"SADD", "small", "b", "a"}) == Integer(2));
  CHECK(runner.Run({"SSCAN", "small", "12345"}) == "*2\r\n$1\r\n0\r\n" + BulkArray({"b", "a"}));
}

TEST_CASE("Members are binary-safe in every encoding") {
  std::vector<std::string> members = {std::string("a\0b", 3), "\r\n", "",  "\xff\x80",
                                      std::string(200, '\0'), "-0",   " 1"};
  for (int limit : {0, 3, 128}) {
    CAPTURE(limit);
    CommandRunner runner;
    runner.limits().encodings.set_max_listpack_entries = limit;
    Sadd(runner, "s", members);
    CHECK(Sorted(Items(runner.Run({"SMEMBERS", "s"}))) == Sorted(members));
    for (const std::string& member : members) {
      CHECK(runner.Run({"SISMEMBER", "s", member}) == Integer(1));
    }
    CHECK(runner.Run({"SISMEMBER", "s", "a"}) == Integer(0));
  }
}

TEST_CASE("A set shared by COPY is copied before it changes") {
  CommandRunner runner;
  CHECK(runner.Run({"SADD", "s", "a", "b"}) == Integer(2));
  CHECK(runner.Run({"COPY", "s", "t"}) == Integer(1));
  CHECK(runner.Run({"SADD", "t", "c"}) == Integer(1));
  CHECK(runner.Run({"SREM", "s", "a"}) == Integer(1));
  CHECK(Sorted(Items(runner.Run({"SMEMBERS", "s"}))) == std::vector<std::string>{"b"});
  CHECK(Sorted(Items(runner.Run({"SMEMBERS", "t"}))) == std::vector<std::string>{"a", "b", "c"});
  CHECK(runner.Run({"SDIFF", "s", "t"}) == "*0\r\n");
  CHECK(runner.Run({"OBJECT", "ENCODING", "t"}) == Bulk("listpack"));
}

TEST_CASE("A set changed under a snapshot leaves the snapshot's copy alone") {
  CommandRunner runner;
  CHECK(runner.Run({"SADD", "s", "1", "2"}) == Integer(2));
  SharingObserver observer;
  StartSnapshot(runner, observer);
  CHECK(runner.Run({"SPOP", "s", "2"}) == BulkArray({"1", "2"}));
  REQUIRE(observer.held.size() == 1);
  auto* seen = static_cast<ringdb::store::SetValue*>(observer.held[0]->object());
  CHECK(seen->size() == 2);
  runner.keyspace().database(0).table().set_observer(nullptr);
}
