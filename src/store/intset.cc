#include "ringdb/store/intset.h"

#include <cstring>
#include <utility>

#include "ringdb/base/assert.h"
#include "ringdb/base/memory.h"

namespace ringdb::store {

namespace {

uint32_t ReadU32(const uint8_t* p) {
  return static_cast<uint32_t>(p[0]) | static_cast<uint32_t>(p[1]) << 8 |
         static_cast<uint32_t>(p[2]) << 16 | static_cast<uint32_t>(p[3]) << 24;
}
void WriteU32(uint8_t* p, uint32_t value) {
  for (int i = 0; i < 4; i++) p[i] = static_cast<uint8_t>(value >> (8 * i));
}

// Reads a little-endian signed integer of `width` bytes.
int64_t ReadValue(const uint8_t* p, uint32_t width) {
  uint64_t raw = 0;
  for (uint32_t i = 0; i < width; i++) raw |= static_cast<uint64_t>(p[i]) << (8 * i);
  if (width < 8) {
    uint64_t sign = uint64_t{1} << (8 * width - 1);
    raw = (raw ^ sign) - sign;  // Sign-extends.
  }
  return static_cast<int64_t>(raw);
}
void WriteValue(uint8_t* p, uint32_t width, int64_t value) {
  auto raw = static_cast<uint64_t>(value);
  for (uint32_t i = 0; i < width; i++) p[i] = static_cast<uint8_t>(raw >> (8 * i));
}

uint8_t* NewBlob(size_t count, uint32_t width) {
  auto* data = static_cast<uint8_t*>(Allocate(Intset::kHeaderBytes + count * width));
  WriteU32(data, width);
  WriteU32(data + 4, static_cast<uint32_t>(count));
  return data;
}

}  // namespace

uint32_t IntsetWidthFor(int64_t value) {
  if (value < INT32_MIN || value > INT32_MAX) return 8;
  if (value < INT16_MIN || value > INT16_MAX) return 4;
  return 2;
}

Intset::Intset() : data_(NewBlob(0, 2)) {}

Intset::~Intset() {
  if (data_ != nullptr) Deallocate(data_);
}

Intset::Intset(const Intset& other) {
  size_t bytes = other.bytes().size();
  data_ = static_cast<uint8_t*>(Allocate(bytes));
  std::memcpy(data_, other.data_, bytes);
}

Intset::Intset(Intset&& other) noexcept : data_(std::exchange(other.data_, nullptr)) {}

Intset& Intset::operator=(Intset&& other) noexcept {
  if (this != &other) {
    if (data_ != nullptr) Deallocate(data_);
    data_ = std::exchange(other.data_, nullptr);
  }
  return *this;
}

size_t Intset::size() const { return ReadU32(data_ + 4); }
uint32_t Intset::width() const { return ReadU32(data_); }

std::string_view Intset::bytes() const {
  return {reinterpret_cast<const char*>(data_), kHeaderBytes + size() * width()};
}

size_t Intset::AllocatedBytes() const { return UsableSize(data_); }

int64_t Intset::Get(size_t index) const {
  RINGDB_DASSERT(index < size());
  uint32_t w = width();
  return ReadValue(data_ + kHeaderBytes + index * w, w);
}

void Intset::Set(size_t index, int64_t value) {
  uint32_t w = width();
  WriteValue(data_ + kHeaderBytes + index * w, w, value);
}

size_t Intset::Search(int64_t value, bool* found) const {
  size_t low = 0;
  size_t high = size();
  while (low < high) {
    size_t middle = low + (high - low) / 2;
    int64_t current = Get(middle);
    if (current == value) {
      *found = true;
      return middle;
    }
    if (current < value) {
      low = middle + 1;
    } else {
      high = middle;
    }
  }
  *found = false;
  return low;
}

bool Intset::Contains(int64_t value) const {
  if (IntsetWidthFor(value) > width()) return false;
  bool found;
  Search(value, &found);
  return found;
}

void Intset::Resize(size_t count, uint32_t width) {
  data_ = static_cast<uint8_t*>(Reallocate(data_, kHeaderBytes + count * width));
}

// Widens every value to hold `value`, which is then either below or above all of them: it
// goes first or last (Redis's intsetUpgradeAndAdd).
void Intset::Upgrade(int64_t value) {
  uint32_t old_width = width();
  uint32_t new_width = IntsetWidthFor(value);
  size_t count = size();
  Resize(count + 1, new_width);
  bool prepend = value < 0;
  // From the end backwards, so no value is overwritten before it is read.
  for (size_t i = count; i-- > 0;) {
    int64_t current = ReadValue(data_ + kHeaderBytes + i * old_width, old_width);
    WriteValue(data_ + kHeaderBytes + (i + (prepend ? 1 : 0)) * new_width, new_width, current);
  }
  WriteU32(data_, new_width);
  WriteU32(data_ + 4, static_cast<uint32_t>(count + 1));
  Set(prepend ? 0 : count, value);
}

bool Intset::Add(int64_t value) {
  if (IntsetWidthFor(value) > width()) {
    Upgrade(value);
    return true;
  }
  bool found;
  size_t position = Search(value, &found);
  if (found) return false;
  size_t count = size();
  RINGDB_ASSERT(count < UINT32_MAX);
  uint32_t w = width();
  Resize(count + 1, w);
  uint8_t* at = data_ + kHeaderBytes + position * w;
  std::memmove(at + w, at, (count - position) * w);
  WriteU32(data_ + 4, static_cast<uint32_t>(count + 1));
  Set(position, value);
  return true;
}

bool Intset::Remove(int64_t value) {
  if (IntsetWidthFor(value) > width()) return false;
  bool found;
  size_t position = Search(value, &found);
  if (!found) return false;
  size_t count = size();
  uint32_t w = width();
  uint8_t* at = data_ + kHeaderBytes + position * w;
  std::memmove(at, at + w, (count - position - 1) * w);
  WriteU32(data_ + 4, static_cast<uint32_t>(count - 1));
  Resize(count - 1, w);
  return true;
}

Intset Intset::FromBytes(std::string_view blob) {
  RINGDB_ASSERT(blob.size() >= kHeaderBytes);
  RINGDB_DASSERT(Validate(blob));
  auto* data = static_cast<uint8_t*>(Allocate(blob.size()));
  std::memcpy(data, blob.data(), blob.size());
  return Intset(data);
}

bool Intset::Validate(std::string_view blob) {
  if (blob.size() < kHeaderBytes) return false;
  const auto* data = reinterpret_cast<const uint8_t*>(blob.data());
  uint32_t w = ReadU32(data);
  if (w != 2 && w != 4 && w != 8) return false;
  uint64_t count = ReadU32(data + 4);
  if (kHeaderBytes + count * w != blob.size()) return false;
  for (uint64_t i = 1; i < count; i++) {
    if (ReadValue(data + kHeaderBytes + (i - 1) * w, w) >=
        ReadValue(data + kHeaderBytes + i * w, w)) {
      return false;
    }
  }
  return true;
}

}  // namespace ringdb::store
