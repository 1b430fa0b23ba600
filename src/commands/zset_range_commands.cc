// Sorted-set ranges and algebra: ZRANGE (BYSCORE BYLEX REV LIMIT WITHSCORES) and its older
// forms, ZRANGESTORE, ZREMRANGEBYRANK/SCORE/LEX, ZUNION ZINTER ZDIFF (and STORE), ZINTERCARD,
// as Redis 7.2's t_zset.c answers them.
//
// A range by score or lex is a run of consecutive ranks, found as Redis finds it (the first or
// last element in range, then a walk that skips OFFSET elements and stops where the bound no
// longer holds), so every form reduces to "n elements from rank r, forward or backward".
#include <algorithm>
#include <cmath>
#include <string>
#include <unordered_map>
#include <vector>

#include "families.h"
#include "helpers.h"
#include "ringdb/commands/command.h"
#include "zset_util.h"

namespace ringdb::commands {
namespace {

using store::Entry;
using store::Table;
using store::ZsetCursor;
using store::ZsetValue;
using zset::LimitsOf;
using zset::ReplyScore;

enum class RangeType { kAuto, kRank, kScore, kLex };
enum class Direction { kAuto, kForward, kReverse };

// The elements a range selects: `count` elements from rank `first`, backwards when reverse.
struct Selection {
  size_t first = 0;
  size_t count = 0;
  bool reverse = false;
};

// Redis's index sanitizing of ZRANGE and ZREMRANGEBYRANK.
Selection SelectRanks(size_t size, int64_t start, int64_t end, bool reverse) {
  auto length = static_cast<int64_t>(size);
  if (start < 0) start += length;
  if (end < 0) end += length;
  if (start < 0) start = 0;
  if (start > end || start >= length) return {0, 0, reverse};
  if (end >= length) end = length - 1;
  auto count = static_cast<size_t>(end - start + 1);
  auto first = static_cast<size_t>(reverse ? length - 1 - start : start);
  return {first, count, reverse};
}

template <typename Range>
bool BoundHolds(const Range& range, const ZsetCursor& cursor, bool reverse) {
  if constexpr (std::is_same_v<Range, store::ScoreRange>) {
    return reverse ? range.AboveMin(cursor.score()) : range.BelowMax(cursor.score());
  } else {
    return reverse ? range.AboveMin(cursor.member()) : range.BelowMax(cursor.member());
  }
}

// Redis's genericZrangebyscoreCommand / genericZrangebylexCommand walk.
template <typename Range>
Selection SelectRange(const ZsetValue& zset, const Range& range, int64_t offset, int64_t limit,
                      bool reverse) {
  Selection none{0, 0, reverse};
  size_t size = zset.size();
  if (offset > 0 && static_cast<uint64_t>(offset) >= size) return none;
  ZsetCursor cursor = reverse ? zset.LastInRange(range) : zset.FirstInRange(range);
  if (!cursor.valid()) return none;
  // A negative offset makes Redis's skip loop run off the end.
  if (offset < 0) return none;
  size_t rank = cursor.rank();
  auto skip = static_cast<uint64_t>(offset);
  if (reverse ? skip > rank : skip >= size - rank) return none;
  rank = reverse ? rank - skip : rank + skip;
  if (skip != 0) cursor = zset.At(rank);
  size_t count = 0;
  for (; cursor.valid() && (limit < 0 || count < static_cast<uint64_t>(limit)); count++) {
    if (!BoundHolds(range, cursor, reverse)) break;
    if (reverse) {
      cursor.Prev();
    } else {
      cursor.Next();
    }
  }
  return {rank, count, reverse};
}

template <typename Fn>
void ForEachSelected(const ZsetValue& zset, const Selection& selection, Fn&& fn) {
  if (selection.count == 0) return;
  ZsetCursor cursor = zset.At(selection.first);
  for (size_t i = 0; i < selection.count; i++) {
    fn(cursor);
    if (selection.reverse) {
      cursor.Prev();
    } else {
      cursor.Next();
    }
  }
}

void ReplySelection(CommandContext& context, const ZsetValue* zset, const Selection& selection,
                    bool with_scores) {
  resp::ReplyBuilder& reply = context.reply;
  reply.ArrayHeader(with_scores && !reply.resp3() ? selection.count * 2 : selection.count);
  if (zset == nullptr) return;
  ForEachSelected(*zset, selection, [&](const ZsetCursor& cursor) {
    if (with_scores && reply.resp3()) reply.ArrayHeader(2);
    reply.Bulk(cursor.member());
    if (with_scores) ReplyScore(reply, cursor.score());
  });
}

// ZRANGESTORE's result: zsetTypeCreate(length hint, 0) then zsetAdd per element.
void StoreSelection(CommandContext& context, std::string_view destination, const ZsetValue* zset,
                    const Selection& selection, size_t size_hint) {
  ZsetValue::Limits limits = LimitsOf(context);
  ZsetValue* result = ZsetValue::Create(size_hint, 0, limits);
  if (zset != nullptr) {
    ForEachSelected(*zset, selection, [&](const ZsetCursor& cursor) {
      result->Add(cursor.member(), cursor.score(), 0, limits);
    });
  }
  zset::StoreResult(context, destination, result, "zrangestore");
}

struct RangeRequest {
  RangeType type = RangeType::kAuto;
  Direction direction = Direction::kAuto;
  bool with_scores = false;
  int64_t offset = 0;
  int64_t limit = -1;
  int64_t start = 0;
  int64_t end = 0;
  std::optional<store::ScoreRange> scores;
  std::optional<store::LexRange> lex;
};

// Redis's zrangeGenericCommand steps 1 and 2: options, conflicts, then the range itself.
std::optional<RangeRequest> ParseRange(CommandContext& context, size_t key_index, bool store,
                                       RangeType type, Direction direction) {
  RangeRequest request;
  request.type = type;
  request.direction = direction;
  for (size_t j = key_index + 3; j < context.argc(); j++) {
    size_t left = context.argc() - j - 1;
    std::string_view option = context.arg(j);
    if (!store && EqualsIgnoreCase(option, "withscores")) {
      request.with_scores = true;
    } else if (EqualsIgnoreCase(option, "limit") && left >= 2) {
      std::optional<int64_t> offset = IntegerArg(context, j + 1);
      if (!offset) return std::nullopt;
      std::optional<int64_t> limit = IntegerArg(context, j + 2);
      if (!limit) return std::nullopt;
      request.offset = *offset;
      request.limit = *limit;
      j += 2;
    } else if (request.direction == Direction::kAuto && EqualsIgnoreCase(option, "rev")) {
      request.direction = Direction::kReverse;
    } else if (request.type == RangeType::kAuto && EqualsIgnoreCase(option, "bylex")) {
      request.type = RangeType::kLex;
    } else if (request.type == RangeType::kAuto && EqualsIgnoreCase(option, "byscore")) {
      request.type = RangeType::kScore;
    } else {
      context.reply.Error(errors::kSyntax);
      return std::nullopt;
    }
  }
  if (request.direction == Direction::kAuto) request.direction = Direction::kForward;
  if (request.type == RangeType::kAuto) request.type = RangeType::kRank;
  if (request.limit != -1 && request.type == RangeType::kRank) {
    context.reply.Error(
        "syntax error, LIMIT is only supported in combination with either BYSCORE or BYLEX");
    return std::nullopt;
  }
  if (request.with_scores && request.type == RangeType::kLex) {
    context.reply.Error("syntax error, WITHSCORES not supported in combination with BYLEX");
    return std::nullopt;
  }
  size_t min_index = key_index + 1;
  size_t max_index = key_index + 2;
  bool reverse = request.direction == Direction::kReverse;
  if (reverse && request.type != RangeType::kRank) std::swap(min_index, max_index);
  std::string_view min = context.arg(min_index);
  std::string_view max = context.arg(max_index);
  if (request.type == RangeType::kRank) {
    std::optional<int64_t> start = IntegerArg(context, min_index);
    if (!start) return std::nullopt;
    std::optional<int64_t> end = IntegerArg(context, max_index);
    if (!end) return std::nullopt;
    request.start = *start;
    request.end = *end;
  } else if (request.type == RangeType::kScore) {
    request.scores = zset::ParseScoreRange(min, max);
    if (!request.scores) {
      context.reply.Error(zset::kMinMaxNotFloat);
      return std::nullopt;
    }
  } else {
    request.lex = zset::ParseLexRange(min, max);
    if (!request.lex) {
      context.reply.Error(zset::kMinMaxNotLex);
      return std::nullopt;
    }
  }
  return request;
}

void RangeGeneric(CommandContext& context, size_t key_index, bool store, RangeType type,
                  Direction direction) {
  std::optional<RangeRequest> request = ParseRange(context, key_index, store, type, direction);
  if (!request) return;
  Entry* entry = context.LookupRead(context.arg(key_index));
  if (RejectWrongType(context, entry, ZsetValue::kType)) return;
  const ZsetValue* zset = entry == nullptr ? nullptr : ObjectOf<ZsetValue>(entry);
  bool reverse = request->direction == Direction::kReverse;
  Selection selection{0, 0, reverse};
  if (zset != nullptr) {
    if (request->type == RangeType::kRank) {
      selection = SelectRanks(zset->size(), request->start, request->end, reverse);
    } else if (request->type == RangeType::kScore) {
      selection = SelectRange(*zset, *request->scores, request->offset, request->limit, reverse);
    } else {
      selection = SelectRange(*zset, *request->lex, request->offset, request->limit, reverse);
    }
  }
  if (!store) {
    ReplySelection(context, zset, selection, request->with_scores);
    return;
  }
  size_t size_hint = request->type == RangeType::kRank ? selection.count : 0;
  StoreSelection(context, context.arg(1), zset, selection, size_hint);
}

void Zrange(CommandContext& c) { RangeGeneric(c, 1, false, RangeType::kAuto, Direction::kAuto); }
void Zrevrange(CommandContext& c) {
  RangeGeneric(c, 1, false, RangeType::kRank, Direction::kReverse);
}
void Zrangebyscore(CommandContext& c) {
  RangeGeneric(c, 1, false, RangeType::kScore, Direction::kForward);
}
void Zrevrangebyscore(CommandContext& c) {
  RangeGeneric(c, 1, false, RangeType::kScore, Direction::kReverse);
}
void Zrangebylex(CommandContext& c) {
  RangeGeneric(c, 1, false, RangeType::kLex, Direction::kForward);
}
void Zrevrangebylex(CommandContext& c) {
  RangeGeneric(c, 1, false, RangeType::kLex, Direction::kReverse);
}
void Zrangestore(CommandContext& c) {
  RangeGeneric(c, 2, true, RangeType::kAuto, Direction::kAuto);
}

// ---------------------------------------------------------------------------------------
// ZREMRANGEBYRANK / SCORE / LEX

void RemoveRangeGeneric(CommandContext& context, RangeType type) {
  int64_t start = 0;
  int64_t end = 0;
  std::optional<store::ScoreRange> scores;
  std::optional<store::LexRange> lex;
  if (type == RangeType::kRank) {
    std::optional<int64_t> parsed_start = IntegerArg(context, 2);
    if (!parsed_start) return;
    std::optional<int64_t> parsed_end = IntegerArg(context, 3);
    if (!parsed_end) return;
    start = *parsed_start;
    end = *parsed_end;
  } else if (type == RangeType::kScore) {
    scores = zset::ParseScoreRange(context.arg(2), context.arg(3));
    if (!scores) {
      context.reply.Error(zset::kMinMaxNotFloat);
      return;
    }
  } else {
    lex = zset::ParseLexRange(context.arg(2), context.arg(3));
    if (!lex) {
      context.reply.Error(zset::kMinMaxNotLex);
      return;
    }
  }
  std::string_view key = context.arg(1);
  Table::Position position;
  Entry* entry = context.LookupWrite(key, &position);
  if (entry == nullptr) {
    context.reply.Integer(0);
    return;
  }
  if (RejectWrongType(context, entry, ZsetValue::kType)) return;
  const ZsetValue* current = ObjectOf<ZsetValue>(entry);
  Selection selection;
  const char* event;
  if (type == RangeType::kRank) {
    selection = SelectRanks(current->size(), start, end, false);
    event = "zremrangebyrank";
  } else if (type == RangeType::kScore) {
    selection = SelectRange(*current, *scores, 0, -1, false);
    event = "zremrangebyscore";
  } else {
    selection = SelectRange(*current, *lex, 0, -1, false);
    event = "zremrangebylex";
  }
  if (selection.count > 0) {
    ZsetValue* zset = MutableObject<ZsetValue>(context, position);
    zset->DeleteRanks(selection.first, selection.count);
    context.KeyChanged(key, kNotifyZset, event, selection.count);
    if (zset->size() == 0) DeleteEmptied(context, position, key);
  }
  context.reply.Integer(static_cast<int64_t>(selection.count));
}

void Zremrangebyrank(CommandContext& c) { RemoveRangeGeneric(c, RangeType::kRank); }
void Zremrangebyscore(CommandContext& c) { RemoveRangeGeneric(c, RangeType::kScore); }
void Zremrangebylex(CommandContext& c) { RemoveRangeGeneric(c, RangeType::kLex); }

// ---------------------------------------------------------------------------------------
// ZUNION ZINTER ZDIFF (STORE) ZINTERCARD

enum class SetOp { kUnion, kInter, kDiff };
enum class Aggregate { kSum, kMin, kMax };

// One input: a sorted set, a set (every member scoring 1), or nothing (a missing key).
struct Source {
  const ZsetValue* zset = nullptr;
  const store::SetView* set = nullptr;
  double weight = 1.0;

