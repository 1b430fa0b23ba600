// ListValue: both encodings against a std::deque model, the conversions between them, and
// the quicklist's node rules (fill by count and by bytes, plain nodes, compression).
#include <doctest/doctest.h>

#include <algorithm>
#include <cstdint>
#include <deque>
#include <random>
#include <string>
#include <vector>

#include "ringdb/store/list_value.h"

using ringdb::store::Encoding;
using ringdb::store::ListEnd;
using ringdb::store::ListLimits;
using ringdb::store::ListpackValue;
using ringdb::store::ListValue;

namespace {

std::vector<std::string> Elements(const ListValue& list) {
  std::vector<std::string> out;
  list.Visit(0, false, [&](const ListpackValue& value) {
    out.push_back(value.ToString());
    return true;
  });
  return out;
}

std::vector<std::string> Reversed(const ListValue& list) {
  std::vector<std::string> out;
  list.Visit(-1, true, [&](const ListpackValue& value) {
    out.insert(out.begin(), value.ToString());
    return true;
  });
  return out;
}

void Push(ListValue& list, const std::string& element, ListEnd end, const ListLimits& limits) {
  list.PrepareGrowth(element.size(), 1, limits);
  list.Push(element, end);
}

// Mirrors LREM on the model.
size_t ModelRemove(std::deque<std::string>& model, const std::string& element, size_t limit,
                   bool from_tail) {
  size_t removed = 0;
  if (!from_tail) {
    for (auto it = model.begin(); it != model.end();) {
      if (*it == element && (limit == 0 || removed < limit)) {
        it = model.erase(it);
        removed++;
      } else {
        ++it;
      }
    }
  } else {
    for (size_t i = model.size(); i-- > 0;) {
      if (model[i] == element && (limit == 0 || removed < limit)) {
        model.erase(model.begin() + static_cast<long>(i));
        removed++;
      }
    }
  }
  return removed;
}

std::string RandomElement(std::mt19937_64& rng, size_t big_bytes) {
  switch (rng() % 8) {
    case 0:
      return std::to_string(static_cast<int64_t>(rng() % 2000) - 1000);
    case 1:
      return std::to_string(static_cast<int64_t>(rng()));
    case 2:
      return std::string(1 + rng() % 3, static_cast<char>('a' + rng() % 3));
    case 3:
      return std::string(big_bytes + rng() % 64, 'B');  // Past the node limit: a plain node.
    case 4:
      return std::string("\0\r\n\xff", 4);
    case 5:
      return "007";  // Not canonical: stays a string.
    default:
      return std::string(rng() % 40, static_cast<char>('a' + rng() % 26));
  }
}

void CheckEqual(const ListValue& list, const std::deque<std::string>& model) {
  std::vector<std::string> expected(model.begin(), model.end());
  REQUIRE(list.size() == model.size());
  REQUIRE(Elements(list) == expected);
  REQUIRE(Reversed(list) == expected);
}

}  // namespace

TEST_CASE("a new list is a listpack and reads back both ways") {
  ListValue list;
  ListLimits limits;
  CHECK(list.encoding() == Encoding::kListpack);
  Push(list, "b", ListEnd::kTail, limits);
  Push(list, "a", ListEnd::kHead, limits);
  Push(list, "12", ListEnd::kTail, limits);
  CHECK(Elements(list) == std::vector<std::string>{"a", "b", "12"});
  CHECK(Reversed(list) == std::vector<std::string>{"a", "b", "12"});
  CHECK(list.encoding() == Encoding::kListpack);
}

TEST_CASE("a list converts to a quicklist past the entry limit and back below half of it") {
  ListLimits limits{4, 0};
  ListValue list;
  for (int i = 0; i < 4; i++) Push(list, std::to_string(i), ListEnd::kTail, limits);
  CHECK(list.encoding() == Encoding::kListpack);
  Push(list, "4", ListEnd::kTail, limits);
  CHECK(list.encoding() == Encoding::kQuicklist);
  CHECK(list.node_count() == 2);  // The old listpack and a node for the new element.
  // One node of 3 > 4/2: stays a quicklist.
  list.DeleteRange(-1, 1);
  list.DeleteRange(0, 1);
  list.TryShrink(limits);
  CHECK(list.encoding() == Encoding::kQuicklist);
  list.DeleteRange(0, 1);
  list.TryShrink(limits);
  CHECK(list.encoding() == Encoding::kListpack);
  CHECK(Elements(list) == std::vector<std::string>{"2", "3"});
}

