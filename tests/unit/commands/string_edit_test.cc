// The string commands that read or rewrite part of a value: APPEND STRLEN GETRANGE SUBSTR
// SETRANGE, the counters INCR DECR INCRBY DECRBY INCRBYFLOAT, and LCS; plus how they edit
// entries in place and leave entries a snapshot shares untouched.
#include <doctest/doctest.h>

#include <string>

#include "ringdb/testing/command_runner.h"
#include "string_test_util.h"

using namespace ringdb::testing;
using ringdb::store::Entry;

namespace {
constexpr char kTooLong[] = "-ERR string exceeds maximum allowed size (proto-max-bulk-len)\r\n";
constexpr char kNotFloat[] = "-ERR value is not a valid float\r\n";
constexpr char kOverflow[] = "-ERR increment or decrement would overflow\r\n";
}  // namespace

// ---------------------------------------------------------------------------------------
// APPEND

TEST_CASE("APPEND creates a key and extends it, replying the new length") {
  CommandRunner runner;
  CHECK(runner.Run({"APPEND", "k", "hello"}) == Integer(5));
  CHECK(runner.Run({"APPEND", "k", std::string(" \0\r\n", 4)}) == Integer(9));
  CHECK(runner.Run({"GET", "k"}) == Bulk(std::string("hello \0\r\n", 9)));
  CHECK(runner.Run({"APPEND", "k", ""}) == Integer(9));
  CHECK(runner.Run({"APPEND", "e", ""}) == Integer(0));
  CHECK(runner.Run({"GET", "e"}) == kEmptyBulk);
  CHECK(runner.events == std::vector<std::string>{"0:new:k", "0:modified:k", "0:append:k",
                                                  "0:modified:k", "0:append:k", "0:modified:k",
                                                  "0:append:k", "0:new:e", "0:modified:e",
                                                  "0:append:e"});
  CHECK(runner.counters().dirty == 4);
}

TEST_CASE("APPEND encodes a new key like SET and an extended one as raw") {
  CommandRunner runner;
  CHECK(runner.Run({"APPEND", "k", "123"}) == Integer(3));
  CHECK(EncodingOf(runner, "k") == "int");
  CHECK(runner.Run({"APPEND", "k", "4"}) == Integer(4));
  CHECK(EncodingOf(runner, "k") == "raw");
  CHECK(runner.Run({"SET", "s", "abc"}) == kOk);
  CHECK(runner.Run({"APPEND", "s", ""}) == Integer(3));
  CHECK(EncodingOf(runner, "s") == "raw");
  CHECK(runner.Run({"APPEND", "w", "word"}) == Integer(4));
  CHECK(EncodingOf(runner, "w") == "embstr");
}

TEST_CASE("APPEND keeps the key's TTL") {
  CommandRunner runner;
  CHECK(runner.Run({"SET", "k", "a", "EX", "10"}) == kOk);
  CHECK(runner.Run({"APPEND", "k", std::string(100, 'b')}) == Integer(101));
  CHECK(Stored(runner, "k")->expire_at_ms() == runner.now_ms() + 10000);
  runner.AdvanceMs(10001);
  CHECK(runner.Run({"APPEND", "k", "c"}) == Integer(1));
  CHECK_FALSE(Stored(runner, "k")->has_expire());
}

TEST_CASE("repeated APPEND grows the entry in place with spare room") {
  CommandRunner runner;
  CHECK(runner.Run({"SET", "k", "start"}) == kOk);
  CHECK(runner.Run({"APPEND", "k", "x"}) == Integer(6));
  Entry* grown = Stored(runner, "k");
  CHECK(grown->value_capacity() >= 12);
  std::string expected = "startx";
  int moves = 0;
  for (int i = 0; i < 2000; i++) {
    Entry* before = Stored(runner, "k");
    REQUIRE(runner.Run({"APPEND", "k", "0123456789"}) == Integer(expected.size() + 10));
    expected += "0123456789";
    if (Stored(runner, "k") != before) moves++;
  }
  CHECK(runner.Run({"GET", "k"}) == Bulk(expected));
  // Doubling from 12 bytes to 20 KB takes about 11 moves.
  CHECK(moves <= 12);
}

