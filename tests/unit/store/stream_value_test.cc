// StreamValue: Redis's node bytes, ID rules, iteration both ways, deletion and trimming, the
// consumer group bookkeeping, and a randomized comparison with a std::map model that crosses
// node boundaries (by entry count and by bytes) all the time.
#include "ringdb/store/stream_value.h"

#include <doctest/doctest.h>

#include <algorithm>
#include <map>
#include <memory>
#include <random>
#include <string>
#include <utility>
#include <vector>

using ringdb::store::Listpack;
using ringdb::store::ListpackValue;
using ringdb::store::StreamGroup;
using ringdb::store::StreamId;
using ringdb::store::StreamValue;

namespace {

using Fields = std::vector<std::pair<std::string, std::string>>;

std::string FromHex(std::string_view hex) {
  std::string out;
  for (size_t i = 0; i + 1 < hex.size(); i += 2) {
    out.push_back(static_cast<char>(std::stoi(std::string(hex.substr(i, 2)), nullptr, 16)));
  }
  return out;
}

StreamValue::AppendStatus Add(StreamValue& stream, std::optional<StreamId> id, const Fields& fields,
                              StreamValue::NodeLimits limits = {}, StreamId* added = nullptr,
                              bool seq_given = true, int64_t now_ms = 1000) {
  std::vector<std::string_view> flat;
  for (const auto& [field, value] : fields) {
    flat.push_back(field);
    flat.push_back(value);
  }
  StreamId ignored;
  return stream.Append(flat, id, seq_given, now_ms, limits, added != nullptr ? added : &ignored);
}

// Every entry in [start, end] with its fields, in the iteration's order.
std::vector<std::pair<StreamId, Fields>> Read(const StreamValue& stream, StreamId start,
                                              StreamId end, bool reverse) {
  std::vector<std::pair<StreamId, Fields>> out;
  StreamValue::Iterator it(stream, start, end, reverse);
  StreamId id;
  int64_t count;
  char a[24];
  char b[24];
  while (it.Next(&id, &count)) {
    Fields fields;
    for (int64_t i = 0; i < count; i++) {
      ListpackValue field;
      ListpackValue value;
      it.NextField(&field, &value);
      fields.emplace_back(std::string(field.Text(a)), std::string(value.Text(b)));
    }
    out.emplace_back(id, std::move(fields));
  }
  return out;
}

// Node invariants: master IDs ascending, each node's counts add up to the stream's length.
void CheckNodes(const StreamValue& stream, const StreamValue::NodeLimits& limits) {
  int64_t live = 0;
  for (size_t i = 0; i < stream.nodes().size(); i++) {
    const StreamValue::Node& node = stream.nodes()[i];
    if (i > 0) REQUIRE(stream.nodes()[i - 1].master_id < node.master_id);
    REQUIRE(Listpack::Validate(node.listpack.bytes()));
    uint32_t first = node.listpack.First();
    int64_t count = ringdb::store::ListpackInteger(node.listpack.Get(first));
    int64_t deleted = ringdb::store::ListpackInteger(node.listpack.Get(node.listpack.Next(first)));
    REQUIRE(count >= 0);
    if (limits.max_entries > 0) REQUIRE(count + deleted <= limits.max_entries);
    live += count;
  }
  REQUIRE(static_cast<uint64_t>(live) == stream.length());
}

}  // namespace

TEST_CASE("a stream node holds Redis's exact listpack bytes, tombstones included") {
  // redis-server 7.0.15, default node limits: XADD s 1-1 a 1 b hello; XADD s 1-2 a 2 b "x y";
  // XADD s 2-0 c -300; XADD s 5-7 a 99999999999 b ""; XDEL s 1-2; the node's listpack from
  // DUMP s (rdbcompression no).
  const std::string redis = FromHex(
      "5a0000001f00030101010201816102816202000102010001000101018568656c6c6f0605010301000101"
      "0102018378207904050100010101dfff020101816302ded4020601020104010601f4ffe776481700000009"
      "80010501ff");
  StreamValue stream;
  REQUIRE(Add(stream, StreamId{1, 1}, {{"a", "1"}, {"b", "hello"}}) ==
          StreamValue::AppendStatus::kOk);
  REQUIRE(Add(stream, StreamId{1, 2}, {{"a", "2"}, {"b", "x y"}}) ==
          StreamValue::AppendStatus::kOk);
  REQUIRE(Add(stream, StreamId{2, 0}, {{"c", "-300"}}) == StreamValue::AppendStatus::kOk);
  REQUIRE(Add(stream, StreamId{5, 7}, {{"a", "99999999999"}, {"b", ""}}) ==
          StreamValue::AppendStatus::kOk);
  REQUIRE(stream.Delete(StreamId{1, 2}));
  REQUIRE(stream.nodes().size() == 1);
  CHECK(stream.nodes()[0].master_id == StreamId{1, 1});
  CHECK(stream.nodes()[0].listpack.bytes() == redis);
  CHECK(stream.length() == 3);
  CHECK(stream.max_deleted_id() == StreamId{1, 2});
  CHECK(stream.entries_added() == 4);
  CHECK(stream.RadixTreeNodes() == 2);
}

