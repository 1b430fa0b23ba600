// Table: the keyspace of one database, a hash table of fixed-size versioned pages addressed by
// extendible hashing.
//
//   directory (2^global_depth slots, indexed by the top bits of the key hash)
//     |   |   |   |
//     v   v   v   v
//   [page d=1] [page d=2] [page d=2]      a page with local depth d is shared by
//                                        2^(global_depth - d) consecutive slots
//
// Invariants:
//   - A page with local depth d holds exactly the keys whose hash starts with its d-bit prefix;
//     the directory slots pointing to it are consecutive and aligned.
//   - Growth splits one full page in two (doubling the directory of pointers when needed):
//     there is never a rehash of the whole table.
//   - Directory order is hash order, so SCAN walks pages by hash prefix. Splits only divide a
//     range, so a cursor taken before a split still marks a boundary after it: every key
//     present for the whole scan is returned (perhaps twice if pages merge meanwhile).
//   - Every page carries the snapshot epoch of its last modification. Before a page is
//     modified while its version is older than the current epoch, the MutationObserver sees
//     it unchanged (the hook behind copy-on-write snapshots).
//
// REQUIRES: a Table is used from one thread.
#pragma once

#include <cstddef>
#include <cstdint>
#include <string_view>
#include <vector>

#include "ringdb/store/entry.h"

namespace ringdb::store {

class Page;
class Table;

// Told about a page just before it changes, once per epoch. Implemented by the snapshot engine.
class MutationObserver {
 public:
  virtual void BeforePageMutation(Table& table, const Page& page) = 0;

 protected:
  ~MutationObserver() = default;
};

class Page {
 public:
  static constexpr int kSlots = 48;

  uint64_t version() const { return version_; }
  int local_depth() const { return local_depth_; }
  int size() const { return __builtin_popcountll(occupied_); }
  uint64_t occupied() const { return occupied_; }
  // The smallest key hash the page covers (its prefix followed by zero bits).
  uint64_t range_start() const { return local_depth_ == 0 ? 0 : prefix_ << (64 - local_depth_); }
  Entry* entry(int slot) const { return entries_[slot]; }
  int volatile_count() const { return volatile_count_; }
  // Calls fn(Entry*) for every entry of the page.
  template <typename Fn>
  void ForEach(Fn&& fn) const {
    for (uint64_t mask = occupied_; mask != 0; mask &= mask - 1)
      fn(entries_[__builtin_ctzll(mask)]);
  }

 private:
  friend class Table;

  // Slots whose tag equals `tag`, as a bit mask (only occupied slots).
  uint64_t MatchTag(uint16_t tag) const;
  int FreeSlot() const { return __builtin_ctzll(~occupied_); }
  bool full() const { return occupied_ == (uint64_t{1} << kSlots) - 1; }

  uint64_t version_;
  uint64_t occupied_;
  // The page's hash prefix: the top local_depth_ bits every key hash in it starts with.
  uint64_t prefix_;
  uint8_t local_depth_;
  uint8_t volatile_count_;
  uint16_t tags_[kSlots];
  Entry* entries_[kSlots];
};

class Table {
 public:
  // A slot holding an entry. Invalidated by any Insert or Remove.
  struct Position {
    Page* page = nullptr;
    int slot = -1;
    // The key's hash, set by every Find given a Position (found or not), so an insert that
    // follows a failed lookup need not hash the key again.
    uint64_t hash = 0;
    explicit operator bool() const { return page != nullptr; }
  };

  explicit Table(uint64_t hash_seed);
  ~Table();
  Table(const Table&) = delete;
  Table& operator=(const Table&) = delete;

  uint64_t Hash(std::string_view key) const;
  uint64_t hash_seed() const { return hash_seed_; }

  // The entry for `key`, or nullptr. Does not look at expiry.
  Entry* Find(std::string_view key, Position* position = nullptr) const;
  Entry* Find(std::string_view key, uint64_t hash, Position* position) const;

  // Memory-level parallelism for pipelines. A lookup follows four dependent loads: the
  // directory slot, the page's tags, the slot's entry pointer, the entry. A caller about to
  // look up a batch of keys runs each stage over the whole batch before the next, so the
  // loads of one stage overlap instead of stalling one after another. These only hint the
  // CPU; they change nothing.
  void PrefetchDirectory(uint64_t hash) const {
    __builtin_prefetch(&directory_[DirectoryIndex(hash)]);
  }
  void PrefetchPage(uint64_t hash) const {
    const Page* page = directory_[DirectoryIndex(hash)];
    __builtin_prefetch(page);
    __builtin_prefetch(reinterpret_cast<const char*>(page) + 64);
  }
  // Returns the first slot whose tag matches (or -1) and prefetches its entry pointer.
  int PrefetchSlot(uint64_t hash) const;
  // Prefetches the entry in `slot` (from PrefetchSlot) of the key's page.
  void PrefetchEntry(uint64_t hash, int slot) const {
    if (slot >= 0) __builtin_prefetch(directory_[DirectoryIndex(hash)]->entries_[slot]);
  }

