// HashValue: the value of a hash key, in one of Redis's two encodings.
//
//   "listpack"   field, value, field, value, ... in insertion order, in one Listpack (Redis's
//                exact bytes). A changed value is replaced in place and a deleted pair is cut
//                out, so the order HGETALL shows is Redis's.
//   "hashtable"  a FieldTable (field_table.h).
//
// A hash starts as a listpack and converts, once and for good, as Redis's t_hash.c does: when
// a field or value about to be written is longer than hash-max-listpack-value bytes, when the
// number of fields passes hash-max-listpack-entries, when a listpack would pass 1 GiB
// (Listpack::kSafetyBytesMax), or (Redis 7.2) when one HSET / HMSET carries more pairs than
// hash-max-listpack-entries. Nothing converts back.
//
// Views returned by the accessors stay valid until the hash changes.
#pragma once

#include <cstddef>
#include <cstdint>
#include <span>
#include <string_view>

#include "ringdb/store/entry.h"
#include "ringdb/store/field_table.h"
#include "ringdb/store/listpack.h"
#include "ringdb/store/object.h"

namespace ringdb::store {

// hash-max-listpack-entries and hash-max-listpack-value.
struct HashLimits {
  size_t listpack_entries_max = 512;
  size_t listpack_value_max = 64;
};

class HashValue final : public Object {
 public:
  static constexpr ValueType kType = ValueType::kHash;
  // Room for an integer element of the listpack formatted as text.
  static constexpr size_t kScratchBytes = 24;
  using Scratch = char[kScratchBytes];

  // An empty hash, encoded as a listpack.
  HashValue();
  // A listpack-encoded hash adopting `listpack` (field, value, ...; the RDB loader's blob).
  // REQUIRES: a valid listpack of distinct fields, an even number of elements.
  static HashValue* FromListpack(Listpack&& listpack);
  ~HashValue();

  Encoding encoding() const { return is_listpack() ? Encoding::kListpack : Encoding::kHashtable; }
  size_t size() const;
  Object* Clone() const;
  size_t MemoryUsage(size_t samples) const;

  bool is_listpack() const { return !is_table_; }
  // REQUIRES: is_listpack().
  const Listpack& listpack() const;
  // REQUIRES: !is_listpack().
  const FieldTable& table() const;

  // Whether `field` is present; if so, *value (when not null) is its value, an integer
  // element formatted into `scratch`.
  bool Get(std::string_view field, Scratch& scratch, std::string_view* value) const;

  // Redis's hashTypeTryConversion before writing the field/value pairs `arguments`
  // (fields and values alternating): converts a listpack when the pairs outnumber the
  // entries limit (presized for them), when one argument is longer than the value limit, or
  // when their bytes would take the listpack past its safety size.
  void PrepareForPairs(std::span<const std::string_view> arguments, const HashLimits& limits);

  // Redis's hashTypeSet: sets `field` to `value` and returns true when the field is new. A
  // listpack converts first when the field or value is longer than the value limit (or the
  // listpack would pass its safety size), and after (even when only a value changed) when
  // the fields outnumber the entries limit.
  bool Set(std::string_view field, std::string_view value, const HashLimits& limits);
  // Removes `field`; returns whether it was present.
  bool Delete(std::string_view field);

  // Converts a listpack to a hashtable sized for `expected` fields (at least the current
  // ones). No effect on a hashtable.
  void ConvertToTable(size_t expected = 0);

  // Calls fn(field, value) for every pair: a listpack in its order, a hashtable in table
  // order.
  template <typename Fn>
  void ForEach(Fn&& fn) const {
    if (is_table_) {
      table_->ForEach(fn);
      return;
    }
    Scratch field_scratch;
    Scratch value_scratch;
    for (uint32_t p = listpack_.First(); p != Listpack::kNone;) {
      uint32_t v = listpack_.Next(p);
      RINGDB_DASSERT(v != Listpack::kNone);
      fn(listpack_.Get(p).Text(field_scratch), listpack_.Get(v).Text(value_scratch));
      p = listpack_.Next(v);
    }
  }

 private:
  void DestroyRepresentation();

  bool is_table_ = false;
  union {
    Listpack listpack_;
    FieldTable* table_;
  };
};

}  // namespace ringdb::store
