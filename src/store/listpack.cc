#include "ringdb/store/listpack.h"

#include <cstring>
#include <utility>

#include "ringdb/base/assert.h"
#include "ringdb/base/memory.h"
#include "ringdb/base/strings.h"

namespace ringdb::store {

namespace {

constexpr uint8_t kEncoding16BitInt = 0xF1;
constexpr uint8_t kEncoding24BitInt = 0xF2;
constexpr uint8_t kEncoding32BitInt = 0xF3;
constexpr uint8_t kEncoding64BitInt = 0xF4;
constexpr uint8_t kEncoding32BitString = 0xF0;
// Redis's LONG_STR_SIZE: longer text is never taken for an integer.
constexpr size_t kIntegerTextMax = 20;

uint32_t ReadU32(const uint8_t* p) {
  return static_cast<uint32_t>(p[0]) | static_cast<uint32_t>(p[1]) << 8 |
         static_cast<uint32_t>(p[2]) << 16 | static_cast<uint32_t>(p[3]) << 24;
}
void WriteU32(uint8_t* p, uint32_t value) {
  for (int i = 0; i < 4; i++) p[i] = static_cast<uint8_t>(value >> (8 * i));
}

size_t BacklenBytes(size_t length) {
  if (length <= 127) return 1;
  if (length < 16383) return 2;
  if (length < 2097151) return 3;
  if (length < 268435455) return 4;
  return 5;
}

// Writes the backlen of an element whose encoding + data take `length` bytes; returns its size.
size_t EncodeBacklen(size_t length, uint8_t* out) {
  size_t bytes = BacklenBytes(length);
  // Leftmost byte: the highest bits, no continuation flag; every byte to its right carries
  // the flag (bit 7) and the next lower 7 bits.
  for (size_t i = 0; i < bytes; i++) {
    size_t shift = 7 * (bytes - 1 - i);
    uint8_t chunk = static_cast<uint8_t>((length >> shift) & 127);
    out[i] = i == 0 ? chunk : static_cast<uint8_t>(chunk | 128);
  }
  return bytes;
}

// Reads the backlen ending at `last` (the element's last byte), stepping left at most to
// `floor`. Returns 0 on malformed input.
size_t DecodeBacklen(const uint8_t* last, const uint8_t* floor, size_t* backlen_bytes) {
  size_t value = 0;
  size_t shift = 0;
  size_t count = 0;
  const uint8_t* p = last;
  while (true) {
    if (p < floor || count == 5) return 0;
    value |= static_cast<size_t>(*p & 127) << shift;
    count++;
    if ((*p & 128) == 0) break;
    shift += 7;
    p--;
  }
  *backlen_bytes = count;
  return value;
}

// An element ready to be written: header bytes (or a whole integer), a payload, a backlen.
struct Encoded {
  uint8_t head[9];
  size_t head_bytes = 0;
  std::string_view payload;
  uint8_t back[5];
  size_t back_bytes = 0;

