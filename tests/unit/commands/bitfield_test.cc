// BITFIELD and BITFIELD_RO: field types, bit order, "#N" offsets, the three OVERFLOW policies
// at the edges of each type, parse errors before any effect, and the events of a write.
#include <doctest/doctest.h>

#include <string>
#include <vector>

#include "ringdb/testing/command_runner.h"
#include "string_test_util.h"

using namespace ringdb::testing;

namespace {
constexpr char kBadType[] =
    "-ERR Invalid bitfield type. Use something like i16 u8. Note that u64 is not supported but "
    "i64 is.\r\n";
constexpr char kBadOffset[] = "-ERR bit offset is not an integer or out of range\r\n";

std::string Ints(std::initializer_list<int64_t> values) {
  std::string text = "*" + std::to_string(values.size()) + "\r\n";
  for (int64_t value : values) text += Integer(value);
  return text;
}

std::string ValueOf(CommandRunner& runner, std::string_view key) {
  ringdb::store::Entry* entry = Stored(runner, key);
  REQUIRE(entry != nullptr);
  return std::string(entry->value());
}
}  // namespace

TEST_CASE("BITFIELD SET and GET use SETBIT's bit order") {
  CommandRunner runner;
  // A 5-bit unsigned 23 (10111) at offset 7: 00000001 01110000.
  CHECK(runner.Run({"BITFIELD", "k", "SET", "u5", "7", "23"}) == Ints({0}));
  CHECK(ValueOf(runner, "k") == std::string("\x01\x70", 2));
  CHECK(runner.Run({"BITFIELD", "k", "GET", "u5", "7", "GET", "i5", "7", "GET", "u16", "0"}) ==
        Ints({23, -9, 0x0170}));
  CHECK(runner.Run({"BITFIELD", "k", "GET", "u8", "100"}) == Ints({0}));
  CHECK(runner.Run({"BITFIELD", "missing", "GET", "i64", "0"}) == Ints({0}));
  CHECK(Stored(runner, "missing") == nullptr);
  CHECK(runner.Run({"BITFIELD", "k"}) == Ints({}));
}

TEST_CASE("BITFIELD reads and writes 64-bit signed and 63-bit unsigned fields across bytes") {
  CommandRunner runner;
  CHECK(runner.Run({"BITFIELD", "k", "SET", "i64", "3", "-2"}) == Ints({0}));
  CHECK(runner.Run({"BITFIELD", "k", "GET", "i64", "3"}) == Ints({-2}));
  CHECK(runner.Run({"BITFIELD", "k", "GET", "u63", "3"}) == Ints({INT64_MAX}));
  CHECK(runner.Run({"BITFIELD", "k", "SET", "i64", "3", "-9223372036854775808"}) == Ints({-2}));
  CHECK(runner.Run({"BITFIELD", "k", "GET", "i64", "3", "GET", "i1", "3", "GET", "u1", "4"}) ==
        Ints({INT64_MIN, -1, 0}));
  CHECK(ValueOf(runner, "k").size() == 9);
}

TEST_CASE("BITFIELD #N offsets count fields of the type's width") {
  CommandRunner runner;
  CHECK(runner.Run({"BITFIELD", "k", "SET", "u8", "#0", "1", "SET", "u8", "#2", "3", "SET", "i4",
                    "#1", "-1"}) == Ints({0, 0, 1}));
  CHECK(ValueOf(runner, "k") == std::string("\x0f\x00\x03", 3));
  CHECK(runner.Run({"BITFIELD", "k", "GET", "u4", "#1", "GET", "u8", "#2"}) == Ints({15, 3}));
  CHECK(runner.Run({"BITFIELD", "k", "GET", "u8", "#-1"}) == kBadOffset);
  CHECK(runner.Run({"BITFIELD", "k", "GET", "u8", "#"}) == kBadOffset);
  CHECK(runner.Run({"BITFIELD", "k", "GET", "u8", "##1"}) == kBadOffset);
  // #N times the width wraps like Redis's long long multiplication, then the range check
  // applies: 2^60 * 16 wraps to 0.
  CHECK(runner.Run({"BITFIELD", "k", "GET", "u16", "#1152921504606846976"}) == Ints({0x0f00}));
}

