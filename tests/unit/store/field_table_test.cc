// FieldTable: a map model over thousands of random edits through growth, incremental rehashing
// and shrinking; the SCAN promise across resizes; random picks; deep copies.
#include "ringdb/store/field_table.h"

#include <doctest/doctest.h>

#include <map>
#include <random>
#include <set>
#include <string>
#include <vector>

using ringdb::store::FieldTable;
using ringdb::store::FieldValue;

namespace {

std::map<std::string, std::string> Contents(const FieldTable& table) {
  std::map<std::string, std::string> out;
  table.ForEach([&](std::string_view field, std::string_view value) {
    bool fresh = out.emplace(field, value).second;
    REQUIRE(fresh);
  });
  return out;
}

std::mt19937_64* rng_for_random = nullptr;
uint64_t NextForTable() { return (*rng_for_random)(); }

std::string RandomBytes(std::mt19937_64& rng, size_t length) {
  std::string out(length, '\0');
  for (char& c : out) c = static_cast<char>(rng() & 0xff);
  return out;
}

}  // namespace

TEST_CASE("field table matches a std::map over random sets, replaces and deletes") {
  uint64_t seed = std::random_device{}();
  INFO("seed " << seed);
  std::mt19937_64 rng(seed);
  FieldTable table;
  std::map<std::string, std::string> model;
  bool saw_rehashing = false;
  for (int step = 0; step < 40000; step++) {
    // Phases of growth and of shrinkage, so the table resizes both ways many times.
    bool growing = (step / 5000) % 2 == 0;
    std::string field = "f" + std::to_string(rng() % 3000);
    int op = static_cast<int>(rng() % 10);
    if (op < (growing ? 6 : 2)) {
      // Values of every size class, so in-place rewrites and reallocations both happen.
      size_t length = rng() % 4 == 0 ? rng() % 300 : rng() % 12;
      std::string value = RandomBytes(rng, length);
      bool added = table.Set(field, value);
      CHECK(added == (model.count(field) == 0));
      model[field] = value;
    } else if (op < 9) {
      CHECK(table.Delete(field) == (model.erase(field) == 1));
    } else {
      std::string_view value;
      auto it = model.find(field);
      REQUIRE(table.Find(field, &value) == (it != model.end()));
      if (it != model.end()) CHECK(value == it->second);
    }
    saw_rehashing |= table.rehashing();
    REQUIRE(table.size() == model.size());
    if (step % 997 == 0) REQUIRE(Contents(table) == model);
  }
  CHECK(saw_rehashing);
  CHECK(Contents(table) == model);
}

TEST_CASE("field table keeps binary fields apart and finds the empty field") {
  FieldTable table;
  CHECK(table.Set("", "empty"));
  CHECK(table.Set(std::string("a\0b", 3), "nul"));
  CHECK(table.Set("a", "plain"));
  CHECK(table.Set("\r\n", "crlf"));
  CHECK_FALSE(table.Set("a", "again"));
  std::string_view value;
  REQUIRE(table.Find("", &value));
  CHECK(value == "empty");
  REQUIRE(table.Find(std::string("a\0b", 3), &value));
  CHECK(value == "nul");
  REQUIRE(table.Find("a", &value));
  CHECK(value == "again");
  CHECK_FALSE(table.Find(std::string("a\0", 2), nullptr));
  CHECK(table.size() == 4);
}

TEST_CASE("field table grows one bucket per change, never all at once") {
  FieldTable table;
  for (int i = 0; i < 64; i++) table.Set("f" + std::to_string(i), "v");
  // 64 elements in 64 buckets: the 65th starts a resize to 128 that later changes finish.
  REQUIRE_FALSE(table.rehashing());
  CHECK(table.buckets(0) == 64);
  table.Set("one-more", "v");
  CHECK(table.rehashing());
  CHECK(table.buckets(1) == 128);
  int changes = 0;
  while (table.rehashing()) {
    table.Set("extra" + std::to_string(changes), "v");
    changes++;
    REQUIRE(changes <= 64);
  }
  CHECK(table.buckets(0) == 128);
  CHECK(table.size() == 65 + static_cast<size_t>(changes));
}

