// Generic key commands that look at or move single keys: DEL UNLINK EXISTS TYPE TOUCH RENAME
// RENAMENX COPY MOVE.
//
// Redis creates the target of RENAME, MOVE and COPY with dbAdd, which sends a "new" event
// before the command's own events; these commands do the same.
#include <climits>
#include <optional>

#include "families.h"
#include "helpers.h"

namespace ringdb::commands {
namespace {

using store::Entry;
using store::Table;

// Records a change of `key` in database `db_index`, which need not be the session's (MOVE and
// COPY write to another database). Counts `changes` towards the save rules.
void KeyChangedIn(CommandContext& context, int db_index, std::string_view key,
                  std::string_view event, uint64_t changes) {
  context.counters.dirty += changes;
  if (context.events == nullptr) return;
  context.events->KeyModified(db_index, key);
  context.events->Notify(kNotifyGeneric, event, key, db_index);
}

// A key arrived under a new name (RENAME, MOVE, COPY): the "new" event, and clients blocked
// on that name may now be served (Redis signals from dbAdd; the server checks the type).
void NotifyNewKey(CommandContext& context, int db_index, std::string_view key) {
  if (context.events == nullptr) return;
  context.events->Notify(kNotifyNew, "new", key, db_index);
  context.events->KeyReady(db_index, key);
}

// Parses a database index as Redis's getIntFromObjectOrReply and selectDb do; replies the
// error and returns nullopt when it is not an integer, does not fit an int, or names no
// database.
std::optional<int> DatabaseArg(CommandContext& context, size_t index) {
  std::optional<int64_t> value = IntegerArg(context, index);
  if (!value) return std::nullopt;
  if (*value < INT_MIN || *value > INT_MAX) {
    context.reply.Error("value is out of range, value must between -2147483648 and 2147483647");
    return std::nullopt;
  }
  if (*value < 0 || *value >= context.keyspace.database_count()) {
    context.reply.Error(errors::kDbIndexOutOfRange);
    return std::nullopt;
  }
  return static_cast<int>(*value);
}

// DEL and UNLINK: memory is freed on the spot either way (values are single allocations
// until the collection types arrive).
void Del(CommandContext& context) {
  int64_t deleted = 0;
  for (size_t i = 1; i < context.argc(); i++) {
    Table::Position position;
    if (context.LookupWrite(context.arg(i), &position) == nullptr) continue;
    context.db().table().Remove(position);
    context.KeyChanged(context.arg(i), kNotifyGeneric, "del");
    deleted++;
  }
  context.reply.Integer(deleted);
}

// A key named twice counts twice, as in Redis.
void Exists(CommandContext& context) {
  int64_t count = 0;
  for (size_t i = 1; i < context.argc(); i++) {
    if (LookupReadNoTouch(context, context.arg(i)) != nullptr) count++;
  }
  context.reply.Integer(count);
}

void Type(CommandContext& context) {
  const Entry* entry = LookupReadNoTouch(context, context.arg(1));
  context.reply.Simple(entry == nullptr ? "none" : store::TypeName(entry->type()));
}

void Touch(CommandContext& context) {
  int64_t touched = 0;
  for (size_t i = 1; i < context.argc(); i++) {
    if (context.LookupRead(context.arg(i)) != nullptr) touched++;
  }
  context.reply.Integer(touched);
}

// RENAME and RENAMENX (Redis's renameGenericCommand). The entry holds its key, so the value
// moves into a new entry under the new name; the deadline and the LRU go with it.
void RenameGeneric(CommandContext& context, bool nx) {
  std::string_view source = context.arg(1);
  std::string_view target = context.arg(2);
  const Entry* entry = context.LookupWrite(source);
  if (entry == nullptr) {
    context.reply.Error(errors::kNoSuchKey);
    return;
  }
  if (source == target) {
    if (nx) {
      context.reply.Integer(0);
    } else {
      context.reply.Ok();
    }
    return;
  }
  // Deleting an expired or overwritten target may merge pages: positions taken before it are
  // stale, but the source entry itself stays where it is.
  Table& table = context.db().table();
  Table::Position target_position;
  if (context.LookupWrite(target, &target_position) != nullptr) {
    if (nx) {
      context.reply.Integer(0);
      return;
    }
    table.Remove(target_position);
  }
  table.Insert(Entry::CopyWithKey(*entry, target));
  NotifyNewKey(context, context.session.db_index, target);
  Table::Position source_position;
  const Entry* found = table.Find(source, &source_position);
  RINGDB_ASSERT(found == entry);
  table.Remove(source_position);
  context.KeyChanged(source, kNotifyGeneric, "rename_from");
  context.KeyChanged(target, kNotifyGeneric, "rename_to", 0);
  if (nx) {
    context.reply.Integer(1);
  } else {
    context.reply.Ok();
  }
}

void Rename(CommandContext& context) { RenameGeneric(context, false); }
void RenameNx(CommandContext& context) { RenameGeneric(context, true); }

void Move(CommandContext& context) {
  std::optional<int> target_db = DatabaseArg(context, 2);
  if (!target_db) return;
  int source_db = context.session.db_index;
  if (*target_db == source_db) {
    context.reply.Error(errors::kSameObject);
    return;
  }
  std::string_view key = context.arg(1);
  Table::Position position;
  if (context.LookupWrite(key, &position) == nullptr) {
    context.reply.Integer(0);
    return;
  }
  store::Database& target = context.keyspace.database(*target_db);
  if (target.Lookup(key, context.now_ms) != nullptr) {
    context.reply.Integer(0);
    return;
  }
  // The entry itself changes tables: a snapshot sharing it still sees it unchanged.
  Entry* entry = context.db().table().Detach(position);
  target.table().Insert(entry);
  NotifyNewKey(context, *target_db, entry->key());
  KeyChangedIn(context, source_db, key, "move_from", 1);
  KeyChangedIn(context, *target_db, key, "move_to", 0);
  context.reply.Integer(1);
}

struct CopyOptions {
  int target_db;
  bool replace = false;
};

// Parses COPY's [DB destination-db] [REPLACE] in order, as Redis does: the first bad option
// decides the error.
std::optional<CopyOptions> ParseCopyOptions(CommandContext& context) {
  CopyOptions options{context.session.db_index};
  for (size_t j = 3; j < context.argc(); j++) {
    bool has_value = j + 1 < context.argc();
    if (EqualsIgnoreCase(context.arg(j), "replace")) {
      options.replace = true;
    } else if (EqualsIgnoreCase(context.arg(j), "db") && has_value) {
      std::optional<int> index = DatabaseArg(context, ++j);
      if (!index) return std::nullopt;
      options.target_db = *index;
    } else {
      context.reply.Error(errors::kSyntax);
      return std::nullopt;
    }
  }
  return options;
}

void Copy(CommandContext& context) {
  std::optional<CopyOptions> options = ParseCopyOptions(context);
  if (!options) return;
  std::string_view source = context.arg(1);
  std::string_view target = context.arg(2);
  if (options->target_db == context.session.db_index && source == target) {
    context.reply.Error(errors::kSameObject);
    return;
  }
  const Entry* entry = context.LookupRead(source);
  if (entry == nullptr) {
    context.reply.Integer(0);
    return;
  }
  store::Database& target_db = context.keyspace.database(options->target_db);
  Table::Position target_position;
  bool exists = target_db.Lookup(target, context.now_ms, &target_position) != nullptr;
  if (exists && !options->replace) {
    context.reply.Integer(0);
    return;
  }
  // Redis duplicates the value into a new object, which starts with fresh eviction data and
  // is no longer the shared object of a small integer.
  Entry* copy = Entry::CopyWithKey(*entry, target);
  copy->set_lru(context.fresh_lru());
  copy->set_unshared_integer();
  if (exists) target_db.table().Remove(target_position);
  target_db.table().Insert(copy);
  NotifyNewKey(context, options->target_db, target);
  KeyChangedIn(context, options->target_db, target, "copy_to", 1);
  context.reply.Integer(1);
}

// clang-format off
constexpr CommandSpec kCommands[] = {
    {"del", -2, kWrite, 1, -1, 1, Del, "generic", "1.0.0", "Deletes one or more keys.", "O(N) where N is the number of keys that will be removed. When a key to remove holds a value other than a string, the individual complexity for this key is O(M) where M is the number of elements in the list, set, sorted set or hash. Removing a single key that holds a string value is O(1).", "@keyspace @write @slow", "key [key ...]", {}, "request_policy:multi_shard response_policy:agg_sum"},
    {"unlink", -2, kWrite | kFast, 1, -1, 1, Del, "generic", "4.0.0", "Asynchronously deletes one or more keys.", "O(1) for each key removed regardless of its size. Then the command does O(N) work in a different thread in order to reclaim memory, where N is the number of allocations the deleted objects where composed of.", "@keyspace @write @fast", "key [key ...]", {}, "request_policy:multi_shard response_policy:agg_sum"},
    {"exists", -2, kReadonly | kFast, 1, -1, 1, Exists, "generic", "1.0.0", "Determines whether one or more keys exist.", "O(N) where N is the number of keys to check.", "@keyspace @read @fast", "key [key ...]", {}, "request_policy:multi_shard response_policy:agg_sum"},
    {"type", 2, kReadonly | kFast, 1, 1, 1, Type, "generic", "1.0.0", "Determines the type of value stored at a key.", "O(1)", "@keyspace @read @fast", "key"},
    {"touch", -2, kReadonly | kFast, 1, -1, 1, Touch, "generic", "3.2.1", "Returns the number of existing keys out of those specified after updating the time they were last accessed.", "O(N) where N is the number of keys that will be touched.", "@keyspace @read @fast", "key [key ...]", {}, "request_policy:multi_shard response_policy:agg_sum"},
    {"rename", 3, kWrite, 1, 2, 1, Rename, "generic", "1.0.0", "Renames a key and overwrites the destination.", "O(1)", "@keyspace @write @slow", "key newkey"},
    {"renamenx", 3, kWrite | kFast, 1, 2, 1, RenameNx, "generic", "1.0.0", "Renames a key only when the target key name doesn't exist.", "O(1)", "@keyspace @write @fast", "key newkey"},
    {"move", 3, kWrite | kFast, 1, 1, 1, Move, "generic", "1.0.0", "Moves a key to another database.", "O(1)", "@keyspace @write @fast", "key db"},
    {"copy", -3, kWrite | kDenyOom, 1, 2, 1, Copy, "generic", "6.2.0", "Copies the value of a key to a new key.", "O(N) worst case for collections, where N is the number of nested items. O(1) for string values.", "@keyspace @write @slow", "source destination [DB destination-db] [REPLACE]"},
};
// clang-format on

}  // namespace

void RegisterKeyCommands(CommandTable& table) { table.Register(kCommands); }

}  // namespace ringdb::commands
