// SHA-1 (FIPS 180-4). Redis uses it where a stable fingerprint is needed, not secrecy: DEBUG
// DIGEST mixes it over the dataset, and scripts are named by the SHA-1 of their body.
#pragma once

#include <array>
#include <cstddef>
#include <cstdint>
#include <string>
#include <string_view>

namespace ringdb {

class Sha1 {
 public:
  static constexpr size_t kDigestBytes = 20;
  using Digest = std::array<uint8_t, kDigestBytes>;

  Sha1();

  void Update(std::string_view bytes);
  // The digest of everything passed to Update. The object must not be used afterwards.
  Digest Finish();

  static Digest Of(std::string_view bytes);

 private:
  void ProcessBlock(const uint8_t* block);

  uint32_t state_[5];
  uint64_t length_bytes_ = 0;
  uint8_t buffer_[64];
  size_t buffered_ = 0;
};

// Lowercase hexadecimal text of a digest (40 characters).
std::string HexDigest(const Sha1::Digest& digest);

}  // namespace ringdb