TEST_CASE("stream IDs refuse to go backwards and ms-* continues the millisecond") {
  StreamValue stream;
  StreamId id;
  CHECK(Add(stream, StreamId{5, 3}, {{"f", "v"}}, {}, &id) == StreamValue::AppendStatus::kOk);
  CHECK(Add(stream, StreamId{5, 3}, {{"f", "v"}}) == StreamValue::AppendStatus::kIdTooSmall);
  CHECK(Add(stream, StreamId{4, 9}, {{"f", "v"}}) == StreamValue::AppendStatus::kIdTooSmall);
  // ms-* in the same millisecond: seq + 1; in a later one: seq 0; in an earlier one: refused.
  CHECK(Add(stream, StreamId{5, 0}, {{"f", "v"}}, {}, &id, false) ==
        StreamValue::AppendStatus::kOk);
  CHECK(id == StreamId{5, 4});
  CHECK(Add(stream, StreamId{8, 0}, {{"f", "v"}}, {}, &id, false) ==
        StreamValue::AppendStatus::kOk);
  CHECK(id == StreamId{8, 0});
  CHECK(Add(stream, StreamId{7, 0}, {{"f", "v"}}, {}, &id, false) ==
        StreamValue::AppendStatus::kIdTooSmall);
  // Automatic IDs: the clock when it is ahead, else the last ID plus one.
  CHECK(Add(stream, std::nullopt, {{"f", "v"}}, {}, &id, true, 100) ==
        StreamValue::AppendStatus::kOk);
  CHECK(id == StreamId{100, 0});
  CHECK(Add(stream, std::nullopt, {{"f", "v"}}, {}, &id, true, 50) ==
        StreamValue::AppendStatus::kOk);
  CHECK(id == StreamId{100, 1});
  // At the very top no ID is left.
  stream.set_last_id(StreamId{UINT64_MAX, UINT64_MAX - 1});
  CHECK(Add(stream, std::nullopt, {{"f", "v"}}, {}, &id) == StreamValue::AppendStatus::kOk);
  CHECK(id == StreamId::Max());
  CHECK(Add(stream, std::nullopt, {{"f", "v"}}) == StreamValue::AppendStatus::kIdTooSmall);
}

TEST_CASE("stream ID text, increment and decrement wrap at the ends") {
  CHECK(StreamId{0, 0}.ToString() == "0-0");
  CHECK(StreamId::Max().ToString() == "18446744073709551615-18446744073709551615");
  StreamId id{3, UINT64_MAX};
  CHECK(id.Increment());
  CHECK(id == StreamId{4, 0});
  CHECK(id.Decrement());
  CHECK(id == StreamId{3, UINT64_MAX});
  StreamId top = StreamId::Max();
  CHECK_FALSE(top.Increment());
  CHECK(top == StreamId{0, 0});
  CHECK_FALSE(top.Decrement());
  CHECK(top == StreamId::Max());
}

