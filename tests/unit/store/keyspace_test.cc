#include <doctest/doctest.h>

#include <cstdint>
#include <string>
#include <vector>

#include "ringdb/store/keyspace.h"

using namespace ringdb::store;

namespace {
class ExpiryRecorder : public KeyspaceListener {
 public:
  void OnKeyExpired(int db, std::string_view key) override {
    expired.push_back(std::to_string(db) + ":" + std::string(key));
  }
  std::vector<std::string> expired;
};

Entry* Make(const std::string& key, int64_t expire = kNoExpire) {
  return Entry::New(key, "v", ValueType::kString, Encoding::kEmbstr, expire);
}
}  // namespace

TEST_CASE("lookup deletes an expired key and reports it") {
  Keyspace keyspace(16, 1);
  ExpiryRecorder recorder;
  keyspace.set_listener(&recorder);
  Database& db = keyspace.database(3);
  db.Put(Make("soon", 1000));
  db.Put(Make("later", 5000));
  CHECK(db.Lookup("soon", 999) != nullptr);
  // A key lives through its deadline's millisecond (Redis's keyIsExpired: now > deadline).
  CHECK(db.Lookup("soon", 1000) != nullptr);
  CHECK(db.Lookup("soon", 1001) == nullptr);
  CHECK(db.size() == 1);
  CHECK(recorder.expired == std::vector<std::string>{"3:soon"});
  CHECK(keyspace.expire_stats().expired_keys == 1);
  CHECK(db.Peek("later", 6000) == nullptr);
  CHECK(db.size() == 1);  // Peek leaves it.
}

TEST_CASE("active expiry removes expired keys without being asked for them") {
  Keyspace keyspace(2, 9);
  ExpiryRecorder recorder;
  keyspace.set_listener(&recorder);
  for (int i = 0; i < 5000; i++) keyspace.database(0).Put(Make("v" + std::to_string(i), 100));
  for (int i = 0; i < 5000; i++) keyspace.database(1).Put(Make("p" + std::to_string(i)));
  for (int i = 0; i < 100 && keyspace.database(0).size() > 0; i++) {
    keyspace.ActiveExpireCycle(200, 100000);
  }
  CHECK(keyspace.database(0).size() == 0);
  CHECK(keyspace.database(1).size() == 5000);
  CHECK(recorder.expired.size() == 5000);
  CHECK(keyspace.database(0).table().CheckInvariants());
}

TEST_CASE("active expiry spares keys whose time has not come") {
  Keyspace keyspace(1, 9);
  for (int i = 0; i < 1000; i++) keyspace.database(0).Put(Make("k" + std::to_string(i), 1000 + i));
  keyspace.ActiveExpireCycle(1500, 1000000);
  CHECK(keyspace.database(0).size() == 500);  // Deadlines 1000..1499 have passed.
  CHECK(keyspace.database(0).volatile_size() == 500);
}

TEST_CASE("swapping databases exchanges their keys") {
  Keyspace keyspace(4, 2);
  keyspace.database(0).Put(Make("zero"));
  keyspace.database(1).Put(Make("one"));
  keyspace.Swap(0, 1);
  CHECK(keyspace.database(0).Lookup("one", 0) != nullptr);
  CHECK(keyspace.database(1).Lookup("zero", 0) != nullptr);
  keyspace.ClearAll();
  CHECK(keyspace.TotalKeys() == 0);
}

TEST_CASE("the average TTL of keys with deadlines near the int64 limit does not overflow") {
  Keyspace keyspace(1, 9);
  const int64_t far = INT64_MAX - 10;
  for (int i = 0; i < 40; i++) keyspace.database(0).Put(Make("far" + std::to_string(i), far - i));
  keyspace.ActiveExpireCycle(1000, 1000000);
  CHECK(keyspace.database(0).size() == 40);
  CHECK(keyspace.database(0).average_ttl_ms() > INT64_MAX / 2);
}
