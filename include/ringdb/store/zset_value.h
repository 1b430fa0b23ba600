// ZsetValue: the value of a sorted-set key, in Redis's two encodings.
//
//   "listpack"  member, score, member, score ... in one Listpack (listpack.h), sorted by score
//               then member bytes; a score is stored as an integer when the double is integral
//               and within +-2^62 (Redis's double2ll), else as the text Redis 7.2's d2string
//               writes (FormatScore), so the blob is Redis's byte for byte.
//   "skiplist"  past zset-max-listpack-entries members or a member longer than
//               zset-max-listpack-value bytes: Redis's skiplist with spans (O(log n) rank,
//               range and delete-range), plus a MemberIndex (zset_index.h) from member to node
//               for O(1) score lookups. Each node is one allocation holding its score, its
//               levels and the member bytes.
//
// Conversion is one-way while a value lives, as in Redis: a skiplist only goes back to a
// listpack through ConvertToListpackIfFits, which the STORE commands call on their result.
//
// Positions: a ZsetCursor points at one element and knows its rank. Any change to the value
// invalidates every cursor and every string_view a cursor returned.
#pragma once

#include <cstddef>
#include <cstdint>
#include <optional>
#include <string>
#include <string_view>

#include "ringdb/base/strings.h"
#include "ringdb/store/listpack.h"
#include "ringdb/store/object.h"

namespace ringdb::store {

namespace zset_detail {
struct Node;
class Skiplist;
}  // namespace zset_detail

// Bytes enough for any text FormatScore / FormatScoreDtoa / FormatScoreLongDouble writes.
inline constexpr size_t kScoreTextMax = kDoubleTextMax;

// A score's text is Redis 7.2's d2string (base/strings.h, FormatDouble), the same text
// every double reply has; FormatScoreDtoa is its fpconv_dtoa part (DEBUG DIGEST mixes it).
inline size_t FormatScore(double value, char* out) { return FormatDouble(value, out); }
inline size_t FormatScoreDtoa(double value, char* out) { return FormatDoubleDtoa(value, out); }
// Redis's ld2string(LD_STR_AUTO): "%.17Lg" (ZSCAN of a skiplist-encoded set replies this).
size_t FormatScoreLongDouble(double value, char* out);
inline std::optional<int64_t> ScoreAsInteger(double value) { return DoubleAsInteger(value); }

// A score interval (Redis's zrangespec).
struct ScoreRange {
  double min = 0;
  double max = 0;
  bool min_exclusive = false;
  bool max_exclusive = false;

  bool AboveMin(double score) const { return min_exclusive ? score > min : score >= min; }
  bool BelowMax(double score) const { return max_exclusive ? score < max : score <= max; }
  // Whether no score can be in the range.
  bool Empty() const { return min > max || (min == max && (min_exclusive || max_exclusive)); }
};

// A member interval (Redis's zlexrangespec): "-" and "+" are the open ends.
struct LexRange {
  enum class Bound : uint8_t { kValue, kMinusInfinity, kPlusInfinity };
  std::string_view min;
  std::string_view max;
  Bound min_bound = Bound::kValue;
  Bound max_bound = Bound::kValue;
  bool min_exclusive = false;
  bool max_exclusive = false;

  bool AboveMin(std::string_view member) const;
  bool BelowMax(std::string_view member) const;
  bool Empty() const;
};

class ZsetValue;

// One element of a ZsetValue, by rank. Invalid past either end.
class ZsetCursor {
 public:
  bool valid() const { return valid_; }
  size_t rank() const { return rank_; }
  // The member bytes (an integer member of a listpack is formatted into the cursor).
  std::string_view member() const;
  double score() const;
  // The score as a listpack stores it (integer text or d2string text); for a skiplist, the
  // FormatScore text.
  std::string_view score_text(char* scratch) const;
  void Next();
  void Prev();

 private:
  friend class ZsetValue;
  const ZsetValue* zset_ = nullptr;
  uint32_t position_ = 0;  // listpack: the member element
  const zset_detail::Node* node_ = nullptr;
  size_t rank_ = 0;
  bool valid_ = false;
  mutable char scratch_[24];
};

class ZsetValue final : public Object {
 public:
  static constexpr ValueType kType = ValueType::kZset;

  // zset-max-listpack-entries / zset-max-listpack-value.
  struct Limits {
    int64_t entries_max = 128;
    int64_t value_bytes_max = 64;
  };

  // ZADD's flags (Redis's ZADD_IN_*).
  enum AddFlag : uint32_t { kNx = 1, kXx = 2, kGt = 4, kLt = 8, kIncr = 16 };
  enum class AddResult { kAdded, kUpdated, kUnchanged, kSkipped, kNan };

