// Key specs and COMMAND GETKEYS's key finding (commands::GetKeys), against answers taken from
// redis-server; tests/integration/test_command_keys.py compares many more with a live one.
#include <doctest/doctest.h>

#include <string_view>
#include <vector>

#include "ringdb/commands/command.h"
#include "ringdb/testing/command_runner.h"

namespace {

using ringdb::commands::BeginSearch;
using ringdb::commands::Command;
using ringdb::commands::FindKeys;
using ringdb::commands::KeyReference;
using ringdb::commands::KeySpec;
using ringdb::testing::CommandRunner;
using Keys = std::vector<KeyReference>;
using Argv = std::vector<std::string_view>;

constexpr uint32_t kRO = ringdb::commands::kKeyRO;
constexpr uint32_t kRW = ringdb::commands::kKeyRW;
constexpr uint32_t kOW = ringdb::commands::kKeyOW;
constexpr uint32_t kAccess = ringdb::commands::kKeyAccess;
constexpr uint32_t kUpdate = ringdb::commands::kKeyUpdate;
constexpr uint32_t kDelete = ringdb::commands::kKeyDelete;

Keys GetKeys(CommandRunner& runner, Argv argv) {
  const Command* command = runner.table().Lookup(argv);
  REQUIRE(command != nullptr);
  REQUIRE(command->ArityAccepts(argv.size()));
  return ringdb::commands::GetKeys(*command, argv);
}

TEST_CASE("keys after a count are found by the keynum spec, with its flags") {
  CommandRunner runner;
  constexpr uint32_t kPop = kRW | kAccess | kDelete;
  CHECK(GetKeys(runner, {"LMPOP", "2", "a", "b", "LEFT"}) == Keys{{2, kPop}, {3, kPop}});
  CHECK(GetKeys(runner, {"BLMPOP", "0", "1", "a", "b", "LEFT"}) == Keys{{3, kPop}});
  CHECK(GetKeys(runner, {"ZINTERCARD", "3", "a", "b", "c"}) ==
        Keys{{2, kRO | kAccess}, {3, kRO | kAccess}, {4, kRO | kAccess}});
  // The destination's spec comes first.
  CHECK(GetKeys(runner, {"ZUNIONSTORE", "d", "2", "a", "b", "WEIGHTS", "1", "2"}) ==
        Keys{{1, kOW | kUpdate}, {3, kRO | kAccess}, {4, kRO | kAccess}});
}

TEST_CASE("a count the spec refuses falls back to Redis's atoi-reading keys function") {
  CommandRunner runner;
  // "2abc" is no integer to string2ll, but atoi reads 2; the flags are then unknown (0) and
  // the destination comes last, as genericGetKeys orders them.
  CHECK(GetKeys(runner, {"ZUNIONSTORE", "d", "2abc", "a", "b"}) == Keys{{3, 0}, {4, 0}, {1, 0}});
  CHECK(GetKeys(runner, {"LMPOP", " 1", "a", "LEFT"}) == Keys{{2, 0}});
  // A negative count that wraps to 1 as a 32-bit int.
  CHECK(GetKeys(runner, {"ZUNION", "-4294967295", "a"}) == Keys{{2, 0}});
  // A count that wraps to 1 as an int is one key to the spec too.
  CHECK(GetKeys(runner, {"ZUNION", "4294967297", "a"}) == Keys{{2, kRO | kAccess}});
  // No key at all: counts below 1 or beyond the arguments.
  CHECK(GetKeys(runner, {"LMPOP", "0", "a", "LEFT"}).empty());
  CHECK(GetKeys(runner, {"LMPOP", "-1", "a", "LEFT"}).empty());
  CHECK(GetKeys(runner, {"LMPOP", "4", "a", "b", "LEFT"}).empty());
  CHECK(GetKeys(runner, {"SINTERCARD", "x", "a"}).empty());
  CHECK(GetKeys(runner, {"ZDIFFSTORE", "d", "0", "a"}).empty());
}

TEST_CASE("stream keys are the first half of the arguments after the STREAMS keyword") {
  CommandRunner runner;
  constexpr uint32_t kRead = kRO | kAccess;
  CHECK(GetKeys(runner, {"XREAD", "COUNT", "1", "STREAMS", "a", "b", "0", "0"}) ==
        Keys{{4, kRead}, {5, kRead}});
  // XREADGROUP searches from the fourth argument on: a group named "streams" is no keyword.
  CHECK(GetKeys(runner, {"XREADGROUP", "GROUP", "streams", "c", "STREAMS", "s", ">"}) ==
        Keys{{5, kRead}});
  // The keyword in last place is not searched; nothing after it is no key either.
  CHECK(GetKeys(runner, {"XREAD", "COUNT", "1", "STREAMS"}).empty());
  CHECK(GetKeys(runner, {"XREAD", "COUNT", "1", "a", "0"}).empty());
  // An odd count still yields the floor of half, as Redis's range with limit 2.
  CHECK(GetKeys(runner, {"XREAD", "STREAMS", "a", "b", "c"}) == Keys{{2, kRead}});
}

TEST_CASE("GEORADIUS's STORE and STOREDIST destinations are keys of their own specs") {
  CommandRunner runner;
  CHECK(GetKeys(runner, {"GEORADIUS", "k", "0", "0", "1", "km"}) == Keys{{1, kRO | kAccess}});
  CHECK(GetKeys(runner, {"GEORADIUS", "k", "0", "0", "1", "km", "STOREDIST", "e", "STORE", "d"}) ==
        Keys{{1, kRO | kAccess}, {9, kOW | kUpdate}, {7, kOW | kUpdate}});
  CHECK(GetKeys(runner, {"GEORADIUSBYMEMBER", "k", "m", "1", "km", "store", "d"}) ==
        Keys{{1, kRO | kAccess}, {6, kOW | kUpdate}});
  // A trailing STORE has no destination.
  CHECK(GetKeys(runner, {"GEORADIUS", "k", "0", "0", "1", "km", "STORE"}) ==
        Keys{{1, kRO | kAccess}});
}

TEST_CASE("SET and BITFIELD report flags that depend on their options") {
  CommandRunner runner;
  CHECK(GetKeys(runner, {"SET", "k", "v"}) == Keys{{1, kOW | kUpdate}});
  CHECK(GetKeys(runner, {"SET", "k", "v", "NX", "get"}) == Keys{{1, kRW | kAccess | kUpdate}});
  CHECK(GetKeys(runner, {"BITFIELD", "k", "GET", "u8", "0"}) == Keys{{1, kRO | kAccess}});
  CHECK(GetKeys(runner, {"BITFIELD", "k", "GET", "u8"}) == Keys{{1, kRW | kAccess | kUpdate}});
  CHECK(GetKeys(runner, {"SORT", "l", "STORE", "d"}) ==
        Keys{{1, kRO | kAccess}, {3, kOW | kUpdate}});
  CHECK(GetKeys(runner, {"SORT_RO", "l", "STORE", "d"}) == Keys{{1, kRO | kAccess}});
}

TEST_CASE("commands with keys have key specs agreeing with their first, last and step") {
  CommandRunner runner;
  size_t checked = 0;
  auto check = [&](const Command& command) {
    const ringdb::commands::CommandSpec& spec = *command.spec;
    bool movable = command.has(ringdb::commands::kMovableKeys);
    INFO(command.full_name);
    if (spec.first_key > 0 || movable) CHECK(ringdb::commands::HasKeys(command));
    if (spec.first_key <= 0 && !movable) {
      for (const KeySpec& key_spec : command.key_specs)
        CHECK((key_spec.flags & ringdb::commands::kKeyNotKey) != 0);
    }
    // One plain spec is the whole legacy range (Redis's populateCommandLegacyRangeSpec).
    if (command.key_specs.size() == 1 && !movable) {
      const KeySpec& only = command.key_specs[0];
      REQUIRE(only.begin.type == BeginSearch::kIndex);
      REQUIRE(only.find.type == FindKeys::kRange);
      CHECK(spec.first_key == only.begin.position);
      int last =
          only.find.last_key < 0 ? only.find.last_key : only.begin.position + only.find.last_key;
      CHECK(spec.last_key == last);
      CHECK(spec.key_step == only.find.key_step);
      checked++;
    }
  };
  for (const Command* command : runner.table().all()) {
    check(*command);
    for (const auto& [name, sub] : command->subcommands) check(*sub);
  }
  CHECK(checked > 100);
}

}  // namespace
