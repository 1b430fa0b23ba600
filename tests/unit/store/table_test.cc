#include <doctest/doctest.h>

#include <cstdio>
#include <random>
#include <set>
#include <string>

#include "ringdb/store/table.h"

using namespace ringdb::store;

namespace {
Entry* Make(const std::string& key, const std::string& value = "v", int64_t expire = kNoExpire) {
  return Entry::New(key, value, ValueType::kString, Encoding::kEmbstr, expire);
}

std::set<std::string> ScanAll(const Table& table, int* calls = nullptr) {
  std::set<std::string> seen;
  uint64_t cursor = 0;
  int steps = 0;
  do {
    cursor = table.WalkPages(cursor, [&](const Page& page) {
      page.ForEach([&](Entry* entry) { seen.insert(std::string(entry->key())); });
      return false;
    });
    steps++;
  } while (cursor != 0);
  if (calls != nullptr) *calls = steps;
  return seen;
}
}  // namespace

TEST_CASE("a table grows by splitting pages and keeps every key findable") {
  Table table(12345);
  const int kKeys = 100000;
  for (int i = 0; i < kKeys; i++) table.Insert(Make("key:" + std::to_string(i)));
  CHECK(table.size() == kKeys);
  CHECK(table.CheckInvariants());
  CHECK(table.page_count() > static_cast<size_t>(kKeys / Page::kSlots));
  for (int i = 0; i < kKeys; i++) {
    Entry* entry = table.Find("key:" + std::to_string(i));
    REQUIRE(entry != nullptr);
    CHECK(entry->key() == "key:" + std::to_string(i));
  }
  CHECK(table.Find("key:-1") == nullptr);
  // Pages stay reasonably full: extendible hashing averages about 69%.
  double fill = static_cast<double>(kKeys) / (table.page_count() * Page::kSlots);
  CHECK(fill > 0.55);
}

TEST_CASE("deleting shrinks the table back by merging pages") {
  Table table(99);
  for (int i = 0; i < 20000; i++) table.Insert(Make("k" + std::to_string(i)));
  size_t pages_full = table.page_count();
  for (int i = 0; i < 20000; i++) {
    Table::Position position;
    REQUIRE(table.Find("k" + std::to_string(i), &position) != nullptr);
    table.Remove(position);
    if (i % 997 == 0) REQUIRE(table.CheckInvariants());
  }
  CHECK(table.size() == 0);
  CHECK(table.page_count() < pages_full / 10);
  CHECK(table.CheckInvariants());
}

TEST_CASE("a scan of a quiet table returns each key once, a page per step") {
  Table table(21);
  for (int i = 0; i < 3000; i++) table.Insert(Make("q" + std::to_string(i)));
  int steps = 0;
  std::set<std::string> seen = ScanAll(table, &steps);
  CHECK(seen.size() == 3000);
  CHECK(static_cast<size_t>(steps) == table.page_count());
}

TEST_CASE("a full scan returns every key once even while pages split under it") {
  Table table(7);
  for (int i = 0; i < 2000; i++) table.Insert(Make("stable:" + std::to_string(i)));
  std::set<std::string> seen;
  uint64_t cursor = 0;
  int added = 0;
  do {
    cursor = table.WalkPages(cursor, [&](const Page& page) {
      page.ForEach([&](Entry* entry) { seen.insert(std::string(entry->key())); });
      return false;
    });
    // Grow the table between scan steps, forcing splits (and directory doublings).
    for (int i = 0; i < 50; i++) table.Insert(Make("new:" + std::to_string(added++)));
  } while (cursor != 0);
  for (int i = 0; i < 2000; i++) {
    CAPTURE(i);
    CHECK(seen.count("stable:" + std::to_string(i)) == 1);
  }
  CHECK(table.CheckInvariants());
}

TEST_CASE("a scan survives merges between steps") {
  Table table(8);
  for (int i = 0; i < 4000; i++) table.Insert(Make("stable:" + std::to_string(i)));
  for (int i = 0; i < 4000; i++) table.Insert(Make("doomed:" + std::to_string(i)));
  std::set<std::string> seen;
  uint64_t cursor = 0;
  int removed = 0;
  do {
    cursor = table.WalkPages(cursor, [&](const Page& page) {
      page.ForEach([&](Entry* entry) { seen.insert(std::string(entry->key())); });
      return false;
    });
    for (int i = 0; i < 100 && removed < 4000; i++, removed++) {
      Table::Position position;
      REQUIRE(table.Find("doomed:" + std::to_string(removed), &position));
      table.Remove(position);
    }
  } while (cursor != 0);
  for (int i = 0; i < 4000; i++) CHECK(seen.count("stable:" + std::to_string(i)) == 1);
}

