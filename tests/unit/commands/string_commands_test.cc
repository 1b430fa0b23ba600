// GET, SET and the commands that store whole values: SETNX SETEX PSETEX GETSET GETDEL GETEX
// MGET MSET MSETNX.
#include <doctest/doctest.h>

#include "ringdb/testing/command_runner.h"
#include "string_test_util.h"

using namespace ringdb::testing;
using ringdb::store::Entry;

namespace {
constexpr char kSetExpireError[] = "-ERR invalid expire time in 'set' command\r\n";
}  // namespace

TEST_CASE("SET and GET round-trip a value and honour NX, XX and GET") {
  CommandRunner runner;
  CHECK(runner.Run({"GET", "k"}) == kNil);
  CHECK(runner.Run({"SET", "k", "v1"}) == kOk);
  CHECK(runner.Run({"GET", "k"}) == Bulk("v1"));
  CHECK(runner.Run({"SET", "k", "v2", "NX"}) == kNil);
  CHECK(runner.Run({"SET", "other", "v", "XX"}) == kNil);
  CHECK(runner.Run({"GET", "other"}) == kNil);
  CHECK(runner.Run({"SET", "k", "v3", "XX", "GET"}) == Bulk("v1"));
  CHECK(runner.Run({"GET", "k"}) == Bulk("v3"));
  CHECK(runner.Run({"SET", "k", "v", "NX", "XX"}) == kSyntaxError);
  CHECK(runner.Run({"SET", "k", "v", "XX", "NX"}) == kSyntaxError);
  CHECK(runner.Run({"SET", "k", "v", "FOO"}) == kSyntaxError);
  CHECK(runner.Run({"SET", "k", "v", "PERSIST"}) == kSyntaxError);
  CHECK(runner.Run({"SET", "k"}) == Error("wrong number of arguments for 'set' command"));
  CHECK(runner.Run({"GET"}) == Error("wrong number of arguments for 'get' command"));
  CHECK(runner.Run({"GET", "a", "b"}) == Error("wrong number of arguments for 'get' command"));
}

TEST_CASE("SET options are case-insensitive and may repeat") {
  CommandRunner runner;
  CHECK(runner.Run({"set", "k", "v", "nx", "Nx"}) == kOk);
  CHECK(runner.Run({"SET", "k", "w", "xX", "gEt", "GET"}) == Bulk("v"));
  CHECK(runner.Run({"SET", "k", "x", "px", "100", "PX", "200"}) == kOk);
  runner.AdvanceMs(150);
  CHECK(runner.Run({"GET", "k"}) == Bulk("x"));
}

TEST_CASE("SET NX GET returns the old value and leaves an existing key alone") {
  CommandRunner runner;
  CHECK(runner.Run({"SET", "k", "old"}) == kOk);
  CHECK(runner.Run({"SET", "k", "new", "NX", "GET"}) == Bulk("old"));
  CHECK(runner.Run({"GET", "k"}) == Bulk("old"));
  CHECK(runner.Run({"SET", "fresh", "v", "NX", "GET"}) == kNil);
  CHECK(runner.Run({"GET", "fresh"}) == Bulk("v"));
  CHECK(runner.Run({"SET", "missing", "v", "XX", "GET"}) == kNil);
  CHECK(runner.Run({"GET", "missing"}) == kNil);
}

TEST_CASE("SET overwrites a value of another type, but SET GET refuses it") {
  CommandRunner runner;
  PlantList(runner, "list");
  CHECK(runner.Run({"GET", "list"}) == kWrongType);
  CHECK(runner.Run({"SET", "list", "v", "GET"}) == kWrongType);
  CHECK(Stored(runner, "list")->type() == ringdb::store::ValueType::kList);
  CHECK(runner.Run({"SET", "list", "v"}) == kOk);
  CHECK(runner.Run({"GET", "list"}) == Bulk("v"));
}

