// ListValue: the encoding switch between one listpack and a quicklist (list_value.h).
#include "ringdb/store/list_value.h"

#include <algorithm>
#include <climits>
#include <utility>

#include "quicklist.h"
#include "ringdb/base/assert.h"

namespace ringdb::store {

using internal::Quicklist;

ListValue::ListValue() : Object(kType) {}
ListValue::~ListValue() = default;

ListValue::ListValue(const ListValue& other)
    : Object(kType), listpack_(other.quicklist_ ? Listpack() : Listpack(other.listpack_)) {
  if (other.quicklist_) {
    quicklist_ = std::make_unique<Quicklist>(*other.quicklist_);
    Listpack discard = std::move(listpack_);
  }
}

Encoding ListValue::encoding() const {
  return quicklist_ ? Encoding::kQuicklist : Encoding::kListpack;
}

size_t ListValue::size() const { return quicklist_ ? quicklist_->count() : listpack_.size(); }

size_t ListValue::node_count() const { return quicklist_ ? quicklist_->length() : 0; }

size_t ListValue::MemoryUsage(size_t samples) const {
  size_t total = sizeof(ListValue);
  if (quicklist_) return total + quicklist_->MemoryUsage(samples);
  return total + listpack_.AllocatedBytes();
}

void ListValue::PrepareGrowth(size_t add_bytes, size_t add_count, const ListLimits& limits) {
  if (quicklist_) return;
  if (!internal::QuicklistExceedsLimit(limits.fill, listpack_.total_bytes() + add_bytes,
                                       listpack_.size() + add_count)) {
    return;
  }
  quicklist_ = std::make_unique<Quicklist>(limits.fill, limits.compress_depth);
  Listpack elements = std::move(listpack_);
  if (!elements.empty()) quicklist_->AppendListpack(std::move(elements));
}

void ListValue::ForEachNodeRaw(void* context,
                               void (*fn)(void* context, const Listpack& node, bool plain)) const {
  if (quicklist_) {
    quicklist_->ForEachNode(context, fn);
  } else if (!listpack_.empty()) {
    fn(context, listpack_, false);
  }
}

void ListValue::AppendNode(Listpack&& node, bool plain, const ListLimits& limits) {
  RINGDB_ASSERT(!node.empty());
  if (!quicklist_) {
    quicklist_ = std::make_unique<Quicklist>(limits.fill, limits.compress_depth);
    Listpack elements = std::move(listpack_);
    if (!elements.empty()) quicklist_->AppendListpack(std::move(elements));
  }
  if (!plain && internal::QuicklistExceedsLimit(limits.fill, node.total_bytes(), node.size())) {
    for (uint32_t p = node.First(); p != Listpack::kNone; p = node.Next(p)) {
      char scratch[24];
      quicklist_->PushTail(node.Get(p).Text(scratch));
    }
    return;
  }
  quicklist_->AppendListpack(std::move(node), plain);
}

void ListValue::FinishLoad(const ListLimits& limits) {
  if (!quicklist_) return;
  size_t bytes_max;
  uint64_t count_max;
  internal::QuicklistNodeLimit(limits.fill, &bytes_max, &count_max);
  if (quicklist_->TakeSingleListpack(bytes_max, count_max, &listpack_)) quicklist_.reset();
}

void ListValue::TryShrink(const ListLimits& limits) {
  if (!quicklist_) return;
  size_t bytes_max;
  uint64_t count_max;
  internal::QuicklistNodeLimit(limits.fill, &bytes_max, &count_max);
  if (quicklist_->TakeSingleListpack(bytes_max / 2, count_max / 2, &listpack_)) {
    quicklist_.reset();
  }
}

void ListValue::Push(std::string_view element, ListEnd end) {
  if (quicklist_) {
    if (end == ListEnd::kHead) {
      quicklist_->PushHead(element);
    } else {
      quicklist_->PushTail(element);
    }
  } else if (end == ListEnd::kHead) {
    listpack_.Prepend(element);
  } else {
    listpack_.Append(element);
  }
}

bool ListValue::Replace(int64_t index, std::string_view element) {
  if (quicklist_) return quicklist_->Replace(index, element);
  uint32_t position = listpack_.Seek(index);
  if (position == Listpack::kNone) return false;
  listpack_.Replace(position, element);
  return true;
}

bool ListValue::InsertAtPivot(std::string_view pivot, std::string_view element, bool after) {
  if (quicklist_) return quicklist_->InsertAtPivot(pivot, element, after);
  ListElementMatcher matcher(pivot);
  for (uint32_t position = listpack_.First(); position != Listpack::kNone;
       position = listpack_.Next(position)) {
    if (!matcher.Matches(listpack_.Get(position))) continue;
    if (after) {
      listpack_.InsertAfter(position, element);
    } else {
      listpack_.InsertBefore(position, element);
    }
    return true;
  }
  return false;
}

size_t ListValue::Remove(std::string_view element, size_t limit, bool from_tail) {
  if (quicklist_) return quicklist_->Remove(element, limit, from_tail);
  ListElementMatcher matcher(element);
  size_t removed = 0;
  uint32_t position = from_tail ? listpack_.Last() : listpack_.First();
  while (position != Listpack::kNone) {
    if (!matcher.Matches(listpack_.Get(position))) {
      position = from_tail ? listpack_.Prev(position) : listpack_.Next(position);
      continue;
    }
    // Elements before a deleted one keep their positions; the next one takes its place.
    uint32_t previous = from_tail ? listpack_.Prev(position) : Listpack::kNone;
    uint32_t next = listpack_.Delete(position);
    removed++;
    if (limit != 0 && removed == limit) break;
    position = from_tail ? previous : next;
  }
  return removed;
}

void ListValue::DeleteRange(int64_t start, size_t count) {
  if (count == 0) return;
  if (quicklist_) {
    quicklist_->DeleteRange(start, static_cast<int64_t>(std::min<size_t>(count, INT64_MAX)));
    return;
  }
  listpack_.DeleteRange(listpack_.Seek(start), count);
}

void ListValue::VisitRaw(int64_t index, bool reverse, void* context,
                         bool (*fn)(void* context, const ListpackValue& value)) const {
  if (quicklist_) {
    quicklist_->Visit(index, reverse, context, fn);
    return;
  }
  uint32_t position = listpack_.Seek(index);
  while (position != Listpack::kNone) {
    if (!fn(context, listpack_.Get(position))) return;
    position = reverse ? listpack_.Prev(position) : listpack_.Next(position);
  }
}

}  // namespace ringdb::store
