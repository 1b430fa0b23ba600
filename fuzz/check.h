// Check: the fuzz targets' assertion. It aborts (libFuzzer records the input as a crash) in
// every build type, where RINGDB_ASSERT might not.
#pragma once

#include <cstdlib>

namespace ringdb::fuzz {

inline void Check(bool condition) {
  if (!condition) std::abort();
}

}  // namespace ringdb::fuzz
