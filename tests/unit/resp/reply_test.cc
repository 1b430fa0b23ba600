#include <doctest/doctest.h>

#include <cmath>

#include <string>

#include "ringdb/resp/reply.h"

using namespace ringdb::resp;

namespace {
std::string Drain(OutputBuffer& buffer) {
  std::string text;
  iovec vectors[64];
  int count = buffer.Gather(vectors, 64);
  for (int i = 0; i < count; i++)
    text.append(static_cast<char*>(vectors[i].iov_base), vectors[i].iov_len);
  buffer.Consume(text.size());
  return text;
}
}  // namespace

TEST_CASE("replies take the client's protocol") {
  OutputBuffer out;
  ReplyBuilder reply(&out, 2);
  reply.Null();
  reply.MapHeader(2);
  reply.Double(1.5);
  reply.Bool(true);
  CHECK(Drain(out) == "$-1\r\n*4\r\n$3\r\n1.5\r\n:1\r\n");
  reply.set_protocol(3);
  reply.Null();
  reply.MapHeader(2);
  reply.Double(1.5);
  reply.Bool(true);
  CHECK(Drain(out) == "_\r\n%2\r\n,1.5\r\n#t\r\n");
}

TEST_CASE("doubles are formatted as Redis 7.2's d2string in RESP2 and RESP3") {
  OutputBuffer out;
  ReplyBuilder reply(&out, 3);
  struct Case {
    double value;
    const char* text;
  };
  const Case cases[] = {
      {1e17, "100000000000000000"},
      {1e-7, "1e-7"},
      {0.0001, "0.0001"},
      {1.5, "1.5"},
      {-0.0, "-0"},
      {0.0, "0"},
      {HUGE_VAL, "inf"},
      {-HUGE_VAL, "-inf"},
      {std::nan(""), "nan"},
      {1e300, "1e+300"},
      {3.141, "3.141"},
      {0.1 + 0.2, "0.30000000000000004"},
      {4611686018427387904.0, "4611686018427387904"},
      {1e21, "1e+21"},
      {9223372036854775808.0, "9223372036854776000"},
      {-2.5e-5, "-0.000025"},
  };
  for (const Case& c : cases) {
    INFO(c.text);
    reply.set_protocol(3);
    reply.Double(c.value);
    CHECK(Drain(out) == std::string(",") + c.text + "\r\n");
    reply.set_protocol(2);
    reply.Double(c.value);
    CHECK(Drain(out) ==
          "$" + std::to_string(std::string(c.text).size()) + "\r\n" + c.text + "\r\n");
  }
}

TEST_CASE("error replies get ERR unless they carry a code, and stay on one line") {
  OutputBuffer out;
  ReplyBuilder reply(&out);
  reply.Error("syntax error");
  reply.Error("-WRONGTYPE Operation against a key holding the wrong kind of value");
  reply.Error("bad\r\nline");
  CHECK(Drain(out) ==
        "-ERR syntax error\r\n-WRONGTYPE Operation against a key holding the wrong kind of "
        "value\r\n-ERR bad  line\r\n");
  CHECK(reply.errors_emitted() == 3);
}

TEST_CASE("output survives partial sends across chunk boundaries") {
  OutputBuffer out;
  std::string expected;
  for (int i = 0; i < 5000; i++) {
    std::string piece = "value-" + std::to_string(i) + "\r\n";
    out.Append(piece);
    expected += piece;
  }
  std::string big(100000, 'b');
  out.Append(big);
  expected += big;
  std::string received;
  while (!out.empty()) {
    iovec vectors[3];
    int count = out.Gather(vectors, 3);
    REQUIRE(count > 0);
    size_t take = vectors[0].iov_len / 2 + 1;
    received.append(static_cast<char*>(vectors[0].iov_base), take);
    out.Consume(take);
  }
  CHECK(received == expected);
  CHECK(out.allocated_bytes() == 0);
}

TEST_CASE("truncation undoes appends") {
  OutputBuffer out;
  out.Append("keep");
  out.Append(std::string(40000, 'x'));
  out.Truncate(4);
  CHECK(Drain(out) == "keep");
}

TEST_CASE("a buffer over its limit drops appends, keeps what came before and says so") {
  constexpr size_t kChunk = OutputBuffer::kChunkBytes;
  OutputBuffer out;
  out.set_limit_bytes(4 * kChunk);
  ReplyBuilder reply(&out);
  // Everything appended before the limit is hit is kept whole.
  std::string kept;
  int appended = 0;
  while (true) {
    reply.Bulk("0123456789");
    if (reply.limit_exceeded()) break;
    kept += "$10\r\n0123456789\r\n";
    REQUIRE(++appended < 10000);
  }
  // A fourth chunk would have reached the limit: the chunks stop at three.
  CHECK(out.allocated_bytes() == 3 * kChunk);
  size_t size = out.size();
  for (int i = 0; i < 100000; i++) reply.Bulk("0123456789");
  // Headers go through Reserve/Commit: dropped too.
  reply.ArrayHeader(12345);
  reply.Integer(42);
  reply.Simple("dropped");
  CHECK(out.allocated_bytes() == 3 * kChunk);
  CHECK(out.size() == size);
  std::string text = Drain(out);
  CHECK(text.substr(0, kept.size()) == kept);
  CHECK(text.size() < kept.size() + 17);
  // Truncating past what was kept is a no-op once the limit dropped bytes.
  reply.Simple("x");
  out.Truncate(1 << 20);
  CHECK(out.limit_exceeded());
  out.Clear();
  CHECK_FALSE(out.limit_exceeded());
  reply.Simple("OK");
  CHECK(Drain(out) == "+OK\r\n");
}

TEST_CASE("a payload that would take the chunks to the limit fills only the room they have") {
  constexpr size_t kChunk = OutputBuffer::kChunkBytes;
  OutputBuffer out;
  out.set_limit_bytes(4 * kChunk);
  out.Append("+first\r\n");
  out.Append(std::string(100000, 'x'));
  CHECK(out.limit_exceeded());
  out.Append("+after\r\n");
  CHECK(out.allocated_bytes() == kChunk);
  std::string text = Drain(out);
  CHECK(text == "+first\r\n" + std::string(kChunk - 8, 'x'));
  CHECK(out.allocated_bytes() == 0);
}

TEST_CASE("without a limit nothing is dropped") {
  OutputBuffer out;
  std::string big(3 * OutputBuffer::kChunkBytes, 'z');
  out.Append(big);
  out.Append("!");
  CHECK_FALSE(out.limit_exceeded());
  CHECK(Drain(out) == big + "!");
}
