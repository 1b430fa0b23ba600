// Blocking commands (BLPOP BRPOP BLMPOP BLMOVE BRPOPLPUSH BZPOPMIN BZPOPMAX BZMPOP, XREAD and
// XREADGROUP with BLOCK): immediate service when data is there, the block requests (keys,
// deadline, null kind, argv rewrite), replies where blocking is not allowed (MULTI), errors
// in Redis's order, and the ready signals writes send. The server's wake-up mechanics are
// exercised by tests/integration/test_blocking.py.
#include <doctest/doctest.h>

#include <string>
#include <vector>

#include "reply_parsing.h"
#include "ringdb/testing/command_runner.h"

using namespace ringdb::testing;

namespace {

using Strings = std::vector<std::string>;
const std::string kWrongType =
    "-WRONGTYPE Operation against a key holding the wrong kind of value\r\n";
const char kNullArray[] = "*-1\r\n";
const std::string kNotFloat = Error("timeout is not a float or out of range");
const std::string kNegative = Error("timeout is negative");

}  // namespace

TEST_CASE("BLPOP and BRPOP serve the first non-empty list at once") {
  CommandRunner runner;
  CHECK(runner.Run({"RPUSH", "b", "1", "2", "3"}) == Integer(3));
  CHECK(runner.Run({"BLPOP", "a", "b", "0"}) == BulkArray({"b", "1"}));
  CHECK(runner.Run({"BRPOP", "a", "b", "0"}) == BulkArray({"b", "3"}));
  CHECK(runner.Run({"BRPOP", "b", "0.5"}) == BulkArray({"b", "2"}));
  CHECK(runner.Run({"EXISTS", "b"}) == Integer(0));
  CHECK(runner.blocks.empty());
  std::string binary("k\0\r\n\xff", 5);
  CHECK(runner.Run({"RPUSH", binary, binary}) == Integer(1));
  CHECK(runner.Run({"BLPOP", binary, "1"}) == BulkArray({binary, binary}));
}

TEST_CASE("BLPOP blocks on every key with the deadline and replies a null array in MULTI") {
  CommandRunner runner;
  CHECK(runner.Run({"BLPOP", "a", "b", "1.5"}).empty());
  REQUIRE(runner.blocks.size() == 1);
  CHECK(runner.blocks[0].keys == Strings{"a", "b"});
  CHECK(runner.blocks[0].deadline_ms == runner.now_ms() + 1500);
  CHECK_FALSE(runner.blocks[0].null_bulk_on_timeout);
  CHECK(runner.blocks[0].argv.empty());  // Runs again as sent.
  CHECK(runner.Run({"BRPOP", "a", "0"}).empty());
  CHECK(runner.blocks[1].deadline_ms == 0);
  // Sub-millisecond timeouts round up.
  CHECK(runner.Run({"BLPOP", "a", "0.0001"}).empty());
  CHECK(runner.blocks[2].deadline_ms == runner.now_ms() + 1);
  runner.can_block = false;
  CHECK(runner.Run({"BLPOP", "a", "0"}) == kNullArray);
  CHECK(runner.Run({"BRPOP", "a", "1"}) == kNullArray);
  CHECK(runner.blocks.size() == 3);
}

TEST_CASE("blocking list commands check the timeout and types as Redis does") {
  CommandRunner runner;
  for (const char* bad : {"x", "nan", "1e", ""}) {
    CHECK(runner.Run({"BLPOP", "a", bad}) == kNotFloat);
  }
  CHECK(runner.Run({"BLPOP", "a", "-1"}) == kNegative);
  CHECK(runner.Run({"BLPOP", "a", "-0.5"}) == kNegative);
  CHECK(runner.Run({"BLPOP", "a", "inf"}) == Error("timeout is out of range"));
  CHECK(runner.Run({"BLPOP", "a", "-inf"}) == kNegative);
  CHECK(runner.Run({"BLPOP", "a"}) == Error("wrong number of arguments for 'blpop' command"));
  CHECK(runner.Run({"SET", "s", "v"}) == Simple("OK"));
  CHECK(runner.Run({"BLPOP", "missing", "s", "0"}) == kWrongType);
  // The timeout is parsed before the keys are looked at.
  CHECK(runner.Run({"BLPOP", "s", "x"}) == kNotFloat);
  CHECK(runner.Run({"BLMOVE", "s", "d", "LEFT", "RIGHT", "0"}) == kWrongType);
  CHECK(runner.Run({"BRPOPLPUSH", "s", "d", "0"}) == kWrongType);
  CHECK(runner.Run({"BLMOVE", "a", "d", "UP", "RIGHT", "0"}) == Error("syntax error"));
  CHECK(runner.Run({"BLMOVE", "a", "d", "LEFT", "RIGHT", "-1"}) == kNegative);
  CHECK(runner.Run({"BRPOPLPUSH", "a", "d", "nan"}) == kNotFloat);
  CHECK(runner.blocks.empty());
  // As Redis: less than a negative millisecond rounds up to 0, which waits for ever.
  CHECK(runner.Run({"BLPOP", "a", "-0.0001"}).empty());
  REQUIRE(runner.blocks.size() == 1);
  CHECK(runner.blocks[0].deadline_ms == 0);
}

