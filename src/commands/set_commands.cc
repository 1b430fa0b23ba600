// Set commands: Redis 7.2's set family (t_set.c) with its replies, errors, keyspace events
// and OBJECT ENCODING results. The multi-key operations live in set_algebra.cc.
//
// Random picks (SPOP, SRANDMEMBER) follow Redis's case analysis, so the reply shapes, the
// resulting sets and their encodings are Redis's; only which members are picked differs.
#include <optional>
#include <string>
#include <unordered_set>
#include <vector>

#include "families.h"
#include "set_family.h"

namespace ringdb::commands {
namespace {

using store::Entry;
using store::ListpackValue;
using store::SetLimits;
using store::SetValue;
using store::Table;

// SPOP keeps the rest in a new set once the popped part is this many times the rest
// (SPOP_MOVE_STRATEGY_MUL); SRANDMEMBER samples by elimination below this ratio
// (SRANDMEMBER_SUB_STRATEGY_MUL).
constexpr uint64_t kSpopMoveStrategyFactor = 5;
constexpr uint64_t kSrandmemberSubStrategyFactor = 3;

// splitmix64: the family's source of randomness. Picks need no more than spreading over the
// members, and a fixed sequence keeps tests repeatable. Loop thread only.
uint64_t NextRandom() {
  static uint64_t state = 0x5e75e75e75e75e75;
  state += 0x9e3779b97f4a7c15;
  uint64_t z = state;
  z = (z ^ (z >> 30)) * 0xbf58476d1ce4e5b9;
  z = (z ^ (z >> 27)) * 0x94d049bb133111eb;
  return z ^ (z >> 31);
}

// Selection sampling (Knuth's algorithm S): visits `total` items in order and says which to
// take so that exactly `wanted` are taken, each subset equally likely.
class OrderedSample {
 public:
  OrderedSample(uint64_t wanted, uint64_t total) : wanted_(wanted), left_(total) {}
  bool Take() {
    RINGDB_DASSERT(left_ > 0);
    bool take = NextRandom() % left_ < wanted_;
    left_--;
    if (take) wanted_--;
    return take;
  }

