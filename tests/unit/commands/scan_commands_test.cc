#include <doctest/doctest.h>

#include <algorithm>
#include <map>
#include <set>
#include <string>
#include <vector>

#include "placeholder_value.h"
#include "reply_parsing.h"
#include "ringdb/store/entry.h"
#include "ringdb/testing/command_runner.h"

using namespace ringdb::testing;
using ringdb::store::Encoding;
using ringdb::store::Entry;
using ringdb::store::kNoExpire;
using ringdb::store::ValueType;
using Keys = std::vector<std::string>;

namespace {

void SetKeys(CommandRunner& runner, const Keys& keys) {
  for (const std::string& key : keys) REQUIRE(runner.Run({"SET", key, "v"}) == kOk);
  runner.events.clear();
}

std::string Numbered(std::string_view prefix, int i) {
  return std::string(prefix) + std::to_string(i);
}

// Runs SCAN from cursor 0 to the end with `options`; returns how often each key came back.
std::map<std::string, int> FullScan(CommandRunner& runner, const Keys& options) {
  std::map<std::string, int> seen;
  std::string cursor = "0";
  for (int call = 0; call < 100000; call++) {
    Keys argv = {"SCAN", cursor};
    argv.insert(argv.end(), options.begin(), options.end());
    ScanPage page = ParseScanReply(runner.Run(argv));
    for (const std::string& key : page.keys) seen[key]++;
    cursor = page.cursor;
    if (cursor == "0") return seen;
  }
  FAIL("SCAN did not finish");
  return seen;
}

}  // namespace

TEST_CASE("KEYS matches glob patterns and treats a lone * as everything, the empty key too") {
  CommandRunner runner;
  std::string binary("b\0c", 3);
  SetKeys(runner, {"", "a", "ab", "abc", "x?y", binary});
  CHECK(SortedBulkArray(runner.Run({"KEYS", "*"})) == Keys{"", "a", "ab", "abc", binary, "x?y"});
  CHECK(SortedBulkArray(runner.Run({"KEYS", "a*"})) == Keys{"a", "ab", "abc"});
  CHECK(SortedBulkArray(runner.Run({"KEYS", "a?"})) == Keys{"ab"});
  CHECK(SortedBulkArray(runner.Run({"KEYS", "x\\?y"})) == Keys{"x?y"});
  CHECK(SortedBulkArray(runner.Run({"KEYS", "[ab]"})) == Keys{"a"});
  CHECK(SortedBulkArray(runner.Run({"KEYS", "b?c"})) == Keys{binary});
  // Redis's matcher never matches the empty string, except through the "*" shortcut.
  CHECK(SortedBulkArray(runner.Run({"KEYS", "**"})) == Keys{"a", "ab", "abc", binary, "x?y"});
  CHECK(runner.Run({"KEYS", "nothing"}) == "*0\r\n");
  CHECK(runner.Run({"KEYS"}) == Error("wrong number of arguments for 'keys' command"));
  CHECK(runner.Run({"KEYS", "a", "b"}) == Error("wrong number of arguments for 'keys' command"));
}

TEST_CASE("KEYS hides expired keys without deleting them") {
  CommandRunner runner;
  SetKeys(runner, {"live"});
  REQUIRE(runner.Run({"SET", "dead", "v", "PX", "10"}) == kOk);
  runner.events.clear();
  runner.AdvanceMs(11);
  CHECK(runner.Run({"KEYS", "*"}) == BulkArray({"live"}));
  CHECK(runner.events.empty());
  CHECK(runner.keyspace().database(0).size() == 2);
}

TEST_CASE("SCAN without changes returns every key exactly once and ends at cursor 0") {
  CommandRunner runner;
  Keys keys;
  for (int i = 0; i < 3000; i++) keys.push_back(Numbered("key:", i));
  SetKeys(runner, keys);
  std::map<std::string, int> seen = FullScan(runner, {"COUNT", "7"});
  CHECK(seen.size() == keys.size());
  for (const auto& [key, times] : seen) CHECK(times == 1);
  std::map<std::string, int> all_at_once = FullScan(runner, {"COUNT", "100000"});
  CHECK(all_at_once == seen);
  ScanPage page = ParseScanReply(runner.Run({"SCAN", "0", "COUNT", "100000"}));
  CHECK(page.cursor == "0");
  CHECK(page.keys.size() == keys.size());
}

