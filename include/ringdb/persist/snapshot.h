// Snapshot: a point-in-time view of the keyspace, taken without fork() and without copying
// the dataset (promise 4 of DESIGN.md).
//
// Starting one bumps every table's epoch to E and makes this object the tables' mutation
// observer. From then on the keyspace is read in two ways, and together they give each key
// that existed at E exactly once, with its value at E:
//
//   - The walk. Next() visits the pages of one database after another in hash order and takes
//     every page whose version is still older than E: nothing on it changed since E.
//   - The pre-images. Before the loop changes a page for the first time in epoch E, the table
//     calls BeforePageMutation. If the walk has not passed the page yet, its entries are
//     taken right then, unchanged; the page's version becomes E, so the walk skips it later.
//     A page the walk has passed (its hash range starts below the walk's cursor) was taken
//     already and is left alone. Splits and merges touch every page they change first, so
//     the rule holds across them.
//
// "Taking" an entry retains it (one more reference): a shared entry is immutable, and a
// command that changes it replaces it with a copy (and clones a shared value object), so what
// the snapshot holds stays as it was at E while writes go on. The extra memory is what the
// loop copied while the snapshot held the original: bounded by the writes during the snapshot.
//
// SWAPDB moves tables between databases; the snapshot keeps the tables it captured, so it
// still writes each database as it was at E. A table emptied by FLUSHALL ASYNC is handed to the
// snapshot (AdoptTable) instead of being freed, and freed when the snapshot ends.
//
// Threads: everything here runs on the loop, which owns the keyspace. Chunks carry retained
// entries to the persistence thread, which only reads them; the loop releases them with
// Release() afterwards.
#pragma once

#include <cstddef>
#include <cstdint>
#include <memory>
#include <vector>

#include "ringdb/store/keyspace.h"
#include "ringdb/store/table.h"

namespace ringdb::persist {

class Snapshot final : public store::MutationObserver {
 public:
  // Entries of one database, retained for the persistence thread.
  struct Chunk {
    int db = 0;
    // The first chunk of a database: the writer starts the database here (SELECTDB), with
    // its key counts at the epoch.
    bool first_of_db = false;
    uint64_t db_keys = 0;
    uint64_t db_expires = 0;
    std::vector<store::Entry*> entries;
  };

  struct Stats {
    // Pages whose pre-image was taken because the loop changed them first.
    uint64_t pages_copied = 0;
    // Entries taken through pre-images, and through the walk.
    uint64_t preimage_entries = 0;
    uint64_t walked_entries = 0;
    // Bytes of entries and values kept alive only by the snapshot: what copy-on-write cost
    // (counted as chunks are released).
    uint64_t cow_bytes = 0;
  };

  // Captures `keyspace` at `epoch`, which must be greater than every table's epoch. O(number
  // of databases). REQUIRES: no other snapshot observes the keyspace.
  Snapshot(store::Keyspace& keyspace, uint64_t epoch);
  // Stops observing and releases what is still retained.
  ~Snapshot();
  Snapshot(const Snapshot&) = delete;
  Snapshot& operator=(const Snapshot&) = delete;

  uint64_t epoch() const { return epoch_; }
  // Keys and keys with an expiry in the snapshot, over all databases.
  uint64_t total_keys() const { return total_keys_; }

  // Fills `chunk` (cleared first) with up to `entries_max` retained entries of the current
  // database, taking at least one page if any is left. Returns false when every key has been
  // handed out (chunk is then empty).
  bool Next(size_t entries_max, Chunk* chunk);
  // Drops the chunk's references, counting the bytes that only the snapshot kept alive.
  void Release(Chunk* chunk);

  // Takes ownership of a table emptied out of a database (FLUSHALL/FLUSHDB ASYNC) while this
  // snapshot may still need it. Returns the table back when the snapshot never captured it.
  std::unique_ptr<store::Table> AdoptTable(std::unique_ptr<store::Table> table);
  // Tables adopted so far, for the caller to free once the snapshot is over.
  std::vector<std::unique_ptr<store::Table>> TakeAdoptedTables();

  const Stats& stats() const { return stats_; }

  void BeforePageMutation(store::Table& table, const store::Page& page) override;

 private:
  struct DatabaseWalk {
    store::Table* table = nullptr;
    uint64_t keys = 0;
    uint64_t expires = 0;
    // Hash of the first page not walked yet; `done` once the walk wrapped.
    uint64_t cursor = 0;
    bool started = false;
    bool done = false;
    // Pre-images not handed out yet.
    std::vector<store::Entry*> pending;
  };

  DatabaseWalk* WalkOf(const store::Table& table);
  void Detach();

  uint64_t epoch_;
  uint64_t total_keys_ = 0;
  std::vector<DatabaseWalk> walks_;
  // The database being walked (index into walks_).
  size_t current_ = 0;
  std::vector<std::unique_ptr<store::Table>> adopted_;
  Stats stats_;
};

}  // namespace ringdb::persist
