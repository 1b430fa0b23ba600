// The skiplist encoding of a sorted set (private to src/store): Redis's skiplist with spans,
// and a member index for O(1) lookups by member.
//
// Node: one allocation  [score][backward][hash][member length][level count][levels...][member]
// A level is {forward, span}: span counts the nodes the forward pointer skips (1 on level 0),
// so the rank of a node is the sum of spans on the path to it. Nodes are ordered by
// (score, member bytes), member bytes compared as memcmp then length, as Redis's sdscmp.
//
// MemberIndex: open addressing with linear probing, keyed by a 64-bit seeded hash kept in the
// node. Every run of occupied slots is kept sorted by hash and a node's home slot is the top
// bits of its hash, so the table read in slot order is the nodes in hash order. That makes a
// hash value a stable ZSCAN cursor (nodes present for a whole scan are returned, across
// growth and deletions), and lets a lookup stop at the first larger hash. Slots past the last
// home slot absorb overflow instead of wrapping around.
//
// Growth and shrinking are incremental, as Redis's rehashing: a resize allocates the new table
// and every later insert, erase or lookup-for-write moves a few nodes from the old one, whose
// slots become tombstones so that lookups in it stay correct. No operation pauses for the
// whole table.
#pragma once

#include <cstddef>
#include <cstdint>
#include <string_view>

namespace ringdb::store::zset_detail {

inline constexpr int kLevelsMax = 32;

struct Node;
struct Level {
  Node* forward;
  size_t span;
};

struct Node {
  double score;
  Node* backward;
  uint64_t hash;
  uint32_t member_bytes;
  uint8_t level_count;
  // level_count Levels follow the node, then the member bytes.

  Level* levels() { return reinterpret_cast<Level*>(this + 1); }
  const Level* levels() const { return reinterpret_cast<const Level*>(this + 1); }
  Level& level(int i) { return levels()[i]; }
  const Level& level(int i) const { return levels()[i]; }
  char* member_data() { return reinterpret_cast<char*>(levels() + level_count); }
  std::string_view member() const {
    return {reinterpret_cast<const char*>(levels() + level_count), member_bytes};
  }
};
static_assert(sizeof(Node) == 32);
static_assert(alignof(Level) <= alignof(Node));

// Node order: by score, then member bytes.
inline bool NodeBefore(double score_a, std::string_view member_a, double score_b,
                       std::string_view member_b) {
  return score_a < score_b || (score_a == score_b && member_a < member_b);
}

class MemberIndex {
 public:
  MemberIndex() = default;
  MemberIndex(const MemberIndex&) = delete;
  MemberIndex& operator=(const MemberIndex&) = delete;
  ~MemberIndex();

  void Reserve(size_t count);
  Node* Find(std::string_view member, uint64_t hash) const;
  // REQUIRES: no node with this member is present.
  void Insert(Node* node);
  // REQUIRES: `node` is present.
  void Erase(const Node* node);
  size_t size() const { return size_; }
  size_t AllocatedBytes() const;

  // Calls fn(node) for about `count` nodes with hash >= cursor in hash order (all nodes of
  // the last hash included); returns the next cursor, 0 at the end.
  template <typename Fn>
  uint64_t Scan(uint64_t cursor, size_t count, Fn&& fn) const;

 private:
  struct Table {
    Node** slots = nullptr;
    size_t capacity = 0;  // power of two: the home slots
    size_t length = 0;    // capacity plus overflow slots
    int bits = 0;
    size_t live = 0;
    size_t Home(uint64_t hash) const { return bits == 0 ? 0 : hash >> (64 - bits); }
  };
  static Node* Tombstone() { return reinterpret_cast<Node*>(uintptr_t{1}); }
  static bool Live(const Node* node) { return node != nullptr && node != Tombstone(); }
  static void Allocate(Table& table, size_t capacity);
  static void Free(Table& table);
  static Node* FindIn(const Table& table, std::string_view member, uint64_t hash);
  static void InsertInto(Table& table, Node* node);
  void StartResize(size_t capacity);
  void MigrateSome(size_t nodes);
  void MaybeResize();
  // First slot of `table` at or after which live nodes have hash >= cursor.
  static size_t LowerBound(const Table& table, uint64_t cursor);

