#include "ringdb/server/stats.h"

#include <bit>

#include "ringdb/base/assert.h"
#include "ringdb/base/strings.h"

namespace ringdb::server {

void RateTracker::Sample(int64_t now_ms, uint64_t total) {
  if (last_ms_ != 0 && now_ms - last_ms_ < kPeriodMs) return;
  if (last_ms_ != 0) {
    double rate =
        static_cast<double>(total - last_total_) * 1000.0 / static_cast<double>(now_ms - last_ms_);
    samples_[static_cast<size_t>(next_)] = rate;
    next_ = (next_ + 1) % kSamples;
  }
  last_ms_ = now_ms;
  last_total_ = total;
}

double RateTracker::per_second() const {
  double sum = 0;
  for (double sample : samples_) sum += sample;
  return sum / kSamples;
}

void SlowLog::Add(std::span<const std::string_view> argv, int64_t duration_us, int64_t now_ms,
                  std::string_view peer_address, std::string_view client_name, size_t max_length) {
  SlowLogEntry entry;
  entry.id = next_id_++;
  entry.time_seconds = now_ms / 1000;
  entry.duration_us = duration_us;
  size_t kept = argv.size() > kArgsMax ? kArgsMax - 1 : argv.size();
  for (size_t i = 0; i < kept; i++) {
    std::string_view arg = argv[i];
    if (arg.size() > kArgBytesMax) {
      entry.args.push_back(std::string(arg.substr(0, kArgBytesMax)) + "... (" +
                           std::to_string(arg.size() - kArgBytesMax) + " more bytes)");
    } else {
      entry.args.emplace_back(arg);
    }
  }
  if (kept < argv.size()) {
    entry.args.push_back("... (" + std::to_string(argv.size() - kept) + " more arguments)");
  }
  entry.peer_address = std::string(peer_address);
  entry.client_name = std::string(client_name);
  entries_.push_front(std::move(entry));
  Trim(max_length);
}

void SlowLog::Trim(size_t max_length) {
  while (entries_.size() > max_length) entries_.pop_back();
}

void LatencyMonitor::Add(std::string_view event, int64_t now_ms, uint32_t latency_ms) {
  auto it = events_.find(event);
  if (it == events_.end()) it = events_.emplace(std::string(event), Event{}).first;
  Event& data = it->second;
  int64_t second = now_ms / 1000;
  if (latency_ms > data.max_ms) data.max_ms = latency_ms;
  // One sample per second: a second sample in the same second keeps the larger latency.
  if (!data.samples.empty() && data.samples.back().time_seconds == second) {
    if (latency_ms > data.samples.back().latency_ms) data.samples.back().latency_ms = latency_ms;
    return;
  }
  data.samples.push_back(Sample{second, latency_ms});
  while (data.samples.size() > kSamplesMax) data.samples.pop_front();
}

size_t LatencyMonitor::Reset(std::span<const std::string_view> events) {
  if (events.empty()) {
    size_t count = events_.size();
    events_.clear();
    return count;
  }
  size_t removed = 0;
  for (std::string_view event : events) {
    for (auto it = events_.begin(); it != events_.end(); ++it) {
      if (EqualsIgnoreCase(it->first, event)) {
        events_.erase(it);
        removed++;
        break;
      }
    }
  }
  return removed;
}

size_t LatencyHistogram::BucketOf(uint64_t value_us) {
  if (value_us > kValueMax) value_us = kValueMax;
  if (value_us < kSubBuckets) return static_cast<size_t>(value_us);
  int shift = std::bit_width(value_us) - 1 - kSubBucketBits;
  uint64_t mantissa = value_us >> shift;  // In [kSubBuckets, 2 * kSubBuckets).
  return static_cast<size_t>(static_cast<uint64_t>(shift) * kSubBuckets + mantissa);
}

uint64_t LatencyHistogram::BucketLowest(size_t bucket) {
  RINGDB_DASSERT(bucket < kBuckets);
  if (bucket < 2 * kSubBuckets) return bucket;
  uint64_t shift = bucket / kSubBuckets - 1;
  uint64_t mantissa = bucket % kSubBuckets + kSubBuckets;
  return mantissa << shift;
}

uint64_t LatencyHistogram::BucketHighest(size_t bucket) {
  if (bucket + 1 == kBuckets) return kValueMax;
  return BucketLowest(bucket + 1) - 1;
}

void LatencyHistogram::Record(uint64_t value_us) {
  counts_[BucketOf(value_us)]++;
  total_++;
}

uint64_t LatencyHistogram::ValueAtPercentile(double percentile) const {
  if (total_ == 0) return 0;
  // The rank of the sample asked for, rounded as HdrHistogram rounds it.
  uint64_t rank = static_cast<uint64_t>(percentile / 100.0 * static_cast<double>(total_) + 0.5);
  if (rank < 1) rank = 1;
  uint64_t seen = 0;
  for (size_t bucket = 0; bucket < kBuckets; bucket++) {
    seen += counts_[bucket];
    if (seen >= rank) return BucketHighest(bucket);
  }
  return kValueMax;
}

uint64_t LatencyHistogram::CountAtOrBelow(uint64_t value_us) const {
  uint64_t count = 0;
  for (size_t bucket = 0; bucket < kBuckets && BucketLowest(bucket) <= value_us; bucket++) {
    count += counts_[bucket];
  }
  return count;
}

void CommandLatencies::Record(const commands::Command* command, int64_t duration_us) {
  std::unique_ptr<LatencyHistogram>& histogram = histograms_[command];
  if (!histogram) histogram = std::make_unique<LatencyHistogram>();
  histogram->Record(duration_us < 0 ? 0 : static_cast<uint64_t>(duration_us));
}

const LatencyHistogram* CommandLatencies::Find(const commands::Command* command) const {
  auto it = histograms_.find(command);
  return it == histograms_.end() ? nullptr : it->second.get();
}

void ErrorStats::Add(std::string_view code) {
  auto it = counts_.find(code);
  if (it != counts_.end()) {
    it->second++;
    return;
  }
  if (counts_.size() >= kCodesMax) return;
  counts_.emplace(std::string(code), 1);
}

}  // namespace ringdb::server
