// Stream commands through CommandRunner: Redis's replies and error texts, keyspace events,
// consumer groups with an injected clock, and a randomized comparison with a model of the
// stream and of one group's pending list, with tiny node limits so nodes open and close
// constantly.
#include <doctest/doctest.h>

#include <algorithm>
#include <map>
#include <random>
#include <set>
#include <string>
#include <vector>

#include "ringdb/testing/command_runner.h"
#include "string_test_util.h"

using namespace ringdb::testing;
using Events = std::vector<std::string>;

namespace {

// A parsed RESP reply (RESP2 or RESP3).
struct Reply {
  char type = 0;  // '+', '-', ':', '$', '*', '%', '_'
  std::string text;
  int64_t integer = 0;
  bool null = false;
  std::vector<Reply> items;

  const Reply& operator[](size_t i) const { return items.at(i); }
  size_t size() const { return items.size(); }
};

Reply Parse(std::string_view data, size_t* offset) {
  size_t end = data.find("\r\n", *offset);
  REQUIRE(end != std::string_view::npos);
  Reply reply;
  reply.type = data[*offset];
  std::string line(data.substr(*offset + 1, end - *offset - 1));
  *offset = end + 2;
  switch (reply.type) {
    case '+':
    case '-':
      reply.text = line;
      break;
    case ':':
      reply.integer = std::stoll(line);
      break;
    case '_':
      reply.null = true;
      break;
    case '$': {
      int64_t length = std::stoll(line);
      if (length < 0) {
        reply.null = true;
        break;
      }
      reply.text = std::string(data.substr(*offset, static_cast<size_t>(length)));
      *offset += static_cast<size_t>(length) + 2;
      break;
    }
    case '*':
    case '%': {
      int64_t count = std::stoll(line);
      if (count < 0) {
        reply.null = true;
        break;
      }
      size_t elements = static_cast<size_t>(count) * (reply.type == '%' ? 2 : 1);
      for (size_t i = 0; i < elements; i++) reply.items.push_back(Parse(data, offset));
      break;
    }
    default:
      FAIL("unexpected RESP type " << reply.type);
  }
  return reply;
}

Reply Parse(std::string_view data) {
  size_t offset = 0;
  Reply reply = Parse(data, &offset);
  REQUIRE(offset == data.size());
  return reply;
}

// The value of `field` in a flat field/value reply (RESP2 map).
const Reply& Field(const Reply& map, std::string_view field) {
  for (size_t i = 0; i + 1 < map.size(); i += 2) {
    if (map[i].text == field) return map[i + 1];
  }
  FAIL("no field " << field);
  return map;
}

// IDs of an entries reply ([[id, [f, v ...]], ...]).
std::vector<std::string> Ids(const Reply& entries) {
  std::vector<std::string> ids;
  for (const Reply& entry : entries.items) ids.push_back(entry[0].text);
  return ids;
}

std::string Entry1(std::string_view id, std::string_view field, std::string_view value) {
  return "*2\r\n" + Bulk(id) + "*2\r\n" + Bulk(field) + Bulk(value);
}

const char kInvalidId[] = "-ERR Invalid stream ID specified as stream command argument\r\n";

}  // namespace

