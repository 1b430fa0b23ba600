// PING ECHO SELECT SWAPDB DBSIZE FLUSHDB FLUSHALL: commands on the session and whole databases.
#include <string>

#include "families.h"
#include "helpers.h"

namespace ringdb::commands {
namespace {

void Ping(CommandContext& context) {
  if (context.argc() > 2) {
    context.reply.Error(CommandTable::ArityError(*context.command));
    return;
  }
  if (context.session.pubsub && !context.reply.resp3()) {
    // A subscribed RESP2 connection reads every reply as a message: Redis answers in that
    // shape.
    context.reply.ArrayHeader(2);
    context.reply.Bulk("pong");
    context.reply.Bulk(context.argc() == 1 ? std::string_view() : context.arg(1));
    return;
  }
  if (context.argc() == 1) {
    context.reply.Simple("PONG");
  } else {
    context.reply.Bulk(context.arg(1));
  }
}

void Echo(CommandContext& context) { context.reply.Bulk(context.arg(1)); }

// Parses a database index argument as Redis's getIntFromObjectOrReply does: `message`, when
// given, replaces both of its errors (not an integer, outside int range).
std::optional<int> IntArg(CommandContext& context, size_t index,
                          std::optional<std::string_view> message = std::nullopt) {
  std::optional<int64_t> value = ParseInt64(context.arg(index));
  if (!value) {
    context.reply.Error(message.value_or(errors::kNotInteger));
    return std::nullopt;
  }
  if (*value < INT32_MIN || *value > INT32_MAX) {
    context.reply.Error(
        message.value_or("value is out of range, value must between -2147483648 and 2147483647"));
    return std::nullopt;
  }
  return static_cast<int>(*value);
}

bool ValidDatabase(const CommandContext& context, int index) {
  return index >= 0 && index < context.keyspace.database_count();
}

void Select(CommandContext& context) {
  std::optional<int> index = IntArg(context, 1);
  if (!index) return;
  if (!ValidDatabase(context, *index)) {
    context.reply.Error(errors::kDbIndexOutOfRange);
    return;
  }
  context.session.db_index = *index;
  context.reply.Ok();
}

void SwapDb(CommandContext& context) {
  std::optional<int> first = IntArg(context, 1, "invalid first DB index");
  if (!first) return;
  std::optional<int> second = IntArg(context, 2, "invalid second DB index");
  if (!second) return;
  if (!ValidDatabase(context, *first) || !ValidDatabase(context, *second)) {
    context.reply.Error(errors::kDbIndexOutOfRange);
    return;
  }
  // WATCHed keys in either database are about to see a different value.
  if (context.events != nullptr) context.events->DatabasesSwapping(*first, *second);
  context.keyspace.Swap(*first, *second);
  context.counters.dirty++;
  context.reply.Ok();
}

void DbSize(CommandContext& context) {
  context.reply.Integer(static_cast<int64_t>(context.db().size()));
}

// FLUSHDB / FLUSHALL's optional ASYNC | SYNC. Returns nullopt after replying an error, else
// whether to free in the background (ASYNC, or no argument with lazyfree-lazy-user-flush).
std::optional<bool> ParseFlushMode(CommandContext& context) {
  if (context.argc() == 1) return context.limits.lazy_user_flush;
  if (context.argc() == 2 && EqualsIgnoreCase(context.arg(1), "async")) return true;
  if (context.argc() == 2 && EqualsIgnoreCase(context.arg(1), "sync")) return false;
  context.reply.Error(errors::kSyntax);
  return std::nullopt;
}

// Empties `database`: in place, or by handing its table to the background to free, so the
// loop does not spend seconds freeing millions of entries.
void Flush(CommandContext& context, store::Database& database, bool async) {
  if (async && context.events != nullptr && database.size() > 0) {
    context.events->FreeInBackground(database.TakeTable());
  } else {
    database.Clear();
  }
}

void FlushDb(CommandContext& context) {
  std::optional<bool> async = ParseFlushMode(context);
  if (!async) return;
  store::Database& database = context.db();
  context.counters.dirty += database.size();
  if (context.events != nullptr) context.events->DatabaseFlushed(context.session.db_index);
  Flush(context, database, *async);
  context.reply.Ok();
}

void FlushAll(CommandContext& context) {
  std::optional<bool> async = ParseFlushMode(context);
  if (!async) return;
  context.counters.dirty += context.keyspace.TotalKeys();
  if (context.events != nullptr) context.events->DatabaseFlushed(-1);
  for (int index = 0; index < context.keyspace.database_count(); index++) {
    Flush(context, context.keyspace.database(index), *async);
  }
  if (context.events != nullptr && context.events->SaveAfterFlushAll()) return;
  context.reply.Ok();
}

constexpr CommandSpec kCommands[] = {
    {"ping",
     -1,
     kFast | kSentinel,
     0,
     0,
     0,
     Ping,
     "connection",
     "1.0.0",
     "Returns the server's liveliness response.",
     "O(1)",
     "@fast @connection",
     "[message]",
     {},
     "request_policy:all_shards response_policy:all_succeeded"},
    {"echo", 2, kFast, 0, 0, 0, Echo, "connection", "1.0.0", "Returns the given string.", "O(1)",
     "@fast @connection", "message"},
    {"select", 2, kLoading | kStale | kFast, 0, 0, 0, Select, "connection", "1.0.0",
     "Changes the selected database.", "O(1)", "@fast @connection", "index"},
    {"swapdb", 3, kWrite | kFast, 0, 0, 0, SwapDb, "server", "4.0.0", "Swaps two Redis databases.",
     "O(N) where N is the count of clients watching or blocking on keys from both databases.",
     "@keyspace @write @fast @dangerous", "index1 index2"},
    {"dbsize",
     1,
     kReadonly | kFast,
     0,
     0,
     0,
     DbSize,
     "server",
     "1.0.0",
     "Returns the number of keys in the database.",
     "O(1)",
     "@keyspace @read @fast",
     "",
     {},
     "request_policy:all_shards response_policy:agg_sum"},
    {"flushdb",
     -1,
     kWrite,
     0,
     0,
     0,
     FlushDb,
     "server",
     "1.0.0",
     "Removes all keys from the current database.",
     "O(N) where N is the total number of keys in the selected database",
     "@keyspace @write @slow @dangerous",
     "[ASYNC | SYNC]",
     {},
     "request_policy:all_shards response_policy:all_succeeded"},
    {"flushall",
     -1,
     kWrite,
     0,
     0,
     0,
     FlushAll,
     "server",
     "1.0.0",
     "Removes all keys from all databases.",
     "O(N) where N is the total number of keys in all databases",
     "@keyspace @write @slow @dangerous",
     "[ASYNC | SYNC]",
     {},
     "request_policy:all_shards response_policy:all_succeeded"},
};

}  // namespace

void RegisterDatabaseCommands(CommandTable& table) { table.Register(kCommands); }

}  // namespace ringdb::commands
