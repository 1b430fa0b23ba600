// LZF compression and decompression (include/ringdb/persist/lzf.h describes the format).
#include "ringdb/persist/lzf.h"

#include <algorithm>
#include <cstdint>
#include <cstring>
#include <vector>

namespace ringdb::persist {
namespace {

constexpr size_t kLiteralMax = 32;
constexpr size_t kDistanceMax = 8192;
constexpr size_t kMatchMin = 3;
constexpr size_t kMatchMax = 264;
constexpr int kHashBits = 14;

uint32_t HashAt(const uint8_t* p) {
  uint32_t v = static_cast<uint32_t>(p[0]) << 16 | static_cast<uint32_t>(p[1]) << 8 | p[2];
  return (v * 2654435761u) >> (32 - kHashBits);
}

// Writes pending literals [start, end) as runs of at most kLiteralMax bytes.
bool FlushLiterals(const uint8_t* start, const uint8_t* end, size_t output_max,
                   std::string* output) {
  while (start < end) {
    size_t run = std::min<size_t>(kLiteralMax, static_cast<size_t>(end - start));
    if (output->size() + 1 + run > output_max) return false;
    output->push_back(static_cast<char>(run - 1));
    output->append(reinterpret_cast<const char*>(start), run);
    start += run;
  }
  return true;
}

}  // namespace

bool LzfCompress(std::string_view input, size_t output_max, std::string* output) {
  output->clear();
  const auto* data = reinterpret_cast<const uint8_t*>(input.data());
  const size_t size = input.size();
  // Positions + 1 of the last occurrence of each 3-byte hash (0: none).
  std::vector<uint32_t> table(size_t{1} << kHashBits, 0);
  size_t literal_start = 0;
  size_t i = 0;
  while (i + kMatchMin <= size) {
    uint32_t h = HashAt(data + i);
    size_t candidate = table[h];
    table[h] = static_cast<uint32_t>(i + 1);
    if (candidate != 0) {
      size_t ref = candidate - 1;
      size_t distance = i - ref;
      if (distance <= kDistanceMax && std::memcmp(data + ref, data + i, kMatchMin) == 0) {
        size_t length = kMatchMin;
        size_t limit = std::min(kMatchMax, size - i);
        while (length < limit && data[ref + length] == data[i + length]) length++;
        if (!FlushLiterals(data + literal_start, data + i, output_max, output)) return false;
        size_t code_length = length - 2;
        size_t d = distance - 1;
        size_t need = code_length >= 7 ? 3 : 2;
        if (output->size() + need > output_max) return false;
        if (code_length >= 7) {
          output->push_back(static_cast<char>((7 << 5) | (d >> 8)));
          output->push_back(static_cast<char>(code_length - 7));
        } else {
          output->push_back(static_cast<char>((code_length << 5) | (d >> 8)));
        }
        output->push_back(static_cast<char>(d & 0xff));
        // Index the positions inside the match so later data can refer to them.
        for (size_t j = i + 1; j < i + length && j + kMatchMin <= size; j++) {
          table[HashAt(data + j)] = static_cast<uint32_t>(j + 1);
        }
        i += length;
        literal_start = i;
        continue;
      }
    }
    i++;
  }
  return FlushLiterals(data + literal_start, data + size, output_max, output);
}

bool LzfDecompress(std::string_view input, char* output, size_t output_size) {
  const auto* in = reinterpret_cast<const uint8_t*>(input.data());
  const uint8_t* in_end = in + input.size();
  size_t out = 0;
  while (in < in_end) {
    size_t control = *in++;
    if (control < 0x20) {
      size_t run = control + 1;
      if (static_cast<size_t>(in_end - in) < run) return false;
      if (output_size - out < run) return false;
      std::memcpy(output + out, in, run);
      in += run;
      out += run;
      continue;
    }
    size_t length = control >> 5;
    if (length == 7) {
      if (in == in_end) return false;
      length += *in++;
    }
    length += 2;
    if (in == in_end) return false;
    size_t distance = ((control & 0x1f) << 8 | *in++) + 1;
    if (distance > out) return false;
    if (output_size - out < length) return false;
    // Byte by byte: the source may overlap the bytes being written.
    size_t from = out - distance;
    for (size_t k = 0; k < length; k++) output[out + k] = output[from + k];
    out += length;
  }
  return out == output_size;
}

}  // namespace ringdb::persist
