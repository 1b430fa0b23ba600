// ringdb-rdb: reads an RDB or native snapshot file with the persist codecs and prints or
// rewrites it. The format is told by the file's first bytes.
//
//   ringdb-rdb dump FILE                 one JSON line per key (testing/value_text.h, plus "db",
//                                        "idle" and "freq"), then {"end":...} with the AUX fields
//                                        and functions; an error goes to stderr, exit status 1
//   ringdb-rdb rewrite IN OUT [FORMAT]   loads IN and writes OUT, keeping expiries and eviction
//                                        data. FORMAT: an RDB version (10, the default, or 11),
//                                        or "native" (ringdb's snapshot format), or
//                                        "native:BYTES" (blocks cut at BYTES, for small tests)
//
// The integration tests use it to check the reader against files redis-server wrote and the
// writer against redis-server loading its output; fuzz/README.md uses it to make native seeds.
#include <algorithm>
#include <cstdio>
#include <cstdlib>
#include <cstring>
#include <fstream>
#include <functional>
#include <map>
#include <string>
#include <vector>

#include "ringdb/persist/native.h"
#include "ringdb/persist/rdb.h"
#include "ringdb/store/entry.h"
#include "ringdb/testing/value_text.h"

using namespace ringdb;
using persist::rdb::Record;
namespace native = persist::native;

