// List commands: replies and errors byte for byte as Redis 7.2 sends them, keyspace events,
// encodings, copy on write, and a random command stream checked against a deque model.
#include <doctest/doctest.h>

#include <deque>
#include <random>
#include <string>
#include <vector>

#include "reply_parsing.h"
#include "ringdb/store/list_value.h"
#include "ringdb/testing/command_runner.h"
#include "string_test_util.h"

using namespace ringdb::testing;

namespace {

const std::string kWrongTypeReply =
    "-WRONGTYPE Operation against a key holding the wrong kind of value\r\n";
const std::string kNotIntegerReply = Error("value is not an integer or out of range");
const std::string kSyntaxReply = Error("syntax error");
const char kEmptyArray[] = "*0\r\n";
const char kNullArray[] = "*-1\r\n";

std::string Range(CommandRunner& runner, std::string_view key) {
  return runner.Run({"LRANGE", key, "0", "-1"});
}

}  // namespace

TEST_CASE("LPUSH and RPUSH create lists, return lengths and keep order") {
  CommandRunner runner;
  CHECK(runner.Run({"RPUSH", "l", "a", "b"}) == Integer(2));
  CHECK(runner.Run({"LPUSH", "l", "x", "y"}) == Integer(4));
  CHECK(Range(runner, "l") == BulkArray({"y", "x", "a", "b"}));
  CHECK(runner.Run({"LLEN", "l"}) == Integer(4));
  CHECK(runner.Run({"LLEN", "missing"}) == Integer(0));
  CHECK(runner.Run({"TYPE", "l"}) == Simple("list"));
  CHECK(EncodingOf(runner, "l") == "listpack");
  CHECK(runner.Run({"LPUSH", "l"}) == Error("wrong number of arguments for 'lpush' command"));
}

TEST_CASE("LPUSHX and RPUSHX only touch existing lists") {
  CommandRunner runner;
  CHECK(runner.Run({"LPUSHX", "l", "a"}) == Integer(0));
  CHECK(runner.Run({"EXISTS", "l"}) == Integer(0));
  CHECK(runner.Run({"RPUSH", "l", "a"}) == Integer(1));
  CHECK(runner.Run({"RPUSHX", "l", "b", "c"}) == Integer(3));
  CHECK(runner.Run({"LPUSHX", "l", "z"}) == Integer(4));
  CHECK(Range(runner, "l") == BulkArray({"z", "a", "b", "c"}));
  CHECK(runner.Run({"SET", "s", "v"}) == kOk);
  CHECK(runner.Run({"LPUSHX", "s", "a"}) == kWrongTypeReply);
  CHECK(runner.Run({"RPUSH", "s", "a"}) == kWrongTypeReply);
}

TEST_CASE("list elements are binary safe and integers read back as text") {
  CommandRunner runner;
  std::string binary("a\0b\r\n\xff", 6);
  CHECK(runner.Run({"RPUSH", "l", binary, "-0", "007", "12", "-9223372036854775808", ""}) ==
        Integer(6));
  CHECK(Range(runner, "l") == BulkArray({binary, "-0", "007", "12", "-9223372036854775808", ""}));
  CHECK(runner.Run({"LPOS", "l", "12"}) == Integer(3));
  CHECK(runner.Run({"LPOS", "l", "007"}) == Integer(2));
  CHECK(runner.Run({"LPOS", "l", "7"}) == kNil);
  CHECK(runner.Run({"LREM", "l", "0", binary}) == Integer(1));
  CHECK(runner.Run({"LINDEX", "l", "0"}) == Bulk("-0"));
}

