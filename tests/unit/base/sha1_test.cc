#include <doctest/doctest.h>

#include <string>

#include "ringdb/base/sha1.h"

using ringdb::HexDigest;
using ringdb::Sha1;

TEST_CASE("SHA-1 matches the FIPS 180 test vectors") {
  CHECK(HexDigest(Sha1::Of("")) == "da39a3ee5e6b4b0d3255bfef95601890afd80709");
  CHECK(HexDigest(Sha1::Of("abc")) == "a9993e364706816aba3e25717850c26c9cd0d89d");
  CHECK(HexDigest(Sha1::Of("abcdbcdecdefdefgefghfghighijhijkijkljklmklmnlmnomnopnopq")) ==
        "84983e441c3bd26ebaae4aa1f95129e5e54670f1");
  CHECK(HexDigest(Sha1::Of(std::string(1000000, 'a'))) ==
        "34aa973cd4c4daa4f61eeb2bdbad27316534016f");
}

TEST_CASE("SHA-1 gives the same digest however the input is split") {
  std::string text;
  for (int i = 0; i < 300; i++) text.push_back(static_cast<char>(i * 7));
  Sha1::Digest whole = Sha1::Of(text);
  for (size_t split :
       {size_t{1}, size_t{55}, size_t{56}, size_t{63}, size_t{64}, size_t{65}, size_t{200}}) {
    CAPTURE(split);
    Sha1 pieces;
    pieces.Update(std::string_view(text).substr(0, split));
    pieces.Update(std::string_view(text).substr(split));
    CHECK(pieces.Finish() == whole);
  }
}

TEST_CASE("SHA-1 pads inputs whose length sits at the block boundaries") {
  // Lengths 55, 56 and 64 exercise the one- and two-block padding paths.
  CHECK(HexDigest(Sha1::Of(std::string(55, 'a'))) == "c1c8bbdc22796e28c0e15163d20899b65621d65a");
  CHECK(HexDigest(Sha1::Of(std::string(56, 'a'))) == "c2db330f6083854c99d4b5bfb6e8f29f201be699");
  CHECK(HexDigest(Sha1::Of(std::string(64, 'a'))) == "0098ba824b5c16427bd7a1122a5a442a25ec644d");
}
