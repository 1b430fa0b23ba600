// Whole-file loading into a keyspace, the eviction field of loaded keys, and DUMP payload
// decoding (include/ringdb/persist/rdb.h).
#include <condition_variable>
#include <deque>
#include <mutex>
#include <string>
#include <thread>
#include <vector>

#include "rdb_reader_impl.h"
#include "ringdb/base/crc.h"
#include "ringdb/persist/rdb.h"
#include "ringdb/store/keyspace.h"

namespace ringdb::persist::rdb {

namespace {
constexpr uint32_t kLruClockMax = (1u << 24) - 1;
constexpr uint32_t kLfuInitialCount = 5;
}  // namespace

uint32_t EvictionField(const KeyEvictionData& eviction, bool lfu_policy, int64_t now_ms) {
  if (lfu_policy) {
    uint32_t minutes = static_cast<uint32_t>((now_ms / 1000 / 60) & 0xffff);
    uint32_t counter = eviction.lfu_frequency >= 0 ? static_cast<uint32_t>(eviction.lfu_frequency)
                                                   : kLfuInitialCount;
    return minutes << 8 | counter;
  }
  int64_t clock = (now_ms / 1000) & kLruClockMax;
  if (eviction.idle_seconds < 0) return static_cast<uint32_t>(clock);
  // objectSetLRUOrLFU: the clock minus the idle time; an idle time longer than the clock's
  // value wraps into the clock's upper half, as Redis does.
  int64_t stamp = clock - eviction.idle_seconds;
  if (stamp < 0) stamp = (clock + kLruClockMax / 2) % kLruClockMax;
  return static_cast<uint32_t>(stamp);
}

namespace {

// Puts records into a keyspace: LoadFile's second half, on whichever thread inserts.
class KeyspaceSink {
 public:
  KeyspaceSink(uint64_t source_bytes, int64_t now_ms, bool lfu_policy, store::Keyspace* keyspace,
               LoadStats* stats)
      : source_bytes_(source_bytes),
        now_ms_(now_ms),
        lfu_policy_(lfu_policy),
        keyspace_(keyspace),
        stats_(stats) {}

  // Takes the record's entry (stored or released). Sets *end at the file's end.
  Status Apply(Record& record, uint64_t start, bool* end) {
    switch (record.kind) {
      case Record::Kind::kEnd:
        *end = true;
        return Status::Ok();
      case Record::Kind::kAux:
        stats_->aux.emplace_back(std::move(record.aux_key), std::move(record.aux_value));
        return Status::Ok();
      case Record::Kind::kFunction:
        stats_->functions.push_back(std::move(record.function_code));
        return Status::Ok();
      case Record::Kind::kSelectDb:
        current_db_ = record.db_index;
        if (record.db_index >= keyspace_->database_count()) {
          return Status::Corruption(
              "offset " + std::to_string(start) + ": database " + std::to_string(record.db_index) +
              " is out of range (databases " + std::to_string(keyspace_->database_count()) + ")");
        }
        return Status::Ok();
      case Record::Kind::kResizeDb:
        // The hint sizes the table up front (never beyond what the file's bytes could hold).
        if (current_db_ < keyspace_->database_count()) {
          keyspace_->database(current_db_)
              .table()
              .Reserve(std::min<uint64_t>(record.resize_keys, source_bytes_ / 4));
        }
        return Status::Ok();
      case Record::Kind::kKey:
        break;
    }
    store::Entry* entry = record.entry;
    record.entry = nullptr;
    if (record.db_index >= keyspace_->database_count()) {
      store::Entry::Release(entry);
      return Status::Corruption("offset " + std::to_string(start) + ": key in database " +
                                std::to_string(record.db_index) + ", which is out of range");
    }
    if (record.expire_at_ms != store::kNoExpire && record.expire_at_ms < now_ms_) {
      stats_->expired_keys_skipped++;
      store::Entry::Release(entry);
      return Status::Ok();
    }
    store::Table& table = keyspace_->database(record.db_index).table();
    store::Table::Position position;
    if (table.Find(entry->key(), &position) != nullptr) {
      std::string key(entry->key());
      store::Entry::Release(entry);
      return Status::Corruption("offset " + std::to_string(start) + ": duplicate key '" + key +
                                "' in DB " + std::to_string(record.db_index));
    }
    entry->set_lru(EvictionField(record.eviction, lfu_policy_, now_ms_));
    table.Insert(entry, position.hash);
    stats_->keys_loaded++;
    return Status::Ok();
  }

