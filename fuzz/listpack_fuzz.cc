// Fuzz target for listpack blobs (store::Listpack): what RDB files and DUMP payloads carry for
// small hashes, sets, sorted sets, lists and stream nodes.
//
// Input: a listpack blob followed by an edit script. The blob is as many bytes as its header
// says (the whole input when the header says more); the rest is the script, two bytes per
// edit. An empty script runs a fixed one, so plain listpacks (the seeds) are edited too.
//
// Properties checked besides "no crash":
// - deep validation implies shallow validation, and a blob deep validation accepts can be
//   read: forward and backward iteration visit the same elements, Seek agrees with both, the
//   header's count (when known) and size() equal the number of elements, Find finds every
//   element's text at its first occurrence, and appending the texts to a new listpack reads
//   back the same texts;
// - every edit of an accepted blob (insert, delete, replace, range delete) leaves a blob deep
//   validation accepts, with the elements of a std::vector model of the edit.
#include <cstddef>
#include <cstdint>
#include <cstdlib>
#include <string>
#include <string_view>
#include <vector>

#include "check.h"
#include "ringdb/store/listpack.h"

namespace {

using ringdb::store::Listpack;
using ringdb::store::ListpackValue;

using ringdb::fuzz::Check;

constexpr size_t kEditsMax = 64;
// Seek and Find (linear walks) are checked near the ends only, so that a long listpack costs
// O(n), not O(n^2), per input.
constexpr size_t kSeekChecksMax = 64;

// Texts that reach each encoding and its edges: every integer width on both sides of its
// limits, non-canonical integers (stored as strings), strings around 63 and 4095 bytes and
// around the two-byte backlen, and copies of existing elements.
std::string Sample(uint8_t choice, const std::vector<std::string>& model) {
  // clang-format off
  static const char* const kTexts[] = {
      "", "0", "-1", "127", "128", "4095", "-4096", "4096", "-4097", "32767", "-32769",
      "8388607", "8388608", "2147483647", "-2147483649", "9223372036854775807",
      "-9223372036854775808", "9223372036854775808", "01", "-0", "+1", " 1", "abc",
      "123456789012345678901"};
  // clang-format on
  constexpr size_t kTextCount = sizeof(kTexts) / sizeof(kTexts[0]);
  static_assert(kTextCount == 24);
  if (choice < kTextCount) return kTexts[choice];
  switch (choice) {
    case 24:
      return std::string(63, 's');  // The longest 6-bit string.
    case 25:
      return std::string(64, 'm');
    case 26:
      return std::string(126, 'b');  // 128 bytes with its header: a two-byte backlen.
    case 27:
      return std::string(4095, 'l');  // The longest 12-bit string.
    case 28:
      return std::string(4096, 'L');
    default:
      // A copy of an existing element: duplicates for Find.
      return model.empty() ? std::string("x") : model[choice % model.size()];
  }
}

std::vector<std::string> Texts(const Listpack& listpack, std::vector<uint32_t>* positions) {
  std::vector<std::string> texts;
  for (uint32_t p = listpack.First(); p != Listpack::kNone; p = listpack.Next(p)) {
    if (positions != nullptr) positions->push_back(p);
    texts.push_back(listpack.Get(p).ToString());
  }
  return texts;
}

// Reads an accepted listpack in every way and checks that the readings agree.
std::vector<std::string> CheckReadable(const Listpack& listpack) {
  std::vector<uint32_t> forward;
  std::vector<std::string> texts = Texts(listpack, &forward);
  std::vector<uint32_t> backward;
  for (uint32_t p = listpack.Last(); p != Listpack::kNone; p = listpack.Prev(p)) {
    backward.push_back(p);
    Check(backward.size() <= forward.size());
  }
  Check(std::vector<uint32_t>(backward.rbegin(), backward.rend()) == forward);
  size_t n = forward.size();
  Check(listpack.size() == n);
  Check(listpack.empty() == (n == 0));
  std::string_view bytes = listpack.bytes();
  auto header_count =
      static_cast<uint16_t>(static_cast<uint8_t>(bytes[4]) | static_cast<uint8_t>(bytes[5]) << 8);
  if (header_count != Listpack::kCountUnknown) Check(header_count == n);
  for (size_t i = 0; i < n; i++) {
    ListpackValue value = listpack.Get(forward[i]);
    Check(value.Equals(texts[i]));
    if (!value.is_integer) Check(value.bytes.data() >= bytes.data());
    if (value.is_integer) Check(value.bytes.empty());
    if (i >= kSeekChecksMax) continue;
    Check(listpack.Seek(static_cast<int64_t>(i)) == forward[i]);
    Check(listpack.Seek(-static_cast<int64_t>(i) - 1) == forward[n - 1 - i]);
    // Find returns the first element with this text.
    uint32_t found = listpack.Find(listpack.First(), texts[i]);
    Check(found != Listpack::kNone);
    Check(found <= forward[i]);
    Check(listpack.Get(found).Equals(texts[i]));
    for (size_t j = 0; j < i && forward[j] < found; j++) Check(texts[j] != texts[i]);
  }
  Check(listpack.Seek(static_cast<int64_t>(n)) == Listpack::kNone);
  Check(listpack.Seek(-static_cast<int64_t>(n) - 1) == Listpack::kNone);
  return texts;
}

void CheckMatches(const Listpack& listpack, const std::vector<std::string>& model) {
  Check(Listpack::Validate(listpack.bytes(), true));
  Check(Texts(listpack, nullptr) == model);
  Check(listpack.size() == model.size());
}

// One edit: `op` picks the kind and the element, `where` the position.
void Edit(Listpack& listpack, std::vector<std::string>& model, uint8_t op, uint8_t where) {
  size_t n = model.size();
  size_t index = n == 0 ? 0 : where % n;
  std::string text = Sample(op >> 3, model);
  auto at = [&](size_t i) { return listpack.Seek(static_cast<int64_t>(i)); };
  switch (op & 7) {
    case 0:
      listpack.Append(text);
      model.push_back(text);
      break;
    case 1:
      listpack.Prepend(text);
      model.insert(model.begin(), text);
      break;
    case 2: {
      if (n == 0) return;
      uint32_t inserted = listpack.InsertBefore(at(index), text);
      Check(inserted == at(index));
      model.insert(model.begin() + static_cast<std::ptrdiff_t>(index), text);
      break;
    }
    case 3: {
      if (n == 0) return;
      uint32_t inserted = listpack.InsertAfter(at(index), text);
      Check(inserted == at(index + 1));
      model.insert(model.begin() + static_cast<std::ptrdiff_t>(index) + 1, text);
      break;
    }
    case 4: {
      if (n == 0) return;
      uint32_t next = listpack.Delete(at(index));
      model.erase(model.begin() + static_cast<std::ptrdiff_t>(index));
      Check(next == (index < model.size() ? at(index) : Listpack::kNone));
      break;
    }
    case 5: {
      if (n == 0) return;
      size_t count = (op >> 3) % 4 + 1;
      listpack.DeleteRange(at(index), count);
      size_t end = std::min(n, index + count);
      model.erase(model.begin() + static_cast<std::ptrdiff_t>(index),
                  model.begin() + static_cast<std::ptrdiff_t>(end));
      break;
    }
    case 6:
      if (n == 0) return;
      listpack.Replace(at(index), text);
      model[index] = text;
      break;
    default:
      if (n == 0) return;
      listpack.ReplaceInteger(at(index),
                              static_cast<int64_t>(0x9E3779B97F4A7C15ull * op) >> (where % 64));
      model[index] = listpack.Get(at(index)).ToString();
      Check(listpack.Get(at(index)).is_integer);
      break;
  }
}

}  // namespace

