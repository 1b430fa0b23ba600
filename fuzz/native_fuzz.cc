// Fuzz target for whole native snapshot files through persist::native::Load: the start-up
// loader's input with `snapshot-format native`.
//
// Properties checked besides "no crash":
// - every error is a kCorruption Status whose message names the byte offset ("offset N: ...");
// - loading with 1 and with 2 decoder threads gives the same status and the same keyspace;
// - a file that loads re-serializes (native::Writer) into a file that loads to the same
//   keyspace, and whose blocks and counts the reader accepts.
// Every input is checked twice: as given, and with its header, block and whole-file CRC32Cs
// recomputed, so mutations reach the decoders behind the checksums.
#include <cstddef>
#include <cstdint>
#include <map>
#include <string>
#include <string_view>
#include <utility>

#include "check.h"
#include "ringdb/base/crc.h"
#include "ringdb/persist/native.h"
#include "ringdb/persist/rdb.h"
#include "ringdb/store/encoding_limits.h"
#include "ringdb/store/keyspace.h"
#include "ringdb/testing/value_text.h"

namespace {

using ringdb::fuzz::Check;
namespace native = ringdb::persist::native;
namespace rdb = ringdb::persist::rdb;

constexpr int kDatabases = 16;

using KeyspaceJson = std::map<std::pair<int, std::string>, std::string>;

// `with_encoding`: a reload may pick another encoding for the same value (the writer's forms
// are not always the input's), so the rewrite is compared by value.
KeyspaceJson JsonOf(ringdb::store::Keyspace& keyspace, bool with_encoding = true) {
  KeyspaceJson out;
  for (int db = 0; db < keyspace.database_count(); db++) {
    keyspace.database(db).table().ForEach([&](ringdb::store::Entry* entry) {
      out[{db, std::string(entry->key())}] = ringdb::testing::EntryJson(*entry, with_encoding);
    });
  }
  return out;
}

ringdb::Status LoadBytes(std::string_view bytes, const ringdb::store::EncodingLimits& limits,
                         int threads, ringdb::store::Keyspace* keyspace, rdb::LoadStats* stats) {
  rdb::MemorySource source(bytes);
  // now_ms 0: no key counts as expired, so every key is compared.
  return native::Load(&source, limits, 0, false, keyspace, stats, threads);
}

std::string Rewrite(ringdb::store::Keyspace& keyspace, const rdb::LoadStats& stats) {
  native::Writer writer;
  native::Header header;
  header.aux = stats.aux;
  header.functions = stats.functions;
  writer.Begin(header);
  for (int db = 0; db < keyspace.database_count(); db++) {
    ringdb::store::Database& database = keyspace.database(db);
    if (database.size() == 0) continue;
    writer.SelectDb(db);
    database.table().ForEach([&](ringdb::store::Entry* entry) { writer.Key(*entry); });
  }
  writer.End();
  return writer.buffer();
}

uint64_t GetLe(std::string_view bytes, size_t at, int width) {
  uint64_t value = 0;
  for (int i = 0; i < width; i++) value |= uint64_t{static_cast<uint8_t>(bytes[at + i])} << (8 * i);
  return value;
}

void PutU32(std::string* bytes, size_t at, uint32_t value) {
  for (int i = 0; i < 4; i++) (*bytes)[at + i] = static_cast<char>(value >> (8 * i));
}

// The input with every CRC32C that its framing lets us find recomputed.
std::string Resealed(std::string bytes) {
  if (bytes.size() < 16 + 12) return bytes;
  uint64_t header_bytes = GetLe(bytes, 12, 4);
  if (header_bytes < 8 || header_bytes > bytes.size()) return bytes;
  PutU32(&bytes, header_bytes - 4,
         ringdb::Crc32c(std::string_view(bytes).substr(0, header_bytes - 4)));
  uint64_t trailer = GetLe(bytes, bytes.size() - 12, 8);
  uint64_t end = trailer <= bytes.size() ? trailer : bytes.size();
  for (uint64_t at = header_bytes; at + native::kBlockHeaderBytes <= end;) {
    uint64_t stored = GetLe(bytes, at + 8, 8);
    if (stored > end - at - native::kBlockHeaderBytes) break;
    uint32_t crc = ringdb::Crc32c(std::string_view(bytes).substr(at, 36));
    crc = ringdb::Crc32cExtend(
        crc, std::string_view(bytes).substr(at + native::kBlockHeaderBytes, stored));
    PutU32(&bytes, at + 36, crc);
    at += native::kBlockHeaderBytes + stored;
  }
  PutU32(&bytes, bytes.size() - 4,
         ringdb::Crc32c(std::string_view(bytes).substr(0, bytes.size() - 4)));
  return bytes;
}

void CheckInput(std::string_view bytes, const ringdb::store::EncodingLimits& limits);

}  // namespace

extern "C" int LLVMFuzzerTestOneInput(const uint8_t* data, size_t size) {
  std::string_view bytes(reinterpret_cast<const char*>(data), size);
  ringdb::store::EncodingLimits limits;
  // Small limits reach the conversions with small inputs.
  if (size > 0 && data[size - 1] == 'S') {
    limits.hash_max_listpack_entries = 4;
    limits.zset_max_listpack_entries = 4;
    limits.set_max_intset_entries = 4;
    limits.set_max_listpack_entries = 4;
    limits.list_max_listpack_size = 4;
  }
  CheckInput(bytes, limits);
  std::string resealed = Resealed(std::string(bytes));
  if (resealed != bytes) CheckInput(resealed, limits);
  return 0;
}

namespace {

void CheckInput(std::string_view bytes, const ringdb::store::EncodingLimits& limits) {
  ringdb::store::Keyspace one(kDatabases, 1);
  rdb::LoadStats stats;
  ringdb::Status status = LoadBytes(bytes, limits, 1, &one, &stats);
  ringdb::store::Keyspace two(kDatabases, 1);
  rdb::LoadStats stats_two;
  ringdb::Status status_two = LoadBytes(bytes, limits, 2, &two, &stats_two);
  Check(status.ok() == status_two.ok());
  Check(status.message() == status_two.message());
  KeyspaceJson json = JsonOf(one);
  Check(json == JsonOf(two));
  if (!status.ok()) {
    Check(status.code() == ringdb::Status::Code::kCorruption);
    Check(status.message().rfind("offset ", 0) == 0);
    return;
  }
  std::string again = Rewrite(one, stats);
  ringdb::store::Keyspace reloaded(kDatabases, 1);
  rdb::LoadStats stats_again;
  ringdb::Status status_again = LoadBytes(again, limits, 1, &reloaded, &stats_again);
  Check(status_again.ok());
  Check(stats_again.keys_loaded == stats.keys_loaded);
  Check(stats_again.aux == stats.aux);
  Check(stats_again.functions == stats.functions);
  Check(JsonOf(reloaded, false) == JsonOf(one, false));
}

}  // namespace
