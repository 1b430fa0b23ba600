// Redis's shared error replies, byte for byte. Texts starting with '-' carry their own code;
// the others get "ERR " in front (see resp::ReplyBuilder::Error).
#pragma once

#include <string_view>

namespace ringdb::commands::errors {

inline constexpr std::string_view kWrongType =
    "-WRONGTYPE Operation against a key holding the wrong kind of value";
inline constexpr std::string_view kSyntax = "syntax error";
inline constexpr std::string_view kNotInteger = "value is not an integer or out of range";
inline constexpr std::string_view kNotFloat = "value is not a valid float";
inline constexpr std::string_view kNoSuchKey = "no such key";
inline constexpr std::string_view kIndexOutOfRange = "index out of range";
inline constexpr std::string_view kDbIndexOutOfRange = "DB index is out of range";
inline constexpr std::string_view kOverflow = "increment or decrement would overflow";
inline constexpr std::string_view kStringTooLong =
    "string exceeds maximum allowed size (proto-max-bulk-len)";
inline constexpr std::string_view kOffsetOutOfRange = "offset is out of range";
inline constexpr std::string_view kSameObject = "source and destination objects are the same";
inline constexpr std::string_view kInvalidCursor = "invalid cursor";
inline constexpr std::string_view kNoAuth = "-NOAUTH Authentication required.";

}  // namespace ringdb::commands::errors
