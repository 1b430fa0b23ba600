// List commands: LPUSH RPUSH LPUSHX RPUSHX LPOP RPOP LLEN LRANGE LINDEX LSET LINSERT LREM LTRIM
// LPOS LMOVE RPOPLPUSH LMPOP, with Redis 7.2's replies, errors, keyspace events and encoding
// conversions (t_list.c). The steps blocking variants share are in list_ops.h.
#include <algorithm>
#include <cstdint>
#include <optional>
#include <vector>

#include "families.h"
#include "helpers.h"
#include "list_ops.h"

namespace ringdb::commands {
namespace {

using store::Entry;
using store::ListEnd;
using store::ListpackValue;
using store::ListValue;
using store::Table;

constexpr std::string_view kNotPositive = "value is out of range, must be positive";

const char* PopEvent(ListEnd end) { return end == ListEnd::kHead ? "lpop" : "rpop"; }
const char* PushEvent(ListEnd end) { return end == ListEnd::kHead ? "lpush" : "rpush"; }

// getListPositionFromObjectOrReply: LEFT or RIGHT (any case), else a syntax error.
std::optional<ListEnd> EndArg(CommandContext& context, size_t index) {
  if (EqualsIgnoreCase(context.arg(index), "left")) return ListEnd::kHead;
  if (EqualsIgnoreCase(context.arg(index), "right")) return ListEnd::kTail;
  context.reply.Error(errors::kSyntax);
  return std::nullopt;
}

// getRangeLongFromObjectOrReply with a custom message: the message for a non-integer too.
std::optional<int64_t> IntegerAtLeast(CommandContext& context, size_t index, int64_t minimum,
                                      std::string_view message) {
  std::optional<int64_t> value = ParseInt64(context.arg(index));
  if (!value || *value < minimum) {
    context.reply.Error(message);
    return std::nullopt;
  }
  return value;
}

// ---- pushes ----

void PushGeneric(CommandContext& context, ListEnd end, bool only_existing) {
  std::string_view key = context.arg(1);
  Table::Position position;
  Entry* entry = context.LookupWrite(key, &position);
  if (RejectWrongType(context, entry, ListValue::kType)) return;
  if (entry == nullptr && only_existing) {
    context.reply.Integer(0);
    return;
  }
  size_t add_bytes = 0;
  for (size_t i = 2; i < context.argc(); i++) add_bytes += context.arg(i).size();
  size_t added = context.argc() - 2;
  ListValue* list;
  if (entry == nullptr) {
    list = new ListValue();
    AddObject(context, key, list, position.hash);
  } else {
    list = MutableObject<ListValue>(context, position);
  }
  list->PrepareGrowth(add_bytes, added, ListLimitsOf(context));
  for (size_t i = 2; i < context.argc(); i++) list->Push(context.arg(i), end);
  context.reply.Integer(static_cast<int64_t>(list->size()));
  context.KeyChanged(key, kNotifyList, PushEvent(end), added);
}

void LPush(CommandContext& context) { PushGeneric(context, ListEnd::kHead, false); }
void RPush(CommandContext& context) { PushGeneric(context, ListEnd::kTail, false); }
void LPushX(CommandContext& context) { PushGeneric(context, ListEnd::kHead, true); }
void RPushX(CommandContext& context) { PushGeneric(context, ListEnd::kTail, true); }

// ---- pops ----

void PopGeneric(CommandContext& context, ListEnd end) {
  if (context.argc() > 3) {
    context.reply.Error(CommandTable::ArityError(*context.command));
    return;
  }
  bool has_count = context.argc() == 3;
  int64_t count = 0;
  if (has_count) {
    std::optional<int64_t> parsed = IntegerAtLeast(context, 2, 0, kNotPositive);
    if (!parsed) return;
    count = *parsed;
  }
  std::string_view key = context.arg(1);
  Table::Position position;
  Entry* entry = context.LookupWrite(key, &position);
  if (entry == nullptr) {
    if (has_count) {
      context.reply.NullArray();
    } else {
      context.reply.Null();
    }
    return;
  }
  if (RejectWrongType(context, entry, ListValue::kType)) return;
  if (has_count && count == 0) {
    context.reply.EmptyArray();
    return;
  }
  if (!has_count) {
    PopFromList(context, position, key, end, 1,
                [&](const ListpackValue& value) { ReplyListElement(context.reply, value); });
    return;
  }
  const auto* list = ObjectOf<ListValue>(entry);
  context.reply.ArrayHeader(std::min(static_cast<size_t>(count), list->size()));
  PopFromList(context, position, key, end, static_cast<size_t>(count),
              [&](const ListpackValue& value) { ReplyListElement(context.reply, value); });
}

void LPop(CommandContext& context) { PopGeneric(context, ListEnd::kHead); }
void RPop(CommandContext& context) { PopGeneric(context, ListEnd::kTail); }

// LMPOP numkeys key [key ...] LEFT|RIGHT [COUNT count]
void LMPop(CommandContext& context) {
  std::optional<MPopArguments> parsed = ParseMPopArguments(context, 1);
  if (!parsed) return;
  if (!PopFromFirstList(context, parsed->keys, parsed->end, parsed->count)) {
    context.reply.NullArray();
  }
}

// ---- reads ----

void LLen(CommandContext& context) {
  const Entry* entry = context.LookupRead(context.arg(1));
  if (entry == nullptr) {
    context.reply.Integer(0);
    return;
  }
  if (RejectWrongType(context, entry, ListValue::kType)) return;
  context.reply.Integer(static_cast<int64_t>(ObjectOf<ListValue>(entry)->size()));
}

// addListRangeReply: the elements from start to end inclusive (negative: from the tail).
void ReplyRange(CommandContext& context, const ListValue& list, int64_t start, int64_t end) {
  int64_t length = static_cast<int64_t>(list.size());
  if (start < 0) start = length + start;
  if (end < 0) end = length + end;
  if (start < 0) start = 0;
  if (start > end || start >= length) {
    context.reply.EmptyArray();
    return;
  }
  if (end >= length) end = length - 1;
  size_t count = static_cast<size_t>(end - start + 1);
  context.reply.ArrayHeader(count);
  list.VisitRange(start, count, false,
                  [&](const ListpackValue& value) { ReplyListElement(context.reply, value); });
}

void LRange(CommandContext& context) {
  std::optional<int64_t> start = IntegerArg(context, 2);
  if (!start) return;
  std::optional<int64_t> end = IntegerArg(context, 3);
  if (!end) return;
  const Entry* entry = context.LookupRead(context.arg(1));
  if (entry == nullptr) {
    context.reply.EmptyArray();
    return;
  }
  if (RejectWrongType(context, entry, ListValue::kType)) return;
  ReplyRange(context, *ObjectOf<ListValue>(entry), *start, *end);
}

void LIndex(CommandContext& context) {
  const Entry* entry = context.LookupRead(context.arg(1));
  if (entry == nullptr) {
    context.reply.Null();
    return;
  }
  if (RejectWrongType(context, entry, ListValue::kType)) return;
  std::optional<int64_t> index = IntegerArg(context, 2);
  if (!index) return;
  bool found = false;
  ObjectOf<ListValue>(entry)->Visit(*index, false, [&](const ListpackValue& value) {
    ReplyListElement(context.reply, value);
    found = true;
    return false;
  });
  if (!found) context.reply.Null();
}

struct LposOptions {
  int64_t rank = 1;
  int64_t count = -1;  // -1: not given.
  int64_t maxlen = 0;
};

std::optional<LposOptions> ParseLposOptions(CommandContext& context) {
  LposOptions options;
  for (size_t j = 3; j < context.argc(); j++) {
    std::string_view option = context.arg(j);
    bool more = j + 1 < context.argc();
    if (more && EqualsIgnoreCase(option, "rank")) {
      std::optional<int64_t> rank = ParseInt64(context.arg(++j));
      if (!rank) {
        context.reply.Error(errors::kNotInteger);
        return std::nullopt;
      }
      if (*rank == INT64_MIN) {
        context.reply.Error(
            "value is out of range, value must between -9223372036854775807 and "
            "9223372036854775807");
        return std::nullopt;
      }
      if (*rank == 0) {
        context.reply.Error(
            "RANK can't be zero: use 1 to start from the first match, 2 from the second ... or "
            "use negative to start from the end of the list");
        return std::nullopt;
      }
      options.rank = *rank;
    } else if (more && EqualsIgnoreCase(option, "count")) {
      std::optional<int64_t> count = IntegerAtLeast(context, ++j, 0, "COUNT can't be negative");
      if (!count) return std::nullopt;
      options.count = *count;
    } else if (more && EqualsIgnoreCase(option, "maxlen")) {
      std::optional<int64_t> maxlen = IntegerAtLeast(context, ++j, 0, "MAXLEN can't be negative");
      if (!maxlen) return std::nullopt;
      options.maxlen = *maxlen;
    } else {
      context.reply.Error(errors::kSyntax);
      return std::nullopt;
    }
  }
  return options;
}

// LPOS key element [RANK rank] [COUNT num-matches] [MAXLEN len]
void LPos(CommandContext& context) {
  std::optional<LposOptions> options = ParseLposOptions(context);
  if (!options) return;
  bool from_tail = options->rank < 0;
  int64_t rank = from_tail ? -options->rank : options->rank;
  const Entry* entry = context.LookupRead(context.arg(1));
  if (entry == nullptr) {
    if (options->count != -1) {
      context.reply.EmptyArray();
    } else {
      context.reply.Null();
    }
    return;
  }
  if (RejectWrongType(context, entry, ListValue::kType)) return;
  const auto* list = ObjectOf<ListValue>(entry);
  int64_t length = static_cast<int64_t>(list->size());
  store::ListElementMatcher matcher(context.arg(2));
  int64_t index = 0;
  int64_t matches = 0;
  int64_t found = -1;
  std::vector<int64_t> positions;
  list->Visit(from_tail ? -1 : 0, from_tail, [&](const ListpackValue& value) {
    if (options->maxlen != 0 && index >= options->maxlen) return false;
    if (matcher.Matches(value)) {
      matches++;
      if (matches >= rank) {
        int64_t position = from_tail ? length - index - 1 : index;
        if (options->count == -1) {
          found = position;
          return false;
        }
        positions.push_back(position);
        if (options->count != 0 && matches - rank + 1 >= options->count) return false;
      }
    }
    index++;
    return true;
  });
  if (options->count != -1) {
    context.reply.ArrayHeader(positions.size());
    for (int64_t position : positions) context.reply.Integer(position);
  } else if (found != -1) {
    context.reply.Integer(found);
  } else {
    context.reply.Null();
  }
}

// ---- edits ----

void LSet(CommandContext& context) {
  std::string_view key = context.arg(1);
  Table::Position position;
  Entry* entry = context.LookupWrite(key, &position);
  if (entry == nullptr) {
    context.reply.Error(errors::kNoSuchKey);
    return;
  }
  if (RejectWrongType(context, entry, ListValue::kType)) return;
  std::optional<int64_t> index = IntegerArg(context, 2);
  if (!index) return;
  auto* list = MutableObject<ListValue>(context, position);
  store::ListLimits limits = ListLimitsOf(context);
  // Redis converts for the new element before it knows whether the index exists.
  list->PrepareGrowth(context.arg(3).size(), 1, limits);
  if (!list->Replace(*index, context.arg(3))) {
    context.reply.Error(errors::kIndexOutOfRange);
    return;
  }
  context.reply.Ok();
  context.KeyChanged(key, kNotifyList, "lset");
  list->TryShrink(limits);
}

// LINSERT key BEFORE|AFTER pivot element
void LInsert(CommandContext& context) {
  bool after;
  if (EqualsIgnoreCase(context.arg(2), "after")) {
    after = true;
  } else if (EqualsIgnoreCase(context.arg(2), "before")) {
    after = false;
  } else {
    context.reply.Error(errors::kSyntax);
    return;
  }
  std::string_view key = context.arg(1);
  Table::Position position;
  Entry* entry = context.LookupWrite(key, &position);
  if (entry == nullptr) {
    context.reply.Integer(0);
    return;
  }
  if (RejectWrongType(context, entry, ListValue::kType)) return;
  auto* list = MutableObject<ListValue>(context, position);
  // As Redis, convert first (the pivot may not exist; the conversion stays).
  list->PrepareGrowth(context.arg(4).size(), 1, ListLimitsOf(context));
  if (!list->InsertAtPivot(context.arg(3), context.arg(4), after)) {
    context.reply.Integer(-1);
    return;
  }
  context.KeyChanged(key, kNotifyList, "linsert");
  context.reply.Integer(static_cast<int64_t>(list->size()));
}

void LRem(CommandContext& context) {
  std::optional<int64_t> to_remove = IntegerArg(context, 2);
  if (!to_remove) return;
  std::string_view key = context.arg(1);
  Table::Position position;
  Entry* entry = context.LookupWrite(key, &position);
  if (entry == nullptr) {
    context.reply.Integer(0);
    return;
  }
  if (RejectWrongType(context, entry, ListValue::kType)) return;
  auto* list = MutableObject<ListValue>(context, position);
  bool from_tail = *to_remove < 0;
  // Redis negates LLONG_MIN into itself, which then never equals the removed count: all go.
  size_t limit =
      *to_remove == INT64_MIN ? 0 : static_cast<size_t>(from_tail ? -*to_remove : *to_remove);
  size_t removed = list->Remove(context.arg(3), limit, from_tail);
  if (removed > 0) context.KeyChanged(key, kNotifyList, "lrem", removed);
  if (list->size() == 0) {
    DeleteEmptied(context, position, key);
  } else if (removed > 0) {
    list->TryShrink(ListLimitsOf(context));
  }
  context.reply.Integer(static_cast<int64_t>(removed));
}

void LTrim(CommandContext& context) {
  std::optional<int64_t> start = IntegerArg(context, 2);
  if (!start) return;
  std::optional<int64_t> end = IntegerArg(context, 3);
  if (!end) return;
  std::string_view key = context.arg(1);
  Table::Position position;
  Entry* entry = context.LookupWrite(key, &position);
  if (entry == nullptr) {
    context.reply.Ok();
    return;
  }
  if (RejectWrongType(context, entry, ListValue::kType)) return;
  auto* list = MutableObject<ListValue>(context, position);
  int64_t length = static_cast<int64_t>(list->size());
  int64_t first = *start < 0 ? length + *start : *start;
  int64_t last = *end < 0 ? length + *end : *end;
  if (first < 0) first = 0;
  int64_t trim_head;
  int64_t trim_tail;
  if (first > last || first >= length) {
    trim_head = length;
    trim_tail = 0;
  } else {
    if (last >= length) last = length - 1;
    trim_head = first;
    trim_tail = length - last - 1;
  }
  list->DeleteRange(0, static_cast<size_t>(trim_head));
  list->DeleteRange(-trim_tail, static_cast<size_t>(trim_tail));
  context.KeyChanged(key, kNotifyList, "ltrim", static_cast<uint64_t>(trim_head + trim_tail));
  if (list->size() == 0) {
    DeleteEmptied(context, position, key);
  } else {
    list->TryShrink(ListLimitsOf(context));
  }
  context.reply.Ok();
}

void LMove(CommandContext& context) {
  std::optional<ListEnd> from = EndArg(context, 3);
  if (!from) return;
  std::optional<ListEnd> to = EndArg(context, 4);
  if (!to) return;
  MoveListElement(context, context.arg(1), context.arg(2), *from, *to);
}

void RPopLPush(CommandContext& context) {
  MoveListElement(context, context.arg(1), context.arg(2), ListEnd::kTail, ListEnd::kHead);
}

// clang-format off
constexpr CommandSpec kCommands[] = {
    {"lpush", -3, kWrite | kDenyOom | kFast, 1, 1, 1, LPush, "list", "1.0.0", "Prepends one or more elements to a list. Creates the key if it doesn't exist.", "O(1) for each element added, so O(N) to add N elements when the command is called with multiple arguments.", "@write @list @fast", "key element [element ...]"},
    {"rpush", -3, kWrite | kDenyOom | kFast, 1, 1, 1, RPush, "list", "1.0.0", "Appends one or more elements to a list. Creates the key if it doesn't exist.", "O(1) for each element added, so O(N) to add N elements when the command is called with multiple arguments.", "@write @list @fast", "key element [element ...]"},
    {"lpushx", -3, kWrite | kDenyOom | kFast, 1, 1, 1, LPushX, "list", "2.2.0", "Prepends one or more elements to a list only when the list exists.", "O(1) for each element added, so O(N) to add N elements when the command is called with multiple arguments.", "@write @list @fast", "key element [element ...]"},
    {"rpushx", -3, kWrite | kDenyOom | kFast, 1, 1, 1, RPushX, "list", "2.2.0", "Appends an element to a list only when the list exists.", "O(1) for each element added, so O(N) to add N elements when the command is called with multiple arguments.", "@write @list @fast", "key element [element ...]"},
    {"lpop", -2, kWrite | kFast, 1, 1, 1, LPop, "list", "1.0.0", "Returns the first elements in a list after removing it. Deletes the list if the last element was popped.", "O(N) where N is the number of elements returned", "@write @list @fast", "key [count]"},
    {"rpop", -2, kWrite | kFast, 1, 1, 1, RPop, "list", "1.0.0", "Returns and removes the last elements of the list. Deletes the list if the last element was popped.", "O(N) where N is the number of elements returned", "@write @list @fast", "key [count]"},
    {"lmpop", -4, kWrite | kMovableKeys, 0, 0, 0, LMPop, "list", "7.0.0", "Returns multiple elements from a list after removing them. Deletes the list if the last element was popped.", "O(N+M) where N is the number of provided keys and M is the number of elements returned.", "@write @list @slow", "numkeys key [key ...] <LEFT | RIGHT> [COUNT count]"},
    {"llen", 2, kReadonly | kFast, 1, 1, 1, LLen, "list", "1.0.0", "Returns the length of a list.", "O(1)", "@read @list @fast", "key"},
    {"lrange", 4, kReadonly, 1, 1, 1, LRange, "list", "1.0.0", "Returns a range of elements from a list.", "O(S+N) where S is the distance of start offset from HEAD for small lists, from nearest end (HEAD or TAIL) for large lists; and N is the number of elements in the specified range.", "@read @list @slow", "key start stop"},
    {"lindex", 3, kReadonly, 1, 1, 1, LIndex, "list", "1.0.0", "Returns an element from a list by its index.", "O(N) where N is the number of elements to traverse to get to the element at index. This makes asking for the first or the last element of the list O(1).", "@read @list @slow", "key index"},
    {"lpos", -3, kReadonly, 1, 1, 1, LPos, "list", "6.0.6", "Returns the index of matching elements in a list.", "O(N) where N is the number of elements in the list, for the average case. When searching for elements near the head or the tail of the list, or when the MAXLEN option is provided, the command may run in constant time.", "@read @list @slow", "key element [RANK rank] [COUNT num-matches] [MAXLEN len]"},
    {"lset", 4, kWrite | kDenyOom, 1, 1, 1, LSet, "list", "1.0.0", "Sets the value of an element in a list by its index.", "O(N) where N is the length of the list. Setting either the first or the last element of the list is O(1).", "@write @list @slow", "key index element"},
    {"linsert", 5, kWrite | kDenyOom, 1, 1, 1, LInsert, "list", "2.2.0", "Inserts an element before or after another element in a list.", "O(N) where N is the number of elements to traverse before seeing the value pivot. This means that inserting somewhere on the left end on the list (head) can be considered O(1) and inserting somewhere on the right end (tail) is O(N).", "@write @list @slow", "key <BEFORE | AFTER> pivot element"},
    {"lrem", 4, kWrite, 1, 1, 1, LRem, "list", "1.0.0", "Removes elements from a list. Deletes the list if the last element was removed.", "O(N+M) where N is the length of the list and M is the number of elements removed.", "@write @list @slow", "key count element"},
    {"ltrim", 4, kWrite, 1, 1, 1, LTrim, "list", "1.0.0", "Removes elements from both ends a list. Deletes the list if all elements were trimmed.", "O(N) where N is the number of elements to be removed by the operation.", "@write @list @slow", "key start stop"},
    {"lmove", 5, kWrite | kDenyOom, 1, 2, 1, LMove, "list", "6.2.0", "Returns an element after popping it from one list and pushing it to another. Deletes the list if the last element was moved.", "O(1)", "@write @list @slow", "source destination <LEFT | RIGHT> <LEFT | RIGHT>"},
    {"rpoplpush", 3, kWrite | kDenyOom, 1, 2, 1, RPopLPush, "list", "1.2.0", "Returns the last element of a list after removing and pushing it to another list. Deletes the list if the last element was popped.", "O(1)", "@write @list @slow", "source destination"},
};
// clang-format on

}  // namespace

void ListElementsRemoved(CommandContext& context, Table::Position position, ListValue* list,
                         std::string_view key, ListEnd end, size_t count) {
  context.KeyChanged(key, kNotifyList, PopEvent(end), count);
  if (list->size() == 0) {
    DeleteEmptied(context, position, key);
  } else {
    list->TryShrink(ListLimitsOf(context));
  }
}

std::optional<MPopArguments> ParseMPopArguments(CommandContext& context, size_t numkeys_index) {
  std::optional<int64_t> numkeys =
      IntegerAtLeast(context, numkeys_index, 1, "numkeys should be greater than 0");
  if (!numkeys) return std::nullopt;
  // The direction follows the keys; numkeys may claim more arguments than there are.
  if (*numkeys >= static_cast<int64_t>(context.argc() - numkeys_index) - 1) {
    context.reply.Error(errors::kSyntax);
    return std::nullopt;
  }
  size_t where_index = numkeys_index + 1 + static_cast<size_t>(*numkeys);
  std::optional<ListEnd> end = EndArg(context, where_index);
  if (!end) return std::nullopt;
  int64_t count = -1;
  for (size_t j = where_index + 1; j < context.argc(); j++) {
    bool more = j + 1 < context.argc();
    if (count == -1 && more && EqualsIgnoreCase(context.arg(j), "count")) {
      std::optional<int64_t> parsed =
          IntegerAtLeast(context, ++j, 1, "count should be greater than 0");
      if (!parsed) return std::nullopt;
      count = *parsed;
    } else {
      context.reply.Error(errors::kSyntax);
      return std::nullopt;
    }
  }
  return MPopArguments{context.args.subspan(numkeys_index + 1, static_cast<size_t>(*numkeys)), *end,
                       static_cast<size_t>(count == -1 ? 1 : count)};
}

bool PopFromFirstList(CommandContext& context, std::span<const std::string_view> keys, ListEnd end,
                      size_t count) {
  for (std::string_view key : keys) {
    Table::Position position;
    Entry* entry = context.LookupWrite(key, &position);
    if (entry == nullptr) continue;
    if (RejectWrongType(context, entry, ListValue::kType)) return true;
    size_t length = ObjectOf<ListValue>(entry)->size();
    if (length == 0) continue;
    context.reply.ArrayHeader(2);
    context.reply.Bulk(key);
    context.reply.ArrayHeader(std::min(count, length));
    PopFromList(context, position, key, end, count,
                [&](const ListpackValue& value) { ReplyListElement(context.reply, value); });
    return true;
  }
  return false;
}

void MoveListElement(CommandContext& context, std::string_view source, std::string_view destination,
                     ListEnd from, ListEnd to) {
  const Entry* source_entry = context.LookupWrite(source);
  if (source_entry == nullptr) {
    context.reply.Null();
    return;
  }
  if (RejectWrongType(context, source_entry, ListValue::kType)) return;
  Table& table = context.db().table();
  Table::Position target_position;
  Entry* target_entry = context.LookupWrite(destination, &target_position);
  if (RejectWrongType(context, target_entry, ListValue::kType)) return;
  // The destination lookup may have reclaimed an expired key: find the source again.
  Table::Position source_position;
  const Entry* found = table.Find(source, &source_position);
  RINGDB_ASSERT(found != nullptr);
  auto* source_list = MutableObject<ListValue>(context, source_position);
  bool from_quicklist = source_list->encoding() == store::Encoding::kQuicklist;
  std::string element;
  size_t element_bytes = 0;
  source_list->VisitRange(from == ListEnd::kHead ? 0 : -1, 1, false,
                          [&](const ListpackValue& value) {
                            element = value.ToString();
                            // Redis pops a quicklist's integer as an integer object, which its
                            // growth check does not count in bytes.
                            element_bytes = from_quicklist && value.is_integer ? 0 : element.size();
                          });
  source_list->DeleteRange(from == ListEnd::kHead ? 0 : -1, 1);
  store::ListLimits limits = ListLimitsOf(context);
  ListValue* target_list;
  if (target_entry == nullptr) {
    target_list = new ListValue();
    AddObject(context, destination, target_list, target_position.hash);
  } else {
    // Same key: the source position is the destination's, and the entry is unshared already.
    target_list =
        source == destination ? source_list : MutableObject<ListValue>(context, target_position);
  }
  target_list->PrepareGrowth(element_bytes, 1, limits);
  target_list->Push(element, to);
  context.KeyChanged(destination, kNotifyList, PushEvent(to), 0);
  context.reply.Bulk(element);
  // Adding the destination may have moved entries between pages.
  found = table.Find(source, &source_position);
  RINGDB_ASSERT(found != nullptr);
  ListElementsRemoved(context, source_position, source_list, source, from, 1);
}

void RegisterListCommands(CommandTable& table) { table.Register(kCommands); }

}  // namespace ringdb::commands
