// StreamValue's mechanism: node layout, appends, trimming, deletion, iteration and consumer
// group bookkeeping, following t_stream.c's rules step for step (see stream_value.h).
#include "ringdb/store/stream_value.h"

#include <algorithm>
#include <array>
#include <charconv>
#include <cstring>

#include "ringdb/base/assert.h"
#include "ringdb/base/memory.h"
#include "ringdb/base/strings.h"

namespace ringdb::store {

// ---- StreamId

bool StreamId::Increment() {
  if (seq == UINT64_MAX) {
    if (ms == UINT64_MAX) {
      ms = 0;
      seq = 0;
      return false;
    }
    ms++;
    seq = 0;
    return true;
  }
  seq++;
  return true;
}

bool StreamId::Decrement() {
  if (seq == 0) {
    if (ms == 0) {
      ms = UINT64_MAX;
      seq = UINT64_MAX;
      return false;
    }
    ms--;
    seq = UINT64_MAX;
    return true;
  }
  seq--;
  return true;
}

size_t StreamId::Format(char* out) const {
  size_t length = FormatUint64(ms, out);
  out[length++] = '-';
  length += FormatUint64(seq, out + length);
  return length;
}

std::string StreamId::ToString() const {
  char text[kTextMax];
  return std::string(text, Format(text));
}

int64_t ListpackInteger(const ListpackValue& value) {
  if (value.is_integer) return value.integer;
  std::optional<int64_t> parsed = ParseInt64(value.bytes);
  RINGDB_ASSERT(parsed.has_value());
  return *parsed;
}

namespace {

int64_t IntegerAt(const Listpack& listpack, uint32_t position) {
  RINGDB_DASSERT(position != Listpack::kNone);
  return ListpackInteger(listpack.Get(position));
}

// Number of live (count) and tombstoned (deleted) entries in a node's master entry.
int64_t LiveCount(const Listpack& listpack) { return IntegerAt(listpack, listpack.First()); }
int64_t DeletedCount(const Listpack& listpack) {
  return IntegerAt(listpack, listpack.Next(listpack.First()));
}

uint32_t Skip(const Listpack& listpack, uint32_t position, int64_t count) {
  while (count-- > 0) position = listpack.Next(position);
  return position;
}
uint32_t SkipBack(const Listpack& listpack, uint32_t position, int64_t count) {
  while (count-- > 0) position = listpack.Prev(position);
  return position;
}

// The 16-byte big-endian key Redis's rax stores a node under.
std::array<uint8_t, 16> RaxKey(StreamId id) {
  std::array<uint8_t, 16> key;
  for (int i = 0; i < 8; i++) {
    key[static_cast<size_t>(i)] = static_cast<uint8_t>(id.ms >> (56 - 8 * i));
    key[static_cast<size_t>(8 + i)] = static_cast<uint8_t>(id.seq >> (56 - 8 * i));
  }
  return key;
}

// Nodes of a compressed radix tree over keys[begin, end) that share their first `depth`
// bytes: a run of bytes all keys share is one compressed node, a byte where they differ is a
// branching node with one child per distinct byte, and each key ends in an empty leaf.
size_t RaxNodes(const std::vector<std::array<uint8_t, 16>>& keys, size_t begin, size_t end,
                size_t depth) {
  if (depth == 16) return 1;
  const auto& low = keys[begin];
  const auto& high = keys[end - 1];
  size_t common = depth;
  while (common < 16 && low[common] == high[common]) common++;
  if (common > depth) return 1 + RaxNodes(keys, begin, end, common);
  size_t nodes = 1;
  size_t group = begin;
  while (group < end) {
    size_t next = group;
    while (next < end && keys[next][depth] == keys[group][depth]) next++;
    nodes += RaxNodes(keys, group, next, depth + 1);
    group = next;
  }
  return nodes;
}

}  // namespace

// ---- StreamGroup

StreamConsumer* StreamGroup::FindConsumer(std::string_view name) const {
  auto it = consumers.find(name);
  return it == consumers.end() ? nullptr : it->second.get();
}

StreamConsumer* StreamGroup::CreateConsumer(std::string_view name, int64_t now_ms) {
  auto [it, inserted] = consumers.try_emplace(std::string(name));
  if (!inserted) return nullptr;
  it->second = std::make_unique<StreamConsumer>();
  it->second->name = it->first;
  it->second->seen_time_ms = now_ms;
  return it->second.get();
}

size_t StreamGroup::DeleteConsumer(StreamConsumer* consumer) {
  size_t count = consumer->pending.size();
  for (const auto& [id, entry] : consumer->pending) pending.erase(id);
  consumers.erase(consumer->name);
  return count;
}

bool StreamGroup::Acknowledge(StreamId id) {
  auto it = pending.find(id);
  if (it == pending.end()) return false;
  if (it->second.consumer != nullptr) it->second.consumer->pending.erase(id);
  pending.erase(it);
  return true;
}

void StreamGroup::Reassign(StreamId id, StreamPending& entry, StreamConsumer* consumer) {
  if (entry.consumer == consumer) return;
  if (entry.consumer != nullptr) entry.consumer->pending.erase(id);
  consumer->pending[id] = &entry;
  entry.consumer = consumer;
}

// ---- StreamValue: lifetime

StreamValue::~StreamValue() = default;

Object* StreamValue::Clone() const {
  auto* copy = new StreamValue();
  copy->nodes_.reserve(nodes_.size());
  for (const Node& node : nodes_) copy->nodes_.push_back(Node{node.master_id, node.listpack});
  copy->length_ = length_;
  copy->last_id_ = last_id_;
  copy->first_id_ = first_id_;
  copy->max_deleted_id_ = max_deleted_id_;
  copy->entries_added_ = entries_added_;
  if (groups_ != nullptr) {
    copy->groups_ = std::make_unique<GroupMap>();
    for (const auto& [name, group] : *groups_) {
      auto clone = std::make_unique<StreamGroup>();
      clone->last_id = group->last_id;
      clone->entries_read = group->entries_read;
      for (const auto& [consumer_name, consumer] : group->consumers) {
        StreamConsumer* target = clone->CreateConsumer(consumer_name, consumer->seen_time_ms);
        target->active_time_ms = consumer->active_time_ms;
      }
      for (const auto& [id, entry] : group->pending) {
        StreamPending& target = clone->pending[id];
        target.delivery_time_ms = entry.delivery_time_ms;
        target.delivery_count = entry.delivery_count;
        if (entry.consumer != nullptr) {
          target.consumer = clone->FindConsumer(entry.consumer->name);
          target.consumer->pending[id] = &target;
        }
      }
      copy->groups_->emplace(name, std::move(clone));
    }
  }
  return copy;
}

size_t StreamValue::MemoryUsage(size_t samples) const {
  size_t bytes = sizeof(*this) + nodes_.capacity() * sizeof(Node);
  size_t looked = 0;
  size_t node_bytes = 0;
  for (const Node& node : nodes_) {
    if (samples != 0 && looked == samples) break;
    node_bytes += node.listpack.AllocatedBytes();
    looked++;
  }
  if (looked > 0) bytes += node_bytes * nodes_.size() / looked;
  if (groups_ != nullptr) {
    // Map nodes: about three pointers and a color word of overhead each.
    constexpr size_t kMapNodeBytes = 32;
    bytes += sizeof(GroupMap);
    for (const auto& [name, group] : *groups_) {
      bytes += kMapNodeBytes + sizeof(std::string) + name.capacity() + sizeof(StreamGroup);
      bytes += group->pending.size() * (kMapNodeBytes + sizeof(StreamId) + sizeof(StreamPending));
      for (const auto& [consumer_name, consumer] : group->consumers) {
        bytes += kMapNodeBytes + sizeof(std::string) + consumer_name.capacity() +
                 sizeof(StreamConsumer) + consumer->name.capacity() +
                 consumer->pending.size() * (kMapNodeBytes + sizeof(StreamId) + sizeof(void*));
      }
    }
  }
  return bytes;
}

// ---- Appending

StreamValue::AppendStatus StreamValue::Append(std::span<const std::string_view> fields_and_values,
                                              std::optional<StreamId> id_given, bool seq_given,
                                              int64_t now_ms, const NodeLimits& limits,
                                              StreamId* added) {
  RINGDB_ASSERT(fields_and_values.size() >= 2);
  RINGDB_ASSERT(fields_and_values.size() % 2 == 0);
  StreamId id;
  if (id_given.has_value()) {
    id = *id_given;
    if (!seq_given && last_id_.ms == id.ms) {
      // ms-*: the next sequence of the same millisecond.
      if (last_id_.seq == UINT64_MAX) return AppendStatus::kIdTooSmall;
      id = last_id_;
      id.seq++;
    }
  } else if (now_ms > 0 && static_cast<uint64_t>(now_ms) > last_id_.ms) {
    id = StreamId{static_cast<uint64_t>(now_ms), 0};
  } else {
    // The clock did not move past the last ID: never go backwards.
    id = last_id_;
    id.Increment();
  }
  if (id <= last_id_) return AppendStatus::kIdTooSmall;

  size_t element_bytes = 0;
  for (std::string_view element : fields_and_values) element_bytes += element.size();
  if (element_bytes > kNodeBytesMax) return AppendStatus::kTooLarge;

  bool new_node = nodes_.empty();
  if (!new_node) {
    const Listpack& tail = nodes_.back().listpack;
    size_t max_bytes = static_cast<size_t>(limits.max_bytes);
    if (limits.max_bytes <= 0 || max_bytes > kNodeBytesMax) max_bytes = kNodeBytesMax;
    if (tail.total_bytes() + element_bytes >= max_bytes) {
      new_node = true;
    } else if (limits.max_entries > 0) {
      // Tombstones count: they still take room in the node.
      if (LiveCount(tail) + DeletedCount(tail) >= limits.max_entries) new_node = true;
    }
  }
  if (new_node) {
    Node node{id, Listpack()};
    Listpack& listpack = node.listpack;
    size_t field_count = fields_and_values.size() / 2;
    listpack.AppendInteger(0);  // Made 1 by AppendToNode.
    listpack.AppendInteger(0);
    listpack.AppendInteger(static_cast<int64_t>(field_count));
    for (size_t i = 0; i < field_count; i++) listpack.Append(fields_and_values[i * 2]);
    listpack.AppendInteger(0);
    nodes_.push_back(std::move(node));
  }
  AppendToNode(nodes_.back(), fields_and_values, id);
  length_++;
  entries_added_++;
  last_id_ = id;
  if (length_ == 1) first_id_ = id;
  *added = id;
  return AppendStatus::kOk;
}

void StreamValue::AppendToNode(Node& node, std::span<const std::string_view> fields_and_values,
                               StreamId id) {
  Listpack& listpack = node.listpack;
  int64_t field_count = static_cast<int64_t>(fields_and_values.size() / 2);
  uint32_t count_pos = listpack.First();
  listpack.ReplaceInteger(count_pos, IntegerAt(listpack, count_pos) + 1);
  uint32_t position = listpack.Next(listpack.Next(listpack.First()));
  int64_t master_fields = IntegerAt(listpack, position);
  bool same_fields = master_fields == field_count;
  for (int64_t i = 0; same_fields && i < field_count; i++) {
    position = listpack.Next(position);
    if (!listpack.Get(position).Equals(fields_and_values[static_cast<size_t>(i * 2)])) {
      same_fields = false;
    }
  }
  int64_t flags = same_fields ? kFlagSameFields : 0;
  listpack.AppendInteger(flags);
  // Deltas are stored as the two's complement of the unsigned difference, as Redis does.
  listpack.AppendInteger(static_cast<int64_t>(id.ms - node.master_id.ms));
  listpack.AppendInteger(static_cast<int64_t>(id.seq - node.master_id.seq));
  if (!same_fields) listpack.AppendInteger(field_count);
  for (int64_t i = 0; i < field_count; i++) {
    if (!same_fields) listpack.Append(fields_and_values[static_cast<size_t>(i * 2)]);
    listpack.Append(fields_and_values[static_cast<size_t>(i * 2 + 1)]);
  }
  int64_t elements = field_count + 3 + (same_fields ? 0 : field_count + 1);
  listpack.AppendInteger(elements);
}

// ---- Iteration

StreamValue::Iterator::Iterator(const StreamValue& stream, StreamId start, StreamId end,
                                bool reverse, bool skip_tombstones)
    : stream_(stream),
      start_(start),
      end_(end),
      reverse_(reverse),
      skip_tombstones_(skip_tombstones) {
  const std::vector<Node>& nodes = stream.nodes_;
  // The last node whose master ID is <= `bound` holds the first candidate.
  auto last_at_or_below = [&](StreamId bound) -> size_t {
    auto it =
        std::upper_bound(nodes.begin(), nodes.end(), bound,
                         [](StreamId value, const Node& node) { return value < node.master_id; });
    if (it == nodes.begin()) return SIZE_MAX;
    return static_cast<size_t>(it - nodes.begin() - 1);
  };
  if (nodes.empty()) {
    exhausted_ = true;
  } else if (!reverse) {
    size_t first = last_at_or_below(start);
    node_ = first == SIZE_MAX ? 0 : first;
  } else {
    node_ = last_at_or_below(end);
    // No node starts at or below `end`: no entry can be <= end.
    if (node_ == SIZE_MAX) exhausted_ = true;
  }
}

bool StreamValue::Iterator::EnterNode() {
  const Listpack& listpack = stream_.nodes_[node_].listpack;
  uint32_t position = listpack.Next(listpack.Next(listpack.First()));
  master_fields_ = IntegerAt(listpack, position);
  master_fields_pos_ = listpack.Next(position);
  if (!reverse_) {
    cursor_ = Skip(listpack, master_fields_pos_, master_fields_);  // The master terminator.
  } else {
    cursor_ = listpack.Last();
  }
  node_open_ = true;
  return true;
}

bool StreamValue::Iterator::Next(StreamId* id, int64_t* field_count) {
  const std::vector<Node>& nodes = stream_.nodes_;
  while (!exhausted_) {
    if (!node_open_) {
      if (node_ >= nodes.size()) {
        exhausted_ = true;
        return false;
      }
      EnterNode();
    }
    const Listpack& listpack = nodes[node_].listpack;
    uint32_t flags_pos;
    if (!reverse_) {
      flags_pos = listpack.Next(cursor_);
      if (flags_pos == Listpack::kNone) {
        node_open_ = false;
        node_++;
        continue;
      }
    } else {
      int64_t elements = IntegerAt(listpack, cursor_);
      if (elements == 0) {  // The master entry: this node is done.
        node_open_ = false;
        if (node_ == 0) {
          exhausted_ = true;
          return false;
        }
        node_--;
        continue;
      }
      flags_pos = SkipBack(listpack, cursor_, elements);
    }
    flags_pos_ = flags_pos;
    flags_ = IntegerAt(listpack, flags_pos);
    uint32_t position = listpack.Next(flags_pos);
    StreamId entry_id = nodes[node_].master_id;
    entry_id.ms += static_cast<uint64_t>(IntegerAt(listpack, position));
    position = listpack.Next(position);
    entry_id.seq += static_cast<uint64_t>(IntegerAt(listpack, position));
    position = listpack.Next(position);
    int64_t fields;
    if ((flags_ & kFlagSameFields) != 0) {
      fields = master_fields_;
      field_pos_ = master_fields_pos_;
      elements_ = 3 + fields;
    } else {
      fields = IntegerAt(listpack, position);
      position = listpack.Next(position);
      elements_ = 4 + 2 * fields;
    }
    value_pos_ = position;
    RINGDB_ASSERT(fields >= 0);
    cursor_ = reverse_ ? listpack.Prev(flags_pos) : Skip(listpack, flags_pos, elements_);
    bool visible = !skip_tombstones_ || (flags_ & kFlagDeleted) == 0;
    if (!reverse_) {
      if (entry_id >= start_ && visible) {
        if (entry_id > end_) {
          exhausted_ = true;
          return false;
        }
        *id = entry_id;
        *field_count = fields;
        return true;
      }
    } else if (entry_id <= end_ && visible) {
      if (entry_id < start_) {
        exhausted_ = true;
        return false;
      }
      *id = entry_id;
      *field_count = fields;
      return true;
    }
  }
  return false;
}

void StreamValue::Iterator::NextField(ListpackValue* field, ListpackValue* value) {
  const Listpack& listpack = stream_.nodes_[node_].listpack;
  if ((flags_ & kFlagSameFields) != 0) {
    *field = listpack.Get(field_pos_);
    field_pos_ = listpack.Next(field_pos_);
  } else {
    *field = listpack.Get(value_pos_);
    value_pos_ = listpack.Next(value_pos_);
  }
  *value = listpack.Get(value_pos_);
  value_pos_ = listpack.Next(value_pos_);
}

// ---- Deleting and trimming

bool StreamValue::MarkDeleted(size_t node, uint32_t flags_pos) {
  Listpack& listpack = nodes_[node].listpack;
  length_--;
  int64_t live = LiveCount(listpack);
  if (live == 1) {
    // The node's last live entry: the whole node goes, tombstones and all.
    nodes_.erase(nodes_.begin() + static_cast<std::ptrdiff_t>(node));
    return true;
  }
  size_t bytes_before = listpack.total_bytes();
  listpack.ReplaceInteger(flags_pos, IntegerAt(listpack, flags_pos) | kFlagDeleted);
  RINGDB_DASSERT(listpack.total_bytes() == bytes_before);
  (void)bytes_before;
  uint32_t position = listpack.First();
  position = listpack.ReplaceInteger(position, live - 1);
  position = listpack.Next(position);
  listpack.ReplaceInteger(position, IntegerAt(listpack, position) + 1);
  return false;
}

bool StreamValue::Delete(StreamId id) {
  Iterator it(*this, id, id, false);
  StreamId found;
  int64_t fields;
  if (!it.Next(&found, &fields)) return false;
  RINGDB_DASSERT(found == id);
  MarkDeleted(it.node_, it.flags_pos_);
  if (id > max_deleted_id_) max_deleted_id_ = id;
  return true;
}

void StreamValue::RecomputeFirstId() { first_id_ = length_ == 0 ? StreamId{} : EdgeId(true, true); }

bool StreamValue::Contains(StreamId id) const {
  Iterator it(*this, id, id, false);
  StreamId found;
  int64_t fields;
  return it.Next(&found, &fields);
}

StreamId StreamValue::EdgeId(bool first, bool skip_tombstones) const {
  Iterator it(*this, StreamId{}, StreamId::Max(), !first, skip_tombstones);
  StreamId id;
  int64_t fields;
  if (it.Next(&id, &fields)) return id;
  return first ? StreamId::Max() : StreamId{};
}

std::optional<StreamId> StreamValue::LastIdOf(const Node& node) {
  const Listpack& listpack = node.listpack;
  uint32_t position = listpack.Last();
  int64_t elements = IntegerAt(listpack, position);
  if (elements == 0) return std::nullopt;
  position = listpack.Next(SkipBack(listpack, position, elements));
  StreamId id = node.master_id;
  id.ms += static_cast<uint64_t>(IntegerAt(listpack, position));
  id.seq += static_cast<uint64_t>(IntegerAt(listpack, listpack.Next(position)));
  return id;
}

int64_t StreamValue::Trim(const TrimArgs& args) {
  using Strategy = TrimArgs::Strategy;
  if (args.strategy == Strategy::kNone) return 0;
  bool by_length = args.strategy == Strategy::kMaxLength;
  uint64_t max_length = static_cast<uint64_t>(args.max_length);
  int64_t deleted = 0;
  size_t removed_nodes = 0;
  // Whole nodes only ever go from the head, so they are erased at the end in one step.
  while (removed_nodes < nodes_.size()) {
    if (by_length && length_ <= max_length) break;
    const Node& node = nodes_[removed_nodes];
    int64_t entries = LiveCount(node.listpack);
    if (args.limit != 0 && deleted + entries > args.limit) break;
    bool remove_node;
    if (by_length) {
      remove_node = length_ - static_cast<uint64_t>(entries) >= max_length;
    } else {
      remove_node = LastIdOf(node).value_or(StreamId{}) < args.min_id;
    }
    if (remove_node) {
      length_ -= static_cast<uint64_t>(entries);
      deleted += entries;
      removed_nodes++;
      continue;
    }
    if (args.approximate) break;
    deleted += TrimInsideNode(removed_nodes, args);
    break;
  }
  nodes_.erase(nodes_.begin(), nodes_.begin() + static_cast<std::ptrdiff_t>(removed_nodes));
  if (length_ == 0) {
    first_id_ = StreamId{};
  } else if (deleted != 0) {
    first_id_ = EdgeId(true, true);
  }
  return deleted;
}

int64_t StreamValue::TrimInsideNode(size_t node_index, const TrimArgs& args) {
  Node& node = nodes_[node_index];
  Listpack& listpack = node.listpack;
  bool by_length = args.strategy == TrimArgs::Strategy::kMaxLength;
  uint64_t max_length = static_cast<uint64_t>(args.max_length);
  uint32_t position = listpack.Next(listpack.Next(listpack.First()));
  int64_t master_fields = IntegerAt(listpack, position);
  position = Skip(listpack, position, master_fields + 1);  // The master terminator.
  position = listpack.Next(position);
  int64_t deleted = 0;
  while (position != Listpack::kNone) {
    uint32_t flags_pos = position;
    int64_t flags = IntegerAt(listpack, flags_pos);
    position = listpack.Next(position);
    StreamId id = node.master_id;
    id.ms += static_cast<uint64_t>(IntegerAt(listpack, position));
    position = listpack.Next(position);
    id.seq += static_cast<uint64_t>(IntegerAt(listpack, position));
    position = listpack.Next(position);
    bool stop = by_length ? length_ <= max_length : id >= args.min_id;
    if (stop) break;
    int64_t to_skip;
    if ((flags & kFlagSameFields) != 0) {
      to_skip = master_fields;
    } else {
      to_skip = IntegerAt(listpack, position) * 2;
      position = listpack.Next(position);
    }
    position = Skip(listpack, position, to_skip + 1);  // Past the values and lp-count.
    if ((flags & kFlagDeleted) == 0) {
      // 0 or 2 becomes 1 or 3: one byte either way, so later positions stay valid.
      size_t bytes_before = listpack.total_bytes();
      listpack.ReplaceInteger(flags_pos, flags | kFlagDeleted);
      RINGDB_ASSERT(listpack.total_bytes() == bytes_before);
      deleted++;
      length_--;
    }
  }
  uint32_t count_pos = listpack.First();
  int64_t live = IntegerAt(listpack, count_pos);
  count_pos = listpack.ReplaceInteger(count_pos, live - deleted);
  uint32_t deleted_pos = listpack.Next(count_pos);
  listpack.ReplaceInteger(deleted_pos, IntegerAt(listpack, deleted_pos) + deleted);
  return deleted;
}

size_t StreamValue::RadixTreeNodes() const {
  if (nodes_.empty()) return 1;  // The empty root.
  std::vector<std::array<uint8_t, 16>> keys;
  keys.reserve(nodes_.size());
  for (const Node& node : nodes_) keys.push_back(RaxKey(node.master_id));
  return RaxNodes(keys, 0, keys.size(), 0);
}

// ---- Consumer groups

StreamGroup* StreamValue::FindGroup(std::string_view name) const {
  if (groups_ == nullptr) return nullptr;
  auto it = groups_->find(name);
  return it == groups_->end() ? nullptr : it->second.get();
}

StreamGroup* StreamValue::CreateGroup(std::string_view name, StreamId last_id,
                                      int64_t entries_read) {
  if (groups_ == nullptr) groups_ = std::make_unique<GroupMap>();
  auto [it, inserted] = groups_->try_emplace(std::string(name));
  if (!inserted) return nullptr;
  it->second = std::make_unique<StreamGroup>();
  it->second->last_id = last_id;
  it->second->entries_read = entries_read;
  return it->second.get();
}

bool StreamValue::DestroyGroup(std::string_view name) {
  if (groups_ == nullptr) return false;
  auto it = groups_->find(name);
  if (it == groups_->end()) return false;
  groups_->erase(it);
  return true;
}

bool StreamValue::RangeHasTombstones(StreamId start, const StreamId* end) const {
  if (length_ == 0 || max_deleted_id_.IsZero()) return false;
  StreamId end_id = end != nullptr ? *end : StreamId::Max();
  return start <= max_deleted_id_ && max_deleted_id_ <= end_id;
}

int64_t StreamValue::EstimateDistanceFromFirstEverEntry(StreamId id) const {
  constexpr int64_t kInvalid = StreamGroup::kEntriesReadInvalid;
  int64_t added = static_cast<int64_t>(entries_added_);
  if (entries_added_ == 0) return 0;
  if (length_ == 0 && id <= last_id_) return added;
  if (!id.IsZero() && id < max_deleted_id_) return kInvalid;
  if (id == last_id_) return added;
  if (id > last_id_) return kInvalid;
  if (max_deleted_id_.IsZero() || max_deleted_id_ < first_id_) {
    // No fragmentation ahead of the first entry.
    if (id < first_id_) return added - static_cast<int64_t>(length_);
    if (id == first_id_) return added - static_cast<int64_t>(length_) + 1;
  }
  return kInvalid;
}

std::optional<int64_t> StreamValue::Lag(const StreamGroup& group) const {
  int64_t added = static_cast<int64_t>(entries_added_);
  if (entries_added_ == 0) return 0;
  if (group.entries_read != StreamGroup::kEntriesReadInvalid &&
      !RangeHasTombstones(group.last_id, nullptr)) {
    return added - group.entries_read;
  }
  int64_t entries_read = EstimateDistanceFromFirstEverEntry(group.last_id);
  if (entries_read == StreamGroup::kEntriesReadInvalid) return std::nullopt;
  return added - entries_read;
}

void StreamValue::AdvanceGroup(StreamGroup& group, StreamId id) const {
  RINGDB_DASSERT(id > group.last_id);
  if (group.entries_read != StreamGroup::kEntriesReadInvalid && group.last_id >= first_id_ &&
      !RangeHasTombstones(group.last_id, nullptr)) {
    group.entries_read++;
  } else if (entries_added_ != 0) {
    group.entries_read = EstimateDistanceFromFirstEverEntry(id);
  }
  group.last_id = id;
}

}  // namespace ringdb::store
