// The RDB codec: Redis's snapshot format (dump.rdb) and DUMP payloads, as pure functions over
// bytes. The snapshot engine, the start-up loader, DUMP/RESTORE, the inspection tool and the
// fuzzers share it, so they can never disagree. man/ringdb-formats.5 describes the bytes.
//
//   file     "REDIS" <4 decimal digits: version>
//            { AUX <string key> <string value>
//            | FUNCTION2 <string library code>
//            | SELECTDB <length db> | RESIZEDB <length keys> <length expires>
//            | [EXPIRETIME_MS <i64 le> | EXPIRETIME <i32 le seconds>]
//              [IDLE <length seconds> | FREQ <u8>] <type byte> <string key> <value> }
//            EOF <u64 le CRC-64/Jones of every byte before it; 0 = not computed>   (version >= 5)
//   payload  <type byte> <value> <u16 le version> <u64 le CRC-64 of every byte before it>
//
// Lengths: 00xxxxxx (6 bits), 01xxxxxx xxxxxxxx (14 bits, big endian), 0x80 <u32 be>,
// 0x81 <u64 be>; 11xxxxxx marks a specially encoded string: 0xC0 <i8>, 0xC1 <i16 le>,
// 0xC2 <i32 le>, 0xC3 <length compressed> <length original> <LZF bytes> (lzf.h).
#pragma once

#include <cstddef>
#include <cstdint>
#include <memory>
#include <string>
#include <string_view>
#include <utility>
#include <vector>

#include "ringdb/base/status.h"
#include "ringdb/store/encoding_limits.h"
#include "ringdb/store/entry.h"

namespace ringdb::store {
class Keyspace;
}  // namespace ringdb::store

namespace ringdb::persist::rdb {

// Version 10 is what Redis 7.0 writes and the newest it loads; 11 (Redis 7.2) adds the
// listpack set type and stream type 3. Versions 1..11 load.
inline constexpr int kVersionMin = 1;
inline constexpr int kVersionMax = 11;
inline constexpr int kVersionDefault = 10;

enum Opcode : uint8_t {
  kOpFunctionPreGa = 246,
  kOpFunction2 = 245,
  kOpModuleAux = 247,
  kOpIdle = 248,
  kOpFreq = 249,
  kOpAux = 250,
  kOpResizeDb = 251,
  kOpExpireTimeMs = 252,
  kOpExpireTime = 253,
  kOpSelectDb = 254,
  kOpEof = 255,
};

enum TypeByte : uint8_t {
  kTypeString = 0,
  kTypeList = 1,
  kTypeSet = 2,
  kTypeZset = 3,
  kTypeHash = 4,
  kTypeZset2 = 5,
  kTypeModulePreGa = 6,
  kTypeModule2 = 7,
  kTypeHashZipmap = 9,
  kTypeListZiplist = 10,
  kTypeSetIntset = 11,
  kTypeZsetZiplist = 12,
  kTypeHashZiplist = 13,
  kTypeListQuicklist = 14,
  kTypeStreamListpacks = 15,
  kTypeHashListpack = 16,
  kTypeZsetListpack = 17,
  kTypeListQuicklist2 = 18,
  kTypeStreamListpacks2 = 19,
  kTypeSetListpack = 20,
  kTypeStreamListpacks3 = 21,
};

// ---------------------------------------------------------------------------------------------
// Writing.

struct WriteOptions {
  int version = kVersionDefault;  // 10 or 11.
  bool compress = true;           // rdbcompression: LZF for strings over 20 bytes when it saves.
  bool checksum = true;           // rdbchecksum: else the trailer is 8 zero bytes.
};

// What Redis writes before a key for the eviction policy in force: IDLE under an LRU policy,
// FREQ under an LFU one, nothing otherwise.
struct KeyEvictionData {
  int64_t idle_seconds = -1;  // < 0: none.
  int lfu_frequency = -1;     // < 0: none; else 0..255.
};

// Which eviction data a snapshot carries: Redis writes IDLE under an LRU maxmemory-policy,
// FREQ under an LFU one, nothing under the others.
enum class EvictionPolicyKind { kNone, kLru, kLfu };

// What Redis's rdbSaveKeyValuePair writes for an entry whose eviction field (Entry::lru) is
// `lru_field`: under kLru the idle seconds (estimateObjectIdleTime against the 24-bit seconds
// clock of `now_ms`), under kLfu the counter decayed by the minutes elapsed
// (LFUDecrAndReturn, one step per `lfu_decay_time_minutes`; 0: no decay).
KeyEvictionData EvictionDataOf(uint32_t lru_field, EvictionPolicyKind policy, int64_t now_ms,
                               int64_t lfu_decay_time_minutes);

// Serializes a snapshot incrementally: Begin, then per database SelectDb and one Key per entry,
// then End. Bytes accumulate in buffer(); TakeBytes moves them out (to a file write) while the
// running CRC-64 already covers them, so a snapshot of any size needs only a bounded buffer.
//
// Thread safety: the Writer reads the entries and value objects it is given through const
// access only (no refcount, LRU or lazy-conversion change, no lock), so it may run on the
// persistence thread over entries the loop has frozen (shared or versioned). It is not itself
// shared between threads.
class Writer {
 public:
  explicit Writer(const WriteOptions& options);

