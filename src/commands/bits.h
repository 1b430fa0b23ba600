// Pieces shared by the bitmap commands (bitmap_commands.cc) and BITFIELD
// (bitfield_commands.cc): bit offsets, the string a bit write lands in, and Redis's
// C-string comparisons of option words.
//
// Bit numbering is Redis's: bit 0 is the most significant bit of the first byte.
#pragma once

#include <cstdint>
#include <optional>
#include <string_view>

#include "helpers.h"

namespace ringdb::commands::bits {

inline constexpr std::string_view kBadBitOffset = "bit offset is not an integer or out of range";

// Redis compares option words with strcasecmp on the argument's C string, so whatever follows
// an embedded NUL is ignored ("BIT\0x" is BIT). This compares the same way.
inline bool WordIs(std::string_view argument, std::string_view word) {
  return EqualsIgnoreCase(argument.substr(0, argument.find('\0')), word);
}

// Redis's getBitOffsetFromArgument: a bit offset that keeps the string within
// proto-max-bulk-len. With `bits` > 0, "#N" means N * bits (BITFIELD). Replies the error and
// returns nullopt otherwise.
std::optional<uint64_t> BitOffsetArg(CommandContext& context, size_t index, int bits = 0);

// The string entry of argument 1 made long enough to hold bit `bit_max` (Redis's
// lookupStringForBitCommand): created zero-filled when absent, otherwise unshared and
// zero-extended. Replies WRONGTYPE and returns nullptr for another type.
struct WritableBits {
  store::Entry* entry;
  // The key was created or its value grew: a write happened whatever the bits become.
  bool grown;
};
std::optional<WritableBits> LookupWritableBits(CommandContext& context, uint64_t bit_max);

// BITFIELD and BITFIELD_RO (bitfield_commands.cc), registered with the bitmap family.
void BitField(CommandContext& context);
void BitFieldRo(CommandContext& context);

}  // namespace ringdb::commands::bits
