#include "ringdb/resp/parser.h"

#include <algorithm>
#include <climits>
#include <cstring>

#include "ringdb/base/assert.h"
#include "ringdb/base/strings.h"

namespace ringdb::resp {
namespace {

bool IsSpace(int c) {
  return c == ' ' || c == '\t' || c == '\n' || c == '\v' || c == '\f' || c == '\r';
}

bool IsHexDigit(int c) {
  return (c >= '0' && c <= '9') || (c >= 'a' && c <= 'f') || (c >= 'A' && c <= 'F');
}

int HexValue(int c) {
  if (c >= '0' && c <= '9') return c - '0';
  if (c >= 'a' && c <= 'f') return c - 'a' + 10;
  return c - 'A' + 10;
}

}  // namespace

bool SplitInlineArgs(std::string_view line, std::string* storage,
                     std::vector<std::pair<size_t, size_t>>* spans) {
  // sdssplitargs reads a C string: a NUL byte ends the line.
  if (const void* nul = std::memchr(line.data(), '\0', line.size())) {
    line = line.substr(0, static_cast<size_t>(static_cast<const char*>(nul) - line.data()));
  }
  auto at = [&](size_t i) -> int {
    return i < line.size() ? static_cast<unsigned char>(line[i]) : 0;
  };
  size_t p = 0;
  while (true) {
    while (at(p) != 0 && IsSpace(at(p))) p++;
    if (at(p) == 0) return true;
    size_t start = storage->size();
    bool in_double = false;
    bool in_single = false;
    bool done = false;
    while (!done) {
      int c = at(p);
      if (in_double) {
        if (c == '\\' && at(p + 1) == 'x' && IsHexDigit(at(p + 2)) && IsHexDigit(at(p + 3))) {
          storage->push_back(static_cast<char>(HexValue(at(p + 2)) * 16 + HexValue(at(p + 3))));
          p += 3;
        } else if (c == '\\' && at(p + 1) != 0) {
          p++;
          switch (at(p)) {
            case 'n':
              storage->push_back('\n');
              break;
            case 'r':
              storage->push_back('\r');
              break;
            case 't':
              storage->push_back('\t');
              break;
            case 'b':
              storage->push_back('\b');
              break;
            case 'a':
              storage->push_back('\a');
              break;
            default:
              storage->push_back(static_cast<char>(at(p)));
              break;
          }
        } else if (c == '"') {
          // A closing quote must be followed by a space or the end.
          if (at(p + 1) != 0 && !IsSpace(at(p + 1))) return false;
          done = true;
        } else if (c == 0) {
          return false;
        } else {
          storage->push_back(static_cast<char>(c));
        }
      } else if (in_single) {
        if (c == '\\' && at(p + 1) == '\'') {
          p++;
          storage->push_back('\'');
        } else if (c == '\'') {
          if (at(p + 1) != 0 && !IsSpace(at(p + 1))) return false;
          done = true;
        } else if (c == 0) {
          return false;
        } else {
          storage->push_back(static_cast<char>(c));
        }
      } else {
        switch (c) {
          case ' ':
          case '\n':
          case '\r':
          case '\t':
          case 0:
            done = true;
            break;
          case '"':
            in_double = true;
            break;
          case '\'':
            in_single = true;
            break;
          default:
            storage->push_back(static_cast<char>(c));
            break;
        }
      }
      if (at(p) != 0) p++;
    }
    spans->emplace_back(start, storage->size() - start);
  }
}

size_t Parser::FindByte(std::string_view input, size_t line_start, char byte) {
  // Bytes before scanned_ were searched by an earlier call for this same line: a client that
  // trickles a long line in byte by byte must not make each arrival rescan it.
  size_t from = std::max(line_start, scanned_);
  if (from < input.size()) {
    const void* hit = std::memchr(input.data() + from, byte, input.size() - from);
    if (hit != nullptr) {
      scanned_ = 0;
      return static_cast<size_t>(static_cast<const char*>(hit) - input.data());
    }
  }
  scanned_ = input.size();
  return kNotFound;
}

void Parser::Reset() {
  scanned_ = 0;
  in_multibulk_ = false;
  multibulk_left_ = 0;
  bulk_length_ = -1;
  position_ = 0;
  bytes_needed_ = 0;
  arg_spans_.clear();
}

Parser::Status Parser::Fail(std::string message) {
  error_ = std::move(message);
  Reset();
  return Status::kError;
}

namespace {

// Reads "<digits>\r\n" at *p, the usual shape of a length: no sign, no leading zero (but "0"
// itself), at most 18 digits. Advances *p past the "\r\n". Anything else returns false and is
// left to the general path, which applies Redis's exact rules.
inline bool ReadLengthFast(const char** p, const char* end, uint64_t* value) {
  const char* q = *p;
  if (q >= end) return false;
  uint64_t number = 0;
  if (*q == '0') {
    q++;
  } else if (*q >= '1' && *q <= '9') {
    const char* first = q;
    while (q < end && *q >= '0' && *q <= '9' && q - first < 18) {
      number = number * 10 + static_cast<uint64_t>(*q - '0');
      q++;
    }
  } else {
    return false;
  }
  if (end - q < 2 || q[0] != '\r' || q[1] != '\n') return false;
  *value = number;
  *p = q + 2;
  return true;
}

}  // namespace

bool Parser::ParseWholeFast(std::string_view input, size_t* command_bytes) {
  const char* begin = input.data();
  const char* end = begin + input.size();
  const char* p = begin + 1;  // Past the '*'.
  uint64_t count = 0;
  if (!ReadLengthFast(&p, end, &count) || count == 0 || count > kFastArgsMax) return false;
  args_.resize(count);
  for (uint64_t i = 0; i < count; i++) {
    if (p >= end || *p != '$') return false;
    p++;
    uint64_t length = 0;
    if (!ReadLengthFast(&p, end, &length)) return false;
    if (length > static_cast<uint64_t>(bulk_bytes_max_)) return false;
    if (static_cast<uint64_t>(end - p) < length + 2) return false;
    args_[i] = std::string_view(p, length);
    p += length + 2;  // Like Redis, the two bytes after the body are not checked.
  }
  scanned_ = 0;
  *command_bytes = static_cast<size_t>(p - begin);
  return true;
}

Parser::Status Parser::Parse(std::string_view input, size_t* consumed) {
  *consumed = 0;
  args_.clear();
  while (true) {
    std::string_view rest = input.substr(*consumed);
    if (rest.empty()) return Status::kIncomplete;
    // Most commands arrive whole and well-formed: take them in one pass. The state machine
    // below handles everything else (partial commands, inline commands, errors).
    size_t command_bytes = 0;
    if (!in_multibulk_ && rest[0] == '*' && ParseWholeFast(rest, &command_bytes)) {
      *consumed += command_bytes;
      return Status::kCommand;
    }
    args_.clear();
    Status status;
    if (in_multibulk_ || (position_ == 0 && rest[0] == '*')) {
      status = ParseMultibulk(rest);
    } else {
      status = ParseInline(rest);
    }
    if (status != Status::kCommand) return status;
    // position_ now holds the length of the command just parsed (or skipped).
    *consumed += position_;
    position_ = 0;
    if (!args_.empty()) return Status::kCommand;
    // An empty command ("*0\r\n", "*-1\r\n", a blank inline line): Redis skips it.
  }
}

Parser::Header Parser::ReadHeader(std::string_view input, size_t start, int64_t* value,
                                  size_t* next) {
  // Fast path: a well-formed short header ("$3\r\n", "*16\r\n") is read in one pass. It accepts
  // a subset of what the general path accepts and yields the same value, so taking it or not
  // never changes the outcome.
  const char* begin = input.data();
  const char* end = begin + input.size();
  const char* digits = begin + start + 1;
  if (digits < end && *digits >= '1' && *digits <= '9') {
    uint64_t number = static_cast<uint64_t>(*digits - '0');
    const char* p = digits + 1;
    while (p < end && *p >= '0' && *p <= '9' && p - digits < 18) {
      number = number * 10 + static_cast<uint64_t>(*p - '0');
      p++;
    }
    if (end - p >= 2 && p[0] == '\r' && p[1] == '\n') {
      scanned_ = 0;
      *value = static_cast<int64_t>(number);
      *next = static_cast<size_t>(p + 2 - begin);
      return Header::kOk;
    }
  }
  // General path, as Redis: the line ends at the first '\r' (the byte after it is skipped
  // unchecked), and the text between the marker and it must be a strict integer.
  size_t found = FindByte(input, start, '\r');
  if (found == kNotFound) {
    return input.size() - start > kInlineBytesMax ? Header::kTooLong : Header::kIncomplete;
  }
  if (found + 2 > input.size()) return Header::kIncomplete;
  std::optional<int64_t> parsed = ParseInt64(input.substr(start + 1, found - start - 1));
  if (!parsed) return Header::kInvalid;
  *value = *parsed;
  *next = found + 2;
  return Header::kOk;
}

Parser::Status Parser::ParseMultibulk(std::string_view input) {
  if (!in_multibulk_) {
    int64_t count = 0;
    size_t next = 0;
    switch (ReadHeader(input, 0, &count, &next)) {
      case Header::kIncomplete:
        return Status::kIncomplete;
      case Header::kTooLong:
        return Fail("Protocol error: too big mbulk count string");
      case Header::kInvalid:
        return Fail("Protocol error: invalid multibulk length");
      case Header::kOk:
        break;
    }
    if (count > INT_MAX) return Fail("Protocol error: invalid multibulk length");
    position_ = next;
    if (count <= 0) {
      args_.clear();
      return Status::kCommand;  // Skipped: Parse sees no args.
    }
    in_multibulk_ = true;
    multibulk_left_ = count;
    bulk_length_ = -1;
    arg_spans_.clear();
    // Do not trust the count for the reservation: a client may announce 2^31 arguments.
    arg_spans_.reserve(static_cast<size_t>(std::min<int64_t>(count, 1024)));
  }
  while (multibulk_left_ > 0) {
    if (bulk_length_ == -1) {
      if (position_ >= input.size()) return Status::kIncomplete;
      int64_t length = 0;
      size_t next = 0;
      Header header = ReadHeader(input, position_, &length, &next);
      if (header == Header::kIncomplete) return Status::kIncomplete;
      if (header == Header::kTooLong) return Fail("Protocol error: too big bulk count string");
      // Redis checks the '$' only once the whole line is there.
      if (input[position_] != '$') {
        std::string message = "Protocol error: expected '$', got '";
        message.push_back(input[position_]);
        message.push_back('\'');
        return Fail(std::move(message));
      }
      if (header == Header::kInvalid || length < 0 || length > bulk_bytes_max_) {
        return Fail("Protocol error: invalid bulk length");
      }
      position_ = next;
      bulk_length_ = length;
    }
    size_t body_bytes = static_cast<size_t>(bulk_length_) + 2;
    if (input.size() - position_ < body_bytes) {
      bytes_needed_ = position_ + body_bytes;
      return Status::kIncomplete;
    }
    // Like Redis, the two bytes after the body are skipped without checking for "\r\n".
    arg_spans_.emplace_back(position_, static_cast<size_t>(bulk_length_));
    position_ += body_bytes;
    bulk_length_ = -1;
    multibulk_left_--;
  }
  bytes_needed_ = 0;
  in_multibulk_ = false;
  FinishCommand(input);
  return Status::kCommand;
}

void Parser::FinishCommand(std::string_view input) {
  args_.resize(arg_spans_.size());
  for (size_t i = 0; i < arg_spans_.size(); i++) {
    args_[i] = std::string_view(input.data() + arg_spans_[i].first, arg_spans_[i].second);
  }
  arg_spans_.clear();
}

Parser::Status Parser::ParseInline(std::string_view input) {
  size_t line_end = FindByte(input, 0, '\n');
  if (line_end == kNotFound) {
    if (input.size() > kInlineBytesMax) return Fail("Protocol error: too big inline request");
    return Status::kIncomplete;
  }
  size_t line_length = line_end;
  if (line_length > 0 && input[line_length - 1] == '\r') line_length--;
  inline_storage_.clear();
  arg_spans_.clear();
  inline_storage_.reserve(line_length);
  if (!SplitInlineArgs(input.substr(0, line_length), &inline_storage_, &arg_spans_)) {
    return Fail("Protocol error: unbalanced quotes in request");
  }
  position_ = line_end + 1;
  FinishCommand(inline_storage_);
  return Status::kCommand;
}

}  // namespace ringdb::resp