TEST_CASE("LPOP and RPOP with and without a count") {
  CommandRunner runner;
  CHECK(runner.Run({"LPOP", "l"}) == kNil);
  CHECK(runner.Run({"LPOP", "l", "2"}) == kNullArray);
  CHECK(runner.Run({"LPOP", "l", "0"}) == kNullArray);
  CHECK(runner.Run({"RPUSH", "l", "a", "b", "c", "d", "e"}) == Integer(5));
  CHECK(runner.Run({"LPOP", "l"}) == Bulk("a"));
  CHECK(runner.Run({"RPOP", "l"}) == Bulk("e"));
  CHECK(runner.Run({"LPOP", "l", "0"}) == kEmptyArray);
  CHECK(runner.Run({"RPOP", "l", "2"}) == BulkArray({"d", "c"}));
  CHECK(runner.Run({"LPOP", "l", "-1"}) == Error("value is out of range, must be positive"));
  CHECK(runner.Run({"LPOP", "l", "x"}) == Error("value is out of range, must be positive"));
  CHECK(runner.Run({"LPOP", "l", "1", "2"}) ==
        Error("wrong number of arguments for 'lpop' command"));
  CHECK(runner.Run({"LPOP", "l", "100"}) == BulkArray({"b"}));
  CHECK(runner.Run({"EXISTS", "l"}) == Integer(0));
  runner.set_protocol(3);
  CHECK(runner.Run({"LPOP", "l"}) == "_\r\n");
  CHECK(runner.Run({"LPOP", "l", "1"}) == "_\r\n");
}

TEST_CASE("popping the last element deletes the key and sends Redis's events") {
  CommandRunner runner;
  runner.Run({"RPUSH", "l", "a", "b"});
  runner.events.clear();
  CHECK(runner.Run({"RPOP", "l", "5"}) == BulkArray({"b", "a"}));
  CHECK(runner.events == std::vector<std::string>{"0:modified:l", "0:rpop:l", "0:del:l"});
  runner.events.clear();
  CHECK(runner.Run({"LPUSH", "n", "x"}) == Integer(1));
  CHECK(runner.events == std::vector<std::string>{"0:new:n", "0:modified:n", "0:lpush:n"});
}

TEST_CASE("LRANGE handles negative and out-of-range indexes") {
  CommandRunner runner;
  runner.Run({"RPUSH", "l", "a", "b", "c", "d"});
  CHECK(runner.Run({"LRANGE", "l", "1", "2"}) == BulkArray({"b", "c"}));
  CHECK(runner.Run({"LRANGE", "l", "-2", "-1"}) == BulkArray({"c", "d"}));
  CHECK(runner.Run({"LRANGE", "l", "-100", "100"}) == BulkArray({"a", "b", "c", "d"}));
  CHECK(runner.Run({"LRANGE", "l", "3", "1"}) == kEmptyArray);
  CHECK(runner.Run({"LRANGE", "l", "4", "10"}) == kEmptyArray);
  CHECK(runner.Run({"LRANGE", "l", "-9223372036854775808", "9223372036854775807"}) ==
        BulkArray({"a", "b", "c", "d"}));
  CHECK(runner.Run({"LRANGE", "l", "x", "1"}) == kNotIntegerReply);
  CHECK(runner.Run({"LRANGE", "missing", "0", "-1"}) == kEmptyArray);
  CHECK(runner.Run({"LRANGE", "missing", "x", "-1"}) == kNotIntegerReply);
}

TEST_CASE("LINDEX and LSET") {
  CommandRunner runner;
  CHECK(runner.Run({"LINDEX", "l", "x"}) == kNil);  // Missing key before the index parse.
  CHECK(runner.Run({"LSET", "l", "0", "v"}) == Error("no such key"));
  runner.Run({"RPUSH", "l", "a", "b", "c"});
  CHECK(runner.Run({"LINDEX", "l", "0"}) == Bulk("a"));
  CHECK(runner.Run({"LINDEX", "l", "-1"}) == Bulk("c"));
  CHECK(runner.Run({"LINDEX", "l", "3"}) == kNil);
  CHECK(runner.Run({"LINDEX", "l", "-4"}) == kNil);
  CHECK(runner.Run({"LINDEX", "l", "x"}) == kNotIntegerReply);
  CHECK(runner.Run({"LSET", "l", "-1", "z"}) == kOk);
  CHECK(runner.Run({"LSET", "l", "3", "z"}) == Error("index out of range"));
  CHECK(runner.Run({"LSET", "l", "x", "z"}) == kNotIntegerReply);
  CHECK(Range(runner, "l") == BulkArray({"a", "b", "z"}));
  runner.Run({"SET", "s", "v"});
  CHECK(runner.Run({"LINDEX", "s", "x"}) == kWrongTypeReply);
  CHECK(runner.Run({"LSET", "s", "x", "v"}) == kWrongTypeReply);
}