  size_t total() const { return head_bytes + payload.size() + back_bytes; }
  void WriteTo(uint8_t* out) const {
    std::memcpy(out, head, head_bytes);
    if (!payload.empty()) std::memcpy(out + head_bytes, payload.data(), payload.size());
    std::memcpy(out + head_bytes + payload.size(), back, back_bytes);
  }
};

void EncodeInteger(int64_t value, Encoded* out) {
  uint8_t* h = out->head;
  auto little_endian = [&](uint8_t tag, int width_bytes) {
    uint64_t bits = static_cast<uint64_t>(value);
    h[0] = tag;
    for (int i = 0; i < width_bytes; i++) h[1 + i] = static_cast<uint8_t>(bits >> (8 * i));
    out->head_bytes = 1 + static_cast<size_t>(width_bytes);
  };
  if (value >= 0 && value <= 127) {
    h[0] = static_cast<uint8_t>(value);
    out->head_bytes = 1;
  } else if (value >= -4096 && value <= 4095) {
    uint64_t bits = static_cast<uint64_t>(value) & 0x1FFF;
    h[0] = static_cast<uint8_t>(0xC0 | (bits >> 8));
    h[1] = static_cast<uint8_t>(bits & 0xFF);
    out->head_bytes = 2;
  } else if (value >= -32768 && value <= 32767) {
    little_endian(kEncoding16BitInt, 2);
  } else if (value >= -8388608 && value <= 8388607) {
    little_endian(kEncoding24BitInt, 3);
  } else if (value >= INT32_MIN && value <= INT32_MAX) {
    little_endian(kEncoding32BitInt, 4);
  } else {
    little_endian(kEncoding64BitInt, 8);
  }
  out->back_bytes = EncodeBacklen(out->head_bytes, out->back);
}

void EncodeElement(std::string_view element, Encoded* out) {
  if (element.size() <= kIntegerTextMax) {
    if (std::optional<int64_t> value = ParseInt64(element)) {
      EncodeInteger(*value, out);
      return;
    }
  }
  RINGDB_ASSERT(element.size() <= UINT32_MAX);
  size_t length = element.size();
  uint8_t* h = out->head;
  if (length < 64) {
    h[0] = static_cast<uint8_t>(0x80 | length);
    out->head_bytes = 1;
  } else if (length < 4096) {
    h[0] = static_cast<uint8_t>(0xE0 | (length >> 8));
    h[1] = static_cast<uint8_t>(length & 0xFF);
    out->head_bytes = 2;
  } else {
    h[0] = kEncoding32BitString;
    WriteU32(h + 1, static_cast<uint32_t>(length));
    out->head_bytes = 5;
  }
  out->payload = element;
  out->back_bytes = EncodeBacklen(out->head_bytes + length, out->back);
}

// Decodes the element at `p`: its value and the bytes its encoding + data take. `limit` is
// one past the last readable byte; returns 0 when the element does not fit.
size_t DecodeElement(const uint8_t* p, const uint8_t* limit, ListpackValue* value) {
  if (p >= limit) return 0;
  size_t available = static_cast<size_t>(limit - p);
  uint8_t b = p[0];
  auto integer = [&](int64_t v, size_t bytes) -> size_t {
    value->is_integer = true;
    value->integer = v;
    value->bytes = {};
    return bytes;
  };
  auto string = [&](size_t header, uint64_t length) -> size_t {
    if (length > available || header > available - length) return 0;
    value->is_integer = false;
    value->bytes = {reinterpret_cast<const char*>(p + header), static_cast<size_t>(length)};
    return header + static_cast<size_t>(length);
  };
  auto signed_le = [&](int width_bytes) -> size_t {
    if (available < 1 + static_cast<size_t>(width_bytes)) return 0;
    uint64_t bits = 0;
    for (int i = 0; i < width_bytes; i++) bits |= static_cast<uint64_t>(p[1 + i]) << (8 * i);
    int unused = 64 - 8 * width_bytes;
    // Sign-extend from the field's width.
    int64_t v =
        unused == 0 ? static_cast<int64_t>(bits) : static_cast<int64_t>(bits << unused) >> unused;
    return integer(v, 1 + static_cast<size_t>(width_bytes));
  };
  if ((b & 0x80) == 0) return integer(b, 1);
  if ((b & 0xC0) == 0x80) return string(1, b & 0x3F);
  if ((b & 0xE0) == 0xC0) {
    if (available < 2) return 0;
    uint64_t bits = (static_cast<uint64_t>(b & 0x1F) << 8) | p[1];
    int64_t v =
        bits >= (1u << 12) ? static_cast<int64_t>(bits) - (1 << 13) : static_cast<int64_t>(bits);
    return integer(v, 2);
  }
  if ((b & 0xF0) == 0xE0) {
    if (available < 2) return 0;
    return string(2, (static_cast<uint64_t>(b & 0x0F) << 8) | p[1]);
  }
  switch (b) {
    case kEncoding32BitString:
      if (available < 5) return 0;
      return string(5, ReadU32(p + 1));
    case kEncoding16BitInt:
      return signed_le(2);
    case kEncoding24BitInt:
      return signed_le(3);
    case kEncoding32BitInt:
      return signed_le(4);
    case kEncoding64BitInt:
      return signed_le(8);
    default:
      return 0;  // 0xF5..0xFE are unused; 0xFF is the terminator, not an element.
  }
}

uint8_t* NewBlob(size_t bytes) {
  auto* data = static_cast<uint8_t*>(Allocate(bytes));
  WriteU32(data, static_cast<uint32_t>(bytes));
  return data;
}

}  // namespace

std::string_view ListpackValue::Text(char* scratch) const {
  if (!is_integer) return bytes;
  return {scratch, FormatInt64(integer, scratch)};
}

std::string ListpackValue::ToString() const {
  char scratch[24];
  return std::string(Text(scratch));
}

bool ListpackValue::Equals(std::string_view text) const {
  if (!is_integer) return bytes == text;
  char scratch[24];
  return Text(scratch) == text;
}

size_t ListpackElementBytes(std::string_view element) {
  Encoded encoded;
  EncodeElement(element, &encoded);
  return encoded.total();
}

Listpack::Listpack() : data_(NewBlob(kHeaderBytes + 1)) {
  data_[4] = 0;
  data_[5] = 0;
  data_[kHeaderBytes] = kEnd;
}

Listpack::~Listpack() {
  if (data_ != nullptr) Deallocate(data_);
}

Listpack::Listpack(const Listpack& other) : data_(NewBlob(other.total_bytes())) {
  std::memcpy(data_, other.data_, other.total_bytes());
}

Listpack::Listpack(Listpack&& other) noexcept : data_(std::exchange(other.data_, nullptr)) {}

Listpack& Listpack::operator=(Listpack&& other) noexcept {
  if (this != &other) {
    if (data_ != nullptr) Deallocate(data_);
    data_ = std::exchange(other.data_, nullptr);
  }
  return *this;
}

Listpack Listpack::FromBytes(std::string_view blob) {
  RINGDB_ASSERT(blob.size() >= kHeaderBytes + 1);
  uint8_t* data = NewBlob(blob.size());
  std::memcpy(data, blob.data(), blob.size());
  return Listpack(data);
}

bool Listpack::Validate(std::string_view blob, bool deep) {
  if (blob.size() < kHeaderBytes + 1 || blob.size() > UINT32_MAX) return false;
  const auto* p = reinterpret_cast<const uint8_t*>(blob.data());
  if (ReadU32(p) != blob.size()) return false;
  if (p[blob.size() - 1] != kEnd) return false;
  if (!deep) return true;
  const uint8_t* end = p + blob.size() - 1;  // The terminator.
  const uint8_t* cursor = p + kHeaderBytes;
  size_t count = 0;
  while (cursor < end) {
    ListpackValue value;
    size_t encoded = DecodeElement(cursor, end, &value);
    if (encoded == 0) return false;
    size_t back = BacklenBytes(encoded);
    if (back > static_cast<size_t>(end - cursor) - encoded) return false;
    size_t backlen_bytes = 0;
    if (DecodeBacklen(cursor + encoded + back - 1, cursor + encoded, &backlen_bytes) != encoded ||
        backlen_bytes != back) {
      return false;
    }
    cursor += encoded + back;
    count++;
  }
  if (cursor != end) return false;
  uint16_t header_count = static_cast<uint16_t>(p[4] | (p[5] << 8));
  // An unknown count says nothing to check (Redis writes it from 65535 elements on, and keeps
  // it after deletions until something counts).
  return header_count == kCountUnknown || header_count == count;
}

std::string_view Listpack::bytes() const {
  return {reinterpret_cast<const char*>(data_), total_bytes()};
}

size_t Listpack::total_bytes() const { return ReadU32(data_); }

size_t Listpack::size() const {
  uint16_t count = static_cast<uint16_t>(data_[4] | (data_[5] << 8));
  if (count != kCountUnknown) return count;
  size_t counted = 0;
  for (uint32_t position = First(); position != kNone; position = Next(position)) counted++;
  return counted;
}

void Listpack::SetCount(size_t count) {
  uint16_t stored = count >= kCountUnknown ? kCountUnknown : static_cast<uint16_t>(count);
  data_[4] = static_cast<uint8_t>(stored & 0xFF);
  data_[5] = static_cast<uint8_t>(stored >> 8);
}

void Listpack::AdjustCount(int64_t delta) {
  uint16_t count = static_cast<uint16_t>(data_[4] | (data_[5] << 8));
  if (count == kCountUnknown) return;  // Stays unknown until counted, as in Redis.
  SetCount(static_cast<size_t>(static_cast<int64_t>(count) + delta));
}

uint32_t Listpack::First() const { return data_[kHeaderBytes] == kEnd ? kNone : kHeaderBytes; }

uint32_t Listpack::Last() const {
  uint32_t end = static_cast<uint32_t>(total_bytes() - 1);
  return end == kHeaderBytes ? kNone : Prev(end);
}

uint32_t Listpack::Next(uint32_t position) const {
  RINGDB_DASSERT(position >= kHeaderBytes);
  const uint8_t* end = data_ + total_bytes() - 1;
  ListpackValue value;
  size_t encoded = DecodeElement(data_ + position, end, &value);
  RINGDB_ASSERT(encoded != 0);
  uint32_t next = position + static_cast<uint32_t>(encoded + BacklenBytes(encoded));
  return data_[next] == kEnd ? kNone : next;
}

uint32_t Listpack::Prev(uint32_t position) const {
  if (position <= kHeaderBytes) return kNone;
  size_t backlen_bytes = 0;
  size_t length = DecodeBacklen(data_ + position - 1, data_ + kHeaderBytes, &backlen_bytes);
  RINGDB_ASSERT(length != 0);
  return position - static_cast<uint32_t>(length + backlen_bytes);
}

uint32_t Listpack::Seek(int64_t index) const {
  if (index >= 0) {
    uint32_t position = First();
    for (int64_t i = 0; i < index && position != kNone; i++) position = Next(position);
    return position;
  }
  uint32_t position = Last();
  for (int64_t i = -1; i > index && position != kNone; i--) position = Prev(position);
  return position;
}

ListpackValue Listpack::Get(uint32_t position) const {
  ListpackValue value;
  size_t encoded = DecodeElement(data_ + position, data_ + total_bytes() - 1, &value);
  RINGDB_ASSERT(encoded != 0);
  return value;
}

uint8_t* Listpack::Splice(uint32_t offset, size_t remove_bytes, const uint8_t* insert,
                          size_t insert_bytes) {
  size_t total = total_bytes();
  RINGDB_ASSERT(offset + remove_bytes <= total - 1);
  size_t new_total = total - remove_bytes + insert_bytes;
  RINGDB_ASSERT(new_total <= UINT32_MAX);
  size_t tail = total - offset - remove_bytes;  // Includes the terminator.
  if (new_total > total) data_ = static_cast<uint8_t*>(Reallocate(data_, new_total));
  std::memmove(data_ + offset + insert_bytes, data_ + offset + remove_bytes, tail);
  if (insert != nullptr) std::memcpy(data_ + offset, insert, insert_bytes);
  if (new_total < total) data_ = static_cast<uint8_t*>(Reallocate(data_, new_total));
  WriteU32(data_, static_cast<uint32_t>(new_total));
  return data_ + offset;
}

namespace {
// Writes `encoded` at `offset` of a listpack after making room through `splice`.
template <typename SpliceFn>
void WriteEncoded(const Encoded& encoded, SpliceFn&& splice) {
  uint8_t* at = splice(encoded.total());
  encoded.WriteTo(at);
}
}  // namespace

void Listpack::Append(std::string_view element) {
  Encoded encoded;
  EncodeElement(element, &encoded);
  uint32_t end = static_cast<uint32_t>(total_bytes() - 1);
  WriteEncoded(encoded, [&](size_t bytes) { return Splice(end, 0, nullptr, bytes); });
  AdjustCount(1);
}

void Listpack::AppendInteger(int64_t value) {
  Encoded encoded;
  EncodeInteger(value, &encoded);
  uint32_t end = static_cast<uint32_t>(total_bytes() - 1);
  WriteEncoded(encoded, [&](size_t bytes) { return Splice(end, 0, nullptr, bytes); });
  AdjustCount(1);
}

void Listpack::Prepend(std::string_view element) { InsertBefore(kHeaderBytes, element); }

uint32_t Listpack::InsertBefore(uint32_t position, std::string_view element) {
  if (position == kNone) position = static_cast<uint32_t>(total_bytes() - 1);
  Encoded encoded;
  EncodeElement(element, &encoded);
  WriteEncoded(encoded, [&](size_t bytes) { return Splice(position, 0, nullptr, bytes); });
  AdjustCount(1);
  return position;
}

uint32_t Listpack::InsertAfter(uint32_t position, std::string_view element) {
  uint32_t next = Next(position);
  if (next == kNone) next = static_cast<uint32_t>(total_bytes() - 1);
  return InsertBefore(next, element);
}

namespace {
size_t ElementBytesAt(const Listpack& listpack, uint32_t position, uint32_t next) {
  return (next == Listpack::kNone ? listpack.total_bytes() - 1 : next) - position;
}
}  // namespace

uint32_t Listpack::Replace(uint32_t position, std::string_view element) {
  size_t old_bytes = ElementBytesAt(*this, position, Next(position));
  Encoded encoded;
  EncodeElement(element, &encoded);
  WriteEncoded(encoded, [&](size_t bytes) { return Splice(position, old_bytes, nullptr, bytes); });
  return position;
}

uint32_t Listpack::ReplaceInteger(uint32_t position, int64_t value) {
  size_t old_bytes = ElementBytesAt(*this, position, Next(position));
  Encoded encoded;
  EncodeInteger(value, &encoded);
  WriteEncoded(encoded, [&](size_t bytes) { return Splice(position, old_bytes, nullptr, bytes); });
  return position;
}

uint32_t Listpack::Delete(uint32_t position) { return DeleteRange(position, 1); }

uint32_t Listpack::DeleteRange(uint32_t position, size_t count) {
  if (position == kNone || count == 0) return position;
  uint32_t end = position;
  size_t deleted = 0;
  while (end != kNone && deleted < count) {
    end = Next(end);
    deleted++;
  }
  size_t bytes = (end == kNone ? total_bytes() - 1 : end) - position;
  Splice(position, bytes, nullptr, 0);
  AdjustCount(-static_cast<int64_t>(deleted));
  return data_[position] == kEnd ? kNone : position;
}

void Listpack::Clear() {
  DeleteRange(First(), SIZE_MAX);
  SetCount(0);
}

uint32_t Listpack::Find(uint32_t position, std::string_view element, int skip) const {
  std::optional<int64_t> as_integer;
  if (element.size() <= kIntegerTextMax) as_integer = ParseInt64(element);
  int skipped = 0;
  for (; position != kNone; position = Next(position)) {
    if (skipped > 0) {
      skipped--;
      continue;
    }
    ListpackValue value = Get(position);
    // As Redis's lpFind: a string element matches by its bytes, whatever they spell, so a
    // canonical integer stored as text (which only a foreign blob holds) is still found.
    bool equal =
        value.is_integer ? (as_integer && *as_integer == value.integer) : value.bytes == element;
    if (equal) return position;
    skipped = skip;
  }
  return kNone;
}

size_t Listpack::AllocatedBytes() const { return UsableSize(data_); }

}  // namespace ringdb::store