TEST_CASE("BITFIELD OVERFLOW WRAP, SAT and FAIL at the edges of the types") {
  CommandRunner runner;
  auto run = [&](std::vector<std::string> args) {
    args.insert(args.begin(), {"BITFIELD", "k"});
    return runner.Run(args);
  };
  SUBCASE("unsigned") {
    CHECK(run({"SET", "u8", "0", "255"}) == Ints({0}));
    CHECK(run({"INCRBY", "u8", "0", "1"}) == Ints({0}));  // WRAP is the default
    CHECK(run({"INCRBY", "u8", "0", "-1"}) == Ints({255}));
    CHECK(run({"OVERFLOW", "SAT", "INCRBY", "u8", "0", "10"}) == Ints({255}));
    CHECK(run({"OVERFLOW", "SAT", "INCRBY", "u8", "0", "-1000"}) == Ints({0}));
    CHECK(run({"OVERFLOW", "FAIL", "INCRBY", "u8", "0", "-1"}) == "*1\r\n$-1\r\n");
    CHECK(run({"OVERFLOW", "FAIL", "INCRBY", "u8", "0", "255"}) == Ints({255}));
    CHECK(run({"SET", "u8", "0", "256"}) == Ints({255}));  // WRAP: 256 -> 0
    CHECK(run({"GET", "u8", "0"}) == Ints({0}));
    CHECK(run({"OVERFLOW", "SAT", "SET", "u8", "0", "-1"}) == Ints({0}));  // SAT: max
    CHECK(run({"GET", "u8", "0"}) == Ints({255}));
    CHECK(run({"SET", "u8", "0", "-1"}) == Ints({255}));  // WRAP: low 8 bits
    CHECK(run({"OVERFLOW", "FAIL", "SET", "u8", "0", "256"}) == "*1\r\n$-1\r\n");
    CHECK(run({"SET", "u63", "8", "9223372036854775807"}) == Ints({0}));
    CHECK(run({"INCRBY", "u63", "8", "1"}) == Ints({0}));
    CHECK(run({"OVERFLOW", "SAT", "INCRBY", "u63", "8", "-9223372036854775808"}) == Ints({0}));
    CHECK(run({"INCRBY", "u1", "100", "3"}) == Ints({1}));
  }
  SUBCASE("signed") {
    CHECK(run({"SET", "i8", "0", "127"}) == Ints({0}));
    CHECK(run({"INCRBY", "i8", "0", "1"}) == Ints({-128}));
    CHECK(run({"INCRBY", "i8", "0", "-1"}) == Ints({127}));
    CHECK(run({"OVERFLOW", "SAT", "INCRBY", "i8", "0", "100"}) == Ints({127}));
    CHECK(run({"OVERFLOW", "SAT", "INCRBY", "i8", "0", "-1000"}) == Ints({-128}));
    CHECK(run({"OVERFLOW", "FAIL", "INCRBY", "i8", "0", "-1"}) == "*1\r\n$-1\r\n");
    CHECK(run({"SET", "i8", "0", "200"}) == Ints({-128}));  // WRAP: 200 -> -56
    CHECK(run({"GET", "i8", "0"}) == Ints({-56}));
    CHECK(run({"OVERFLOW", "SAT", "SET", "i8", "0", "-129"}) == Ints({-56}));
    CHECK(run({"GET", "i8", "0"}) == Ints({-128}));
    CHECK(run({"SET", "i64", "8", "9223372036854775807"}) == Ints({0}));
    CHECK(run({"INCRBY", "i64", "8", "1"}) == Ints({INT64_MIN}));
    CHECK(run({"OVERFLOW", "SAT", "INCRBY", "i64", "8", "-1"}) == Ints({INT64_MIN}));
    CHECK(run({"OVERFLOW", "SAT", "INCRBY", "i64", "8", "1"}) == Ints({INT64_MIN + 1}));
    CHECK(run({"SET", "i64", "8", "9223372036854775807"}) == Ints({INT64_MIN + 1}));
    CHECK(run({"OVERFLOW", "SAT", "INCRBY", "i64", "8", "1"}) == Ints({INT64_MAX}));
    CHECK(run({"OVERFLOW", "FAIL", "INCRBY", "i64", "8", "1"}) == "*1\r\n$-1\r\n");
    CHECK(run({"OVERFLOW", "FAIL", "INCRBY", "i64", "8", "-9223372036854775808"}) == Ints({-1}));
    CHECK(run({"SET", "i1", "100", "1"}) == Ints({0}));  // i1 holds -1 and 0: 1 wraps to -1
    CHECK(run({"GET", "i1", "100"}) == Ints({-1}));
  }
  SUBCASE("the policy applies to the operations after it") {
    CHECK(run({"SET",      "u4",   "0",      "15", "INCRBY", "u4", "0",        "1",
               "OVERFLOW", "FAIL", "INCRBY", "u4", "0",      "16", "OVERFLOW", "SAT",
               "INCRBY",   "u4",   "0",      "16", "GET",    "u4", "0"}) ==
          "*5\r\n:0\r\n:0\r\n$-1\r\n:15\r\n:15\r\n");
  }
}

