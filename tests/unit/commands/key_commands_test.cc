#include <doctest/doctest.h>

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
using Events = std::vector<std::string>;

namespace {

// Sets `key` and forgets the events that caused.
void SetQuietly(CommandRunner& runner, std::string_view key, std::string_view value) {
  REQUIRE(runner.Run({"SET", key, value}) == kOk);
  runner.events.clear();
}

const Entry* Find(CommandRunner& runner, int db, std::string_view key) {
  return runner.keyspace().database(db).table().Find(key);
}

}  // namespace

TEST_CASE("DEL and UNLINK delete existing keys, once each, with a del event") {
  for (const char* command : {"DEL", "UNLINK"}) {
    CAPTURE(command);
    CommandRunner runner;
    SetQuietly(runner, "a", "1");
    SetQuietly(runner, "b", "2");
    uint64_t dirty = runner.counters().dirty;
    CHECK(runner.Run({command, "a", "b", "missing", "a"}) == Integer(2));
    CHECK(runner.events == Events{"0:modified:a", "0:del:a", "0:modified:b", "0:del:b"});
    CHECK(runner.counters().dirty == dirty + 2);
    CHECK(runner.Run({"EXISTS", "a", "b"}) == Integer(0));
    CHECK(runner.Run({command, "a"}) == Integer(0));
  }
  CommandRunner runner;
  CHECK(runner.Run({"DEL"}) == Error("wrong number of arguments for 'del' command"));
  CHECK(runner.Run({"UNLINK"}) == Error("wrong number of arguments for 'unlink' command"));
}

TEST_CASE("DEL of an expired key reports the expiration and deletes nothing more") {
  CommandRunner runner;
  REQUIRE(runner.Run({"SET", "k", "v", "PX", "10"}) == kOk);
  runner.events.clear();
  runner.AdvanceMs(11);
  CHECK(runner.Run({"DEL", "k"}) == Integer(0));
  CHECK(runner.events == Events{"0:expired:k"});
}

TEST_CASE("EXISTS counts a key named twice twice without refreshing its access time") {
  CommandRunner runner;
  SetQuietly(runner, "k", "v");
  REQUIRE(runner.Run({"TOUCH", "k"}) == Integer(1));
  uint32_t lru = Find(runner, 0, "k")->lru();
  runner.AdvanceMs(5000);
  uint64_t hits = runner.counters().keyspace_hits;
  uint64_t misses = runner.counters().keyspace_misses;
  CHECK(runner.Run({"EXISTS", "k", "k", "missing"}) == Integer(2));
  CHECK(runner.counters().keyspace_hits == hits + 2);
  CHECK(runner.counters().keyspace_misses == misses + 1);
  CHECK(Find(runner, 0, "k")->lru() == lru);
  CHECK(runner.Run({"EXISTS"}) == Error("wrong number of arguments for 'exists' command"));
}

TEST_CASE("TYPE names the value's type and says none for missing and expired keys") {
  CommandRunner runner;
  SetQuietly(runner, "s", "v");
  runner.keyspace().database(0).Put(PlaceholderEntry("l", ValueType::kList));
  runner.keyspace().database(0).Put(PlaceholderEntry("z", ValueType::kZset));
  CHECK(runner.Run({"TYPE", "s"}) == Simple("string"));
  CHECK(runner.Run({"TYPE", "l"}) == Simple("list"));
  CHECK(runner.Run({"TYPE", "z"}) == Simple("zset"));
  CHECK(runner.Run({"TYPE", "missing"}) == Simple("none"));
  REQUIRE(runner.Run({"PEXPIRE", "s", "5"}) == Integer(1));
  runner.events.clear();
  runner.AdvanceMs(6);
  CHECK(runner.Run({"TYPE", "s"}) == Simple("none"));
  CHECK(runner.events == Events{"0:expired:s", "0:keymiss:s"});
  CHECK(runner.Run({"TYPE"}) == Error("wrong number of arguments for 'type' command"));
  CHECK(runner.Run({"TYPE", "a", "b"}) == Error("wrong number of arguments for 'type' command"));
}