TEST_CASE("SET expiry options compute deadlines and reject bad times") {
  CommandRunner runner;
  CHECK(runner.Run({"SET", "k", "v", "PX", "100"}) == kOk);
  runner.AdvanceMs(99);
  CHECK(runner.Run({"GET", "k"}) == Bulk("v"));
  runner.AdvanceMs(2);
  CHECK(runner.Run({"GET", "k"}) == kNil);
  CHECK(runner.Run({"SET", "k", "v", "EX", "0"}) == kSetExpireError);
  CHECK(runner.Run({"SET", "k", "v", "EX", "-5"}) == kSetExpireError);
  CHECK(runner.Run({"SET", "k", "v", "EX", "x"}) == kNotInteger);
  CHECK(runner.Run({"SET", "k", "v", "EX", "1.5"}) == kNotInteger);
  CHECK(runner.Run({"SET", "k", "v", "EX", "9223372036854775"}) == kSetExpireError);
  CHECK(runner.Run({"SET", "k", "v", "PX", "9223372036854775807"}) == kSetExpireError);
  CHECK(runner.Run({"SET", "k", "v", "PXAT", "9223372036854775807"}) == kOk);
  CHECK(runner.Run({"SET", "k", "v", "EX", "10", "PX", "10"}) == kSyntaxError);
  CHECK(runner.Run({"SET", "k", "v", "EX"}) == kSyntaxError);
  CHECK(runner.Run({"SET", "k", "v", "KEEPTTL", "EX", "1"}) == kSyntaxError);
  CHECK(runner.Run({"SET", "k", "v", "EXAT", "1", "KEEPTTL"}) == kSyntaxError);
  // A bad expire time is reported before the GET part replies anything.
  CHECK(runner.Run({"SET", "k", "v", "GET", "EX", "0"}) == kSetExpireError);
}

TEST_CASE("SET EXAT and PXAT take absolute deadlines") {
  CommandRunner runner;
  int64_t now_ms = runner.now_ms();
  CHECK(runner.Run({"SET", "k", "v", "PXAT", std::to_string(now_ms + 50)}) == kOk);
  CHECK(Stored(runner, "k")->expire_at_ms() == now_ms + 50);
  CHECK(runner.Run({"SET", "k", "v", "EXAT", std::to_string(now_ms / 1000 + 3)}) == kOk);
  CHECK(Stored(runner, "k")->expire_at_ms() == (now_ms / 1000 + 3) * 1000);
  CHECK(runner.Run({"SET", "k", "v", "EX", "7"}) == kOk);
  CHECK(Stored(runner, "k")->expire_at_ms() == now_ms + 7000);
  // A deadline in the past stores the key, which then expires on its next lookup.
  runner.events.clear();
  CHECK(runner.Run({"SET", "k", "v", "PXAT", "1"}) == kOk);
  CHECK(runner.Run({"GET", "k"}) == kNil);
  CHECK(runner.events == std::vector<std::string>{"0:modified:k", "0:set:k", "0:expire:k",
                                                  "0:expired:k", "0:keymiss:k"});
}

TEST_CASE("SET KEEPTTL keeps the old deadline and plain SET drops it") {
  CommandRunner runner;
  CHECK(runner.Run({"SET", "k", "v", "EX", "10"}) == kOk);
  CHECK(runner.Run({"SET", "k", "w", "KEEPTTL"}) == kOk);
  runner.AdvanceMs(10001);
  CHECK(runner.Run({"GET", "k"}) == kNil);
  CHECK(runner.Run({"SET", "k", "v", "EX", "10"}) == kOk);
  CHECK(runner.Run({"SET", "k", "w"}) == kOk);
  runner.AdvanceMs(20000);
  CHECK(runner.Run({"GET", "k"}) == Bulk("w"));
  CHECK(runner.Run({"SET", "nottl", "v", "KEEPTTL"}) == kOk);
  CHECK_FALSE(Stored(runner, "nottl")->has_expire());
}

