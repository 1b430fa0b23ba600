// Commands that walk the keyspace: KEYS SCAN RANDOMKEY.
#include <algorithm>
#include <cctype>
#include <cinttypes>
#include <optional>
#include <string>
#include <vector>

#include "families.h"
#include "helpers.h"

namespace ringdb::commands {
namespace {

using store::Entry;
using store::Page;

// KEYS and SCAN treat the pattern "*" as "everything": stringmatchlen("*", "") is false, so
// without this the empty key would be missing.
bool MatchesAll(std::string_view pattern) { return pattern == "*"; }

void Keys(CommandContext& context) {
  std::string_view pattern = context.arg(1);
  bool all = MatchesAll(pattern);
  // Nothing changes during the walk (expired keys are skipped, not deleted, as Redis's
  // keyIsExpired does), so views into the entries stay valid until the reply is written.
  std::vector<std::string_view> matched;
  context.db().table().ForEach([&](const Entry* entry) {
    if (entry->ExpiredAt(context.now_ms)) return;
    if (all || GlobMatch(pattern, entry->key())) matched.push_back(entry->key());
  });
  context.reply.ArrayHeader(matched.size());
  for (std::string_view key : matched) context.reply.Bulk(key);
}

// Collects the keys of whole pages from `cursor` on until COUNT keys were sampled, and
// returns the next cursor (0: done). A page is the unit because a cursor is a page boundary
// in hash order: it stays one across splits and merges, which is what makes a key present
// for the whole scan certain to be returned.
uint64_t CollectKeys(const CommandContext& context, uint64_t cursor, const ScanOptions& options,
                     std::vector<std::string>* keys) {
  // Redis stops after COUNT * 10 buckets even if they held nothing.
  int64_t pages_max = options.count > INT64_MAX / 10 ? INT64_MAX : options.count * 10;
  int64_t sampled = 0;
  int64_t pages = 0;
  return context.keyspace.database(context.session.db_index)
      .table()
      .WalkPages(cursor, [&](const Page& page) {
        page.ForEach([&](const Entry* entry) {
          sampled++;
          if (!options.pattern || GlobMatch(*options.pattern, entry->key())) {
            keys->emplace_back(entry->key());
          }
        });
        pages++;
        return sampled < options.count && pages < pages_max;
      });
}

// Drops keys that expired (deleting them, as Redis's expireIfNeeded does) or, with TYPE, are
// of another type. As Redis 7.2, TYPE looks keys up like a read without keymiss events
// (LOOKUP_NOTOUCH|LOOKUP_NONOTIFY), counting keyspace hits and misses; an expired key is never
// of any type, so "TYPE none" matches nothing (7.0 returned expired keys for it).
void FilterKeys(CommandContext& context, const ScanOptions& options,
                std::vector<std::string>* keys) {
  auto drop = [&](const std::string& key) {
    if (options.type) {
      const Entry* entry = LookupReadNoTouch(context, key, /*notify_miss=*/false);
      return entry == nullptr || !EqualsIgnoreCase(*options.type, store::TypeName(entry->type()));
    }
    return context.db().Lookup(key, context.now_ms) == nullptr;
  };
  keys->erase(std::remove_if(keys->begin(), keys->end(), drop), keys->end());
}

void Scan(CommandContext& context) {
  std::optional<uint64_t> cursor = ParseScanCursor(context.arg(1));
  if (!cursor) {
    context.reply.Error(errors::kInvalidCursor);
    return;
  }
  std::optional<ScanOptions> options = ParseScanOptions(context, 2, true);
  if (!options) return;
  // Keys are copied out: filtering may delete expired entries, and pages with them.
  std::vector<std::string> keys;
  uint64_t next = CollectKeys(context, *cursor, *options, &keys);
  FilterKeys(context, *options, &keys);
  char digits[kInt64TextMax + 1];
  size_t length = FormatUint64(next, digits);
  context.reply.ArrayHeader(2);
  context.reply.Bulk(std::string_view(digits, length));
  context.reply.ArrayHeader(keys.size());
  for (const std::string& key : keys) context.reply.Bulk(key);
}

// splitmix64: RANDOMKEY's source of randomness. It needs no quality beyond spreading picks
// over the table, and a fixed sequence keeps tests repeatable. Loop thread only.
uint64_t NextRandom() {
  static uint64_t state = 0x9e3779b97f4a7c15;
  state += 0x9e3779b97f4a7c15;
  uint64_t z = state;
  z = (z ^ (z >> 30)) * 0xbf58476d1ce4e5b9;
  z = (z ^ (z >> 27)) * 0x94d049bb133111eb;
  return z ^ (z >> 31);
}

// Redis's dbRandomKey: a picked key that turns out expired is deleted and another is
// picked. Each retry deletes a key, so the loop ends within size() + 1 picks.
void RandomKey(CommandContext& context) {
  store::Database& database = context.db();
  size_t picks_max = database.size() + 1;
  for (size_t pick = 0; pick < picks_max; pick++) {
    const Entry* entry = database.table().RandomEntry(NextRandom());
    if (entry == nullptr) break;
    if (!entry->ExpiredAt(context.now_ms)) {
      context.reply.Bulk(entry->key());
      return;
    }
    // Lookup deletes the expired entry and reports the expiration.
    std::string key(entry->key());
    const Entry* live = database.Lookup(key, context.now_ms);
    RINGDB_ASSERT(live == nullptr);
  }
  context.reply.Null();
}

// clang-format off
constexpr CommandSpec kCommands[] = {
    {"keys", 2, kReadonly, 0, 0, 0, Keys, "generic", "1.0.0", "Returns all key names that match a pattern.", "O(N) with N being the number of keys in the database, under the assumption that the key names in the database and the given pattern have limited length.", "@keyspace @read @slow @dangerous", "pattern", {}, "request_policy:all_shards nondeterministic_output_order"},
    {"scan", -2, kReadonly, 0, 0, 0, Scan, "generic", "2.8.0", "Iterates over the key names in the database.", "O(1) for every call. O(N) for a complete iteration, including enough command calls for the cursor to return back to 0. N is the number of elements inside the collection.", "@keyspace @read @slow", "cursor [MATCH pattern] [COUNT count] [TYPE type]", {}, "nondeterministic_output request_policy:special response_policy:special"},
    {"randomkey", 1, kReadonly, 0, 0, 0, RandomKey, "generic", "1.0.0", "Returns a random key name from the database.", "O(1)", "@keyspace @read @slow", "", {}, "request_policy:all_shards response_policy:special nondeterministic_output"},
};
// clang-format on

}  // namespace

void RegisterScanCommands(CommandTable& table) { table.Register(kCommands); }

}  // namespace ringdb::commands
