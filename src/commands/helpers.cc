// Shared steps of the collection families (declared in helpers.h).
#include "helpers.h"

#include <cctype>
#include <cmath>

namespace ringdb::commands {

std::optional<uint64_t> ParseScanCursor(std::string_view text) {
  size_t nul = text.find('\0');
  if (nul != std::string_view::npos) text = text.substr(0, nul);
  if (text.empty()) return 0;
  if (std::isspace(static_cast<unsigned char>(text[0]))) return std::nullopt;
  size_t i = 0;
  bool negative = text[0] == '-';
  if (text[0] == '-' || text[0] == '+') i = 1;
  if (i == text.size()) return std::nullopt;
  uint64_t value = 0;
  for (; i < text.size(); i++) {
    if (text[i] < '0' || text[i] > '9') return std::nullopt;
    auto digit = static_cast<uint64_t>(text[i] - '0');
    if (value > (UINT64_MAX - digit) / 10) return std::nullopt;
    value = value * 10 + digit;
  }
  return negative ? 0 - value : value;
}

std::optional<ScanOptions> ParseScanOptions(CommandContext& context, size_t first,
                                            bool allow_type) {
  ScanOptions options;
  for (size_t i = first; i < context.argc(); i += 2) {
    std::string_view option = context.arg(i);
    bool has_value = i + 1 < context.argc();
    if (EqualsIgnoreCase(option, "count") && has_value) {
      std::optional<int64_t> count = IntegerArg(context, i + 1);
      if (!count) return std::nullopt;
      if (*count < 1) {
        context.reply.Error(errors::kSyntax);
        return std::nullopt;
      }
      options.count = *count;
    } else if (EqualsIgnoreCase(option, "match") && has_value) {
      std::string_view pattern = context.arg(i + 1);
      options.pattern = pattern == "*" ? std::nullopt : std::optional(pattern);
    } else if (allow_type && EqualsIgnoreCase(option, "type") && has_value) {
      options.type = context.arg(i + 1);
    } else {
      context.reply.Error(errors::kSyntax);
      return std::nullopt;
    }
  }
  return options;
}

store::Object* UnshareObject(CommandContext& context, store::Table::Position position) {
  store::Table& table = context.db().table();
  store::Entry* entry = table.PrepareInPlaceChange(position);
  RINGDB_DASSERT(entry->is_object());
  if (entry->shared()) {
    // The copy points at the same object (one more reference), so the object is shared now
    // and gets cloned below: the snapshot keeps the old entry and the old object.
    store::Entry* copy = store::Entry::CopyWithExpire(*entry, entry->expire_at_ms());
    table.Replace(position, copy);
    entry = copy;
  }
  store::Object* object = entry->object();
  if (object->shared()) {
    store::Object* clone = object->Clone();
    entry->ReplaceObject(clone);
    object = clone;
  }
  return object;
}

void AddObject(CommandContext& context, std::string_view key, store::Object* object,
               uint64_t hash) {
  store::ValueType type = object->type();
  store::Entry* entry = store::Entry::NewObject(key, object, store::kNoExpire);
  entry->set_lru(context.fresh_lru());
  AddEntry(context, entry, hash);
  // Clients blocked on a missing key wait for it to be created (Redis signals from dbAdd).
  if (type == store::ValueType::kList || type == store::ValueType::kZset ||
      type == store::ValueType::kStream) {
    context.KeyReady(key);
  }
}

std::optional<int64_t> BlockDeadline(CommandContext& context, std::string_view text, bool seconds) {
  int64_t timeout_ms;
  if (seconds) {
    std::optional<long double> value = ParseLongDouble(text);
    if (!value || std::isnan(*value)) {
      context.reply.Error("timeout is not a float or out of range");
      return std::nullopt;
    }
    long double milliseconds = *value * 1000.0L;
    if (milliseconds > static_cast<long double>(INT64_MAX)) {
      context.reply.Error("timeout is out of range");
      return std::nullopt;
    }
    if (milliseconds < static_cast<long double>(INT64_MIN)) {
      context.reply.Error("timeout is negative");
      return std::nullopt;
    }
    timeout_ms = static_cast<int64_t>(std::ceil(milliseconds));
  } else {
    std::optional<int64_t> value = ParseInt64(text);
    if (!value) {
      context.reply.Error("timeout is not an integer or out of range");
      return std::nullopt;
    }
    timeout_ms = *value;
  }
  if (timeout_ms < 0) {
    context.reply.Error("timeout is negative");
    return std::nullopt;
  }
  if (timeout_ms == 0) return 0;
  if (timeout_ms > INT64_MAX - context.now_ms) {
    context.reply.Error("timeout is out of range");
    return std::nullopt;
  }
  return context.now_ms + timeout_ms;
}

void DeleteEmptied(CommandContext& context, store::Table::Position position, std::string_view key) {
  // `key` may point into the entry being removed: notify first.
  context.Notify(kNotifyGeneric, "del", key);
  context.db().table().Remove(position);
}

}  // namespace ringdb::commands
