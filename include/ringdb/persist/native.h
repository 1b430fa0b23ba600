// The native snapshot format (`snapshot-format native`): a header, independent blocks of about
// 64 KiB of entries, each lz4-compressed with a CRC32C, and a trailer with counts and a
// whole-file CRC32C. Damage stays inside one block, and blocks decode on several threads.
// Values inside entries use the RDB value serialization (rdb::AppendValue, version 11, no LZF)
// and the RDB value decoder, so there is one value codec. man/ringdb-formats.5 describes the
// bytes; in short (integers little endian):
//
//   header   "RINGSNAP" <u32 version> <u32 header bytes> <i64 creation ms>
//            <u32 aux count> {<u32 len> key <u32 len> value}* <u32 function count>
//            {<u32 len> code}* <u32 CRC32C of the header before it>
//   block    "RSBK" <u8 codec> <3 zero bytes> <u64 stored bytes> <u64 raw bytes>
//            <u32 entries> <u32 first db> <u32 last db> <u32 CRC32C of the 36 bytes before it
//            and the stored bytes> <stored bytes: the raw entries, lz4-compressed or not>
//   entry    <rdb length db> <u8 flags: 1 expiry, 2 idle, 4 freq> [<i64 expire ms>]
//            [<rdb length idle seconds>] [<u8 freq>] <rdb length> key <type byte> <value>
//   trailer  "RSTR" <u64 blocks> <u64 keys> <u32 databases> {<u32 db> <u64 keys>}*
//            <u64 offset of the trailer> <u32 CRC32C of every byte of the file before it>
#pragma once

#include <cstddef>
#include <cstdint>
#include <map>
#include <string>
#include <string_view>
#include <utility>
#include <vector>

#include "ringdb/base/status.h"
#include "ringdb/persist/rdb.h"
#include "ringdb/store/encoding_limits.h"
#include "ringdb/store/entry.h"

namespace ringdb::store {
class Keyspace;
}  // namespace ringdb::store

namespace ringdb::persist::native {

inline constexpr std::string_view kMagic = "RINGSNAP";
inline constexpr uint32_t kVersion = 1;
// The uncompressed size at which the writer cuts a block.
inline constexpr size_t kBlockBytesTarget = 64 * 1024;
inline constexpr size_t kBlockHeaderBytes = 40;
// The trailer without its per-database records.
inline constexpr size_t kTrailerFixedBytes = 36;

enum Codec : uint8_t { kCodecRaw = 0, kCodecLz4 = 1 };

// Whether a file starting with `first_bytes` (at least 8 of them) is a native snapshot. An RDB
// file starts with "REDIS", so the server can tell the two apart at start-up.
bool IsNativeSnapshot(std::string_view first_bytes);

// What the header carries besides the magic and version.
struct Header {
  int64_t creation_time_ms = 0;
  // The writer's AUX-like fields (redis-ver, used-mem, ...), as the RDB writer gets them.
  std::vector<std::pair<std::string, std::string>> aux;
  // Function libraries' code (what RDB keeps in FUNCTION2 records).
  std::vector<std::string> functions;
};

struct WriteOptions {
  size_t block_bytes = kBlockBytesTarget;
  // lz4 each block (a block that does not shrink is stored raw anyway).
  bool compress = true;
};

// Serializes a snapshot incrementally, in the shape of rdb::Writer: Begin, then per database
// SelectDb and one Key per entry, then End. Entries collect in a block until it reaches
// options.block_bytes; the block is then compressed into buffer(). An entry bigger than a
// block (a 100 MB string) becomes a block of its own, so memory holds at most that entry's
// serialization and its compressed form.
//
// Thread safety: as rdb::Writer, entries and values are read through const access only, so it
// may run on the persistence thread over entries the loop has frozen. Not itself shared.
class Writer {
 public:
  explicit Writer(const WriteOptions& options = WriteOptions());

  void Begin(const Header& header);
  // Entries that follow belong to database `index`. The counts are the RDB writer's RESIZEDB
  // hints; the trailer counts what was written instead.
  void SelectDb(int index, uint64_t keys = 0, uint64_t expires = 0);
  void Key(const store::Entry& entry, const rdb::KeyEvictionData& eviction = {});
  // The last block and the trailer.
  void End();

  // Bytes produced and not yet taken.
  const std::string& buffer() const { return buffer_; }
  // Moves the pending bytes into *out (replacing its contents).
  void TakeBytes(std::string* out);
  // Every byte produced so far, taken or not.
  uint64_t bytes_total() const { return bytes_taken_ + buffer_.size(); }
  uint64_t blocks_written() const { return blocks_; }

 private:
  void FlushBlock(std::string_view raw, uint32_t entries, int db_first, int db_last);
  void CoverPending();