TEST_CASE("BLMPOP parses like LMPOP, then the timeout") {
  CommandRunner runner;
  CHECK(runner.Run({"BLMPOP", "0", "0", "a", "LEFT"}) == Error("numkeys should be greater than 0"));
  CHECK(runner.Run({"BLMPOP", "0", "x", "a", "LEFT"}) == Error("numkeys should be greater than 0"));
  CHECK(runner.Run({"BLMPOP", "0", "2", "a", "LEFT"}) == Error("syntax error"));
  CHECK(runner.Run({"BLMPOP", "0", "1", "a", "UP"}) == Error("syntax error"));
  CHECK(runner.Run({"BLMPOP", "0", "1", "a", "LEFT", "COUNT", "0"}) ==
        Error("count should be greater than 0"));
  CHECK(runner.Run({"BLMPOP", "0", "1", "a", "LEFT", "COUNT", "1", "COUNT", "1"}) ==
        Error("syntax error"));
  CHECK(runner.Run({"BLMPOP", "x", "1", "a", "UP"}) == Error("syntax error"));
  CHECK(runner.Run({"BLMPOP", "x", "1", "a", "LEFT"}) == kNotFloat);
  CHECK(runner.Run({"RPUSH", "b", "1", "2", "3"}) == Integer(3));
  CHECK(runner.Run({"BLMPOP", "0", "2", "a", "b", "RIGHT", "COUNT", "2"}) ==
        "*2\r\n$1\r\nb\r\n*2\r\n$1\r\n3\r\n$1\r\n2\r\n");
  CHECK(runner.Run({"BLMPOP", "0", "2", "a", "b", "LEFT", "COUNT", "10"}) ==
        "*2\r\n$1\r\nb\r\n*1\r\n$1\r\n1\r\n");
  CHECK(runner.Run({"BLMPOP", "2", "2", "a", "b", "LEFT"}).empty());
  REQUIRE(runner.blocks.size() == 1);
  CHECK(runner.blocks[0].keys == Strings{"a", "b"});
  CHECK(runner.blocks[0].deadline_ms == runner.now_ms() + 2000);
  runner.can_block = false;
  CHECK(runner.Run({"BLMPOP", "0", "1", "a", "LEFT"}) == kNullArray);
}

TEST_CASE("BLMOVE and BRPOPLPUSH move at once, or block; a null bulk only in MULTI") {
  CommandRunner runner;
  CHECK(runner.Run({"RPUSH", "src", "a", "b"}) == Integer(2));
  CHECK(runner.Run({"BLMOVE", "src", "dst", "LEFT", "LEFT", "0"}) == Bulk("a"));
  // The new destination list signals its key ready (clients blocked on it wake).
  CHECK(runner.ready_keys == Strings{"0:src", "0:dst"});
  CHECK(runner.Run({"BRPOPLPUSH", "src", "dst", "0"}) == Bulk("b"));
  CHECK(runner.Run({"LRANGE", "dst", "0", "-1"}) == BulkArray({"b", "a"}));
  CHECK(runner.Run({"EXISTS", "src"}) == Integer(0));
  CHECK(runner.Run({"BLMOVE", "src", "dst", "RIGHT", "LEFT", "0.25"}).empty());
  REQUIRE(runner.blocks.size() == 1);
  CHECK(runner.blocks[0].keys == Strings{"src"});
  // Redis times BLMOVE out with a null array (*-1 in RESP2), as every list block.
  CHECK_FALSE(runner.blocks[0].null_bulk_on_timeout);
  CHECK(runner.blocks[0].deadline_ms == runner.now_ms() + 250);
  // A wrong-typed destination only matters once the source has data.
  CHECK(runner.Run({"SET", "str", "v"}) == Simple("OK"));
  CHECK(runner.Run({"BRPOPLPUSH", "src", "str", "0"}).empty());
  CHECK(runner.blocks.size() == 2);
  CHECK(runner.Run({"RPUSH", "src", "x"}) == Integer(1));
  CHECK(runner.Run({"BRPOPLPUSH", "src", "str", "0"}) == kWrongType);
  CHECK(runner.Run({"LLEN", "src"}) == Integer(1));
  runner.can_block = false;
  CHECK(runner.Run({"BLMOVE", "none", "dst", "LEFT", "LEFT", "0"}) == kNil);
  CHECK(runner.Run({"BRPOPLPUSH", "none", "dst", "0"}) == kNil);
}

