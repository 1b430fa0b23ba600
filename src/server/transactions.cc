// MULTI EXEC DISCARD WATCH UNWATCH: transactions with Redis 7.2's semantics.
//
// Between MULTI and EXEC a client's commands are checked (lookup, arity, no-multi, ...) and
// queued; a refusal dooms the transaction (EXEC answers EXECABORT). EXEC runs the queue
// through Server::Call, so each command counts in commandstats, the slow log and MONITOR as
// if it had come alone, and nothing else runs in between.
//
// WATCH keeps, per database, the clients watching each key. Any change to a watched key
// (KeyModified: writes, deletions, expiry), a flush of a database holding it or a SWAPDB that
// changes it marks the watcher dirty, and EXEC then answers a null array. A watched key that
// expires before EXEC counts as changed even if nobody deleted it yet (Redis 7), unless it
// was already expired when watched.
#include <algorithm>
#include <string>
#include <vector>

#include "ringdb/base/assert.h"
#include "ringdb/base/clock.h"
#include "ringdb/base/log.h"
#include "ringdb/commands/context.h"
#include "ringdb/server/client.h"
#include "ringdb/server/server.h"
#include "server_commands.h"

namespace ringdb::server {

namespace {

using commands::CommandContext;
using commands::CommandSpec;

Client::WatchedKey* FindWatched(Client& client, int db_index, std::string_view key) {
  for (Client::WatchedKey& watched : client.watched_keys) {
    if (watched.db_index == db_index && watched.key == key) return &watched;
  }
  return nullptr;
}

// ---- Commands ----

void Multi(CommandContext& context) {
  Client& client = *context.client;
  if (client.in_multi) {
    context.reply.Error("MULTI calls can not be nested");
    return;
  }
  client.in_multi = true;
  context.reply.Ok();
}

void Discard(CommandContext& context) {
  Client& client = *context.client;
  if (!client.in_multi) {
    context.reply.Error("DISCARD without MULTI");
    return;
  }
  client.server()->DiscardTransaction(client);
  context.reply.Ok();
}

void Exec(CommandContext& context) {
  Client& client = *context.client;
  Server& server = *client.server();
  if (!client.in_multi) {
    context.reply.Error("EXEC without MULTI");
    return;
  }
  if (server.WatchedKeyExpired(client)) client.dirty_cas = true;
  if (client.dirty_exec || client.dirty_cas) {
    if (client.dirty_exec) {
      context.reply.Error("-EXECABORT Transaction discarded because of previous errors.");
    } else {
      context.reply.NullArray();
    }
    server.DiscardTransaction(client);
    return;
  }
  // Nothing can break the transaction any more: stop watching before running it.
  server.UnwatchAll(client);
  std::vector<Client::QueuedCommand> queued;
  queued.swap(client.queued_commands);
  client.in_exec = true;
  context.reply.ArrayHeader(queued.size());
  std::vector<std::string_view> argv;
  for (Client::QueuedCommand& item : queued) {
    argv.assign(item.argv.begin(), item.argv.end());
    server.Call(client, *item.command, argv, UnixTimeUs());
  }
  client.in_exec = false;
  server.DiscardTransaction(client);
}

void Watch(CommandContext& context) {
  Client& client = *context.client;
  if (client.in_multi) {
    context.reply.Error("WATCH inside MULTI is not allowed");
    return;
  }
  // Already doomed: watching more changes nothing (Redis 7).
  if (!client.dirty_cas) {
    for (size_t j = 1; j < context.argc(); j++) {
      client.server()->Watch(client, context.session.db_index, context.arg(j));
    }
  }
  context.reply.Ok();
}

void Unwatch(CommandContext& context) {
  Client& client = *context.client;
  client.server()->UnwatchAll(client);
  client.dirty_cas = false;
  context.reply.Ok();
}

using commands::kAllowBusy;
using commands::kFast;
using commands::kLoading;
using commands::kNoscript;
using commands::kSkipSlowlog;
using commands::kStale;

constexpr uint32_t kControlFlags = kNoscript | kLoading | kStale | kFast | kAllowBusy;
constexpr char kAcl[] = "@fast @transaction";

// clang-format off
constexpr CommandSpec kCommands[] = {
    {"multi", 1, kControlFlags, 0, 0, 0, Multi, "transactions", "1.2.0", "Starts a transaction.", "O(1)", kAcl, ""},
    // EXEC is not logged itself: the commands it runs are, one by one.
    {"exec", 1, kNoscript | kLoading | kStale | kSkipSlowlog, 0, 0, 0, Exec, "transactions", "1.2.0", "Executes all commands in a transaction.", "Depends on commands in the transaction", "@slow @transaction", ""},
    {"discard", 1, kControlFlags, 0, 0, 0, Discard, "transactions", "2.0.0", "Discards a transaction.", "O(N), when N is the number of queued commands", kAcl, ""},
    {"watch", -2, kControlFlags, 1, -1, 1, Watch, "transactions", "2.2.0", "Monitors changes to keys to determine the execution of a transaction.", "O(1) for every key.", kAcl, "key [key ...]"},
    {"unwatch", 1, kControlFlags, 0, 0, 0, Unwatch, "transactions", "2.2.0", "Forgets about watched keys of a transaction.", "O(1)", kAcl, ""},
};
// clang-format on

}  // namespace

bool IsExec(const commands::Command& command) { return command.spec->handler == Exec; }

bool RunsInsideMulti(const commands::Command& command) {
  commands::Handler handler = command.spec->handler;
  if (handler == Exec || handler == Discard || handler == Multi || handler == Watch) return true;
  const std::string& name = command.full_name;
  return name == "quit" || name == "reset";
}

void RegisterTransactionCommands(commands::CommandTable& table) { table.Register(kCommands); }

// ---- Server: queuing ----

void Server::QueueCommand(Client& client, commands::Command& command,
                          std::span<const std::string_view> argv) {
  Client::QueuedCommand item{&command, {}};
  item.argv.reserve(argv.size());
  size_t bytes = sizeof(Client::QueuedCommand);
  for (std::string_view arg : argv) {
    item.argv.emplace_back(arg);
    bytes += arg.size() + sizeof(std::string);
  }
  client.queued_commands.push_back(std::move(item));
  client.queued_flags |= command.spec->flags;
  client.queued_bytes += bytes;
  client.reply.Simple("QUEUED");
  if (client.queued_bytes > static_cast<size_t>(config_.client_query_buffer_limit)) {
    LOG_WARNING(
        "Closing client that reached max query buffer length with its transaction: id=%llu "
        "addr=%s multi-mem=%zu",
        static_cast<unsigned long long>(client.id()), client.peer_address.c_str(),
        client.queued_bytes);
    stats_.client_query_buffer_limit_disconnections++;
    CloseClientAsync(client, "transaction over the query buffer limit");
  }
}

void Server::DiscardTransaction(Client& client) {
  client.queued_commands.clear();
  client.queued_commands.shrink_to_fit();
  client.queued_flags = 0;
  client.queued_bytes = 0;
  client.in_multi = false;
  client.dirty_exec = false;
  client.dirty_cas = false;
  UnwatchAll(client);
}

// ---- Server: WATCH ----

bool Server::KeyExists(int db_index, std::string_view key) const {
  return keyspace_->database(db_index).table().Find(key) != nullptr;
}

bool Server::KeyLogicallyExpired(int db_index, std::string_view key) const {
  const store::Entry* entry = keyspace_->database(db_index).table().Find(key);
  return entry != nullptr && entry->ExpiredAt(now_ms_);
}

void Server::Watch(Client& client, int db_index, std::string_view key) {
  if (FindWatched(client, db_index, key) != nullptr) return;
  if (watchers_.empty()) watchers_.resize(static_cast<size_t>(keyspace_->database_count()));
  auto& index = watchers_[static_cast<size_t>(db_index)];
  auto it = index.find(key);
  if (it == index.end()) it = index.emplace(std::string(key), std::vector<Client*>{}).first;
  it->second.push_back(&client);
  client.watched_keys.push_back({db_index, std::string(key), KeyLogicallyExpired(db_index, key)});
  watched_keys_total_++;
}

void Server::UnwatchAll(Client& client) {
  for (const Client::WatchedKey& watched : client.watched_keys) {
    auto& index = watchers_[static_cast<size_t>(watched.db_index)];
    auto it = index.find(watched.key);
    RINGDB_ASSERT(it != index.end());
    std::erase(it->second, &client);
    if (it->second.empty()) index.erase(it);
    RINGDB_ASSERT(watched_keys_total_ > 0);
    watched_keys_total_--;
  }
  client.watched_keys.clear();
}

bool Server::WatchedKeyExpired(const Client& client) const {
  for (const Client::WatchedKey& watched : client.watched_keys) {
    if (watched.expired_at_watch) continue;
    if (KeyLogicallyExpired(watched.db_index, watched.key)) return true;
  }
  return false;
}

void Server::KeyModified(int db_index, std::string_view key) {
  SignalKeyGone(db_index, key, false);
  if (watched_keys_total_ == 0) return;
  auto& index = watchers_[static_cast<size_t>(db_index)];
  auto it = index.find(key);
  if (it == index.end()) return;
  // Unwatching edits the list being walked: the dirty clients are unwatched afterwards.
  std::vector<Client*> dirty;
  for (Client* client : it->second) {
    Client::WatchedKey* watched = FindWatched(*client, db_index, key);
    RINGDB_ASSERT(watched != nullptr);
    if (watched->expired_at_watch && !KeyExists(db_index, key)) {
      // The key was already dead when watched; its deletion changes nothing logically.
      watched->expired_at_watch = false;
      continue;
    }
    client->dirty_cas = true;
    dirty.push_back(client);
  }
  // A dirty client needs no more watching: EXEC fails whatever happens next.
  for (Client* client : dirty) UnwatchAll(*client);
}

void Server::TouchWatchedKeysInDatabase(int emptied, int replacement) {
  for (auto& [key, clients] : watchers_[static_cast<size_t>(emptied)]) {
    bool in_emptied = KeyExists(emptied, key);
    bool in_replacement = replacement >= 0 && KeyExists(replacement, key);
    if (!in_emptied && !in_replacement) continue;
    bool replacement_expired = in_replacement && KeyLogicallyExpired(replacement, key);
    for (Client* client : clients) {
      Client::WatchedKey* watched = FindWatched(*client, emptied, key);
      RINGDB_ASSERT(watched != nullptr);
      if (watched->expired_at_watch) {
        if (!in_replacement) {
          watched->expired_at_watch = false;  // An expired key is gone: no logical change.
          continue;
        }
        if (replacement_expired) continue;  // Expired before, expired after.
      } else if (!in_emptied && replacement_expired) {
        watched->expired_at_watch = true;  // Absent before, logically absent after.
        continue;
      }
      // Flagged only: unwatching here would edit the index being walked.
      client->dirty_cas = true;
    }
  }
}

void Server::DatabaseFlushed(int db_index) {
  // The keys go: XREADGROUP clients waiting on them wake (to the missing group's error).
  for (int index = 0; blocked_clients_ != 0 && index < keyspace_->database_count(); index++) {
    if (db_index >= 0 && index != db_index) continue;
    std::vector<std::string> keys;
    for (const auto& [key, queue] : blocking_keys_[static_cast<size_t>(index)]) {
      keys.push_back(key);
    }
    for (const std::string& key : keys) SignalKeyGone(index, key, true);
  }
  if (watched_keys_total_ == 0) return;
  if (db_index >= 0) {
    TouchWatchedKeysInDatabase(db_index, -1);
    return;
  }
  for (int index = 0; index < keyspace_->database_count(); index++) {
    TouchWatchedKeysInDatabase(index, -1);
  }
}

void Server::DatabasesSwapping(int first, int second) {
  SignalKeysReadyAfterSwap(first, second);
  if (watched_keys_total_ == 0) return;
  TouchWatchedKeysInDatabase(first, second);
  TouchWatchedKeysInDatabase(second, first);
}

}  // namespace ringdb::server
