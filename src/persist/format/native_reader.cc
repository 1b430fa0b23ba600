// The native snapshot reader: header, trailer, block framing and block decoding
// (include/ringdb/persist/native.h). Every length is checked against the bytes that can hold
// it before anything is allocated for it.
#include <lz4.h>

#include <algorithm>
#include <climits>
#include <cstring>
#include <string>

#include "native_internal.h"
#include "rdb_reader_impl.h"
#include "ringdb/base/crc.h"
#include "ringdb/persist/native.h"

namespace ringdb::persist::native {

namespace {

Status Damaged(const RawBlock& raw, const std::string& why) {
  return Status::Corruption("offset " + std::to_string(raw.offset) + ": block " +
                            std::to_string(raw.index) + " is damaged: " + why);
}

// The fields of a block header.
struct BlockHeader {
  uint8_t codec = 0;
  uint64_t stored_bytes = 0;
  uint64_t raw_bytes = 0;
  uint32_t entries = 0;
  uint32_t db_first = 0;
  uint32_t db_last = 0;
  uint32_t crc = 0;
};

// Parses and checks the fields that do not need the payload. `bytes` holds at least
// kBlockHeaderBytes.
Status ParseBlockHeader(const char* bytes, BlockHeader* header, std::string* why) {
  if (std::memcmp(bytes, kBlockTag.data(), 4) != 0) {
    *why = "no block tag";
    return Status::Corruption("");
  }
  header->codec = static_cast<uint8_t>(bytes[4]);
  if (header->codec != kCodecRaw && header->codec != kCodecLz4) {
    *why = "unknown codec " + std::to_string(header->codec);
    return Status::Corruption("");
  }
  if (bytes[5] != 0 || bytes[6] != 0 || bytes[7] != 0) {
    *why = "reserved bytes are not zero";
    return Status::Corruption("");
  }
  header->stored_bytes = GetU64(bytes + 8);
  header->raw_bytes = GetU64(bytes + 16);
  header->entries = GetU32(bytes + 24);
  header->db_first = GetU32(bytes + 28);
  header->db_last = GetU32(bytes + 32);
  header->crc = GetU32(bytes + 36);
  return Status::Ok();
}

// "offset N: what" from the RDB value decoder, as a place inside the block's entries.
std::string EntryError(const Status& status, uint32_t entry) {
  std::string message = status.message();
  if (message.rfind("offset ", 0) == 0) message = "entries byte " + message.substr(7);
  return "entry " + std::to_string(entry) + ": " + message;
}

// Decodes `count` entries that must fill `entries` exactly.
Status DecodeEntries(const RawBlock& raw, const BlockHeader& header, std::string_view entries,
                     const store::EncodingLimits& limits, DecodedBlock* out) {
  rdb::MemorySource source(entries);
  rdb::Reader::Impl in(&source, limits);
  in.set_version(rdb::kVersionMax);
  in.StopCrc();
  // Each entry takes at least 4 bytes (db, flags, key length, type byte).
  out->keys.reserve(std::min<uint64_t>(header.entries, entries.size() / 4));
  for (uint32_t i = 0; i < header.entries; i++) {
    auto fail = [&](const Status& status) { return Damaged(raw, EntryError(status, i)); };
    uint64_t db;
    uint8_t flags;
    Status status = in.ReadLength(&db);
    if (status.ok()) status = in.ReadByte(&flags);
    if (!status.ok()) return fail(status);
    if (db < header.db_first || db > header.db_last) {
      return fail(in.Error("database " + std::to_string(db) + " outside the block's range " +
                           std::to_string(header.db_first) + ".." +
                           std::to_string(header.db_last)));
    }
    if ((flags & ~kFlagsKnown) != 0) return fail(in.Error("unknown flags"));
    KeyRecord key;
    key.db = static_cast<int>(db);
    if (flags & kFlagExpiry) {
      uint64_t ms;
      status = in.ReadU64Le(&ms);
      if (!status.ok()) return fail(status);
      key.expire_at_ms = static_cast<int64_t>(ms);
      if (key.expire_at_ms == store::kNoExpire) return fail(in.Error("invalid expiry"));
    }
    if (flags & kFlagIdle) {
      uint64_t idle;
      status = in.ReadLength(&idle);
      if (!status.ok()) return fail(status);
      key.eviction.idle_seconds = static_cast<int64_t>(std::min<uint64_t>(idle, INT64_MAX));
    }
    if (flags & kFlagFrequency) {
      uint8_t frequency;
      status = in.ReadByte(&frequency);
      if (!status.ok()) return fail(status);
      key.eviction.lfu_frequency = frequency;
    }
    std::string name;
    uint8_t type;
    status = in.ReadString(&name);
    if (status.ok()) status = in.ReadByte(&type);
    bool empty = false;
    if (status.ok()) status = in.ReadValue(type, name, key.expire_at_ms, &key.entry, &empty);
    if (!status.ok()) return fail(status);
    out->db_entries[key.db]++;
    if (empty) {
      out->empty_keys_skipped++;
      continue;
    }
    out->keys.push_back(key);
  }
  if (in.remaining() != 0) {
    return Damaged(raw, std::to_string(in.remaining()) + " bytes after its last entry");
  }
  return Status::Ok();
}

}  // namespace

DecodedBlock::~DecodedBlock() {
  for (KeyRecord& key : keys) {
    if (key.entry != nullptr) store::Entry::Release(key.entry);
  }
}

Status DecodeBlock(const RawBlock& raw, const store::EncodingLimits& limits, DecodedBlock* out) {
  out->offset = raw.offset;
  out->index = raw.index;
  std::string_view bytes(raw.bytes);
  if (bytes.size() < kBlockHeaderBytes) return Damaged(raw, "shorter than a block header");
  BlockHeader header;
  std::string why;
  if (!ParseBlockHeader(bytes.data(), &header, &why).ok()) return Damaged(raw, why);
  std::string_view payload = bytes.substr(kBlockHeaderBytes);
  if (header.stored_bytes != payload.size()) {
    return Damaged(raw, "stored length " + std::to_string(header.stored_bytes) + ", " +
                            std::to_string(payload.size()) + " bytes present");
  }
  // One pass over the payload gives both the block's CRC (header fields and payload) and the
  // CRC of its file bytes (the CRC field included), for the whole-file checksum.
  uint32_t fields_crc = Crc32c(bytes.substr(0, 36));
  uint32_t payload_crc = Crc32c(payload);
  uint32_t computed = Crc32cCombine(fields_crc, payload_crc, payload.size());
  if (computed != header.crc) {
    return Damaged(raw, "CRC32C mismatch (stored " + std::to_string(header.crc) + ", computed " +
                            std::to_string(computed) + ")");
  }
  out->file_crc =
      Crc32cCombine(Crc32cExtend(fields_crc, bytes.substr(36, 4)), payload_crc, payload.size());
  out->file_bytes = bytes.size();
  out->entry_count = header.entries;
  if (header.db_first > header.db_last || header.db_last > INT32_MAX) {
    return Damaged(raw, "database range " + std::to_string(header.db_first) + ".." +
                            std::to_string(header.db_last));
  }
  if (header.entries == 0) return Damaged(raw, "no entries");
  std::string inflated;
  std::string_view entries = payload;
  if (header.codec == kCodecRaw) {
    if (header.raw_bytes != header.stored_bytes) return Damaged(raw, "raw length mismatch");
  } else {
    if (header.stored_bytes > INT_MAX || header.raw_bytes > LZ4_MAX_INPUT_SIZE ||
        header.raw_bytes > header.stored_bytes * kLz4ExpansionMax) {
      return Damaged(raw, "lz4 lengths " + std::to_string(header.stored_bytes) + " -> " +
                              std::to_string(header.raw_bytes) + " are impossible");
    }
    inflated.resize(header.raw_bytes);
    int produced =
        LZ4_decompress_safe(payload.data(), inflated.data(), static_cast<int>(payload.size()),
                            static_cast<int>(inflated.size()));
    if (produced < 0 || static_cast<uint64_t>(produced) != header.raw_bytes) {
      return Damaged(
          raw, "lz4 data does not decompress to " + std::to_string(header.raw_bytes) + " bytes");
    }
    entries = inflated;
  }
  return DecodeEntries(raw, header, entries, limits, out);
}

// ---- Reader

Reader::Reader(rdb::Source* source) : source_(source) {}

Status Reader::Open() {
  RINGDB_RETURN_IF_ERROR(ReadHeader());
  RINGDB_RETURN_IF_ERROR(ReadTrailer());
  next_offset_ = header_bytes_;
  return Status::Ok();
}

namespace {

// Reads length-prefixed fields from the header's bytes.
class HeaderCursor {
 public:
  HeaderCursor(std::string_view bytes, size_t position) : bytes_(bytes), position_(position) {}
  bool U32(uint32_t* value) {
    if (bytes_.size() - position_ < 4) return false;
    *value = GetU32(bytes_.data() + position_);
    position_ += 4;
    return true;
  }
  bool Bytes(std::string* value) {
    uint32_t length;
    if (!U32(&length) || bytes_.size() - position_ < length) return false;
    value->assign(bytes_.substr(position_, length));
    position_ += length;
    return true;
  }
  size_t remaining() const { return bytes_.size() - position_; }
  size_t position() const { return position_; }