TEST_CASE("SET sends new, set and expire events and counts one change") {
  CommandRunner runner;
  CHECK(runner.Run({"SET", "k", "v", "EX", "5"}) == kOk);
  CHECK(runner.Run({"SET", "k", "w"}) == kOk);
  CHECK(runner.Run({"SET", "k", "x", "NX"}) == kNil);
  CHECK(runner.events == std::vector<std::string>{"0:new:k", "0:modified:k", "0:set:k",
                                                  "0:expire:k", "0:modified:k", "0:set:k"});
  CHECK(runner.counters().dirty == 2);
}

TEST_CASE("values are binary safe") {
  CommandRunner runner;
  std::string value("a\0b\r\nc", 6);
  CHECK(runner.Run({"SET", std::string("k\0\r\n", 4), value}) == kOk);
  CHECK(runner.Run({"GET", std::string("k\0\r\n", 4)}) == Bulk(value));
  CHECK(runner.Run({"GET", "k"}) == kNil);
  CHECK(runner.Run({"STRLEN", std::string("k\0\r\n", 4)}) == Integer(6));
  CHECK(runner.Run({"SET", "empty", ""}) == kOk);
  CHECK(runner.Run({"GET", "empty"}) == kEmptyBulk);
}

TEST_CASE("stored strings get Redis's encodings") {
  CommandRunner runner;
  auto encoding_after_set = [&](const std::string& value) {
    REQUIRE(runner.Run({"SET", "k", value}) == kOk);
    return EncodingOf(runner, "k");
  };
  CHECK(encoding_after_set("123") == "int");
  CHECK(encoding_after_set("-9223372036854775808") == "int");
  CHECK(encoding_after_set("9223372036854775807") == "int");
  CHECK(encoding_after_set("9223372036854775808") == "embstr");
  CHECK(encoding_after_set("0") == "int");
  CHECK(encoding_after_set("-0") == "embstr");
  CHECK(encoding_after_set("0123") == "embstr");
  CHECK(encoding_after_set("+1") == "embstr");
  CHECK(encoding_after_set(" 1") == "embstr");
  CHECK(encoding_after_set("") == "embstr");
  CHECK(encoding_after_set(std::string(44, 'x')) == "embstr");
  CHECK(encoding_after_set(std::string(45, 'x')) == "raw");
  CHECK(runner.Run({"SETNX", "nx", "77"}) == Integer(1));
  CHECK(EncodingOf(runner, "nx") == "int");
  CHECK(runner.Run({"SETEX", "ex", "100", "77"}) == kOk);
  CHECK(EncodingOf(runner, "ex") == "int");
  CHECK(runner.Run({"PSETEX", "px", "100", "x"}) == kOk);
  CHECK(EncodingOf(runner, "px") == "embstr");
  CHECK(runner.Run({"GETSET", "gs", "77"}) == kNil);
  CHECK(EncodingOf(runner, "gs") == "int");
  // Redis 7.0.15 and 7.2 both run MSET's values through tryObjectEncoding.
  CHECK(runner.Run({"MSET", "m1", "123", "m2", "abc", "m3", std::string(45, 'y')}) == kOk);
  CHECK(EncodingOf(runner, "m1") == "int");
  CHECK(EncodingOf(runner, "m2") == "embstr");
  CHECK(EncodingOf(runner, "m3") == "raw");
  CHECK(runner.Run({"MSETNX", "n1", "5"}) == Integer(1));
  CHECK(EncodingOf(runner, "n1") == "int");
}

TEST_CASE("GET counts keyspace hits and misses") {
  CommandRunner runner;
  CHECK(runner.Run({"SET", "k", "v"}) == kOk);
  CHECK(runner.Run({"GET", "k"}) == Bulk("v"));
  CHECK(runner.Run({"GET", "nope"}) == kNil);
  CHECK(runner.Run({"MGET", "k", "nope", "k"}) == Array({Bulk("v"), kNil, Bulk("v")}));
  CHECK(runner.counters().keyspace_hits == 3);
  CHECK(runner.counters().keyspace_misses == 2);
}