 private:
  uint64_t source_bytes_;
  int64_t now_ms_;
  bool lfu_policy_;
  store::Keyspace* keyspace_;
  LoadStats* stats_;
  int current_db_ = 0;
};

struct Positioned {
  Record record;
  uint64_t start = 0;
};

void ReleaseEntries(std::vector<Positioned>& batch) {
  for (Positioned& item : batch) {
    if (item.record.entry != nullptr) store::Entry::Release(item.record.entry);
    item.record.entry = nullptr;
  }
}

}  // namespace

Status LoadFile(Source* source, const store::EncodingLimits& limits, int64_t now_ms,
                bool lfu_policy, store::Keyspace* keyspace, LoadStats* stats) {
  Reader reader(source, limits);
  RINGDB_RETURN_IF_ERROR(reader.ReadHeader());
  KeyspaceSink sink(source->size(), now_ms, lfu_policy, keyspace, stats);
  Record record;
  while (true) {
    uint64_t start = reader.offset();
    RINGDB_RETURN_IF_ERROR(reader.Next(&record));
    bool end = false;
    RINGDB_RETURN_IF_ERROR(sink.Apply(record, start, &end));
    if (end) {
      stats->empty_keys_skipped = reader.empty_keys_skipped();
      return Status::Ok();
    }
  }
}

Status LoadFileTwoThreads(Source* source, const store::EncodingLimits& limits, int64_t now_ms,
                          bool lfu_policy, store::Keyspace* keyspace, LoadStats* stats) {
  constexpr size_t kBatchRecords = 256;
  constexpr size_t kBatchesMax = 8;
  std::mutex mutex;
  std::condition_variable changed;
  std::deque<std::vector<Positioned>> batches;
  bool producer_done = false;
  bool consumer_stopped = false;
  Status producer_status;
  uint64_t empty_keys_skipped = 0;

  // The decoding thread: reads, decompresses, validates and builds the values.
  std::thread producer([&] {
    Reader reader(source, limits);
    Status status = reader.ReadHeader();
    std::vector<Positioned> batch;
    bool end = false;
    while (status.ok() && !end) {
      Positioned item;
      item.start = reader.offset();
      status = reader.Next(&item.record);
      if (!status.ok()) break;
      end = item.record.kind == Record::Kind::kEnd;
      batch.push_back(std::move(item));
      if (batch.size() < kBatchRecords && !end) continue;
      std::unique_lock<std::mutex> lock(mutex);
      changed.wait(lock, [&] { return batches.size() < kBatchesMax || consumer_stopped; });
      if (consumer_stopped) {
        ReleaseEntries(batch);
        break;
      }
      batches.push_back(std::move(batch));
      batch.clear();
      changed.notify_all();
    }
    ReleaseEntries(batch);
    std::lock_guard<std::mutex> lock(mutex);
    producer_status = status;
    producer_done = true;
    empty_keys_skipped = reader.empty_keys_skipped();
    changed.notify_all();
  });

  // This thread inserts, in file order.
  KeyspaceSink sink(source->size(), now_ms, lfu_policy, keyspace, stats);
  Status status;
  bool end = false;
  while (status.ok() && !end) {
    std::vector<Positioned> batch;
    {
      std::unique_lock<std::mutex> lock(mutex);
      changed.wait(lock, [&] { return !batches.empty() || producer_done; });
      if (batches.empty()) break;  // The producer stopped: its status says why.
      batch = std::move(batches.front());
      batches.pop_front();
      changed.notify_all();
    }
    for (Positioned& item : batch) {
      if (status.ok() && !end) status = sink.Apply(item.record, item.start, &end);
    }
    ReleaseEntries(batch);
  }
  {
    std::lock_guard<std::mutex> lock(mutex);
    consumer_stopped = true;
    changed.notify_all();
  }
  producer.join();
  for (std::vector<Positioned>& batch : batches) ReleaseEntries(batch);
  if (!status.ok()) return status;
  if (!producer_status.ok()) return producer_status;
  if (!end) return Status::Corruption("the file ended before its EOF marker");
  stats->empty_keys_skipped = empty_keys_skipped;
  return Status::Ok();
}

store::Entry* DecodeDumpPayload(std::string_view payload, std::string_view key,
                                const store::EncodingLimits& limits, PayloadError* error,
                                std::string* detail) {
  auto fail = [&](PayloadError kind, std::string why) -> store::Entry* {
    *error = kind;
    if (detail != nullptr) *detail = std::move(why);
    return nullptr;
  };
  *error = PayloadError::kNone;
  // verifyDumpPayload: <value> <u16 le version> <u64 le crc64>.
  if (payload.size() < 10) return fail(PayloadError::kVersionOrChecksum, "payload too short");
  const auto* footer = reinterpret_cast<const uint8_t*>(payload.data() + payload.size() - 10);
  int version = footer[0] | footer[1] << 8;
  if (version > kVersionMax) {
    return fail(PayloadError::kVersionOrChecksum, "version " + std::to_string(version));
  }
  uint64_t stored = 0;
  for (int i = 0; i < 8; i++) stored |= uint64_t{footer[2 + i]} << (8 * i);
  if (Crc64(0, payload.substr(0, payload.size() - 8)) != stored) {
    return fail(PayloadError::kVersionOrChecksum, "wrong checksum");
  }
  // Redis decodes the value from a buffer over the whole payload, footer included, so a value
  // that claims more bytes than it has reads into the footer and still loads; so does this.
  MemorySource source(payload);
  Reader::Impl reader(&source, limits);
  reader.set_version(version);
  uint8_t type;
  store::Entry* entry = nullptr;
  bool empty = false;
  Status status = reader.ReadByte(&type);
  if (status.ok()) status = reader.ReadValue(type, key, store::kNoExpire, &entry, &empty);
  if (!status.ok()) return fail(PayloadError::kBadFormat, status.message());
  if (empty) return fail(PayloadError::kBadFormat, "empty collection");
  return entry;
}

}  // namespace ringdb::persist::rdb
