// The snapshot protocol against a model: whatever the loop does while a snapshot is handed out
// (inserts that split pages, deletes that merge them, in-place changes, expiry changes, MOVE,
// SWAPDB, FLUSHDB in place and ASYNC), the chunks hold exactly the keyspace as it was when the
// snapshot started: every key once, with its value and expiry at the epoch.
#include "ringdb/persist/snapshot.h"

#include <doctest/doctest.h>

#include <cstring>
#include <map>
#include <memory>
#include <random>
#include <string>
#include <utility>
#include <vector>

#include "ringdb/store/keyspace.h"

namespace ringdb::persist {
namespace {

using store::Entry;
using store::Table;

constexpr int kDatabases = 4;

// Per database: key -> (value, expiry).
using Model = std::vector<std::map<std::string, std::pair<std::string, int64_t>>>;

Entry* MakeString(const std::string& key, const std::string& value, int64_t expire) {
  return Entry::New(key, value, store::ValueType::kString, store::Encoding::kRaw, expire,
                    value.size() + 8);
}

Model Capture(const store::Keyspace& keyspace) {
  Model model(kDatabases);
  for (int db = 0; db < kDatabases; db++) {
    keyspace.database(db).table().ForEach([&](Entry* entry) {
      model[static_cast<size_t>(db)][std::string(entry->key())] = {std::string(entry->value()),
                                                                   entry->expire_at_ms()};
    });
  }
  return model;
}

class Mutator {
 public:
  Mutator(store::Keyspace* keyspace, Snapshot* snapshot, uint64_t seed)
      : keyspace_(keyspace), snapshot_(snapshot), random_(seed) {}

  std::string RandomKey() { return "key:" + std::to_string(random_() % 6000); }

  // One random change, as the commands make them: never editing a shared entry in place.
  void Step() {
    int db = static_cast<int>(random_() % kDatabases);
    store::Database& database = keyspace_->database(db);
    Table& table = database.table();
    std::string key = RandomKey();
    Table::Position position;
    Entry* entry = table.Find(key, &position);
    switch (random_() % 100) {
      case 0:
        keyspace_->Swap(db, static_cast<int>(random_() % kDatabases));
        return;
      case 1:
        if (random_() % 4 == 0) database.Clear();
        return;
      case 2:
        if (random_() % 4 == 0) {
          std::unique_ptr<Table> taken = database.TakeTable();
          if (snapshot_ != nullptr) taken = snapshot_->AdoptTable(std::move(taken));
        }
        return;
      default:
        break;
    }
    int action = static_cast<int>(random_() % 5);
    if (entry == nullptr) {
      table.Insert(MakeString(key, "new" + std::to_string(random_() % 1000), store::kNoExpire),
                   position.hash);
    } else if (action == 0) {
      table.Remove(position);
    } else if (action == 1) {
      // APPEND-like: in place unless shared.
      entry = table.PrepareInPlaceChange(position);
      if (entry->shared() || entry->value_capacity() < entry->value_length() + 1) {
        std::string value = std::string(entry->value()) + "+";
        table.Replace(position, MakeString(key, value, entry->expire_at_ms()));
      } else {
        entry->mutable_value()[entry->value_length()] = '+';
        entry->set_value_length(entry->value_length() + 1);
      }
    } else if (action == 2) {
      int64_t deadline = static_cast<int64_t>(random_() % 100000) + 1;
      if (entry->has_expire()) {
        entry = table.PrepareInPlaceChange(position);
        if (!entry->shared()) {
          entry->set_expire_at_ms(deadline);
          return;
        }
      }
      table.Replace(position, Entry::CopyWithExpire(*entry, deadline));
    } else if (action == 3) {
      // MOVE: the entry itself changes tables.
      store::Database& target = keyspace_->database((db + 1) % kDatabases);
      if (target.table().Find(key) != nullptr) return;
      target.table().Insert(table.Detach(position));
    } else {
      table.Replace(position,
                    MakeString(key, "set" + std::to_string(random_() % 1000), store::kNoExpire));
    }
  }

