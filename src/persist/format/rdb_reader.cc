// The RDB reader: the byte-level parts (sources, lengths, strings, opcodes, the CRC trailer).
// Values are decoded in rdb_values.cc. include/ringdb/persist/rdb.h states the contract.
#include <fcntl.h>
#include <sys/stat.h>
#include <unistd.h>

#include <algorithm>
#include <cerrno>
#include <cstdlib>
#include <cstring>
#include <limits>
#include <string>

#include "rdb_reader_impl.h"
#include "ringdb/base/crc.h"
#include "ringdb/persist/lzf.h"
#include "ringdb/persist/rdb.h"

namespace ringdb::persist::rdb {

// ---- Sources

Status MemorySource::ReadAt(uint64_t offset, char* out, size_t length) {
  RINGDB_ASSERT(offset <= bytes_.size());
  RINGDB_ASSERT(length <= bytes_.size() - offset);
  std::memcpy(out, bytes_.data() + offset, length);
  return Status::Ok();
}

Result<std::unique_ptr<FileSource>> FileSource::Open(const std::string& path) {
  int fd = ::open(path.c_str(), O_RDONLY | O_CLOEXEC);
  if (fd < 0) return Status::FromErrno("open " + path, errno);
  struct stat info;
  if (::fstat(fd, &info) != 0) {
    int error = errno;
    ::close(fd);
    return Status::FromErrno("fstat " + path, error);
  }
  return std::unique_ptr<FileSource>(new FileSource(fd, static_cast<uint64_t>(info.st_size), path));
}

FileSource::~FileSource() { ::close(fd_); }

Status FileSource::ReadAt(uint64_t offset, char* out, size_t length) {
  RINGDB_ASSERT(offset <= size_);
  RINGDB_ASSERT(length <= size_ - offset);
  while (length > 0) {
    ssize_t n = ::pread(fd_, out, length, static_cast<off_t>(offset));
    if (n < 0) {
      if (errno == EINTR) continue;
      return Status::FromErrno("pread " + path_, errno);
    }
    if (n == 0) return Status::IoError(path_ + ": file shrank while being read");
    out += n;
    length -= static_cast<size_t>(n);
    offset += static_cast<uint64_t>(n);
  }
  return Status::Ok();
}

// ---- Byte input

Status Reader::Impl::Error(const std::string& what) const {
  return Status::Corruption("offset " + std::to_string(offset_) + ": " + what);
}

Status Reader::Impl::ReadBytes(char* out, size_t length) {
  if (length > remaining()) {
    return Error("unexpected end of data (" + std::to_string(length) + " bytes wanted, " +
                 std::to_string(remaining()) + " left)");
  }
  size_t done = 0;
  while (done < length) {
    if (buffer_position_ == buffer_.size()) {
      // Big reads bypass the buffer; small ones refill it.
      if (length - done >= kBufferBytes) {
        RINGDB_RETURN_IF_ERROR(source_->ReadAt(offset_, out + done, length - done));
        CoverBuffered();
        if (track_crc_) crc_ = Crc64(crc_, std::string_view(out + done, length - done));
        offset_ += length - done;
        return Status::Ok();
      }
      RINGDB_RETURN_IF_ERROR(Refill());
    }
    size_t take = std::min(length - done, buffer_.size() - buffer_position_);
    std::memcpy(out + done, buffer_.data() + buffer_position_, take);
    buffer_position_ += take;
    offset_ += take;
    done += take;
  }
  return Status::Ok();
}

Status Reader::Impl::Refill() {
  CoverBuffered();
  buffer_covered_ = 0;
  size_t take = static_cast<size_t>(std::min<uint64_t>(kBufferBytes, remaining()));
  buffer_.resize(take);
  buffer_position_ = 0;
  return source_->ReadAt(offset_, buffer_.data(), take);
}

// The CRC runs over whole stretches of the buffer (when it is refilled, or asked for) rather
// than over each small read: loading a file costs one pass of Crc64 over its bytes.
void Reader::Impl::CoverBuffered() {
  if (track_crc_ && buffer_position_ > buffer_covered_) {
    crc_ = Crc64(crc_, std::string_view(buffer_.data() + buffer_covered_,
                                        buffer_position_ - buffer_covered_));
  }
  buffer_covered_ = buffer_position_;
}

uint64_t Reader::Impl::crc() {
  CoverBuffered();
  return crc_;
}

Status Reader::Impl::ReadByte(uint8_t* out) {
  char byte;
  RINGDB_RETURN_IF_ERROR(ReadBytes(&byte, 1));
  *out = static_cast<uint8_t>(byte);
  return Status::Ok();
}

Status Reader::Impl::ReadU64Le(uint64_t* out) {
  unsigned char bytes[8];
  RINGDB_RETURN_IF_ERROR(ReadBytes(reinterpret_cast<char*>(bytes), 8));
  uint64_t value = 0;
  for (int i = 0; i < 8; i++) value |= uint64_t{bytes[i]} << (8 * i);
  *out = value;
  return Status::Ok();
}

Status Reader::Impl::ReadLengthOrEncoding(uint64_t* value, bool* encoded) {
  uint8_t first;
  RINGDB_RETURN_IF_ERROR(ReadByte(&first));
  *encoded = false;
  switch (first >> 6) {
    case kLength6:
      *value = first & 0x3f;
      return Status::Ok();
    case kLength14: {
      uint8_t second;
      RINGDB_RETURN_IF_ERROR(ReadByte(&second));
      *value = uint64_t{static_cast<uint8_t>(first & 0x3f)} << 8 | second;
      return Status::Ok();
    }
    case kLengthEncoded:
      *encoded = true;
      *value = first & 0x3f;
      return Status::Ok();
    default:
      break;
  }
  unsigned char bytes[8];
  size_t width;
  if (first == kLength32) {
    width = 4;
  } else if (first == kLength64) {
    width = 8;
  } else {
    return Error("unknown length encoding " + std::to_string(first));
  }
  RINGDB_RETURN_IF_ERROR(ReadBytes(reinterpret_cast<char*>(bytes), width));
  uint64_t result = 0;
  for (size_t i = 0; i < width; i++) result = result << 8 | bytes[i];
  *value = result;
  return Status::Ok();
}

Status Reader::Impl::ReadLength(uint64_t* value) {
  bool encoded;
  RINGDB_RETURN_IF_ERROR(ReadLengthOrEncoding(value, &encoded));
  if (encoded) return Error("string encoding where a length was expected");
  return Status::Ok();
}

Status Reader::Impl::ReadCount(uint64_t* value, const char* what) {
  RINGDB_RETURN_IF_ERROR(ReadLength(value));
  // Every element takes at least one byte: a count the remaining bytes cannot hold is
  // corrupt, and no loop or reservation may trust it.
  if (*value > remaining()) {
    return Error(std::string(what) + " count " + std::to_string(*value) + " exceeds the " +
                 std::to_string(remaining()) + " bytes left");
  }
  return Status::Ok();
}

Status Reader::Impl::ReadString(std::string* out) {
  uint64_t length;
  bool encoded;
  RINGDB_RETURN_IF_ERROR(ReadLengthOrEncoding(&length, &encoded));
  if (!encoded) {
    if (length > remaining()) {
      return Error("string of " + std::to_string(length) + " bytes runs past the end (" +
                   std::to_string(remaining()) + " bytes left)");
    }
    if (length > store::kEntryBytesMax) return Error("string longer than 4 GiB");
    out->resize(length);
    return ReadBytes(out->data(), length);
  }
  switch (length) {
    case kEncodingInt8:
    case kEncodingInt16:
    case kEncodingInt32: {
      size_t width = size_t{1} << length;
      unsigned char bytes[4];
      RINGDB_RETURN_IF_ERROR(ReadBytes(reinterpret_cast<char*>(bytes), width));
      uint64_t raw = 0;
      for (size_t i = 0; i < width; i++) raw |= uint64_t{bytes[i]} << (8 * i);
      int shift = static_cast<int>(64 - 8 * width);
      int64_t value = static_cast<int64_t>(raw << shift) >> shift;
      *out = std::to_string(value);
      return Status::Ok();
    }
    case kEncodingLzf:
      return ReadLzfString(out);
    default:
      return Error("unknown string encoding " + std::to_string(length));
  }
}

Status Reader::Impl::ReadLzfString(std::string* out) {
  uint64_t compressed_length;
  uint64_t length;
  RINGDB_RETURN_IF_ERROR(ReadLength(&compressed_length));
  RINGDB_RETURN_IF_ERROR(ReadLength(&length));
  if (compressed_length > remaining()) return Error("compressed string runs past the end");
  if (length == 0) return Error("compressed string of length 0");
  if (length > LzfExpansionMax(compressed_length) || length > store::kEntryBytesMax) {
    return Error("compressed string declares " + std::to_string(length) + " bytes from " +
                 std::to_string(compressed_length));
  }
  std::string compressed(compressed_length, '\0');
  uint64_t start = offset_;
  RINGDB_RETURN_IF_ERROR(ReadBytes(compressed.data(), compressed.size()));
  out->resize(length);
  if (!LzfDecompress(compressed, out->data(), out->size())) {
    return Status::Corruption("offset " + std::to_string(start) +
                              ": invalid LZF data (does not decompress to " +
                              std::to_string(length) + " bytes)");
  }
  return Status::Ok();
}

Status Reader::Impl::ReadDoubleText(double* out) {
  // RDB_TYPE_ZSET's scores: a length byte, with 253 nan, 254 +inf, 255 -inf.
  uint8_t length;
  RINGDB_RETURN_IF_ERROR(ReadByte(&length));
  if (length == 253) {
    *out = std::numeric_limits<double>::quiet_NaN();
    return Status::Ok();
  }
  if (length == 254) {
    *out = std::numeric_limits<double>::infinity();
    return Status::Ok();
  }
  if (length == 255) {
    *out = -std::numeric_limits<double>::infinity();
    return Status::Ok();
  }
  char text[256];
  RINGDB_RETURN_IF_ERROR(ReadBytes(text, length));
  text[length] = '\0';
  char* end = nullptr;
  *out = std::strtod(text, &end);
  if (end != text + length) return Error("score is not a number");
  return Status::Ok();
}

Status Reader::Impl::ReadBinaryDouble(double* out) {
  uint64_t bits;
  RINGDB_RETURN_IF_ERROR(ReadU64Le(&bits));
  std::memcpy(out, &bits, sizeof(bits));
  return Status::Ok();
}

// ---- Reader

Reader::Reader(Source* source, const store::EncodingLimits& limits)
    : impl_(std::make_unique<Impl>(source, limits)) {}

Reader::~Reader() = default;

uint64_t Reader::offset() const { return impl_->offset(); }

Status Reader::ReadHeader() {
  char magic[9];
  RINGDB_RETURN_IF_ERROR(impl_->ReadBytes(magic, sizeof(magic)));
  if (std::memcmp(magic, "REDIS", 5) != 0) {
    return Status::Corruption("offset 0: wrong signature trying to load DB from file");
  }
  int version = 0;
  for (int i = 5; i < 9; i++) {
    if (magic[i] < '0' || magic[i] > '9') {
      return Status::Corruption("offset 5: version is not four digits");
    }
    version = version * 10 + (magic[i] - '0');
  }
  if (version < kVersionMin || version > kVersionMax) {
    return Status::Corruption("offset 5: can't handle RDB format version " +
                              std::to_string(version));
  }
  version_ = version;
  impl_->set_version(version);
  return Status::Ok();
}

namespace {

// moduleTypeNameByID: nine characters of six bits each above a 10-bit encoding version.
std::string ModuleName(uint64_t module_id) {
  static constexpr char kCharset[] =
      "ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789-_";
  std::string name;
  for (int i = 0; i < 9; i++) {
    name.push_back(kCharset[(module_id >> (10 + 6 * (8 - i))) & 63]);
  }
  return name;
}

}  // namespace

Status ModuleError(const Reader::Impl& impl, uint64_t module_id, const char* what) {
  return Status::Unsupported("offset " + std::to_string(impl.offset()) + ": " + what +
                             " of module type '" + ModuleName(module_id) + "' (encoding version " +
                             std::to_string(module_id & 1023) + "): this server loads no modules");
}

Status Reader::Next(Record* record) {
  RINGDB_ASSERT(version_ != 0);
  RINGDB_ASSERT(!ended_);
  Impl& in = *impl_;
  int64_t expire_at_ms = store::kNoExpire;
  KeyEvictionData eviction;
  while (true) {
    uint8_t type;
    RINGDB_RETURN_IF_ERROR(in.ReadByte(&type));
    switch (type) {
      case kOpExpireTime: {
        char bytes[4];
        RINGDB_RETURN_IF_ERROR(in.ReadBytes(bytes, 4));
        int32_t seconds;
        std::memcpy(&seconds, bytes, 4);
        expire_at_ms = int64_t{seconds} * 1000;
        continue;
      }
      case kOpExpireTimeMs: {
        uint64_t ms;
        RINGDB_RETURN_IF_ERROR(in.ReadU64Le(&ms));
        expire_at_ms = static_cast<int64_t>(ms);
        continue;
      }
      case kOpIdle: {
        uint64_t idle;
        RINGDB_RETURN_IF_ERROR(in.ReadLength(&idle));
        eviction.idle_seconds = static_cast<int64_t>(std::min<uint64_t>(idle, INT64_MAX));
        continue;
      }
      case kOpFreq: {
        uint8_t frequency;
        RINGDB_RETURN_IF_ERROR(in.ReadByte(&frequency));
        eviction.lfu_frequency = frequency;
        continue;
      }
      case kOpSelectDb: {
        uint64_t index;
        RINGDB_RETURN_IF_ERROR(in.ReadLength(&index));
        if (index > INT32_MAX) return in.Error("database index " + std::to_string(index));
        db_index_ = static_cast<int>(index);
        *record = Record();
        record->kind = Record::Kind::kSelectDb;
        record->db_index = db_index_;
        return Status::Ok();
      }
      case kOpResizeDb:
        *record = Record();
        record->kind = Record::Kind::kResizeDb;
        record->db_index = db_index_;
        RINGDB_RETURN_IF_ERROR(in.ReadLength(&record->resize_keys));
        return in.ReadLength(&record->resize_expires);
      case kOpAux:
        *record = Record();
        record->kind = Record::Kind::kAux;
        RINGDB_RETURN_IF_ERROR(in.ReadString(&record->aux_key));
        return in.ReadString(&record->aux_value);
      case kOpFunction2:
        *record = Record();
        record->kind = Record::Kind::kFunction;
        return in.ReadString(&record->function_code);
      case kOpFunctionPreGa:
        return Status::Unsupported("offset " + std::to_string(in.offset()) +
                                   ": a function in the pre-GA format of Redis 7.0's release "
                                   "candidates; save it again with Redis 7.0 or later");
      case kOpModuleAux: {
        uint64_t module_id;
        RINGDB_RETURN_IF_ERROR(in.ReadLength(&module_id));
        return ModuleError(in, module_id, "auxiliary data");
      }
      case kOpEof:
        return ReadEnd(record);
      default:
        break;
    }
    // A key.
    std::string key;
    RINGDB_RETURN_IF_ERROR(in.ReadString(&key));
    bool empty = false;
    store::Entry* entry = nullptr;
    RINGDB_RETURN_IF_ERROR(in.ReadValue(type, key, expire_at_ms, &entry, &empty));
    if (empty) {
      // Redis skips a key whose collection is empty (RDB_LOAD_ERR_EMPTY_KEY) and goes on.
      empty_keys_skipped_++;
      expire_at_ms = store::kNoExpire;
      eviction = KeyEvictionData();
      continue;
    }
    *record = Record();
    record->kind = Record::Kind::kKey;
    record->db_index = db_index_;
    record->entry = entry;
    record->expire_at_ms = expire_at_ms;
    record->eviction = eviction;
    return Status::Ok();
  }
}

Status Reader::ReadEnd(Record* record) {
  Impl& in = *impl_;
  ended_ = true;
  *record = Record();
  record->kind = Record::Kind::kEnd;
  if (version_ < 5) return Status::Ok();
  uint64_t expected = in.crc();
  in.StopCrc();
  uint64_t stored;
  RINGDB_RETURN_IF_ERROR(in.ReadU64Le(&stored));
  // A zero trailer means the writer had rdbchecksum off; Redis then skips the check.
  if (stored != 0 && stored != expected) {
    return Status::Corruption("offset " + std::to_string(in.offset() - 8) +
                              ": wrong RDB checksum (stored " + std::to_string(stored) +
                              ", computed " + std::to_string(expected) + ")");
  }
  return Status::Ok();
}

}  // namespace ringdb::persist::rdb
