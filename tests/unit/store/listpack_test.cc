// Listpack: Redis's exact bytes, navigation both ways, edits, validation of hostile blobs, and
// a randomized comparison with a plain vector of strings.
#include "ringdb/store/listpack.h"

#include <doctest/doctest.h>

#include <random>
#include <string>
#include <utility>
#include <vector>

using ringdb::store::Listpack;
using ringdb::store::ListpackValue;

namespace {

std::string FromHex(std::string_view hex) {
  std::string out;
  for (size_t i = 0; i + 1 < hex.size(); i += 2)
    out.push_back(static_cast<char>(std::stoi(std::string(hex.substr(i, 2)), nullptr, 16)));
  return out;
}

std::vector<std::string> Forward(const Listpack& listpack) {
  std::vector<std::string> out;
  for (uint32_t p = listpack.First(); p != Listpack::kNone; p = listpack.Next(p))
    out.push_back(listpack.Get(p).ToString());
  return out;
}

std::vector<std::string> Backward(const Listpack& listpack) {
  std::vector<std::string> out;
  for (uint32_t p = listpack.Last(); p != Listpack::kNone; p = listpack.Prev(p))
    out.insert(out.begin(), listpack.Get(p).ToString());
  return out;
}

// The field/value pairs of a hash as redis-server 7.0.15 stored them (HSET one pair at a
// time, hash-max-listpack-value 10000), and the listpack it wrote into DUMP's payload.
const std::vector<std::pair<std::string, std::string>> kRedisPairs = {
    {"a", "1"},
    {"b", "200"},
    {"c", "-5000"},
    {"d", "70000"},
    {"e", "hello"},
    {"f", std::string(70, 'x')},
    {"g", "9223372036854775807"},
    {"h", "-9223372036854775808"},
    {"i", "-1"},
    {"j", "4095"},
    {"k", "-4096"},
    {"l", "32767"},
    {"m", "-32769"},
    {"n", "8388607"},
    {"o", "2147483648"},
    {"p", "01"},
    {"q", ""},
    {"r", std::string(200, 'y')},
};
constexpr std::string_view kRedisBytesHex =
    "a201000024008161020101816202c0c802816302f178ec03816402f2701101048165028568656c6c6f06816602e046"
    "7878787878787878787878787878787878787878787878787878787878787878787878787878787878787878787878"
    "787878787878787878787878787878787878787878787848816702f4ffffffffffffff7f09816802f4000000000000"
    "008009816902dfff02816a02cfff02816b02d00002816c02f1ff7f03816d02f2ff7fff04816e02f2ffff7f04816f02"
    "f4000000800000000009817002823031038171028001817202e0c87979797979797979797979797979797979797979"
    "7979797979797979797979797979797979797979797979797979797979797979797979797979797979797979797979"
    "7979797979797979797979797979797979797979797979797979797979797979797979797979797979797979797979"
    "7979797979797979797979797979797979797979797979797979797979797979797979797979797979797979797979"
    "79797979797979797979797979797979797979797979797979797979797979797979797979797901caff";

}  // namespace

TEST_CASE("Listpack writes Redis's bytes for strings and every integer width") {
  Listpack listpack;
  for (const auto& [field, value] : kRedisPairs) {
    listpack.Append(field);
    listpack.Append(value);
  }
  CHECK(listpack.bytes() == FromHex(kRedisBytesHex));
  CHECK(listpack.size() == kRedisPairs.size() * 2);
  CHECK(Listpack::Validate(listpack.bytes()));
}

