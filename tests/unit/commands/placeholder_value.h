// One-element values of any non-string type, for tests of generic key commands (TYPE, SCAN
// TYPE, WRONGTYPE errors) that only need a key of that type to exist.
#pragma once

#include <string_view>

#include "ringdb/base/assert.h"
#include "ringdb/store/entry.h"
#include "ringdb/store/hash_value.h"
#include "ringdb/store/list_value.h"
#include "ringdb/store/object.h"
#include "ringdb/store/set_value.h"
#include "ringdb/store/stream_value.h"
#include "ringdb/store/zset_value.h"

namespace ringdb::testing {

// A new entry holding a one-element value of `type` under `key`, without expiry.
inline store::Entry* PlaceholderEntry(std::string_view key, store::ValueType type) {
  store::Object* object = nullptr;
  switch (type) {
    case store::ValueType::kList: {
      auto* list = new store::ListValue();
      list->Push("x", store::ListEnd::kTail);
      object = list;
      break;
    }
    case store::ValueType::kSet:
      object = store::SetValue::Create("x", 1, store::SetLimits{});
      static_cast<store::SetValue*>(object)->Add("x", store::SetLimits{});
      break;
    case store::ValueType::kZset: {
      auto* zset = store::ZsetValue::Create(1, 1, store::ZsetValue::Limits{});
      zset->Add("x", 1, 0, store::ZsetValue::Limits{});
      object = zset;
      break;
    }
    case store::ValueType::kHash: {
      auto* hash = new store::HashValue();
      hash->Set("f", "x", store::HashLimits{});
      object = hash;
      break;
    }
    case store::ValueType::kStream:
      object = new store::StreamValue();
      break;
    case store::ValueType::kString:
      RINGDB_ASSERT(false && "strings are not objects");
  }
  return store::Entry::NewObject(key, object, store::kNoExpire);
}

}  // namespace ringdb::testing
