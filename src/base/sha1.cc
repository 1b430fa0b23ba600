#include "ringdb/base/sha1.h"

#include <algorithm>
#include <cstring>

namespace ringdb {
namespace {

uint32_t RotateLeft(uint32_t value, int bits) { return (value << bits) | (value >> (32 - bits)); }

uint32_t LoadBigEndian32(const uint8_t* p) {
  return (uint32_t{p[0]} << 24) | (uint32_t{p[1]} << 16) | (uint32_t{p[2]} << 8) | uint32_t{p[3]};
}

}  // namespace

Sha1::Sha1() : state_{0x67452301, 0xEFCDAB89, 0x98BADCFE, 0x10325476, 0xC3D2E1F0}, buffer_{} {}

void Sha1::ProcessBlock(const uint8_t* block) {
  uint32_t w[80];
  for (int i = 0; i < 16; i++) w[i] = LoadBigEndian32(block + 4 * i);
  for (int i = 16; i < 80; i++) w[i] = RotateLeft(w[i - 3] ^ w[i - 8] ^ w[i - 14] ^ w[i - 16], 1);
  uint32_t a = state_[0], b = state_[1], c = state_[2], d = state_[3], e = state_[4];
  for (int i = 0; i < 80; i++) {
    uint32_t f;
    uint32_t k;
    if (i < 20) {
      f = (b & c) | (~b & d);
      k = 0x5A827999;
    } else if (i < 40) {
      f = b ^ c ^ d;
      k = 0x6ED9EBA1;
    } else if (i < 60) {
      f = (b & c) | (b & d) | (c & d);
      k = 0x8F1BBCDC;
    } else {
      f = b ^ c ^ d;
      k = 0xCA62C1D6;
    }
    uint32_t next = RotateLeft(a, 5) + f + e + k + w[i];
    e = d;
    d = c;
    c = RotateLeft(b, 30);
    b = a;
    a = next;
  }
  state_[0] += a;
  state_[1] += b;
  state_[2] += c;
  state_[3] += d;
  state_[4] += e;
}

void Sha1::Update(std::string_view bytes) {
  const auto* p = reinterpret_cast<const uint8_t*>(bytes.data());
  size_t left = bytes.size();
  length_bytes_ += left;
  if (buffered_ > 0) {
    size_t take = std::min(left, sizeof(buffer_) - buffered_);
    std::memcpy(buffer_ + buffered_, p, take);
    buffered_ += take;
    p += take;
    left -= take;
    if (buffered_ < sizeof(buffer_)) return;
    ProcessBlock(buffer_);
    buffered_ = 0;
  }
  for (; left >= sizeof(buffer_); p += sizeof(buffer_), left -= sizeof(buffer_)) ProcessBlock(p);
  std::memcpy(buffer_, p, left);
  buffered_ = left;
}

Sha1::Digest Sha1::Finish() {
  uint64_t length_bits = length_bytes_ * 8;
  // Padding: a 1 bit, zeros up to 56 bytes mod 64, then the length in bits, big-endian.
  uint8_t padding[72] = {0x80};
  size_t padding_bytes = (buffered_ < 56 ? 56 : 120) - buffered_;
  for (int i = 0; i < 8; i++) {
    padding[padding_bytes + i] = static_cast<uint8_t>(length_bits >> (56 - 8 * i));
  }
  uint64_t length_before = length_bytes_;
  Update(std::string_view(reinterpret_cast<const char*>(padding), padding_bytes + 8));
  length_bytes_ = length_before;
  Digest digest;
  for (int i = 0; i < 5; i++) {
    for (int j = 0; j < 4; j++) digest[4 * i + j] = static_cast<uint8_t>(state_[i] >> (24 - 8 * j));
  }
  return digest;
}

Sha1::Digest Sha1::Of(std::string_view bytes) {
  Sha1 sha1;
  sha1.Update(bytes);
  return sha1.Finish();
}

std::string HexDigest(const Sha1::Digest& digest) {
  static constexpr char kDigits[] = "0123456789abcdef";
  std::string text;
  text.reserve(2 * digest.size());
  for (uint8_t byte : digest) {
    text.push_back(kDigits[byte >> 4]);
    text.push_back(kDigits[byte & 15]);
  }
  return text;
}

}  // namespace ringdb
