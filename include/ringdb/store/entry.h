// An Entry is one allocation holding a key, its value (inline for strings), its expiry time
// and its eviction metadata. Layout (see also man/ringdb-formats.5 for the persisted forms):
//
//   +0  u16 refcount      snapshots share entries; a shared entry is immutable
//   +2  u8  type:4 | encoding:4
//   +3  u8  flags         kHasExpire, kUnsharedInteger, kIsObject
//   +4  u32 lru           LRU clock in seconds (24 bits), or LFU time:16 | counter:8
//   +8  u32 key_length
//
//   a string:
//   +12 u32 value_length
//   +16 [i64 expire_at_ms]    only when kHasExpire
//       key bytes, then value bytes (with spare capacity up to the block's usable size)
//
//   any other type (kIsObject):
//   +12 Object*               unaligned; the entry owns one reference to it (object.h)
//   +20 [i64 expire_at_ms]    only when kHasExpire
//       key bytes
//
// For a 16-byte key and a 32-byte value the whole entry is 64 bytes: one allocator size class,
// one cache line pair, one pointer in the page. A collection's entry needs no value length,
// so its pointer takes that field's place: with a key of up to 12 bytes the entry fits 32
// bytes, one size class less than a 16-byte header plus the pointer would.
#pragma once

#include <cstddef>
#include <cstdint>
#include <cstring>
#include <string_view>

#include "ringdb/base/assert.h"

namespace ringdb::store {

class Object;

enum class ValueType : uint8_t {
  kString = 0,
  kList = 1,
  kSet = 2,
  kZset = 3,
  kHash = 4,
  kStream = 5
};

// Redis's encoding names, as OBJECT ENCODING reports them.
enum class Encoding : uint8_t {
  kRaw = 0,
  kInt = 1,
  kEmbstr = 2,
  kListpack = 3,
  kQuicklist = 4,
  kHashtable = 5,
  kIntset = 6,
  kSkiplist = 7,
  kStream = 8,
};

const char* TypeName(ValueType type);
const char* EncodingName(Encoding encoding);

// Redis's OBJ_ENCODING_EMBSTR_SIZE_LIMIT: strings up to this length report "embstr".
inline constexpr size_t kEmbstrBytesMax = 44;

inline constexpr int64_t kNoExpire = -1;

class Entry {
 public:
  static constexpr uint8_t kHasExpire = 1;
  // An "int" string that is not Redis's shared integer object although its value is small
  // (COPY duplicates the object, so Redis reports refcount 1 for it).
  static constexpr uint8_t kUnsharedInteger = 2;
  // The entry holds an Object* instead of a value length and inline value bytes. Its value
  // (4) is also the extra header bytes such an entry has.
  static constexpr uint8_t kIsObject = 4;

  // Allocates an entry with room for `value_capacity` value bytes (at least value.size()).
  // The new entry's refcount is 1.
  static Entry* New(std::string_view key, std::string_view value, ValueType type, Encoding encoding,
                    int64_t expire_at_ms, size_t value_capacity = 0);
  // Allocates an entry for a non-string value, taking the caller's reference to `object`.
  static Entry* NewObject(std::string_view key, Object* object, int64_t expire_at_ms);
  // A copy of `source` with a different expiry (kNoExpire to remove it) and the same value.
  static Entry* CopyWithExpire(const Entry& source, int64_t expire_at_ms);
  // A copy of `source` under another key (COPY, RENAME across pages).
  static Entry* CopyWithKey(const Entry& source, std::string_view key);

  // Drops one reference; frees the entry when it was the last.
  static void Release(Entry* entry);
  // The count is atomic: a table emptied by FLUSHALL ASYNC is freed on the worker thread, and
  // its entries may also be held by a snapshot that the loop releases.
  void Retain() {
    uint16_t before = __atomic_fetch_add(&refcount_, 1, __ATOMIC_RELAXED);
    RINGDB_ASSERT(before < UINT16_MAX);
  }
  uint16_t refcount() const { return __atomic_load_n(&refcount_, __ATOMIC_RELAXED); }
  // A shared entry is also seen by a snapshot, so it must not change in place.
  bool shared() const { return refcount() > 1; }

  ValueType type() const { return static_cast<ValueType>(type_encoding_ & 0x0f); }
  bool is_object() const { return type() != ValueType::kString; }
  // A string's encoding (raw, int, embstr). For other types the object knows its encoding:
  // use ObjectEncoding().
  Encoding encoding() const { return static_cast<Encoding>(type_encoding_ >> 4); }
  // The encoding OBJECT ENCODING reports, for any type.
  Encoding ObjectEncoding() const;
  void set_encoding(Encoding encoding) {
    type_encoding_ =
        static_cast<uint8_t>((type_encoding_ & 0x0f) | (static_cast<uint8_t>(encoding) << 4));
  }

