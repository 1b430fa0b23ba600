// ValidateStreamNode: the node layout of stream_value.h checked element by element, with
// Redis 7.2's streamValidateListpackIntegrity as the base and the stricter rules listed in
// stream_node.h.
#include "ringdb/store/stream_node.h"

#include <string>

#include "ringdb/store/listpack.h"

namespace ringdb::store {
namespace {

constexpr int64_t kFlagDeleted = 1;
constexpr int64_t kFlagSameFields = 2;
constexpr int64_t kFlagsKnown = kFlagDeleted | kFlagSameFields;

// Walks a listpack Listpack::Validate accepted, element by element, naming what is missing or
// malformed.
class NodeReader {
 public:
  NodeReader(const Listpack& listpack, StreamId master_id)
      : listpack_(listpack), position_(listpack.First()), master_id_(master_id) {}

  bool at_end() const { return position_ == Listpack::kNone; }

  Status Error(const std::string& fact) const {
    return Status::Corruption("stream node " + master_id_.ToString() + ": " + fact);
  }

  // The next element as an integer.
  Status Integer(const std::string& what, int64_t* value) {
    if (at_end()) return Error(what + " missing");
    ListpackValue element = listpack_.Get(position_);
    position_ = listpack_.Next(position_);
    if (!element.is_integer) return Error(what + " is not an integer");
    *value = element.integer;
    return Status::Ok();
  }

  // The next element as a count: an integer from 0 to `max`.
  Status Count(const std::string& what, uint64_t max, uint64_t* count) {
    int64_t value = 0;
    RINGDB_RETURN_IF_ERROR(Integer(what, &value));
    if (value < 0) return Error(what + " " + std::to_string(value) + " is negative");
    if (static_cast<uint64_t>(value) > max) {
      return Error(what + " " + std::to_string(value) + " exceeds the node's elements");
    }
    *count = static_cast<uint64_t>(value);
    return Status::Ok();
  }

  // Steps over `count` elements of any kind.
  Status Skip(const std::string& what, uint64_t count) {
    for (uint64_t i = 0; i < count; i++) {
      if (at_end()) return Error(what + " missing");
      position_ = listpack_.Next(position_);
    }
    return Status::Ok();
  }

 private:
  const Listpack& listpack_;
  uint32_t position_;
  StreamId master_id_;
};

Status ReadMaster(NodeReader& reader, uint64_t elements, StreamNodeSummary* summary) {
  RINGDB_RETURN_IF_ERROR(reader.Count("master count", elements, &summary->live));
  RINGDB_RETURN_IF_ERROR(reader.Count("master deleted count", elements, &summary->deleted));
  RINGDB_RETURN_IF_ERROR(reader.Count("master num-fields", elements, &summary->master_fields));
  RINGDB_RETURN_IF_ERROR(reader.Skip("master field", summary->master_fields));
  int64_t terminator = 0;
  RINGDB_RETURN_IF_ERROR(reader.Integer("master terminator", &terminator));
  if (terminator != 0) {
    return reader.Error("master terminator " + std::to_string(terminator) + ", expected 0");
  }
  return Status::Ok();
}

// Reads entry `index` (0-based); updates the live/deleted tallies and the last ID seen.
Status ReadEntry(NodeReader& reader, uint64_t index, uint64_t elements, StreamId master_id,
                 const StreamNodeSummary& master, StreamNodeSummary* seen) {
  std::string entry = "entry " + std::to_string(index);
  int64_t flags = 0;
  RINGDB_RETURN_IF_ERROR(reader.Integer(entry + " flags", &flags));
  if ((flags & ~kFlagsKnown) != 0) {
    return reader.Error(entry + " flags " + std::to_string(flags) + " has unknown bits");
  }
  int64_t ms_delta = 0;
  int64_t seq_delta = 0;
  RINGDB_RETURN_IF_ERROR(reader.Integer(entry + " ms-delta", &ms_delta));
  RINGDB_RETURN_IF_ERROR(reader.Integer(entry + " seq-delta", &seq_delta));
  // Deltas are the two's complement of the unsigned differences (stream_value.h).
  StreamId id{master_id.ms + static_cast<uint64_t>(ms_delta),
              master_id.seq + static_cast<uint64_t>(seq_delta)};
  if (id < master_id) return reader.Error(entry + " ID " + id.ToString() + " below the master ID");
  if (index > 0 && id <= seen->last_id) {
    return reader.Error(entry + " ID " + id.ToString() + " not above the previous " +
                        seen->last_id.ToString());
  }
  uint64_t fields = master.master_fields;
  uint64_t expected_count = 3 + fields;
  if ((flags & kFlagSameFields) != 0) {
    RINGDB_RETURN_IF_ERROR(reader.Skip(entry + " value", fields));
  } else {
    RINGDB_RETURN_IF_ERROR(reader.Count(entry + " num-fields", elements, &fields));
    RINGDB_RETURN_IF_ERROR(reader.Skip(entry + " field or value", 2 * fields));
    expected_count = 4 + 2 * fields;
  }
  int64_t lp_count = 0;
  RINGDB_RETURN_IF_ERROR(reader.Integer(entry + " lp-count", &lp_count));
  if (lp_count < 0 || static_cast<uint64_t>(lp_count) != expected_count) {
    return reader.Error(entry + " lp-count " + std::to_string(lp_count) + ", expected " +
                        std::to_string(expected_count));
  }
  if (index == 0) seen->first_id = id;
  seen->last_id = id;
  if ((flags & kFlagDeleted) != 0) {
    seen->deleted++;
  } else {
    seen->live++;
  }
  return Status::Ok();
}

}  // namespace

Result<StreamNodeSummary> ValidateStreamNode(std::string_view blob, StreamId master_id) {
  std::string name = "stream node " + master_id.ToString() + ": ";
  if (!Listpack::Validate(blob, true)) return Status::Corruption(name + "not a valid listpack");
  Listpack listpack = Listpack::FromBytes(blob);
  if (listpack.empty()) return Status::Corruption(name + "empty listpack");
  // Every count is bounded by the number of elements, so no loop below runs past them and
  // 2 * fields cannot overflow.
  uint64_t elements = listpack.size();
  NodeReader reader(listpack, master_id);
  StreamNodeSummary master;
  RINGDB_RETURN_IF_ERROR(ReadMaster(reader, elements, &master));
  uint64_t entries = master.live + master.deleted;
  StreamNodeSummary seen;
  seen.master_fields = master.master_fields;
  for (uint64_t index = 0; index < entries; index++) {
    RINGDB_RETURN_IF_ERROR(ReadEntry(reader, index, elements, master_id, master, &seen));
  }
  if (!reader.at_end()) {
    return reader.Error("elements after the last of " + std::to_string(entries) + " entries");
  }
  if (seen.live != master.live || seen.deleted != master.deleted) {
    return reader.Error("master counts " + std::to_string(master.live) + " live, " +
                        std::to_string(master.deleted) + " deleted; entries " +
                        std::to_string(seen.live) + " live, " + std::to_string(seen.deleted) +
                        " deleted");
  }
  return seen;
}

}  // namespace ringdb::store
