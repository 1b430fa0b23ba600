#include "ringdb/persist/snapshot.h"

#include "ringdb/store/object.h"

namespace ringdb::persist {

Snapshot::Snapshot(store::Keyspace& keyspace, uint64_t epoch) : epoch_(epoch) {
  walks_.resize(static_cast<size_t>(keyspace.database_count()));
  for (int index = 0; index < keyspace.database_count(); index++) {
    store::Table& table = keyspace.database(index).table();
    RINGDB_ASSERT(table.epoch() < epoch);
    RINGDB_ASSERT(table.observer() == nullptr);
    table.set_epoch(epoch);
    table.set_observer(this);
    DatabaseWalk& walk = walks_[static_cast<size_t>(index)];
    walk.table = &table;
    walk.keys = table.size();
    walk.expires = table.volatile_size();
    // An empty database is not written at all (as Redis skips it).
    walk.done = walk.keys == 0;
    total_keys_ += walk.keys;
  }
}

Snapshot::~Snapshot() {
  Detach();
  for (DatabaseWalk& walk : walks_) {
    for (store::Entry* entry : walk.pending) store::Entry::Release(entry);
  }
}

void Snapshot::Detach() {
  for (DatabaseWalk& walk : walks_) {
    if (walk.table != nullptr && walk.table->observer() == this) walk.table->set_observer(nullptr);
  }
}

Snapshot::DatabaseWalk* Snapshot::WalkOf(const store::Table& table) {
  for (DatabaseWalk& walk : walks_) {
    if (walk.table == &table) return &walk;
  }
  return nullptr;
}

void Snapshot::BeforePageMutation(store::Table& table, const store::Page& page) {
  DatabaseWalk* walk = WalkOf(table);
  if (walk == nullptr || walk->done || page.version() >= epoch_) return;
  // The walk took every page whose range starts below its cursor.
  if (walk->started && page.range_start() < walk->cursor) return;
  if (page.size() == 0) return;
  stats_.pages_copied++;
  page.ForEach([&](store::Entry* entry) {
    entry->Retain();
    walk->pending.push_back(entry);
    stats_.preimage_entries++;
  });
}

bool Snapshot::Next(size_t entries_max, Chunk* chunk) {
  chunk->entries.clear();
  chunk->first_of_db = false;
  while (current_ < walks_.size()) {
    DatabaseWalk& walk = walks_[current_];
    if (walk.done && walk.pending.empty()) {
      current_++;
      continue;
    }
    chunk->db = static_cast<int>(current_);
    if (!walk.started) {
      walk.started = true;
      chunk->first_of_db = true;
      chunk->db_keys = walk.keys;
      chunk->db_expires = walk.expires;
    }
    if (chunk->entries.empty()) {
      chunk->entries.swap(walk.pending);
    } else {
      chunk->entries.insert(chunk->entries.end(), walk.pending.begin(), walk.pending.end());
      walk.pending.clear();
    }
    while (!walk.done && chunk->entries.size() < entries_max) {
      walk.cursor = walk.table->WalkPages(walk.cursor, [&](const store::Page& page) {
        if (page.version() < epoch_) {
          page.ForEach([&](store::Entry* entry) {
            entry->Retain();
            chunk->entries.push_back(entry);
            stats_.walked_entries++;
          });
        }
        return false;  // One page per step.
      });
      if (walk.cursor == 0) walk.done = true;
    }
    return true;
  }
  return false;
}

void Snapshot::Release(Chunk* chunk) {
  for (store::Entry* entry : chunk->entries) {
    if (entry->refcount() == 1) {
      // The table let go of it during the snapshot: only the snapshot kept it alive.
      stats_.cow_bytes += entry->AllocatedBytes();
      if (entry->is_object() && entry->object()->refcount() == 1) {
        stats_.cow_bytes += entry->object()->MemoryUsage(16);
      }
    }
    store::Entry::Release(entry);
  }
  chunk->entries.clear();
}

std::unique_ptr<store::Table> Snapshot::AdoptTable(std::unique_ptr<store::Table> table) {
  DatabaseWalk* walk = WalkOf(*table);
  if (walk == nullptr) return table;
  adopted_.push_back(std::move(table));
  return nullptr;
}

std::vector<std::unique_ptr<store::Table>> Snapshot::TakeAdoptedTables() {
  Detach();
  for (DatabaseWalk& walk : walks_) {
    for (const auto& table : adopted_) {
      if (walk.table == table.get()) walk.table = nullptr;
    }
  }
  return std::move(adopted_);
}

}  // namespace ringdb::persist
