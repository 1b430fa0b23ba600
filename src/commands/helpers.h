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
#include "ringdb/commands/help.h"
#include "ringdb/store/entry.h"
#include "ringdb/store/object.h"

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

// Replies WRONGTYPE and returns true when `entry` exists and holds another type than `type`.
inline bool RejectWrongType(CommandContext& context, const store::Entry* entry,
                            store::ValueType type) {
  if (entry != nullptr && entry->type() != type) {
    context.reply.Error(errors::kWrongType);
    return true;
  }
  return false;
}

// The value object of a live entry of the type T describes (T::kType). REQUIRES: the type.
template <typename T>
T* ObjectOf(const store::Entry* entry) {
  RINGDB_DASSERT(entry->type() == T::kType);
  return static_cast<T*>(entry->object());
}

// The object of the entry at `position`, ready to be changed in place: when a snapshot or
// another key (COPY) shares the entry or its object, they are copied first and the copy
// replaces the entry in the table, so nobody else sees the change. The page's observer is
// told before anything changes. `position` stays valid.
// REQUIRES: `position` holds a live entry whose type is T::kType.
store::Object* UnshareObject(CommandContext& context, store::Table::Position position);
template <typename T>
T* MutableObject(CommandContext& context, store::Table::Position position) {
  store::Object* object = UnshareObject(context, position);
  RINGDB_DASSERT(object->type() == T::kType);
  return static_cast<T*>(object);
}

// Adds a new key holding `object` (taking the caller's reference) to the current database,
// stamped with the LRU clock, and sends the "new" event. `hash`: the key's hash from the
// failed lookup (Position::hash). REQUIRES: the key is absent.
void AddObject(CommandContext& context, std::string_view key, store::Object* object, uint64_t hash);

// Deletes the key at `position` of the current database (a collection that became empty) and
// sends the "del" event, as Redis does when the last element goes.
void DeleteEmptied(CommandContext& context, store::Table::Position position, std::string_view key);

// Redis's getTimeoutFromObjectOrReply: a blocking command's timeout argument, in seconds
// (a float: BLPOP) or milliseconds (an integer: XREAD BLOCK), as an absolute deadline in Unix
// ms; 0 means no deadline. Replies Redis's error and returns nullopt when it is not a number,
// negative, or out of range.
std::optional<int64_t> BlockDeadline(CommandContext& context, std::string_view text, bool seconds);

// Redis's parseScanCursorOrReply, which reads the cursor with strtoul: an optional sign and
// decimal digits, a '-' negating modulo 2^64, the empty text as 0, and anything after a NUL
// ignored (strtoul sees a C string). Refuses a leading space, other trailing bytes and values
// past 2^64 - 1 (nullopt; the caller replies errors::kInvalidCursor).
std::optional<uint64_t> ParseScanCursor(std::string_view text);

struct ScanOptions {
  int64_t count = 10;
  std::optional<std::string_view> pattern;  // Unset when absent or "*".
  std::optional<std::string_view> type;     // SCAN's TYPE; unset when absent.
};

// scanGenericCommand's option loop over the arguments from `first` on: COUNT (at least 1),
// MATCH and, for the keyspace SCAN only (`allow_type`), TYPE, in any order, the last of each
// winning. Replies the first bad option's error and returns nullopt.
std::optional<ScanOptions> ParseScanOptions(CommandContext& context, size_t first, bool allow_type);

// A new string entry stamped with the current LRU clock, as Redis stamps every new object.
inline store::Entry* NewStringEntry(CommandContext& context, std::string_view key,
                                    std::string_view value, store::Encoding encoding,
                                    int64_t expire_at_ms, size_t value_capacity = 0) {
  store::Entry* entry = store::Entry::New(key, value, store::ValueType::kString, encoding,
                                          expire_at_ms, value_capacity);
  entry->set_lru(context.lru_clock());
  return entry;
}

// Redis's dbAdd: inserts `entry` (taking its reference) for a key the current database does
// not hold, and sends the "new" keyspace event. REQUIRES: the key is absent.
inline void AddEntry(CommandContext& context, store::Entry* entry) {
  context.db().table().Insert(entry);
  context.Notify(kNotifyNew, "new", entry->key());
}
// The same, with the key's hash from a lookup of this key in the current database (the
// Position a LookupWrite miss filled), sparing a second hash.
inline void AddEntry(CommandContext& context, store::Entry* entry, uint64_t hash) {
  context.db().table().Insert(entry, hash);
  context.Notify(kNotifyNew, "new", entry->key());
}

// Redis's dbUnshareStringValue plus the room sds would make: returns the string entry at
// `position` ready to be edited in place up to `length_min` value bytes. That is the entry
// itself when no snapshot shares it and it has the room; otherwise a copy with spare room
// (doubling below 1 MiB, +1 MiB above, so repeated growth is amortized O(1)) that replaced
// it in the table. Either way the result is encoded "raw" and keeps the value, expiry and
// LRU; growing the length and filling the new bytes is the caller's job.
// REQUIRES: `position` holds a string entry; length_min <= store::kEntryBytesMax.
store::Entry* UnshareString(CommandContext& context, store::Table::Position position,
                            size_t length_min);

// lookupKeyReadWithFlags(LOOKUP_NOTOUCH): the live entry, counting a keyspace hit or miss,
// without refreshing its LRU (EXISTS, TYPE, TTL, OBJECT look at a key without "using" it). A
// miss sends the "keymiss" event unless `notify_miss` is false (OBJECT's LOOKUP_NONOTIFY).
inline store::Entry* LookupReadNoTouch(CommandContext& context, std::string_view key,
                                       bool notify_miss = true) {
  store::Entry* entry = context.db().Lookup(key, context.now_ms);
  if (entry == nullptr) {
    context.counters.keyspace_misses++;
    if (notify_miss) context.Notify(kNotifyKeyMiss, "keymiss", key);
  } else {
    context.counters.keyspace_hits++;
  }
  return entry;
}

// The error for a bad expire time, naming the command ("invalid expire time in 'set' command").
std::string ExpireTimeError(const CommandContext& context);

// Redis's getExpireMillisecondsOrReply: turns an EX/PX/EXAT/PXAT argument into an absolute
// deadline in Unix ms (`seconds`: the unit is seconds; `relative`: add the current time).
// Replies the error and returns nullopt when the value is not a positive integer or overflows.
std::optional<int64_t> ExpireDeadline(CommandContext& context, std::string_view text, bool seconds,
                                      bool relative);

}  // namespace ringdb::commands
