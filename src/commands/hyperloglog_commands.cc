// HyperLogLog commands: PFADD PFCOUNT PFMERGE PFDEBUG PFSELFTEST, as Redis's hyperloglog.c
// answers them. The algorithm and the string layout live in ringdb/commands/hyperloglog.h;
// this file is about keys, replies and events.
//
// Like Redis, every command that finds a valid HyperLogLog under a key first makes the value
// the key's own raw string (dbUnshareStringValue), even PFCOUNT, which may then write the
// cached cardinality back into it.
#include <cmath>
#include <cstring>
#include <random>
#include <string>

#include "families.h"
#include "helpers.h"
#include "ringdb/commands/hyperloglog.h"

namespace ringdb::commands {
namespace {

using store::Encoding;
using store::Entry;
using store::Table;
using store::ValueType;

constexpr std::string_view kNotHyperLogLog =
    "-WRONGTYPE Key is not a valid HyperLogLog string value.";
constexpr std::string_view kCorrupt = "-INVALIDOBJ Corrupted HLL object detected";

size_t SparseBytesMax(const CommandContext& context) {
  return static_cast<size_t>(std::max<int64_t>(context.limits.hll_sparse_max_bytes, 0));
}

// Option words compared as Redis's strcasecmp on a C string (up to an embedded NUL).
bool WordIs(std::string_view argument, std::string_view word) {
  return EqualsIgnoreCase(argument.substr(0, argument.find('\0')), word);
}

// Redis's isHLLObjectOrReply: replies WRONGTYPE (the generic text for another type, the
// HyperLogLog one for a string that is not one) and returns true when `entry` is not a
// valid HyperLogLog. REQUIRES: entry != nullptr.
bool RejectNonHyperLogLog(CommandContext& context, const Entry* entry) {
  if (RejectNonString(context, entry)) return true;
  if (!hll::IsHyperLogLog(entry->value())) {
    context.reply.Error(kNotHyperLogLog);
    return true;
  }
  return false;
}

// Replaces the value of the string entry at `position` with `value` (raw encoding, same
// expiry and LRU), in place when the entry is unshared and has the room. A value that grows
// past the room gets an exact-size copy: HyperLogLogs grow rarely, and mostly to 12 KiB once.
void StoreValue(CommandContext& context, Table::Position position, std::string_view value) {
  Table& table = context.db().table();
  Entry* entry = table.PrepareInPlaceChange(position);
  if (!entry->shared() && entry->value_capacity() >= value.size()) {
    std::memcpy(entry->mutable_value(), value.data(), value.size());
    entry->set_value_length(value.size());
    entry->set_encoding(Encoding::kRaw);
    return;
  }
  Entry* copy =
      Entry::New(entry->key(), value, ValueType::kString, Encoding::kRaw, entry->expire_at_ms());
  copy->set_lru(entry->lru());
  table.Replace(position, copy);  // Releases `entry`.
}

// A change that is not a keyspace event (PFCOUNT caching its result, PFDEBUG converting):
// counted for the save rules and WATCH, as Redis's signalModifiedKey + server.dirty++.
void KeyModifiedQuietly(CommandContext& context, std::string_view key, bool signal_watchers) {
  context.counters.dirty++;
  if (signal_watchers && context.events != nullptr) {
    context.events->KeyModified(context.session.db_index, key);
  }
}

// ---------------------------------------------------------------------------------------
// PFADD

// PFADD on a dense value edits the registers in place: no copy of the 12 KiB.
uint64_t AddToDense(CommandContext& context, Entry* entry) {
  auto* registers = reinterpret_cast<uint8_t*>(entry->mutable_value()) + hll::kHeaderBytes;
  uint64_t updated = 0;
  for (size_t i = 2; i < context.argc(); i++) {
    hll::Pattern pattern = hll::PatternOf(context.arg(i));
    if (hll::DenseRegister(registers, pattern.index) < pattern.count) {
      hll::SetDenseRegister(registers, pattern.index, pattern.count);
      updated++;
    }
  }
  if (updated > 0) hll::InvalidateCardinality(entry->mutable_value());
  return updated;
}

void PfAdd(CommandContext& context) {
  std::string_view key = context.arg(1);
  Table::Position position;
  Entry* entry = context.LookupWrite(key, &position);
  uint64_t updated = 0;
  if (entry != nullptr) {
    if (RejectNonHyperLogLog(context, entry)) return;
    entry = UnshareString(context, position, entry->value_length());
    if (hll::EncodingOf(entry->value()) == hll::kEncodingDense) {
      updated = AddToDense(context, entry);
      if (updated > 0) context.KeyChanged(key, kNotifyString, "pfadd", updated);
      context.reply.Integer(updated > 0 ? 1 : 0);
      return;
    }
  }
  // A sparse value is edited in a copy (it is small: at most hll-sparse-max-bytes, or 12 KiB
  // once it turns dense) and stored back.
  std::string value = entry != nullptr ? std::string(entry->value()) : hll::NewHyperLogLog();
  if (entry == nullptr) updated++;
  size_t sparse_bytes_max = SparseBytesMax(context);
  for (size_t i = 2; i < context.argc(); i++) {
    hll::SetResult result = hll::Add(&value, context.arg(i), sparse_bytes_max);
    if (result == hll::SetResult::kChanged) updated++;
    if (result == hll::SetResult::kCorrupt) {
      // Redis edits in place, so the elements before the corrupt spot stay added.
      if (entry != nullptr && value != entry->value()) StoreValue(context, position, value);
      context.reply.Error(kCorrupt);
      return;
    }
  }
  if (updated > 0) hll::InvalidateCardinality(value.data());
  if (entry == nullptr) {
    AddEntry(context, NewStringEntry(context, key, value, Encoding::kRaw, store::kNoExpire),
             position.hash);
  } else if (updated > 0) {
    StoreValue(context, position, value);
  }
  if (updated > 0) context.KeyChanged(key, kNotifyString, "pfadd", updated);
  context.reply.Integer(updated > 0 ? 1 : 0);
}

// ---------------------------------------------------------------------------------------
// PFCOUNT PFMERGE

// PFCOUNT of several keys: the estimate of their union, nothing written.
void PfCountUnion(CommandContext& context) {
  hll::RawRegisters max{};
  for (size_t i = 1; i < context.argc(); i++) {
    Entry* entry = context.LookupRead(context.arg(i));
    if (entry == nullptr) continue;  // A missing key is an empty HyperLogLog.
    if (RejectNonHyperLogLog(context, entry)) return;
    if (!hll::MergeInto(entry->value(), &max)) {
      context.reply.Error(kCorrupt);
      return;
    }
  }
  context.reply.Integer(static_cast<int64_t>(hll::CountRaw(max)));
}

void PfCount(CommandContext& context) {
  if (context.argc() > 2) {
    PfCountUnion(context);
    return;
  }
  std::string_view key = context.arg(1);
  Table::Position position;
  Entry* entry = context.LookupRead(key, &position);
  if (entry == nullptr) {
    context.reply.Integer(0);
    return;
  }
  if (RejectNonHyperLogLog(context, entry)) return;
  entry = UnshareString(context, position, entry->value_length());
  if (std::optional<uint64_t> cached = hll::CachedCardinality(entry->value())) {
    context.reply.Integer(static_cast<int64_t>(*cached));
    return;
  }
  std::optional<uint64_t> count = hll::Count(entry->value());
  if (!count) {
    context.reply.Error(kCorrupt);
    return;
  }
  // The cache is part of the value: a write (replicated and persisted), with no event.
  hll::StoreCardinality(entry->mutable_value(), *count);
  KeyModifiedQuietly(context, key, true);
  context.reply.Integer(static_cast<int64_t>(*count));
}

void PfMerge(CommandContext& context) {
  hll::RawRegisters max{};
  bool use_dense = false;
  // The target is also a source.
  for (size_t i = 1; i < context.argc(); i++) {
    Entry* entry = context.LookupRead(context.arg(i));
    if (entry == nullptr) continue;
    if (RejectNonHyperLogLog(context, entry)) return;
    if (hll::EncodingOf(entry->value()) == hll::kEncodingDense) use_dense = true;
    if (!hll::MergeInto(entry->value(), &max)) {
      context.reply.Error(kCorrupt);
      return;
    }
  }
  std::string_view key = context.arg(1);
  Table::Position position;
  Entry* entry = context.LookupWrite(key, &position);
  std::string value = entry != nullptr ? std::string(entry->value()) : hll::NewHyperLogLog();
  // The target was merged above, so it is valid: ToDense cannot fail here.
  if (use_dense) {
    bool valid = hll::ToDense(&value);
    RINGDB_ASSERT(valid);
  }
  size_t sparse_bytes_max = SparseBytesMax(context);
  for (size_t i = 0; i < hll::kRegisters; i++) {
    if (max[i] != 0) hll::SetRegister(&value, i, max[i], sparse_bytes_max);
  }
  hll::InvalidateCardinality(value.data());
  if (entry != nullptr) {
    StoreValue(context, position, value);
  } else {
    AddEntry(context, NewStringEntry(context, key, value, Encoding::kRaw, store::kNoExpire),
             position.hash);
  }
  // PFMERGE sends "pfadd": in effect it adds many elements at once.
  context.KeyChanged(key, kNotifyString, "pfadd");
  context.reply.Ok();
}

// ---------------------------------------------------------------------------------------
// PFDEBUG PFSELFTEST

// Converts the value at `position` to dense unless it is; false after replying INVALIDOBJ.
// `converted` tells whether it was sparse.
bool MakeDense(CommandContext& context, Table::Position position, Entry* entry, bool* converted) {
  *converted = hll::EncodingOf(entry->value()) == hll::kEncodingSparse;
  if (!*converted) return true;
  std::string value(entry->value());
  if (!hll::ToDense(&value)) {
    context.reply.Error(kCorrupt);
    return false;
  }
  StoreValue(context, position, value);
  // Redis counts the change (so it propagates) without signalling the key.
  KeyModifiedQuietly(context, context.arg(2), false);
  return true;
}

// PFDEBUG <GETREG | DECODE | ENCODING | TODENSE> key
void PfDebug(CommandContext& context) {
  std::string_view subcommand = context.arg(1);
  std::string_view key = context.arg(2);
  Table::Position position;
  Entry* entry = context.LookupWrite(key, &position);
  if (entry == nullptr) {
    context.reply.Error("The specified key does not exist");
    return;
  }
  if (RejectNonHyperLogLog(context, entry)) return;
  entry = UnshareString(context, position, entry->value_length());
  bool converted = false;
  if (WordIs(subcommand, "getreg")) {
    if (!MakeDense(context, position, entry, &converted)) return;
    entry = context.db().table().Find(key);
    const auto* registers = reinterpret_cast<const uint8_t*>(entry->value().data());
    context.reply.ArrayHeader(hll::kRegisters);
    for (size_t i = 0; i < hll::kRegisters; i++) {
      context.reply.Integer(hll::DenseRegister(registers + hll::kHeaderBytes, i));
    }
  } else if (WordIs(subcommand, "decode")) {
    if (hll::EncodingOf(entry->value()) != hll::kEncodingSparse) {
      context.reply.Error("HLL encoding is not sparse");
      return;
    }
    context.reply.Bulk(hll::DecodeSparse(entry->value()));
  } else if (WordIs(subcommand, "encoding")) {
    bool dense = hll::EncodingOf(entry->value()) == hll::kEncodingDense;
    context.reply.Simple(dense ? "dense" : "sparse");
  } else if (WordIs(subcommand, "todense")) {
    if (!MakeDense(context, position, entry, &converted)) return;
    context.reply.Integer(converted ? 1 : 0);
  } else {
    context.reply.Error("Unknown PFDEBUG subcommand '" +
                        std::string(subcommand.substr(0, subcommand.find('\0'))) + "'");
  }
}

// PFSELFTEST: Redis's self-test of the register code and the estimator. Random register
// values must read back, and adding up to 10^7 distinct elements to a dense and a sparse
// HyperLogLog must give equal estimates within six standard errors at each power of ten.
std::string SelfTest(uint64_t seed) {
  std::mt19937_64 random(seed);
  std::string dense(hll::kDenseBytes, '\0');
  auto* registers = reinterpret_cast<uint8_t*>(dense.data()) + hll::kHeaderBytes;
  hll::RawRegisters expected{};
  for (int cycle = 0; cycle < 1000; cycle++) {
    for (size_t i = 0; i < hll::kRegisters; i++) {
      expected[i] = static_cast<uint8_t>(random() & hll::kRegisterMax);
      hll::SetDenseRegister(registers, i, expected[i]);
    }
    for (size_t i = 0; i < hll::kRegisters; i++) {
      uint8_t value = hll::DenseRegister(registers, i);
      if (value != expected[i]) {
        return "TESTFAILED Register " + std::to_string(i) + " should be " +
               std::to_string(expected[i]) + " but is " + std::to_string(value);
      }
    }
  }
  std::memset(registers, 0, hll::kDenseBytes - hll::kHeaderBytes);
  std::memcpy(dense.data(), "HYLL", 4);
  std::string sparse = hll::NewHyperLogLog();
  double relative_error = 1.04 / std::sqrt(static_cast<double>(hll::kRegisters));
  uint64_t checkpoint = 1;
  uint64_t salt = random();
  for (uint64_t j = 1; j <= 10000000; j++) {
    uint64_t element = j ^ salt;
    std::string_view bytes(reinterpret_cast<const char*>(&element), sizeof(element));
    hll::Add(&dense, bytes, hll::kSparseBytesMaxDefault);
    hll::Add(&sparse, bytes, hll::kSparseBytesMaxDefault);
    if (j != checkpoint) continue;
    if (j < hll::kSparseBytesMaxDefault / 2 && hll::EncodingOf(sparse) != hll::kEncodingSparse) {
      return "TESTFAILED sparse encoding not used";
    }
    uint64_t estimate = *hll::Count(dense);
    if (estimate != hll::Count(sparse)) return "TESTFAILED dense/sparse disagree";
    auto error = static_cast<uint64_t>(
        std::llabs(static_cast<int64_t>(checkpoint) - static_cast<int64_t>(estimate)));
    auto error_max = static_cast<uint64_t>(std::ceil(relative_error * 6 * checkpoint));
    if (j == 10) error_max = 1;
    if (error > error_max) {
      return "TESTFAILED Too big error. card:" + std::to_string(checkpoint) +
             " abserr:" + std::to_string(error);
    }
    checkpoint *= 10;
  }
  return "";
}

void PfSelfTest(CommandContext& context) {
  std::string failure = SelfTest(static_cast<uint64_t>(context.now_ms));
  if (failure.empty()) {
    context.reply.Ok();
  } else {
    context.reply.Error(failure);
  }
}

// ---------------------------------------------------------------------------------------
// The table, with Redis 7.2's src/commands/*.json values.

// clang-format off
constexpr CommandSpec kCommands[] = {
    {"pfadd", -2, kWrite | kDenyOom | kFast, 1, 1, 1, PfAdd, "hyperloglog", "2.8.9", "Adds elements to a HyperLogLog key. Creates the key if it doesn't exist.", "O(1) to add every element.", "@write @hyperloglog @fast", "key [element [element ...]]"},
    {"pfcount", -2, kReadonly | kMayReplicate, 1, -1, 1, PfCount, "hyperloglog", "2.8.9", "Returns the approximated cardinality of the set(s) observed by the HyperLogLog key(s).", "O(1) with a very small average constant time when called with a single key. O(N) with N being the number of keys, and much bigger constant times, when called with multiple keys.", "@read @hyperloglog @slow", "key [key ...]"},
    {"pfdebug", 3, kWrite | kDenyOom | kAdmin, 2, 2, 1, PfDebug, "hyperloglog", "2.8.9", "Internal commands for debugging HyperLogLog values.", "N/A", "@write @hyperloglog @admin @slow @dangerous", "subcommand key"},
    {"pfmerge", -2, kWrite | kDenyOom, 1, -1, 1, PfMerge, "hyperloglog", "2.8.9", "Merges one or more HyperLogLog values into a single key.", "O(N) to merge N HyperLogLogs, but with high constant times.", "@write @hyperloglog @slow", "destkey [sourcekey [sourcekey ...]]"},
    {"pfselftest", 1, kAdmin, 0, 0, 0, PfSelfTest, "hyperloglog", "2.8.9", "An internal command for testing HyperLogLog values.", "N/A", "@hyperloglog @admin @slow @dangerous", ""},
};
// clang-format on

}  // namespace

void RegisterHyperLogLogCommands(CommandTable& table) { table.Register(kCommands); }

}  // namespace ringdb::commands
