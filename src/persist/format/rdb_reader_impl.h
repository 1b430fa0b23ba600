// The reader's byte input and value decoder (private to persist; rdb_reader.cc and
// rdb_values.cc implement it).
#pragma once

#include <cstddef>
#include <cstdint>
#include <string>
#include <string_view>

#include "rdb_internal.h"
#include "ringdb/persist/rdb.h"
#include "ringdb/store/object.h"
#include "ringdb/store/stream_value.h"

namespace ringdb::persist::rdb {

class Reader::Impl {
 public:
  // Reads through a buffer of this size; reads at least this big go straight to the source.
  static constexpr size_t kBufferBytes = 64 * 1024;

  Impl(Source* source, const store::EncodingLimits& limits) : source_(source), limits_(limits) {}

  void set_version(int version) { version_ = version; }
  int version() const { return version_; }
  uint64_t offset() const { return offset_; }
  uint64_t remaining() const { return source_->size() - offset_; }
  // The CRC-64 of every byte consumed so far.
  uint64_t crc();
  // Stops the CRC (before the trailer is read). REQUIRES: crc() was just called.
  void StopCrc() { track_crc_ = false; }

  // "offset N: what".
  Status Error(const std::string& what) const;

  Status ReadBytes(char* out, size_t length);
  Status ReadByte(uint8_t* out);
  Status ReadU64Le(uint64_t* out);
  Status ReadLengthOrEncoding(uint64_t* value, bool* encoded);
  Status ReadLength(uint64_t* value);
  // A length that counts elements still to come: refused when the bytes left cannot hold it.
  Status ReadCount(uint64_t* value, const char* what);
  Status ReadString(std::string* out);
  Status ReadDoubleText(double* out);
  Status ReadBinaryDouble(double* out);

  // rdbLoadObject: the value of type `type` as a new entry for `key` with `expire_at_ms`.
  // *empty (and no entry) when the collection holds nothing.
  Status ReadValue(uint8_t type, std::string_view key, int64_t expire_at_ms, store::Entry** entry,
                   bool* empty);

 private:
  Status Refill();
  void CoverBuffered();
  Status ReadLzfString(std::string* out);

  // Value decoders (rdb_values.cc); each sets *object, or leaves it null for an empty value.
  Status ReadList(uint8_t type, store::Object** object);
  Status ReadSet(uint8_t type, store::Object** object);
  Status ReadZset(uint8_t type, store::Object** object);
  Status ReadHash(uint8_t type, store::Object** object);
  Status ReadStream(uint8_t type, store::Object** object);
  Status ReadStreamGroups(uint8_t type, store::StreamValue* stream);

  Source* source_;
  store::EncodingLimits limits_;
  int version_ = 0;
  uint64_t offset_ = 0;
  std::string buffer_;
  size_t buffer_position_ = 0;
  // How much of buffer_ the CRC covers.
  size_t buffer_covered_ = 0;
  uint64_t crc_ = 0;
  bool track_crc_ = true;
};

Status ModuleError(const Reader::Impl& impl, uint64_t module_id, const char* what);

}  // namespace ringdb::persist::rdb
