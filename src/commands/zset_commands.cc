// Sorted-set commands on one key: ZADD ZINCRBY ZREM ZCARD ZSCORE ZMSCORE ZRANK ZREVRANK ZCOUNT
// ZLEXCOUNT ZPOPMIN ZPOPMAX ZMPOP ZRANDMEMBER ZSCAN, with Redis 7.2's replies, errors and
// keyspace events (t_zset.c). Ranges and the multi-key algebra live in zset_range_commands.cc.
#include <algorithm>
#include <cmath>
#include <random>
#include <string>
#include <unordered_set>
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
using zset::ReadZset;
using zset::ReplyScore;

// ---------------------------------------------------------------------------------------
// ZADD / ZINCRBY

struct ZaddOptions {
  uint32_t flags = 0;
  bool ch = false;
  size_t first_score = 2;
};

// Redis's zaddGenericCommand option loop and checks; replies the error and returns nullopt.
std::optional<ZaddOptions> ParseZadd(CommandContext& context, uint32_t flags) {
  ZaddOptions options;
  options.flags = flags;
  size_t i = 2;
  for (; i < context.argc(); i++) {
    std::string_view option = context.arg(i);
    if (EqualsIgnoreCase(option, "nx")) {
      options.flags |= ZsetValue::kNx;
    } else if (EqualsIgnoreCase(option, "xx")) {
      options.flags |= ZsetValue::kXx;
    } else if (EqualsIgnoreCase(option, "ch")) {
      options.ch = true;
    } else if (EqualsIgnoreCase(option, "incr")) {
      options.flags |= ZsetValue::kIncr;
    } else if (EqualsIgnoreCase(option, "gt")) {
      options.flags |= ZsetValue::kGt;
    } else if (EqualsIgnoreCase(option, "lt")) {
      options.flags |= ZsetValue::kLt;
    } else {
      break;
    }
  }
  options.first_score = i;
  size_t elements = context.argc() - i;
  uint32_t f = options.flags;
  if (elements % 2 != 0 || elements == 0) {
    context.reply.Error(errors::kSyntax);
  } else if ((f & ZsetValue::kNx) && (f & ZsetValue::kXx)) {
    context.reply.Error("XX and NX options at the same time are not compatible");
  } else if (((f & ZsetValue::kGt) && (f & ZsetValue::kNx)) ||
             ((f & ZsetValue::kLt) && (f & ZsetValue::kNx)) ||
             ((f & ZsetValue::kGt) && (f & ZsetValue::kLt))) {
    context.reply.Error("GT, LT, and/or NX options at the same time are not compatible");
  } else if ((f & ZsetValue::kIncr) && elements > 2) {
    context.reply.Error("INCR option supports a single increment-element pair");
  } else {
    return options;
  }
  return std::nullopt;
}

void ZaddGeneric(CommandContext& context, uint32_t flags) {
  std::optional<ZaddOptions> options = ParseZadd(context, flags);
  if (!options) return;
  size_t pairs = (context.argc() - options->first_score) / 2;
  // Every score is checked before anything changes: the command applies fully or not at all.
  std::vector<double> scores(pairs);
  size_t member_bytes_max = 0;
  for (size_t j = 0; j < pairs; j++) {
    std::optional<double> score = ParseDouble(context.arg(options->first_score + 2 * j));
    if (!score) {
      context.reply.Error(errors::kNotFloat);
      return;
    }
    scores[j] = *score;
    member_bytes_max =
        std::max(member_bytes_max, context.arg(options->first_score + 2 * j + 1).size());
  }
  std::string_view key = context.arg(1);
  bool incr = (options->flags & ZsetValue::kIncr) != 0;
  Table::Position position;
  Entry* entry = context.LookupWrite(key, &position);
  if (RejectWrongType(context, entry, ZsetValue::kType)) return;
  ZsetValue::Limits limits = LimitsOf(context);
  ZsetValue* zset;
  if (entry == nullptr) {
    if (options->flags & ZsetValue::kXx) {
      if (incr) {
        context.reply.Null();
      } else {
        context.reply.Integer(0);
      }
      return;
    }
    zset = ZsetValue::Create(pairs, member_bytes_max, limits);
    AddObject(context, key, zset, position.hash);
  } else {
    zset = MutableObject<ZsetValue>(context, position);
  }
  int64_t added = 0;
  int64_t updated = 0;
  int64_t processed = 0;
  double score = 0;
  for (size_t j = 0; j < pairs; j++) {
    double new_score = 0;
    ZsetValue::AddResult result = zset->Add(context.arg(options->first_score + 2 * j + 1),
                                            scores[j], options->flags, limits, &new_score);
    if (result == ZsetValue::AddResult::kNan) {
      context.reply.Error("resulting score is not a number (NaN)");
      return;
    }
    if (result == ZsetValue::AddResult::kAdded) added++;
    if (result == ZsetValue::AddResult::kUpdated) updated++;
    if (result != ZsetValue::AddResult::kSkipped) processed++;
    score = new_score;
  }
  if (incr) {
    if (processed > 0) {
      ReplyScore(context.reply, score);
    } else {
      context.reply.Null();
    }
  } else {
    context.reply.Integer(options->ch ? added + updated : added);
  }
  if (added + updated > 0) {
    context.KeyChanged(key, kNotifyZset, incr ? "zincr" : "zadd",
                       static_cast<uint64_t>(added + updated));
  }
}

