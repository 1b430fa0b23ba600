#include <doctest/doctest.h>

#include "ringdb/commands/command.h"
#include "ringdb/commands/registry.h"
#include "ringdb/commands/syntax.h"

using ringdb::commands::ArgumentType;
using ringdb::commands::ParseSyntax;
using ringdb::commands::SyntaxArgument;

namespace {

std::vector<SyntaxArgument> Parse(std::string_view syntax) {
  auto parsed = ParseSyntax(syntax);
  REQUIRE_MESSAGE(parsed.ok(), parsed.status().message());
  return parsed.value();
}

SyntaxArgument Arg(std::string name, ArgumentType type, std::string token = "") {
  return {.name = std::move(name), .type = type, .token = std::move(token)};
}

SyntaxArgument Token(std::string token) {
  std::string name = token;
  for (char& c : name) c = static_cast<char>(std::tolower(static_cast<unsigned char>(c)));
  return {.name = std::move(name), .type = ArgumentType::kPureToken, .token = std::move(token)};
}

SyntaxArgument Optional(SyntaxArgument argument) {
  argument.optional = true;
  return argument;
}

SyntaxArgument Multiple(SyntaxArgument argument, bool with_token = false) {
  argument.multiple = true;
  argument.multiple_token = with_token;
  return argument;
}

SyntaxArgument Group(ArgumentType type, std::string name, std::vector<SyntaxArgument> members,
                     std::string token = "") {
  return {.name = std::move(name),
          .type = type,
          .token = std::move(token),
          .arguments = std::move(members)};
}

}  // namespace

TEST_CASE("syntax parser reads SET's options as optional oneofs and tokens") {
  auto parsed = Parse(
      "key value [NX | XX] [GET] [EX seconds | PX milliseconds | EXAT unix-time-seconds | PXAT "
      "unix-time-milliseconds | KEEPTTL]");
  std::vector<SyntaxArgument> expected = {
      Arg("key", ArgumentType::kKey),
      Arg("value", ArgumentType::kString),
      Optional(Group(ArgumentType::kOneof, "nx_xx", {Token("NX"), Token("XX")})),
      Optional(Token("GET")),
      Optional(Group(
          ArgumentType::kOneof,
          "seconds_milliseconds_unix-time-seconds_unix-time-milliseconds_keepttl",
          {Arg("seconds", ArgumentType::kInteger, "EX"),
           Arg("milliseconds", ArgumentType::kInteger, "PX"),
           Arg("unix-time-seconds", ArgumentType::kUnixTime, "EXAT"),
           Arg("unix-time-milliseconds", ArgumentType::kUnixTime, "PXAT"), Token("KEEPTTL")})),
  };
  CHECK(parsed == expected);
}

TEST_CASE("syntax parser turns x [x ...] into one repeating argument") {
  CHECK(Parse("key [key ...]") == std::vector{Multiple(Arg("key", ArgumentType::kKey))});
  CHECK(Parse("[command-name [command-name ...]]") ==
        std::vector{Optional(Multiple(Arg("command-name", ArgumentType::kString)))});
  CHECK(Parse("key field value [field value ...]") ==
        std::vector{Arg("key", ArgumentType::kKey),
                    Multiple(Group(ArgumentType::kBlock, "field",
                                   {Arg("field", ArgumentType::kString),
                                    Arg("value", ArgumentType::kString)}))});
}

TEST_CASE("syntax parser tells a repeating value from a repeating token") {
  CHECK(Parse("[ID client-id [client-id ...]]") ==
        std::vector{Optional(Multiple(Arg("client-id", ArgumentType::kInteger, "ID")))});
  CHECK(Parse("[GET pattern [GET pattern ...]]") ==
        std::vector{Optional(Multiple(Arg("pattern", ArgumentType::kPattern, "GET"), true))});
}

TEST_CASE("syntax parser gives a token to the required group after it") {
  CHECK(Parse("[TYPE <NORMAL | MASTER | REPLICA | PUBSUB>]") ==
        std::vector{Optional(
            Group(ArgumentType::kOneof, "type",
                  {Token("NORMAL"), Token("MASTER"), Token("REPLICA"), Token("PUBSUB")}, "TYPE"))});
  CHECK(Parse("<ON | OFF>") ==
        std::vector{Group(ArgumentType::kOneof, "on_off", {Token("ON"), Token("OFF")})});
}

