// SetValue: the value of a set key, in one of Redis 7.2's three encodings:
//
//   intset     sorted integers (intset.h), while every member is a canonical integer and
//              there are at most set-max-intset-entries of them;
//   listpack   members in insertion order (listpack.h), while there are at most
//              set-max-listpack-entries and none is longer than set-max-listpack-value;
//   hashtable  a StringSet (string_set.h) beyond that.
//
// Conversions follow Redis 7.2's t_set.c exactly (setTypeCreate, setTypeMaybeConvert,
// setTypeAddAux, maybeConvertToIntset) and, as there, a set never returns to a smaller
// encoding on its own: only commands that build a new set (SPOP's "keep the rest" path,
// SINTERSTORE) pick a small one again.
//
// Members are handed out as ListpackValue: an integer (intset members, listpack integers) or
// bytes pointing into the set (valid until the set changes).
#pragma once

#include <cstddef>
#include <cstdint>
#include <string>
#include <string_view>

#include "ringdb/store/entry.h"
#include "ringdb/store/intset.h"
#include "ringdb/store/listpack.h"
#include "ringdb/store/object.h"
#include "ringdb/store/set_view.h"
#include "ringdb/store/string_set.h"

namespace ringdb::store {

// The thresholds of the compact encodings (the set-max-* directives; never negative).
struct SetLimits {
  size_t intset_entries = 512;
  size_t listpack_entries = 128;
  size_t listpack_value = 64;

  // Redis limits intsets to 2^30 entries whatever the configuration says.
  size_t intset_entries_max() const {
    return intset_entries < (size_t{1} << 30) ? intset_entries : size_t{1} << 30;
  }
};

class SetValue final : public Object, public SetView {
 public:
  // SetView, for the sorted-set commands that take set inputs.
  size_t SetSize() const override { return size(); }
  bool SetContains(std::string_view member) const override { return Contains(member); }
  void ForEachSetMember(void (*fn)(void* context, std::string_view member),
                        void* context) const override {
    char scratch[24];
    ForEach([&](const ListpackValue& member) { fn(context, member.Text(scratch)); });
  }

  static constexpr ValueType kType = ValueType::kSet;

  // Redis's setTypeCreate: an intset when `first` is an integer and `size_hint` fits one,
  // else a listpack when the hint fits one, else a hashtable presized for the hint.
  static SetValue* Create(std::string_view first, size_t size_hint, const SetLimits& limits);
  static SetValue* NewIntset();
  static SetValue* NewListpack();
  static SetValue* NewHashtable(size_t capacity);
  // Sets adopting a blob (the RDB loader's). REQUIRES: a valid intset; a valid listpack of
  // distinct members.
  static SetValue* FromIntset(Intset&& intset);
  static SetValue* FromListpack(Listpack&& listpack);

  ~SetValue();

  Encoding encoding() const { return encoding_; }
  size_t size() const;
  Object* Clone() const;
  size_t MemoryUsage(size_t samples) const;

  // setTypeMaybeConvert: converts to a hashtable when `size_hint` more members would not fit
  // the current compact encoding.
  void MaybeConvert(size_t size_hint, const SetLimits& limits);
  // Converts an intset or listpack to `target` (kListpack or kHashtable), presized for
  // `capacity` members. REQUIRES: target differs from the current encoding.
  void Convert(Encoding target, size_t capacity);
  // maybeConvertToIntset: becomes an intset when it fits one.
  // REQUIRES: every member is a canonical integer.
  void ConvertToIntsetIfFits(const SetLimits& limits);

  // Adds a member (setTypeAddAux), converting as Redis does; false when already present.
  bool Add(std::string_view member, const SetLimits& limits);
  bool Add(const ListpackValue& member, const SetLimits& limits);
  // Removes a member; false when absent. Never converts.
  bool Remove(std::string_view member);
  bool Remove(const ListpackValue& member);
  bool Contains(std::string_view member) const;
  bool Contains(const ListpackValue& member) const;

  // A member picked with `random` (uniform 64 bits). REQUIRES: size() > 0.
  ListpackValue Random(uint64_t random) const;

  // Calls fn(const ListpackValue&) for every member: ascending for an intset, insertion order
  // for a listpack, table order for a hashtable.
  template <typename Fn>
  void ForEach(Fn&& fn) const {
    switch (encoding_) {
      case Encoding::kIntset:
        for (size_t i = 0, n = intset_.size(); i < n; i++) {
          ListpackValue value;
          value.is_integer = true;
          value.integer = intset_.Get(i);
          fn(value);
        }
        break;
      case Encoding::kListpack:
        for (uint32_t p = listpack_.First(); p != Listpack::kNone; p = listpack_.Next(p)) {
          fn(listpack_.Get(p));
        }
        break;
      default:
        table_->ForEach([&](std::string_view member) {
          ListpackValue value;
          value.bytes = member;
          fn(value);
        });
        break;
    }
  }

  // The representations, for commands with encoding-specific algorithms.
  // REQUIRES: the matching encoding().
  const Intset& intset() const { return intset_; }
  const Listpack& listpack() const { return listpack_; }
  Listpack& mutable_listpack() { return listpack_; }
  const StringSet& table() const { return *table_; }

  // Replaces this set's contents with `other`'s (which is left empty and intset-encoded).
  void Swap(SetValue& other);

 private:
  explicit SetValue(Encoding encoding);
  void Destroy();
  bool AddString(std::string_view member, bool from_integer, int64_t integer,
                 const SetLimits& limits);
  bool AddToIntset(std::string_view member, const SetLimits& limits);
  void ConvertIntsetIfTooBig(const SetLimits& limits);

  Encoding encoding_;
  // Exactly one is live, as encoding_ says: the object stays 24 bytes.
  union {
    Intset intset_;
    Listpack listpack_;
    StringSet* table_;
  };
};

// A member's text: integers are formatted into `scratch` (at least 21 bytes).
inline std::string_view MemberText(const ListpackValue& member, char* scratch) {
  return member.Text(scratch);
}

}  // namespace ringdb::store
