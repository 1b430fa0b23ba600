// Sorted-set commands: Redis 7.2's replies and errors, RESP3 shapes, keyspace events,
// encodings and their thresholds, copy on write, and a randomized comparison with a model
// (std::map) that crosses the listpack limits by count and by member length.
#include <doctest/doctest.h>

#include <map>
#include <random>
#include <set>
#include <string>
#include <vector>

#include "reply_parsing.h"
#include "ringdb/store/entry.h"
#include "ringdb/store/set_view.h"
#include "ringdb/store/zset_value.h"
#include "ringdb/testing/command_runner.h"
#include "string_test_util.h"

using namespace ringdb::testing;

namespace {

std::string Int(int64_t value) { return ":" + std::to_string(value) + "\r\n"; }

std::string Score(double value) {
  char text[ringdb::store::kScoreTextMax];
  return std::string(text, ringdb::store::FormatScore(value, text));
}

std::vector<std::string> Array(const std::string& reply) {
  size_t offset = 0;
  return ReadBulkArray(reply, &offset);
}

}  // namespace

TEST_CASE("ZADD parses options as Redis 7.2 and refuses conflicting ones before any change") {
  CommandRunner runner;
  CHECK(runner.Run({"ZADD", "z", "1", "a", "2", "b"}) == Int(2));
  CHECK(runner.Run({"ZADD", "z", "XX", "NX", "1", "a"}) ==
        "-ERR XX and NX options at the same time are not compatible\r\n");
  CHECK(runner.Run({"ZADD", "z", "GT", "LT", "1", "a"}) ==
        "-ERR GT, LT, and/or NX options at the same time are not compatible\r\n");
  CHECK(runner.Run({"ZADD", "z", "NX", "GT", "1", "a"}) ==
        "-ERR GT, LT, and/or NX options at the same time are not compatible\r\n");
  CHECK(runner.Run({"ZADD", "z", "INCR", "1", "a", "2", "b"}) ==
        "-ERR INCR option supports a single increment-element pair\r\n");
  CHECK(runner.Run({"ZADD", "z", "1", "a", "x"}) == "-ERR syntax error\r\n");
  CHECK(runner.Run({"ZADD", "z", "CH", "NX"}) == "-ERR syntax error\r\n");
  CHECK(runner.Run({"ZADD", "z", "1", "c", "nan", "d"}) == "-ERR value is not a valid float\r\n");
  CHECK(runner.Run({"ZCARD", "z"}) == Int(2));
  CHECK(runner.Run({"ZADD", "z", "CH", "GT", "5", "a", "0", "b", "3", "c"}) == Int(2));
  CHECK(runner.Run({"ZADD", "z", "XX", "9", "new"}) == Int(0));
  CHECK(runner.Run({"ZADD", "z", "INCR", "NX", "1", "a"}) == kNil);
  CHECK(runner.Run({"ZADD", "z", "INCR", "0.5", "a"}) == Bulk("5.5"));
  CHECK(runner.Run({"ZADD", "inf", "inf", "a"}) == Int(1));
  CHECK(runner.Run({"ZINCRBY", "inf", "-inf", "a"}) ==
        "-ERR resulting score is not a number (NaN)\r\n");
  CHECK(runner.Run({"ZADD", "missing", "XX", "INCR", "1", "a"}) == kNil);
  CHECK(runner.Run({"EXISTS", "missing"}) == Int(0));
  CHECK(runner.Run({"SET", "s", "v"}) == kOk);
  CHECK(runner.Run({"ZADD", "s", "1", "a"}).starts_with("-WRONGTYPE"));
  // Scores are checked before the type.
  CHECK(runner.Run({"ZADD", "s", "x", "a"}) == "-ERR value is not a valid float\r\n");
}