TEST_CASE("LINSERT finds the first pivot from the head") {
  CommandRunner runner;
  CHECK(runner.Run({"LINSERT", "l", "BEFORE", "a", "x"}) == Integer(0));
  runner.Run({"RPUSH", "l", "a", "b", "a"});
  CHECK(runner.Run({"LINSERT", "l", "before", "a", "x"}) == Integer(4));
  CHECK(runner.Run({"LINSERT", "l", "AFTER", "a", "y"}) == Integer(5));
  CHECK(runner.Run({"LINSERT", "l", "AFTER", "zz", "y"}) == Integer(-1));
  CHECK(runner.Run({"LINSERT", "l", "MIDDLE", "a", "y"}) == kSyntaxReply);
  CHECK(runner.Run({"LINSERT", "missing", "MIDDLE", "a", "y"}) == kSyntaxReply);
  CHECK(Range(runner, "l") == BulkArray({"x", "a", "y", "b", "a"}));
}

TEST_CASE("LREM removes from the head, the tail or everywhere") {
  CommandRunner runner;
  runner.Run({"RPUSH", "l", "a", "b", "a", "c", "a"});
  CHECK(runner.Run({"LREM", "l", "1", "a"}) == Integer(1));
  CHECK(Range(runner, "l") == BulkArray({"b", "a", "c", "a"}));
  CHECK(runner.Run({"LREM", "l", "-1", "a"}) == Integer(1));
  CHECK(Range(runner, "l") == BulkArray({"b", "a", "c"}));
  CHECK(runner.Run({"LREM", "l", "0", "zz"}) == Integer(0));
  CHECK(runner.Run({"LREM", "l", "-9223372036854775808", "a"}) == Integer(1));
  CHECK(runner.Run({"LREM", "l", "x", "a"}) == kNotIntegerReply);
  runner.events.clear();
  CHECK(runner.Run({"LREM", "l", "0", "b"}) == Integer(1));
  CHECK(runner.Run({"LREM", "l", "0", "c"}) == Integer(1));
  CHECK(runner.events == std::vector<std::string>{"0:modified:l", "0:lrem:l", "0:modified:l",
                                                  "0:lrem:l", "0:del:l"});
  CHECK(runner.Run({"EXISTS", "l"}) == Integer(0));
}

TEST_CASE("LTRIM keeps a range and deletes an emptied list") {
  CommandRunner runner;
  CHECK(runner.Run({"LTRIM", "l", "0", "1"}) == kOk);
  runner.Run({"RPUSH", "l", "a", "b", "c", "d", "e"});
  CHECK(runner.Run({"LTRIM", "l", "1", "-2"}) == kOk);
  CHECK(Range(runner, "l") == BulkArray({"b", "c", "d"}));
  CHECK(runner.Run({"LTRIM", "l", "-100", "100"}) == kOk);
  CHECK(Range(runner, "l") == BulkArray({"b", "c", "d"}));
  CHECK(runner.Run({"LTRIM", "l", "x", "1"}) == kNotIntegerReply);
  runner.events.clear();
  CHECK(runner.Run({"LTRIM", "l", "2", "1"}) == kOk);
  CHECK(runner.events == std::vector<std::string>{"0:modified:l", "0:ltrim:l", "0:del:l"});
  CHECK(runner.Run({"EXISTS", "l"}) == Integer(0));
}

