// Fuzz target for stream nodes (store::ValidateStreamNode): what RDB files and DUMP payloads
// carry for streams, one radix-tree key and one listpack per node.
//
// Input: the node's key as RDB stores it (16 bytes: the master ID's ms and seq, big endian),
// then the listpack.
//
// Properties checked besides "no crash":
// - an error names the node ("stream node <ms>-<seq>: ...");
// - an accepted node is a listpack Listpack::Validate accepts, and can be walked as
//   StreamValue's iterators walk it: forward entry by entry from the master entry, and
//   backward from the end by each entry's lp-count down to the master terminator. Both walks
//   must find the same IDs (ascending, from the master ID on) and flags, and agree with the
//   summary's counts and first and last IDs.
#include <cstddef>
#include <cstdint>
#include <cstdlib>
#include <string>
#include <string_view>
#include <vector>

#include "check.h"
#include "ringdb/store/listpack.h"
#include "ringdb/store/stream_node.h"

namespace {

using ringdb::store::Listpack;
using ringdb::store::StreamId;
using ringdb::store::StreamNodeSummary;

using ringdb::fuzz::Check;

uint64_t ReadBigEndian(const uint8_t* p) {
  uint64_t value = 0;
  for (int i = 0; i < 8; i++) value = value << 8 | p[i];
  return value;
}

int64_t IntegerAt(const Listpack& listpack, uint32_t position) {
  Check(position != Listpack::kNone);
  ringdb::store::ListpackValue value = listpack.Get(position);
  Check(value.is_integer);
  return value.integer;
}

uint32_t Skip(const Listpack& listpack, uint32_t position, int64_t count) {
  for (int64_t i = 0; i < count; i++) {
    Check(position != Listpack::kNone);
    position = listpack.Next(position);
  }
  return position;
}

struct Entry {
  StreamId id;
  int64_t flags;
  bool operator==(const Entry&) const = default;
};

// The entry whose flags are at `flags_pos`.
Entry EntryAt(const Listpack& listpack, uint32_t flags_pos, StreamId master_id) {
  Entry entry;
  entry.flags = IntegerAt(listpack, flags_pos);
  uint32_t position = listpack.Next(flags_pos);
  entry.id.ms = master_id.ms + static_cast<uint64_t>(IntegerAt(listpack, position));
  position = listpack.Next(position);
  entry.id.seq = master_id.seq + static_cast<uint64_t>(IntegerAt(listpack, position));
  return entry;
}

std::vector<Entry> WalkForward(const Listpack& listpack, StreamId master_id) {
  uint32_t position = Skip(listpack, listpack.First(), 2);
  int64_t master_fields = IntegerAt(listpack, position);
  position = Skip(listpack, position, master_fields + 1);  // The master terminator.
  Check(IntegerAt(listpack, position) == 0);
  std::vector<Entry> entries;
  for (uint32_t flags_pos = listpack.Next(position); flags_pos != Listpack::kNone;) {
    Entry entry = EntryAt(listpack, flags_pos, master_id);
    int64_t elements;
    if ((entry.flags & 2) != 0) {
      elements = 3 + master_fields;
    } else {
      elements = 4 + 2 * IntegerAt(listpack, Skip(listpack, flags_pos, 3));
    }
    uint32_t lp_count_pos = Skip(listpack, flags_pos, elements);
    Check(IntegerAt(listpack, lp_count_pos) == elements);
    entries.push_back(entry);
    flags_pos = listpack.Next(lp_count_pos);
  }
  return entries;
}

std::vector<Entry> WalkBackward(const Listpack& listpack, StreamId master_id, size_t bound) {
  std::vector<Entry> entries;
  uint32_t position = listpack.Last();
  while (true) {
    int64_t elements = IntegerAt(listpack, position);
    if (elements == 0) break;  // The master terminator.
    Check(entries.size() < bound);
    uint32_t flags_pos = position;
    for (int64_t i = 0; i < elements; i++) {
      flags_pos = listpack.Prev(flags_pos);
      Check(flags_pos != Listpack::kNone);
    }
    entries.push_back(EntryAt(listpack, flags_pos, master_id));
    position = listpack.Prev(flags_pos);
  }
  return std::vector<Entry>(entries.rbegin(), entries.rend());
}

}  // namespace

extern "C" int LLVMFuzzerTestOneInput(const uint8_t* data, size_t size) {
  if (size < 16) return 0;
  StreamId master_id{ReadBigEndian(data), ReadBigEndian(data + 8)};
  std::string_view blob(reinterpret_cast<const char*>(data + 16), size - 16);
  ringdb::Result<StreamNodeSummary> summary = ringdb::store::ValidateStreamNode(blob, master_id);
  if (!summary.ok()) {
    std::string prefix = "stream node " + master_id.ToString() + ": ";
    Check(summary.status().message().compare(0, prefix.size(), prefix) == 0);
    return 0;
  }
  Check(Listpack::Validate(blob, true));
  Listpack listpack = Listpack::FromBytes(blob);
  std::vector<Entry> forward = WalkForward(listpack, master_id);
  std::vector<Entry> backward = WalkBackward(listpack, master_id, forward.size());
  Check(forward == backward);
  uint64_t live = 0;
  uint64_t deleted = 0;
  for (size_t i = 0; i < forward.size(); i++) {
    Check(forward[i].id >= master_id);
    if (i > 0) Check(forward[i - 1].id < forward[i].id);
    Check(forward[i].flags >= 0 && forward[i].flags <= 3);
    if (forward[i].flags & 1) {
      deleted++;
    } else {
      live++;
    }
  }
  Check(summary->live == live);
  Check(summary->deleted == deleted);
  Check(IntegerAt(listpack, listpack.First()) == static_cast<int64_t>(live));
  if (forward.empty()) {
    Check(summary->first_id == StreamId{});
    Check(summary->last_id == StreamId{});
  } else {
    Check(summary->first_id == forward.front().id);
    Check(summary->last_id == forward.back().id);
  }
  return 0;
}