TEST_CASE("scores reply as Redis 7.2's d2string text: bulk in RESP2, double in RESP3") {
  CommandRunner runner;
  runner.Run({"ZADD", "z", "0.1", "a", "1e17", "b", "-0", "c", "1.5e-7", "d", "-inf", "e"});
  CHECK(runner.Run({"ZSCORE", "z", "a"}) == Bulk("0.1"));
  CHECK(runner.Run({"ZSCORE", "z", "b"}) == Bulk("100000000000000000"));
  CHECK(runner.Run({"ZSCORE", "z", "c"}) == Bulk("0"));  // listpack stores -0 as integer 0
  CHECK(runner.Run({"ZSCORE", "z", "d"}) == Bulk("1.5e-7"));
  CHECK(runner.Run({"ZSCORE", "z", "e"}) == Bulk("-inf"));
  runner.set_protocol(3);
  CHECK(runner.Run({"ZSCORE", "z", "a"}) == ",0.1\r\n");
  CHECK(runner.Run({"ZMSCORE", "z", "a", "nope"}) == "*2\r\n,0.1\r\n_\r\n");
  CHECK(runner.Run({"ZRANGE", "z", "0", "1", "WITHSCORES"}) ==
        "*2\r\n*2\r\n$1\r\ne\r\n,-inf\r\n*2\r\n$1\r\nc\r\n,0\r\n");
  CHECK(runner.Run({"ZRANK", "z", "a", "WITHSCORE"}) == "*2\r\n:3\r\n,0.1\r\n");
  CHECK(runner.Run({"ZRANK", "z", "nope", "WITHSCORE"}) == "_\r\n");
  // ZPOPMIN: flat without COUNT, nested with it.
  CHECK(runner.Run({"ZPOPMIN", "z"}) == "*2\r\n$1\r\ne\r\n,-inf\r\n");
  CHECK(runner.Run({"ZPOPMIN", "z", "1"}) == "*1\r\n*2\r\n$1\r\nc\r\n,0\r\n");
  runner.set_protocol(2);
  CHECK(runner.Run({"ZRANK", "z", "nope", "WITHSCORE"}) == "*-1\r\n");
  CHECK(runner.Run({"ZRANK", "z", "a", "WITHSCOREX"}) == "-ERR syntax error\r\n");
  CHECK(runner.Run({"ZRANK", "z", "a", "WITHSCORE", "x"}) ==
        "-ERR wrong number of arguments for 'zrank' command\r\n");
}

TEST_CASE("ZRANGE forms, LIMIT and WITHSCORES conflicts, and reversed bounds") {
  CommandRunner runner;
  runner.Run({"ZADD", "z", "1", "a", "2", "b", "3", "c", "4", "d"});
  CHECK(Array(runner.Run({"ZRANGE", "z", "1", "-1"})) == std::vector<std::string>{"b", "c", "d"});
  CHECK(Array(runner.Run({"ZRANGE", "z", "(1", "3", "BYSCORE", "LIMIT", "1", "5"})) ==
        std::vector<std::string>{"c"});
  CHECK(Array(runner.Run({"ZRANGE", "z", "3", "(1", "BYSCORE", "REV", "WITHSCORES"})) ==
        std::vector<std::string>{"c", "3", "b", "2"});
  CHECK(runner.Run({"ZRANGE", "z", "0", "1", "LIMIT", "0", "1"}) ==
        "-ERR syntax error, LIMIT is only supported in combination with either BYSCORE or "
        "BYLEX\r\n");
  CHECK(runner.Run({"ZRANGE", "z", "[a", "[b", "BYLEX", "WITHSCORES"}) ==
        "-ERR syntax error, WITHSCORES not supported in combination with BYLEX\r\n");
  CHECK(runner.Run({"ZRANGEBYSCORE", "z", "nan", "1"}) == "-ERR min or max is not a float\r\n");
  CHECK(runner.Run({"ZRANGEBYLEX", "z", "a", "+"}) ==
        "-ERR min or max not valid string range item\r\n");
  CHECK(runner.Run({"ZREVRANGE", "z", "0", "1", "REV"}) == "-ERR syntax error\r\n");
  // strtod's acceptance: "" reads as 0, hexadecimal and leading spaces too.
  CHECK(Array(runner.Run({"ZRANGEBYSCORE", "z", "", "0x2"})) == std::vector<std::string>{"a", "b"});
  // A negative offset skips everything; a negative count means no limit.
  CHECK(Array(runner.Run({"ZRANGEBYSCORE", "z", "-inf", "+inf", "LIMIT", "-1", "2"})).empty());
  CHECK(Array(runner.Run({"ZRANGEBYSCORE", "z", "-inf", "+inf", "LIMIT", "2", "-1"})) ==
        std::vector<std::string>{"c", "d"});
  CHECK(runner.Run({"ZRANGESTORE", "dst", "z", "1", "2"}) == Int(2));
  CHECK(Array(runner.Run({"ZRANGE", "dst", "0", "-1"})) == std::vector<std::string>{"b", "c"});
  CHECK(runner.Run({"ZRANGESTORE", "dst", "z", "10", "20"}) == Int(0));
  CHECK(runner.Run({"EXISTS", "dst"}) == Int(0));
  CHECK(runner.Run({"ZRANGESTORE", "dst", "z", "0", "1", "WITHSCORES"}) == "-ERR syntax error\r\n");
}