  bool has_expire() const { return (flags_ & kHasExpire) != 0; }
  bool unshared_integer() const { return (flags_ & kUnsharedInteger) != 0; }
  void set_unshared_integer() { flags_ |= kUnsharedInteger; }
  void clear_unshared_integer() { flags_ &= static_cast<uint8_t>(~kUnsharedInteger); }
  int64_t expire_at_ms() const {
    if (!has_expire()) return kNoExpire;
    int64_t value;
    std::memcpy(&value, expire_data(), sizeof(value));
    return value;
  }
  // REQUIRES: has_expire() and !shared(); use CopyWithExpire to add or remove an expiry.
  void set_expire_at_ms(int64_t expire_at_ms) {
    RINGDB_DASSERT(has_expire());
    RINGDB_DASSERT(!shared());
    std::memcpy(expire_data(), &expire_at_ms, sizeof(expire_at_ms));
  }
  // As Redis's keyIsExpired: a key lives through its deadline's millisecond and is expired
  // once the clock has passed it.
  bool ExpiredAt(int64_t now_ms) const { return has_expire() && expire_at_ms() < now_ms; }

  // Relaxed atomic accesses (plain moves on x86): a snapshot's writer reads the field on the
  // persistence thread while the loop stamps accesses.
  uint32_t lru() const { return __atomic_load_n(&lru_, __ATOMIC_RELAXED); }
  // Eviction metadata is not part of the value a snapshot sees, so it may change even when
  // the entry is shared.
  void set_lru(uint32_t lru) { __atomic_store_n(&lru_, lru, __ATOMIC_RELAXED); }

  std::string_view key() const { return {key_data(), key_length_}; }
  // The value object of a non-string entry.
  Object* object() const {
    RINGDB_DASSERT(is_object());
    Object* object;
    std::memcpy(&object, reinterpret_cast<const char*>(this) + kObjectOffset, sizeof(object));
    return object;
  }
  // Points the entry at another object, taking the caller's reference and releasing the
  // entry's reference to the old one. REQUIRES: is_object(), !shared().
  void ReplaceObject(Object* object);
  // A string's bytes. REQUIRES: !is_object().
  std::string_view value() const {
    RINGDB_DASSERT(!is_object());
    return {key_data() + key_length_, value_length_};
  }
  size_t value_length() const {
    RINGDB_DASSERT(!is_object());
    return value_length_;
  }
  // Room for the value without reallocating.
  size_t value_capacity() const;
  // REQUIRES: !shared(); new_length <= value_capacity().
  char* mutable_value() {
    RINGDB_DASSERT(!shared());
    RINGDB_DASSERT(!is_object());
    return key_data() + key_length_;
  }
  void set_value_length(size_t new_length) {
    RINGDB_DASSERT(new_length <= value_capacity());
    value_length_ = static_cast<uint32_t>(new_length);
  }

  // Memory this entry occupies (its allocation's usable size).
  size_t AllocatedBytes() const;

 private:
  friend struct EntryLayout;
  // Where an object entry keeps its Object*: value_length_'s place.
  static constexpr size_t kObjectOffset = 12;

  Entry() = default;
  // A new entry (refcount 1, type string) with `key`, the expiry and `flags` set, and room
  // for `value_capacity` value bytes.
  static Entry* AllocateEntry(std::string_view key, size_t value_capacity, int64_t expire_at_ms,
                              uint8_t flags);
  // Bytes before the key: the header, an object's pointer tail, the expiry. Computed without
  // branches, since every key comparison starts here.
  size_t HeaderBytes() const {
    return sizeof(Entry) + (flags_ & kIsObject) + (flags_ & kHasExpire) * sizeof(int64_t);
  }
  char* expire_data() {
    return reinterpret_cast<char*>(this) + sizeof(Entry) + (flags_ & kIsObject);
  }
  const char* expire_data() const {
    return reinterpret_cast<const char*>(this) + sizeof(Entry) + (flags_ & kIsObject);
  }
  char* key_data() { return reinterpret_cast<char*>(this) + HeaderBytes(); }
  const char* key_data() const { return reinterpret_cast<const char*>(this) + HeaderBytes(); }

  uint16_t refcount_;
  uint8_t type_encoding_;
  uint8_t flags_;
  uint32_t lru_;
  uint32_t key_length_;
  uint32_t value_length_;
};
static_assert(sizeof(Entry) == 16);

// Largest key or string value an Entry holds.
inline constexpr size_t kEntryBytesMax = UINT32_MAX;

}  // namespace ringdb::store
