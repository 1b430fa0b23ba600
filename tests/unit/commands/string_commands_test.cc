#include <doctest/doctest.h>

#include "ringdb/testing/command_runner.h"

using namespace ringdb::testing;

TEST_CASE("SET and GET round-trip a value and honour NX, XX and GET") {
  CommandRunner runner;
  CHECK(runner.Run({"GET", "k"}) == kNil);
  CHECK(runner.Run({"SET", "k", "v1"}) == kOk);
  CHECK(runner.Run({"GET", "k"}) == Bulk("v1"));
  CHECK(runner.Run({"SET", "k", "v2", "NX"}) == kNil);
  CHECK(runner.Run({"SET", "other", "v", "XX"}) == kNil);
  CHECK(runner.Run({"SET", "k", "v3", "XX", "GET"}) == Bulk("v1"));
  CHECK(runner.Run({"GET", "k"}) == Bulk("v3"));
  CHECK(runner.Run({"SET", "k", "v", "NX", "XX"}) == Error("syntax error"));
  CHECK(runner.Run({"SET", "k"}) == Error("wrong number of arguments for 'set' command"));
}

TEST_CASE("SET expiry options compute deadlines and reject bad times") {
  CommandRunner runner;
  CHECK(runner.Run({"SET", "k", "v", "PX", "100"}) == kOk);
  runner.AdvanceMs(99);
  CHECK(runner.Run({"GET", "k"}) == Bulk("v"));
  runner.AdvanceMs(1);
  CHECK(runner.Run({"GET", "k"}) == kNil);
  CHECK(runner.Run({"SET", "k", "v", "EX", "0"}) == Error("invalid expire time in 'set' command"));
  CHECK(runner.Run({"SET", "k", "v", "EX", "-5"}) == Error("invalid expire time in 'set' command"));
  CHECK(runner.Run({"SET", "k", "v", "EX", "x"}) ==
        Error("value is not an integer or out of range"));
  CHECK(runner.Run({"SET", "k", "v", "EX", "9223372036854775"}) ==
        Error("invalid expire time in 'set' command"));
  CHECK(runner.Run({"SET", "k", "v", "EX", "10", "PX", "10"}) == Error("syntax error"));
  CHECK(runner.Run({"SET", "k", "v", "EX"}) == Error("syntax error"));
  CHECK(runner.Run({"SET", "k", "v", "KEEPTTL", "EX", "1"}) == Error("syntax error"));
}

TEST_CASE("SET KEEPTTL keeps the old deadline and plain SET drops it") {
  CommandRunner runner;
  CHECK(runner.Run({"SET", "k", "v", "EX", "10"}) == kOk);
  CHECK(runner.Run({"SET", "k", "w", "KEEPTTL"}) == kOk);
  runner.AdvanceMs(10000);
  CHECK(runner.Run({"GET", "k"}) == kNil);
  CHECK(runner.Run({"SET", "k", "v", "EX", "10"}) == kOk);
  CHECK(runner.Run({"SET", "k", "w"}) == kOk);
  runner.AdvanceMs(20000);
  CHECK(runner.Run({"GET", "k"}) == Bulk("w"));
}
