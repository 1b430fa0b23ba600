// Clocks. Unix time is what expiry deadlines are written in; monotonic time measures durations.
#pragma once

#include <cstdint>

namespace ringdb {

int64_t UnixTimeMs();
int64_t UnixTimeUs();
int64_t MonotonicUs();
inline int64_t MonotonicMs() { return MonotonicUs() / 1000; }

}  // namespace ringdb
