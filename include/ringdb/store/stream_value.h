// StreamValue: the value of a stream key (OBJECT ENCODING "stream"), laid out as Redis lays it
// out so that an RDB file can later carry the nodes as they are.
//
// Entries live in nodes: listpacks (store::Listpack, byte-exact with Redis's) each keyed by
// its master ID, the ID of the first entry ever added to it. A node starts with a "master
// entry" and then holds entries whose IDs are deltas from the master ID (t_stream.c,
// streamAppendItem):
//
//   master:  count  deleted  num-fields  field_1 ... field_N  0
//   entry:   flags  ms-delta  seq-delta  [num-fields  field_1]  value_1 ... [field_N] value_N
//            lp-count
//
// flags: kDeleted marks a tombstone (XDEL, XTRIM inside a node), kSameFields says the entry
// has exactly the master's field names and stores only the values. lp-count is the number of
// elements from flags to the last value, so an entry can be walked backwards from its end.
// count / deleted are the live and tombstoned entries of the node.
//
// Redis indexes the nodes with a radix tree keyed by the 128-bit big-endian master ID; here a
// vector sorted by master ID (log-time seek, appends at the end, trims at the front) stands in
// for it. A node is closed when it reaches stream-node-max-bytes or stream-node-max-entries,
// with Redis's exact rule, so node boundaries (XINFO radix-tree-keys, approximate trimming)
// are the same as Redis's.
//
// Consumer groups keep a last-delivered ID, a logical read counter (entries_read, for lag),
// a pending entries list (PEL: ID -> delivery time, delivery count, owning consumer) ordered by
// ID, and consumers, each with its own PEL (pointers into the group's), a seen time and an
// active time. Groups and consumers are ordered by name bytes, as Redis's rax orders them.
//
// REQUIRES: used from one thread; iterators are invalidated by any change to the entries.
#pragma once

#include <compare>
#include <cstddef>
#include <cstdint>
#include <map>
#include <memory>
#include <optional>
#include <span>
#include <string>
#include <string_view>
#include <vector>

#include "ringdb/store/listpack.h"
#include "ringdb/store/object.h"

namespace ringdb::store {

struct StreamId {
  uint64_t ms = 0;
  uint64_t seq = 0;

  auto operator<=>(const StreamId&) const = default;
  static constexpr StreamId Max() { return {UINT64_MAX, UINT64_MAX}; }
  bool IsZero() const { return ms == 0 && seq == 0; }
  // The next / previous ID. Returns false (and wraps to 0-0 / max) past the end.
  bool Increment();
  bool Decrement();
  // "<ms>-<seq>" into `out` (at least kTextMax bytes); returns the length.
  static constexpr size_t kTextMax = 41;
  size_t Format(char* out) const;
  std::string ToString() const;
};

struct StreamConsumer;

// One pending (delivered, not acknowledged) entry of a consumer group.
struct StreamPending {
  int64_t delivery_time_ms = 0;
  uint64_t delivery_count = 1;
  // Never null once the command that created the entry returns.
  StreamConsumer* consumer = nullptr;
};

struct StreamConsumer {
  std::string name;
  // Last time the consumer attempted an interaction (7.2), and last successful one (-1:
  // never).
  int64_t seen_time_ms = 0;
  int64_t active_time_ms = -1;
  // The consumer's share of the group PEL; values point into StreamGroup::pending.
  std::map<StreamId, StreamPending*> pending;
};

struct StreamGroup {
  // The group's entries_read when the counter is unknown (Redis's SCG_INVALID_ENTRIES_READ).
  static constexpr int64_t kEntriesReadInvalid = -1;

  StreamId last_id;
  int64_t entries_read = kEntriesReadInvalid;
  std::map<StreamId, StreamPending> pending;
  std::map<std::string, std::unique_ptr<StreamConsumer>, std::less<>> consumers;

