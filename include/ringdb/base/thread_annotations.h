// Clang thread-safety annotations. They document which mutex guards which state wherever two
// threads share it; with clang they are also checked when -Wthread-safety is on and the mutex
// type is annotated (libstdc++'s std::mutex is not, so today they are documentation that
// compiles everywhere).
#pragma once

#if defined(__clang__)
#define RINGDB_THREAD_ANNOTATION(x) __attribute__((x))
#else
#define RINGDB_THREAD_ANNOTATION(x)
#endif

// The member may be read or written only with `mutex` held.
#define RINGDB_GUARDED_BY(mutex) RINGDB_THREAD_ANNOTATION(guarded_by(mutex))