TEST_CASE("XADD appends with explicit, partial and automatic IDs and refuses smaller ones") {
  CommandRunner runner;
  CHECK(runner.Run({"XADD", "s", "1-1", "f", "v"}) == Bulk("1-1"));
  CHECK(runner.events == Events{"0:new:s", "0:modified:s", "0:xadd:s"});
  CHECK(runner.Run({"XADD", "s", "1-1", "f", "v"}) ==
        Error("The ID specified in XADD is equal or smaller than the target stream top item"));
  CHECK(runner.Run({"XADD", "s", "1-*", "f", "v"}) == Bulk("1-2"));
  CHECK(runner.Run({"XADD", "s", "5", "f", "v"}) == Bulk("5-0"));
  CHECK(runner.Run({"XADD", "s", "*", "f", "v"}) == Bulk(std::to_string(runner.now_ms()) + "-0"));
  CHECK(runner.Run({"XADD", "s", "*", "f", "v"}) == Bulk(std::to_string(runner.now_ms()) + "-1"));
  CHECK(runner.Run({"XADD", "n", "0-0", "f", "v"}) ==
        Error("The ID specified in XADD must be greater than 0-0"));
  CHECK(runner.Run({"XADD", "n", "0-*", "f", "v"}) == Bulk("0-1"));
  CHECK(runner.Run({"XADD", "m", "NOMKSTREAM", "*", "f", "v"}) == kNil);
  CHECK(runner.Run({"EXISTS", "m"}) == Integer(0));
  CHECK(runner.Run({"XADD", "s", "*", "f"}) ==
        Error("wrong number of arguments for 'xadd' command"));
  CHECK(runner.Run({"XADD", "s", "MAXLEN", "5"}) ==
        Error("wrong number of arguments for 'xadd' command"));
  CHECK(runner.Run({"XADD", "s", "1-x", "f", "v"}) == kInvalidId);
  CHECK(runner.Run({"XADD", "s", "-", "f", "v"}) == kInvalidId);
  CHECK(runner.Run({"XADD", "s", "MAXLEN", "-1", "*", "f", "v"}) ==
        Error("The MAXLEN argument must be >= 0."));
  CHECK(runner.Run({"XADD", "s", "MAXLEN", "1", "MINID", "1", "*", "f", "v"}) ==
        Error("syntax error, MAXLEN and MINID options at the same time are not compatible"));
  CHECK(runner.Run({"XADD", "s", "MAXLEN", "1", "LIMIT", "5", "*", "f", "v"}) ==
        Error("syntax error, LIMIT cannot be used without the special ~ option"));
  CHECK(runner.Run({"XADD", "s", "LIMIT", "5", "*", "f", "v"}) ==
        Error("syntax error, LIMIT cannot be used without specifying a trimming strategy"));
  PlantList(runner, "l");
  CHECK(runner.Run({"XADD", "l", "*", "f", "v"}) == kWrongType);
  CHECK(runner.Run({"XADD", "x", "18446744073709551615-18446744073709551615", "f", "v"}) ==
        Bulk("18446744073709551615-18446744073709551615"));
  CHECK(runner.Run({"XADD", "x", "*", "f", "v"}) ==
        Error("The stream has exhausted the last possible ID, unable to add more items"));
}

TEST_CASE("stream IDs parse as Redis's string2ull does, sign and blanks included") {
  CommandRunner runner;
  CHECK(runner.Run({"XADD", "s", "+5-1", "f", "v"}) == Bulk("5-1"));
  CHECK(runner.Run({"XADD", "s", " 6-007", "f", "v"}) == Bulk("6-7"));
  CHECK(runner.Run({"XADD", "s", "7- -1", "f", "v"}) == Bulk("7-18446744073709551615"));
  CHECK(runner.Run({"XADD", "s", "8--1", "f", "v"}) == kInvalidId);
  CHECK(runner.Run({"XADD", "s", "18446744073709551616-0", "f", "v"}) == kInvalidId);
  CHECK(runner.Run({"XADD", "s", "9-", "f", "v"}) == kInvalidId);
  CHECK(runner.Run({"XADD", "s", "", "f", "v"}) == kInvalidId);
  // Redis reads the ID as a C string: it ends at a NUL byte.
  CHECK(runner.Run({"XADD", "s", std::string_view("10-1\0junk", 9), "f", "v"}) == Bulk("10-1"));
  CHECK(runner.Run({"XADD", "s", std::string(128, '1'), "f", "v"}) == kInvalidId);
}

TEST_CASE("XADD trims with MAXLEN and MINID and reports xtrim") {
  CommandRunner runner;
  runner.limits().encodings.stream_node_max_entries = 2;
  for (int i = 1; i <= 5; i++) runner.Run({"XADD", "s", std::to_string(i) + "-0", "f", "v"});
  runner.events.clear();
  CHECK(runner.Run({"XADD", "s", "MAXLEN", "3", "6-0", "f", "v"}) == Bulk("6-0"));
  CHECK(runner.events == Events{"0:modified:s", "0:xadd:s", "0:xtrim:s"});
  CHECK(runner.Run({"XLEN", "s"}) == Integer(3));
  // Nodes are now {3 (deleted), 4} {5, 6}. Approximate trimming drops whole nodes only:
  // {3, 4} and {5, 6} go; the new {7} is all that is left and MAXLEN ~ 1 keeps it.
  CHECK(runner.Run({"XADD", "s", "MAXLEN", "~", "1", "7-0", "f", "v"}) == Bulk("7-0"));
  CHECK(runner.Run({"XLEN", "s"}) == Integer(1));
  CHECK(runner.Run({"XTRIM", "s", "MINID", "7"}) == Integer(0));
  CHECK(runner.Run({"XRANGE", "s", "-", "+"}) == "*1\r\n" + Entry1("7-0", "f", "v"));
  CHECK(runner.Run({"XTRIM", "s", "MAXLEN"}) ==
        Error("wrong number of arguments for 'xtrim' command"));
  CHECK(runner.Run({"XTRIM", "s", "FOO", "1"}) == kSyntaxError);
  CHECK(runner.Run({"XTRIM", "s", "LIMIT", "1"}) ==
        Error("syntax error, LIMIT cannot be used without specifying a trimming strategy"));
  CHECK(runner.Run({"XTRIM", "s", "LIMIT", "0"}) ==
        Error("syntax error, XTRIM must be called with a trimming strategy"));
  CHECK(runner.Run({"XTRIM", "missing", "MAXLEN", "0"}) == Integer(0));
}