TEST_CASE("volatile counts follow inserts, replacements and removals") {
  Table table(3);
  table.Insert(Make("a", "1", 1000));
  table.Insert(Make("b", "1"));
  CHECK(table.volatile_size() == 1);
  Table::Position position;
  REQUIRE(table.Find("b", &position));
  table.Replace(position, Make("b", "2", 2000));
  CHECK(table.volatile_size() == 2);
  REQUIRE(table.Find("a", &position));
  table.Remove(position);
  CHECK(table.volatile_size() == 1);
  CHECK(table.CheckInvariants());
}

namespace {
class RecordingObserver : public MutationObserver {
 public:
  void BeforePageMutation(Table&, const Page& page) override {
    seen.push_back(page.version());
    sizes.push_back(page.size());
  }
  std::vector<uint64_t> seen;
  std::vector<int> sizes;
};
}  // namespace

TEST_CASE("the observer sees each page once per epoch, before it changes") {
  Table table(5);
  RecordingObserver observer;
  table.set_observer(&observer);
  table.Insert(Make("x"));
  CHECK(observer.seen.empty());  // Epoch 0: no snapshot is running.
  table.set_epoch(1);
  table.Insert(Make("y"));
  table.Insert(Make("z"));
  REQUIRE(observer.seen.size() == 1);
  CHECK(observer.seen[0] == 0);
  CHECK(observer.sizes[0] == 1);  // Seen before "y" went in.
  table.set_epoch(2);
  Table::Position position;
  REQUIRE(table.Find("x", &position));
  table.Remove(position);
  CHECK(observer.seen.size() == 2);
  CHECK(observer.sizes[1] == 3);
}

TEST_CASE("random entries come from the table and cover it") {
  Table table(11);
  CHECK(table.RandomEntry(42) == nullptr);
  for (int i = 0; i < 500; i++) table.Insert(Make("r" + std::to_string(i)));
  std::mt19937_64 random(2024);
  std::set<std::string> picked;
  for (int i = 0; i < 20000; i++) {
    Entry* entry = table.RandomEntry(random());
    REQUIRE(entry != nullptr);
    picked.insert(std::string(entry->key()));
  }
  CHECK(picked.size() > 450);
}

TEST_CASE("entries keep expiry, key and value in one block") {
  Entry* entry = Entry::New("key", "value", ValueType::kString, Encoding::kEmbstr, 123456);
  CHECK(entry->key() == "key");
  CHECK(entry->value() == "value");
  CHECK(entry->has_expire());
  CHECK(entry->expire_at_ms() == 123456);
  CHECK_FALSE(entry->ExpiredAt(123456));
  CHECK(entry->ExpiredAt(123457));
  Entry* persisted = Entry::CopyWithExpire(*entry, kNoExpire);
  CHECK_FALSE(persisted->has_expire());
  CHECK(persisted->value() == "value");
  Entry::Release(entry);
  Entry::Release(persisted);
  Entry* small = Entry::New(std::string(16, 'k'), std::string(32, 'v'), ValueType::kString,
                            Encoding::kEmbstr, kNoExpire);
  CHECK(small->AllocatedBytes() <= 64);
  Entry::Release(small);
}

TEST_CASE("Reserve makes the pages for a hinted number of keys, and the table stays valid") {
  Table table(4711);
  table.Reserve(100000);
  CHECK(table.global_depth() > 10);
  size_t pages_before = table.page_count();
  CHECK(table.CheckInvariants());
  for (int i = 0; i < 100000; i++) table.Insert(Make("r" + std::to_string(i)));
  CHECK(table.CheckInvariants());
  CHECK(table.size() == 100000);
  // The reserved pages were (nearly) enough: few splits happened.
  CHECK(table.page_count() < pages_before + pages_before / 4);
  for (int i = 0; i < 100000; i += 997) CHECK(table.Find("r" + std::to_string(i)) != nullptr);
  CHECK(ScanAll(table).size() == 100000);
  // A table that holds something is left alone.
  Table used(1);
  used.Insert(Make("x"));
  used.Reserve(1000000);
  CHECK(used.global_depth() == 0);
  // Deleting everything merges the reserved pages back down.
  for (int i = 0; i < 100000; i++) {
    Table::Position position;
    REQUIRE(table.Find("r" + std::to_string(i), &position) != nullptr);
    table.Remove(position);
  }
  CHECK(table.CheckInvariants());
}
