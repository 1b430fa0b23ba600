// Pieces of the native snapshot codec shared by its writer, reader and loader (private to
// persist). include/ringdb/persist/native.h states the format.
#pragma once

#include <cstddef>
#include <cstdint>
#include <string>
#include <string_view>

namespace ringdb::persist::native {

inline constexpr std::string_view kBlockTag = "RSBK";
inline constexpr std::string_view kTrailerTag = "RSTR";
// Entry flags.
inline constexpr uint8_t kFlagExpiry = 1;
inline constexpr uint8_t kFlagIdle = 2;
inline constexpr uint8_t kFlagFrequency = 4;
inline constexpr uint8_t kFlagsKnown = kFlagExpiry | kFlagIdle | kFlagFrequency;
// Header fields before the aux records: magic, version, header bytes, creation time, aux count.
inline constexpr size_t kHeaderFixedBytes = 28;
// The smallest header: no aux, no function (count 0), the CRC.
inline constexpr size_t kHeaderMinBytes = kHeaderFixedBytes + 4 + 4;
// A header holds AUX fields and function code: far below this; a larger declared size is
// damage, not something to allocate for.
inline constexpr uint64_t kHeaderBytesMax = uint64_t{512} << 20;
// Per-database records of a trailer: no keyspace has more databases than this.
inline constexpr uint64_t kTrailerDatabasesMax = uint64_t{1} << 20;
// lz4 expands a byte of input to at most 255 bytes of output (a match's length bytes).
inline constexpr uint64_t kLz4ExpansionMax = 255;

inline void PutU32(uint32_t value, char* out) {
  for (int i = 0; i < 4; i++) out[i] = static_cast<char>(value >> (8 * i));
}
inline void PutU64(uint64_t value, char* out) {
  for (int i = 0; i < 8; i++) out[i] = static_cast<char>(value >> (8 * i));
}
inline void AppendU32(uint32_t value, std::string* out) {
  char bytes[4];
  PutU32(value, bytes);
  out->append(bytes, 4);
}
inline void AppendU64(uint64_t value, std::string* out) {
  char bytes[8];
  PutU64(value, bytes);
  out->append(bytes, 8);
}
inline uint32_t GetU32(const char* in) {
  uint32_t value = 0;
  for (int i = 0; i < 4; i++) value |= uint32_t{static_cast<uint8_t>(in[i])} << (8 * i);
  return value;
}
inline uint64_t GetU64(const char* in) {
  uint64_t value = 0;
  for (int i = 0; i < 8; i++) value |= uint64_t{static_cast<uint8_t>(in[i])} << (8 * i);
  return value;
}

// A key for an error message: printable ASCII as is, other bytes as \xNN, at most 64 bytes.
std::string QuoteKey(std::string_view key);

}  // namespace ringdb::persist::native