TEST_CASE("LPOS with RANK, COUNT and MAXLEN") {
  CommandRunner runner;
  CHECK(runner.Run({"LPOS", "l", "a"}) == kNil);
  CHECK(runner.Run({"LPOS", "l", "a", "COUNT", "0"}) == kEmptyArray);
  runner.Run({"RPUSH", "l", "a", "b", "c", "a", "b", "a"});
  CHECK(runner.Run({"LPOS", "l", "a"}) == Integer(0));
  CHECK(runner.Run({"LPOS", "l", "a", "RANK", "2"}) == Integer(3));
  CHECK(runner.Run({"LPOS", "l", "a", "RANK", "-1"}) == Integer(5));
  CHECK(runner.Run({"LPOS", "l", "a", "RANK", "4"}) == kNil);
  CHECK(runner.Run({"LPOS", "l", "a", "COUNT", "0"}) == "*3\r\n:0\r\n:3\r\n:5\r\n");
  CHECK(runner.Run({"LPOS", "l", "a", "COUNT", "2", "RANK", "-1"}) == "*2\r\n:5\r\n:3\r\n");
  CHECK(runner.Run({"LPOS", "l", "a", "COUNT", "0", "MAXLEN", "4"}) == "*2\r\n:0\r\n:3\r\n");
  CHECK(runner.Run({"LPOS", "l", "c", "MAXLEN", "2"}) == kNil);
  CHECK(runner.Run({"LPOS", "l", "a", "RANK", "0"}) ==
        Error("RANK can't be zero: use 1 to start from the first match, 2 from the second ... "
              "or use negative to start from the end of the list"));
  CHECK(runner.Run({"LPOS", "l", "a", "RANK", "-9223372036854775808"}) ==
        Error("value is out of range, value must between -9223372036854775807 and "
              "9223372036854775807"));
  CHECK(runner.Run({"LPOS", "l", "a", "RANK", "x"}) == kNotIntegerReply);
  CHECK(runner.Run({"LPOS", "l", "a", "COUNT", "-1"}) == Error("COUNT can't be negative"));
  CHECK(runner.Run({"LPOS", "l", "a", "COUNT", "x"}) == Error("COUNT can't be negative"));
  CHECK(runner.Run({"LPOS", "l", "a", "MAXLEN", "-1"}) == Error("MAXLEN can't be negative"));
  CHECK(runner.Run({"LPOS", "l", "a", "MAXLEN"}) == kSyntaxReply);
  CHECK(runner.Run({"LPOS", "missing", "a", "FOO", "1"}) == kSyntaxReply);
}

TEST_CASE("LMOVE and RPOPLPUSH move between lists, rotate one, and send events in order") {
  CommandRunner runner;
  CHECK(runner.Run({"LMOVE", "a", "b", "LEFT", "RIGHT"}) == kNil);
  CHECK(runner.Run({"LMOVE", "a", "b", "UP", "RIGHT"}) == kSyntaxReply);
  runner.Run({"RPUSH", "a", "1", "2", "3"});
  runner.events.clear();
  CHECK(runner.Run({"LMOVE", "a", "b", "LEFT", "RIGHT"}) == Bulk("1"));
  CHECK(runner.events == std::vector<std::string>{"0:new:b", "0:modified:b", "0:rpush:b",
                                                  "0:modified:a", "0:lpop:a"});
  CHECK(runner.Run({"RPOPLPUSH", "a", "b"}) == Bulk("3"));
  CHECK(Range(runner, "b") == BulkArray({"3", "1"}));
  CHECK(runner.Run({"LMOVE", "b", "b", "RIGHT", "LEFT"}) == Bulk("1"));
  CHECK(Range(runner, "b") == BulkArray({"1", "3"}));
  CHECK(runner.Run({"RPOPLPUSH", "a", "a"}) == Bulk("2"));
  CHECK(Range(runner, "a") == BulkArray({"2"}));
  CHECK(runner.Run({"LMOVE", "a", "b", "right", "left"}) == Bulk("2"));
  CHECK(runner.Run({"EXISTS", "a"}) == Integer(0));
  runner.Run({"SET", "s", "v"});
  CHECK(runner.Run({"LMOVE", "b", "s", "LEFT", "LEFT"}) == kWrongTypeReply);
  CHECK(runner.Run({"LMOVE", "s", "b", "LEFT", "LEFT"}) == kWrongTypeReply);
  CHECK(runner.Run({"LMOVE", "missing", "s", "LEFT", "LEFT"}) == kNil);
  CHECK(Range(runner, "b") == BulkArray({"2", "1", "3"}));
}

