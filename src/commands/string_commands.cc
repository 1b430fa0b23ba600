// String commands: Redis's string family (t_string.c) with its replies, errors, keyspace
// events and OBJECT ENCODING results.
//
// A string entry always holds the value's text; its encoding only names the form Redis
// would keep ("int", "embstr", "raw"), so GET, STRLEN and GETRANGE read the bytes as they
// are. Commands that rewrite part of a value (APPEND, SETRANGE, INCR...) edit the entry in
// place when no snapshot shares it and it has room, and otherwise replace it with a copy.
#include <algorithm>
#include <climits>
#include <cmath>
#include <cstring>
#include <string>
#include <vector>

#include "families.h"
#include "helpers.h"
#include "ringdb/base/memory.h"

namespace ringdb::commands {
namespace {

using store::Encoding;
using store::Entry;
using store::kNoExpire;
using store::Table;
using store::ValueType;

// SET's option flags (Redis's OBJ_SET_* / OBJ_EX ...).
enum SetFlag : uint32_t {
  kSetNx = 1u << 0,
  kSetXx = 1u << 1,
  kSetGet = 1u << 2,
  kKeepTtl = 1u << 3,
  kPersist = 1u << 4,
  kExpireEx = 1u << 5,
  kExpirePx = 1u << 6,
  kExpireExat = 1u << 7,
  kExpirePxat = 1u << 8,
};
constexpr uint32_t kAnyExpire = kExpireEx | kExpirePx | kExpireExat | kExpirePxat;

// sds keeps doubling a growing string up to this size, then grows it by this much.
constexpr size_t kGreedyGrowthBytesMax = 1024 * 1024;

enum class ExtendedFor { kSet, kGetEx };

struct ExtendedArgs {
  uint32_t flags = 0;
  std::string_view expire;
};

// Exactly `name` in any case, as Redis compares these options.
bool IsOption(std::string_view argument, std::string_view name) {
  return EqualsIgnoreCase(argument, name);
}

// Redis's parseExtendedStringArgumentsOrReply for SET (from argument 3) and GETEX (from 2).
std::optional<ExtendedArgs> ParseExtendedArgs(CommandContext& context, size_t first,
                                              ExtendedFor command) {
  ExtendedArgs parsed;
  uint32_t& flags = parsed.flags;
  bool for_set = command == ExtendedFor::kSet;
  for (size_t j = first; j < context.argc(); j++) {
    std::string_view option = context.arg(j);
    bool has_next = j + 1 < context.argc();
    if (IsOption(option, "nx") && !(flags & kSetXx) && for_set) {
      flags |= kSetNx;
    } else if (IsOption(option, "xx") && !(flags & kSetNx) && for_set) {
      flags |= kSetXx;
    } else if (IsOption(option, "get") && for_set) {
      flags |= kSetGet;
    } else if (IsOption(option, "keepttl") && !(flags & kPersist) && !(flags & kAnyExpire) &&
               for_set) {
      flags |= kKeepTtl;
    } else if (IsOption(option, "persist") && !for_set && !(flags & kAnyExpire) &&
               !(flags & kKeepTtl)) {
      flags |= kPersist;
    } else if (IsOption(option, "ex") && !(flags & (kKeepTtl | kPersist)) &&
               !(flags & (kExpireExat | kExpirePx | kExpirePxat)) && has_next) {
      flags |= kExpireEx;
      parsed.expire = context.arg(++j);
    } else if (IsOption(option, "px") && !(flags & (kKeepTtl | kPersist)) &&
               !(flags & (kExpireEx | kExpireExat | kExpirePxat)) && has_next) {
      flags |= kExpirePx;
      parsed.expire = context.arg(++j);
    } else if (IsOption(option, "exat") && !(flags & (kKeepTtl | kPersist)) &&
               !(flags & (kExpireEx | kExpirePx | kExpirePxat)) && has_next) {
      flags |= kExpireExat;
      parsed.expire = context.arg(++j);
    } else if (IsOption(option, "pxat") && !(flags & (kKeepTtl | kPersist)) &&
               !(flags & (kExpireEx | kExpireExat | kExpirePx)) && has_next) {
      flags |= kExpirePxat;
      parsed.expire = context.arg(++j);
    } else {
      context.reply.Error(errors::kSyntax);
      return std::nullopt;
    }
  }
  return parsed;
}

// The deadline an EX/PX/EXAT/PXAT flag asks for; kNoExpire when `flags` names none.
std::optional<int64_t> DeadlineFor(CommandContext& context, uint32_t flags,
                                   std::string_view expire) {
  if (!(flags & kAnyExpire)) return kNoExpire;
  bool seconds = (flags & (kExpireEx | kExpireExat)) != 0;
  bool relative = (flags & (kExpireEx | kExpirePx)) != 0;
  return ExpireDeadline(context, expire, seconds, relative);
}

// The capacity sds's greedy growth gives a string that must hold `length` bytes.
size_t GreedyCapacity(size_t length) {
  size_t capacity = length < kGreedyGrowthBytesMax ? length * 2 : length + kGreedyGrowthBytesMax;
  return std::min(capacity, store::kEntryBytesMax);
}

}  // namespace

// The error for a bad expire time, naming the command as Redis does.
std::string ExpireTimeError(const CommandContext& context) {
  return "invalid expire time in '" + context.command->full_name + "' command";
}

// Redis's getExpireMillisecondsOrReply: the absolute deadline in ms for EX/PX/EXAT/PXAT.
std::optional<int64_t> ExpireDeadline(CommandContext& context, std::string_view text, bool seconds,
                                      bool relative) {
  std::optional<int64_t> value = ParseInt64(text);
  if (!value) {
    context.reply.Error(errors::kNotInteger);
    return std::nullopt;
  }
  int64_t milliseconds = *value;
  if (milliseconds <= 0 || (seconds && milliseconds > LLONG_MAX / 1000)) {
    context.reply.Error(ExpireTimeError(context));
    return std::nullopt;
  }
  if (seconds) milliseconds *= 1000;
  if (relative) {
    if (milliseconds > LLONG_MAX - context.now_ms) {
      context.reply.Error(ExpireTimeError(context));
      return std::nullopt;
    }
    milliseconds += context.now_ms;
  }
  return milliseconds;
}

store::Entry* UnshareString(CommandContext& context, store::Table::Position position,
                            size_t length_min) {
  RINGDB_ASSERT(length_min <= store::kEntryBytesMax);
  Table& table = context.db().table();
  Entry* entry = table.PrepareInPlaceChange(position);
  RINGDB_DASSERT(entry->type() == ValueType::kString);
  if (!entry->shared() && entry->value_capacity() >= length_min) {
    entry->set_encoding(Encoding::kRaw);
    return entry;
  }
  // Like sds, a copy that does not grow is exact; one that grows gets room to grow more.
  size_t capacity =
      length_min > entry->value_length() ? GreedyCapacity(length_min) : entry->value_length();
  Entry* copy = Entry::New(entry->key(), entry->value(), ValueType::kString, Encoding::kRaw,
                           entry->expire_at_ms(), capacity);
  copy->set_lru(entry->lru());
  table.Replace(position, copy);  // Releases `entry`.
  return copy;
}

namespace {

// ---------------------------------------------------------------------------------------
// Shared steps.

// Replies with the string value of `key` (or null); false after replying WRONGTYPE.
// Redis's getGenericCommand.
bool ReplyStringValue(CommandContext& context, std::string_view key) {
  Entry* entry = context.LookupRead(key);
  if (entry == nullptr) {
    context.reply.Null();
    return true;
  }
  if (RejectNonString(context, entry)) return false;
  context.reply.Bulk(entry->value());
  return true;
}

// Redis's setKey: stores `value` under `key` whatever was there before (any type), with
// the encoding tryObjectEncoding would pick. `existing` and `position` come from
// LookupWrite; the caller sends the keyspace event.
void SetKey(CommandContext& context, std::string_view key, std::string_view value, int64_t deadline,
            Entry* existing, Table::Position position) {
  Entry* entry = NewStringEntry(context, key, value, EncodingFor(value), deadline);
  if (existing != nullptr) {
    context.db().table().Replace(position, entry);
  } else {
    AddEntry(context, entry, position.hash);
  }
}

// Redis's checkStringLength: may a string of `size` bytes grow by `growth` bytes? Replies
// the error when the result would pass proto-max-bulk-len (or what an entry can hold).
bool CheckStringLength(CommandContext& context, uint64_t size, uint64_t growth) {
  uint64_t limit = static_cast<uint64_t>(std::max<int64_t>(context.limits.proto_max_bulk_len, 0));
  limit = std::min<uint64_t>(limit, store::kEntryBytesMax);
  if (growth > limit || size > limit - growth) {
    context.reply.Error(errors::kStringTooLong);
    return false;
  }
  return true;
}

// Gives the entry at `position` a new deadline (kNoExpire: none), in place when possible.
void ChangeExpire(CommandContext& context, Table::Position position, int64_t deadline) {
  Table& table = context.db().table();
  Entry* entry = table.PrepareInPlaceChange(position);
  if (!entry->shared() && entry->has_expire() && deadline != kNoExpire) {
    entry->set_expire_at_ms(deadline);
    return;
  }
  table.Replace(position, Entry::CopyWithExpire(*entry, deadline));
}

// ---------------------------------------------------------------------------------------
// GET SET SETNX SETEX PSETEX GETSET GETDEL GETEX MGET MSET MSETNX

void Get(CommandContext& context) { ReplyStringValue(context, context.arg(1)); }

// What SET-like commands reply: SET/SETEX/PSETEX "+OK" or null, SETNX 1 or 0.
enum class SetReplies { kOkOrNull, kOneOrZero };

// Redis's setGenericCommand, behind SET, SETNX, SETEX and PSETEX.
void SetGeneric(CommandContext& context, uint32_t flags, std::string_view key,
                std::string_view value, std::string_view expire, SetReplies replies) {
  std::optional<int64_t> deadline = DeadlineFor(context, flags, expire);
  if (!deadline) return;
  if ((flags & kSetGet) && !ReplyStringValue(context, key)) return;
  Table::Position position;
  Entry* existing = context.LookupWrite(key, &position);
  if (((flags & kSetNx) && existing != nullptr) || ((flags & kSetXx) && existing == nullptr)) {
    if (flags & kSetGet) return;
    if (replies == SetReplies::kOneOrZero) {
      context.reply.Integer(0);
    } else {
      context.reply.Null();
    }
    return;
  }
  if ((flags & kKeepTtl) && existing != nullptr) *deadline = existing->expire_at_ms();
  SetKey(context, key, value, *deadline, existing, position);
  context.KeyChanged(key, kNotifyString, "set");
  if (flags & kAnyExpire) context.Notify(kNotifyGeneric, "expire", key);
  if (flags & kSetGet) return;
  if (replies == SetReplies::kOneOrZero) {
    context.reply.Integer(1);
  } else {
    context.reply.Ok();
  }
}

void Set(CommandContext& context) {
  std::optional<ExtendedArgs> parsed = ParseExtendedArgs(context, 3, ExtendedFor::kSet);
  if (!parsed) return;
  SetGeneric(context, parsed->flags, context.arg(1), context.arg(2), parsed->expire,
             SetReplies::kOkOrNull);
}

void SetNx(CommandContext& context) {
  SetGeneric(context, kSetNx, context.arg(1), context.arg(2), {}, SetReplies::kOneOrZero);
}

void SetEx(CommandContext& context) {
  SetGeneric(context, kExpireEx, context.arg(1), context.arg(3), context.arg(2),
             SetReplies::kOkOrNull);
}

void PSetEx(CommandContext& context) {
  SetGeneric(context, kExpirePx, context.arg(1), context.arg(3), context.arg(2),
             SetReplies::kOkOrNull);
}

void GetSet(CommandContext& context) {
  std::string_view key = context.arg(1);
  if (!ReplyStringValue(context, key)) return;
  Table::Position position;
  Entry* existing = context.LookupWrite(key, &position);
  SetKey(context, key, context.arg(2), kNoExpire, existing, position);
  context.KeyChanged(key, kNotifyString, "set");
}

void GetDel(CommandContext& context) {
  std::string_view key = context.arg(1);
  Table::Position position;
  Entry* entry = context.LookupRead(key, &position);
  if (entry == nullptr) {
    context.reply.Null();
    return;
  }
  if (RejectNonString(context, entry)) return;
  context.reply.Bulk(entry->value());
  context.db().table().Remove(position);
  context.KeyChanged(key, kNotifyGeneric, "del");
}

// GETEX checks the expire value only once it knows the key holds a string, and replies
// the value before changing the key: an EXAT/PXAT deadline already past deletes it.
void GetEx(CommandContext& context) {
  std::optional<ExtendedArgs> parsed = ParseExtendedArgs(context, 2, ExtendedFor::kGetEx);
  if (!parsed) return;
  uint32_t flags = parsed->flags;
  std::string_view key = context.arg(1);
  Table::Position position;
  Entry* entry = context.LookupRead(key, &position);
  if (entry == nullptr) {
    context.reply.Null();
    return;
  }
  if (RejectNonString(context, entry)) return;
  std::optional<int64_t> deadline = DeadlineFor(context, flags, parsed->expire);
  if (!deadline) return;
  context.reply.Bulk(entry->value());
  if ((flags & (kExpireExat | kExpirePxat)) && *deadline <= context.now_ms) {
    context.db().table().Remove(position);
    context.KeyChanged(key, kNotifyGeneric, "del");
  } else if (flags & kAnyExpire) {
    ChangeExpire(context, position, *deadline);
    context.KeyChanged(key, kNotifyGeneric, "expire");
  } else if ((flags & kPersist) && entry->has_expire()) {
    ChangeExpire(context, position, kNoExpire);
    context.KeyChanged(key, kNotifyGeneric, "persist");
  }
}

void MGet(CommandContext& context) {
  context.reply.ArrayHeader(context.argc() - 1);
  for (size_t i = 1; i < context.argc(); i++) {
    Entry* entry = context.LookupRead(context.arg(i));
    if (entry == nullptr || entry->type() != ValueType::kString) {
      context.reply.Null();
    } else {
      context.reply.Bulk(entry->value());
    }
  }
}

// MSET and MSETNX (`only_new`: set nothing unless every key is absent).
void MSetGeneric(CommandContext& context, bool only_new) {
  if (context.argc() % 2 == 0) {
    context.reply.Error(CommandTable::ArityError(*context.command));
    return;
  }
  if (only_new) {
    for (size_t i = 1; i < context.argc(); i += 2) {
      if (context.LookupWrite(context.arg(i)) != nullptr) {
        context.reply.Integer(0);
        return;
      }
    }
  }
  for (size_t i = 1; i < context.argc(); i += 2) {
    std::string_view key = context.arg(i);
    Table::Position position;
    Entry* existing = context.LookupWrite(key, &position);
    SetKey(context, key, context.arg(i + 1), kNoExpire, existing, position);
    context.KeyChanged(key, kNotifyString, "set");
  }
  if (only_new) {
    context.reply.Integer(1);
  } else {
    context.reply.Ok();
  }
}

void MSet(CommandContext& context) { MSetGeneric(context, false); }
void MSetNx(CommandContext& context) { MSetGeneric(context, true); }

// ---------------------------------------------------------------------------------------
// APPEND STRLEN GETRANGE SUBSTR SETRANGE

void Append(CommandContext& context) {
  std::string_view key = context.arg(1);
  std::string_view suffix = context.arg(2);
  Table::Position position;
  Entry* entry = context.LookupWrite(key, &position);
  if (entry == nullptr) {
    AddEntry(context, NewStringEntry(context, key, suffix, EncodingFor(suffix), kNoExpire));
    context.KeyChanged(key, kNotifyString, "append");
    context.reply.Integer(static_cast<int64_t>(suffix.size()));
    return;
  }
  if (RejectNonString(context, entry)) return;
  size_t length = entry->value_length();
  if (!CheckStringLength(context, length, suffix.size())) return;
  entry = UnshareString(context, position, length + suffix.size());
  if (!suffix.empty()) std::memcpy(entry->mutable_value() + length, suffix.data(), suffix.size());
  entry->set_value_length(length + suffix.size());
  context.KeyChanged(key, kNotifyString, "append");
  context.reply.Integer(static_cast<int64_t>(length + suffix.size()));
}

void StrLen(CommandContext& context) {
  Entry* entry = context.LookupRead(context.arg(1));
  if (RejectNonString(context, entry)) return;
  context.reply.Integer(entry == nullptr ? 0 : static_cast<int64_t>(entry->value_length()));
}

// The bytes GETRANGE returns for inclusive offsets `start` and `end` (negative ones count
// from the end), clamped to the text as Redis clamps them.
std::string_view TextRange(std::string_view text, int64_t start, int64_t end) {
  if (start < 0 && end < 0 && start > end) return {};
  int64_t length = static_cast<int64_t>(text.size());
  if (start < 0) start += length;
  if (end < 0) end += length;
  start = std::max<int64_t>(start, 0);
  end = std::max<int64_t>(end, 0);
  if (end >= length) end = length - 1;
  if (start > end || length == 0) return {};
  return text.substr(static_cast<size_t>(start), static_cast<size_t>(end - start + 1));
}

void GetRange(CommandContext& context) {
  std::optional<int64_t> start = IntegerArg(context, 2);
  if (!start) return;
  std::optional<int64_t> end = IntegerArg(context, 3);
  if (!end) return;
  Entry* entry = context.LookupRead(context.arg(1));
  if (entry == nullptr) {
    context.reply.Bulk({});
    return;
  }
  if (RejectNonString(context, entry)) return;
  context.reply.Bulk(TextRange(entry->value(), *start, *end));
}

// A new key written by SETRANGE: `offset` zero bytes, then `patch`.
Entry* NewPatchedEntry(CommandContext& context, std::string_view key, size_t offset,
                       std::string_view patch) {
  size_t length = offset + patch.size();
  Entry* entry = NewStringEntry(context, key, {}, Encoding::kRaw, kNoExpire, length);
  char* bytes = entry->mutable_value();
  std::memset(bytes, 0, offset);
  std::memcpy(bytes + offset, patch.data(), patch.size());
  entry->set_value_length(length);
  return entry;
}

void SetRange(CommandContext& context) {
  std::string_view key = context.arg(1);
  std::string_view patch = context.arg(3);
  std::optional<int64_t> offset_arg = IntegerArg(context, 2);
  if (!offset_arg) return;
  if (*offset_arg < 0) {
    context.reply.Error(errors::kOffsetOutOfRange);
    return;
  }
  size_t offset = static_cast<size_t>(*offset_arg);
  Table::Position position;
  Entry* entry = context.LookupWrite(key, &position);
  if (entry == nullptr) {
    // Writing nothing to a missing key creates nothing.
    if (patch.empty()) {
      context.reply.Integer(0);
      return;
    }
    if (!CheckStringLength(context, offset, patch.size())) return;
    AddEntry(context, NewPatchedEntry(context, key, offset, patch));
    context.KeyChanged(key, kNotifyString, "setrange");
    context.reply.Integer(static_cast<int64_t>(offset + patch.size()));
    return;
  }
  if (RejectNonString(context, entry)) return;
  size_t old_length = entry->value_length();
  if (patch.empty()) {
    context.reply.Integer(static_cast<int64_t>(old_length));
    return;
  }
  if (!CheckStringLength(context, offset, patch.size())) return;
  size_t length = std::max(old_length, offset + patch.size());
  entry = UnshareString(context, position, length);
  char* bytes = entry->mutable_value();
  if (offset > old_length) std::memset(bytes + old_length, 0, offset - old_length);
  std::memcpy(bytes + offset, patch.data(), patch.size());
  entry->set_value_length(length);
  context.KeyChanged(key, kNotifyString, "setrange");
  context.reply.Integer(static_cast<int64_t>(length));
}

// ---------------------------------------------------------------------------------------
// INCR DECR INCRBY DECRBY INCRBYFLOAT

// Stores a counter's new text (encoded "int"), keeping the key's expiry. A counter is
// rewritten in place whenever it fits, so INCR on an unshared key allocates nothing; a
// copy gets room for any int64 so it does not have to move again.
void StoreCounter(CommandContext& context, std::string_view key, Entry* entry,
                  Table::Position position, std::string_view text) {
  if (entry == nullptr) {
    AddEntry(context, NewStringEntry(context, key, text, Encoding::kInt, kNoExpire), position.hash);
    return;
  }
  Table& table = context.db().table();
  entry = table.PrepareInPlaceChange(position);
  if (!entry->shared() && entry->value_capacity() >= text.size()) {
    std::memcpy(entry->mutable_value(), text.data(), text.size());
    entry->set_value_length(text.size());
    entry->set_encoding(Encoding::kInt);
    // Redis keeps a counter's object only outside 0..9999; inside, the key gets the shared
    // integer again, whatever COPY did before.
    entry->clear_unshared_integer();
    return;
  }
  table.Replace(position, NewStringEntry(context, key, text, Encoding::kInt, entry->expire_at_ms(),
                                         kInt64TextMax));
}

// Redis's incrDecrCommand: adds `increment` to the integer at argument 1 (0 when absent).
void IncrementBy(CommandContext& context, int64_t increment) {
  std::string_view key = context.arg(1);
  Table::Position position;
  Entry* entry = context.LookupWrite(key, &position);
  if (RejectNonString(context, entry)) return;
  int64_t current = 0;
  if (entry != nullptr) {
    std::optional<int64_t> parsed = ParseInt64(entry->value());
    if (!parsed) {
      context.reply.Error(errors::kNotInteger);
      return;
    }
    current = *parsed;
  }
  if ((increment < 0 && current < 0 && increment < LLONG_MIN - current) ||
      (increment > 0 && current > 0 && increment > LLONG_MAX - current)) {
    context.reply.Error(errors::kOverflow);
    return;
  }
  int64_t result = current + increment;
  char text[kInt64TextMax];
  size_t length = FormatInt64(result, text);
  StoreCounter(context, key, entry, position, std::string_view(text, length));
  context.KeyChanged(key, kNotifyString, "incrby");
  context.reply.Integer(result);
}

void Incr(CommandContext& context) { IncrementBy(context, 1); }
void Decr(CommandContext& context) { IncrementBy(context, -1); }

void IncrBy(CommandContext& context) {
  std::optional<int64_t> increment = IntegerArg(context, 2);
  if (!increment) return;
  IncrementBy(context, *increment);
}

void DecrBy(CommandContext& context) {
  std::optional<int64_t> decrement = IntegerArg(context, 2);
  if (!decrement) return;
  // Its negation does not fit in an int64.
  if (*decrement == LLONG_MIN) {
    context.reply.Error("decrement would overflow");
    return;
  }
  IncrementBy(context, -*decrement);
}

// Unlike INCRBY, INCRBYFLOAT checks the key's type and value before its argument.
void IncrByFloat(CommandContext& context) {
  std::string_view key = context.arg(1);
  Table::Position position;
  Entry* entry = context.LookupWrite(key, &position);
  if (RejectNonString(context, entry)) return;
  long double current = 0;
  if (entry != nullptr) {
    std::optional<long double> parsed = ParseLongDouble(entry->value());
    if (!parsed) {
      context.reply.Error(errors::kNotFloat);
      return;
    }
    current = *parsed;
  }
  std::optional<long double> increment = ParseLongDouble(context.arg(2));
  if (!increment) {
    context.reply.Error(errors::kNotFloat);
    return;
  }
  long double result = current + *increment;
  if (std::isnan(result) || std::isinf(result)) {
    context.reply.Error("increment would produce NaN or Infinity");
    return;
  }
  // Redis keeps the text as a plain string: never "int", even for "3".
  std::string text = FormatLongDoubleHuman(result);
  if (entry != nullptr) {
    context.db().table().Replace(
        position,
        NewStringEntry(context, key, text, EncodingWithoutInt(text), entry->expire_at_ms()));
  } else {
    AddEntry(context, NewStringEntry(context, key, text, EncodingWithoutInt(text), kNoExpire));
  }
  context.KeyChanged(key, kNotifyString, "incrbyfloat");
  context.reply.Bulk(text);
}

// ---------------------------------------------------------------------------------------
// LCS

struct LcsOptions {
  bool want_length = false;
  bool want_indexes = false;
  bool with_match_length = false;
  int64_t match_length_min = 0;
};

std::optional<LcsOptions> ParseLcsOptions(CommandContext& context) {
  LcsOptions options;
  for (size_t j = 3; j < context.argc(); j++) {
    std::string_view option = context.arg(j);
    bool has_next = j + 1 < context.argc();
    if (IsOption(option, "idx")) {
      options.want_indexes = true;
    } else if (IsOption(option, "len")) {
      options.want_length = true;
    } else if (IsOption(option, "withmatchlen")) {
      options.with_match_length = true;
    } else if (IsOption(option, "minmatchlen") && has_next) {
      std::optional<int64_t> minimum = IntegerArg(context, ++j);
      if (!minimum) return std::nullopt;
      options.match_length_min = std::max<int64_t>(*minimum, 0);
    } else {
      context.reply.Error(errors::kSyntax);
      return std::nullopt;
    }
  }
  if (options.want_length && options.want_indexes) {
    context.reply.Error("If you want both the length and indexes, please just use IDX.");
    return std::nullopt;
  }
  return options;
}

// The dynamic-programming table of the longest common subsequence of `a` and `b`: cell
// (i, j) holds the LCS length of a[0, i) and b[0, j). It takes (|a|+1) * (|b|+1) cells of
// four bytes, which the caller bounds beforehand.
class LcsTable {
 public:
  LcsTable(std::string_view a, std::string_view b)
      : a_(a),
        b_(b),
        width_(b.size() + 1),
        cells_(static_cast<uint32_t*>(Allocate((a.size() + 1) * width_ * sizeof(uint32_t)))) {
    for (size_t i = 0; i <= a_.size(); i++) {
      for (size_t j = 0; j <= b_.size(); j++) {
        if (i == 0 || j == 0) {
          cell(i, j) = 0;
        } else if (a_[i - 1] == b_[j - 1]) {
          cell(i, j) = cell(i - 1, j - 1) + 1;
        } else {
          cell(i, j) = std::max(cell(i - 1, j), cell(i, j - 1));
        }
      }
    }
  }
  ~LcsTable() { Deallocate(cells_); }
  LcsTable(const LcsTable&) = delete;
  LcsTable& operator=(const LcsTable&) = delete;