  // "REDIS00vv" and one AUX field per pair (redis-ver, redis-bits, ctime, used-mem, ...).
  void Begin(const std::vector<std::pair<std::string, std::string>>& aux);
  // A FUNCTION2 record with a library's code (Redis writes them before the databases).
  void Function(std::string_view library_code);
  // SELECTDB and RESIZEDB.
  void SelectDb(int index, uint64_t keys, uint64_t expires);
  // One key: its expiry (EXPIRETIME_MS) when it has one, IDLE/FREQ as `eviction` says, the
  // type byte, the key and the value.
  void Key(const store::Entry& entry, const KeyEvictionData& eviction = {});
  // EOF and the CRC-64 trailer (8 zero bytes when !checksum).
  void End();

  // Bytes produced and not yet taken.
  const std::string& buffer() const { return buffer_; }
  // Moves the pending bytes into *out (replacing its contents).
  void TakeBytes(std::string* out);
  // Every byte produced so far, taken or not.
  uint64_t bytes_total() const { return bytes_taken_ + buffer_.size(); }

 private:
  void CoverPending();

  WriteOptions options_;
  std::string buffer_;
  uint64_t crc_ = 0;
  uint64_t bytes_taken_ = 0;
  // How much of buffer_ the CRC already covers.
  size_t crc_covered_ = 0;
};

// Redis's DUMP payload of an entry's value: type byte, value, version (kVersionDefault, so
// Redis 7.0 restores it too) and CRC-64. Const reads only.
std::string DumpPayload(const store::Entry& entry, int version = kVersionDefault);

// The type byte and value serialization of `entry` (no key), appended to *out.
void AppendValue(const store::Entry& entry, const WriteOptions& options, std::string* out);

// ---------------------------------------------------------------------------------------------
// Reading.

// Where the reader's bytes come from.
class Source {
 public:
  virtual ~Source() = default;
  // Total bytes the source holds (bounds every declared length before it is allocated for).
  virtual uint64_t size() const = 0;
  // Copies `length` bytes at `offset` into `out`. REQUIRES: offset + length <= size().
  [[nodiscard]] virtual Status ReadAt(uint64_t offset, char* out, size_t length) = 0;
};

// A span of memory (DUMP payloads, fuzzers, tests). `bytes` must outlive the source.
class MemorySource final : public Source {
 public:
  explicit MemorySource(std::string_view bytes) : bytes_(bytes) {}
  uint64_t size() const override { return bytes_.size(); }
  Status ReadAt(uint64_t offset, char* out, size_t length) override;

 private:
  std::string_view bytes_;
};

// A file read with plain pread (start-up loading runs before, or off, the proactor loop).
class FileSource final : public Source {
 public:
  // Opens `path` for reading.
  static Result<std::unique_ptr<FileSource>> Open(const std::string& path);
  ~FileSource() override;
  uint64_t size() const override { return size_; }
  Status ReadAt(uint64_t offset, char* out, size_t length) override;

