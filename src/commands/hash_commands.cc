// The hash family: HSET HSETNX HGET HMGET HMSET HDEL HEXISTS HLEN HSTRLEN HKEYS HVALS HGETALL
// HINCRBY HINCRBYFLOAT HRANDFIELD HSCAN, with Redis 7.2's replies, errors, keyspace events
// (hset, hdel, hincrby, hincrbyfloat; del when the last field goes) and encodings (see
// store/hash_value.h for when a listpack becomes a hashtable).
#include <algorithm>
#include <cctype>
#include <climits>
#include <cmath>
#include <optional>
#include <string>
#include <unordered_set>
#include <vector>

#include "families.h"
#include "helpers.h"
#include "ringdb/store/hash_value.h"

namespace ringdb::commands {
namespace {

using store::Entry;
using store::FieldValue;
using store::HashValue;
using store::Listpack;
using store::Table;

store::HashLimits LimitsOf(const CommandContext& context) {
  const EncodingLimits& encodings = context.limits.encodings;
  store::HashLimits limits;
  limits.listpack_entries_max =
      static_cast<size_t>(std::max<int64_t>(encodings.hash_max_listpack_entries, 0));
  limits.listpack_value_max =
      static_cast<size_t>(std::max<int64_t>(encodings.hash_max_listpack_value, 0));
  return limits;
}

// Redis's lookupKeyReadOrReply + checkType: the hash stored at argument 1, or nullptr after
// replying `on_missing` (absent key) or WRONGTYPE.
const HashValue* ReadHash(CommandContext& context, void (*on_missing)(CommandContext&)) {
  const Entry* entry = context.LookupRead(context.arg(1));
  if (entry == nullptr) {
    on_missing(context);
    return nullptr;
  }
  if (RejectWrongType(context, entry, HashValue::kType)) return nullptr;
  return ObjectOf<HashValue>(entry);
}

void ReplyNull(CommandContext& context) { context.reply.Null(); }
void ReplyZero(CommandContext& context) { context.reply.Integer(0); }
void ReplyEmptyArray(CommandContext& context) { context.reply.EmptyArray(); }
void ReplyEmptyMap(CommandContext& context) { context.reply.MapHeader(0); }
// Redis's shared.emptyscan, the same bytes in RESP2 and RESP3.
void ReplyEmptyScan(CommandContext& context) { context.reply.Raw("*2\r\n$1\r\n0\r\n*0\r\n"); }

// A hash about to be written at argument 1: the existing one (unshared, ready for changes),
// or a new empty one the caller adds with AddObject once it holds something. nullptr after
// WRONGTYPE.
struct WritableHash {
  HashValue* hash = nullptr;
  bool created = false;
  Table::Position position;
};

std::optional<WritableHash> WriteHash(CommandContext& context, const Entry* entry,
                                      Table::Position position) {
  if (RejectWrongType(context, entry, HashValue::kType)) return std::nullopt;
  WritableHash target;
  target.position = position;
  if (entry == nullptr) {
    target.hash = new HashValue();
    target.created = true;
  } else {
    target.hash = MutableObject<HashValue>(context, position);
  }
  return target;
}

// Stores a hash WriteHash created.
void Commit(CommandContext& context, const WritableHash& target) {
  if (target.created) AddObject(context, context.arg(1), target.hash, target.position.hash);
}

// ---------------------------------------------------------------------------------------
// HSET HMSET HSETNX

void SetPairs(CommandContext& context, bool reply_added) {
  if (context.argc() % 2 == 1) {
    context.reply.Error(CommandTable::ArityError(*context.command));
    return;
  }
  std::string_view key = context.arg(1);
  Table::Position position;
  Entry* entry = context.LookupWrite(key, &position);
  std::optional<WritableHash> target = WriteHash(context, entry, position);
  if (!target) return;
  store::HashLimits limits = LimitsOf(context);
  target->hash->PrepareForPairs(context.args.subspan(2), limits);
  int64_t added = 0;
  for (size_t i = 2; i < context.argc(); i += 2) {
    added += target->hash->Set(context.arg(i), context.arg(i + 1), limits) ? 1 : 0;
  }
  Commit(context, *target);
  context.KeyChanged(key, kNotifyHash, "hset", (context.argc() - 2) / 2);
  if (reply_added) {
    context.reply.Integer(added);
  } else {
    context.reply.Ok();
  }
}

void HSet(CommandContext& context) { SetPairs(context, true); }
void HMSet(CommandContext& context) { SetPairs(context, false); }

void HSetNx(CommandContext& context) {
  std::string_view key = context.arg(1);
  Table::Position position;
  Entry* entry = context.LookupWrite(key, &position);
  if (RejectWrongType(context, entry, HashValue::kType)) return;
  HashValue::Scratch scratch;
  if (entry != nullptr && ObjectOf<HashValue>(entry)->Get(context.arg(2), scratch, nullptr)) {
    context.reply.Integer(0);
    return;
  }
  std::optional<WritableHash> target = WriteHash(context, entry, position);
  store::HashLimits limits = LimitsOf(context);
  target->hash->PrepareForPairs(context.args.subspan(2, 2), limits);
  target->hash->Set(context.arg(2), context.arg(3), limits);
  Commit(context, *target);
  context.KeyChanged(key, kNotifyHash, "hset");
  context.reply.Integer(1);
}

// ---------------------------------------------------------------------------------------
// HGET HMGET HEXISTS HSTRLEN HLEN

void HGet(CommandContext& context) {
  const HashValue* hash = ReadHash(context, ReplyNull);
  if (hash == nullptr) return;
  HashValue::Scratch scratch;
  std::string_view value;
  if (hash->Get(context.arg(2), scratch, &value)) {
    context.reply.Bulk(value);
  } else {
    context.reply.Null();
  }
}

void HMGet(CommandContext& context) {
  const Entry* entry = context.LookupRead(context.arg(1));
  if (RejectWrongType(context, entry, HashValue::kType)) return;
  const HashValue* hash = entry == nullptr ? nullptr : ObjectOf<HashValue>(entry);
  context.reply.ArrayHeader(context.argc() - 2);
  HashValue::Scratch scratch;
  for (size_t i = 2; i < context.argc(); i++) {
    std::string_view value;
    if (hash != nullptr && hash->Get(context.arg(i), scratch, &value)) {
      context.reply.Bulk(value);
    } else {
      context.reply.Null();
    }
  }
}

void HExists(CommandContext& context) {
  const HashValue* hash = ReadHash(context, ReplyZero);
  if (hash == nullptr) return;
  HashValue::Scratch scratch;
  context.reply.Integer(hash->Get(context.arg(2), scratch, nullptr) ? 1 : 0);
}

void HStrLen(CommandContext& context) {
  const HashValue* hash = ReadHash(context, ReplyZero);
  if (hash == nullptr) return;
  HashValue::Scratch scratch;
  std::string_view value;
  bool found = hash->Get(context.arg(2), scratch, &value);
  context.reply.Integer(found ? static_cast<int64_t>(value.size()) : 0);
}

void HLen(CommandContext& context) {
  const HashValue* hash = ReadHash(context, ReplyZero);
  if (hash == nullptr) return;
  context.reply.Integer(static_cast<int64_t>(hash->size()));
}

// ---------------------------------------------------------------------------------------
// HDEL

void HDel(CommandContext& context) {
  std::string_view key = context.arg(1);
  Table::Position position;
  Entry* entry = context.LookupWrite(key, &position);
  if (entry == nullptr) {
    context.reply.Integer(0);
    return;
  }
  if (RejectWrongType(context, entry, HashValue::kType)) return;
  // Nothing to delete: leave a shared hash shared instead of copying it for nothing.
  const HashValue* current = ObjectOf<HashValue>(entry);
  HashValue::Scratch scratch;
  bool any = false;
  for (size_t i = 2; i < context.argc() && !any; i++) {
    any = current->Get(context.arg(i), scratch, nullptr);
  }
  if (!any) {
    context.reply.Integer(0);
    return;
  }
  HashValue* hash = MutableObject<HashValue>(context, position);
  int64_t deleted = 0;
  for (size_t i = 2; i < context.argc(); i++) {
    if (hash->Delete(context.arg(i))) deleted++;
    if (hash->size() == 0) break;
  }
  context.KeyChanged(key, kNotifyHash, "hdel", static_cast<uint64_t>(deleted));
  if (hash->size() == 0) DeleteEmptied(context, position, key);
  context.reply.Integer(deleted);
}

// ---------------------------------------------------------------------------------------
// HKEYS HVALS HGETALL

void HKeys(CommandContext& context) {
  const HashValue* hash = ReadHash(context, ReplyEmptyArray);
  if (hash == nullptr) return;
  context.reply.ArrayHeader(hash->size());
  hash->ForEach([&](std::string_view field, std::string_view) { context.reply.Bulk(field); });
}

void HVals(CommandContext& context) {
  const HashValue* hash = ReadHash(context, ReplyEmptyArray);
  if (hash == nullptr) return;
  context.reply.ArrayHeader(hash->size());
  hash->ForEach([&](std::string_view, std::string_view value) { context.reply.Bulk(value); });
}

void HGetAll(CommandContext& context) {
  const HashValue* hash = ReadHash(context, ReplyEmptyMap);
  if (hash == nullptr) return;
  context.reply.MapHeader(hash->size());
  hash->ForEach([&](std::string_view field, std::string_view value) {
    context.reply.Bulk(field);
    context.reply.Bulk(value);
  });
}

// ---------------------------------------------------------------------------------------
// HINCRBY HINCRBYFLOAT
//
// Both parse the increment before looking at the key, as Redis does.

void HIncrBy(CommandContext& context) {
  std::optional<int64_t> increment = IntegerArg(context, 3);
  if (!increment) return;
  std::string_view key = context.arg(1);
  Table::Position position;
  Entry* entry = context.LookupWrite(key, &position);
  if (RejectWrongType(context, entry, HashValue::kType)) return;
  int64_t current = 0;
  HashValue::Scratch scratch;
  std::string_view text;
  if (entry != nullptr && ObjectOf<HashValue>(entry)->Get(context.arg(2), scratch, &text)) {
    std::optional<int64_t> parsed = ParseInt64(text);
    if (!parsed) {
      context.reply.Error("hash value is not an integer");
      return;
    }
    current = *parsed;
  }
  if ((*increment < 0 && current < 0 && *increment < LLONG_MIN - current) ||
      (*increment > 0 && current > 0 && *increment > LLONG_MAX - current)) {
    context.reply.Error(errors::kOverflow);
    return;
  }
  int64_t result = current + *increment;
  char digits[kInt64TextMax];
  size_t length = FormatInt64(result, digits);
  std::optional<WritableHash> target = WriteHash(context, entry, position);
  target->hash->Set(context.arg(2), std::string_view(digits, length), LimitsOf(context));
  Commit(context, *target);
  context.KeyChanged(key, kNotifyHash, "hincrby");
  context.reply.Integer(result);
}

void HIncrByFloat(CommandContext& context) {
  std::optional<long double> increment = ParseLongDouble(context.arg(3));
  if (!increment) {
    context.reply.Error(errors::kNotFloat);
    return;
  }
  if (std::isnan(*increment) || std::isinf(*increment)) {
    context.reply.Error("value is NaN or Infinity");
    return;
  }
  std::string_view key = context.arg(1);
  Table::Position position;
  Entry* entry = context.LookupWrite(key, &position);
  if (RejectWrongType(context, entry, HashValue::kType)) return;
  long double current = 0;
  HashValue::Scratch scratch;
  std::string_view text;
  if (entry != nullptr && ObjectOf<HashValue>(entry)->Get(context.arg(2), scratch, &text)) {
    std::optional<long double> parsed = ParseLongDouble(text);
    if (!parsed) {
      context.reply.Error("hash value is not a float");
      return;
    }
    current = *parsed;
  }
  long double result = current + *increment;
  if (std::isnan(result) || std::isinf(result)) {
    context.reply.Error("increment would produce NaN or Infinity");
    return;
  }
  std::string formatted = FormatLongDoubleHuman(result);
  std::optional<WritableHash> target = WriteHash(context, entry, position);
  target->hash->Set(context.arg(2), formatted, LimitsOf(context));
  Commit(context, *target);
  context.KeyChanged(key, kNotifyHash, "hincrbyfloat");
  context.reply.Bulk(formatted);
}

// ---------------------------------------------------------------------------------------
// HRANDFIELD

// splitmix64, as RANDOMKEY's: enough to spread picks, and repeatable in tests. Loop thread
// only.
uint64_t NextRandom() {
  static uint64_t state = 0x2545f4914f6cdd1d;
  state += 0x9e3779b97f4a7c15;
  uint64_t z = state;
  z = (z ^ (z >> 30)) * 0xbf58476d1ce4e5b9;
  z = (z ^ (z >> 27)) * 0x94d049bb133111eb;
  return z ^ (z >> 31);
}

// One pair of an HRANDFIELD reply: [field, value] in RESP3 with values, else flat.
void ReplyPair(CommandContext& context, std::string_view field, std::string_view value,
               bool with_values) {
  if (with_values && context.reply.resp3()) context.reply.ArrayHeader(2);
  context.reply.Bulk(field);
  if (with_values) context.reply.Bulk(value);
}

void ReplyPairsHeader(CommandContext& context, size_t count, bool with_values) {
  context.reply.ArrayHeader(with_values && !context.reply.resp3() ? count * 2 : count);
}

// The positions of a listpack hash's fields, for picking pairs by index.
std::vector<uint32_t> FieldPositions(const Listpack& listpack) {
  std::vector<uint32_t> positions;
  positions.reserve(listpack.size() / 2);
  for (uint32_t p = listpack.First(); p != Listpack::kNone; p = listpack.Next(listpack.Next(p))) {
    positions.push_back(p);
  }
  return positions;
}

void ReplyListpackPair(CommandContext& context, const Listpack& listpack, uint32_t position,
                       bool with_values) {
  HashValue::Scratch field_scratch;
  HashValue::Scratch value_scratch;
  std::string_view field = listpack.Get(position).Text(field_scratch);
  std::string_view value = listpack.Get(listpack.Next(position)).Text(value_scratch);
  ReplyPair(context, field, value, with_values);
}

// Negative counts (and 1): `count` independent picks, repeats allowed, in random order. The
// work and memory follow the reply, nothing else: one position per field of a listpack at
// most.
void ReplyRandomPicks(CommandContext& context, const HashValue& hash, uint64_t count,
                      bool with_values) {
  ReplyPairsHeader(context, count, with_values);
  if (hash.is_listpack()) {
    std::vector<uint32_t> positions = FieldPositions(hash.listpack());
    // The output-buffer limit may cut the reply short (the client is then closed).
    for (uint64_t i = 0; i < count && !context.reply.limit_exceeded(); i++) {
      uint32_t position = positions[NextRandom() % positions.size()];
      ReplyListpackPair(context, hash.listpack(), position, with_values);
    }
    return;
  }
  for (uint64_t i = 0; i < count && !context.reply.limit_exceeded(); i++) {
    FieldValue pair = hash.table().Random(NextRandom);
    ReplyPair(context, pair.field, pair.value, with_values);
  }
}

// Positive counts below the size: `count` distinct pairs. A listpack answers in its own
// order (as Redis), choosing by selection sampling in one walk; a hashtable picks at random
// and skips repeats while the count is small next to the size (Redis's CASE 4), and else
// samples in one walk too.
void ReplyDistinctPicks(CommandContext& context, const HashValue& hash, uint64_t count,
                        bool with_values) {
  uint64_t size = hash.size();
  ReplyPairsHeader(context, count, with_values);
  if (!hash.is_listpack() && count * 3 <= size) {
    std::unordered_set<const char*> seen;
    seen.reserve(count);
    while (seen.size() < count) {
      FieldValue pair = hash.table().Random(NextRandom);
      if (!seen.insert(pair.field.data()).second) continue;
      ReplyPair(context, pair.field, pair.value, with_values);
    }
    return;
  }
  uint64_t needed = count;
  uint64_t remaining = size;
  hash.ForEach([&](std::string_view field, std::string_view value) {
    if (needed > 0 && NextRandom() % remaining < needed) {
      ReplyPair(context, field, value, with_values);
      needed--;
    }
    remaining--;
  });
}

void RandFieldWithCount(CommandContext& context, int64_t requested, bool with_values) {
  const HashValue* hash = ReadHash(context, ReplyEmptyArray);
  if (hash == nullptr) return;
  bool distinct = requested >= 0;
  // |requested| <= LLONG_MAX: the parser refused LLONG_MIN.
  uint64_t count = distinct ? static_cast<uint64_t>(requested) : static_cast<uint64_t>(-requested);
  if (count == 0) {
    context.reply.EmptyArray();
    return;
  }
  if (!distinct || count == 1) {
    ReplyRandomPicks(context, *hash, count, with_values);
    return;
  }
  if (count >= hash->size()) {
    ReplyPairsHeader(context, hash->size(), with_values);
    hash->ForEach([&](std::string_view field, std::string_view value) {
      ReplyPair(context, field, value, with_values);
    });
    return;
  }
  ReplyDistinctPicks(context, *hash, count, with_values);
}

// HRANDFIELD key [count [WITHVALUES]]: the count is checked before the key, and with
// WITHVALUES it must leave room for doubling the reply (Redis: "value is out of range").
void HRandField(CommandContext& context) {
  if (context.argc() >= 3) {
    std::optional<int64_t> count = IntegerArg(context, 2);
    if (!count) return;
    if (*count == LLONG_MIN) {
      context.reply.Error(
          "value is out of range, value must between -9223372036854775807 and "
          "9223372036854775807");
      return;
    }
    bool with_values = context.argc() == 4;
    if (context.argc() > 4 || (with_values && !EqualsIgnoreCase(context.arg(3), "withvalues"))) {
      context.reply.Error(errors::kSyntax);
      return;
    }
    if (with_values && (*count < -LLONG_MAX / 2 || *count > LLONG_MAX / 2)) {
      context.reply.Error("value is out of range");
      return;
    }
    RandFieldWithCount(context, *count, with_values);
    return;
  }
  const HashValue* hash = ReadHash(context, ReplyNull);
  if (hash == nullptr) return;
  if (hash->is_listpack()) {
    const Listpack& listpack = hash->listpack();
    uint64_t index = NextRandom() % hash->size();
    ReplyListpackPair(context, listpack, listpack.Seek(static_cast<int64_t>(index * 2)), false);
    return;
  }
  context.reply.Bulk(hash->table().Random(NextRandom).field);
}

// ---------------------------------------------------------------------------------------
// HSCAN

void ReplyScanPage(CommandContext& context, uint64_t cursor, const std::vector<FieldValue>& pairs) {
  char digits[kInt64TextMax + 1];
  size_t length = FormatUint64(cursor, digits);
  context.reply.ArrayHeader(2);
  context.reply.Bulk(std::string_view(digits, length));
  context.reply.ArrayHeader(pairs.size() * 2);
  for (const FieldValue& pair : pairs) {
    context.reply.Bulk(pair.field);
    context.reply.Bulk(pair.value);
  }
}

// HSCAN key cursor [MATCH pattern] [COUNT count]. A listpack is returned whole with cursor
// 0, whatever the cursor; a hashtable is walked from the cursor until COUNT elements (a field
// and a value count as two, as in Redis) or COUNT * 10 bucket steps.
void HScan(CommandContext& context) {
  std::optional<uint64_t> cursor = ParseScanCursor(context.arg(2));
  if (!cursor) {
    context.reply.Error(errors::kInvalidCursor);
    return;
  }
  const HashValue* hash = ReadHash(context, ReplyEmptyScan);
  if (hash == nullptr) return;
  std::optional<ScanOptions> options = ParseScanOptions(context, 3, false);
  if (!options) return;
  auto matches = [&](std::string_view field) {
    return !options->pattern || GlobMatch(*options->pattern, field);
  };
  std::vector<FieldValue> pairs;
  if (hash->is_listpack()) {
    // Integers are formatted on the fly, so the page is written in two walks: count, emit.
    size_t matched = 0;
    hash->ForEach([&](std::string_view field, std::string_view) { matched += matches(field); });
    context.reply.ArrayHeader(2);
    context.reply.Bulk("0");
    context.reply.ArrayHeader(matched * 2);
    hash->ForEach([&](std::string_view field, std::string_view value) {
      if (!matches(field)) return;
      context.reply.Bulk(field);
      context.reply.Bulk(value);
    });
    return;
  }
  uint64_t elements_max = static_cast<uint64_t>(options->count);
  uint64_t steps_max = elements_max > UINT64_MAX / 10 ? UINT64_MAX : elements_max * 10;
  uint64_t next = *cursor;
  uint64_t steps = 0;
  do {
    next = hash->table().Scan(next, [&](std::string_view field, std::string_view value) {
      pairs.push_back({field, value});
    });
    steps++;
  } while (next != 0 && steps < steps_max && pairs.size() * 2 < elements_max);
  if (options->pattern) {
    pairs.erase(std::remove_if(pairs.begin(), pairs.end(),
                               [&](const FieldValue& pair) { return !matches(pair.field); }),
                pairs.end());
  }
  ReplyScanPage(context, next, pairs);
}

// clang-format off
constexpr CommandSpec kCommands[] = {
    {"hset", -4, kWrite | kDenyOom | kFast, 1, 1, 1, HSet, "hash", "2.0.0", "Creates or modifies the value of a field in a hash.", "O(1) for each field/value pair added, so O(N) to add N field/value pairs when the command is called with multiple field/value pairs.", "@write @hash @fast", "key field value [field value ...]"},
    {"hsetnx", 4, kWrite | kDenyOom | kFast, 1, 1, 1, HSetNx, "hash", "2.0.0", "Sets the value of a field in a hash only when the field doesn't exist.", "O(1)", "@write @hash @fast", "key field value"},
    {"hget", 3, kReadonly | kFast, 1, 1, 1, HGet, "hash", "2.0.0", "Returns the value of a field in a hash.", "O(1)", "@read @hash @fast", "key field"},
    {"hmget", -3, kReadonly | kFast, 1, 1, 1, HMGet, "hash", "2.0.0", "Returns the values of all fields in a hash.", "O(N) where N is the number of fields being requested.", "@read @hash @fast", "key field [field ...]"},
    {"hmset", -4, kWrite | kDenyOom | kFast, 1, 1, 1, HMSet, "hash", "2.0.0", "Sets the values of multiple fields.", "O(N) where N is the number of fields being set.", "@write @hash @fast", "key field value [field value ...]"},
    {"hdel", -3, kWrite | kFast, 1, 1, 1, HDel, "hash", "2.0.0", "Deletes one or more fields and their values from a hash. Deletes the hash if no fields remain.", "O(N) where N is the number of fields to be removed.", "@write @hash @fast", "key field [field ...]"},
    {"hexists", 3, kReadonly | kFast, 1, 1, 1, HExists, "hash", "2.0.0", "Determines whether a field exists in a hash.", "O(1)", "@read @hash @fast", "key field"},
    {"hlen", 2, kReadonly | kFast, 1, 1, 1, HLen, "hash", "2.0.0", "Returns the number of fields in a hash.", "O(1)", "@read @hash @fast", "key"},
    {"hstrlen", 3, kReadonly | kFast, 1, 1, 1, HStrLen, "hash", "3.2.0", "Returns the length of the value of a field.", "O(1)", "@read @hash @fast", "key field"},
    {"hkeys", 2, kReadonly, 1, 1, 1, HKeys, "hash", "2.0.0", "Returns all fields in a hash.", "O(N) where N is the size of the hash.", "@read @hash @slow", "key", {}, "nondeterministic_output_order"},
    {"hvals", 2, kReadonly, 1, 1, 1, HVals, "hash", "2.0.0", "Returns all values in a hash.", "O(N) where N is the size of the hash.", "@read @hash @slow", "key", {}, "nondeterministic_output_order"},
    {"hgetall", 2, kReadonly, 1, 1, 1, HGetAll, "hash", "2.0.0", "Returns all fields and values in a hash.", "O(N) where N is the size of the hash.", "@read @hash @slow", "key", {}, "nondeterministic_output_order"},
    {"hincrby", 4, kWrite | kDenyOom | kFast, 1, 1, 1, HIncrBy, "hash", "2.0.0", "Increments the integer value of a field in a hash by a number. Uses 0 as initial value if the field doesn't exist.", "O(1)", "@write @hash @fast", "key field increment"},
    {"hincrbyfloat", 4, kWrite | kDenyOom | kFast, 1, 1, 1, HIncrByFloat, "hash", "2.6.0", "Increments the floating point value of a field by a number. Uses 0 as initial value if the field doesn't exist.", "O(1)", "@write @hash @fast", "key field increment"},
    {"hrandfield", -2, kReadonly, 1, 1, 1, HRandField, "hash", "6.2.0", "Returns one or more random fields from a hash.", "O(N) where N is the number of fields returned", "@read @hash @slow", "key [count [WITHVALUES]]", {}, "nondeterministic_output"},
    {"hscan", -3, kReadonly, 1, 1, 1, HScan, "hash", "2.8.0", "Iterates over fields and values of a hash.", "O(1) for every call. O(N) for a complete iteration, including enough command calls for the cursor to return back to 0. N is the number of elements inside the collection.", "@read @hash @slow", "key cursor [MATCH pattern] [COUNT count]", {}, "nondeterministic_output"},
};
// clang-format on

}  // namespace

void RegisterHashCommands(CommandTable& table) { table.Register(kCommands); }

}  // namespace ringdb::commands