TEST_CASE("APPEND refuses to pass proto-max-bulk-len and to touch other types") {
  CommandRunner runner;
  runner.limits().proto_max_bulk_len = 10;
  CHECK(runner.Run({"APPEND", "k", "12345"}) == Integer(5));
  CHECK(runner.Run({"APPEND", "k", "67890"}) == Integer(10));
  CHECK(runner.Run({"APPEND", "k", "x"}) == kTooLong);
  CHECK(runner.Run({"GET", "k"}) == Bulk("1234567890"));
  PlantList(runner, "list");
  CHECK(runner.Run({"APPEND", "list", "x"}) == kWrongType);
  CHECK(runner.Run({"APPEND", "k"}) == Error("wrong number of arguments for 'append' command"));
}

// ---------------------------------------------------------------------------------------
// STRLEN GETRANGE SUBSTR

TEST_CASE("STRLEN replies the byte length, 0 for a missing key") {
  CommandRunner runner;
  CHECK(runner.Run({"STRLEN", "k"}) == Integer(0));
  CHECK(runner.Run({"SET", "k", "-123"}) == kOk);
  CHECK(runner.Run({"STRLEN", "k"}) == Integer(4));
  CHECK(runner.Run({"SET", "k", std::string(1000, 'z')}) == kOk);
  CHECK(runner.Run({"STRLEN", "k"}) == Integer(1000));
  PlantList(runner, "list");
  CHECK(runner.Run({"STRLEN", "list"}) == kWrongType);
  // A key of another type still counts as a hit, as in Redis.
  CHECK(runner.counters().keyspace_misses == 1);
  CHECK(runner.counters().keyspace_hits == 3);
}

TEST_CASE("GETRANGE clamps offsets the way Redis does") {
  CommandRunner runner;
  CHECK(runner.Run({"SET", "k", "hello"}) == kOk);
  auto range = [&](const char* start, const char* end) {
    return runner.Run({"GETRANGE", "k", start, end});
  };
  CHECK(range("0", "-1") == Bulk("hello"));
  CHECK(range("1", "3") == Bulk("ell"));
  CHECK(range("-3", "-1") == Bulk("llo"));
  CHECK(range("0", "100") == Bulk("hello"));
  CHECK(range("3", "1") == kEmptyBulk);
  CHECK(range("5", "10") == kEmptyBulk);
  CHECK(range("-1", "-5") == kEmptyBulk);
  // Both negative with start after end: empty, although clamping would give "h".
  CHECK(range("-10", "-20") == kEmptyBulk);
  // Clamping an end far before the start still yields the first byte.
  CHECK(range("0", "-100") == Bulk("h"));
  CHECK(range("-100", "-99") == Bulk("h"));
  CHECK(range("9223372036854775807", "9223372036854775807") == kEmptyBulk);
  CHECK(range("-9223372036854775808", "-9223372036854775808") == Bulk("h"));
  CHECK(range("-9223372036854775808", "9223372036854775807") == Bulk("hello"));
  CHECK(range("0", "9223372036854775808") == kNotInteger);
  CHECK(range("x", "1") == kNotInteger);
}

TEST_CASE("GETRANGE on an empty, missing or numeric value") {
  CommandRunner runner;
  CHECK(runner.Run({"GETRANGE", "nope", "0", "-1"}) == kEmptyBulk);
  CHECK(runner.Run({"SET", "e", ""}) == kOk);
  CHECK(runner.Run({"GETRANGE", "e", "0", "-1"}) == kEmptyBulk);
  CHECK(runner.Run({"GETRANGE", "e", "-1", "-1"}) == kEmptyBulk);
  CHECK(runner.Run({"SET", "n", "-12345"}) == kOk);
  CHECK(runner.Run({"GETRANGE", "n", "0", "2"}) == Bulk("-12"));
  CHECK(runner.Run({"SET", "b", std::string("a\0\r\nb", 5)}) == kOk);
  CHECK(runner.Run({"GETRANGE", "b", "1", "3"}) == Bulk(std::string("\0\r\n", 3)));
}

