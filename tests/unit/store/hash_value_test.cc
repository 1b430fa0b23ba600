// HashValue: Redis's listpack bytes and order, the conversion rules (count, length, 7.2's
// presizing for many pairs), one-way conversion, clones, and a model over random edits with
// small limits.
#include "ringdb/store/hash_value.h"

#include <doctest/doctest.h>

#include <map>
#include <memory>
#include <random>
#include <string>
#include <utility>
#include <vector>

using ringdb::store::Encoding;
using ringdb::store::HashLimits;
using ringdb::store::HashValue;
using ringdb::store::Object;

namespace {

std::vector<std::pair<std::string, std::string>> Pairs(const HashValue& hash) {
  std::vector<std::pair<std::string, std::string>> out;
  hash.ForEach(
      [&](std::string_view field, std::string_view value) { out.emplace_back(field, value); });
  return out;
}

struct Released {
  void operator()(HashValue* hash) const { Object::Release(hash); }
};
using HashPtr = std::unique_ptr<HashValue, Released>;

std::string FromHex(std::string_view hex) {
  std::string out;
  for (size_t i = 0; i + 1 < hex.size(); i += 2)
    out.push_back(static_cast<char>(std::stoi(std::string(hex.substr(i, 2)), nullptr, 16)));
  return out;
}

}  // namespace

TEST_CASE("a small hash is Redis's listpack: same bytes, insertion order, in-place updates") {
  HashPtr hash(new HashValue());
  HashLimits limits;
  // redis-server 7.0.15: HSET h a 1 b hello; HSET h a 2 keeps a first; the DUMP payload
  // holds these listpack bytes (header 6, elements with backlens, 0xFF).
  CHECK(hash->Set("a", "1", limits));
  CHECK(hash->Set("b", "hello", limits));
  CHECK_FALSE(hash->Set("a", "2", limits));
  CHECK(hash->encoding() == Encoding::kListpack);
  CHECK(std::string(hash->listpack().bytes()) ==
        FromHex("16000000040081610202018162028568656c6c6f06ff"));
  CHECK(Pairs(*hash) ==
        std::vector<std::pair<std::string, std::string>>{{"a", "2"}, {"b", "hello"}});
  CHECK(hash->Delete("a"));
  CHECK_FALSE(hash->Delete("a"));
  CHECK(hash->Set("a", "3", limits));
  CHECK(Pairs(*hash) ==
        std::vector<std::pair<std::string, std::string>>{{"b", "hello"}, {"a", "3"}});
}

TEST_CASE("integers in a listpack read back as the same text, non-canonical ones untouched") {
  HashPtr hash(new HashValue());
  HashLimits limits;
  hash->Set("007", "-0", limits);
  hash->Set("7", "9223372036854775807", limits);
  hash->Set("-9223372036854775808", "01", limits);
  HashValue::Scratch scratch;
  std::string_view value;
  REQUIRE(hash->Get("007", scratch, &value));
  CHECK(value == "-0");
  CHECK_FALSE(hash->Get("07", scratch, nullptr));
  REQUIRE(hash->Get("7", scratch, &value));
  CHECK(value == "9223372036854775807");
  REQUIRE(hash->Get("-9223372036854775808", scratch, &value));
  CHECK(value == "01");
}

TEST_CASE("a hash converts past the entries limit, not at it") {
  HashPtr hash(new HashValue());
  HashLimits limits{4, 64};
  for (int i = 0; i < 4; i++) hash->Set("f" + std::to_string(i), "v", limits);
  CHECK(hash->encoding() == Encoding::kListpack);
  hash->Set("f4", "v", limits);
  CHECK(hash->encoding() == Encoding::kHashtable);
  CHECK(hash->size() == 5);
}

TEST_CASE("updating a value converts a listpack over an entries limit lowered since") {
  HashPtr hash(new HashValue());
  HashLimits limits{8, 64};
  for (int i = 0; i < 5; i++) hash->Set("f" + std::to_string(i), "v", limits);
  limits.listpack_entries_max = 4;
  CHECK(hash->encoding() == Encoding::kListpack);
  CHECK_FALSE(hash->Set("f0", "changed", limits));
  CHECK(hash->encoding() == Encoding::kHashtable);
}

TEST_CASE("a field or value longer than the value limit converts before it is written") {
  HashLimits limits{128, 8};
  SUBCASE("value") {
    HashPtr hash(new HashValue());
    hash->Set("f", "12345678", limits);
    CHECK(hash->encoding() == Encoding::kListpack);
    hash->Set("f", "123456789", limits);
    CHECK(hash->encoding() == Encoding::kHashtable);
  }
  SUBCASE("field") {
    HashPtr hash(new HashValue());
    hash->Set("123456789", "v", limits);
    CHECK(hash->encoding() == Encoding::kHashtable);
  }
}