TEST_CASE("SCAN returns every key present for the whole scan while keys come and go") {
  CommandRunner runner;
  std::set<std::string> stable;
  std::vector<std::string> doomed;
  for (int i = 0; i < 4000; i++) {
    std::string key = Numbered("key:", i);
    REQUIRE(runner.Run({"SET", key, "v"}) == kOk);
    if (i % 10 == 0) {
      stable.insert(key);
    } else {
      doomed.push_back(key);
    }
  }
  std::set<std::string> seen;
  std::string cursor = "0";
  int added = 0;
  size_t deleted = 0;
  int calls = 0;
  const ringdb::store::Table& table = runner.keyspace().database(0).table();
  size_t pages_min = table.page_count();
  size_t pages_at_start = table.page_count();
  do {
    REQUIRE(calls++ < 100000);
    ScanPage page = ParseScanReply(runner.Run({"SCAN", cursor, "COUNT", "10"}));
    seen.insert(page.keys.begin(), page.keys.end());
    cursor = page.cursor;
    // Growth splits pages and deletion merges them (and shrinks the directory) mid-scan.
    for (int i = 0; i < 30; i++)
      REQUIRE(runner.Run({"SET", Numbered("new:", added++), "v"}) == kOk);
    for (int i = 0; i < 150 && deleted < doomed.size(); i++) {
      REQUIRE(runner.Run({"DEL", doomed[deleted++]}) == Integer(1));
    }
    pages_min = std::min(pages_min, table.page_count());
  } while (cursor != "0");
  CHECK(deleted == doomed.size());
  // The table really did merge pages under the scan, then split them again.
  CHECK(pages_min < pages_at_start);
  CHECK(table.page_count() > pages_min);
  for (const std::string& key : stable) {
    CAPTURE(key);
    CHECK(seen.count(key) == 1);
  }
  CHECK(runner.keyspace().database(0).table().CheckInvariants());
}

TEST_CASE("SCAN parses its cursor the way strtoul does") {
  CommandRunner runner;
  SetKeys(runner, {"k"});
  std::string one_key_page = "*2\r\n$1\r\n0\r\n*1\r\n$1\r\nk\r\n";
  for (std::string cursor :
       {std::string(""), std::string("0"), std::string("00"), std::string("-0"), std::string("+0"),
        std::string("-1"), std::string("18446744073709551615"),
        std::string("-18446744073709551615"), std::string("0\0junk", 6)}) {
    CAPTURE(cursor);
    CHECK(runner.Run({"SCAN", cursor}) == one_key_page);
  }
  for (std::string cursor :
       {" 0", "\t1", "0 ", "0x1", "1e3", "abc", "-", "+", "--1", "18446744073709551616",
        "-18446744073709551616", "99999999999999999999999"}) {
    CAPTURE(cursor);
    CHECK(runner.Run({"SCAN", cursor}) == Error("invalid cursor"));
  }
}

TEST_CASE("SCAN options: COUNT is a positive integer, MATCH and TYPE filter, others fail") {
  CommandRunner runner;
  SetKeys(runner, {"a1", "a2", "b1", ""});
  runner.keyspace().database(0).Put(PlaceholderEntry("list", ValueType::kList));
  CHECK(runner.Run({"SCAN", "0", "COUNT", "0"}) == Error("syntax error"));
  CHECK(runner.Run({"SCAN", "0", "COUNT", "-3"}) == Error("syntax error"));
  CHECK(runner.Run({"SCAN", "0", "COUNT", "x"}) ==
        Error("value is not an integer or out of range"));
  CHECK(runner.Run({"SCAN", "0", "COUNT"}) == Error("syntax error"));
  CHECK(runner.Run({"SCAN", "0", "MATCH"}) == Error("syntax error"));
  CHECK(runner.Run({"SCAN", "0", "TYPE"}) == Error("syntax error"));
  CHECK(runner.Run({"SCAN", "0", "FOO", "bar"}) == Error("syntax error"));
  CHECK(runner.Run({"SCAN", "x", "FOO", "bar"}) == Error("invalid cursor"));
  CHECK(runner.Run({"SCAN", "0", "COUNT", "0", "FOO"}) == Error("syntax error"));
  CHECK(runner.Run({"SCAN"}) == Error("wrong number of arguments for 'scan' command"));

  auto keys_of = [&](const Keys& options) {
    std::map<std::string, int> seen = FullScan(runner, options);
    Keys keys;
    for (const auto& [key, times] : seen) keys.push_back(key);
    return keys;
  };
  CHECK(keys_of({}) == Keys{"", "a1", "a2", "b1", "list"});
  CHECK(keys_of({"MATCH", "*"}) == Keys{"", "a1", "a2", "b1", "list"});
  CHECK(keys_of({"match", "a*"}) == Keys{"a1", "a2"});
  CHECK(keys_of({"MATCH", "zzz", "MATCH", "?1"}) == Keys{"a1", "b1"});
  CHECK(keys_of({"TYPE", "string"}) == Keys{"", "a1", "a2", "b1"});
  CHECK(keys_of({"TYPE", "LIST"}) == Keys{"list"});
  CHECK(keys_of({"TYPE", "hash"}).empty());
  CHECK(keys_of({"TYPE", "nosuchtype"}).empty());
  CHECK(keys_of({"TYPE", "string", "MATCH", "a*", "COUNT", "1"}) == Keys{"a1", "a2"});
}

