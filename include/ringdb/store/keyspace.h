// The databases of one shard and the expiry machinery over them.
#pragma once

#include <cstddef>
#include <cstdint>
#include <memory>
#include <string_view>
#include <vector>

#include "ringdb/store/entry.h"
#include "ringdb/store/table.h"

namespace ringdb::store {

// Told about keys that disappear on their own (expiry), so the server can count them, notify
// subscribers and log the deletion.
class KeyspaceListener {
 public:
  virtual void OnKeyExpired(int db_index, std::string_view key) = 0;

 protected:
  ~KeyspaceListener() = default;
};

struct ExpireStats {
  uint64_t expired_keys = 0;
  // Share of sampled volatile keys found expired by the last active cycle, in percent.
  double stale_percent = 0;
  uint64_t cycle_time_us = 0;
};

class Keyspace;

class Database {
 public:
  Database(Keyspace* keyspace, int index, uint64_t hash_seed);

  int index() const { return index_; }
  Table& table() { return *table_; }
  const Table& table() const { return *table_; }
  size_t size() const { return table_->size(); }
  size_t volatile_size() const { return table_->volatile_size(); }

  // The live entry for `key`: an entry whose deadline has passed is deleted here (lazy
  // expiry) and reported to the listener, and nullptr is returned.
  Entry* Lookup(std::string_view key, int64_t now_ms, Table::Position* position = nullptr);
  // Like Lookup, but leaves an expired entry in place (for reads that must not write).
  Entry* Peek(std::string_view key, int64_t now_ms) const;

  // Inserts or replaces the entry for entry->key(), taking its reference.
  void Put(Entry* entry);
  // Deletes `key` if present; returns whether it was.
  bool Erase(std::string_view key);
  void Clear() { table_->Clear(); }
  // Empties the database by handing over its table (for freeing elsewhere) and starting a
  // fresh one. O(1): no entry is touched.
  std::unique_ptr<Table> TakeTable();
  // Puts `table` (built elsewhere: a loaded snapshot) in place of the database's table, which
  // is returned. The new table's epoch is raised to the old one's.
  std::unique_ptr<Table> ExchangeTable(std::unique_ptr<Table> table);

  // Runs active expiry over at most `pages_max` pages from the saved cursor. Counts the
  // volatile entries it looked at and the ones it deleted.
  void ExpireSome(int64_t now_ms, size_t pages_max, size_t* sampled, size_t* expired);

  // Estimated average TTL of volatile keys in ms, as INFO keyspace reports (0 if unknown).
  int64_t average_ttl_ms() const { return average_ttl_ms_; }

 private:
  friend class Keyspace;
  void DeleteExpired(Table::Position position);

  Keyspace* keyspace_;
  int index_;
  std::unique_ptr<Table> table_;
  uint64_t expire_cursor_ = 0;
  int64_t average_ttl_ms_ = 0;
};

class Keyspace {
 public:
  friend class Database;

  Keyspace(int database_count, uint64_t hash_seed);

  int database_count() const { return static_cast<int>(databases_.size()); }
  Database& database(int index) { return *databases_[static_cast<size_t>(index)]; }
  const Database& database(int index) const { return *databases_[static_cast<size_t>(index)]; }

  void set_listener(KeyspaceListener* listener) { listener_ = listener; }
  KeyspaceListener* listener() const { return listener_; }

  // Exchanges the contents of two databases (SWAPDB).
  void Swap(int a, int b);
  void ClearAll();
  // Empties every database, handing over their tables (see Database::TakeTable).
  std::vector<std::unique_ptr<Table>> TakeAll();
  size_t TotalKeys() const;

  // One active-expiry cycle over all databases, bounded by `budget_us` of wall time.
  // Returns true when so many sampled keys were stale that the caller should run another
  // cycle soon (Redis's ACTIVE_EXPIRE_CYCLE_ACCEPTABLE_STALE, 10%).
  bool ActiveExpireCycle(int64_t now_ms, int64_t budget_us);

  const ExpireStats& expire_stats() const { return expire_stats_; }
  ExpireStats& mutable_expire_stats() { return expire_stats_; }

 private:
  std::vector<std::unique_ptr<Database>> databases_;
  KeyspaceListener* listener_ = nullptr;
  ExpireStats expire_stats_;
  int expire_next_db_ = 0;
};

}  // namespace ringdb::store
