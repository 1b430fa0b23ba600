// The RDB writer (include/ringdb/persist/rdb.h). Every value is read through const access only;
// see the Writer's thread-safety note.
#include <cstdio>
#include <cstring>
#include <optional>
#include <string>

#include "rdb_internal.h"
#include "ringdb/base/assert.h"
#include "ringdb/base/crc.h"
#include "ringdb/base/strings.h"
#include "ringdb/persist/lzf.h"
#include "ringdb/persist/rdb.h"
#include "ringdb/store/hash_value.h"
#include "ringdb/store/list_value.h"
#include "ringdb/store/object.h"
#include "ringdb/store/set_value.h"
#include "ringdb/store/stream_value.h"
#include "ringdb/store/zset_value.h"

namespace ringdb::persist::rdb {

using store::Entry;
using store::ValueType;

namespace {

// Redis compresses strings longer than this (rdbSaveRawString).
constexpr size_t kCompressAbove = 20;

void AppendU64Le(uint64_t value, std::string* out) {
  char bytes[8];
  for (int i = 0; i < 8; i++) bytes[i] = static_cast<char>(value >> (8 * i));
  out->append(bytes, 8);
}

void AppendDouble(double value, std::string* out) {
  uint64_t bits;
  std::memcpy(&bits, &value, sizeof(bits));
  AppendU64Le(bits, out);
}

// rdbEncodeInteger: the 8-, 16- or 32-bit special encodings; false when `value` needs more.
bool AppendIntegerEncoded(int64_t value, std::string* out) {
  if (value >= INT8_MIN && value <= INT8_MAX) {
    out->push_back(static_cast<char>(0xC0 | kEncodingInt8));
    out->push_back(static_cast<char>(value));
  } else if (value >= INT16_MIN && value <= INT16_MAX) {
    out->push_back(static_cast<char>(0xC0 | kEncodingInt16));
    out->push_back(static_cast<char>(value));
    out->push_back(static_cast<char>(value >> 8));
  } else if (value >= INT32_MIN && value <= INT32_MAX) {
    out->push_back(static_cast<char>(0xC0 | kEncodingInt32));
    for (int i = 0; i < 4; i++) out->push_back(static_cast<char>(value >> (8 * i)));
  } else {
    return false;
  }
  return true;
}

void AppendStreamId(store::StreamId id, std::string* out) {
  // 128 bits, big endian: the radix-tree key form.
  for (int i = 7; i >= 0; i--) out->push_back(static_cast<char>(id.ms >> (8 * i)));
  for (int i = 7; i >= 0; i--) out->push_back(static_cast<char>(id.seq >> (8 * i)));
}

// The type byte a value is written with.
uint8_t TypeByteOf(const Entry& entry, const WriteOptions& options) {
  switch (entry.type()) {
    case ValueType::kString:
      return kTypeString;
    case ValueType::kList:
      return kTypeListQuicklist2;
    case ValueType::kSet:
      switch (entry.object()->encoding()) {
        case store::Encoding::kIntset:
          return kTypeSetIntset;
        case store::Encoding::kListpack:
          return options.version >= 11 ? kTypeSetListpack : kTypeSet;
        default:
          return kTypeSet;
      }
    case ValueType::kZset:
      return entry.object()->encoding() == store::Encoding::kListpack ? kTypeZsetListpack
                                                                      : kTypeZset2;
    case ValueType::kHash:
      return entry.object()->encoding() == store::Encoding::kListpack ? kTypeHashListpack
                                                                      : kTypeHash;
    case ValueType::kStream:
      return options.version >= 11 ? kTypeStreamListpacks3 : kTypeStreamListpacks2;
  }
  RINGDB_ASSERT(false);
  return 0;
}

// Writes a value's serialization after its type byte (rdbSaveObject); the type byte itself
// only when `with_type` (a file puts the key between the two).
class ValueWriter {
 public:
  ValueWriter(const WriteOptions& options, bool with_type, std::string* out)
      : options_(options), with_type_(with_type), out_(out) {}

