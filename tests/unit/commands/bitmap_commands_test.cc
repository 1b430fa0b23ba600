// The bitmap commands SETBIT GETBIT BITCOUNT BITPOS BITOP: replies, errors, bit order, the
// proto-max-bulk-len limit, keyspace events, encodings and snapshot safety. BITFIELD has its
// own file; bitmap_model_test.cc checks all of them against a model.
#include <doctest/doctest.h>

#include <string>

#include "ringdb/testing/command_runner.h"
#include "string_test_util.h"

using namespace ringdb::testing;

namespace {
constexpr char kBadOffset[] = "-ERR bit offset is not an integer or out of range\r\n";
constexpr char kBadBit[] = "-ERR bit is not an integer or out of range\r\n";

std::string ValueOf(CommandRunner& runner, std::string_view key) {
  ringdb::store::Entry* entry = Stored(runner, key);
  REQUIRE(entry != nullptr);
  return std::string(entry->value());
}
}  // namespace

// ---------------------------------------------------------------------------------------
// SETBIT GETBIT

TEST_CASE("SETBIT numbers bits from the most significant bit of the first byte") {
  CommandRunner runner;
  CHECK(runner.Run({"SETBIT", "k", "1", "1"}) == Integer(0));
  CHECK(ValueOf(runner, "k") == "\x40");
  CHECK(runner.Run({"SETBIT", "k", "7", "1"}) == Integer(0));
  CHECK(ValueOf(runner, "k") == "\x41");
  CHECK(runner.Run({"SETBIT", "k", "7", "0"}) == Integer(1));
  CHECK(runner.Run({"SETBIT", "k", "17", "1"}) == Integer(0));
  CHECK(ValueOf(runner, "k") == std::string("\x40\x00\x40", 3));
  CHECK(runner.Run({"GETBIT", "k", "1"}) == Integer(1));
  CHECK(runner.Run({"GETBIT", "k", "17"}) == Integer(1));
  CHECK(runner.Run({"GETBIT", "k", "16"}) == Integer(0));
  CHECK(runner.Run({"GETBIT", "k", "24"}) == Integer(0));
  CHECK(runner.Run({"GETBIT", "k", "4000000000"}) == Integer(0));
  CHECK(runner.Run({"GETBIT", "missing", "0"}) == Integer(0));
}

TEST_CASE("SETBIT sends setbit only when the value changed or grew") {
  CommandRunner runner;
  CHECK(runner.Run({"SETBIT", "k", "3", "0"}) == Integer(0));  // created: a write
  CHECK(runner.Run({"SETBIT", "k", "3", "0"}) == Integer(0));  // nothing changes
  CHECK(runner.Run({"SETBIT", "k", "3", "1"}) == Integer(0));
  CHECK(runner.Run({"SETBIT", "k", "9", "0"}) == Integer(0));  // grown with a zero byte
  CHECK(runner.events == std::vector<std::string>{"0:new:k", "0:modified:k", "0:setbit:k",
                                                  "0:modified:k", "0:setbit:k", "0:modified:k",
                                                  "0:setbit:k"});
  CHECK(runner.counters().dirty == 3);
  CHECK(ValueOf(runner, "k") == std::string("\x10\x00", 2));
}

TEST_CASE("SETBIT works on any string value, makes it raw and keeps its TTL") {
  CommandRunner runner;
  CHECK(runner.Run({"SET", "n", "12", "EX", "100"}) == kOk);
  CHECK(EncodingOf(runner, "n") == "int");
  // '1' is 0x31: bit 2 is set, bit 6 is not.
  CHECK(runner.Run({"GETBIT", "n", "2"}) == Integer(1));
  CHECK(runner.Run({"SETBIT", "n", "6", "1"}) == Integer(0));
  CHECK(ValueOf(runner, "n") == "32");
  CHECK(EncodingOf(runner, "n") == "raw");
  CHECK(Stored(runner, "n")->has_expire());
  CHECK(runner.Run({"SETBIT", "new", "0", "1"}) == Integer(0));
  CHECK(EncodingOf(runner, "new") == "raw");
  PlantList(runner, "list");
  CHECK(runner.Run({"SETBIT", "list", "0", "1"}) == kWrongType);
  CHECK(runner.Run({"GETBIT", "list", "0"}) == kWrongType);
}

