// ZsetValue: score text as Redis 7.2 writes it, the listpack bytes, both encodings against a
// std::set model over thousands of random edits (crossing the conversion thresholds by count
// and by member length), ranges, rank deletes, and ZSCAN's stable cursor across resizes.
#include "ringdb/store/zset_value.h"

#include <doctest/doctest.h>

#include <cmath>
#include <map>
#include <random>
#include <set>
#include <string>
#include <utility>
#include <vector>

using ringdb::store::FormatScore;
using ringdb::store::FormatScoreDtoa;
using ringdb::store::FormatScoreLongDouble;
using ringdb::store::LexRange;
using ringdb::store::ScoreRange;
using ringdb::store::ZsetCursor;
using ringdb::store::ZsetValue;

namespace {

std::string Score(double value) {
  char buffer[ringdb::store::kScoreTextMax];
  return std::string(buffer, FormatScore(value, buffer));
}
std::string Dtoa(double value) {
  char buffer[ringdb::store::kScoreTextMax];
  return std::string(buffer, FormatScoreDtoa(value, buffer));
}

using Model = std::set<std::pair<double, std::string>>;

std::vector<std::pair<std::string, double>> Elements(const ZsetValue& zset) {
  std::vector<std::pair<std::string, double>> out;
  if (zset.size() == 0) return out;
  for (ZsetCursor c = zset.At(0); c.valid(); c.Next()) out.emplace_back(c.member(), c.score());
  return out;
}

void CheckAgainst(const ZsetValue& zset, const Model& model) {
  REQUIRE(zset.size() == model.size());
  std::vector<std::pair<std::string, double>> got = Elements(zset);
  size_t i = 0;
  for (const auto& [score, member] : model) {
    CHECK(got[i].first == member);
    CHECK(got[i].second == score);
    i++;
  }
  // Backwards too, and ranks.
  if (!model.empty()) {
    size_t rank = model.size();
    for (ZsetCursor c = zset.At(model.size() - 1); c.valid(); c.Prev()) {
      rank--;
      CHECK(c.rank() == rank);
      CHECK(c.member() == got[rank].first);
    }
    CHECK(rank == 0);
  }
}

}  // namespace

TEST_CASE("zset scores are written as Redis 7.2's d2string and fpconv_dtoa write them") {
  CHECK(Score(0) == "0");
  CHECK(Score(-0.0) == "-0");
  CHECK(Score(1) == "1");
  CHECK(Score(-17) == "-17");
  CHECK(Score(1.5) == "1.5");
  CHECK(Score(0.1) == "0.1");
  CHECK(Score(1e17) == "100000000000000000");
  CHECK(Score(4611686018427387904.0) == "4611686018427387904");
  CHECK(Score(1e19) == "1e+19");
  CHECK(Score(1.2345678901234567e19) == "12345678901234567000");
  CHECK(Score(1e20) == "1e+20");
  CHECK(Score(1e23) == "1e+23");
  CHECK(Score(1.5e-7) == "1.5e-7");
  CHECK(Score(0.000001) == "0.000001");
  CHECK(Score(1234.5678901234567) == "1234.5678901234567");
  CHECK(Score(12345.678901234567) == "1.2345678901234567e+4");
  CHECK(Score(3.14159) == "3.14159");
  CHECK(Score(1.7976931348623157e308) == "1.7976931348623157e+308");
  CHECK(Score(5e-324) == "5e-324");
  CHECK(Score(INFINITY) == "inf");
  CHECK(Score(-INFINITY) == "-inf");
  CHECK(Score(-2.5) == "-2.5");
  CHECK(Dtoa(1e17) == "1e+17");
  CHECK(Dtoa(100) == "100");
  CHECK(Dtoa(-0.0) == "-0");
  char buffer[ringdb::store::kScoreTextMax];
  CHECK(std::string(buffer, FormatScoreLongDouble(0.1, buffer)) == "0.10000000000000001");
  CHECK(std::string(buffer, FormatScoreLongDouble(-INFINITY, buffer)) == "-inf");
}

TEST_CASE("a small zset's listpack holds members and scores as redis-server stores them") {
  ZsetValue::Limits limits;
  ZsetValue* zset = ZsetValue::Create(3, 1, limits);
  REQUIRE(zset->is_listpack());
  zset->Add("m", -0.0, 0, limits);
  zset->Add("a", 1.5, 0, limits);
  zset->Add("7", 1.5, 0, limits);
  // -0 is stored as the integer 0 (double2ll), 1.5 as text, "7" as an integer member.
  const auto& lp = zset->listpack();
  uint32_t p = lp.First();
  CHECK(lp.Get(p).ToString() == "m");
  p = lp.Next(p);
  CHECK(lp.Get(p).is_integer);
  CHECK(lp.Get(p).integer == 0);
  p = lp.Next(p);
  CHECK(lp.Get(p).is_integer);  // member "7"
  p = lp.Next(p);
  CHECK(lp.Get(p).bytes == "1.5");
  p = lp.Next(p);
  CHECK(lp.Get(p).bytes == "a");
  ringdb::store::Object::Release(zset);
}