TEST_CASE("BZPOPMIN BZPOPMAX and BZMPOP pop at once or block") {
  CommandRunner runner;
  CHECK(runner.Run({"ZADD", "z", "1", "a", "2", "b", "3", "c"}) == Integer(3));
  CHECK(runner.Run({"BZPOPMIN", "none", "z", "0"}) == BulkArray({"z", "a", "1"}));
  CHECK(runner.Run({"BZPOPMAX", "z", "0"}) == BulkArray({"z", "c", "3"}));
  runner.set_protocol(3);
  CHECK(runner.Run({"BZPOPMAX", "z", "0"}) == "*3\r\n$1\r\nz\r\n$1\r\nb\r\n,2\r\n");
  CHECK(runner.Run({"EXISTS", "z"}) == Integer(0));
  runner.set_protocol(2);
  CHECK(runner.Run({"ZADD", "y", "1.5", "m", "2", "n"}) == Integer(2));
  CHECK(runner.Run({"BZMPOP", "0", "2", "z", "y", "MAX", "COUNT", "5"}) ==
        "*2\r\n$1\r\ny\r\n*2\r\n*2\r\n$1\r\nn\r\n$1\r\n2\r\n*2\r\n$1\r\nm\r\n$3\r\n1.5\r\n");
  CHECK(runner.Run({"BZPOPMIN", "z", "y", "0.5"}).empty());
  REQUIRE(runner.blocks.size() == 1);
  CHECK(runner.blocks[0].keys == Strings{"z", "y"});
  CHECK(runner.blocks[0].deadline_ms == runner.now_ms() + 500);
  CHECK(runner.Run({"BZMPOP", "1", "1", "z", "MIN"}).empty());
  CHECK(runner.blocks.size() == 2);
  CHECK(runner.Run({"BZMPOP", "1", "1", "z", "LEFT"}) == Error("syntax error"));
  CHECK(runner.Run({"BZMPOP", "1", "0", "z", "MIN"}) == Error("numkeys should be greater than 0"));
  CHECK(runner.Run({"BZMPOP", "-1", "1", "z", "MIN"}) == kNegative);
  CHECK(runner.Run({"BZPOPMIN", "z", "nan"}) == kNotFloat);
  CHECK(runner.Run({"SET", "s", "v"}) == Simple("OK"));
  CHECK(runner.Run({"BZPOPMIN", "s", "0"}) == kWrongType);
  runner.can_block = false;
  CHECK(runner.Run({"BZPOPMIN", "z", "0"}) == kNullArray);
  CHECK(runner.Run({"BZMPOP", "0", "1", "z", "MAX"}) == kNullArray);
  CHECK(runner.blocks.size() == 2);
  runner.can_block = true;
  runner.ready_keys.clear();
  CHECK(runner.Run({"ZADD", "z", "1", "a"}) == Integer(1));
  CHECK(runner.ready_keys == Strings{"0:z"});
}

