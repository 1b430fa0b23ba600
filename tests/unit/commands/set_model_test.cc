// A randomized model-based test of the set family: thousands of random commands over a few
// keys, each checked against std::set models and a model of Redis 7.2's encoding rules, with
// small thresholds so the intset/listpack/hashtable conversions happen often, by count and by
// member length.
#include <doctest/doctest.h>

#include <algorithm>
#include <map>
#include <optional>
#include <random>
#include <set>
#include <string>
#include <vector>

#include "reply_parsing.h"
#include "ringdb/base/strings.h"
#include "ringdb/testing/command_runner.h"
#include "string_test_util.h"

using namespace ringdb::testing;

namespace {

constexpr size_t kIntsetMax = 6;
constexpr size_t kListpackMax = 5;
constexpr size_t kValueMax = 8;

using Members = std::set<std::string>;

bool IsInteger(const std::string& text) {
  return text.size() <= 20 && ringdb::ParseInt64(text).has_value();
}

std::vector<std::string> Items(const std::string& reply) {
  size_t offset = 0;
  std::vector<std::string> items = ReadBulkArray(reply, &offset);
  REQUIRE(offset == reply.size());
  return items;
}

// Redis 7.2's encoding transitions for adding one new member (setTypeAddAux).
std::string EncodingAfterAdd(const std::string& encoding, const Members& before,
                             const std::string& member) {
  if (encoding == "intset") {
    if (IsInteger(member)) return before.size() + 1 > kIntsetMax ? "hashtable" : "intset";
    size_t longest = 0;
    for (const std::string& existing : before) longest = std::max(longest, existing.size());
    return before.size() < kListpackMax && member.size() <= kValueMax && longest <= kValueMax
               ? "listpack"
               : "hashtable";
  }
  if (encoding == "listpack") {
    return before.size() < kListpackMax && member.size() <= kValueMax ? "listpack" : "hashtable";
  }
  return "hashtable";
}

class SetModel {
 public:
  explicit SetModel(uint64_t seed) : rng_(seed) {
    runner_.limits().encodings.set_max_intset_entries = kIntsetMax;
    runner_.limits().encodings.set_max_listpack_entries = kListpackMax;
    runner_.limits().encodings.set_max_listpack_value = kValueMax;
  }

  void Step() {
    switch (rng_() % 12) {
      case 0:
      case 1:
      case 2:
        Add();
        break;
      case 3:
        Remove();
        break;
      case 4:
        Move();
        break;
      case 5:
        Pop();
        break;
      case 6:
        RandomMember();
        break;
      case 7:
      case 8:
        Algebra();
        break;
      case 9:
        Scan();
        break;
      default:
        Query();
        break;
    }
  }

  void CheckAll() {
    for (const std::string& key : keys_) CheckKey(key);
  }

 private:
  std::string Key() { return keys_[rng_() % keys_.size()]; }

  std::string Member() {
    switch (rng_() % 6) {
      case 0:
        return std::to_string(static_cast<int>(rng_() % 12) - 3);
      case 1:
        return std::to_string(static_cast<int64_t>(rng_()));  // Longer than the value limit.
      case 2:
        return std::string(1, static_cast<char>('a' + rng_() % 8));
      case 3:
        return std::string(kValueMax + rng_() % 2, static_cast<char>('p' + rng_() % 3));
      case 4:
        return std::vector<std::string>{
            "007", "-0", std::string("\0", 1), "\r\n", "", " 1"}[rng_() % 6];
      default:
        return std::to_string(rng_() % 4);
    }
  }

  std::vector<std::string> SomeMembers(size_t low, size_t high) {
    std::vector<std::string> members;
    size_t count = low + rng_() % (high - low + 1);
    for (size_t i = 0; i < count; i++) members.push_back(Member());
    return members;
  }