TEST_CASE("GETRANGE parses its offsets before looking at the key") {
  CommandRunner runner;
  PlantList(runner, "list");
  CHECK(runner.Run({"GETRANGE", "list", "a", "1"}) == kNotInteger);
  CHECK(runner.Run({"GETRANGE", "list", "0", "1"}) == kWrongType);
  CHECK(runner.Run({"GETRANGE", "list", "0"}) ==
        Error("wrong number of arguments for 'getrange' command"));
  CHECK(runner.counters().keyspace_hits == 1);
}

TEST_CASE("SUBSTR is GETRANGE under its old name") {
  CommandRunner runner;
  CHECK(runner.Run({"SET", "k", "Hello World"}) == kOk);
  CHECK(runner.Run({"SUBSTR", "k", "-5", "-1"}) == Bulk("World"));
  CHECK(runner.Run({"SUBSTR", "nope", "0", "1"}) == kEmptyBulk);
  CHECK(runner.Run({"SUBSTR", "k", "0"}) ==
        Error("wrong number of arguments for 'substr' command"));
}

// ---------------------------------------------------------------------------------------
// SETRANGE

TEST_CASE("SETRANGE overwrites bytes and pads with zero bytes") {
  CommandRunner runner;
  CHECK(runner.Run({"SET", "k", "Hello World"}) == kOk);
  CHECK(runner.Run({"SETRANGE", "k", "6", "Redis"}) == Integer(11));
  CHECK(runner.Run({"GET", "k"}) == Bulk("Hello Redis"));
  CHECK(runner.Run({"SETRANGE", "k", "13", "!"}) == Integer(14));
  CHECK(runner.Run({"GET", "k"}) == Bulk(std::string("Hello Redis\0\0!", 14)));
  CHECK(runner.Run({"SETRANGE", "k", "0", "J"}) == Integer(14));
  CHECK(runner.Run({"GETRANGE", "k", "0", "4"}) == Bulk("Jello"));
  CHECK(runner.Run({"SETRANGE", "new", "3", "ab"}) == Integer(5));
  CHECK(runner.Run({"GET", "new"}) == Bulk(std::string("\0\0\0ab", 5)));
  CHECK(EncodingOf(runner, "new") == "raw");
  CHECK(runner.Run({"SETRANGE", "zero", "0", "123"}) == Integer(3));
  CHECK(EncodingOf(runner, "zero") == "raw");
}

TEST_CASE("SETRANGE with an empty value changes nothing") {
  CommandRunner runner;
  CHECK(runner.Run({"SETRANGE", "nope", "5", ""}) == Integer(0));
  CHECK(Stored(runner, "nope") == nullptr);
  CHECK(runner.Run({"SET", "k", "123"}) == kOk);
  runner.events.clear();
  CHECK(runner.Run({"SETRANGE", "k", "100", ""}) == Integer(3));
  CHECK(EncodingOf(runner, "k") == "int");
  CHECK(runner.events.empty());
  CHECK(runner.counters().dirty == 1);
}

TEST_CASE("SETRANGE sends setrange events and keeps the TTL") {
  CommandRunner runner;
  CHECK(runner.Run({"SET", "k", "123", "EX", "5"}) == kOk);
  runner.events.clear();
  CHECK(runner.Run({"SETRANGE", "k", "1", "x"}) == Integer(3));
  CHECK(runner.Run({"GET", "k"}) == Bulk("1x3"));
  CHECK(EncodingOf(runner, "k") == "raw");
  CHECK(Stored(runner, "k")->expire_at_ms() == runner.now_ms() + 5000);
  CHECK(runner.Run({"SETRANGE", "n", "2", "y"}) == Integer(3));
  CHECK(runner.events == std::vector<std::string>{"0:modified:k", "0:setrange:k", "0:new:n",
                                                  "0:modified:n", "0:setrange:n"});
}

