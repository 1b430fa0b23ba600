#include "ringdb/store/keyspace.h"

#include <string>

#include "ringdb/base/clock.h"

namespace ringdb::store {

Database::Database(Keyspace* keyspace, int index, uint64_t hash_seed)
    : keyspace_(keyspace), index_(index), table_(std::make_unique<Table>(hash_seed)) {}

void Database::DeleteExpired(Table::Position position) {
  Entry* entry = table_->Detach(position);
  keyspace_->expire_stats_.expired_keys++;
  if (keyspace_->listener_ != nullptr) keyspace_->listener_->OnKeyExpired(index_, entry->key());
  Entry::Release(entry);
}

Entry* Database::Lookup(std::string_view key, int64_t now_ms, Table::Position* position) {
  Table::Position found;
  Entry* entry = table_->Find(key, &found);
  if (entry != nullptr && entry->ExpiredAt(now_ms)) {
    DeleteExpired(found);
    entry = nullptr;
  }
  if (position != nullptr) {
    // A miss still tells the caller the key's hash (for the insert that usually follows).
    *position = entry != nullptr ? found : Table::Position{nullptr, -1, found.hash};
  }
  return entry;
}

Entry* Database::Peek(std::string_view key, int64_t now_ms) const {
  Entry* entry = table_->Find(key);
  if (entry == nullptr || entry->ExpiredAt(now_ms)) return nullptr;
  return entry;
}

void Database::Put(Entry* entry) {
  Table::Position position;
  uint64_t hash = table_->Hash(entry->key());
  if (table_->Find(entry->key(), hash, &position) != nullptr) {
    table_->Replace(position, entry);
  } else {
    table_->Insert(entry, hash);
  }
}

bool Database::Erase(std::string_view key) {
  Table::Position position;
  if (table_->Find(key, &position) == nullptr) return false;
  table_->Remove(position);
  return true;
}

void Database::ExpireSome(int64_t now_ms, size_t pages_max, size_t* sampled, size_t* expired) {
  if (table_->volatile_size() == 0) return;
  size_t pages = 0;
  // TTLs reach 2^63 ms (PXAT near the int64 limit): their sum needs more than 64 bits.
  __int128 ttl_sum = 0;
  size_t ttl_count = 0;
  // Expired keys are collected first and deleted after the walk: deleting may merge pages,
  // which must not happen under the walk's feet.
  std::vector<std::string> doomed;
  expire_cursor_ = table_->WalkPages(expire_cursor_, [&](const Page& page) {
    if (page.volatile_count() > 0) {
      page.ForEach([&](Entry* entry) {
        if (!entry->has_expire()) return;
        (*sampled)++;
        int64_t ttl = entry->expire_at_ms() - now_ms;
        if (ttl < 0) {
          doomed.emplace_back(entry->key());
        } else {
          ttl_sum += ttl;
          ttl_count++;
        }
      });
    }
    return ++pages < pages_max;
  });
  for (const std::string& key : doomed) {
    Table::Position position;
    Entry* entry = table_->Find(key, &position);
    if (entry != nullptr && entry->ExpiredAt(now_ms)) {
      DeleteExpired(position);
      (*expired)++;
    }
  }
  if (ttl_count > 0) {
    // Redis smooths the estimate: 2% of each new sample.
    auto sample_average = static_cast<int64_t>(ttl_sum / static_cast<__int128>(ttl_count));
    average_ttl_ms_ =
        average_ttl_ms_ == 0 ? sample_average : (average_ttl_ms_ / 50) * 49 + sample_average / 50;
  }
}

Keyspace::Keyspace(int database_count, uint64_t hash_seed) {
  databases_.reserve(static_cast<size_t>(database_count));
  for (int i = 0; i < database_count; i++) {
    databases_.push_back(std::make_unique<Database>(this, i, hash_seed));
  }
}

void Keyspace::Swap(int a, int b) {
  if (a == b) return;
  Database& first = *databases_[static_cast<size_t>(a)];
  Database& second = *databases_[static_cast<size_t>(b)];
  std::swap(first.table_, second.table_);
  std::swap(first.expire_cursor_, second.expire_cursor_);
  std::swap(first.average_ttl_ms_, second.average_ttl_ms_);
}

std::unique_ptr<Table> Database::TakeTable() {
  auto fresh = std::make_unique<Table>(table_->hash_seed());
  fresh->set_epoch(table_->epoch());
  std::swap(fresh, table_);
  expire_cursor_ = 0;
  average_ttl_ms_ = 0;
  return fresh;
}

std::unique_ptr<Table> Database::ExchangeTable(std::unique_ptr<Table> table) {
  RINGDB_ASSERT(table->observer() == nullptr);
  if (table->epoch() < table_->epoch()) table->set_epoch(table_->epoch());
  std::swap(table, table_);
  expire_cursor_ = 0;
  average_ttl_ms_ = 0;
  return table;
}

std::vector<std::unique_ptr<Table>> Keyspace::TakeAll() {
  std::vector<std::unique_ptr<Table>> tables;
  for (auto& database : databases_) tables.push_back(database->TakeTable());
  return tables;
}

void Keyspace::ClearAll() {
  for (auto& database : databases_) {
    database->Clear();
    database->expire_cursor_ = 0;
    database->average_ttl_ms_ = 0;
  }
}

size_t Keyspace::TotalKeys() const {
  size_t total = 0;
  for (const auto& database : databases_) total += database->size();
  return total;
}

bool Keyspace::ActiveExpireCycle(int64_t now_ms, int64_t budget_us) {
  // Pages per step: about 200 volatile keys, a few microseconds of work, between clock reads.
  constexpr size_t kPagesPerStep = 8;
  int64_t start_us = MonotonicUs();
  size_t sampled = 0;
  size_t expired = 0;
  int databases_left = database_count();
  while (databases_left > 0) {
    Database& database = *databases_[static_cast<size_t>(expire_next_db_)];
    size_t before = sampled;
    if (database.volatile_size() > 0)
      database.ExpireSome(now_ms, kPagesPerStep, &sampled, &expired);
    bool database_done =
        database.volatile_size() == 0 || database.expire_cursor_ == 0 || sampled == before;
    if (database_done) {
      expire_next_db_ = (expire_next_db_ + 1) % database_count();
      databases_left--;
    }
    if (MonotonicUs() - start_us >= budget_us) break;
  }
  int64_t elapsed_us = MonotonicUs() - start_us;
  expire_stats_.cycle_time_us += static_cast<uint64_t>(elapsed_us);
  double stale =
      sampled == 0 ? 0.0 : 100.0 * static_cast<double>(expired) / static_cast<double>(sampled);
  expire_stats_.stale_percent = stale;
  return stale > 10.0 && elapsed_us >= budget_us;
}

}  // namespace ringdb::store
