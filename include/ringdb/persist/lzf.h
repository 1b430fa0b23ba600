// LZF, the compression Redis applies to RDB strings (rdbcompression yes). The format is a
// sequence of commands, each starting with a control byte c:
//
//   c < 0x20                 a literal run: the next c + 1 bytes are copied as they are;
//   c >= 0x20                a back reference of length L = (c >> 5) + 2, or when c >> 5 == 7
//                            of length 9 + the next byte; then one byte b, and the bytes are
//                            copied from distance ((c & 0x1f) << 8 | b) + 1 behind the output
//                            end (the copy may overlap its own output, as in LZ77).
//
// So a reference reaches at most 8192 bytes back and copies 3..264 bytes. Written from the
// format (man/ringdb-formats.5), not from liblzf; the compressor's output need not be
// liblzf's byte for byte, only valid LZF that liblzf (and so Redis) decompresses.
#pragma once

#include <cstddef>
#include <string>
#include <string_view>

namespace ringdb::persist {

// Compresses `input` into `*output` (replacing its contents) if the result is at most
// `output_max` bytes; returns false (and leaves *output unspecified) when it would be bigger.
bool LzfCompress(std::string_view input, size_t output_max, std::string* output);

// Decompresses `input`, which must yield exactly `output_size` bytes, into `output`
// (`output_size` bytes of room). Returns false on any malformed input: a run or reference
// past the input's end, a reference before the output's start, output longer or shorter
// than output_size. Never reads or writes out of bounds, whatever the input.
bool LzfDecompress(std::string_view input, char* output, size_t output_size);

// The most bytes `compressed_size` bytes of LZF can expand to (a 3-byte reference copies 264
// bytes): a bound for checking a declared length before allocating for it.
inline size_t LzfExpansionMax(size_t compressed_size) { return compressed_size * 88; }

}  // namespace ringdb::persist