TEST_CASE("SETRANGE checks its offset, the size limit and the type in Redis's order") {
  CommandRunner runner;
  runner.limits().proto_max_bulk_len = 100;
  PlantList(runner, "list");
  CHECK(runner.Run({"SETRANGE", "k", "x", "v"}) == kNotInteger);
  CHECK(runner.Run({"SETRANGE", "list", "-1", "v"}) == Error("offset is out of range"));
  CHECK(runner.Run({"SETRANGE", "list", "0", ""}) == kWrongType);
  CHECK(runner.Run({"SETRANGE", "list", "0", "v"}) == kWrongType);
  CHECK(runner.Run({"SETRANGE", "k", "99", "v"}) == Integer(100));
  CHECK(runner.Run({"SETRANGE", "k", "100", "v"}) == kTooLong);
  CHECK(runner.Run({"SETRANGE", "other", "98", "abc"}) == kTooLong);
  CHECK(runner.Run({"SETRANGE", "other", "9223372036854775807", "abc"}) == kTooLong);
  CHECK(runner.Run({"SETRANGE", "k", "9223372036854775807", "v"}) == kTooLong);
  CHECK(Stored(runner, "other") == nullptr);
  CHECK(runner.Run({"SETRANGE", "k", "1"}) ==
        Error("wrong number of arguments for 'setrange' command"));
}

// ---------------------------------------------------------------------------------------
// INCR DECR INCRBY DECRBY

TEST_CASE("INCR and DECR count from zero and store int-encoded text") {
  CommandRunner runner;
  CHECK(runner.Run({"INCR", "n"}) == Integer(1));
  CHECK(runner.Run({"INCR", "n"}) == Integer(2));
  CHECK(runner.Run({"DECR", "n"}) == Integer(1));
  CHECK(runner.Run({"DECR", "m"}) == Integer(-1));
  CHECK(runner.Run({"INCRBY", "n", "100"}) == Integer(101));
  CHECK(runner.Run({"DECRBY", "n", "201"}) == Integer(-100));
  CHECK(runner.Run({"GET", "n"}) == Bulk("-100"));
  CHECK(EncodingOf(runner, "n") == "int");
  CHECK(runner.events == std::vector<std::string>{
                             "0:new:n", "0:modified:n", "0:incrby:n", "0:modified:n", "0:incrby:n",
                             "0:modified:n", "0:incrby:n", "0:new:m", "0:modified:m", "0:incrby:m",
                             "0:modified:n", "0:incrby:n", "0:modified:n", "0:incrby:n"});
}

TEST_CASE("INCR turns a raw or embstr number into an int and keeps the TTL") {
  CommandRunner runner;
  CHECK(runner.Run({"APPEND", "k", "12"}) == Integer(2));
  CHECK(runner.Run({"APPEND", "k", "3"}) == Integer(3));
  REQUIRE(EncodingOf(runner, "k") == "raw");
  CHECK(runner.Run({"INCR", "k"}) == Integer(124));
  CHECK(EncodingOf(runner, "k") == "int");
  CHECK(runner.Run({"SET", "t", "9", "PX", "500"}) == kOk);
  CHECK(runner.Run({"INCRBY", "t", "1000000000000"}) == Integer(1000000000009));
  CHECK(Stored(runner, "t")->expire_at_ms() == runner.now_ms() + 500);
  runner.AdvanceMs(501);
  CHECK(runner.Run({"INCR", "t"}) == Integer(1));
  CHECK_FALSE(Stored(runner, "t")->has_expire());
}

