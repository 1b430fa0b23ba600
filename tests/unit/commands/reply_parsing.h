// Helpers for tests of commands whose replies are arrays: building the expected RESP and
// reading SCAN / KEYS replies back.
#pragma once

#include <doctest/doctest.h>

#include <algorithm>
#include <cstdint>
#include <initializer_list>
#include <string>
#include <string_view>
#include <vector>

#include "ringdb/testing/command_runner.h"

namespace ringdb::testing {

// "*N\r\n" followed by each item as a bulk string.
inline std::string BulkArray(const std::vector<std::string>& items) {
  std::string text = "*" + std::to_string(items.size()) + "\r\n";
  for (const std::string& item : items) text += Bulk(item);
  return text;
}

// Reads a RESP2 array of bulk strings starting at *offset; advances *offset past it.
inline std::vector<std::string> ReadBulkArray(std::string_view reply, size_t* offset) {
  std::vector<std::string> items;
  auto read_line = [&]() {
    size_t end = reply.find("\r\n", *offset);
    REQUIRE(end != std::string_view::npos);
    std::string line(reply.substr(*offset, end - *offset));
    *offset = end + 2;
    return line;
  };
  std::string header = read_line();
  REQUIRE(header[0] == '*');
  size_t count = std::stoul(header.substr(1));
  for (size_t i = 0; i < count; i++) {
    std::string length_line = read_line();
    REQUIRE(length_line[0] == '$');
    size_t length = std::stoul(length_line.substr(1));
    items.emplace_back(reply.substr(*offset, length));
    *offset += length + 2;
  }
  return items;
}

// The items of a KEYS-style reply, sorted (Redis's order is the hash table's).
inline std::vector<std::string> SortedBulkArray(std::string_view reply) {
  size_t offset = 0;
  std::vector<std::string> items = ReadBulkArray(reply, &offset);
  REQUIRE(offset == reply.size());
  std::sort(items.begin(), items.end());
  return items;
}

struct ScanPage {
  std::string cursor;
  std::vector<std::string> keys;
};

// Parses a SCAN reply: "*2", the cursor as a bulk string, then the array of keys.
inline ScanPage ParseScanReply(std::string_view reply) {
  REQUIRE(reply.substr(0, 4) == "*2\r\n");
  size_t offset = 4;
  size_t end = reply.find("\r\n", offset);
  size_t length = std::stoul(std::string(reply.substr(offset + 1, end - offset - 1)));
  ScanPage page;
  page.cursor = std::string(reply.substr(end + 2, length));
  offset = end + 2 + length + 2;
  page.keys = ReadBulkArray(reply, &offset);
  REQUIRE(offset == reply.size());
  return page;
}

}  // namespace ringdb::testing
