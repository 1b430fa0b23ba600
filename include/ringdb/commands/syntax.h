// Parses the Redis-style syntax string of a CommandSpec ("key [NX | XX] [EX seconds]") into the
// argument tree COMMAND DOCS reports: names, types, tokens, optional / multiple flags, and
// oneof / block groups.
//
// The notation is the one redis.io prints under each command:
//   word          an argument; UPPERCASE words (no lowercase letter) are literal tokens
//   TOKEN name    an argument introduced by a token ("EX seconds")
//   [ ... ]       optional
//   < ... >       required group (used for a choice: "<ON | OFF>")
//   a | b         one of the alternatives
//   x [x ...]     x repeats ("key [key ...]", "ID client-id [client-id ...]")
//
// Types are inferred from argument names (key, pattern, count, seconds, ...); everything else
// is a string. The result describes the command for clients and tools; it never drives
// argument parsing.
#pragma once

#include <cstdint>
#include <string>
#include <string_view>
#include <vector>

#include "ringdb/base/status.h"

namespace ringdb::commands {

enum class ArgumentType : uint8_t {
  kString,
  kInteger,
  kDouble,
  kKey,
  kPattern,
  kUnixTime,
  kPureToken,
  kOneof,
  kBlock,
};

// Redis's name for the type ("string", "pure-token", "oneof", ...).
const char* ArgumentTypeName(ArgumentType type);

struct SyntaxArgument {
  std::string name;
  ArgumentType type = ArgumentType::kString;
  std::string token;  // Empty when the argument has no token.
  bool optional = false;
  bool multiple = false;
  // The token repeats with each value ("[GET pattern [GET pattern ...]]").
  bool multiple_token = false;
  // The alternatives of a oneof, the members of a block.
  std::vector<SyntaxArgument> arguments;

  bool operator==(const SyntaxArgument& other) const = default;
};

// Longest syntax string accepted, and deepest nesting of groups: specs are literals, so these
// bounds only guard against a typo turning into runaway recursion.
inline constexpr size_t kSyntaxBytesMax = 4096;
inline constexpr int kSyntaxDepthMax = 16;

// Parses `syntax`. Errors name the offending offset ("unbalanced '[' at offset 4").
Result<std::vector<SyntaxArgument>> ParseSyntax(std::string_view syntax);

}  // namespace ringdb::commands
