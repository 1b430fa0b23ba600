// Fuzz target for HyperLogLog values. A HyperLogLog is a plain string, so a client can store any
// bytes under a key (SET k <bytes>) and then run PFADD, PFCOUNT and PFMERGE on it: every byte
// of the value is attacker-controlled.
//
// Input: <sparse-max> <adds> <value...>. hll-sparse-max-bytes is sparse-max * 16 (0..4080,
// around Redis's default 3000), and `adds` elements are added.
//
// Properties checked besides "no crash":
// - the readers agree on validity: a value IsHyperLogLog accepts is either fine for all of
//   Count, MergeInto and ToDense or corrupt for all three (dense values always fine);
// - a valid value has the same registers and estimate in its sparse and dense forms, and
//   sparse registers never exceed 32;
// - PFADD on a well-formed value (valid, and not ending in an XZERO cut off by the end of the
//   string: see EndsInHalfXZero) never reports corruption, keeps it well-formed, raises exactly the
//   registers the elements' hashes select (checked against a register model), keeps the
//   header's unused bytes, and leaves a sparse value no longer than hll-sparse-max-bytes
//   unless it already was;
// - the commands (PFCOUNT, PFADD, PFMERGE, GET) agree with the library on every reply and on
//   the stored bytes.
#include <algorithm>
#include <cstddef>
#include <cstdint>
#include <cstdlib>
#include <memory>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "check.h"
#include "ringdb/commands/hyperloglog.h"
#include "ringdb/testing/command_runner.h"

namespace {

namespace hll = ringdb::commands::hll;
using ringdb::testing::CommandRunner;

constexpr std::string_view kNotHyperLogLog =
    "-WRONGTYPE Key is not a valid HyperLogLog string value.\r\n";
constexpr std::string_view kCorrupt = "-INVALIDOBJ Corrupted HLL object detected\r\n";

using ringdb::fuzz::Check;

std::string IntegerReply(uint64_t value) { return ":" + std::to_string(value) + "\r\n"; }

std::string Element(uint8_t control, size_t i) {
  return "fuzz:" + std::to_string(control) + ":" + std::to_string(i);
}

// The value's bytes outside the cached cardinality (which PFCOUNT may rewrite).
std::string WithoutCache(std::string_view value) {
  std::string copy(value);
  for (size_t i = 8; i < 16 && i < copy.size(); i++) copy[i] = 0;
  return copy;
}

// Whether a sparse body's last opcode is an XZERO whose second byte is missing. Such a value
// can be valid (the missing byte reads as 0, as Redis reads its terminator), but splitting that
// opcode keeps Redis's visible bytes, which lose the split's last byte and leave the value
// corrupt (tests/diff/README.md, hyperloglog_test.cc). Only a crafted value ends this way.
bool EndsInHalfXZero(std::string_view value) {
  if (hll::EncodingOf(value) != hll::kEncodingSparse) return false;
  size_t offset = hll::kHeaderBytes;
  while (offset < value.size()) {
    offset += (static_cast<uint8_t>(value[offset]) & 0xc0) == 0x40 ? 2 : 1;
  }
  return offset > value.size();
}

struct Reading {
  bool valid = false;
  bool well_formed = false;
  hll::RawRegisters registers{};
  std::optional<uint64_t> count;
};

// Reads `value` with every reader and checks that they agree.
Reading Read(std::string_view value) {
  Reading reading;
  bool merged = hll::MergeInto(value, &reading.registers);
  reading.count = hll::Count(value);
  std::string dense(value);
  bool converted = hll::ToDense(&dense);
  Check(merged == reading.count.has_value());
  Check(merged == converted);
  if (hll::EncodingOf(value) == hll::kEncodingDense) Check(merged);
  reading.valid = merged;
  reading.well_formed = merged && !EndsInHalfXZero(value);
  if (!merged) {
    Check(dense == value);  // A failed conversion leaves the value as it was.
    return reading;
  }
  Check(*reading.count == hll::CountRaw(reading.registers));
  Check(dense.size() == hll::kDenseBytes);
  Check(hll::IsHyperLogLog(dense));
  Check(hll::EncodingOf(dense) == hll::kEncodingDense);
  Check(dense.compare(5, 11, value.substr(5, 11)) == 0);  // Unused bytes and cache kept.
  hll::RawRegisters dense_registers{};
  Check(hll::MergeInto(dense, &dense_registers));
  Check(dense_registers == reading.registers);
  Check(hll::Count(dense) == reading.count);
  if (hll::EncodingOf(value) == hll::kEncodingSparse) {
    for (uint8_t r : reading.registers) Check(r <= hll::kSparseValueMax);
  }
  return reading;
}

// What the library did with the elements: the value after them, whether a register changed,
// whether it stopped at a corrupt spot.
struct Added {
  std::string value;
  bool changed = false;
  bool corrupt = false;
};

// PFADD of the elements on a well-formed value, against a register model.
void AddChecked(std::string_view value, const Reading& before, uint8_t control, size_t adds,
                size_t sparse_bytes_max, Added* added) {
  std::string& current = added->value;
  hll::RawRegisters model = before.registers;
  for (size_t i = 0; i < adds; i++) {
    std::string element = Element(control, i);
    hll::Pattern pattern = hll::PatternOf(element);
    Check(pattern.index < hll::kRegisters);
    Check(pattern.count >= 1 && pattern.count <= hll::kPatternBits + 1);
    bool raises = model[pattern.index] < pattern.count;
    hll::SetResult result = hll::Add(&current, element, sparse_bytes_max);
    Check(result == (raises ? hll::SetResult::kChanged : hll::SetResult::kUnchanged));
    if (raises) {
      model[pattern.index] = pattern.count;
      added->changed = true;
      Check(!hll::CachedCardinality(current).has_value());
    }
    Check(hll::IsHyperLogLog(current));
    if (hll::EncodingOf(current) == hll::kEncodingSparse) {
      Check(current.size() <= std::max(value.size(), sparse_bytes_max));
    }
  }
  Check(current.compare(0, 4, value.substr(0, 4)) == 0);  // Magic.
  Check(current.compare(5, 3, value.substr(5, 3)) == 0);  // Unused bytes.
  Reading after = Read(current);
  Check(after.well_formed);
  Check(after.registers == model);
}

CommandRunner& Runner() {
  static CommandRunner* runner = new CommandRunner(1);
  runner->events.clear();
  return *runner;
}

std::string Get(CommandRunner& runner, std::string_view key) {
  std::string reply = runner.Run({"GET", key});
  Check(reply[0] == '$');
  size_t header_end = reply.find("\r\n");
  return reply.substr(header_end + 2, reply.size() - header_end - 4);
}

void CheckCommands(std::string_view value, const Reading& reading, uint8_t control, size_t adds,
                   size_t sparse_bytes_max, const Added& added) {
  CommandRunner& runner = Runner();
  runner.limits().hll_sparse_max_bytes = static_cast<int64_t>(sparse_bytes_max);
  runner.Run({"DEL", "k", "d"});
  Check(runner.Run({"SET", "k", value}) == "+OK\r\n");
  std::optional<uint64_t> cached = hll::CachedCardinality(value);
  std::string count = runner.Run({"PFCOUNT", "k"});
  if (cached) {
    Check(count == IntegerReply(*cached));  // Trusted, valid or not, as in Redis.
  } else if (reading.valid) {
    Check(count == IntegerReply(*reading.count));
    Check(hll::CachedCardinality(Get(runner, "k")) == reading.count);
  } else {
    Check(count == kCorrupt);
  }
  Check(WithoutCache(Get(runner, "k")) == WithoutCache(value));

  std::vector<std::string> pfadd = {"PFADD", "k"};
  for (size_t i = 0; i < adds; i++) pfadd.push_back(Element(control, i));
  std::string add_reply = runner.Run(pfadd);
  if (added.corrupt) {
    Check(add_reply == kCorrupt);
  } else {
    Check(add_reply == (added.changed ? ":1\r\n" : ":0\r\n"));
  }
  std::string stored = Get(runner, "k");
  Check(WithoutCache(stored) == WithoutCache(added.value));

  Reading now = Read(stored);
  std::string merge = runner.Run({"PFMERGE", "d", "k"});
  if (!now.valid) {
    Check(merge == kCorrupt);
    Check(runner.Run({"EXISTS", "d"}) == ":0\r\n");
    Check(runner.Run({"PFCOUNT", "k", "d"}) == kCorrupt);
    return;
  }
  Check(merge == "+OK\r\n");
  Reading merged = Read(Get(runner, "d"));
  Check(merged.valid);
  Check(merged.registers == now.registers);
  Check(runner.Run({"PFCOUNT", "d"}) == IntegerReply(*now.count));
  Check(runner.Run({"PFCOUNT", "k", "d"}) == IntegerReply(*now.count));
}

}  // namespace

