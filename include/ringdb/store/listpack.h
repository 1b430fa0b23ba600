// Listpack: a compact array of strings and integers in one allocation, byte for byte Redis's
// listpack format, so small lists, hashes, sets and sorted sets cost what they cost in Redis and
// an RDB file can carry the blob as it is (man/ringdb-formats.5 describes the bytes).
//
//   <total-bytes u32le> <element-count u16le> <element> ... <0xFF>
//   element = <encoding + data> <backlen>
//
// Encodings (first byte):
//   0xxxxxxx             7-bit unsigned integer
//   10xxxxxx             string of up to 63 bytes follows
//   110xxxxx yyyyyyyy    13-bit signed integer
//   1110xxxx yyyyyyyy    string of up to 4095 bytes follows
//   11110000 <u32le>     string of up to 2^32-1 bytes follows
//   11110001..11110100   16-, 24-, 32-, 64-bit signed integer follows (little endian)
// backlen is the byte length of <encoding + data> in 1..5 bytes of 7 bits, written so that it
// can be read backwards from the element's last byte: the rightmost byte holds the lowest bits,
// and bit 7 set means more bytes follow to the left.
//
// The element count is exact below 65535; from there on the header says "unknown" and
// size() counts by walking, as Redis does.
//
// A string that is a canonical decimal integer (Redis's string2ll rules) is stored as an
// integer; reading it back gives the same text.
//
// Positions are byte offsets of elements. Any insertion or deletion invalidates every position
// after the change, except the ones the mutating call returns.
#pragma once

#include <cstddef>
#include <cstdint>
#include <string>
#include <string_view>

namespace ringdb::store {

// One element as read from a listpack: an integer or a string that points into the listpack
// (valid until the listpack changes).
struct ListpackValue {
  bool is_integer = false;
  int64_t integer = 0;
  std::string_view bytes;

  // The element as text; integers are formatted into `scratch` (at least 21 bytes).
  std::string_view Text(char* scratch) const;
  std::string ToString() const;
  bool Equals(std::string_view text) const;
};

class Listpack {
 public:
  static constexpr uint32_t kHeaderBytes = 6;
  static constexpr uint8_t kEnd = 0xFF;
  static constexpr uint16_t kCountUnknown = 65535;
  // Redis refuses to grow a listpack past 1 GiB (LISTPACK_MAX_SAFETY_SIZE); callers convert to
  // a bigger encoding first, and SafeToAdd tells them when.
  static constexpr size_t kSafetyBytesMax = size_t{1} << 30;
  // Position meaning "none" (past the last element or before the first).
  static constexpr uint32_t kNone = 0;

  Listpack();
  ~Listpack();
  Listpack(const Listpack& other);
  Listpack& operator=(const Listpack& other) = delete;
  Listpack(Listpack&& other) noexcept;
  Listpack& operator=(Listpack&& other) noexcept;

  // Adopts a blob (for example from an RDB file); the caller has validated it (Validate).
  static Listpack FromBytes(std::string_view blob);
  // Whether `blob` is a well-formed listpack: header, every element and backlen in bounds,
  // the terminator, and (when `deep`) the element count. Never reads outside `blob`.
  static bool Validate(std::string_view blob, bool deep = true);

  std::string_view bytes() const;
  size_t total_bytes() const;
  size_t size() const;
  bool empty() const { return First() == kNone; }

  // Would adding `bytes_added` more bytes keep the listpack under kSafetyBytesMax?
  bool SafeToAdd(size_t bytes_added) const {
    return total_bytes() + bytes_added <= kSafetyBytesMax;
  }

  // Positions.
  uint32_t First() const;
  uint32_t Last() const;
  uint32_t Next(uint32_t position) const;
  uint32_t Prev(uint32_t position) const;
  // The element at `index` (negative: from the end, -1 the last), or kNone.
  uint32_t Seek(int64_t index) const;

  ListpackValue Get(uint32_t position) const;

  // Appends / prepends an element. A canonical integer string is stored as an integer.
  void Append(std::string_view element);
  void AppendInteger(int64_t value);
  void Prepend(std::string_view element);
  // Inserts before or after `position`; returns the new element's position.
  uint32_t InsertBefore(uint32_t position, std::string_view element);
  uint32_t InsertAfter(uint32_t position, std::string_view element);
  // Replaces the element at `position`; returns its (unchanged) position.
  uint32_t Replace(uint32_t position, std::string_view element);
  uint32_t ReplaceInteger(uint32_t position, int64_t value);
  // Deletes the element at `position`; returns the position of the element that followed it
  // (kNone if it was the last).
  uint32_t Delete(uint32_t position);
  // Deletes `count` elements starting at `position`; returns what followed them.
  uint32_t DeleteRange(uint32_t position, size_t count);
  void Clear();

  // The first element at or after `position` equal to `element`, looking only at every
  // (skip + 1)-th element (skip 1 visits the fields of a field/value listpack). kNone if none.
  uint32_t Find(uint32_t position, std::string_view element, int skip = 0) const;

  // Memory the listpack holds (its allocation).
  size_t AllocatedBytes() const;

 private:
  explicit Listpack(uint8_t* data) : data_(data) {}
  uint8_t* Splice(uint32_t offset, size_t remove_bytes, const uint8_t* insert, size_t insert_bytes);
  void SetCount(size_t count);
  void AdjustCount(int64_t delta);

  // One allocation: header, elements, terminator. Never null.
  uint8_t* data_;
};

// The bytes a listpack element takes (encoding, data and backlen) for `element`.
size_t ListpackElementBytes(std::string_view element);

}  // namespace ringdb::store
