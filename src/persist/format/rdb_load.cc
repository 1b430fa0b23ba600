// Whole-file loading into a keyspace, the eviction field of loaded keys, and DUMP payload
// decoding (include/ringdb/persist/rdb.h).
#include <string>

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

Status LoadFile(Source* source, const store::EncodingLimits& limits, int64_t now_ms,
                bool lfu_policy, store::Keyspace* keyspace, LoadStats* stats) {
  Reader reader(source, limits);
  RINGDB_RETURN_IF_ERROR(reader.ReadHeader());
  Record record;
  int current_db = 0;
  while (true) {
    uint64_t start = reader.offset();
    RINGDB_RETURN_IF_ERROR(reader.Next(&record));
    switch (record.kind) {
      case Record::Kind::kEnd:
        stats->empty_keys_skipped = reader.empty_keys_skipped();
        return Status::Ok();
      case Record::Kind::kAux:
        stats->aux.emplace_back(std::move(record.aux_key), std::move(record.aux_value));
        continue;
      case Record::Kind::kFunction:
        stats->functions.push_back(std::move(record.function_code));
        continue;
      case Record::Kind::kSelectDb:
        current_db = record.db_index;
        if (record.db_index >= keyspace->database_count()) {
          return Status::Corruption(
              "offset " + std::to_string(start) + ": database " + std::to_string(record.db_index) +
              " is out of range (databases " + std::to_string(keyspace->database_count()) + ")");
        }
        continue;
      case Record::Kind::kResizeDb:
        // The hint sizes the table up front (never beyond what the file's bytes could hold).
        if (current_db < keyspace->database_count()) {
          keyspace->database(current_db)
              .table()
              .Reserve(std::min<uint64_t>(record.resize_keys, source->size() / 4));
        }
        continue;
      case Record::Kind::kKey:
        break;
    }
    store::Entry* entry = record.entry;
    if (record.db_index >= keyspace->database_count()) {
      store::Entry::Release(entry);
      return Status::Corruption("offset " + std::to_string(start) + ": key in database " +
                                std::to_string(record.db_index) + ", which is out of range");
    }
    if (record.expire_at_ms != store::kNoExpire && record.expire_at_ms < now_ms) {
      stats->expired_keys_skipped++;
      store::Entry::Release(entry);
      continue;
    }
    store::Table& table = keyspace->database(record.db_index).table();
    store::Table::Position position;
    if (table.Find(entry->key(), &position) != nullptr) {
      std::string key(entry->key());
      store::Entry::Release(entry);
      return Status::Corruption("offset " + std::to_string(start) + ": duplicate key '" + key +
                                "' in DB " + std::to_string(record.db_index));
    }
    entry->set_lru(EvictionField(record.eviction, lfu_policy, now_ms));
    table.Insert(entry, position.hash);
    stats->keys_loaded++;
  }
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