TEST_CASE("INCR rewrites an unshared counter in place") {
  CommandRunner runner;
  CHECK(runner.Run({"INCRBY", "n", "-9223372036854775807"}) == Integer(-9223372036854775807));
  Entry* entry = Stored(runner, "n");
  for (int i = 0; i < 100; i++) runner.Run({"INCRBY", "n", "92233720368547758"});
  CHECK(runner.Run({"GET", "n"}) == Bulk("-7"));
  CHECK(Stored(runner, "n") == entry);
  CHECK(runner.Run({"SET", "small", "1"}) == kOk);
  CHECK(runner.Run({"INCRBY", "small", "9223372036854775000"}) == Integer(9223372036854775001));
  Entry* grown = Stored(runner, "small");
  CHECK(runner.Run({"DECRBY", "small", "9223372036854775807"}) == Integer(-806));
  CHECK(Stored(runner, "small") == grown);
}

TEST_CASE("INCR refuses values that are not canonical integers") {
  CommandRunner runner;
  for (const char* value : {"", " 1", "1 ", "+1", "01", "-0", "1.0", "abc", "9223372036854775808",
                            "-9223372036854775809", "123456789012345678901"}) {
    CAPTURE(value);
    REQUIRE(runner.Run({"SET", "k", value}) == kOk);
    CHECK(runner.Run({"INCR", "k"}) == kNotInteger);
    CHECK(runner.Run({"GET", "k"}) == Bulk(value));
  }
  PlantList(runner, "list");
  CHECK(runner.Run({"INCR", "list"}) == kWrongType);
  CHECK(runner.Run({"DECR", "list"}) == kWrongType);
}

TEST_CASE("INCRBY parses its increment before looking at the key") {
  CommandRunner runner;
  PlantList(runner, "list");
  CHECK(runner.Run({"INCRBY", "list", "x"}) == kNotInteger);
  CHECK(runner.Run({"INCRBY", "list", "1"}) == kWrongType);
  CHECK(runner.Run({"DECRBY", "list", "1.5"}) == kNotInteger);
  CHECK(runner.Run({"INCRBY", "k", "9223372036854775808"}) == kNotInteger);
  CHECK(runner.Run({"INCRBY", "k"}) == Error("wrong number of arguments for 'incrby' command"));
  CHECK(runner.Run({"INCR", "k", "1"}) == Error("wrong number of arguments for 'incr' command"));
}

TEST_CASE("INCR and DECR stop exactly at the int64 limits") {
  CommandRunner runner;
  CHECK(runner.Run({"SET", "k", "9223372036854775806"}) == kOk);
  CHECK(runner.Run({"INCR", "k"}) == Integer(9223372036854775807));
  CHECK(runner.Run({"INCR", "k"}) == kOverflow);
  CHECK(runner.Run({"INCRBY", "k", "0"}) == Integer(9223372036854775807));
  CHECK(runner.Run({"INCRBY", "k", "-9223372036854775807"}) == Integer(0));
  CHECK(runner.Run({"SET", "k", "-9223372036854775807"}) == kOk);
  CHECK(runner.Run({"DECR", "k"}) == Integer(INT64_MIN));
  CHECK(runner.Run({"DECR", "k"}) == kOverflow);
  CHECK(runner.Run({"INCRBY", "k", "-1"}) == kOverflow);
  CHECK(runner.Run({"GET", "k"}) == Bulk("-9223372036854775808"));
  CHECK(runner.Run({"INCRBY", "k", "9223372036854775807"}) == Integer(-1));
  CHECK(runner.Run({"SET", "z", "0"}) == kOk);
  CHECK(runner.Run({"INCRBY", "z", "-9223372036854775808"}) == Integer(INT64_MIN));
  CHECK(runner.Run({"SET", "z", "0"}) == kOk);
  CHECK(runner.Run({"DECRBY", "z", "-9223372036854775808"}) == Error("decrement would overflow"));
  CHECK(runner.Run({"DECRBY", "z", "-9223372036854775807"}) == Integer(9223372036854775807));
  CHECK(runner.Run({"DECRBY", "z", "9223372036854775807"}) == Integer(0));
}