TEST_CASE("LMPOP pops from the first non-empty list") {
  CommandRunner runner;
  CHECK(runner.Run({"LMPOP", "2", "a", "b", "LEFT"}) == kNullArray);
  runner.Run({"RPUSH", "b", "1", "2", "3"});
  CHECK(runner.Run({"LMPOP", "2", "a", "b", "LEFT"}) == "*2\r\n" + Bulk("b") + BulkArray({"1"}));
  CHECK(runner.Run({"LMPOP", "2", "a", "b", "RIGHT", "COUNT", "5"}) ==
        "*2\r\n" + Bulk("b") + BulkArray({"3", "2"}));
  CHECK(runner.Run({"EXISTS", "b"}) == Integer(0));
  CHECK(runner.Run({"LMPOP", "0", "a", "LEFT"}) == Error("numkeys should be greater than 0"));
  CHECK(runner.Run({"LMPOP", "x", "a", "LEFT"}) == Error("numkeys should be greater than 0"));
  CHECK(runner.Run({"LMPOP", "2", "a", "LEFT"}) == kSyntaxReply);
  CHECK(runner.Run({"LMPOP", "9223372036854775807", "a", "LEFT"}) == kSyntaxReply);
  CHECK(runner.Run({"LMPOP", "1", "a", "UP"}) == kSyntaxReply);
  CHECK(runner.Run({"LMPOP", "1", "a", "LEFT", "COUNT", "0"}) ==
        Error("count should be greater than 0"));
  CHECK(runner.Run({"LMPOP", "1", "a", "LEFT", "COUNT", "1", "COUNT", "1"}) == kSyntaxReply);
  CHECK(runner.Run({"LMPOP", "1", "a", "LEFT", "COUNT"}) == kSyntaxReply);
  runner.Run({"SET", "s", "v"});
  CHECK(runner.Run({"LMPOP", "2", "a", "s", "LEFT"}) == kWrongTypeReply);
}

TEST_CASE("encodings follow list-max-listpack-size both ways, as Redis 7.2") {
  CommandRunner runner;
  runner.limits().encodings.list_max_listpack_size = 4;
  runner.Run({"RPUSH", "l", "1", "2", "3", "4"});
  CHECK(EncodingOf(runner, "l") == "listpack");
  runner.Run({"RPUSH", "l", "5"});
  CHECK(EncodingOf(runner, "l") == "quicklist");
  runner.Run({"RPOP", "l", "2"});
  CHECK(EncodingOf(runner, "l") == "quicklist");  // 3 > 4 / 2.
  runner.Run({"RPOP", "l"});
  CHECK(EncodingOf(runner, "l") == "listpack");
  // LSET and LINSERT convert before they know whether they will succeed.
  runner.Run({"RPUSH", "m", "1", "2", "3", "4"});
  CHECK(runner.Run({"LINSERT", "m", "BEFORE", "zz", "x"}) == Integer(-1));
  CHECK(EncodingOf(runner, "m") == "quicklist");
  runner.limits().encodings.list_max_listpack_size = -2;
  runner.Run({"RPUSH", "big", "a"});
  CHECK(runner.Run({"LSET", "big", "5", std::string(9000, 'x')}) == Error("index out of range"));
  CHECK(EncodingOf(runner, "big") == "quicklist");
  runner.Run({"RPUSH", "v", std::string(8000, 'x')});
  CHECK(EncodingOf(runner, "v") == "listpack");
  runner.Run({"RPUSH", "v", std::string(200, 'x')});
  CHECK(EncodingOf(runner, "v") == "quicklist");
}

TEST_CASE("a list shared by COPY is copied before it changes") {
  CommandRunner runner;
  runner.Run({"RPUSH", "a", "1", "2", "3"});
  CHECK(runner.Run({"COPY", "a", "b"}) == Integer(1));
  CHECK(runner.Run({"RPUSH", "b", "4"}) == Integer(4));
  CHECK(runner.Run({"LPOP", "a"}) == Bulk("1"));
  CHECK(Range(runner, "a") == BulkArray({"2", "3"}));
  CHECK(Range(runner, "b") == BulkArray({"1", "2", "3", "4"}));
}

TEST_CASE("a huge count pops at most the list and allocates nothing up front") {
  CommandRunner runner;
  runner.Run({"RPUSH", "l", "a"});
  CHECK(runner.Run({"RPOP", "l", "9223372036854775807"}) == BulkArray({"a"}));
  runner.Run({"RPUSH", "l", "a"});
  CHECK(runner.Run({"LMPOP", "1", "l", "LEFT", "COUNT", "9223372036854775807"}) ==
        "*2\r\n" + Bulk("l") + BulkArray({"a"}));
}

