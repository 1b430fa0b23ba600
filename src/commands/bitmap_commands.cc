// Bitmap commands: Redis's bitops.c family (SETBIT GETBIT BITCOUNT BITPOS BITOP, and BITFIELD
// from bitfield_commands.cc) with Redis 7.2's argument checks, replies and keyspace events.
//
// A bitmap is an ordinary string value; bit 0 is the most significant bit of the first byte.
// Writes grow the string with zero bytes (never past proto-max-bulk-len, which bounds every
// bit offset) and edit the entry in place when no snapshot shares it, as APPEND does.
#include <algorithm>
#include <cstring>
#include <vector>

#include "bits.h"
#include "families.h"
#include "helpers.h"

namespace ringdb::commands {

namespace bits {

std::optional<uint64_t> BitOffsetArg(CommandContext& context, size_t index, int bits) {
  std::string_view text = context.arg(index);
  bool per_field = bits > 0 && !text.empty() && text[0] == '#';
  std::optional<int64_t> parsed = ParseInt64(per_field ? text.substr(1) : text);
  if (!parsed) {
    context.reply.Error(kBadBitOffset);
    return std::nullopt;
  }
  int64_t offset = *parsed;
  // "#N" is N fields of `bits` bits. Redis multiplies in long long and lets it wrap; so do we
  // (in unsigned arithmetic, where wrapping is defined), then the range check below applies.
  if (per_field) {
    offset = static_cast<int64_t>(static_cast<uint64_t>(offset) * static_cast<uint64_t>(bits));
  }
  // Whole bytes only up to what an entry holds, with room for a 64-bit field past the offset.
  int64_t bytes_max = std::min<int64_t>(context.limits.proto_max_bulk_len,
                                        static_cast<int64_t>(store::kEntryBytesMax) - 16);
  if (offset < 0 || (offset >> 3) >= bytes_max) {
    context.reply.Error(kBadBitOffset);
    return std::nullopt;
  }
  return static_cast<uint64_t>(offset);
}

std::optional<WritableBits> LookupWritableBits(CommandContext& context, uint64_t bit_max) {
  std::string_view key = context.arg(1);
  size_t length_min = static_cast<size_t>(bit_max / 8 + 1);
  store::Table::Position position;
  store::Entry* entry = context.LookupWrite(key, &position);
  if (RejectNonString(context, entry)) return std::nullopt;
  if (entry == nullptr) {
    entry = NewStringEntry(context, key, {}, store::Encoding::kRaw, store::kNoExpire, length_min);
    std::memset(entry->mutable_value(), 0, length_min);
    entry->set_value_length(length_min);
    AddEntry(context, entry, position.hash);
    return WritableBits{entry, true};
  }
  size_t length = entry->value_length();
  entry = UnshareString(context, position, std::max(length, length_min));
  if (length >= length_min) return WritableBits{entry, false};
  std::memset(entry->mutable_value() + length, 0, length_min - length);
  entry->set_value_length(length_min);
  return WritableBits{entry, true};
}

}  // namespace bits

namespace {

using store::Encoding;
using store::Entry;
using store::Table;

constexpr std::string_view kBadBitValue = "bit is not an integer or out of range";

const uint8_t* BytesOf(std::string_view value) {
  return reinterpret_cast<const uint8_t*>(value.data());
}

// Set bits in `count` bytes.
int64_t Popcount(const uint8_t* bytes, size_t count) {
  int64_t total = 0;
  size_t i = 0;
  for (; i + 8 <= count; i += 8) {
    uint64_t word;
    std::memcpy(&word, bytes + i, sizeof(word));
    total += __builtin_popcountll(word);
  }
  for (; i < count; i++) total += __builtin_popcount(bytes[i]);
  return total;
}

// Redis's redisBitpos: the position of the first bit equal to `bit` in `count` bytes. For a
// 1 that is -1 when there is none; for a 0 it is count * 8 (the string is taken as padded
// with zeros on the right).
int64_t FirstBit(const uint8_t* bytes, size_t count, int bit) {
  uint8_t skip = bit ? 0x00 : 0xff;
  uint64_t skip_word = bit ? 0 : ~uint64_t{0};
  size_t i = 0;
  for (; i + 8 <= count; i += 8) {
    uint64_t word;
    std::memcpy(&word, bytes + i, sizeof(word));
    if (word != skip_word) break;
  }
  while (i < count && bytes[i] == skip) i++;
  if (i == count) return bit ? -1 : static_cast<int64_t>(count) * 8;
  unsigned byte = bit ? bytes[i] : static_cast<uint8_t>(~bytes[i]);
  return static_cast<int64_t>(i) * 8 + (__builtin_clz(byte) - 24);
}

// The BYTE | BIT option of BITCOUNT and BITPOS; nullopt after replying a syntax error.
std::optional<bool> UnitIsBit(CommandContext& context, size_t index) {
  if (bits::WordIs(context.arg(index), "bit")) return true;
  if (bits::WordIs(context.arg(index), "byte")) return false;
  context.reply.Error(errors::kSyntax);
  return std::nullopt;
}

// An inclusive range over a string, normalized the way BITCOUNT and BITPOS do it: in bytes,
// plus masks of the bits outside a BIT range in its first and last byte.
struct ByteRange {
  int64_t start = 0;
  int64_t end = -1;
  uint8_t first_outside = 0;
  uint8_t last_outside = 0;
};

// Negative offsets count from the end; both ends are clamped to the string (in units of
// bits when `in_bits`), then a bit range is turned into bytes and masks.
ByteRange NormalizeRange(int64_t start, int64_t end, int64_t length, bool in_bits) {
  int64_t total = in_bits ? length * 8 : length;
  if (start < 0) start += total;
  if (end < 0) end += total;
  start = std::max<int64_t>(start, 0);
  end = std::max<int64_t>(end, 0);
  if (end >= total) end = total - 1;
  ByteRange range{start, end, 0, 0};
  if (in_bits && start <= end) {
    range.first_outside = static_cast<uint8_t>(~((1u << (8 - (start & 7))) - 1) & 0xff);
    range.last_outside = static_cast<uint8_t>((1u << (7 - (end & 7))) - 1);
    range.start = start >> 3;
    range.end = end >> 3;
  }
  return range;
}

// ---------------------------------------------------------------------------------------
// SETBIT GETBIT

void SetBit(CommandContext& context) {
  std::optional<uint64_t> offset = bits::BitOffsetArg(context, 2);
  if (!offset) return;
  std::optional<int64_t> on = ParseInt64(context.arg(3));
  if (!on || (*on & ~int64_t{1}) != 0) {
    context.reply.Error(kBadBitValue);
    return;
  }
  std::optional<bits::WritableBits> target = bits::LookupWritableBits(context, *offset);
  if (!target) return;
  auto* bytes = reinterpret_cast<uint8_t*>(target->entry->mutable_value());
  size_t byte = *offset >> 3;
  unsigned shift = 7 - (*offset & 7);
  int old_bit = (bytes[byte] >> shift) & 1;
  if (target->grown || old_bit != *on) {
    bytes[byte] = static_cast<uint8_t>((bytes[byte] & ~(1u << shift)) | (*on << shift));
    context.KeyChanged(context.arg(1), kNotifyString, "setbit");
  }
  context.reply.Integer(old_bit);
}

void GetBit(CommandContext& context) {
  std::optional<uint64_t> offset = bits::BitOffsetArg(context, 2);
  if (!offset) return;
  Entry* entry = context.LookupRead(context.arg(1));
  if (entry == nullptr) {
    context.reply.Integer(0);
    return;
  }
  if (RejectNonString(context, entry)) return;
  std::string_view value = entry->value();
  size_t byte = *offset >> 3;
  int bit = 0;
  if (byte < value.size()) bit = (BytesOf(value)[byte] >> (7 - (*offset & 7))) & 1;
  context.reply.Integer(bit);
}

// ---------------------------------------------------------------------------------------
// BITCOUNT BITPOS

// BITCOUNT key [start end [BYTE | BIT]]. Redis 7.2 checks the arguments before the key, so
// a bad range is an error even for a missing key.
void BitCount(CommandContext& context) {
  size_t argc = context.argc();
  if (argc != 2 && argc != 4 && argc != 5) {
    context.reply.Error(errors::kSyntax);
    return;
  }
  bool ranged = argc >= 4;
  int64_t start = 0;
  int64_t end = 0;
  bool in_bits = false;
  if (ranged) {
    std::optional<int64_t> start_arg = IntegerArg(context, 2);
    if (!start_arg) return;
    std::optional<int64_t> end_arg = IntegerArg(context, 3);
    if (!end_arg) return;
    start = *start_arg;
    end = *end_arg;
    if (argc == 5) {
      std::optional<bool> unit = UnitIsBit(context, 4);
      if (!unit) return;
      in_bits = *unit;
    }
  }
  Entry* entry = context.LookupRead(context.arg(1));
  if (RejectNonString(context, entry)) return;
  std::string_view value = entry != nullptr ? entry->value() : std::string_view();
  auto length = static_cast<int64_t>(value.size());
  ByteRange range{0, length - 1, 0, 0};
  if (ranged) {
    if (start < 0 && end < 0 && start > end) {
      context.reply.Integer(0);
      return;
    }
    range = NormalizeRange(start, end, length, in_bits);
  }
  if (entry == nullptr || range.start > range.end) {
    context.reply.Integer(0);
    return;
  }
  const uint8_t* bytes = BytesOf(value);
  int64_t count = Popcount(bytes + range.start, static_cast<size_t>(range.end - range.start + 1));
  count -= __builtin_popcount(bytes[range.start] & range.first_outside);
  count -= __builtin_popcount(bytes[range.end] & range.last_outside);
  context.reply.Integer(count);
}

// A byte with the bits outside the range set to what is not searched for.
uint8_t Masked(uint8_t byte, uint8_t outside, int bit) {
  return static_cast<uint8_t>(bit ? (byte & ~outside) : (byte | outside));
}

// The first `bit` in `range` of `bytes`, as a position relative to the range's first byte,
// searching the partial first byte, the whole bytes, then the partial last byte
// (bitposCommand's steps, whose results decide the end-of-range cases below).
struct BitSearch {
  int64_t position;
  int64_t start;  // The byte `position` counts from.
  int64_t bytes;  // The bytes searched last.
};
BitSearch SearchRange(const uint8_t* bytes, ByteRange range, int bit) {
  int64_t start = range.start;
  int64_t count = range.end - range.start + 1;
  int64_t position;
  if (range.first_outside != 0) {
    uint8_t first = Masked(bytes[start], range.first_outside, bit);
    if (range.last_outside != 0 && count == 1) first = Masked(first, range.last_outside, bit);
    position = FirstBit(&first, 1, bit);
    if (count == 1 || (position != -1 && position != 8)) return {position, start, count};
    start++;
    count--;
  }
  int64_t whole = count - (range.last_outside != 0 ? 1 : 0);
  if (whole > 0) {
    position = FirstBit(bytes + start, static_cast<size_t>(whole), bit);
    if (count == whole || (position != -1 && position != whole * 8)) {
      return {position, start, count};
    }
    start += whole;
    count -= whole;
  }
  uint8_t last = Masked(bytes[range.end], range.last_outside, bit);
  position = FirstBit(&last, 1, bit);
  return {position, start, count};
}

// BITPOS key bit [start [end [BYTE | BIT]]].
void BitPos(CommandContext& context) {
  std::optional<int64_t> bit_arg = IntegerArg(context, 2);
  if (!bit_arg) return;
  if (*bit_arg != 0 && *bit_arg != 1) {
    context.reply.Error("The bit argument must be 1 or 0.");
    return;
  }
  int bit = static_cast<int>(*bit_arg);
  size_t argc = context.argc();
  if (argc > 6) {
    context.reply.Error(errors::kSyntax);
    return;
  }
  bool ranged = argc >= 4;
  bool end_given = argc >= 5;
  int64_t start = 0;
  int64_t end = 0;
  bool in_bits = false;
  if (ranged) {
    std::optional<int64_t> start_arg = IntegerArg(context, 3);
    if (!start_arg) return;
    start = *start_arg;
    if (argc == 6) {
      std::optional<bool> unit = UnitIsBit(context, 5);
      if (!unit) return;
      in_bits = *unit;
    }
    if (end_given) {
      std::optional<int64_t> end_arg = IntegerArg(context, 4);
      if (!end_arg) return;
      end = *end_arg;
    }
  }
  Entry* entry = context.LookupRead(context.arg(1));
  if (RejectNonString(context, entry)) return;
  std::string_view value = entry != nullptr ? entry->value() : std::string_view();
  auto length = static_cast<int64_t>(value.size());
  ByteRange range{0, length - 1, 0, 0};
  if (ranged) range = NormalizeRange(start, end_given ? end : length - 1, length, in_bits);
  // A missing key is an endless run of zeros.
  if (entry == nullptr) {
    context.reply.Integer(bit ? -1 : 0);
    return;
  }
  if (range.start > range.end) {
    context.reply.Integer(-1);
    return;
  }
  BitSearch found = SearchRange(BytesOf(value), range, bit);
  // With an explicit end, the zeros past the range are not padding: no 0 bit means -1.
  if (end_given && bit == 0 && found.position == found.bytes * 8) {
    context.reply.Integer(-1);
    return;
  }
  int64_t position = found.position;
  if (position != -1) position += found.start * 8;
  context.reply.Integer(position);
}

// ---------------------------------------------------------------------------------------
// BITOP

enum class BitOperation { kAnd, kOr, kXor, kNot };

std::optional<BitOperation> ParseBitOperation(std::string_view name) {
  if (bits::WordIs(name, "and")) return BitOperation::kAnd;
  if (bits::WordIs(name, "or")) return BitOperation::kOr;
  if (bits::WordIs(name, "xor")) return BitOperation::kXor;
  if (bits::WordIs(name, "not")) return BitOperation::kNot;
  return std::nullopt;
}

// Writes the result of `operation` over `sources` (missing keys are empty strings; shorter
// strings are padded with zero bytes) into `out`, which holds `length` bytes: the longest
// source's length.
void ComputeBitOperation(BitOperation operation, const std::vector<std::string_view>& sources,
                         uint8_t* out, size_t length) {
  if (length == 0) return;
  // A missing key is an empty view whose data() may be null: memcpy must not see it.
  std::string_view first = sources[0];
  if (!first.empty()) std::memcpy(out, first.data(), first.size());
  std::memset(out + first.size(), 0, length - first.size());
  if (operation == BitOperation::kNot) {
    for (size_t i = 0; i < length; i++) out[i] = static_cast<uint8_t>(~out[i]);
    return;
  }
  for (size_t s = 1; s < sources.size(); s++) {
    const uint8_t* source = BytesOf(sources[s]);
    size_t size = sources[s].size();
    switch (operation) {
      case BitOperation::kAnd:
        for (size_t i = 0; i < size; i++) out[i] &= source[i];
        std::memset(out + size, 0, length - size);
        break;
      case BitOperation::kOr:
        for (size_t i = 0; i < size; i++) out[i] |= source[i];
        break;
      case BitOperation::kXor:
        for (size_t i = 0; i < size; i++) out[i] ^= source[i];
        break;
      case BitOperation::kNot:
        break;
    }
  }
}

// Stores BITOP's result under `key` like SET does (any old value and TTL go), or deletes the
// key when every source was empty.
void StoreBitOperation(CommandContext& context, std::string_view key, BitOperation operation,
                       const std::vector<std::string_view>& sources, size_t length) {
  Table& table = context.db().table();
  if (length == 0) {
    // Redis's dbDelete: removes whatever the table holds, without an expiry check first.
    Table::Position position;
    if (table.Find(key, &position) != nullptr) {
      table.Remove(position);
      context.KeyChanged(key, kNotifyGeneric, "del");
    }
    return;
  }
  Entry* result = NewStringEntry(context, key, {}, Encoding::kRaw, store::kNoExpire, length);
  ComputeBitOperation(operation, sources, reinterpret_cast<uint8_t*>(result->mutable_value()),
                      length);
  result->set_value_length(length);
  Table::Position position;
  if (context.LookupWrite(key, &position) != nullptr) {
    table.Replace(position, result);
  } else {
    AddEntry(context, result, position.hash);
  }
  context.KeyChanged(key, kNotifyString, "set");
}

void BitOp(CommandContext& context) {
  std::optional<BitOperation> operation = ParseBitOperation(context.arg(1));
  if (!operation) {
    context.reply.Error(errors::kSyntax);
    return;
  }
  if (*operation == BitOperation::kNot && context.argc() != 4) {
    context.reply.Error("BITOP NOT must be called with a single source key.");
    return;
  }
  std::vector<std::string_view> sources;
  sources.reserve(context.argc() - 3);
  size_t length = 0;
  for (size_t i = 3; i < context.argc(); i++) {
    Entry* entry = context.LookupRead(context.arg(i));
    if (entry == nullptr) {
      sources.emplace_back();
      continue;
    }
    if (RejectNonString(context, entry)) return;
    sources.push_back(entry->value());
    length = std::max(length, entry->value_length());
  }
  // The sources stay valid: nothing changes the table until the result replaces the target.
  StoreBitOperation(context, context.arg(2), *operation, sources, length);
  context.reply.Integer(static_cast<int64_t>(length));
}

// ---------------------------------------------------------------------------------------
// The table, with Redis 7.2's src/commands/*.json values.

constexpr const char kBitFieldSyntax[] =
    "key [GET encoding offset | [OVERFLOW <WRAP | SAT | FAIL>] <SET encoding offset value | "
    "INCRBY encoding offset increment> [GET encoding offset | [OVERFLOW <WRAP | SAT | FAIL>] "
    "<SET encoding offset value | INCRBY encoding offset increment> ...]]";

// clang-format off
constexpr CommandSpec kCommands[] = {
    {"bitcount", -2, kReadonly, 1, 1, 1, BitCount, "bitmap", "2.6.0", "Counts the number of set bits (population counting) in a string.", "O(N)", "@read @bitmap @slow", "key [start end [BYTE | BIT]]"},
    {"bitfield", -2, kWrite | kDenyOom, 1, 1, 1, bits::BitField, "bitmap", "3.2.0", "Performs arbitrary bitfield integer operations on strings.", "O(1) for each subcommand specified", "@write @bitmap @slow", kBitFieldSyntax},
    {"bitfield_ro", -2, kReadonly | kFast, 1, 1, 1, bits::BitFieldRo, "bitmap", "6.0.0", "Performs arbitrary read-only bitfield integer operations on strings.", "O(1) for each subcommand specified", "@read @bitmap @fast", "key [GET encoding offset [GET encoding offset ...]]"},
    {"bitop", -4, kWrite | kDenyOom, 2, -1, 1, BitOp, "bitmap", "2.6.0", "Performs bitwise operations on multiple strings, and stores the result.", "O(N)", "@write @bitmap @slow", "<AND | OR | XOR | NOT> destkey key [key ...]"},
    {"bitpos", -3, kReadonly, 1, 1, 1, BitPos, "bitmap", "2.8.7", "Finds the first set (1) or clear (0) bit in a string.", "O(N)", "@read @bitmap @slow", "key bit [start [end [BYTE | BIT]]]"},
    {"getbit", 3, kReadonly | kFast, 1, 1, 1, GetBit, "bitmap", "2.2.0", "Returns a bit value by offset.", "O(1)", "@read @bitmap @fast", "key offset"},
    {"setbit", 4, kWrite | kDenyOom, 1, 1, 1, SetBit, "bitmap", "2.2.0", "Sets or clears the bit at offset of the string value. Creates the key if it doesn't exist.", "O(1)", "@write @bitmap @slow", "key offset value"},
};
// clang-format on

}  // namespace

void RegisterBitmapCommands(CommandTable& table) { table.Register(kCommands); }

}  // namespace ringdb::commands