  WriteOptions options_;
  std::string buffer_;
  // Serialized entries of the block being filled.
  std::string block_;
  uint32_t block_entries_ = 0;
  int block_db_first_ = 0;
  int block_db_last_ = 0;
  int db_ = 0;
  uint64_t blocks_ = 0;
  uint64_t keys_ = 0;
  std::map<int, uint64_t> db_keys_;
  // CRC32C of every byte before buffer_[crc_covered_].
  uint32_t crc_ = 0;
  size_t crc_covered_ = 0;
  uint64_t bytes_taken_ = 0;
  bool ended_ = false;
};

// One key of a decoded block.
struct KeyRecord {
  int db = 0;
  // Refcount 1, owned by the DecodedBlock until taken (set to null).
  store::Entry* entry = nullptr;
  int64_t expire_at_ms = store::kNoExpire;
  rdb::KeyEvictionData eviction;
};

// A block's bytes as they are in the file (header and stored payload).
struct RawBlock {
  uint64_t offset = 0;
  uint64_t index = 0;
  std::string bytes;
};

// A block's entries, decoded and validated.
struct DecodedBlock {
  DecodedBlock() = default;
  ~DecodedBlock();
  DecodedBlock(const DecodedBlock&) = delete;
  DecodedBlock& operator=(const DecodedBlock&) = delete;

  uint64_t offset = 0;
  uint64_t index = 0;
  // CRC32C and size of the block's file bytes, for the whole-file checksum.
  uint32_t file_crc = 0;
  uint64_t file_bytes = 0;
  // Entries the block declares (empty collections included; they are skipped, as RDB does).
  uint32_t entry_count = 0;
  uint64_t empty_keys_skipped = 0;
  std::vector<KeyRecord> keys;
  // Entries per database, empty ones included.
  std::map<int, uint64_t> db_entries;
};

// Checks a block's CRC, decompresses it and decodes every entry, values validated deeply as the
// RDB reader does (and converted to the encodings `limits` call for). A pure function of its
// input: blocks decode on any thread. Errors are kCorruption messages naming the block:
// "offset N: block 3: CRC32C mismatch ..." (a decode error also says where in the raw entries).
Status DecodeBlock(const RawBlock& raw, const store::EncodingLimits& limits, DecodedBlock* out);

// Reads a native file's header and trailer, then its blocks in order. It does not decode
// blocks (DecodeBlock does, on any thread); the caller hands the decoded ones back in order
// with Accept, and Finish checks them against the trailer and the whole-file CRC32C.
class Reader {
 public:
  // *source must outlive the Reader.
  explicit Reader(rdb::Source* source);

  // Validates the magic, version and header CRC, and locates and checks the trailer, before any
  // block is read. REQUIRES: called first, once.
  Status Open();
  const Header& header() const { return header_; }
  uint64_t trailer_offset() const { return trailer_offset_; }
  uint64_t trailer_blocks() const { return trailer_blocks_; }
  uint64_t trailer_keys() const { return trailer_keys_; }

  // The next block's bytes, read whole after its header's lengths are checked against the
  // bytes up to the trailer; *end (and no block) once the trailer is reached. An error here is
  // a damaged block header.
  Status NextBlock(RawBlock* raw, bool* end);
  // Adds a decoded block (in file order) to the counts and the whole-file CRC.
  void Accept(const DecodedBlock& block);
  // After the last block: block and key counts equal to the trailer's, the CRC equal.
  Status Finish();

  // Error path: the first key of the first block after `offset` that decodes cleanly and holds a
  // key, found by scanning for block headers (a damaged length may hide where the next block
  // starts). Looks at a bounded number of candidates. Returns false when there is none.
  bool FirstKeyAfter(uint64_t offset, const store::EncodingLimits& limits, std::string* key,
                     int* db);

 private:
  Status ReadHeader();
  Status ReadTrailer();

  rdb::Source* source_;
  Header header_;
  uint64_t header_bytes_ = 0;
  uint64_t trailer_offset_ = 0;
  uint64_t trailer_blocks_ = 0;
  uint64_t trailer_keys_ = 0;
  std::map<int, uint64_t> trailer_db_keys_;
  uint32_t trailer_crc_ = 0;
  // Where the next block starts, and what Accept collected.
  uint64_t next_offset_ = 0;
  uint64_t next_index_ = 0;
  uint64_t accepted_blocks_ = 0;
  uint64_t accepted_keys_ = 0;
  std::map<int, uint64_t> accepted_db_keys_;
  uint32_t crc_ = 0;
};

// Loads a whole native file into `keyspace` (which should be empty), as rdb::LoadFile loads an
// RDB file: expired keys (before `now_ms`) skipped, a duplicate key or a database past the
// keyspace's an error, the eviction field set by `lfu_policy`. Blocks are decompressed and
// decoded on `threads` threads (<= 1: on the calling thread); keys are inserted on the calling
// thread in file order. A damaged block is an error naming its offset and the keys around it:
//   "offset 65656: block 1 is damaged (CRC32C mismatch ...); last key before it 'a' (DB 0),
//    first key after it 'q' (DB 0)".
// On error the keyspace holds the keys loaded before it.
Status Load(rdb::Source* source, const store::EncodingLimits& limits, int64_t now_ms,
            bool lfu_policy, store::Keyspace* keyspace, rdb::LoadStats* stats, int threads);
// Load from the file at `path` (read with pread).
Status LoadFile(const std::string& path, const store::EncodingLimits& limits, int64_t now_ms,
                bool lfu_policy, store::Keyspace* keyspace, rdb::LoadStats* stats, int threads);

}  // namespace ringdb::persist::native