// A random command stream against a deque model, with tiny limits so that conversions happen
// all the time; encodings are checked against the rule too.
TEST_CASE("random list commands match a deque model across encodings") {
  for (int64_t fill : {3, -1}) {
    uint64_t seed = 0x1157c0de + static_cast<uint64_t>(fill + 10);
    INFO("seed " << seed << " fill " << fill);
    std::mt19937_64 rng(seed);
    CommandRunner runner;
    runner.limits().encodings.list_max_listpack_size = fill;
    runner.limits().encodings.list_compress_depth = 1;
    std::deque<std::string> model;
    auto element = [&]() -> std::string {
      switch (rng() % 5) {
        case 0:
          return std::to_string(static_cast<int>(rng() % 7));
        case 1:
          return std::string(rng() % 3000, 'w');
        case 2:
          return std::string(5000, 'L');
        default:
          return std::string(1, static_cast<char>('a' + rng() % 4));
      }
    };
    for (int step = 0; step < 2500; step++) {
      INFO("step " << step);
      int64_t length = static_cast<int64_t>(model.size());
      std::string e = element();
      switch (rng() % 9) {
        case 0:
          REQUIRE(runner.Run({"RPUSH", "l", e}) == Integer(length + 1));
          model.push_back(e);
          break;
        case 1:
          REQUIRE(runner.Run({"LPUSH", "l", e}) == Integer(length + 1));
          model.push_front(e);
          break;
        case 2:
          if (length == 0) {
            REQUIRE(runner.Run({"LPOP", "l"}) == kNil);
          } else {
            REQUIRE(runner.Run({"LPOP", "l"}) == Bulk(model.front()));
            model.pop_front();
          }
          break;
        case 3: {
          size_t count = 1 + rng() % 3;
          if (length == 0) {
            REQUIRE(runner.Run({"RPOP", "l", std::to_string(count)}) == kNullArray);
            break;
          }
          std::vector<std::string> popped;
          for (size_t i = 0; i < count && !model.empty(); i++) {
            popped.push_back(model.back());
            model.pop_back();
          }
          REQUIRE(runner.Run({"RPOP", "l", std::to_string(count)}) == BulkArray(popped));
          break;
        }
        case 4: {
          if (length == 0) break;
          int64_t index = static_cast<int64_t>(rng() % static_cast<uint64_t>(2 * length)) - length;
          REQUIRE(runner.Run({"LSET", "l", std::to_string(index), e}) == kOk);
          model[static_cast<size_t>(index < 0 ? index + length : index)] = e;
          break;
        }
        case 5: {
          if (length == 0) break;
          std::string pivot = model[rng() % model.size()];
          bool after = rng() % 2 == 0;
          REQUIRE(runner.Run({"LINSERT", "l", after ? "AFTER" : "BEFORE", pivot, e}) ==
                  Integer(length + 1));
          auto it = std::find(model.begin(), model.end(), pivot);
          model.insert(after ? it + 1 : it, e);
          break;
        }
        case 6: {
          if (length == 0) break;
          std::string target = model[rng() % model.size()];
          int64_t count = static_cast<int64_t>(rng() % 5) - 2;
          size_t removed = 0;
          if (count >= 0) {
            for (auto it = model.begin(); it != model.end();) {
              if (*it == target && (count == 0 || removed < static_cast<size_t>(count))) {
                it = model.erase(it);
                removed++;
              } else {
                ++it;
              }
            }
          } else {
            for (size_t i = model.size(); i-- > 0;) {
              if (model[i] == target && removed < static_cast<size_t>(-count)) {
                model.erase(model.begin() + static_cast<long>(i));
                removed++;
              }
            }
          }
          REQUIRE(runner.Run({"LREM", "l", std::to_string(count), target}) ==
                  Integer(static_cast<int64_t>(removed)));
          break;
        }
        case 7: {
          if (length == 0) break;
          int64_t start = static_cast<int64_t>(rng() % static_cast<uint64_t>(length));
          int64_t stop = start + static_cast<int64_t>(rng() % 40);
          REQUIRE(runner.Run({"LTRIM", "l", std::to_string(start), std::to_string(stop)}) == kOk);
          std::deque<std::string> kept(model.begin() + start,
                                       model.begin() + std::min(stop + 1, length));
          model = kept;
          break;
        }
        default: {
          std::vector<std::string> all(model.begin(), model.end());
          REQUIRE(Range(runner, "l") == BulkArray(all));
          break;
        }
      }
      REQUIRE(runner.Run({"LLEN", "l"}) == Integer(static_cast<int64_t>(model.size())));
      std::string encoding = EncodingOf(runner, "l");
      if (model.empty()) {
        REQUIRE(encoding == "none");
      } else if (fill > 0 && model.size() > static_cast<size_t>(fill)) {
        REQUIRE(encoding == "quicklist");
      }
    }
  }
}
