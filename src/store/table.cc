#include "ringdb/store/table.h"

#include <new>

#ifdef __SSE2__
#include <emmintrin.h>
#endif

#include "ringdb/base/assert.h"
#include "ringdb/base/hash.h"
#include "ringdb/base/memory.h"

namespace ringdb::store {

static_assert(sizeof(Page) == 512, "a page is exactly one allocator size class");
static_assert(Page::kSlots <= 64, "the occupancy mask is 64 bits");
static_assert(Page::kSlots % 16 == 0, "tags are matched 16 at a time");

namespace {
// A page this empty is merged with its buddy when both fit in half a page. The gap between
// this threshold and a full page keeps inserts and deletes at a boundary from thrashing.
constexpr int kMergeBelow = Page::kSlots / 4;
constexpr int kMergedMax = Page::kSlots / 2;
constexpr uint64_t kFullMask = (uint64_t{1} << Page::kSlots) - 1;
}  // namespace

uint64_t Page::MatchTag(uint16_t tag) const {
  uint64_t mask = 0;
#ifdef __SSE2__
  __m128i needle = _mm_set1_epi16(static_cast<short>(tag));
  for (int i = 0; i < kSlots; i += 16) {
    __m128i low = _mm_loadu_si128(reinterpret_cast<const __m128i*>(tags_ + i));
    __m128i high = _mm_loadu_si128(reinterpret_cast<const __m128i*>(tags_ + i + 8));
    __m128i packed = _mm_packs_epi16(_mm_cmpeq_epi16(low, needle), _mm_cmpeq_epi16(high, needle));
    mask |= static_cast<uint64_t>(static_cast<uint16_t>(_mm_movemask_epi8(packed))) << i;
  }
#else
  for (int i = 0; i < kSlots; i++) {
    if (tags_[i] == tag) mask |= uint64_t{1} << i;
  }
#endif
  return mask & occupied_;
}

Table::Table(uint64_t hash_seed) : hash_seed_(hash_seed) {
  directory_.push_back(NewPage(0));
  directory_[0]->prefix_ = 0;
}

Table::~Table() {
  WalkPages(0, [&](const Page& page) {
    page.ForEach([](Entry* entry) { Entry::Release(entry); });
    return true;
  });
  // Each page appears in consecutive directory slots; free it once.
  for (size_t index = 0; index < directory_.size();) {
    Page* page = directory_[index];
    index += size_t{1} << (global_depth_ - page->local_depth_);
    FreePage(page);
  }
}

uint64_t Table::Hash(std::string_view key) const { return Hash64(key, hash_seed_); }

Page* Table::NewPage(int local_depth) {
  Page* page = new (Allocate(sizeof(Page))) Page();
  page->version_ = epoch_;
  page->occupied_ = 0;
  page->prefix_ = 0;
  page->local_depth_ = static_cast<uint8_t>(local_depth);
  page->volatile_count_ = 0;
  page_count_++;
  pages_at_depth_[local_depth]++;
  return page;
}

void Table::FreePage(Page* page) {
  page_count_--;
  pages_at_depth_[page->local_depth_]--;
  page->~Page();
  Deallocate(page);
}

Entry* Table::Find(std::string_view key, Position* position) const {
  return Find(key, Hash(key), position);
}

Entry* Table::Find(std::string_view key, uint64_t hash, Position* position) const {
  if (position != nullptr) position->hash = hash;
  Page* page = directory_[DirectoryIndex(hash)];
  for (uint64_t mask = page->MatchTag(TagOf(hash)); mask != 0; mask &= mask - 1) {
    int slot = __builtin_ctzll(mask);
    Entry* entry = page->entries_[slot];
    if (entry->key() == key) {
      if (position != nullptr) *position = Position{page, slot, hash};
      return entry;
    }
  }
  return nullptr;
}

int Table::PrefetchSlot(uint64_t hash) const {
  const Page* page = directory_[DirectoryIndex(hash)];
  uint64_t mask = page->MatchTag(TagOf(hash));
  if (mask == 0) return -1;
  int slot = __builtin_ctzll(mask);
  __builtin_prefetch(&page->entries_[slot]);
  return slot;
}

void Table::Insert(Entry* entry) { Insert(entry, Hash(entry->key())); }

void Table::Insert(Entry* entry, uint64_t hash) {
  RINGDB_DASSERT(hash == Hash(entry->key()));  // A stale or foreign hash would misplace the key.
  RINGDB_DASSERT(Find(entry->key(), hash, nullptr) == nullptr);
  while (true) {
    size_t index = DirectoryIndex(hash);
    Page* page = directory_[index];
    if (!page->full()) {
      Touch(page);
      int slot = page->FreeSlot();
      page->tags_[slot] = TagOf(hash);
      page->entries_[slot] = entry;
      page->occupied_ |= uint64_t{1} << slot;
      if (entry->has_expire()) {
        page->volatile_count_++;
        volatile_size_++;
      }
      size_++;
      return;
    }
    Split(index);
  }
}

void Table::Replace(Position position, Entry* entry) {
  Page* page = position.page;
  Entry* old = page->entries_[position.slot];
  RINGDB_DASSERT(old->key() == entry->key());
  Touch(page);
  int delta = static_cast<int>(entry->has_expire()) - static_cast<int>(old->has_expire());
  page->volatile_count_ = static_cast<uint8_t>(page->volatile_count_ + delta);
  volatile_size_ = static_cast<size_t>(static_cast<int64_t>(volatile_size_) + delta);
  page->entries_[position.slot] = entry;
  Entry::Release(old);
}

Entry* Table::PrepareInPlaceChange(Position position) {
  Touch(position.page);
  return position.page->entries_[position.slot];
}

void Table::ClearSlot(Page* page, int slot) {
  Entry* entry = page->entries_[slot];
  if (entry->has_expire()) {
    page->volatile_count_--;
    volatile_size_--;
  }
  page->occupied_ &= ~(uint64_t{1} << slot);
  page->entries_[slot] = nullptr;
  size_--;
}

Entry* Table::Detach(Position position) {
  Page* page = position.page;
  Touch(page);
  Entry* entry = page->entries_[position.slot];
  ClearSlot(page, position.slot);
  MaybeMerge(page);
  return entry;
}

void Table::Remove(Position position) { Entry::Release(Detach(position)); }

void Table::Clear() {
  Table empty(hash_seed_);
  empty.epoch_ = epoch_;
  // The fresh page holds nothing from before this epoch: a snapshot must not take it.
  empty.directory_[0]->version_ = epoch_;
  // Let the observer see every page before its entries go.
  WalkPages(0, [&](const Page& page) {
    Touch(const_cast<Page*>(&page));
    return true;
  });
  std::swap(directory_, empty.directory_);
  std::swap(global_depth_, empty.global_depth_);
  std::swap(size_, empty.size_);
  std::swap(volatile_size_, empty.volatile_size_);
  std::swap(page_count_, empty.page_count_);
  std::swap(pages_at_depth_, empty.pages_at_depth_);
}

void Table::Reserve(size_t keys) {
  if (size_ != 0 || global_depth_ != 0) return;
  // Pages fill to about 69% on average: aim there, at most 2^26 pages.
  size_t pages_wanted = keys / (Page::kSlots * 2 / 3) + 1;
  int depth = 0;
  while ((size_t{1} << depth) < pages_wanted && depth < 26) depth++;
  if (depth == 0) return;
  FreePage(directory_[0]);
  directory_.assign(size_t{1} << depth, nullptr);
  global_depth_ = depth;
  for (size_t i = 0; i < directory_.size(); i++) {
    Page* page = NewPage(depth);
    page->prefix_ = i;
    directory_[i] = page;
  }
}

void Table::GrowDirectory() {
  RINGDB_ASSERT(global_depth_ < 64);
  std::vector<Page*> grown(directory_.size() * 2);
  for (size_t i = 0; i < directory_.size(); i++) {
    grown[2 * i] = directory_[i];
    grown[2 * i + 1] = directory_[i];
  }
  directory_.swap(grown);
  global_depth_++;
}

void Table::ShrinkDirectory() {
  while (global_depth_ > 0 && pages_at_depth_[global_depth_] == 0) {
    std::vector<Page*> shrunk(directory_.size() / 2);
    for (size_t i = 0; i < shrunk.size(); i++) shrunk[i] = directory_[2 * i];
    directory_.swap(shrunk);
    global_depth_--;
  }
}

void Table::Split(size_t index) {
  Page* page = directory_[index];
  int depth = page->local_depth_;
  // With a random 64-bit seed, 49 keys sharing a 56-bit hash prefix do not happen.
  RINGDB_ASSERT(depth < 56);
  if (depth == global_depth_) {
    GrowDirectory();
    index *= 2;
  }
  Touch(page);
  Page* sibling = NewPage(depth + 1);
  pages_at_depth_[depth]--;
  pages_at_depth_[depth + 1]++;
  page->local_depth_ = static_cast<uint8_t>(depth + 1);
  page->prefix_ = page->prefix_ << 1;
  sibling->prefix_ = page->prefix_ | 1;

  const uint64_t upper_half_bit = uint64_t{1} << (63 - depth);
  for (uint64_t mask = page->occupied_; mask != 0; mask &= mask - 1) {
    int slot = __builtin_ctzll(mask);
    Entry* entry = page->entries_[slot];
    if ((Hash(entry->key()) & upper_half_bit) == 0) continue;
    int target = sibling->FreeSlot();
    sibling->tags_[target] = page->tags_[slot];
    sibling->entries_[target] = entry;
    sibling->occupied_ |= uint64_t{1} << target;
    page->occupied_ &= ~(uint64_t{1} << slot);
    page->entries_[slot] = nullptr;
    if (entry->has_expire()) {
      page->volatile_count_--;
      sibling->volatile_count_++;
    }
  }
  size_t span = size_t{1} << (global_depth_ - depth);
  size_t start = index & ~(span - 1);
  for (size_t i = start + span / 2; i < start + span; i++) directory_[i] = sibling;
}

void Table::MaybeMerge(Page* page) {
  int depth = page->local_depth_;
  if (depth == 0 || page->size() >= kMergeBelow) return;
  uint64_t buddy_prefix = page->prefix_ ^ 1;
  Page* buddy = directory_[static_cast<size_t>(buddy_prefix) << (global_depth_ - depth)];
  if (buddy->local_depth_ != depth) return;
  if (page->size() + buddy->size() > kMergedMax) return;

  Page* keep = (page->prefix_ & 1) ? buddy : page;
  Page* gone = keep == page ? buddy : page;
  Touch(keep);
  Touch(gone);
  for (uint64_t mask = gone->occupied_; mask != 0; mask &= mask - 1) {
    int slot = __builtin_ctzll(mask);
    int target = keep->FreeSlot();
    keep->tags_[target] = gone->tags_[slot];
    keep->entries_[target] = gone->entries_[slot];
    keep->occupied_ |= uint64_t{1} << target;
  }
  keep->volatile_count_ = static_cast<uint8_t>(keep->volatile_count_ + gone->volatile_count_);
  gone->occupied_ = 0;
  pages_at_depth_[depth]--;
  pages_at_depth_[depth - 1]++;
  keep->local_depth_ = static_cast<uint8_t>(depth - 1);
  keep->prefix_ >>= 1;
  size_t span = size_t{1} << (global_depth_ - depth + 1);
  size_t start = static_cast<size_t>(keep->prefix_) << (global_depth_ - depth + 1);
  for (size_t i = start; i < start + span; i++) directory_[i] = keep;
  FreePage(gone);
  ShrinkDirectory();
}

Entry* Table::RandomEntry(uint64_t random) const {
  if (size_ == 0) return nullptr;
  size_t index = static_cast<size_t>(random % directory_.size());
  // Empty pages are rare (merging keeps pages at least a quarter full), so this walk is short.
  for (size_t step = 0; step < directory_.size(); step++) {
    const Page* page = directory_[(index + step) % directory_.size()];
    int count = page->size();
    if (count == 0) continue;
    int pick = static_cast<int>((random >> 32) % static_cast<uint64_t>(count));
    uint64_t mask = page->occupied_;
    for (int i = 0; i < pick; i++) mask &= mask - 1;
    return page->entries_[__builtin_ctzll(mask)];
  }
  return nullptr;
}

size_t Table::OverheadBytes() const {
  return page_count_ * sizeof(Page) + directory_.capacity() * sizeof(Page*);
}

bool Table::CheckInvariants() const {
  size_t entries = 0;
  size_t volatile_entries = 0;
  size_t pages = 0;
  for (size_t index = 0; index < directory_.size();) {
    const Page* page = directory_[index];
    int depth = page->local_depth_;
    if (depth > global_depth_) return false;
    size_t span = size_t{1} << (global_depth_ - depth);
    if (index % span != 0) return false;
    if (page->prefix_ != (global_depth_ == 0 ? 0 : index >> (global_depth_ - depth))) return false;
    for (size_t i = index; i < index + span; i++) {
      if (directory_[i] != page) return false;
    }
    if ((page->occupied_ & ~kFullMask) != 0) return false;
    int volatile_count = 0;
    for (uint64_t mask = page->occupied_; mask != 0; mask &= mask - 1) {
      int slot = __builtin_ctzll(mask);
      const Entry* entry = page->entries_[slot];
      uint64_t hash = Hash(entry->key());
      if (page->tags_[slot] != TagOf(hash)) return false;
      if (depth > 0 && (hash >> (64 - depth)) != page->prefix_) return false;
      if (entry->has_expire()) volatile_count++;
    }
    if (volatile_count != page->volatile_count_) return false;
    entries += static_cast<size_t>(page->size());
    volatile_entries += static_cast<size_t>(volatile_count);
    pages++;
    index += span;
  }
  return entries == size_ && volatile_entries == volatile_size_ && pages == page_count_;
}

}  // namespace ringdb::store