  void Add() {
    std::string key = Key();
    std::vector<std::string> members = SomeMembers(1, 8);
    std::vector<std::string> argv = {"SADD", key};
    argv.insert(argv.end(), members.begin(), members.end());
    Members& set = sets_[key];
    std::string& encoding = encodings_[key];
    if (set.empty()) {
      bool integer = IsInteger(members[0]);
      encoding = integer && members.size() <= kIntsetMax ? "intset"
                 : members.size() <= kListpackMax        ? "listpack"
                                                         : "hashtable";
    } else if ((encoding == "listpack" && members.size() > kListpackMax) ||
               (encoding == "intset" && members.size() > kIntsetMax)) {
      encoding = "hashtable";
    }
    int64_t added = 0;
    for (const std::string& member : members) {
      if (set.count(member)) continue;
      encoding = EncodingAfterAdd(encoding, set, member);
      set.insert(member);
      added++;
    }
    REQUIRE(runner_.Run(argv) == Integer(added));
    CheckKey(key);
  }

  void Remove() {
    std::string key = Key();
    std::vector<std::string> members = SomeMembers(1, 4);
    std::vector<std::string> argv = {"SREM", key};
    argv.insert(argv.end(), members.begin(), members.end());
    int64_t removed = 0;
    for (const std::string& member : members) removed += sets_[key].erase(member);
    REQUIRE(runner_.Run(argv) == Integer(removed));
    CheckKey(key);
  }

  void Move() {
    std::string source = Key();
    std::string target = Key();
    // Pick a present member half of the time.
    std::string member = Member();
    if (!sets_[source].empty() && rng_() % 2 == 0) member = *sets_[source].begin();
    bool moved = sets_[source].count(member) == 1;
    if (moved && source != target) {
      sets_[source].erase(member);
      Members& destination = sets_[target];
      if (destination.empty()) {
        encodings_[target] = IsInteger(member) ? "intset" : "listpack";
      }
      if (!destination.count(member)) {
        encodings_[target] = EncodingAfterAdd(encodings_[target], destination, member);
        destination.insert(member);
      }
    }
    REQUIRE(runner_.Run({"SMOVE", source, target, member}) == Integer(moved ? 1 : 0));
    CheckKey(source);
    CheckKey(target);
  }

  void Pop() {
    std::string key = Key();
    Members& set = sets_[key];
    if (rng_() % 3 == 0) {
      std::string reply = runner_.Run({"SPOP", key});
      if (set.empty()) {
        REQUIRE(reply == kNil);
        return;
      }
      std::string member = reply.substr(reply.find("\r\n") + 2);
      member.resize(member.size() - 2);
      REQUIRE(set.erase(member) == 1);
    } else {
      size_t count = rng_() % 10;
      std::vector<std::string> popped = Items(runner_.Run({"SPOP", key, std::to_string(count)}));
      REQUIRE(popped.size() == std::min(count, set.size()));
      for (const std::string& member : popped) REQUIRE(set.erase(member) == 1);
    }
    // Keeping the rest may have rebuilt the set in a smaller encoding: follow it.
    encodings_[key] = EncodingOf(runner_, key);
    CheckKey(key);
  }

  void RandomMember() {
    std::string key = Key();
    const Members& set = sets_[key];
    int64_t count = static_cast<int64_t>(rng_() % 16) - 8;
    std::vector<std::string> picked =
        Items(runner_.Run({"SRANDMEMBER", key, std::to_string(count)}));
    size_t expected = set.empty()  ? 0
                      : count >= 0 ? std::min<size_t>(static_cast<size_t>(count), set.size())
                                   : static_cast<size_t>(-count);
    REQUIRE(picked.size() == expected);
    for (const std::string& member : picked) REQUIRE(set.count(member) == 1);
    if (count > 0) {
      REQUIRE(std::set<std::string>(picked.begin(), picked.end()).size() == picked.size());
    }
  }

  Members Combine(const std::string& op, const std::vector<std::string>& keys) {
    Members result = sets_[keys[0]];
    for (size_t i = 1; i < keys.size(); i++) {
      const Members& other = sets_[keys[i]];
      Members next;
      if (op == "inter") {
        std::set_intersection(result.begin(), result.end(), other.begin(), other.end(),
                              std::inserter(next, next.end()));
      } else if (op == "union") {
        std::set_union(result.begin(), result.end(), other.begin(), other.end(),
                       std::inserter(next, next.end()));
      } else {
        std::set_difference(result.begin(), result.end(), other.begin(), other.end(),
                            std::inserter(next, next.end()));
      }
      result = std::move(next);
    }
    return result;
  }