extern "C" int LLVMFuzzerTestOneInput(const uint8_t* data, size_t size) {
  if (size < 2) return 0;
  uint8_t control = data[0];
  size_t sparse_bytes_max = static_cast<size_t>(control) * 16;
  size_t adds = data[1];
  std::string_view value(reinterpret_cast<const char*>(data + 2), size - 2);
  if (!hll::IsHyperLogLog(value)) {
    CommandRunner& runner = Runner();
    runner.Run({"SET", "k", value});
    Check(runner.Run({"PFCOUNT", "k"}) == kNotHyperLogLog);
    Check(runner.Run({"PFADD", "k", "a"}) == kNotHyperLogLog);
    Check(runner.Run({"PFMERGE", "d", "k"}) == kNotHyperLogLog);
    return 0;
  }
  hll::DecodeSparse(value);  // Bounds only: a corrupt body still decodes to some text.
  Reading reading = Read(value);
  Added added;
  added.value = std::string(value);
  if (reading.well_formed) {
    AddChecked(value, reading, control, adds, sparse_bytes_max, &added);
  } else {
    for (size_t i = 0; i < adds && !added.corrupt; i++) {
      hll::SetResult result = hll::Add(&added.value, Element(control, i), sparse_bytes_max);
      added.corrupt = result == hll::SetResult::kCorrupt;
      added.changed = added.changed || result == hll::SetResult::kChanged;
      Check(hll::IsHyperLogLog(added.value));
    }
  }
  CheckCommands(value, reading, control, adds, sparse_bytes_max, added);
  return 0;
}
