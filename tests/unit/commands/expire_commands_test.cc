#include <doctest/doctest.h>

#include <cstdint>
#include <string>
#include <vector>

#include "ringdb/base/strings.h"
#include "ringdb/testing/command_runner.h"

using namespace ringdb::testing;
using Events = std::vector<std::string>;

namespace {

void SetQuietly(CommandRunner& runner, std::string_view key, std::string_view value) {
  REQUIRE(runner.Run({"SET", key, value}) == kOk);
  runner.events.clear();
}

std::string Text(int64_t value) { return std::to_string(value); }

}  // namespace

TEST_CASE("EXPIRE, PEXPIRE, EXPIREAT and PEXPIREAT set deadlines in their own units") {
  CommandRunner runner;
  int64_t now = runner.now_ms();
  SetQuietly(runner, "k", "v");
  CHECK(runner.Run({"EXPIRE", "k", "100"}) == Integer(1));
  CHECK(runner.events == Events{"0:modified:k", "0:expire:k"});
  CHECK(runner.Run({"PEXPIRETIME", "k"}) == Integer(now + 100000));
  CHECK(runner.Run({"PEXPIRE", "k", "1234"}) == Integer(1));
  CHECK(runner.Run({"PEXPIRETIME", "k"}) == Integer(now + 1234));
  CHECK(runner.Run({"EXPIREAT", "k", Text(now / 1000 + 50)}) == Integer(1));
  CHECK(runner.Run({"PEXPIRETIME", "k"}) == Integer((now / 1000 + 50) * 1000));
  CHECK(runner.Run({"PEXPIREAT", "k", Text(now + 777)}) == Integer(1));
  CHECK(runner.Run({"PEXPIRETIME", "k"}) == Integer(now + 777));
  CHECK(runner.keyspace().database(0).volatile_size() == 1);
  runner.AdvanceMs(776);
  CHECK(runner.Run({"GET", "k"}) == Bulk("v"));
  runner.AdvanceMs(2);
  CHECK(runner.Run({"GET", "k"}) == kNil);
}

TEST_CASE("EXPIRE with a deadline already past deletes the key and sends del, not expired") {
  for (std::vector<std::string> command : {std::vector<std::string>{"EXPIRE", "k", "0"},
                                           {"EXPIRE", "k", "-1"},
                                           {"PEXPIRE", "k", "0"},
                                           {"EXPIREAT", "k", "1"},
                                           {"PEXPIREAT", "k", "-5"}}) {
    CAPTURE(command[0]);
    CommandRunner runner;
    SetQuietly(runner, "k", "v");
    uint64_t dirty = runner.counters().dirty;
    CHECK(runner.Run(command) == Integer(1));
    CHECK(runner.events == Events{"0:modified:k", "0:del:k"});
    CHECK(runner.counters().dirty == dirty + 1);
    CHECK(runner.Run({"EXISTS", "k"}) == Integer(0));
    CHECK(runner.keyspace().expire_stats().expired_keys == 0);
  }
  CommandRunner runner;
  SetQuietly(runner, "k", "v");
  CHECK(runner.Run({"PEXPIREAT", "k", Text(runner.now_ms())}) == Integer(1));
  CHECK(runner.Run({"EXISTS", "k"}) == Integer(0));
}

TEST_CASE("EXPIRE on a missing or expired key replies 0 and changes nothing") {
  CommandRunner runner;
  CHECK(runner.Run({"EXPIRE", "missing", "10"}) == Integer(0));
  CHECK(runner.Run({"PEXPIRE", "missing", "-10"}) == Integer(0));
  REQUIRE(runner.Run({"SET", "k", "v", "PX", "5"}) == kOk);
  runner.AdvanceMs(6);
  runner.events.clear();
  CHECK(runner.Run({"EXPIRE", "k", "10"}) == Integer(0));
  CHECK(runner.events == Events{"0:expired:k"});
  CHECK(runner.Run({"PERSIST", "k"}) == Integer(0));
}