  size_t size() const {
    if (zset != nullptr) return zset->size();
    return set != nullptr ? set->SetSize() : 0;
  }
  const void* identity() const {
    return zset != nullptr ? static_cast<const void*>(zset) : static_cast<const void*>(set);
  }
  std::optional<double> Find(std::string_view member) const {
    if (zset != nullptr) return zset->Score(member);
    if (set != nullptr && set->SetContains(member)) return 1.0;
    return std::nullopt;
  }
  template <typename Fn>
  void ForEach(Fn&& fn) const {
    if (zset != nullptr && zset->size() > 0) {
      for (ZsetCursor c = zset->At(0); c.valid(); c.Next()) fn(c.member(), c.score());
    } else if (set != nullptr) {
      set->ForEachSetMember(
          [](void* context, std::string_view member) { (*static_cast<Fn*>(context))(member, 1.0); },
          &fn);
    }
  }
};

void AggregateInto(double* target, double value, Aggregate aggregate) {
  if (aggregate == Aggregate::kSum) {
    *target += value;
    // inf + -inf: Redis keeps 0 rather than NaN.
    if (std::isnan(*target)) *target = 0.0;
  } else if (aggregate == Aggregate::kMin) {
    *target = value < *target ? value : *target;
  } else {
    *target = value > *target ? value : *target;
  }
}

double Weighted(double score, double weight) {
  double value = score * weight;
  return std::isnan(value) ? 0 : value;
}

struct AlgebraRequest {
  std::vector<Source> sources;
  Aggregate aggregate = Aggregate::kSum;
  bool with_scores = false;
  int64_t limit = 0;
};

// Redis's zunionInterDiffGenericCommand up to the computation: numkeys, the lookups (types
// are checked before the options are read), then WEIGHTS AGGREGATE WITHSCORES LIMIT.
std::optional<AlgebraRequest> ParseAlgebra(CommandContext& context, size_t numkeys_index, SetOp op,
                                           bool store, bool cardinality_only) {
  std::optional<int64_t> numkeys = IntegerArg(context, numkeys_index);
  if (!numkeys) return std::nullopt;
  if (*numkeys < 1) {
    context.reply.Error("at least 1 input key is needed for '" + context.command->full_name +
                        "' command");
    return std::nullopt;
  }
  if (static_cast<uint64_t>(*numkeys) > context.argc() - (numkeys_index + 1)) {
    context.reply.Error(errors::kSyntax);
    return std::nullopt;
  }
  AlgebraRequest request;
  auto count = static_cast<size_t>(*numkeys);
  request.sources.resize(count);
  size_t j = numkeys_index + 1;
  for (size_t i = 0; i < count; i++, j++) {
    Entry* entry = context.LookupRead(context.arg(j));
    if (entry == nullptr) continue;
    if (entry->type() == ZsetValue::kType) {
      request.sources[i].zset = ObjectOf<ZsetValue>(entry);
    } else if (entry->type() == store::ValueType::kSet && zset::SetViewOf(entry) != nullptr) {
      request.sources[i].set = zset::SetViewOf(entry);
    } else {
      context.reply.Error(errors::kWrongType);
      return std::nullopt;
    }
  }
  bool algebra_options = op != SetOp::kDiff && !cardinality_only;
  while (j < context.argc()) {
    size_t remaining = context.argc() - j;
    std::string_view option = context.arg(j);
    if (algebra_options && remaining >= count + 1 && EqualsIgnoreCase(option, "weights")) {
      j++;
      for (size_t i = 0; i < count; i++, j++) {
        std::optional<double> weight = ParseDouble(context.arg(j));
        if (!weight) {
          context.reply.Error("weight value is not a float");
          return std::nullopt;
        }
        request.sources[i].weight = *weight;
      }
    } else if (algebra_options && remaining >= 2 && EqualsIgnoreCase(option, "aggregate")) {
      std::string_view value = context.arg(j + 1);
      if (EqualsIgnoreCase(value, "sum")) {
        request.aggregate = Aggregate::kSum;
      } else if (EqualsIgnoreCase(value, "min")) {
        request.aggregate = Aggregate::kMin;
      } else if (EqualsIgnoreCase(value, "max")) {
        request.aggregate = Aggregate::kMax;
      } else {
        context.reply.Error(errors::kSyntax);
        return std::nullopt;
      }
      j += 2;
    } else if (!store && !cardinality_only && EqualsIgnoreCase(option, "withscores")) {
      request.with_scores = true;
      j++;
    } else if (cardinality_only && remaining >= 2 && EqualsIgnoreCase(option, "limit")) {
      std::optional<int64_t> limit =
          zset::RangedIntegerArg(context, j + 1, 0, INT64_MAX, "LIMIT can't be negative");
      if (!limit) return std::nullopt;
      request.limit = *limit;
      j += 2;
    } else {
      context.reply.Error(errors::kSyntax);
      return std::nullopt;
    }
  }
  if (op != SetOp::kDiff) {
    std::stable_sort(request.sources.begin(), request.sources.end(),
                     [](const Source& a, const Source& b) { return a.size() < b.size(); });
  }
  return request;
}

// Adds the result members to `result` (a skiplist) and tracks the member lengths the
// listpack check needs. Returns the intersection's cardinality when only counting.
struct AlgebraResult {
  ZsetValue* zset = nullptr;
  size_t member_bytes_max = 0;
  size_t member_bytes_total = 0;
  uint64_t cardinality = 0;

