#include <doctest/doctest.h>

#include <string>
#include <vector>

#include "ringdb/store/entry.h"
#include "ringdb/testing/command_runner.h"

using namespace ringdb::testing;

namespace {

ringdb::store::Entry* Find(CommandRunner& runner, std::string_view key) {
  return runner.keyspace().database(0).table().Find(key);
}

// The LFU word Redis keeps in an object's lru field: minutes:16 | counter:8.
uint32_t LfuWord(int64_t now_ms, int64_t minutes_ago, uint32_t counter) {
  int64_t minutes = (now_ms / 60000 - minutes_ago) & 0xffff;
  return static_cast<uint32_t>(minutes << 8) | counter;
}

}  // namespace

TEST_CASE("OBJECT ENCODING reports int, embstr and raw, and null for a missing key") {
  CommandRunner runner;
  REQUIRE(runner.Run({"SET", "int", "-9223372036854775808"}) == kOk);
  REQUIRE(runner.Run({"SET", "embstr", std::string(44, 'x')}) == kOk);
  REQUIRE(runner.Run({"SET", "raw", std::string(45, 'x')}) == kOk);
  REQUIRE(runner.Run({"SET", "padded", "007"}) == kOk);
  CHECK(runner.Run({"OBJECT", "ENCODING", "int"}) == Bulk("int"));
  CHECK(runner.Run({"object", "encoding", "embstr"}) == Bulk("embstr"));
  CHECK(runner.Run({"OBJECT", "Encoding", "raw"}) == Bulk("raw"));
  CHECK(runner.Run({"OBJECT", "ENCODING", "padded"}) == Bulk("embstr"));
  CHECK(runner.Run({"OBJECT", "ENCODING", "missing"}) == kNil);
  runner.set_protocol(3);
  CHECK(runner.Run({"OBJECT", "ENCODING", "missing"}) == "_\r\n");
  CHECK(runner.Run({"OBJECT", "REFCOUNT", "missing"}) == "_\r\n");
  CHECK(runner.Run({"OBJECT", "IDLETIME", "missing"}) == "_\r\n");
}

TEST_CASE("OBJECT REFCOUNT reports Redis's shared objects for the integers 0 to 9999") {
  CommandRunner runner;
  for (auto [text, expected] :
       {std::pair{"0", 2147483647}, std::pair{"9999", 2147483647}, std::pair{"10000", 1},
        std::pair{"-1", 1}, std::pair{"abc", 1}, std::pair{"01", 1}}) {
    // Copies: clang does not let CAPTURE's lambda see structured bindings.
    const char* value = text;
    int refcount = expected;
    CAPTURE(value);
    REQUIRE(runner.Run({"SET", "k", value}) == kOk);
    CHECK(runner.Run({"OBJECT", "REFCOUNT", "k"}) == Integer(refcount));
  }
  // With maxmemory and an LRU or LFU policy Redis stops sharing integers.
  runner.limits().share_small_integers = false;
  REQUIRE(runner.Run({"SET", "k", "5"}) == kOk);
  CHECK(runner.Run({"OBJECT", "REFCOUNT", "k"}) == Integer(1));
}

TEST_CASE("OBJECT IDLETIME counts seconds since the last access, not since a mere look") {
  CommandRunner runner;
  REQUIRE(runner.Run({"SET", "k", "v"}) == kOk);
  REQUIRE(runner.Run({"GET", "k"}) == Bulk("v"));
  runner.AdvanceMs(42500);
  for (std::vector<std::string> look : {std::vector<std::string>{"EXISTS", "k"},
                                        {"TYPE", "k"},
                                        {"TTL", "k"},
                                        {"OBJECT", "ENCODING", "k"},
                                        {"OBJECT", "REFCOUNT", "k"}}) {
    runner.Run(look);
  }
  CHECK(runner.Run({"OBJECT", "IDLETIME", "k"}) == Integer(42));
  REQUIRE(runner.Run({"GET", "k"}) == Bulk("v"));
  CHECK(runner.Run({"OBJECT", "IDLETIME", "k"}) == Integer(0));
}

