// ValidateStreamNode: real nodes (from redis-server and from StreamValue) pass with the right
// summary; every rule of stream_node.h rejects a node that breaks it, with a message naming the
// node and the fact.
#include "ringdb/store/stream_node.h"

#include <doctest/doctest.h>

#include <cstdint>
#include <initializer_list>
#include <string>
#include <string_view>
#include <vector>

#include "ringdb/store/listpack.h"
#include "ringdb/store/stream_value.h"

using ringdb::store::Listpack;
using ringdb::store::StreamId;
using ringdb::store::StreamNodeSummary;
using ringdb::store::StreamValue;
using ringdb::store::ValidateStreamNode;

namespace {

std::string FromHex(std::string_view hex) {
  std::string out;
  for (size_t i = 0; i + 1 < hex.size(); i += 2) {
    out.push_back(static_cast<char>(std::stoi(std::string(hex.substr(i, 2)), nullptr, 16)));
  }
  return out;
}

// One listpack element: an integer-encoded number or a string.
struct Element {
  Element(int64_t number) : is_integer(true), integer(number) {}  // NOLINT: implicit
  Element(int number) : is_integer(true), integer(number) {}      // NOLINT: implicit
  Element(const char* text) : text(text) {}                       // NOLINT: implicit
  bool is_integer = false;
  int64_t integer = 0;
  std::string text;
};

std::string Node(std::initializer_list<Element> elements) {
  Listpack listpack;
  for (const Element& element : elements) {
    if (element.is_integer) {
      listpack.AppendInteger(element.integer);
    } else {
      listpack.Append(element.text);
    }
  }
  return std::string(listpack.bytes());
}

std::string ErrorOf(std::string_view blob, StreamId master_id = {5, 1}) {
  ringdb::Result<StreamNodeSummary> result = ValidateStreamNode(blob, master_id);
  REQUIRE(!result.ok());
  CHECK(result.status().code() == ringdb::Status::Code::kCorruption);
  return result.status().message();
}

// A valid node under master ID 5-1: entry 5-1 (a=1, the master's fields), a deleted entry 6-0
// with its own fields (b=2, c=3), and entry 7-4 (a=4).
std::string GoodNode() {
  return Node({2, 1, 1,  "a", 0,                      // master: count, deleted, fields, 0
               2, 0, 0,  "1", 4,                      // 5-1 same fields
               1, 1, -1, 2,   "b", "2", "c", "3", 8,  // 6-0 deleted, own fields
               2, 2, 3,  "4", 4});                    // 7-4 same fields
}

}  // namespace

TEST_CASE("stream nodes written by redis-server 7.0.15 validate") {
  SUBCASE("a node with a tombstone left by XTRIM MINID") {
    // DUMP of a stream with 1-1 and 1-2 after XTRIM MINID 1-2: the node's key, then its listpack.
    std::string key_and_node = FromHex(
        "00000000000000010000000000000001280000000f00010101010101816602000103010001000181760204"
        "010201000101018177020401ff");
    ringdb::Result<StreamNodeSummary> summary =
        ValidateStreamNode(std::string_view(key_and_node).substr(16), StreamId{1, 1});
    REQUIRE(summary.ok());
    CHECK(summary->live == 1);
    CHECK(summary->deleted == 1);
    CHECK(summary->master_fields == 1);
    CHECK(summary->first_id == StreamId{1, 1});
    CHECK(summary->last_id == StreamId{1, 2});
  }
  SUBCASE("five entries with the master's fields") {
    std::string key_and_node = FromHex(
        "0000018bcfe5680000000000000000006300000024000501000102018b74656d70657261747572650c84756e"
        "69740500010201000100011401814302050102010001010115018143020501020100010201160181430205"
        "010201000103011701814302050102010001040118018143020501ff");
    StreamId master{1700000000000, 0};
    ringdb::Result<StreamNodeSummary> summary =
        ValidateStreamNode(std::string_view(key_and_node).substr(16), master);
    REQUIRE(summary.ok());
    CHECK(summary->live == 5);
    CHECK(summary->deleted == 0);
    CHECK(summary->master_fields == 2);
    CHECK(summary->first_id == master);
    CHECK(summary->last_id == StreamId{1700000000000, 4});
  }
}

