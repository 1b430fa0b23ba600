// Fuzz target for DUMP payloads through RESTORE's decoder (persist::rdb::DecodeDumpPayload).
//
// Input: the payload. The checksum would stop nearly every mutation at the door, so the
// target also decodes the payload with its footer recomputed (version byte kept, CRC-64 fixed)
// whenever the input is at least 10 bytes: that reaches the value decoders.
//
// Properties checked besides "no crash":
// - a payload shorter than 10 bytes, with a version above 11 or a wrong CRC is a version or
//   checksum error, never a value;
// - a decoded value re-serializes (DUMP, version 10 and 11) to payloads that decode to the same
//   value (version 11 exactly; version 10 has no consumer active time, so only that may
//   differ there, and the payload must still decode).
#include <cstddef>
#include <cstdint>
#include <string>
#include <string_view>

#include "check.h"
#include "ringdb/base/crc.h"
#include "ringdb/persist/rdb.h"
#include "ringdb/store/encoding_limits.h"
#include "ringdb/store/entry.h"
#include "ringdb/testing/value_text.h"

namespace {

using ringdb::fuzz::Check;
namespace rdb = ringdb::persist::rdb;

void Decode(std::string_view payload, bool checksum_fixed) {
  ringdb::store::EncodingLimits limits;
  rdb::PayloadError error;
  ringdb::store::Entry* entry = rdb::DecodeDumpPayload(payload, "key", limits, &error);
  if (entry == nullptr) {
    Check(error != rdb::PayloadError::kNone);
    if (payload.size() < 10) Check(error == rdb::PayloadError::kVersionOrChecksum);
    if (checksum_fixed && payload.size() >= 10 &&
        static_cast<uint8_t>(payload[payload.size() - 9]) == 0 &&
        static_cast<uint8_t>(payload[payload.size() - 10]) <= rdb::kVersionMax) {
      Check(error == rdb::PayloadError::kBadFormat);
    }
    return;
  }
  std::string json = ringdb::testing::EntryJson(*entry, false);
  for (int version : {10, 11}) {
    std::string again = rdb::DumpPayload(*entry, version);
    ringdb::store::Entry* reloaded = rdb::DecodeDumpPayload(again, "key", limits, &error);
    Check(reloaded != nullptr);
    std::string reloaded_json = ringdb::testing::EntryJson(*reloaded, false);
    // Version 10 has no consumer active time: the loader takes the seen time for it.
    if (version == 11) Check(reloaded_json == json);
    ringdb::store::Entry::Release(reloaded);
  }
  ringdb::store::Entry::Release(entry);
}

}  // namespace

extern "C" int LLVMFuzzerTestOneInput(const uint8_t* data, size_t size) {
  std::string_view payload(reinterpret_cast<const char*>(data), size);
  Decode(payload, false);
  if (size >= 10) {
    std::string fixed(payload);
    uint64_t crc = ringdb::Crc64(0, std::string_view(fixed).substr(0, size - 8));
    for (int i = 0; i < 8; i++) fixed[size - 8 + i] = static_cast<char>(crc >> (8 * i));
    Decode(fixed, true);
  }
  return 0;
}