TEST_CASE("Listpack reads Redis's bytes back, forwards and backwards") {
  std::string blob = FromHex(kRedisBytesHex);
  REQUIRE(Listpack::Validate(blob));
  Listpack listpack = Listpack::FromBytes(blob);
  std::vector<std::string> expected;
  for (const auto& [field, value] : kRedisPairs) {
    expected.push_back(field);
    expected.push_back(value);
  }
  CHECK(Forward(listpack) == expected);
  CHECK(Backward(listpack) == expected);
  ListpackValue lowest = listpack.Get(listpack.Seek(15));
  CHECK(lowest.is_integer);
  CHECK(lowest.integer == INT64_MIN);
  CHECK(listpack.Get(listpack.Seek(13)).ToString() == "9223372036854775807");
  CHECK(listpack.Get(listpack.Seek(-1)).ToString() == std::string(200, 'y'));
  CHECK(listpack.Seek(36) == Listpack::kNone);
  CHECK(listpack.Seek(-37) == Listpack::kNone);
  // "01" is not canonical, so it stays a string; Find must still match it as text.
  CHECK(!listpack.Get(listpack.Seek(31)).is_integer);
  CHECK(listpack.Find(listpack.First(), "01", 1) == Listpack::kNone);  // A value, not a field.
  CHECK(listpack.Find(listpack.Next(listpack.First()), "01", 1) == listpack.Seek(31));
  CHECK(listpack.Find(listpack.First(), "p", 1) == listpack.Seek(30));
  CHECK(listpack.Find(listpack.First(), "70000") == listpack.Seek(7));
}

TEST_CASE("Listpack edits: insert, replace, delete ranges, clear") {
  Listpack listpack;
  listpack.Append("b");
  listpack.Prepend("a");
  listpack.Append("d");
  uint32_t b = listpack.Find(listpack.First(), "b");
  uint32_t c = listpack.InsertAfter(b, "c");
  CHECK(listpack.Get(c).ToString() == "c");
  CHECK(Forward(listpack) == std::vector<std::string>{"a", "b", "c", "d"});
  listpack.Replace(listpack.Seek(1), std::string(5000, 'z'));
  CHECK(Backward(listpack) == std::vector<std::string>{"a", std::string(5000, 'z'), "c", "d"});
  listpack.ReplaceInteger(listpack.Seek(2), -123456789012LL);
  CHECK(Forward(listpack) ==
        std::vector<std::string>{"a", std::string(5000, 'z'), "-123456789012", "d"});
  uint32_t after = listpack.DeleteRange(listpack.Seek(1), 2);
  CHECK(listpack.Get(after).ToString() == "d");
  CHECK(Forward(listpack) == std::vector<std::string>{"a", "d"});
  CHECK(listpack.Delete(listpack.Seek(-1)) == Listpack::kNone);
  CHECK(listpack.size() == 1);
  listpack.Clear();
  CHECK(listpack.empty());
  CHECK(listpack.size() == 0);
  CHECK(listpack.total_bytes() == 7);
  CHECK(Listpack::Validate(listpack.bytes()));
}

TEST_CASE("Listpack counts past 65535 elements as Redis does: header unknown, size walks") {
  Listpack listpack;
  for (int i = 0; i < 70000; i++) listpack.AppendInteger(i % 100);
  CHECK(static_cast<uint8_t>(listpack.bytes()[4]) == 0xFF);
  CHECK(static_cast<uint8_t>(listpack.bytes()[5]) == 0xFF);
  CHECK(listpack.size() == 70000);
  CHECK(Listpack::Validate(listpack.bytes()));
}

TEST_CASE("Listpack validation refuses damaged blobs without reading out of bounds") {
  std::string good = FromHex(kRedisBytesHex);
  CHECK(!Listpack::Validate(good.substr(0, good.size() - 1)));
  CHECK(!Listpack::Validate(""));
  CHECK(!Listpack::Validate(std::string("\x07\x00\x00\x00\x00\x00", 6)));
  std::string wrong_count = good;
  wrong_count[4] = 5;
  CHECK(!Listpack::Validate(wrong_count));
  CHECK(Listpack::Validate(wrong_count, /*deep=*/false));
  // Every single-byte change either still validates (and then reads back completely) or is
  // refused; never a crash (ASan builds check the bounds).
  std::mt19937_64 rng(7);
  for (int round = 0; round < 4000; round++) {
    std::string blob = good;
    size_t at = rng() % blob.size();
    blob[at] = static_cast<char>(rng());
    if (!Listpack::Validate(blob)) continue;
    Listpack listpack = Listpack::FromBytes(blob);
    CHECK(Forward(listpack).size() == listpack.size());
    CHECK(Backward(listpack) == Forward(listpack));
  }
}