TEST_CASE("every node StreamValue builds validates, after deletions and trims too") {
  StreamValue stream;
  StreamValue::NodeLimits limits{200, 7};
  for (uint64_t i = 1; i <= 60; i++) {
    std::string value = std::to_string(i * 37);
    std::vector<std::string_view> fields = {"f", value};
    if (i % 3 == 0) fields = {"g", value, "h", "x"};
    StreamId added;
    REQUIRE(stream.Append(fields, StreamId{i / 4, i}, true, 0, limits, &added) ==
            StreamValue::AppendStatus::kOk);
  }
  for (uint64_t i = 2; i <= 60; i += 5) CHECK(stream.Delete(StreamId{i / 4, i}));
  StreamValue::TrimArgs trim;
  trim.strategy = StreamValue::TrimArgs::Strategy::kMaxLength;
  trim.max_length = 40;
  stream.Trim(trim);
  REQUIRE(stream.node_count() > 3);
  uint64_t live = 0;
  StreamId previous_last;
  for (const StreamValue::Node& node : stream.nodes()) {
    ringdb::Result<StreamNodeSummary> summary =
        ValidateStreamNode(node.listpack.bytes(), node.master_id);
    REQUIRE(summary.ok());
    CHECK(summary->first_id == node.master_id);
    CHECK(node.master_id > previous_last);
    previous_last = summary->last_id;
    live += summary->live;
  }
  CHECK(live == stream.length());
  CHECK(previous_last == stream.last_id());
}

TEST_CASE("a valid hand-made node gives its summary") {
  ringdb::Result<StreamNodeSummary> summary = ValidateStreamNode(GoodNode(), StreamId{5, 1});
  REQUIRE(summary.ok());
  CHECK(summary->live == 2);
  CHECK(summary->deleted == 1);
  CHECK(summary->first_id == StreamId{5, 1});
  CHECK(summary->last_id == StreamId{7, 4});
}

