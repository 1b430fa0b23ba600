#include "ringdb/base/strings.h"

#include <cctype>
#include <cerrno>
#include <charconv>
#include <climits>
#include <cmath>
#include <cstdio>
#include <cstdlib>
#include <cstring>

#include "ringdb/base/assert.h"

namespace ringdb {
namespace {

// Redis refuses numeric text of 21 or more characters before looking at it.
constexpr size_t kNumericTextMax = 21;

// Parses the digits of an unsigned value; fails on an empty text, a leading zero (unless the
// whole text is "0"), a non-digit or overflow.
std::optional<uint64_t> ParseDigits(std::string_view digits) {
  if (digits.empty()) return std::nullopt;
  if (digits.size() == 1 && digits[0] == '0') return 0;
  if (digits[0] < '1' || digits[0] > '9') return std::nullopt;
  uint64_t value = 0;
  for (char c : digits) {
    if (c < '0' || c > '9') return std::nullopt;
    if (value > UINT64_MAX / 10) return std::nullopt;
    value *= 10;
    uint64_t digit = static_cast<uint64_t>(c - '0');
    if (value > UINT64_MAX - digit) return std::nullopt;
    value += digit;
  }
  return value;
}

}  // namespace

std::optional<int64_t> ParseInt64(std::string_view text) {
  if (text.empty() || text.size() >= kNumericTextMax) return std::nullopt;
  bool negative = false;
  if (text[0] == '-') {
    negative = true;
    text.remove_prefix(1);
    // Redis's string2ll accepts "0" but not "-0".
    if (text == "0") return std::nullopt;
  }
  std::optional<uint64_t> magnitude = ParseDigits(text);
  if (!magnitude) return std::nullopt;
  if (negative) {
    if (*magnitude > static_cast<uint64_t>(INT64_MAX) + 1) return std::nullopt;
    return static_cast<int64_t>(0 - *magnitude);
  }
  if (*magnitude > static_cast<uint64_t>(INT64_MAX)) return std::nullopt;
  return static_cast<int64_t>(*magnitude);
}

std::optional<uint64_t> ParseUint64(std::string_view text) {
  if (text.empty() || text.size() >= kNumericTextMax) return std::nullopt;
  return ParseDigits(text);
}

std::optional<double> ParseDouble(std::string_view text) {
  // Redis copies to a NUL-terminated buffer of MAX_LONG_DOUBLE_CHARS and calls strtod.
  constexpr size_t kBufferBytes = 5 * 1024;
  if (text.empty() || text.size() >= kBufferBytes) return std::nullopt;
  char buffer[kBufferBytes];
  std::memcpy(buffer, text.data(), text.size());
  buffer[text.size()] = '\0';
  if (std::isspace(static_cast<unsigned char>(buffer[0]))) return std::nullopt;
  errno = 0;
  char* end = nullptr;
  double value = std::strtod(buffer, &end);
  if (static_cast<size_t>(end - buffer) != text.size()) return std::nullopt;
  if (errno == ERANGE && (value == HUGE_VAL || value == -HUGE_VAL || value == 0)) {
    return std::nullopt;
  }
  if (std::isnan(value)) return std::nullopt;
  return value;
}

std::optional<long double> ParseLongDouble(std::string_view text) {
  constexpr size_t kBufferBytes = 5 * 1024;
  if (text.empty() || text.size() >= kBufferBytes) return std::nullopt;
  char buffer[kBufferBytes];
  std::memcpy(buffer, text.data(), text.size());
  buffer[text.size()] = '\0';
  if (std::isspace(static_cast<unsigned char>(buffer[0]))) return std::nullopt;
  errno = 0;
  char* end = nullptr;
  long double value = std::strtold(buffer, &end);
  if (static_cast<size_t>(end - buffer) != text.size()) return std::nullopt;
  if (errno == ERANGE &&
      (value == HUGE_VALL || value == -HUGE_VALL || std::fpclassify(value) == FP_ZERO)) {
    return std::nullopt;
  }
  if (errno == EINVAL || std::isnan(value)) return std::nullopt;
  return value;
}

size_t FormatUint64(uint64_t value, char* out) {
  char* end = std::to_chars(out, out + kInt64TextMax, value).ptr;
  return static_cast<size_t>(end - out);
}

size_t FormatInt64(int64_t value, char* out) {
  char* end = std::to_chars(out, out + kInt64TextMax, value).ptr;
  return static_cast<size_t>(end - out);
}

std::string Int64ToString(int64_t value) {
  char buffer[kInt64TextMax];
  return std::string(buffer, FormatInt64(value, buffer));
}

std::string FormatLongDoubleHuman(long double value) {
  if (std::isinf(value)) return value > 0 ? "inf" : "-inf";
  // The widest finite long double prints about 4940 digits before the point.
  char buffer[5 * 1024];
  int written = std::snprintf(buffer, sizeof(buffer), "%.17Lf", value);
  if (written <= 0 || static_cast<size_t>(written) >= sizeof(buffer)) return std::string();
  size_t length = static_cast<size_t>(written);
  if (std::memchr(buffer, '.', length) != nullptr) {
    while (buffer[length - 1] == '0') length--;
    if (buffer[length - 1] == '.') length--;
  }
  if (length == 2 && buffer[0] == '-' && buffer[1] == '0') return "0";
  return std::string(buffer, length);
}

std::string FormatDouble17g(double value) {
  if (std::isinf(value)) return value > 0 ? "inf" : "-inf";
  char buffer[64];
  int written = std::snprintf(buffer, sizeof(buffer), "%.17g", value);
  return std::string(buffer, static_cast<size_t>(written));
}

std::optional<int64_t> DoubleAsInteger(double value) {
  if (std::isnan(value)) return std::nullopt;
  if (value < static_cast<double>(-LLONG_MAX / 2) || value > static_cast<double>(LLONG_MAX / 2)) {
    return std::nullopt;
  }
  auto integer = static_cast<long long>(value);
  if (static_cast<double>(integer) != value) return std::nullopt;
  return integer;
}

namespace {

// grisu's emit_digits as Redis's fpconv_dtoa uses it: `digits` (no leading zero) times
// 10^k, in plain notation for moderate exponents, else d.ddde+X.
size_t EmitDigits(const char* digits, int ndigits, int k, bool negative, char* out) {
  int exponent = std::abs(k + ndigits - 1);
  if (k >= 0 && exponent < ndigits + 7) {
    std::memcpy(out, digits, static_cast<size_t>(ndigits));
    std::memset(out + ndigits, '0', static_cast<size_t>(k));
    return static_cast<size_t>(ndigits + k);
  }
  if (k < 0 && (k > -7 || exponent < 4)) {
    int offset = ndigits - std::abs(k);
    if (offset <= 0) {
      offset = -offset;
      out[0] = '0';
      out[1] = '.';
      std::memset(out + 2, '0', static_cast<size_t>(offset));
      std::memcpy(out + offset + 2, digits, static_cast<size_t>(ndigits));
      return static_cast<size_t>(ndigits + 2 + offset);
    }
    std::memcpy(out, digits, static_cast<size_t>(offset));
    out[offset] = '.';
    std::memcpy(out + offset + 1, digits + offset, static_cast<size_t>(ndigits - offset));
    return static_cast<size_t>(ndigits + 1);
  }
  ndigits = std::min(ndigits, 18 - (negative ? 1 : 0));
  size_t i = 0;
  out[i++] = digits[0];
  if (ndigits > 1) {
    out[i++] = '.';
    std::memcpy(out + i, digits + 1, static_cast<size_t>(ndigits - 1));
    i += static_cast<size_t>(ndigits - 1);
  }
  out[i++] = 'e';
  out[i++] = k + ndigits - 1 < 0 ? '-' : '+';
  int hundreds = 0;
  if (exponent > 99) {
    hundreds = exponent / 100;
    out[i++] = static_cast<char>('0' + hundreds);
    exponent -= hundreds * 100;
  }
  if (exponent > 9) {
    int tens = exponent / 10;
    out[i++] = static_cast<char>('0' + tens);
    exponent -= tens * 10;
  } else if (hundreds != 0) {
    out[i++] = '0';
  }
  out[i++] = static_cast<char>('0' + exponent % 10);
  return i;
}

}  // namespace

size_t FormatDoubleDtoa(double value, char* out) {
  size_t length = 0;
  bool negative = std::signbit(value);
  if (negative) out[length++] = '-';
  if (value == 0) {
    out[length++] = '0';
    return length;
  }
  if (std::isnan(value) || std::isinf(value)) {
    std::memcpy(out + length, std::isnan(value) ? "nan" : "inf", 3);
    return length + 3;
  }
  // The shortest digits that read back as `value` (std::to_chars is Ryu in libstdc++), in
  // scientific form "d.ddde[+-]XX"; grisu2 finds the same digits for almost every double.
  char text[64];
  std::to_chars_result result =
      std::to_chars(text, text + sizeof(text), std::fabs(value), std::chars_format::scientific);
  RINGDB_ASSERT(result.ec == std::errc());
  char digits[24];
  int ndigits = 0;
  const char* p = text;
  for (; p < result.ptr && *p != 'e'; p++) {
    if (*p != '.') digits[ndigits++] = *p;
  }
  RINGDB_ASSERT(p < result.ptr);
  // to_chars does not terminate the text: read the exponent up to result.ptr.
  p++;
  bool exponent_negative = p < result.ptr && *p == '-';
  if (p < result.ptr && (*p == '-' || *p == '+')) p++;
  int exponent = 0;
  for (; p < result.ptr; p++) exponent = exponent * 10 + (*p - '0');
  if (exponent_negative) exponent = -exponent;
  // Trailing zeros are not digits grisu emits.
  while (ndigits > 1 && digits[ndigits - 1] == '0') ndigits--;
  int k = exponent - (ndigits - 1);
  return length + EmitDigits(digits, ndigits, k, negative, out + length);
}

size_t FormatDouble(double value, char* out) {
  if (std::isnan(value)) {
    std::memcpy(out, "nan", 3);
    return 3;
  }
  if (std::isinf(value)) {
    if (value < 0) {
      std::memcpy(out, "-inf", 4);
      return 4;
    }
    std::memcpy(out, "inf", 3);
    return 3;
  }
  if (value == 0) {
    if (std::signbit(value)) {
      std::memcpy(out, "-0", 2);
      return 2;
    }
    out[0] = '0';
    return 1;
  }
  if (std::optional<int64_t> integer = DoubleAsInteger(value)) return FormatInt64(*integer, out);
  return FormatDoubleDtoa(value, out);
}

std::string FormatDoubleShortest(double value) {
  char text[kDoubleTextMax];
  return std::string(text, FormatDouble(value, text));
}

bool EqualsIgnoreCase(std::string_view a, std::string_view b) {
  if (a.size() != b.size()) return false;
  for (size_t i = 0; i < a.size(); i++) {
    unsigned char x = static_cast<unsigned char>(a[i]);
    unsigned char y = static_cast<unsigned char>(b[i]);
    if (x == y) continue;
    if ((x | 0x20) != (y | 0x20)) return false;
    unsigned char lower = x | 0x20;
    if (lower < 'a' || lower > 'z') return false;
  }
  return true;
}

void ToLowerInPlace(std::string& text) {
  for (char& c : text) {
    if (c >= 'A' && c <= 'Z') c = static_cast<char>(c + ('a' - 'A'));
  }
}

std::string ToLower(std::string_view text) {
  std::string lowered(text);
  ToLowerInPlace(lowered);
  return lowered;
}

namespace {

// The matcher mirrors stringmatchlen: it reads the pattern as a NUL-terminated C string would
// be read (a position past the end reads as '\0'), and compares bytes as signed chars.
class GlobMatcher {
 public:
  GlobMatcher(std::string_view pattern, bool nocase) : pattern_(pattern), nocase_(nocase) {}

