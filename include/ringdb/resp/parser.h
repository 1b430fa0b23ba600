// Incremental RESP request parser: bytes in, argument views out. No I/O.
//
// Accepts what Redis's processMultibulkBuffer and processInlineBuffer accept, and rejects
// the rest with Redis's exact "Protocol error: ..." texts. The caller owns the bytes: it
// passes every unconsumed byte, with the current command starting at offset 0, and drops
// the bytes the parser reports as consumed. A partially received command keeps its state
// here, so bytes that arrive later are never scanned twice.
#pragma once

#include <cstddef>
#include <cstdint>
#include <span>
#include <string>
#include <string_view>
#include <vector>

namespace ringdb::resp {

// Redis's PROTO_INLINE_MAX_SIZE: the longest inline request, and the longest "*<n>" or
// "$<n>" header line.
inline constexpr size_t kInlineBytesMax = 64 * 1024;
// Redis's PROTO_MBULK_BIG_ARG: bulks at least this long are worth reserving room for.
inline constexpr size_t kBigArgBytes = 32 * 1024;

class Parser {
 public:
  enum class Status {
    kCommand,     // args() holds a whole command.
    kIncomplete,  // More bytes are needed.
    kError,       // error() holds the protocol error reply text; the connection must close.
  };

  explicit Parser(int64_t bulk_bytes_max = 512LL * 1024 * 1024) : bulk_bytes_max_(bulk_bytes_max) {}

  void set_bulk_bytes_max(int64_t bytes) { bulk_bytes_max_ = bytes; }

  // Parses the next command from `input`. `*consumed` receives the number of bytes the
  // caller must drop from the front of its buffer: the whole command on kCommand; on
  // kIncomplete, the empty commands ("*0", blank lines) skipped before the partial one.
  // REQUIRES: after kIncomplete, the next call's input starts with the same partial bytes.
  Status Parse(std::string_view input, size_t* consumed);

  // The arguments of the last command. Views point into the input passed to Parse (or, for
  // inline commands, into this parser); valid until the next Parse call.
  std::span<const std::string_view> args() const { return args_; }

  // The error reply text ("Protocol error: invalid bulk length"); the reply adds "-ERR ".
  const std::string& error() const { return error_; }

  // When the partial command waits for a bulk body, the number of bytes (from the command's
  // start) the whole body needs; 0 otherwise. Lets the caller grow its buffer once.
  size_t bytes_needed() const { return bytes_needed_; }

  // Forgets any partial command.
  void Reset();

 private:
  // Commands with more arguments than this always take the general path.
  static constexpr uint64_t kFastArgsMax = 1024;
  // Parses a whole, well-formed multibulk command at the start of `input` in one pass; false
  // (with nothing consumed) when it is incomplete or unusual.
  bool ParseWholeFast(std::string_view input, size_t* command_bytes);
  enum class Header { kOk, kIncomplete, kTooLong, kInvalid };
  // Reads the number of the header line ("*<n>" or "$<n>") starting at `start`.
  Header ReadHeader(std::string_view input, size_t start, int64_t* value, size_t* next);
  Status ParseMultibulk(std::string_view input);
  Status ParseInline(std::string_view input);
  Status Fail(std::string message);
  void FinishCommand(std::string_view input);
  // Offset of the first `byte` at or after `line_start`, or kNotFound.
  static constexpr size_t kNotFound = ~size_t{0};
  size_t FindByte(std::string_view input, size_t line_start, char byte);

  int64_t bulk_bytes_max_;
  // Partial command state, relative to the command's start.
  bool in_multibulk_ = false;
  int64_t multibulk_left_ = 0;
  int64_t bulk_length_ = -1;
  size_t position_ = 0;
  size_t bytes_needed_ = 0;
  size_t scanned_ = 0;
  std::vector<std::pair<size_t, size_t>> arg_spans_;
  std::vector<std::string_view> args_;
  std::string inline_storage_;
  std::string error_;
};

// Splits an inline request line the way Redis's sdssplitargs does (quotes, \xHH and
// backslash escapes). Returns false on unbalanced quotes. Each argument is appended to
// `storage`; `spans` receives (offset, length) pairs into it.
bool SplitInlineArgs(std::string_view line, std::string* storage,
                     std::vector<std::pair<size_t, size_t>>* spans);

}  // namespace ringdb::resp
