// Quicklist mechanics (see quicklist.h); each step names the Redis quicklist.c function whose
// decisions it reproduces.
#include "quicklist.h"

#include <lz4.h>

#include <algorithm>
#include <climits>
#include <cstring>
#include <new>
#include <optional>
#include <string>
#include <utility>

#include "ringdb/base/assert.h"
#include "ringdb/base/memory.h"

namespace ringdb::store::internal {
namespace {

// Node size limits of fill -1..-5 (Redis's optimization_level).
constexpr size_t kOptimizationLevel[] = {4096, 8192, 16384, 32768, 65536};
// Largest multi-element node when the fill counts elements (SIZE_SAFETY_LIMIT).
constexpr size_t kSizeSafetyLimit = 8192;
// Per-element overestimate of the listpack overhead (SIZE_ESTIMATE_OVERHEAD).
constexpr size_t kSizeEstimateOverhead = 8;
constexpr int kFillMax = (1 << 15) - 1;
constexpr int kCompressDepthMax = (1 << 16) - 1;
// Nodes smaller than this are not worth compressing, nor is a gain under kCompressGainMin.
constexpr size_t kCompressBytesMin = 48;
constexpr size_t kCompressGainMin = 8;

size_t NegativeFillLimit(int64_t fill) {
  RINGDB_DASSERT(fill < 0);
  size_t level = fill <= -5 ? 4 : static_cast<size_t>(-fill - 1);
  return kOptimizationLevel[level];
}

// The bytes of a node's compressed block, its size prefix included.
size_t UsableBlockBytes(const QuicklistNode* node) {
  uint32_t block_bytes;
  std::memcpy(&block_bytes, node->compressed, sizeof(block_bytes));
  return sizeof(block_bytes) + block_bytes;
}

// A one-element listpack.
Listpack Single(std::string_view element) {
  Listpack listpack;
  listpack.Append(element);
  return listpack;
}

// The listpack of `a`'s elements followed by `b`'s: element encodings do not depend on their
// position, so the bytes between header and terminator concatenate.
Listpack Concatenate(const Listpack& a, const Listpack& b) {
  std::string_view a_bytes = a.bytes();
  std::string_view b_bytes = b.bytes();
  size_t body_a = a_bytes.size() - Listpack::kHeaderBytes - 1;
  size_t body_b = b_bytes.size() - Listpack::kHeaderBytes - 1;
  size_t total = Listpack::kHeaderBytes + body_a + body_b + 1;
  size_t count = a.size() + b.size();
  std::string blob(total, '\0');
  for (int i = 0; i < 4; i++) blob[i] = static_cast<char>((total >> (8 * i)) & 0xff);
  uint16_t header_count =
      count < Listpack::kCountUnknown ? static_cast<uint16_t>(count) : Listpack::kCountUnknown;
  blob[4] = static_cast<char>(header_count & 0xff);
  blob[5] = static_cast<char>(header_count >> 8);
  std::memcpy(blob.data() + Listpack::kHeaderBytes, a_bytes.data() + Listpack::kHeaderBytes,
              body_a);
  std::memcpy(blob.data() + Listpack::kHeaderBytes + body_a,
              b_bytes.data() + Listpack::kHeaderBytes, body_b);
  blob[total - 1] = static_cast<char>(Listpack::kEnd);
  return Listpack::FromBytes(blob);
}

// The position of the element `offset` from the head of a listpack of `count` elements,
// walking from the nearer end.
uint32_t SeekNear(const Listpack& listpack, uint32_t offset, uint32_t count) {
  if (offset > count / 2) return listpack.Seek(static_cast<int64_t>(offset) - count);
  return listpack.Seek(offset);
}

}  // namespace

void QuicklistNodeLimit(int64_t fill, size_t* bytes_max, uint64_t* count_max) {
  *bytes_max = SIZE_MAX;
  *count_max = UINT_MAX;
  if (fill >= 0) {
    *count_max = fill == 0 ? 1 : std::min<uint64_t>(static_cast<uint64_t>(fill), UINT_MAX);
  } else {
    *bytes_max = NegativeFillLimit(fill);
  }
}

bool QuicklistExceedsLimit(int64_t fill, size_t new_bytes, uint64_t new_count) {
  size_t bytes_max;
  uint64_t count_max;
  QuicklistNodeLimit(fill, &bytes_max, &count_max);
  if (bytes_max != SIZE_MAX) return new_bytes > bytes_max;
  // A count limit still keeps multi-element nodes within the safety size.
  if (new_bytes > kSizeSafetyLimit) return true;
  return new_count > count_max;
}

Quicklist::Quicklist(int64_t fill, int64_t compress_depth)
    : fill_(static_cast<int>(fill > kFillMax ? kFillMax : (fill < -5 ? -5 : fill))),
      compress_depth_(static_cast<int>(compress_depth > kCompressDepthMax
                                           ? kCompressDepthMax
                                           : (compress_depth < 0 ? 0 : compress_depth))) {}

Quicklist::~Quicklist() {
  Node* node = head_;
  while (node != nullptr) {
    Node* next = node->next;
    delete node;
    node = next;
  }
}

Quicklist::Quicklist(const Quicklist& other)
    : count_(other.count_), fill_(other.fill_), compress_depth_(other.compress_depth_) {
  for (const Node* source = other.head_; source != nullptr; source = source->next) {
    Node* node;
    if (source->is_compressed) {
      node = new Node(*source, source->compressed, UsableBlockBytes(source));
    } else {
      node = new Node(Listpack(source->entries), source->plain);
    }
    node->prev = tail_;
    if (tail_ != nullptr) tail_->next = node;
    if (head_ == nullptr) head_ = node;
    tail_ = node;
    length_++;
  }
  RINGDB_ASSERT(length_ == other.length_);
}

// ---- limits (_quicklistNodeAllowInsert, _quicklistNodeAllowMerge, isLargeElement) ----

bool Quicklist::IsLarge(size_t element_bytes) const {
  if (fill_ >= 0) return element_bytes > kSizeSafetyLimit;
  return element_bytes > NegativeFillLimit(fill_);
}

bool Quicklist::AllowInsert(const Node* node, size_t element_bytes) const {
  if (node == nullptr || node->plain || IsLarge(element_bytes)) return false;
  size_t new_bytes = node->bytes + element_bytes + kSizeEstimateOverhead;
  return !QuicklistExceedsLimit(fill_, new_bytes, uint64_t{node->count} + 1);
}

bool Quicklist::AllowMerge(const Node* a, const Node* b) const {
  if (a == nullptr || b == nullptr || a->plain || b->plain) return false;
  // One header and terminator go away (LP_HDR_SIZE + LP_EOF).
  size_t merged_bytes = size_t{a->bytes} + b->bytes - 7;
  return !QuicklistExceedsLimit(fill_, merged_bytes, uint64_t{a->count} + b->count);
}

// ---- nodes ----

Quicklist::Node* Quicklist::NewNode(Listpack&& entries, bool plain) {
  return new Node(std::move(entries), plain);
}

// __quicklistInsertNode. Counts the new node's elements into count_.
void Quicklist::LinkNode(Node* old_node, Node* new_node, bool after) {
  if (after) {
    new_node->prev = old_node;
    if (old_node != nullptr) {
      new_node->next = old_node->next;
      if (old_node->next != nullptr) old_node->next->prev = new_node;
      old_node->next = new_node;
    }
    if (tail_ == old_node) tail_ = new_node;
  } else {
    new_node->next = old_node;
    if (old_node != nullptr) {
      new_node->prev = old_node->prev;
      if (old_node->prev != nullptr) old_node->prev->next = new_node;
      old_node->prev = new_node;
    }
    if (head_ == old_node) head_ = new_node;
  }
  if (length_ == 0) head_ = tail_ = new_node;
  length_++;
  count_ += new_node->count;
  if (old_node != nullptr) Recompress(old_node);
  Recompress(new_node);
}

// __quicklistDelNode.
void Quicklist::DeleteNode(Node* node) {
  if (node->next != nullptr) node->next->prev = node->prev;
  if (node->prev != nullptr) node->prev->next = node->next;
  if (node == tail_) tail_ = node->prev;
  if (node == head_) head_ = node->next;
  length_--;
  count_ -= node->count;
  delete node;
  Recompress(nullptr);
}

bool Quicklist::DeleteAt(Node* node, uint32_t position) {
  RINGDB_DASSERT(!node->is_compressed);
  node->entries.Delete(position);
  node->count--;
  count_--;
  if (node->count == 0) {
    DeleteNode(node);
    return true;
  }
  UpdateBytes(node);
  return false;
}

// ---- compression (__quicklistCompress, __quicklistCompressNode) ----

Listpack& Quicklist::Open(Node* node) {
  if (node->is_compressed) DecompressNode(node);
  return node->entries;
}

void Quicklist::Recompress(Node* node) {
  if (compress_depth_ == 0 || length_ < static_cast<size_t>(compress_depth_) * 2) return;
  Node* forward = head_;
  Node* reverse = tail_;
  bool in_depth = false;
  for (int depth = 0; depth < compress_depth_; depth++) {
    DecompressNode(forward);
    DecompressNode(reverse);
    if (forward == node || reverse == node) in_depth = true;
    // The two sides met: every node is within the depth.
    if (forward == reverse || forward->next == reverse) return;
    forward = forward->next;
    reverse = reverse->prev;
  }
  if (!in_depth && node != nullptr) CompressNode(node);
  CompressNode(forward);
  CompressNode(reverse);
}

void Quicklist::CompressNode(Node* node) {
  if (node->is_compressed || node->bytes < kCompressBytesMin) return;
  int bound = LZ4_compressBound(static_cast<int>(node->bytes));
  std::string buffer(static_cast<size_t>(bound), '\0');
  std::string_view source = node->entries.bytes();
  int written =
      LZ4_compress_default(source.data(), buffer.data(), static_cast<int>(source.size()), bound);
  if (written <= 0 || static_cast<size_t>(written) + kCompressGainMin >= node->bytes) return;
  auto* block = static_cast<uint8_t*>(Allocate(sizeof(uint32_t) + static_cast<size_t>(written)));
  uint32_t block_bytes = static_cast<uint32_t>(written);
  std::memcpy(block, &block_bytes, sizeof(block_bytes));
  std::memcpy(block + sizeof(block_bytes), buffer.data(), block_bytes);
  node->entries.~Listpack();
  node->compressed = block;
  node->is_compressed = true;
}

namespace {
std::string Decompress(const QuicklistNode* node) {
  uint32_t block_bytes;
  std::memcpy(&block_bytes, node->compressed, sizeof(block_bytes));
  std::string raw(node->bytes, '\0');
  int read =
      LZ4_decompress_safe(reinterpret_cast<const char*>(node->compressed) + sizeof(block_bytes),
                          raw.data(), static_cast<int>(block_bytes), static_cast<int>(node->bytes));
  RINGDB_ASSERT(read == static_cast<int>(node->bytes));
  return raw;
}
}  // namespace

void Quicklist::DecompressNode(Node* node) {
  if (!node->is_compressed) return;
  uint8_t* block = node->compressed;
  std::string raw = Decompress(node);
  new (&node->entries) Listpack(Listpack::FromBytes(raw));
  node->is_compressed = false;
  Deallocate(block);
}

const Listpack& Quicklist::View(const Node* node, Listpack* scratch) const {
  if (!node->is_compressed) return node->entries;
  *scratch = Listpack::FromBytes(Decompress(node));
  return *scratch;
}

// ---- conversion ----

void Quicklist::AppendListpack(Listpack&& listpack, bool plain) {
  LinkNode(tail_, NewNode(std::move(listpack), plain), true);
}

void Quicklist::ForEachNode(void* context,
                            void (*fn)(void* context, const Listpack& node, bool plain)) const {
  Listpack scratch;
  for (const Node* node = head_; node != nullptr; node = node->next) {
    fn(context, View(node, &scratch), node->plain);
  }
}

bool Quicklist::TakeSingleListpack(size_t bytes_max, uint64_t count_max, Listpack* out) {
  if (length_ != 1 || head_->plain) return false;
  if (head_->bytes > bytes_max || count_ > count_max) return false;
  *out = std::move(Open(head_));
  delete head_;
  head_ = tail_ = nullptr;
  length_ = 0;
  count_ = 0;
  return true;
}

// ---- pushes (quicklistPushHead, quicklistPushTail) ----

void Quicklist::PushHead(std::string_view element) {
  if (IsLarge(element.size())) {
    LinkNode(head_, NewNode(Single(element), true), false);
  } else if (AllowInsert(head_, element.size())) {
    Open(head_).Prepend(element);
    head_->count++;
    count_++;
    UpdateBytes(head_);
  } else {
    LinkNode(head_, NewNode(Single(element), false), false);
  }
}

void Quicklist::PushTail(std::string_view element) {
  if (IsLarge(element.size())) {
    LinkNode(tail_, NewNode(Single(element), true), true);
  } else if (AllowInsert(tail_, element.size())) {
    Open(tail_).Append(element);
    tail_->count++;
    count_++;
    UpdateBytes(tail_);
  } else {
    LinkNode(tail_, NewNode(Single(element), false), true);
  }
}

// ---- lookup and reading (quicklistGetIteratorAtIdx, quicklistNext) ----

Quicklist::Place Quicklist::Locate(int64_t index) const {
  bool forward = index >= 0;
  uint64_t wanted = forward ? static_cast<uint64_t>(index) : static_cast<uint64_t>(-(index + 1));
  if (wanted >= count_) return {};
  // Walk from the nearer end; `seek` counts from the head when seek_forward, else from the tail.
  bool seek_forward = forward;
  uint64_t seek = wanted;
  if (wanted > (count_ - 1) / 2) {
    seek_forward = !forward;
    seek = count_ - 1 - wanted;
  }
  uint64_t accumulated = 0;
  Node* node = seek_forward ? head_ : tail_;
  while (node != nullptr && accumulated + node->count <= seek) {
    accumulated += node->count;
    node = seek_forward ? node->next : node->prev;
  }
  RINGDB_ASSERT(node != nullptr);
  uint64_t within = seek - accumulated;
  uint32_t offset = static_cast<uint32_t>(seek_forward ? within : node->count - 1 - within);
  return {node, offset};
}

void Quicklist::Visit(int64_t index, bool reverse, void* context,
                      bool (*fn)(void* context, const ListpackValue& value)) const {
  Place place = Locate(index);
  const Node* node = place.node;
  uint32_t offset = place.offset;
  std::optional<Listpack> scratch;
  while (node != nullptr) {
    const Listpack* listpack = &node->entries;
    if (node->is_compressed) {
      if (!scratch) scratch.emplace();
      listpack = &View(node, &*scratch);
    }
    uint32_t position = SeekNear(*listpack, offset, node->count);
    while (position != Listpack::kNone) {
      if (!fn(context, listpack->Get(position))) return;
      position = reverse ? listpack->Prev(position) : listpack->Next(position);
    }
    node = reverse ? node->prev : node->next;
    if (node != nullptr) offset = reverse ? node->count - 1 : 0;
  }
}

// ---- deletion (quicklistDelRange) ----

void Quicklist::DeleteRange(int64_t start, int64_t count) {
  if (count <= 0) return;
  uint64_t extent = static_cast<uint64_t>(count);
  if (start >= 0 && extent > count_ - static_cast<uint64_t>(start)) {
    extent = count_ - static_cast<uint64_t>(start);
  } else if (start < 0 && extent > static_cast<uint64_t>(-start)) {
    extent = static_cast<uint64_t>(-start);
  }
  Place place = Locate(start);
  Node* node = place.node;
  uint64_t offset = place.offset;
  while (extent > 0 && node != nullptr) {
    Node* next = node->next;
    uint64_t deleted;
    if (offset == 0 && extent >= node->count) {
      deleted = node->count;
      DeleteNode(node);
    } else {
      deleted = offset + extent >= node->count ? node->count - offset : extent;
      if (node->plain) {
        DeleteNode(node);
      } else {
        Listpack& listpack = Open(node);
        listpack.DeleteRange(listpack.Seek(static_cast<int64_t>(offset)), deleted);
        node->count -= static_cast<uint32_t>(deleted);
        count_ -= deleted;
        if (node->count == 0) {
          DeleteNode(node);
        } else {
          UpdateBytes(node);
          Recompress(node);
        }
      }
    }
    extent -= deleted;
    node = next;
    offset = 0;
  }
}

// ---- split and merge (_quicklistSplitNode, _quicklistListpackMerge, _quicklistMergeNodes) ----

// after: `node` keeps [0, offset] and the returned node gets (offset, end]; otherwise the
// returned node gets [0, offset) and `node` keeps [offset, end]. The returned node is not
// linked and its elements are not in count_.
Quicklist::Node* Quicklist::Split(Node* node, uint32_t offset, bool after) {
  Listpack& entries = Open(node);
  Listpack copy(entries);
  if (after) {
    entries.DeleteRange(entries.Seek(offset + 1), SIZE_MAX);
    copy.DeleteRange(copy.First(), size_t{offset} + 1);
  } else {
    entries.DeleteRange(entries.First(), offset);
    copy.DeleteRange(copy.Seek(offset), SIZE_MAX);
  }
  node->count = static_cast<uint32_t>(entries.size());
  UpdateBytes(node);
  Node* split = NewNode(std::move(copy), false);
  count_ -= split->count;
  return split;
}

Quicklist::Node* Quicklist::Merge(Node* a, Node* b) {
  Listpack merged = Concatenate(Open(a), Open(b));
  a->entries = std::move(merged);
  a->count += b->count;
  UpdateBytes(a);
  b->count = 0;  // Its elements live on in `a`.
  DeleteNode(b);
  Recompress(a);
  return a;
}

Quicklist::Node* Quicklist::MergeAround(Node* center) {
  Node* prev = center->prev;
  Node* prev_prev = prev != nullptr ? prev->prev : nullptr;
  Node* next = center->next;
  Node* next_next = next != nullptr ? next->next : nullptr;
  if (AllowMerge(prev, prev_prev)) Merge(prev_prev, prev);
  if (AllowMerge(next, next_next)) Merge(next, next_next);
  Node* target = center;
  if (AllowMerge(center, center->prev)) target = Merge(center->prev, center);
  if (AllowMerge(target, target->next)) target = Merge(target, target->next);
  return target;
}

// ---- insertion and replacement (_quicklistInsert, quicklistReplaceEntry) ----

void Quicklist::Insert(Node* node, uint32_t offset, uint32_t position, std::string_view element,
                       bool after) {
  size_t bytes = element.size();
  bool full = !AllowInsert(node, bytes);
  bool at_tail = after && offset + 1 == node->count;
  bool at_head = !after && offset == 0;
  bool available_next = at_tail && AllowInsert(node->next, bytes);
  bool available_prev = at_head && AllowInsert(node->prev, bytes);
  if (IsLarge(bytes)) {
    if (node->plain || at_tail || at_head) {
      LinkNode(node, NewNode(Single(element), true), after);
    } else {
      Node* split = Split(node, offset, after);
      Node* entry_node = NewNode(Single(element), true);
      LinkNode(node, entry_node, after);
      LinkNode(entry_node, split, after);
    }
    return;
  }
  if (!full) {
    Listpack& entries = Open(node);
    if (after) {
      entries.InsertAfter(position, element);
    } else {
      entries.InsertBefore(position, element);
    }
    node->count++;
    count_++;
    UpdateBytes(node);
    Recompress(node);
  } else if (available_next || available_prev) {
    Node* neighbor = available_next ? node->next : node->prev;
    Listpack& entries = Open(neighbor);
    if (available_next) {
      entries.Prepend(element);
    } else {
      entries.Append(element);
    }
    neighbor->count++;
    count_++;
    UpdateBytes(neighbor);
    Recompress(neighbor);
    Recompress(node);
  } else if (at_tail || at_head) {
    LinkNode(node, NewNode(Single(element), false), after);
  } else {
    Node* split = Split(node, offset, after);
    if (after) {
      split->entries.Prepend(element);
    } else {
      split->entries.Append(element);
    }
    split->count++;
    UpdateBytes(split);
    LinkNode(node, split, after);
    MergeAround(node);
  }
}

bool Quicklist::Replace(int64_t index, std::string_view element) {
  Place place = Locate(index);
  Node* node = place.node;
  if (node == nullptr) return false;
  bool large = IsLarge(element.size());
  if (!node->plain && !large) {
    Listpack& entries = Open(node);
    entries.Replace(SeekNear(entries, place.offset, node->count), element);
    UpdateBytes(node);
    Recompress(node);
  } else if (node->plain) {
    if (large) {
      Listpack& entries = Open(node);
      entries.Replace(entries.First(), element);
      UpdateBytes(node);
      Recompress(node);
    } else {
      Insert(node, 0, Listpack::kNone, element, true);
      DeleteNode(node);
    }
  } else {
    // A big element replacing one in a shared node: it gets a node of its own after the
    // old element, whose node is split there if needed; then the old element goes.
    Node* split = nullptr;
    if (place.offset + 1 != node->count) split = Split(node, place.offset, true);
    Node* new_node = NewNode(Single(element), true);
    LinkNode(node, new_node, true);
    if (split != nullptr) LinkNode(new_node, split, true);
    if (node->count == 1) {
      DeleteNode(node);
    } else {
      Listpack& entries = Open(node);
      DeleteAt(node, entries.Last());
      Recompress(node);
      MergeAround(new_node);
    }
  }
  return true;
}

bool Quicklist::InsertAtPivot(std::string_view pivot, std::string_view element, bool after) {
  ListElementMatcher matcher(pivot);
  std::optional<Listpack> scratch;
  for (Node* node = head_; node != nullptr; node = node->next) {
    const Listpack* view = &node->entries;
    if (node->is_compressed) {
      if (!scratch) scratch.emplace();
      view = &View(node, &*scratch);
    }
    uint32_t offset = 0;
    for (uint32_t position = view->First(); position != Listpack::kNone;
         position = view->Next(position), offset++) {
      if (!matcher.Matches(view->Get(position))) continue;
      Open(node);  // Positions are the same in the decompressed copy.
      Insert(node, offset, position, element, after);
      return true;
    }
  }
  return false;
}

size_t Quicklist::Remove(std::string_view element, size_t limit, bool from_tail) {
  ListElementMatcher matcher(element);
  size_t removed = 0;
  Node* node = from_tail ? tail_ : head_;
  while (node != nullptr) {
    Node* following = from_tail ? node->prev : node->next;
    Listpack& entries = Open(node);
    bool gone = false;
    uint32_t position = from_tail ? entries.Last() : entries.First();
    while (position != Listpack::kNone) {
      if (!matcher.Matches(entries.Get(position))) {
        position = from_tail ? entries.Prev(position) : entries.Next(position);
        continue;
      }
      // Positions before a deleted element stay valid; the one after it moves into its place.
      uint32_t previous = from_tail ? entries.Prev(position) : Listpack::kNone;
      uint32_t next_position = Listpack::kNone;
      if (!from_tail) {
        next_position = entries.Next(position);
        if (next_position != Listpack::kNone) next_position = position;
      }
      gone = DeleteAt(node, position);
      removed++;
      if (gone || (limit != 0 && removed == limit)) break;
      position = from_tail ? previous : next_position;
    }
    if (!gone) Recompress(node);
    if (limit != 0 && removed == limit) break;
    node = following;
  }
  return removed;
}

size_t Quicklist::MemoryUsage(size_t samples) const {
  size_t total = sizeof(Quicklist);
  size_t sampled = 0;
  size_t node_bytes = 0;
  for (const Node* node = head_; node != nullptr; node = node->next) {
    node_bytes += sizeof(Node);
    node_bytes +=
        node->is_compressed ? UsableSize(node->compressed) : node->entries.AllocatedBytes();
    sampled++;
    if (samples != 0 && sampled >= samples) break;
  }
  if (sampled == 0) return total;
  return total + static_cast<size_t>(static_cast<double>(node_bytes) / sampled * length_);
}

}  // namespace ringdb::store::internal
