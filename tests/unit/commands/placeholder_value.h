// A stand-in value of any non-string type, for tests of generic key commands (TYPE, SCAN
// TYPE, WRONGTYPE errors) that must not depend on a family's implementation.
#pragma once

#include <string_view>

#include "ringdb/store/entry.h"
#include "ringdb/store/object.h"

namespace ringdb::testing {

class PlaceholderValue : public store::Object {
 public:
  explicit PlaceholderValue(store::ValueType type) : type_(type) {}
  store::ValueType type() const override { return type_; }
  store::Encoding encoding() const override { return store::Encoding::kListpack; }
  size_t size() const override { return 1; }
  store::Object* Clone() const override { return new PlaceholderValue(type_); }
  size_t MemoryUsage(size_t) const override { return sizeof(*this); }

 private:
  store::ValueType type_;
};

// A new entry holding a PlaceholderValue of `type` under `key`, without expiry.
inline store::Entry* PlaceholderEntry(std::string_view key, store::ValueType type) {
  return store::Entry::NewObject(key, new PlaceholderValue(type), store::kNoExpire);
}

}  // namespace ringdb::testing