// ---------------------------------------------------------------------------------------
// INCRBYFLOAT

TEST_CASE("INCRBYFLOAT adds long doubles and prints them as Redis does") {
  CommandRunner runner;
  CHECK(runner.Run({"INCRBYFLOAT", "f", "10.5"}) == Bulk("10.5"));
  CHECK(runner.Run({"INCRBYFLOAT", "f", "0.1"}) == Bulk("10.6"));
  CHECK(runner.Run({"INCRBYFLOAT", "f", "-5.6"}) == Bulk("5"));
  CHECK(runner.Run({"INCRBYFLOAT", "f", "5.0e3"}) == Bulk("5005"));
  CHECK(runner.Run({"INCRBYFLOAT", "f", "-5005"}) == Bulk("0"));
  CHECK(runner.Run({"INCRBYFLOAT", "f", "-0.0"}) == Bulk("0"));
  CHECK(runner.Run({"INCRBYFLOAT", "f", "0x10"}) == Bulk("16"));
  CHECK(runner.Run({"SET", "i", "3"}) == kOk);
  CHECK(runner.Run({"INCRBYFLOAT", "i", "1"}) == Bulk("4"));
  CHECK(runner.Run({"SET", "e", "1e2"}) == kOk);
  CHECK(runner.Run({"INCRBYFLOAT", "e", "1"}) == Bulk("101"));
  CHECK(runner.events ==
        std::vector<std::string>{
            "0:new:f",         "0:modified:f", "0:incrbyfloat:f", "0:modified:f",
            "0:incrbyfloat:f", "0:modified:f", "0:incrbyfloat:f", "0:modified:f",
            "0:incrbyfloat:f", "0:modified:f", "0:incrbyfloat:f", "0:modified:f",
            "0:incrbyfloat:f", "0:modified:f", "0:incrbyfloat:f", "0:new:i",
            "0:modified:i",    "0:set:i",      "0:modified:i",    "0:incrbyfloat:i",
            "0:new:e",         "0:modified:e", "0:set:e",         "0:modified:e",
            "0:incrbyfloat:e"});
}

TEST_CASE("INCRBYFLOAT stores embstr or raw text, never int, and keeps the TTL") {
  CommandRunner runner;
  CHECK(runner.Run({"INCRBYFLOAT", "f", "3"}) == Bulk("3"));
  CHECK(EncodingOf(runner, "f") == "embstr");
  // 1e50 is not exact in a long double; Redis prints the same digits.
  CHECK(runner.Run({"INCRBYFLOAT", "f", "1e50"}) ==
        Bulk("100000000000000000003583830118858923890798487404544"));
  CHECK(EncodingOf(runner, "f") == "raw");
  CHECK(runner.Run({"SET", "t", "1", "EX", "9"}) == kOk);
  CHECK(runner.Run({"INCRBYFLOAT", "t", "0.25"}) == Bulk("1.25"));
  CHECK(Stored(runner, "t")->expire_at_ms() == runner.now_ms() + 9000);
}

