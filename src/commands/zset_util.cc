// Shared steps of the sorted-set commands (zset_util.h).
#include "zset_util.h"

#include <cmath>
#include <cstdlib>
#include <string>

namespace ringdb::commands::zset {

namespace {

// strtod over the text as Redis sees it: a C string, so bytes after a NUL are ignored, and
// the whole rest must be consumed. Leading spaces and "" (which reads as 0) are accepted, as
// strtod accepts them.
std::optional<double> StrtodWhole(std::string_view text) {
  size_t nul = text.find('\0');
  std::string copy(text.substr(0, nul));
  char* end = nullptr;
  double value = std::strtod(copy.c_str(), &end);
  if (*end != '\0' || std::isnan(value)) return std::nullopt;
  return value;
}

bool ParseScoreBound(std::string_view text, double* value, bool* exclusive) {
  *exclusive = !text.empty() && text[0] == '(';
  std::optional<double> parsed = StrtodWhole(*exclusive ? text.substr(1) : text);
  if (!parsed) return false;
  *value = *parsed;
  return true;
}

// Redis's zslParseLexRangeItem. "+" and "-" must be the whole C string (a NUL may follow).
bool ParseLexBound(std::string_view text, std::string_view* value, store::LexRange::Bound* bound,
                   bool* exclusive) {
  using Bound = store::LexRange::Bound;
  if (text.empty()) return false;
  switch (text[0]) {
    case '+':
    case '-':
      if (text.size() > 1 && text[1] != '\0') return false;
      *bound = text[0] == '+' ? Bound::kPlusInfinity : Bound::kMinusInfinity;
      *exclusive = true;
      return true;
    case '(':
    case '[':
      *bound = Bound::kValue;
      *exclusive = text[0] == '(';
      *value = text.substr(1);
      return true;
    default:
      return false;
  }
}

}  // namespace

std::optional<store::ScoreRange> ParseScoreRange(std::string_view min, std::string_view max) {
  store::ScoreRange range;
  if (!ParseScoreBound(min, &range.min, &range.min_exclusive)) return std::nullopt;
  if (!ParseScoreBound(max, &range.max, &range.max_exclusive)) return std::nullopt;
  return range;
}

std::optional<store::LexRange> ParseLexRange(std::string_view min, std::string_view max) {
  store::LexRange range;
  if (!ParseLexBound(min, &range.min, &range.min_bound, &range.min_exclusive)) return std::nullopt;
  if (!ParseLexBound(max, &range.max, &range.max_bound, &range.max_exclusive)) return std::nullopt;
  return range;
}

std::optional<int64_t> RangedIntegerArg(CommandContext& context, size_t index, int64_t low,
                                        int64_t high, std::string_view message) {
  std::optional<int64_t> value = ParseInt64(context.arg(index));
  if (!value) {
    context.reply.Error(message.empty() ? errors::kNotInteger : message);
    return std::nullopt;
  }
  if (*value < low || *value > high) {
    if (!message.empty()) {
      context.reply.Error(message);
    } else {
      context.reply.Error("value is out of range, value must between " + Int64ToString(low) +
                          " and " + Int64ToString(high));
    }
    return std::nullopt;
  }
  return value;
}

void StoreResult(CommandContext& context, std::string_view key, ZsetValue* value,
                 std::string_view event) {
  store::Table::Position position;
  store::Entry* existing = context.LookupWrite(key, &position);
  size_t size = value->size();
  if (size == 0) {
    store::Object::Release(value);
    context.reply.Integer(0);
    if (existing != nullptr) {
      context.KeyChanged(key, kNotifyGeneric, "del");
      context.db().table().Remove(position);
    }
    return;
  }
  if (existing != nullptr) {
    store::Entry* entry = store::Entry::NewObject(key, value, store::kNoExpire);
    entry->set_lru(context.lru_clock());
    context.db().table().Replace(position, entry);
  } else {
    AddObject(context, key, value, position.hash);
  }
  context.reply.Integer(static_cast<int64_t>(size));
  context.KeyChanged(key, kNotifyZset, event);
}

}  // namespace ringdb::commands::zset