void Zadd(CommandContext& context) { ZaddGeneric(context, 0); }
void Zincrby(CommandContext& context) { ZaddGeneric(context, ZsetValue::kIncr); }

// ---------------------------------------------------------------------------------------
// ZREM ZCARD ZSCORE ZMSCORE ZRANK ZREVRANK

void Zrem(CommandContext& context) {
  std::string_view key = context.arg(1);
  Table::Position position;
  Entry* entry = context.LookupWrite(key, &position);
  if (entry == nullptr) {
    context.reply.Integer(0);
    return;
  }
  if (RejectWrongType(context, entry, ZsetValue::kType)) return;
  ZsetValue* zset = MutableObject<ZsetValue>(context, position);
  int64_t deleted = 0;
  for (size_t j = 2; j < context.argc(); j++) {
    if (zset->Remove(context.arg(j))) deleted++;
    if (zset->size() == 0) break;
  }
  if (deleted > 0) {
    context.KeyChanged(key, kNotifyZset, "zrem", static_cast<uint64_t>(deleted));
    if (zset->size() == 0) DeleteEmptied(context, position, key);
  }
  context.reply.Integer(deleted);
}

void Zcard(CommandContext& context) {
  const ZsetValue* zset;
  if (!ReadZset(context, context.arg(1), &zset)) return;
  context.reply.Integer(zset == nullptr ? 0 : static_cast<int64_t>(zset->size()));
}

void Zscore(CommandContext& context) {
  const ZsetValue* zset;
  if (!ReadZset(context, context.arg(1), &zset)) return;
  std::optional<double> score = zset == nullptr ? std::nullopt : zset->Score(context.arg(2));
  if (score) {
    ReplyScore(context.reply, *score);
  } else {
    context.reply.Null();
  }
}

void Zmscore(CommandContext& context) {
  const ZsetValue* zset;
  if (!ReadZset(context, context.arg(1), &zset)) return;
  context.reply.ArrayHeader(context.argc() - 2);
  for (size_t j = 2; j < context.argc(); j++) {
    std::optional<double> score = zset == nullptr ? std::nullopt : zset->Score(context.arg(j));
    if (score) {
      ReplyScore(context.reply, *score);
    } else {
      context.reply.Null();
    }
  }
}

void RankGeneric(CommandContext& context, bool reverse) {
  if (context.argc() > 4) {
    context.reply.Error(CommandTable::ArityError(*context.command));
    return;
  }
  bool with_score = false;
  if (context.argc() == 4) {
    if (!EqualsIgnoreCase(context.arg(3), "withscore")) {
      context.reply.Error(errors::kSyntax);
      return;
    }
    with_score = true;
  }
  const ZsetValue* zset;
  if (!ReadZset(context, context.arg(1), &zset)) return;
  double score = 0;
  std::optional<size_t> rank =
      zset == nullptr ? std::nullopt : zset->Rank(context.arg(2), reverse, &score);
  if (!rank) {
    if (with_score) {
      context.reply.NullArray();
    } else {
      context.reply.Null();
    }
    return;
  }
  if (with_score) context.reply.ArrayHeader(2);
  context.reply.Integer(static_cast<int64_t>(*rank));
  if (with_score) ReplyScore(context.reply, score);
}

