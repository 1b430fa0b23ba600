// ZsetValue: the two encodings behind one interface (zset_value.h).
#include "ringdb/store/zset_value.h"

#include <charconv>
#include <climits>
#include <cmath>
#include <cstdio>
#include <cstdlib>
#include <cstring>
#include <new>
#include <utility>

#include "ringdb/base/assert.h"
#include "ringdb/base/memory.h"
#include "ringdb/base/strings.h"
#include "zset_skiplist.h"

namespace ringdb::store {

using zset_detail::Node;
using zset_detail::Skiplist;

// ---------------------------------------------------------------------------------------
// Score text

size_t FormatScoreLongDouble(double value, char* out) {
  if (std::isinf(value)) {
    const char* text = value > 0 ? "inf" : "-inf";
    size_t length = std::strlen(text);
    std::memcpy(out, text, length);
    return length;
  }
  int written = std::snprintf(out, kScoreTextMax, "%.17Lg", static_cast<long double>(value));
  RINGDB_ASSERT(written > 0 && static_cast<size_t>(written) < kScoreTextMax);
  return static_cast<size_t>(written);
}

namespace {

// The text zzlInsertAt stores for a score: the integer when double2ll takes it (so -0 becomes
// the integer 0), else d2string's text.
std::string_view StoredScoreText(double score, char* buffer) {
  if (std::optional<int64_t> integer = ScoreAsInteger(score)) {
    return {buffer, FormatInt64(*integer, buffer)};
  }
  return {buffer, FormatScore(score, buffer)};
}

}  // namespace

double ListpackScore(const Listpack& listpack, uint32_t position) {
  ListpackValue value = listpack.Get(position);
  if (value.is_integer) return static_cast<double>(value.integer);
  // Redis's zzlStrtod: strtod over (at most 127 bytes of) the stored text.
  char buffer[128];
  size_t length = std::min(value.bytes.size(), sizeof(buffer) - 1);
  std::memcpy(buffer, value.bytes.data(), length);
  buffer[length] = '\0';
  return std::strtod(buffer, nullptr);
}

// ---------------------------------------------------------------------------------------
// Ranges

namespace {

// Redis's sdscmplex with the "-" / "+" ends.
int CompareLex(std::string_view a, LexRange::Bound a_bound, std::string_view b,
               LexRange::Bound b_bound) {
  using Bound = LexRange::Bound;
  if (a_bound != Bound::kValue && a_bound == b_bound) return 0;
  if (a_bound == Bound::kMinusInfinity || b_bound == Bound::kPlusInfinity) return -1;
  if (a_bound == Bound::kPlusInfinity || b_bound == Bound::kMinusInfinity) return 1;
  return a.compare(b) < 0 ? -1 : (a == b ? 0 : 1);
}

}  // namespace

bool LexRange::AboveMin(std::string_view member) const {
  int cmp = CompareLex(member, Bound::kValue, min, min_bound);
  return min_exclusive ? cmp > 0 : cmp >= 0;
}

bool LexRange::BelowMax(std::string_view member) const {
  int cmp = CompareLex(member, Bound::kValue, max, max_bound);
  return max_exclusive ? cmp < 0 : cmp <= 0;
}

bool LexRange::Empty() const {
  int cmp = CompareLex(min, min_bound, max, max_bound);
  return cmp > 0 || (cmp == 0 && (min_exclusive || max_exclusive));
}

namespace {

bool AboveMin(const ScoreRange& range, const ZsetCursor& cursor) {
  return range.AboveMin(cursor.score());
}
bool BelowMax(const ScoreRange& range, const ZsetCursor& cursor) {
  return range.BelowMax(cursor.score());
}
bool AboveMin(const LexRange& range, const ZsetCursor& cursor) {
  return range.AboveMin(cursor.member());
}
bool BelowMax(const LexRange& range, const ZsetCursor& cursor) {
  return range.BelowMax(cursor.member());
}
bool NodeAboveMin(const ScoreRange& range, const Node* node) { return range.AboveMin(node->score); }
bool NodeBelowMax(const ScoreRange& range, const Node* node) { return range.BelowMax(node->score); }
bool NodeAboveMin(const LexRange& range, const Node* node) {
  return range.AboveMin(node->member());
}
bool NodeBelowMax(const LexRange& range, const Node* node) {
  return range.BelowMax(node->member());
}

}  // namespace

// ---------------------------------------------------------------------------------------
// Cursor

std::string_view ZsetCursor::member() const {
  RINGDB_DASSERT(valid_);
  if (node_ != nullptr) return node_->member();
  return zset_->listpack_.Get(position_).Text(scratch_);
}

double ZsetCursor::score() const {
  RINGDB_DASSERT(valid_);
  if (node_ != nullptr) return node_->score;
  const Listpack& listpack = zset_->listpack_;
  return ListpackScore(listpack, listpack.Next(position_));
}

std::string_view ZsetCursor::score_text(char* scratch) const {
  RINGDB_DASSERT(valid_);
  if (node_ != nullptr) return {scratch, FormatScore(node_->score, scratch)};
  const Listpack& listpack = zset_->listpack_;
  return listpack.Get(listpack.Next(position_)).Text(scratch);
}

void ZsetCursor::Next() {
  RINGDB_DASSERT(valid_);
  rank_++;
  if (node_ != nullptr) {
    node_ = node_->level(0).forward;
    valid_ = node_ != nullptr;
    return;
  }
  const Listpack& listpack = zset_->listpack_;
  position_ = listpack.Next(listpack.Next(position_));
  valid_ = position_ != Listpack::kNone;
}

void ZsetCursor::Prev() {
  RINGDB_DASSERT(valid_);
  rank_--;
  if (node_ != nullptr) {
    node_ = node_->backward;
    valid_ = node_ != nullptr;
    return;
  }
  const Listpack& listpack = zset_->listpack_;
  uint32_t score = listpack.Prev(position_);
  position_ = score == Listpack::kNone ? Listpack::kNone : listpack.Prev(score);
  valid_ = position_ != Listpack::kNone;
}

// ---------------------------------------------------------------------------------------
// ZsetValue

ZsetValue* ZsetValue::Create(size_t size_hint, size_t value_bytes_hint, const Limits& limits) {
  auto* zset = new ZsetValue();
  bool fits = limits.entries_max >= 0 && limits.value_bytes_max >= 0 &&
              size_hint <= static_cast<uint64_t>(limits.entries_max) &&
              value_bytes_hint <= static_cast<uint64_t>(limits.value_bytes_max);
  if (!fits) zset->ConvertToSkiplist(size_hint);
  return zset;
}

ZsetValue::ZsetValue() : Object(kType) { new (&listpack_) Listpack(); }

ZsetValue* ZsetValue::FromListpack(Listpack&& listpack) {
  auto* zset = new ZsetValue();
  zset->listpack_ = std::move(listpack);
  return zset;
}

ZsetValue::~ZsetValue() {
  if (is_skiplist_) {
    delete skiplist_;
  } else {
    listpack_.~Listpack();
  }
}

Encoding ZsetValue::encoding() const {
  return !is_skiplist_ ? Encoding::kListpack : Encoding::kSkiplist;
}

size_t ZsetValue::size() const { return !is_skiplist_ ? listpack_.size() / 2 : skiplist_->size(); }

Object* ZsetValue::Clone() const {
  auto* copy = new ZsetValue();
  if (!is_skiplist_) {
    copy->listpack_ = Listpack(listpack_);
    return copy;
  }
  copy->listpack_.~Listpack();
  copy->skiplist_ = new Skiplist();
  copy->is_skiplist_ = true;
  copy->skiplist_->index().Reserve(skiplist_->size());
  for (const Node* x = skiplist_->first(); x != nullptr; x = x->level(0).forward) {
    copy->skiplist_->Insert(x->member(), x->score);
  }
  return copy;
}

size_t ZsetValue::MemoryUsage(size_t samples) const {
  size_t bytes = sizeof(*this);
  if (!is_skiplist_) return bytes + listpack_.AllocatedBytes();
  return bytes + listpack_.AllocatedBytes() + skiplist_->AllocatedBytes(samples);
}

uint32_t ZsetValue::ListpackFind(std::string_view member, double* score) const {
  uint32_t first = listpack_.First();
  if (first == Listpack::kNone) return Listpack::kNone;
  uint32_t position = listpack_.Find(first, member, 1);
  if (position != Listpack::kNone && score != nullptr) {
    *score = ListpackScore(listpack_, listpack_.Next(position));
  }
  return position;
}

void ZsetValue::ListpackInsert(std::string_view member, double score) {
  char score_text[kScoreTextMax];
  std::string_view score_view = StoredScoreText(score, score_text);
  char scratch[24];
  for (uint32_t position = listpack_.First(); position != Listpack::kNone;) {
    uint32_t score_position = listpack_.Next(position);
    double existing = ListpackScore(listpack_, score_position);
    if (existing > score || (existing == score && listpack_.Get(position).Text(scratch) > member)) {
      uint32_t inserted = listpack_.InsertBefore(position, member);
      listpack_.InsertAfter(inserted, score_view);
      return;
    }
    position = listpack_.Next(score_position);
  }
  listpack_.Append(member);
  listpack_.Append(score_view);
}

std::optional<double> ZsetValue::Score(std::string_view member) const {
  if (is_skiplist_) {
    const Node* node = skiplist_->Find(member);
    if (node == nullptr) return std::nullopt;
    return node->score;
  }
  double score = 0;
  if (ListpackFind(member, &score) == Listpack::kNone) return std::nullopt;
  return score;
}

bool ZsetValue::FitsListpack(std::string_view member, size_t listpack_size, const Limits& limits,
                             const Listpack& listpack) {
  return limits.entries_max >= 0 &&
         listpack_size + 1 <= static_cast<uint64_t>(limits.entries_max) &&
         limits.value_bytes_max >= 0 &&
         member.size() <= static_cast<uint64_t>(limits.value_bytes_max) &&
         listpack.SafeToAdd(member.size());
}

ZsetValue::AddResult ZsetValue::Add(std::string_view member, double score, uint32_t flags,
                                    const Limits& limits, double* new_score) {
  bool incr = (flags & kIncr) != 0;
  if (std::isnan(score)) return AddResult::kNan;
  double current = 0;
  uint32_t position = Listpack::kNone;
  Node* node = nullptr;
  bool exists;
  if (!is_skiplist_) {
    position = ListpackFind(member, &current);
    exists = position != Listpack::kNone;
  } else {
    node = skiplist_->Find(member);
    exists = node != nullptr;
    if (exists) current = node->score;
  }
  if (exists) {
    if (flags & kNx) return AddResult::kSkipped;
    if (incr) {
      score += current;
      if (std::isnan(score)) return AddResult::kNan;
    }
    if (((flags & kLt) && score >= current) || ((flags & kGt) && score <= current)) {
      return AddResult::kSkipped;
    }
    if (new_score != nullptr) *new_score = score;
    if (score == current) return AddResult::kUnchanged;
    if (!is_skiplist_) {
      listpack_.DeleteRange(position, 2);
      ListpackInsert(member, score);
    } else {
      skiplist_->UpdateScore(node, score);
    }
    return AddResult::kUpdated;
  }
  if (flags & kXx) return AddResult::kSkipped;
  if (!is_skiplist_) {
    if (FitsListpack(member, size(), limits, listpack_)) {
      ListpackInsert(member, score);
      if (new_score != nullptr) *new_score = score;
      return AddResult::kAdded;
    }
    ConvertToSkiplist(size() + 1);
  }
  skiplist_->Insert(member, score);
  if (new_score != nullptr) *new_score = score;
  return AddResult::kAdded;
}

bool ZsetValue::Remove(std::string_view member) {
  if (is_skiplist_) {
    Node* node = skiplist_->Find(member);
    if (node == nullptr) return false;
    skiplist_->Erase(node);
    return true;
  }
  uint32_t position = ListpackFind(member, nullptr);
  if (position == Listpack::kNone) return false;
  listpack_.DeleteRange(position, 2);
  return true;
}

std::optional<size_t> ZsetValue::Rank(std::string_view member, bool reverse, double* score) const {
  size_t length = size();
  size_t rank = 0;  // 1-based
  if (is_skiplist_) {
    const Node* node = skiplist_->Find(member);
    if (node == nullptr) return std::nullopt;
    rank = skiplist_->RankOf(node);
    if (score != nullptr) *score = node->score;
  } else {
    uint32_t target = ListpackFind(member, score);
    if (target == Listpack::kNone) return std::nullopt;
    rank = 1;
    for (uint32_t p = listpack_.First(); p != target; p = listpack_.Next(listpack_.Next(p))) {
      rank++;
    }
  }
  return reverse ? length - rank : rank - 1;
}

ZsetCursor ZsetValue::CursorAt(uint32_t position, size_t rank) const {
  ZsetCursor cursor;
  cursor.zset_ = this;
  cursor.position_ = position;
  cursor.rank_ = rank;
  cursor.valid_ = position != Listpack::kNone;
  return cursor;
}

ZsetCursor ZsetValue::CursorAt(const Node* node, size_t rank) const {
  ZsetCursor cursor;
  cursor.zset_ = this;
  cursor.node_ = node;
  cursor.rank_ = rank;
  cursor.valid_ = node != nullptr;
  return cursor;
}

ZsetCursor ZsetValue::At(size_t rank) const {
  RINGDB_ASSERT(rank < size());
  if (is_skiplist_) return CursorAt(skiplist_->ByRank(rank + 1), rank);
  return CursorAt(listpack_.Seek(static_cast<int64_t>(rank) * 2), rank);
}

template <typename Range>
ZsetCursor ZsetValue::ListpackFirstIn(const Range& range) const {
  size_t length = size();
  if (range.Empty() || length == 0) return ZsetCursor();
  if (!AboveMin(range, At(length - 1)) || !BelowMax(range, At(0))) return ZsetCursor();
  for (ZsetCursor cursor = At(0); cursor.valid(); cursor.Next()) {
    if (AboveMin(range, cursor)) return BelowMax(range, cursor) ? cursor : ZsetCursor();
  }
  return ZsetCursor();
}

template <typename Range>
ZsetCursor ZsetValue::ListpackLastIn(const Range& range) const {
  size_t length = size();
  if (range.Empty() || length == 0) return ZsetCursor();
  if (!AboveMin(range, At(length - 1)) || !BelowMax(range, At(0))) return ZsetCursor();
  for (ZsetCursor cursor = At(length - 1); cursor.valid(); cursor.Prev()) {
    if (BelowMax(range, cursor)) return AboveMin(range, cursor) ? cursor : ZsetCursor();
  }
  return ZsetCursor();
}

namespace {

// Redis's zslIsInRange / zslIsInLexRange.
template <typename Range>
bool SkiplistOverlaps(const Skiplist& list, const Range& range) {
  if (range.Empty() || list.size() == 0) return false;
  return NodeAboveMin(range, list.tail()) && NodeBelowMax(range, list.first());
}

}  // namespace

ZsetCursor ZsetValue::FirstInRange(const ScoreRange& range) const {
  if (!is_skiplist_) return ListpackFirstIn(range);
  if (!SkiplistOverlaps(*skiplist_, range)) return ZsetCursor();
  size_t rank = 0;
  Node* x = skiplist_->LastWhere([&](const Node* n) { return !range.AboveMin(n->score); }, &rank);
  x = x->level(0).forward;
  if (x == nullptr || !range.BelowMax(x->score)) return ZsetCursor();
  return CursorAt(x, rank);
}

ZsetCursor ZsetValue::LastInRange(const ScoreRange& range) const {
  if (!is_skiplist_) return ListpackLastIn(range);
  if (!SkiplistOverlaps(*skiplist_, range)) return ZsetCursor();
  size_t rank = 0;
  Node* x = skiplist_->LastWhere([&](const Node* n) { return range.BelowMax(n->score); }, &rank);
  if (rank == 0 || !range.AboveMin(x->score)) return ZsetCursor();
  return CursorAt(x, rank - 1);
}

ZsetCursor ZsetValue::FirstInRange(const LexRange& range) const {
  if (!is_skiplist_) return ListpackFirstIn(range);
  if (!SkiplistOverlaps(*skiplist_, range)) return ZsetCursor();
  size_t rank = 0;
  Node* x =
      skiplist_->LastWhere([&](const Node* n) { return !range.AboveMin(n->member()); }, &rank);
  x = x->level(0).forward;
  if (x == nullptr || !range.BelowMax(x->member())) return ZsetCursor();
  return CursorAt(x, rank);
}

ZsetCursor ZsetValue::LastInRange(const LexRange& range) const {
  if (!is_skiplist_) return ListpackLastIn(range);
  if (!SkiplistOverlaps(*skiplist_, range)) return ZsetCursor();
  size_t rank = 0;
  Node* x = skiplist_->LastWhere([&](const Node* n) { return range.BelowMax(n->member()); }, &rank);
  if (rank == 0 || !range.AboveMin(x->member())) return ZsetCursor();
  return CursorAt(x, rank - 1);
}

void ZsetValue::DeleteRanks(size_t start, size_t count) {
  RINGDB_ASSERT(start + count <= size());
  if (count == 0) return;
  if (is_skiplist_) {
    skiplist_->DeleteRanks(start + 1, start + count);
    return;
  }
  listpack_.DeleteRange(listpack_.Seek(static_cast<int64_t>(start) * 2), count * 2);
}

void ZsetValue::ConvertToSkiplist(size_t size_hint) {
  if (is_skiplist_) return;
  auto* list = new Skiplist();
  list->index().Reserve(std::max(size_hint, size()));
  char scratch[24];
  for (uint32_t p = listpack_.First(); p != Listpack::kNone;) {
    uint32_t score_position = listpack_.Next(p);
    list->Insert(listpack_.Get(p).Text(scratch), ListpackScore(listpack_, score_position));
    p = listpack_.Next(score_position);
  }
  listpack_.~Listpack();
  skiplist_ = list;
  is_skiplist_ = true;
}

void ZsetValue::ConvertToListpackIfFits(size_t member_bytes_max, size_t member_bytes_total,
                                        const Limits& limits) {
  if (!is_skiplist_) return;
  if (limits.entries_max < 0 || skiplist_->size() > static_cast<uint64_t>(limits.entries_max)) {
    return;
  }
  if (limits.value_bytes_max < 0 ||
      member_bytes_max > static_cast<uint64_t>(limits.value_bytes_max)) {
    return;
  }
  if (member_bytes_total > Listpack::kSafetyBytesMax) return;
  Listpack listpack;
  char score_text[kScoreTextMax];
  for (const Node* x = skiplist_->first(); x != nullptr; x = x->level(0).forward) {
    listpack.Append(x->member());
    listpack.Append(StoredScoreText(x->score, score_text));
  }
  delete skiplist_;
  new (&listpack_) Listpack(std::move(listpack));
  is_skiplist_ = false;
}

uint64_t ZsetValue::ScanImpl(uint64_t cursor, size_t count,
                             void (*fn)(void* context, std::string_view, double),
                             void* context) const {
  RINGDB_ASSERT(is_skiplist_);
  return skiplist_->index().Scan(
      cursor, count, [&](const Node* node) { fn(context, node->member(), node->score); });
}

}  // namespace ringdb::store
