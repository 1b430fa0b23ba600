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

namespace {

// Multiplication of two polynomials modulo the CRC32C polynomial, in the reflected bit order
// the CRC uses (bit 31 is x^0).
constexpr uint32_t MultiplyModP(uint32_t a, uint32_t b) {
  uint32_t m = 1u << 31;
  uint32_t product = 0;
  while (true) {
    if (a & m) {
      product ^= b;
      if ((a & (m - 1)) == 0) break;
    }
    m >>= 1;
    b = (b & 1) ? (b >> 1) ^ 0x82f63b78u : b >> 1;
  }
  return product;
}

// x^(2^k) modulo the polynomial, k = 0..66 (x^1 is 1 << 30): enough for x^(8n) with any
// 64-bit n, without assuming the powers cycle (that needs an irreducible polynomial).
struct PowerTable {
  std::array<uint32_t, 67> power{};
  constexpr PowerTable() {
    uint32_t p = 1u << 30;
    for (auto& entry : power) {
      entry = p;
      p = MultiplyModP(p, p);
    }
  }
};

constexpr PowerTable kPowers;

}  // namespace

// crc(A || B) = crc(A) * x^(8 |B|) + crc(B) over GF(2) (the pre- and post-inversions cancel
// out, as in zlib's crc32_combine). x^(8n) is built from the table of x^(2^k) by the bits of n.
uint32_t Crc32cCombine(uint32_t crc_a, uint32_t crc_b, uint64_t length_b) {
  uint32_t shift = 1u << 31;  // x^0
  uint64_t n = length_b;
  for (int k = 3; n != 0; n >>= 1, k++) {
    if (n & 1) shift = MultiplyModP(kPowers.power[k], shift);
  }
  return MultiplyModP(shift, crc_a) ^ crc_b;
}

uint64_t Crc64(uint64_t crc, std::string_view bytes) {
  const auto* p = reinterpret_cast<const unsigned char*>(bytes.data());
  return Slice8<uint64_t>(crc, p, bytes.size(), kCrc64Tables);
}

}  // namespace ringdb
