// HyperLogLog in Redis's exact string representation, so values move between ringdb and Redis
// byte for byte (GET/SET, DUMP, RDB) and PFCOUNT gives the same estimates.
//
// A HyperLogLog is an ordinary string value:
//
//   +0  "HYLL"            magic
//   +4  u8 encoding        0 dense, 1 sparse (anything else is refused)
//   +5  3 bytes            unused, zero when ringdb creates the value (copied as they are)
//   +8  u64 cardinality    little endian; bit 63 set means "stale, recompute"
//   +16 registers          16384 registers of 6 bits
//
// Dense: 12288 bytes; register i occupies bits [6i, 6i+6) of the array, counted from the least
// significant bit of each byte (so a register may straddle two bytes). The value is exactly
// kDenseBytes long.
//
// Sparse: a run-length code over the registers, purely positional:
//   00xxxxxx           ZERO:  xxxxxx+1 registers (1..64) are 0
//   01xxxxxx yyyyyyyy  XZERO: (xxxxxx << 8 | yyyyyyyy)+1 registers (1..16384) are 0
//   1vvvvvxx           VAL:   xx+1 registers (1..4) hold vvvvv+1 (1..32)
// A valid sparse value covers exactly 16384 registers. It becomes dense once a register needs
// a value above 32, or once an update would make the whole string longer than
// hll-sparse-max-bytes (the promotion rule of Redis's hllSparseSet).
//
// Elements are hashed with Redis's MurmurHash64A (seed 0xadc83b19): the low 14 bits pick the
// register, and the register's candidate value is the position of the first 1 bit in the
// remaining 50 (1..51). Estimates use Ertl's improved estimator ("New cardinality estimation
// algorithms for HyperLogLog sketches", arXiv:1702.01284), as Redis 4 and later do.
//
// Values are untrusted (SET can store anything that passes IsHyperLogLog), so every reader
// here checks its bounds: a corrupt sparse value yields kCorrupt / nullopt, never a read or
// write outside the string.
#pragma once

#include <array>
#include <cstddef>
#include <cstdint>
#include <optional>
#include <string>
#include <string_view>

namespace ringdb::commands::hll {

inline constexpr size_t kHeaderBytes = 16;
inline constexpr int kIndexBits = 14;                  // Redis's HLL_P
inline constexpr int kPatternBits = 64 - kIndexBits;   // HLL_Q
inline constexpr size_t kRegisters = 1 << kIndexBits;  // 16384
inline constexpr int kRegisterBits = 6;
inline constexpr uint8_t kRegisterMax = (1 << kRegisterBits) - 1;
inline constexpr size_t kDenseBytes = kHeaderBytes + (kRegisters * kRegisterBits + 7) / 8;
inline constexpr uint8_t kEncodingDense = 0;
inline constexpr uint8_t kEncodingSparse = 1;
inline constexpr uint8_t kSparseValueMax = 32;
// Redis's default hll-sparse-max-bytes.
inline constexpr size_t kSparseBytesMaxDefault = 3000;

// Registers one value each (PFMERGE's and multi-key PFCOUNT's scratch form).
using RawRegisters = std::array<uint8_t, kRegisters>;

// Redis's MurmurHash64A (MurmurHash2, 64-bit, read little endian).
uint64_t MurmurHash64A(std::string_view data, uint64_t seed);

// The register an element updates and the value it proposes (hllPatLen).
struct Pattern {
  uint32_t index;
  uint8_t count;  // 1..51
};
Pattern PatternOf(std::string_view element);

// Redis's isHLLObjectOrReply checks: at least a header, the magic, a known encoding, and for
// dense exactly kDenseBytes. A sparse body is only checked when it is read.
bool IsHyperLogLog(std::string_view value);

// REQUIRES (for the functions below): IsHyperLogLog(value).
inline uint8_t EncodingOf(std::string_view value) { return static_cast<uint8_t>(value[4]); }

// A new, empty HyperLogLog: sparse, one XZERO covering every register, cardinality 0.
std::string NewHyperLogLog();

// The cached cardinality, when valid.
std::optional<uint64_t> CachedCardinality(std::string_view value);
// REQUIRES: `header` points at least kHeaderBytes writable bytes.
void StoreCardinality(char* header, uint64_t cardinality);
void InvalidateCardinality(char* header);

// One dense register. REQUIRES: index < kRegisters; `registers` holds the dense array.
uint8_t DenseRegister(const uint8_t* registers, size_t index);
void SetDenseRegister(uint8_t* registers, size_t index, uint8_t value);

enum class SetResult { kUnchanged, kChanged, kCorrupt };

// Raises register `index` to `count` if it is lower (hllDenseSet / hllSparseSet), invalidating
// the cached cardinality when it changes. A sparse value is edited as Redis edits it (same
// opcode splits and merges, so the bytes match) and promoted to dense by the rules above.
// kCorrupt: the sparse value is invalid; `value` may hold earlier edits, as in Redis.
// REQUIRES: IsHyperLogLog(*value); index < kRegisters; 1 <= count <= kRegisterMax.
SetResult SetRegister(std::string* value, size_t index, uint8_t count, size_t sparse_bytes_max);

// PFADD of one element.
SetResult Add(std::string* value, std::string_view element, size_t sparse_bytes_max);

// Rewrites a sparse value as dense (keeping the header's other bytes). False when the sparse
// value is corrupt; `value` is then unchanged. A dense value is left as it is.
bool ToDense(std::string* value);

// Raises each of `max` to the matching register of `value` (hllMerge). False when a sparse
// value is corrupt (some of `max` may have been raised).
bool MergeInto(std::string_view value, RawRegisters* max);

// The estimated cardinality of the registers (hllCount); nullopt when a sparse value is
// corrupt.
std::optional<uint64_t> Count(std::string_view value);
uint64_t CountRaw(const RawRegisters& registers);

// PFDEBUG DECODE's text of a sparse body ("Z:16384", "z:3 v:2,1 ..."), read as Redis does.
std::string DecodeSparse(std::string_view value);

}  // namespace ringdb::commands::hll