TEST_CASE("nodes close at stream-node-max-entries and stream-node-max-bytes, as Redis's do") {
  SUBCASE("entries") {
    StreamValue stream;
    StreamValue::NodeLimits limits{0, 3};
    for (uint64_t i = 1; i <= 10; i++) Add(stream, StreamId{i, 0}, {{"f", "v"}}, limits);
    CHECK(stream.node_count() == 4);
    CHECK(stream.nodes()[1].master_id == StreamId{4, 0});
    // Tombstones keep their room: a deleted entry still counts toward the limit.
    Add(stream, StreamId{11, 0}, {{"f", "v"}}, limits);
    stream.Delete(StreamId{11, 0});
    Add(stream, StreamId{12, 0}, {{"f", "v"}}, limits);
    CHECK(stream.node_count() == 4);
    Add(stream, StreamId{13, 0}, {{"f", "v"}}, limits);
    CHECK(stream.node_count() == 5);
    CheckNodes(stream, limits);
  }
  SUBCASE("bytes, counting the new entry's fields and values") {
    StreamValue stream;
    StreamValue::NodeLimits limits{40, 0};
    Add(stream, StreamId{1, 0}, {{"f", "v"}}, limits);
    size_t bytes = stream.nodes()[0].listpack.total_bytes();
    // A value that brings bytes + element bytes to the limit opens a new node.
    std::string value(40 - bytes - 1, 'x');
    Add(stream, StreamId{2, 0}, {{"f", value}}, limits);
    CHECK(stream.node_count() == 2);
    Add(stream, StreamId{3, 0}, {{"f", std::string(40, 'y')}}, limits);
    CHECK(stream.node_count() == 3);
  }
  SUBCASE("no limits") {
    StreamValue stream;
    StreamValue::NodeLimits limits{0, 0};
    for (uint64_t i = 1; i <= 500; i++) Add(stream, StreamId{i, 0}, {{"f", "v"}}, limits);
    CHECK(stream.node_count() == 1);
  }
}

TEST_CASE("binary fields and values round-trip, in fields shared with the master or not") {
  StreamValue stream;
  std::string binary("a\0b\r\n\xff\x80", 7);
  Add(stream, StreamId{1, 0}, {{binary, "1"}, {"x", binary}});
  Add(stream, StreamId{2, 0}, {{binary, "-9223372036854775808"}, {"x", "007"}});
  Add(stream, StreamId{3, 0}, {{"other", binary}});
  auto entries = Read(stream, StreamId{}, StreamId::Max(), false);
  REQUIRE(entries.size() == 3);
  CHECK(entries[0].second == Fields{{binary, "1"}, {"x", binary}});
  CHECK(entries[1].second == Fields{{binary, "-9223372036854775808"}, {"x", "007"}});
  CHECK(entries[2].second == Fields{{"other", binary}});
  auto reversed = Read(stream, StreamId{}, StreamId::Max(), true);
  REQUIRE(reversed.size() == 3);
  CHECK(reversed[0].first == StreamId{3, 0});
  CHECK(reversed[2].second == entries[0].second);
}

TEST_CASE("deleting the last live entry of a node drops the node") {
  StreamValue stream;
  StreamValue::NodeLimits limits{0, 2};
  for (uint64_t i = 1; i <= 4; i++) Add(stream, StreamId{i, 0}, {{"f", "v"}}, limits);
  REQUIRE(stream.node_count() == 2);
  CHECK(stream.Delete(StreamId{1, 0}));
  CHECK_FALSE(stream.Delete(StreamId{1, 0}));
  CHECK(stream.node_count() == 2);
  CHECK(stream.Delete(StreamId{2, 0}));
  CHECK(stream.node_count() == 1);
  stream.RecomputeFirstId();
  CHECK(stream.first_id() == StreamId{3, 0});
  CHECK(stream.EdgeId(false, true) == StreamId{4, 0});
}