TEST_CASE("RESP3 clients get the null type for missing values") {
  CommandRunner runner;
  runner.set_protocol(3);
  CHECK(runner.Run({"GET", "k"}) == "_\r\n");
  CHECK(runner.Run({"SET", "k", "v", "XX"}) == "_\r\n");
  CHECK(runner.Run({"SET", "k", "v", "GET"}) == "_\r\n");
  CHECK(runner.Run({"GETDEL", "nope"}) == "_\r\n");
  CHECK(runner.Run({"GETEX", "nope"}) == "_\r\n");
  CHECK(runner.Run({"GETSET", "gs", "v"}) == "_\r\n");
  CHECK(runner.Run({"MGET", "k", "nope"}) == Array({Bulk("v"), "_\r\n"}));
  // GETRANGE replies an empty string, not null, for a missing key.
  CHECK(runner.Run({"GETRANGE", "nope", "0", "-1"}) == kEmptyBulk);
}

TEST_CASE("SETNX sets only a missing key and replies 1 or 0") {
  CommandRunner runner;
  CHECK(runner.Run({"SETNX", "k", "a"}) == Integer(1));
  CHECK(runner.Run({"SETNX", "k", "b"}) == Integer(0));
  CHECK(runner.Run({"GET", "k"}) == Bulk("a"));
  PlantList(runner, "list");
  CHECK(runner.Run({"SETNX", "list", "b"}) == Integer(0));
  CHECK(runner.Run({"SETNX", "k"}) == Error("wrong number of arguments for 'setnx' command"));
  CHECK(runner.events == std::vector<std::string>{"0:new:k", "0:modified:k", "0:set:k"});
}

TEST_CASE("SETNX on an expired key sets it again") {
  CommandRunner runner;
  CHECK(runner.Run({"SET", "k", "a", "PX", "10"}) == kOk);
  runner.AdvanceMs(11);
  CHECK(runner.Run({"SETNX", "k", "b"}) == Integer(1));
  CHECK(runner.Run({"GET", "k"}) == Bulk("b"));
  CHECK_FALSE(Stored(runner, "k")->has_expire());
}

TEST_CASE("SETEX and PSETEX store a value with a relative deadline") {
  CommandRunner runner;
  CHECK(runner.Run({"SETEX", "k", "2", "v"}) == kOk);
  CHECK(Stored(runner, "k")->expire_at_ms() == runner.now_ms() + 2000);
  CHECK(runner.Run({"PSETEX", "p", "1500", "w"}) == kOk);
  CHECK(Stored(runner, "p")->expire_at_ms() == runner.now_ms() + 1500);
  runner.AdvanceMs(1501);
  CHECK(runner.Run({"GET", "p"}) == kNil);
  CHECK(runner.Run({"GET", "k"}) == Bulk("v"));
  runner.AdvanceMs(501);
  CHECK(runner.Run({"GET", "k"}) == kNil);
  CHECK(runner.events == std::vector<std::string>{"0:new:k", "0:modified:k", "0:set:k",
                                                  "0:expire:k", "0:new:p", "0:modified:p",
                                                  "0:set:p", "0:expire:p", "0:expired:p",
                                                  "0:keymiss:p", "0:expired:k", "0:keymiss:k"});
}

TEST_CASE("SETEX and PSETEX reject bad times naming the command") {
  CommandRunner runner;
  CHECK(runner.Run({"SETEX", "k", "0", "v"}) == Error("invalid expire time in 'setex' command"));
  CHECK(runner.Run({"SETEX", "k", "9223372036854776", "v"}) ==
        Error("invalid expire time in 'setex' command"));
  CHECK(runner.Run({"PSETEX", "k", "-1", "v"}) == Error("invalid expire time in 'psetex' command"));
  CHECK(runner.Run({"PSETEX", "k", "9223372036854775807", "v"}) ==
        Error("invalid expire time in 'psetex' command"));
  CHECK(runner.Run({"SETEX", "k", "abc", "v"}) == kNotInteger);
  CHECK(runner.Run({"SETEX", "k", "10"}) == Error("wrong number of arguments for 'setex' command"));
  CHECK(runner.Run({"PSETEX", "k", "10", "v", "x"}) ==
        Error("wrong number of arguments for 'psetex' command"));
  CHECK(runner.Run({"GET", "k"}) == kNil);
  CHECK(runner.events == std::vector<std::string>{"0:keymiss:k"});
}