  // Redis's zsetTypeCreate: a listpack when `size_hint` elements of up to `value_bytes_hint`
  // bytes fit the limits, else a skiplist sized for `size_hint`.
  static ZsetValue* Create(size_t size_hint, size_t value_bytes_hint, const Limits& limits);
  // A listpack-encoded sorted set adopting `listpack` (the RDB loader's blob).
  // REQUIRES: a valid listpack of member, score pairs with distinct members, scores that are
  // integers or number texts (not NaN), sorted by score then member bytes.
  static ZsetValue* FromListpack(Listpack&& listpack);
  ~ZsetValue();

  Encoding encoding() const;
  size_t size() const;
  Object* Clone() const;
  size_t MemoryUsage(size_t samples) const;

  bool is_listpack() const { return !is_skiplist_; }

  std::optional<double> Score(std::string_view member) const;

  // Redis's zsetAdd: adds or updates `member` under `flags`; converts to a skiplist first when
  // the new member would pass `limits`. With kIncr, `score` is the increment. *new_score
  // (optional) receives the resulting score when the member was added or updated (or left
  // unchanged with kIncr... as Redis does: whenever the member ends with a score).
  AddResult Add(std::string_view member, double score, uint32_t flags, const Limits& limits,
                double* new_score = nullptr);
  // Removes `member`; false when absent.
  bool Remove(std::string_view member);
  // The 0-based rank of `member` (from the highest score when `reverse`), with its score.
  std::optional<size_t> Rank(std::string_view member, bool reverse, double* score) const;

  // Cursors. REQUIRES for At: rank < size().
  ZsetCursor At(size_t rank) const;
  // Redis's z*FirstInRange / z*LastInRange: the first (last) element inside the range, or an
  // invalid cursor.
  ZsetCursor FirstInRange(const ScoreRange& range) const;
  ZsetCursor LastInRange(const ScoreRange& range) const;
  ZsetCursor FirstInRange(const LexRange& range) const;
  ZsetCursor LastInRange(const LexRange& range) const;

  // Deletes `count` elements from rank `start` on. REQUIRES: start + count <= size().
  void DeleteRanks(size_t start, size_t count);

  // Redis's zsetConvertToListpackIfNeeded: back to a listpack when the elements (longest
  // member `member_bytes_max`, all members together `member_bytes_total`) fit `limits`.
  void ConvertToListpackIfFits(size_t member_bytes_max, size_t member_bytes_total,
                               const Limits& limits);
  // Forces the skiplist encoding (sized for `size_hint` elements).
  void ConvertToSkiplist(size_t size_hint);

  // ZSCAN over the skiplist encoding: calls fn(member, score) for the elements from
  // `cursor` on in the member index's hash order, about `count` of them, and returns the
  // next cursor (0: done). Elements present for a whole iteration are returned at least once.
  template <typename Fn>
  uint64_t Scan(uint64_t cursor, size_t count, Fn&& fn) const;

  // REQUIRES: is_listpack().
  const Listpack& listpack() const {
    RINGDB_DASSERT(!is_skiplist_);
    return listpack_;
  }

 private:
  friend class ZsetCursor;
  ZsetValue();
  static bool FitsListpack(std::string_view member, size_t listpack_size, const Limits& limits,
                           const Listpack& listpack);
  uint32_t ListpackFind(std::string_view member, double* score) const;
  void ListpackInsert(std::string_view member, double score);
  uint64_t ScanImpl(uint64_t cursor, size_t count,
                    void (*fn)(void* context, std::string_view, double), void* context) const;
  template <typename Range>
  ZsetCursor ListpackFirstIn(const Range& range) const;
  template <typename Range>
  ZsetCursor ListpackLastIn(const Range& range) const;
  ZsetCursor CursorAt(uint32_t position, size_t rank) const;
  ZsetCursor CursorAt(const zset_detail::Node* node, size_t rank) const;

  bool is_skiplist_ = false;
  union {
    Listpack listpack_;
    zset_detail::Skiplist* skiplist_;  // Owned.
  };
};

template <typename Fn>
uint64_t ZsetValue::Scan(uint64_t cursor, size_t count, Fn&& fn) const {
  return ScanImpl(
      cursor, count,
      [](void* context, std::string_view member, double score) {
        (*static_cast<Fn*>(context))(member, score);
      },
      &fn);
}

// Listpack helpers for zsets, shared with the commands: the score stored at `position`.
double ListpackScore(const Listpack& listpack, uint32_t position);

}  // namespace ringdb::store
