// Quicklist: the big encoding of a list, Redis's quicklist. A doubly linked list of nodes, each
// a listpack of up to `fill` elements (fill > 0) or of up to 4..64 KiB (fill -1..-5); an element
// too big for a node gets a node of its own (a "plain" node, here a one-element listpack that
// never takes another element). Nodes deeper than `compress_depth` from both ends are kept
// lz4-compressed.
//
// The node algorithms follow Redis's quicklist.c (push, insert with split and merge, replace,
// range deletion) so that the node layout, and with it the moment a shrinking list may turn
// back into a single listpack (one node left), is the one Redis would have.
//
// Invariants: no node is empty; `count_` is the sum of the nodes' counts and `length_` the
// number of nodes; a compressed node is neither plain-inserted into nor within compress_depth
// of either end after an operation returns.
//
// Private to the store (list_value.cc); not an interface of the module.
#pragma once

#include <cstddef>
#include <cstdint>
#include <cstring>
#include <string_view>
#include <utility>

#include "ringdb/base/memory.h"
#include "ringdb/store/list_value.h"
#include "ringdb/store/listpack.h"

namespace ringdb::store::internal {

// 32 bytes, as Redis's quicklistNode: the listpack and the compressed block share one slot.
struct QuicklistNode {
  QuicklistNode(Listpack&& elements, bool plain_in)
      : entries(std::move(elements)),
        bytes(static_cast<uint32_t>(entries.total_bytes())),
        count(static_cast<uint16_t>(entries.size())),
        plain(plain_in) {}
  // A node holding a copy of another's compressed block.
  QuicklistNode(const QuicklistNode& source, const uint8_t* block, size_t block_bytes)
      : compressed(static_cast<uint8_t*>(Allocate(block_bytes))),
        bytes(source.bytes),
        count(source.count),
        plain(source.plain),
        is_compressed(true) {
    std::memcpy(compressed, block, block_bytes);
  }
  ~QuicklistNode() {
    if (is_compressed) {
      Deallocate(compressed);
    } else {
      entries.~Listpack();
    }
  }
  QuicklistNode(const QuicklistNode&) = delete;
  QuicklistNode& operator=(const QuicklistNode&) = delete;

  QuicklistNode* prev = nullptr;
  QuicklistNode* next = nullptr;
  union {
    // The elements, while not compressed.
    Listpack entries;
    // While compressed: the lz4 block's size (u32, native order), then the block; allocated
    // with ringdb::Allocate.
    uint8_t* compressed;
  };
  // The listpack's size in bytes (Redis's node->sz), kept while compressed.
  uint32_t bytes = 0;
  // Elements in the node: at most 32767 (the fill limit) or what 64 KiB holds.
  uint16_t count = 0;
  // A node holding one element too big for a shared node (Redis's PLAIN container).
  bool plain = false;
  bool is_compressed = false;
};
static_assert(sizeof(QuicklistNode) == 32);

// Redis's quicklistNodeLimit: the node size limit (SIZE_MAX if none) and element count limit
// (UINT32_MAX if none) for a list-max-listpack-size value.
void QuicklistNodeLimit(int64_t fill, size_t* bytes_max, uint64_t* count_max);
// Redis's quicklistNodeExceedsLimit.
bool QuicklistExceedsLimit(int64_t fill, size_t new_bytes, uint64_t new_count);

class Quicklist {
 public:
  using Node = QuicklistNode;

  // `fill` and `compress_depth` as configured; clamped as Redis's quicklistSetOptions does.
  Quicklist(int64_t fill, int64_t compress_depth);
  ~Quicklist();
  Quicklist(const Quicklist& other);
  Quicklist& operator=(const Quicklist&) = delete;

  size_t count() const { return count_; }
  size_t length() const { return length_; }
  int fill() const { return fill_; }
  const Node* head() const { return head_; }
  const Node* tail() const { return tail_; }

  // Adds a whole listpack as a new tail node (the conversion from the small encoding, and
  // the RDB loader's nodes; `plain` for a node of one large element).
  void AppendListpack(Listpack&& listpack, bool plain = false);
  // Calls fn(context, node's listpack, plain) for each node from the head; compressed nodes
  // are read through a scratch copy.
  void ForEachNode(void* context,
                   void (*fn)(void* context, const Listpack& node, bool plain)) const;
  // When the list is one packed node within the given limits, gives its listpack away and
  // leaves the quicklist empty; otherwise returns false and changes nothing.
  bool TakeSingleListpack(size_t bytes_max, uint64_t count_max, Listpack* out);

  void PushHead(std::string_view element);
  void PushTail(std::string_view element);

  // An element's place: its node, its offset in the node (0-based from the node's head) and
  // its position in the node's listpack (valid only for an uncompressed node).
  struct Place {
    Node* node = nullptr;
    uint32_t offset = 0;
  };
  // The element at `index` (negative: from the tail), walking nodes by their counts from the
  // nearer end; node == nullptr when out of range.
  Place Locate(int64_t index) const;

  // Visits elements from `index` towards the tail (or the head when `reverse`) while `fn`
  // returns true. Compressed nodes are read through a scratch copy.
  void Visit(int64_t index, bool reverse, void* context,
             bool (*fn)(void* context, const ListpackValue& value)) const;

  // Redis's quicklistDelRange: deletes `count` elements from `start` (negative: from the tail).
  void DeleteRange(int64_t start, int64_t count);
  // Replaces the element at `index`; false when out of range.
  bool Replace(int64_t index, std::string_view element);
  // Inserts `element` after (or before) the first element equal to `pivot`, scanning from the
  // head; false when there is none.
  bool InsertAtPivot(std::string_view pivot, std::string_view element, bool after);
  // Removes up to `limit` (0: all) elements equal to `element`, from the head or the tail.
  size_t Remove(std::string_view element, size_t limit, bool from_tail);

  size_t MemoryUsage(size_t samples) const;

 private:
  bool AllowInsert(const Node* node, size_t element_bytes) const;
  bool AllowMerge(const Node* a, const Node* b) const;
  bool IsLarge(size_t element_bytes) const;

  Node* NewNode(Listpack&& entries, bool plain);
  void LinkNode(Node* old_node, Node* new_node, bool after);
  void DeleteNode(Node* node);
  // Deletes the element at `position` of `node` (uncompressed); returns true if the node went.
  bool DeleteAt(Node* node, uint32_t position);

  // Makes `node` readable and writable in place (decompressing it if needed).
  Listpack& Open(Node* node);
  void UpdateBytes(Node* node) { node->bytes = static_cast<uint32_t>(node->entries.total_bytes()); }
  // Redis's __quicklistCompress: decompress the nodes within compress_depth of both ends,
  // compress `node` (may be null) when deeper, and the first node past the depth on each side.
  void Recompress(Node* node);
  void CompressNode(Node* node);
  void DecompressNode(Node* node);
  // The node's listpack for reading: the node's own or a decompressed copy in `scratch`.
  const Listpack& View(const Node* node, Listpack* scratch) const;

  void Insert(Node* node, uint32_t offset, uint32_t position, std::string_view element, bool after);
  Node* Split(Node* node, uint32_t offset, bool after);
  Node* Merge(Node* a, Node* b);
  Node* MergeAround(Node* center);

  Node* head_ = nullptr;
  Node* tail_ = nullptr;
  size_t count_ = 0;
  size_t length_ = 0;
  int fill_;
  int compress_depth_;
};

}  // namespace ringdb::store::internal
