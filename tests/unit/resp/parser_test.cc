#include <doctest/doctest.h>

#include <string>
#include <vector>

#include "ringdb/resp/parser.h"

using ringdb::resp::Parser;

namespace {

struct Parsed {
  std::vector<std::vector<std::string>> commands;
  std::string error;
};

// Feeds `input` to a parser in pieces that end at the given offsets, keeping unconsumed bytes
// the way the server does.
Parsed Feed(const std::string& input, const std::vector<size_t>& cuts) {
  Parser parser;
  Parsed parsed;
  std::string buffer;
  size_t fed = 0;
  std::vector<size_t> ends = cuts;
  ends.push_back(input.size());
  for (size_t end : ends) {
    buffer += input.substr(fed, end - fed);
    fed = end;
    while (true) {
      size_t consumed = 0;
      Parser::Status status = parser.Parse(buffer, &consumed);
      if (status == Parser::Status::kError) {
        parsed.error = parser.error();
        return parsed;
      }
      if (status == Parser::Status::kIncomplete) {
        buffer.erase(0, consumed);
        break;
      }
      std::vector<std::string> args;
      for (std::string_view arg : parser.args()) args.emplace_back(arg);
      parsed.commands.push_back(args);
      buffer.erase(0, consumed);
    }
  }
  return parsed;
}

}  // namespace

TEST_CASE("a pipelined buffer parses the same at every split point") {
  std::string input =
      "*3\r\n$3\r\nSET\r\n$1\r\nk\r\n$5\r\nva\r\nl\r\n"
      "*0\r\n"
      "PING\r\n"
      "\r\n"
      "*2\r\n$3\r\nGET\r\n$1\r\nk\r\n"
      "set \"a b\" 'c'\r\n"
      "*-1\r\n"
      "*1\r\n$0\r\n\r\n";
  std::vector<std::vector<std::string>> expected = {
      {"SET", "k", "va\r\nl"}, {"PING"}, {"GET", "k"}, {"set", "a b", "c"}, {""}};
  CHECK(Feed(input, {}).commands == expected);
  for (size_t cut = 0; cut <= input.size(); cut++) {
    CAPTURE(cut);
    CHECK(Feed(input, {cut}).commands == expected);
  }
  for (size_t first = 0; first <= input.size(); first += 3) {
    for (size_t second = first; second <= input.size(); second += 5) {
      CAPTURE(first);
      CAPTURE(second);
      CHECK(Feed(input, {first, second}).commands == expected);
    }
  }
  std::vector<size_t> every;
  for (size_t i = 1; i < input.size(); i++) every.push_back(i);
  CHECK(Feed(input, every).commands == expected);
}

TEST_CASE("protocol errors use Redis's texts") {
  CHECK(Feed("*x\r\n", {}).error == "Protocol error: invalid multibulk length");
  CHECK(Feed("*3000000000\r\n", {}).error == "Protocol error: invalid multibulk length");
  CHECK(Feed("*1\r\n+foo\r\n", {}).error == "Protocol error: expected '$', got '+'");
  CHECK(Feed("*1\r\n$-1\r\n", {}).error == "Protocol error: invalid bulk length");
  CHECK(Feed("*1\r\n$abc\r\n", {}).error == "Protocol error: invalid bulk length");
  CHECK(Feed("*1\r\n$536870913\r\n", {}).error == "Protocol error: invalid bulk length");
  CHECK(Feed("set \"abc\r\n", {}).error == "Protocol error: unbalanced quotes in request");
  CHECK(Feed("set \"a\"b\r\n", {}).error == "Protocol error: unbalanced quotes in request");
  CHECK(Feed(std::string(70000, 'a'), {}).error == "Protocol error: too big inline request");
  CHECK(Feed("*" + std::string(70000, '1'), {}).error ==
        "Protocol error: too big mbulk count string");
  CHECK(Feed("*1\r\n$" + std::string(70000, '1'), {}).error ==
        "Protocol error: too big bulk count string");
}

TEST_CASE("commands before a protocol error are still parsed") {
  Parsed parsed = Feed("PING\r\n*1\r\n$4\r\nPING\r\n*z\r\n", {});
  CHECK(parsed.commands.size() == 2);
  CHECK(parsed.error == "Protocol error: invalid multibulk length");
}

TEST_CASE("inline arguments unescape like sdssplitargs") {
  Parsed parsed = Feed("set \"\\x41\\n\\\"\" 'it\\'s'\r\n", {});
  REQUIRE(parsed.commands.size() == 1);
  CHECK(parsed.commands[0] == std::vector<std::string>{"set", "A\n\"", "it's"});
  parsed = Feed("  lots   of\tspace  \n", {});
  REQUIRE(parsed.commands.size() == 1);
  CHECK(parsed.commands[0] == std::vector<std::string>{"lots", "of", "space"});
}

TEST_CASE("a bulk length limit is checked before the body arrives") {
  Parser parser(1024);
  size_t consumed = 0;
  CHECK(parser.Parse("*1\r\n$1025\r\n", &consumed) == Parser::Status::kError);
  Parser roomy(1024);
  CHECK(roomy.Parse("*1\r\n$1024\r\n", &consumed) == Parser::Status::kIncomplete);
  CHECK(roomy.bytes_needed() == 4 + 7 + 1024 + 2);
}

TEST_CASE("a long line trickled in byte by byte is scanned once") {
  Parser parser;
  std::string line = "PING " + std::string(60000, 'x');
  std::string buffer;
  size_t consumed = 0;
  for (char c : line) {
    buffer.push_back(c);
    REQUIRE(parser.Parse(buffer, &consumed) == Parser::Status::kIncomplete);
    REQUIRE(consumed == 0);
  }
  buffer += "\r\n";
  CHECK(parser.Parse(buffer, &consumed) == Parser::Status::kCommand);
  CHECK(parser.args().size() == 2);
}