void Zrank(CommandContext& context) { RankGeneric(context, false); }
void Zrevrank(CommandContext& context) { RankGeneric(context, true); }

// ---------------------------------------------------------------------------------------
// ZCOUNT ZLEXCOUNT

// Counts from the first element in range forward while the upper bound holds.
template <typename Range>
int64_t CountInRange(const ZsetValue& zset, const Range& range) {
  ZsetCursor first = zset.FirstInRange(range);
  if (!first.valid()) return 0;
  if (!zset.is_listpack()) {
    ZsetCursor last = zset.LastInRange(range);
    return static_cast<int64_t>(last.rank() - first.rank() + 1);
  }
  int64_t count = 0;
  for (ZsetCursor c = first; c.valid(); c.Next()) {
    bool in;
    if constexpr (std::is_same_v<Range, store::ScoreRange>) {
      in = range.BelowMax(c.score());
    } else {
      in = range.BelowMax(c.member());
    }
    if (!in) break;
    count++;
  }
  return count;
}

void Zcount(CommandContext& context) {
  std::optional<store::ScoreRange> range = zset::ParseScoreRange(context.arg(2), context.arg(3));
  if (!range) {
    context.reply.Error(zset::kMinMaxNotFloat);
    return;
  }
  const ZsetValue* zset;
  if (!ReadZset(context, context.arg(1), &zset)) return;
  context.reply.Integer(zset == nullptr ? 0 : CountInRange(*zset, *range));
}

void Zlexcount(CommandContext& context) {
  std::optional<store::LexRange> range = zset::ParseLexRange(context.arg(2), context.arg(3));
  if (!range) {
    context.reply.Error(zset::kMinMaxNotLex);
    return;
  }
  const ZsetValue* zset;
  if (!ReadZset(context, context.arg(1), &zset)) return;
  context.reply.Integer(zset == nullptr ? 0 : CountInRange(*zset, *range));
}

// ---------------------------------------------------------------------------------------
// ZPOPMIN ZPOPMAX ZMPOP

// kKeyedFlat: BZPOPMIN/BZPOPMAX's [key, member, score].
enum class PopShape { kFlat, kNested, kKeyed, kKeyedFlat };

// Redis's genericZpopCommand without blocking: pops up to `count` (-1: one, flat) elements
// from the first existing key of `keys`.
void PopGeneric(CommandContext& context, size_t first_key, size_t key_count, bool max,
                int64_t count, PopShape shape) {
  Entry* entry = nullptr;
  Table::Position position;
  std::string_view key;
  for (size_t i = 0; i < key_count; i++) {
    key = context.arg(first_key + i);
    entry = context.LookupWrite(key, &position);
    if (entry == nullptr) continue;
    if (RejectWrongType(context, entry, ZsetValue::kType)) return;
    break;
  }
  if (entry == nullptr) {
    if (shape == PopShape::kKeyed) {
      context.reply.NullArray();
    } else {
      context.reply.EmptyArray();
    }
    return;
  }
  if (count == 0) {
    context.reply.EmptyArray();
    return;
  }
  if (count == -1) count = 1;
  ZsetValue* zset = MutableObject<ZsetValue>(context, position);
  size_t popped = std::min(static_cast<size_t>(count), zset->size());
  resp::ReplyBuilder& reply = context.reply;
  if (shape == PopShape::kFlat) {
    reply.ArrayHeader(popped * 2);
  } else if (shape == PopShape::kKeyedFlat) {
    reply.ArrayHeader(popped * 2 + 1);
    reply.Bulk(key);
  } else if (shape == PopShape::kNested) {
    reply.ArrayHeader(popped);
  } else {
    reply.ArrayHeader(2);
    reply.Bulk(key);
    reply.ArrayHeader(popped);
  }
  for (size_t i = 0; i < popped; i++) {
    size_t rank = max ? zset->size() - 1 : 0;
    ZsetCursor cursor = zset->At(rank);
    if (shape == PopShape::kNested || shape == PopShape::kKeyed) reply.ArrayHeader(2);
    reply.Bulk(cursor.member());
    ReplyScore(reply, cursor.score());
    zset->DeleteRanks(rank, 1);
  }
  context.KeyChanged(key, kNotifyZset, max ? "zpopmax" : "zpopmin", popped);
  if (zset->size() == 0) DeleteEmptied(context, position, key);
}

