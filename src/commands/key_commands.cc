// Generic key commands: DEL EXISTS and friends.
#include "families.h"
#include "helpers.h"

namespace ringdb::commands {
namespace {

void Del(CommandContext& context) {
  int64_t deleted = 0;
  for (size_t i = 1; i < context.argc(); i++) {
    store::Table::Position position;
    if (context.LookupWrite(context.arg(i), &position) == nullptr) continue;
    context.db().table().Remove(position);
    context.KeyChanged(context.arg(i), kNotifyGeneric, "del");
    deleted++;
  }
  context.reply.Integer(deleted);
}

void Exists(CommandContext& context) {
  int64_t count = 0;
  for (size_t i = 1; i < context.argc(); i++) {
    if (context.LookupRead(context.arg(i)) != nullptr) count++;
  }
  context.reply.Integer(count);
}

constexpr CommandSpec kCommands[] = {
    {"del", -2, kWrite, 1, -1, 1, Del, "generic", "1.0.0", "Deletes one or more keys.", "O(N) where N is the number of keys that will be removed. When a key to remove holds a value other than a string, the individual complexity for this key is O(M) where M is the number of elements in the list, set, sorted set or hash. Removing a single key that holds a string value is O(1).", "@keyspace @write @slow", "key [key ...]", {}, "request_policy:multi_shard response_policy:agg_sum"},
    {"exists", -2, kReadonly | kFast, 1, -1, 1, Exists, "generic", "1.0.0", "Determines whether one or more keys exist.", "O(N) where N is the number of keys to check.", "@keyspace @read @fast", "key [key ...]", {}, "request_policy:multi_shard response_policy:agg_sum"},
};

}  // namespace

void RegisterKeyCommands(CommandTable& table) { table.Register(kCommands); }

}  // namespace ringdb::commands
