#include "ringdb/store/entry.h"

#include <new>

#include "ringdb/base/memory.h"
#include "ringdb/store/object.h"

namespace ringdb::store {

const char* TypeName(ValueType type) {
  switch (type) {
    case ValueType::kString:
      return "string";
    case ValueType::kList:
      return "list";
    case ValueType::kSet:
      return "set";
    case ValueType::kZset:
      return "zset";
    case ValueType::kHash:
      return "hash";
    case ValueType::kStream:
      return "stream";
  }
  return "none";
}

const char* EncodingName(Encoding encoding) {
  switch (encoding) {
    case Encoding::kRaw:
      return "raw";
    case Encoding::kInt:
      return "int";
    case Encoding::kEmbstr:
      return "embstr";
    case Encoding::kListpack:
      return "listpack";
    case Encoding::kQuicklist:
      return "quicklist";
    case Encoding::kHashtable:
      return "hashtable";
    case Encoding::kIntset:
      return "intset";
    case Encoding::kSkiplist:
      return "skiplist";
    case Encoding::kStream:
      return "stream";
  }
  return "unknown";
}

Entry* Entry::New(std::string_view key, std::string_view value, ValueType type, Encoding encoding,
                  int64_t expire_at_ms, size_t value_capacity) {
  RINGDB_ASSERT(key.size() <= kEntryBytesMax);
  RINGDB_ASSERT(value.size() <= kEntryBytesMax);
  if (value_capacity < value.size()) value_capacity = value.size();
  RINGDB_ASSERT(type == ValueType::kString);
  Entry* entry = AllocateEntry(key, value_capacity, expire_at_ms, /*flags=*/0);
  entry->type_encoding_ =
      static_cast<uint8_t>(static_cast<uint8_t>(type) | (static_cast<uint8_t>(encoding) << 4));
  entry->value_length_ = static_cast<uint32_t>(value.size());
  if (!value.empty()) std::memcpy(entry->key_data() + key.size(), value.data(), value.size());
  return entry;
}

Entry* Entry::NewObject(std::string_view key, Object* object, int64_t expire_at_ms) {
  RINGDB_ASSERT(object != nullptr);
  RINGDB_ASSERT(object->type() != ValueType::kString);
  Entry* entry = AllocateEntry(key, 0, expire_at_ms, kIsObject);
  entry->type_encoding_ = static_cast<uint8_t>(object->type());
  std::memcpy(reinterpret_cast<char*>(entry) + kObjectOffset, &object, sizeof(object));
  return entry;
}

Entry* Entry::AllocateEntry(std::string_view key, size_t value_capacity, int64_t expire_at_ms,
                            uint8_t flags) {
  RINGDB_ASSERT(key.size() <= kEntryBytesMax);
  if (expire_at_ms != kNoExpire) flags |= kHasExpire;
  size_t header = sizeof(Entry) + (flags & kIsObject) + (flags & kHasExpire) * sizeof(int64_t);
  void* memory = Allocate(header + key.size() + value_capacity);
  Entry* entry = new (memory) Entry();
  entry->refcount_ = 1;
  entry->type_encoding_ = 0;
  entry->flags_ = flags;
  entry->lru_ = 0;
  entry->key_length_ = static_cast<uint32_t>(key.size());
  entry->value_length_ = 0;
  if ((flags & kHasExpire) != 0) {
    std::memcpy(entry->expire_data(), &expire_at_ms, sizeof(expire_at_ms));
  }
  if (!key.empty()) std::memcpy(entry->key_data(), key.data(), key.size());
  return entry;
}

namespace {
// A copy of `source` with the given key and expiry; a copied object pointer takes a reference.
Entry* CopyOf(const Entry& source, std::string_view key, int64_t expire_at_ms) {
  Entry* copy;
  if (source.is_object()) {
    source.object()->Retain();
    copy = Entry::NewObject(key, source.object(), expire_at_ms);
  } else {
    copy = Entry::New(key, source.value(), source.type(), source.encoding(), expire_at_ms);
  }
  copy->set_lru(source.lru());
  if (source.unshared_integer()) copy->set_unshared_integer();
  return copy;
}
}  // namespace

Entry* Entry::CopyWithExpire(const Entry& source, int64_t expire_at_ms) {
  return CopyOf(source, source.key(), expire_at_ms);
}

Entry* Entry::CopyWithKey(const Entry& source, std::string_view key) {
  return CopyOf(source, key, source.expire_at_ms());
}

void Entry::ReplaceObject(Object* object) {
  RINGDB_ASSERT(is_object());
  RINGDB_DASSERT(!shared());
  RINGDB_ASSERT(object->type() == type());
  Object* old = this->object();
  std::memcpy(reinterpret_cast<char*>(this) + kObjectOffset, &object, sizeof(object));
  Object::Release(old);
}

Encoding Entry::ObjectEncoding() const { return is_object() ? object()->encoding() : encoding(); }

void Entry::Release(Entry* entry) {
  uint16_t after = __atomic_sub_fetch(&entry->refcount_, 1, __ATOMIC_ACQ_REL);
  RINGDB_DASSERT(after != UINT16_MAX);
  if (after > 0) return;
  if (entry->is_object()) Object::Release(entry->object());
  entry->~Entry();
  Deallocate(entry);
}

size_t Entry::value_capacity() const {
  RINGDB_DASSERT(!is_object());
  return UsableSize(this) - HeaderBytes() - key_length_;
}

// The object pointer overlays value_length_ and the 4 bytes after the header.
struct EntryLayout {
  static_assert(offsetof(Entry, value_length_) == Entry::kObjectOffset);
  static_assert(Entry::kObjectOffset + sizeof(Object*) == sizeof(Entry) + Entry::kIsObject);
};

size_t Entry::AllocatedBytes() const { return UsableSize(this); }

}  // namespace ringdb::store