TEST_CASE("XRANGE and XREVRANGE honour exclusive bounds, COUNT and partial IDs") {
  CommandRunner runner;
  for (std::string id : {"1-0", "1-1", "2-0", "3-5"}) runner.Run({"XADD", "s", id, "f", id});
  CHECK(Ids(Parse(runner.Run({"XRANGE", "s", "-", "+"}))) ==
        std::vector<std::string>{"1-0", "1-1", "2-0", "3-5"});
  CHECK(Ids(Parse(runner.Run({"XRANGE", "s", "(1-0", "2"}))) ==
        std::vector<std::string>{"1-1", "2-0"});
  CHECK(Ids(Parse(runner.Run({"XRANGE", "s", "1", "1"}))) ==
        std::vector<std::string>{"1-0", "1-1"});
  CHECK(Ids(Parse(runner.Run({"XREVRANGE", "s", "+", "-", "COUNT", "2"}))) ==
        std::vector<std::string>{"3-5", "2-0"});
  CHECK(Ids(Parse(runner.Run({"XREVRANGE", "s", "(3-5", "(1-0"}))) ==
        std::vector<std::string>{"2-0", "1-1"});
  CHECK(runner.Run({"XRANGE", "s", "-", "+", "COUNT", "0"}) == "*-1\r\n");
  CHECK(runner.Run({"XRANGE", "s", "-", "+", "COUNT", "-5"}) == "*-1\r\n");
  CHECK(runner.Run({"XRANGE", "missing", "-", "+"}) == "*0\r\n");
  CHECK(runner.Run({"XRANGE", "s", "(-", "+"}) == kInvalidId);
  CHECK(runner.Run({"XRANGE", "s", "(18446744073709551615-18446744073709551615", "+"}) ==
        Error("invalid start ID for the interval"));
  CHECK(runner.Run({"XRANGE", "s", "-", "(0-0"}) == Error("invalid end ID for the interval"));
  CHECK(runner.Run({"XRANGE", "s", "-", "+", "COUNT"}) == kSyntaxError);
  CHECK(runner.Run({"XRANGE", "s", "-", "+", "COUNT", "x"}) == kNotInteger);
  runner.set_protocol(3);
  CHECK(runner.Run({"XRANGE", "s", "-", "+", "COUNT", "0"}) == "_\r\n");
}

TEST_CASE("XDEL marks entries deleted, keeps the key and tracks the first and max deleted IDs") {
  CommandRunner runner;
  for (std::string id : {"1-0", "2-0", "3-0"}) runner.Run({"XADD", "s", id, "f", "v"});
  runner.events.clear();
  CHECK(runner.Run({"XDEL", "s", "1-0", "1-0", "9-9"}) == Integer(1));
  CHECK(runner.events == Events{"0:modified:s", "0:xdel:s"});
  CHECK(runner.Run({"XDEL", "s", "2-0", "bad"}) == kInvalidId);
  CHECK(runner.Run({"XLEN", "s"}) == Integer(2));
  Reply info = Parse(runner.Run({"XINFO", "STREAM", "s"}));
  CHECK(Field(info, "max-deleted-entry-id").text == "1-0");
  CHECK(Field(info, "recorded-first-entry-id").text == "2-0");
  CHECK(runner.Run({"XDEL", "s", "2-0", "3-0"}) == Integer(2));
  CHECK(runner.Run({"XLEN", "s"}) == Integer(0));
  CHECK(runner.Run({"EXISTS", "s"}) == Integer(1));
  CHECK(runner.Run({"XDEL", "missing", "bad"}) == Integer(0));
}