  void String(std::string_view bytes) { AppendString(bytes, options_.compress, out_); }
  void Length(uint64_t value) { AppendLength(value, out_); }
  void Type(uint8_t type) {
    if (with_type_) out_->push_back(static_cast<char>(type));
  }

  void Value(const Entry& entry) {
    switch (entry.type()) {
      case ValueType::kString:
        Type(kTypeString);
        String(entry.value());
        return;
      case ValueType::kList:
        List(static_cast<const store::ListValue&>(*entry.object()));
        return;
      case ValueType::kSet:
        Set(static_cast<const store::SetValue&>(*entry.object()));
        return;
      case ValueType::kZset:
        Zset(static_cast<const store::ZsetValue&>(*entry.object()));
        return;
      case ValueType::kHash:
        Hash(static_cast<const store::HashValue&>(*entry.object()));
        return;
      case ValueType::kStream:
        Stream(static_cast<const store::StreamValue&>(*entry.object()));
        return;
    }
    RINGDB_ASSERT(false);
  }

 private:
  // Redis 7 writes every list as a quicklist of listpack nodes (a listpack-encoded list as one
  // node); a plain node carries its one element's bytes.
  void List(const store::ListValue& list) {
    Type(kTypeListQuicklist2);
    size_t nodes = 0;
    list.ForEachNode([&](const store::Listpack&, bool) { nodes++; });
    Length(nodes);
    list.ForEachNode([&](const store::Listpack& node, bool plain) {
      if (plain) {
        Length(kContainerPlain);
        char scratch[24];
        String(node.Get(node.First()).Text(scratch));
      } else {
        Length(kContainerPacked);
        String(node.bytes());
      }
    });
  }

  void Set(const store::SetValue& set) {
    switch (set.encoding()) {
      case store::Encoding::kIntset:
        Type(kTypeSetIntset);
        String(set.intset().bytes());
        return;
      case store::Encoding::kListpack:
        if (options_.version >= 11) {
          Type(kTypeSetListpack);
          String(set.listpack().bytes());
          return;
        }
        break;
      default:
        break;
    }
    // A plain set: what a hashtable writes, and a listpack set for readers before version 11.
    Type(kTypeSet);
    Length(set.size());
    char scratch[24];
    set.ForEach([&](const store::ListpackValue& member) { String(member.Text(scratch)); });
  }

  // A skiplist is written from the highest score down, as Redis does, so that its loader
  // inserts at the head.
  void Zset(const store::ZsetValue& zset) {
    if (zset.is_listpack()) {
      Type(kTypeZsetListpack);
      String(zset.listpack().bytes());
      return;
    }
    Type(kTypeZset2);
    Length(zset.size());
    if (zset.size() == 0) return;
    for (store::ZsetCursor cursor = zset.At(zset.size() - 1); cursor.valid(); cursor.Prev()) {
      String(cursor.member());
      AppendDouble(cursor.score(), out_);
    }
  }

  void Hash(const store::HashValue& hash) {
    if (hash.is_listpack()) {
      Type(kTypeHashListpack);
      String(hash.listpack().bytes());
      return;
    }
    Type(kTypeHash);
    Length(hash.size());
    hash.ForEach([&](std::string_view field, std::string_view value) {
      String(field);
      String(value);
    });
  }

