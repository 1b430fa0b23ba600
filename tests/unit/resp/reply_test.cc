#include <doctest/doctest.h>

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