TEST_CASE("GETSET replies the old value, stores the new one and drops the TTL") {
  CommandRunner runner;
  CHECK(runner.Run({"GETSET", "k", "a"}) == kNil);
  CHECK(runner.Run({"SET", "k", "b", "EX", "100"}) == kOk);
  runner.events.clear();
  CHECK(runner.Run({"GETSET", "k", "c"}) == Bulk("b"));
  CHECK(runner.Run({"GET", "k"}) == Bulk("c"));
  CHECK_FALSE(Stored(runner, "k")->has_expire());
  CHECK(runner.events == std::vector<std::string>{"0:modified:k", "0:set:k"});
  PlantList(runner, "list");
  CHECK(runner.Run({"GETSET", "list", "x"}) == kWrongType);
  CHECK(Stored(runner, "list")->type() == ringdb::store::ValueType::kList);
}

TEST_CASE("GETDEL replies the value and deletes the key") {
  CommandRunner runner;
  CHECK(runner.Run({"SET", "k", "v"}) == kOk);
  runner.events.clear();
  CHECK(runner.Run({"GETDEL", "k"}) == Bulk("v"));
  CHECK(runner.Run({"GETDEL", "k"}) == kNil);
  CHECK(Stored(runner, "k") == nullptr);
  CHECK(runner.events == std::vector<std::string>{"0:modified:k", "0:del:k", "0:keymiss:k"});
  PlantList(runner, "list");
  CHECK(runner.Run({"GETDEL", "list"}) == kWrongType);
  CHECK(Stored(runner, "list") != nullptr);
  CHECK(runner.Run({"GETDEL", "a", "b"}) ==
        Error("wrong number of arguments for 'getdel' command"));
}

TEST_CASE("GETEX without options is a GET that counts hits") {
  CommandRunner runner;
  CHECK(runner.Run({"SET", "k", "v", "EX", "10"}) == kOk);
  runner.events.clear();
  CHECK(runner.Run({"GETEX", "k"}) == Bulk("v"));
  CHECK(Stored(runner, "k")->expire_at_ms() == runner.now_ms() + 10000);
  CHECK(runner.Run({"GETEX", "nope"}) == kNil);
  CHECK(runner.counters().keyspace_hits == 1);
  CHECK(runner.counters().keyspace_misses == 1);
  CHECK(runner.events == std::vector<std::string>{"0:keymiss:nope"});
  CHECK(runner.Run({"GETEX"}) == Error("wrong number of arguments for 'getex' command"));
}

TEST_CASE("GETEX EX, PX, EXAT and PXAT set the deadline") {
  CommandRunner runner;
  int64_t now_ms = runner.now_ms();
  CHECK(runner.Run({"SET", "k", "v"}) == kOk);
  runner.events.clear();
  CHECK(runner.Run({"GETEX", "k", "EX", "10"}) == Bulk("v"));
  CHECK(Stored(runner, "k")->expire_at_ms() == now_ms + 10000);
  CHECK(runner.Run({"GETEX", "k", "px", "20"}) == Bulk("v"));
  CHECK(Stored(runner, "k")->expire_at_ms() == now_ms + 20);
  CHECK(runner.Run({"GETEX", "k", "EXAT", std::to_string(now_ms / 1000 + 100)}) == Bulk("v"));
  CHECK(Stored(runner, "k")->expire_at_ms() == (now_ms / 1000 + 100) * 1000);
  CHECK(runner.Run({"GETEX", "k", "PXAT", std::to_string(now_ms + 5)}) == Bulk("v"));
  CHECK(Stored(runner, "k")->expire_at_ms() == now_ms + 5);
  CHECK(runner.events.size() == 8);
  CHECK(runner.events[6] == "0:modified:k");
  CHECK(runner.events[7] == "0:expire:k");
  CHECK(runner.counters().dirty == 5);
  runner.AdvanceMs(6);
  CHECK(runner.Run({"GETEX", "k"}) == kNil);
}