void PopMinMax(CommandContext& context, bool max) {
  if (context.argc() > 3) {
    context.reply.Error(CommandTable::ArityError(*context.command));
    return;
  }
  int64_t count = -1;
  if (context.argc() == 3) {
    std::optional<int64_t> parsed =
        zset::RangedIntegerArg(context, 2, 0, INT64_MAX, "value is out of range, must be positive");
    if (!parsed) return;
    count = *parsed;
  }
  bool nested = context.reply.resp3() && count != -1;
  PopGeneric(context, 1, 1, max, count, nested ? PopShape::kNested : PopShape::kFlat);
}

void Zpopmin(CommandContext& context) { PopMinMax(context, false); }
void Zpopmax(CommandContext& context) { PopMinMax(context, true); }

// blockingGenericZpopCommand: parses the timeout, pops from the first existing key, else
// parks the client (or replies a null array when it may not block, as inside MULTI).
void BlockingPop(CommandContext& context, size_t first_key, size_t key_count, bool max,
                 int64_t count, PopShape shape, size_t timeout_index) {
  std::optional<int64_t> deadline = BlockDeadline(context, context.arg(timeout_index), true);
  if (!deadline) return;
  for (size_t i = 0; i < key_count; i++) {
    if (context.LookupWrite(context.arg(first_key + i)) != nullptr) {
      PopGeneric(context, first_key, key_count, max, count, shape);
      return;
    }
  }
  if (!context.CanBlock()) {
    context.reply.NullArray();
    return;
  }
  BlockSpec spec;
  spec.keys = context.args.subspan(first_key, key_count);
  spec.type = ZsetValue::kType;
  spec.deadline_ms = *deadline;
  context.Block(spec);
}

// BZPOPMIN/BZPOPMAX key [key ...] timeout
void BzpopGeneric(CommandContext& context, bool max) {
  BlockingPop(context, 1, context.argc() - 2, max, -1, PopShape::kKeyedFlat, context.argc() - 1);
}

void Bzpopmin(CommandContext& context) { BzpopGeneric(context, false); }
void Bzpopmax(CommandContext& context) { BzpopGeneric(context, true); }

// ZMPOP numkeys key [key ...] MIN|MAX [COUNT count]; BZMPOP has the timeout first.
void MpopGeneric(CommandContext& context, bool blocking) {
  size_t numkeys_index = blocking ? 2 : 1;
  std::optional<int64_t> numkeys = zset::RangedIntegerArg(context, numkeys_index, 1, INT64_MAX,
                                                          "numkeys should be greater than 0");
  if (!numkeys) return;
  size_t keys_available = context.argc() - numkeys_index - 1;
  if (static_cast<uint64_t>(*numkeys) >= keys_available) {
    context.reply.Error(errors::kSyntax);
    return;
  }
  size_t where = numkeys_index + 1 + static_cast<size_t>(*numkeys);
  bool max;
  if (EqualsIgnoreCase(context.arg(where), "min")) {
    max = false;
  } else if (EqualsIgnoreCase(context.arg(where), "max")) {
    max = true;
  } else {
    context.reply.Error(errors::kSyntax);
    return;
  }
  int64_t count = -1;
  for (size_t j = where + 1; j < context.argc(); j++) {
    bool more = j + 1 < context.argc();
    if (count == -1 && EqualsIgnoreCase(context.arg(j), "count") && more) {
      j++;
      std::optional<int64_t> parsed =
          zset::RangedIntegerArg(context, j, 1, INT64_MAX, "count should be greater than 0");
      if (!parsed) return;
      count = *parsed;
    } else {
      context.reply.Error(errors::kSyntax);
      return;
    }
  }
  if (count == -1) count = 1;
  if (blocking) {
    BlockingPop(context, numkeys_index + 1, static_cast<size_t>(*numkeys), max, count,
                PopShape::kKeyed, 1);
    return;
  }
  PopGeneric(context, 2, static_cast<size_t>(*numkeys), max, count, PopShape::kKeyed);
}