TEST_CASE("XREAD serves entries after the given IDs, $ meaning the last one") {
  CommandRunner runner;
  runner.Run({"XADD", "a", "1-0", "f", "1"});
  runner.Run({"XADD", "a", "2-0", "f", "2"});
  runner.Run({"XADD", "b", "5-0", "g", "5"});
  Reply reply = Parse(runner.Run({"XREAD", "COUNT", "1", "STREAMS", "a", "b", "0", "4"}));
  REQUIRE(reply.size() == 2);
  CHECK(reply[0][0].text == "a");
  CHECK(Ids(reply[0][1]) == std::vector<std::string>{"1-0"});
  CHECK(Ids(reply[1][1]) == std::vector<std::string>{"5-0"});
  CHECK(runner.Run({"XREAD", "STREAMS", "a", "$"}) == "*-1\r\n");
  CHECK(runner.Run({"XREAD", "STREAMS", "missing", "0"}) == "*-1\r\n");
  // BLOCK with nothing to serve blocks (blocking_commands_test.cc has the details).
  CHECK(runner.Run({"XREAD", "BLOCK", "10", "STREAMS", "a", "$"}).empty());
  CHECK(runner.Run({"XREAD", "BLOCK", "-1", "STREAMS", "a", "$"}) == Error("timeout is negative"));
  CHECK(runner.Run({"XREAD", "BLOCK", "x", "STREAMS", "a", "$"}) ==
        Error("timeout is not an integer or out of range"));
  CHECK(runner.Run({"XREAD", "STREAMS", "a", "b", "0"}) ==
        Error("Unbalanced 'xread' list of streams: for each stream key an ID or '$' must be "
              "specified."));
  CHECK(runner.Run({"XREAD", "STREAMS", "a", ">"}) ==
        Error("The > ID can be specified only when calling XREADGROUP using the GROUP <group> "
              "<consumer> option."));
  CHECK(runner.Run({"XREAD", "GROUP", "g", "c", "STREAMS", "a", "0"}) ==
        Error("The GROUP option is only supported by XREADGROUP. You called XREAD instead."));
  CHECK(runner.Run({"XREAD", "COUNT", "1", "a", "b"}) == kSyntaxError);
  runner.set_protocol(3);
  reply = Parse(runner.Run({"XREAD", "STREAMS", "a", "1"}));
  CHECK(reply.type == '%');
  CHECK(reply[0].text == "a");
  CHECK(Ids(reply[1]) == std::vector<std::string>{"2-0"});
  CHECK(runner.Run({"XREAD", "STREAMS", "a", "$"}) == "_\r\n");
}

TEST_CASE("a consumer group delivers new entries once, tracks pending entries and acks") {
  CommandRunner runner;
  for (std::string id : {"1-0", "2-0", "3-0"}) runner.Run({"XADD", "s", id, "f", id});
  runner.events.clear();
  CHECK(runner.Run({"XGROUP", "CREATE", "s", "g", "0"}) == kOk);
  CHECK(runner.events == Events{"0:xgroup-create:s"});
  CHECK(runner.Run({"XGROUP", "CREATE", "s", "g", "0"}) ==
        "-BUSYGROUP Consumer Group name already exists\r\n");
  runner.events.clear();
  Reply read =
      Parse(runner.Run({"XREADGROUP", "GROUP", "g", "alice", "COUNT", "2", "STREAMS", "s", ">"}));
  CHECK(Ids(read[0][1]) == std::vector<std::string>{"1-0", "2-0"});
  CHECK(runner.events == Events{"0:xgroup-createconsumer:s"});
  runner.AdvanceMs(100);
  read = Parse(runner.Run({"XREADGROUP", "GROUP", "g", "bob", "STREAMS", "s", ">"}));
  CHECK(Ids(read[0][1]) == std::vector<std::string>{"3-0"});
  CHECK(runner.Run({"XREADGROUP", "GROUP", "g", "bob", "STREAMS", "s", ">"}) == "*-1\r\n");
  // History: a consumer's own pending entries.
  read = Parse(runner.Run({"XREADGROUP", "GROUP", "g", "alice", "STREAMS", "s", "0"}));
  CHECK(Ids(read[0][1]) == std::vector<std::string>{"1-0", "2-0"});

  Reply summary = Parse(runner.Run({"XPENDING", "s", "g"}));
  CHECK(summary[0].integer == 3);
  CHECK(summary[1].text == "1-0");
  CHECK(summary[2].text == "3-0");
  CHECK(summary[3].size() == 2);
  CHECK(summary[3][0][0].text == "alice");
  CHECK(summary[3][0][1].text == "2");
  runner.AdvanceMs(50);
  Reply extended = Parse(runner.Run({"XPENDING", "s", "g", "-", "+", "10"}));
  REQUIRE(extended.size() == 3);
  CHECK(extended[0][1].text == "alice");
  CHECK(extended[0][2].integer == 50);  // Idle since the history read.
  CHECK(extended[0][3].integer == 2);   // Delivered twice.
  CHECK(extended[2][1].text == "bob");
  CHECK(extended[2][2].integer == 50);
  CHECK(extended[2][3].integer == 1);
  CHECK(Parse(runner.Run({"XPENDING", "s", "g", "IDLE", "50", "-", "+", "10"})).size() == 3);
  CHECK(runner.Run({"XPENDING", "s", "g", "IDLE", "51", "-", "+", "10"}) == "*0\r\n");
  CHECK(Parse(runner.Run({"XPENDING", "s", "g", "-", "+", "10", "bob"})).size() == 1);
  CHECK(runner.Run({"XPENDING", "s", "g", "-", "+", "10", "nobody"}) == "*0\r\n");

  CHECK(runner.Run({"XACK", "s", "g", "1-0", "3-0", "9-0"}) == Integer(2));
  CHECK(runner.Run({"XACK", "s", "g", "bad"}) == kInvalidId);
  CHECK(runner.Run({"XACK", "s", "nogroup", "bad"}) == Integer(0));
  CHECK(Parse(runner.Run({"XPENDING", "s", "g"}))[0].integer == 1);

  Reply groups = Parse(runner.Run({"XINFO", "GROUPS", "s"}));
  REQUIRE(groups.size() == 1);
  CHECK(Field(groups[0], "consumers").integer == 2);
  CHECK(Field(groups[0], "pending").integer == 1);
  CHECK(Field(groups[0], "last-delivered-id").text == "3-0");
  CHECK(Field(groups[0], "entries-read").integer == 3);
  CHECK(Field(groups[0], "lag").integer == 0);
  Reply consumers = Parse(runner.Run({"XINFO", "CONSUMERS", "s", "g"}));
  CHECK(Field(consumers[0], "name").text == "alice");
  CHECK(Field(consumers[0], "pending").integer == 1);
  CHECK(Field(consumers[0], "idle").integer == 50);
  CHECK(Field(consumers[0], "inactive").integer == 150);

  CHECK(runner.Run({"XREADGROUP", "GROUP", "nog", "c", "STREAMS", "s", ">"}) ==
        "-NOGROUP No such key 's' or consumer group 'nog' in XREADGROUP with GROUP option\r\n");
  CHECK(runner.Run({"XREADGROUP", "GROUP", "g", "c", "STREAMS", "s", "$"})
            .starts_with("-ERR The $ ID is meaningless"));
  CHECK(runner.Run({"XREADGROUP", "COUNT", "1", "NOACK", "STREAMS", "s", ">"}) ==
        Error("Missing GROUP option for XREADGROUP"));
  CHECK(runner.Run({"XPENDING", "s", "nog"}) ==
        "-NOGROUP No such key 's' or consumer group 'nog'\r\n");
  CHECK(runner.Run({"XPENDING", "s", "g", "-", "+"}) == kSyntaxError);
}