  // Adds `entry`, taking its reference. REQUIRES: its key is not in the table.
  void Insert(Entry* entry);
  void Insert(Entry* entry, uint64_t hash);
  // Puts `entry` in the slot, releasing the entry that was there.
  void Replace(Position position, Entry* entry);
  // Call before changing the entry at `position` in place (its value bytes or its expiry):
  // the observer sees the page unchanged first, which may leave the entry shared. Returns
  // the entry; when it is shared(), Replace it with a changed copy instead of editing it.
  Entry* PrepareInPlaceChange(Position position);
  // Removes the entry at `position` and releases it.
  void Remove(Position position);
  // Removes every entry.
  void Clear();
  // Prepares an empty table for about `keys` keys (a loader's RESIZEDB hint): the pages they
  // will need are made at once, instead of by thousands of splits. No effect on a table that
  // holds anything.
  void Reserve(size_t keys);

  size_t size() const { return size_; }
  size_t volatile_size() const { return volatile_size_; }
  size_t page_count() const { return page_count_; }
  size_t directory_size() const { return directory_.size(); }
  int global_depth() const { return global_depth_; }
  // Bytes used by the pages and the directory (not the entries).
  size_t OverheadBytes() const;

  // Visits pages in hash order starting with the page that covers `cursor` (a hash value;
  // 0 starts). Calls fn(const Page&) for each visited page until it returns false or the
  // pages run out. Returns the cursor of the next unvisited page, or 0 when the walk
  // wrapped around.
  template <typename Fn>
  uint64_t WalkPages(uint64_t cursor, Fn&& fn) const {
    size_t index = DirectoryIndex(cursor);
    while (index < directory_.size()) {
      const Page* page = directory_[index];
      size_t span = size_t{1} << (global_depth_ - page->local_depth_);
      index = (index & ~(span - 1)) + span;
      bool go_on = fn(*page);
      if (!go_on) break;
    }
    if (index >= directory_.size()) return 0;
    return static_cast<uint64_t>(index) << (64 - global_depth_);
  }

  // Calls fn(Entry*) for every entry.
  template <typename Fn>
  void ForEach(Fn&& fn) const {
    WalkPages(0, [&](const Page& page) {
      page.ForEach(fn);
      return true;
    });
  }

  // A random entry, or nullptr when the table is empty. `random` is a uniform 64-bit value.
  Entry* RandomEntry(uint64_t random) const;

  // Snapshot support. The epoch only grows.
  uint64_t epoch() const { return epoch_; }
  void set_epoch(uint64_t epoch) { epoch_ = epoch; }
  MutationObserver* observer() const { return observer_; }
  void set_observer(MutationObserver* observer) { observer_ = observer; }

  // Checks every invariant above; for tests (O(n)).
  bool CheckInvariants() const;

  // Removes the entry at `position` without releasing it; the caller owns the reference.
  Entry* Detach(Position position);

 private:
  size_t DirectoryIndex(uint64_t hash) const {
    return global_depth_ == 0 ? 0 : static_cast<size_t>(hash >> (64 - global_depth_));
  }
  static uint16_t TagOf(uint64_t hash) { return static_cast<uint16_t>(hash); }
  Page* NewPage(int local_depth);
  void FreePage(Page* page);
  // Calls the observer if `page` has not changed in this epoch yet.
  void Touch(Page* page) {
    if (page->version_ < epoch_) {
      if (observer_ != nullptr) observer_->BeforePageMutation(*this, *page);
      page->version_ = epoch_;
    }
  }
  void Split(size_t directory_index);
  void MaybeMerge(Page* page);
  void GrowDirectory();
  void ShrinkDirectory();
  void ClearSlot(Page* page, int slot);

  uint64_t hash_seed_;
  uint64_t epoch_ = 0;
  MutationObserver* observer_ = nullptr;
  int global_depth_ = 0;
  std::vector<Page*> directory_;
  size_t size_ = 0;
  size_t volatile_size_ = 0;
  size_t page_count_ = 0;
  // pages_at_depth_[d]: pages whose local depth is d; the directory halves when no page
  // uses the full global depth.
  size_t pages_at_depth_[65] = {};
};

}  // namespace ringdb::store
