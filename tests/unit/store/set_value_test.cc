// SetValue: Redis 7.2's encoding choices and one-way conversions, members of every encoding
// read back exactly, clones independent.
#include "ringdb/store/set_value.h"

#include <doctest/doctest.h>

#include <set>
#include <string>

using ringdb::store::Encoding;
using ringdb::store::ListpackValue;
using ringdb::store::Object;
using ringdb::store::SetLimits;
using ringdb::store::SetValue;

namespace {

std::set<std::string> Members(const SetValue& set) {
  std::set<std::string> out;
  set.ForEach([&](const ListpackValue& member) { out.insert(member.ToString()); });
  return out;
}

struct SetHolder {
  explicit SetHolder(SetValue* value) : set(value) {}
  ~SetHolder() { Object::Release(set); }
  SetValue* operator->() const { return set; }
  SetValue* set;
};

}  // namespace

TEST_CASE("SetValue::Create picks intset, listpack or hashtable from the first member and hint") {
  SetLimits limits;
  CHECK(SetHolder(SetValue::Create("1", 1, limits))->encoding() == Encoding::kIntset);
  CHECK(SetHolder(SetValue::Create("-9223372036854775808", 512, limits))->encoding() ==
        Encoding::kIntset);
  CHECK(SetHolder(SetValue::Create("1", 513, limits))->encoding() == Encoding::kHashtable);
  CHECK(SetHolder(SetValue::Create("01", 1, limits))->encoding() == Encoding::kListpack);
  CHECK(SetHolder(SetValue::Create("a", 128, limits))->encoding() == Encoding::kListpack);
  CHECK(SetHolder(SetValue::Create("a", 129, limits))->encoding() == Encoding::kHashtable);
  CHECK(SetHolder(SetValue::Create("9223372036854775808", 1, limits))->encoding() ==
        Encoding::kListpack);
}

TEST_CASE("An intset turns into a listpack for a string while small, else a hashtable") {
  SetLimits limits;
  SetHolder small(SetValue::NewIntset());
  for (int i = 0; i < 127; i++) small->Add(std::to_string(i * 7 - 300), limits);
  CHECK(small->Add("x", limits));
  CHECK(small->encoding() == Encoding::kListpack);
  CHECK(small->size() == 128);
  // The intset's order (ascending) carries over, the new member comes last.
  std::string first;
  small->ForEach([&](const ListpackValue& member) {
    if (first.empty()) first = member.ToString();
  });
  CHECK(first == "-300");

  SetHolder full(SetValue::NewIntset());
  for (int i = 0; i < 128; i++) full->Add(std::to_string(i), limits);
  CHECK(full->Add("x", limits));
  CHECK(full->encoding() == Encoding::kHashtable);

  // A member longer than set-max-listpack-value skips the listpack.
  SetHolder long_member(SetValue::NewIntset());
  long_member->Add("1", limits);
  CHECK(long_member->Add(std::string(65, 'a'), limits));
  CHECK(long_member->encoding() == Encoding::kHashtable);

  // So does an intset whose widest integer is longer than set-max-listpack-value.
  SetLimits narrow;
  narrow.listpack_value = 3;
  SetHolder wide(SetValue::NewIntset());
  wide->Add("-1000", narrow);
  CHECK(wide->Add("abc", narrow));
  CHECK(wide->encoding() == Encoding::kHashtable);
}

TEST_CASE("An intset past set-max-intset-entries becomes a hashtable, and never shrinks back") {
  SetLimits limits;
  SetHolder set(SetValue::NewIntset());
  for (int i = 0; i < 512; i++) set->Add(std::to_string(i), limits);
  CHECK(set->encoding() == Encoding::kIntset);
  CHECK_FALSE(set->Add("511", limits));
  CHECK(set->Add("512", limits));
  CHECK(set->encoding() == Encoding::kHashtable);
  for (int i = 0; i < 512; i++) CHECK(set->Remove(std::to_string(i)));
  CHECK(set->encoding() == Encoding::kHashtable);
  CHECK(Members(*set.set) == std::set<std::string>{"512"});
  set->ConvertToIntsetIfFits(limits);
  CHECK(set->encoding() == Encoding::kIntset);
}

TEST_CASE("A listpack becomes a hashtable past its entry or value limits") {
  SetLimits limits;
  SetHolder set(SetValue::NewListpack());
  for (int i = 0; i < 128; i++) set->Add("m" + std::to_string(i), limits);
  CHECK(set->encoding() == Encoding::kListpack);
  CHECK(set->Add("m0", limits) == false);
  CHECK(set->Add("m128", limits));
  CHECK(set->encoding() == Encoding::kHashtable);

  SetHolder by_value(SetValue::NewListpack());
  by_value->Add(std::string(64, 'v'), limits);
  CHECK(by_value->encoding() == Encoding::kListpack);
  by_value->Add(std::string(65, 'v'), limits);
  CHECK(by_value->encoding() == Encoding::kHashtable);

  SetHolder hinted(SetValue::NewListpack());
  hinted->Add("a", limits);
  hinted->MaybeConvert(128, limits);
  CHECK(hinted->encoding() == Encoding::kListpack);
  hinted->MaybeConvert(129, limits);
  CHECK(hinted->encoding() == Encoding::kHashtable);
}

TEST_CASE("Members of every encoding compare by value: 1 equals the integer 1, 01 does not") {
  SetLimits limits;
  for (int kind = 0; kind < 3; kind++) {
    CAPTURE(kind);
    SetHolder set(kind == 0   ? SetValue::NewIntset()
                  : kind == 1 ? SetValue::NewListpack()
                              : SetValue::NewHashtable(4));
    CHECK(set->Add("1", limits));
    ListpackValue one;
    one.is_integer = true;
    one.integer = 1;
    CHECK(set->Contains(one));
    CHECK(set->Contains("1"));
    CHECK_FALSE(set->Contains("01"));
    CHECK_FALSE(set->Contains("+1"));
    CHECK_FALSE(set->Add(one, limits));
    CHECK(set->Add("01", limits));
    CHECK(set->size() == 2);
    CHECK(set->Remove(one));
    CHECK(Members(*set.set) == std::set<std::string>{"01"});
    SetHolder clone(static_cast<SetValue*>(set->Clone()));
    CHECK(clone->encoding() == set->encoding());
    clone->Add("z", limits);
    CHECK(set->size() == 1);
    CHECK(clone->size() == 2);
    CHECK(set->MemoryUsage(0) > sizeof(SetValue));
  }
}

TEST_CASE("SetValue::Swap exchanges contents of different encodings") {
  SetLimits limits;
  SetHolder a(SetValue::NewIntset());
  a->Add("5", limits);
  SetHolder b(SetValue::NewHashtable(8));
  b->Add("x", limits);
  b->Add("y", limits);
  a->Swap(*b.set);
  CHECK(a->encoding() == Encoding::kHashtable);
  CHECK(Members(*a.set) == std::set<std::string>{"x", "y"});
  CHECK(b->encoding() == Encoding::kIntset);
  CHECK(Members(*b.set) == std::set<std::string>{"5"});
}
