// Fuzz target for the RESP request parser.
//
// Property checked besides "no crash": parsing the input in one piece and parsing it in pieces
// (split where the input's first bytes say) yield the same commands and the same error. The
// server keeps unconsumed bytes exactly the way Feed() does.
#include <cstddef>
#include <cstdint>
#include <cstdlib>
#include <string>
#include <string_view>
#include <vector>

#include "ringdb/resp/parser.h"

namespace {

struct Outcome {
  std::vector<std::vector<std::string>> commands;
  std::string error;
  bool operator==(const Outcome&) const = default;
};

// Limits small enough that the fuzzer reaches them.
constexpr int64_t kBulkBytesMax = 4096;
constexpr size_t kCommandsMax = 10000;

Outcome Feed(std::string_view input, const std::vector<size_t>& cuts) {
  ringdb::resp::Parser parser(kBulkBytesMax);
  Outcome outcome;
  std::string buffer;
  size_t fed = 0;
  std::vector<size_t> ends = cuts;
  ends.push_back(input.size());
  for (size_t end : ends) {
    if (end < fed || end > input.size()) continue;
    buffer.append(input.substr(fed, end - fed));
    fed = end;
    while (outcome.commands.size() < kCommandsMax) {
      size_t consumed = 0;
      auto status = parser.Parse(buffer, &consumed);
      if (consumed > buffer.size()) std::abort();
      if (status == ringdb::resp::Parser::Status::kError) {
        outcome.error = parser.error();
        if (outcome.error.rfind("Protocol error: ", 0) != 0) std::abort();
        return outcome;
      }
      if (status == ringdb::resp::Parser::Status::kIncomplete) {
        buffer.erase(0, consumed);
        break;
      }
      if (parser.args().empty()) std::abort();  // Empty commands are skipped, never returned.
      std::vector<std::string> args;
      for (std::string_view arg : parser.args()) args.emplace_back(arg);
      outcome.commands.push_back(std::move(args));
      buffer.erase(0, consumed);
    }
  }
  return outcome;
}

}  // namespace

extern "C" int LLVMFuzzerTestOneInput(const uint8_t* data, size_t size) {
  if (size < 2) return 0;
  // The first two bytes choose split points; the rest is the stream.
  size_t first_cut = data[0];
  size_t cut_step = static_cast<size_t>(data[1]) + 1;
  std::string_view input(reinterpret_cast<const char*>(data + 2), size - 2);
  Outcome whole = Feed(input, {});
  std::vector<size_t> cuts;
  for (size_t cut = first_cut; cut < input.size(); cut += cut_step) cuts.push_back(cut);
  Outcome pieces = Feed(input, cuts);
  if (!(whole == pieces)) std::abort();
  return 0;
}
