// Fuzz target for the config-file parser (LoadConfigText) and CONFIG REWRITE's text
// transformation.
//
// Properties checked besides "no crash":
// - any text either loads or fails with "<origin>:<line>: '<line>': <reason>", naming a line
//   the text has;
// - a loaded configuration survives CONFIG REWRITE: the rewritten text loads again and gives
//   every directive the same CONFIG GET value, and so does rewriting it once more (which, as in
//   Redis, may move client-output-buffer-limit lines: config_file_test.cc);
// - CONFIG SET of each mutable directive to its own CONFIG GET value is accepted and changes
//   nothing (what `redis-cli CONFIG GET *` dumps can be set back).
#include <cstddef>
#include <cstdint>
#include <cstdlib>
#include <string>
#include <string_view>
#include <vector>

#include "check.h"
#include "ringdb/server/config.h"

namespace {

using ringdb::Result;
using ringdb::Status;
using ringdb::server::Config;
using ringdb::server::ConfigRegistry;
using ringdb::server::DirectiveInfo;

constexpr std::string_view kOrigin = "fuzz.conf";

using ringdb::fuzz::Check;

std::vector<std::string> AllValues(const Config& config) {
  std::vector<std::string> values;
  for (const DirectiveInfo& info : ConfigRegistry::Directives()) {
    Result<std::string> value = ConfigRegistry::Get(config, info.name);
    Check(value.ok());
    values.push_back(*value);
  }
  return values;
}

size_t LineCount(std::string_view text) {
  size_t lines = 0;
  while (!text.empty()) {
    lines++;
    size_t newline = text.find('\n');
    if (newline == std::string_view::npos) break;
    text.remove_prefix(newline + 1);
  }
  return lines;
}

// "<origin>:<line>: '" with 1 <= line <= the text's line count.
void CheckErrorNamesALine(const Status& status, std::string_view text) {
  std::string_view message = status.message();
  Check(message.substr(0, kOrigin.size() + 1) == std::string(kOrigin) + ":");
  message.remove_prefix(kOrigin.size() + 1);
  size_t colon = message.find(':');
  Check(colon != std::string_view::npos && colon > 0);
  size_t line = 0;
  for (char c : message.substr(0, colon)) {
    Check(c >= '0' && c <= '9');
    line = line * 10 + static_cast<size_t>(c - '0');
  }
  Check(line >= 1 && line <= LineCount(text));
  Check(message.substr(colon, 3) == ": '");
}

void CheckRewriteRoundTrip(std::string_view text, const Config& config) {
  std::string rewritten = ringdb::server::RewriteConfigText(text, config);
  Config reloaded;
  Status status = ringdb::server::LoadConfigText(reloaded, rewritten, kOrigin);
  Check(status.ok());
  Check(AllValues(reloaded) == AllValues(config));
  std::string rewritten_again = ringdb::server::RewriteConfigText(rewritten, reloaded);
  Config reloaded_again;
  Check(ringdb::server::LoadConfigText(reloaded_again, rewritten_again, kOrigin).ok());
  Check(AllValues(reloaded_again) == AllValues(config));
}

void CheckSetOfGetIsIdentity(const Config& config) {
  std::vector<std::string> before = AllValues(config);
  for (const DirectiveInfo& info : ConfigRegistry::Directives()) {
    if (info.flags & ringdb::server::kImmutable) continue;
    Result<std::string> value = ConfigRegistry::Get(config, info.name);
    Check(value.ok());
    std::string_view pair[] = {info.name, *value};
    Result<Config> next = ConfigRegistry::SetPairs(config, pair, true);
    Check(next.ok());
    Check(AllValues(*next) == before);
  }
}

}  // namespace

extern "C" int LLVMFuzzerTestOneInput(const uint8_t* data, size_t size) {
  std::string_view text(reinterpret_cast<const char*>(data), size);
  Config config;
  Status status = ringdb::server::LoadConfigText(config, text, kOrigin);
  if (!status.ok()) {
    CheckErrorNamesALine(status, text);
    return 0;
  }
  CheckRewriteRoundTrip(text, config);
  CheckSetOfGetIsIdentity(config);
  return 0;
}