TEST_CASE("GETEX PERSIST removes a deadline and is silent without one") {
  CommandRunner runner;
  CHECK(runner.Run({"SET", "k", "v", "EX", "10"}) == kOk);
  runner.events.clear();
  CHECK(runner.Run({"GETEX", "k", "PERSIST"}) == Bulk("v"));
  CHECK_FALSE(Stored(runner, "k")->has_expire());
  CHECK(runner.events == std::vector<std::string>{"0:modified:k", "0:persist:k"});
  runner.events.clear();
  CHECK(runner.Run({"GETEX", "k", "PERSIST", "persist"}) == Bulk("v"));
  CHECK(runner.events.empty());
  runner.AdvanceMs(20000);
  CHECK(runner.Run({"GET", "k"}) == Bulk("v"));
}

TEST_CASE("GETEX with a past EXAT or PXAT replies the value and deletes the key") {
  CommandRunner runner;
  CHECK(runner.Run({"SET", "k", "v"}) == kOk);
  runner.events.clear();
  CHECK(runner.Run({"GETEX", "k", "EXAT", "1"}) == Bulk("v"));
  CHECK(Stored(runner, "k") == nullptr);
  CHECK(runner.events == std::vector<std::string>{"0:modified:k", "0:del:k"});
  CHECK(runner.Run({"SET", "k", "v"}) == kOk);
  CHECK(runner.Run({"GETEX", "k", "PXAT", std::to_string(runner.now_ms())}) == Bulk("v"));
  CHECK(Stored(runner, "k") == nullptr);
}

TEST_CASE("GETEX checks options first, then the key, then the expire value") {
  CommandRunner runner;
  const std::string bad_time = Error("invalid expire time in 'getex' command");
  CHECK(runner.Run({"GETEX", "nope", "EX", "1", "PERSIST"}) == kSyntaxError);
  CHECK(runner.Run({"GETEX", "nope", "KEEPTTL"}) == kSyntaxError);
  CHECK(runner.Run({"GETEX", "nope", "NX"}) == kSyntaxError);
  CHECK(runner.Run({"GETEX", "nope", "GET"}) == kSyntaxError);
  CHECK(runner.Run({"GETEX", "nope", "EX"}) == kSyntaxError);
  CHECK(runner.Run({"GETEX", "nope", "PERSIST", "EX", "1"}) == kSyntaxError);
  // A missing key replies null before the expire value is looked at.
  CHECK(runner.Run({"GETEX", "nope", "EX", "-1"}) == kNil);
  CHECK(runner.Run({"GETEX", "nope", "EX", "abc"}) == kNil);
  PlantList(runner, "list");
  CHECK(runner.Run({"GETEX", "list", "EX", "-1"}) == kWrongType);
  CHECK(runner.Run({"SET", "k", "v"}) == kOk);
  CHECK(runner.Run({"GETEX", "k", "EX", "-1"}) == bad_time);
  CHECK(runner.Run({"GETEX", "k", "EX", "0"}) == bad_time);
  CHECK(runner.Run({"GETEX", "k", "EX", "abc"}) == kNotInteger);
  CHECK(runner.Run({"GETEX", "k", "PX", "9223372036854775807"}) == bad_time);
  CHECK(runner.Run({"GETEX", "k", "EXAT", "9223372036854776"}) == bad_time);
  CHECK(runner.Run({"GETEX", "k", "EXAT", "9223372036854775"}) == Bulk("v"));
  CHECK(Stored(runner, "k")->expire_at_ms() == 9223372036854775000);
}

TEST_CASE("MGET replies a value or null for each key, null for other types") {
  CommandRunner runner;
  CHECK(runner.Run({"SET", "a", "1"}) == kOk);
  CHECK(runner.Run({"SET", "b", std::string("x\0y", 3)}) == kOk);
  PlantList(runner, "list");
  CHECK(runner.Run({"MGET", "a", "list", "nope", "b", "a"}) ==
        Array({Bulk("1"), kNil, kNil, Bulk(std::string("x\0y", 3)), Bulk("1")}));
  CHECK(runner.Run({"MGET"}) == Error("wrong number of arguments for 'mget' command"));
}