TEST_CASE("SCAN deletes the expired keys it meets and leaves them out") {
  CommandRunner runner;
  SetKeys(runner, {"live"});
  REQUIRE(runner.Run({"SET", "dead", "v", "PX", "10"}) == kOk);
  runner.events.clear();
  runner.AdvanceMs(11);
  uint64_t hits = runner.counters().keyspace_hits;
  CHECK(runner.Run({"SCAN", "0"}) == "*2\r\n$1\r\n0\r\n" + BulkArray({"live"}));
  CHECK(runner.events == std::vector<std::string>{"0:expired:dead"});
  CHECK(runner.keyspace().database(0).size() == 1);
  // Without TYPE, SCAN does not count lookups; with TYPE it does.
  CHECK(runner.counters().keyspace_hits == hits);
  REQUIRE(runner.Run({"SET", "dead2", "v", "PX", "10"}) == kOk);
  runner.AdvanceMs(11);
  uint64_t misses = runner.counters().keyspace_misses;
  CHECK(runner.Run({"SCAN", "0", "TYPE", "string"}) == "*2\r\n$1\r\n0\r\n" + BulkArray({"live"}));
  CHECK(runner.counters().keyspace_hits == hits + 1);
  CHECK(runner.counters().keyspace_misses == misses + 1);
}

TEST_CASE("SCAN on an empty database replies cursor 0 and no keys") {
  CommandRunner runner;
  CHECK(runner.Run({"SCAN", "0"}) == "*2\r\n$1\r\n0\r\n*0\r\n");
  CHECK(runner.Run({"SCAN", "12345", "COUNT", "5"}) == "*2\r\n$1\r\n0\r\n*0\r\n");
}

TEST_CASE("RANDOMKEY replies null on an empty database and a live key otherwise") {
  CommandRunner runner;
  CHECK(runner.Run({"RANDOMKEY"}) == kNil);
  runner.set_protocol(3);
  CHECK(runner.Run({"RANDOMKEY"}) == "_\r\n");
  runner.set_protocol(2);
  std::string binary("\0\r\n", 3);
  SetKeys(runner, {binary});
  CHECK(runner.Run({"RANDOMKEY"}) == Bulk(binary));
  CHECK(runner.Run({"RANDOMKEY", "x"}) ==
        Error("wrong number of arguments for 'randomkey' command"));
}

TEST_CASE("RANDOMKEY picks among all keys") {
  CommandRunner runner;
  Keys keys;
  for (int i = 0; i < 500; i++) keys.push_back(Numbered("k", i));
  SetKeys(runner, keys);
  std::set<std::string> picked;
  for (int i = 0; i < 200; i++) {
    std::string reply = runner.Run({"RANDOMKEY"});
    REQUIRE(reply.substr(0, 1) == "$");
    std::string key = reply.substr(reply.find("\r\n") + 2);
    key.resize(key.size() - 2);
    CHECK(std::find(keys.begin(), keys.end(), key) != keys.end());
    picked.insert(key);
  }
  CHECK(picked.size() > 50);
}

TEST_CASE("RANDOMKEY deletes the expired keys it picks and never returns one") {
  CommandRunner runner;
  for (int i = 0; i < 100; i++) {
    REQUIRE(runner.Run({"SET", Numbered("dead", i), "v", "PX", "5"}) == kOk);
  }
  runner.AdvanceMs(6);
  CHECK(runner.Run({"RANDOMKEY"}) == kNil);
  CHECK(runner.keyspace().database(0).size() == 0);
  SetKeys(runner, {"live"});
  for (int i = 0; i < 100; i++) {
    REQUIRE(runner.Run({"SET", Numbered("dead", i), "v", "PX", "5"}) == kOk);
  }
  runner.AdvanceMs(6);
  runner.events.clear();
  CHECK(runner.Run({"RANDOMKEY"}) == Bulk("live"));
  for (const std::string& event : runner.events)
    CHECK(event.find(":expired:dead") != std::string::npos);
}