void Zmpop(CommandContext& context) { MpopGeneric(context, false); }
void Bzmpop(CommandContext& context) { MpopGeneric(context, true); }

// ---------------------------------------------------------------------------------------
// ZRANDMEMBER

std::mt19937_64& RandomEngine() {
  static std::mt19937_64 engine{std::random_device{}()};
  return engine;
}

void ReplyElement(resp::ReplyBuilder& reply, const ZsetCursor& cursor, bool with_scores) {
  if (with_scores && reply.resp3()) reply.ArrayHeader(2);
  reply.Bulk(cursor.member());
  if (with_scores) ReplyScore(reply, cursor.score());
}

void ZrandmemberWithCount(CommandContext& context) {
  std::optional<int64_t> parsed = zset::RangedIntegerArg(context, 2, -INT64_MAX, INT64_MAX);
  if (!parsed) return;
  int64_t l = *parsed;
  bool with_scores = false;
  if (context.argc() > 4 ||
      (context.argc() == 4 && !EqualsIgnoreCase(context.arg(3), "withscores"))) {
    context.reply.Error(errors::kSyntax);
    return;
  }
  if (context.argc() == 4) {
    with_scores = true;
    if (l < -INT64_MAX / 2 || l > INT64_MAX / 2) {
      context.reply.Error("value is out of range");
      return;
    }
  }
  Entry* entry = context.LookupRead(context.arg(1));
  if (entry == nullptr) {
    context.reply.EmptyArray();
    return;
  }
  if (RejectWrongType(context, entry, ZsetValue::kType)) return;
  const ZsetValue* zset = ObjectOf<ZsetValue>(entry);
  if (l == 0) {
    context.reply.EmptyArray();
    return;
  }
  size_t size = zset->size();
  bool unique = l > 0;
  uint64_t count = unique ? static_cast<uint64_t>(l) : static_cast<uint64_t>(-l);
  resp::ReplyBuilder& reply = context.reply;
  std::mt19937_64& engine = RandomEngine();
  if (!unique || count == 1) {
    // Sampling with repetition: the reply is as long as asked (Redis's case 1), unless the
    // output-buffer limit cuts it short (the client is then closed).
    reply.ArrayHeader(with_scores && !reply.resp3() ? count * 2 : count);
    for (uint64_t i = 0; i < count && !reply.limit_exceeded(); i++) {
      ReplyElement(reply, zset->At(engine() % size), with_scores);
    }
    return;
  }
  if (count >= size) {
    reply.ArrayHeader(with_scores && !reply.resp3() ? size * 2 : size);
    for (ZsetCursor c = zset->At(0); c.valid(); c.Next()) ReplyElement(reply, c, with_scores);
    return;
  }
  // `count` distinct ranks (count < size) in random order: a partial Fisher-Yates shuffle
  // when count is a good part of the set, else random picks rejecting repeats (memory
  // proportional to count either way, as Redis's dict of picks).
  reply.ArrayHeader(with_scores && !reply.resp3() ? count * 2 : count);
  if (count * 4 > size) {
    std::vector<size_t> ranks(size);
    for (size_t i = 0; i < size; i++) ranks[i] = i;
    for (uint64_t i = 0; i < count; i++) {
      size_t j = i + engine() % (size - i);
      std::swap(ranks[i], ranks[j]);
      ReplyElement(reply, zset->At(ranks[i]), with_scores);
    }
    return;
  }
  std::unordered_set<size_t> picked;
  while (picked.size() < count) {
    size_t rank = engine() % size;
    if (picked.insert(rank).second) ReplyElement(reply, zset->At(rank), with_scores);
  }
}

void Zrandmember(CommandContext& context) {
  if (context.argc() >= 3) {
    ZrandmemberWithCount(context);
    return;
  }
  const ZsetValue* zset;
  if (!ReadZset(context, context.arg(1), &zset)) return;
  if (zset == nullptr) {
    context.reply.Null();
    return;
  }
  context.reply.Bulk(zset->At(RandomEngine()() % zset->size()).member());
}

// ---------------------------------------------------------------------------------------
// ZSCAN