TEST_CASE(
    "a list converts to a quicklist past the byte limit, and a big element gets its own node") {
  ListLimits limits{-1, 0};  // 4 KiB nodes.
  ListValue list;
  Push(list, std::string(100, 'x'), ListEnd::kTail, limits);
  CHECK(list.encoding() == Encoding::kListpack);
  Push(list, std::string(5000, 'y'), ListEnd::kTail, limits);
  CHECK(list.encoding() == Encoding::kQuicklist);
  CHECK(list.node_count() == 2);
  // A plain node never turns back into a listpack, even when it is the only one.
  list.DeleteRange(0, 1);
  list.TryShrink(limits);
  CHECK(list.encoding() == Encoding::kQuicklist);
  CHECK(list.size() == 1);
  // Replacing the big element with a small one moves it into a packed node.
  CHECK(list.Replace(0, "small"));
  list.TryShrink(limits);
  CHECK(list.encoding() == Encoding::kListpack);
  CHECK(Elements(list) == std::vector<std::string>{"small"});
}

TEST_CASE("a count-limited quicklist fills nodes to the count and splits on insert") {
  ListLimits limits{3, 0};
  ListValue list;
  for (int i = 0; i < 9; i++) Push(list, std::to_string(i), ListEnd::kTail, limits);
  CHECK(list.encoding() == Encoding::kQuicklist);
  CHECK(list.node_count() == 3);
  // Inserting into a full middle node splits it.
  CHECK(list.InsertAtPivot("4", "x", true));
  CHECK(Elements(list) ==
        std::vector<std::string>{"0", "1", "2", "3", "4", "x", "5", "6", "7", "8"});
  CHECK(list.node_count() == 4);
  CHECK_FALSE(list.InsertAtPivot("nope", "y", false));
  CHECK(list.Remove("x", 0, false) == 1);
  CHECK(list.size() == 9);
}

TEST_CASE("compressed nodes read and change like raw ones") {
  ListLimits limits{8, 1};
  ListValue list;
  std::deque<std::string> model;
  for (int i = 0; i < 200; i++) {
    std::string element = "element-" + std::to_string(i) + std::string(20, 'z');
    Push(list, element, ListEnd::kTail, limits);
    model.push_back(element);
  }
  CHECK(list.node_count() > 10);
  CheckEqual(list, model);
  CHECK(list.Replace(100, "replaced"));
  model[100] = "replaced";
  CHECK(list.InsertAtPivot("element-50zzzzzzzzzzzzzzzzzzzz", "inserted", false));
  model.insert(model.begin() + 50, "inserted");
  list.DeleteRange(30, 40);
  model.erase(model.begin() + 30, model.begin() + 70);
  CheckEqual(list, model);
  ListValue copy(list);
  CheckEqual(copy, model);
  CHECK(list.MemoryUsage(0) > 0);
}