TEST_CASE("zset add, update, remove and ranges match a model across both encodings") {
  uint64_t seed = std::random_device{}();
  INFO("seed " << seed);
  std::mt19937_64 rng(seed);
  for (int round = 0; round < 6; round++) {
    ZsetValue::Limits limits{static_cast<int64_t>(rng() % 12), static_cast<int64_t>(rng() % 10)};
    ZsetValue* zset = ZsetValue::Create(1, 1, limits);
    Model model;
    std::map<std::string, double> scores;
    bool was_skiplist = false;
    for (int step = 0; step < 3000; step++) {
      int op = static_cast<int>(rng() % 10);
      std::string member = std::to_string(rng() % 60);
      if (rng() % 8 == 0) member += std::string(rng() % 16, 'x');
      if (rng() % 20 == 0) member = std::string("\0\r\n\xff", 4) + member;
      double score = static_cast<double>(static_cast<int>(rng() % 21) - 10) / (rng() % 2 ? 1 : 4);
      if (op < 5) {
        double new_score = 0;
        auto result = zset->Add(member, score, 0, limits, &new_score);
        auto it = scores.find(member);
        if (it == scores.end()) {
          CHECK(result == ZsetValue::AddResult::kAdded);
        } else {
          CHECK(result == (it->second == score ? ZsetValue::AddResult::kUnchanged
                                               : ZsetValue::AddResult::kUpdated));
          model.erase({it->second, member});
        }
        scores[member] = score;
        model.insert({score, member});
      } else if (op < 7) {
        auto it = scores.find(member);
        CHECK(zset->Remove(member) == (it != scores.end()));
        if (it != scores.end()) {
          model.erase({it->second, member});
          scores.erase(it);
        }
      } else if (op == 7 && zset->size() > 0) {
        size_t start = rng() % zset->size();
        size_t count = rng() % (zset->size() - start + 1) % 5;
        auto it = std::next(model.begin(), static_cast<long>(start));
        for (size_t i = 0; i < count; i++) {
          scores.erase(it->second);
          it = model.erase(it);
        }
        zset->DeleteRanks(start, count);
      } else if (op == 8) {
        ScoreRange range{score, score + static_cast<double>(rng() % 8), rng() % 2 == 0,
                         rng() % 2 == 0};
        ZsetCursor first = zset->FirstInRange(range);
        ZsetCursor last = zset->LastInRange(range);
        size_t rank = 0;
        size_t expected_first = SIZE_MAX, expected_last = SIZE_MAX;
        for (const auto& element : model) {
          if (range.AboveMin(element.first) && range.BelowMax(element.first)) {
            if (expected_first == SIZE_MAX) expected_first = rank;
            expected_last = rank;
          }
          rank++;
        }
        CHECK(first.valid() == (expected_first != SIZE_MAX));
        CHECK(last.valid() == (expected_last != SIZE_MAX));
        if (first.valid()) CHECK(first.rank() == expected_first);
        if (last.valid()) CHECK(last.rank() == expected_last);
      } else if (op == 9) {
        auto it = scores.find(member);
        double got_score = 0;
        auto rank = zset->Rank(member, rng() % 2 == 0, &got_score);
        CHECK(rank.has_value() == (it != scores.end()));
        CHECK(zset->Score(member).has_value() == (it != scores.end()));
        if (it != scores.end()) CHECK(got_score == it->second);
      }
      if (!zset->is_listpack()) was_skiplist = true;
      // Conversion is one way.
      if (was_skiplist) REQUIRE(!zset->is_listpack());
      if (step % 97 == 0) CheckAgainst(*zset, model);
    }
    CheckAgainst(*zset, model);
    ZsetValue* copy = static_cast<ZsetValue*>(zset->Clone());
    CheckAgainst(*copy, model);
    CHECK(copy->encoding() == zset->encoding());
    ringdb::store::Object::Release(copy);
    ringdb::store::Object::Release(zset);
  }
}

TEST_CASE("lex ranges follow Redis's - and + ends and exclusive bounds") {
  ZsetValue::Limits limits;
  for (bool big : {false, true}) {
    ZsetValue* zset = ZsetValue::Create(1, 1, limits);
    for (const char* m : {"a", "b", "c", "d", "e"}) zset->Add(m, 0, 0, limits);
    if (big) zset->ConvertToSkiplist(5);
    LexRange range;
    range.min = "b";
    range.max = "d";
    range.max_exclusive = true;
    CHECK(zset->FirstInRange(range).member() == "b");
    CHECK(zset->LastInRange(range).member() == "c");
    range.min_bound = LexRange::Bound::kMinusInfinity;
    range.max_bound = LexRange::Bound::kPlusInfinity;
    CHECK(zset->FirstInRange(range).member() == "a");
    CHECK(zset->LastInRange(range).member() == "e");
    range.min_bound = LexRange::Bound::kPlusInfinity;
    CHECK(!zset->FirstInRange(range).valid());
    ringdb::store::Object::Release(zset);
  }
}

TEST_CASE("ZSCAN's hash-order cursor returns every member present for the whole scan") {
  ZsetValue::Limits limits{0, 0};
  ZsetValue* zset = ZsetValue::Create(1, 1, limits);
  std::mt19937_64 rng(7);
  for (int i = 0; i < 2000; i++) zset->Add("m" + std::to_string(i), i, 0, limits);
  std::set<std::string> seen;
  uint64_t cursor = 0;
  int calls = 0;
  do {
    cursor = zset->Scan(cursor, 10,
                        [&](std::string_view member, double) { seen.insert(std::string(member)); });
    // Churn between calls: grow through several resizes, then shrink, touching only
    // members that are not part of the stable set m0..m999.
    for (int j = 0; j < 40; j++) {
      int i = 1000 + static_cast<int>(rng() % 30000);
      if (calls < 60) {
        zset->Add("m" + std::to_string(i), i, 0, limits);
      } else {
        zset->Remove("m" + std::to_string(i));
      }
    }
    calls++;
  } while (cursor != 0 && calls < 100000);
  CHECK(cursor == 0);
  for (int i = 0; i < 1000; i++) CHECK(seen.count("m" + std::to_string(i)) == 1);
  ringdb::store::Object::Release(zset);
}