 private:
  store::Keyspace* keyspace_;
  Snapshot* snapshot_;
  std::mt19937_64 random_;
};

void Populate(store::Keyspace& keyspace, Mutator& mutator, int steps) {
  for (int i = 0; i < steps; i++) mutator.Step();
  (void)keyspace;
}

TEST_CASE("a snapshot holds exactly the keyspace at its epoch while writes go on") {
  for (uint64_t seed = 1; seed <= 12; seed++) {
    CAPTURE(seed);
    store::Keyspace keyspace(kDatabases, 0x5eed + seed);
    Mutator setup(&keyspace, nullptr, seed);
    Populate(keyspace, setup, 20000);

    for (uint64_t epoch = 1; epoch <= 3; epoch++) {
      Model expected = Capture(keyspace);
      Model got(kDatabases);
      std::vector<int> first_seen(kDatabases, 0);
      uint64_t expected_keys = 0;
      for (const auto& db : expected) expected_keys += db.size();
      {
        Snapshot snapshot(keyspace, epoch);
        CHECK(snapshot.total_keys() == expected_keys);
        Mutator mutator(&keyspace, &snapshot, seed * 1000 + epoch);
        Snapshot::Chunk chunk;
        // Writes between chunks, a few to many of them, so some pages are copied and some
        // are walked.
        while (snapshot.Next(64, &chunk)) {
          size_t db = static_cast<size_t>(chunk.db);
          if (chunk.first_of_db) {
            first_seen[db]++;
            CHECK(chunk.db_keys == expected[db].size());
          }
          for (Entry* entry : chunk.entries) {
            bool inserted =
                got[db]
                    .emplace(std::string(entry->key()),
                             std::make_pair(std::string(entry->value()), entry->expire_at_ms()))
                    .second;
            CHECK_MESSAGE(inserted, "key handed out twice: " << entry->key());
          }
          int writes = static_cast<int>(chunk.entries.size() % 7 == 0 ? 200 : 5);
          for (int i = 0; i < writes; i++) mutator.Step();
          snapshot.Release(&chunk);
        }
        for (int i = 0; i < 500; i++) mutator.Step();
        snapshot.TakeAdoptedTables();
      }
      for (int db = 0; db < kDatabases; db++) {
        CHECK(got[static_cast<size_t>(db)] == expected[static_cast<size_t>(db)]);
        CHECK(first_seen[static_cast<size_t>(db)] ==
              (expected[static_cast<size_t>(db)].empty() ? 0 : 1));
        CHECK(keyspace.database(db).table().CheckInvariants());
        CHECK(keyspace.database(db).table().observer() == nullptr);
      }
    }
  }
}

TEST_CASE("a snapshot shares unchanged entries and copies only what changes") {
  store::Keyspace keyspace(1, 77);
  Table& table = keyspace.database(0).table();
  for (int i = 0; i < 5000; i++) {
    table.Insert(MakeString("k" + std::to_string(i), std::string(100, 'x'), store::kNoExpire));
  }
  Snapshot snapshot(keyspace, 1);
  // Change ten keys before the walk reaches them: their pages' pre-images are taken.
  for (int i = 0; i < 10; i++) {
    Table::Position position;
    std::string key = "k" + std::to_string(i);
    REQUIRE(table.Find(key, &position) != nullptr);
    table.Replace(position, MakeString(key, "changed", store::kNoExpire));
  }
  CHECK(snapshot.stats().pages_copied >= 1);
  CHECK(snapshot.stats().pages_copied <= 10);
  Snapshot::Chunk chunk;
  size_t handed_out = 0;
  while (snapshot.Next(1000, &chunk)) {
    for (Entry* entry : chunk.entries) {
      CHECK(entry->value() == std::string(100, 'x'));
      handed_out++;
    }
    snapshot.Release(&chunk);
  }
  CHECK(handed_out == 5000);
  CHECK(snapshot.stats().preimage_entries + snapshot.stats().walked_entries == 5000);
  // The ten replaced entries were kept alive by the snapshot alone.
  CHECK(snapshot.stats().cow_bytes >= 10 * 100);
  CHECK(snapshot.stats().cow_bytes < 10 * 400);
  // Unchanged entries are back to one reference.
  Table::Position position;
  Entry* entry = table.Find("k4999", &position);
  REQUIRE(entry != nullptr);
  CHECK(entry->refcount() == 1);
}

}  // namespace
}  // namespace ringdb::persist