TEST_CASE("TOUCH counts existing keys and refreshes their access time") {
  CommandRunner runner;
  SetQuietly(runner, "a", "1");
  SetQuietly(runner, "b", "2");
  runner.AdvanceMs(7000);
  CHECK(runner.Run({"TOUCH", "a", "b", "c", "a"}) == Integer(3));
  CHECK(Find(runner, 0, "a")->lru() == (runner.now_ms() / 1000 & 0xffffff));
  CHECK(runner.Run({"OBJECT", "IDLETIME", "b"}) == Integer(0));
  CHECK(runner.events == Events{"0:keymiss:c"});  // As Redis's lookupKeyRead.
  CHECK(runner.Run({"TOUCH"}) == Error("wrong number of arguments for 'touch' command"));
}

TEST_CASE("RENAME moves value, encoding and deadline to the new name and overwrites the target") {
  CommandRunner runner;
  REQUIRE(runner.Run({"SET", "a", "12345", "PX", "5000"}) == kOk);
  REQUIRE(runner.Run({"SET", "b", "old", "EX", "100"}) == kOk);
  runner.events.clear();
  uint64_t dirty = runner.counters().dirty;
  CHECK(runner.Run({"RENAME", "a", "b"}) == kOk);
  CHECK(runner.events ==
        Events{"0:new:b", "0:modified:a", "0:rename_from:a", "0:modified:b", "0:rename_to:b"});
  CHECK(runner.counters().dirty == dirty + 1);
  CHECK(runner.Run({"EXISTS", "a"}) == Integer(0));
  CHECK(runner.Run({"GET", "b"}) == Bulk("12345"));
  CHECK(runner.Run({"PTTL", "b"}) == Integer(5000));
  CHECK(runner.Run({"OBJECT", "ENCODING", "b"}) == Bulk("int"));
  SetQuietly(runner, "c", "no deadline");
  CHECK(runner.Run({"RENAME", "c", "b"}) == kOk);
  CHECK(runner.Run({"PTTL", "b"}) == Integer(-1));
  CHECK(runner.keyspace().database(0).table().CheckInvariants());
}

TEST_CASE("RENAME of a missing or expired key fails, and renaming a key to itself is a no-op") {
  CommandRunner runner;
  CHECK(runner.Run({"RENAME", "missing", "x"}) == Error("no such key"));
  CHECK(runner.Run({"RENAMENX", "missing", "x"}) == Error("no such key"));
  CHECK(runner.Run({"RENAME", "missing", "missing"}) == Error("no such key"));
  REQUIRE(runner.Run({"SET", "e", "v", "PX", "1"}) == kOk);
  runner.AdvanceMs(2);
  CHECK(runner.Run({"RENAME", "e", "x"}) == Error("no such key"));
  SetQuietly(runner, "k", "v");
  CHECK(runner.Run({"RENAME", "k", "k"}) == kOk);
  CHECK(runner.Run({"RENAMENX", "k", "k"}) == Integer(0));
  CHECK(runner.events.empty());
  CHECK(runner.Run({"GET", "k"}) == Bulk("v"));
  CHECK(runner.Run({"RENAME", "k"}) == Error("wrong number of arguments for 'rename' command"));
  CHECK(runner.Run({"RENAMENX", "k", "a", "b"}) ==
        Error("wrong number of arguments for 'renamenx' command"));
}

TEST_CASE("RENAMENX renames only when the target is absent, and an expired target is absent") {
  CommandRunner runner;
  SetQuietly(runner, "a", "1");
  SetQuietly(runner, "b", "2");
  CHECK(runner.Run({"RENAMENX", "a", "b"}) == Integer(0));
  CHECK(runner.events.empty());
  CHECK(runner.Run({"GET", "a"}) == Bulk("1"));
  REQUIRE(runner.Run({"PEXPIRE", "b", "3"}) == Integer(1));
  runner.AdvanceMs(4);
  runner.events.clear();
  CHECK(runner.Run({"RENAMENX", "a", "b"}) == Integer(1));
  CHECK(runner.events == Events{"0:expired:b", "0:new:b", "0:modified:a", "0:rename_from:a",
                                "0:modified:b", "0:rename_to:b"});
  CHECK(runner.Run({"GET", "b"}) == Bulk("1"));
}