TEST_CASE("pops, range removals and ZREM delete the emptied key with Redis's events") {
  CommandRunner runner;
  runner.Run({"ZADD", "z", "1", "a", "2", "b", "3", "c"});
  runner.events.clear();
  CHECK(runner.Run({"ZREMRANGEBYSCORE", "z", "(1", "2"}) == Int(1));
  CHECK(runner.Run({"ZPOPMAX", "z", "5"}) == BulkArray({"c", "3", "a", "1"}));
  CHECK(runner.Run({"EXISTS", "z"}) == Int(0));
  std::vector<std::string> expected = {"0:modified:z", "0:zremrangebyscore:z",
                                       "0:modified:z", "0:zpopmax:z",
                                       "0:del:z",      "0:keymiss:z"};
  CHECK(runner.events == expected);
  CHECK(runner.Run({"ZPOPMIN", "z", "-1"}) == "-ERR value is out of range, must be positive\r\n");
  CHECK(runner.Run({"ZPOPMIN", "z", "1", "2"}) ==
        "-ERR wrong number of arguments for 'zpopmin' command\r\n");
  runner.Run({"ZADD", "y", "1", "a"});
  CHECK(runner.Run({"ZMPOP", "3", "x", "z", "y", "MAX", "COUNT", "9"}) ==
        "*2\r\n$1\r\ny\r\n*1\r\n*2\r\n$1\r\na\r\n$1\r\n1\r\n");
  CHECK(runner.Run({"ZMPOP", "1", "y", "MIN"}) == "*-1\r\n");
  CHECK(runner.Run({"ZMPOP", "9223372036854775807", "y", "MIN"}) == "-ERR syntax error\r\n");
  CHECK(runner.Run({"ZMPOP", "0", "y", "MIN"}) == "-ERR numkeys should be greater than 0\r\n");
  CHECK(runner.Run({"ZMPOP", "1", "y", "MIN", "COUNT", "0"}) ==
        "-ERR count should be greater than 0\r\n");
}

TEST_CASE("ZUNION, ZINTER and ZDIFF aggregate, weigh, read set inputs and store as Redis") {
  CommandRunner runner;
  runner.Run({"ZADD", "a", "1", "x", "2", "y", "inf", "z"});
  runner.Run({"ZADD", "b", "10", "y", "-inf", "z", "5", "w"});
  CHECK(runner.Run({"ZUNION", "2", "a", "b", "WITHSCORES"}) ==
        BulkArray({"z", "0", "x", "1", "w", "5", "y", "12"}));
  CHECK(runner.Run({"ZINTER", "2", "a", "b", "WEIGHTS", "2", "1", "AGGREGATE", "MAX",
                    "WITHSCORES"}) == BulkArray({"y", "10", "z", "inf"}));
  CHECK(runner.Run({"ZDIFF", "2", "a", "b"}) == BulkArray({"x"}));
  CHECK(runner.Run({"ZINTERCARD", "2", "a", "b", "LIMIT", "1"}) == Int(1));
  CHECK(runner.Run({"ZUNION", "2", "a", "b", "WEIGHTS", "1", "nan"}) ==
        "-ERR weight value is not a float\r\n");
  CHECK(runner.Run({"ZUNION", "0", "a"}) ==
        "-ERR at least 1 input key is needed for 'zunion' command\r\n");
  CHECK(runner.Run({"ZUNION", "3", "a", "b"}) == "-ERR syntax error\r\n");
  CHECK(runner.Run({"ZDIFF", "2", "a", "b", "WEIGHTS", "1", "1"}) == "-ERR syntax error\r\n");
  CHECK(runner.Run({"ZINTERCARD", "1", "a", "LIMIT", "-1"}) == "-ERR LIMIT can't be negative\r\n");
  CHECK(runner.Run({"SADD", "s", "x", "w", "q"}) == Int(3));
  CHECK(runner.Run({"ZINTER", "2", "a", "s", "WITHSCORES"}) == BulkArray({"x", "2"}));
  CHECK(runner.Run({"ZUNIONSTORE", "dst", "2", "s", "b"}) == Int(5));
  CHECK(runner.Run({"ZRANGE", "dst", "0", "-1", "WITHSCORES"}) ==
        BulkArray({"z", "-inf", "q", "1", "x", "1", "w", "6", "y", "10"}));
  CHECK(runner.Run({"OBJECT", "ENCODING", "dst"}) == Bulk("listpack"));
  runner.Run({"SET", "str", "v"});
  CHECK(runner.Run({"ZUNION", "2", "a", "str"}).starts_with("-WRONGTYPE"));
  CHECK(runner.Run({"ZINTERSTORE", "dst", "2", "a", "nokey"}) == Int(0));
  CHECK(runner.Run({"EXISTS", "dst"}) == Int(0));
}

