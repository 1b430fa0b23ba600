// OBJECT ENCODING FREQ IDLETIME REFCOUNT HELP and MEMORY USAGE HELP: introspection of a
// key's value.
//
// Every subcommand looks its key up like a read that does not count as an access (Redis's
// LOOKUP_NOTOUCH): an expired key is deleted and reported missing, and keyspace hits and
// misses are counted.
#include <climits>
#include <optional>

#include "families.h"
#include "helpers.h"
#include "ringdb/commands/shared_integers.h"

namespace ringdb::commands {
namespace {

using store::Entry;

// Redis keeps one shared object for each integer in [0, OBJ_SHARED_INTEGERS) and reports its
// refcount as OBJ_SHARED_REFCOUNT (INT_MAX).

// The entry for argument 2, or nullptr after replying the null Redis sends for a missing key.
const Entry* LookupOrNull(CommandContext& context) {
  const Entry* entry = LookupReadNoTouch(context, context.arg(2), /*notify_miss=*/false);
  if (entry == nullptr) context.reply.Null();
  return entry;
}

void Encoding(CommandContext& context) {
  const Entry* entry = LookupOrNull(context);
  if (entry == nullptr) return;
  context.reply.Bulk(store::EncodingName(entry->ObjectEncoding()));
}

// Our entries are never shared between keys; a small integer reports what Redis's shared
// object would.
void Refcount(CommandContext& context) {
  const Entry* entry = LookupOrNull(context);
  if (entry == nullptr) return;
  bool shared = IsSharedInteger(*entry, context.limits.share_small_integers);
  context.reply.Integer(shared ? kSharedRefcount : 1);
}

// Redis's estimateObjectIdleTime in seconds: the 24-bit LRU clock may have wrapped since the
// entry's last access.
int64_t IdleSeconds(uint32_t clock, uint32_t lru) {
  constexpr uint32_t kLruClockMax = (1u << 24) - 1;
  if (clock >= lru) return clock - lru;
  return static_cast<int64_t>(clock) + (kLruClockMax - lru);
}

void IdleTime(CommandContext& context) {
  const Entry* entry = LookupOrNull(context);
  if (entry == nullptr) return;
  if (context.limits.lfu_policy) {
    context.reply.Error(
        "An LFU maxmemory policy is selected, idle time not tracked. Please note that when "
        "switching between policies at runtime LRU and LFU data will take some time to adjust.");
    return;
  }
  context.reply.Integer(IdleSeconds(context.lru_clock(), entry->lru()));
}

// Redis's LFUDecrAndReturn: the entry's 8-bit counter less one for every lfu-decay-time
// minutes since its last access (a 16-bit minute clock that wraps).
int64_t DecayedFrequency(const CommandContext& context, uint32_t lfu) {
  constexpr int64_t kMinuteClockMax = 65535;
  int64_t last_minutes = lfu >> 8;
  int64_t counter = lfu & 0xff;
  int64_t now_minutes = (context.now_ms / 1000 / 60) & kMinuteClockMax;
  int64_t elapsed = now_minutes >= last_minutes ? now_minutes - last_minutes
                                                : kMinuteClockMax - last_minutes + now_minutes;
  int64_t decay = context.limits.lfu_decay_time_minutes;
  int64_t periods = decay > 0 ? elapsed / decay : 0;
  return periods > counter ? 0 : counter - periods;
}

void Freq(CommandContext& context) {
  const Entry* entry = LookupOrNull(context);
  if (entry == nullptr) return;
  if (!context.limits.lfu_policy) {
    context.reply.Error(
        "An LFU maxmemory policy is not selected, access frequency not tracked. Please note that "
        "when switching between policies at runtime LRU and LFU data will take some time to "
        "adjust.");
    return;
  }
  context.reply.Integer(DecayedFrequency(context, entry->lru()));
}

void Help(CommandContext& context) {
  static constexpr const char* kLines[] = {
      "ENCODING <key>",
      "    Return the kind of internal representation used in order to store the value",
      "    associated with a <key>.",
      "FREQ <key>",
      "    Return the access frequency index of the <key>. The returned integer is",
      "    proportional to the logarithm of the recent access frequency of the key.",
      "IDLETIME <key>",
      "    Return the idle time of the <key>, that is the approximated number of",
      "    seconds elapsed since the last access to the key.",
      "REFCOUNT <key>",
      "    Return the number of references of the value associated with the specified",
      "    <key>.",
  };
  ReplyHelp(context, kLines);
}

// MEMORY USAGE key [SAMPLES count]: the bytes the key and its value take. As in Redis the
// key is found without looking at its expiry, and SAMPLES bounds how many elements of a big
// collection are looked at (default 5; 0: all of them).
void MemoryUsage(CommandContext& context) {
  int64_t samples = 5;
  for (size_t i = 3; i < context.argc(); i++) {
    if (EqualsIgnoreCase(context.arg(i), "samples") && i + 1 < context.argc()) {
      std::optional<int64_t> value = IntegerArg(context, i + 1);
      if (!value) return;
      if (*value < 0) {
        context.reply.Error(errors::kSyntax);
        return;
      }
      samples = *value;
      i++;
    } else {
      context.reply.Error(errors::kSyntax);
      return;
    }
  }
  const Entry* entry = context.db().table().Find(context.arg(2));
  if (entry == nullptr) {
    context.reply.Null();
    return;
  }
  // The entry holds the key, the expiry and a string's bytes; the page spends a pointer and a
  // tag on it.
  size_t bytes = entry->AllocatedBytes() + sizeof(Entry*) + sizeof(uint16_t);
  if (entry->is_object()) bytes += entry->object()->MemoryUsage(static_cast<size_t>(samples));
  context.reply.Integer(static_cast<int64_t>(bytes));
}

void MemoryHelp(CommandContext& context) {
  static constexpr const char* kLines[] = {
      "USAGE <key> [SAMPLES <count>]",
      "    Return memory in bytes used by <key> and its value. Nested values are",
      "    sampled up to <count> times (default: 5, 0 means sample all).",
  };
  ReplyHelp(context, kLines);
}

// clang-format off
constexpr CommandSpec kMemorySubcommands[] = {
    {"help", 2, kLoading | kStale, 0, 0, 0, MemoryHelp, "server", "4.0.0", "Returns helpful text about the different subcommands.", "O(1)", "@slow", ""},
    {"usage", -3, kReadonly, 2, 2, 1, MemoryUsage, "server", "4.0.0", "Estimates the memory usage of a key.", "O(N) where N is the number of samples.", "@read @slow", "key [SAMPLES count]"},
};
// clang-format on

// clang-format off
constexpr CommandSpec kObjectSubcommands[] = {
    {"encoding", 3, kReadonly, 2, 2, 1, Encoding, "generic", "2.2.3", "Returns the internal encoding of a Redis object.", "O(1)", "@keyspace @read @slow", "key", {}, "nondeterministic_output"},
    {"freq", 3, kReadonly, 2, 2, 1, Freq, "generic", "4.0.0", "Returns the logarithmic access frequency counter of a Redis object.", "O(1)", "@keyspace @read @slow", "key", {}, "nondeterministic_output"},
    {"help", 2, kLoading | kStale, 0, 0, 0, Help, "generic", "6.2.0", "Returns helpful text about the different subcommands.", "O(1)", "@keyspace @slow", ""},
    {"idletime", 3, kReadonly, 2, 2, 1, IdleTime, "generic", "2.2.3", "Returns the time since the last access to a Redis object.", "O(1)", "@keyspace @read @slow", "key", {}, "nondeterministic_output"},
    {"refcount", 3, kReadonly, 2, 2, 1, Refcount, "generic", "2.2.3", "Returns the reference count of a value of a key.", "O(1)", "@keyspace @read @slow", "key", {}, "nondeterministic_output"},
};
// clang-format on

// clang-format off
constexpr CommandSpec kCommands[] = {
    {"object", -2, 0, 0, 0, 0, nullptr, "generic", "2.2.3", "A container for object introspection commands.", "Depends on subcommand.", "@slow", "", kObjectSubcommands},
    {"memory", -2, 0, 0, 0, 0, nullptr, "server", "4.0.0", "A container for memory diagnostics commands.", "Depends on subcommand.", "@slow", "", kMemorySubcommands},
};
// clang-format on

}  // namespace

void RegisterObjectCommands(CommandTable& table) { table.Register(kCommands); }

}  // namespace ringdb::commands
