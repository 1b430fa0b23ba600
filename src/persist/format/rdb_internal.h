// Pieces of the RDB codec shared by its writer and reader (private to persist).
#pragma once

#include <cstddef>
#include <cstdint>
#include <string>
#include <string_view>

#include "ringdb/base/status.h"

namespace ringdb::persist::rdb {

// The first byte of a length: the two top bits select the form.
inline constexpr uint8_t kLength6 = 0;
inline constexpr uint8_t kLength14 = 1;
inline constexpr uint8_t kLength32 = 0x80;
inline constexpr uint8_t kLength64 = 0x81;
inline constexpr uint8_t kLengthEncoded = 3;
// The special string encodings (low 6 bits after 11).
inline constexpr uint8_t kEncodingInt8 = 0;
inline constexpr uint8_t kEncodingInt16 = 1;
inline constexpr uint8_t kEncodingInt32 = 2;
inline constexpr uint8_t kEncodingLzf = 3;

// Quicklist 2 node containers.
inline constexpr uint64_t kContainerPlain = 1;
inline constexpr uint64_t kContainerPacked = 2;

void AppendLength(uint64_t value, std::string* out);
// rdbSaveRawString: integer encoding, LZF (when `compress` and it saves), or raw.
void AppendString(std::string_view bytes, bool compress, std::string* out);

// One element of a ziplist or zipmap: an integer or bytes pointing into the blob.
struct BlobElement {
  bool is_integer = false;
  int64_t integer = 0;
  std::string_view bytes;
  // The element as text; integers are formatted into `scratch` (at least 21 bytes).
  std::string_view Text(char* scratch) const;
};

// Walks a ziplist (Redis before 7.0) after validating all of it: zlbytes equal to the blob's
// size, zltail at the last entry, each entry's prevlen equal to the previous entry's size,
// valid encodings, everything in bounds, the 0xFF end exactly at the end, and zllen equal to
// the entries (unless 65535). Calls fn(context, element) for each entry only once the whole
// blob is known good. On error returns a message without offset.
Status WalkZiplist(std::string_view blob, void* context,
                   void (*fn)(void* context, const BlobElement& element), size_t* count);
// The same for a zipmap (Redis before 2.6's small hashes): key, value, key, value ...
Status WalkZipmap(std::string_view blob, void* context,
                  void (*fn)(void* context, const BlobElement& element), size_t* count);

}  // namespace ringdb::persist::rdb
