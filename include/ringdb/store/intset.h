// Intset: a sorted array of distinct integers in one allocation, byte for byte Redis's intset
// (so an RDB file can carry the blob as it is; man/ringdb-formats.5 describes the bytes).
//
//   <encoding u32le> <length u32le> <value> ... (ascending, each `encoding` bytes, little endian)
//
// `encoding` is the width of every value: 2, 4 or 8 bytes. It grows (never shrinks) to the
// narrowest width holding every value ever added, as Redis's intsetUpgradeAndAdd does.
// Lookups are binary searches; insertions and deletions move the tail of the array.
#pragma once

#include <cstddef>
#include <cstdint>
#include <string_view>

namespace ringdb::store {

class Intset {
 public:
  static constexpr uint32_t kHeaderBytes = 8;

  Intset();
  ~Intset();
  Intset(const Intset& other);
  Intset& operator=(const Intset& other) = delete;
  Intset(Intset&& other) noexcept;
  Intset& operator=(Intset&& other) noexcept;

  size_t size() const;
  bool empty() const { return size() == 0; }
  // Bytes per value: 2, 4 or 8.
  uint32_t width() const;

  bool Contains(int64_t value) const;
  // Adds `value`; returns false when it was already present.
  bool Add(int64_t value);
  // Removes `value`; returns false when it was absent.
  bool Remove(int64_t value);
  // The value at `index` (ascending order). REQUIRES: index < size().
  int64_t Get(size_t index) const;
  // REQUIRES: !empty().
  int64_t Min() const { return Get(0); }
  int64_t Max() const { return Get(size() - 1); }

  // The whole blob (header and values).
  std::string_view bytes() const;
  // Memory the intset holds (its allocation).
  size_t AllocatedBytes() const;

  // Whether `blob` is a well-formed intset: a valid width, a length matching the size, and
  // values strictly ascending. Never reads outside `blob`.
  static bool Validate(std::string_view blob);
  // Adopts a copy of a blob (for example from an RDB file). REQUIRES: Validate(blob); the
  // readers trust the header.
  static Intset FromBytes(std::string_view blob);

 private:
  explicit Intset(uint8_t* data) : data_(data) {}
  // The position where `value` is or would be inserted; sets *found.
  size_t Search(int64_t value, bool* found) const;
  void Set(size_t index, int64_t value);
  void Resize(size_t count, uint32_t width);
  void Upgrade(int64_t value);

  // One allocation: header and values. Never null.
  uint8_t* data_;
};

// The narrowest intset width (2, 4 or 8 bytes) that holds `value`.
uint32_t IntsetWidthFor(int64_t value);

}  // namespace ringdb::store