  void Stream(const store::StreamValue& stream) {
    const bool v3 = options_.version >= 11;
    Type(v3 ? kTypeStreamListpacks3 : kTypeStreamListpacks2);
    Length(stream.nodes().size());
    for (const store::StreamValue::Node& node : stream.nodes()) {
      std::string id;
      AppendStreamId(node.master_id, &id);
      String(id);
      String(node.listpack.bytes());
    }
    Length(stream.length());
    Length(stream.last_id().ms);
    Length(stream.last_id().seq);
    Length(stream.first_id().ms);
    Length(stream.first_id().seq);
    Length(stream.max_deleted_id().ms);
    Length(stream.max_deleted_id().seq);
    Length(stream.entries_added());
    const store::StreamValue::GroupMap* groups = stream.groups();
    Length(groups == nullptr ? 0 : groups->size());
    if (groups == nullptr) return;
    for (const auto& [name, group] : *groups) {
      String(name);
      Length(group->last_id.ms);
      Length(group->last_id.seq);
      // entries_read is signed; -1 (unknown) travels as the length 2^64 - 1, as Redis's
      // rdbSaveLen of the int64 does.
      Length(static_cast<uint64_t>(group->entries_read));
      Length(group->pending.size());
      for (const auto& [id, pending] : group->pending) {
        AppendStreamId(id, out_);
        AppendU64Le(static_cast<uint64_t>(pending.delivery_time_ms), out_);
        Length(pending.delivery_count);
      }
      Length(group->consumers.size());
      for (const auto& [consumer_name, consumer] : group->consumers) {
        String(consumer_name);
        AppendU64Le(static_cast<uint64_t>(consumer->seen_time_ms), out_);
        if (v3) AppendU64Le(static_cast<uint64_t>(consumer->active_time_ms), out_);
        Length(consumer->pending.size());
        for (const auto& [id, pending] : consumer->pending) AppendStreamId(id, out_);
      }
    }
  }