  void Algebra() {
    std::vector<std::string> keys;
    for (size_t i = 0, n = 1 + rng_() % 3; i < n; i++) keys.push_back(Key());
    std::string op = std::vector<std::string>{"inter", "union", "diff"}[rng_() % 3];
    Members expected = Combine(op, keys);
    std::string name = op == "inter" ? "SINTER" : op == "union" ? "SUNION" : "SDIFF";
    if (rng_() % 2 == 0) {
      std::vector<std::string> argv = {name};
      argv.insert(argv.end(), keys.begin(), keys.end());
      std::vector<std::string> items = Items(runner_.Run(argv));
      REQUIRE(Members(items.begin(), items.end()) == expected);
      REQUIRE(items.size() == expected.size());
      if (op == "inter") {
        std::vector<std::string> card = {"SINTERCARD", std::to_string(keys.size())};
        card.insert(card.end(), keys.begin(), keys.end());
        REQUIRE(runner_.Run(card) == Integer(static_cast<int64_t>(expected.size())));
      }
      return;
    }
    std::string target = Key();
    std::vector<std::string> argv = {name + "STORE", target};
    argv.insert(argv.end(), keys.begin(), keys.end());
    REQUIRE(runner_.Run(argv) == Integer(static_cast<int64_t>(expected.size())));
    sets_[target] = expected;
    encodings_[target] = EncodingOf(runner_, target);
    if (!expected.empty()) {
      bool all_integers = std::all_of(expected.begin(), expected.end(),
                                      [](const std::string& m) { return IsInteger(m); });
      // Every store command ends with an intset when the result is one that fits.
      if (all_integers && expected.size() <= kIntsetMax) REQUIRE(encodings_[target] == "intset");
      if (expected.size() > std::max(kIntsetMax, kListpackMax)) {
        REQUIRE(encodings_[target] == "hashtable");
      }
    }
    CheckKey(target);
  }

  void Scan() {
    std::string key = Key();
    Members seen;
    std::string cursor = "0";
    int calls = 0;
    do {
      ScanPage page = ParseScanReply(runner_.Run({"SSCAN", key, cursor, "COUNT", "2"}));
      seen.insert(page.keys.begin(), page.keys.end());
      cursor = page.cursor;
      REQUIRE(++calls < 1000);
    } while (cursor != "0");
    REQUIRE(seen == sets_[key]);
  }

  void Query() {
    std::string key = Key();
    std::string member = Member();
    REQUIRE(runner_.Run({"SISMEMBER", key, member}) == Integer(sets_[key].count(member)));
    REQUIRE(runner_.Run({"SCARD", key}) == Integer(static_cast<int64_t>(sets_[key].size())));
  }

  void CheckKey(const std::string& key) {
    const Members& set = sets_[key];
    if (set.empty()) {
      REQUIRE(runner_.Run({"EXISTS", key}) == Integer(0));
      return;
    }
    REQUIRE(EncodingOf(runner_, key) == encodings_[key]);
    std::vector<std::string> items = Items(runner_.Run({"SMEMBERS", key}));
    if (encodings_[key] == "intset") {
      // Ascending numeric order, exactly as Redis replies.
      std::vector<int64_t> numbers;
      for (const std::string& item : items) numbers.push_back(std::stoll(item));
      REQUIRE(std::is_sorted(numbers.begin(), numbers.end()));
    }
    REQUIRE(Members(items.begin(), items.end()) == set);
    REQUIRE(items.size() == set.size());
  }

  std::mt19937_64 rng_;
  CommandRunner runner_;
  std::vector<std::string> keys_ = {"a", "b", "c", std::string("k\0", 2)};
  std::map<std::string, Members> sets_;
  std::map<std::string, std::string> encodings_;
};

}  // namespace

TEST_CASE("Set commands match a std::set model and Redis's encoding rules over random steps") {
  for (uint64_t seed : {1u, 2u, 3u, 4u}) {
    INFO("seed " << seed);
    SetModel model(seed);
    for (int step = 0; step < 4000; step++) {
      CAPTURE(step);
      model.Step();
    }
    model.CheckAll();
  }
}