TEST_CASE("field table shrinks below a tenth full") {
  FieldTable table;
  for (int i = 0; i < 1000; i++) table.Set("f" + std::to_string(i), "v");
  for (int i = 0; i < 990; i++) table.Delete("f" + std::to_string(i));
  for (int i = 0; i < 200 && table.rehashing(); i++) table.Delete("absent");
  // 1024 buckets shrank to 128 when 102 were left (the check runs on each delete that finds
  // its field, as Redis's, and not while a resize is under way).
  CHECK_FALSE(table.rehashing());
  CHECK(table.buckets(0) <= 128);
  CHECK(table.size() == 10);
  table.Delete("f990");
  for (int i = 0; i < 200 && table.rehashing(); i++) table.Delete("absent");
  CHECK(table.buckets(0) <= 16);
}

TEST_CASE("a scan returns every element present throughout, across growth and shrinkage") {
  uint64_t seed = std::random_device{}();
  INFO("seed " << seed);
  std::mt19937_64 rng(seed);
  for (int round = 0; round < 60; round++) {
    FieldTable table;
    size_t initial = 1 + rng() % 400;
    for (size_t i = 0; i < initial; i++) table.Set("keep" + std::to_string(i), "v");
    std::set<std::string> seen;
    uint64_t cursor = 0;
    int calls = 0;
    bool grow = round % 2 == 0;
    int churn = 0;
    do {
      cursor = table.Scan(cursor,
                          [&](std::string_view field, std::string_view) { seen.emplace(field); });
      // Between calls: add or remove other elements, enough to resize the table.
      for (int i = 0; i < 40; i++) {
        // Bounded: a table that doubled forever would outrun any cursor.
        if (grow && churn < 3000) {
          table.Set("churn" + std::to_string(churn++), "v");
        } else if (!grow && churn < 2000) {
          table.Set("temp" + std::to_string(churn), "v");
          table.Delete("temp" + std::to_string(churn - 1));
          churn++;
        }
      }
      REQUIRE(++calls < 100000);
    } while (cursor != 0);
    for (size_t i = 0; i < initial; i++) CHECK(seen.count("keep" + std::to_string(i)) == 1);
  }
}

TEST_CASE("a scan over a shrinking table still returns every element kept") {
  FieldTable table;
  for (int i = 0; i < 4000; i++) table.Set("drop" + std::to_string(i), "v");
  for (int i = 0; i < 50; i++) table.Set("keep" + std::to_string(i), "v");
  std::set<std::string> seen;
  uint64_t cursor = 0;
  int dropped = 0;
  do {
    cursor =
        table.Scan(cursor, [&](std::string_view field, std::string_view) { seen.emplace(field); });
    for (int i = 0; i < 100 && dropped < 4000; i++)
      table.Delete("drop" + std::to_string(dropped++));
  } while (cursor != 0);
  for (int i = 0; i < 50; i++) CHECK(seen.count("keep" + std::to_string(i)) == 1);
}

TEST_CASE("random picks return members, reach all of them, and work while rehashing") {
  std::mt19937_64 rng(42);
  rng_for_random = &rng;
  FieldTable table;
  for (int i = 0; i < 64; i++) table.Set("f" + std::to_string(i), "v" + std::to_string(i));
  table.Set("f64", "v64");
  REQUIRE(table.rehashing());
  std::set<std::string> picked;
  for (int i = 0; i < 5000; i++) {
    FieldValue pair = table.Random(NextForTable);
    std::string_view value;
    REQUIRE(table.Find(pair.field, &value));
    CHECK(value == pair.value);
    picked.emplace(pair.field);
  }
  CHECK(picked.size() == 65);
  rng_for_random = nullptr;
}

TEST_CASE("a copy is deep and independent") {
  FieldTable table;
  for (int i = 0; i < 100; i++) table.Set("f" + std::to_string(i), std::string(i, 'x'));
  FieldTable copy(table);
  CHECK(Contents(copy) == Contents(table));
  copy.Set("f1", "changed");
  copy.Delete("f2");
  std::string_view value;
  REQUIRE(table.Find("f1", &value));
  CHECK(value == "x");
  CHECK(table.Find("f2", nullptr));
  CHECK(copy.size() == 99);
}

TEST_CASE("values grow and shrink in place or move, keeping the field") {
  FieldTable table;
  table.Set("field", "v");
  for (size_t length : {1u, 7u, 100u, 5000u, 3u, 0u, 200000u, 1u}) {
    std::string value(length, 'q');
    CHECK_FALSE(table.Set("field", value) == true);
    std::string_view stored;
    REQUIRE(table.Find("field", &stored));
    CHECK(stored == value);
  }
  // A value that shrank from 200 KB to a byte does not keep the big block.
  CHECK(table.AllocatedBytes(0) < 1024);
}