  const WriteOptions& options_;
  bool with_type_;
  std::string* out_;
};

}  // namespace

void AppendLength(uint64_t value, std::string* out) {
  if (value < (1u << 6)) {
    out->push_back(static_cast<char>(value));
  } else if (value < (1u << 14)) {
    out->push_back(static_cast<char>(0x40 | (value >> 8)));
    out->push_back(static_cast<char>(value & 0xff));
  } else if (value <= UINT32_MAX) {
    out->push_back(static_cast<char>(kLength32));
    for (int i = 3; i >= 0; i--) out->push_back(static_cast<char>(value >> (8 * i)));
  } else {
    out->push_back(static_cast<char>(kLength64));
    for (int i = 7; i >= 0; i--) out->push_back(static_cast<char>(value >> (8 * i)));
  }
}

// rdbSaveRawString: a short canonical integer as an integer encoding, a string over 20 bytes
// LZF-compressed when that saves at least 4 bytes, else length and bytes.
void AppendString(std::string_view bytes, bool compress, std::string* out) {
  if (bytes.size() <= 11 && !bytes.empty()) {
    std::optional<int64_t> value = ParseInt64(bytes);
    if (value && AppendIntegerEncoded(*value, out)) return;
  }
  if (compress && bytes.size() > kCompressAbove) {
    std::string compressed;
    if (LzfCompress(bytes, bytes.size() - 4, &compressed)) {
      out->push_back(static_cast<char>(0xC0 | kEncodingLzf));
      AppendLength(compressed.size(), out);
      AppendLength(bytes.size(), out);
      out->append(compressed);
      return;
    }
  }
  AppendLength(bytes.size(), out);
  out->append(bytes);
}

void AppendValue(const Entry& entry, const WriteOptions& options, std::string* out) {
  ValueWriter(options, true, out).Value(entry);
}

Writer::Writer(const WriteOptions& options) : options_(options) {
  RINGDB_ASSERT(options.version >= kVersionDefault);
  RINGDB_ASSERT(options.version <= kVersionMax);
}

void Writer::Begin(const std::vector<std::pair<std::string, std::string>>& aux) {
  char magic[16];
  std::snprintf(magic, sizeof(magic), "REDIS%04d", options_.version);
  buffer_.append(magic, 9);
  for (const auto& [key, value] : aux) {
    buffer_.push_back(static_cast<char>(kOpAux));
    AppendString(key, options_.compress, &buffer_);
    AppendString(value, options_.compress, &buffer_);
  }
}

void Writer::Function(std::string_view library_code) {
  buffer_.push_back(static_cast<char>(kOpFunction2));
  AppendString(library_code, options_.compress, &buffer_);
}

void Writer::SelectDb(int index, uint64_t keys, uint64_t expires) {
  RINGDB_ASSERT(index >= 0);
  buffer_.push_back(static_cast<char>(kOpSelectDb));
  AppendLength(static_cast<uint64_t>(index), &buffer_);
  buffer_.push_back(static_cast<char>(kOpResizeDb));
  AppendLength(keys, &buffer_);
  AppendLength(expires, &buffer_);
}

void Writer::Key(const Entry& entry, const KeyEvictionData& eviction) {
  if (entry.has_expire()) {
    buffer_.push_back(static_cast<char>(kOpExpireTimeMs));
    AppendU64Le(static_cast<uint64_t>(entry.expire_at_ms()), &buffer_);
  }
  if (eviction.idle_seconds >= 0) {
    buffer_.push_back(static_cast<char>(kOpIdle));
    AppendLength(static_cast<uint64_t>(eviction.idle_seconds), &buffer_);
  }
  if (eviction.lfu_frequency >= 0) {
    RINGDB_ASSERT(eviction.lfu_frequency <= 255);
    buffer_.push_back(static_cast<char>(kOpFreq));
    buffer_.push_back(static_cast<char>(eviction.lfu_frequency));
  }
  buffer_.push_back(static_cast<char>(TypeByteOf(entry, options_)));
  AppendString(entry.key(), options_.compress, &buffer_);
  ValueWriter(options_, false, &buffer_).Value(entry);
}

void Writer::End() {
  buffer_.push_back(static_cast<char>(kOpEof));
  CoverPending();
  AppendU64Le(options_.checksum ? crc_ : 0, &buffer_);
  crc_covered_ = buffer_.size();
}

void Writer::CoverPending() {
  crc_ = Crc64(crc_, std::string_view(buffer_).substr(crc_covered_));
  crc_covered_ = buffer_.size();
}

void Writer::TakeBytes(std::string* out) {
  CoverPending();
  bytes_taken_ += buffer_.size();
  out->clear();
  out->swap(buffer_);
  crc_covered_ = 0;
}

KeyEvictionData EvictionDataOf(uint32_t lru_field, EvictionPolicyKind policy, int64_t now_ms,
                               int64_t lfu_decay_time_minutes) {
  KeyEvictionData data;
  if (policy == EvictionPolicyKind::kLru) {
    constexpr int64_t kClockMax = (1 << 24) - 1;
    int64_t clock = (now_ms / 1000) & kClockMax;
    int64_t stamp = lru_field & kClockMax;
    data.idle_seconds = clock >= stamp ? clock - stamp : clock + (kClockMax - stamp);
  } else if (policy == EvictionPolicyKind::kLfu) {
    int64_t minutes = (now_ms / 1000 / 60) & 0xffff;
    int64_t stamp = lru_field >> 8;
    int64_t elapsed = minutes >= stamp ? minutes - stamp : 65535 - stamp + minutes;
    int64_t counter = lru_field & 0xff;
    int64_t periods = lfu_decay_time_minutes > 0 ? elapsed / lfu_decay_time_minutes : 0;
    data.lfu_frequency = static_cast<int>(periods > counter ? 0 : counter - periods);
  }
  return data;
}

std::string DumpPayload(const Entry& entry, int version) {
  WriteOptions options;
  options.version = version;
  std::string payload;
  AppendValue(entry, options, &payload);
  payload.push_back(static_cast<char>(version & 0xff));
  payload.push_back(static_cast<char>(version >> 8));
  AppendU64Le(Crc64(0, payload), &payload);
  return payload;
}

}  // namespace ringdb::persist::rdb
