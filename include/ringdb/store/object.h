// Object: the value of a list, hash, set, sorted set or stream key. An Entry of such a type
// holds a pointer to one (see entry.h); strings stay inline in the Entry.
//
// Objects are reference-counted so that entries can share one: COPY, an expiry change that
// copies the entry, and a snapshot's pre-image of a page all point at the same object instead
// of copying a collection that may hold millions of elements. A shared object is immutable; a
// command about to change one clones it first (copy on write, see MutableObject in
// src/commands/helpers.h).
//
// REQUIRES: used from one thread (the refcount is not atomic; snapshots on the persistence
// thread must take their references on the loop).
#pragma once

#include <cstddef>
#include <cstdint>

#include "ringdb/base/assert.h"
#include "ringdb/store/entry.h"

namespace ringdb::store {

class Object {
 public:
  Object(const Object&) = delete;
  Object& operator=(const Object&) = delete;
  virtual ~Object() = default;

  virtual ValueType type() const = 0;
  // Redis's name for the current representation, as OBJECT ENCODING reports it.
  virtual Encoding encoding() const = 0;
  // The number of elements (list items, hash fields, set members, zset members, stream
  // entries).
  virtual size_t size() const = 0;
  // An independent copy with refcount 1, in the same encoding.
  virtual Object* Clone() const = 0;
  // Bytes the value occupies (allocations' usable sizes), for MEMORY USAGE. `samples` bounds
  // the work on big values as Redis's MEMORY USAGE SAMPLES does (0: look at everything);
  // the estimate then extrapolates from the elements looked at.
  virtual size_t MemoryUsage(size_t samples) const = 0;

  void Retain() {
    RINGDB_ASSERT(refcount_ < UINT32_MAX);
    refcount_++;
  }
  static void Release(Object* object) {
    RINGDB_DASSERT(object->refcount_ > 0);
    if (--object->refcount_ == 0) delete object;
  }
  uint32_t refcount() const { return refcount_; }
  bool shared() const { return refcount_ > 1; }

 protected:
  Object() = default;

 private:
  uint32_t refcount_ = 1;
};

}  // namespace ringdb::store
