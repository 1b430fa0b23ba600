// Shared steps of the collection families (declared in helpers.h).
#include "helpers.h"

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
  store::Entry* entry = store::Entry::NewObject(key, object, store::kNoExpire);
  entry->set_lru(context.lru_clock());
  AddEntry(context, entry, hash);
}

void DeleteEmptied(CommandContext& context, store::Table::Position position, std::string_view key) {
  // `key` may point into the entry being removed: notify first.
  context.Notify(kNotifyGeneric, "del", key);
  context.db().table().Remove(position);
}

}  // namespace ringdb::commands