TEST_CASE("corrupt stream nodes are rejected with the node and the fact") {
  SUBCASE("not a listpack") {
    std::string blob = GoodNode();
    blob.pop_back();  // The terminator.
    CHECK(ErrorOf(blob) == "stream node 5-1: not a valid listpack");
    CHECK(ErrorOf("") == "stream node 5-1: not a valid listpack");
  }
  SUBCASE("an empty listpack") { CHECK(ErrorOf(Node({})) == "stream node 5-1: empty listpack"); }
  SUBCASE("a master entry cut short") {
    CHECK(ErrorOf(Node({1})) == "stream node 5-1: master deleted count missing");
    CHECK(ErrorOf(Node({1, 0, 2, "a"})) == "stream node 5-1: master field missing");
    CHECK(ErrorOf(Node({1, 0, 1, "a"})) == "stream node 5-1: master terminator missing");
  }
  SUBCASE("counts that are text, negative or beyond the node") {
    CHECK(ErrorOf(Node({"x", 0, 1, "a", 0})) == "stream node 5-1: master count is not an integer");
    CHECK(ErrorOf(Node({-1, 0, 1, "a", 0})) == "stream node 5-1: master count -1 is negative");
    CHECK(ErrorOf(Node({1, 0, 1000, "a", 0})) ==
          "stream node 5-1: master num-fields 1000 exceeds the node's elements");
    CHECK(ErrorOf(Node({1, 0, 1, "a", 0, 0, 0, 0, -2, 2})) ==
          "stream node 5-1: entry 0 num-fields -2 is negative");
  }
  SUBCASE("a decimal text where Redis writes an integer") {
    // Listpack::Append stores "2" as an integer, so the text element is patched in: "FLAG"
    // (84 'F' 'L' 'A' 'G' 05) becomes "2" (81 '2' 02). Redis's own validator accepts the text;
    // its readers would then assert on it.
    std::string blob = Node({1, 0, 1, "a", 0, "FLAG", 0, 0, "1", 4});
    size_t at = blob.find(
        "\x84"
        "FLAG\x05");
    REQUIRE(at != std::string::npos);
    blob.replace(at, 6,
                 "\x81"
                 "2\x02");
    blob[0] = static_cast<char>(blob.size());
    REQUIRE(Listpack::Validate(blob));
    CHECK(ErrorOf(blob) == "stream node 5-1: entry 0 flags is not an integer");
  }
  SUBCASE("a master terminator other than 0") {
    CHECK(ErrorOf(Node({1, 0, 1, "a", 7, 2, 0, 0, "1", 4})) ==
          "stream node 5-1: master terminator 7, expected 0");
  }
  SUBCASE("unknown flag bits") {
    CHECK(ErrorOf(Node({1, 0, 1, "a", 0, 6, 0, 0, "1", 4})) ==
          "stream node 5-1: entry 0 flags 6 has unknown bits");
  }
  SUBCASE("an lp-count that does not match the entry") {
    CHECK(ErrorOf(Node({1, 0, 1, "a", 0, 2, 0, 0, "1", 5})) ==
          "stream node 5-1: entry 0 lp-count 5, expected 4");
    CHECK(ErrorOf(Node({1, 0, 1, "a", 0, 0, 0, 0, 1, "b", "2", 4})) ==
          "stream node 5-1: entry 0 lp-count 4, expected 6");
  }
  SUBCASE("IDs below the master ID or not ascending") {
    CHECK(ErrorOf(Node({1, 0, 1, "a", 0, 2, -1, 0, "1", 4})) ==
          "stream node 5-1: entry 0 ID 4-1 below the master ID");
    CHECK(ErrorOf(Node({1, 0, 1, "a", 0, 2, 0, -1, "1", 4})) ==
          "stream node 5-1: entry 0 ID 5-0 below the master ID");
    CHECK(ErrorOf(Node({2, 0, 1, "a", 0, 2, 1, 0, "1", 4, 2, 1, 0, "2", 4})) ==
          "stream node 5-1: entry 1 ID 6-1 not above the previous 6-1");
    CHECK(ErrorOf(Node({2, 0, 1, "a", 0, 2, 1, 0, "1", 4, 2, 0, 5, "2", 4})) ==
          "stream node 5-1: entry 1 ID 5-6 not above the previous 6-1");
  }
  SUBCASE("fewer entries than the master says") {
    CHECK(ErrorOf(Node({2, 0, 1, "a", 0, 2, 0, 0, "1", 4})) ==
          "stream node 5-1: entry 1 flags missing");
    CHECK(ErrorOf(Node({1, 0, 1, "a", 0, 2, 0, 0})) == "stream node 5-1: entry 0 value missing");
  }
  SUBCASE("more elements than the master's entries") {
    std::string blob = Node({1, 0, 1, "a", 0, 2, 0, 0, "1", 4, 2, 1, 0, "2", 4});
    CHECK(ErrorOf(blob) == "stream node 5-1: elements after the last of 1 entries");
  }
  SUBCASE("master counts that disagree with the flags") {
    CHECK(ErrorOf(Node({0, 1, 1, "a", 0, 2, 0, 0, "1", 4})) ==
          "stream node 5-1: master counts 0 live, 1 deleted; entries 1 live, 0 deleted");
  }
  SUBCASE("an error names the master ID given") {
    CHECK(ErrorOf(Node({}), StreamId{18446744073709551615ull, 3}) ==
          "stream node 18446744073709551615-3: empty listpack");
  }
}