TEST_CASE("encodings convert at Redis's thresholds, one way, and STORE results convert back") {
  CommandRunner runner;
  runner.limits().encodings.zset_max_listpack_entries = 3;
  runner.limits().encodings.zset_max_listpack_value = 4;
  runner.Run({"ZADD", "z", "1", "a", "2", "b", "3", "c"});
  CHECK(EncodingOf(runner, "z") == "listpack");
  runner.Run({"ZADD", "z", "4", "d"});
  CHECK(EncodingOf(runner, "z") == "skiplist");
  runner.Run({"ZREM", "z", "a", "b", "c"});
  CHECK(EncodingOf(runner, "z") == "skiplist");
  runner.Run({"ZADD", "v", "1", "abcd"});
  CHECK(EncodingOf(runner, "v") == "listpack");
  runner.Run({"ZADD", "v", "1", "abcde"});
  CHECK(EncodingOf(runner, "v") == "skiplist");
  // Created directly as a skiplist when the pairs given pass the limits (7.2's zsetTypeCreate).
  runner.Run({"ZADD", "w", "1", "a", "1", "a", "1", "a", "1", "a"});
  CHECK(EncodingOf(runner, "w") == "skiplist");
  runner.Run({"ZUNIONSTORE", "u", "1", "z"});
  CHECK(EncodingOf(runner, "u") == "listpack");
  CHECK(runner.Run({"ZRANGESTORE", "r", "w", "0", "-1"}) == Int(1));
  CHECK(EncodingOf(runner, "r") == "listpack");
}

TEST_CASE("a zset shared with a snapshot is copied before it changes") {
  CommandRunner runner;
  runner.Run({"ZADD", "z", "1", "a"});
  SharingObserver observer;
  StartSnapshot(runner, observer);
  runner.Run({"ZADD", "z", "2", "b"});
  REQUIRE(observer.held.size() == 1);
  const auto* seen = static_cast<const ringdb::store::ZsetValue*>(observer.held[0]->object());
  CHECK(seen->size() == 1);
  CHECK(runner.Run({"ZCARD", "z"}) == Int(2));
  runner.keyspace().database(0).table().set_observer(nullptr);
}

TEST_CASE("ZSCAN returns a listpack whole and walks a skiplist to cursor 0 without losses") {
  CommandRunner runner;
  runner.Run({"ZADD", "z", "1.5", "a", "2", "b"});
  CHECK(runner.Run({"ZSCAN", "z", "0"}) == "*2\r\n$1\r\n0\r\n" + BulkArray({"a", "1.5", "b", "2"}));
  CHECK(runner.Run({"ZSCAN", "z", "x"}) == "-ERR invalid cursor\r\n");
  CHECK(runner.Run({"ZSCAN", "z", "0", "TYPE", "zset"}) == "-ERR syntax error\r\n");
  CHECK(runner.Run({"ZSCAN", "nokey", "0"}) == "*2\r\n$1\r\n0\r\n*0\r\n");
  runner.limits().encodings.zset_max_listpack_entries = 0;
  std::vector<std::string> args = {"ZADD", "big"};
  for (int i = 0; i < 300; i++) {
    args.push_back(std::to_string(i) + ".1");
    args.push_back("m" + std::to_string(i));
  }
  runner.Run(args);
  std::set<std::string> seen;
  std::string cursor = "0";
  int calls = 0;
  do {
    std::string reply = runner.Run({"ZSCAN", "big", cursor, "COUNT", "7"});
    size_t offset = 0;
    REQUIRE(reply.starts_with("*2\r\n"));
    offset = 4;
    size_t line_end = reply.find("\r\n", offset);
    size_t length = std::stoul(reply.substr(offset + 1, line_end - offset - 1));
    cursor = reply.substr(line_end + 2, length);
    offset = line_end + 2 + length + 2;
    std::vector<std::string> items = ReadBulkArray(reply, &offset);
    for (size_t i = 0; i < items.size(); i += 2) {
      seen.insert(items[i]);
      // Skiplist scores are "%.17Lg".
      if (items[i] == "m1") CHECK(items[i + 1] == "1.1000000000000001");
    }
    calls++;
  } while (cursor != "0" && calls < 1000);
  CHECK(seen.size() == 300);
}