// Thousands of random operations on both encodings, with small limits so that conversions
// and node splits, merges and plain nodes happen all the time.
TEST_CASE("random operations match a deque model across encodings and limits") {
  const ListLimits configurations[] = {{2, 0}, {5, 1}, {-1, 0}, {-2, 2}, {1, 0}, {128, 3}};
  for (const ListLimits& limits : configurations) {
    uint64_t seed = 0x11575eed + static_cast<uint64_t>(limits.fill * 31 + limits.compress_depth);
    INFO("seed " << seed << " fill " << limits.fill << " depth " << limits.compress_depth);
    std::mt19937_64 rng(seed);
    size_t big_bytes = limits.fill < 0 ? 4200 : 8300;
    ListValue list;
    std::deque<std::string> model;
    bool saw_quicklist = false;
    bool saw_shrink = false;
    for (int step = 0; step < 3000; step++) {
      INFO("step " << step);
      int64_t length = static_cast<int64_t>(model.size());
      int64_t index = length == 0 ? 0 : static_cast<int64_t>(rng() % (2 * length)) - length;
      switch (rng() % 10) {
        case 0:
        case 1: {
          std::string element = RandomElement(rng, big_bytes);
          bool head = rng() % 2 == 0;
          Push(list, element, head ? ListEnd::kHead : ListEnd::kTail, limits);
          if (head) {
            model.push_front(element);
          } else {
            model.push_back(element);
          }
          break;
        }
        case 2: {
          std::string element = RandomElement(rng, big_bytes);
          list.PrepareGrowth(element.size(), 1, limits);
          bool replaced = list.Replace(index, element);
          REQUIRE(replaced == (length > 0));
          if (replaced) model[static_cast<size_t>(index < 0 ? index + length : index)] = element;
          list.TryShrink(limits);
          break;
        }
        case 3: {
          if (length == 0) break;
          std::string pivot = model[static_cast<size_t>(rng() % model.size())];
          std::string element = RandomElement(rng, big_bytes);
          bool after = rng() % 2 == 0;
          list.PrepareGrowth(element.size(), 1, limits);
          REQUIRE(list.InsertAtPivot(pivot, element, after));
          auto it = std::find(model.begin(), model.end(), pivot);
          model.insert(after ? it + 1 : it, element);
          break;
        }
        case 4: {
          if (length == 0) break;
          std::string element = model[static_cast<size_t>(rng() % model.size())];
          size_t limit = rng() % 3;
          bool from_tail = rng() % 2 == 0;
          size_t expected = ModelRemove(model, element, limit, from_tail);
          REQUIRE(list.Remove(element, limit, from_tail) == expected);
          list.TryShrink(limits);
          break;
        }
        case 5:
        case 6: {
          if (length == 0) break;
          size_t count = 1 + rng() % 4;
          bool head = rng() % 2 == 0;
          size_t popped = std::min<size_t>(count, model.size());
          list.DeleteRange(head ? 0 : -static_cast<int64_t>(popped), popped);
          for (size_t i = 0; i < popped; i++) {
            if (head) {
              model.pop_front();
            } else {
              model.pop_back();
            }
          }
          list.TryShrink(limits);
          break;
        }
        case 7: {
          if (length < 4) break;
          int64_t start = static_cast<int64_t>(rng() % static_cast<uint64_t>(length / 2));
          size_t count = rng() % static_cast<uint64_t>(length - start);
          list.DeleteRange(start, count);
          model.erase(model.begin() + start, model.begin() + start + static_cast<long>(count));
          list.TryShrink(limits);
          break;
        }
        default: {
          std::string got;
          bool found = false;
          list.Visit(index, false, [&](const ListpackValue& value) {
            got = value.ToString();
            found = true;
            return false;
          });
          REQUIRE(found == (length > 0));
          if (found) REQUIRE(got == model[static_cast<size_t>(index < 0 ? index + length : index)]);
          break;
        }
      }
      if (list.encoding() == Encoding::kQuicklist) saw_quicklist = true;
      if (saw_quicklist && list.encoding() == Encoding::kListpack) saw_shrink = true;
      REQUIRE(list.size() == model.size());
      if (step % 50 == 0) CheckEqual(list, model);
    }
    CheckEqual(list, model);
    CHECK(saw_quicklist);
    if (limits.fill != 1) CHECK(saw_shrink);
  }
}

TEST_CASE("a big list costs its elements' listpack bytes plus a small per-node overhead") {
  ListLimits limits;  // 8 KiB nodes.
  ListValue list;
  size_t element_bytes = 0;
  for (int i = 0; i < 200000; i++) {
    std::string element = std::to_string(i);
    element_bytes += ringdb::store::ListpackElementBytes(element);
    Push(list, element, ListEnd::kTail, limits);
  }
  REQUIRE(list.encoding() == Encoding::kQuicklist);
  size_t nodes = list.node_count();
  // Nodes are filled to about 8 KiB; each costs a 32-byte node, a 7-byte listpack header and
  // terminator, and allocator rounding.
  CHECK(nodes <= element_bytes / 8000 + 2);
  CHECK(list.MemoryUsage(0) <= element_bytes + nodes * (32 + 7 + 1024) + 1024);
  CHECK(list.MemoryUsage(0) >= element_bytes);
}