TEST_CASE("OBJECT IDLETIME follows the 24-bit LRU clock across its wrap") {
  CommandRunner runner;
  REQUIRE(runner.Run({"SET", "k", "v"}) == kOk);
  // Put the clock at 5 and the last access 15 ticks before the wrap.
  runner.set_now_ms((int64_t{1} << 24) * 1000 * 100 + 5000);
  Find(runner, "k")->set_lru(0xfffff0);
  CHECK(runner.Run({"OBJECT", "IDLETIME", "k"}) == Integer(5 + 15));
}

TEST_CASE("OBJECT IDLETIME and FREQ each work under one family of maxmemory policies") {
  CommandRunner runner;
  REQUIRE(runner.Run({"SET", "k", "v"}) == kOk);
  CHECK(runner.Run({"OBJECT", "FREQ", "k"}) ==
        Error("An LFU maxmemory policy is not selected, access frequency not tracked. Please note "
              "that when switching between policies at runtime LRU and LFU data will take some "
              "time to adjust."));
  runner.limits().lfu_policy = true;
  CHECK(
      runner.Run({"OBJECT", "IDLETIME", "k"}) ==
      Error(
          "An LFU maxmemory policy is selected, idle time not tracked. Please note that when "
          "switching between policies at runtime LRU and LFU data will take some time to adjust."));
  // A missing key is reported before the policy is looked at.
  CHECK(runner.Run({"OBJECT", "IDLETIME", "missing"}) == kNil);
  runner.limits().lfu_policy = false;
  CHECK(runner.Run({"OBJECT", "FREQ", "missing"}) == kNil);
}

TEST_CASE("OBJECT FREQ decays the LFU counter by one per lfu-decay-time minutes") {
  CommandRunner runner;
  runner.limits().lfu_policy = true;
  REQUIRE(runner.Run({"SET", "k", "v"}) == kOk);
  ringdb::store::Entry* entry = Find(runner, "k");
  entry->set_lru(LfuWord(runner.now_ms(), 0, 20));
  CHECK(runner.Run({"OBJECT", "FREQ", "k"}) == Integer(20));
  entry->set_lru(LfuWord(runner.now_ms(), 7, 20));
  CHECK(runner.Run({"OBJECT", "FREQ", "k"}) == Integer(13));
  entry->set_lru(LfuWord(runner.now_ms(), 25, 20));
  CHECK(runner.Run({"OBJECT", "FREQ", "k"}) == Integer(0));
  runner.limits().lfu_decay_time_minutes = 2;
  entry->set_lru(LfuWord(runner.now_ms(), 7, 20));
  CHECK(runner.Run({"OBJECT", "FREQ", "k"}) == Integer(17));
  runner.limits().lfu_decay_time_minutes = 0;
  CHECK(runner.Run({"OBJECT", "FREQ", "k"}) == Integer(20));
  // The 16-bit minute clock wraps: accessed at minute 65530, now minute 4.
  runner.limits().lfu_decay_time_minutes = 1;
  runner.set_now_ms(int64_t{65536} * 60000 * 30 + 4 * 60000);
  entry->set_lru((65530u << 8) | 100);
  CHECK(runner.Run({"OBJECT", "FREQ", "k"}) == Integer(100 - (65535 - 65530 + 4)));
}

TEST_CASE("OBJECT on an expired key deletes it, replies null and counts hits and misses") {
  CommandRunner runner;
  REQUIRE(runner.Run({"SET", "k", "v", "PX", "10"}) == kOk);
  REQUIRE(runner.Run({"SET", "live", "v"}) == kOk);
  runner.AdvanceMs(11);
  runner.events.clear();
  uint64_t hits = runner.counters().keyspace_hits;
  uint64_t misses = runner.counters().keyspace_misses;
  CHECK(runner.Run({"OBJECT", "ENCODING", "k"}) == kNil);
  CHECK(runner.events == std::vector<std::string>{"0:expired:k"});
  CHECK(runner.Run({"OBJECT", "ENCODING", "live"}) == Bulk("embstr"));
  CHECK(runner.counters().keyspace_hits == hits + 1);
  CHECK(runner.counters().keyspace_misses == misses + 1);
}

