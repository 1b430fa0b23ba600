// Intset: Redis's exact bytes, width upgrades, ordered contents, validation, and a randomized
// comparison with std::set.
#include "ringdb/store/intset.h"

#include <doctest/doctest.h>

#include <cstdint>
#include <random>
#include <set>
#include <string>

using ringdb::store::Intset;

namespace {

std::string Hex(std::string_view bytes) {
  static const char kDigits[] = "0123456789abcdef";
  std::string out;
  for (unsigned char c : bytes) {
    out.push_back(kDigits[c >> 4]);
    out.push_back(kDigits[c & 15]);
  }
  return out;
}

}  // namespace

TEST_CASE("Intset writes Redis's bytes: header, then ascending little-endian values") {
  Intset intset;
  CHECK(Hex(intset.bytes()) == "0200000000000000");
  CHECK(intset.Add(3));
  CHECK(intset.Add(1));
  CHECK(intset.Add(2));
  CHECK_FALSE(intset.Add(2));
  // DUMP of SADD s 3 1 2 in redis-server 7.0.15 carries this intset.
  CHECK(Hex(intset.bytes()) == "0200000003000000010002000300");
}

TEST_CASE("Intset widens to 32 and 64 bits when a value needs it, and never narrows") {
  Intset intset;
  intset.Add(5);
  CHECK(intset.width() == 2);
  intset.Add(70000);
  CHECK(intset.width() == 4);
  intset.Add(-5000000000LL);
  CHECK(intset.width() == 8);
  CHECK(intset.size() == 3);
  CHECK(intset.Get(0) == -5000000000LL);
  CHECK(intset.Get(1) == 5);
  CHECK(intset.Get(2) == 70000);
  CHECK(intset.Remove(-5000000000LL));
  CHECK(intset.width() == 8);
  CHECK(intset.Contains(70000));
  CHECK_FALSE(intset.Contains(INT64_MAX));
  CHECK(intset.Add(INT64_MIN));
  CHECK(intset.Add(INT64_MAX));
  CHECK(intset.Min() == INT64_MIN);
  CHECK(intset.Max() == INT64_MAX);
  CHECK(Intset::Validate(intset.bytes()));
}

TEST_CASE("Intset boundary values of each width land in the right width") {
  CHECK(ringdb::store::IntsetWidthFor(INT16_MAX) == 2);
  CHECK(ringdb::store::IntsetWidthFor(INT16_MIN) == 2);
  CHECK(ringdb::store::IntsetWidthFor(INT16_MAX + 1) == 4);
  CHECK(ringdb::store::IntsetWidthFor(INT16_MIN - 1) == 4);
  CHECK(ringdb::store::IntsetWidthFor(INT32_MAX) == 4);
  CHECK(ringdb::store::IntsetWidthFor(int64_t{INT32_MAX} + 1) == 8);
  CHECK(ringdb::store::IntsetWidthFor(int64_t{INT32_MIN} - 1) == 8);
}

TEST_CASE("Intset validation refuses bad widths, lengths and order") {
  Intset intset;
  intset.Add(1);
  intset.Add(2);
  std::string good(intset.bytes());
  CHECK(Intset::Validate(good));
  CHECK_FALSE(Intset::Validate(good.substr(0, 7)));
  CHECK_FALSE(Intset::Validate(good.substr(0, good.size() - 1)));
  std::string bad_width = good;
  bad_width[0] = 3;
  CHECK_FALSE(Intset::Validate(bad_width));
  std::string unordered = good;
  std::swap(unordered[8], unordered[10]);
  CHECK_FALSE(Intset::Validate(unordered));
  std::string huge_length = good;
  huge_length[7] = '\x7f';
  CHECK_FALSE(Intset::Validate(huge_length));
}

TEST_CASE("Intset adopts a blob written by redis-server and edits it") {
  // DUMP of SADD s 1 2 3 -7 32767 (redis-server 7.0.15): 16-bit values -7 1 2 3 32767.
  std::string blob("\x02\x00\x00\x00\x05\x00\x00\x00\xf9\xff\x01\x00\x02\x00\x03\x00\xff\x7f", 18);
  REQUIRE(Intset::Validate(blob));
  Intset intset = Intset::FromBytes(blob);
  CHECK(intset.bytes() == blob);
  CHECK(intset.size() == 5);
  CHECK(intset.Min() == -7);
  CHECK(intset.Max() == 32767);
  CHECK(intset.Contains(2));
  CHECK(intset.Add(32768));
  CHECK(intset.width() == 4);
  CHECK(intset.Remove(-7));
  CHECK(Intset::Validate(intset.bytes()));
  CHECK(intset.Get(0) == 1);
}

TEST_CASE("Intset matches std::set over random adds and removes") {
  uint64_t seed = 0x1257;
  INFO("seed " << seed);
  std::mt19937_64 rng(seed);
  Intset intset;
  std::set<int64_t> model;
  auto random_value = [&]() -> int64_t {
    switch (rng() % 4) {
      case 0:
        return static_cast<int64_t>(rng() % 200) - 100;
      case 1:
        return static_cast<int64_t>(rng() % 200000) - 100000;
      case 2:
        return static_cast<int64_t>(rng());
      default:
        return static_cast<int64_t>(rng() % 7000000000ULL) - 3500000000LL;
    }
  };
  for (int step = 0; step < 20000; step++) {
    int64_t value = random_value();
    if (rng() % 3 == 0) {
      CHECK(intset.Remove(value) == (model.erase(value) == 1));
    } else {
      CHECK(intset.Add(value) == model.insert(value).second);
    }
    if (step % 1000 == 0) {
      REQUIRE(intset.size() == model.size());
      size_t i = 0;
      for (int64_t expected : model) CHECK(intset.Get(i++) == expected);
      CHECK(Intset::Validate(intset.bytes()));
    }
  }
  for (int64_t value : model) CHECK(intset.Contains(value));
  Intset copy(intset);
  CHECK(copy.bytes() == intset.bytes());
}