TEST_CASE("XCLAIM and XAUTOCLAIM move pending entries by idle time and drop deleted ones") {
  CommandRunner runner;
  for (std::string id : {"1-0", "2-0", "3-0"}) runner.Run({"XADD", "s", id, "f", id});
  runner.Run({"XGROUP", "CREATE", "s", "g", "0"});
  runner.Run({"XREADGROUP", "GROUP", "g", "alice", "STREAMS", "s", ">"});
  runner.AdvanceMs(1000);
  CHECK(runner.Run({"XCLAIM", "s", "g", "bob", "5000", "1-0"}) == "*0\r\n");
  Reply claimed = Parse(runner.Run({"XCLAIM", "s", "g", "bob", "500", "1-0", "JUSTID"}));
  CHECK(claimed.size() == 1);
  CHECK(claimed[0].text == "1-0");
  Reply pending = Parse(runner.Run({"XPENDING", "s", "g", "1-0", "1-0", "1"}));
  CHECK(pending[0][1].text == "bob");
  CHECK(pending[0][3].integer == 1);  // JUSTID does not count a delivery.
  claimed =
      Parse(runner.Run({"XCLAIM", "s", "g", "bob", "0", "2-0", "RETRYCOUNT", "7", "IDLE", "300"}));
  CHECK(Ids(claimed) == std::vector<std::string>{"2-0"});
  pending = Parse(runner.Run({"XPENDING", "s", "g", "2-0", "2-0", "1"}));
  CHECK(pending[0][2].integer == 300);
  CHECK(pending[0][3].integer == 7);
  CHECK(runner.Run({"XCLAIM", "s", "g", "bob", "0", "1-0", "BOGUS"}) ==
        Error("Unrecognized XCLAIM option 'BOGUS'"));
  CHECK(runner.Run({"XCLAIM", "s", "g", "bob", "x", "1-0"}) ==
        Error("Invalid min-idle-time argument for XCLAIM"));
  CHECK(runner.Run({"XCLAIM", "s", "nog", "bob", "0", "1-0"}) ==
        "-NOGROUP No such key 's' or consumer group 'nog'\r\n");

  runner.Run({"XDEL", "s", "3-0"});
  Reply autoclaim = Parse(runner.Run({"XAUTOCLAIM", "s", "g", "carol", "0", "0", "COUNT", "1"}));
  CHECK(autoclaim[0].text == "2-0");
  CHECK(Ids(autoclaim[1]) == std::vector<std::string>{"1-0"});
  CHECK(autoclaim[2].size() == 0);
  autoclaim = Parse(runner.Run({"XAUTOCLAIM", "s", "g", "carol", "0", "2-0", "JUSTID"}));
  CHECK(autoclaim[0].text == "0-0");
  CHECK(autoclaim[1].size() == 1);
  CHECK(autoclaim[2].size() == 1);
  CHECK(autoclaim[2][0].text == "3-0");
  CHECK(Parse(runner.Run({"XPENDING", "s", "g"}))[0].integer == 2);
  CHECK(runner.Run({"XAUTOCLAIM", "s", "g", "c", "0", "0", "COUNT", "0"}) ==
        Error("COUNT must be > 0"));
  CHECK(runner.Run({"XAUTOCLAIM", "s", "g", "c", "0", "0", "COUNT", "9223372036854775807"}) ==
        Error("COUNT must be > 0"));
  CHECK(runner.Run({"XAUTOCLAIM", "s", "g", "c", "0", "0", "COUNT", "576460752303423487"}) ==
        Error("Insufficient memory, failed allocating transient memory, COUNT too high."));
}