  bool Match(size_t p, std::string_view text, int nesting) {
    size_t s = 0;
    ptrdiff_t pattern_left = static_cast<ptrdiff_t>(pattern_.size() - p);
    ptrdiff_t text_left = static_cast<ptrdiff_t>(text.size());
    if (nesting > kNestingMax) return false;
    while (pattern_left > 0 && text_left > 0) {
      switch (PatternAt(p)) {
        case '*': {
          while (pattern_left > 0 && PatternAt(p + 1) == '*') {
            p++;
            pattern_left--;
          }
          if (pattern_left == 1) return true;
          while (text_left > 0) {
            if (Match(p + 1, text.substr(s), nesting + 1)) return true;
            if (skip_longer_matches_) return false;
            s++;
            text_left--;
          }
          skip_longer_matches_ = true;
          return false;
        }
        case '?':
          s++;
          text_left--;
          break;
        case '[': {
          p++;
          pattern_left--;
          bool negate = PatternAt(p) == '^';
          if (negate) {
            p++;
            pattern_left--;
          }
          bool matched = false;
          int c = static_cast<signed char>(text[s]);
          while (true) {
            if (PatternAt(p) == '\\' && pattern_left >= 2) {
              p++;
              pattern_left--;
              if (PatternAt(p) == c) matched = true;
            } else if (PatternAt(p) == ']') {
              break;
            } else if (pattern_left == 0) {
              p--;
              pattern_left++;
              break;
            } else if (pattern_left >= 3 && PatternAt(p + 1) == '-') {
              int start = PatternAt(p);
              int end = PatternAt(p + 2);
              int ch = c;
              if (start > end) std::swap(start, end);
              if (nocase_) {
                start = std::tolower(start);
                end = std::tolower(end);
                ch = std::tolower(ch);
              }
              p += 2;
              pattern_left -= 2;
              if (ch >= start && ch <= end) matched = true;
            } else if (SameChar(PatternAt(p), c)) {
              matched = true;
            }
            p++;
            pattern_left--;
          }
          if (negate) matched = !matched;
          if (!matched) return false;
          s++;
          text_left--;
          break;
        }
        case '\\':
          if (pattern_left >= 2) {
            p++;
            pattern_left--;
          }
          [[fallthrough]];
        default:
          if (!SameChar(PatternAt(p), static_cast<signed char>(text[s]))) return false;
          s++;
          text_left--;
          break;
      }
      p++;
      pattern_left--;
      if (text_left == 0) {
        while (PatternAt(p) == '*') {
          p++;
          pattern_left--;
        }
        break;
      }
    }
    return pattern_left == 0 && text_left == 0;
  }

