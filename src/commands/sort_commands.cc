// SORT and SORT_RO: Redis 7.2's sort.c, with its option parsing, errors, LIMIT clamping, the
// BY/GET pattern lookups (including "#" and hash fields "key->field"), the "don't sort"
// shortcuts for lists and sorted sets, and STORE as a list ("sortstore", or "del" when the
// result is empty).
//
// Redis treats patterns and elements as C strings in a few places (strchr, strstr, strtod,
// strcoll): a NUL byte ends the text those functions see. The helpers below reproduce that,
// so binary elements sort and resolve exactly as Redis does.
#include <algorithm>
#include <cerrno>
#include <cmath>
#include <cstdlib>
#include <cstring>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "families.h"
#include "helpers.h"
#include "list_ops.h"
#include "ringdb/store/hash_value.h"
#include "ringdb/store/list_value.h"
#include "ringdb/store/set_value.h"
#include "ringdb/store/zset_value.h"

namespace ringdb::commands {
namespace {

using store::Entry;
using store::ListpackValue;
using store::ValueType;

// The text a C function sees: the bytes before the first NUL.
std::string_view CText(std::string_view text) {
  size_t nul = text.find('\0');
  return nul == std::string_view::npos ? text : text.substr(0, nul);
}

struct SortOptions {
  bool desc = false;
  bool alpha = false;
  // BY with a pattern that has no '*' (as a C string): keep the native order.
  bool dont_sort = false;
  int64_t limit_start = 0;
  int64_t limit_count = -1;
  std::optional<std::string_view> by;
  std::optional<std::string_view> store;
  std::vector<std::string_view> gets;
};

bool IsWord(std::string_view argument, std::string_view word) {
  return MatchesCommandName(argument, word);
}

// Parses the options after the key as sortCommandGeneric does: the last ASC/DESC, LIMIT, BY
// and STORE win; GETs accumulate. Replies the error and returns nullopt on a bad option.
std::optional<SortOptions> ParseSortOptions(CommandContext& context, bool read_only) {
  SortOptions options;
  for (size_t j = 2; j < context.argc(); j++) {
    std::string_view option = context.arg(j);
    size_t left = context.argc() - j - 1;
    if (IsWord(option, "asc")) {
      options.desc = false;
    } else if (IsWord(option, "desc")) {
      options.desc = true;
    } else if (IsWord(option, "alpha")) {
      options.alpha = true;
    } else if (IsWord(option, "limit") && left >= 2) {
      std::optional<int64_t> start = IntegerArg(context, j + 1);
      if (!start) return std::nullopt;
      std::optional<int64_t> count = IntegerArg(context, j + 2);
      if (!count) return std::nullopt;
      options.limit_start = *start;
      options.limit_count = *count;
      j += 2;
    } else if (!read_only && IsWord(option, "store") && left >= 1) {
      options.store = context.arg(++j);
    } else if (IsWord(option, "by") && left >= 1) {
      options.by = context.arg(++j);
      options.dont_sort = CText(*options.by).find('*') == std::string_view::npos;
    } else if (IsWord(option, "get") && left >= 1) {
      options.gets.push_back(context.arg(++j));
    } else {
      context.reply.Error(errors::kSyntax);
      return std::nullopt;
    }
  }
  return options;
}

// Resolves `pattern` for `element` as lookupKeyByPattern does: "#" is the element itself;
// otherwise the first '*' becomes the element, and "->field" after it reads a hash field.
// Returns nullopt when the pattern has no '*' or the key is missing or of another type. The
// result may point into `scratch` and lives until the next call or a write.
std::optional<std::string_view> LookupByPattern(CommandContext& context, std::string_view pattern,
                                                std::string_view element, std::string& key,
                                                store::HashValue::Scratch& scratch) {
  if (!pattern.empty() && pattern[0] == '#' && (pattern.size() == 1 || pattern[1] == '\0')) {
    return element;
  }
  std::string_view c_pattern = CText(pattern);
  size_t star = c_pattern.find('*');
  if (star == std::string_view::npos) return std::nullopt;
  std::string_view field;
  size_t arrow = c_pattern.find("->", star + 1);
  bool has_field = arrow != std::string_view::npos && arrow + 2 < c_pattern.size();
  if (has_field) field = pattern.substr(arrow + 2);
  size_t postfix = pattern.size() - (star + 1) - (has_field ? field.size() + 2 : 0);
  key.assign(pattern.substr(0, star));
  key.append(element);
  key.append(pattern.substr(star + 1, postfix));
  const Entry* entry = context.LookupRead(key);
  if (entry == nullptr) return std::nullopt;
  if (!has_field) {
    if (entry->type() != ValueType::kString) return std::nullopt;
    return entry->value();
  }
  if (entry->type() != ValueType::kHash) return std::nullopt;
  std::string_view value;
  if (!ObjectOf<store::HashValue>(entry)->Get(field, scratch, &value)) return std::nullopt;
  return value;
}

// One element to sort: its bytes, and what it sorts by (a score, or for ALPHA with BY the
// looked-up text, absent when the key was missing).
struct SortItem {
  std::string_view element;
  double score = 0;
  std::optional<std::string_view> by_text;
};

// Collects the elements into one arena (no allocation per element): offsets first, views
// once the arena stops growing.
class ElementArena {
 public:
  void Add(std::string_view bytes) {
    spans_.push_back({bytes_.size(), bytes.size()});
    bytes_.append(bytes);
  }
  void Add(const ListpackValue& value) {
    char scratch[24];
    Add(value.Text(scratch));
  }
  size_t size() const { return spans_.size(); }
  std::vector<SortItem> Items() const {
    std::vector<SortItem> items(spans_.size());
    for (size_t i = 0; i < spans_.size(); i++) {
      items[i].element = std::string_view(bytes_).substr(spans_[i].first, spans_[i].second);
    }
    return items;
  }

