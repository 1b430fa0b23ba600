// BITFIELD and BITFIELD_RO: signed and unsigned integers of 1 to 64 bits (unsigned up to 63,
// so every value fits a RESP integer) at any bit offset of a string, with Redis's overflow
// policies. The bit order is SETBIT's: a field's most significant bit comes first.
//
// Every subcommand is parsed (and every error reported) before anything is read or written;
// then the string is grown once to the farthest field written and the operations run in
// order, each seeing the ones before it.
#include <cstring>
#include <vector>

#include "bits.h"
#include "families.h"
#include "helpers.h"

namespace ringdb::commands::bits {
namespace {

enum class Overflow { kWrap, kSat, kFail };
enum class FieldOp { kGet, kSet, kIncrBy };

struct FieldType {
  bool is_signed;
  int bits;
};

struct Operation {
  FieldOp op;
  Overflow overflow;
  FieldType type;
  uint64_t offset;
  int64_t value;  // SET's value or INCRBY's increment.
};

constexpr std::string_view kBadType =
    "Invalid bitfield type. Use something like i16 u8. Note that u64 is not supported but i64 "
    "is.";

// "i1".."i64" or "u1".."u63". Like Redis, the digits are read up to an embedded NUL.
std::optional<FieldType> ParseFieldType(std::string_view text) {
  text = text.substr(0, text.find('\0'));
  if (text.empty() || (text[0] != 'i' && text[0] != 'u')) return std::nullopt;
  bool is_signed = text[0] == 'i';
  std::optional<int64_t> bits = ParseInt64(text.substr(1));
  if (!bits || *bits < 1 || *bits > (is_signed ? 64 : 63)) return std::nullopt;
  return FieldType{is_signed, static_cast<int>(*bits)};
}

uint64_t GetUnsigned(const uint8_t* bytes, uint64_t offset, int bits) {
  uint64_t value = 0;
  for (int j = 0; j < bits; j++, offset++) {
    uint64_t bit = (bytes[offset >> 3] >> (7 - (offset & 7))) & 1;
    value = (value << 1) | bit;
  }
  return value;
}

int64_t GetSigned(const uint8_t* bytes, uint64_t offset, int bits) {
  uint64_t value = GetUnsigned(bytes, offset, bits);
  // Sign-extend a field narrower than 64 bits.
  if (bits < 64 && (value & (uint64_t{1} << (bits - 1)))) value |= ~uint64_t{0} << bits;
  return static_cast<int64_t>(value);
}

void SetUnsigned(uint8_t* bytes, uint64_t offset, int bits, uint64_t value) {
  for (int j = 0; j < bits; j++, offset++) {
    unsigned bit = (value >> (bits - 1 - j)) & 1;
    unsigned shift = 7 - (offset & 7);
    uint8_t& byte = bytes[offset >> 3];
    byte = static_cast<uint8_t>((byte & ~(1u << shift)) | (bit << shift));
  }
}

// Redis's checkUnsignedBitfieldOverflow: 0 when value + increment fits `bits` bits, 1 on
// overflow, -1 on underflow; then *limit is what WRAP or SAT makes of it.
int CheckUnsigned(uint64_t value, int64_t increment, int bits, Overflow overflow, uint64_t* limit) {
  uint64_t max = (uint64_t{1} << bits) - 1;  // bits <= 63
  auto room_up = static_cast<int64_t>(max - value);
  auto room_down = static_cast<int64_t>(0 - value);
  int direction = 0;
  if (value > max || (increment > 0 && increment > room_up)) {
    direction = 1;
  } else if (increment < 0 && increment < room_down) {
    direction = -1;
  } else {
    return 0;
  }
  if (overflow == Overflow::kWrap) {
    *limit = (value + static_cast<uint64_t>(increment)) & max;
  } else if (overflow == Overflow::kSat) {
    *limit = direction > 0 ? max : 0;
  }
  return direction;
}

// Redis's checkSignedBitfieldOverflow, with its exact conditions (they matter at 64 bits).
int CheckSigned(int64_t value, int64_t increment, int bits, Overflow overflow, int64_t* limit) {
  int64_t max = bits == 64 ? INT64_MAX : (int64_t{1} << (bits - 1)) - 1;
  int64_t min = -max - 1;
  // Wrapping differences, used only where the checks before them make them meaningful.
  auto room_up = static_cast<int64_t>(static_cast<uint64_t>(max) - static_cast<uint64_t>(value));
  auto room_down = static_cast<int64_t>(static_cast<uint64_t>(min) - static_cast<uint64_t>(value));
  int direction = 0;
  if (value > max || (bits != 64 && increment > room_up) ||
      (value >= 0 && increment > 0 && increment > room_up)) {
    direction = 1;
  } else if (value < min || (bits != 64 && increment < room_down) ||
             (value < 0 && increment < 0 && increment < room_down)) {
    direction = -1;
  } else {
    return 0;
  }
  if (overflow == Overflow::kWrap) {
    uint64_t sum = static_cast<uint64_t>(value) + static_cast<uint64_t>(increment);
    if (bits < 64) {
      uint64_t high = ~uint64_t{0} << bits;
      sum = (sum & (uint64_t{1} << (bits - 1))) ? (sum | high) : (sum & ~high);
    }
    *limit = static_cast<int64_t>(sum);
  } else if (overflow == Overflow::kSat) {
    *limit = direction > 0 ? max : min;
  }
  return direction;
}

// Parses every subcommand from argument 2 on; nullopt after replying the first error.
// `bit_max` becomes the last bit any SET or INCRBY touches; `writes` whether there is one.
std::optional<std::vector<Operation>> ParseOperations(CommandContext& context, uint64_t* bit_max,
                                                      bool* writes) {
  std::vector<Operation> operations;
  Overflow overflow = Overflow::kWrap;
  for (size_t j = 2; j < context.argc(); j++) {
    size_t remaining = context.argc() - j - 1;
    std::string_view word = context.arg(j);
    FieldOp op;
    if (WordIs(word, "get") && remaining >= 2) {
      op = FieldOp::kGet;
    } else if (WordIs(word, "set") && remaining >= 3) {
      op = FieldOp::kSet;
    } else if (WordIs(word, "incrby") && remaining >= 3) {
      op = FieldOp::kIncrBy;
    } else if (WordIs(word, "overflow") && remaining >= 1) {
      std::string_view policy = context.arg(++j);
      if (WordIs(policy, "wrap")) {
        overflow = Overflow::kWrap;
      } else if (WordIs(policy, "sat")) {
        overflow = Overflow::kSat;
      } else if (WordIs(policy, "fail")) {
        overflow = Overflow::kFail;
      } else {
        context.reply.Error("Invalid OVERFLOW type specified");
        return std::nullopt;
      }
      continue;
    } else {
      context.reply.Error(errors::kSyntax);
      return std::nullopt;
    }
    std::optional<FieldType> type = ParseFieldType(context.arg(j + 1));
    if (!type) {
      context.reply.Error(kBadType);
      return std::nullopt;
    }
    std::optional<uint64_t> offset = BitOffsetArg(context, j + 2, type->bits);
    if (!offset) return std::nullopt;
    int64_t value = 0;
    if (op != FieldOp::kGet) {
      *writes = true;
      *bit_max = std::max(*bit_max, *offset + static_cast<uint64_t>(type->bits) - 1);
      std::optional<int64_t> parsed = IntegerArg(context, j + 3);
      if (!parsed) return std::nullopt;
      value = *parsed;
    }
    operations.push_back(Operation{op, overflow, *type, *offset, value});
    j += op == FieldOp::kGet ? 2 : 3;
  }
  return operations;
}

// GET: reads through a zero-padded copy of the (at most 9) bytes the field spans, so fields
// past the end of the string read as zeros.
void ReplyGet(CommandContext& context, std::string_view value, const Operation& operation) {
  uint8_t window[9] = {};
  uint64_t byte = operation.offset >> 3;
  for (uint64_t i = 0; i < sizeof(window) && byte + i < value.size(); i++) {
    window[i] = static_cast<uint8_t>(value[byte + i]);
  }
  uint64_t offset = operation.offset - byte * 8;
  if (operation.type.is_signed) {
    context.reply.Integer(GetSigned(window, offset, operation.type.bits));
  } else {
    context.reply.Integer(static_cast<int64_t>(GetUnsigned(window, offset, operation.type.bits)));
  }
}

enum class WriteOutcome { kRefused, kSame, kChanged };

// SET or INCRBY on the grown string; replies the old value (SET) or the new one (INCRBY), or
// null when OVERFLOW FAIL refuses.
WriteOutcome ApplyWrite(CommandContext& context, uint8_t* bytes, const Operation& operation) {
  int bits = operation.type.bits;
  bool increment = operation.op == FieldOp::kIncrBy;
  if (operation.type.is_signed) {
    int64_t old_value = GetSigned(bytes, operation.offset, bits);
    int64_t new_value = increment ? old_value : operation.value;
    int64_t wrapped = 0;
    int over =
        CheckSigned(new_value, increment ? operation.value : 0, bits, operation.overflow, &wrapped);
    if (over != 0 && operation.overflow == Overflow::kFail) {
      context.reply.Null();
      return WriteOutcome::kRefused;
    }
    if (over != 0) {
      new_value = wrapped;
    } else if (increment) {
      new_value = old_value + operation.value;
    }
    context.reply.Integer(increment ? new_value : old_value);
    SetUnsigned(bytes, operation.offset, bits, static_cast<uint64_t>(new_value));
    return old_value != new_value ? WriteOutcome::kChanged : WriteOutcome::kSame;
  }
  uint64_t old_value = GetUnsigned(bytes, operation.offset, bits);
  uint64_t new_value = increment ? old_value + static_cast<uint64_t>(operation.value)
                                 : static_cast<uint64_t>(operation.value);
  uint64_t wrapped = 0;
  int over = increment
                 ? CheckUnsigned(old_value, operation.value, bits, operation.overflow, &wrapped)
                 : CheckUnsigned(new_value, 0, bits, operation.overflow, &wrapped);
  if (over != 0 && operation.overflow == Overflow::kFail) {
    context.reply.Null();
    return WriteOutcome::kRefused;
  }
  if (over != 0) new_value = wrapped;
  context.reply.Integer(static_cast<int64_t>(increment ? new_value : old_value));
  SetUnsigned(bytes, operation.offset, bits, new_value);
  return old_value != new_value ? WriteOutcome::kChanged : WriteOutcome::kSame;
}

// Redis's bitfieldGeneric.
void BitFieldGeneric(CommandContext& context, bool read_only_command) {
  uint64_t bit_max = 0;
  bool writes = false;
  std::optional<std::vector<Operation>> operations = ParseOperations(context, &bit_max, &writes);
  if (!operations) return;
  if (!writes) {
    store::Entry* entry = context.LookupRead(context.arg(1));
    if (RejectNonString(context, entry)) return;
    std::string_view value = entry != nullptr ? entry->value() : std::string_view();
    context.reply.ArrayHeader(operations->size());
    for (const Operation& operation : *operations) ReplyGet(context, value, operation);
    return;
  }
  if (read_only_command) {
    context.reply.Error("BITFIELD_RO only supports the GET subcommand");
    return;
  }
  std::optional<WritableBits> target = LookupWritableBits(context, bit_max);
  if (!target) return;
  auto* bytes = reinterpret_cast<uint8_t*>(target->entry->mutable_value());
  uint64_t changes = 0;
  context.reply.ArrayHeader(operations->size());
  for (const Operation& operation : *operations) {
    if (operation.op == FieldOp::kGet) {
      ReplyGet(context, target->entry->value(), operation);
      continue;
    }
    // A write counts as a change when its bits changed, or when the string was created or
    // grown (Redis counts those writes even when they store zeros); a refused one never.
    WriteOutcome outcome = ApplyWrite(context, bytes, operation);
    if (outcome == WriteOutcome::kChanged || (outcome == WriteOutcome::kSame && target->grown)) {
      changes++;
    }
  }
  if (changes > 0) context.KeyChanged(context.arg(1), kNotifyString, "setbit", changes);
}

}  // namespace

void BitField(CommandContext& context) { BitFieldGeneric(context, false); }
void BitFieldRo(CommandContext& context) { BitFieldGeneric(context, true); }

}  // namespace ringdb::commands::bits
