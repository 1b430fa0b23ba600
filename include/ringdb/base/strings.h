// Number <-> text conversions with Redis's exact acceptance rules, ASCII case helpers and the
// glob matcher behind KEYS, SCAN MATCH and CONFIG GET.
#pragma once

#include <cstddef>
#include <cstdint>
#include <optional>
#include <string>
#include <string_view>

namespace ringdb {

// Longest decimal text of an int64, sign included.
inline constexpr size_t kInt64TextMax = 20;

// Parses a signed 64-bit integer the way Redis's string2ll does: optional '-', no '+', no
// leading zeros, no spaces, no overflow, at most 20 characters.
std::optional<int64_t> ParseInt64(std::string_view text);

// Parses an unsigned 64-bit integer with the same strictness (Redis's string2ull).
std::optional<uint64_t> ParseUint64(std::string_view text);

// Parses a double the way Redis's getDoubleFromObject does: strtod over the whole text, no
// leading space, no NaN; "inf" and "-inf" are accepted; overflow to infinity is rejected.
std::optional<double> ParseDouble(std::string_view text);

// Parses a long double the way Redis's string2ld does (used by INCRBYFLOAT).
std::optional<long double> ParseLongDouble(std::string_view text);

// Writes `value` in decimal into `out` (at least kInt64TextMax bytes); returns the length.
size_t FormatInt64(int64_t value, char* out);
size_t FormatUint64(uint64_t value, char* out);
std::string Int64ToString(int64_t value);

// Formats a long double as Redis's ld2string in LD_STR_HUMAN mode: "%.17Lf" with trailing
// zeros and a trailing '.' removed, "-0" shown as "0", infinities as "inf" / "-inf".
std::string FormatLongDoubleHuman(long double value);

// Formats a double as Redis 7.0 replies do ("%.17g"; "inf", "-inf").
std::string FormatDouble17g(double value);

// Bytes enough for any text FormatDouble / FormatDoubleDtoa writes.
inline constexpr size_t kDoubleTextMax = 48;

// Redis's double2ll: the integer when `value` is integral and within +-(2^63-1)/2.
std::optional<int64_t> DoubleAsInteger(double value);
// Redis 7.2's fpconv_dtoa: the shortest digits that read back as `value`, in plain notation
// for moderate exponents (as grisu's emit_digits picks: "100000000000000000", "0.0001"), else
// "d.ddde+X" ("1e-7", "1.5e+300"); "nan", "inf", "-inf", "0", "-0". Returns the length.
size_t FormatDoubleDtoa(double value, char* out);
// Redis 7.2's d2string, the text of every double it replies (addReplyDouble, RESP2 and RESP3)
// and stores as a sorted-set score: "nan", "inf", "-inf", "0", "-0", integers within
// +-2^62 as integers, anything else as FormatDoubleDtoa. Returns the length (at most
// kDoubleTextMax - 1).
size_t FormatDouble(double value, char* out);
// FormatDouble as a string.
std::string FormatDoubleShortest(double value);

// ASCII-only case-insensitive equality, for command names and options.
bool EqualsIgnoreCase(std::string_view a, std::string_view b);
void ToLowerInPlace(std::string& text);
std::string ToLower(std::string_view text);

// Glob-style match with Redis's stringmatchlen semantics: '*', '?', '[...]' with '^' and
// ranges, '\' escapes. Bounded: patterns nesting more than 1000 '*' never match.
bool GlobMatch(std::string_view pattern, std::string_view text, bool nocase = false);

// Appends `bytes` in double quotes the way Redis's sdscatrepr does: \\ \" \n \r \t \a \b
// escaped, other bytes outside 0x20..0x7e as \xHH. The config parser and MONITOR readers
// read it back unchanged.
void AppendQuoted(std::string& out, std::string_view bytes);

// Parses a memory size as Redis's memtoull does: a number with an optional unit
// (b, k, kb, m, mb, g, gb; case-insensitive). "1k" is 1000, "1kb" is 1024.
std::optional<uint64_t> ParseMemorySize(std::string_view text);

}  // namespace ringdb