TEST_CASE("SETBIT and GETBIT check the offset first, then the bit, then the key") {
  CommandRunner runner;
  PlantList(runner, "list");
  for (const char* offset : {"-1", "x", "", "1.5", " 1", "+1", "01", "9223372036854775808"}) {
    CAPTURE(offset);
    CHECK(runner.Run({"SETBIT", "list", offset, "1"}) == kBadOffset);
    CHECK(runner.Run({"GETBIT", "list", offset}) == kBadOffset);
  }
  for (const char* bit : {"2", "-1", "x", "", "01", "1.0", "9223372036854775807"}) {
    CAPTURE(bit);
    CHECK(runner.Run({"SETBIT", "list", "0", bit}) == kBadBit);
  }
  CHECK(runner.Run({"SETBIT", "k", "0"}) ==
        Error("wrong number of arguments for 'setbit' command"));
  CHECK(runner.Run({"GETBIT", "k"}) == Error("wrong number of arguments for 'getbit' command"));
}

TEST_CASE("bit offsets stop at proto-max-bulk-len, exactly where Redis stops") {
  CommandRunner runner;
  runner.limits().proto_max_bulk_len = 1024 * 1024;
  // The last bit of a 1 MiB string is bit 8388607; its byte 1048575 is the last allowed.
  CHECK(runner.Run({"SETBIT", "k", "8388607", "1"}) == Integer(0));
  CHECK(Stored(runner, "k")->value_length() == 1024 * 1024);
  CHECK(runner.Run({"SETBIT", "k", "8388608", "1"}) == kBadOffset);
  CHECK(runner.Run({"GETBIT", "k", "8388608"}) == kBadOffset);
  CHECK(runner.Run({"GETBIT", "k", "8388607"}) == Integer(1));
  CHECK(runner.Run({"BITCOUNT", "k"}) == Integer(1));
  CHECK(runner.Run({"SETBIT", "k", "4294967296", "1"}) == kBadOffset);
  CHECK(runner.Run({"SETBIT", "k", "9223372036854775807", "1"}) == kBadOffset);
}

TEST_CASE("SETBIT leaves a value a snapshot shares untouched") {
  CommandRunner runner;
  CHECK(runner.Run({"SET", "k", "abc"}) == kOk);
  SharingObserver observer;
  StartSnapshot(runner, observer);
  CHECK(runner.Run({"SETBIT", "k", "7", "0"}) == Integer(1));  // 'a' 0x61 -> '`' 0x60
  CHECK(runner.Run({"SETBIT", "k", "100", "1"}) == Integer(0));
  CHECK(observer.SeenValue("k") == "abc");
  CHECK(ValueOf(runner, "k").substr(0, 3) == "`bc");
  CHECK(ValueOf(runner, "k").size() == 13);
}

TEST_CASE("repeated SETBIT growth is amortized") {
  CommandRunner runner;
  int moves = 0;
  for (int bit = 0; bit < 80000; bit += 8) {
    ringdb::store::Entry* before = Stored(runner, "k");
    REQUIRE(runner.Run({"SETBIT", "k", std::to_string(bit), "1"}) == Integer(0));
    if (Stored(runner, "k") != before) moves++;
  }
  CHECK(runner.Run({"BITCOUNT", "k"}) == Integer(10000));
  CHECK(moves <= 16);
}

// ---------------------------------------------------------------------------------------
// BITCOUNT

TEST_CASE("BITCOUNT counts set bits over byte ranges with negative offsets") {
  CommandRunner runner;
  CHECK(runner.Run({"SET", "k", "foobar"}) == kOk);
  auto count = [&](std::initializer_list<std::string_view> range) {
    std::vector<std::string> argv = {"BITCOUNT", "k"};
    for (std::string_view a : range) argv.emplace_back(a);
    return runner.Run(argv);
  };
  CHECK(count({}) == Integer(26));
  CHECK(count({"0", "0"}) == Integer(4));
  CHECK(count({"1", "1"}) == Integer(6));
  CHECK(count({"1", "-1"}) == Integer(22));
  CHECK(count({"-2", "-1"}) == Integer(7));
  CHECK(count({"-100", "100"}) == Integer(26));
  CHECK(count({"4", "2"}) == Integer(0));
  CHECK(count({"-1", "-2"}) == Integer(0));
  CHECK(count({"6", "100"}) == Integer(0));
  CHECK(count({"-9223372036854775808", "9223372036854775807"}) == Integer(26));
  CHECK(count({"0", "0", "byte"}) == Integer(4));
}

