#include "ringdb/store/hash_value.h"

#include <new>
#include <utility>

#include "ringdb/base/assert.h"
#include "ringdb/base/memory.h"

namespace ringdb::store {

HashValue::HashValue() : Object(kType) { new (&listpack_) Listpack(); }

HashValue* HashValue::FromListpack(Listpack&& listpack) {
  auto* hash = new HashValue();
  hash->listpack_ = std::move(listpack);
  return hash;
}

HashValue::~HashValue() { DestroyRepresentation(); }

void HashValue::DestroyRepresentation() {
  if (is_table_) {
    delete table_;
  } else {
    listpack_.~Listpack();
  }
}

const Listpack& HashValue::listpack() const {
  RINGDB_DASSERT(!is_table_);
  return listpack_;
}

const FieldTable& HashValue::table() const {
  RINGDB_DASSERT(is_table_);
  return *table_;
}

size_t HashValue::size() const { return is_table_ ? table_->size() : listpack_.size() / 2; }

Object* HashValue::Clone() const {
  auto* clone = new HashValue();
  if (is_table_) {
    clone->listpack_.~Listpack();
    clone->table_ = new FieldTable(*table_);
    clone->is_table_ = true;
  } else {
    clone->listpack_ = Listpack(listpack_);
  }
  return clone;
}

size_t HashValue::MemoryUsage(size_t samples) const {
  size_t bytes = UsableSize(this);
  if (is_table_) return bytes + UsableSize(table_) + table_->AllocatedBytes(samples);
  return bytes + listpack_.AllocatedBytes();
}

bool HashValue::Get(std::string_view field, Scratch& scratch, std::string_view* value) const {
  if (is_table_) return table_->Find(field, value);
  uint32_t position = listpack_.Find(listpack_.First(), field, /*skip=*/1);
  if (position == Listpack::kNone) return false;
  if (value != nullptr) {
    uint32_t value_position = listpack_.Next(position);
    RINGDB_DASSERT(value_position != Listpack::kNone);
    *value = listpack_.Get(value_position).Text(scratch);
  }
  return true;
}

void HashValue::PrepareForPairs(std::span<const std::string_view> arguments,
                                const HashLimits& limits) {
  if (is_table_) return;
  // Redis 7.2 guesses that most pairs are new fields: more pairs than the limit convert at
  // once, presized, even when they repeat a field.
  size_t pairs = arguments.size() / 2;
  if (pairs > limits.listpack_entries_max) {
    ConvertToTable(pairs);
    return;
  }
  size_t sum = 0;
  for (std::string_view argument : arguments) {
    if (argument.size() > limits.listpack_value_max) {
      ConvertToTable();
      return;
    }
    sum += argument.size();
  }
  if (!listpack_.SafeToAdd(sum)) ConvertToTable();
}

bool HashValue::Set(std::string_view field, std::string_view value, const HashLimits& limits) {
  if (!is_table_) {
    if (field.size() > limits.listpack_value_max || value.size() > limits.listpack_value_max ||
        !listpack_.SafeToAdd(ListpackElementBytes(field) + ListpackElementBytes(value))) {
      ConvertToTable();
    }
  }
  if (is_table_) return table_->Set(field, value);
  bool added = false;
  uint32_t position = listpack_.Find(listpack_.First(), field, /*skip=*/1);
  if (position != Listpack::kNone) {
    uint32_t value_position = listpack_.Next(position);
    RINGDB_DASSERT(value_position != Listpack::kNone);
    listpack_.Replace(value_position, value);
  } else {
    listpack_.Append(field);
    listpack_.Append(value);
    added = true;
  }
  // Checked after an update too: a listpack over a limit lowered since (CONFIG SET) converts
  // on its next write, as in Redis.
  if (size() > limits.listpack_entries_max) ConvertToTable();
  return added;
}

bool HashValue::Delete(std::string_view field) {
  if (is_table_) return table_->Delete(field);
  uint32_t position = listpack_.Find(listpack_.First(), field, /*skip=*/1);
  if (position == Listpack::kNone) return false;
  listpack_.DeleteRange(position, 2);
  return true;
}

void HashValue::ConvertToTable(size_t expected) {
  if (is_table_) return;
  size_t count = size();
  auto* table = new FieldTable(expected > count ? expected : count);
  ForEach([&](std::string_view field, std::string_view value) {
    bool added = table->Set(field, value);
    RINGDB_ASSERT(added);
  });
  listpack_.~Listpack();
  table_ = table;
  is_table_ = true;
}

}  // namespace ringdb::store
