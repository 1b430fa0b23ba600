#include "ringdb/base/crc.h"

#include <array>

namespace ringdb {
namespace {

// Slicing-by-8 tables for a reflected CRC of width W (32 or 64).
template <typename Word, Word kPolynomial>
struct SlicingTables {
  std::array<std::array<Word, 256>, 8> table{};
  constexpr SlicingTables() {
    for (unsigned i = 0; i < 256; i++) {
      Word crc = i;
      for (int bit = 0; bit < 8; bit++) crc = (crc & 1) ? (crc >> 1) ^ kPolynomial : crc >> 1;
      table[0][i] = crc;
    }
    for (unsigned i = 0; i < 256; i++) {
      for (int slice = 1; slice < 8; slice++) {
        Word previous = table[slice - 1][i];
        table[slice][i] = (previous >> 8) ^ table[0][previous & 0xff];
      }
    }
  }
};

constexpr SlicingTables<uint32_t, 0x82f63b78u> kCrc32cTables;
// The table-driven reflected algorithm shifts right, so it uses the bit-reversed polynomial.
constexpr SlicingTables<uint64_t, 0x95ac9329ac4bc9b5ULL> kCrc64Tables;

template <typename Word, typename Tables>
Word Slice8(Word crc, const unsigned char* p, size_t length, const Tables& tables) {
  const auto& t = tables.table;
  while (length >= 8) {
    uint64_t chunk = 0;
    for (int i = 7; i >= 0; i--) chunk = (chunk << 8) | p[i];
    chunk ^= crc;
    crc = t[7][chunk & 0xff] ^ t[6][(chunk >> 8) & 0xff] ^ t[5][(chunk >> 16) & 0xff] ^
          t[4][(chunk >> 24) & 0xff] ^ t[3][(chunk >> 32) & 0xff] ^ t[2][(chunk >> 40) & 0xff] ^
          t[1][(chunk >> 48) & 0xff] ^ t[0][chunk >> 56];
    p += 8;
    length -= 8;
  }
  while (length > 0) {
    crc = t[0][(crc ^ *p) & 0xff] ^ (crc >> 8);
    p++;
    length--;
  }
  return crc;
}

}  // namespace

uint32_t Crc32cExtend(uint32_t crc, std::string_view bytes) {
  const auto* p = reinterpret_cast<const unsigned char*>(bytes.data());
  return ~Slice8<uint32_t>(~crc, p, bytes.size(), kCrc32cTables);
}

uint64_t Crc64(uint64_t crc, std::string_view bytes) {
  const auto* p = reinterpret_cast<const unsigned char*>(bytes.data());
  return Slice8<uint64_t>(crc, p, bytes.size(), kCrc64Tables);
}

}  // namespace ringdb
