#include "ringdb/store/object.h"

#include "ringdb/store/hash_value.h"
#include "ringdb/store/list_value.h"
#include "ringdb/store/set_value.h"
#include "ringdb/store/stream_value.h"
#include "ringdb/store/zset_value.h"

namespace ringdb::store {

// The small encodings' objects fit the allocator's 16-byte size class (see object.h).
static_assert(sizeof(HashValue) == 16);
static_assert(sizeof(ZsetValue) == 16);

namespace {

// Calls fn(value) with `object` as the value class its type names.
template <typename Fn>
decltype(auto) Visit(const Object* object, Fn&& fn) {
  switch (object->type()) {
    case ValueType::kList:
      return fn(static_cast<const ListValue*>(object));
    case ValueType::kSet:
      return fn(static_cast<const SetValue*>(object));
    case ValueType::kZset:
      return fn(static_cast<const ZsetValue*>(object));
    case ValueType::kHash:
      return fn(static_cast<const HashValue*>(object));
    case ValueType::kStream:
      return fn(static_cast<const StreamValue*>(object));
    case ValueType::kString:
      break;
  }
  RINGDB_ASSERT(false && "a string is not an Object");
  __builtin_unreachable();
}

}  // namespace

Encoding Object::encoding() const {
  return Visit(this, [](const auto* value) { return value->encoding(); });
}

size_t Object::size() const {
  return Visit(this, [](const auto* value) { return value->size(); });
}

Object* Object::Clone() const {
  return Visit(this, [](const auto* value) -> Object* { return value->Clone(); });
}

size_t Object::MemoryUsage(size_t samples) const {
  return Visit(this, [samples](const auto* value) { return value->MemoryUsage(samples); });
}

const SetView* Object::AsSetView() const {
  if (type() != ValueType::kSet) return nullptr;
  return static_cast<const SetValue*>(this);
}

void Object::Destroy(Object* object) {
  Visit(object, [](const auto* value) { delete value; });
}

}  // namespace ringdb::store
