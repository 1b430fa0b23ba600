// Assertions. RINGDB_ASSERT stays on in every build: use it for invariants whose violation would
// corrupt data. RINGDB_DASSERT is for hot per-key or per-byte checks and compiles away in release
// builds. RINGDB_EXPENSIVE_CHECK guards whole-structure checks that only test builds run.
#pragma once

namespace ringdb::detail {
[[noreturn]] void AssertFailed(const char* expression, const char* file, int line);
}  // namespace ringdb::detail

#define RINGDB_ASSERT(condition)                                      \
  do {                                                                \
    if (__builtin_expect(!(condition), 0)) {                          \
      ::ringdb::detail::AssertFailed(#condition, __FILE__, __LINE__); \
    }                                                                 \
  } while (0)

#ifdef NDEBUG
#define RINGDB_DASSERT(condition) \
  do {                            \
    (void)sizeof(condition);      \
  } while (0)
#else
#define RINGDB_DASSERT(condition) RINGDB_ASSERT(condition)
#endif

#ifdef RINGDB_EXPENSIVE_CHECKS
#define RINGDB_EXPENSIVE_CHECK(condition) RINGDB_ASSERT(condition)
#else
#define RINGDB_EXPENSIVE_CHECK(condition) \
  do {                                    \
  } while (0)
#endif

#define RINGDB_UNREACHABLE() ::ringdb::detail::AssertFailed("unreachable", __FILE__, __LINE__)
