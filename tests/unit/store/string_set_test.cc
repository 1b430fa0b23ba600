// StringSet: binary-safe members, incremental rehashing in both directions, dictScan's
// guarantee across resizes, and a randomized comparison with std::set.
#include "ringdb/store/string_set.h"

#include <doctest/doctest.h>

#include <random>
#include <set>
#include <string>
#include <vector>

using ringdb::store::StringSet;

namespace {

std::set<std::string> Members(const StringSet& set) {
  std::set<std::string> out;
  set.ForEach([&](std::string_view member) { out.emplace(member); });
  return out;
}

std::string MemberName(uint64_t n) { return "member:" + std::to_string(n); }

}  // namespace

TEST_CASE("StringSet keeps binary members, the empty member and long members apart") {
  StringSet set;
  std::vector<std::string> members = {"",         std::string("\0", 1),   std::string("a\0b", 3),
                                      "\r\n",     std::string(254, 'x'),  std::string(255, 'x'),
                                      "\xff\xfe", std::string(70000, 'y')};
  for (const std::string& member : members) CHECK(set.Insert(member));
  for (const std::string& member : members) CHECK_FALSE(set.Insert(member));
  CHECK(set.size() == members.size());
  for (const std::string& member : members) CHECK(set.Contains(member));
  CHECK_FALSE(set.Contains("a"));
  CHECK(Members(set) == std::set<std::string>(members.begin(), members.end()));
  CHECK(set.CheckInvariants());
  for (const std::string& member : members) CHECK(set.Erase(member));
  CHECK(set.empty());
  CHECK_FALSE(set.Erase(""));
}

TEST_CASE("StringSet grows and shrinks incrementally: one bucket per change") {
  StringSet set;
  bool saw_rehash = false;
  for (uint64_t i = 0; i < 5000; i++) {
    REQUIRE(set.Insert(MemberName(i)));
    saw_rehash = saw_rehash || set.rehashing();
    if (i % 97 == 0) REQUIRE(set.CheckInvariants());
    // Lookups find members in either table mid-rehash.
    if (set.rehashing()) REQUIRE(set.Contains(MemberName(i / 2)));
  }
  CHECK(saw_rehash);
  size_t grown_buckets = set.bucket_count();
  for (uint64_t i = 0; i < 4990; i++) {
    REQUIRE(set.Erase(MemberName(i)));
    if (i % 97 == 0) REQUIRE(set.CheckInvariants());
  }
  // Keep changing until the shrink completes.
  for (int i = 0; i < 1000; i++) {
    set.Insert("x");
    set.Erase("x");
  }
  CHECK_FALSE(set.rehashing());
  CHECK(set.size() == 10);
  CHECK(set.bucket_count() <= 32);
  CHECK(grown_buckets >= 4096);
  for (uint64_t i = 4990; i < 5000; i++) CHECK(set.Contains(MemberName(i)));
}

TEST_CASE("StringSet scan returns every member present throughout, across growth and shrink") {
  // Mode 0 grows the table between calls, mode 1 shrinks it, mode 2 does both in turns.
  for (int mode = 0; mode < 3; mode++) {
    CAPTURE(mode);
    StringSet set;
    for (uint64_t i = 0; i < 1000; i++) set.Insert(MemberName(i));
    uint64_t extra_low = 1000;
    uint64_t extra_high = mode == 0 ? 1000 : 30000;
    for (uint64_t i = extra_low; i < extra_high; i++) set.Insert(MemberName(i));
    std::set<std::string> seen;
    uint64_t cursor = 0;
    int calls = 0;
    do {
      cursor = set.Scan(cursor, [&](std::string_view member) { seen.emplace(member); });
      calls++;
      bool grow = mode == 0 || (mode == 2 && calls % 2 == 0);
      // Growth of one member per call keeps the iteration finite (the table may double while
      // the scan is under way, but not without end).
      for (int k = 0; k < (grow ? 1 : 60); k++) {
        if (grow) {
          set.Insert(MemberName(extra_high++));
        } else if (extra_low < extra_high) {
          set.Erase(MemberName(extra_low++));
        }
      }
      REQUIRE(calls < 200000);
    } while (cursor != 0);
    for (uint64_t i = 0; i < 1000; i++) CHECK(seen.count(MemberName(i)) == 1);
    CHECK(set.CheckInvariants());
  }
}

TEST_CASE("StringSet random picks reach every member and copies are independent") {
  StringSet set;
  for (uint64_t i = 0; i < 50; i++) set.Insert(MemberName(i));
  std::set<std::string> picked;
  std::mt19937_64 rng(7);
  for (int i = 0; i < 5000; i++) picked.emplace(set.Random(rng()));
  CHECK(picked.size() == 50);
  StringSet copy(set);
  CHECK(copy.CheckInvariants());
  copy.Erase(MemberName(1));
  CHECK(set.Contains(MemberName(1)));
  CHECK(Members(copy).size() == 49);
  CHECK(set.AllocatedBytes() > 50 * 16);
  CHECK(set.AllocatedBytes(5) > 0);
}

TEST_CASE("StringSet matches std::set over random inserts and erases") {
  uint64_t seed = 0x5e7;
  INFO("seed " << seed);
  std::mt19937_64 rng(seed);
  StringSet set;
  std::set<std::string> model;
  for (int step = 0; step < 30000; step++) {
    // Waves of growth and shrinkage, so rehashes run both ways.
    bool grow = (step / 3000) % 2 == 0;
    std::string member = MemberName(rng() % 4000);
    if (rng() % 10 < (grow ? 3u : 7u)) {
      CHECK(set.Erase(member) == (model.erase(member) == 1));
    } else {
      CHECK(set.Insert(member) == model.insert(member).second);
    }
    CHECK(set.Contains(member) == (model.count(member) == 1));
    if (step % 1500 == 0) {
      REQUIRE(set.CheckInvariants());
      REQUIRE(Members(set) == model);
    }
  }
  CHECK(set.size() == model.size());
}