TEST_CASE("trimming removes whole nodes first and tombstones inside one when exact") {
  StreamValue::NodeLimits limits{0, 4};
  auto build = [&]() {
    auto stream = std::make_unique<StreamValue>();
    for (uint64_t i = 1; i <= 10; i++) Add(*stream, StreamId{i, 0}, {{"f", "v"}}, limits);
    return stream;
  };
  using Strategy = StreamValue::TrimArgs::Strategy;
  SUBCASE("MAXLEN exact") {
    auto stream = build();
    CHECK(stream->Trim({Strategy::kMaxLength, false, 0, 5, {}}) == 5);
    CHECK(stream->length() == 5);
    CHECK(stream->node_count() == 2);
    CHECK(stream->first_id() == StreamId{6, 0});
  }
  SUBCASE("MAXLEN approximate keeps a partial node") {
    auto stream = build();
    CHECK(stream->Trim({Strategy::kMaxLength, true, 0, 5, {}}) == 4);
    CHECK(stream->length() == 6);
  }
  SUBCASE("MINID exact and approximate") {
    auto stream = build();
    CHECK(stream->Trim({Strategy::kMinId, true, 0, 0, StreamId{7, 0}}) == 4);
    CHECK(stream->Trim({Strategy::kMinId, false, 0, 0, StreamId{7, 0}}) == 2);
    CHECK(stream->first_id() == StreamId{7, 0});
  }
  SUBCASE("LIMIT stops before a node that would exceed it") {
    auto stream = build();
    CHECK(stream->Trim({Strategy::kMaxLength, true, 3, 0, {}}) == 0);
    CHECK(stream->Trim({Strategy::kMaxLength, true, 8, 0, {}}) == 8);
  }
}

TEST_CASE("lag and entries_read follow Redis's estimate rules") {
  StreamValue stream;
  for (uint64_t i = 1; i <= 5; i++) Add(stream, StreamId{i, 0}, {{"f", "v"}});
  StreamGroup* group = stream.CreateGroup("g", StreamId{}, StreamGroup::kEntriesReadInvalid);
  REQUIRE(group != nullptr);
  CHECK(stream.CreateGroup("g", StreamId{}, 0) == nullptr);
  CHECK(stream.Lag(*group) == 5);
  stream.AdvanceGroup(*group, StreamId{1, 0});
  CHECK(group->entries_read == 1);
  stream.AdvanceGroup(*group, StreamId{2, 0});
  CHECK(group->entries_read == 2);
  CHECK(stream.Lag(*group) == 3);
  // A tombstone after the group's position makes the counter unknowable.
  stream.Delete(StreamId{4, 0});
  group->entries_read = StreamGroup::kEntriesReadInvalid;
  CHECK(stream.Lag(*group) == std::nullopt);
  CHECK(stream.EstimateDistanceFromFirstEverEntry(StreamId{5, 0}) == 5);
}

TEST_CASE("consumers own their share of the group's pending entries, and clones keep it") {
  StreamValue stream;
  Add(stream, StreamId{1, 0}, {{"f", "v"}});
  StreamGroup* group = stream.CreateGroup("g", StreamId{}, 0);
  auto* alice = group->CreateConsumer("alice", 10);
  auto* bob = group->CreateConsumer("bob", 20);
  CHECK(group->CreateConsumer("alice", 30) == nullptr);
  auto& entry = group->pending[StreamId{1, 0}];
  entry.consumer = alice;
  alice->pending[StreamId{1, 0}] = &entry;
  group->Reassign(StreamId{1, 0}, entry, bob);
  CHECK(alice->pending.empty());
  CHECK(bob->pending.size() == 1);

  std::unique_ptr<StreamValue> copy(static_cast<StreamValue*>(stream.Clone()));
  StreamGroup* copied = copy->FindGroup("g");
  REQUIRE(copied != nullptr);
  auto* copied_bob = copied->FindConsumer("bob");
  REQUIRE(copied_bob != nullptr);
  CHECK(copied->pending.at(StreamId{1, 0}).consumer == copied_bob);
  CHECK(copied_bob->pending.at(StreamId{1, 0}) == &copied->pending.at(StreamId{1, 0}));
  CHECK(copied->DeleteConsumer(copied_bob) == 1);
  CHECK(copied->pending.empty());
  CHECK(bob->pending.size() == 1);  // The original is untouched.
  CHECK(group->Acknowledge(StreamId{1, 0}));
  CHECK_FALSE(group->Acknowledge(StreamId{1, 0}));
  CHECK(bob->pending.empty());
}