TEST_CASE("XGROUP subcommands check options, key and group in Redis's order") {
  CommandRunner runner;
  CHECK(runner.Run({"XGROUP", "CREATE", "s", "g", "$"}) ==
        Error("The XGROUP subcommand requires the key to exist. Note that for CREATE you may "
              "want to use the MKSTREAM option to create an empty stream automatically."));
  runner.events.clear();
  CHECK(runner.Run({"XGROUP", "CREATE", "s", "g", "$", "MKSTREAM", "ENTRIESREAD", "3"}) == kOk);
  CHECK(runner.events == Events{"0:new:s", "0:modified:s", "0:xgroup-create:s"});
  CHECK(runner.Run({"XGROUP", "CREATE", "s", "h", "$", "ENTRIESREAD", "-2"}) ==
        Error("value for ENTRIESREAD must be positive or -1"));
  CHECK(runner.Run({"XGROUP", "SETID", "s", "g", "0", "MKSTREAM"}) ==
        Error("unknown subcommand or wrong number of arguments for 'SETID'. Try XGROUP HELP."));
  CHECK(runner.Run({"XGROUP", "SETID", "s", "nog", "0"}) ==
        "-NOGROUP No such consumer group 'nog' for key name 's'\r\n");
  CHECK(runner.Run({"XGROUP", "SETID", "s", "g", "+"}) == kOk);
  CHECK(runner.Run({"XGROUP", "CREATECONSUMER", "s", "g", "c"}) == Integer(1));
  CHECK(runner.Run({"XGROUP", "CREATECONSUMER", "s", "g", "c"}) == Integer(0));
  CHECK(runner.Run({"XGROUP", "DELCONSUMER", "s", "g", "c"}) == Integer(0));
  CHECK(runner.Run({"XGROUP", "DELCONSUMER", "s", "g", "c"}) == Integer(0));
  CHECK(runner.Run({"XGROUP", "DESTROY", "s", "g"}) == Integer(1));
  CHECK(runner.Run({"XGROUP", "DESTROY", "s", "g"}) == Integer(0));
  CHECK(runner.Run({"XGROUP", "DESTROY", "s"}) ==
        Error("wrong number of arguments for 'xgroup|destroy' command"));
  CHECK(runner.Run({"XGROUP", "FOO", "s"}) == Error("unknown subcommand 'FOO'. Try XGROUP HELP."));
  Reply help = Parse(runner.Run({"XGROUP", "HELP"}));
  CHECK(help[0].text == "XGROUP <subcommand> [<arg> [value] [opt] ...]. Subcommands are:");
  PlantList(runner, "l");
  CHECK(runner.Run({"XGROUP", "CREATE", "l", "g", "$", "MKSTREAM"}) == kWrongType);
}

TEST_CASE("XSETID moves the last ID forward only, with its counters") {
  CommandRunner runner;
  runner.Run({"XADD", "s", "5-0", "f", "v"});
  CHECK(runner.Run({"XSETID", "s", "4-0"}) ==
        Error("The ID specified in XSETID is smaller than the target stream top item"));
  CHECK(runner.Run({"XSETID", "s", "9-0", "ENTRIESADDED", "0"}) ==
        Error("The entries_added specified in XSETID is smaller than the target stream length"));
  CHECK(runner.Run({"XSETID", "s", "9-0", "MAXDELETEDID", "10-0"}) ==
        Error("The ID specified in XSETID is smaller than the provided max_deleted_entry_id"));
  runner.events.clear();
  CHECK(runner.Run({"XSETID", "s", "9-0", "ENTRIESADDED", "10", "MAXDELETEDID", "3-0"}) == kOk);
  CHECK(runner.events == Events{"0:xsetid:s"});
  CHECK(runner.Run({"XADD", "s", "8-0", "f", "v"}) ==
        Error("The ID specified in XADD is equal or smaller than the target stream top item"));
  Reply info = Parse(runner.Run({"XINFO", "STREAM", "s"}));
  CHECK(Field(info, "last-generated-id").text == "9-0");
  CHECK(Field(info, "entries-added").integer == 10);
  CHECK(Field(info, "max-deleted-entry-id").text == "3-0");
  CHECK(runner.Run({"XSETID", "missing", "1-0"}) == Error("no such key"));
  CHECK(runner.Run({"XSETID", "s", "9-0", "FOO", "1"}) == kSyntaxError);
}

