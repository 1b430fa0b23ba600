// Statistics behind INFO, SLOWLOG and LATENCY: the latency histogram, the slowlog, the latency
// monitor and rate tracking.
#include <doctest/doctest.h>

#include <string>
#include <vector>

#include "ringdb/server/stats.h"

using ringdb::server::LatencyHistogram;
using ringdb::server::LatencyMonitor;
using ringdb::server::RateTracker;
using ringdb::server::SlowLog;

TEST_CASE("histogram buckets are exact below 32 microseconds and about 3% wide above") {
  for (uint64_t value = 0; value < 32; value++) {
    size_t bucket = LatencyHistogram::BucketOf(value);
    CHECK(LatencyHistogram::BucketLowest(bucket) == value);
    CHECK(LatencyHistogram::BucketHighest(bucket) == value);
  }
  CHECK(LatencyHistogram::BucketOf(32) == 32);
  CHECK(LatencyHistogram::BucketOf(64) == 64);
  CHECK(LatencyHistogram::BucketLowest(LatencyHistogram::BucketOf(65)) == 64);
  CHECK(LatencyHistogram::BucketHighest(LatencyHistogram::BucketOf(65)) == 65);
  CHECK(LatencyHistogram::BucketLowest(LatencyHistogram::BucketOf(1000)) == 992);
  CHECK(LatencyHistogram::BucketHighest(LatencyHistogram::BucketOf(1000)) == 1007);
  // Buckets tile the whole range: each starts right after the previous one ends, and every
  // value lands in the bucket that covers it.
  for (size_t bucket = 1; bucket < LatencyHistogram::kBuckets; bucket++) {
    CHECK(LatencyHistogram::BucketLowest(bucket) ==
          LatencyHistogram::BucketHighest(bucket - 1) + 1);
  }
  for (uint64_t value :
       {uint64_t{100}, uint64_t{12345}, uint64_t{1} << 20, (uint64_t{1} << 32) - 1}) {
    size_t bucket = LatencyHistogram::BucketOf(value);
    CHECK(LatencyHistogram::BucketLowest(bucket) <= value);
    CHECK(value <= LatencyHistogram::BucketHighest(bucket));
    uint64_t width =
        LatencyHistogram::BucketHighest(bucket) - LatencyHistogram::BucketLowest(bucket) + 1;
    CHECK(width * 32 <= LatencyHistogram::BucketLowest(bucket));
  }
  CHECK(LatencyHistogram::BucketOf(uint64_t{1} << 40) == LatencyHistogram::kBuckets - 1);
}

TEST_CASE("histogram percentiles report the upper bound of the bucket of that rank") {
  LatencyHistogram histogram;
  CHECK(histogram.ValueAtPercentile(50) == 0);
  for (int i = 0; i < 98; i++) histogram.Record(5);
  histogram.Record(1000);
  histogram.Record(100000);
  CHECK(histogram.total() == 100);
  CHECK(histogram.ValueAtPercentile(50) == 5);
  CHECK(histogram.ValueAtPercentile(98) == 5);
  CHECK(histogram.ValueAtPercentile(99) == 1007);
  CHECK(histogram.ValueAtPercentile(99.9) ==
        LatencyHistogram::BucketHighest(LatencyHistogram::BucketOf(100000)));
  CHECK(histogram.ValueAtPercentile(0) == 5);
  CHECK(histogram.CountAtOrBelow(4) == 0);
  CHECK(histogram.CountAtOrBelow(8) == 98);
  CHECK(histogram.CountAtOrBelow(1024) == 99);
  CHECK(histogram.CountAtOrBelow(uint64_t{1} << 20) == 100);
}

TEST_CASE("the slowlog keeps the newest entries first and shortens long arguments") {
  SlowLog slowlog;
  std::vector<std::string_view> short_args = {"GET", "key"};
  slowlog.Add(short_args, 15, 1700000000123, "127.0.0.1:5000", "worker", 128);
  std::string long_value(200, 'v');
  std::vector<std::string> many = {"RPUSH", "list", long_value};
  for (int i = 0; i < 40; i++) many.push_back(std::to_string(i));
  std::vector<std::string_view> many_views(many.begin(), many.end());
  slowlog.Add(many_views, 20, 1700000001000, "127.0.0.1:5001", "", 128);

  REQUIRE(slowlog.entries().size() == 2);
  const auto& newest = slowlog.entries()[0];
  CHECK(newest.id == 1);
  CHECK(newest.time_seconds == 1700000001);
  CHECK(newest.duration_us == 20);
  REQUIRE(newest.args.size() == SlowLog::kArgsMax);
  CHECK(newest.args[2] == std::string(128, 'v') + "... (72 more bytes)");
  CHECK(newest.args.back() == "... (12 more arguments)");
  const auto& oldest = slowlog.entries()[1];
  CHECK(oldest.id == 0);
  CHECK(oldest.args == std::vector<std::string>{"GET", "key"});
  CHECK(oldest.peer_address == "127.0.0.1:5000");
  CHECK(oldest.client_name == "worker");

  // A shorter maximum applies at the next entry; ids keep counting after a reset.
  slowlog.Add(short_args, 1, 1700000002000, "", "", 1);
  CHECK(slowlog.entries().size() == 1);
  slowlog.Reset();
  slowlog.Add(short_args, 1, 1700000002000, "", "", 10);
  CHECK(slowlog.entries()[0].id == 3);
}

TEST_CASE("the latency monitor keeps one sample per second, the worst of it") {
  LatencyMonitor monitor;
  monitor.Add("command", 1000500, 5);
  monitor.Add("command", 1000900, 9);
  monitor.Add("command", 1000950, 2);
  monitor.Add("command", 1002000, 3);
  const auto& event = monitor.events().at("command");
  REQUIRE(event.samples.size() == 2);
  CHECK(event.samples[0].time_seconds == 1000);
  CHECK(event.samples[0].latency_ms == 9);
  CHECK(event.samples[1].latency_ms == 3);
  CHECK(event.max_ms == 9);
  for (int64_t second = 0; second < 200; second++) monitor.Add("fast-command", second * 1000, 1);
  CHECK(monitor.events().at("fast-command").samples.size() == LatencyMonitor::kSamplesMax);
}

TEST_CASE("latency reset removes named events regardless of case, or all of them") {
  LatencyMonitor monitor;
  monitor.Add("command", 1000, 5);
  monitor.Add("fast-command", 1000, 5);
  std::vector<std::string_view> names = {"COMMAND", "nothing"};
  CHECK(monitor.Reset(names) == 1);
  CHECK(monitor.events().size() == 1);
  CHECK(monitor.Reset({}) == 1);
  CHECK(monitor.events().empty());
}

TEST_CASE("a rate tracker averages the rates of its last 16 samples") {
  RateTracker tracker;
  tracker.Sample(1000, 0);
  CHECK(tracker.per_second() == 0);
  // 100 events per 100 ms is 1000 per second, for one of 16 samples.
  tracker.Sample(1100, 100);
  CHECK(tracker.per_second() == doctest::Approx(1000.0 / 16));
  // A sample sooner than 100 ms after the last one is ignored.
  tracker.Sample(1150, 100000);
  CHECK(tracker.per_second() == doctest::Approx(1000.0 / 16));
  for (int i = 2; i <= 16; i++) tracker.Sample(1000 + 100 * i, 100 * static_cast<uint64_t>(i));
  CHECK(tracker.per_second() == doctest::Approx(1000.0));
}