TEST_CASE("BITCOUNT BIT ranges mask the partial first and last bytes") {
  CommandRunner runner;
  CHECK(runner.Run({"SET", "k", "foobar"}) == kOk);
  auto bits = [&](const char* start, const char* end) {
    return runner.Run({"BITCOUNT", "k", start, end, "BIT"});
  };
  CHECK(bits("5", "30") == Integer(17));
  CHECK(bits("0", "7") == Integer(4));
  CHECK(bits("1", "1") == Integer(1));  // 'f' 0x66: 0110 0110
  CHECK(bits("0", "0") == Integer(0));
  CHECK(bits("3", "4") == Integer(0));
  CHECK(bits("2", "5") == Integer(2));
  CHECK(bits("-1", "-1") == Integer(0));  // 'r' 0x72 ends with a 0
  CHECK(bits("-2", "-1") == Integer(1));
  CHECK(bits("0", "-1") == Integer(26));
  CHECK(bits("47", "48") == Integer(0));
  CHECK(runner.Run({"BITCOUNT", "k", "1", "1", "bIt"}) == Integer(1));
  // Like Redis's strcasecmp, the comparison stops at an embedded NUL.
  CHECK(runner.Run({"BITCOUNT", "k", "1", "1", std::string("BIT\0x", 5)}) == Integer(1));
}

TEST_CASE("BITCOUNT checks its arguments before the key, as Redis 7.2 does") {
  CommandRunner runner;
  CHECK(runner.Run({"BITCOUNT", "missing"}) == Integer(0));
  CHECK(runner.Run({"BITCOUNT", "missing", "0", "-1"}) == Integer(0));
  CHECK(runner.Run({"BITCOUNT", "missing", "0"}) == kSyntaxError);
  CHECK(runner.Run({"BITCOUNT", "missing", "0", "1", "bits"}) == kSyntaxError);
  CHECK(runner.Run({"BITCOUNT", "missing", "0", "1", "BIT", "x"}) == kSyntaxError);
  CHECK(runner.Run({"BITCOUNT", "missing", "x", "1"}) == kNotInteger);
  CHECK(runner.Run({"BITCOUNT", "missing", "0", "1.5"}) == kNotInteger);
  PlantList(runner, "list");
  CHECK(runner.Run({"BITCOUNT", "list", "x", "1"}) == kNotInteger);
  CHECK(runner.Run({"BITCOUNT", "list", "0", "1"}) == kWrongType);
  CHECK(runner.Run({"BITCOUNT", "list"}) == kWrongType);
  CHECK(runner.Run({"BITCOUNT"}) == Error("wrong number of arguments for 'bitcount' command"));
}

// ---------------------------------------------------------------------------------------
// BITPOS

TEST_CASE("BITPOS finds the first set or clear bit") {
  CommandRunner runner;
  CHECK(runner.Run({"SET", "k", std::string("\xff\xf0\x00", 3)}) == kOk);
  CHECK(runner.Run({"BITPOS", "k", "0"}) == Integer(12));
  CHECK(runner.Run({"BITPOS", "k", "1"}) == Integer(0));
  CHECK(runner.Run({"BITPOS", "k", "1", "2"}) == Integer(-1));
  CHECK(runner.Run({"BITPOS", "k", "1", "1"}) == Integer(8));
  CHECK(runner.Run({"BITPOS", "k", "0", "1", "1"}) == Integer(12));
  CHECK(runner.Run({"BITPOS", "k", "1", "-1"}) == Integer(-1));
  CHECK(runner.Run({"SET", "ones", std::string("\xff\xff", 2)}) == kOk);
  // Without an end, the string counts as padded with zeros: the first 0 is just past it.
  CHECK(runner.Run({"BITPOS", "ones", "0"}) == Integer(16));
  CHECK(runner.Run({"BITPOS", "ones", "0", "1"}) == Integer(16));
  // With an end, there is no 0 in the range.
  CHECK(runner.Run({"BITPOS", "ones", "0", "0", "-1"}) == Integer(-1));
  CHECK(runner.Run({"BITPOS", "missing", "0"}) == Integer(0));
  CHECK(runner.Run({"BITPOS", "missing", "1"}) == Integer(-1));
  CHECK(runner.Run({"BITPOS", "missing", "1", "0", "-1", "BIT"}) == Integer(-1));
  CHECK(runner.Run({"SET", "empty", ""}) == kOk);
  CHECK(runner.Run({"BITPOS", "empty", "0"}) == Integer(-1));
  CHECK(runner.Run({"BITPOS", "empty", "1"}) == Integer(-1));
}