extern "C" int LLVMFuzzerTestOneInput(const uint8_t* data, size_t size) {
  size_t blob_size = size;
  if (size >= 4) {
    size_t total = static_cast<size_t>(data[0]) | static_cast<size_t>(data[1]) << 8 |
                   static_cast<size_t>(data[2]) << 16 | static_cast<size_t>(data[3]) << 24;
    if (total <= size) blob_size = total;
  }
  std::string_view blob(reinterpret_cast<const char*>(data), blob_size);
  std::string_view script(reinterpret_cast<const char*>(data) + blob_size, size - blob_size);
  bool deep = Listpack::Validate(blob, true);
  bool shallow = Listpack::Validate(blob, false);
  if (deep) Check(shallow);
  if (!deep) return 0;

  Listpack listpack = Listpack::FromBytes(blob);
  Check(listpack.bytes() == blob);
  std::vector<std::string> model = CheckReadable(listpack);

  // The texts re-encoded from scratch read back the same.
  Listpack rebuilt;
  for (const std::string& text : model) rebuilt.Append(text);
  CheckMatches(rebuilt, model);
  CheckReadable(rebuilt);

  // Append "", prepend "128", insert "0" before and "127" after, delete, replace with "128",
  // delete a range, replace with an integer, prepend a 4095-byte and insert a 63-byte string.
  static constexpr uint8_t kFixedScript[] = {0x00, 0x00, 0x21, 0x01, 0x0a, 0x02, 0x1b,
                                             0x03, 0x04, 0x00, 0x26, 0x05, 0x0d, 0x01,
                                             0x17, 0x02, 0xd9, 0x00, 0xc2, 0x01};
  if (script.empty()) {
    script = std::string_view(reinterpret_cast<const char*>(kFixedScript), sizeof(kFixedScript));
  }
  for (size_t i = 0; i + 1 < script.size() && i / 2 < kEditsMax; i += 2) {
    Edit(listpack, model, static_cast<uint8_t>(script[i]), static_cast<uint8_t>(script[i + 1]));
    CheckMatches(listpack, model);
  }
  CheckReadable(listpack);
  Listpack copy(listpack);
  Check(copy.bytes() == listpack.bytes());
  return 0;
}
