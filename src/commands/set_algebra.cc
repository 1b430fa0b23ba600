// The set family's multi-key operations: SMEMBERS SINTER SINTERCARD SINTERSTORE SUNION
// SUNIONSTORE SDIFF SDIFFSTORE, as Redis 7.2's sinterGenericCommand and
// sunionDiffGenericCommand.
//
// The order of a reply and the encoding of a stored result follow Redis's algorithms step by
// step (which set is walked, what the result set starts as, when it converts): an intset
// result replies in ascending order exactly as Redis, and OBJECT ENCODING of a stored result
// matches.
#include <algorithm>
#include <vector>

#include "families.h"
#include "set_family.h"

namespace ringdb::commands {

using store::Entry;
using store::ListpackValue;
using store::SetLimits;
using store::SetValue;
using store::Table;

void StoreSet(CommandContext& context, std::string_view key, SetValue* set,
              std::string_view event) {
  Table::Position position;
  Entry* existing = context.LookupWrite(key, &position);
  if (existing != nullptr) {
    Entry* entry = Entry::NewObject(key, set, store::kNoExpire);
    entry->set_lru(context.lru_clock());
    context.db().table().Replace(position, entry);
  } else {
    AddObject(context, key, set, position.hash);
  }
  context.KeyChanged(key, kNotifySet, event);
}

void DeleteStoreTarget(CommandContext& context, std::string_view key) {
  Table::Position position;
  if (context.LookupWrite(key, &position) == nullptr) return;
  context.db().table().Remove(position);
  context.KeyChanged(key, kNotifyGeneric, "del");
}

namespace {

enum class SetOp { kUnion, kDiff };

// Looks up `keys` as sets, in order, as Redis's loops do (lookupKeyRead each, WRONGTYPE at the
// first key of another type). A missing key is nullptr. False after replying WRONGTYPE.
bool LookupSets(CommandContext& context, std::span<const std::string_view> keys,
                std::vector<const SetValue*>* sets) {
  sets->reserve(keys.size());
  for (std::string_view key : keys) {
    const Entry* entry = context.LookupRead(key);
    if (RejectWrongType(context, entry, SetValue::kType)) return false;
    sets->push_back(entry != nullptr ? ObjectOf<SetValue>(entry) : nullptr);
  }
  return true;
}

size_t SizeOf(const SetValue* set) { return set != nullptr ? set->size() : 0; }

// Whether every set but sets[0] holds `member` (a set equal to sets[0] is skipped).
bool InAllOthers(const std::vector<const SetValue*>& sets, const ListpackValue& member) {
  for (size_t j = 1; j < sets.size(); j++) {
    if (sets[j] == sets[0]) continue;
    if (!sets[j]->Contains(member)) return false;
  }
  return true;
}

// The SINTERSTORE result: Redis starts it as an intset when the smallest set is one, else as
// a listpack, and turns it into an intset at the end when every member is an integer.
SetValue* BuildIntersection(const std::vector<const SetValue*>& sets, const SetLimits& limits) {
  SetValue* result = sets[0]->encoding() == store::Encoding::kIntset ? SetValue::NewIntset()
                                                                     : SetValue::NewListpack();
  bool only_integers = true;
  sets[0]->ForEach([&](const ListpackValue& member) {
    if (!InAllOthers(sets, member)) return;
    if (!member.is_integer && only_integers &&
        !(member.bytes.size() <= kInt64TextMax && ParseInt64(member.bytes))) {
      only_integers = false;
    }
    result->Add(member, limits);
  });
  if (only_integers && result->size() > 0) result->ConvertToIntsetIfFits(limits);
  return result;
}

// sinterGenericCommand. `store_key`: SINTERSTORE's destination (nullptr otherwise);
// `cardinality_only` with `limit` (0: none): SINTERCARD.
void Intersect(CommandContext& context, std::span<const std::string_view> keys,
               const std::string_view* store_key, bool cardinality_only, uint64_t limit) {
  std::vector<const SetValue*> sets;
  if (!LookupSets(context, keys, &sets)) return;
  if (std::find(sets.begin(), sets.end(), nullptr) != sets.end()) {
    // An intersection with an empty set is empty.
    if (store_key != nullptr) {
      DeleteStoreTarget(context, *store_key);
      context.reply.Integer(0);
    } else if (cardinality_only) {
      context.reply.Integer(0);
    } else {
      context.reply.SetHeader(0);
    }
    return;
  }
  // Smallest first; stable, as glibc's qsort (a merge sort) is for these small arrays.
  std::stable_sort(sets.begin(), sets.end(),
                   [](const SetValue* a, const SetValue* b) { return a->size() < b->size(); });
  if (store_key != nullptr) {
    SetValue* result = BuildIntersection(sets, SetLimitsOf(context));
    if (result->size() > 0) {
      size_t size = result->size();
      StoreSet(context, *store_key, result, "sinterstore");
      context.reply.Integer(static_cast<int64_t>(size));
    } else {
      store::Object::Release(result);
      context.reply.Integer(0);
      DeleteStoreTarget(context, *store_key);
    }
    return;
  }
  if (cardinality_only) {
    uint64_t cardinality = 0;
    bool done = false;
    sets[0]->ForEach([&](const ListpackValue& member) {
      if (done || !InAllOthers(sets, member)) return;
      cardinality++;
      if (limit != 0 && cardinality >= limit) done = true;
    });
    context.reply.Integer(static_cast<int64_t>(cardinality));
    return;
  }
  // Members are views into the sets, which nothing changes before the reply is written.
  std::vector<ListpackValue> members;
  sets[0]->ForEach([&](const ListpackValue& member) {
    if (InAllOthers(sets, member)) members.push_back(member);
  });
  context.reply.SetHeader(members.size());
  for (const ListpackValue& member : members) ReplyMember(context.reply, member);
}

// Redis's choice between SDIFF's two algorithms, which decides what the result set holds on
// the way (and so its final encoding): 1 walks the first set testing the others, 2 adds the
// first set and removes the others. With algorithm 1 the other sets are ordered by size,
// largest first.
int ChooseDiffAlgorithm(std::vector<const SetValue*>* sets) {
  uint64_t one_work = 0;
  uint64_t two_work = 0;
  for (const SetValue* set : *sets) {
    if (set == nullptr) continue;
    one_work += (*sets)[0]->size();
    two_work += set->size();
  }
  one_work /= 2;
  int algorithm = one_work <= two_work ? 1 : 2;
  if (algorithm == 1 && sets->size() > 1) {
    std::stable_sort(sets->begin() + 1, sets->end(),
                     [](const SetValue* a, const SetValue* b) { return SizeOf(a) > SizeOf(b); });
  }
  return algorithm;
}

// The SDIFF result (Redis's algorithms 1 and 2) into `result`.
void BuildDifference(std::vector<const SetValue*>& sets, SetValue* result,
                     const SetLimits& limits) {
  if (sets[0] == nullptr) return;
  for (size_t j = 1; j < sets.size(); j++) {
    if (sets[j] == sets[0]) return;  // The same set: the difference is empty.
  }
  if (ChooseDiffAlgorithm(&sets) == 1) {
    sets[0]->ForEach([&](const ListpackValue& member) {
      for (size_t j = 1; j < sets.size(); j++) {
        if (sets[j] != nullptr && sets[j]->Contains(member)) return;
      }
      result->Add(member, limits);
    });
    return;
  }
  sets[0]->ForEach([&](const ListpackValue& member) { result->Add(member, limits); });
  for (size_t j = 1; j < sets.size() && result->size() > 0; j++) {
    if (sets[j] == nullptr) continue;
    sets[j]->ForEach([&](const ListpackValue& member) { result->Remove(member); });
  }
}

// sunionDiffGenericCommand: the result starts as an empty intset and converts as members
// arrive, exactly as Redis's, so its order and encoding match.
SetValue* BuildUnionOrDiff(std::vector<const SetValue*>& sets, SetOp op, const SetLimits& limits) {
  SetValue* result = SetValue::NewIntset();
  if (op == SetOp::kUnion) {
    for (const SetValue* set : sets) {
      if (set == nullptr) continue;
      set->ForEach([&](const ListpackValue& member) { result->Add(member, limits); });
    }
  } else {
    BuildDifference(sets, result, limits);
  }
  return result;
}

void UnionOrDiff(CommandContext& context, std::span<const std::string_view> keys,
                 const std::string_view* store_key, SetOp op) {
  std::vector<const SetValue*> sets;
  if (!LookupSets(context, keys, &sets)) return;
  SetValue* result = BuildUnionOrDiff(sets, op, SetLimitsOf(context));
  if (store_key == nullptr) {
    ReplySetMembers(context.reply, *result);
    store::Object::Release(result);
    return;
  }
  size_t size = result->size();
  if (size > 0) {
    StoreSet(context, *store_key, result, op == SetOp::kUnion ? "sunionstore" : "sdiffstore");
    context.reply.Integer(static_cast<int64_t>(size));
  } else {
    store::Object::Release(result);
    context.reply.Integer(0);
    DeleteStoreTarget(context, *store_key);
  }
}

// SINTERCARD's numkeys and LIMIT (getRangeLongFromObjectOrReply and
// getPositiveLongFromObjectOrReply with their custom messages, used for bad numbers too).
bool ParseInterCard(CommandContext& context, int64_t* numkeys, uint64_t* limit) {
  std::optional<int64_t> count = ParseInt64(context.arg(1));
  if (!count || *count < 1) {
    context.reply.Error("numkeys should be greater than 0");
    return false;
  }
  if (*count > static_cast<int64_t>(context.argc()) - 2) {
    context.reply.Error("Number of keys can't be greater than number of args");
    return false;
  }
  *numkeys = *count;
  for (size_t j = 2 + static_cast<size_t>(*count); j < context.argc(); j++) {
    bool more = j + 1 < context.argc();
    if (EqualsIgnoreCase(context.arg(j), "limit") && more) {
      std::optional<int64_t> value = ParseInt64(context.arg(++j));
      if (!value || *value < 0) {
        context.reply.Error("LIMIT can't be negative");
        return false;
      }
      *limit = static_cast<uint64_t>(*value);
    } else {
      context.reply.Error(errors::kSyntax);
      return false;
    }
  }
  return true;
}

}  // namespace

void ReplyUnionOf(CommandContext& context, const SetValue& set) {
  std::vector<const SetValue*> sets = {&set};
  SetValue* result = BuildUnionOrDiff(sets, SetOp::kUnion, SetLimitsOf(context));
  ReplySetMembers(context.reply, *result);
  store::Object::Release(result);
}

void SetMembers(CommandContext& context) {
  const Entry* entry = context.LookupRead(context.arg(1));
  if (RejectWrongType(context, entry, SetValue::kType)) return;
  if (entry == nullptr) {
    context.reply.SetHeader(0);
    return;
  }
  ReplySetMembers(context.reply, *ObjectOf<SetValue>(entry));
}

void SetInter(CommandContext& context) {
  Intersect(context, context.args.subspan(1), nullptr, false, 0);
}

void SetInterStore(CommandContext& context) {
  std::string_view target = context.arg(1);
  Intersect(context, context.args.subspan(2), &target, false, 0);
}

void SetInterCard(CommandContext& context) {
  int64_t numkeys = 0;
  uint64_t limit = 0;
  if (!ParseInterCard(context, &numkeys, &limit)) return;
  Intersect(context, context.args.subspan(2, static_cast<size_t>(numkeys)), nullptr, true, limit);
}

void SetUnion(CommandContext& context) {
  UnionOrDiff(context, context.args.subspan(1), nullptr, SetOp::kUnion);
}

void SetUnionStore(CommandContext& context) {
  std::string_view target = context.arg(1);
  UnionOrDiff(context, context.args.subspan(2), &target, SetOp::kUnion);
}

void SetDiff(CommandContext& context) {
  UnionOrDiff(context, context.args.subspan(1), nullptr, SetOp::kDiff);
}

void SetDiffStore(CommandContext& context) {
  std::string_view target = context.arg(1);
  UnionOrDiff(context, context.args.subspan(2), &target, SetOp::kDiff);
}

}  // namespace ringdb::commands
