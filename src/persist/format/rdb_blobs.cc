// Decoders of the encodings Redis wrote before listpacks: ziplists and zipmaps
// (man/ringdb-formats.5 describes them). Written from the format; every read is bounded by the
// blob, and nothing is handed out before the whole blob has been checked.
#include <cstring>
#include <vector>

#include "rdb_internal.h"
#include "ringdb/base/strings.h"

namespace ringdb::persist::rdb {
namespace {

uint32_t ReadU32Le(const uint8_t* p) {
  return uint32_t{p[0]} | uint32_t{p[1]} << 8 | uint32_t{p[2]} << 16 | uint32_t{p[3]} << 24;
}

constexpr size_t kZiplistHeaderBytes = 10;
constexpr uint8_t kZiplistEnd = 0xFF;
constexpr uint8_t kZiplistBigPrevlen = 0xFE;

// Decodes the ziplist entry at `p` (before `end`, the terminator): its prevlen, its element
// and its total size. Returns false when it is malformed or runs past `end`.
bool DecodeZiplistEntry(const uint8_t* p, const uint8_t* end, uint32_t* prevlen,
                        BlobElement* element, size_t* size) {
  size_t available = static_cast<size_t>(end - p);
  size_t header = 0;
  if (available < 1) return false;
  if (p[0] < kZiplistBigPrevlen) {
    *prevlen = p[0];
    header = 1;
  } else if (p[0] == kZiplistBigPrevlen) {
    if (available < 5) return false;
    *prevlen = ReadU32Le(p + 1);
    header = 5;
  } else {
    return false;  // 0xFF is the terminator, never a prevlen.
  }
  if (available - header < 1) return false;
  const uint8_t* e = p + header;
  uint8_t first = e[0];
  size_t encoding_bytes = 0;
  size_t data_bytes = 0;
  element->is_integer = false;
  switch (first >> 6) {
    case 0:
      encoding_bytes = 1;
      data_bytes = first & 0x3f;
      break;
    case 1:
      if (available - header < 2) return false;
      encoding_bytes = 2;
      data_bytes = size_t{static_cast<uint8_t>(first & 0x3f)} << 8 | e[1];
      break;
    case 2:
      if (first != 0x80) return false;
      if (available - header < 5) return false;
      encoding_bytes = 5;
      data_bytes = size_t{e[1]} << 24 | size_t{e[2]} << 16 | size_t{e[3]} << 8 | e[4];
      break;
    default:
      encoding_bytes = 1;
      element->is_integer = true;
      if (first == 0xC0) {
        data_bytes = 2;
      } else if (first == 0xD0) {
        data_bytes = 4;
      } else if (first == 0xE0) {
        data_bytes = 8;
      } else if (first == 0xF0) {
        data_bytes = 3;
      } else if (first == 0xFE) {
        data_bytes = 1;
      } else if (first >= 0xF1 && first <= 0xFD) {
        data_bytes = 0;
        element->integer = (first & 0x0f) - 1;
      } else {
        return false;
      }
      break;
  }
  if (available - header - encoding_bytes < data_bytes) return false;
  const uint8_t* data = e + encoding_bytes;
  if (element->is_integer) {
    if (data_bytes > 0) {
      uint64_t raw = 0;
      for (size_t i = 0; i < data_bytes; i++) raw |= uint64_t{data[i]} << (8 * i);
      // Sign-extend from data_bytes * 8 bits.
      int shift = static_cast<int>(64 - 8 * data_bytes);
      element->integer = static_cast<int64_t>(raw << shift) >> shift;
    }
  } else {
    element->bytes = {reinterpret_cast<const char*>(data), data_bytes};
  }
  *size = header + encoding_bytes + data_bytes;
  return true;
}

}  // namespace

std::string_view BlobElement::Text(char* scratch) const {
  if (!is_integer) return bytes;
  return {scratch, FormatInt64(integer, scratch)};
}

Status WalkZiplist(std::string_view blob, void* context,
                   void (*fn)(void* context, const BlobElement& element), size_t* count) {
  const auto* p = reinterpret_cast<const uint8_t*>(blob.data());
  if (blob.size() < kZiplistHeaderBytes + 1) return Status::Corruption("ziplist too short");
  if (ReadU32Le(p) != blob.size()) return Status::Corruption("ziplist size field mismatch");
  uint32_t tail = ReadU32Le(p + 4);
  uint16_t declared = static_cast<uint16_t>(p[8] | p[9] << 8);
  const uint8_t* end = p + blob.size() - 1;
  if (*end != kZiplistEnd) return Status::Corruption("ziplist does not end with 0xFF");
  std::vector<BlobElement> elements;
  const uint8_t* cursor = p + kZiplistHeaderBytes;
  size_t previous_size = 0;
  size_t last_offset = kZiplistHeaderBytes;
  while (cursor < end) {
    uint32_t prevlen;
    BlobElement element;
    size_t size;
    if (!DecodeZiplistEntry(cursor, end, &prevlen, &element, &size)) {
      return Status::Corruption("ziplist entry runs past its end or is malformed");
    }
    if (prevlen != previous_size) return Status::Corruption("ziplist entry prevlen mismatch");
    last_offset = static_cast<size_t>(cursor - p);
    elements.push_back(element);
    previous_size = size;
    cursor += size;
  }
  if (tail != last_offset) return Status::Corruption("ziplist tail offset mismatch");
  if (declared != UINT16_MAX && declared != elements.size()) {
    return Status::Corruption("ziplist entry count mismatch");
  }
  for (const BlobElement& element : elements) fn(context, element);
  *count = elements.size();
  return Status::Ok();
}

// zipmap: <zmlen u8> { <len> <key> <len> <free u8> <value> <free bytes> } 0xFF, where <len> is
// one byte below 254, or 254 and a u32 (little endian).
Status WalkZipmap(std::string_view blob, void* context,
                  void (*fn)(void* context, const BlobElement& element), size_t* count) {
  const auto* p = reinterpret_cast<const uint8_t*>(blob.data());
  const uint8_t* end = p + blob.size();
  if (blob.size() < 2) return Status::Corruption("zipmap too short");
  uint8_t declared = p[0];
  const uint8_t* cursor = p + 1;
  std::vector<BlobElement> elements;
  auto read_length = [&](size_t* length) {
    if (cursor >= end) return false;
    if (*cursor < 254) {
      *length = *cursor++;
      return true;
    }
    if (*cursor != 254 || end - cursor < 5) return false;
    *length = ReadU32Le(cursor + 1);
    cursor += 5;
    return true;
  };
  while (true) {
    if (cursor >= end) return Status::Corruption("zipmap runs past its end");
    if (*cursor == 0xFF) break;
    size_t length;
    if (!read_length(&length) || static_cast<size_t>(end - cursor) < length) {
      return Status::Corruption("zipmap key runs past its end");
    }
    BlobElement key;
    key.bytes = {reinterpret_cast<const char*>(cursor), length};
    cursor += length;
    if (!read_length(&length) || cursor >= end) {
      return Status::Corruption("zipmap value runs past its end");
    }
    size_t free_bytes = *cursor++;
    if (static_cast<size_t>(end - cursor) < length ||
        static_cast<size_t>(end - cursor) - length < free_bytes) {
      return Status::Corruption("zipmap value runs past its end");
    }
    BlobElement value;
    value.bytes = {reinterpret_cast<const char*>(cursor), length};
    cursor += length + free_bytes;
    elements.push_back(key);
    elements.push_back(value);
  }
  if (cursor + 1 != end) return Status::Corruption("zipmap has bytes after its end");
  if (declared < 254 && declared != elements.size() / 2) {
    return Status::Corruption("zipmap entry count mismatch");
  }
  for (const BlobElement& element : elements) fn(context, element);
  *count = elements.size();
  return Status::Ok();
}

}  // namespace ringdb::persist::rdb
