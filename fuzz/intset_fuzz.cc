// Fuzz target for intset blobs (store::Intset): what RDB files and DUMP payloads carry for small
// sets of integers.
//
// Input: an intset blob followed by an edit script. The blob is as long as its header says
// (8 + length * width bytes, or the whole input when that does not fit); the rest is the script,
// nine bytes per edit (an add/remove choice and a little-endian value). An empty script runs a
// fixed one, so plain intsets (the seeds) are edited too.
//
// Properties checked besides "no crash":
// - Validate accepts exactly the blobs whose width is 2, 4 or 8, whose length matches the size
//   and whose values strictly ascend (checked against an independent reading);
// - an accepted blob adopted with FromBytes reads back: size, width, Get, Min, Max, and
//   Contains for every value and for the gaps around them;
// - Add and Remove keep a blob Validate accepts, holding the values of a std::set model, with
//   a width that only grows and is the narrowest holding every value ever added.
#include <cstddef>
#include <cstdint>
#include <cstdlib>
#include <cstring>
#include <set>
#include <string_view>
#include <vector>

#include "check.h"
#include "ringdb/store/intset.h"

namespace {

using ringdb::store::Intset;
using ringdb::store::IntsetWidthFor;

using ringdb::fuzz::Check;

constexpr size_t kEditBytes = 9;
constexpr size_t kEditsMax = 64;

uint64_t ReadLittleEndian(const uint8_t* p, size_t bytes) {
  uint64_t value = 0;
  for (size_t i = 0; i < bytes; i++) value |= static_cast<uint64_t>(p[i]) << (8 * i);
  return value;
}

// The values of a blob, read independently of Intset; false when it is not a valid intset.
bool ReadModel(std::string_view blob, std::vector<int64_t>* values) {
  if (blob.size() < 8) return false;
  const auto* p = reinterpret_cast<const uint8_t*>(blob.data());
  uint64_t width = ReadLittleEndian(p, 4);
  uint64_t length = ReadLittleEndian(p + 4, 4);
  if (width != 2 && width != 4 && width != 8) return false;
  if (blob.size() != 8 + length * width) return false;
  for (uint64_t i = 0; i < length; i++) {
    uint64_t raw = ReadLittleEndian(p + 8 + i * width, width);
    int64_t value;
    if (width == 2) {
      value = static_cast<int16_t>(raw);
    } else if (width == 4) {
      value = static_cast<int32_t>(raw);
    } else {
      value = static_cast<int64_t>(raw);
    }
    if (!values->empty() && values->back() >= value) return false;
    values->push_back(value);
  }
  return true;
}

void CheckReads(const Intset& intset, const std::vector<int64_t>& values, uint32_t width) {
  Check(intset.size() == values.size());
  Check(intset.empty() == values.empty());
  Check(intset.width() == width);
  Check(intset.bytes().size() == Intset::kHeaderBytes + values.size() * width);
  Check(Intset::Validate(intset.bytes()));
  for (size_t i = 0; i < values.size(); i++) {
    Check(intset.Get(i) == values[i]);
    Check(intset.Contains(values[i]));
    int64_t v = values[i];
    if (v != INT64_MAX && (i + 1 == values.size() || values[i + 1] != v + 1)) {
      Check(!intset.Contains(v + 1));
    }
    if (v != INT64_MIN && (i == 0 || values[i - 1] != v - 1)) Check(!intset.Contains(v - 1));
  }
  if (!values.empty()) {
    Check(intset.Min() == values.front());
    Check(intset.Max() == values.back());
  }
}

}  // namespace

extern "C" int LLVMFuzzerTestOneInput(const uint8_t* data, size_t size) {
  size_t blob_size = size;
  if (size >= 8) {
    uint64_t width = ReadLittleEndian(data, 4);
    uint64_t length = ReadLittleEndian(data + 4, 4);
    uint64_t total = 8 + length * width;
    if (width <= 8 && total <= size) blob_size = static_cast<size_t>(total);
  }
  std::string_view blob(reinterpret_cast<const char*>(data), blob_size);
  std::vector<int64_t> values;
  bool valid = ReadModel(blob, &values);
  Check(Intset::Validate(blob) == valid);
  if (!valid) return 0;

  Intset intset = Intset::FromBytes(blob);
  Check(intset.bytes() == blob);
  uint32_t width = static_cast<uint32_t>(ReadLittleEndian(data, 4));
  CheckReads(intset, values, width);

  // Add 70000, -5, 2^40, remove 1, add 1, remove 70000.
  static constexpr uint8_t kFixedScript[] = {
      0, 0x70, 0x11, 0x01, 0, 0, 0, 0, 0, 0, 0xfb, 0xff, 0xff, 0xff, 0xff, 0xff, 0xff, 0xff,
      0, 0,    0,    0,    0, 0, 1, 0, 0, 1, 0x01, 0,    0,    0,    0,    0,    0,    0,
      0, 0x01, 0,    0,    0, 0, 0, 0, 0, 1, 0x70, 0x11, 0x01, 0,    0,    0,    0,    0};
  const uint8_t* script = data + blob_size;
  size_t script_size = size - blob_size;
  if (script_size == 0) {
    script = kFixedScript;
    script_size = sizeof(kFixedScript);
  }
  std::set<int64_t> model(values.begin(), values.end());
  for (size_t i = 0; i + kEditBytes <= script_size && i / kEditBytes < kEditsMax; i += kEditBytes) {
    bool add = (script[i] & 1) == 0;
    // Narrow values are likelier to collide with the set's own; the choice byte picks a width.
    uint64_t raw = ReadLittleEndian(script + i + 1, 8);
    int64_t value = static_cast<int64_t>(raw);
    if ((script[i] & 6) == 2) value = static_cast<int16_t>(raw);
    if ((script[i] & 6) == 4) value = static_cast<int32_t>(raw);
    if (add) {
      Check(intset.Add(value) == model.insert(value).second);
      width = std::max(width, IntsetWidthFor(value));
    } else {
      Check(intset.Remove(value) == (model.erase(value) == 1));
    }
    CheckReads(intset, std::vector<int64_t>(model.begin(), model.end()), width);
  }
  Intset copy(intset);
  Check(copy.bytes() == intset.bytes());
  return 0;
}