 private:
  FileSource(int fd, uint64_t size, std::string path) : fd_(fd), size_(size), path_(path) {}
  int fd_;
  uint64_t size_;
  std::string path_;
};

// One thing read from a file.
struct Record {
  enum class Kind { kAux, kFunction, kSelectDb, kResizeDb, kKey, kEnd };
  Kind kind = Kind::kEnd;
  // kAux.
  std::string aux_key;
  std::string aux_value;
  // kFunction: the library's code (the caller loads it, or reports it cannot).
  std::string function_code;
  // kSelectDb (and the database of every kKey).
  int db_index = 0;
  // kResizeDb.
  uint64_t resize_keys = 0;
  uint64_t resize_expires = 0;
  // kKey: the entry (refcount 1, owned by the caller: store it or Entry::Release it), its
  // expiry (also set in the entry; kNoExpire when none) and eviction data as the file gave it.
  store::Entry* entry = nullptr;
  int64_t expire_at_ms = store::kNoExpire;
  KeyEvictionData eviction;
};

// Reads an RDB file one record at a time. Every value is validated deeply before any store
// code sees it (listpacks, ziplists, zipmaps, intsets, stream nodes, counts, duplicates), and
// converted to the encoding `limits` call for, as Redis's loader does. Every error is a
// Status (kCorruption, or kUnsupported for modules and pre-GA functions) whose message starts
// with the byte offset where the problem was found: "offset 1234: ziplist entry runs past its
// end".
class Reader {
 public:
  // *source must outlive the Reader.
  Reader(Source* source, const store::EncodingLimits& limits);
  ~Reader();

  // The magic and version. REQUIRES: called first, once.
  Status ReadHeader();
  int version() const { return version_; }
  // The next record. After kEnd (CRC checked unless the file's trailer is 0 or the version
  // predates checksums) nothing more may be read. A key whose collection is empty is skipped
  // and counted, as Redis does.
  Status Next(Record* record);
  // Bytes consumed so far (for progress reports).
  uint64_t offset() const;
  uint64_t empty_keys_skipped() const { return empty_keys_skipped_; }

  class Impl;

 private:
  Status ReadEnd(Record* record);

  std::unique_ptr<Impl> impl_;
  int version_ = 0;
  int db_index_ = 0;
  uint64_t empty_keys_skipped_ = 0;
  bool ended_ = false;
};

// Statistics of LoadFile.
struct LoadStats {
  uint64_t keys_loaded = 0;
  uint64_t expired_keys_skipped = 0;
  uint64_t empty_keys_skipped = 0;
  std::vector<std::pair<std::string, std::string>> aux;
  std::vector<std::string> functions;
};

// Loads a whole file into `keyspace` (which should be empty): keys whose expiry is before
// `now_ms` are skipped (as a primary does), a key seen twice in one database is an error
// ("offset N: duplicate key 'k' in DB 0", as Redis refuses such files), a database index past
// the keyspace's is an error. `lru_clock` stamps every loaded entry unless the file carries
// IDLE/FREQ data (then the LRU field is set from it, `lfu_policy` choosing the layout).
// On error the keyspace holds the keys loaded before it.
Status LoadFile(Source* source, const store::EncodingLimits& limits, int64_t now_ms,
                bool lfu_policy, store::Keyspace* keyspace, LoadStats* stats);
// LoadFile on two threads: one decodes (reads, decompresses, validates, builds values) while
// the calling thread inserts in file order. The same keyspace, stats and errors as LoadFile.
Status LoadFileTwoThreads(Source* source, const store::EncodingLimits& limits, int64_t now_ms,
                          bool lfu_policy, store::Keyspace* keyspace, LoadStats* stats);

// The eviction field of a loaded entry (Redis's objectSetLRUOrLFU): with `lfu_policy`, the
// frequency (minutes clock:16 | counter:8; a missing FREQ keeps the new-object counter 5);
// else the LRU clock minus the idle seconds (24-bit, wrapping as Redis's clock does).
uint32_t EvictionField(const KeyEvictionData& eviction, bool lfu_policy, int64_t now_ms);

// Errors of DecodeDumpPayload, told apart as RESTORE replies them.
enum class PayloadError { kNone, kVersionOrChecksum, kBadFormat };

// Redis's verifyDumpPayload and rdbLoadObject with deep sanitization: the value of a DUMP
// payload as a new entry for `key` (refcount 1, no expiry), or null with *error set
// (kVersionOrChecksum: too short, a version above kVersionMax, a wrong CRC; kBadFormat:
// anything wrong in the value, an empty collection included). *detail (optional) receives
// the reason, for logs and tests.
store::Entry* DecodeDumpPayload(std::string_view payload, std::string_view key,
                                const store::EncodingLimits& limits, PayloadError* error,
                                std::string* detail = nullptr);

}  // namespace ringdb::persist::rdb