TEST_CASE("RENAME keeps binary key bytes intact") {
  CommandRunner runner;
  std::string source("s\0\r\n", 4);
  std::string target("t\0\xff", 3);
  REQUIRE(runner.Run({"SET", source, "v"}) == kOk);
  CHECK(runner.Run({"RENAME", source, target}) == kOk);
  CHECK(runner.Run({"GET", target}) == Bulk("v"));
  CHECK(runner.Run({"EXISTS", source}) == Integer(0));
  CHECK(runner.Run({"KEYS", "*"}) == BulkArray({target}));
}

TEST_CASE("MOVE takes a key and its deadline to another database unless it exists there") {
  CommandRunner runner;
  REQUIRE(runner.Run({"SET", "k", "v", "PX", "9000"}) == kOk);
  runner.events.clear();
  uint64_t dirty = runner.counters().dirty;
  CHECK(runner.Run({"MOVE", "k", "3"}) == Integer(1));
  CHECK(runner.events ==
        Events{"3:new:k", "0:modified:k", "0:move_from:k", "3:modified:k", "3:move_to:k"});
  CHECK(runner.counters().dirty == dirty + 1);
  CHECK(runner.Run({"EXISTS", "k"}) == Integer(0));
  CHECK(runner.keyspace().database(0).volatile_size() == 0);
  CHECK(runner.keyspace().database(3).volatile_size() == 1);
  REQUIRE(runner.Run({"SELECT", "3"}) == kOk);
  CHECK(runner.Run({"GET", "k"}) == Bulk("v"));
  CHECK(runner.Run({"PTTL", "k"}) == Integer(9000));
  // Back in database 0 with the same name: the target exists, nothing moves.
  REQUIRE(runner.Run({"SELECT", "0"}) == kOk);
  SetQuietly(runner, "k", "other");
  CHECK(runner.Run({"MOVE", "k", "3"}) == Integer(0));
  CHECK(runner.Run({"MOVE", "missing", "3"}) == Integer(0));
  CHECK(runner.events.empty());
  CHECK(runner.Run({"GET", "k"}) == Bulk("other"));
}

TEST_CASE("MOVE treats an expired key in the target database as absent") {
  CommandRunner runner;
  REQUIRE(runner.Run({"SELECT", "1"}) == kOk);
  REQUIRE(runner.Run({"SET", "k", "old", "PX", "1"}) == kOk);
  REQUIRE(runner.Run({"SELECT", "0"}) == kOk);
  SetQuietly(runner, "k", "new");
  runner.AdvanceMs(2);
  CHECK(runner.Run({"MOVE", "k", "1"}) == Integer(1));
  CHECK(runner.events.front() == "1:expired:k");
  REQUIRE(runner.Run({"SELECT", "1"}) == kOk);
  CHECK(runner.Run({"GET", "k"}) == Bulk("new"));
}

