#include "ringdb/store/string_set.h"

#include <random>

#include "ringdb/base/assert.h"
#include "ringdb/base/hash.h"
#include "ringdb/base/memory.h"

namespace ringdb::store {

namespace {

// Rehashing visits at most this many empty buckets per step (Redis's empty_visits = n * 10).
constexpr size_t kEmptyVisitsMax = 10;
constexpr size_t kShortLengthMax = 254;

// A per-process seed, so clients cannot aim members at one bucket. Clones keep their order
// within the process (a copy-on-write clone mid-SSCAN still honours the cursor).
uint64_t ProcessSeed() {
  static const uint64_t seed = [] {
    std::random_device device;
    return (static_cast<uint64_t>(device()) << 32) ^ device();
  }();
  return seed;
}

// The smallest power of two >= capacity, and at least kInitialBuckets (_dictNextExp).
size_t BucketsFor(size_t capacity) {
  size_t buckets = StringSet::kInitialBuckets;
  while (buckets < capacity) {
    RINGDB_ASSERT(buckets <= (SIZE_MAX >> 2));
    buckets <<= 1;
  }
  return buckets;
}

}  // namespace

uint64_t StringSet::HashOf(std::string_view member) { return Hash64(member, ProcessSeed()); }

StringSet::Node* StringSet::NewNode(std::string_view member) {
  size_t header = member.size() <= kShortLengthMax ? 1 : 5;
  auto* node = static_cast<Node*>(Allocate(sizeof(Node) + header + member.size()));
  node->next = nullptr;
  auto* p = reinterpret_cast<uint8_t*>(node + 1);
  if (header == 1) {
    p[0] = static_cast<uint8_t>(member.size());
  } else {
    RINGDB_ASSERT(member.size() <= UINT32_MAX);
    p[0] = 0xFF;
    auto length = static_cast<uint32_t>(member.size());
    std::memcpy(p + 1, &length, sizeof(length));
  }
  if (!member.empty()) std::memcpy(p + header, member.data(), member.size());
  return node;
}

void StringSet::FreeNode(Node* node) { Deallocate(node); }

StringSet::Table StringSet::NewTable(size_t buckets) {
  RINGDB_ASSERT((buckets & (buckets - 1)) == 0);
  Table table;
  table.buckets = static_cast<Node**>(Allocate(buckets * sizeof(Node*)));
  std::memset(table.buckets, 0, buckets * sizeof(Node*));
  table.mask = buckets - 1;
  table.used = 0;
  return table;
}

void StringSet::FreeTable(Table& table) {
  for (size_t i = 0; i < Buckets(table); i++) {
    Node* node = table.buckets[i];
    while (node != nullptr) {
      Node* next = node->next;
      FreeNode(node);
      node = next;
    }
  }
  if (table.buckets != nullptr) Deallocate(table.buckets);
  table = Table();
}

StringSet::StringSet(size_t capacity) { Expand(capacity); }

StringSet::~StringSet() {
  FreeTable(tables_[0]);
  FreeTable(tables_[1]);
}

StringSet::StringSet(const StringSet& other) {
  if (other.empty()) return;
  tables_[0] = NewTable(BucketsFor(other.size()));
  other.ForEach([&](std::string_view member) {
    Node* node = NewNode(member);
    Node*& head = tables_[0].buckets[HashOf(member) & tables_[0].mask];
    node->next = head;
    head = node;
    tables_[0].used++;
  });
}

StringSet::Node** StringSet::FindLink(std::string_view member, uint64_t hash,
                                      int* table_index) const {
  for (int t = 0; t < 2; t++) {
    const Table& table = tables_[t];
    if (table.buckets == nullptr || table.used == 0) continue;
    Node** link = &table.buckets[hash & table.mask];
    while (*link != nullptr) {
      if ((*link)->member() == member) {
        if (table_index != nullptr) *table_index = t;
        return link;
      }
      link = &(*link)->next;
    }
  }
  return nullptr;
}

bool StringSet::Contains(std::string_view member) const {
  if (empty()) return false;
  return FindLink(member, HashOf(member)) != nullptr;
}

bool StringSet::Insert(std::string_view member) {
  if (rehashing()) RehashStep();
  uint64_t hash = HashOf(member);
  if (FindLink(member, hash) != nullptr) return false;
  ExpandIfNeeded();
  // While rehashing, new members go to the new table, so the old one only empties.
  Table& table = rehashing() ? tables_[1] : tables_[0];
  Node* node = NewNode(member);
  Node*& head = table.buckets[hash & table.mask];
  node->next = head;
  head = node;
  table.used++;
  return true;
}

bool StringSet::Erase(std::string_view member) {
  if (empty()) return false;
  if (rehashing()) RehashStep();
  int table_index = 0;
  Node** link = FindLink(member, HashOf(member), &table_index);
  if (link == nullptr) return false;
  Node* node = *link;
  *link = node->next;
  tables_[table_index].used--;
  FreeNode(node);
  ShrinkIfNeeded();
  return true;
}

void StringSet::Expand(size_t capacity) {
  if (rehashing() || capacity < size()) return;
  Resize(capacity);
}

void StringSet::Resize(size_t capacity) {
  RINGDB_DASSERT(!rehashing());
  size_t buckets = BucketsFor(capacity);
  if (buckets == Buckets(tables_[0])) return;
  if (tables_[0].buckets == nullptr) {
    tables_[0] = NewTable(buckets);
    return;
  }
  tables_[1] = NewTable(buckets);
  rehash_index_ = 0;
  if (tables_[0].used == 0) RehashStep();  // Nothing to move: swap the tables now.
}

void StringSet::ExpandIfNeeded() {
  if (rehashing()) return;
  if (tables_[0].buckets == nullptr) {
    Resize(kInitialBuckets);
  } else if (tables_[0].used >= Buckets(tables_[0])) {
    Resize(tables_[0].used + 1);
  }
}

void StringSet::ShrinkIfNeeded() {
  if (rehashing()) return;
  size_t buckets = Buckets(tables_[0]);
  if (buckets > kInitialBuckets && tables_[0].used * 100 / buckets < kMinFillPercent) {
    Resize(tables_[0].used);
  }
}

void StringSet::RehashStep() {
  RINGDB_DASSERT(rehashing());
  Table& old_table = tables_[0];
  Table& new_table = tables_[1];
  size_t empty_visits = kEmptyVisitsMax;
  if (old_table.used != 0) {
    while (old_table.buckets[rehash_index_] == nullptr) {
      rehash_index_++;
      RINGDB_DASSERT(static_cast<size_t>(rehash_index_) < Buckets(old_table));
      if (--empty_visits == 0) return;
    }
    Node* node = old_table.buckets[rehash_index_];
    while (node != nullptr) {
      Node* next = node->next;
      Node*& head = new_table.buckets[HashOf(node->member()) & new_table.mask];
      node->next = head;
      head = node;
      old_table.used--;
      new_table.used++;
      node = next;
    }
    old_table.buckets[rehash_index_] = nullptr;
    rehash_index_++;
  }
  if (old_table.used == 0) {
    Deallocate(old_table.buckets);
    old_table = new_table;
    new_table = Table();
    rehash_index_ = -1;
  }
}

std::string_view StringSet::Random(uint64_t random) const {
  RINGDB_ASSERT(!empty());
  // Buckets of both tables as one index space, leaving out the old table's buckets that a
  // rehash has already emptied (as Redis's dictGetRandomKey does): while a big table shrinks,
  // those are most of it, and probing them would make every pick a long walk.
  size_t moved = rehashing() ? static_cast<size_t>(rehash_index_) : 0;
  size_t total = bucket_count() - moved;
  size_t first = Buckets(tables_[0]) - moved;
  auto bucket_at = [&](size_t index) -> const Node* {
    return index < first ? tables_[0].buckets[moved + index] : tables_[1].buckets[index - first];
  };
  // A few random probes (the load factor is at least 10%), then a walk from the last one, so
  // the loop is bounded even in a sparse table.
  size_t index = 0;
  const Node* chain = nullptr;
  for (int probe = 0; probe < 16 && chain == nullptr; probe++) {
    index = static_cast<size_t>(random % total);
    random = random * 6364136223846793005ULL + 1442695040888963407ULL;
    chain = bucket_at(index);
  }
  while (chain == nullptr) {
    index = (index + 1) % total;
    chain = bucket_at(index);
  }
  size_t length = 0;
  for (const Node* node = chain; node != nullptr; node = node->next) length++;
  size_t pick = static_cast<size_t>((random >> 17) % length);
  const Node* node = chain;
  while (pick-- > 0) node = node->next;
  return node->member();
}

size_t StringSet::AllocatedBytes(size_t samples) const {
  size_t bytes = 0;
  for (const Table& table : tables_) {
    if (table.buckets != nullptr) bytes += UsableSize(table.buckets);
  }
  size_t seen = 0;
  size_t seen_bytes = 0;
  bool done = false;
  for (const Table& table : tables_) {
    for (size_t i = 0; i < Buckets(table) && !done; i++) {
      for (const Node* node = table.buckets[i]; node != nullptr; node = node->next) {
        seen_bytes += UsableSize(node);
        if (++seen == samples) {
          done = true;
          break;
        }
      }
    }
  }
  if (seen == 0) return bytes;
  return bytes + (seen == size() ? seen_bytes : seen_bytes * size() / seen);
}

bool StringSet::CheckInvariants() const {
  if (rehashing() && tables_[1].buckets == nullptr) return false;
  if (!rehashing() && tables_[1].buckets != nullptr) return false;
  for (int t = 0; t < 2; t++) {
    const Table& table = tables_[t];
    size_t count = 0;
    for (size_t i = 0; i < Buckets(table); i++) {
      if (t == 0 && rehashing() && static_cast<int64_t>(i) < rehash_index_ &&
          table.buckets[i] != nullptr) {
        return false;
      }
      for (const Node* node = table.buckets[i]; node != nullptr; node = node->next) {
        if ((HashOf(node->member()) & table.mask) != i) return false;
        for (const Node* other = node->next; other != nullptr; other = other->next) {
          if (other->member() == node->member()) return false;
        }
        count++;
      }
    }
    if (count != table.used) return false;
  }
  return true;
}

}  // namespace ringdb::store
