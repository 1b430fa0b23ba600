// SetView: read access to a set value for the sorted-set commands that accept set keys as
// inputs (ZUNION, ZINTER, ZDIFF and their STORE forms, ZINTERCARD), where every member counts
// with score 1. The set family's value class implements it next to store::Object; the
// sorted-set commands find it with Object::AsSetView and so never depend on the set's encoding.
#pragma once

#include <cstddef>
#include <string_view>

namespace ringdb::store {

class SetView {
 public:
  virtual size_t SetSize() const = 0;
  virtual bool SetContains(std::string_view member) const = 0;
  // Calls fn(context, member) for every member, in the set's iteration order. The views are
  // valid during the call only.
  virtual void ForEachSetMember(void (*fn)(void* context, std::string_view member),
                                void* context) const = 0;

 protected:
  ~SetView() = default;
};

}  // namespace ringdb::store