  Table table_;
  Table old_;  // being drained into table_ (slots == nullptr when no resize runs)
  size_t migrate_position_ = 0;
  size_t size_ = 0;
};

template <typename Fn>
uint64_t MemberIndex::Scan(uint64_t cursor, size_t count, Fn&& fn) const {
  // Merge the two tables' hash-ordered runs.
  size_t a = LowerBound(table_, cursor);
  size_t b = old_.slots != nullptr ? LowerBound(old_, cursor) : 0;
  auto next_live = [](const Table& table, size_t& i) -> Node* {
    while (i < table.length && !Live(table.slots[i])) i++;
    return i < table.length ? table.slots[i] : nullptr;
  };
  size_t emitted = 0;
  bool have_last = false;
  uint64_t last_hash = 0;
  while (true) {
    Node* x = next_live(table_, a);
    Node* y = old_.slots != nullptr ? next_live(old_, b) : nullptr;
    if (x == nullptr && y == nullptr) return 0;
    bool take_x = y == nullptr || (x != nullptr && x->hash <= y->hash);
    Node* node = take_x ? x : y;
    if (emitted >= count && (!have_last || node->hash != last_hash)) return node->hash;
    fn(node);
    emitted++;
    have_last = true;
    last_hash = node->hash;
    if (take_x) {
      a++;
    } else {
      b++;
    }
  }
}

class Skiplist {
 public:
  Skiplist();
  Skiplist(const Skiplist&) = delete;
  Skiplist& operator=(const Skiplist&) = delete;
  ~Skiplist();

  size_t size() const { return length_; }
  Node* head() const { return head_; }
  Node* tail() const { return tail_; }
  Node* first() const { return head_->level(0).forward; }
  MemberIndex& index() { return index_; }
  const MemberIndex& index() const { return index_; }

  Node* Find(std::string_view member) const { return index_.Find(member, Hash(member)); }
  // REQUIRES: `member` is absent.
  Node* Insert(std::string_view member, double score);
  // Moves `node` to its place for `score`.
  void UpdateScore(Node* node, double score);
  void Erase(Node* node);
  // 1-based rank of `node`.
  size_t RankOf(const Node* node) const;
  // The node of 1-based `rank` (nullptr when out of range).
  Node* ByRank(size_t rank) const;
  // Deletes ranks start..end (1-based, inclusive).
  void DeleteRanks(size_t start, size_t end);

  // Walk: the last node (with its 1-based rank, 0 for the head) for which before(node) holds,
  // assuming before is true on a prefix of the list.
  template <typename Before>
  Node* LastWhere(Before&& before, size_t* rank) const {
    Node* x = head_;
    size_t traversed = 0;
    for (int i = level_ - 1; i >= 0; i--) {
      while (x->level(i).forward != nullptr && before(x->level(i).forward)) {
        traversed += x->level(i).span;
        x = x->level(i).forward;
      }
    }
    *rank = traversed;
    return x;
  }

  size_t AllocatedBytes(size_t samples) const;
  static uint64_t Hash(std::string_view member);

 private:
  static Node* NewNode(int levels, double score, std::string_view member, uint64_t hash);
  static void FreeNode(Node* node);
  static int RandomLevel();
  void Link(Node* node);
  void Unlink(Node* node, Node** update);
  void FindUpdate(double score, std::string_view member, Node** update, size_t* rank) const;

  Node* head_;
  Node* tail_ = nullptr;
  size_t length_ = 0;
  int level_ = 1;
  MemberIndex index_;
};

}  // namespace ringdb::store::zset_detail