TEST_CASE("OBJECT HELP lists the subcommands in Redis's words") {
  CommandRunner runner;
  std::vector<std::string> lines = {
      "OBJECT <subcommand> [<arg> [value] [opt] ...]. Subcommands are:",
      "ENCODING <key>",
      "    Return the kind of internal representation used in order to store the value",
      "    associated with a <key>.",
      "FREQ <key>",
      "    Return the access frequency index of the <key>. The returned integer is",
      "    proportional to the logarithm of the recent access frequency of the key.",
      "IDLETIME <key>",
      "    Return the idle time of the <key>, that is the approximated number of",
      "    seconds elapsed since the last access to the key.",
      "REFCOUNT <key>",
      "    Return the number of references of the value associated with the specified",
      "    <key>.",
      "HELP",
      "    Print this help.",
  };
  std::string expected = "*15\r\n";
  for (const std::string& line : lines) expected += Simple(line);
  CHECK(runner.Run({"OBJECT", "HELP"}) == expected);
  CHECK(runner.Run({"object", "help"}) == expected);
}

TEST_CASE("OBJECT reports unknown subcommands and each subcommand's arity") {
  CommandRunner runner;
  CHECK(runner.Run({"OBJECT"}) == Error("wrong number of arguments for 'object' command"));
  CHECK(runner.Run({"OBJECT", "foo", "k"}) == Error("unknown subcommand 'foo'. Try OBJECT HELP."));
  CHECK(runner.Run({"object", "foo"}) == Error("unknown subcommand 'foo'. Try OBJECT HELP."));
  CHECK(runner.Run({"OBJECT", "ENCODING"}) ==
        Error("wrong number of arguments for 'object|encoding' command"));
  CHECK(runner.Run({"OBJECT", "FREQ", "a", "b"}) ==
        Error("wrong number of arguments for 'object|freq' command"));
  CHECK(runner.Run({"OBJECT", "HELP", "x"}) ==
        Error("wrong number of arguments for 'object|help' command"));
  CHECK(runner.Run({"OBJECT", "IDLETIME"}) ==
        Error("wrong number of arguments for 'object|idletime' command"));
  CHECK(runner.Run({"OBJECT", "REFCOUNT"}) ==
        Error("wrong number of arguments for 'object|refcount' command"));
}

TEST_CASE("OBJECT is a container whose subcommands carry Redis's metadata") {
  CommandRunner runner;
  const ringdb::commands::Command* object = runner.table().Find("object");
  REQUIRE(object != nullptr);
  CHECK(object->is_container());
  CHECK(object->spec->arity == -2);
  CHECK(object->subcommands.size() == 5);
  const ringdb::commands::Command* encoding = runner.table().FindFullName("object|encoding");
  REQUIRE(encoding != nullptr);
  CHECK(encoding->spec->arity == 3);
  CHECK(encoding->spec->flags == ringdb::commands::kReadonly);
  std::vector<std::string_view> argv = {"OBJECT", "ENCODING", "k"};
  CHECK(ringdb::commands::KeyPositions(*encoding, argv) == std::vector<int>{2});
  const ringdb::commands::Command* help = runner.table().FindFullName("object|help");
  REQUIRE(help != nullptr);
  CHECK(help->spec->arity == 2);
  CHECK(help->spec->flags == (ringdb::commands::kLoading | ringdb::commands::kStale));
}

TEST_CASE("a COPY of a small integer is no longer the shared object, until INCR shares it again") {
  CommandRunner runner;
  REQUIRE(runner.Run({"SET", "a", "5"}) == kOk);
  CHECK(runner.Run({"OBJECT", "REFCOUNT", "a"}) == Integer(2147483647));
  REQUIRE(runner.Run({"COPY", "a", "b"}) == Integer(1));
  CHECK(runner.Run({"OBJECT", "REFCOUNT", "b"}) == Integer(1));
  CHECK(runner.Run({"OBJECT", "REFCOUNT", "a"}) == Integer(2147483647));
  REQUIRE(runner.Run({"RENAME", "b", "c"}) == kOk);  // RENAME keeps the object.
  CHECK(runner.Run({"OBJECT", "REFCOUNT", "c"}) == Integer(1));
  REQUIRE(runner.Run({"EXPIRE", "c", "100"}) == Integer(1));
  CHECK(runner.Run({"OBJECT", "REFCOUNT", "c"}) == Integer(1));
  REQUIRE(runner.Run({"INCR", "c"}) == Integer(6));
  CHECK(runner.Run({"OBJECT", "REFCOUNT", "c"}) == Integer(2147483647));
}