TEST_CASE("INCRBYFLOAT rejects bad floats and results that are not finite") {
  CommandRunner runner;
  CHECK(runner.Run({"SET", "k", "1"}) == kOk);
  for (const char* increment : {"abc", " 1", "1 ", "", "nan", "1e", "1.0.0"}) {
    CAPTURE(increment);
    CHECK(runner.Run({"INCRBYFLOAT", "k", increment}) == kNotFloat);
  }
  CHECK(runner.Run({"INCRBYFLOAT", "k", "inf"}) ==
        Error("increment would produce NaN or Infinity"));
  CHECK(runner.Run({"INCRBYFLOAT", "k", "1e5000"}) == kNotFloat);
  CHECK(runner.Run({"GET", "k"}) == Bulk("1"));
  CHECK(runner.Run({"SET", "s", "hello"}) == kOk);
  CHECK(runner.Run({"INCRBYFLOAT", "s", "1"}) == kNotFloat);
  CHECK(runner.Run({"SET", "s", "1.5 "}) == kOk);
  CHECK(runner.Run({"INCRBYFLOAT", "s", "1"}) == kNotFloat);
  // Unlike INCRBY, the key's type is checked before the increment is parsed.
  PlantList(runner, "list");
  CHECK(runner.Run({"INCRBYFLOAT", "list", "abc"}) == kWrongType);
  CHECK(runner.Run({"INCRBYFLOAT", "k"}) ==
        Error("wrong number of arguments for 'incrbyfloat' command"));
}

// ---------------------------------------------------------------------------------------
// LCS

TEST_CASE("LCS replies the longest common subsequence, or its length") {
  CommandRunner runner;
  CHECK(runner.Run({"MSET", "key1", "ohmytext", "key2", "mynewtext"}) == kOk);
  CHECK(runner.Run({"LCS", "key1", "key2"}) == Bulk("mytext"));
  CHECK(runner.Run({"LCS", "key1", "key2", "LEN"}) == Integer(6));
  CHECK(runner.Run({"LCS", "key1", "nope"}) == kEmptyBulk);
  CHECK(runner.Run({"LCS", "nope", "nope", "len"}) == Integer(0));
  CHECK(runner.Run({"LCS", "key1", "key1"}) == Bulk("ohmytext"));
  CHECK(runner.counters().keyspace_misses == 3);
}

TEST_CASE("LCS IDX lists the matching ranges from the end, with lengths on request") {
  CommandRunner runner;
  CHECK(runner.Run({"MSET", "key1", "ohmytext", "key2", "mynewtext"}) == kOk);
  std::string matches_text = "$7\r\nmatches\r\n";
  std::string len_text = "$3\r\nlen\r\n";
  auto range = [](int64_t start, int64_t end) { return Array({Integer(start), Integer(end)}); };
  CHECK(runner.Run({"LCS", "key1", "key2", "IDX"}) ==
        "*4\r\n" + matches_text +
            Array({Array({range(4, 7), range(5, 8)}), Array({range(2, 3), range(0, 1)})}) +
            len_text + Integer(6));
  CHECK(runner.Run({"LCS", "key1", "key2", "IDX", "MINMATCHLEN", "4", "WITHMATCHLEN"}) ==
        "*4\r\n" + matches_text + Array({Array({range(4, 7), range(5, 8), Integer(4)})}) +
            len_text + Integer(6));
  CHECK(runner.Run({"LCS", "key1", "key2", "IDX", "MINMATCHLEN", "-3"}) ==
        runner.Run({"LCS", "key1", "key2", "IDX"}));
  runner.set_protocol(3);
  CHECK(runner.Run({"LCS", "key1", "nope", "IDX"}) ==
        "%2\r\n" + matches_text + "*0\r\n" + len_text + Integer(0));
}

TEST_CASE("LCS breaks ties the way Redis does") {
  // Replies checked against redis-server 7.0.15.
  CommandRunner runner;
  CHECK(runner.Run({"MSET", "a", "abcd", "b", "dcba"}) == kOk);
  CHECK(runner.Run({"LCS", "a", "b"}) == Bulk("d"));
  CHECK(runner.Run({"MSET", "a", "ab", "b", "ba"}) == kOk);
  CHECK(runner.Run({"LCS", "a", "b"}) == Bulk("b"));
  CHECK(runner.Run({"LCS", "b", "a"}) == Bulk("a"));
  CHECK(runner.Run({"MSET", "a", std::string("x\0y\r\n", 5), "b", std::string("\0\r\n", 3)}) ==
        kOk);
  CHECK(runner.Run({"LCS", "a", "b"}) == Bulk(std::string("\0\r\n", 3)));
}

