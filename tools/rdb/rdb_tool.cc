// ringdb-rdb: reads an RDB file with the persist codec and prints or rewrites it.
//
//   ringdb-rdb dump FILE                 one JSON line per key (testing/value_text.h, plus "db",
//                                        "idle" and "freq"), then {"end":...} with the AUX fields
//                                        and functions; an error goes to stderr, exit status 1
//   ringdb-rdb rewrite IN OUT [VERSION]  loads IN and writes OUT with the writer (version 10 by
//                                        default), keeping expiries and eviction data
//
// The integration tests use it to check the reader against files redis-server wrote and the
// writer against redis-server loading its output.
#include <cstdio>
#include <cstdlib>
#include <cstring>
#include <fstream>
#include <map>
#include <string>
#include <vector>

#include "ringdb/persist/rdb.h"
#include "ringdb/store/entry.h"
#include "ringdb/testing/value_text.h"

using namespace ringdb;
using persist::rdb::Record;

namespace {

int Fail(const Status& status) {
  std::fprintf(stderr, "ringdb-rdb: %s\n", status.message().c_str());
  return 1;
}

// Calls fn(record) for every record; returns the first error.
template <typename Fn>
Status ReadAll(const std::string& path, Fn&& fn) {
  Result<std::unique_ptr<persist::rdb::FileSource>> source = persist::rdb::FileSource::Open(path);
  if (!source.ok()) return source.status();
  persist::rdb::Reader reader(source->get(), store::EncodingLimits());
  RINGDB_RETURN_IF_ERROR(reader.ReadHeader());
  Record record;
  while (true) {
    RINGDB_RETURN_IF_ERROR(reader.Next(&record));
    fn(reader, record);
    if (record.kind == Record::Kind::kEnd) return Status::Ok();
  }
}

int Dump(const std::string& path) {
  std::string aux = "{";
  std::string functions = "[";
  int version = 0;
  uint64_t skipped = 0;
  Status status = ReadAll(path, [&](const persist::rdb::Reader& reader, Record& record) {
    version = reader.version();
    skipped = reader.empty_keys_skipped();
    switch (record.kind) {
      case Record::Kind::kAux:
        if (aux.size() > 1) aux += ",";
        testing::AppendJsonString(record.aux_key, &aux);
        aux += ":";
        testing::AppendJsonString(record.aux_value, &aux);
        break;
      case Record::Kind::kFunction:
        if (functions.size() > 1) functions += ",";
        testing::AppendJsonString(record.function_code, &functions);
        break;
      case Record::Kind::kKey: {
        std::string json = testing::EntryJson(*record.entry);
        std::printf("{\"db\":%d,\"idle\":%lld,\"freq\":%d,%s\n", record.db_index,
                    static_cast<long long>(record.eviction.idle_seconds),
                    record.eviction.lfu_frequency, json.c_str() + 1);
        store::Entry::Release(record.entry);
        break;
      }
      default:
        break;
    }
  });
  if (!status.ok()) return Fail(status);
  std::printf(
      "{\"end\":true,\"version\":%d,\"empty_keys_skipped\":%llu,\"aux\":%s},\"functions\":%s]}\n",
      version, static_cast<unsigned long long>(skipped), aux.c_str(), functions.c_str());
  return 0;
}

int Rewrite(const std::string& in, const std::string& out, int version) {
  struct Key {
    store::Entry* entry;
    persist::rdb::KeyEvictionData eviction;
  };
  std::map<int, std::vector<Key>> databases;
  std::vector<std::pair<std::string, std::string>> aux;
  std::vector<std::string> functions;
  Status status = ReadAll(in, [&](const persist::rdb::Reader&, Record& record) {
    if (record.kind == Record::Kind::kAux) aux.emplace_back(record.aux_key, record.aux_value);
    if (record.kind == Record::Kind::kFunction) functions.push_back(record.function_code);
    if (record.kind == Record::Kind::kKey) {
      databases[record.db_index].push_back({record.entry, record.eviction});
    }
  });
  if (!status.ok()) return Fail(status);
  persist::rdb::WriteOptions options;
  options.version = version;
  persist::rdb::Writer writer(options);
  writer.Begin(aux);
  for (const std::string& code : functions) writer.Function(code);
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
  std::ofstream file(out, std::ios::binary | std::ios::trunc);
  file.write(writer.buffer().data(), static_cast<std::streamsize>(writer.buffer().size()));
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
    int version = argc == 5 ? std::atoi(argv[4]) : persist::rdb::kVersionDefault;
    if (version < persist::rdb::kVersionDefault || version > persist::rdb::kVersionMax) {
      std::fprintf(stderr, "ringdb-rdb: can write versions 10 and 11\n");
      return 2;
    }
    return Rewrite(argv[2], argv[3], version);
  }
  std::fprintf(stderr, "usage: ringdb-rdb dump FILE | ringdb-rdb rewrite IN OUT [VERSION]\n");
  return 2;
}
