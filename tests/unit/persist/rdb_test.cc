// The RDB codec: LZF, writer -> reader round trips of every type and encoding, DUMP payloads,
// and the errors of truncated, corrupted and hostile input.
#include <unistd.h>

#include <cstdio>
#include <map>
#include <random>
#include <regex>
#include <string>
#include <vector>

#include <doctest/doctest.h>

#include "every_encoding.h"
#include "ringdb/base/crc.h"
#include "ringdb/persist/lzf.h"
#include "ringdb/persist/rdb.h"
#include "ringdb/store/hash_value.h"
#include "ringdb/store/keyspace.h"
#include "ringdb/store/listpack.h"
#include "ringdb/store/object.h"
#include "ringdb/store/set_value.h"
#include "ringdb/store/zset_value.h"
#include "ringdb/testing/command_runner.h"
#include "ringdb/testing/value_text.h"

namespace ringdb::persist {
namespace {

using testing::CommandRunner;

// A string literal's bytes, NULs included.
template <size_t N>
std::string B(const char (&literal)[N]) {
  return std::string(literal, N - 1);
}

// Version 10 files carry no consumer active time; a loader takes the seen time for it.
std::string WithoutActiveTime(const std::string& json) {
  return std::regex_replace(json, std::regex("\"active_time\":-?[0-9]+,"), "");
}

std::string RandomBytes(std::mt19937_64& rng, size_t size, int alphabet) {
  std::string out(size, '\0');
  for (char& c : out) c = static_cast<char>(rng() % alphabet);
  return out;
}

TEST_CASE("LZF round-trips random, repetitive and binary data") {
  uint64_t seed = 20261130;
  INFO("seed " << seed);
  std::mt19937_64 rng(seed);
  for (size_t size : {0, 1, 5, 21, 100, 4096, 70000}) {
    for (int alphabet : {2, 16, 256}) {
      std::string input = RandomBytes(rng, size, alphabet);
      std::string compressed;
      if (!LzfCompress(input, input.size() + input.size() / 16 + 64, &compressed)) {
        FAIL("incompressible bound too small for size " << size);
      }
      std::string output(input.size(), '\0');
      REQUIRE(LzfDecompress(compressed, output.data(), output.size()));
      CHECK(output == input);
    }
  }
  std::string text(10000, 'a');
  std::string compressed;
  REQUIRE(LzfCompress(text, text.size() - 4, &compressed));
  CHECK(compressed.size() < 200);
  std::string output(text.size(), '\0');
  REQUIRE(LzfDecompress(compressed, output.data(), output.size()));
  CHECK(output == text);
  // Too small an output budget: refused.
  std::string random = RandomBytes(rng, 1000, 256);
  CHECK_FALSE(LzfCompress(random, 500, &compressed));
}

TEST_CASE("LZF decompression refuses malformed input without reading or writing out of bounds") {
  std::string text = "abcabcabcabcabcabcabcabcabcabcabcabc hello hello hello hello";
  std::string compressed;
  REQUIRE(LzfCompress(text, text.size(), &compressed));
  std::string output(text.size(), '\0');
  for (size_t cut = 0; cut < compressed.size(); cut++) {
    CHECK_FALSE(LzfDecompress(compressed.substr(0, cut), output.data(), output.size()));
  }
  CHECK_FALSE(LzfDecompress(compressed, output.data(), output.size() - 1));
  std::string longer(text.size() + 1, '\0');
  CHECK_FALSE(LzfDecompress(compressed, longer.data(), longer.size()));
  // A back reference before the output's start.
  std::string bad = B("\x00"
                      "a") +
                    B("\x20\x05");
  char small[8];
  CHECK_FALSE(LzfDecompress(bad, small, 4));
  // A literal run promising more bytes than exist.
  CHECK_FALSE(LzfDecompress(B("\x1f"
                              "abc"),
                            small, 8));
}

// Every entry of a keyspace as JSON, by database and key.
std::map<std::pair<int, std::string>, std::string> Snapshot(store::Keyspace& keyspace) {
  std::map<std::pair<int, std::string>, std::string> out;
  for (int db = 0; db < keyspace.database_count(); db++) {
    keyspace.database(db).table().ForEach([&](store::Entry* entry) {
      out[{db, std::string(entry->key())}] = testing::EntryJson(*entry);
    });
  }
  return out;
}

std::string WriteKeyspace(store::Keyspace& keyspace, const rdb::WriteOptions& options,
                          bool take_midway) {
  rdb::Writer writer(options);
  std::string file;
  writer.Begin({{"redis-ver", "7.2.0"}, {"redis-bits", "64"}, {"ctime", "1764460800"}});
  writer.Function("#!lua name=lib\nredis.register_function('f', function() return 1 end)");
  for (int db = 0; db < keyspace.database_count(); db++) {
    store::Database& database = keyspace.database(db);
    if (database.size() == 0) continue;
    writer.SelectDb(db, database.size(), database.volatile_size());
    database.table().ForEach([&](store::Entry* entry) {
      writer.Key(*entry);
      if (take_midway) {
        std::string chunk;
        writer.TakeBytes(&chunk);
        file += chunk;
      }
    });
  }
  writer.End();
  CHECK(writer.bytes_total() == file.size() + writer.buffer().size());
  std::string rest;
  writer.TakeBytes(&rest);
  return file + rest;
}

TEST_CASE("every type and encoding survives writer -> reader, in versions 10 and 11") {
  CommandRunner runner;
  Populate(runner);
  auto original = Snapshot(runner.keyspace());
  REQUIRE(original.size() > 25);
  // The populated encodings are the ones meant.
  CHECK(original[{0, "l:quicklist"}].find("\"quicklist\"") != std::string::npos);
  CHECK(original[{0, "set:hashtable"}].find("\"hashtable\"") != std::string::npos);
  CHECK(original[{0, "z:skiplist"}].find("\"skiplist\"") != std::string::npos);
  CHECK(original[{0, "h:hashtable"}].find("\"hashtable\"") != std::string::npos);

  for (int version : {10, 11}) {
    for (bool compress : {true, false}) {
      for (bool take_midway : {false, true}) {
        CAPTURE(version);
        CAPTURE(compress);
        CAPTURE(take_midway);
        rdb::WriteOptions options;
        options.version = version;
        options.compress = compress;
        std::string file = WriteKeyspace(runner.keyspace(), options, take_midway);
        char magic[10];
        std::snprintf(magic, sizeof(magic), "REDIS%04d", version);
        CHECK(file.substr(0, 9) == magic);
        store::Keyspace loaded(16, 1);
        rdb::MemorySource source(file);
        rdb::LoadStats stats;
        Status status = rdb::LoadFile(&source, commands::EncodingLimits(), runner.now_ms(), false,
                                      &loaded, &stats);
        REQUIRE_MESSAGE(status.ok(), status.message());
        CHECK(stats.keys_loaded == original.size());
        CHECK(stats.functions.size() == 1);
        REQUIRE(stats.aux.size() == 3);
        CHECK(stats.aux[1] == std::pair<std::string, std::string>("redis-bits", "64"));
        auto reloaded = Snapshot(loaded);
        for (const auto& item : original) {
          const auto& key = item.first;
          const std::string& json = item.second;
          CAPTURE(key.second);
          if (version == 10) {
            CHECK(WithoutActiveTime(reloaded[key]) == WithoutActiveTime(json));
          } else {
            CHECK(reloaded[key] == json);
          }
        }
        CHECK(reloaded.size() == original.size());
      }
    }
  }
}

TEST_CASE("a file read through FileSource with pread equals the one in memory") {
  CommandRunner runner;
  Populate(runner);
  std::string file = WriteKeyspace(runner.keyspace(), rdb::WriteOptions(), false);
  char path[] = "/tmp/ringdb-rdb-test-XXXXXX";
  int fd = mkstemp(path);
  REQUIRE(fd >= 0);
  REQUIRE(write(fd, file.data(), file.size()) == static_cast<ssize_t>(file.size()));
  close(fd);
  Result<std::unique_ptr<rdb::FileSource>> source = rdb::FileSource::Open(path);
  REQUIRE(source.ok());
  store::Keyspace loaded(16, 1);
  rdb::LoadStats stats;
  Status status = rdb::LoadFile(source->get(), commands::EncodingLimits(), runner.now_ms(), false,
                                &loaded, &stats);
  unlink(path);
  REQUIRE_MESSAGE(status.ok(), status.message());
  auto expected = Snapshot(runner.keyspace());
  auto actual = Snapshot(loaded);
  REQUIRE(actual.size() == expected.size());
  for (const auto& [key, json] : expected) {
    CHECK(WithoutActiveTime(actual[key]) == WithoutActiveTime(json));
  }
}

TEST_CASE("the reader walks records one at a time and tracks its offset") {
  CommandRunner runner;
  runner.Run({"SET", "a", "1"});
  runner.Run({"SET", "b", "2", "PX", "5000"});
  rdb::Writer writer(rdb::WriteOptions{});
  writer.Begin({{"redis-ver", "7.0.15"}});
  writer.SelectDb(2, 2, 1);
  rdb::KeyEvictionData idle;
  idle.idle_seconds = 77;
  writer.Key(*runner.keyspace().database(0).Peek("a", runner.now_ms()), idle);
  rdb::KeyEvictionData frequency;
  frequency.lfu_frequency = 9;
  writer.Key(*runner.keyspace().database(0).Peek("b", runner.now_ms()), frequency);
  writer.End();
  std::string file = writer.buffer();
  rdb::MemorySource source(file);
  rdb::Reader reader(&source, commands::EncodingLimits());
  REQUIRE(reader.ReadHeader().ok());
  CHECK(reader.version() == 10);
  rdb::Record record;
  std::vector<rdb::Record::Kind> kinds;
  uint64_t last_offset = 0;
  while (true) {
    REQUIRE(reader.Next(&record).ok());
    CHECK(reader.offset() > last_offset);
    last_offset = reader.offset();
    kinds.push_back(record.kind);
    if (record.kind == rdb::Record::Kind::kKey) {
      CHECK(record.db_index == 2);
      if (record.entry->key() == "a") {
        CHECK(record.eviction.idle_seconds == 77);
        CHECK(record.expire_at_ms == store::kNoExpire);
      } else {
        CHECK(record.eviction.lfu_frequency == 9);
        CHECK(record.expire_at_ms == runner.now_ms() + 5000);
        CHECK(record.entry->expire_at_ms() == runner.now_ms() + 5000);
      }
      store::Entry::Release(record.entry);
    }
    if (record.kind == rdb::Record::Kind::kEnd) break;
  }
  CHECK(last_offset == file.size());
  using K = rdb::Record::Kind;
  CHECK(kinds == std::vector<K>{K::kAux, K::kSelectDb, K::kResizeDb, K::kKey, K::kKey, K::kEnd});
}

TEST_CASE("eviction data is what Redis writes per policy, and loads back to the same field") {
  const int64_t now_ms = 1795000000000;
  const uint32_t clock = static_cast<uint32_t>((now_ms / 1000) & 0xffffff);
  rdb::KeyEvictionData none = rdb::EvictionDataOf(clock, rdb::EvictionPolicyKind::kNone, now_ms, 1);
  CHECK(none.idle_seconds == -1);
  CHECK(none.lfu_frequency == -1);
  rdb::KeyEvictionData lru =
      rdb::EvictionDataOf(clock - 300, rdb::EvictionPolicyKind::kLru, now_ms, 1);
  CHECK(lru.idle_seconds == 300);
  CHECK(lru.lfu_frequency == -1);
  CHECK(rdb::EvictionField(lru, false, now_ms) == clock - 300);
  // A stamp "after" the clock wrapped around the 24-bit clock.
  CHECK(rdb::EvictionDataOf(0xfffff0, rdb::EvictionPolicyKind::kLru, 0x10 * 1000, 1).idle_seconds ==
        0x10 + (0xffffff - 0xfffff0));
  const uint32_t minutes = static_cast<uint32_t>((now_ms / 60000) & 0xffff);
  rdb::KeyEvictionData lfu =
      rdb::EvictionDataOf((minutes - 10) << 8 | 40, rdb::EvictionPolicyKind::kLfu, now_ms, 2);
  CHECK(lfu.lfu_frequency == 35);  // 10 minutes at one step per 2 minutes.
  CHECK(lfu.idle_seconds == -1);
  CHECK(rdb::EvictionField(lfu, true, now_ms) == (minutes << 8 | 35));
  CHECK(rdb::EvictionDataOf((minutes - 10) << 8 | 3, rdb::EvictionPolicyKind::kLfu, now_ms, 1)
            .lfu_frequency == 0);
  CHECK(rdb::EvictionDataOf(minutes << 8 | 3, rdb::EvictionPolicyKind::kLfu, now_ms, 0)
            .lfu_frequency == 3);
  // No FREQ in the file: the new-object counter.
  CHECK(rdb::EvictionField(rdb::KeyEvictionData(), true, now_ms) == (minutes << 8 | 5));
  CHECK(rdb::EvictionField(rdb::KeyEvictionData(), false, now_ms) == clock);
}

TEST_CASE("every truncation and a flipped checksum are errors naming an offset") {
  CommandRunner runner;
  Populate(runner);
  std::string file = WriteKeyspace(runner.keyspace(), rdb::WriteOptions(), false);
  // Every cut of a smaller file, and a sample of the big one.
  for (size_t cut = 0; cut < file.size(); cut += (cut < 2000 ? 1 : 997)) {
    store::Keyspace loaded(16, 1);
    rdb::MemorySource source(std::string_view(file).substr(0, cut));
    rdb::LoadStats stats;
    Status status =
        rdb::LoadFile(&source, commands::EncodingLimits(), runner.now_ms(), false, &loaded, &stats);
    REQUIRE_FALSE(status.ok());
    CHECK(status.message().rfind("offset ", 0) == 0);
  }
  std::string bad_crc = file;
  bad_crc[bad_crc.size() - 3] ^= 1;
  store::Keyspace loaded(16, 1);
  rdb::MemorySource source(bad_crc);
  rdb::LoadStats stats;
  Status status =
      rdb::LoadFile(&source, commands::EncodingLimits(), runner.now_ms(), false, &loaded, &stats);
  REQUIRE_FALSE(status.ok());
  CHECK(status.message().find("wrong RDB checksum") != std::string::npos);

  rdb::WriteOptions unchecked;
  unchecked.checksum = false;
  std::string no_crc = WriteKeyspace(runner.keyspace(), unchecked, false);
  CHECK(no_crc.substr(no_crc.size() - 8) == std::string(8, '\0'));
  store::Keyspace loaded2(16, 1);
  rdb::MemorySource source2(no_crc);
  CHECK(
      rdb::LoadFile(&source2, commands::EncodingLimits(), runner.now_ms(), false, &loaded2, &stats)
          .ok());
}

// A file with the given body after the header and a correct trailer.
std::string FileWith(std::string_view body, int version = 10) {
  char magic[10];
  std::snprintf(magic, sizeof(magic), "REDIS%04d", version);
  std::string file = std::string(magic) + std::string(body) + "\xff";
  uint64_t crc = Crc64(0, file);
  for (int i = 0; i < 8; i++) file.push_back(static_cast<char>(crc >> (8 * i)));
  return file;
}

Status LoadBytes(const std::string& file, store::Keyspace* keyspace, int64_t now_ms = 0) {
  rdb::MemorySource source(file);
  rdb::LoadStats stats;
  return rdb::LoadFile(&source, commands::EncodingLimits(), now_ms, false, keyspace, &stats);
}

TEST_CASE("hostile values are refused with a reason") {
  struct Case {
    const char* name;
    std::string body;
    const char* message;
  };
  std::vector<Case> cases = {
      {"duplicate set member",
       B("\x02\x01k\x02\x01"
         "a\x01"
         "a"),
       "duplicate set member"},
      {"duplicate hash field",
       B("\x04\x01k\x02\x01"
         "f\x01v\x01"
         "f\x01w"),
       "duplicate hash field"},
      {"duplicate zset member",
       B("\x03\x01k\x02\x01m\x01"
         "1\x01m\x01"
         "2"),
       "duplicate sorted set member"},
      {"NaN score", B("\x03\x01k\x01\x01m\xfd"), "NaN"},
      {"huge count", B("\x02\x01k\x80\x7f\xff\xff\xff"), "exceeds"},
      {"huge string", B("\x00\x01k\x80\x7f\xff\xff\xff"), "runs past the end"},
      {"bad LZF",
       B("\x00\x01k\xc3\x03\x10\x1f"
         "ab"),
       "invalid LZF"},
      {"LZF length beyond any expansion",
       B("\x00\x01k\xc3\x01\x80\x7f\xff\xff\xff"
         "a"),
       "declares"},
      {"invalid intset", B("\x0b\x01k\x09\x03\x00\x00\x00\x00\x00\x00\x00\x00"),
       "intset is invalid"},
      {"invalid listpack", B("\x10\x01k\x07\x07\x00\x00\x00\x01\x00\xff"), "listpack is invalid"},
      {"unknown type", B("\x08\x01k\x00"), "unknown value type 8"},
      {"unknown length form", B("\x00\x01k\x82"), "unknown length encoding"},
  };
  for (const Case& c : cases) {
    CAPTURE(c.name);
    store::Keyspace keyspace(16, 1);
    Status status = LoadBytes(FileWith(c.body), &keyspace);
    REQUIRE_FALSE(status.ok());
    CHECK(status.message().rfind("offset ", 0) == 0);
    CHECK_MESSAGE(status.message().find(c.message) != std::string::npos, status.message());
  }
}

// A value record of `type` whose value is the listpack of `elements`.
std::string ListpackRecord(uint8_t type, std::initializer_list<std::string_view> elements) {
  store::Listpack listpack;
  for (std::string_view element : elements) listpack.Append(element);
  std::string record = std::string(1, static_cast<char>(type)) + B("\x01k");
  std::string_view blob = listpack.bytes();
  REQUIRE(blob.size() < 64);
  record.push_back(static_cast<char>(blob.size()));
  record += blob;
  return record;
}

TEST_CASE("listpack blobs are adopted byte for byte, and refused when they break the rules") {
  CommandRunner runner;
  runner.Run({"HSET", "h", "f", "v", "n", "12"});
  runner.Run({"ZADD", "z", "1", "a", "1", "b", "2.5", "c"});
  runner.Run({"SADD", "s", "x", "y", "7"});
  rdb::WriteOptions v11;
  v11.version = 11;
  std::string file = WriteKeyspace(runner.keyspace(), v11, false);
  store::Keyspace loaded(16, 1);
  rdb::MemorySource source(file);
  rdb::LoadStats stats;
  REQUIRE(rdb::LoadFile(&source, commands::EncodingLimits(), 0, false, &loaded, &stats).ok());
  auto object = [](store::Keyspace& keyspace, std::string_view key) {
    return keyspace.database(0).Peek(key, 0)->object();
  };
  CHECK(static_cast<const store::HashValue*>(object(loaded, "h"))->listpack().bytes() ==
        static_cast<const store::HashValue*>(object(runner.keyspace(), "h"))->listpack().bytes());
  CHECK(static_cast<const store::ZsetValue*>(object(loaded, "z"))->listpack().bytes() ==
        static_cast<const store::ZsetValue*>(object(runner.keyspace(), "z"))->listpack().bytes());
  CHECK(static_cast<const store::SetValue*>(object(loaded, "s"))->listpack().bytes() ==
        static_cast<const store::SetValue*>(object(runner.keyspace(), "s"))->listpack().bytes());

  struct Case {
    const char* name;
    std::string body;
    const char* message;
  };
  std::vector<Case> cases = {
      {"hash odd", ListpackRecord(rdb::kTypeHashListpack, {"f", "v", "g"}), "odd number"},
      {"hash duplicate", ListpackRecord(rdb::kTypeHashListpack, {"f", "v", "f", "w"}),
       "duplicate element"},
      {"hash integer duplicate", ListpackRecord(rdb::kTypeHashListpack, {"12", "v", "12", "w"}),
       "duplicate element"},
      {"zset unsorted", ListpackRecord(rdb::kTypeZsetListpack, {"a", "2", "b", "1"}), "not sorted"},
      {"zset tie unsorted", ListpackRecord(rdb::kTypeZsetListpack, {"b", "1", "a", "1"}),
       "not sorted"},
      {"zset duplicate", ListpackRecord(rdb::kTypeZsetListpack, {"a", "1", "a", "2"}),
       "duplicate element"},
      {"zset nan", ListpackRecord(rdb::kTypeZsetListpack, {"a", "nan"}), "not a number"},
      {"zset text", ListpackRecord(rdb::kTypeZsetListpack, {"a", "x1"}), "not a number"},
      {"set duplicate", ListpackRecord(rdb::kTypeSetListpack, {"a", "b", "a"}),
       "duplicate element"},
  };
  for (const Case& c : cases) {
    CAPTURE(c.name);
    store::Keyspace keyspace(16, 1);
    Status status = LoadBytes(FileWith(c.body, 11), &keyspace);
    REQUIRE_FALSE(status.ok());
    CHECK(status.message().rfind("offset 12: ", 0) ==
          0);  // The blob, after "REDIS0011", type and key.
    CHECK_MESSAGE(status.message().find(c.message) != std::string::npos, status.message());
  }
}

TEST_CASE("modules and pre-GA functions are refused by name") {
  // Module id: name "mymodule1" in 9 six-bit characters, encoding version 3.
  const std::string charset = "ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789-_";
  uint64_t id = 0;
  for (char c : std::string("mymodule1")) id = id << 6 | charset.find(c);
  id = id << 10 | 3;
  std::string body = B("\x07\x01k\x81");
  for (int i = 7; i >= 0; i--) body.push_back(static_cast<char>(id >> (8 * i)));
  store::Keyspace keyspace(16, 1);
  Status status = LoadBytes(FileWith(body), &keyspace);
  CHECK(status.code() == Status::Code::kUnsupported);
  CHECK(status.message().find("module type 'mymodule1' (encoding version 3)") != std::string::npos);
  body[0] = static_cast<char>(rdb::kOpModuleAux);
  body.erase(1, 2);
  status = LoadBytes(FileWith(body), &keyspace);
  CHECK(status.code() == Status::Code::kUnsupported);
  CHECK(status.message().find("auxiliary data of module type 'mymodule1'") != std::string::npos);
  status = LoadBytes(FileWith("\xf6"), &keyspace);
  CHECK(status.code() == Status::Code::kUnsupported);
  CHECK(status.message().find("pre-GA") != std::string::npos);
}

TEST_CASE("duplicate keys are an error, expired keys are skipped, empty keys are skipped") {
  store::Keyspace keyspace(16, 1);
  Status status = LoadBytes(FileWith(B("\x00\x01k\x01v\x00\x01k\x01w")), &keyspace);
  REQUIRE_FALSE(status.ok());
  CHECK(status.message().find("duplicate key 'k' in DB 0") != std::string::npos);

  store::Keyspace keyspace2(16, 1);
  std::string expired = "\xfc";
  for (int i = 0; i < 8; i++) expired.push_back(static_cast<char>(i == 0 ? 100 : 0));
  expired +=
      B("\x00\x01k\x01v\x00\x01j\x01w\x02\x01"
        "e\x00");
  std::string expired_file = FileWith(expired);
  rdb::MemorySource source(expired_file);
  rdb::LoadStats stats;
  REQUIRE(rdb::LoadFile(&source, commands::EncodingLimits(), 1000, false, &keyspace2, &stats).ok());
  CHECK(stats.keys_loaded == 1);
  CHECK(stats.expired_keys_skipped == 1);
  CHECK(stats.empty_keys_skipped == 1);
  CHECK(keyspace2.database(0).Peek("j", 1000) != nullptr);
  CHECK(keyspace2.database(0).Peek("k", 1000) == nullptr);

  store::Keyspace keyspace3(2, 1);
  status = LoadBytes(FileWith(B("\xfe\x05\x00\x01k\x01v")), &keyspace3);
  REQUIRE_FALSE(status.ok());
  CHECK(status.message().find("database 5 is out of range") != std::string::npos);
}

TEST_CASE("loading converts to the encodings the limits call for") {
  CommandRunner runner;
  std::vector<std::string> push = {"HSET", "h"};
  for (int i = 0; i < 20; i++) {
    push.push_back("f" + std::to_string(i));
    push.push_back("v");
  }
  runner.Run(push);
  std::string file = WriteKeyspace(runner.keyspace(), rdb::WriteOptions(), false);
  commands::EncodingLimits small;
  small.hash_max_listpack_entries = 10;
  store::Keyspace keyspace(16, 1);
  rdb::MemorySource source(file);
  rdb::LoadStats stats;
  REQUIRE(rdb::LoadFile(&source, small, 0, false, &keyspace, &stats).ok());
  const store::Entry* entry = keyspace.database(0).Peek("h", 0);
  REQUIRE(entry != nullptr);
  CHECK(entry->ObjectEncoding() == store::Encoding::kHashtable);
  CHECK(testing::EntryJson(*entry, false) ==
        testing::EntryJson(*runner.keyspace().database(0).Peek("h", 0), false));
}

TEST_CASE("DUMP payloads round-trip and bad ones are told apart as RESTORE replies them") {
  CommandRunner runner;
  Populate(runner);
  runner.keyspace().database(0).table().ForEach([&](store::Entry* entry) {
    std::string payload = rdb::DumpPayload(*entry);
    CAPTURE(entry->key());
    rdb::PayloadError error;
    std::string detail;
    store::Entry* decoded =
        rdb::DecodeDumpPayload(payload, entry->key(), commands::EncodingLimits(), &error, &detail);
    REQUIRE_MESSAGE(decoded != nullptr, detail);
    CHECK(testing::EntryJson(*decoded, true).substr(0, 20) ==
          testing::EntryJson(*entry, true).substr(0, 20));
    // Expiry is RESTORE's business: compare the values.
    std::string a = testing::EntryJson(*decoded);
    std::string b = testing::EntryJson(*entry);
    a = a.substr(a.find(",\"value\""));
    b = b.substr(b.find(",\"value\""));
    CHECK(WithoutActiveTime(a) == WithoutActiveTime(b));
    store::Entry::Release(decoded);
  });

  runner.Run({"SADD", "set", "a", "b"});
  std::string payload = rdb::DumpPayload(*runner.keyspace().database(0).Peek("set", 0));
  CHECK(static_cast<uint8_t>(payload[payload.size() - 10]) == 10);
  rdb::PayloadError error;
  for (size_t cut = 0; cut < payload.size(); cut++) {
    CHECK(rdb::DecodeDumpPayload(payload.substr(0, cut), "k", commands::EncodingLimits(), &error) ==
          nullptr);
    CHECK(error == rdb::PayloadError::kVersionOrChecksum);
  }
  std::string flipped = payload;
  flipped[1] ^= 4;
  CHECK(rdb::DecodeDumpPayload(flipped, "k", commands::EncodingLimits(), &error) == nullptr);
  CHECK(error == rdb::PayloadError::kVersionOrChecksum);

  auto with_footer = [](std::string body, int version) {
    body.push_back(static_cast<char>(version));
    body.push_back(0);
    uint64_t crc = Crc64(0, body);
    for (int i = 0; i < 8; i++) body.push_back(static_cast<char>(crc >> (8 * i)));
    return body;
  };
  CHECK(rdb::DecodeDumpPayload(with_footer(B("\x00\x01v"), 12), "k", commands::EncodingLimits(),
                               &error) == nullptr);
  CHECK(error == rdb::PayloadError::kVersionOrChecksum);
  store::Entry* old = rdb::DecodeDumpPayload(with_footer(B("\x00\x01v"), 6), "k",
                                             commands::EncodingLimits(), &error);
  REQUIRE(old != nullptr);
  CHECK(old->value() == "v");
  store::Entry::Release(old);
  std::string detail;
  CHECK(rdb::DecodeDumpPayload(with_footer(B("\x02\x00"), 10), "k", commands::EncodingLimits(),
                               &error, &detail) == nullptr);
  CHECK(error == rdb::PayloadError::kBadFormat);
  CHECK(detail == "empty collection");
  CHECK(rdb::DecodeDumpPayload(with_footer(B("\x02\x02\x01"
                                             "a\x01"
                                             "a"),
                                           10),
                               "k", commands::EncodingLimits(), &error, &detail) == nullptr);
  CHECK(error == rdb::PayloadError::kBadFormat);
  CHECK(detail.find("duplicate set member") != std::string::npos);
}

TEST_CASE("loading on two threads gives what LoadFile gives, data and errors alike") {
  CommandRunner runner;
  Populate(runner);
  // Enough keys for many batches between the two threads.
  for (int i = 0; i < 5000; i++) {
    runner.Run({"SET", "bulk:" + std::to_string(i), std::string(30 + i % 50, 'v')});
  }
  auto original = Snapshot(runner.keyspace());
  std::string file = WriteKeyspace(runner.keyspace(), rdb::WriteOptions(), false);
  auto load = [&](const std::string& bytes, bool two_threads, store::Keyspace* keyspace,
                  rdb::LoadStats* stats) {
    rdb::MemorySource source(bytes);
    return two_threads ? rdb::LoadFileTwoThreads(&source, commands::EncodingLimits(),
                                                 runner.now_ms(), false, keyspace, stats)
                       : rdb::LoadFile(&source, commands::EncodingLimits(), runner.now_ms(), false,
                                       keyspace, stats);
  };
  store::Keyspace one(16, 1);
  store::Keyspace two(16, 1);
  rdb::LoadStats stats_one;
  rdb::LoadStats stats_two;
  REQUIRE(load(file, false, &one, &stats_one).ok());
  REQUIRE(load(file, true, &two, &stats_two).ok());
  // (Version 10 drops a consumer's active time, so the original is compared elsewhere.)
  auto loaded_two = Snapshot(two);
  CHECK(loaded_two.size() == original.size());
  CHECK(loaded_two == Snapshot(one));
  CHECK(stats_two.keys_loaded == stats_one.keys_loaded);
  CHECK(stats_two.aux == stats_one.aux);
  CHECK(stats_two.functions == stats_one.functions);
  // Errors: the same message for truncations, a flipped byte and a duplicate key.
  for (size_t cut : {size_t{5}, size_t{100}, file.size() / 3, file.size() / 2, file.size() - 1}) {
    store::Keyspace a(16, 1);
    store::Keyspace b(16, 1);
    rdb::LoadStats sa;
    rdb::LoadStats sb;
    Status first = load(file.substr(0, cut), false, &a, &sa);
    Status second = load(file.substr(0, cut), true, &b, &sb);
    REQUIRE_FALSE(second.ok());
    CHECK(second.message() == first.message());
  }
  std::string duplicate = FileWith(B("\x00\x01k\x01v\x00\x01k\x01w"));
  store::Keyspace d(16, 1);
  rdb::LoadStats sd;
  Status status = load(duplicate, true, &d, &sd);
  REQUIRE_FALSE(status.ok());
  CHECK(status.message().find("duplicate key 'k' in DB 0") != std::string::npos);
}

}  // namespace
}  // namespace ringdb::persist
