// What a command handler sees: its arguments, where its reply goes, the keyspace, the
// client's session, and hooks for the side effects of writes.
#pragma once

#include <cstdint>
#include <memory>
#include <span>
#include <string_view>

#include "ringdb/base/assert.h"
#include "ringdb/resp/reply.h"
#include "ringdb/store/encoding_limits.h"
#include "ringdb/store/keyspace.h"

namespace ringdb::server {
class Client;  // Opaque here: only server commands look inside.
}  // namespace ringdb::server

namespace ringdb::commands {

struct Command;

// Per-connection state commands may read or change.
struct Session {
  int db_index = 0;
  int protocol = 2;
  // Subscribed to at least one channel, pattern or shard channel (Redis's CLIENT_PUBSUB): a
  // RESP2 connection then only runs the pub/sub commands, PING (which answers
  // ["pong", message]), QUIT and RESET.
  bool pubsub = false;
};

// The sizes up to which collections keep a compact encoding (store/encoding_limits.h).
using EncodingLimits = store::EncodingLimits;

// Configured limits commands enforce.
struct Limits {
  int64_t proto_max_bulk_len = 512LL * 1024 * 1024;
  // maxmemory-policy is one of the LFU policies: entries' lru field holds LFU data
  // (minutes:16 | counter:8), OBJECT FREQ works and OBJECT IDLETIME refuses.
  bool lfu_policy = false;
  // lfu-decay-time: minutes per halving step of an LFU counter (0: never decays).
  int64_t lfu_decay_time_minutes = 1;
  // Redis shares the objects of the integers 0..9999 (OBJECT REFCOUNT 2147483647) unless
  // maxmemory is set with an LRU or LFU policy (MAXMEMORY_FLAG_NO_SHARED_INTEGERS).
  bool share_small_integers = true;
  // lazyfree-lazy-user-flush: FLUSHALL / FLUSHDB without SYNC or ASYNC free in the background.
  bool lazy_user_flush = false;
  EncodingLimits encodings;
  // hll-sparse-max-bytes: a sparse HyperLogLog turns dense rather than grow past this length.
  int64_t hll_sparse_max_bytes = 3000;
};

// Shard-wide counters commands update.
struct Counters {
  uint64_t keyspace_hits = 0;
  uint64_t keyspace_misses = 0;
  // Changes since the last save (Redis's server.dirty).
  uint64_t dirty = 0;
};

// Keyspace notification classes (notify-keyspace-events letters), with Redis's bits.
enum NotifyClass : uint32_t {
  kNotifyKeyspace = 1u << 0,  // K: publish on __keyspace@<db>__:<key>
  kNotifyKeyevent = 1u << 1,  // E: publish on __keyevent@<db>__:<event>
  kNotifyGeneric = 1u << 2,   // g
  kNotifyString = 1u << 3,    // $
  kNotifyList = 1u << 4,      // l
  kNotifySet = 1u << 5,       // s
  kNotifyHash = 1u << 6,      // h
  kNotifyZset = 1u << 7,      // z
  kNotifyExpired = 1u << 8,   // x
  kNotifyEvicted = 1u << 9,   // e
  kNotifyStream = 1u << 10,   // t
  kNotifyKeyMiss = 1u << 11,  // m (not part of A, on purpose)
  kNotifyModule = 1u << 13,   // d
  kNotifyNew = 1u << 14,      // n (not part of A either)
  kNotifyAll = kNotifyGeneric | kNotifyString | kNotifyList | kNotifySet | kNotifyHash |
               kNotifyZset | kNotifyExpired | kNotifyEvicted | kNotifyStream | kNotifyModule,
};

// How a blocking command (BLPOP, BZPOPMIN, XREAD BLOCK, ...) that found nothing to serve
// waits for data.
struct BlockSpec {
  // Keys of the current database; data arriving under any of them wakes the client.
  std::span<const std::string_view> keys;
  // Only a key of this type wakes the client (a string SET under a BLPOP key does not).
  store::ValueType type = store::ValueType::kList;
  // Unix ms; 0 waits for ever.
  int64_t deadline_ms = 0;
  // What a timeout replies in RESP2: a null bulk ($-1: BLMOVE, BRPOPLPUSH) instead of a null
  // array (*-1). RESP3 has one null for both.
  bool null_bulk_on_timeout = false;
  // The command to run when a key is ready; empty: the command as the client sent it. XREAD
  // passes its arguments with "$" replaced by the stream's last ID at blocking time.
  std::span<const std::string_view> argv;
  // Also wake when a key is deleted or takes another type (Redis 7.2's unblock_on_nokey, for
  // XREADGROUP: the re-run replies the missing group's error).
  bool wake_on_missing_key = false;
};

// Side effects of writes, implemented by the server: WATCH invalidation, keyspace
// notifications, and waking blocked clients.
class KeyEvents {
 public:
  // A key's value changed or it was deleted (Redis's signalModifiedKey).
  virtual void KeyModified(int db_index, std::string_view key) = 0;
  // A database is about to be emptied (db_index -1: all of them). Called before the entries go,
  // so that WATCH can tell which watched keys existed.
  virtual void DatabaseFlushed(int db_index) = 0;
  // Databases `first` and `second` are about to trade contents (SWAPDB); called before.
  virtual void DatabasesSwapping(int first, int second) = 0;
  // Frees `table` (a flushed database) off the request path: FLUSHALL/FLUSHDB ASYNC.
  virtual void FreeInBackground(std::unique_ptr<store::Table> table) = 0;
  // Redis's notifyKeyspaceEvent.
  virtual void Notify(uint32_t notify_class, std::string_view event, std::string_view key,
                      int db_index) = 0;
  // Redis's signalKeyAsReady: `key` now holds data (a new list, sorted set or stream, or a
  // stream that grew) that clients blocked on it may take. Cheap when nobody is blocked.
  virtual void KeyReady(int db_index, std::string_view key) = 0;
  // Whether the running command may block. False inside MULTI/EXEC, where a blocking command
  // that finds nothing replies at once as if it had timed out.
  virtual bool CanBlock() const = 0;
  // Parks the running command's client as `spec` says; it runs the command again when a key
  // is ready, or replies the null of a timeout at the deadline.
  // REQUIRES: CanBlock(); the handler has not replied and replies nothing after this.
  virtual void Block(const BlockSpec& spec) = 0;
  // FLUSHALL has emptied every database (Redis's flushAllDataAndResetRDB): with save rules the
  // server saves the empty dataset before the command's reply goes out. Returns true when it
  // took over the reply (the handler then replies nothing); false to reply at once.
  virtual bool SaveAfterFlushAll() { return false; }