  void Add(std::string_view member, double score, const ZsetValue::Limits& limits) {
    zset->Add(member, score, 0, limits);
    member_bytes_max = std::max(member_bytes_max, member.size());
    member_bytes_total += member.size();
  }
};

void ComputeInter(const AlgebraRequest& request, AlgebraResult* result, bool cardinality_only,
                  const ZsetValue::Limits& limits) {
  const std::vector<Source>& sources = request.sources;
  if (sources[0].size() == 0) return;
  bool done = false;
  sources[0].ForEach([&](std::string_view member, double element_score) {
    if (done) return;
    double score = Weighted(element_score, sources[0].weight);
    for (size_t j = 1; j < sources.size(); j++) {
      double value;
      if (sources[j].identity() == sources[0].identity()) {
        value = element_score * sources[j].weight;
      } else if (std::optional<double> found = sources[j].Find(member)) {
        value = *found * sources[j].weight;
      } else {
        return;
      }
      AggregateInto(&score, value, request.aggregate);
    }
    if (cardinality_only) {
      result->cardinality++;
      if (request.limit != 0 && result->cardinality >= static_cast<uint64_t>(request.limit)) {
        done = true;
      }
      return;
    }
    result->Add(member, score, limits);
  });
}

void ComputeUnion(const AlgebraRequest& request, AlgebraResult* result,
                  const ZsetValue::Limits& limits) {
  std::unordered_map<std::string, double> accumulator;
  std::vector<const std::string*> order;
  for (const Source& source : request.sources) {
    source.ForEach([&](std::string_view member, double element_score) {
      double score = Weighted(element_score, source.weight);
      auto [it, inserted] = accumulator.try_emplace(std::string(member), score);
      if (inserted) {
        order.push_back(&it->first);
      } else {
        AggregateInto(&it->second, score, request.aggregate);
      }
    });
  }
  for (const std::string* member : order) result->Add(*member, accumulator[*member], limits);
}

void ComputeDiff(const AlgebraRequest& request, AlgebraResult* result,
                 const ZsetValue::Limits& limits) {
  const std::vector<Source>& sources = request.sources;
  sources[0].ForEach([&](std::string_view member, double score) {
    for (size_t j = 1; j < sources.size(); j++) {
      if (sources[j].identity() == sources[0].identity() || sources[j].Find(member)) return;
    }
    result->Add(member, score, limits);
  });
}

void AlgebraGeneric(CommandContext& context, size_t numkeys_index, SetOp op, bool store,
                    bool cardinality_only) {
  std::optional<AlgebraRequest> request =
      ParseAlgebra(context, numkeys_index, op, store, cardinality_only);
  if (!request) return;
  ZsetValue::Limits limits = LimitsOf(context);
  AlgebraResult result;
  if (!cardinality_only) {
    result.zset = ZsetValue::Create(0, 0, limits);
    result.zset->ConvertToSkiplist(0);
  }
  if (op == SetOp::kInter) {
    ComputeInter(*request, &result, cardinality_only, limits);
  } else if (op == SetOp::kUnion) {
    ComputeUnion(*request, &result, limits);
  } else {
    ComputeDiff(*request, &result, limits);
  }
  if (cardinality_only) {
    context.reply.Integer(static_cast<int64_t>(result.cardinality));
    return;
  }
  if (store) {
    result.zset->ConvertToListpackIfFits(result.member_bytes_max, result.member_bytes_total,
                                         limits);
    const char* event = op == SetOp::kUnion   ? "zunionstore"
                        : op == SetOp::kInter ? "zinterstore"
                                              : "zdiffstore";
    zset::StoreResult(context, context.arg(1), result.zset, event);
    return;
  }
  Selection all{0, result.zset->size(), false};
  ReplySelection(context, result.zset, all, request->with_scores);
  store::Object::Release(result.zset);
}

void Zunion(CommandContext& c) { AlgebraGeneric(c, 1, SetOp::kUnion, false, false); }
void Zinter(CommandContext& c) { AlgebraGeneric(c, 1, SetOp::kInter, false, false); }
void Zdiff(CommandContext& c) { AlgebraGeneric(c, 1, SetOp::kDiff, false, false); }
void Zunionstore(CommandContext& c) { AlgebraGeneric(c, 2, SetOp::kUnion, true, false); }
void Zinterstore(CommandContext& c) { AlgebraGeneric(c, 2, SetOp::kInter, true, false); }
void Zdiffstore(CommandContext& c) { AlgebraGeneric(c, 2, SetOp::kDiff, true, false); }
void Zintercard(CommandContext& c) { AlgebraGeneric(c, 1, SetOp::kInter, false, true); }

// ---------------------------------------------------------------------------------------
// The table, with Redis 7.2's src/commands/*.json values.

constexpr char kRangeComplexity[] =
    "O(log(N)+M) with N being the number of elements in the sorted set and M the number of "
    "elements returned.";
constexpr char kRangeLimitComplexity[] =
    "O(log(N)+M) with N being the number of elements in the sorted set and M the number of "
    "elements being returned. If M is constant (e.g. always asking for the first 10 elements "
    "with LIMIT), you can consider it O(log(N)).";
constexpr char kRemoveComplexity[] =
    "O(log(N)+M) with N being the number of elements in the sorted set and M the number of "
    "elements removed by the operation.";
constexpr char kUnionComplexity[] =
    "O(N)+O(M*log(M)) with N being the sum of the sizes of the input sorted sets, and M being "
    "the number of elements in the resulting sorted set.";
constexpr char kInterComplexity[] =
    "O(N*K)+O(M*log(M)) worst case with N being the smallest input sorted set, K being the "
    "number of input sorted sets and M being the number of elements in the resulting sorted "
    "set.";
constexpr char kDiffComplexity[] =
    "O(L + (N-K)log(N)) worst case where L is the total number of elements in all the sets, N "
    "is the size of the first set, and K is the size of the result set.";

// clang-format off
constexpr CommandSpec kCommands[] = {
    {"zdiff", -3, kReadonly | kMovableKeys, 0, 0, 0, Zdiff, "sorted_set", "6.2.0", "Returns the difference between multiple sorted sets.", kDiffComplexity, "@read @sortedset @slow", "numkeys key [key ...] [WITHSCORES]"},
    {"zdiffstore", -4, kWrite | kDenyOom | kMovableKeys, 1, 1, 1, Zdiffstore, "sorted_set", "6.2.0", "Stores the difference of multiple sorted sets in a key.", kDiffComplexity, "@write @sortedset @slow", "destination numkeys key [key ...]"},
    {"zinter", -3, kReadonly | kMovableKeys, 0, 0, 0, Zinter, "sorted_set", "6.2.0", "Returns the intersect of multiple sorted sets.", kInterComplexity, "@read @sortedset @slow", "numkeys key [key ...] [WEIGHTS weight [weight ...]] [AGGREGATE <SUM | MIN | MAX>] [WITHSCORES]"},
    {"zintercard", -3, kReadonly | kMovableKeys, 0, 0, 0, Zintercard, "sorted_set", "7.0.0", "Returns the number of members of the intersect of multiple sorted sets.", "O(N*K) worst case with N being the smallest input sorted set, K being the number of input sorted sets.", "@read @sortedset @slow", "numkeys key [key ...] [LIMIT limit]"},
    {"zinterstore", -4, kWrite | kDenyOom | kMovableKeys, 1, 1, 1, Zinterstore, "sorted_set", "2.0.0", "Stores the intersect of multiple sorted sets in a key.", kInterComplexity, "@write @sortedset @slow", "destination numkeys key [key ...] [WEIGHTS weight [weight ...]] [AGGREGATE <SUM | MIN | MAX>]"},
    {"zrange", -4, kReadonly, 1, 1, 1, Zrange, "sorted_set", "1.2.0", "Returns members in a sorted set within a range of indexes.", kRangeComplexity, "@read @sortedset @slow", "key start stop [BYSCORE | BYLEX] [REV] [LIMIT offset count] [WITHSCORES]"},
    {"zrangebylex", -4, kReadonly, 1, 1, 1, Zrangebylex, "sorted_set", "2.8.9", "Returns members in a sorted set within a lexicographical range.", kRangeLimitComplexity, "@read @sortedset @slow", "key min max [LIMIT offset count]"},
    {"zrangebyscore", -4, kReadonly, 1, 1, 1, Zrangebyscore, "sorted_set", "1.0.5", "Returns members in a sorted set within a range of scores.", kRangeLimitComplexity, "@read @sortedset @slow", "key min max [WITHSCORES] [LIMIT offset count]"},
    {"zrangestore", -5, kWrite | kDenyOom, 1, 2, 1, Zrangestore, "sorted_set", "6.2.4", "Stores a range of members from sorted set in a key.", "O(log(N)+M) with N being the number of elements in the sorted set and M the number of elements stored into the destination key.", "@write @sortedset @slow", "dst src min max [BYSCORE | BYLEX] [REV] [LIMIT offset count]"},
    {"zremrangebylex", 4, kWrite, 1, 1, 1, Zremrangebylex, "sorted_set", "2.8.9", "Removes members in a sorted set within a lexicographical range. Deletes the sorted set if all members were removed.", kRemoveComplexity, "@write @sortedset @slow", "key min max"},
    {"zremrangebyrank", 4, kWrite, 1, 1, 1, Zremrangebyrank, "sorted_set", "2.0.0", "Removes members in a sorted set within a range of indexes. Deletes the sorted set if all members were removed.", kRemoveComplexity, "@write @sortedset @slow", "key start stop"},
    {"zremrangebyscore", 4, kWrite, 1, 1, 1, Zremrangebyscore, "sorted_set", "1.2.0", "Removes members in a sorted set within a range of scores. Deletes the sorted set if all members were removed.", kRemoveComplexity, "@write @sortedset @slow", "key min max"},
    {"zrevrange", -4, kReadonly, 1, 1, 1, Zrevrange, "sorted_set", "1.2.0", "Returns members in a sorted set within a range of indexes in reverse order.", kRangeComplexity, "@read @sortedset @slow", "key start stop [WITHSCORES]"},
    {"zrevrangebylex", -4, kReadonly, 1, 1, 1, Zrevrangebylex, "sorted_set", "2.8.9", "Returns members in a sorted set within a lexicographical range in reverse order.", kRangeLimitComplexity, "@read @sortedset @slow", "key max min [LIMIT offset count]"},
    {"zrevrangebyscore", -4, kReadonly, 1, 1, 1, Zrevrangebyscore, "sorted_set", "2.2.0", "Returns members in a sorted set within a range of scores in reverse order.", kRangeLimitComplexity, "@read @sortedset @slow", "key max min [WITHSCORES] [LIMIT offset count]"},
    {"zunion", -3, kReadonly | kMovableKeys, 0, 0, 0, Zunion, "sorted_set", "6.2.0", "Returns the union of multiple sorted sets.", kUnionComplexity, "@read @sortedset @slow", "numkeys key [key ...] [WEIGHTS weight [weight ...]] [AGGREGATE <SUM | MIN | MAX>] [WITHSCORES]"},
    {"zunionstore", -4, kWrite | kDenyOom | kMovableKeys, 1, 1, 1, Zunionstore, "sorted_set", "2.0.0", "Stores the union of multiple sorted sets in a key.", kUnionComplexity, "@write @sortedset @slow", "destination numkeys key [key ...] [WEIGHTS weight [weight ...]] [AGGREGATE <SUM | MIN | MAX>]"},
};
// clang-format on

}  // namespace

void RegisterZsetRangeCommands(CommandTable& table) { table.Register(kCommands); }

}  // namespace ringdb::commands