TEST_CASE("random appends, deletes and trims match a std::map model across node limits") {
  uint64_t seed = std::random_device{}();
  CAPTURE(seed);
  std::mt19937_64 rng(seed);
  using Strategy = StreamValue::TrimArgs::Strategy;
  for (int round = 0; round < 20; round++) {
    StreamValue::NodeLimits limits{static_cast<int64_t>(rng() % 3 == 0 ? 0 : 30 + rng() % 200),
                                   static_cast<int64_t>(rng() % 4 == 0 ? 0 : 1 + rng() % 6)};
    CAPTURE(limits.max_bytes);
    CAPTURE(limits.max_entries);
    StreamValue stream;
    std::map<StreamId, Fields> model;
    StreamId last;
    uint64_t added = 0;
    for (int step = 0; step < 400; step++) {
      int op = static_cast<int>(rng() % 10);
      if (op < 5) {
        Fields fields;
        size_t count = 1 + rng() % 3;
        bool same = rng() % 2 == 0;
        for (size_t i = 0; i < count; i++) {
          std::string field =
              same ? "f" + std::to_string(i) : std::string(1 + rng() % 4, 'a' + rng() % 3);
          std::string value = rng() % 3 == 0
                                  ? std::to_string(static_cast<int64_t>(rng() % 2000) - 1000)
                                  : std::string(rng() % 70, 'v');
          fields.emplace_back(field, value);
        }
        StreamId id{last.ms + rng() % 3, rng() % 4};
        StreamId got;
        auto status = Add(stream, id, fields, limits, &got);
        if (id <= last) {
          REQUIRE(status == StreamValue::AppendStatus::kIdTooSmall);
        } else {
          REQUIRE(status == StreamValue::AppendStatus::kOk);
          model[id] = fields;
          last = id;
          added++;
        }
      } else if (op < 7 && !model.empty()) {
        auto it = model.begin();
        std::advance(it, static_cast<long>(rng() % model.size()));
        StreamId id = rng() % 4 == 0 ? StreamId{it->first.ms, it->first.seq + 1} : it->first;
        bool present = model.erase(id) == 1;
        REQUIRE(stream.Delete(id) == present);
        stream.RecomputeFirstId();
      } else if (op < 8) {
        StreamValue::TrimArgs args;
        args.approximate = rng() % 2 == 0;
        args.limit = args.approximate && rng() % 2 == 0 ? static_cast<int64_t>(rng() % 10) : 0;
        int64_t deleted;
        if (rng() % 2 == 0) {
          args.strategy = Strategy::kMaxLength;
          args.max_length = static_cast<int64_t>(rng() % (model.size() + 2));
          deleted = stream.Trim(args);
          if (!args.approximate) {
            REQUIRE(stream.length() == std::min<uint64_t>(model.size(), args.max_length));
          } else {
            REQUIRE(stream.length() >= std::min<uint64_t>(model.size(), args.max_length));
          }
        } else {
          args.strategy = Strategy::kMinId;
          args.min_id = StreamId{last.ms == 0 ? 0 : rng() % (last.ms + 1), rng() % 3};
          deleted = stream.Trim(args);
        }
        // Trimming always removes a prefix of the entries.
        REQUIRE(deleted >= 0);
        REQUIRE(static_cast<uint64_t>(deleted) <= model.size());
        for (int64_t i = 0; i < deleted; i++) model.erase(model.begin());
        if (args.strategy == Strategy::kMinId && !args.approximate && args.limit == 0) {
          REQUIRE((model.empty() || model.begin()->first >= args.min_id));
        }
      } else {
        // A random range, both directions.
        StreamId a{rng() % (last.ms + 2), rng() % 4};
        StreamId b{rng() % (last.ms + 2), rng() % 4};
        if (b < a) std::swap(a, b);
        std::vector<std::pair<StreamId, Fields>> expected;
        for (auto it = model.lower_bound(a); it != model.end() && it->first <= b; ++it) {
          expected.emplace_back(it->first, it->second);
        }
        REQUIRE(Read(stream, a, b, false) == expected);
        std::reverse(expected.begin(), expected.end());
        REQUIRE(Read(stream, a, b, true) == expected);
      }
      REQUIRE(stream.length() == model.size());
      REQUIRE(stream.entries_added() == added);
      REQUIRE(stream.first_id() == (model.empty() ? StreamId{} : model.begin()->first));
      CheckNodes(stream, limits);
    }
    std::vector<std::pair<StreamId, Fields>> all(model.begin(), model.end());
    REQUIRE(Read(stream, StreamId{}, StreamId::Max(), false) == all);
    std::unique_ptr<StreamValue> copy(static_cast<StreamValue*>(stream.Clone()));
    REQUIRE(Read(*copy, StreamId{}, StreamId::Max(), false) == all);
  }
}
