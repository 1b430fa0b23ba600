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
  bool expires = expire_at_ms != kNoExpire;
  size_t bytes = sizeof(Entry) + (expires ? sizeof(int64_t) : 0) + key.size() + value_capacity;
  void* memory = Allocate(bytes);
  Entry* entry = new (memory) Entry();
  entry->refcount_ = 1;
  entry->type_encoding_ =
      static_cast<uint8_t>(static_cast<uint8_t>(type) | (static_cast<uint8_t>(encoding) << 4));
  entry->flags_ = expires ? kHasExpire : 0;
  entry->lru_ = 0;
  entry->key_length_ = static_cast<uint32_t>(key.size());
  entry->value_length_ = static_cast<uint32_t>(value.size());
  if (expires) std::memcpy(entry->bytes(), &expire_at_ms, sizeof(expire_at_ms));
  if (!key.empty()) std::memcpy(entry->key_data(), key.data(), key.size());
  if (!value.empty()) std::memcpy(entry->key_data() + key.size(), value.data(), value.size());
  return entry;
}

Entry* Entry::NewObject(std::string_view key, Object* object, int64_t expire_at_ms) {
  RINGDB_ASSERT(object != nullptr);
  RINGDB_ASSERT(object->type() != ValueType::kString);
  std::string_view pointer(reinterpret_cast<const char*>(&object), sizeof(object));
  return New(key, pointer, object->type(), Encoding::kRaw, expire_at_ms);
}

namespace {
// A copy of `source` with the given key and expiry; a copied object pointer takes a reference.
Entry* CopyOf(const Entry& source, std::string_view key, int64_t expire_at_ms) {
  Entry* copy = Entry::New(key, source.value(), source.type(), source.encoding(), expire_at_ms);
  copy->set_lru(source.lru());
  if (source.unshared_integer()) copy->set_unshared_integer();
  if (copy->is_object()) copy->object()->Retain();
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
  std::memcpy(key_data() + key_length_, &object, sizeof(object));
  Object::Release(old);
}

Encoding Entry::ObjectEncoding() const { return is_object() ? object()->encoding() : encoding(); }

void Entry::Release(Entry* entry) {
  RINGDB_DASSERT(entry->refcount_ > 0);
  if (--entry->refcount_ > 0) return;
  if (entry->is_object()) Object::Release(entry->object());
  entry->~Entry();
  Deallocate(entry);
}

size_t Entry::value_capacity() const { return UsableSize(this) - HeaderBytes() - key_length_; }

size_t Entry::AllocatedBytes() const { return UsableSize(this); }

}  // namespace ringdb::store