TEST_CASE("MOVE rejects bad database indexes and the current database") {
  CommandRunner runner;
  SetQuietly(runner, "k", "v");
  CHECK(runner.Run({"MOVE", "k", "x"}) == Error("value is not an integer or out of range"));
  CHECK(runner.Run({"MOVE", "k", "2147483648"}) ==
        Error("value is out of range, value must between -2147483648 and 2147483647"));
  CHECK(runner.Run({"MOVE", "k", "-2147483649"}) ==
        Error("value is out of range, value must between -2147483648 and 2147483647"));
  CHECK(runner.Run({"MOVE", "k", "9223372036854775808"}) ==
        Error("value is not an integer or out of range"));
  CHECK(runner.Run({"MOVE", "k", "2147483647"}) == Error("DB index is out of range"));
  CHECK(runner.Run({"MOVE", "k", "16"}) == Error("DB index is out of range"));
  CHECK(runner.Run({"MOVE", "k", "-1"}) == Error("DB index is out of range"));
  CHECK(runner.Run({"MOVE", "k", "0"}) == Error("source and destination objects are the same"));
  CHECK(runner.Run({"MOVE", "missing", "0"}) ==
        Error("source and destination objects are the same"));
  CHECK(runner.Run({"MOVE", "k"}) == Error("wrong number of arguments for 'move' command"));
  CHECK(runner.events.empty());
}

TEST_CASE("COPY duplicates value and deadline into a new key, in this or another database") {
  CommandRunner runner;
  REQUIRE(runner.Run({"SET", "a", "value", "PX", "4000"}) == kOk);
  runner.events.clear();
  CHECK(runner.Run({"COPY", "a", "b"}) == Integer(1));
  CHECK(runner.events == Events{"0:new:b", "0:modified:b", "0:copy_to:b"});
  CHECK(runner.Run({"GET", "b"}) == Bulk("value"));
  CHECK(runner.Run({"PTTL", "b"}) == Integer(4000));
  CHECK(runner.Run({"GET", "a"}) == Bulk("value"));
  runner.events.clear();
  CHECK(runner.Run({"COPY", "a", "a", "DB", "5"}) == Integer(1));
  CHECK(runner.events == Events{"5:new:a", "5:modified:a", "5:copy_to:a"});
  REQUIRE(runner.Run({"SELECT", "5"}) == kOk);
  CHECK(runner.Run({"GET", "a"}) == Bulk("value"));
  CHECK(runner.Run({"PTTL", "a"}) == Integer(4000));
}

TEST_CASE("COPY refuses an existing target unless REPLACE is given") {
  CommandRunner runner;
  SetQuietly(runner, "a", "new");
  REQUIRE(runner.Run({"SET", "b", "old", "EX", "50"}) == kOk);
  runner.events.clear();
  CHECK(runner.Run({"COPY", "a", "b"}) == Integer(0));
  CHECK(runner.events.empty());
  CHECK(runner.Run({"COPY", "a", "b", "replace", "REPLACE"}) == Integer(1));
  CHECK(runner.Run({"GET", "b"}) == Bulk("new"));
  CHECK(runner.Run({"TTL", "b"}) == Integer(-1));
  CHECK(runner.Run({"COPY", "missing", "b", "REPLACE"}) == Integer(0));
  CHECK(runner.keyspace().database(0).table().CheckInvariants());
}

TEST_CASE("COPY gives the copy a fresh access time and leaves the source's deadline alone") {
  CommandRunner runner;
  SetQuietly(runner, "a", "v");
  REQUIRE(runner.Run({"TOUCH", "a"}) == Integer(1));
  runner.AdvanceMs(30000);
  CHECK(runner.Run({"COPY", "a", "b"}) == Integer(1));
  CHECK(Find(runner, 0, "b")->lru() == (runner.now_ms() / 1000 & 0xffffff));
  CHECK(runner.Run({"TTL", "a"}) == Integer(-1));
}

