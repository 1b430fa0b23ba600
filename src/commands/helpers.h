// Small pieces shared by command families: argument parsing that replies Redis's errors, and
// storing string values with Redis's encoding rules.
#pragma once

#include <cstdint>
#include <optional>
#include <span>
#include <string>
#include <string_view>

#include "ringdb/base/strings.h"
#include "ringdb/commands/context.h"
#include "ringdb/commands/errors.h"
#include "ringdb/store/entry.h"

namespace ringdb::commands {

// The encoding Redis's tryObjectEncoding gives a string value: "int" for canonical integers
// of up to 20 characters, "embstr" up to 44 bytes, "raw" beyond.
inline store::Encoding EncodingFor(std::string_view value) {
  if (value.size() <= kInt64TextMax && ParseInt64(value)) return store::Encoding::kInt;
  if (value.size() <= store::kEmbstrBytesMax) return store::Encoding::kEmbstr;
  return store::Encoding::kRaw;
}

// The encoding of a string Redis creates without trying the integer form (createStringObject).
inline store::Encoding EncodingWithoutInt(std::string_view value) {
  return value.size() <= store::kEmbstrBytesMax ? store::Encoding::kEmbstr : store::Encoding::kRaw;
}

// Parses argument `index` as an integer; on failure replies the not-an-integer error.
inline std::optional<int64_t> IntegerArg(CommandContext& context, size_t index) {
  std::optional<int64_t> value = ParseInt64(context.arg(index));
  if (!value) context.reply.Error(errors::kNotInteger);
  return value;
}

// Replies WRONGTYPE and returns true when `entry` exists and is not a string.
inline bool RejectNonString(CommandContext& context, const store::Entry* entry) {
  if (entry != nullptr && entry->type() != store::ValueType::kString) {
    context.reply.Error(errors::kWrongType);
    return true;
  }
  return false;
}

// lookupKeyReadWithFlags(LOOKUP_NOTOUCH): the live entry, counting a keyspace hit or miss,
// without refreshing its LRU (EXISTS, TYPE, TTL, OBJECT look at a key without "using" it).
inline store::Entry* LookupReadNoTouch(CommandContext& context, std::string_view key) {
  store::Entry* entry = context.db().Lookup(key, context.now_ms);
  if (entry == nullptr) {
    context.counters.keyspace_misses++;
  } else {
    context.counters.keyspace_hits++;
  }
  return entry;
}

// Redis's addReplyHelp: "<COMMAND> <subcommand> [<arg> [value] [opt] ...]. Subcommands are:",
// then `lines`, then the HELP entry, all as status replies. The command name is argv[0] in
// upper case.
inline void ReplyHelp(CommandContext& context, std::span<const char* const> lines) {
  std::string header(context.arg(0));
  for (char& c : header) {
    if (c >= 'a' && c <= 'z') c = static_cast<char>(c - 'a' + 'A');
  }
  header += " <subcommand> [<arg> [value] [opt] ...]. Subcommands are:";
  context.reply.ArrayHeader(lines.size() + 3);
  context.reply.Simple(header);
  for (const char* line : lines) context.reply.Simple(line);
  context.reply.Simple("HELP");
  context.reply.Simple("    Print this help.");
}

// The error for a bad expire time, naming the command ("invalid expire time in 'set' command").
std::string ExpireTimeError(const CommandContext& context);

// Redis's getExpireMillisecondsOrReply: turns an EX/PX/EXAT/PXAT argument into an absolute
// deadline in Unix ms (`seconds`: the unit is seconds; `relative`: add the current time).
// Replies the error and returns nullopt when the value is not a positive integer or overflows.
std::optional<int64_t> ExpireDeadline(CommandContext& context, std::string_view text, bool seconds,
                                      bool relative);

}  // namespace ringdb::commands