TEST_CASE("Listpack Find matches a string element by its bytes even when they spell an integer") {
  // Redis never stores "12" as text, but a foreign blob (an RDB file) may: Redis's lpFind still
  // finds it by its bytes, and so must Find (the listpack fuzz target checks this for every
  // element it reads).
  // Elements: "12" as a 6-bit string (82 '1' '2' 03), then the integer 12 (0c 01).
  std::string blob(
      "\x0d\x00\x00\x00\x02\x00\x82"
      "12\x03\x0c\x01\xff",
      13);
  REQUIRE(Listpack::Validate(blob));
  Listpack listpack = Listpack::FromBytes(blob);
  REQUIRE(!listpack.Get(listpack.First()).is_integer);
  CHECK(listpack.Find(listpack.First(), "12") == listpack.First());
  CHECK(listpack.Find(listpack.Next(listpack.First()), "12") == listpack.Seek(1));
  CHECK(listpack.Find(listpack.First(), "012") == Listpack::kNone);
}

TEST_CASE("Listpack matches a vector model over random edits") {
  std::mt19937_64 rng(42);
  auto random_element = [&]() -> std::string {
    switch (rng() % 6) {
      case 0:
        return std::to_string(static_cast<int64_t>(rng()) >> (rng() % 64));
      case 1:
        return std::to_string(static_cast<int64_t>(rng() % 20000) - 10000);
      case 2:
        return std::string(rng() % 70, 'a' + static_cast<char>(rng() % 26));
      case 3:
        return std::string(4090 + rng() % 10, 'q');
      case 4:
        return "0" + std::to_string(rng() % 100);  // Not canonical: stays a string.
      default: {
        std::string bytes(rng() % 20, '\0');
        for (char& c : bytes) c = static_cast<char>(rng());
        return bytes;
      }
    }
  };
  Listpack listpack;
  std::vector<std::string> model;
  for (int step = 0; step < 6000; step++) {
    size_t n = model.size();
    switch (rng() % 6) {
      case 0: {
        std::string e = random_element();
        listpack.Append(e);
        model.push_back(e);
        break;
      }
      case 1: {
        std::string e = random_element();
        listpack.Prepend(e);
        model.insert(model.begin(), e);
        break;
      }
      case 2:
        if (n > 0) {
          size_t i = rng() % n;
          std::string e = random_element();
          listpack.InsertAfter(listpack.Seek(static_cast<int64_t>(i)), e);
          model.insert(model.begin() + static_cast<ptrdiff_t>(i) + 1, e);
        }
        break;
      case 3:
        if (n > 0) {
          size_t i = rng() % n;
          std::string e = random_element();
          listpack.Replace(listpack.Seek(static_cast<int64_t>(i)), e);
          model[i] = e;
        }
        break;
      case 4:
        if (n > 0) {
          size_t i = rng() % n;
          size_t count = 1 + rng() % 3;
          listpack.DeleteRange(listpack.Seek(static_cast<int64_t>(i)), count);
          model.erase(model.begin() + static_cast<ptrdiff_t>(i),
                      model.begin() + static_cast<ptrdiff_t>(std::min(n, i + count)));
        }
        break;
      default:
        if (n > 0) {
          const std::string& wanted = model[rng() % n];
          uint32_t found = listpack.Find(listpack.First(), wanted);
          REQUIRE(found != Listpack::kNone);
          CHECK(listpack.Get(found).Equals(wanted));
        }
        break;
    }
    REQUIRE(listpack.size() == model.size());
    if (step % 50 == 0) {
      REQUIRE(Forward(listpack) == model);
      REQUIRE(Backward(listpack) == model);
      REQUIRE(Listpack::Validate(listpack.bytes()));
    }
  }
}