TEST_CASE("BITFIELD parses every operation before it touches anything") {
  CommandRunner runner;
  PlantList(runner, "list");
  CHECK(runner.Run({"BITFIELD", "k", "SET", "u8", "0", "1", "GET", "u64", "0"}) == kBadType);
  CHECK(Stored(runner, "k") == nullptr);
  for (const char* type : {"u64", "i65", "i0", "u0", "i08", "x8", "", "i", "I8", "u-1", "+8"}) {
    CAPTURE(type);
    CHECK(runner.Run({"BITFIELD", "list", "GET", type, "0"}) == kBadType);
  }
  // The width is read up to an embedded NUL, like Redis's strlen.
  CHECK(runner.Run({"BITFIELD", "k", "GET", std::string("u8\0junk", 7), "0"}) == Ints({0}));
  CHECK(runner.Run({"BITFIELD", "list", "GET", "u8", "-1"}) == kBadOffset);
  CHECK(runner.Run({"BITFIELD", "list", "SET", "u8", "0", "x"}) == kNotInteger);
  CHECK(runner.Run({"BITFIELD", "list", "OVERFLOW", "WRAPX"}) ==
        Error("Invalid OVERFLOW type specified"));
  CHECK(runner.Run({"BITFIELD", "list", "OVERFLOW"}) == kSyntaxError);
  CHECK(runner.Run({"BITFIELD", "list", "GET", "u8"}) == kSyntaxError);
  CHECK(runner.Run({"BITFIELD", "list", "INCRBY", "u8", "0"}) == kSyntaxError);
  CHECK(runner.Run({"BITFIELD", "list", "FOO", "u8", "0"}) == kSyntaxError);
  CHECK(runner.Run({"BITFIELD", "list", "GET", "u8", "0"}) == kWrongType);
  CHECK(runner.Run({"BITFIELD", "list", "SET", "u8", "0", "1"}) == kWrongType);
  CHECK(runner.Run({"BITFIELD"}) == Error("wrong number of arguments for 'bitfield' command"));
}

TEST_CASE("BITFIELD offsets are bounded by proto-max-bulk-len") {
  CommandRunner runner;
  runner.limits().proto_max_bulk_len = 1024 * 1024;
  CHECK(runner.Run({"BITFIELD", "k", "SET", "u8", "8388600", "255"}) == Ints({0}));
  CHECK(Stored(runner, "k")->value_length() == 1024 * 1024);
  // A field may start in the last byte and end past it: the string grows a little further.
  // It held the last bit of 0xff, then zeros: the sign bit alone.
  CHECK(runner.Run({"BITFIELD", "k", "SET", "i64", "8388607", "-1"}) == Ints({INT64_MIN}));
  CHECK(Stored(runner, "k")->value_length() == 1024 * 1024 + 8);
  CHECK(runner.Run({"BITFIELD", "k", "GET", "u8", "8388608"}) == kBadOffset);
}

TEST_CASE("BITFIELD sends one setbit for its changes, none when nothing changed") {
  CommandRunner runner;
  CHECK(runner.Run({"BITFIELD", "k", "SET", "u8", "0", "1", "SET", "u8", "8", "0", "GET", "u8",
                    "0"}) == Ints({0, 0, 1}));
  // Created: both writes count, even the one that stores a zero.
  CHECK(runner.counters().dirty == 2);
  CHECK(runner.events == std::vector<std::string>{"0:new:k", "0:modified:k", "0:setbit:k"});
  runner.events.clear();
  CHECK(runner.Run({"BITFIELD", "k", "SET", "u8", "0", "1", "INCRBY", "u8", "8", "0"}) ==
        Ints({1, 0}));
  CHECK(runner.events.empty());
  CHECK(runner.Run({"BITFIELD", "k", "OVERFLOW", "FAIL", "INCRBY", "u8", "0", "1000"}) ==
        "*1\r\n$-1\r\n");
  CHECK(runner.events.empty());
  // A refused write on a missing key still creates it (Redis sizes the string first).
  CHECK(runner.Run({"BITFIELD", "n", "OVERFLOW", "FAIL", "INCRBY", "u8", "16", "1000"}) ==
        "*1\r\n$-1\r\n");
  CHECK(ValueOf(runner, "n") == std::string(3, '\0'));
  CHECK(runner.events == std::vector<std::string>{"0:new:n"});
  CHECK(EncodingOf(runner, "k") == "raw");
}

TEST_CASE("BITFIELD_RO only reads") {
  CommandRunner runner;
  CHECK(runner.Run({"SET", "k", "\x7f"}) == kOk);
  CHECK(runner.Run({"BITFIELD_RO", "k", "GET", "i8", "0", "GET", "u4", "#1"}) == Ints({127, 15}));
  CHECK(runner.Run({"BITFIELD_RO", "k"}) == Ints({}));
  CHECK(runner.Run({"BITFIELD_RO", "k", "SET", "u8", "0", "1"}) ==
        Error("BITFIELD_RO only supports the GET subcommand"));
  CHECK(runner.Run({"BITFIELD_RO", "k", "SET", "u64", "0", "1"}) == kBadType);
  CHECK(runner.Run({"BITFIELD_RO", "k", "OVERFLOW", "FAIL", "GET", "u8", "0"}) == Ints({127}));
  CHECK(runner.Run({"GET", "k"}) == Bulk("\x7f"));
  CHECK(runner.Run({"BITFIELD_RO", "missing", "GET", "u8", "0"}) == Ints({0}));
}

TEST_CASE("BITFIELD's null replies follow the protocol") {
  CommandRunner runner;
  runner.set_protocol(3);
  CHECK(runner.Run({"BITFIELD", "k", "OVERFLOW", "FAIL", "SET", "u2", "0", "4", "SET", "u2", "0",
                    "3"}) == "*2\r\n_\r\n:0\r\n");
}
