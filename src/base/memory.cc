#include "ringdb/base/memory.h"

#include <malloc.h>
#include <unistd.h>

#include <atomic>
#include <cstdio>
#include <cstdlib>
#include <cstring>
#include <new>

#ifdef RINGDB_HAVE_MIMALLOC
#include <mimalloc.h>
#endif

#include "ringdb/base/assert.h"

namespace ringdb {
namespace {

std::atomic<int64_t> allocated_bytes{0};

inline void* RawAllocate(size_t bytes) {
#ifdef RINGDB_HAVE_MIMALLOC
  return mi_malloc(bytes);
#else
  return std::malloc(bytes);
#endif
}

inline void RawFree(void* pointer) {
#ifdef RINGDB_HAVE_MIMALLOC
  mi_free(pointer);
#else
  std::free(pointer);
#endif
}

inline size_t RawUsableSize(const void* pointer) {
#ifdef RINGDB_HAVE_MIMALLOC
  return mi_usable_size(pointer);
#else
  return malloc_usable_size(const_cast<void*>(pointer));
#endif
}

}  // namespace

void* Allocate(size_t bytes) {
  void* pointer = RawAllocate(bytes == 0 ? 1 : bytes);
  if (pointer == nullptr) {
    // Out of memory is not recoverable here: the caller was about to write into the block.
    RINGDB_ASSERT(!"out of memory");
  }
  allocated_bytes.fetch_add(static_cast<int64_t>(RawUsableSize(pointer)),
                            std::memory_order_relaxed);
  return pointer;
}

void* TryAllocate(size_t bytes) {
  void* pointer = RawAllocate(bytes == 0 ? 1 : bytes);
  if (pointer == nullptr) return nullptr;
  allocated_bytes.fetch_add(static_cast<int64_t>(RawUsableSize(pointer)),
                            std::memory_order_relaxed);
  return pointer;
}

void* Reallocate(void* pointer, size_t bytes) {
  if (pointer == nullptr) return Allocate(bytes);
  int64_t before = static_cast<int64_t>(RawUsableSize(pointer));
#ifdef RINGDB_HAVE_MIMALLOC
  void* moved = mi_realloc(pointer, bytes == 0 ? 1 : bytes);
#else
  void* moved = std::realloc(pointer, bytes == 0 ? 1 : bytes);
#endif
  RINGDB_ASSERT(moved != nullptr);
  allocated_bytes.fetch_add(static_cast<int64_t>(RawUsableSize(moved)) - before,
                            std::memory_order_relaxed);
  return moved;
}

void Deallocate(void* pointer) {
  if (pointer == nullptr) return;
  allocated_bytes.fetch_sub(static_cast<int64_t>(RawUsableSize(pointer)),
                            std::memory_order_relaxed);
  RawFree(pointer);
}

size_t UsableSize(const void* pointer) { return RawUsableSize(pointer); }

int64_t AllocatedBytes() { return allocated_bytes.load(std::memory_order_relaxed); }

const char* AllocatorName() {
#ifdef RINGDB_HAVE_MIMALLOC
  static char name[32];
  if (name[0] == '\0') {
    int version = mi_version();
    snprintf(name, sizeof(name), "mimalloc-%d.%d.%d", version / 100, (version / 10) % 10,
             version % 10);
  }
  return name;
#else
  return "libc";
#endif
}

bool AllocatorOverridesMalloc() {
#ifdef RINGDB_HAVE_MIMALLOC
  void* probe = std::malloc(16);
  if (probe == nullptr) return false;
  std::memset(probe, 0, 16);  // GCC otherwise warns that the check reads uninitialized bytes.
  bool ours = mi_is_in_heap_region(probe);
  std::free(probe);
  return ours;
#else
  return false;
#endif
}

void UseLargeOsPages(char** argv) {
#ifdef RINGDB_HAVE_MIMALLOC
  if (getenv("MIMALLOC_LARGE_OS_PAGES") != nullptr) return;
  if (setenv("MIMALLOC_LARGE_OS_PAGES", "1", 0) != 0) return;
  execv("/proc/self/exe", argv);
  // The exec failed (no /proc?): carry on with normal pages.
  unsetenv("MIMALLOC_LARGE_OS_PAGES");
#else
  (void)argv;
#endif
}

}  // namespace ringdb

// Every C++ allocation is counted too, so client buffers and the command table show up in
// used_memory as they do in Redis. Sanitizer builds keep their own operator new, which checks
// more than we would.
#ifndef RINGDB_SANITIZED
void* operator new(size_t bytes) { return ringdb::Allocate(bytes); }
void* operator new[](size_t bytes) { return ringdb::Allocate(bytes); }
void* operator new(size_t bytes, const std::nothrow_t&) noexcept { return ringdb::Allocate(bytes); }
void* operator new[](size_t bytes, const std::nothrow_t&) noexcept {
  return ringdb::Allocate(bytes);
}
void operator delete(void* pointer) noexcept { ringdb::Deallocate(pointer); }
void operator delete[](void* pointer) noexcept { ringdb::Deallocate(pointer); }
void operator delete(void* pointer, size_t) noexcept { ringdb::Deallocate(pointer); }
void operator delete[](void* pointer, size_t) noexcept { ringdb::Deallocate(pointer); }
#endif