TEST_CASE("XINFO STREAM reports Redis's fields, FULL with pending lists and times") {
  CommandRunner runner;
  runner.Run({"XADD", "s", "1-0", "a", "1"});
  runner.Run({"XADD", "s", "2-0", "b", "2"});
  Reply info = Parse(runner.Run({"XINFO", "STREAM", "s"}));
  REQUIRE(info.size() == 20);
  CHECK(info[0].text == "length");
  CHECK(Field(info, "radix-tree-keys").integer == 1);
  CHECK(Field(info, "radix-tree-nodes").integer == 2);
  CHECK(Field(info, "groups").integer == 0);
  CHECK(Field(info, "first-entry")[0].text == "1-0");
  CHECK(Field(info, "last-entry")[0].text == "2-0");
  runner.Run({"XGROUP", "CREATE", "s", "g", "0"});
  int64_t read_at = runner.now_ms();
  runner.Run({"XREADGROUP", "GROUP", "g", "c", "COUNT", "1", "STREAMS", "s", ">"});
  Reply full = Parse(runner.Run({"XINFO", "STREAM", "s", "FULL"}));
  REQUIRE(full.size() == 18);
  CHECK(Field(full, "entries").size() == 2);
  const Reply& group = Field(full, "groups")[0];
  CHECK(Field(group, "entries-read").integer == 1);
  CHECK(Field(group, "lag").integer == 1);
  CHECK(Field(group, "pending")[0][2].integer == read_at);
  const Reply& consumer = Field(group, "consumers")[0];
  CHECK(Field(consumer, "seen-time").integer == read_at);
  CHECK(Field(consumer, "active-time").integer == read_at);
  CHECK(Field(consumer, "pel-count").integer == 1);
  CHECK(runner.Run({"XINFO", "STREAM", "s", "FULL", "COUNT"}) ==
        Error("unknown subcommand or wrong number of arguments for 'STREAM'. Try XINFO HELP."));
  CHECK(runner.Run({"XINFO", "STREAM", "missing"}) == Error("no such key"));
  CHECK(runner.Run({"XINFO", "CONSUMERS", "s", "nog"}) ==
        "-NOGROUP No such consumer group 'nog' for key name 's'\r\n");
  runner.set_protocol(3);
  CHECK(Parse(runner.Run({"XINFO", "STREAM", "s"})).type == '%');
  CHECK(runner.Run({"OBJECT", "ENCODING", "s"}) == Bulk("stream"));
  CHECK(runner.Run({"TYPE", "s"}) == Simple("stream"));
}

TEST_CASE("a shared stream is copied before a change, so the copy keeps the old value") {
  CommandRunner runner;
  runner.Run({"XADD", "s", "1-0", "f", "v"});
  runner.Run({"XGROUP", "CREATE", "s", "g", "0"});
  CHECK(runner.Run({"COPY", "s", "t"}) == Integer(1));
  runner.Run({"XADD", "s", "2-0", "f", "v"});
  runner.Run({"XREADGROUP", "GROUP", "g", "c", "STREAMS", "s", ">"});
  CHECK(runner.Run({"XLEN", "t"}) == Integer(1));
  CHECK(Parse(runner.Run({"XPENDING", "t", "g"}))[0].integer == 0);
  CHECK(Parse(runner.Run({"XPENDING", "s", "g"}))[0].integer == 2);
}

