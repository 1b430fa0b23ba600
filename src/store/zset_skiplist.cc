// The skiplist encoding's mechanism: the member index and the skiplist (zset_skiplist.h).
#include "zset_skiplist.h"

#include <cstring>
#include <new>
#include <random>

#include "ringdb/base/assert.h"
#include "ringdb/base/hash.h"
#include "ringdb/base/memory.h"

namespace ringdb::store::zset_detail {

namespace {

constexpr size_t kCapacityMin = 8;
// Slots past the last home slot to start with; more are added when a run reaches the end.
constexpr size_t kOverflowSlotsMin = 8;
// Nodes moved from the old table per insert or erase while a resize runs.
constexpr size_t kMigrateNodesPerStep = 16;

uint64_t ProcessSeed() {
  static const uint64_t seed = [] {
    std::random_device device;
    return (static_cast<uint64_t>(device()) << 32) ^ device();
  }();
  return seed;
}

size_t CapacityFor(size_t count) {
  size_t capacity = kCapacityMin;
  // Load at most 3/4.
  while (capacity * 3 < count * 4) capacity *= 2;
  return capacity;
}

int Log2(size_t power_of_two) { return __builtin_ctzll(power_of_two); }

}  // namespace

// ---------------------------------------------------------------------------------------
// MemberIndex

MemberIndex::~MemberIndex() {
  Free(table_);
  Free(old_);
}

void MemberIndex::Allocate(Table& table, size_t capacity) {
  RINGDB_ASSERT((capacity & (capacity - 1)) == 0);
  table.capacity = capacity;
  table.bits = Log2(capacity);
  table.length = capacity + kOverflowSlotsMin;
  table.slots = static_cast<Node**>(ringdb::Allocate(table.length * sizeof(Node*)));
  std::memset(table.slots, 0, table.length * sizeof(Node*));
  table.live = 0;
}

void MemberIndex::Free(Table& table) {
  if (table.slots != nullptr) Deallocate(table.slots);
  table = Table();
}

size_t MemberIndex::AllocatedBytes() const {
  size_t bytes = 0;
  if (table_.slots != nullptr) bytes += UsableSize(table_.slots);
  if (old_.slots != nullptr) bytes += UsableSize(old_.slots);
  return bytes;
}

void MemberIndex::Reserve(size_t count) {
  if (table_.slots != nullptr || size_ != 0) return;
  Allocate(table_, CapacityFor(count));
}

Node* MemberIndex::FindIn(const Table& table, std::string_view member, uint64_t hash) {
  if (table.slots == nullptr) return nullptr;
  for (size_t i = table.Home(hash); i < table.length; i++) {
    Node* node = table.slots[i];
    if (node == nullptr) return nullptr;
    if (node == Tombstone()) continue;
    if (node->hash > hash) return nullptr;
    if (node->hash == hash && node->member() == member) return node;
  }
  return nullptr;
}

Node* MemberIndex::Find(std::string_view member, uint64_t hash) const {
  Node* node = FindIn(table_, member, hash);
  if (node == nullptr && old_.slots != nullptr) node = FindIn(old_, member, hash);
  return node;
}

void MemberIndex::InsertInto(Table& table, Node* node) {
  size_t i = table.Home(node->hash);
  while (i < table.length && table.slots[i] != nullptr && table.slots[i]->hash <= node->hash) i++;
  size_t empty = i;
  while (empty < table.length && table.slots[empty] != nullptr) empty++;
  if (empty == table.length) {
    // The run reaches the end: add overflow slots (the home slots stay the same).
    size_t length = table.length + std::max(kOverflowSlotsMin, (table.length - table.capacity));
    table.slots = static_cast<Node**>(ringdb::Reallocate(table.slots, length * sizeof(Node*)));
    std::memset(table.slots + table.length, 0, (length - table.length) * sizeof(Node*));
    table.length = length;
  }
  std::memmove(table.slots + i + 1, table.slots + i, (empty - i) * sizeof(Node*));
  table.slots[i] = node;
  table.live++;
}

void MemberIndex::StartResize(size_t capacity) {
  RINGDB_ASSERT(old_.slots == nullptr);
  old_ = table_;
  table_ = Table();
  Allocate(table_, capacity);
  migrate_position_ = 0;
  // Old slots are never shifted again: erasing there leaves tombstones.
}

void MemberIndex::MigrateSome(size_t nodes) {
  if (old_.slots == nullptr) return;
  size_t slots_max = nodes * 4;
  while (nodes > 0 && slots_max > 0 && migrate_position_ < old_.length) {
    Node* node = old_.slots[migrate_position_];
    if (Live(node)) {
      old_.slots[migrate_position_] = Tombstone();
      old_.live--;
      InsertInto(table_, node);
      nodes--;
    }
    migrate_position_++;
    slots_max--;
  }
  if (old_.live == 0) {
    Free(old_);
    migrate_position_ = 0;
  }
}

void MemberIndex::MaybeResize() {
  if (old_.slots != nullptr) {
    // A shrink followed by many inserts could fill the new table before the old one is
    // drained; finish the move then (rare, bounded by the old table's size).
    if ((table_.live + 1) * 10 > table_.capacity * 9) {
      while (old_.slots != nullptr) MigrateSome(SIZE_MAX / 8);
    } else {
      return;
    }
  }
  if (table_.slots == nullptr) {
    Allocate(table_, kCapacityMin);
    return;
  }
  if ((size_ + 1) * 4 > table_.capacity * 3) {
    StartResize(table_.capacity * 2);
  } else if (table_.capacity > kCapacityMin && size_ * 8 < table_.capacity) {
    StartResize(CapacityFor(size_ * 2));
  }
}

void MemberIndex::Insert(Node* node) {
  MaybeResize();
  MigrateSome(kMigrateNodesPerStep);
  InsertInto(table_, node);
  size_++;
}

void MemberIndex::Erase(const Node* node) {
  MigrateSome(kMigrateNodesPerStep);
  size_t i = table_.Home(node->hash);
  while (i < table_.length && table_.slots[i] != nullptr && table_.slots[i] != node) i++;
  if (i < table_.length && table_.slots[i] == node) {
    // Backward shift: pull each displaced successor one slot towards its home.
    while (true) {
      size_t next = i + 1;
      if (next >= table_.length || table_.slots[next] == nullptr ||
          table_.Home(table_.slots[next]->hash) > i) {
        table_.slots[i] = nullptr;
        break;
      }
      table_.slots[i] = table_.slots[next];
      i = next;
    }
    table_.live--;
  } else {
    RINGDB_ASSERT(old_.slots != nullptr);
    size_t j = old_.Home(node->hash);
    while (j < old_.length && old_.slots[j] != node) {
      RINGDB_ASSERT(old_.slots[j] != nullptr);
      j++;
    }
    RINGDB_ASSERT(j < old_.length);
    old_.slots[j] = Tombstone();
    old_.live--;
  }
  size_--;
  if (old_.slots != nullptr && old_.live == 0) {
    Free(old_);
    migrate_position_ = 0;
  }
  if (old_.slots == nullptr && table_.capacity > kCapacityMin && size_ * 8 < table_.capacity) {
    StartResize(CapacityFor(size_ * 2));
  }
}

size_t MemberIndex::LowerBound(const Table& table, uint64_t cursor) {
  if (table.slots == nullptr) return 0;
  size_t i = table.Home(cursor);
  while (i < table.length && table.slots[i] != nullptr &&
         (!Live(table.slots[i]) || table.slots[i]->hash < cursor)) {
    i++;
  }
  return i;
}

// ---------------------------------------------------------------------------------------
// Skiplist

uint64_t Skiplist::Hash(std::string_view member) { return Hash64(member, ProcessSeed()); }

Node* Skiplist::NewNode(int levels, double score, std::string_view member, uint64_t hash) {
  size_t bytes = sizeof(Node) + static_cast<size_t>(levels) * sizeof(Level) + member.size();
  void* memory = ringdb::Allocate(bytes);
  Node* node = new (memory) Node();
  node->score = score;
  node->backward = nullptr;
  node->hash = hash;
  node->member_bytes = static_cast<uint32_t>(member.size());
  node->level_count = static_cast<uint8_t>(levels);
  for (int i = 0; i < levels; i++) node->level(i) = Level{nullptr, 0};
  if (!member.empty()) std::memcpy(node->member_data(), member.data(), member.size());
  return node;
}

void Skiplist::FreeNode(Node* node) { Deallocate(node); }

int Skiplist::RandomLevel() {
  // Redis's ZSKIPLIST_P = 1/4. One generator per thread: the native snapshot loader builds
  // sorted sets on several decoder threads at once.
  thread_local uint64_t state = ProcessSeed() | 1;
  int level = 1;
  while (level < kLevelsMax) {
    state ^= state << 13;
    state ^= state >> 7;
    state ^= state << 17;
    if ((state & 3) != 0) break;
    level++;
  }
  return level;
}

Skiplist::Skiplist() : head_(NewNode(kLevelsMax, 0, {}, 0)) {}

Skiplist::~Skiplist() {
  Node* node = head_->level(0).forward;
  while (node != nullptr) {
    Node* next = node->level(0).forward;
    FreeNode(node);
    node = next;
  }
  FreeNode(head_);
}

void Skiplist::FindUpdate(double score, std::string_view member, Node** update,
                          size_t* rank) const {
  Node* x = head_;
  for (int i = level_ - 1; i >= 0; i--) {
    rank[i] = i == level_ - 1 ? 0 : rank[i + 1];
    while (x->level(i).forward != nullptr &&
           NodeBefore(x->level(i).forward->score, x->level(i).forward->member(), score, member)) {
      rank[i] += x->level(i).span;
      x = x->level(i).forward;
    }
    update[i] = x;
  }
}

void Skiplist::Link(Node* x) {
  Node* update[kLevelsMax];
  size_t rank[kLevelsMax];
  FindUpdate(x->score, x->member(), update, rank);
  int level = x->level_count;
  if (level > level_) {
    for (int i = level_; i < level; i++) {
      rank[i] = 0;
      update[i] = head_;
      update[i]->level(i).span = length_;
    }
    level_ = level;
  }
  for (int i = 0; i < level; i++) {
    x->level(i).forward = update[i]->level(i).forward;
    update[i]->level(i).forward = x;
    x->level(i).span = update[i]->level(i).span - (rank[0] - rank[i]);
    update[i]->level(i).span = (rank[0] - rank[i]) + 1;
  }
  for (int i = level; i < level_; i++) update[i]->level(i).span++;
  x->backward = update[0] == head_ ? nullptr : update[0];
  if (x->level(0).forward != nullptr) {
    x->level(0).forward->backward = x;
  } else {
    tail_ = x;
  }
  length_++;
}

Node* Skiplist::Insert(std::string_view member, double score) {
  RINGDB_ASSERT(member.size() <= UINT32_MAX);
  uint64_t hash = Hash(member);
  Node* x = NewNode(RandomLevel(), score, member, hash);
  Link(x);
  index_.Insert(x);
  return x;
}

void Skiplist::Unlink(Node* x, Node** update) {
  for (int i = 0; i < level_; i++) {
    if (update[i]->level(i).forward == x) {
      update[i]->level(i).span += x->level(i).span - 1;
      update[i]->level(i).forward = x->level(i).forward;
    } else {
      update[i]->level(i).span -= 1;
    }
  }
  if (x->level(0).forward != nullptr) {
    x->level(0).forward->backward = x->backward;
  } else {
    tail_ = x->backward;
  }
  while (level_ > 1 && head_->level(level_ - 1).forward == nullptr) level_--;
  length_--;
}

void Skiplist::UpdateScore(Node* x, double score) {
  // In place when the node keeps its position (Redis's zslUpdateScore fast path).
  Node* next = x->level(0).forward;
  bool after_previous = x->backward == nullptr ||
                        NodeBefore(x->backward->score, x->backward->member(), score, x->member());
  bool before_next = next == nullptr || NodeBefore(score, x->member(), next->score, next->member());
  if (after_previous && before_next) {
    x->score = score;
    return;
  }
  Node* update[kLevelsMax];
  size_t rank[kLevelsMax];
  FindUpdate(x->score, x->member(), update, rank);
  RINGDB_DASSERT(update[0]->level(0).forward == x);
  Unlink(x, update);
  x->score = score;
  Link(x);
}

void Skiplist::Erase(Node* x) {
  Node* update[kLevelsMax];
  size_t rank[kLevelsMax];
  FindUpdate(x->score, x->member(), update, rank);
  RINGDB_ASSERT(update[0]->level(0).forward == x);
  Unlink(x, update);
  index_.Erase(x);
  FreeNode(x);
}

size_t Skiplist::RankOf(const Node* node) const {
  size_t rank = 0;
  Node* x = LastWhere(
      [&](const Node* candidate) {
        return !NodeBefore(node->score, node->member(), candidate->score, candidate->member());
      },
      &rank);
  RINGDB_ASSERT(x == node);
  return rank;
}

Node* Skiplist::ByRank(size_t rank) const {
  if (rank == 0 || rank > length_) return nullptr;
  Node* x = head_;
  size_t traversed = 0;
  for (int i = level_ - 1; i >= 0; i--) {
    while (x->level(i).forward != nullptr && traversed + x->level(i).span <= rank) {
      traversed += x->level(i).span;
      x = x->level(i).forward;
    }
    if (traversed == rank) return x;
  }
  return nullptr;
}

void Skiplist::DeleteRanks(size_t start, size_t end) {
  Node* update[kLevelsMax];
  Node* x = head_;
  size_t traversed = 0;
  for (int i = level_ - 1; i >= 0; i--) {
    while (x->level(i).forward != nullptr && traversed + x->level(i).span < start) {
      traversed += x->level(i).span;
      x = x->level(i).forward;
    }
    update[i] = x;
  }
  traversed++;
  x = x->level(0).forward;
  while (x != nullptr && traversed <= end) {
    Node* next = x->level(0).forward;
    Unlink(x, update);
    index_.Erase(x);
    FreeNode(x);
    traversed++;
    x = next;
  }
}

size_t Skiplist::AllocatedBytes(size_t samples) const {
  size_t bytes = sizeof(*this) + UsableSize(head_) + index_.AllocatedBytes();
  size_t seen = 0;
  size_t node_bytes = 0;
  for (const Node* x = first(); x != nullptr && (samples == 0 || seen < samples);
       x = x->level(0).forward) {
    node_bytes += UsableSize(x);
    seen++;
  }
  if (seen > 0 && seen < length_) node_bytes = node_bytes / seen * length_;
  return bytes + node_bytes;
}

}  // namespace ringdb::store::zset_detail
