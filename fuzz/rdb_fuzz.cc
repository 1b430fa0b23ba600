// Fuzz target for whole RDB files through persist::rdb::Reader: the start-up loader's input.
//
// Properties checked besides "no crash":
// - every error is a Status whose message names the byte offset ("offset N: ..."), except the
//   module and pre-GA function refusals, which are kUnsupported and also name the offset;
// - the reader's offset only grows and never passes the input's size;
// - every loaded key re-serializes (DUMP payload, version 11) and decodes to the same value,
//   and its entry's expiry is the record's.
#include <cstddef>
#include <cstdint>
#include <string>
#include <string_view>

#include "check.h"
#include "ringdb/persist/rdb.h"
#include "ringdb/store/encoding_limits.h"
#include "ringdb/store/entry.h"
#include "ringdb/testing/value_text.h"

namespace {

using ringdb::fuzz::Check;
namespace rdb = ringdb::persist::rdb;

// The entry's JSON from its value on (the key and expiry are not part of a DUMP payload).
std::string ValueJson(const ringdb::store::Entry& entry) {
  std::string json = ringdb::testing::EntryJson(entry, false);
  return json.substr(json.find(",\"value\":"));
}

void CheckReloads(const ringdb::store::Entry& entry, const ringdb::store::EncodingLimits& limits) {
  std::string payload = rdb::DumpPayload(entry, 11);
  rdb::PayloadError error;
  ringdb::store::Entry* again = rdb::DecodeDumpPayload(payload, entry.key(), limits, &error);
  Check(again != nullptr);
  Check(ValueJson(*again) == ValueJson(entry));
  ringdb::store::Entry::Release(again);
}

}  // namespace

extern "C" int LLVMFuzzerTestOneInput(const uint8_t* data, size_t size) {
  std::string_view bytes(reinterpret_cast<const char*>(data), size);
  rdb::MemorySource source(bytes);
  ringdb::store::EncodingLimits limits;
  // Small limits reach the conversions with small inputs.
  if (size > 0 && data[size - 1] == 'S') {
    limits.hash_max_listpack_entries = 4;
    limits.zset_max_listpack_entries = 4;
    limits.set_max_intset_entries = 4;
    limits.set_max_listpack_entries = 4;
    limits.list_max_listpack_size = 4;
  }
  rdb::Reader reader(&source, limits);
  ringdb::Status status = reader.ReadHeader();
  uint64_t offset = reader.offset();
  rdb::Record record;
  // Each record consumes at least one byte, so this bounds the loop.
  for (size_t records = 0; status.ok() && records <= size; records++) {
    status = reader.Next(&record);
    Check(reader.offset() >= offset);
    Check(reader.offset() <= size);
    offset = reader.offset();
    if (!status.ok()) break;
    if (record.kind == rdb::Record::Kind::kEnd) return 0;
    if (record.kind == rdb::Record::Kind::kKey) {
      Check(record.entry->expire_at_ms() == record.expire_at_ms);
      CheckReloads(*record.entry, limits);
      ringdb::store::Entry::Release(record.entry);
    }
  }
  if (!status.ok()) Check(status.message().rfind("offset ", 0) == 0);
  return 0;
}