TEST_CASE("conversion is one way: deleting back under the limits keeps the hashtable") {
  HashPtr hash(new HashValue());
  HashLimits limits{2, 64};
  hash->Set("a", "1", limits);
  hash->Set("b", "2", limits);
  hash->Set("c", "3", limits);
  REQUIRE(hash->encoding() == Encoding::kHashtable);
  hash->Delete("c");
  hash->Delete("b");
  hash->Set("b", "2", limits);
  CHECK(hash->encoding() == Encoding::kHashtable);
}

TEST_CASE("PrepareForPairs: Redis 7.2 converts for more pairs than the limit, even repeated") {
  HashLimits limits{4, 64};
  std::vector<std::string_view> repeated;
  for (int i = 0; i < 5; i++) {
    repeated.push_back("same");
    repeated.push_back("v");
  }
  HashPtr hash(new HashValue());
  hash->PrepareForPairs(repeated, limits);
  CHECK(hash->encoding() == Encoding::kHashtable);

  HashPtr exact(new HashValue());
  exact->PrepareForPairs(std::span(repeated).subspan(0, 8), limits);
  CHECK(exact->encoding() == Encoding::kListpack);

  HashPtr long_argument(new HashValue());
  std::string long_value(65, 'x');
  std::vector<std::string_view> arguments = {"f", long_value};
  long_argument->PrepareForPairs(arguments, limits);
  CHECK(long_argument->encoding() == Encoding::kHashtable);
}

TEST_CASE("a clone is independent and keeps the encoding") {
  HashLimits limits{3, 64};
  for (int fields : {2, 10}) {
    HashPtr hash(new HashValue());
    for (int i = 0; i < fields; i++) hash->Set("f" + std::to_string(i), "v", limits);
    HashPtr clone(static_cast<HashValue*>(hash->Clone()));
    CHECK(clone->encoding() == hash->encoding());
    CHECK(clone->refcount() == 1);
    clone->Set("f0", "changed", limits);
    clone->Delete("f1");
    HashValue::Scratch scratch;
    std::string_view value;
    REQUIRE(hash->Get("f0", scratch, &value));
    CHECK(value == "v");
    CHECK(hash->Get("f1", scratch, nullptr));
  }
}

TEST_CASE("memory usage counts the listpack or the table") {
  HashLimits limits{8, 64};
  HashPtr hash(new HashValue());
  for (int i = 0; i < 8; i++) hash->Set("field" + std::to_string(i), "value", limits);
  size_t small = hash->MemoryUsage(0);
  CHECK(small >= hash->listpack().total_bytes());
  hash->Set("field8", "value", limits);
  REQUIRE(hash->encoding() == Encoding::kHashtable);
  CHECK(hash->MemoryUsage(0) > small);
  CHECK(hash->MemoryUsage(3) > 0);
}

TEST_CASE("hash values match a std::map over random edits crossing both limits") {
  uint64_t seed = std::random_device{}();
  INFO("seed " << seed);
  std::mt19937_64 rng(seed);
  for (int round = 0; round < 200; round++) {
    HashLimits limits{1 + rng() % 10, rng() % 20};
    HashPtr hash(new HashValue());
    std::map<std::string, std::string> model;
    std::vector<std::string> order;  // The listpack's order while it lasts.
    for (int step = 0; step < 60; step++) {
      std::string field = std::to_string(rng() % 12);
      if (rng() % 3 == 0) field = "f" + field;
      if (rng() % 4 != 0) {
        std::string value(rng() % 24, static_cast<char>('a' + rng() % 3));
        if (rng() % 3 == 0) value = std::to_string(static_cast<int64_t>(rng()));
        bool expect_convert =
            hash->is_listpack() &&
            (field.size() > limits.listpack_value_max || value.size() > limits.listpack_value_max ||
             model.size() + (model.count(field) == 0) > limits.listpack_entries_max);
        CHECK(hash->Set(field, value, limits) == (model.count(field) == 0));
        if (model.count(field) == 0) order.push_back(field);
        model[field] = value;
        if (expect_convert) CHECK(hash->encoding() == Encoding::kHashtable);
      } else {
        CHECK(hash->Delete(field) == (model.erase(field) == 1));
        std::erase(order, field);
      }
      REQUIRE(hash->size() == model.size());
      if (hash->is_listpack()) {
        std::vector<std::pair<std::string, std::string>> expected;
        for (const std::string& f : order) expected.emplace_back(f, model[f]);
        REQUIRE(Pairs(*hash) == expected);
      } else {
        auto pairs = Pairs(*hash);
        REQUIRE(std::map<std::string, std::string>(pairs.begin(), pairs.end()) == model);
      }
    }
  }
}
