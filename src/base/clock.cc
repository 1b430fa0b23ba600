#include "ringdb/base/clock.h"

#include <time.h>

namespace ringdb {
namespace {
int64_t ReadUs(clockid_t clock) {
  timespec ts;
  clock_gettime(clock, &ts);
  return static_cast<int64_t>(ts.tv_sec) * 1000000 + ts.tv_nsec / 1000;
}
}  // namespace

int64_t UnixTimeMs() { return ReadUs(CLOCK_REALTIME) / 1000; }
int64_t UnixTimeUs() { return ReadUs(CLOCK_REALTIME); }
int64_t MonotonicUs() { return ReadUs(CLOCK_MONOTONIC); }

}  // namespace ringdb