void Zscan(CommandContext& context) {
  std::optional<uint64_t> cursor = ParseScanCursor(context.arg(2));
  if (!cursor) {
    context.reply.Error(errors::kInvalidCursor);
    return;
  }
  const ZsetValue* zset;
  if (!ReadZset(context, context.arg(1), &zset)) return;
  if (zset == nullptr) {
    context.reply.Raw("*2\r\n$1\r\n0\r\n*0\r\n");
    return;
  }
  std::optional<ScanOptions> options = ParseScanOptions(context, 3, false);
  if (!options) return;
  int64_t count = options->count;
  std::optional<std::string_view> pattern = options->pattern;
  // Collected first: the reply needs its length, and MATCH filters after sampling.
  std::vector<std::pair<std::string, std::string>> items;
  uint64_t next = 0;
  char text[store::kScoreTextMax];
  auto keep = [&](std::string_view member, std::string_view score) {
    if (!pattern || GlobMatch(*pattern, member)) items.emplace_back(member, score);
  };
  if (zset->is_listpack()) {
    // A listpack is returned whole in one call, each score as it is stored.
    for (ZsetCursor c = zset->At(0); c.valid(); c.Next()) keep(c.member(), c.score_text(text));
  } else {
    next = zset->Scan(*cursor, static_cast<size_t>(count), [&](std::string_view m, double s) {
      keep(m, std::string_view(text, store::FormatScoreLongDouble(s, text)));
    });
  }
  context.reply.ArrayHeader(2);
  char cursor_text[kInt64TextMax + 1];
  context.reply.Bulk(std::string_view(cursor_text, FormatUint64(next, cursor_text)));
  context.reply.ArrayHeader(items.size() * 2);
  for (const auto& [member, score] : items) {
    context.reply.Bulk(member);
    context.reply.Bulk(score);
  }
}

// ---------------------------------------------------------------------------------------
// The table, with Redis 7.2's src/commands/*.json values.

constexpr char kRankComplexity[] = "O(log(N))";
constexpr char kPopComplexity[] =
    "O(log(N)*M) with N being the number of elements in the sorted set, and M being the number "
    "of elements popped.";