TEST_CASE("BITPOS BIT ranges search only the bits inside the range") {
  CommandRunner runner;
  CHECK(runner.Run({"SET", "k", std::string("\x00\xff\x00", 3)}) == kOk);
  auto pos = [&](const char* bit, const char* start, const char* end) {
    return runner.Run({"BITPOS", "k", bit, start, end, "BIT"});
  };
  CHECK(pos("1", "0", "-1") == Integer(8));
  CHECK(pos("1", "9", "-1") == Integer(9));
  CHECK(pos("1", "16", "-1") == Integer(-1));
  CHECK(pos("0", "8", "15") == Integer(-1));
  CHECK(pos("0", "8", "16") == Integer(16));
  CHECK(pos("0", "3", "5") == Integer(3));
  CHECK(pos("1", "3", "5") == Integer(-1));
  CHECK(pos("1", "5", "3") == Integer(-1));
  CHECK(pos("0", "-3", "-1") == Integer(21));
  CHECK(pos("1", "7", "8") == Integer(8));
  CHECK(pos("0", "10", "14") == Integer(-1));
  CHECK(runner.Run({"BITPOS", "k", "1", "0", "0", "BYTE"}) == Integer(-1));
  CHECK(runner.Run({"BITPOS", "k", "1", "0", "1", "byte"}) == Integer(8));
}

TEST_CASE("BITPOS checks the bit, then the range arguments, then the key") {
  CommandRunner runner;
  CHECK(runner.Run({"BITPOS", "missing", "2"}) == Error("The bit argument must be 1 or 0."));
  CHECK(runner.Run({"BITPOS", "missing", "x"}) == kNotInteger);
  CHECK(runner.Run({"BITPOS", "missing", "1", "x"}) == kNotInteger);
  CHECK(runner.Run({"BITPOS", "missing", "1", "0", "x"}) == kNotInteger);
  // The unit is checked before the end.
  CHECK(runner.Run({"BITPOS", "missing", "1", "0", "x", "BITS"}) == kSyntaxError);
  CHECK(runner.Run({"BITPOS", "missing", "1", "0", "1", "BIT", "x"}) == kSyntaxError);
  PlantList(runner, "list");
  CHECK(runner.Run({"BITPOS", "list", "1", "x"}) == kNotInteger);
  CHECK(runner.Run({"BITPOS", "list", "1"}) == kWrongType);
  CHECK(runner.Run({"BITPOS", "k"}) == Error("wrong number of arguments for 'bitpos' command"));
}

// ---------------------------------------------------------------------------------------
// BITOP

TEST_CASE("BITOP combines strings padded with zeros to the longest") {
  CommandRunner runner;
  CHECK(runner.Run({"SET", "a", std::string("\xf0\x0f\xff", 3)}) == kOk);
  CHECK(runner.Run({"SET", "b", std::string("\xff\x00", 2)}) == kOk);
  CHECK(runner.Run({"BITOP", "AND", "d", "a", "b"}) == Integer(3));
  CHECK(ValueOf(runner, "d") == std::string("\xf0\x00\x00", 3));
  CHECK(runner.Run({"BITOP", "or", "d", "a", "b"}) == Integer(3));
  CHECK(ValueOf(runner, "d") == std::string("\xff\x0f\xff", 3));
  CHECK(runner.Run({"BITOP", "Xor", "d", "a", "b", "missing"}) == Integer(3));
  CHECK(ValueOf(runner, "d") == std::string("\x0f\x0f\xff", 3));
  CHECK(runner.Run({"BITOP", "NOT", "d", "b"}) == Integer(2));
  CHECK(ValueOf(runner, "d") == std::string("\x00\xff", 2));
  CHECK(runner.Run({"BITOP", "AND", "d", "a", "missing"}) == Integer(3));
  CHECK(ValueOf(runner, "d") == std::string(3, '\0'));
  CHECK(runner.Run({"BITOP", "AND", "a", "a", "b"}) == Integer(3));  // target is a source
  CHECK(ValueOf(runner, "a") == std::string("\xf0\x00\x00", 3));
  CHECK(EncodingOf(runner, "d") == "raw");
}

