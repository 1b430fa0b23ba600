// Pieces shared by the set family's two files: set_commands.cc (single-key commands, random
// picks, SSCAN, the table) and set_algebra.cc (SMEMBERS and the multi-key set operations).
#pragma once

#include <cstdint>
#include <string_view>

#include "helpers.h"
#include "ringdb/store/set_value.h"

namespace ringdb::commands {

// The configured set-max-* thresholds (negative values count as 0).
inline store::SetLimits SetLimitsOf(const CommandContext& context) {
  const EncodingLimits& limits = context.limits.encodings;
  auto clamp = [](int64_t value) { return value < 0 ? size_t{0} : static_cast<size_t>(value); };
  store::SetLimits result;
  result.intset_entries = clamp(limits.set_max_intset_entries);
  result.listpack_entries = clamp(limits.set_max_listpack_entries);
  result.listpack_value = clamp(limits.set_max_listpack_value);
  return result;
}

// Replies one member as a bulk string (integers as their decimal text).
inline void ReplyMember(resp::ReplyBuilder& reply, const store::ListpackValue& member) {
  char scratch[kInt64TextMax + 1];
  reply.Bulk(member.Text(scratch));
}

// Replies every member of `set` as a set (RESP3 '~', RESP2 array), in the set's order.
inline void ReplySetMembers(resp::ReplyBuilder& reply, const store::SetValue& set) {
  reply.SetHeader(set.size());
  set.ForEach([&](const store::ListpackValue& member) { ReplyMember(reply, member); });
}

// Stores `set` (taking the caller's reference) under `key`, replacing whatever the key held
// and dropping its TTL, as Redis's setKey; sends "new" for a new key, then `event`.
void StoreSet(CommandContext& context, std::string_view key, store::SetValue* set,
              std::string_view event);

// Deletes `key` (a store command's destination whose result is empty); sends "del" when
// there was a key.
void DeleteStoreTarget(CommandContext& context, std::string_view key);

// Handlers defined in set_algebra.cc.
void SetMembers(CommandContext& context);
void SetInter(CommandContext& context);
void SetInterCard(CommandContext& context);
void SetInterStore(CommandContext& context);
void SetUnion(CommandContext& context);
void SetUnionStore(CommandContext& context);
void SetDiff(CommandContext& context);
void SetDiffStore(CommandContext& context);
// SPOP with a count at least the set's size replies the set as SUNION of it would.
void ReplyUnionOf(CommandContext& context, const store::SetValue& set);

}  // namespace ringdb::commands
