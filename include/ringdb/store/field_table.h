// FieldTable: the "hashtable" encoding of a hash, a map from binary field to binary value.
//
// A chained hash table with Redis's dict shape, because that shape is what keeps HSCAN's
// promise: buckets are a power of two, every element sits in its home bucket, and the
// reverse-binary cursor (Redis's dictScan) visits each home bucket of the smaller and the
// larger table exactly as Redis does, so an element present for a whole scan is returned at
// least once even when the table grows or shrinks between calls.
//
// Memory: one node per element, one allocation holding everything:
//
//   Node { Node* next; varint field_length; varint value_length; field bytes; value bytes }
//
// so a 10-byte field with a 10-byte value costs a 32-byte block plus an 8-byte bucket slot
// (Redis: a 24-byte dictEntry, two sds strings and the slot).
//
// Growth is incremental, as Redis's rehashing: past one element per bucket a table twice the
// size is allocated and every later change moves one bucket (visiting at most 10 empty
// ones) from the old table to the new, so no single command pays for more than that. While
// both tables exist, lookups look in both. Below 10% fill a table shrinks the same way.
// Reads never move anything (a shared object must stay unchanged).
#pragma once

#include <cstddef>
#include <cstdint>
#include <string_view>

namespace ringdb::store {

struct FieldValue {
  std::string_view field;
  std::string_view value;
};

class FieldTable {
 public:
  // Buckets a new table starts with (Redis's DICT_HT_INITIAL_SIZE).
  static constexpr size_t kBucketsMin = 4;

  // `expected`: elements about to be added (the buckets are sized for them at once).
  explicit FieldTable(size_t expected = 0);
  ~FieldTable();
  // A deep copy (rehashing finished in the copy).
  FieldTable(const FieldTable& other);
  FieldTable& operator=(const FieldTable&) = delete;

  size_t size() const { return used_[0] + used_[1]; }
  bool rehashing() const { return rehash_index_ >= 0; }
  // Buckets of the main table and (while rehashing) of the one being filled.
  size_t buckets(int table) const {
    return buckets_[table] == nullptr ? 0 : size_t{1} << exp_[table];
  }

  // Whether `field` is present; if so *value (when not null) views its value until the table
  // changes.
  bool Find(std::string_view field, std::string_view* value) const;
  // Sets `field` to `value`; returns true when the field is new.
  bool Set(std::string_view field, std::string_view value);
  // Removes `field`; returns whether it was there.
  bool Delete(std::string_view field);
  // Makes room for `count` elements in all (no effect while rehashing).
  void Reserve(size_t count);

  // Calls fn(field, value) for every element (main table, then the new one).
  template <typename Fn>
  void ForEach(Fn&& fn) const {
    for (int t = 0; t < 2; t++) {
      size_t count = buckets(t);
      for (size_t i = 0; i < count; i++) {
        for (const Node* node = buckets_[t][i]; node != nullptr; node = node->next) {
          fn(NodeField(node), NodeValue(node));
        }
      }
    }
  }

  // Redis's dictScan: calls fn(field, value) for the elements of the buckets at `cursor`
  // and returns the next cursor (0: the iteration is complete).
  template <typename Fn>
  uint64_t Scan(uint64_t cursor, Fn&& fn) const {
    if (size() == 0) return 0;
    return ScanStep(
        cursor,
        [](const Node* node, void* closure) {
          (*static_cast<Fn*>(closure))(NodeField(node), NodeValue(node));
        },
        &fn);
  }

  // An element picked at random (roughly uniformly: a random non-empty bucket, then a random
  // element of its chain). `random` yields 64 random bits per call. REQUIRES: size() > 0.
  FieldValue Random(uint64_t (*random)()) const;

  // Bytes held: bucket arrays and nodes (usable sizes). With `samples` > 0, the nodes are
  // estimated from the first `samples` elements met.
  size_t AllocatedBytes(size_t samples) const;

 private:
  struct Node {
    Node* next;
    // varint field length, varint value length, field bytes, value bytes follow.
    unsigned char data[];
  };
  using ScanCallback = void (*)(const Node* node, void* closure);

  static std::string_view NodeField(const Node* node);
  static std::string_view NodeValue(const Node* node);
  static Node* NewNode(std::string_view field, std::string_view value);
  // Rewrites the node's value if it fits the node's block; else a new node (the old one
  // freed). Returns the node now holding the element.
  static Node* ReplaceValue(Node* node, std::string_view value);

  uint64_t HashOf(std::string_view field) const;
  // The link pointing at the node holding `field` (its table in *table), or nullptr.
  Node** FindSlot(std::string_view field, uint64_t hash, int* table) const;
  uint64_t ScanStep(uint64_t cursor, ScanCallback callback, void* closure) const;
  void StartResize(size_t count);
  void RehashStep();
  void MaybeGrow();
  void MaybeShrink();
  static Node** NewBuckets(uint8_t exp);

  Node** buckets_[2] = {nullptr, nullptr};
  size_t used_[2] = {0, 0};
  // Index of the next bucket of table 0 to move into table 1; -1 when not rehashing.
  int64_t rehash_index_ = -1;
  uint8_t exp_[2] = {0, 0};
};

}  // namespace ringdb::store