 private:
  std::string_view bytes_;
  size_t position_;
};

}  // namespace

Status Reader::ReadHeader() {
  const uint64_t size = source_->size();
  if (size < kHeaderFixedBytes) {
    return Status::Corruption("offset 0: a file of " + std::to_string(size) +
                              " bytes is too short for a native snapshot header");
  }
  char fixed[kHeaderFixedBytes];
  RINGDB_RETURN_IF_ERROR(source_->ReadAt(0, fixed, sizeof(fixed)));
  if (!IsNativeSnapshot(std::string_view(fixed, sizeof(fixed)))) {
    return Status::Corruption("offset 0: not a native snapshot (no RINGSNAP signature)");
  }
  uint32_t version = GetU32(fixed + 8);
  if (version != kVersion) {
    return Status::Corruption("offset 8: native snapshot version " + std::to_string(version) +
                              " is not supported (this build reads version " +
                              std::to_string(kVersion) + ")");
  }
  header_bytes_ = GetU32(fixed + 12);
  if (header_bytes_ < kHeaderMinBytes || header_bytes_ > kHeaderBytesMax || header_bytes_ > size) {
    return Status::Corruption("offset 12: header size " + std::to_string(header_bytes_) +
                              " is impossible in a file of " + std::to_string(size) + " bytes");
  }
  std::string bytes(header_bytes_, '\0');
  RINGDB_RETURN_IF_ERROR(source_->ReadAt(0, bytes.data(), bytes.size()));
  uint32_t stored = GetU32(bytes.data() + bytes.size() - 4);
  uint32_t computed = Crc32c(std::string_view(bytes).substr(0, bytes.size() - 4));
  if (stored != computed) {
    return Status::Corruption("offset " + std::to_string(bytes.size() - 4) +
                              ": header CRC32C mismatch (stored " + std::to_string(stored) +
                              ", computed " + std::to_string(computed) + ")");
  }
  crc_ = Crc32c(bytes);
  header_.creation_time_ms = static_cast<int64_t>(GetU64(bytes.data() + 16));
  HeaderCursor cursor(std::string_view(bytes).substr(0, bytes.size() - 4), 24);
  auto bad = [&](const char* what) {
    return Status::Corruption("offset " + std::to_string(cursor.position()) + ": header " + what +
                              " runs past the header's end");
  };
  uint32_t count;
  // Each record takes at least 4 bytes: a count beyond that is damage.
  if (!cursor.U32(&count) || count > cursor.remaining() / 4) return bad("AUX count");
  for (uint32_t i = 0; i < count; i++) {
    std::pair<std::string, std::string> field;
    if (!cursor.Bytes(&field.first) || !cursor.Bytes(&field.second)) return bad("AUX field");
    header_.aux.push_back(std::move(field));
  }
  if (!cursor.U32(&count) || count > cursor.remaining() / 4) return bad("function count");
  for (uint32_t i = 0; i < count; i++) {
    std::string code;
    if (!cursor.Bytes(&code)) return bad("function");
    header_.functions.push_back(std::move(code));
  }
  if (cursor.remaining() != 0) {
    return Status::Corruption("offset " + std::to_string(cursor.position()) + ": " +
                              std::to_string(cursor.remaining()) +
                              " unexpected bytes at the header's end");
  }
  return Status::Ok();
}

Status Reader::ReadTrailer() {
  const uint64_t size = source_->size();
  auto truncated = [&](const std::string& why) {
    return Status::Corruption("offset " + std::to_string(size) + ": " + why +
                              " (the file is truncated, or its trailer is damaged)");
  };
  if (size < header_bytes_ + kTrailerFixedBytes) return truncated("no room for a trailer");
  char end[12];
  RINGDB_RETURN_IF_ERROR(source_->ReadAt(size - 12, end, sizeof(end)));
  trailer_offset_ = GetU64(end);
  trailer_crc_ = GetU32(end + 8);
  if (trailer_offset_ < header_bytes_ || trailer_offset_ > size - kTrailerFixedBytes ||
      (size - kTrailerFixedBytes - trailer_offset_) % 12 != 0) {
    return truncated("the last bytes do not point at a trailer");
  }
  uint64_t databases = (size - kTrailerFixedBytes - trailer_offset_) / 12;
  if (databases > kTrailerDatabasesMax) return truncated("the trailer is impossibly long");
  std::string bytes(size - trailer_offset_, '\0');
  RINGDB_RETURN_IF_ERROR(source_->ReadAt(trailer_offset_, bytes.data(), bytes.size()));
  if (bytes.compare(0, 4, kTrailerTag) != 0 || GetU32(bytes.data() + 20) != databases) {
    return truncated("the last bytes do not point at a trailer");
  }
  trailer_blocks_ = GetU64(bytes.data() + 4);
  trailer_keys_ = GetU64(bytes.data() + 12);
  for (uint64_t i = 0; i < databases; i++) {
    const char* record = bytes.data() + 24 + 12 * i;
    uint32_t db = GetU32(record);
    if (db > INT32_MAX ||
        !trailer_db_keys_.emplace(static_cast<int>(db), GetU64(record + 4)).second) {
      return Status::Corruption("offset " + std::to_string(trailer_offset_ + 24 + 12 * i) +
                                ": trailer database " + std::to_string(db) +
                                " is invalid or repeated");
    }
  }
  return Status::Ok();
}

Status Reader::NextBlock(RawBlock* raw, bool* end) {
  raw->offset = next_offset_;
  raw->index = next_index_;
  raw->bytes.clear();
  *end = false;
  if (next_offset_ == trailer_offset_) {
    *end = true;
    return Status::Ok();
  }
  uint64_t room = trailer_offset_ - next_offset_;
  if (room < kBlockHeaderBytes) {
    return Damaged(
        *raw, "its header would run into the trailer at offset " + std::to_string(trailer_offset_));
  }
  char fields[kBlockHeaderBytes];
  RINGDB_RETURN_IF_ERROR(source_->ReadAt(next_offset_, fields, sizeof(fields)));
  BlockHeader header;
  std::string why;
  if (!ParseBlockHeader(fields, &header, &why).ok()) return Damaged(*raw, why);
  if (header.stored_bytes > room - kBlockHeaderBytes) {
    return Damaged(*raw, "stored length " + std::to_string(header.stored_bytes) +
                             " runs past the trailer at offset " + std::to_string(trailer_offset_));
  }
  raw->bytes.resize(kBlockHeaderBytes + header.stored_bytes);
  std::memcpy(raw->bytes.data(), fields, sizeof(fields));
  RINGDB_RETURN_IF_ERROR(source_->ReadAt(next_offset_ + kBlockHeaderBytes,
                                         raw->bytes.data() + kBlockHeaderBytes,
                                         header.stored_bytes));
  next_offset_ += raw->bytes.size();
  next_index_++;
  return Status::Ok();
}

void Reader::Accept(const DecodedBlock& block) {
  crc_ = Crc32cCombine(crc_, block.file_crc, block.file_bytes);
  accepted_blocks_++;
  accepted_keys_ += block.entry_count;
  for (const auto& [db, count] : block.db_entries) accepted_db_keys_[db] += count;
}

Status Reader::Finish() {
  auto mismatch = [&](const std::string& what) {
    return Status::Corruption("offset " + std::to_string(trailer_offset_) + ": trailer " + what);
  };
  if (next_offset_ != trailer_offset_ || accepted_blocks_ != next_index_) {
    return mismatch("reached before every block was read");
  }
  if (trailer_blocks_ != accepted_blocks_) {
    return mismatch("counts " + std::to_string(trailer_blocks_) + " blocks, the file has " +
                    std::to_string(accepted_blocks_));
  }
  if (trailer_keys_ != accepted_keys_) {
    return mismatch("counts " + std::to_string(trailer_keys_) + " keys, the blocks hold " +
                    std::to_string(accepted_keys_));
  }
  if (trailer_db_keys_ != accepted_db_keys_) {
    return mismatch("per-database key counts differ from the blocks'");
  }
  uint64_t size = source_->size();
  std::string bytes(size - 4 - trailer_offset_, '\0');
  RINGDB_RETURN_IF_ERROR(source_->ReadAt(trailer_offset_, bytes.data(), bytes.size()));
  uint32_t computed = Crc32cExtend(crc_, bytes);
  if (computed != trailer_crc_) {
    return Status::Corruption(
        "offset " + std::to_string(size - 4) + ": whole-file CRC32C mismatch (stored " +
        std::to_string(trailer_crc_) + ", computed " + std::to_string(computed) + ")");
  }
  return Status::Ok();
}

bool Reader::FirstKeyAfter(uint64_t offset, const store::EncodingLimits& limits, std::string* key,
                           int* db) {
  // Each candidate costs up to a block's decoding; a file full of fake tags must not turn the
  // error path quadratic.
  constexpr int kCandidatesMax = 64;
  constexpr size_t kWindowBytes = 64 * 1024;
  int candidates = 0;
  std::string window;
  for (uint64_t start = offset + 1; start + kBlockHeaderBytes <= trailer_offset_;) {
    size_t take = static_cast<size_t>(std::min<uint64_t>(kWindowBytes, trailer_offset_ - start));
    window.resize(take);
    if (!source_->ReadAt(start, window.data(), take).ok()) return false;
    for (size_t at = window.find(kBlockTag); at != std::string::npos;
         at = window.find(kBlockTag, at + 1)) {
      if (++candidates > kCandidatesMax) return false;
      uint64_t saved_offset = next_offset_;
      uint64_t saved_index = next_index_;
      next_offset_ = start + at;
      RawBlock raw;
      bool end;
      DecodedBlock block;
      bool good = NextBlock(&raw, &end).ok() && !end && DecodeBlock(raw, limits, &block).ok() &&
                  !block.keys.empty();
      next_offset_ = saved_offset;
      next_index_ = saved_index;
      if (good) {
        *key = std::string(block.keys.front().entry->key());
        *db = block.keys.front().db;
        return true;
      }
    }
    // Windows overlap by 3 bytes so a tag across their boundary is seen.
    if (take < kWindowBytes) break;
    start += take - 3;
  }
  return false;
}

}  // namespace ringdb::persist::native