TEST_CASE("EXPIRE conditions NX XX GT LT compare against the current deadline") {
  CommandRunner runner;
  SetQuietly(runner, "k", "v");
  // No deadline: XX and GT fail, NX and LT succeed (no deadline is an infinite one).
  CHECK(runner.Run({"EXPIRE", "k", "100", "XX"}) == Integer(0));
  CHECK(runner.Run({"EXPIRE", "k", "100", "GT"}) == Integer(0));
  CHECK(runner.Run({"EXPIRE", "k", "100", "LT"}) == Integer(1));
  CHECK(runner.Run({"PERSIST", "k"}) == Integer(1));
  CHECK(runner.Run({"EXPIRE", "k", "100", "nx"}) == Integer(1));
  // Deadline now + 100 s.
  CHECK(runner.Run({"EXPIRE", "k", "200", "NX"}) == Integer(0));
  CHECK(runner.Run({"EXPIRE", "k", "100", "GT"}) == Integer(0));
  CHECK(runner.Run({"EXPIRE", "k", "100", "LT"}) == Integer(0));
  CHECK(runner.Run({"EXPIRE", "k", "200", "Gt"}) == Integer(1));
  CHECK(runner.Run({"TTL", "k"}) == Integer(200));
  CHECK(runner.Run({"EXPIRE", "k", "50", "XX", "LT"}) == Integer(1));
  CHECK(runner.Run({"TTL", "k"}) == Integer(50));
  CHECK(runner.Run({"EXPIRE", "k", "60", "XX", "GT", "GT"}) == Integer(1));
  CHECK(runner.Run({"TTL", "k"}) == Integer(60));
  runner.events.clear();
  CHECK(runner.Run({"EXPIRE", "k", "-1", "LT"}) == Integer(1));
  CHECK(runner.events == Events{"0:modified:k", "0:del:k"});
}

TEST_CASE("EXPIRE options are checked before the time: unknown ones and incompatible sets") {
  CommandRunner runner;
  SetQuietly(runner, "k", "v");
  CHECK(runner.Run({"EXPIRE", "k", "abc", "foo"}) == Error("Unsupported option foo"));
  CHECK(runner.Run({"PEXPIRE", "k", "10", "NX", "bar"}) == Error("Unsupported option bar"));
  CHECK(runner.Run({"EXPIRE", "k", "10", std::string("a\0b", 3)}) == Error("Unsupported option a"));
  for (auto pair : {std::pair{"NX", "XX"}, std::pair{"NX", "GT"}, std::pair{"lt", "nx"}}) {
    CHECK(runner.Run({"EXPIRE", "k", "abc", pair.first, pair.second}) ==
          Error("NX and XX, GT or LT options at the same time are not compatible"));
  }
  CHECK(runner.Run({"EXPIREAT", "k", "abc", "GT", "LT"}) ==
        Error("GT and LT options at the same time are not compatible"));
  CHECK(runner.Run({"EXPIRE", "k", "abc"}) == Error("value is not an integer or out of range"));
  CHECK(runner.Run({"EXPIRE", "k", "1.5"}) == Error("value is not an integer or out of range"));
  CHECK(runner.Run({"EXPIRE", "k", " 1"}) == Error("value is not an integer or out of range"));
  CHECK(runner.Run({"EXPIRE", "k"}) == Error("wrong number of arguments for 'expire' command"));
  CHECK(runner.Run({"PEXPIREAT", "k"}) ==
        Error("wrong number of arguments for 'pexpireat' command"));
  CHECK(runner.Run({"TTL", "k"}) == Integer(-1));
  CHECK(runner.events.empty());
}

TEST_CASE("EXPIRE refuses times that overflow at the exact limits and names the command") {
  CommandRunner runner;
  SetQuietly(runner, "k", "v");
  int64_t now = runner.now_ms();
  // Seconds must fit LLONG_MAX / 1000 after conversion, then the sum with the clock.
  CHECK(runner.Run({"EXPIRE", "k", "9223372036854776"}) ==
        Error("invalid expire time in 'expire' command"));
  CHECK(runner.Run({"EXPIRE", "k", "9223372036854775"}) ==
        Error("invalid expire time in 'expire' command"));
  CHECK(runner.Run({"EXPIREAT", "k", "9223372036854776"}) ==
        Error("invalid expire time in 'expireat' command"));
  CHECK(runner.Run({"EXPIRE", "k", "-9223372036854776"}) ==
        Error("invalid expire time in 'expire' command"));
  CHECK(runner.Run({"PEXPIRE", "k", Text(INT64_MAX - now + 1)}) ==
        Error("invalid expire time in 'pexpire' command"));
  CHECK(runner.Run({"EXISTS", "k"}) == Integer(1));
  CHECK(runner.Run({"PEXPIRE", "k", Text(INT64_MAX - now)}) == Integer(1));
  CHECK(runner.Run({"PEXPIRETIME", "k"}) == Integer(INT64_MAX));
  CHECK(runner.Run({"EXPIREAT", "k", "9223372036854775"}) == Integer(1));
  CHECK(runner.Run({"PEXPIRETIME", "k"}) == Integer(9223372036854775000));
  CHECK(runner.Run({"EXPIRETIME", "k"}) == Integer(9223372036854775));
  CHECK(runner.Run({"PEXPIREAT", "k", "9223372036854775807"}) == Integer(1));
  CHECK(runner.Run({"PEXPIREAT", "k", "9223372036854775808"}) ==
        Error("value is not an integer or out of range"));
  // The most negative values are accepted and delete the key.
  CHECK(runner.Run({"EXPIRE", "k", "-9223372036854775"}) == Integer(1));
  CHECK(runner.Run({"EXISTS", "k"}) == Integer(0));
  SetQuietly(runner, "k", "v");
  CHECK(runner.Run({"PEXPIRE", "k", "-9223372036854775808"}) == Integer(1));
  CHECK(runner.Run({"EXISTS", "k"}) == Integer(0));
}