TEST_CASE("MSET stores every pair, later pairs win, and each drops its TTL") {
  CommandRunner runner;
  CHECK(runner.Run({"SET", "a", "old", "EX", "10"}) == kOk);
  PlantList(runner, "list");
  runner.events.clear();
  CHECK(runner.Run({"MSET", "a", "1", "b", "2", "a", "3", "list", "4"}) == kOk);
  CHECK(runner.Run({"MGET", "a", "b", "list"}) == Array({Bulk("3"), Bulk("2"), Bulk("4")}));
  CHECK_FALSE(Stored(runner, "a")->has_expire());
  CHECK(runner.events == std::vector<std::string>{"0:modified:a", "0:set:a", "0:new:b",
                                                  "0:modified:b", "0:set:b", "0:modified:a",
                                                  "0:set:a", "0:modified:list", "0:set:list"});
  CHECK(runner.counters().dirty == 5);
}

TEST_CASE("MSET and MSETNX need key-value pairs") {
  CommandRunner runner;
  CHECK(runner.Run({"MSET", "a"}) == Error("wrong number of arguments for 'mset' command"));
  CHECK(runner.Run({"MSET", "a", "1", "b"}) ==
        Error("wrong number of arguments for 'mset' command"));
  CHECK(runner.Run({"MSETNX", "a", "1", "b"}) ==
        Error("wrong number of arguments for 'msetnx' command"));
  CHECK(runner.Run({"GET", "a"}) == kNil);
  CHECK(runner.events == std::vector<std::string>{"0:keymiss:a"});
}

TEST_CASE("MSETNX sets all keys only when none exists") {
  CommandRunner runner;
  CHECK(runner.Run({"MSETNX", "a", "1", "b", "2"}) == Integer(1));
  runner.events.clear();
  CHECK(runner.Run({"MSETNX", "c", "3", "b", "4"}) == Integer(0));
  CHECK(runner.Run({"MGET", "a", "b", "c"}) == Array({Bulk("1"), Bulk("2"), kNil}));
  CHECK(runner.events == std::vector<std::string>{"0:keymiss:c"});  // MSETNX sent nothing.
  runner.events.clear();
  PlantList(runner, "list");
  CHECK(runner.Run({"MSETNX", "c", "3", "list", "4"}) == Integer(0));
  // The same key twice: both pairs are stored in order.
  CHECK(runner.Run({"MSETNX", "d", "1", "d", "2"}) == Integer(1));
  CHECK(runner.Run({"GET", "d"}) == Bulk("2"));
  CHECK(runner.events ==
        std::vector<std::string>{"0:new:d", "0:modified:d", "0:set:d", "0:modified:d", "0:set:d"});
}

TEST_CASE("MSETNX treats an expired key as absent") {
  CommandRunner runner;
  CHECK(runner.Run({"SET", "a", "old", "PX", "5"}) == kOk);
  runner.AdvanceMs(6);
  CHECK(runner.Run({"MSETNX", "a", "new"}) == Integer(1));
  CHECK(runner.Run({"GET", "a"}) == Bulk("new"));
}

TEST_CASE("string commands work on the client's selected database") {
  CommandRunner runner;
  runner.session().db_index = 3;
  CHECK(runner.Run({"SET", "k", "v"}) == kOk);
  CHECK(runner.Run({"INCR", "n"}) == Integer(1));
  CHECK(runner.keyspace().database(3).size() == 2);
  CHECK(runner.keyspace().database(0).size() == 0);
  CHECK(runner.events.front() == "3:new:k");
  runner.session().db_index = 0;
  CHECK(runner.Run({"GET", "k"}) == kNil);
}

TEST_CASE("a new key's entry is stamped with the LRU clock") {
  CommandRunner runner;
  CHECK(runner.Run({"SET", "k", "v"}) == kOk);
  CHECK(Stored(runner, "k")->lru() == static_cast<uint32_t>((runner.now_ms() / 1000) & 0xffffff));
}
