// The steps of the list commands that blocking variants (BLPOP, BRPOP, BLMPOP, BLMOVE,
// BRPOPLPUSH) repeat once a key they wait for gets elements: popping from a key, moving one
// element between keys. Each does the whole write (reply, keyspace events, deleting an
// emptied key, the shrinking conversion), as t_list.c's listPopRangeAndReplyWithKey,
// listElementsRemoved and lmoveGenericCommand do.
#pragma once

#include <algorithm>
#include <cstddef>
#include <optional>
#include <span>
#include <string_view>

#include "helpers.h"
#include "ringdb/store/list_value.h"

namespace ringdb::commands {

// The list directives as the store takes them.
inline store::ListLimits ListLimitsOf(const CommandContext& context) {
  return {context.limits.encodings.list_max_listpack_size,
          context.limits.encodings.list_compress_depth};
}

// Replies one list element as a bulk string.
inline void ReplyListElement(resp::ReplyBuilder& reply, const store::ListpackValue& value) {
  char scratch[24];
  reply.Bulk(value.Text(scratch));
}

// listElementsRemoved: after `count` elements left `list` (the object of the entry at
// `position`) from `end`, sends
// "lpop"/"rpop", deletes the key if the list is empty ("del") or else tries the shrinking
// conversion, and counts the changes. `key` must not point into the entry (pass an argument).
void ListElementsRemoved(CommandContext& context, store::Table::Position position,
                         store::ListValue* list, std::string_view key, store::ListEnd end,
                         size_t count);

// Pops up to `count` elements from `end` of the non-empty list at `position`, calling
// emit(const store::ListpackValue&) for each in pop order before it is removed, then
// ListElementsRemoved. Returns how many were popped. The caller writes any reply header
// (min(count, size) elements).
template <typename Emit>
size_t PopFromList(CommandContext& context, store::Table::Position position, std::string_view key,
                   store::ListEnd end, size_t count, Emit&& emit) {
  auto* list = MutableObject<store::ListValue>(context, position);
  size_t popped = std::min(count, list->size());
  RINGDB_ASSERT(popped > 0);
  bool from_head = end == store::ListEnd::kHead;
  list->VisitRange(from_head ? 0 : -1, popped, !from_head, emit);
  list->DeleteRange(from_head ? 0 : -static_cast<int64_t>(popped), popped);
  ListElementsRemoved(context, position, list, key, end, popped);
  return popped;
}

// The arguments of LMPOP and BLMPOP: numkeys key [key ...] LEFT|RIGHT [COUNT count].
struct MPopArguments {
  std::span<const std::string_view> keys;
  store::ListEnd end;
  size_t count;
};
// Parses them from argument `numkeys_index` on (LMPOP 1, BLMPOP 2); replies Redis's error and
// returns nullopt when they are invalid.
std::optional<MPopArguments> ParseMPopArguments(CommandContext& context, size_t numkeys_index);

// LMPOP's work once its arguments are parsed: pops up to `count` elements from the first of
// `keys` holding a non-empty list and replies [key, [elements]]; replies WRONGTYPE at the
// first key of another type, and returns false without replying when every key is missing
// (the caller replies null or blocks).
bool PopFromFirstList(CommandContext& context, std::span<const std::string_view> keys,
                      store::ListEnd end, size_t count);

// LMOVE's work once its arguments are parsed: replies null when `source` is missing, WRONGTYPE
// when either key holds another type, else moves one element and replies it.
void MoveListElement(CommandContext& context, std::string_view source, std::string_view destination,
                     store::ListEnd from, store::ListEnd to);

}  // namespace ringdb::commands
