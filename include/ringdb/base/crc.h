// Checksums used by the file formats.
//   CRC32C (Castagnoli, reflected polynomial 0x82f63b78): AOF batch annotations and native
//   snapshot blocks. Check value: Crc32c("123456789") == 0xe3069283.
//   CRC-64/Jones (polynomial 0xad93d23594c935a9 processed reflected, init 0, no final xor): the RDB
//   trailer. Check value: Crc64(0, "123456789") == 0xe9c6d914c4b8d9ca.
#pragma once

#include <cstddef>
#include <cstdint>
#include <string_view>

namespace ringdb {

// Extends `crc` (0 to start) over `bytes`.
uint32_t Crc32cExtend(uint32_t crc, std::string_view bytes);
inline uint32_t Crc32c(std::string_view bytes) { return Crc32cExtend(0, bytes); }
// The CRC32C of A followed by B, from crc_a = Crc32c(A), crc_b = Crc32c(B) and B's length, in
// O(log length_b): pieces checksummed on different threads combine into the whole's CRC.
uint32_t Crc32cCombine(uint32_t crc_a, uint32_t crc_b, uint64_t length_b);

uint64_t Crc64(uint64_t crc, std::string_view bytes);

}  // namespace ringdb
