// Validation of stream nodes from untrusted sources (RDB files, DUMP payloads): the check a
// node's bytes must pass before StreamValue's readers, which trust the layout, may see them.
// stream_value.h describes the node layout.
#pragma once

#include <cstdint>
#include <string_view>

#include "ringdb/base/status.h"
#include "ringdb/store/stream_value.h"

namespace ringdb::store {

// What a valid node holds, for the checks a loader makes across nodes (nodes in ascending
// order, the stream's length and last ID).
struct StreamNodeSummary {
  uint64_t live = 0;     // Entries not deleted: the master entry's count.
  uint64_t deleted = 0;  // Tombstones: the master entry's deleted count.
  uint64_t master_fields = 0;
  // The first and the last entry's ID, tombstones included; 0-0 when the node has no entries.
  StreamId first_id;
  StreamId last_id;
};

// Checks a stream node whose master ID (its radix-tree key) is `master_id`. The rules are
// Redis 7.2's streamValidateListpackIntegrity (deep): `blob` is a listpack that
// Listpack::Validate accepts; the master entry is count, deleted, num-fields, that many field
// names and a 0; then exactly count + deleted entries, each flags, ms-delta, seq-delta, then
// either the master's number of values (flag kSameFields) or num-fields and that many
// field/value pairs, then an lp-count equal to the entry's other elements; nothing follows.
//
// Stricter than Redis, so that no reader can be led astray or into an assertion:
// - every count, flag and delta is an integer-encoded element (Redis writes them so; it also
//   accepts their decimal text, which its own readers then assert on);
// - counts and field numbers are not negative;
// - flags hold only kDeleted (1) and kSameFields (2);
// - the entries' IDs (master ID plus deltas) are at least the master ID and strictly ascend;
// - count and deleted equal the numbers of live and deleted entries.
//
// On error the message names the node and the fact: "stream node 5-1: entry 3: lp-count 6,
// expected 7". Never reads outside `blob`.
Result<StreamNodeSummary> ValidateStreamNode(std::string_view blob, StreamId master_id);

}  // namespace ringdb::store