TEST_CASE("syntax parser makes a block of a bracket holding several arguments") {
  auto auth = Optional(Group(
      ArgumentType::kBlock, "auth",
      {Arg("username", ArgumentType::kString), Arg("password", ArgumentType::kString)}, "AUTH"));
  auto setname = Optional(Arg("clientname", ArgumentType::kString, "SETNAME"));
  CHECK(Parse("[protover [AUTH username password] [SETNAME clientname]]") ==
        std::vector{Optional(Group(ArgumentType::kBlock, "protover",
                                   {Arg("protover", ArgumentType::kInteger), auth, setname}))});
}

TEST_CASE("syntax parser repeats a whole choice when the ellipsis ends it") {
  auto choice = Group(ArgumentType::kOneof, "client-id_username",
                      {Optional(Arg("client-id", ArgumentType::kInteger, "ID")),
                       Optional(Arg("username", ArgumentType::kString, "USER"))});
  CHECK(Parse("<[ID client-id] | [USER username]> [[ID client-id] | [USER username] ...]") ==
        std::vector{Multiple(choice)});
}

TEST_CASE("syntax parser accepts an empty syntax") { CHECK(Parse("").empty()); }

TEST_CASE("syntax parser rejects malformed syntax with the offset") {
  auto check_error = [](std::string_view syntax, std::string_view message) {
    CAPTURE(syntax);
    auto parsed = ParseSyntax(syntax);
    REQUIRE_FALSE(parsed.ok());
    CHECK(parsed.status().message() == message);
  };
  check_error("[key", "unbalanced '[' at offset 0");
  check_error("key]", "unexpected ']' at offset 3");
  check_error("a <b | c]", "unbalanced '<' at offset 2");
  check_error("...", "unexpected '...' at offset 0");
  check_error("[a ... b]", "unexpected 'b' at offset 7");
  check_error("[a | ]", "unexpected ']' at offset 5");
  check_error("[]", "unexpected ']' at offset 1");
  check_error("[a ... | b]", "'...' inside an alternative at offset 0");
  std::string deep(ringdb::commands::kSyntaxDepthMax + 1, '[');
  deep += "a";
  deep += std::string(ringdb::commands::kSyntaxDepthMax + 1, ']');
  check_error(deep, "groups nested too deeply at offset 16");
  check_error(std::string(ringdb::commands::kSyntaxBytesMax + 1, 'a'),
              "syntax longer than 4096 bytes");
}

TEST_CASE("every data command's syntax string parses") {
  ringdb::commands::CommandTable table;
  ringdb::commands::RegisterDataCommands(table);
  REQUIRE(table.size() > 0);
  for (const ringdb::commands::Command* command : table.all()) {
    CAPTURE(command->full_name);
    auto parsed = ParseSyntax(command->spec->syntax);
    CHECK_MESSAGE(parsed.ok(), parsed.status().message());
    for (const ringdb::commands::CommandSpec& sub : command->spec->subcommands) {
      CAPTURE(sub.name);
      CHECK(ParseSyntax(sub.syntax).ok());
    }
  }
}

TEST_CASE("syntax parser infers types from argument names") {
  CHECK(Parse("key1 key2 [MINMATCHLEN min-match-len] source destination [DB destination-db]") ==
        std::vector{Arg("key1", ArgumentType::kKey), Arg("key2", ArgumentType::kKey),
                    Optional(Arg("min-match-len", ArgumentType::kInteger, "MINMATCHLEN")),
                    Arg("source", ArgumentType::kKey), Arg("destination", ArgumentType::kKey),
                    Optional(Arg("destination-db", ArgumentType::kInteger, "DB"))});
  CHECK(Parse("pattern message score") == std::vector{Arg("pattern", ArgumentType::kPattern),
                                                      Arg("message", ArgumentType::kString),
                                                      Arg("score", ArgumentType::kDouble)});
}