  uint32_t at(size_t i, size_t j) const { return cells_[i * width_ + j]; }
  uint32_t length() const { return at(a_.size(), b_.size()); }

 private:
  uint32_t& cell(size_t i, size_t j) { return cells_[i * width_ + j]; }

  std::string_view a_;
  std::string_view b_;
  size_t width_;
  uint32_t* cells_;
};

// One run of consecutive matching bytes: a[a_start, a_end] equals b[b_start, b_end].
struct LcsMatch {
  uint32_t a_start;
  uint32_t a_end;
  uint32_t b_start;
  uint32_t b_end;
  uint32_t length() const { return a_end - a_start + 1; }
};

struct LcsResult {
  std::string text;
  std::vector<LcsMatch> matches;  // From the end of the strings backwards, as Redis emits them.
};

// Walks the table back from its last cell as Redis does (on a tie it steps back in `b`),
// spelling the LCS and, when `collect_matches`, collecting its runs of at least
// `match_length_min` bytes.
LcsResult TraceLcs(const LcsTable& table, std::string_view a, std::string_view b,
                   bool collect_matches, int64_t match_length_min) {
  LcsResult result;
  result.text.resize(table.length());
  size_t remaining = table.length();
  size_t i = a.size();
  size_t j = b.size();
  std::optional<LcsMatch> run;
  while (i > 0 && j > 0) {
    bool run_ends = false;
    if (a[i - 1] == b[j - 1]) {
      result.text[--remaining] = a[i - 1];
      if (!run) {
        run = LcsMatch{static_cast<uint32_t>(i - 1), static_cast<uint32_t>(i - 1),
                       static_cast<uint32_t>(j - 1), static_cast<uint32_t>(j - 1)};
      } else {
        // A match always continues the run: any step that is not a match ends it.
        RINGDB_DASSERT(run->a_start == i && run->b_start == j);
        run->a_start--;
        run->b_start--;
      }
      run_ends = run->a_start == 0 || run->b_start == 0;
      i--;
      j--;
    } else {
      if (table.at(i - 1, j) > table.at(i, j - 1)) {
        i--;
      } else {
        j--;
      }
      run_ends = run.has_value();
    }
    if (run_ends) {
      if (collect_matches && run->length() >= match_length_min) {
        result.matches.push_back(*run);
      }
      run.reset();
    }
  }
  return result;
}

// IDX's reply: {"matches": [[[a_start, a_end], [b_start, b_end] (, length)] ...], "len": n}.
void ReplyLcsIndexes(CommandContext& context, const LcsResult& result, uint32_t length,
                     bool with_match_length) {
  resp::ReplyBuilder& reply = context.reply;
  reply.MapHeader(2);
  reply.Bulk("matches");
  reply.ArrayHeader(result.matches.size());
  for (const LcsMatch& match : result.matches) {
    reply.ArrayHeader(with_match_length ? 3 : 2);
    reply.ArrayHeader(2);
    reply.Integer(match.a_start);
    reply.Integer(match.a_end);
    reply.ArrayHeader(2);
    reply.Integer(match.b_start);
    reply.Integer(match.b_end);
    if (with_match_length) reply.Integer(match.length());
  }
  reply.Bulk("len");
  reply.Integer(length);
}

// Rejects strings whose LCS table Redis would not build: lengths near 2^32, or a table
// (transient memory on the loop) larger than proto-max-bulk-len.
bool CheckLcsSize(CommandContext& context, std::string_view a, std::string_view b) {
  if (a.size() >= UINT32_MAX - 1 || b.size() >= UINT32_MAX - 1) {
    context.reply.Error("String too long for LCS");
    return false;
  }
  // Both factors are below 2^32, so the product of cells fits in 64 bits; the bytes may not.
  uint64_t cells = (static_cast<uint64_t>(a.size()) + 1) * (static_cast<uint64_t>(b.size()) + 1);
  if (cells > UINT64_MAX / sizeof(uint32_t) ||
      cells * sizeof(uint32_t) > static_cast<uint64_t>(context.limits.proto_max_bulk_len)) {
    context.reply.Error("Insufficient memory, transient memory for LCS exceeds proto-max-bulk-len");
    return false;
  }
  return true;
}

void Lcs(CommandContext& context) {
  Entry* first = context.LookupRead(context.arg(1));
  Entry* second = context.LookupRead(context.arg(2));
  if ((first != nullptr && first->type() != ValueType::kString) ||
      (second != nullptr && second->type() != ValueType::kString)) {
    context.reply.Error("The specified keys must contain string values");
    return;
  }
  std::string_view a = first != nullptr ? first->value() : std::string_view();
  std::string_view b = second != nullptr ? second->value() : std::string_view();
  std::optional<LcsOptions> options = ParseLcsOptions(context);
  if (!options) return;
  if (!CheckLcsSize(context, a, b)) return;
  LcsTable table(a, b);
  if (options->want_length) {
    context.reply.Integer(table.length());
    return;
  }
  LcsResult result = TraceLcs(table, a, b, options->want_indexes, options->match_length_min);
  if (options->want_indexes) {
    ReplyLcsIndexes(context, result, table.length(), options->with_match_length);
  } else {
    context.reply.Bulk(result.text);
  }
}

// ---------------------------------------------------------------------------------------
// The table, with Redis 7.2's src/commands/*.json values.

constexpr const char kGetRangeComplexity[] =
    "O(N) where N is the length of the returned string. The complexity is ultimately "
    "determined by the returned length, but because creating a substring from an existing "
    "string is very cheap, it can be considered O(1) for small strings.";

// clang-format off
constexpr CommandSpec kCommands[] = {
    {"append", 3, kWrite | kDenyOom | kFast, 1, 1, 1, Append, "string", "2.0.0", "Appends a string to the value of a key. Creates the key if it doesn't exist.", "O(1). The amortized time complexity is O(1) assuming the appended value is small and the already present value is of any size, since the dynamic string library used by Redis will double the free space available on every reallocation.", "@write @string @fast", "key value"},
    {"decr", 2, kWrite | kDenyOom | kFast, 1, 1, 1, Decr, "string", "1.0.0", "Decrements the integer value of a key by one. Uses 0 as initial value if the key doesn't exist.", "O(1)", "@write @string @fast", "key"},
    {"decrby", 3, kWrite | kDenyOom | kFast, 1, 1, 1, DecrBy, "string", "1.0.0", "Decrements a number from the integer value of a key. Uses 0 as initial value if the key doesn't exist.", "O(1)", "@write @string @fast", "key decrement"},
    {"get", 2, kReadonly | kFast, 1, 1, 1, Get, "string", "1.0.0", "Returns the string value of a key.", "O(1)", "@read @string @fast", "key"},
    {"getdel", 2, kWrite | kFast, 1, 1, 1, GetDel, "string", "6.2.0", "Returns the string value of a key after deleting the key.", "O(1)", "@write @string @fast", "key"},
    {"getex", -2, kWrite | kFast, 1, 1, 1, GetEx, "string", "6.2.0", "Returns the string value of a key after setting its expiration time.", "O(1)", "@write @string @fast", "key [EX seconds | PX milliseconds | EXAT unix-time-seconds | PXAT unix-time-milliseconds | PERSIST]"},
    {"getrange", 4, kReadonly, 1, 1, 1, GetRange, "string", "2.4.0", "Returns a substring of the string stored at a key.", kGetRangeComplexity, "@read @string @slow", "key start end"},
    {"getset", 3, kWrite | kDenyOom | kFast, 1, 1, 1, GetSet, "string", "1.0.0", "Returns the previous string value of a key after setting it to a new value.", "O(1)", "@write @string @fast", "key value"},
    {"incr", 2, kWrite | kDenyOom | kFast, 1, 1, 1, Incr, "string", "1.0.0", "Increments the integer value of a key by one. Uses 0 as initial value if the key doesn't exist.", "O(1)", "@write @string @fast", "key"},
    {"incrby", 3, kWrite | kDenyOom | kFast, 1, 1, 1, IncrBy, "string", "1.0.0", "Increments the integer value of a key by a number. Uses 0 as initial value if the key doesn't exist.", "O(1)", "@write @string @fast", "key increment"},
    {"incrbyfloat", 3, kWrite | kDenyOom | kFast, 1, 1, 1, IncrByFloat, "string", "2.6.0", "Increment the floating point value of a key by a number. Uses 0 as initial value if the key doesn't exist.", "O(1)", "@write @string @fast", "key increment"},
    {"lcs", -3, kReadonly, 1, 2, 1, Lcs, "string", "7.0.0", "Finds the longest common substring.", "O(N*M) where N and M are the lengths of s1 and s2, respectively", "@read @string @slow", "key1 key2 [LEN] [IDX] [MINMATCHLEN min-match-len] [WITHMATCHLEN]"},
    {"mget", -2, kReadonly | kFast, 1, -1, 1, MGet, "string", "1.0.0", "Atomically returns the string values of one or more keys.", "O(N) where N is the number of keys to retrieve.", "@read @string @fast", "key [key ...]", {}, "request_policy:multi_shard"},
    {"mset", -3, kWrite | kDenyOom, 1, -1, 2, MSet, "string", "1.0.1", "Atomically creates or modifies the string values of one or more keys.", "O(N) where N is the number of keys to set.", "@write @string @slow", "key value [key value ...]", {}, "request_policy:multi_shard response_policy:all_succeeded"},
    {"msetnx", -3, kWrite | kDenyOom, 1, -1, 2, MSetNx, "string", "1.0.1", "Atomically modifies the string values of one or more keys only when all keys don't exist.", "O(N) where N is the number of keys to set.", "@write @string @slow", "key value [key value ...]"},
    {"psetex", 4, kWrite | kDenyOom, 1, 1, 1, PSetEx, "string", "2.6.0", "Sets both string value and expiration time in milliseconds of a key. The key is created if it doesn't exist.", "O(1)", "@write @string @slow", "key milliseconds value"},
    {"set", -3, kWrite | kDenyOom, 1, 1, 1, Set, "string", "1.0.0", "Sets the string value of a key, ignoring its type. The key is created if it doesn't exist.", "O(1)", "@write @string @slow", "key value [NX | XX] [GET] [EX seconds | PX milliseconds | EXAT unix-time-seconds | PXAT unix-time-milliseconds | KEEPTTL]"},
    {"setex", 4, kWrite | kDenyOom, 1, 1, 1, SetEx, "string", "2.0.0", "Sets the string value and expiration time of a key. Creates the key if it doesn't exist.", "O(1)", "@write @string @slow", "key seconds value"},
    {"setnx", 3, kWrite | kDenyOom | kFast, 1, 1, 1, SetNx, "string", "1.0.0", "Set the string value of a key only when the key doesn't exist.", "O(1)", "@write @string @fast", "key value"},
    {"setrange", 4, kWrite | kDenyOom, 1, 1, 1, SetRange, "string", "2.2.0", "Overwrites a part of a string value with another by an offset. Creates the key if it doesn't exist.", "O(1), not counting the time taken to copy the new string in place. Usually, this string is very small so the amortized complexity is O(1). Otherwise, complexity is O(M) with M being the length of the value argument.", "@write @string @slow", "key offset value"},
    {"strlen", 2, kReadonly | kFast, 1, 1, 1, StrLen, "string", "2.2.0", "Returns the length of a string value.", "O(1)", "@read @string @fast", "key"},
    {"substr", 4, kReadonly, 1, 1, 1, GetRange, "string", "1.0.0", "Returns a substring from a string value.", kGetRangeComplexity, "@read @string @slow", "key start end"},
};
// clang-format on

}  // namespace

void RegisterStringCommands(CommandTable& table) { table.Register(kCommands); }

}  // namespace ringdb::commands