 private:
  uint64_t wanted_;
  uint64_t left_;
};

// The set at `key` for a read: nullptr when missing (after replying `missing_reply` unless
// it is empty) or of another type (after replying WRONGTYPE; *wrong_type set).
const SetValue* LookupSetRead(CommandContext& context, std::string_view key, bool* wrong_type) {
  const Entry* entry = context.LookupRead(key);
  *wrong_type = RejectWrongType(context, entry, SetValue::kType);
  if (entry == nullptr || *wrong_type) return nullptr;
  return ObjectOf<SetValue>(entry);
}

void SetAdd(CommandContext& context) {
  std::string_view key = context.arg(1);
  Table::Position position;
  Entry* entry = context.LookupWrite(key, &position);
  if (RejectWrongType(context, entry, SetValue::kType)) return;
  SetLimits limits = SetLimitsOf(context);
  size_t members = context.argc() - 2;
  SetValue* set;
  if (entry == nullptr) {
    set = SetValue::Create(context.arg(2), members, limits);
    AddObject(context, key, set, position.hash);
  } else {
    set = MutableObject<SetValue>(context, position);
    set->MaybeConvert(members, limits);
  }
  int64_t added = 0;
  for (size_t j = 2; j < context.argc(); j++) {
    if (set->Add(context.arg(j), limits)) added++;
  }
  if (added > 0) context.KeyChanged(key, kNotifySet, "sadd", static_cast<uint64_t>(added));
  context.reply.Integer(added);
}

void SetRemove(CommandContext& context) {
  std::string_view key = context.arg(1);
  Table::Position position;
  Entry* entry = context.LookupWrite(key, &position);
  if (entry == nullptr) {
    context.reply.Integer(0);
    return;
  }
  if (RejectWrongType(context, entry, SetValue::kType)) return;
  // Nothing to remove: leave a shared object unshared (no copy for a no-op).
  const SetValue* current = ObjectOf<SetValue>(entry);
  bool any = false;
  for (size_t j = 2; j < context.argc() && !any; j++) any = current->Contains(context.arg(j));
  if (!any) {
    context.reply.Integer(0);
    return;
  }
  SetValue* set = MutableObject<SetValue>(context, position);
  int64_t deleted = 0;
  for (size_t j = 2; j < context.argc(); j++) {
    if (set->Remove(context.arg(j))) deleted++;
    if (set->size() == 0) break;
  }
  context.KeyChanged(key, kNotifySet, "srem", static_cast<uint64_t>(deleted));
  if (set->size() == 0) DeleteEmptied(context, position, key);
  context.reply.Integer(deleted);
}

void SetIsMember(CommandContext& context) {
  bool wrong_type;
  const SetValue* set = LookupSetRead(context, context.arg(1), &wrong_type);
  if (wrong_type) return;
  context.reply.Integer(set != nullptr && set->Contains(context.arg(2)) ? 1 : 0);
}

void SetMultiIsMember(CommandContext& context) {
  bool wrong_type;
  const SetValue* set = LookupSetRead(context, context.arg(1), &wrong_type);
  if (wrong_type) return;
  context.reply.ArrayHeader(context.argc() - 2);
  for (size_t j = 2; j < context.argc(); j++) {
    context.reply.Integer(set != nullptr && set->Contains(context.arg(j)) ? 1 : 0);
  }
}

void SetCard(CommandContext& context) {
  bool wrong_type;
  const SetValue* set = LookupSetRead(context, context.arg(1), &wrong_type);
  if (wrong_type) return;
  context.reply.Integer(set != nullptr ? static_cast<int64_t>(set->size()) : 0);
}

// SMOVE source destination member. Events: "srem" on the source, "del" if it emptied, "new"
// if the destination is created, "sadd" if the member was not there yet.
void SetMove(CommandContext& context) {
  std::string_view source_key = context.arg(1);
  std::string_view target_key = context.arg(2);
  std::string_view member = context.arg(3);
  Table::Position source_position;
  Table::Position target_position;
  Entry* source = context.LookupWrite(source_key, &source_position);
  Entry* target = context.LookupWrite(target_key, &target_position);
  if (source == nullptr) {
    context.reply.Integer(0);
    return;
  }
  if (RejectWrongType(context, source, SetValue::kType) ||
      RejectWrongType(context, target, SetValue::kType)) {
    return;
  }
  if (source == target) {
    context.reply.Integer(ObjectOf<SetValue>(source)->Contains(member) ? 1 : 0);
    return;
  }
  if (!ObjectOf<SetValue>(source)->Contains(member)) {
    context.reply.Integer(0);
    return;
  }
  SetValue* source_set = MutableObject<SetValue>(context, source_position);
  bool removed = source_set->Remove(member);
  RINGDB_ASSERT(removed);
  context.KeyChanged(source_key, kNotifySet, "srem");
  bool target_exists = target != nullptr;
  if (source_set->size() == 0) {
    DeleteEmptied(context, source_position, source_key);
    // The removal may have moved the destination's slot: find it again.
    if (target_exists) target = context.db().table().Find(target_key, &target_position);
  }
  SetLimits limits = SetLimitsOf(context);
  SetValue* target_set;
  if (!target_exists) {
    target_set = SetValue::Create(member, 1, limits);
    AddObject(context, target_key, target_set, target_position.hash);
  } else {
    target_set = MutableObject<SetValue>(context, target_position);
  }
  if (target_set->Add(member, limits)) context.KeyChanged(target_key, kNotifySet, "sadd");
  context.reply.Integer(1);
}

// ---------------------------------------------------------------------------------------
// SPOP

// SPOP key count, count < size, remaining * 5 > count: pops `count` random members.
void PopSome(CommandContext& context, SetValue* set, uint64_t count) {
  if (set->encoding() == store::Encoding::kListpack) {
    // One ordered pass picks the members; deleting from the back keeps earlier positions.
    store::Listpack& listpack = set->mutable_listpack();
    std::vector<uint32_t> picked;
    picked.reserve(count);
    OrderedSample sample(count, listpack.size());
    for (uint32_t p = listpack.First(); p != store::Listpack::kNone; p = listpack.Next(p)) {
      if (!sample.Take()) continue;
      ReplyMember(context.reply, listpack.Get(p));
      picked.push_back(p);
    }
    for (size_t i = picked.size(); i-- > 0;) listpack.Delete(picked[i]);
    return;
  }
  for (uint64_t i = 0; i < count; i++) {
    ListpackValue member = set->Random(NextRandom());
    ReplyMember(context.reply, member);
    // The view may point into the member being removed; Remove is done with it before it
    // frees anything.
    bool removed = set->Remove(member);
    RINGDB_ASSERT(removed);
  }
}

// SPOP key count when most of the set goes: the members that stay are picked into a new set
// (a listpack unless the set is an intset, converting as members arrive, as Redis does) and
// the others are replied in the set's order.
void PopMost(CommandContext& context, SetValue* set, uint64_t remaining) {
  SetLimits limits = SetLimitsOf(context);
  SetValue* kept =
      set->encoding() == store::Encoding::kIntset ? SetValue::NewIntset() : SetValue::NewListpack();
  OrderedSample sample(remaining, set->size());
  set->ForEach([&](const ListpackValue& member) {
    if (sample.Take()) {
      kept->Add(member, limits);
    } else {
      ReplyMember(context.reply, member);
    }
  });
  set->Swap(*kept);
  store::Object::Release(kept);
}

void PopWithCount(CommandContext& context) {
  // getPositiveLongFromObjectOrReply: one message for bad numbers and negative ones.
  std::optional<int64_t> count = ParseInt64(context.arg(2));
  if (!count || *count < 0) {
    context.reply.Error("value is out of range, must be positive");
    return;
  }
  std::string_view key = context.arg(1);
  Table::Position position;
  Entry* entry = context.LookupWrite(key, &position);
  if (entry == nullptr) {
    context.reply.SetHeader(0);
    return;
  }
  if (RejectWrongType(context, entry, SetValue::kType)) return;
  if (*count == 0) {
    context.reply.SetHeader(0);
    return;
  }
  auto wanted = static_cast<uint64_t>(*count);
  SetValue* set = MutableObject<SetValue>(context, position);
  uint64_t size = set->size();
  context.KeyChanged(key, kNotifySet, "spop", wanted >= size ? size : wanted);
  if (wanted >= size) {
    ReplyUnionOf(context, *set);
    DeleteEmptied(context, position, key);
    return;
  }
  context.reply.SetHeader(wanted);
  uint64_t remaining = size - wanted;
  if (remaining * kSpopMoveStrategyFactor > wanted) {
    PopSome(context, set, wanted);
  } else {
    PopMost(context, set, remaining);
  }
}

void SetPop(CommandContext& context) {
  if (context.argc() == 3) {
    PopWithCount(context);
    return;
  }
  if (context.argc() > 3) {
    context.reply.Error(errors::kSyntax);
    return;
  }
  std::string_view key = context.arg(1);
  Table::Position position;
  Entry* entry = context.LookupWrite(key, &position);
  if (entry == nullptr) {
    context.reply.Null();
    return;
  }
  if (RejectWrongType(context, entry, SetValue::kType)) return;
  SetValue* set = MutableObject<SetValue>(context, position);
  ListpackValue member = set->Random(NextRandom());
  ReplyMember(context.reply, member);
  bool removed = set->Remove(member);
  RINGDB_ASSERT(removed);
  context.KeyChanged(key, kNotifySet, "spop");
  if (set->size() == 0) DeleteEmptied(context, position, key);
}

// ---------------------------------------------------------------------------------------
// SRANDMEMBER

// `count` distinct random members of a set more than three times bigger: random picks until
// enough distinct ones were seen (Redis's CASE 4). The picks are remembered by where they
// live in the set (index or address), never copied.
void ReplyDistinctRandom(CommandContext& context, const SetValue& set, uint64_t count) {
  context.reply.ArrayHeader(count);
  if (set.encoding() == store::Encoding::kHashtable) {
    std::unordered_set<const char*> seen;
    seen.reserve(count);
    while (seen.size() < count) {
      ListpackValue member = set.Random(NextRandom());
      if (seen.insert(member.bytes.data()).second) ReplyMember(context.reply, member);
    }
    return;
  }
  RINGDB_ASSERT(set.encoding() == store::Encoding::kIntset);
  const store::Intset& intset = set.intset();
  std::unordered_set<size_t> seen;
  seen.reserve(count);
  while (seen.size() < count) {
    size_t index = static_cast<size_t>(NextRandom() % intset.size());
    if (!seen.insert(index).second) continue;
    ListpackValue member;
    member.is_integer = true;
    member.integer = intset.Get(index);
    ReplyMember(context.reply, member);
  }
}

void RandomMembers(CommandContext& context) {
  std::optional<int64_t> value = IntegerArg(context, 2);
  if (!value) return;
  if (*value == INT64_MIN) {
    context.reply.Error(
        "value is out of range, value must between -9223372036854775807 and "
        "9223372036854775807");
    return;
  }
  bool distinct = *value >= 0;
  uint64_t count = distinct ? static_cast<uint64_t>(*value) : static_cast<uint64_t>(-*value);
  bool wrong_type;
  const SetValue* set = LookupSetRead(context, context.arg(1), &wrong_type);
  if (wrong_type) return;
  if (set == nullptr || count == 0) {
    context.reply.EmptyArray();
    return;
  }
  uint64_t size = set->size();
  if (!distinct || count == 1) {
    // With repeats, each pick independent. The reply is as big as the count asked for, so
    // the output-buffer limit may cut it short (the client is then closed).
    context.reply.ArrayHeader(count);
    for (uint64_t i = 0; i < count && !context.reply.limit_exceeded(); i++) {
      ReplyMember(context.reply, set->Random(NextRandom()));
    }
    return;
  }
  if (count >= size) {
    context.reply.ArrayHeader(size);
    set->ForEach([&](const ListpackValue& member) { ReplyMember(context.reply, member); });
    return;
  }
  if (set->encoding() == store::Encoding::kListpack ||
      count * kSrandmemberSubStrategyFactor > size) {
    // Redis's CASE 2.5 and CASE 3: a share of the members, picked in one ordered pass.
    context.reply.ArrayHeader(count);
    OrderedSample sample(count, size);
    set->ForEach([&](const ListpackValue& member) {
      if (sample.Take()) ReplyMember(context.reply, member);
    });
    return;
  }
  ReplyDistinctRandom(context, *set, count);
}

void SetRandomMember(CommandContext& context) {
  if (context.argc() == 3) {
    RandomMembers(context);
    return;
  }
  if (context.argc() > 3) {
    context.reply.Error(errors::kSyntax);
    return;
  }
  bool wrong_type;
  const SetValue* set = LookupSetRead(context, context.arg(1), &wrong_type);
  if (wrong_type) return;
  if (set == nullptr) {
    context.reply.Null();
    return;
  }
  ReplyMember(context.reply, set->Random(NextRandom()));
}

// ---------------------------------------------------------------------------------------
// SSCAN

void SetScan(CommandContext& context) {
  std::optional<uint64_t> cursor = ParseScanCursor(context.arg(2));
  if (!cursor) {
    context.reply.Error(errors::kInvalidCursor);
    return;
  }
  bool wrong_type;
  const SetValue* set = LookupSetRead(context, context.arg(1), &wrong_type);
  if (wrong_type) return;
  if (set == nullptr) {
    context.reply.ArrayHeader(2);
    context.reply.Bulk("0");
    context.reply.EmptyArray();
    return;
  }
  std::optional<ScanOptions> options = ParseScanOptions(context, 3, false);
  if (!options) return;
  // Views into the set (integers by value): nothing changes it before the reply.
  std::vector<ListpackValue> members;
  uint64_t next = 0;
  if (set->encoding() == store::Encoding::kHashtable) {
    // Redis stops after COUNT * 10 buckets even when they held nothing.
    int64_t buckets_max = options->count > INT64_MAX / 10 ? INT64_MAX : options->count * 10;
    next = *cursor;
    do {
      next = set->table().Scan(next, [&](std::string_view member) {
        ListpackValue value;
        value.bytes = member;
        members.push_back(value);
      });
    } while (next != 0 && --buckets_max > 0 &&
             members.size() < static_cast<uint64_t>(options->count));
  } else {
    // Compact encodings are returned whole, with cursor 0, whatever the cursor was.
    set->ForEach([&](const ListpackValue& member) { members.push_back(member); });
  }
  char scratch[kInt64TextMax + 1];
  if (options->pattern) {
    std::erase_if(members, [&](const ListpackValue& member) {
      return !GlobMatch(*options->pattern, member.Text(scratch));
    });
  }
  size_t length = FormatUint64(next, scratch);
  context.reply.ArrayHeader(2);
  context.reply.Bulk(std::string_view(scratch, length));
  context.reply.ArrayHeader(members.size());
  for (const ListpackValue& member : members) ReplyMember(context.reply, member);
}

// ---------------------------------------------------------------------------------------
// The table, with Redis 7.2's src/commands/*.json values.

constexpr const char kInterComplexity[] =
    "O(N*M) worst case where N is the cardinality of the smallest set and M is the number of "
    "sets.";
constexpr const char kUnionComplexity[] =
    "O(N) where N is the total number of elements in all given sets.";

// clang-format off
constexpr CommandSpec kCommands[] = {
    {"sadd", -3, kWrite | kDenyOom | kFast, 1, 1, 1, SetAdd, "set", "1.0.0", "Adds one or more members to a set. Creates the key if it doesn't exist.", "O(1) for each element added, so O(N) to add N elements when the command is called with multiple arguments.", "@write @set @fast", "key member [member ...]"},
    {"scard", 2, kReadonly | kFast, 1, 1, 1, SetCard, "set", "1.0.0", "Returns the number of members in a set.", "O(1)", "@read @set @fast", "key"},
    {"sdiff", -2, kReadonly, 1, -1, 1, SetDiff, "set", "1.0.0", "Returns the difference of multiple sets.", kUnionComplexity, "@read @set @slow", "key [key ...]", {}, "nondeterministic_output_order"},
    {"sdiffstore", -3, kWrite | kDenyOom, 1, -1, 1, SetDiffStore, "set", "1.0.0", "Stores the difference of multiple sets in a key.", kUnionComplexity, "@write @set @slow", "destination key [key ...]"},
    {"sinter", -2, kReadonly, 1, -1, 1, SetInter, "set", "1.0.0", "Returns the intersect of multiple sets.", kInterComplexity, "@read @set @slow", "key [key ...]", {}, "nondeterministic_output_order"},
    {"sintercard", -3, kReadonly | kMovableKeys, 0, 0, 0, SetInterCard, "set", "7.0.0", "Returns the number of members of the intersect of multiple sets.", kInterComplexity, "@read @set @slow", "numkeys key [key ...] [LIMIT limit]"},
    {"sinterstore", -3, kWrite | kDenyOom, 1, -1, 1, SetInterStore, "set", "1.0.0", "Stores the intersect of multiple sets in a key.", kInterComplexity, "@write @set @slow", "destination key [key ...]"},
    {"sismember", 3, kReadonly | kFast, 1, 1, 1, SetIsMember, "set", "1.0.0", "Determines whether a member belongs to a set.", "O(1)", "@read @set @fast", "key member"},
    {"smembers", 2, kReadonly, 1, 1, 1, SetMembers, "set", "1.0.0", "Returns all members of a set.", "O(N) where N is the set cardinality.", "@read @set @slow", "key", {}, "nondeterministic_output_order"},
    {"smismember", -3, kReadonly | kFast, 1, 1, 1, SetMultiIsMember, "set", "6.2.0", "Determines whether multiple members belong to a set.", "O(N) where N is the number of elements being checked for membership", "@read @set @fast", "key member [member ...]"},
    {"smove", 4, kWrite | kFast, 1, 2, 1, SetMove, "set", "1.0.0", "Moves a member from one set to another.", "O(1)", "@write @set @fast", "source destination member"},
    {"spop", -2, kWrite | kFast, 1, 1, 1, SetPop, "set", "1.0.0", "Returns one or more random members from a set after removing them. Deletes the set if the last member was popped.", "Without the count argument O(1), otherwise O(N) where N is the value of the passed count.", "@write @set @fast", "key [count]", {}, "nondeterministic_output"},
    {"srandmember", -2, kReadonly, 1, 1, 1, SetRandomMember, "set", "1.0.0", "Get one or multiple random members from a set", "Without the count argument O(1), otherwise O(N) where N is the absolute value of the passed count.", "@read @set @slow", "key [count]", {}, "nondeterministic_output"},
    {"srem", -3, kWrite | kFast, 1, 1, 1, SetRemove, "set", "1.0.0", "Removes one or more members from a set. Deletes the set if the last member was removed.", "O(N) where N is the number of members to be removed.", "@write @set @fast", "key member [member ...]"},
    {"sscan", -3, kReadonly, 1, 1, 1, SetScan, "set", "2.8.0", "Iterates over members of a set.", "O(1) for every call. O(N) for a complete iteration, including enough command calls for the cursor to return back to 0. N is the number of elements inside the collection.", "@read @set @slow", "key cursor [MATCH pattern] [COUNT count]", {}, "nondeterministic_output"},
    {"sunion", -2, kReadonly, 1, -1, 1, SetUnion, "set", "1.0.0", "Returns the union of multiple sets.", kUnionComplexity, "@read @set @slow", "key [key ...]", {}, "nondeterministic_output_order"},
    {"sunionstore", -3, kWrite | kDenyOom, 1, -1, 1, SetUnionStore, "set", "1.0.0", "Stores the union of multiple sets in a key.", kUnionComplexity, "@write @set @slow", "destination key [key ...]"},
};
// clang-format on

}  // namespace

void RegisterSetCommands(CommandTable& table) { table.Register(kCommands); }

}  // namespace ringdb::commands