 private:
  std::string bytes_;
  std::vector<std::pair<size_t, size_t>> spans_;
};

// strtod over the C text, as sortCommandGeneric scores an element: the whole text must be
// consumed, and overflow, underflow and NaN are errors.
std::optional<double> SortScore(std::string_view text) {
  std::string c_text(CText(text));
  char* end = nullptr;
  errno = 0;
  double score = std::strtod(c_text.c_str(), &end);
  if (*end != '\0' || errno == ERANGE || std::isnan(score)) return std::nullopt;
  return score;
}

// compareStringObjects: bytes, then length.
int CompareBinary(std::string_view a, std::string_view b) {
  int cmp = a.compare(b);
  return cmp < 0 ? -1 : (cmp > 0 ? 1 : 0);
}

// strcoll in the C locale: the C texts, bytes unsigned.
int CompareCollate(std::string_view a, std::string_view b) {
  return CompareBinary(CText(a), CText(b));
}

// sortCompare.
int CompareItems(const SortItem& a, const SortItem& b, const SortOptions& options) {
  int cmp;
  bool store = options.store.has_value();
  if (!options.alpha) {
    if (a.score > b.score) {
      cmp = 1;
    } else if (a.score < b.score) {
      cmp = -1;
    } else {
      cmp = CompareBinary(a.element, b.element);
    }
  } else if (options.by) {
    if (!a.by_text || !b.by_text) {
      cmp = a.by_text.has_value() == b.by_text.has_value() ? 0 : (!a.by_text ? -1 : 1);
    } else {
      cmp = store ? CompareBinary(*a.by_text, *b.by_text) : CompareCollate(*a.by_text, *b.by_text);
    }
  } else {
    cmp = store ? CompareBinary(a.element, b.element) : CompareCollate(a.element, b.element);
  }
  return options.desc ? -cmp : cmp;
}

// The elements of `object` as sortCommandGeneric loads them, in [*start, *end] when the
// native order is kept (then the range is rebased to 0).
ElementArena LoadElements(const store::Object* object, const SortOptions& options, int64_t* start,
                          int64_t* end, int64_t length) {
  ElementArena arena;
  ValueType type = object->type();
  bool ranged = options.dont_sort && (type == ValueType::kList || type == ValueType::kZset);
  if (type == ValueType::kList) {
    const auto* list = static_cast<const store::ListValue*>(object);
    if (!ranged) {
      list->Visit(0, false, [&](const ListpackValue& value) {
        arena.Add(value);
        return true;
      });
    } else if (*end >= *start) {
      int64_t first = options.desc ? length - *start - 1 : *start;
      list->VisitRange(first, static_cast<size_t>(*end - *start + 1), options.desc,
                       [&](const ListpackValue& value) { arena.Add(value); });
      *end -= *start;
      *start = 0;
    }
  } else if (type == ValueType::kSet) {
    static_cast<const store::SetValue*>(object)->ForEach(
        [&](const ListpackValue& value) { arena.Add(value); });
  } else {
    const auto* zset = static_cast<const store::ZsetValue*>(object);
    if (!ranged) {
      for (store::ZsetCursor cursor = zset->At(0); cursor.valid(); cursor.Next()) {
        arena.Add(cursor.member());
      }
    } else {
      int64_t count = *end - *start + 1;
      if (count > 0) {
        size_t first = static_cast<size_t>(options.desc ? length - 1 - *start : *start);
        store::ZsetCursor cursor = zset->At(first);
        for (int64_t i = 0; i < count; i++) {
          RINGDB_ASSERT(cursor.valid());
          arena.Add(cursor.member());
          if (options.desc) {
            cursor.Prev();
          } else {
            cursor.Next();
          }
        }
      }
      *end -= *start;
      *start = 0;
    }
  }
  return arena;
}

// Fills each item's sort key; false when a numeric key is not a number.
bool LoadSortKeys(CommandContext& context, const SortOptions& options, std::vector<SortItem>& items,
                  std::string& text_arena, std::vector<std::pair<size_t, size_t>>& text_spans) {
  std::string key;
  store::HashValue::Scratch scratch;
  bool ok = true;
  text_spans.assign(items.size(), {0, SIZE_MAX});
  for (size_t j = 0; j < items.size(); j++) {
    std::optional<std::string_view> by_value = items[j].element;
    if (options.by) {
      by_value = LookupByPattern(context, *options.by, items[j].element, key, scratch);
      if (!by_value) continue;
    }
    if (options.alpha) {
      if (options.by) {
        text_spans[j] = {text_arena.size(), by_value->size()};
        text_arena.append(*by_value);
      }
    } else {
      std::optional<double> score = SortScore(*by_value);
      if (score) {
        items[j].score = *score;
      } else {
        ok = false;
      }
    }
  }
  for (size_t j = 0; j < items.size(); j++) {
    if (text_spans[j].second == SIZE_MAX) continue;
    items[j].by_text =
        std::string_view(text_arena).substr(text_spans[j].first, text_spans[j].second);
  }
  return ok;
}

// STORE: the result as a list (GET misses stored as empty strings), replacing the key, or
// deleting it when the result is empty.
void StoreResult(CommandContext& context, std::string_view target,
                 const std::vector<SortItem>& items, int64_t start, int64_t end,
                 const SortOptions& options, int64_t output_length) {
  store::ListLimits limits = ListLimitsOf(context);
  auto* list = new store::ListValue();
  std::string key;
  store::HashValue::Scratch scratch;
  auto push = [&](std::string_view value) {
    list->PrepareGrowth(value.size(), 1, limits);
    list->Push(value, store::ListEnd::kTail);
  };
  for (int64_t j = start; j <= end; j++) {
    std::string_view element = items[static_cast<size_t>(j)].element;
    if (options.gets.empty()) push(element);
    for (std::string_view pattern : options.gets) {
      push(LookupByPattern(context, pattern, element, key, scratch).value_or(std::string_view()));
    }
  }
  store::Table::Position position;
  Entry* existing = context.LookupWrite(target, &position);
  if (output_length > 0) {
    if (existing != nullptr) {
      Entry* entry = Entry::NewObject(target, list, store::kNoExpire);
      entry->set_lru(context.fresh_lru());
      context.db().table().Replace(position, entry);
    } else {
      AddObject(context, target, list, position.hash);
    }
    context.KeyChanged(target, kNotifyList, "sortstore", static_cast<uint64_t>(output_length));
  } else {
    store::Object::Release(list);
    if (existing != nullptr) {
      context.db().table().Remove(position);
      context.KeyChanged(target, kNotifyGeneric, "del");
    }
  }
  context.reply.Integer(output_length);
}

void ReplyResult(CommandContext& context, const std::vector<SortItem>& items, int64_t start,
                 int64_t end, const SortOptions& options, int64_t output_length) {
  context.reply.ArrayHeader(static_cast<size_t>(output_length));
  std::string key;
  store::HashValue::Scratch scratch;
  for (int64_t j = start; j <= end; j++) {
    std::string_view element = items[static_cast<size_t>(j)].element;
    if (options.gets.empty()) context.reply.Bulk(element);
    for (std::string_view pattern : options.gets) {
      std::optional<std::string_view> value =
          LookupByPattern(context, pattern, element, key, scratch);
      if (value) {
        context.reply.Bulk(*value);
      } else {
        context.reply.Null();
      }
    }
  }
}

// The object to sort, converting a listpack sorted set to a skiplist as Redis does
// ("destructively convert encoded sorted sets for SORT"). nullptr when the key is missing
// (Redis sorts an empty list then) or after replying WRONGTYPE (*wrong_type set).
const store::Object* SortSource(CommandContext& context, bool* wrong_type) {
  *wrong_type = false;
  store::Table::Position position;
  Entry* entry = context.LookupRead(context.arg(1), &position);
  if (entry == nullptr) return nullptr;
  ValueType type = entry->type();
  if (type != ValueType::kList && type != ValueType::kSet && type != ValueType::kZset) {
    context.reply.Error(errors::kWrongType);
    *wrong_type = true;
    return nullptr;
  }
  if (type == ValueType::kZset && ObjectOf<store::ZsetValue>(entry)->is_listpack()) {
    auto* zset = MutableObject<store::ZsetValue>(context, position);
    zset->ConvertToSkiplist(zset->size());
    return zset;
  }
  return entry->object();
}

void SortGeneric(CommandContext& context, bool read_only) {
  std::optional<SortOptions> parsed = ParseSortOptions(context, read_only);
  if (!parsed) return;
  SortOptions& options = *parsed;
  bool wrong_type;
  const store::Object* object = SortSource(context, &wrong_type);
  if (wrong_type) return;
  ValueType type = object != nullptr ? object->type() : ValueType::kList;
  // A set has no native order worth keeping when the result is stored: sort it (ALPHA) so
  // that replicas and the AOF agree.
  if (options.dont_sort && type == ValueType::kSet && options.store) {
    options.dont_sort = false;
    options.alpha = true;
    options.by.reset();
  }
  int64_t length = object != nullptr ? static_cast<int64_t>(object->size()) : 0;
  int64_t start = std::min(std::max<int64_t>(options.limit_start, 0), length);
  int64_t count = std::min(std::max<int64_t>(options.limit_count, -1), length);
  int64_t end = count < 0 ? length - 1 : start + count - 1;
  if (start >= length) {
    start = length - 1;
    end = length - 2;
  }
  if (end >= length) end = length - 1;

  ElementArena arena;
  if (object != nullptr) arena = LoadElements(object, options, &start, &end, length);
  std::vector<SortItem> items = arena.Items();
  // The BY texts of ALPHA sorting; items point into it.
  std::string text_arena;
  std::vector<std::pair<size_t, size_t>> text_spans;
  bool conversion_error = false;
  if (!options.dont_sort) {
    conversion_error = !LoadSortKeys(context, options, items, text_arena, text_spans);
    // glibc's qsort is a merge sort: equal elements keep their loading order.
    std::stable_sort(items.begin(), items.end(), [&](const SortItem& a, const SortItem& b) {
      return CompareItems(a, b, options) < 0;
    });
  }
  int64_t rows = end - start + 1;
  int64_t output_length =
      options.gets.empty() ? rows : static_cast<int64_t>(options.gets.size()) * rows;
  if (conversion_error) {
    context.reply.Error("One or more scores can't be converted into double");
  } else if (options.store) {
    StoreResult(context, *options.store, items, start, end, options, output_length);
  } else {
    ReplyResult(context, items, start, end, options, output_length);
  }
}

void Sort(CommandContext& context) { SortGeneric(context, false); }

// sortGetKeys: the sorted key, and the last STORE destination. Like Redis, it skips the
// words after LIMIT (2), GET and BY (1) and takes any other word as a lone option.
void SortKeys(std::span<const std::string_view> argv, std::vector<KeyReference>* keys) {
  keys->push_back({1, kKeyRO | kKeyAccess});
  int store = 0;
  int argc = static_cast<int>(argv.size());
  for (int i = 2; i < argc; i++) {
    std::string_view word = argv[static_cast<size_t>(i)];
    if (IsWord(word, "limit")) {
      i += 2;
    } else if (IsWord(word, "store") && i + 1 < argc) {
      store = i + 1;
    } else if (IsWord(word, "get") || IsWord(word, "by")) {
      i += 1;
    }
  }
  if (store != 0) keys->push_back({store, kKeyOW | kKeyUpdate});
}
void SortReadOnly(CommandContext& context) { SortGeneric(context, true); }

constexpr const char* kSortComplexity =
    "O(N+M*log(M)) where N is the number of elements in the list or set to sort, and M the "
    "number of returned elements. When the elements are not sorted, complexity is O(N).";

// clang-format off
const CommandSpec kCommands[] = {
    {"sort", -2, kWrite | kDenyOom | kMovableKeys, 1, 1, 1, Sort, "generic", "1.0.0", "Sort the elements in a list, set or sorted set", kSortComplexity, "@write @set @sortedset @list @slow @dangerous", "key [BY pattern] [LIMIT offset count] [GET pattern [GET pattern ...]] [ASC | DESC] [ALPHA] [STORE destination]", {}, "", SortKeys},
    {"sort_ro", -2, kReadonly | kMovableKeys, 1, 1, 1, SortReadOnly, "generic", "7.0.0", "Sort the elements in a list, set or sorted set. Read-only variant of SORT.", kSortComplexity, "@read @set @sortedset @list @slow @dangerous", "key [BY pattern] [LIMIT offset count] [GET pattern [GET pattern ...]] [ASC | DESC] [ALPHA]"},
};
// clang-format on

}  // namespace

void RegisterSortCommands(CommandTable& table) { table.Register(kCommands); }

}  // namespace ringdb::commands
