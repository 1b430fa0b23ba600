// StringSet: a set of binary strings, the "hashtable" encoding of big sets.
//
// A chained hash table shaped like Redis's dict, so that it keeps dict's two promises:
//   - Growth and shrinkage are incremental. A resize allocates the new bucket array and then
//     every Insert and Erase moves one bucket (looking at no more than ten empty ones), so no
//     single command pays for rehashing a million members. Lookups search both tables while
//     a rehash is in progress.
//   - Scan (SSCAN) is dictScan: the cursor counts bucket indexes with the bits reversed, so a
//     member present for the whole iteration is returned at least once even when the table
//     grows or shrinks between calls (a bucket of a table of size N splits into buckets
//     b and b + N of a table of size 2N, which the reversed counter visits next to each other).
//
// Memory: each member is one allocation holding the chain pointer, its length (1 byte below
// 255, else 5) and its bytes; a bucket is one pointer. The load factor stays between 0.1 and 1
// (shrinking below 10% full, as Redis's htNeedsResize), so a member costs its bytes plus about
// 10 bytes of header and 8-16 bytes of bucket.
//
// REQUIRES: used from one thread; Scan and ForEach callbacks must not change the set.
#pragma once

#include <cstddef>
#include <cstdint>
#include <cstring>
#include <string_view>
#include <utility>

namespace ringdb::store {

class StringSet {
 public:
  // Redis's DICT_HT_INITIAL_SIZE and HASHTABLE_MIN_FILL (percent).
  static constexpr size_t kInitialBuckets = 4;
  static constexpr size_t kMinFillPercent = 10;

  StringSet() = default;
  // A set presized for `capacity` members (dictExpand).
  explicit StringSet(size_t capacity);
  ~StringSet();
  // A copy with the same members (its own tables, sized for them; not mid-rehash).
  StringSet(const StringSet& other);
  StringSet& operator=(const StringSet& other) = delete;

  size_t size() const { return tables_[0].used + tables_[1].used; }
  bool empty() const { return size() == 0; }
  bool rehashing() const { return rehash_index_ >= 0; }
  // Buckets of both tables.
  size_t bucket_count() const { return Buckets(tables_[0]) + Buckets(tables_[1]); }

  // Adds `member`; returns false when it was already present.
  bool Insert(std::string_view member);
  bool Contains(std::string_view member) const;
  // Removes `member`; returns false when it was absent. May start a shrink.
  bool Erase(std::string_view member);
  // Presizes the table for `capacity` members (no-op while rehashing or when big enough).
  void Expand(size_t capacity);

  // A member picked with `random` (a uniform 64-bit value). REQUIRES: !empty().
  std::string_view Random(uint64_t random) const;

  // Calls fn(std::string_view) for every member, in table order.
  template <typename Fn>
  void ForEach(Fn&& fn) const {
    for (const Table& table : tables_) {
      for (size_t i = 0; i < Buckets(table); i++) {
        for (const Node* node = table.buckets[i]; node != nullptr; node = node->next) {
          fn(node->member());
        }
      }
    }
  }

  // dictScan: calls fn(std::string_view) for the members of the buckets at `cursor` and
  // returns the next cursor (0: the iteration is complete).
  template <typename Fn>
  uint64_t Scan(uint64_t cursor, Fn&& fn) const {
    if (empty()) return 0;
    if (!rehashing()) {
      const Table& table = tables_[0];
      VisitBucket(table, cursor & table.mask, fn);
      return NextCursor(cursor, table.mask);
    }
    // Visit the small table's bucket, then every bucket of the large table that expands it.
    const Table* small = &tables_[0];
    const Table* large = &tables_[1];
    if (Buckets(*small) > Buckets(*large)) std::swap(small, large);
    VisitBucket(*small, cursor & small->mask, fn);
    do {
      VisitBucket(*large, cursor & large->mask, fn);
      cursor = NextCursor(cursor, large->mask);
    } while ((cursor & (small->mask ^ large->mask)) != 0);
    return cursor;
  }

  // Memory held: bucket arrays and member allocations (usable sizes). With `samples` > 0,
  // looks at about that many members and extrapolates.
  size_t AllocatedBytes(size_t samples = 0) const;

  // Checks the structure: counts, every member in the bucket its hash names, no duplicates
  // within a chain. For tests (O(n)).
  bool CheckInvariants() const;

 private:
  // A member: the chain link, then its length (one byte, or 0xFF and four bytes) and bytes.
  struct Node {
    Node* next;
    const uint8_t* payload() const { return reinterpret_cast<const uint8_t*>(this + 1); }
    std::string_view member() const {
      const uint8_t* p = payload();
      if (p[0] != 0xFF) return {reinterpret_cast<const char*>(p + 1), p[0]};
      uint32_t length;
      std::memcpy(&length, p + 1, sizeof(length));
      return {reinterpret_cast<const char*>(p + 5), length};
    }
  };
  struct Table {
    Node** buckets = nullptr;
    size_t mask = 0;  // Buckets - 1, when there are buckets.
    size_t used = 0;
  };

  static size_t Buckets(const Table& table) {
    return table.buckets == nullptr ? 0 : table.mask + 1;
  }
  template <typename Fn>
  static void VisitBucket(const Table& table, size_t index, Fn& fn) {
    if (table.buckets == nullptr) return;
    for (const Node* node = table.buckets[index]; node != nullptr; node = node->next) {
      fn(node->member());
    }
  }
  // The reverse-binary increment of dictScan over the bits `mask` covers.
  static uint64_t NextCursor(uint64_t cursor, uint64_t mask) {
    cursor |= ~mask;
    cursor = ReverseBits(cursor);
    cursor++;
    return ReverseBits(cursor);
  }
  static uint64_t ReverseBits(uint64_t v) {
    v = ((v >> 1) & 0x5555555555555555ULL) | ((v & 0x5555555555555555ULL) << 1);
    v = ((v >> 2) & 0x3333333333333333ULL) | ((v & 0x3333333333333333ULL) << 2);
    v = ((v >> 4) & 0x0F0F0F0F0F0F0F0FULL) | ((v & 0x0F0F0F0F0F0F0F0FULL) << 4);
    return __builtin_bswap64(v);
  }

  static uint64_t HashOf(std::string_view member);
  static Node* NewNode(std::string_view member);
  static void FreeNode(Node* node);
  static Table NewTable(size_t buckets);
  static void FreeTable(Table& table);

  // The link pointing at the node holding `member` (and in *table_index the table holding
  // it), or nullptr.
  Node** FindLink(std::string_view member, uint64_t hash, int* table_index = nullptr) const;
  void ExpandIfNeeded();
  void ShrinkIfNeeded();
  void Resize(size_t capacity);
  // Moves up to one bucket from the old table to the new one (Redis's _dictRehashStep).
  void RehashStep();

  Table tables_[2];
  // The next bucket of tables_[0] to move, or -1 when not rehashing.
  int64_t rehash_index_ = -1;
};

}  // namespace ringdb::store