TEST_CASE("COPY parses options in order and reports the first bad one") {
  CommandRunner runner;
  SetQuietly(runner, "a", "v");
  CHECK(runner.Run({"COPY", "a", "a"}) == Error("source and destination objects are the same"));
  CHECK(runner.Run({"COPY", "a", "a", "DB", "0"}) ==
        Error("source and destination objects are the same"));
  CHECK(runner.Run({"COPY", "a", "b", "DB"}) == Error("syntax error"));
  CHECK(runner.Run({"COPY", "a", "b", "FOO"}) == Error("syntax error"));
  CHECK(runner.Run({"COPY", "a", "b", "FOO", "DB", "99"}) == Error("syntax error"));
  CHECK(runner.Run({"COPY", "a", "b", "DB", "99", "FOO"}) == Error("DB index is out of range"));
  CHECK(runner.Run({"COPY", "a", "b", "DB", "x"}) ==
        Error("value is not an integer or out of range"));
  CHECK(runner.Run({"COPY", "a", "b", "DB", "-1"}) == Error("DB index is out of range"));
  CHECK(runner.Run({"COPY", "a", "b", "DB", "4294967296"}) ==
        Error("value is out of range, value must between -2147483648 and 2147483647"));
  CHECK(runner.Run({"COPY", "a"}) == Error("wrong number of arguments for 'copy' command"));
  CHECK(runner.Run({"EXISTS", "b"}) == Integer(0));
}

TEST_CASE("COPY ignores an expired source") {
  CommandRunner runner;
  REQUIRE(runner.Run({"SET", "a", "v", "PX", "2"}) == kOk);
  runner.AdvanceMs(3);
  CHECK(runner.Run({"COPY", "a", "b"}) == Integer(0));
  CHECK(runner.Run({"EXISTS", "a", "b"}) == Integer(0));
}

TEST_CASE("The generic key commands carry Redis's arity, flags and key positions") {
  CommandRunner runner;
  using ringdb::commands::Command;
  auto spec = [&](std::string_view name) { return runner.table().FindFullName(name)->spec; };
  CHECK(spec("copy")->arity == -3);
  CHECK(spec("copy")->last_key == 2);
  CHECK(spec("unlink")->flags == (ringdb::commands::kWrite | ringdb::commands::kFast));
  CHECK(spec("rename")->flags == ringdb::commands::kWrite);
  CHECK(spec("renamenx")->flags == (ringdb::commands::kWrite | ringdb::commands::kFast));
  CHECK(spec("move")->arity == 3);
  CHECK(spec("touch")->last_key == -1);
  std::vector<std::string_view> argv = {"COPY", "a", "b", "DB", "1"};
  CHECK(ringdb::commands::KeyPositions(*runner.table().Find("copy"), argv) ==
        std::vector<int>{1, 2});
}

TEST_CASE("FLUSHALL ASYNC hands the tables over for freeing and empties every database") {
  CommandRunner runner;
  REQUIRE(runner.Run({"SET", "a", "1"}) == kOk);
  REQUIRE(runner.Run({"SELECT", "2"}) == kOk);
  REQUIRE(runner.Run({"SET", "b", "2"}) == kOk);
  REQUIRE(runner.Run({"SET", "c", "3"}) == kOk);
  runner.events.clear();
  CHECK(runner.Run({"FLUSHALL", "ASYNC"}) == kOk);
  // The flush is announced before the tables go (WATCH looks at what is about to vanish).
  CHECK(runner.events == Events{"-1:flushed", "freed:1", "freed:2"});
  CHECK(runner.Run({"DBSIZE"}) == Integer(0));
  CHECK(runner.Run({"SET", "d", "4"}) == kOk);  // The fresh table works.
  runner.events.clear();
  CHECK(runner.Run({"FLUSHDB", "SYNC"}) == kOk);
  CHECK(runner.events == Events{"2:flushed"});  // Freed in place.
  CHECK(runner.Run({"FLUSHDB", "LAZY"}) == Error("syntax error"));
  runner.limits().lazy_user_flush = true;
  REQUIRE(runner.Run({"SET", "e", "5"}) == kOk);
  runner.events.clear();
  CHECK(runner.Run({"FLUSHDB"}) == kOk);
  CHECK(runner.events == Events{"2:flushed", "freed:1"});
}

TEST_CASE("SWAPDB announces the swap before it happens") {
  CommandRunner runner;
  REQUIRE(runner.Run({"SET", "a", "1"}) == kOk);
  runner.events.clear();
  CHECK(runner.Run({"SWAPDB", "0", "3"}) == kOk);
  CHECK(runner.events == Events{"0:3:swapping"});
}
