// The native snapshot writer (include/ringdb/persist/native.h). Every value is read through
// const access only; see the Writer's thread-safety note.
#include <lz4.h>

#include <cstdio>
#include <cstring>
#include <string>

#include "native_internal.h"
#include "rdb_internal.h"
#include "ringdb/base/assert.h"
#include "ringdb/base/crc.h"
#include "ringdb/persist/native.h"

namespace ringdb::persist::native {

namespace {

void AppendBytes(std::string_view bytes, std::string* out) {
  RINGDB_ASSERT(bytes.size() <= UINT32_MAX);
  AppendU32(static_cast<uint32_t>(bytes.size()), out);
  out->append(bytes);
}

// The values inside entries: the newest RDB value serialization (listpack sets, stream
// type 3), without LZF (the whole block is lz4-compressed).
rdb::WriteOptions ValueOptions() {
  rdb::WriteOptions options;
  options.version = rdb::kVersionMax;
  options.compress = false;
  return options;
}

void AppendEntry(int db, const store::Entry& entry, const rdb::KeyEvictionData& eviction,
                 std::string* out) {
  rdb::AppendLength(static_cast<uint64_t>(db), out);
  uint8_t flags = 0;
  if (entry.has_expire()) flags |= kFlagExpiry;
  if (eviction.idle_seconds >= 0) flags |= kFlagIdle;
  if (eviction.lfu_frequency >= 0) flags |= kFlagFrequency;
  out->push_back(static_cast<char>(flags));
  if (entry.has_expire()) AppendU64(static_cast<uint64_t>(entry.expire_at_ms()), out);
  if (eviction.idle_seconds >= 0) {
    rdb::AppendLength(static_cast<uint64_t>(eviction.idle_seconds), out);
  }
  if (eviction.lfu_frequency >= 0) {
    RINGDB_ASSERT(eviction.lfu_frequency <= 255);
    out->push_back(static_cast<char>(eviction.lfu_frequency));
  }
  rdb::AppendLength(entry.key().size(), out);
  out->append(entry.key());
  static const rdb::WriteOptions kValueOptions = ValueOptions();
  rdb::AppendValue(entry, kValueOptions, out);
}

}  // namespace

bool IsNativeSnapshot(std::string_view first_bytes) {
  return first_bytes.size() >= kMagic.size() && first_bytes.substr(0, kMagic.size()) == kMagic;
}

std::string QuoteKey(std::string_view key) {
  constexpr size_t kShownMax = 64;
  std::string out = "'";
  for (size_t i = 0; i < key.size() && i < kShownMax; i++) {
    auto byte = static_cast<unsigned char>(key[i]);
    if (byte >= 0x20 && byte < 0x7f && byte != '\\' && byte != '\'') {
      out.push_back(static_cast<char>(byte));
    } else {
      char escaped[8];
      std::snprintf(escaped, sizeof(escaped), "\\x%02x", byte);
      out += escaped;
    }
  }
  out += key.size() > kShownMax ? "'..." : "'";
  return out;
}

Writer::Writer(const WriteOptions& options) : options_(options) {
  RINGDB_ASSERT(options.block_bytes > 0);
}

void Writer::Begin(const Header& header) {
  RINGDB_ASSERT(bytes_total() == 0);
  buffer_.append(kMagic);
  AppendU32(kVersion, &buffer_);
  AppendU32(0, &buffer_);  // The header's size, known at its end.
  AppendU64(static_cast<uint64_t>(header.creation_time_ms), &buffer_);
  AppendU32(static_cast<uint32_t>(header.aux.size()), &buffer_);
  for (const auto& [key, value] : header.aux) {
    AppendBytes(key, &buffer_);
    AppendBytes(value, &buffer_);
  }
  AppendU32(static_cast<uint32_t>(header.functions.size()), &buffer_);
  for (const std::string& code : header.functions) AppendBytes(code, &buffer_);
  RINGDB_ASSERT(buffer_.size() + 4 <= kHeaderBytesMax);
  PutU32(static_cast<uint32_t>(buffer_.size() + 4), &buffer_[12]);
  AppendU32(Crc32c(buffer_), &buffer_);
}

void Writer::SelectDb(int index, uint64_t keys, uint64_t expires) {
  // The counts are RESIZEDB hints in RDB; the trailer here counts what is written.
  (void)keys;
  (void)expires;
  RINGDB_ASSERT(index >= 0);
  db_ = index;
}

// An entry goes into the block being filled. A block is cut once it reaches the target size;
// an entry that alone exceeds it is cut into a block of its own (the entries before it form
// one block), so a huge value is never held together with others, nor copied to be split off.
void Writer::Key(const store::Entry& entry, const rdb::KeyEvictionData& eviction) {
  RINGDB_ASSERT(!ended_);
  size_t before = block_.size();
  AppendEntry(db_, entry, eviction, &block_);
  size_t entry_bytes = block_.size() - before;
  keys_++;
  db_keys_[db_]++;
  if (before > 0 && entry_bytes >= options_.block_bytes) {
    std::string_view raw(block_);
    FlushBlock(raw.substr(0, before), block_entries_, block_db_first_, block_db_last_);
    FlushBlock(raw.substr(before), 1, db_, db_);
  } else {
    if (block_entries_ == 0) block_db_first_ = db_;
    block_entries_++;
    block_db_last_ = db_;
    if (block_.size() < options_.block_bytes) return;
    FlushBlock(block_, block_entries_, block_db_first_, block_db_last_);
  }
  block_entries_ = 0;
  // Keep the capacity of an ordinary block; give back what a huge entry needed.
  if (block_.capacity() > 4 * options_.block_bytes) {
    std::string().swap(block_);
  } else {
    block_.clear();
  }
}

void Writer::FlushBlock(std::string_view raw, uint32_t entries, int db_first, int db_last) {
  RINGDB_ASSERT(entries > 0);
  RINGDB_ASSERT(db_first >= 0);
  RINGDB_ASSERT(db_first <= db_last);
  const size_t at = buffer_.size();
  Codec codec = kCodecRaw;
  uint64_t stored = raw.size();
  // lz4's block API takes at most LZ4_MAX_INPUT_SIZE bytes; a larger entry is stored raw.
  if (options_.compress && raw.size() <= LZ4_MAX_INPUT_SIZE) {
    int bound = LZ4_compressBound(static_cast<int>(raw.size()));
    buffer_.resize(at + kBlockHeaderBytes + static_cast<size_t>(bound));
    int written = LZ4_compress_default(raw.data(), &buffer_[at + kBlockHeaderBytes],
                                       static_cast<int>(raw.size()), bound);
    if (written > 0 && static_cast<size_t>(written) < raw.size()) {
      codec = kCodecLz4;
      stored = static_cast<uint64_t>(written);
    }
  }
  if (codec == kCodecRaw) {
    buffer_.resize(at + kBlockHeaderBytes);
    buffer_.append(raw);
  } else {
    buffer_.resize(at + kBlockHeaderBytes + stored);
  }
  char* header = &buffer_[at];
  std::memcpy(header, kBlockTag.data(), 4);
  header[4] = static_cast<char>(codec);
  header[5] = header[6] = header[7] = 0;
  PutU64(stored, header + 8);
  PutU64(raw.size(), header + 16);
  PutU32(entries, header + 24);
  PutU32(static_cast<uint32_t>(db_first), header + 28);
  PutU32(static_cast<uint32_t>(db_last), header + 32);
  uint32_t crc = Crc32c(std::string_view(header, 36));
  crc = Crc32cExtend(crc, std::string_view(buffer_).substr(at + kBlockHeaderBytes));
  PutU32(crc, &buffer_[at + 36]);
  blocks_++;
}

void Writer::End() {
  RINGDB_ASSERT(!ended_);
  if (block_entries_ > 0) {
    FlushBlock(block_, block_entries_, block_db_first_, block_db_last_);
    std::string().swap(block_);
    block_entries_ = 0;
  }
  ended_ = true;
  uint64_t trailer_offset = bytes_total();
  buffer_.append(kTrailerTag);
  AppendU64(blocks_, &buffer_);
  AppendU64(keys_, &buffer_);
  AppendU32(static_cast<uint32_t>(db_keys_.size()), &buffer_);
  for (const auto& [db, keys] : db_keys_) {
    AppendU32(static_cast<uint32_t>(db), &buffer_);
    AppendU64(keys, &buffer_);
  }
  AppendU64(trailer_offset, &buffer_);
  CoverPending();
  AppendU32(crc_, &buffer_);
  crc_covered_ = buffer_.size();
  RINGDB_ASSERT(bytes_total() - trailer_offset == kTrailerFixedBytes + 12 * db_keys_.size());
}

void Writer::CoverPending() {
  crc_ = Crc32cExtend(crc_, std::string_view(buffer_).substr(crc_covered_));
  crc_covered_ = buffer_.size();
}

void Writer::TakeBytes(std::string* out) {
  CoverPending();
  bytes_taken_ += buffer_.size();
  out->clear();
  out->swap(buffer_);
  crc_covered_ = 0;
}

}  // namespace ringdb::persist::native
