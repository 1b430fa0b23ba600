// HyperLogLog registers, Redis's dense and sparse encodings, and the estimator. The byte-level
// behaviour (which opcode splits how, which adjacent VALs merge, when a value turns dense)
// follows Redis's hyperloglog.c so that both servers build identical strings from the same
// commands; the layout is described in ringdb/commands/hyperloglog.h.
//
// Bounds: a sparse value is untrusted. Every opcode read goes through Byte(), which reads 0
// past the end (where Redis would read the sds terminator), and every register index is
// checked against kRegisters before a register is touched.
#include "ringdb/commands/hyperloglog.h"

#include <cmath>
#include <cstring>

#include "ringdb/base/assert.h"

namespace ringdb::commands::hll {
namespace {

constexpr uint64_t kHashSeed = 0xadc83b19ULL;
constexpr size_t kSparseZeroLengthMax = 64;
constexpr size_t kSparseValueLengthMax = 4;
constexpr size_t kSparseXZeroLengthMax = 16384;
constexpr uint8_t kCacheStaleBit = 0x80;  // In the cardinality's most significant byte.
constexpr size_t kCardinalityOffset = 8;
// 0.5 / ln(2): the estimator's constant for m -> infinity.
constexpr double kAlphaInfinity = 0.721347520444481703680;

// Sparse opcodes.
bool IsZero(uint8_t op) { return (op & 0xc0) == 0; }
bool IsXZero(uint8_t op) { return (op & 0xc0) == 0x40; }
bool IsVal(uint8_t op) { return (op & 0x80) != 0; }
size_t ZeroLength(uint8_t op) { return (op & 0x3f) + 1u; }
size_t XZeroLength(uint8_t op, uint8_t next) { return (((op & 0x3f) << 8) | next) + 1u; }
uint8_t ValValue(uint8_t op) { return static_cast<uint8_t>(((op >> 2) & 0x1f) + 1); }
size_t ValLength(uint8_t op) { return (op & 0x3) + 1u; }
uint8_t ValOp(uint8_t value, size_t length) {
  RINGDB_DASSERT(value >= 1 && value <= kSparseValueMax);
  RINGDB_DASSERT(length >= 1 && length <= kSparseValueLengthMax);
  return static_cast<uint8_t>(0x80 | ((value - 1) << 2) | (length - 1));
}
uint8_t ZeroOp(size_t length) { return static_cast<uint8_t>(length - 1); }

// Byte `i` of `value`, 0 past its end.
uint8_t Byte(std::string_view value, size_t i) {
  return i < value.size() ? static_cast<uint8_t>(value[i]) : 0;
}

// Appends ZERO or XZERO opcodes for a run of `length` zero registers (1..16384).
size_t PutZeroRun(uint8_t* out, size_t length) {
  RINGDB_DASSERT(length >= 1 && length <= kSparseXZeroLengthMax);
  if (length > kSparseZeroLengthMax) {
    size_t encoded = length - 1;
    out[0] = static_cast<uint8_t>((encoded >> 8) | 0x40);
    out[1] = static_cast<uint8_t>(encoded & 0xff);
    return 2;
  }
  out[0] = ZeroOp(length);
  return 1;
}

uint8_t* MutableBytes(std::string* value) { return reinterpret_cast<uint8_t*>(value->data()); }

// One decoded sparse opcode at `offset`.
struct Opcode {
  enum Kind { kZero, kXZero, kVal } kind;
  size_t span;    // Registers covered.
  size_t bytes;   // 1 or 2.
  uint8_t value;  // Register value (0 for the zero runs).
};

Opcode DecodeAt(std::string_view value, size_t offset) {
  uint8_t op = Byte(value, offset);
  if (IsZero(op)) return {Opcode::kZero, ZeroLength(op), 1, 0};
  if (IsVal(op)) return {Opcode::kVal, ValLength(op), 1, ValValue(op)};
  return {Opcode::kXZero, XZeroLength(op, Byte(value, offset + 1)), 2, 0};
}

// Walks a sparse body and calls fn(first_register, span, register_value) for each opcode.
// Returns false when the opcodes do not cover exactly kRegisters registers (Redis 7.2's
// overflow checks: a run that would pass the last register stops the walk).
template <typename Fn>
bool WalkSparse(std::string_view value, Fn&& fn) {
  size_t index = 0;
  size_t offset = kHeaderBytes;
  while (offset < value.size()) {
    Opcode op = DecodeAt(value, offset);
    if (index + op.span > kRegisters) return false;
    fn(index, op.span, op.value);
    index += op.span;
    offset += op.bytes;
  }
  return index == kRegisters;
}

double Sigma(double x) {
  if (x == 1.) return INFINITY;
  double z_previous;
  double y = 1;
  double z = x;
  do {
    x *= x;
    z_previous = z;
    z += x * y;
    y += y;
  } while (z_previous != z);
  return z;
}

double Tau(double x) {
  if (x == 0. || x == 1.) return 0.;
  double z_previous;
  double y = 1.0;
  double z = 1 - x;
  do {
    x = std::sqrt(x);
    z_previous = z;
    y *= 0.5;
    z -= std::pow(1 - x, 2) * y;
  } while (z_previous != z);
  return z / 3;
}

// Histogram of register values; 64 slots so corrupt dense registers (up to 63) fit.
using Histogram = std::array<int, 64>;

uint64_t Estimate(const Histogram& histogram) {
  double m = kRegisters;
  double z = m * Tau((m - histogram[kPatternBits + 1]) / m);
  for (int j = kPatternBits; j >= 1; --j) {
    z += histogram[j];
    z *= 0.5;
  }
  z += m * Sigma(histogram[0] / m);
  return static_cast<uint64_t>(std::llround(kAlphaInfinity * m * m / z));
}

// Step 4 of Redis's hllSparseSet: after an update, merges adjacent VAL opcodes of equal value
// (up to a run of 4), scanning at most 5 opcodes from `start`.
void MergeAdjacentValues(std::string* value, size_t start) {
  size_t end = value->size();
  size_t p = start;
  int scan_budget = 5;
  while (p < end && scan_budget-- > 0) {
    uint8_t op = static_cast<uint8_t>((*value)[p]);
    if (IsXZero(op)) {
      p += 2;
      continue;
    }
    if (IsZero(op)) {
      p++;
      continue;
    }
    if (p + 1 < end && IsVal(static_cast<uint8_t>((*value)[p + 1]))) {
      uint8_t next = static_cast<uint8_t>((*value)[p + 1]);
      if (ValValue(op) == ValValue(next)) {
        size_t length = ValLength(op) + ValLength(next);
        if (length <= kSparseValueLengthMax) {
          (*value)[p + 1] = static_cast<char>(ValOp(ValValue(op), length));
          value->erase(p, 1);
          end--;
          continue;  // Try the merged opcode against its right neighbour.
        }
      }
    }
    p++;
  }
}

// The opcodes that replace the one covering `index` (registers first..last) when the
// register becomes `count`: at most XZERO VAL XZERO, 5 bytes.
size_t SplitOpcode(const Opcode& op, size_t first, size_t index, uint8_t count, uint8_t* out) {
  size_t last = first + op.span - 1;
  size_t n = 0;
  if (op.kind == Opcode::kVal) {
    if (index != first) out[n++] = ValOp(op.value, index - first);
    out[n++] = ValOp(count, 1);
    if (index != last) out[n++] = ValOp(op.value, last - index);
    return n;
  }
  if (index != first) n += PutZeroRun(out + n, index - first);
  out[n++] = ValOp(count, 1);
  if (index != last) n += PutZeroRun(out + n, last - index);
  return n;
}

enum class SparseOutcome { kUnchanged, kChanged, kCorrupt, kPromote };

// Redis's hllSparseSet up to the promotion decision.
SparseOutcome SparseSet(std::string* value, size_t index, uint8_t count, size_t sparse_bytes_max) {
  if (count > kSparseValueMax) return SparseOutcome::kPromote;
  // Step 1: find the opcode covering `index`. Like Redis, this walk trusts the run lengths;
  // the opcode found lies inside the string either way.
  size_t end = value->size();
  size_t p = kHeaderBytes;
  size_t first = 0;
  size_t previous = 0;  // 0: none (no opcode starts inside the header).
  Opcode op{Opcode::kZero, 0, 1, 0};
  while (p < end) {
    op = DecodeAt(*value, p);
    if (index <= first + op.span - 1) break;
    previous = p;
    p += op.bytes;
    first += op.span;
  }
  if (op.span == 0 || p >= end) return SparseOutcome::kCorrupt;
  RINGDB_DASSERT(index >= first);

  // Step 2: the cases that need no split.
  if (op.kind == Opcode::kVal) {
    if (op.value >= count) return SparseOutcome::kUnchanged;
    if (op.span == 1) {
      (*value)[p] = static_cast<char>(ValOp(count, 1));
      MergeAdjacentValues(value, previous != 0 ? previous : kHeaderBytes);
      return SparseOutcome::kChanged;
    }
  }
  if (op.kind == Opcode::kZero && op.span == 1) {
    (*value)[p] = static_cast<char>(ValOp(count, 1));
    MergeAdjacentValues(value, previous != 0 ? previous : kHeaderBytes);
    return SparseOutcome::kChanged;
  }

  // Step 3: split the opcode and put the new sequence in its place.
  uint8_t sequence[5];
  size_t sequence_bytes = SplitOpcode(op, first, index, count, sequence);
  size_t new_length = end + sequence_bytes - op.bytes;
  if (sequence_bytes > op.bytes && new_length > sparse_bytes_max) return SparseOutcome::kPromote;
  // An XZERO cut off by the end of the string counts as two bytes, as in Redis (which reads
  // the terminator as its second byte): the string then keeps one byte less of the sequence.
  value->replace(p, std::min(op.bytes, end - p), reinterpret_cast<const char*>(sequence),
                 sequence_bytes);
  value->resize(new_length);

  // Step 4.
  MergeAdjacentValues(value, previous != 0 ? previous : kHeaderBytes);
  return SparseOutcome::kChanged;
}

}  // namespace

uint64_t MurmurHash64A(std::string_view data, uint64_t seed) {
  const uint64_t m = 0xc6a4a7935bd1e995ULL;
  const int r = 47;
  uint64_t h = seed ^ (static_cast<uint64_t>(data.size()) * m);
  const auto* bytes = reinterpret_cast<const uint8_t*>(data.data());
  size_t blocks = data.size() / 8;
  for (size_t i = 0; i < blocks; i++) {
    uint64_t k = 0;
    for (int b = 7; b >= 0; b--) k = (k << 8) | bytes[i * 8 + b];
    k *= m;
    k ^= k >> r;
    k *= m;
    h ^= k;
    h *= m;
  }
  const uint8_t* tail = bytes + blocks * 8;
  size_t rest = data.size() & 7;
  if (rest != 0) {
    for (size_t b = rest; b-- > 0;) h ^= static_cast<uint64_t>(tail[b]) << (8 * b);
    h *= m;
  }
  h ^= h >> r;
  h *= m;
  h ^= h >> r;
  return h;
}

Pattern PatternOf(std::string_view element) {
  uint64_t hash = MurmurHash64A(element, kHashSeed);
  auto index = static_cast<uint32_t>(hash & (kRegisters - 1));
  hash >>= kIndexBits;
  hash |= uint64_t{1} << kPatternBits;  // The run ends by bit 50 at the latest: count <= 51.
  auto count = static_cast<uint8_t>(__builtin_ctzll(hash) + 1);
  return {index, count};
}

bool IsHyperLogLog(std::string_view value) {
  if (value.size() < kHeaderBytes) return false;
  if (value.substr(0, 4) != "HYLL") return false;
  uint8_t encoding = EncodingOf(value);
  if (encoding > kEncodingSparse) return false;
  if (encoding == kEncodingDense && value.size() != kDenseBytes) return false;
  return true;
}

std::string NewHyperLogLog() {
  std::string value(kHeaderBytes, '\0');
  std::memcpy(value.data(), "HYLL", 4);
  value[4] = static_cast<char>(kEncodingSparse);
  uint8_t run[2];
  size_t registers = kRegisters;
  while (registers > 0) {
    size_t length = std::min(registers, kSparseXZeroLengthMax);
    size_t bytes = PutZeroRun(run, length);
    value.append(reinterpret_cast<const char*>(run), bytes);
    registers -= length;
  }
  return value;
}

std::optional<uint64_t> CachedCardinality(std::string_view value) {
  RINGDB_DASSERT(value.size() >= kHeaderBytes);
  if (Byte(value, kCardinalityOffset + 7) & kCacheStaleBit) return std::nullopt;
  uint64_t cardinality = 0;
  for (int i = 7; i >= 0; i--)
    cardinality = (cardinality << 8) | Byte(value, kCardinalityOffset + i);
  return cardinality;
}

void StoreCardinality(char* header, uint64_t cardinality) {
  for (size_t i = 0; i < 8; i++) {
    header[kCardinalityOffset + i] = static_cast<char>((cardinality >> (8 * i)) & 0xff);
  }
}

void InvalidateCardinality(char* header) {
  header[kCardinalityOffset + 7] = static_cast<char>(header[kCardinalityOffset + 7] | 0x80);
}

uint8_t DenseRegister(const uint8_t* registers, size_t index) {
  RINGDB_DASSERT(index < kRegisters);
  size_t byte = index * kRegisterBits / 8;
  unsigned shift = (index * kRegisterBits) & 7;
  unsigned bits = registers[byte] >> shift;
  // A register starting past bit 2 continues in the next byte (never past the array).
  if (shift > 2) bits |= static_cast<unsigned>(registers[byte + 1]) << (8 - shift);
  return static_cast<uint8_t>(bits & kRegisterMax);
}

void SetDenseRegister(uint8_t* registers, size_t index, uint8_t value) {
  RINGDB_DASSERT(index < kRegisters);
  RINGDB_DASSERT(value <= kRegisterMax);
  size_t byte = index * kRegisterBits / 8;
  unsigned shift = (index * kRegisterBits) & 7;
  registers[byte] =
      static_cast<uint8_t>((registers[byte] & ~(kRegisterMax << shift)) | (value << shift));
  if (shift > 2) {
    unsigned high = 8 - shift;
    registers[byte + 1] =
        static_cast<uint8_t>((registers[byte + 1] & ~(kRegisterMax >> high)) | (value >> high));
  }
}

bool ToDense(std::string* value) {
  RINGDB_ASSERT(IsHyperLogLog(*value));
  if (EncodingOf(*value) == kEncodingDense) return true;
  std::string dense(kDenseBytes, '\0');
  std::memcpy(dense.data(), value->data(), kHeaderBytes);  // Magic, unused bytes, cardinality.
  dense[4] = static_cast<char>(kEncodingDense);
  uint8_t* registers = MutableBytes(&dense) + kHeaderBytes;
  bool valid = WalkSparse(*value, [&](size_t first, size_t span, uint8_t register_value) {
    if (register_value == 0) return;
    for (size_t i = first; i < first + span; i++) SetDenseRegister(registers, i, register_value);
  });
  if (!valid) return false;
  *value = std::move(dense);
  return true;
}

SetResult SetRegister(std::string* value, size_t index, uint8_t count, size_t sparse_bytes_max) {
  RINGDB_ASSERT(IsHyperLogLog(*value));
  RINGDB_ASSERT(index < kRegisters);
  RINGDB_ASSERT(count >= 1 && count <= kRegisterMax);
  if (EncodingOf(*value) == kEncodingSparse) {
    switch (SparseSet(value, index, count, sparse_bytes_max)) {
      case SparseOutcome::kUnchanged:
        return SetResult::kUnchanged;
      case SparseOutcome::kCorrupt:
        return SetResult::kCorrupt;
      case SparseOutcome::kChanged:
        InvalidateCardinality(value->data());
        return SetResult::kChanged;
      case SparseOutcome::kPromote:
        if (!ToDense(value)) return SetResult::kCorrupt;
        break;
    }
  }
  uint8_t* registers = MutableBytes(value) + kHeaderBytes;
  if (DenseRegister(registers, index) >= count) return SetResult::kUnchanged;
  SetDenseRegister(registers, index, count);
  InvalidateCardinality(value->data());
  return SetResult::kChanged;
}

SetResult Add(std::string* value, std::string_view element, size_t sparse_bytes_max) {
  Pattern pattern = PatternOf(element);
  return SetRegister(value, pattern.index, pattern.count, sparse_bytes_max);
}

bool MergeInto(std::string_view value, RawRegisters* max) {
  RINGDB_ASSERT(IsHyperLogLog(value));
  if (EncodingOf(value) == kEncodingDense) {
    const auto* registers = reinterpret_cast<const uint8_t*>(value.data()) + kHeaderBytes;
    for (size_t i = 0; i < kRegisters; i++) {
      uint8_t register_value = DenseRegister(registers, i);
      if (register_value > (*max)[i]) (*max)[i] = register_value;
    }
    return true;
  }
  return WalkSparse(value, [&](size_t first, size_t span, uint8_t register_value) {
    for (size_t i = first; i < first + span; i++) {
      if (register_value > (*max)[i]) (*max)[i] = register_value;
    }
  });
}

std::optional<uint64_t> Count(std::string_view value) {
  RINGDB_ASSERT(IsHyperLogLog(value));
  Histogram histogram{};
  if (EncodingOf(value) == kEncodingDense) {
    const auto* registers = reinterpret_cast<const uint8_t*>(value.data()) + kHeaderBytes;
    for (size_t i = 0; i < kRegisters; i++) histogram[DenseRegister(registers, i)]++;
  } else {
    bool valid = WalkSparse(value, [&](size_t, size_t span, uint8_t register_value) {
      histogram[register_value] += static_cast<int>(span);
    });
    if (!valid) return std::nullopt;
  }
  return Estimate(histogram);
}

uint64_t CountRaw(const RawRegisters& registers) {
  Histogram histogram{};
  for (uint8_t register_value : registers) histogram[register_value & 63]++;
  return Estimate(histogram);
}

std::string DecodeSparse(std::string_view value) {
  std::string text;
  size_t offset = kHeaderBytes;
  while (offset < value.size()) {
    Opcode op = DecodeAt(value, offset);
    if (!text.empty()) text += ' ';
    switch (op.kind) {
      case Opcode::kZero:
        text += "z:" + std::to_string(op.span);
        break;
      case Opcode::kXZero:
        text += "Z:" + std::to_string(op.span);
        break;
      case Opcode::kVal:
        text += "v:" + std::to_string(op.value) + "," + std::to_string(op.span);
        break;
    }
    offset += op.bytes;
  }
  return text;
}

}  // namespace ringdb::commands::hll
