#include "ringdb/store/field_table.h"

#include <cstring>
#include <new>
#include <random>

#include "ringdb/base/assert.h"
#include "ringdb/base/hash.h"
#include "ringdb/base/memory.h"

namespace ringdb::store {

namespace {

// Redis's HASHTABLE_MIN_FILL: below this percentage of used buckets a table shrinks.
constexpr size_t kFillPercentMin = 10;
// Empty buckets one rehash step may pass over (Redis's dictRehash(d, 1) visits at most 10).
constexpr int kEmptyVisitsMax = 10;
// Random bucket picks before Random falls back to walking from a random bucket.
constexpr int kRandomProbesMax = 1000;

// One seed per process, drawn at random, so clients cannot aim fields at one bucket.
uint64_t Seed() {
  static const uint64_t seed = [] {
    std::random_device device;
    return (static_cast<uint64_t>(device()) << 32) ^ device();
  }();
  return seed;
}

size_t VarintBytes(size_t value) {
  size_t bytes = 1;
  while (value >= 128) {
    value >>= 7;
    bytes++;
  }
  return bytes;
}

unsigned char* WriteVarint(unsigned char* out, size_t value) {
  while (value >= 128) {
    *out++ = static_cast<unsigned char>(value | 128);
    value >>= 7;
  }
  *out++ = static_cast<unsigned char>(value);
  return out;
}

const unsigned char* ReadVarint(const unsigned char* in, size_t* value) {
  size_t result = 0;
  int shift = 0;
  while (*in & 128) {
    result |= static_cast<size_t>(*in++ & 127) << shift;
    shift += 7;
  }
  *value = result | (static_cast<size_t>(*in++) << shift);
  return in;
}

uint64_t Reverse(uint64_t v) {
  v = ((v >> 1) & 0x5555555555555555ULL) | ((v & 0x5555555555555555ULL) << 1);
  v = ((v >> 2) & 0x3333333333333333ULL) | ((v & 0x3333333333333333ULL) << 2);
  v = ((v >> 4) & 0x0F0F0F0F0F0F0F0FULL) | ((v & 0x0F0F0F0F0F0F0F0FULL) << 4);
  v = ((v >> 8) & 0x00FF00FF00FF00FFULL) | ((v & 0x00FF00FF00FF00FFULL) << 8);
  v = ((v >> 16) & 0x0000FFFF0000FFFFULL) | ((v & 0x0000FFFF0000FFFFULL) << 16);
  return (v >> 32) | (v << 32);
}

// The exponent of the smallest power of two >= count, at least kBucketsMin's.
uint8_t ExponentFor(size_t count) {
  uint8_t exp = 2;
  static_assert(FieldTable::kBucketsMin == 4);
  while ((size_t{1} << exp) < count) exp++;
  return exp;
}

}  // namespace

FieldTable::FieldTable(size_t expected) {
  if (expected > 0) {
    exp_[0] = ExponentFor(expected);
    buckets_[0] = NewBuckets(exp_[0]);
  }
}

FieldTable::~FieldTable() {
  for (int t = 0; t < 2; t++) {
    size_t count = buckets(t);
    for (size_t i = 0; i < count; i++) {
      Node* node = buckets_[t][i];
      while (node != nullptr) {
        Node* next = node->next;
        Deallocate(node);
        node = next;
      }
    }
    if (buckets_[t] != nullptr) Deallocate(buckets_[t]);
  }
}

FieldTable::FieldTable(const FieldTable& other) {
  if (other.size() == 0) return;
  exp_[0] = ExponentFor(other.size());
  buckets_[0] = NewBuckets(exp_[0]);
  size_t mask = (size_t{1} << exp_[0]) - 1;
  other.ForEach([&](std::string_view field, std::string_view value) {
    Node* node = NewNode(field, value);
    Node** bucket = &buckets_[0][HashOf(field) & mask];
    node->next = *bucket;
    *bucket = node;
  });
  used_[0] = other.size();
}

FieldTable::Node** FieldTable::NewBuckets(uint8_t exp) {
  size_t bytes = (size_t{1} << exp) * sizeof(Node*);
  auto** buckets = static_cast<Node**>(Allocate(bytes));
  std::memset(buckets, 0, bytes);
  return buckets;
}

std::string_view FieldTable::NodeField(const Node* node) {
  size_t field_length;
  size_t value_length;
  const unsigned char* p = ReadVarint(node->data, &field_length);
  p = ReadVarint(p, &value_length);
  return {reinterpret_cast<const char*>(p), field_length};
}

std::string_view FieldTable::NodeValue(const Node* node) {
  size_t field_length;
  size_t value_length;
  const unsigned char* p = ReadVarint(node->data, &field_length);
  p = ReadVarint(p, &value_length);
  return {reinterpret_cast<const char*>(p) + field_length, value_length};
}

FieldTable::Node* FieldTable::NewNode(std::string_view field, std::string_view value) {
  size_t bytes = sizeof(Node) + VarintBytes(field.size()) + VarintBytes(value.size()) +
                 field.size() + value.size();
  auto* node = new (Allocate(bytes)) Node;
  node->next = nullptr;
  unsigned char* p = WriteVarint(node->data, field.size());
  p = WriteVarint(p, value.size());
  if (!field.empty()) std::memcpy(p, field.data(), field.size());
  if (!value.empty()) std::memcpy(p + field.size(), value.data(), value.size());
  return node;
}

FieldTable::Node* FieldTable::ReplaceValue(Node* node, std::string_view value) {
  std::string_view field = NodeField(node);
  size_t field_offset = static_cast<size_t>(reinterpret_cast<const unsigned char*>(field.data()) -
                                            reinterpret_cast<const unsigned char*>(node));
  size_t header = sizeof(Node) + VarintBytes(field.size()) + VarintBytes(value.size());
  size_t needed = header + field.size() + value.size();
  size_t usable = UsableSize(node);
  // Rewrite in place when the block fits and is not mostly wasted (a value that shrank from
  // a megabyte to a byte gets a small block back).
  if (needed <= usable && (usable <= 64 || needed * 2 >= usable)) {
    auto* base = reinterpret_cast<unsigned char*>(node);
    if (header != field_offset) std::memmove(base + header, base + field_offset, field.size());
    unsigned char* p = WriteVarint(node->data, field.size());
    p = WriteVarint(p, value.size());
    if (!value.empty()) std::memcpy(p + field.size(), value.data(), value.size());
    return node;
  }
  Node* replacement = NewNode(field, value);
  replacement->next = node->next;
  Deallocate(node);
  return replacement;
}

uint64_t FieldTable::HashOf(std::string_view field) const { return Hash64(field, Seed()); }

FieldTable::Node** FieldTable::FindSlot(std::string_view field, uint64_t hash, int* table) const {
  for (int t = 0; t < 2; t++) {
    if (buckets_[t] == nullptr) break;
    Node** slot = &buckets_[t][hash & (buckets(t) - 1)];
    for (; *slot != nullptr; slot = &(*slot)->next) {
      if (NodeField(*slot) == field) {
        if (table != nullptr) *table = t;
        return slot;
      }
    }
    if (!rehashing()) break;
  }
  return nullptr;
}

bool FieldTable::Find(std::string_view field, std::string_view* value) const {
  if (size() == 0) return false;
  Node** slot = FindSlot(field, HashOf(field), nullptr);
  if (slot == nullptr) return false;
  if (value != nullptr) *value = NodeValue(*slot);
  return true;
}

bool FieldTable::Set(std::string_view field, std::string_view value) {
  if (rehashing()) RehashStep();
  uint64_t hash = HashOf(field);
  if (Node** slot = FindSlot(field, hash, nullptr); slot != nullptr) {
    *slot = ReplaceValue(*slot, value);
    return false;
  }
  MaybeGrow();
  int t = rehashing() ? 1 : 0;
  Node* node = NewNode(field, value);
  Node** bucket = &buckets_[t][hash & (buckets(t) - 1)];
  node->next = *bucket;
  *bucket = node;
  used_[t]++;
  return true;
}

bool FieldTable::Delete(std::string_view field) {
  if (size() == 0) return false;
  if (rehashing()) RehashStep();
  int t = 0;
  Node** slot = FindSlot(field, HashOf(field), &t);
  if (slot == nullptr) return false;
  Node* node = *slot;
  *slot = node->next;
  Deallocate(node);
  used_[t]--;
  MaybeShrink();
  return true;
}

void FieldTable::Reserve(size_t count) {
  if (rehashing()) return;
  if (buckets_[0] == nullptr || count > buckets(0)) StartResize(count);
}

void FieldTable::MaybeGrow() {
  if (rehashing()) return;
  if (buckets_[0] == nullptr) {
    exp_[0] = ExponentFor(kBucketsMin);
    buckets_[0] = NewBuckets(exp_[0]);
    return;
  }
  // Redis's _dictExpandIfNeeded: one element per bucket on average is the limit.
  if (used_[0] >= buckets(0)) StartResize(used_[0] + 1);
}

void FieldTable::MaybeShrink() {
  if (rehashing() || buckets(0) <= kBucketsMin) return;
  if (used_[0] * 100 / buckets(0) < kFillPercentMin) StartResize(used_[0]);
}

void FieldTable::StartResize(size_t count) {
  RINGDB_ASSERT(!rehashing());
  uint8_t exp = ExponentFor(count);
  if (buckets_[0] != nullptr && exp == exp_[0]) return;
  if (used_[0] == 0) {
    if (buckets_[0] != nullptr) Deallocate(buckets_[0]);
    buckets_[0] = NewBuckets(exp);
    exp_[0] = exp;
    return;
  }
  buckets_[1] = NewBuckets(exp);
  exp_[1] = exp;
  used_[1] = 0;
  rehash_index_ = 0;
}

void FieldTable::RehashStep() {
  RINGDB_DASSERT(rehashing());
  size_t count = buckets(0);
  int empty_visits = kEmptyVisitsMax;
  while (used_[0] > 0 && buckets_[0][rehash_index_] == nullptr) {
    rehash_index_++;
    RINGDB_DASSERT(static_cast<size_t>(rehash_index_) < count);
    if (--empty_visits == 0) return;
  }
  if (used_[0] > 0) {
    size_t mask = buckets(1) - 1;
    Node* node = buckets_[0][rehash_index_];
    while (node != nullptr) {
      Node* next = node->next;
      Node** bucket = &buckets_[1][HashOf(NodeField(node)) & mask];
      node->next = *bucket;
      *bucket = node;
      used_[0]--;
      used_[1]++;
      node = next;
    }
    buckets_[0][rehash_index_] = nullptr;
    rehash_index_++;
  }
  if (used_[0] == 0) {
    Deallocate(buckets_[0]);
    buckets_[0] = buckets_[1];
    exp_[0] = exp_[1];
    used_[0] = used_[1];
    buckets_[1] = nullptr;
    exp_[1] = 0;
    used_[1] = 0;
    rehash_index_ = -1;
  }
}

uint64_t FieldTable::ScanStep(uint64_t cursor, ScanCallback callback, void* closure) const {
  uint64_t v = cursor;
  auto emit = [&](Node* const* bucket) {
    for (const Node* node = *bucket; node != nullptr; node = node->next) callback(node, closure);
  };
  if (!rehashing()) {
    uint64_t m0 = buckets(0) - 1;
    emit(&buckets_[0][v & m0]);
    // Set the bits above the mask so that incrementing the reversed cursor carries into the
    // masked bits only.
    v |= ~m0;
    v = Reverse(v);
    v++;
    return Reverse(v);
  }
  int small = buckets(0) <= buckets(1) ? 0 : 1;
  int large = 1 - small;
  uint64_t m0 = buckets(small) - 1;
  uint64_t m1 = buckets(large) - 1;
  emit(&buckets_[small][v & m0]);
  // Every bucket of the larger table that expands the smaller table's bucket at the cursor.
  do {
    emit(&buckets_[large][v & m1]);
    v |= ~m1;
    v = Reverse(v);
    v++;
    v = Reverse(v);
  } while (v & (m0 ^ m1));
  return v;
}

FieldValue FieldTable::Random(uint64_t (*random)()) const {
  RINGDB_ASSERT(size() > 0);
  // Candidate buckets: table 0 from the rehash index on (those below it are empty), then
  // table 1 while rehashing.
  size_t first = rehashing() ? static_cast<size_t>(rehash_index_) : 0;
  size_t range0 = buckets(0) - first;
  size_t total = range0 + (rehashing() ? buckets(1) : 0);
  auto bucket_at = [&](size_t r) -> Node* {
    return r < range0 ? buckets_[0][first + r] : buckets_[1][r - range0];
  };
  Node* chain = nullptr;
  for (int probe = 0; probe < kRandomProbesMax && chain == nullptr; probe++) {
    chain = bucket_at(random() % total);
  }
  // A very sparse table (possible only briefly, before a shrink completes): walk from a
  // random bucket. size() > 0 guarantees a non-empty one.
  for (size_t r = random() % total; chain == nullptr; r = (r + 1) % total) chain = bucket_at(r);
  size_t length = 0;
  for (const Node* node = chain; node != nullptr; node = node->next) length++;
  size_t pick = random() % length;
  const Node* node = chain;
  while (pick-- > 0) node = node->next;
  return {NodeField(node), NodeValue(node)};
}

size_t FieldTable::AllocatedBytes(size_t samples) const {
  size_t bytes = 0;
  for (int t = 0; t < 2; t++) {
    if (buckets_[t] != nullptr) bytes += UsableSize(buckets_[t]);
  }
  size_t seen = 0;
  size_t node_bytes = 0;
  for (int t = 0; t < 2 && (samples == 0 || seen < samples); t++) {
    size_t count = buckets(t);
    for (size_t i = 0; i < count && (samples == 0 || seen < samples); i++) {
      for (const Node* node = buckets_[t][i]; node != nullptr; node = node->next) {
        node_bytes += UsableSize(node);
        seen++;
      }
    }
  }
  if (seen == 0) return bytes;
  if (seen >= size()) return bytes + node_bytes;
  return bytes + node_bytes * size() / seen;
}

}  // namespace ringdb::store