  StreamConsumer* FindConsumer(std::string_view name) const;
  // Adds a consumer seen at `now_ms`; nullptr when the name exists.
  StreamConsumer* CreateConsumer(std::string_view name, int64_t now_ms);
  // Deletes a consumer and its pending entries; returns how many it had.
  size_t DeleteConsumer(StreamConsumer* consumer);
  // Removes the pending entry `id` (from the group and its consumer). False if absent.
  bool Acknowledge(StreamId id);
  // Moves pending entry `entry` (of `id`) to `consumer`.
  void Reassign(StreamId id, StreamPending& entry, StreamConsumer* consumer);
};

class StreamValue : public Object {
 public:
  static constexpr ValueType kType = ValueType::kStream;
  // Redis's STREAM_LISTPACK_MAX_SIZE: no node grows past this, whatever the configuration.
  static constexpr size_t kNodeBytesMax = size_t{1} << 30;

  // Node sizes (stream-node-max-bytes / -entries; 0 means no limit).
  struct NodeLimits {
    int64_t max_bytes = 4096;
    int64_t max_entries = 100;
  };

  enum class AppendStatus { kOk, kIdTooSmall, kTooLarge };

  struct TrimArgs {
    enum class Strategy { kNone, kMaxLength, kMinId };
    Strategy strategy = Strategy::kNone;
    bool approximate = false;
    // Most entries to delete (0: no limit).
    int64_t limit = 0;
    int64_t max_length = 0;
    StreamId min_id;
  };

  using GroupMap = std::map<std::string, std::unique_ptr<StreamGroup>, std::less<>>;

  StreamValue() : Object(kType) {}
  ~StreamValue();

  Encoding encoding() const { return Encoding::kStream; }
  size_t size() const { return length_; }
  Object* Clone() const;
  size_t MemoryUsage(size_t samples) const;

  // ---- Entries.

  // Adds an entry of `fields_and_values` (field, value, field, value ...; at least one
  // pair). `id`: nullopt for an automatic ID from `now_ms` (never going backwards); an
  // explicit ID; or, when `seq_given` is false, only its ms part (ms-*). kIdTooSmall when the
  // ID is not greater than last_id() (or no greater ID exists), kTooLarge when the elements
  // exceed kNodeBytesMax. On success *added is the new ID.
  AppendStatus Append(std::span<const std::string_view> fields_and_values,
                      std::optional<StreamId> id, bool seq_given, int64_t now_ms,
                      const NodeLimits& limits, StreamId* added);
  // Redis's streamTrim; returns the number of entries deleted.
  int64_t Trim(const TrimArgs& args);
  // Deletes the live entry `id` (raising max_deleted_id to it); false if there is none.
  // first_id is left for RecomputeFirstId, as XDEL refreshes it once after all deletions.
  bool Delete(StreamId id);
  // first_id after deletions: the first live entry's ID, or 0-0 when empty.
  void RecomputeFirstId();
  bool Contains(StreamId id) const;
  // The first or last entry's ID (tombstones included unless skip_tombstones); when there is
  // none, Max() for first and 0-0 for last (Redis's streamGetEdgeID).
  StreamId EdgeId(bool first, bool skip_tombstones) const;

  uint64_t length() const { return length_; }
  StreamId last_id() const { return last_id_; }
  StreamId first_id() const { return first_id_; }
  StreamId max_deleted_id() const { return max_deleted_id_; }
  uint64_t entries_added() const { return entries_added_; }
  void set_last_id(StreamId id) { last_id_ = id; }
  void set_first_id(StreamId id) { first_id_ = id; }
  void set_length(uint64_t length) { length_ = length; }
  // The RDB loader: adds a node after the last one. REQUIRES: ValidateStreamNode accepted
  // the node, it has live entries, and its master ID is above the previous node's last entry.
  // length, the IDs and entries_added are the loader's to set.
  void AppendLoadedNode(StreamId master_id, Listpack&& listpack) {
    nodes_.push_back(Node{master_id, std::move(listpack)});
  }
  void set_entries_added(uint64_t count) { entries_added_ = count; }
  void set_max_deleted_id(StreamId id) { max_deleted_id_ = id; }

  // Number of nodes (XINFO's radix-tree-keys) and the node count a Redis rax holding the same
  // keys has (radix-tree-nodes).
  size_t node_count() const { return nodes_.size(); }
  size_t RadixTreeNodes() const;

  // ---- Consumer groups.

