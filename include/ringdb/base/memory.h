// Memory accounting. Every allocation the server makes goes through mimalloc (when built with
// it) and is counted by usable size, so `used_memory` in INFO and `maxmemory` checks are exact
// rather than estimated from the RSS.
#pragma once

#include <cstddef>
#include <cstdint>

namespace ringdb {

void* Allocate(size_t bytes);
void* Reallocate(void* pointer, size_t bytes);
// Like Allocate, but returns nullptr when the memory is not available, for sizes a client
// chose (the caller refuses the request rather than the process dying).
void* TryAllocate(size_t bytes);
void Deallocate(void* pointer);
// The usable size of a block returned by Allocate: at least what was asked for.
size_t UsableSize(const void* pointer);
// Bytes currently allocated by the whole process through Allocate and operator new.
int64_t AllocatedBytes();
// Name of the allocator in use ("mimalloc-2.0.9" or "libc").
const char* AllocatorName();
// True when the process's malloc is mimalloc's (the server binary).
bool AllocatorOverridesMalloc();

// Makes the allocator back its memory with transparent huge pages where the kernel allows
// (THP "always" or "madvise"): random key lookups then miss the TLB far less often. Redis
// advises against THP because fork() copies whole huge pages on write; ringdb never forks.
//
// mimalloc reads the setting once, in its library constructor, from MIMALLOC_LARGE_OS_PAGES.
// So when the variable is unset this sets it and re-executes the program (argv unchanged);
// it returns only when no re-execution was needed or possible. A user who sets the variable
// (to 0 or 1) keeps their choice. Call first thing in main().
void UseLargeOsPages(char** argv);

}  // namespace ringdb