TEST_CASE("random stream and group commands match a model, crossing node limits") {
  uint64_t seed = std::random_device{}();
  CAPTURE(seed);
  std::mt19937_64 rng(seed);
  for (int round = 0; round < 6; round++) {
    CommandRunner runner;
    runner.limits().encodings.stream_node_max_entries = static_cast<int64_t>(rng() % 5);
    runner.limits().encodings.stream_node_max_bytes =
        rng() % 3 == 0 ? 0 : static_cast<int64_t>(40 + rng() % 300);
    std::map<std::pair<uint64_t, uint64_t>, std::string> model;  // id -> value of field "f"
    std::set<std::pair<uint64_t, uint64_t>> pending;             // group g's PEL
    std::pair<uint64_t, uint64_t> last{0, 0};
    std::pair<uint64_t, uint64_t> delivered{0, 0};
    bool group = false;
    auto text = [](std::pair<uint64_t, uint64_t> id) {
      return std::to_string(id.first) + "-" + std::to_string(id.second);
    };
    for (int step = 0; step < 1500; step++) {
      int op = static_cast<int>(rng() % 12);
      if (op < 4) {
        std::pair<uint64_t, uint64_t> id{last.first + rng() % 3, rng() % 3};
        std::string value = rng() % 2 ? std::to_string(rng() % 100) : std::string(rng() % 90, 'x');
        std::string reply = runner.Run({"XADD", "s", text(id), "f", value});
        if (id <= last) {
          REQUIRE(reply.starts_with("-ERR The ID specified in XADD"));
        } else {
          REQUIRE(reply == Bulk(text(id)));
          model[id] = value;
          last = id;
        }
      } else if (op < 5 && !model.empty()) {
        auto it = model.begin();
        std::advance(it, static_cast<long>(rng() % model.size()));
        auto id = it->first;
        model.erase(it);
        REQUIRE(runner.Run({"XDEL", "s", text(id)}) == Integer(1));
      } else if (op < 6) {
        size_t keep = rng() % (model.size() + 2);
        int64_t removed = model.size() > keep ? static_cast<int64_t>(model.size() - keep) : 0;
        REQUIRE(runner.Run({"XTRIM", "s", "MAXLEN", std::to_string(keep)}) == Integer(removed));
        while (model.size() > keep) model.erase(model.begin());
      } else if (op < 7) {
        if (!group) {
          REQUIRE(runner.Run({"XGROUP", "CREATE", "s", "g", "0", "MKSTREAM"}) == kOk);
          group = true;
        } else {
          size_t count = 1 + rng() % 4;
          Reply reply =
              Parse(runner.Run({"XREADGROUP", "GROUP", "g", "c" + std::to_string(rng() % 3),
                                "COUNT", std::to_string(count), "STREAMS", "s", ">"}));
          std::vector<std::string> expected;
          for (auto it = model.upper_bound(delivered); it != model.end() && expected.size() < count;
               ++it) {
            expected.push_back(text(it->first));
            pending.insert(it->first);
            delivered = it->first;
          }
          if (expected.empty()) {
            REQUIRE(reply.null);
          } else {
            REQUIRE(Ids(reply[0][1]) == expected);
          }
        }
      } else if (op < 8 && group && !pending.empty()) {
        auto it = pending.begin();
        std::advance(it, static_cast<long>(rng() % pending.size()));
        REQUIRE(runner.Run({"XACK", "s", "g", text(*it)}) == Integer(1));
        pending.erase(it);
      } else if (op < 9 && group) {
        // XAUTOCLAIM drops pending entries whose stream entry is gone.
        Reply reply =
            Parse(runner.Run({"XAUTOCLAIM", "s", "g", "c0", "0", "0", "COUNT", "1000", "JUSTID"}));
        std::vector<std::string> claimed;
        std::vector<std::string> deleted;
        for (auto it = pending.begin(); it != pending.end();) {
          if (model.contains(*it)) {
            claimed.push_back(text(*it));
            ++it;
          } else {
            deleted.push_back(text(*it));
            it = pending.erase(it);
          }
        }
        REQUIRE(reply[0].text == "0-0");
        std::vector<std::string> got_claimed;
        for (const Reply& id : reply[1].items) got_claimed.push_back(id.text);
        std::vector<std::string> got_deleted;
        for (const Reply& id : reply[2].items) got_deleted.push_back(id.text);
        REQUIRE(got_claimed == claimed);
        REQUIRE(got_deleted == deleted);
      } else {
        std::pair<uint64_t, uint64_t> a{rng() % (last.first + 2), rng() % 3};
        std::pair<uint64_t, uint64_t> b{rng() % (last.first + 2), rng() % 3};
        if (b < a) std::swap(a, b);
        Reply reply = Parse(runner.Run({"XRANGE", "s", text(a), text(b)}));
        std::vector<std::string> expected;
        for (auto it = model.lower_bound(a); it != model.end() && it->first <= b; ++it) {
          expected.push_back(text(it->first));
          REQUIRE(reply.items.at(expected.size() - 1)[1][1].text == it->second);
        }
        REQUIRE(Ids(reply) == expected);
        Reply reversed = Parse(runner.Run({"XREVRANGE", "s", text(b), text(a)}));
        std::reverse(expected.begin(), expected.end());
        REQUIRE(Ids(reversed) == expected);
      }
      REQUIRE(runner.Run({"XLEN", "s"}) == Integer(static_cast<int64_t>(model.size())));
      if (group) {
        REQUIRE(Parse(runner.Run({"XPENDING", "s", "g"}))[0].integer ==
                static_cast<int64_t>(pending.size()));
      }
    }
  }
}
