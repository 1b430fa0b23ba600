#include <doctest/doctest.h>

#include <climits>
#include <cmath>

#include "ringdb/base/strings.h"

using namespace ringdb;

TEST_CASE("integer parsing accepts exactly what Redis's string2ll accepts") {
  CHECK(ParseInt64("0") == 0);
  CHECK(ParseInt64("-1") == -1);
  CHECK(ParseInt64("9223372036854775807") == INT64_MAX);
  CHECK(ParseInt64("-9223372036854775808") == INT64_MIN);
  CHECK_FALSE(ParseInt64("9223372036854775808"));
  CHECK_FALSE(ParseInt64("-9223372036854775809"));
  CHECK_FALSE(ParseInt64(""));
  CHECK_FALSE(ParseInt64("-"));
  CHECK_FALSE(ParseInt64("-0"));
  CHECK_FALSE(ParseInt64("01"));
  CHECK_FALSE(ParseInt64("+1"));
  CHECK_FALSE(ParseInt64(" 1"));
  CHECK_FALSE(ParseInt64("1 "));
  CHECK_FALSE(ParseInt64("1a"));
  CHECK_FALSE(ParseInt64("00000000000000000000001"));
}

TEST_CASE("double parsing rejects spaces, NaN and overflow but takes inf") {
  CHECK(ParseDouble("1.5") == 1.5);
  CHECK(ParseDouble("-inf") == -HUGE_VAL);
  CHECK(ParseDouble("+inf") == HUGE_VAL);
  CHECK(ParseDouble("1e3") == 1000.0);
  CHECK_FALSE(ParseDouble(" 1"));
  CHECK_FALSE(ParseDouble("1 "));
  CHECK_FALSE(ParseDouble("nan"));
  CHECK_FALSE(ParseDouble("1e999"));
  CHECK_FALSE(ParseDouble(""));
  CHECK_FALSE(ParseDouble("abc"));
}

TEST_CASE("long doubles print as Redis's INCRBYFLOAT prints them") {
  CHECK(FormatLongDoubleHuman(10.5L) == "10.5");
  CHECK(FormatLongDoubleHuman(3.0L) == "3");
  CHECK(FormatLongDoubleHuman(-0.0L) == "0");
  CHECK(FormatLongDoubleHuman(5.0e3L) == "5000");
  CHECK(FormatLongDoubleHuman(0.1L) == "0.1");
}

TEST_CASE("shortest doubles read back to the same value") {
  CHECK(FormatDoubleShortest(1.1) == "1.1");
  CHECK(FormatDoubleShortest(0.1 + 0.2) == "0.30000000000000004");
  CHECK(FormatDoubleShortest(1e300) == "1e+300");
  CHECK(FormatDoubleShortest(-HUGE_VAL) == "-inf");
  // Redis 7.2's d2string: integral values within +-2^62 as integers, fpconv_dtoa otherwise.
  CHECK(FormatDoubleShortest(1e17) == "100000000000000000");
  CHECK(FormatDoubleShortest(1e-7) == "1e-7");
  CHECK(FormatDoubleShortest(-0.0) == "-0");
  CHECK(FormatDoubleShortest(std::nan("")) == "nan");
  char text[kDoubleTextMax];
  CHECK(std::string(text, FormatDoubleDtoa(1e17, text)) == "1e+17");
  CHECK(std::string(text, FormatDoubleDtoa(5e-324, text)) == "5e-324");
  CHECK(DoubleAsInteger(4611686018427387904.0) == 4611686018427387904);
  CHECK_FALSE(DoubleAsInteger(9223372036854775808.0).has_value());
  CHECK_FALSE(DoubleAsInteger(1.5).has_value());
  CHECK(FormatDouble17g(1.1) == "1.1000000000000001");
}

TEST_CASE("glob matching follows stringmatchlen") {
  CHECK(GlobMatch("*", "anything"));
  // stringmatchlen never matches an empty text (KEYS and SCAN special-case "*").
  CHECK_FALSE(GlobMatch("*", ""));
  CHECK(GlobMatch("h?llo", "hello"));
  CHECK_FALSE(GlobMatch("h?llo", "hllo"));
  CHECK(GlobMatch("h*llo", "heeeello"));
  CHECK(GlobMatch("h[ae]llo", "hallo"));
  CHECK_FALSE(GlobMatch("h[ae]llo", "hillo"));
  CHECK(GlobMatch("h[^e]llo", "hallo"));
  CHECK_FALSE(GlobMatch("h[^e]llo", "hello"));
  CHECK(GlobMatch("h[a-b]llo", "hbllo"));
  CHECK(GlobMatch("h[b-a]llo", "hallo"));
  CHECK(GlobMatch("h\\*llo", "h*llo"));
  CHECK_FALSE(GlobMatch("h\\*llo", "hello"));
  CHECK(GlobMatch("HELLO", "hello", true));
  CHECK_FALSE(GlobMatch("HELLO", "hello", false));
  CHECK(GlobMatch("a*", "a"));
  CHECK(GlobMatch("a**", "a"));
  CHECK_FALSE(GlobMatch("a[", "ab"));
  // An unterminated class matches nothing, as in Redis.
  CHECK_FALSE(GlobMatch("[", "["));
}

TEST_CASE("glob matching of a pathological pattern ends quickly") {
  std::string pattern;
  for (int i = 0; i < 60; i++) pattern += "a*";
  pattern += "b";
  std::string text(200, 'a');
  CHECK_FALSE(GlobMatch(pattern, text));
}

TEST_CASE("memory sizes take Redis's units") {
  CHECK(ParseMemorySize("100") == 100);
  CHECK(ParseMemorySize("1k") == 1000);
  CHECK(ParseMemorySize("1kb") == 1024);
  CHECK(ParseMemorySize("1GB") == 1024ULL * 1024 * 1024);
  CHECK(ParseMemorySize("512mb") == 512ULL * 1024 * 1024);
  CHECK_FALSE(ParseMemorySize("1xb"));
  CHECK_FALSE(ParseMemorySize("mb"));
  CHECK_FALSE(ParseMemorySize("-1"));
}

TEST_CASE("quoting escapes like sdscatrepr") {
  std::string out;
  AppendQuoted(out, std::string_view("a\"b\\c\n\r\t\a\b\x01\xff z", 14));
  CHECK(out == "\"a\\\"b\\\\c\\n\\r\\t\\a\\b\\x01\\xff z\"");
}
