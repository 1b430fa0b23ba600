// Server statistics behind INFO, SLOWLOG, LATENCY and errorstats.
#pragma once

#include <array>
#include <cstdint>
#include <deque>
#include <map>
#include <memory>
#include <span>
#include <string>
#include <string_view>
#include <unordered_map>
#include <vector>

namespace ringdb::commands {
struct Command;
}  // namespace ringdb::commands

namespace ringdb::server {

// An instantaneous rate (ops/sec, bytes/sec) as Redis computes it: the average over the
// last 16 samples taken every 100 ms.
class RateTracker {
 public:
  static constexpr int kSamples = 16;
  static constexpr int64_t kPeriodMs = 100;
  // Records the rate since the last sample. Calls sooner than kPeriodMs after it are ignored,
  // so the window stays 1.6 s whatever the timer frequency (hz) is.
  void Sample(int64_t now_ms, uint64_t total);
  double per_second() const;

 private:
  std::array<double, kSamples> samples_{};
  int next_ = 0;
  int64_t last_ms_ = 0;
  uint64_t last_total_ = 0;
};

struct ServerStats {
  uint64_t total_connections_received = 0;
  uint64_t total_commands_processed = 0;
  uint64_t total_net_input_bytes = 0;
  uint64_t total_net_output_bytes = 0;
  uint64_t rejected_connections = 0;
  uint64_t total_reads_processed = 0;
  uint64_t total_writes_processed = 0;
  uint64_t client_query_buffer_limit_disconnections = 0;
  uint64_t client_output_buffer_limit_disconnections = 0;
  uint64_t total_error_replies = 0;
  uint64_t unexpected_error_replies = 0;
  uint64_t evicted_keys = 0;
  uint64_t expired_time_cap_reached_count = 0;
  uint64_t peak_memory_bytes = 0;
  // Time spent inside command handlers (INFO's eventloop_duration_cmd_sum).
  uint64_t command_time_us = 0;
  RateTracker ops;
  RateTracker input_bytes;
  RateTracker output_bytes;
  RateTracker loop_cycles;

  // CONFIG RESETSTAT.
  void Reset() { *this = ServerStats{}; }
};

// The latencies of one command in microseconds, for INFO latencystats and LATENCY HISTOGRAM.
// Log-linear buckets in the manner of HdrHistogram: one bucket per microsecond below 32 µs, then
// 32 buckets per power of two (each about 3% wide) up to 2^32 µs; larger values count in the
// last bucket. Fixed size, so recording never allocates.
class LatencyHistogram {
 public:
  static constexpr int kSubBucketBits = 5;
  static constexpr uint64_t kSubBuckets = uint64_t{1} << kSubBucketBits;
  static constexpr uint64_t kValueMax = (uint64_t{1} << 32) - 1;
  static constexpr size_t kBuckets = kSubBuckets * (32 - kSubBucketBits + 1);

  void Record(uint64_t value_us);
  uint64_t total() const { return total_; }
  // The upper bound of the bucket holding the sample at `percentile` (0..100), the value HDR's
  // value_at_percentile reports; 0 when empty.
  uint64_t ValueAtPercentile(double percentile) const;
  // Samples in buckets that start at or below `value_us`.
  uint64_t CountAtOrBelow(uint64_t value_us) const;

  static size_t BucketOf(uint64_t value_us);
  static uint64_t BucketLowest(size_t bucket);
  static uint64_t BucketHighest(size_t bucket);

 private:
  std::array<uint64_t, kBuckets> counts_{};
  uint64_t total_ = 0;
};
static_assert(LatencyHistogram::kBuckets == 896);

// A histogram per command that has run since start-up or the last CONFIG RESETSTAT. Keyed by
// the command table's entries, which live as long as the server.
class CommandLatencies {
 public:
  void Record(const commands::Command* command, int64_t duration_us);
  // nullptr when the command has not run.
  const LatencyHistogram* Find(const commands::Command* command) const;
  void Reset() { histograms_.clear(); }

 private:
  std::unordered_map<const commands::Command*, std::unique_ptr<LatencyHistogram>> histograms_;
};

struct SlowLogEntry {
  uint64_t id;
  int64_t time_seconds;
  int64_t duration_us;
  std::vector<std::string> args;
  std::string peer_address;
  std::string client_name;
};

// SLOWLOG: the slowest recent commands, newest first, at most max_length of them.
class SlowLog {
 public:
  // Redis's SLOWLOG_ENTRY_MAX_ARGC and SLOWLOG_ENTRY_MAX_STRING.
  static constexpr size_t kArgsMax = 32;
  static constexpr size_t kArgBytesMax = 128;

  void Add(std::span<const std::string_view> argv, int64_t duration_us, int64_t now_ms,
           std::string_view peer_address, std::string_view client_name, size_t max_length);
  void Trim(size_t max_length);
  void Reset() { entries_.clear(); }
  const std::deque<SlowLogEntry>& entries() const { return entries_; }

 private:
  std::deque<SlowLogEntry> entries_;
  uint64_t next_id_ = 0;
};

// LATENCY: per event, the latest samples (at most 160, one per second) and the maximum.
class LatencyMonitor {
 public:
  static constexpr size_t kSamplesMax = 160;
  struct Sample {
    int64_t time_seconds;
    uint32_t latency_ms;
  };
  struct Event {
    std::deque<Sample> samples;
    uint32_t max_ms = 0;
  };

  void Add(std::string_view event, int64_t now_ms, uint32_t latency_ms);
  // Removes the named events, compared without case (all when empty); returns how many were
  // removed.
  size_t Reset(std::span<const std::string_view> events);
  const std::map<std::string, Event, std::less<>>& events() const { return events_; }

 private:
  std::map<std::string, Event, std::less<>> events_;
};

// errorstats: replies per error code ("ERR", "WRONGTYPE").
class ErrorStats {
 public:
  // Redis stops adding codes past 128 distinct ones, so a client cannot grow this map.
  static constexpr size_t kCodesMax = 128;
  void Add(std::string_view code);
  void Reset() { counts_.clear(); }
  const std::map<std::string, uint64_t, std::less<>>& counts() const { return counts_; }

 private:
  std::map<std::string, uint64_t, std::less<>> counts_;
};

}  // namespace ringdb::server