TEST_CASE("BITOP over long strings matches a byte-by-byte computation") {
  CommandRunner runner;
  std::string a;
  std::string b;
  std::string c;
  for (int i = 0; i < 1000; i++) a.push_back(static_cast<char>(i * 7));
  for (int i = 0; i < 777; i++) b.push_back(static_cast<char>(i * 13 + 1));
  for (int i = 0; i < 1500; i++) c.push_back(static_cast<char>(i ^ 0x5a));
  runner.Run({"SET", "a", a});
  runner.Run({"SET", "b", b});
  runner.Run({"SET", "c", c});
  for (const char* op : {"AND", "OR", "XOR"}) {
    CAPTURE(op);
    REQUIRE(runner.Run({"BITOP", op, "d", "a", "b", "c"}) == Integer(1500));
    std::string expected(1500, '\0');
    for (size_t i = 0; i < expected.size(); i++) {
      auto at = [&](const std::string& s) { return i < s.size() ? static_cast<uint8_t>(s[i]) : 0; };
      uint8_t x = at(a);
      if (std::string(op) == "AND") x = x & at(b) & at(c);
      if (std::string(op) == "OR") x = x | at(b) | at(c);
      if (std::string(op) == "XOR") x = x ^ at(b) ^ at(c);
      expected[i] = static_cast<char>(x);
    }
    CHECK(ValueOf(runner, "d") == expected);
  }
}

TEST_CASE("BITOP replaces the target like SET and deletes it when every source is empty") {
  CommandRunner runner;
  CHECK(runner.Run({"SET", "d", "old", "EX", "100"}) == kOk);
  PlantList(runner, "list");
  CHECK(runner.Run({"SET", "a", "x"}) == kOk);
  runner.events.clear();
  CHECK(runner.Run({"BITOP", "OR", "d", "a"}) == Integer(1));
  CHECK_FALSE(Stored(runner, "d")->has_expire());
  CHECK(runner.Run({"BITOP", "OR", "list", "a"}) == Integer(1));  // any type is overwritten
  CHECK(runner.Run({"TYPE", "list"}) == Simple("string"));
  CHECK(runner.Run({"SET", "e", ""}) == kOk);
  runner.events.clear();
  CHECK(runner.Run({"BITOP", "AND", "d", "missing", "e"}) == Integer(0));
  CHECK(Stored(runner, "d") == nullptr);
  CHECK(runner.Run({"BITOP", "AND", "d", "missing"}) == Integer(0));
  CHECK(runner.events == std::vector<std::string>{"0:keymiss:missing", "0:modified:d", "0:del:d",
                                                  "0:keymiss:missing"});
}

TEST_CASE("BITOP errors: operation name, NOT arity, source types") {
  CommandRunner runner;
  CHECK(runner.Run({"BITOP", "NAND", "d", "a"}) == kSyntaxError);
  CHECK(runner.Run({"BITOP", "", "d", "a"}) == kSyntaxError);
  CHECK(runner.Run({"BITOP", std::string("and\0x", 5), "d", "a"}) == Integer(0));
  CHECK(runner.Run({"BITOP", "NOT", "d", "a", "b"}) ==
        Error("BITOP NOT must be called with a single source key."));
  PlantList(runner, "list");
  CHECK(runner.Run({"SET", "a", "x"}) == kOk);
  CHECK(runner.Run({"BITOP", "AND", "d", "a", "list"}) == kWrongType);
  CHECK(Stored(runner, "d") == nullptr);
  CHECK(runner.Run({"BITOP", "AND", "d"}) ==
        Error("wrong number of arguments for 'bitop' command"));
}

TEST_CASE("BITOP with a missing first source treats it as an empty string") {
  // The missing key's bytes are an empty view whose data may be null; the UBSan build checks
  // that nothing copies from it.
  CommandRunner runner;
  CHECK(runner.Run({"SET", "b", "\xff\x0f"}) == kOk);
  CHECK(runner.Run({"BITOP", "OR", "dest", "missing", "b"}) == Integer(2));
  CHECK(runner.Run({"GET", "dest"}) == Bulk("\xff\x0f"));
  CHECK(runner.Run({"BITOP", "AND", "dest", "missing", "b"}) == Integer(2));
  CHECK(runner.Run({"GET", "dest"}) == Bulk(std::string(2, '\0')));
  CHECK(runner.Run({"BITOP", "NOT", "dest", "missing"}) == Integer(0));
  CHECK(runner.Run({"EXISTS", "dest"}) == Integer(0));
}