 private:
  static constexpr int kNestingMax = 1000;

  int PatternAt(size_t i) const {
    return i < pattern_.size() ? static_cast<signed char>(pattern_[i]) : 0;
  }
  bool SameChar(int a, int b) const {
    if (!nocase_) return a == b;
    return std::tolower(a) == std::tolower(b);
  }

  std::string_view pattern_;
  bool nocase_;
  bool skip_longer_matches_ = false;
};

}  // namespace

bool GlobMatch(std::string_view pattern, std::string_view text, bool nocase) {
  GlobMatcher matcher(pattern, nocase);
  return matcher.Match(0, text, 0);
}

void AppendQuoted(std::string& out, std::string_view bytes) {
  out.push_back('"');
  for (unsigned char c : bytes) {
    switch (c) {
      case '\\':
        out += "\\\\";
        break;
      case '"':
        out += "\\\"";
        break;
      case '\n':
        out += "\\n";
        break;
      case '\r':
        out += "\\r";
        break;
      case '\t':
        out += "\\t";
        break;
      case '\a':
        out += "\\a";
        break;
      case '\b':
        out += "\\b";
        break;
      default:
        if (c >= 0x20 && c < 0x7f) {
          out.push_back(static_cast<char>(c));
        } else {
          static constexpr char kHex[] = "0123456789abcdef";
          out += "\\x";
          out.push_back(kHex[c >> 4]);
          out.push_back(kHex[c & 15]);
        }
    }
  }
  out.push_back('"');
}

std::optional<uint64_t> ParseMemorySize(std::string_view text) {
  size_t digits_end = 0;
  while (digits_end < text.size() &&
         (std::isdigit(static_cast<unsigned char>(text[digits_end])) || text[digits_end] == '-')) {
    digits_end++;
  }
  std::string_view unit = text.substr(digits_end);
  uint64_t multiplier = 0;
  std::string lowered = ToLower(unit);
  if (lowered.empty() || lowered == "b") {
    multiplier = 1;
  } else if (lowered == "k") {
    multiplier = 1000;
  } else if (lowered == "kb") {
    multiplier = 1024;
  } else if (lowered == "m") {
    multiplier = 1000 * 1000;
  } else if (lowered == "mb") {
    multiplier = 1024 * 1024;
  } else if (lowered == "g") {
    multiplier = 1000ULL * 1000 * 1000;
  } else if (lowered == "gb") {
    multiplier = 1024ULL * 1024 * 1024;
  } else {
    return std::nullopt;
  }
  std::optional<uint64_t> number = ParseUint64(text.substr(0, digits_end));
  if (!number) return std::nullopt;
  if (*number != 0 && multiplier > UINT64_MAX / *number) return std::nullopt;
  return *number * multiplier;
}

}  // namespace ringdb