TEST_CASE("XREAD BLOCK serves at once, or blocks with $ rewritten to the last ID") {
  CommandRunner runner;
  CHECK(runner.Run({"XADD", "s", "5-1", "f", "v"}) == Bulk("5-1"));
  CHECK(runner.Run({"XREAD", "BLOCK", "0", "STREAMS", "s", "0"}) ==
        "*1\r\n*2\r\n$1\r\ns\r\n*1\r\n*2\r\n$3\r\n5-1\r\n*2\r\n$1\r\nf\r\n$1\r\nv\r\n");
  CHECK(runner.Run({"XREAD", "COUNT", "1", "BLOCK", "100", "STREAMS", "s", "t", "$", "$"}).empty());
  REQUIRE(runner.blocks.size() == 1);
  CHECK(runner.blocks[0].keys == Strings{"s", "t"});
  CHECK(runner.blocks[0].deadline_ms == runner.now_ms() + 100);
  CHECK_FALSE(runner.blocks[0].wake_on_missing_key);
  CHECK(runner.blocks[0].argv ==
        Strings{"XREAD", "COUNT", "1", "BLOCK", "100", "STREAMS", "s", "t", "5-1", "0-0"});
  // Explicit IDs need no rewrite.
  CHECK(runner.Run({"XREAD", "BLOCK", "0", "STREAMS", "s", "5-1"}).empty());
  CHECK(runner.blocks[1].argv.empty());
  CHECK(runner.blocks[1].deadline_ms == 0);
  // Without BLOCK, or where blocking is not allowed: a null array.
  CHECK(runner.Run({"XREAD", "STREAMS", "s", "$"}) == kNullArray);
  runner.can_block = false;
  CHECK(runner.Run({"XREAD", "BLOCK", "0", "STREAMS", "s", "$"}) == kNullArray);
  CHECK(runner.blocks.size() == 2);
  CHECK(runner.Run({"XREAD", "BLOCK", "-1", "STREAMS", "s", "$"}) == kNegative);
  CHECK(runner.Run({"XREAD", "BLOCK", "1.5", "STREAMS", "s", "$"}) ==
        Error("timeout is not an integer or out of range"));
}

TEST_CASE("XADD signals its stream ready, new or existing") {
  CommandRunner runner;
  CHECK(runner.Run({"XADD", "s", "1-1", "f", "v"}) == Bulk("1-1"));
  CHECK(runner.ready_keys == Strings{"0:s"});  // Once.
  runner.ready_keys.clear();
  CHECK(runner.Run({"XADD", "s", "2-1", "f", "v"}) == Bulk("2-1"));
  CHECK(runner.ready_keys == Strings{"0:s"});
  runner.ready_keys.clear();
  CHECK(runner.Run({"XADD", "s", "1-1", "f", "v"}).front() == '-');
  CHECK(runner.ready_keys.empty());
}

TEST_CASE("XREADGROUP BLOCK waits for new entries only, and wakes on a missing key") {
  CommandRunner runner;
  CHECK(runner.Run({"XGROUP", "CREATE", "s", "g", "$", "MKSTREAM"}) == Simple("OK"));
  CHECK(runner.Run({"XREADGROUP", "GROUP", "g", "c", "BLOCK", "50", "STREAMS", "s", ">"}).empty());
  REQUIRE(runner.blocks.size() == 1);
  CHECK(runner.blocks[0].keys == Strings{"s"});
  CHECK(runner.blocks[0].wake_on_missing_key);
  CHECK(runner.blocks[0].deadline_ms == runner.now_ms() + 50);
  // History reads never block: an empty history is an empty reply.
  CHECK(runner.Run({"XREADGROUP", "GROUP", "g", "c", "BLOCK", "0", "STREAMS", "s", "0"}) ==
        "*1\r\n*2\r\n$1\r\ns\r\n*0\r\n");
  CHECK(runner.Run({"XADD", "s", "1-1", "f", "v"}) == Bulk("1-1"));
  CHECK(runner.Run({"XREADGROUP", "GROUP", "g", "c", "BLOCK", "0", "STREAMS", "s", ">"}) ==
        "*1\r\n*2\r\n$1\r\ns\r\n*1\r\n*2\r\n$3\r\n1-1\r\n*2\r\n$1\r\nf\r\n$1\r\nv\r\n");
  runner.can_block = false;
  CHECK(runner.Run({"XREADGROUP", "GROUP", "g", "c", "BLOCK", "0", "STREAMS", "s", ">"}) ==
        kNullArray);
  // Destroying the group signals the key, so that blocked readers get NOGROUP.
  runner.ready_keys.clear();
  CHECK(runner.Run({"XGROUP", "DESTROY", "s", "g"}) == Integer(1));
  CHECK(runner.ready_keys == Strings{"0:s"});
  CHECK(runner.Run({"XREADGROUP", "GROUP", "g", "c", "BLOCK", "0", "STREAMS", "s", ">"}) ==
        "-NOGROUP No such key 's' or consumer group 'g' in XREADGROUP with GROUP option\r\n");
}