TEST_CASE("LCS validates types, options and the size of its table") {
  CommandRunner runner;
  CHECK(runner.Run({"MSET", "a", "abc", "b", "abd"}) == kOk);
  PlantList(runner, "list");
  const std::string not_strings = Error("The specified keys must contain string values");
  CHECK(runner.Run({"LCS", "list", "a"}) == not_strings);
  CHECK(runner.Run({"LCS", "a", "list", "BADOPTION"}) == not_strings);
  CHECK(runner.Run({"LCS", "a", "b", "BADOPTION"}) == kSyntaxError);
  CHECK(runner.Run({"LCS", "a", "b", "MINMATCHLEN"}) == kSyntaxError);
  CHECK(runner.Run({"LCS", "a", "b", "MINMATCHLEN", "x"}) == kNotInteger);
  CHECK(runner.Run({"LCS", "a", "b", "LEN", "IDX"}) ==
        Error("If you want both the length and indexes, please just use IDX."));
  CHECK(runner.Run({"LCS", "a"}) == Error("wrong number of arguments for 'lcs' command"));
  // (3+1) * (3+1) cells of 4 bytes: 64 bytes.
  runner.limits().proto_max_bulk_len = 63;
  CHECK(runner.Run({"LCS", "a", "b"}) ==
        Error("Insufficient memory, transient memory for LCS exceeds proto-max-bulk-len"));
  runner.limits().proto_max_bulk_len = 64;
  CHECK(runner.Run({"LCS", "a", "b"}) == Bulk("ab"));
}

// ---------------------------------------------------------------------------------------
// Entries shared with a snapshot

TEST_CASE("edits leave an entry a snapshot shares unchanged") {
  SharingObserver snapshot;
  CommandRunner runner;
  CHECK(runner.Run({"SET", "s", "abc", "EX", "100"}) == kOk);
  CHECK(runner.Run({"SET", "n", "41"}) == kOk);
  CHECK(runner.Run({"SET", "t", "v", "EX", "100"}) == kOk);
  int64_t deadline_ms = Stored(runner, "t")->expire_at_ms();
  StartSnapshot(runner, snapshot);
  CHECK(runner.Run({"APPEND", "s", "def"}) == Integer(6));
  CHECK(runner.Run({"SETRANGE", "s", "0", "X"}) == Integer(6));
  CHECK(runner.Run({"INCR", "n"}) == Integer(42));
  CHECK(runner.Run({"GETEX", "t", "EX", "5"}) == Bulk("v"));
  CHECK(runner.Run({"MGET", "s", "n"}) == Array({Bulk("Xbcdef"), Bulk("42")}));
  CHECK(Stored(runner, "s")->expire_at_ms() == runner.now_ms() + 100000);
  CHECK(Stored(runner, "t")->expire_at_ms() == runner.now_ms() + 5000);
  CHECK(snapshot.SeenValue("s") == "abc");
  CHECK(snapshot.SeenValue("n") == "41");
  for (Entry* entry : snapshot.held) {
    if (entry->key() == "t") CHECK(entry->expire_at_ms() == deadline_ms);
  }
}

TEST_CASE("after the snapshot has its copy, further edits happen in place again") {
  SharingObserver snapshot;
  CommandRunner runner;
  CHECK(runner.Run({"SET", "n", "1"}) == kOk);
  StartSnapshot(runner, snapshot);
  CHECK(runner.Run({"INCR", "n"}) == Integer(2));
  Entry* copy = Stored(runner, "n");
  CHECK_FALSE(copy->shared());
  CHECK(runner.Run({"INCR", "n"}) == Integer(3));
  CHECK(Stored(runner, "n") == copy);
  CHECK(snapshot.SeenValue("n") == "1");
}
