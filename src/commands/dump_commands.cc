// DUMP and RESTORE: a key's value as Redis's DUMP payload (persist/rdb.h) and back, with Redis
// 7.2's RESTORE options REPLACE, ABSTTL, IDLETIME and FREQ. RESTORE decodes and validates the
// whole payload before it changes anything (Redis's sanitize-dump-payload yes), so a bad
// payload leaves the keyspace as it was.
#include "families.h"
#include "helpers.h"
#include "ringdb/persist/rdb.h"

namespace ringdb::commands {
namespace {

using store::Entry;
using store::Table;

void Dump(CommandContext& context) {
  const Entry* entry = context.LookupRead(context.arg(1));
  if (entry == nullptr) {
    context.reply.Null();
    return;
  }
  context.reply.Bulk(persist::rdb::DumpPayload(*entry));
}

struct RestoreOptions {
  bool replace = false;
  bool absttl = false;
  int64_t idle_seconds = -1;
  int64_t frequency = -1;
};

// restoreCommand's option loop; replies the first error and returns false.
bool ParseRestoreOptions(CommandContext& context, RestoreOptions* options) {
  for (size_t j = 4; j < context.argc(); j++) {
    size_t additional = context.argc() - j - 1;
    std::string_view option = context.arg(j);
    if (EqualsIgnoreCase(option, "replace")) {
      options->replace = true;
    } else if (EqualsIgnoreCase(option, "absttl")) {
      options->absttl = true;
    } else if (EqualsIgnoreCase(option, "idletime") && additional >= 1 &&
               options->frequency == -1) {
      std::optional<int64_t> idle = IntegerArg(context, j + 1);
      if (!idle) return false;
      if (*idle < 0) {
        context.reply.Error("Invalid IDLETIME value, must be >= 0");
        return false;
      }
      options->idle_seconds = *idle;
      j++;
    } else if (EqualsIgnoreCase(option, "freq") && additional >= 1 && options->idle_seconds == -1) {
      std::optional<int64_t> frequency = IntegerArg(context, j + 1);
      if (!frequency) return false;
      if (*frequency < 0 || *frequency > 255) {
        context.reply.Error("Invalid FREQ value, must be >= 0 and <= 255");
        return false;
      }
      options->frequency = *frequency;
      j++;
    } else {
      context.reply.Error(errors::kSyntax);
      return false;
    }
  }
  return true;
}

void Restore(CommandContext& context) {
  RestoreOptions options;
  if (!ParseRestoreOptions(context, &options)) return;
  std::string_view key = context.arg(1);
  Table::Position position;
  Entry* existing = context.LookupWrite(key, &position);
  if (existing != nullptr && !options.replace) {
    context.reply.Error("-BUSYKEY Target key name already exists.");
    return;
  }
  std::optional<int64_t> ttl = IntegerArg(context, 2);
  if (!ttl) return;
  if (*ttl < 0) {
    context.reply.Error("Invalid TTL value, must be >= 0");
    return;
  }
  persist::rdb::PayloadError error;
  Entry* entry =
      persist::rdb::DecodeDumpPayload(context.arg(3), key, context.limits.encodings, &error);
  if (entry == nullptr) {
    context.reply.Error(error == persist::rdb::PayloadError::kVersionOrChecksum
                            ? "DUMP payload version or checksum are wrong"
                            : "Bad data format");
    return;
  }
  bool deleted = false;
  if (existing != nullptr) {
    context.db().table().Remove(position);
    deleted = true;
  }
  int64_t expire_at_ms = *ttl;
  if (expire_at_ms != 0 && !options.absttl) expire_at_ms += context.now_ms;
  // checkAlreadyExpired: a deadline not in the future deletes rather than creates.
  if (expire_at_ms != 0 && expire_at_ms <= context.now_ms) {
    Entry::Release(entry);
    if (deleted) context.KeyChanged(key, kNotifyGeneric, "del");
    context.reply.Ok();
    return;
  }
  if (expire_at_ms != 0) {
    Entry* with_expire = Entry::CopyWithExpire(*entry, expire_at_ms);
    Entry::Release(entry);
    entry = with_expire;
  }
  // objectSetLRUOrLFU: FREQ counts under an LFU policy, IDLETIME under any other; otherwise
  // the new object's stamp.
  persist::rdb::KeyEvictionData eviction;
  if (context.limits.lfu_policy) {
    eviction.lfu_frequency = static_cast<int>(options.frequency);
  } else {
    eviction.idle_seconds = options.idle_seconds;
  }
  entry->set_lru(persist::rdb::EvictionField(eviction, context.limits.lfu_policy, context.now_ms));
  AddEntry(context, entry);
  context.KeyChanged(key, kNotifyGeneric, "restore");
  context.KeyReady(key);
  context.reply.Ok();
}

// clang-format off
const CommandSpec kCommands[] = {
    {"dump", 2, kReadonly, 1, 1, 1, Dump, "generic", "2.6.0", "Returns a serialized representation of the value stored at a key.", "O(1) to access the key and additional O(N*M) to serialize it, where N is the number of Redis objects composing the value and M their average size. For small string values the time complexity is thus O(1)+O(1*M) where M is small, so simply O(1).", "@keyspace @read @slow", "key", {}, "nondeterministic_output"},
    {"restore", -4, kWrite | kDenyOom, 1, 1, 1, Restore, "generic", "2.6.0", "Creates a key from the serialized representation of a value.", "O(1) to create the new key and additional O(N*M) to reconstruct the serialized value, where N is the number of Redis objects composing the value and M their average size. For small string values the time complexity is thus O(1)+O(1*M) where M is small, so simply O(1). However for sorted set values the complexity is O(N*M*log(N)) because inserting values into sorted sets is O(log(N)).", "@keyspace @write @slow @dangerous", "key ttl serialized-value [REPLACE] [ABSTTL] [IDLETIME seconds] [FREQ frequency]"},
};
// clang-format on

}  // namespace

void RegisterDumpCommands(CommandTable& table) { table.Register(kCommands); }

}  // namespace ringdb::commands
