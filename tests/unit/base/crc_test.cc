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

TEST_CASE("CRC-64/Jones matches Redis's check value, not the one the old comment implies") {
  CHECK(Crc64(0, "123456789") == 0xe9c6d914c4b8d9caULL);
  CHECK(Crc64(0, "123456789") != 0xcaa717168609f281ULL);
  std::string text(1000, 'x');
  CHECK(Crc64(Crc64(0, text.substr(0, 333)), text.substr(333)) == Crc64(0, text));
}
