// Pieces shared by the sorted-set command files: score replies, range parsing with Redis's
// acceptance rules, storing a result zset, and reading set-typed inputs.
#pragma once

#include <cstdint>
#include <optional>
#include <string_view>

#include "helpers.h"
#include "ringdb/commands/command.h"
#include "ringdb/store/set_view.h"
#include "ringdb/store/zset_value.h"

namespace ringdb::commands::zset {

using store::ZsetValue;

inline constexpr std::string_view kMinMaxNotFloat = "min or max is not a float";
inline constexpr std::string_view kMinMaxNotLex = "min or max not valid string range item";

inline ZsetValue::Limits LimitsOf(const CommandContext& context) {
  return {context.limits.encodings.zset_max_listpack_entries,
          context.limits.encodings.zset_max_listpack_value};
}

// Redis 7.2's addReplyDouble: RESP2 a bulk string, RESP3 a double, both d2string's text.
inline void ReplyScore(resp::ReplyBuilder& reply, double score) {
  char text[store::kScoreTextMax];
  size_t length = store::FormatScore(score, text);
  if (reply.resp3()) {
    reply.Raw(",");
    reply.Raw(std::string_view(text, length));
    reply.Raw("\r\n");
  } else {
    reply.Bulk(std::string_view(text, length));
  }
}

// Redis's zslParseRange (nullopt: "min or max is not a float").
std::optional<store::ScoreRange> ParseScoreRange(std::string_view min, std::string_view max);
// Redis's zslParseLexRange (nullopt: "min or max not valid string range item").
std::optional<store::LexRange> ParseLexRange(std::string_view min, std::string_view max);

// Redis's getRangeLongFromObjectOrReply: an integer within [low, high], else `message` (or,
// when empty, Redis's default texts).
std::optional<int64_t> RangedIntegerArg(CommandContext& context, size_t index, int64_t low,
                                        int64_t high, std::string_view message = {});

// Redis's setKey for a computed zset (ZRANGESTORE, Z*STORE): replaces whatever `key` held
// (any type, dropping its TTL) or adds it, taking the reference to `value`, and sends
// `event`. With an empty `value` the key is deleted instead ("del" when it existed). Replies
// the stored size. Takes ownership of `value` either way.
void StoreResult(CommandContext& context, std::string_view key, ZsetValue* value,
                 std::string_view event);

// A set-typed input of ZUNION / ZINTER / ZDIFF: its members with score 1. Null when the set
// value does not offer the SetView interface.
// A read lookup of a sorted set: replies WRONGTYPE and returns false for another type; *zset
// is null for a missing key.
inline bool ReadZset(CommandContext& context, std::string_view key, const ZsetValue** zset) {
  store::Entry* entry = context.LookupRead(key);
  if (RejectWrongType(context, entry, ZsetValue::kType)) return false;
  *zset = entry == nullptr ? nullptr : ObjectOf<ZsetValue>(entry);
  return true;
}

inline const store::SetView* SetViewOf(const store::Entry* entry) {
  return entry->object()->AsSetView();
}

}  // namespace ringdb::commands::zset

namespace ringdb::commands {
// The range and multi-key half of the family (zset_range_commands.cc).
void RegisterZsetRangeCommands(CommandTable& table);
}  // namespace ringdb::commands