TEST_CASE("zset commands match a model over random operations across both encodings") {
  uint64_t seed = std::random_device{}();
  INFO("seed " << seed);
  std::mt19937_64 rng(seed);
  CommandRunner runner;
  int64_t entries_max = 4;
  int64_t value_max = 3;
  runner.limits().encodings.zset_max_listpack_entries = entries_max;
  runner.limits().encodings.zset_max_listpack_value = value_max;
  std::map<std::string, double> model;
  bool skiplist = false;
  auto member = [&] {
    std::string m = std::string(1, static_cast<char>('a' + rng() % 12));
    if (rng() % 10 == 0) m += std::string(rng() % 5, '\0');
    return m;
  };
  auto sorted = [&] {
    std::vector<std::pair<double, std::string>> out;
    for (const auto& [m, s] : model) out.emplace_back(s, m);
    std::sort(out.begin(), out.end());
    return out;
  };
  for (int step = 0; step < 4000; step++) {
    int op = static_cast<int>(rng() % 8);
    std::string m = member();
    double score = static_cast<double>(static_cast<int>(rng() % 17) - 8) / 2;
    if (op <= 2) {
      std::string reply = runner.Run({"ZADD", "z", Score(score), m});
      bool is_new = model.count(m) == 0;
      CHECK(reply == Int(is_new ? 1 : 0));
      if (model.empty()) skiplist = static_cast<int64_t>(m.size()) > value_max;
      if (is_new && !skiplist &&
          (static_cast<int64_t>(model.size()) + 1 > entries_max ||
           static_cast<int64_t>(m.size()) > value_max)) {
        skiplist = true;
      }
      model[m] = score;
    } else if (op == 3) {
      std::string reply = runner.Run({"ZINCRBY", "z", Score(score), m});
      if (model.empty()) skiplist = static_cast<int64_t>(m.size()) > value_max;
      bool is_new = model.count(m) == 0;
      if (is_new && !skiplist &&
          (static_cast<int64_t>(model.size()) + 1 > entries_max ||
           static_cast<int64_t>(m.size()) > value_max)) {
        skiplist = true;
      }
      model[m] += score;
      CHECK(reply == Bulk(Score(model[m])));
    } else if (op == 4) {
      CHECK(runner.Run({"ZREM", "z", m}) == Int(static_cast<int64_t>(model.erase(m))));
    } else if (op == 5 && !model.empty()) {
      std::vector<std::pair<double, std::string>> order = sorted();
      std::string reply = runner.Run({"ZPOPMIN", "z"});
      CHECK(reply == BulkArray({order[0].second, Score(order[0].first)}));
      model.erase(order[0].second);
    } else if (op == 6) {
      double max = score + static_cast<double>(rng() % 4);
      int64_t expected = 0;
      for (const auto& [mm, s] : model) expected += s > score && s <= max;
      CHECK(runner.Run({"ZCOUNT", "z", "(" + Score(score), Score(max)}) == Int(expected));
      int64_t removed = rng() % 4 == 0 ? expected : -1;
      if (removed >= 0) {
        CHECK(runner.Run({"ZREMRANGEBYSCORE", "z", "(" + Score(score), Score(max)}) ==
              Int(removed));
        for (auto it = model.begin(); it != model.end();) {
          it = it->second > score && it->second <= max ? model.erase(it) : std::next(it);
        }
      }
    } else if (op == 7) {
      std::vector<std::pair<double, std::string>> order = sorted();
      std::vector<std::string> expected;
      for (const auto& [s, mm] : order) {
        expected.push_back(mm);
        expected.push_back(Score(s));
      }
      CHECK(Array(runner.Run({"ZRANGE", "z", "0", "-1", "WITHSCORES"})) == expected);
      auto it = model.find(m);
      std::string rank = runner.Run({"ZREVRANK", "z", m});
      if (it == model.end()) {
        CHECK(rank == kNil);
      } else {
        size_t position = 0;
        while (order[position].second != m) position++;
        CHECK(rank == Int(static_cast<int64_t>(order.size() - 1 - position)));
      }
    }
    if (model.empty()) skiplist = false;
    std::string expected_encoding = model.empty() ? "none" : (skiplist ? "skiplist" : "listpack");
    REQUIRE(EncodingOf(runner, "z") == expected_encoding);
    CHECK(runner.Run({"ZCARD", "z"}) == Int(static_cast<int64_t>(model.size())));
  }
}
