#include <doctest/doctest.h>

#include <string>

#include "ringdb/base/crc.h"

using namespace ringdb;

TEST_CASE("CRC32C matches its check value") {
  CHECK(Crc32c("123456789") == 0xe3069283u);
  CHECK(Crc32c("") == 0u);
}

TEST_CASE("CRC32C extends across pieces like one pass") {
  std::string text = "The quick brown fox jumps over the lazy dog, twice over.";
  for (size_t split = 0; split <= text.size(); split++) {
    uint32_t pieces = Crc32cExtend(Crc32c(text.substr(0, split)), text.substr(split));
    CHECK(pieces == Crc32c(text));
  }
}

TEST_CASE("CRC32C of pieces computed apart combines into the CRC of the whole") {
  std::string text;
  for (int i = 0; i < 70000; i++) text.push_back(static_cast<char>(i * 131 % 251));
  for (size_t split :
       {size_t{0}, size_t{1}, size_t{7}, size_t{8}, size_t{4096}, size_t{69999}, text.size()}) {
    CAPTURE(split);
    uint32_t a = Crc32c(text.substr(0, split));
    uint32_t b = Crc32c(text.substr(split));
    CHECK(Crc32cCombine(a, b, text.size() - split) == Crc32c(text));
  }
  // A changed byte in either piece changes the combination.
  std::string changed = text;
  changed[5] ^= 1;
  CHECK(Crc32cCombine(Crc32c(changed.substr(0, 10)), Crc32c(changed.substr(10)),
                      changed.size() - 10) != Crc32c(text));
}

TEST_CASE("CRC-64/Jones matches Redis's check value, not the one the old comment implies") {
  CHECK(Crc64(0, "123456789") == 0xe9c6d914c4b8d9caULL);
  CHECK(Crc64(0, "123456789") != 0xcaa717168609f281ULL);
  std::string text(1000, 'x');
  CHECK(Crc64(Crc64(0, text.substr(0, 333)), text.substr(333)) == Crc64(0, text));
}
