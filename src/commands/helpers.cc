// Shared steps of the collection families (declared in helpers.h).
#include "helpers.h"

#include <cmath>

namespace ringdb::commands {

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