TEST_CASE("TTL, PTTL, EXPIRETIME and PEXPIRETIME report -2, -1 and rounded seconds") {
  CommandRunner runner;
  int64_t now = runner.now_ms();
  for (const char* command : {"TTL", "PTTL", "EXPIRETIME", "PEXPIRETIME"}) {
    CAPTURE(command);
    CHECK(runner.Run({command, "missing"}) == Integer(-2));
    SetQuietly(runner, "k", "v");
    CHECK(runner.Run({command, "k"}) == Integer(-1));
    CHECK(runner.Run({command}) ==
          Error("wrong number of arguments for '" + ringdb::ToLower(command) + "' command"));
  }
  REQUIRE(runner.Run({"PEXPIRE", "k", "1499"}) == Integer(1));
  CHECK(runner.Run({"TTL", "k"}) == Integer(1));
  CHECK(runner.Run({"PTTL", "k"}) == Integer(1499));
  REQUIRE(runner.Run({"PEXPIRE", "k", "1500"}) == Integer(1));
  CHECK(runner.Run({"TTL", "k"}) == Integer(2));
  runner.AdvanceMs(1499);
  CHECK(runner.Run({"PTTL", "k"}) == Integer(1));
  CHECK(runner.Run({"TTL", "k"}) == Integer(0));
  int64_t seconds = now / 1000 + 1000;
  REQUIRE(runner.Run({"PEXPIREAT", "k", Text(seconds * 1000 + 499)}) == Integer(1));
  CHECK(runner.Run({"EXPIRETIME", "k"}) == Integer(seconds));
  REQUIRE(runner.Run({"PEXPIREAT", "k", Text(seconds * 1000 + 500)}) == Integer(1));
  CHECK(runner.Run({"EXPIRETIME", "k"}) == Integer(seconds + 1));
  CHECK(runner.Run({"PEXPIRETIME", "k"}) == Integer(seconds * 1000 + 500));
}

TEST_CASE("TTL reads do not refresh the access time but count keyspace hits") {
  CommandRunner runner;
  SetQuietly(runner, "k", "v");
  REQUIRE(runner.Run({"TOUCH", "k"}) == Integer(1));
  runner.AdvanceMs(3000);
  uint64_t hits = runner.counters().keyspace_hits;
  CHECK(runner.Run({"TTL", "k"}) == Integer(-1));
  CHECK(runner.Run({"PEXPIRETIME", "k"}) == Integer(-1));
  CHECK(runner.counters().keyspace_hits == hits + 2);
  CHECK(runner.Run({"OBJECT", "IDLETIME", "k"}) == Integer(3));
}

TEST_CASE("PERSIST removes a deadline and replies 0 when there is none") {
  CommandRunner runner;
  REQUIRE(runner.Run({"SET", "k", "v", "EX", "10"}) == kOk);
  runner.events.clear();
  CHECK(runner.Run({"PERSIST", "k"}) == Integer(1));
  CHECK(runner.events == Events{"0:modified:k", "0:persist:k"});
  CHECK(runner.Run({"TTL", "k"}) == Integer(-1));
  CHECK(runner.keyspace().database(0).volatile_size() == 0);
  runner.events.clear();
  CHECK(runner.Run({"PERSIST", "k"}) == Integer(0));
  CHECK(runner.Run({"PERSIST", "missing"}) == Integer(0));
  CHECK(runner.events.empty());
  runner.AdvanceMs(20000);
  CHECK(runner.Run({"GET", "k"}) == Bulk("v"));
  CHECK(runner.Run({"PERSIST"}) == Error("wrong number of arguments for 'persist' command"));
}

TEST_CASE("Changing a deadline keeps the value, the encoding and the table's counts") {
  CommandRunner runner;
  std::string key("bin\0key", 7);
  REQUIRE(runner.Run({"SET", key, "12"}) == kOk);
  for (int i = 0; i < 3; i++) {
    CHECK(runner.Run({"EXPIRE", key, "100"}) == Integer(1));
    CHECK(runner.Run({"PERSIST", key}) == Integer(1));
  }
  CHECK(runner.Run({"EXPIRE", key, "100"}) == Integer(1));
  CHECK(runner.Run({"GET", key}) == Bulk("12"));
  CHECK(runner.Run({"OBJECT", "ENCODING", key}) == Bulk("int"));
  CHECK(runner.keyspace().database(0).volatile_size() == 1);
  CHECK(runner.keyspace().database(0).table().CheckInvariants());
}
