// The native snapshot format: writer -> loader round trips of every type and encoding, block
// cutting (many blocks, huge values in blocks of their own), damage isolated to a block and
// reported with its offset and the keys around it, every truncation, hostile lengths, 1 vs 4
// loading threads, and a measured load-time comparison with RDB (logged, not asserted).
#include <unistd.h>

#include <chrono>
#include <cstdio>
#include <cstring>
#include <map>
#include <string>
#include <vector>

#include <doctest/doctest.h>

#include "every_encoding.h"
#include "ringdb/base/crc.h"
#include "ringdb/persist/native.h"
#include "ringdb/persist/rdb.h"
#include "ringdb/store/keyspace.h"
#include "ringdb/testing/command_runner.h"
#include "ringdb/testing/value_text.h"

namespace ringdb::persist {
namespace {

using testing::CommandRunner;

std::map<std::pair<int, std::string>, std::string> JsonOf(store::Keyspace& keyspace) {
  std::map<std::pair<int, std::string>, std::string> out;
  for (int db = 0; db < keyspace.database_count(); db++) {
    keyspace.database(db).table().ForEach([&](store::Entry* entry) {
      out[{db, std::string(entry->key())}] = testing::EntryJson(*entry);
    });
  }
  return out;
}

native::Header TestHeader() {
  native::Header header;
  header.creation_time_ms = 1764460800123;
  header.aux = {{"redis-ver", "7.2.0"}, {"redis-bits", "64"}, {"ringdb-ver", "0.1"}};
  header.functions = {"#!lua name=lib\nredis.register_function('f', function() return 1 end)"};
  return header;
}

// The keyspace through the native writer; with `take_midway`, bytes are taken after each key
// (as the snapshot engine takes them after each chunk).
std::string WriteNative(store::Keyspace& keyspace, const native::WriteOptions& options,
                        bool take_midway = false,
                        rdb::EvictionPolicyKind policy = rdb::EvictionPolicyKind::kNone,
                        int64_t now_ms = 0) {
  native::Writer writer(options);
  writer.Begin(TestHeader());
  std::string file;
  for (int db = 0; db < keyspace.database_count(); db++) {
    store::Database& database = keyspace.database(db);
    if (database.size() == 0) continue;
    writer.SelectDb(db, database.size(), database.volatile_size());
    database.table().ForEach([&](store::Entry* entry) {
      writer.Key(*entry, rdb::EvictionDataOf(entry->lru(), policy, now_ms, 1));
      if (take_midway) {
        std::string piece;
        writer.TakeBytes(&piece);
        file += piece;
      }
    });
  }
  writer.End();
  std::string rest;
  writer.TakeBytes(&rest);
  file += rest;
  CHECK(writer.bytes_total() == file.size());
  return file;
}

Status LoadNative(const std::string& file, store::Keyspace* keyspace, int64_t now_ms = 0,
                  int threads = 1, rdb::LoadStats* stats_out = nullptr,
                  const store::EncodingLimits& limits = commands::EncodingLimits(),
                  bool lfu = false) {
  rdb::MemorySource source(file);
  rdb::LoadStats stats;
  Status status = native::Load(&source, limits, now_ms, lfu, keyspace, &stats, threads);
  if (stats_out != nullptr) *stats_out = stats;
  return status;
}

// A block as the reader frames it, with its first and last key.
struct BlockView {
  uint64_t offset = 0;
  uint64_t bytes = 0;
  uint32_t entries = 0;
  uint64_t raw_bytes = 0;
  std::string first_key;
  std::string last_key;
};

std::vector<BlockView> Blocks(const std::string& file) {
  rdb::MemorySource source(file);
  native::Reader reader(&source);
  REQUIRE(reader.Open().ok());
  std::vector<BlockView> blocks;
  while (true) {
    native::RawBlock raw;
    bool end;
    REQUIRE(reader.NextBlock(&raw, &end).ok());
    if (end) break;
    native::DecodedBlock decoded;
    Status status = native::DecodeBlock(raw, commands::EncodingLimits(), &decoded);
    REQUIRE_MESSAGE(status.ok(), status.message());
    reader.Accept(decoded);
    BlockView view;
    view.offset = raw.offset;
    view.bytes = raw.bytes.size();
    view.entries = decoded.entry_count;
    uint64_t raw_bytes = 0;
    for (int i = 0; i < 8; i++) {
      raw_bytes |= uint64_t{static_cast<uint8_t>(raw.bytes[16 + i])} << (8 * i);
    }
    view.raw_bytes = raw_bytes;
    REQUIRE(!decoded.keys.empty());
    view.first_key = std::string(decoded.keys.front().entry->key());
    view.last_key = std::string(decoded.keys.back().entry->key());
    blocks.push_back(view);
  }
  Status finish = reader.Finish();
  REQUIRE_MESSAGE(finish.ok(), finish.message());
  return blocks;
}

// Fills db 0 with `count` small string keys "key:<i>".
void FillSmallKeys(store::Keyspace& keyspace, int count, int db = 0) {
  for (int i = 0; i < count; i++) {
    std::string key = "key:" + std::to_string(i);
    std::string value = "value-" + std::to_string(int64_t{i} * 7919);
    keyspace.database(db).Put(store::Entry::New(key, value, store::ValueType::kString,
                                                store::Encoding::kEmbstr, store::kNoExpire));
  }
}

// Rewrites the CRC of the block at `offset`, and the whole-file CRC, after an edit, so a test
// reaches the checks behind them.
void Reseal(std::string* file, uint64_t block_offset) {
  uint64_t stored = 0;
  for (int i = 0; i < 8; i++) {
    stored |= uint64_t{static_cast<uint8_t>((*file)[block_offset + 8 + i])} << (8 * i);
  }
  uint32_t crc = Crc32c(std::string_view(*file).substr(block_offset, 36));
  crc = Crc32cExtend(crc, std::string_view(*file).substr(block_offset + 40, stored));
  for (int i = 0; i < 4; i++) (*file)[block_offset + 36 + i] = static_cast<char>(crc >> (8 * i));
  uint32_t whole = Crc32c(std::string_view(*file).substr(0, file->size() - 4));
  for (int i = 0; i < 4; i++) {
    (*file)[file->size() - 4 + i] = static_cast<char>(whole >> (8 * i));
  }
}

void PutU64At(std::string* file, uint64_t offset, uint64_t value) {
  for (int i = 0; i < 8; i++) (*file)[offset + i] = static_cast<char>(value >> (8 * i));
}

TEST_CASE("every type and encoding survives the native writer and loader") {
  CommandRunner runner;
  Populate(runner);
  auto original = JsonOf(runner.keyspace());
  REQUIRE(original.size() > 25);
  CHECK(original[{0, "l:quicklist"}].find("\"quicklist\"") != std::string::npos);
  CHECK(original[{0, "h:hashtable"}].find("\"hashtable\"") != std::string::npos);
  for (bool compress : {true, false}) {
    for (size_t block_bytes : {size_t{64 * 1024}, size_t{512}}) {
      for (bool take_midway : {false, true}) {
        for (int threads : {1, 4}) {
          CAPTURE(compress);
          CAPTURE(block_bytes);
          CAPTURE(take_midway);
          CAPTURE(threads);
          native::WriteOptions options;
          options.compress = compress;
          options.block_bytes = block_bytes;
          std::string file = WriteNative(runner.keyspace(), options, take_midway);
          CHECK(native::IsNativeSnapshot(file));
          store::Keyspace loaded(16, 1);
          rdb::LoadStats stats;
          Status status = LoadNative(file, &loaded, runner.now_ms(), threads, &stats);
          REQUIRE_MESSAGE(status.ok(), status.message());
          CHECK(stats.keys_loaded == original.size());
          CHECK(stats.aux == TestHeader().aux);
          CHECK(stats.functions == TestHeader().functions);
          // x:empty (a stream with no entries) is a key too: streams are never "empty keys".
          CHECK(stats.empty_keys_skipped == 0);
          CHECK(JsonOf(loaded) == original);
        }
      }
    }
  }
}

TEST_CASE("a native file is told from an RDB file by its first bytes") {
  CommandRunner runner;
  runner.Run({"SET", "a", "1"});
  std::string file = WriteNative(runner.keyspace(), native::WriteOptions());
  CHECK(native::IsNativeSnapshot(file.substr(0, 8)));
  CHECK_FALSE(native::IsNativeSnapshot(file.substr(0, 7)));
  rdb::Writer writer(rdb::WriteOptions{});
  writer.Begin({});
  writer.End();
  CHECK_FALSE(native::IsNativeSnapshot(writer.buffer()));
  // And the RDB reader refuses a native file with its own words.
  rdb::MemorySource source(file);
  rdb::Reader reader(&source, commands::EncodingLimits());
  CHECK(reader.ReadHeader().message().find("wrong signature") != std::string::npos);
  // The header carries the creation time.
  rdb::MemorySource native_source(file);
  native::Reader native_reader(&native_source);
  REQUIRE(native_reader.Open().ok());
  CHECK(native_reader.header().creation_time_ms == TestHeader().creation_time_ms);
}

TEST_CASE("expiry, eviction data, expired keys, duplicates and database range load as RDB's do") {
  CommandRunner runner;
  runner.Run({"SET", "lasting", "v", "PX", "100000"});
  runner.Run({"SET", "soon", "v", "PX", "10"});
  runner.Run({"SET", "plain", "v"});
  const int64_t now_ms = runner.now_ms();
  store::Entry* plain = runner.keyspace().database(0).Peek("plain", now_ms);
  plain->set_lru(static_cast<uint32_t>((now_ms / 1000 - 300) & 0xffffff));
  std::string lru_file = WriteNative(runner.keyspace(), native::WriteOptions(), false,
                                     rdb::EvictionPolicyKind::kLru, now_ms);
  store::Keyspace loaded(16, 1);
  rdb::LoadStats stats;
  Status status = LoadNative(lru_file, &loaded, now_ms + 100, 1, &stats);
  REQUIRE_MESSAGE(status.ok(), status.message());
  CHECK(stats.keys_loaded == 2);
  CHECK(stats.expired_keys_skipped == 1);
  CHECK(loaded.database(0).Peek("soon", now_ms) == nullptr);
  REQUIRE(loaded.database(0).Peek("lasting", now_ms) != nullptr);
  CHECK(loaded.database(0).Peek("lasting", now_ms)->expire_at_ms() == now_ms + 100000);
  // 300 s idle at the save, loaded 100 ms later: the same stamp.
  REQUIRE(loaded.database(0).Peek("plain", now_ms) != nullptr);
  CHECK(loaded.database(0).Peek("plain", now_ms)->lru() == plain->lru());

  // LFU: the counter travels.
  plain->set_lru(static_cast<uint32_t>(((now_ms / 60000) & 0xffff) << 8 | 42));
  std::string lfu_file = WriteNative(runner.keyspace(), native::WriteOptions(), false,
                                     rdb::EvictionPolicyKind::kLfu, now_ms);
  store::Keyspace lfu_loaded(16, 1);
  REQUIRE(
      LoadNative(lfu_file, &lfu_loaded, now_ms, 1, nullptr, commands::EncodingLimits(), true).ok());
  CHECK((lfu_loaded.database(0).Peek("plain", now_ms)->lru() & 0xff) == 42);

  // A key twice in one database (two writes of it), and a database the keyspace lacks.
  native::Writer writer;
  writer.Begin(TestHeader());
  writer.SelectDb(0);
  writer.Key(*plain);
  writer.Key(*plain);
  writer.End();
  store::Keyspace twice(16, 1);
  status = LoadNative(writer.buffer(), &twice, now_ms);
  REQUIRE_FALSE(status.ok());
  CHECK(status.message().find("duplicate key 'plain' in DB 0") != std::string::npos);
  native::Writer far(native::WriteOptions{});
  far.Begin(TestHeader());
  far.SelectDb(5);
  far.Key(*plain);
  far.End();
  store::Keyspace small(2, 1);
  status = LoadNative(far.buffer(), &small, now_ms);
  REQUIRE_FALSE(status.ok());
  CHECK(status.message().find("database 5, which is out of range") != std::string::npos);
}

TEST_CASE("blocks are cut at about 64 KiB and many of them load back in order") {
  store::Keyspace keyspace(16, 1);
  FillSmallKeys(keyspace, 20000);
  FillSmallKeys(keyspace, 3000, 7);
  std::string file = WriteNative(keyspace, native::WriteOptions());
  std::vector<BlockView> blocks = Blocks(file);
  REQUIRE(blocks.size() >= 8);
  uint64_t entries = 0;
  for (size_t i = 0; i < blocks.size(); i++) {
    entries += blocks[i].entries;
    // Small entries: every block but the last reaches the target, by less than one entry.
    if (i + 1 < blocks.size()) {
      CHECK(blocks[i].raw_bytes >= native::kBlockBytesTarget);
      CHECK(blocks[i].raw_bytes < native::kBlockBytesTarget + 64);
    }
    // The entries compress.
    CHECK(blocks[i].bytes < blocks[i].raw_bytes);
  }
  CHECK(entries == 23000);
  store::Keyspace loaded(16, 1);
  Status status = LoadNative(file, &loaded, 0, 2);
  REQUIRE_MESSAGE(status.ok(), status.message());
  CHECK(JsonOf(loaded) == JsonOf(keyspace));
}

TEST_CASE("a huge value is a block of its own and round-trips") {
  CommandRunner runner;
  runner.Run({"SET", "a:before", "small"});
  std::string huge(100 << 20, '\0');
  uint64_t state = 88172645463325252ULL;
  for (size_t i = 0; i < huge.size(); i += 8) {
    state ^= state << 13;
    state ^= state >> 7;
    state ^= state << 17;
    // Half the bytes random, half repeated: lz4 has something to do.
    uint64_t word = (i / 8) % 2 == 0 ? state : 0x6161616161616161ULL;
    std::memcpy(&huge[i], &word, 8);
  }
  runner.Run({"SET", "huge", huge});
  std::vector<std::string> push = {"RPUSH", "biglist"};
  for (int i = 0; i < 200000; i++) push.push_back("element-" + std::to_string(i));
  runner.Run(push);
  for (int i = 0; i < 50; i++) runner.Run({"SET", "z:after" + std::to_string(i), "small"});
  std::string file = WriteNative(runner.keyspace(), native::WriteOptions(), true);
  std::vector<BlockView> blocks = Blocks(file);
  bool huge_alone = false;
  bool list_alone = false;
  for (const BlockView& block : blocks) {
    if (block.first_key == "huge") {
      huge_alone = block.entries == 1;
      CHECK(block.raw_bytes > huge.size());
      CHECK(block.raw_bytes < huge.size() + 64);
    }
    if (block.first_key == "biglist") list_alone = block.entries == 1;
  }
  CHECK(huge_alone);
  CHECK(list_alone);
  store::Keyspace loaded(16, 1);
  Status status = LoadNative(file, &loaded, runner.now_ms(), 2);
  REQUIRE_MESSAGE(status.ok(), status.message());
  REQUIRE(loaded.database(0).Peek("huge", runner.now_ms()) != nullptr);
  CHECK(loaded.database(0).Peek("huge", runner.now_ms())->value() == huge);
  CHECK(JsonOf(loaded) == JsonOf(runner.keyspace()));
}

TEST_CASE("every truncation of a small file is an error naming an offset") {
  CommandRunner runner;
  runner.Run({"SET", "a", "1"});
  runner.Run({"RPUSH", "l", "x", "y"});
  runner.Run({"HSET", "h", "f", "v"});
  native::WriteOptions options;
  options.block_bytes = 16;  // Several blocks.
  std::string file = WriteNative(runner.keyspace(), options);
  REQUIRE(Blocks(file).size() >= 2);
  for (size_t cut = 0; cut < file.size(); cut++) {
    CAPTURE(cut);
    store::Keyspace loaded(16, 1);
    for (int threads : {1, 3}) {
      Status status = LoadNative(file.substr(0, cut), &loaded, 0, threads);
      REQUIRE_FALSE(status.ok());
      CHECK(status.message().rfind("offset ", 0) == 0);
    }
  }
  // Bytes after the trailer hide it.
  store::Keyspace loaded(16, 1);
  Status status = LoadNative(file + "x", &loaded);
  REQUIRE_FALSE(status.ok());
  CHECK(status.message().find("truncated") != std::string::npos);
}

TEST_CASE("a flipped bit in any block is reported with its offset and the keys around it") {
  store::Keyspace keyspace(16, 1);
  FillSmallKeys(keyspace, 12000);
  std::string file = WriteNative(keyspace, native::WriteOptions());
  std::vector<BlockView> blocks = Blocks(file);
  REQUIRE(blocks.size() >= 4);
  for (size_t i = 0; i < blocks.size(); i++) {
    // A bit in the compressed payload, and one in the stored length (which also hides where the
    // next block starts).
    for (uint64_t at : {blocks[i].offset + 40 + blocks[i].bytes / 2, blocks[i].offset + 9}) {
      CAPTURE(i);
      CAPTURE(at);
      std::string damaged = file;
      damaged[at] ^= 0x10;
      for (int threads : {1, 4}) {
        store::Keyspace loaded(16, 1);
        Status status = LoadNative(damaged, &loaded, 0, threads);
        REQUIRE_FALSE(status.ok());
        const std::string& message = status.message();
        CHECK(message.rfind("offset " + std::to_string(blocks[i].offset) + ": block " +
                                std::to_string(i) + " is damaged",
                            0) == 0);
        if (i > 0) {
          CHECK(message.find("last key before it '" + blocks[i - 1].last_key + "' (DB 0)") !=
                std::string::npos);
        } else {
          CHECK(message.find("no key before it") != std::string::npos);
        }
        if (i + 1 < blocks.size()) {
          CHECK(message.find("first key after it '" + blocks[i + 1].first_key + "' (DB 0)") !=
                std::string::npos);
        } else {
          CHECK(message.find("no good block after it") != std::string::npos);
        }
        // Everything before the damaged block was loaded.
        uint64_t before = 0;
        for (size_t j = 0; j < i; j++) before += blocks[j].entries;
        CHECK(loaded.database(0).size() == before);
      }
    }
  }
  // The header and the trailer have their own checks.
  std::string bad_header = file;
  bad_header[20] ^= 1;
  store::Keyspace loaded(16, 1);
  Status status = LoadNative(bad_header, &loaded);
  CHECK(status.message().find("header CRC32C mismatch") != std::string::npos);
  std::string bad_count = file;
  bad_count[file.size() - 36 - 12 + 12] ^= 1;  // The trailer's key count.
  status = LoadNative(bad_count, &loaded);
  CHECK(status.message().find("trailer counts") != std::string::npos);
  std::string bad_crc = file;
  bad_crc[file.size() - 1] ^= 1;
  store::Keyspace loaded2(16, 1);
  status = LoadNative(bad_crc, &loaded2);
  CHECK(status.message().find("whole-file CRC32C mismatch") != std::string::npos);
}

TEST_CASE("hostile lengths are refused before anything is allocated for them") {
  CommandRunner runner;
  runner.Run({"SET", "a", std::string(1000, 'h')});
  runner.Run({"SET", "b", std::string(1000, 'w')});
  std::string file = WriteNative(runner.keyspace(), native::WriteOptions());
  const uint64_t block = Blocks(file).front().offset;
  auto expect = [&](const std::string& bytes, const char* words) {
    store::Keyspace loaded(16, 1);
    Status status = LoadNative(bytes, &loaded);
    REQUIRE_FALSE(status.ok());
    CHECK_MESSAGE(status.message().find(words) != std::string::npos, status.message());
  };
  std::string header_size = file;
  header_size[12] = '\xff';
  header_size[13] = '\xff';
  header_size[14] = '\xff';
  header_size[15] = '\x7f';
  expect(header_size, "header size");
  std::string version = file;
  version[8] = 2;
  expect(version, "version 2 is not supported");
  std::string magic = file;
  magic[0] = 'X';
  expect(magic, "not a native snapshot");
  std::string stored = file;
  PutU64At(&stored, block + 8, uint64_t{1} << 62);
  expect(stored, "runs past the trailer");
  // Lengths that pass framing but are impossible: resealed so the CRC is right.
  std::string expansion = file;
  PutU64At(&expansion, block + 16, uint64_t{1} << 40);
  Reseal(&expansion, block);
  expect(expansion, "are impossible");
  std::string entries = file;
  entries[block + 24] = '\xff';
  entries[block + 25] = '\xff';
  Reseal(&entries, block);
  expect(entries, "unexpected end of data");
  std::string trailer = file;
  PutU64At(&trailer, file.size() - 12, 3);
  expect(trailer, "do not point at a trailer");
  std::string databases = file;
  databases[file.size() - 36 - 12 + 20] = '\x7f';
  expect(databases, "do not point at a trailer");
}

TEST_CASE("1 and 4 loading threads give the same keyspace") {
  CommandRunner runner;
  Populate(runner);
  for (int i = 0; i < 30000; i++) {
    runner.Run({"SET", "k" + std::to_string(i), std::to_string(i)});
    if (i % 10 == 0) runner.Run({"HSET", "h" + std::to_string(i), "f", std::to_string(i)});
  }
  std::string file = WriteNative(runner.keyspace(), native::WriteOptions());
  store::Keyspace one(16, 1);
  store::Keyspace four(16, 1);
  rdb::LoadStats stats_one;
  rdb::LoadStats stats_four;
  REQUIRE(LoadNative(file, &one, runner.now_ms(), 1, &stats_one).ok());
  REQUIRE(LoadNative(file, &four, runner.now_ms(), 4, &stats_four).ok());
  CHECK(stats_one.keys_loaded == stats_four.keys_loaded);
  auto json_one = JsonOf(one);
  CHECK(json_one == JsonOf(four));
  CHECK(json_one == JsonOf(runner.keyspace()));
}

TEST_CASE("load time of about 1M small keys, native vs RDB (measured, logged)") {
  store::Keyspace keyspace(16, 1);
  FillSmallKeys(keyspace, 1000000);
  std::string native_file = WriteNative(keyspace, native::WriteOptions());
  rdb::Writer rdb_writer(rdb::WriteOptions{});
  rdb_writer.Begin({});
  rdb_writer.SelectDb(0, keyspace.database(0).size(), 0);
  keyspace.database(0).table().ForEach([&](store::Entry* entry) { rdb_writer.Key(*entry); });
  rdb_writer.End();
  const std::string& rdb_file = rdb_writer.buffer();
  using Clock = std::chrono::steady_clock;
  auto ms_since = [](Clock::time_point start) {
    return std::chrono::duration<double, std::milli>(Clock::now() - start).count();
  };
  auto start = Clock::now();
  store::Keyspace from_rdb(16, 1);
  rdb::MemorySource source(rdb_file);
  rdb::LoadStats stats;
  REQUIRE(rdb::LoadFile(&source, commands::EncodingLimits(), 0, false, &from_rdb, &stats).ok());
  double rdb_ms = ms_since(start);
  CHECK(from_rdb.database(0).size() == 1000000);
  std::string line = "1M keys: RDB " + std::to_string(rdb_file.size()) + " bytes, load " +
                     std::to_string(rdb_ms) + " ms; native " + std::to_string(native_file.size()) +
                     " bytes";
  for (int threads : {1, 2, 4}) {
    start = Clock::now();
    store::Keyspace from_native(16, 1);
    REQUIRE(LoadNative(native_file, &from_native, 0, threads).ok());
    line += ", load with " + std::to_string(threads) + " thread(s) " +
            std::to_string(ms_since(start)) + " ms";
    CHECK(from_native.database(0).size() == 1000000);
  }
  MESSAGE(line);
}

TEST_CASE("LoadFile reads a file from disk with pread") {
  CommandRunner runner;
  Populate(runner);
  std::string file = WriteNative(runner.keyspace(), native::WriteOptions());
  char path[] = "/tmp/ringdb-native-test-XXXXXX";
  int fd = mkstemp(path);
  REQUIRE(fd >= 0);
  REQUIRE(write(fd, file.data(), file.size()) == static_cast<ssize_t>(file.size()));
  close(fd);
  store::Keyspace loaded(16, 1);
  rdb::LoadStats stats;
  Status status = native::LoadFile(path, commands::EncodingLimits(), runner.now_ms(), false,
                                   &loaded, &stats, 2);
  unlink(path);
  REQUIRE_MESSAGE(status.ok(), status.message());
  CHECK(JsonOf(loaded) == JsonOf(runner.keyspace()));
  store::Keyspace missing(16, 1);
  CHECK_FALSE(native::LoadFile("/nonexistent/dump.native", commands::EncodingLimits(), 0, false,
                               &missing, &stats, 1)
                  .ok());
}

}  // namespace
}  // namespace ringdb::persist
