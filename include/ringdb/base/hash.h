// A fast seeded 64-bit hash for keyspace lookups. The seed is chosen at random per process so
// that clients cannot aim keys at one page of the table.
#pragma once

#include <cstddef>
#include <cstdint>
#include <cstring>
#include <string_view>

namespace ringdb {

namespace hash_detail {
inline uint64_t Load64(const unsigned char* p) {
  uint64_t v;
  std::memcpy(&v, p, 8);
  return v;
}
inline uint64_t Load32(const unsigned char* p) {
  uint32_t v;
  std::memcpy(&v, p, 4);
  return v;
}
// 64x64 -> 128 multiply folded back to 64 bits: every input bit reaches every output bit.
inline uint64_t Fold(uint64_t a, uint64_t b) {
  __uint128_t product = static_cast<__uint128_t>(a) * b;
  return static_cast<uint64_t>(product) ^ static_cast<uint64_t>(product >> 64);
}
inline constexpr uint64_t kPrime0 = 0xa0761d6478bd642fULL;
inline constexpr uint64_t kPrime1 = 0xe7037ed1a0b428dbULL;
inline constexpr uint64_t kPrime2 = 0x8ebc6af09c88c6e3ULL;
inline constexpr uint64_t kPrime3 = 0x589965cc75374cc3ULL;
}  // namespace hash_detail

inline uint64_t Hash64(std::string_view bytes, uint64_t seed) {
  using namespace hash_detail;
  const auto* p = reinterpret_cast<const unsigned char*>(bytes.data());
  size_t left = bytes.size();
  uint64_t state = seed ^ Fold(seed ^ kPrime0, kPrime1);
  while (left > 16) {
    state = Fold(Load64(p) ^ kPrime1, Load64(p + 8) ^ state);
    p += 16;
    left -= 16;
  }
  uint64_t a = 0;
  uint64_t b = 0;
  if (left > 8) {
    a = Load64(p);
    b = Load64(p + left - 8);
  } else if (left >= 4) {
    a = Load32(p);
    b = Load32(p + left - 4);
  } else if (left > 0) {
    a = (static_cast<uint64_t>(p[0]) << 16) | (static_cast<uint64_t>(p[left >> 1]) << 8) |
        p[left - 1];
  }
  uint64_t mixed = Fold(a ^ kPrime2 ^ state, b ^ kPrime3 ^ bytes.size());
  return Fold(mixed ^ kPrime0, kPrime1 ^ bytes.size());
}

}  // namespace ringdb
