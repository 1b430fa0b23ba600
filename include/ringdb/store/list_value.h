// ListValue: the value of a list key, in Redis 7.2's two encodings.
//
//   listpack   one Listpack holding every element (OBJECT ENCODING "listpack"), while the list
//              stays within list-max-listpack-size (entries, or bytes for -1..-5);
//   quicklist  a linked list of listpack nodes (src/store/quicklist.h), past that limit.
//
// Conversions follow t_list.c: before elements are added, a listpack that would exceed the
// limit becomes a quicklist (PrepareGrowth, listTypeTryConvertListpack); after elements are
// removed, a quicklist left with a single packed node within HALF the limit becomes a listpack
// again (TryShrink, listTypeTryConvertQuicklist), so a list near the limit does not flip
// between encodings on every push and pop.
//
// Indexes follow Redis: 0 is the head, -1 the tail. Elements are read as ListpackValue
// (an integer or bytes that stay valid until the next change of the list).
#pragma once

#include <cstddef>
#include <cstdint>
#include <memory>
#include <optional>
#include <string_view>
#include <type_traits>

#include "ringdb/base/strings.h"
#include "ringdb/store/listpack.h"
#include "ringdb/store/object.h"

namespace ringdb::store {

// Redis's lpCompare against one text: an integer element equals a text that is its canonical
// decimal form (listpacks store every such text as an integer), a string element equals the
// same bytes.
class ListElementMatcher {
 public:
  explicit ListElementMatcher(std::string_view text) : text_(text) {
    if (text.size() <= kInt64TextMax) {
      std::optional<int64_t> value = ParseInt64(text);
      if (value) {
        is_integer_ = true;
        integer_ = *value;
      }
    }
  }
  bool Matches(const ListpackValue& value) const {
    if (value.is_integer) return is_integer_ && value.integer == integer_;
    return value.bytes == text_;
  }

 private:
  std::string_view text_;
  bool is_integer_ = false;
  int64_t integer_ = 0;
};

namespace internal {
class Quicklist;
}  // namespace internal

// The directives that shape lists (commands::EncodingLimits carries them).
struct ListLimits {
  // list-max-listpack-size: > 0 elements per node, -1..-5 node bytes 4..64 KiB.
  int64_t fill = -2;
  // list-compress-depth: nodes kept uncompressed at each end (0: no compression).
  int64_t compress_depth = 0;
};

enum class ListEnd : uint8_t { kHead, kTail };

class ListValue final : public Object {
 public:
  static constexpr ValueType kType = ValueType::kList;

  ListValue();
  ~ListValue();
  ListValue(const ListValue& other);
  ListValue& operator=(const ListValue&) = delete;

  Encoding encoding() const;
  size_t size() const;
  Object* Clone() const { return new ListValue(*this); }
  size_t MemoryUsage(size_t samples) const;

  // listTypeTryConversionAppend: call before adding `add_count` elements of `add_bytes` bytes
  // in total; a listpack that would outgrow `limits` becomes a quicklist.
  void PrepareGrowth(size_t add_bytes, size_t add_count, const ListLimits& limits);
  // listTypeTryConversion(LIST_CONV_SHRINKING): call after removing elements.
  void TryShrink(const ListLimits& limits);

  void Push(std::string_view element, ListEnd end);
  // Replaces the element at `index`; false when out of range.
  bool Replace(int64_t index, std::string_view element);
  // LINSERT: inserts `element` after (or before) the first element equal to `pivot`; false
  // when there is none.
  bool InsertAtPivot(std::string_view pivot, std::string_view element, bool after);
  // LREM: removes up to `limit` (0: all) elements equal to `element`, scanning from the head,
  // or from the tail when `from_tail`. Returns how many went.
  size_t Remove(std::string_view element, size_t limit, bool from_tail);
  // listTypeDelRange: deletes `count` elements from `start` (negative: from the tail).
  void DeleteRange(int64_t start, size_t count);

  // Calls fn(const ListpackValue&) for the elements from `index` towards the tail (towards the
  // head when `reverse`) while it returns true. Nothing when `index` is out of range.
  template <typename Fn>
  void Visit(int64_t index, bool reverse, Fn&& fn) const {
    VisitRaw(index, reverse, &fn, [](void* context, const ListpackValue& value) {
      return static_cast<bool>((*static_cast<std::remove_reference_t<Fn>*>(context))(value));
    });
  }
  // Calls fn(const ListpackValue&) for `count` elements from `index` (REQUIRES: in range).
  template <typename Fn>
  void VisitRange(int64_t index, size_t count, bool reverse, Fn&& fn) const {
    if (count == 0) return;
    Visit(index, reverse, [&](const ListpackValue& value) {
      fn(value);
      return --count > 0;
    });
  }

  // For tests and introspection: the quicklist's node count (0 for a listpack).
  size_t node_count() const;

  // Calls fn(const Listpack& node, bool plain) for each node from the head: the one listpack
  // of the listpack encoding (none when empty), or each quicklist node (a compressed node is
  // decompressed into a scratch copy; a plain node holds one element). Reads only: nothing
  // in the list changes, so the RDB writer may call it on a shared value off the loop.
  template <typename Fn>
  void ForEachNode(Fn&& fn) const {
    ForEachNodeRaw(&fn, [](void* context, const Listpack& node, bool plain) {
      (*static_cast<std::remove_reference_t<Fn>*>(context))(node, plain);
    });
  }
  // Appends a whole node (the RDB loader's quicklistAppendListpack / AppendPlainNode). The
  // list becomes a quicklist shaped by `limits` if it is not one yet. A packed node bigger
  // than the node limit of `limits` has its elements pushed one by one instead, so the
  // quicklist's node invariants hold whatever the file's writer configured.
  // REQUIRES: `node` is valid and not empty; a plain node holds exactly one element.
  void AppendNode(Listpack&& node, bool plain, const ListLimits& limits);
  // After loading (Redis 7.2's listTypeTryConversion with LIST_CONV_AUTO): a quicklist of one
  // packed node within the (whole, not half) limit becomes a listpack.
  void FinishLoad(const ListLimits& limits);

 private:
  void VisitRaw(int64_t index, bool reverse, void* context,
                bool (*fn)(void* context, const ListpackValue& value)) const;
  void ForEachNodeRaw(void* context,
                      void (*fn)(void* context, const Listpack& node, bool plain)) const;

  // The elements while the encoding is listpack; moved out (null) while it is quicklist.
  Listpack listpack_;
  std::unique_ptr<internal::Quicklist> quicklist_;
};

}  // namespace ringdb::store
