// Object: the value of a list, hash, set, sorted set or stream key. An Entry of such a type
// holds a pointer to one (see entry.h); strings stay inline in the Entry.
//
// Objects are reference-counted so that entries can share one: COPY, an expiry change that
// copies the entry, and a snapshot's pre-image of a page all point at the same object instead
// of copying a collection that may hold millions of elements. A shared object is immutable; a
// command about to change one clones it first (copy on write, see MutableObject in
// src/commands/helpers.h).
//
// Objects have no vtable: the type byte selects the value class, and the few generic
// operations below dispatch on it (object.cc). That keeps a small hash or sorted set's object at
// 16 bytes (refcount, type, its encoding flag and one pointer), one allocator size class
// smaller than with a vtable pointer: 16 bytes per key for a million small collections.
//
// REQUIRES: changed from one thread (the loop). The reference count is atomic, so other
// threads may read a shared object and drop references to it.
#pragma once

#include <cstddef>
#include <cstdint>

#include "ringdb/base/assert.h"
#include "ringdb/store/entry.h"

namespace ringdb::store {

class SetView;

class Object {
 public:
  Object(const Object&) = delete;
  Object& operator=(const Object&) = delete;

  ValueType type() const { return type_; }
  // Redis's name for the current representation, as OBJECT ENCODING reports it.
  Encoding encoding() const;
  // The number of elements (list items, hash fields, set members, zset members, stream
  // entries).
  size_t size() const;
  // An independent copy with refcount 1, in the same encoding.
  Object* Clone() const;
  // Bytes the value occupies (allocations' usable sizes), for MEMORY USAGE. `samples` bounds
  // the work on big values as Redis's MEMORY USAGE SAMPLES does (0: look at everything);
  // the estimate then extrapolates from the elements looked at.
  size_t MemoryUsage(size_t samples) const;
  // The set members of a set value (the sorted-set commands read set keys through it), or
  // nullptr for any other type.
  const SetView* AsSetView() const;

  // Atomic, as Entry's: a value shared by COPY may be released by the worker thread freeing a
  // flushed database while the loop holds the other reference.
  void Retain() {
    uint32_t before = __atomic_fetch_add(&refcount_, 1, __ATOMIC_RELAXED);
    RINGDB_ASSERT(before < UINT32_MAX);
  }
  static void Release(Object* object) {
    uint32_t after = __atomic_sub_fetch(&object->refcount_, 1, __ATOMIC_ACQ_REL);
    RINGDB_DASSERT(after != UINT32_MAX);
    if (after == 0) Destroy(object);
  }
  uint32_t refcount() const { return __atomic_load_n(&refcount_, __ATOMIC_RELAXED); }
  bool shared() const { return refcount() > 1; }

 protected:
  explicit Object(ValueType type) : type_(type) {}
  // Value classes are destroyed through Release only, which knows their type.
  ~Object() = default;

 private:
  // Deletes `object` as the value class its type names.
  static void Destroy(Object* object);

  uint32_t refcount_ = 1;
  ValueType type_;
};

}  // namespace ringdb::store
