#include "ringdb/store/set_value.h"

#include <algorithm>
#include <new>
#include <optional>
#include <utility>

#include "ringdb/base/assert.h"
#include "ringdb/base/memory.h"
#include "ringdb/base/strings.h"

namespace ringdb::store {

namespace {

// Redis's sdigits10: the characters of a value's decimal text, sign included.
size_t DecimalLength(int64_t value) {
  char scratch[kInt64TextMax + 1];
  return FormatInt64(value, scratch);
}

// Redis's lpEstimateBytesRepeatedInteger: the bytes of `count` listpack copies of `value`.
size_t ListpackBytesRepeated(int64_t value, size_t count) {
  char scratch[kInt64TextMax + 1];
  size_t length = FormatInt64(value, scratch);
  return ListpackElementBytes(std::string_view(scratch, length)) * count;
}

}  // namespace

SetValue::SetValue(Encoding encoding) : Object(kType), encoding_(encoding) {
  switch (encoding) {
    case Encoding::kIntset:
      new (&intset_) Intset();
      break;
    case Encoding::kListpack:
      new (&listpack_) Listpack();
      break;
    default:
      RINGDB_ASSERT(encoding == Encoding::kHashtable);
      table_ = new StringSet();
      break;
  }
}

SetValue::~SetValue() { Destroy(); }

void SetValue::Destroy() {
  switch (encoding_) {
    case Encoding::kIntset:
      intset_.~Intset();
      break;
    case Encoding::kListpack:
      listpack_.~Listpack();
      break;
    default:
      delete table_;
      break;
  }
}

SetValue* SetValue::NewIntset() { return new SetValue(Encoding::kIntset); }
SetValue* SetValue::NewListpack() { return new SetValue(Encoding::kListpack); }
SetValue* SetValue::NewHashtable(size_t capacity) {
  auto* set = new SetValue(Encoding::kHashtable);
  set->table_->Expand(capacity);
  return set;
}

SetValue* SetValue::FromIntset(Intset&& intset) {
  SetValue* set = NewIntset();
  set->intset_ = std::move(intset);
  return set;
}

SetValue* SetValue::FromListpack(Listpack&& listpack) {
  SetValue* set = NewListpack();
  set->listpack_ = std::move(listpack);
  return set;
}

SetValue* SetValue::Create(std::string_view first, size_t size_hint, const SetLimits& limits) {
  if (size_hint <= limits.intset_entries && first.size() <= kInt64TextMax && ParseInt64(first)) {
    return NewIntset();
  }
  if (size_hint <= limits.listpack_entries) return NewListpack();
  return NewHashtable(size_hint);
}

size_t SetValue::size() const {
  switch (encoding_) {
    case Encoding::kIntset:
      return intset_.size();
    case Encoding::kListpack:
      return listpack_.size();
    default:
      return table_->size();
  }
}

Object* SetValue::Clone() const {
  auto* copy = new SetValue(Encoding::kIntset);
  switch (encoding_) {
    case Encoding::kIntset:
      copy->intset_ = Intset(intset_);
      break;
    case Encoding::kListpack:
      copy->Destroy();
      new (&copy->listpack_) Listpack(listpack_);
      copy->encoding_ = Encoding::kListpack;
      break;
    default:
      copy->Destroy();
      copy->table_ = new StringSet(*table_);
      copy->encoding_ = Encoding::kHashtable;
      break;
  }
  return copy;
}

size_t SetValue::MemoryUsage(size_t samples) const {
  size_t bytes = sizeof(SetValue);
  switch (encoding_) {
    case Encoding::kIntset:
      return bytes + intset_.AllocatedBytes();
    case Encoding::kListpack:
      return bytes + listpack_.AllocatedBytes();
    default:
      return bytes + sizeof(StringSet) + table_->AllocatedBytes(samples);
  }
}

void SetValue::Swap(SetValue& other) {
  // Through a temporary intset, since the union members cannot be swapped directly.
  SetValue* temporary = new SetValue(Encoding::kIntset);
  auto move = [](SetValue& from, SetValue& to) {
    to.Destroy();
    switch (from.encoding_) {
      case Encoding::kIntset:
        new (&to.intset_) Intset(std::move(from.intset_));
        break;
      case Encoding::kListpack:
        new (&to.listpack_) Listpack(std::move(from.listpack_));
        break;
      default:
        to.table_ = std::exchange(from.table_, nullptr);
        break;
    }
    to.encoding_ = from.encoding_;
    // `from` keeps a moved-from shell; make it a valid empty intset.
    if (from.encoding_ == Encoding::kIntset) from.intset_.~Intset();
    if (from.encoding_ == Encoding::kListpack) from.listpack_.~Listpack();
    new (&from.intset_) Intset();
    from.encoding_ = Encoding::kIntset;
  };
  move(*this, *temporary);
  move(other, *this);
  move(*temporary, other);
  delete temporary;
}

void SetValue::Convert(Encoding target, size_t capacity) {
  RINGDB_ASSERT(target != encoding_);
  RINGDB_ASSERT(encoding_ != Encoding::kHashtable);
  if (target == Encoding::kHashtable) {
    auto* table = new StringSet(capacity);
    char scratch[kInt64TextMax + 1];
    ForEach([&](const ListpackValue& member) { table->Insert(member.Text(scratch)); });
    Destroy();
    table_ = table;
    encoding_ = Encoding::kHashtable;
    return;
  }
  RINGDB_ASSERT(target == Encoding::kListpack);
  RINGDB_ASSERT(encoding_ == Encoding::kIntset);
  Listpack listpack;
  for (size_t i = 0, n = intset_.size(); i < n; i++) listpack.AppendInteger(intset_.Get(i));
  Destroy();
  new (&listpack_) Listpack(std::move(listpack));
  encoding_ = Encoding::kListpack;
}

void SetValue::MaybeConvert(size_t size_hint, const SetLimits& limits) {
  if ((encoding_ == Encoding::kListpack && size_hint > limits.listpack_entries) ||
      (encoding_ == Encoding::kIntset && size_hint > limits.intset_entries)) {
    Convert(Encoding::kHashtable, size_hint);
  }
}

void SetValue::ConvertToIntsetIfFits(const SetLimits& limits) {
  if (encoding_ == Encoding::kIntset) return;
  if (size() > limits.intset_entries_max()) return;
  Intset intset;
  ForEach([&](const ListpackValue& member) {
    if (member.is_integer) {
      intset.Add(member.integer);
      return;
    }
    std::optional<int64_t> value = ParseInt64(member.bytes);
    RINGDB_ASSERT(value.has_value());
    intset.Add(*value);
  });
  Destroy();
  new (&intset_) Intset(std::move(intset));
  encoding_ = Encoding::kIntset;
}

void SetValue::ConvertIntsetIfTooBig(const SetLimits& limits) {
  if (intset_.size() > limits.intset_entries_max()) Convert(Encoding::kHashtable, intset_.size());
}

bool SetValue::Add(std::string_view member, const SetLimits& limits) {
  return AddString(member, false, 0, limits);
}

bool SetValue::Add(const ListpackValue& member, const SetLimits& limits) {
  if (!member.is_integer) return AddString(member.bytes, false, 0, limits);
  if (encoding_ == Encoding::kIntset) {
    if (!intset_.Add(member.integer)) return false;
    ConvertIntsetIfTooBig(limits);
    return true;
  }
  char scratch[kInt64TextMax + 1];
  return AddString(member.Text(scratch), true, member.integer, limits);
}

// setTypeAddAux for a member given as text (`from_integer`: it is the text of `integer`).
bool SetValue::AddString(std::string_view member, bool from_integer, int64_t integer,
                         const SetLimits& limits) {
  switch (encoding_) {
    case Encoding::kHashtable:
      return table_->Insert(member);
    case Encoding::kListpack: {
      uint32_t first = listpack_.First();
      if (first != Listpack::kNone && listpack_.Find(first, member) != Listpack::kNone) {
        return false;
      }
      if (listpack_.size() < limits.listpack_entries && member.size() <= limits.listpack_value &&
          listpack_.SafeToAdd(member.size())) {
        if (from_integer) {
          listpack_.AppendInteger(integer);
        } else {
          listpack_.Append(member);
        }
      } else {
        Convert(Encoding::kHashtable, listpack_.size() + 1);
        bool added = table_->Insert(member);
        RINGDB_ASSERT(added);
      }
      return true;
    }
    default:
      return AddToIntset(member, limits);
  }
}

bool SetValue::AddToIntset(std::string_view member, const SetLimits& limits) {
  std::optional<int64_t> value;
  if (member.size() <= kInt64TextMax) value = ParseInt64(member);
  if (value) {
    if (!intset_.Add(*value)) return false;
    ConvertIntsetIfTooBig(limits);
    return true;
  }
  // Would a listpack stay within every threshold? The estimate assumes every member is as
  // long as the longest of the minimum and maximum (an upper bound), as Redis does.
  size_t count = intset_.size();
  size_t longest = 0;
  size_t bytes = 0;
  if (count != 0) {
    longest = std::max(DecimalLength(intset_.Max()), DecimalLength(intset_.Min()));
    bytes = std::max(ListpackBytesRepeated(intset_.Max(), count),
                     ListpackBytesRepeated(intset_.Min(), count));
  }
  if (count < limits.listpack_entries && member.size() <= limits.listpack_value &&
      longest <= limits.listpack_value &&
      Listpack::kHeaderBytes + 1 + bytes + member.size() <= Listpack::kSafetyBytesMax) {
    Convert(Encoding::kListpack, count + 1);
    listpack_.Append(member);
  } else {
    Convert(Encoding::kHashtable, count + 1);
    bool added = table_->Insert(member);
    RINGDB_ASSERT(added);
  }
  return true;
}

bool SetValue::Remove(std::string_view member) {
  switch (encoding_) {
    case Encoding::kHashtable:
      return table_->Erase(member);
    case Encoding::kListpack: {
      uint32_t first = listpack_.First();
      if (first == Listpack::kNone) return false;
      uint32_t position = listpack_.Find(first, member);
      if (position == Listpack::kNone) return false;
      listpack_.Delete(position);
      return true;
    }
    default: {
      if (member.size() > kInt64TextMax) return false;
      std::optional<int64_t> value = ParseInt64(member);
      return value && intset_.Remove(*value);
    }
  }
}

bool SetValue::Remove(const ListpackValue& member) {
  if (member.is_integer && encoding_ == Encoding::kIntset) return intset_.Remove(member.integer);
  char scratch[kInt64TextMax + 1];
  return Remove(member.Text(scratch));
}

bool SetValue::Contains(std::string_view member) const {
  switch (encoding_) {
    case Encoding::kHashtable:
      return table_->Contains(member);
    case Encoding::kListpack: {
      uint32_t first = listpack_.First();
      return first != Listpack::kNone && listpack_.Find(first, member) != Listpack::kNone;
    }
    default: {
      if (member.size() > kInt64TextMax) return false;
      std::optional<int64_t> value = ParseInt64(member);
      return value && intset_.Contains(*value);
    }
  }
}

bool SetValue::Contains(const ListpackValue& member) const {
  if (member.is_integer && encoding_ == Encoding::kIntset) return intset_.Contains(member.integer);
  char scratch[kInt64TextMax + 1];
  return Contains(member.Text(scratch));
}

ListpackValue SetValue::Random(uint64_t random) const {
  RINGDB_ASSERT(size() > 0);
  ListpackValue value;
  switch (encoding_) {
    case Encoding::kIntset:
      value.is_integer = true;
      value.integer = intset_.Get(static_cast<size_t>(random % intset_.size()));
      return value;
    case Encoding::kListpack:
      return listpack_.Get(listpack_.Seek(static_cast<int64_t>(random % listpack_.size())));
    default:
      value.bytes = table_->Random(random);
      return value;
  }
}

}  // namespace ringdb::store