namespace {

int Fail(const Status& status) {
  std::fprintf(stderr, "ringdb-rdb: %s\n", status.message().c_str());
  return 1;
}

// What a file holds, in either format. Keys are handed to `on_key`, which owns the entry.
struct Contents {
  std::string format = "rdb";
  int version = 0;
  uint64_t empty_keys_skipped = 0;
  std::vector<std::pair<std::string, std::string>> aux;
  std::vector<std::string> functions;
};

using KeyFn =
    std::function<void(int db, store::Entry* entry, const persist::rdb::KeyEvictionData& eviction)>;

Status ReadRdb(persist::rdb::Source* source, Contents* contents, const KeyFn& on_key) {
  persist::rdb::Reader reader(source, store::EncodingLimits());
  RINGDB_RETURN_IF_ERROR(reader.ReadHeader());
  contents->version = reader.version();
  Record record;
  while (true) {
    RINGDB_RETURN_IF_ERROR(reader.Next(&record));
    contents->empty_keys_skipped = reader.empty_keys_skipped();
    switch (record.kind) {
      case Record::Kind::kAux:
        contents->aux.emplace_back(record.aux_key, record.aux_value);
        break;
      case Record::Kind::kFunction:
        contents->functions.push_back(record.function_code);
        break;
      case Record::Kind::kKey:
        on_key(record.db_index, record.entry, record.eviction);
        break;
      case Record::Kind::kEnd:
        return Status::Ok();
      default:
        break;
    }
  }
}

// Blocks one after another on this thread (native::Load is the parallel loader).
Status ReadNative(persist::rdb::Source* source, Contents* contents, const KeyFn& on_key) {
  native::Reader reader(source);
  RINGDB_RETURN_IF_ERROR(reader.Open());
  contents->format = "native";
  contents->version = static_cast<int>(native::kVersion);
  contents->aux = reader.header().aux;
  contents->functions = reader.header().functions;
  while (true) {
    native::RawBlock raw;
    bool end;
    RINGDB_RETURN_IF_ERROR(reader.NextBlock(&raw, &end));
    if (end) return reader.Finish();
    native::DecodedBlock block;
    RINGDB_RETURN_IF_ERROR(native::DecodeBlock(raw, store::EncodingLimits(), &block));
    reader.Accept(block);
    contents->empty_keys_skipped += block.empty_keys_skipped;
    for (native::KeyRecord& key : block.keys) {
      store::Entry* entry = key.entry;
      key.entry = nullptr;
      on_key(key.db, entry, key.eviction);
    }
  }
}

Status ReadAny(const std::string& path, Contents* contents, const KeyFn& on_key) {
  Result<std::unique_ptr<persist::rdb::FileSource>> source = persist::rdb::FileSource::Open(path);
  if (!source.ok()) return source.status();
  char first[8] = {};
  size_t length = std::min<uint64_t>(sizeof(first), (*source)->size());
  RINGDB_RETURN_IF_ERROR((*source)->ReadAt(0, first, length));
  if (native::IsNativeSnapshot(std::string_view(first, length))) {
    return ReadNative(source->get(), contents, on_key);
  }
  return ReadRdb(source->get(), contents, on_key);
}

int Dump(const std::string& path) {
  Contents contents;
  Status status =
      ReadAny(path, &contents,
              [](int db, store::Entry* entry, const persist::rdb::KeyEvictionData& eviction) {
                std::string json = testing::EntryJson(*entry);
                std::printf("{\"db\":%d,\"idle\":%lld,\"freq\":%d,%s\n", db,
                            static_cast<long long>(eviction.idle_seconds), eviction.lfu_frequency,
                            json.c_str() + 1);
                store::Entry::Release(entry);
              });
  if (!status.ok()) return Fail(status);
  std::string aux = "{";
  for (const auto& [key, value] : contents.aux) {
    if (aux.size() > 1) aux += ",";
    testing::AppendJsonString(key, &aux);
    aux += ":";
    testing::AppendJsonString(value, &aux);
  }
  std::string functions = "[";
  for (const std::string& code : contents.functions) {
    if (functions.size() > 1) functions += ",";
    testing::AppendJsonString(code, &functions);
  }
  std::printf(
      "{\"end\":true,\"format\":\"%s\",\"version\":%d,\"empty_keys_skipped\":%llu,\"aux\":%s},"
      "\"functions\":%s]}\n",
      contents.format.c_str(), contents.version,
      static_cast<unsigned long long>(contents.empty_keys_skipped), aux.c_str(), functions.c_str());
  return 0;
}

struct Key {
  store::Entry* entry;
  persist::rdb::KeyEvictionData eviction;
};

template <typename Writer>
void WriteDatabases(std::map<int, std::vector<Key>>& databases, Writer& writer) {
  for (auto& [index, keys] : databases) {
    uint64_t expires = 0;
    for (const Key& key : keys) expires += key.entry->has_expire() ? 1 : 0;
    writer.SelectDb(index, keys.size(), expires);
    for (const Key& key : keys) {
      writer.Key(*key.entry, key.eviction);
      store::Entry::Release(key.entry);
    }
  }
  writer.End();
}

// FORMAT as "native[:BYTES]": the block size, or 0 when FORMAT names an RDB version.
size_t NativeBlockBytes(const std::string& format) {
  if (format.rfind("native", 0) != 0) return 0;
  if (format == "native") return native::kBlockBytesTarget;
  if (format[6] != ':') return 0;
  long bytes = std::atol(format.c_str() + 7);
  return bytes > 0 ? static_cast<size_t>(bytes) : 0;
}

int Rewrite(const std::string& in, const std::string& out, const std::string& format) {
  std::map<int, std::vector<Key>> databases;
  Contents contents;
  Status status =
      ReadAny(in, &contents,
              [&](int db, store::Entry* entry, const persist::rdb::KeyEvictionData& eviction) {
                databases[db].push_back({entry, eviction});
              });
  if (!status.ok()) return Fail(status);
  std::string bytes;
  if (size_t block_bytes = NativeBlockBytes(format); block_bytes > 0) {
    native::WriteOptions options;
    options.block_bytes = block_bytes;
    native::Writer writer(options);
    native::Header header;
    header.aux = contents.aux;
    header.functions = contents.functions;
    writer.Begin(header);
    WriteDatabases(databases, writer);
    writer.TakeBytes(&bytes);
  } else {
    persist::rdb::WriteOptions options;
    options.version = std::atoi(format.c_str());
    persist::rdb::Writer writer(options);
    writer.Begin(contents.aux);
    for (const std::string& code : contents.functions) writer.Function(code);
    WriteDatabases(databases, writer);
    writer.TakeBytes(&bytes);
  }
  std::ofstream file(out, std::ios::binary | std::ios::trunc);
  file.write(bytes.data(), static_cast<std::streamsize>(bytes.size()));
  file.close();
  if (!file) {
    std::fprintf(stderr, "ringdb-rdb: cannot write %s\n", out.c_str());
    return 1;
  }
  return 0;
}

}  // namespace

int main(int argc, char** argv) {
  if (argc == 3 && std::strcmp(argv[1], "dump") == 0) return Dump(argv[2]);
  if ((argc == 4 || argc == 5) && std::strcmp(argv[1], "rewrite") == 0) {
    std::string format = argc == 5 ? argv[4] : std::to_string(persist::rdb::kVersionDefault);
    int version = std::atoi(format.c_str());
    bool rdb_version =
        version >= persist::rdb::kVersionDefault && version <= persist::rdb::kVersionMax;
    if (!rdb_version && NativeBlockBytes(format) == 0) {
      std::fprintf(stderr, "ringdb-rdb: can write RDB versions 10 and 11, or native[:BYTES]\n");
      return 2;
    }
    return Rewrite(argv[2], argv[3], format);
  }
  std::fprintf(stderr,
               "usage: ringdb-rdb dump FILE | ringdb-rdb rewrite IN OUT [10|11|native[:BYTES]]\n");
  return 2;
}