// clang-format off
constexpr CommandSpec kCommands[] = {
    {"bzmpop", -5, kWrite | kBlocking | kMovableKeys, 0, 0, 0, Bzmpop, "sorted_set", "7.0.0", "Removes and returns a member by score from one or more sorted sets. Blocks until a member is available otherwise. Deletes the sorted set if the last element was popped.", "O(K) + O(M*log(N)) where K is the number of provided keys, N being the number of elements in the sorted set, and M being the number of elements popped.", "@write @sortedset @slow @blocking", "timeout numkeys key [key ...] <MIN | MAX> [COUNT count]"},
    {"bzpopmax", -3, kWrite | kNoscript | kBlocking | kFast, 1, -2, 1, Bzpopmax, "sorted_set", "5.0.0", "Removes and returns the member with the highest score from one or more sorted sets. Blocks until a member available otherwise.  Deletes the sorted set if the last element was popped.", "O(log(N)) with N being the number of elements in the sorted set.", "@write @sortedset @fast @blocking", "key [key ...] timeout"},
    {"bzpopmin", -3, kWrite | kNoscript | kBlocking | kFast, 1, -2, 1, Bzpopmin, "sorted_set", "5.0.0", "Removes and returns the member with the lowest score from one or more sorted sets. Blocks until a member is available otherwise. Deletes the sorted set if the last element was popped.", "O(log(N)) with N being the number of elements in the sorted set.", "@write @sortedset @fast @blocking", "key [key ...] timeout"},
    {"zadd", -4, kWrite | kDenyOom | kFast, 1, 1, 1, Zadd, "sorted_set", "1.2.0", "Adds one or more members to a sorted set, or updates their scores. Creates the key if it doesn't exist.", "O(log(N)) for each item added, where N is the number of elements in the sorted set.", "@write @sortedset @fast", "key [NX | XX] [GT | LT] [CH] [INCR] score member [score member ...]"},
    {"zcard", 2, kReadonly | kFast, 1, 1, 1, Zcard, "sorted_set", "1.2.0", "Returns the number of members in a sorted set.", "O(1)", "@read @sortedset @fast", "key"},
    {"zcount", 4, kReadonly | kFast, 1, 1, 1, Zcount, "sorted_set", "2.0.0", "Returns the count of members in a sorted set that have scores within a range.", "O(log(N)) with N being the number of elements in the sorted set.", "@read @sortedset @fast", "key min max"},
    {"zincrby", 4, kWrite | kDenyOom | kFast, 1, 1, 1, Zincrby, "sorted_set", "1.2.0", "Increments the score of a member in a sorted set.", "O(log(N)) where N is the number of elements in the sorted set.", "@write @sortedset @fast", "key increment member"},
    {"zlexcount", 4, kReadonly | kFast, 1, 1, 1, Zlexcount, "sorted_set", "2.8.9", "Returns the number of members in a sorted set within a lexicographical range.", "O(log(N)) with N being the number of elements in the sorted set.", "@read @sortedset @fast", "key min max"},
    {"zmpop", -4, kWrite | kMovableKeys, 0, 0, 0, Zmpop, "sorted_set", "7.0.0", "Returns the highest- or lowest-scoring members from one or more sorted sets after removing them. Deletes the sorted set if the last member was popped.", "O(K) + O(M*log(N)) where K is the number of provided keys, N being the number of elements in the sorted set, and M being the number of elements popped.", "@write @sortedset @slow", "numkeys key [key ...] <MIN | MAX> [COUNT count]"},
    {"zmscore", -3, kReadonly | kFast, 1, 1, 1, Zmscore, "sorted_set", "6.2.0", "Returns the score of one or more members in a sorted set.", "O(N) where N is the number of members being requested.", "@read @sortedset @fast", "key member [member ...]"},
    {"zpopmax", -2, kWrite | kFast, 1, 1, 1, Zpopmax, "sorted_set", "5.0.0", "Returns the highest-scoring members from a sorted set after removing them. Deletes the sorted set if the last member was popped.", kPopComplexity, "@write @sortedset @fast", "key [count]"},
    {"zpopmin", -2, kWrite | kFast, 1, 1, 1, Zpopmin, "sorted_set", "5.0.0", "Returns the lowest-scoring members from a sorted set after removing them. Deletes the sorted set if the last member was popped.", kPopComplexity, "@write @sortedset @fast", "key [count]"},
    {"zrandmember", -2, kReadonly, 1, 1, 1, Zrandmember, "sorted_set", "6.2.0", "Returns one or more random members from a sorted set.", "O(N) where N is the number of members returned", "@read @sortedset @slow", "key [count [WITHSCORES]]", {}, "nondeterministic_output"},
    {"zrank", -3, kReadonly | kFast, 1, 1, 1, Zrank, "sorted_set", "2.0.0", "Returns the index of a member in a sorted set ordered by ascending scores.", kRankComplexity, "@read @sortedset @fast", "key member [WITHSCORE]"},
    {"zrem", -3, kWrite | kFast, 1, 1, 1, Zrem, "sorted_set", "1.2.0", "Removes one or more members from a sorted set. Deletes the sorted set if all members were removed.", "O(M*log(N)) with N being the number of elements in the sorted set and M the number of elements to be removed.", "@write @sortedset @fast", "key member [member ...]"},
    {"zrevrank", -3, kReadonly | kFast, 1, 1, 1, Zrevrank, "sorted_set", "2.0.0", "Returns the index of a member in a sorted set ordered by descending scores.", kRankComplexity, "@read @sortedset @fast", "key member [WITHSCORE]"},
    {"zscan", -3, kReadonly, 1, 1, 1, Zscan, "sorted_set", "2.8.0", "Iterates over members and scores of a sorted set.", "O(1) for every call. O(N) for a complete iteration, including enough command calls for the cursor to return back to 0. N is the number of elements inside the collection.", "@read @sortedset @slow", "key cursor [MATCH pattern] [COUNT count]", {}, "nondeterministic_output"},
    {"zscore", 3, kReadonly | kFast, 1, 1, 1, Zscore, "sorted_set", "1.2.0", "Returns the score of a member in a sorted set.", "O(1)", "@read @sortedset @fast", "key member"},
};
// clang-format on

}  // namespace

void RegisterZsetCommands(CommandTable& table) {
  table.Register(kCommands);
  RegisterZsetRangeCommands(table);
}

}  // namespace ringdb::commands
