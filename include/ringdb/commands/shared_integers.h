// Redis keeps one shared object for each of the integers 0..9999 and stores it under every key
// whose value is that integer, so OBJECT REFCOUNT and DEBUG OBJECT report INT_MAX for them.
// ringdb never shares entries between keys; these say what Redis would report.
#pragma once

#include <cstdint>
#include <optional>

#include "ringdb/base/strings.h"
#include "ringdb/store/entry.h"

namespace ringdb::commands {

// Redis's OBJ_SHARED_REFCOUNT.
inline constexpr int64_t kSharedRefcount = 2147483647;
// Redis's OBJ_SHARED_INTEGERS: the shared objects are 0 .. kSharedIntegersEnd - 1.
inline constexpr int64_t kSharedIntegersEnd = 10000;

// Whether Redis would hold `entry`'s value as a shared integer object. `sharing_enabled` is
// false when maxmemory is set with an LRU or LFU policy (each key then needs its own object).
inline bool IsSharedInteger(const store::Entry& entry, bool sharing_enabled) {
  if (!sharing_enabled || entry.unshared_integer()) return false;
  if (entry.type() != store::ValueType::kString) return false;
  if (entry.encoding() != store::Encoding::kInt) return false;
  std::optional<int64_t> value = ParseInt64(entry.value());
  return value && *value >= 0 && *value < kSharedIntegersEnd;
}

}  // namespace ringdb::commands
