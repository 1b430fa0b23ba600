// Server statistics behind INFO, SLOWLOG, LATENCY and errorstats.
#pragma once

#include <array>
#include <cstdint>
#include <deque>
#include <map>
#include <span>
#include <string>
#include <string_view>
#include <vector>

namespace ringdb::server {

// An instantaneous rate (ops/sec, bytes/sec) as Redis computes it: the average over the
// last 16 samples taken every 100 ms.
class RateTracker {
 public:
  static constexpr int kSamples = 16;
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
  RateTracker ops;
  RateTracker input_bytes;
  RateTracker output_bytes;
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
  // Removes the named events (all when empty); returns how many were removed.
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