 protected:
  ~KeyEvents() = default;
};

class CommandContext {
 public:
  CommandContext(std::span<const std::string_view> args_in, resp::ReplyBuilder& reply_in,
                 store::Keyspace& keyspace_in, Session& session_in, const Limits& limits_in,
                 Counters& counters_in, KeyEvents* events_in, server::Client* client_in,
                 int64_t now_ms_in)
      : args(args_in),
        reply(reply_in),
        keyspace(keyspace_in),
        session(session_in),
        limits(limits_in),
        counters(counters_in),
        events(events_in),
        client(client_in),
        now_ms(now_ms_in) {}

  std::span<const std::string_view> args;
  resp::ReplyBuilder& reply;
  store::Keyspace& keyspace;
  Session& session;
  const Limits& limits;
  Counters& counters;
  KeyEvents* events;
  server::Client* client;
  const Command* command = nullptr;
  int64_t now_ms;

  size_t argc() const { return args.size(); }
  std::string_view arg(size_t index) const { return args[index]; }
  store::Database& db() { return keyspace.database(session.db_index); }

  // Redis's LRU clock: seconds, 24 bits.
  uint32_t lru_clock() const { return static_cast<uint32_t>((now_ms / 1000) & 0xffffff); }
  // The eviction data of a newly created object (Redis's createObject): the LRU clock, or
  // under an LFU policy the current minute with the initial counter LFU_INIT_VAL (5).
  uint32_t fresh_lru() const {
    constexpr uint32_t kLfuInitialCount = 5;
    if (!limits.lfu_policy) return lru_clock();
    uint32_t minutes = static_cast<uint32_t>((now_ms / 1000 / 60) & 0xffff);
    return (minutes << 8) | kLfuInitialCount;
  }

  // lookupKeyRead: the live entry, counting a keyspace hit or miss and refreshing its LRU.
  store::Entry* LookupRead(std::string_view key, store::Table::Position* position = nullptr) {
    store::Entry* entry = db().Lookup(key, now_ms, position);
    if (entry == nullptr) {
      counters.keyspace_misses++;
      Notify(kNotifyKeyMiss, "keymiss", key);
      return nullptr;
    }
    counters.keyspace_hits++;
    entry->set_lru(lru_clock());
    return entry;
  }
  // lookupKeyWrite: the live entry, without hit/miss accounting.
  store::Entry* LookupWrite(std::string_view key, store::Table::Position* position = nullptr) {
    store::Entry* entry = db().Lookup(key, now_ms, position);
    if (entry != nullptr) entry->set_lru(lru_clock());
    return entry;
  }

  // Records that `key` in the current database changed: counts `changes` towards the save
  // rules, invalidates WATCHes and sends the keyspace event.
  void KeyChanged(std::string_view key, uint32_t notify_class, std::string_view event,
                  uint64_t changes = 1) {
    counters.dirty += changes;
    if (events != nullptr) {
      events->KeyModified(session.db_index, key);
      events->Notify(notify_class, event, key, session.db_index);
    }
  }
  void Notify(uint32_t notify_class, std::string_view event, std::string_view key) {
    if (events != nullptr) events->Notify(notify_class, event, key, session.db_index);
  }
  void KeyReady(std::string_view key) {
    if (events != nullptr) events->KeyReady(session.db_index, key);
  }
  bool CanBlock() const { return events != nullptr && events->CanBlock(); }
  void Block(const BlockSpec& spec) {
    RINGDB_ASSERT(CanBlock());
    events->Block(spec);
  }
};

}  // namespace ringdb::commands