  StreamGroup* FindGroup(std::string_view name) const;
  // A new group; nullptr when the name exists.
  StreamGroup* CreateGroup(std::string_view name, StreamId last_id, int64_t entries_read);
  bool DestroyGroup(std::string_view name);
  size_t group_count() const { return groups_ == nullptr ? 0 : groups_->size(); }
  // Groups ordered by name; null when there never were any.
  const GroupMap* groups() const { return groups_.get(); }

  // Whether [start, end] may hold a tombstone (Redis's streamRangeHasTombstones; end null:
  // to the end).
  bool RangeHasTombstones(StreamId start, const StreamId* end) const;
  // Redis's streamEstimateDistanceFromFirstEverEntry: the logical read counter of `id`, or
  // StreamGroup::kEntriesReadInvalid when it cannot be known.
  int64_t EstimateDistanceFromFirstEverEntry(StreamId id) const;
  // The group's lag (entries not yet delivered), or nullopt when unknown.
  std::optional<int64_t> Lag(const StreamGroup& group) const;
  // Advances the group's last-delivered ID to `id` (a delivery of entry `id`), keeping
  // entries_read as Redis does. REQUIRES: id > group.last_id.
  void AdvanceGroup(StreamGroup& group, StreamId id) const;

  struct Node {
    StreamId master_id;
    Listpack listpack;
  };

  // Walks the live entries (and tombstones when asked) with IDs in [start, end], forward or
  // backward. Usage: while (it.Next(&id, &fields)) { for each field: it.NextField(&f, &v); }
  class Iterator {
   public:
    Iterator(const StreamValue& stream, StreamId start, StreamId end, bool reverse,
             bool skip_tombstones = true);
    bool Next(StreamId* id, int64_t* field_count);
    // The next field and value of the current entry (valid until the stream changes).
    void NextField(ListpackValue* field, ListpackValue* value);
    bool deleted() const { return (flags_ & kFlagDeleted) != 0; }

   private:
    friend class StreamValue;
    bool EnterNode();
    const StreamValue& stream_;
    StreamId start_;
    StreamId end_;
    bool reverse_;
    bool skip_tombstones_;
    // Current node (index into nodes_; SIZE_MAX before the first) and positions in it.
    size_t node_ = SIZE_MAX;
    bool node_open_ = false;
    bool exhausted_ = false;
    int64_t master_fields_ = 0;
    uint32_t master_fields_pos_ = 0;
    uint32_t cursor_ = 0;     // Forward: the element before the next entry's flags.
    uint32_t flags_pos_ = 0;  // Current entry's flags element.
    int64_t elements_ = 0;    // Current entry's lp-count.
    int64_t flags_ = 0;
    uint32_t field_pos_ = 0;  // Next field name (master's when same-fields).
    uint32_t value_pos_ = 0;  // Next value (or field/value pair start).
  };

  const std::vector<Node>& nodes() const { return nodes_; }

 private:
  static constexpr int64_t kFlagDeleted = 1;
  static constexpr int64_t kFlagSameFields = 2;

  // Marks the entry whose flags are at `flags_pos` in node `node` deleted; removes the node
  // when it held the last live entry. Returns whether the node was removed.
  bool MarkDeleted(size_t node, uint32_t flags_pos);
  // Partially trims node `node` (Redis's in-listpack pass). Returns entries deleted.
  int64_t TrimInsideNode(size_t node, const TrimArgs& args);
  void AppendToNode(Node& node, std::span<const std::string_view> fields_and_values, StreamId id);
  // The ID of a node's last entry (tombstones included), if it has any.
  static std::optional<StreamId> LastIdOf(const Node& node);

  std::vector<Node> nodes_;
  uint64_t length_ = 0;
  StreamId last_id_;
  StreamId first_id_;
  StreamId max_deleted_id_;
  uint64_t entries_added_ = 0;
  // Created on the first XGROUP CREATE, as Redis does, to keep plain streams small.
  std::unique_ptr<GroupMap> groups_;
};

// Reads an integer element of a stream node (stored as an integer, or as its decimal text).
int64_t ListpackInteger(const ListpackValue& value);

}  // namespace ringdb::store
