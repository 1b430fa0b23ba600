// SHUTDOWN DEBUG: commands for operators and test suites.
#include <arpa/inet.h>
#include <time.h>

#include <cerrno>
#include <cmath>
#include <cstdlib>
#include <optional>
#include <random>
#include <string>

#include "ringdb/base/log.h"
#include "ringdb/base/sha1.h"
#include "ringdb/base/strings.h"
#include "ringdb/commands/context.h"
#include "ringdb/commands/errors.h"
#include "ringdb/commands/help.h"
#include "ringdb/commands/shared_integers.h"
#include "ringdb/server/client.h"
#include "ringdb/server/server.h"
#include "ringdb/store/hash_value.h"
#include "ringdb/store/list_value.h"
#include "ringdb/store/set_value.h"
#include "ringdb/store/stream_value.h"
#include "ringdb/store/zset_value.h"
#include "server_commands.h"

namespace ringdb::server {
namespace {

using commands::CommandContext;
using commands::CommandSpec;
using store::Entry;

Client& ClientOf(CommandContext& context) { return *context.client; }
Server& ServerOf(CommandContext& context) { return *context.client->server(); }

// ---- SHUTDOWN ----

enum ShutdownFlag : uint32_t {
  kShutdownNoSave = 1u << 0,
  kShutdownSave = 1u << 1,
  kShutdownNow = 1u << 2,
  kShutdownForce = 1u << 3,
};

// SHUTDOWN [NOSAVE | SAVE] [NOW] [FORCE] [ABORT]. On success the server exits without
// replying: the connection just closes.
void Shutdown(CommandContext& context) {
  uint32_t flags = 0;
  bool abort = false;
  for (size_t i = 1; i < context.argc(); i++) {
    std::string_view option = context.arg(i);
    if (EqualsIgnoreCase(option, "nosave")) {
      flags |= kShutdownNoSave;
    } else if (EqualsIgnoreCase(option, "save")) {
      flags |= kShutdownSave;
    } else if (EqualsIgnoreCase(option, "now")) {
      flags |= kShutdownNow;
    } else if (EqualsIgnoreCase(option, "force")) {
      flags |= kShutdownForce;
    } else if (EqualsIgnoreCase(option, "abort")) {
      abort = true;
    } else {
      context.reply.Error(commands::errors::kSyntax);
      return;
    }
  }
  if ((abort && flags != 0) || ((flags & kShutdownNoSave) && (flags & kShutdownSave))) {
    context.reply.Error(commands::errors::kSyntax);
    return;
  }
  if (abort) {
    // A shutdown never waits (there are no replicas to wait for), so none is in progress.
    context.reply.Error("No shutdown in progress.");
    return;
  }
  Server& server = ServerOf(context);
  Client& client = ClientOf(context);
  // Saving is asked for with SAVE, or implied by save rules unless NOSAVE says otherwise.
  // While the snapshot still loads there is nothing to save (Redis: NOSAVE while loading).
  bool save = server.loading() == nullptr &&
              ((flags & kShutdownSave) != 0 ||
               ((flags & kShutdownNoSave) == 0 && !server.config().save_rules.empty()));
  if (!save) {
    server.RequestShutdown("SHUTDOWN");
    // Nothing the client sent after SHUTDOWN runs.
    client.close_after_reply = true;
    return;
  }
  if (server.shutdown_saving()) {
    context.reply.Error("Errors trying to SHUTDOWN. Check logs.");
    return;
  }
  uint64_t id = client.id();
  server.SuspendClient(client);
  server.SaveThenShutdown("SHUTDOWN", (flags & kShutdownForce) != 0, [&server, id](bool exiting) {
    server.ResumeClient(id, [exiting](Client& waiting) {
      if (exiting) {
        waiting.close_after_reply = true;
      } else {
        waiting.reply.Error("Errors trying to SHUTDOWN. Check logs.");
      }
    });
  });
}

// ---- DEBUG OBJECT ----

// Bytes of an RDB length prefix (rdbSaveLen).
size_t RdbLengthBytes(uint64_t length) {
  if (length < (1u << 6)) return 1;
  if (length < (1u << 14)) return 2;
  if (length <= UINT32_MAX) return 5;
  return 9;
}

// Bytes of an integer in RDB's compact integer encodings, or 0 when it does not fit int32.
size_t RdbIntegerBytes(int64_t value) {
  if (value >= INT8_MIN && value <= INT8_MAX) return 2;
  if (value >= INT16_MIN && value <= INT16_MAX) return 3;
  if (value >= INT32_MIN && value <= INT32_MAX) return 5;
  return 0;
}

// The size a string takes in an RDB file (rdbSavedObjectLen for strings): short canonical
// integers use the integer encodings, everything else a length and the bytes. Redis also
// tries LZF on strings over 20 bytes when rdbcompression is on; that is not modelled, so such
// strings report their uncompressed size.
size_t RdbStringBytes(std::string_view value) {
  // rdbTryIntegerEncoding only looks at strings of up to 11 bytes; "int" values are at most
  // 20 and are encoded the same way when they fit int32.
  if (value.size() <= kInt64TextMax) {
    std::optional<int64_t> number = ParseInt64(value);
    if (number) {
      size_t bytes = RdbIntegerBytes(*number);
      if (bytes != 0) return bytes;
    }
  }
  return RdbLengthBytes(value.size()) + value.size();
}

// Redis's estimateObjectIdleTime in seconds: the LRU clock is 24 bits of seconds and wraps.
uint64_t IdleSeconds(uint32_t lru_now, uint32_t lru) {
  constexpr uint32_t kLruClockMax = (1u << 24) - 1;
  if (lru_now >= lru) return lru_now - lru;
  return static_cast<uint64_t>(lru_now) + (kLruClockMax - lru);
}

// DEBUG OBJECT key: a status line in Redis's format. Like Redis it looks at the key even when
// it is logically expired. Strings are the only values so far; other types must report their
// own RDB size (and Redis's extra quicklist fields) when they arrive.
void DebugObject(CommandContext& context) {
  const Entry* entry = context.db().table().Find(context.arg(2));
  if (entry == nullptr) {
    context.reply.Error(commands::errors::kNoSuchKey);
    return;
  }
  bool shared = commands::IsSharedInteger(*entry, context.limits.share_small_integers);
  char line[256];
  snprintf(line, sizeof(line),
           "Value at:%p refcount:%d encoding:%s serializedlength:%zu lru:%u "
           "lru_seconds_idle:%llu",
           static_cast<const void*>(entry), shared ? INT32_MAX : int{entry->refcount()},
           store::EncodingName(entry->ObjectEncoding()), RdbStringBytes(entry->value()),
           entry->lru(),
           static_cast<unsigned long long>(IdleSeconds(context.lru_clock(), entry->lru())));
  context.reply.Simple(line);
}

// ---- DEBUG DIGEST / DIGEST-VALUE ----
//
// Redis's dataset digest, exactly: a key's digest mixes (digest = SHA1(digest ^ SHA1(data)))
// its name, its type as a 32-bit big-endian number and its value, and XORs in SHA1 of
// "!!expire!!" when it has a deadline; a database mixes its index into the total, and the
// SHA1 of each key digest is XORed into it, so the order of keys does not matter.

using Digest = Sha1::Digest;

void XorDigest(Digest& digest, std::string_view data) {
  Digest hash = Sha1::Of(data);
  for (size_t i = 0; i < digest.size(); i++) digest[i] ^= hash[i];
}

void MixDigest(Digest& digest, std::string_view data) {
  XorDigest(digest, data);
  digest = Sha1::Of(std::string_view(reinterpret_cast<const char*>(digest.data()), digest.size()));
}

void MixNumber(Digest& digest, uint32_t number) {
  uint32_t big_endian = htonl(number);
  MixDigest(digest, std::string_view(reinterpret_cast<const char*>(&big_endian), 4));
}

// Redis's object type numbers (OBJ_STRING ... OBJ_STREAM; 5 is a module type).
uint32_t RedisTypeNumber(store::ValueType type) {
  return type == store::ValueType::kStream ? 6 : static_cast<uint32_t>(type);
}

// xorObjectDigest of a sorted set: each element's digest (member, then the score as
// fpconv_dtoa writes it) xored in, so the order of the elements does not matter.
void MixZset(Digest& digest, const store::ZsetValue& zset) {
  if (zset.size() == 0) return;
  char text[store::kScoreTextMax];
  for (store::ZsetCursor c = zset.At(0); c.valid(); c.Next()) {
    Digest element{};
    MixDigest(element, c.member());
    MixDigest(element, std::string_view(text, store::FormatScoreDtoa(c.score(), text)));
    XorDigest(digest,
              std::string_view(reinterpret_cast<const char*>(element.data()), element.size()));
  }
}

// A set's members in any order: Redis xors each member's digest into the value's.
void MixSetDigest(Digest& digest, const Entry& entry) {
  char scratch[kInt64TextMax + 1];
  static_cast<const store::SetValue*>(entry.object())
      ->ForEach(
          [&](const store::ListpackValue& member) { XorDigest(digest, member.Text(scratch)); });
}

// A hash: each pair mixes its field and value into a zeroed digest whose SHA1 is XORed into
// the value's digest (so the order does not matter), as xorObjectDigest does.
void MixHash(Digest& digest, const store::Object& object) {
  static_cast<const store::HashValue&>(object).ForEach([&](std::string_view field,
                                                           std::string_view value) {
    Digest pair{};
    MixDigest(pair, field);
    MixDigest(pair, value);
    XorDigest(digest, std::string_view(reinterpret_cast<const char*>(pair.data()), pair.size()));
  });
}

// xorObjectDigest's stream case: each live entry's "<ms>.<seq>", then its fields and values.
void MixStream(Digest& digest, const Entry& entry) {
  const auto* stream = static_cast<const store::StreamValue*>(entry.object());
  store::StreamValue::Iterator it(*stream, store::StreamId{}, store::StreamId::Max(), false);
  store::StreamId id;
  int64_t fields;
  char field_text[24];
  char value_text[24];
  while (it.Next(&id, &fields)) {
    MixDigest(digest, std::to_string(id.ms) + "." + std::to_string(id.seq));
    for (int64_t i = 0; i < fields; i++) {
      store::ListpackValue field;
      store::ListpackValue value;
      it.NextField(&field, &value);
      MixDigest(digest, field.Text(field_text));
      MixDigest(digest, value.Text(value_text));
    }
  }
}

// A list: its elements in order.
void MixList(Digest& digest, const Entry& entry) {
  static_cast<const store::ListValue*>(entry.object())
      ->Visit(0, false, [&](const store::ListpackValue& element) {
        char scratch[24];
        MixDigest(digest, element.Text(scratch));
        return true;
      });
}

// Redis's xorObjectDigest: each type mixes its contents as Redis does.
void MixValue(Digest& digest, const Entry& entry) {
  MixNumber(digest, RedisTypeNumber(entry.type()));
  if (entry.type() == store::ValueType::kString) MixDigest(digest, entry.value());
  if (entry.type() == store::ValueType::kSet) MixSetDigest(digest, entry);
  if (entry.type() == store::ValueType::kHash) MixHash(digest, *entry.object());
  if (entry.type() == store::ValueType::kStream) MixStream(digest, entry);
  if (entry.type() == store::ValueType::kList) MixList(digest, entry);
  if (entry.type() == store::ValueType::kZset) {
    MixZset(digest, *static_cast<const store::ZsetValue*>(entry.object()));
  }
  if (entry.has_expire()) XorDigest(digest, "!!expire!!");
}

Digest DatasetDigest(store::Keyspace& keyspace) {
  Digest total{};
  for (int index = 0; index < keyspace.database_count(); index++) {
    const store::Table& table = keyspace.database(index).table();
    if (table.size() == 0) continue;
    MixNumber(total, static_cast<uint32_t>(index));
    table.ForEach([&](const Entry* entry) {
      Digest key_digest{};
      MixDigest(key_digest, entry->key());
      MixValue(key_digest, *entry);
      XorDigest(total, std::string_view(reinterpret_cast<const char*>(key_digest.data()),
                                        key_digest.size()));
    });
  }
  return total;
}

void DebugDigest(CommandContext& context) {
  context.reply.Simple(HexDigest(DatasetDigest(context.keyspace)));
}

void DebugDigestValue(CommandContext& context) {
  context.reply.ArrayHeader(context.argc() - 2);
  for (size_t i = 2; i < context.argc(); i++) {
    Digest digest{};
    const Entry* entry = context.db().table().Find(context.arg(i));
    if (entry != nullptr) MixValue(digest, *entry);
    context.reply.Simple(HexDigest(digest));
  }
}

// ---- DEBUG POPULATE ----

// Redis's getPositiveLongFromObjectOrReply with its default message.
std::optional<int64_t> NonNegativeArg(CommandContext& context, size_t index) {
  std::optional<int64_t> value = ParseInt64(context.arg(index));
  if (!value || *value < 0) {
    context.reply.Error("value is out of range, must be positive");
    return std::nullopt;
  }
  return value;
}

// Redis formats keys into a 128-byte buffer, so a long prefix is cut to 127 bytes.
constexpr size_t kPopulateKeyBytesMax = 127;

// DEBUG POPULATE count [prefix] [size]: string keys prefix:0 .. prefix:count-1 holding
// "value:N", zero-padded or cut to `size` bytes when size is given; existing keys are kept.
// Not a write in the log's sense: Redis does not propagate it either.
void DebugPopulate(CommandContext& context) {
  std::optional<int64_t> count = NonNegativeArg(context, 2);
  if (!count) return;
  int64_t value_bytes = 0;
  if (context.argc() == 5) {
    std::optional<int64_t> size = NonNegativeArg(context, 4);
    if (!size) return;
    value_bytes = *size;
  }
  std::string prefix = context.argc() >= 4 ? std::string(context.arg(3)) : "key";
  for (int64_t j = 0; j < *count; j++) {
    std::string key = (prefix + ":" + std::to_string(j)).substr(0, kPopulateKeyBytesMax);
    if (context.LookupWrite(key) != nullptr) continue;
    std::string value = "value:" + std::to_string(j);
    if (value_bytes > 0) value.resize(static_cast<size_t>(value_bytes), '\0');
    store::Encoding encoding =
        value.size() <= store::kEmbstrBytesMax ? store::Encoding::kEmbstr : store::Encoding::kRaw;
    context.db().table().Insert(
        Entry::New(key, value, store::ValueType::kString, encoding, store::kNoExpire));
    if (context.events != nullptr) context.events->KeyModified(context.session.db_index, key);
  }
  context.reply.Ok();
}

// ---- DEBUG PROTOCOL ----

// DEBUG PROTOCOL <type>: one sample reply of each RESP3 type, for client test suites.
void DebugProtocol(CommandContext& context) {
  std::string_view name = context.arg(2);
  resp::ReplyBuilder& reply = context.reply;
  if (EqualsIgnoreCase(name, "string")) {
    reply.Bulk("Hello World");
  } else if (EqualsIgnoreCase(name, "integer")) {
    reply.Integer(12345);
  } else if (EqualsIgnoreCase(name, "double")) {
    reply.Double(3.141);
  } else if (EqualsIgnoreCase(name, "bignum")) {
    reply.BigNumber("1234567999999999999999999999999999999");
  } else if (EqualsIgnoreCase(name, "null")) {
    reply.Null();
  } else if (EqualsIgnoreCase(name, "array") || EqualsIgnoreCase(name, "set")) {
    if (EqualsIgnoreCase(name, "set")) {
      reply.SetHeader(3);
    } else {
      reply.ArrayHeader(3);
    }
    for (int j = 0; j < 3; j++) reply.Integer(j);
  } else if (EqualsIgnoreCase(name, "map")) {
    reply.MapHeader(3);
    for (int j = 0; j < 3; j++) {
      reply.Integer(j);
      reply.Bool(j == 1);
    }
  } else if (EqualsIgnoreCase(name, "attrib")) {
    // Attributes exist only in RESP3; a real reply always follows them.
    if (reply.resp3()) {
      reply.AttributeHeader(1);
      reply.Bulk("key-popularity");
      reply.ArrayHeader(2);
      reply.Bulk("key:123");
      reply.Integer(90);
    }
    reply.Bulk("Some real reply following the attribute");
  } else if (EqualsIgnoreCase(name, "push")) {
    if (!reply.resp3()) {
      reply.Error("RESP2 is not supported by this command");
      return;
    }
    reply.PushHeader(2);
    reply.Bulk("server-cpu-usage");
    reply.Integer(42);
    reply.Bulk("Some real reply following the push reply");
  } else if (EqualsIgnoreCase(name, "true")) {
    reply.Bool(true);
  } else if (EqualsIgnoreCase(name, "false")) {
    reply.Bool(false);
  } else if (EqualsIgnoreCase(name, "verbatim")) {
    reply.Verbatim("This is a verbatim\nstring");
  } else {
    reply.Error(
        "Wrong protocol type name. Please use one of the following: "
        "string|integer|double|bignum|null|array|set|map|attrib|push|verbatim|true|false");
  }
}

// ---- The small ones ----

// DEBUG SLEEP seconds: stalls the whole server, as in Redis; test suites use it to make the
// server look busy. This is the one deliberate blocking call on the loop, and only an admin
// command can make it. Like Redis's strtod, text that is not a number sleeps 0 seconds.
void DebugSleep(CommandContext& context) {
  std::string text(context.arg(2));
  double seconds = std::strtod(text.c_str(), nullptr);
  if (seconds > 0 && std::isfinite(seconds)) {
    auto microseconds = static_cast<int64_t>(seconds * 1e6);
    timespec duration{static_cast<time_t>(microseconds / 1000000),
                      static_cast<long>((microseconds % 1000000) * 1000)};
    while (nanosleep(&duration, &duration) != 0 && errno == EINTR) {
    }
  }
  context.reply.Ok();
}

// DEBUG SET-ACTIVE-EXPIRE 0|1. Redis reads the flag with atoi, so any text is accepted and
// only a leading nonzero number enables.
void DebugSetActiveExpire(CommandContext& context) {
  std::string text(context.arg(2));
  ServerOf(context).set_active_expire_enabled(std::atoi(text.c_str()) != 0);
  context.reply.Ok();
}

// DEBUG QUICKLIST-PACKED-THRESHOLD size: at most 4 GiB - 1 MiB; 0 restores the 1 GiB default.
void DebugQuicklistPackedThreshold(CommandContext& context) {
  constexpr uint64_t kThresholdBytesMax = (uint64_t{1} << 32) - (uint64_t{1} << 20);
  std::optional<uint64_t> bytes = ParseMemorySize(context.arg(2));
  if (!bytes || *bytes > kThresholdBytesMax) {
    context.reply.Error("argument must be a memory value bigger than 1 and smaller than 4gb");
    return;
  }
  ServerOf(context).set_quicklist_packed_threshold_bytes(*bytes == 0 ? uint64_t{1} << 30 : *bytes);
  context.reply.Ok();
}

void DebugChangeReplicationId(CommandContext& context) {
  ServerOf(context).ChangeReplicationId();
  LOG_WARNING("Changing replication IDs after receiving DEBUG change-repl-id");
  context.reply.Ok();
}

void DebugLog(CommandContext& context) {
  std::string message(context.arg(2));
  LOG_WARNING("DEBUG LOG: %s", message.c_str());
  context.reply.Ok();
}

// Redis's stringmatchlen_fuzz_test: random patterns against random strings must never crash
// the matcher. Seeded, so a failure repeats; fewer cycles than Redis's ten million because
// this runs on the loop.
void DebugStringmatchTest(CommandContext& context) {
  constexpr int kCycles = 100000;
  constexpr size_t kBytesMax = 32;
  std::mt19937 random(0x5eed);
  std::string text;
  std::string pattern;
  int64_t matches = 0;
  for (int cycle = 0; cycle < kCycles; cycle++) {
    text.resize(random() % kBytesMax);
    pattern.resize(random() % kBytesMax);
    for (char& c : text) c = static_cast<char>(random() % 128);
    for (char& c : pattern) c = static_cast<char>(random() % 128);
    matches += GlobMatch(pattern, text) ? 1 : 0;
  }
  LOG_VERBOSE("DEBUG STRINGMATCH-TEST: %lld matches", static_cast<long long>(matches));
  context.reply.Simple("Apparently Redis did not crash: test passed");
}

// Redis's DEBUG HELP entries for the subcommands ringdb implements, in Redis's order.
constexpr const char* kDebugHelp[] = {
    "CHANGE-REPL-ID",
    "    Change the replication IDs of the instance.",
    "    Dangerous: should be used only for testing the replication subsystem.",
    "DIGEST",
    "    Output a hex signature representing the current DB content.",
    "DIGEST-VALUE <key> [<key> ...]",
    "    Output a hex signature of the values of all the specified keys.",
    "LOG <message>",
    "    Write <message> to the server log.",
    "OBJECT <key>",
    "    Show low level info about `key` and associated value.",
    "POPULATE <count> [<prefix>] [<size>]",
    "    Create <count> string keys named key:<num>. If <prefix> is specified then",
    "    it is used instead of the 'key' prefix. These are not propagated to",
    "    replicas. Cluster slots are not respected so keys not belonging to the",
    "    current node can be created in cluster mode.",
    "PROTOCOL <type>",
    "    Reply with a test value of the specified type. <type> can be: string,",
    "    integer, double, bignum, null, array, set, map, attrib, push, verbatim,",
    "    true, false.",
    "SET-ACTIVE-EXPIRE <0|1>",
    "    Setting it to 0 disables expiring keys in background when they are not",
    "    accessed (otherwise the Redis behavior). Setting it to 1 reenables back the",
    "    default.",
    "QUICKLIST-PACKED-THRESHOLD <size>",
    "    Sets the threshold for elements to be inserted as plain vs packed nodes",
    "    Default value is 1GB, allows values up to 4GB. Setting to 0 restores to default.",
    "SLEEP <seconds>",
    "    Stop the server for <seconds>. Decimals allowed.",
    "STRINGMATCH-TEST",
    "    Run a fuzz tester against the stringmatchlen() function.",
};

void DebugHelp(CommandContext& context) { commands::ReplyHelp(context, kDebugHelp); }

// A DEBUG subcommand and the argument counts (DEBUG and the subcommand included) it takes.
struct DebugSubcommand {
  const char* name;
  size_t argc_min;
  size_t argc_max;
  void (*handler)(CommandContext& context);
};

constexpr size_t kAnyCount = SIZE_MAX;

// DEBUG RELOAD [NOSAVE]: save, empty the dataset, load the file back (see Server::DebugReload).
void DebugReload(CommandContext& context) {
  bool save = true;
  for (size_t i = 2; i < context.argc(); i++) {
    std::string_view option = context.arg(i);
    if (EqualsIgnoreCase(option, "nosave")) {
      save = false;
    } else if (EqualsIgnoreCase(option, "merge") || EqualsIgnoreCase(option, "noflush")) {
      context.reply.Error("DEBUG RELOAD MERGE and NOFLUSH are not supported by ringdb");
      return;
    } else {
      context.reply.Error("DEBUG RELOAD only supports the MERGE, NOFLUSH and NOSAVE options.");
      return;
    }
  }
  Client& client = ClientOf(context);
  if (client.in_exec) {
    context.reply.Error("DEBUG RELOAD is not allowed inside a transaction");
    return;
  }
  ServerOf(context).DebugReload(client, save);
}

constexpr DebugSubcommand kDebugSubcommands[] = {
    {"help", 2, 2, DebugHelp},
    {"change-repl-id", 2, 2, DebugChangeReplicationId},
    {"digest", 2, 2, DebugDigest},
    {"digest-value", 2, kAnyCount, DebugDigestValue},
    {"log", 3, 3, DebugLog},
    {"object", 3, 3, DebugObject},
    {"populate", 3, 5, DebugPopulate},
    {"protocol", 3, 3, DebugProtocol},
    {"reload", 2, 5, DebugReload},
    {"set-active-expire", 3, 3, DebugSetActiveExpire},
    {"quicklist-packed-threshold", 3, 3, DebugQuicklistPackedThreshold},
    {"sleep", 3, 3, DebugSleep},
    {"stringmatch-test", 2, 2, DebugStringmatchTest},
    // The name of the fuzz test before Redis 7.0.
    {"stringmatch-len", 2, 2, DebugStringmatchTest},
};

// DEBUG is one command, not a container: like Redis it dispatches on its first argument and
// answers an unknown subcommand or a wrong argument count with the same error.
void Debug(CommandContext& context) {
  for (const DebugSubcommand& sub : kDebugSubcommands) {
    if (!EqualsIgnoreCase(context.arg(1), sub.name)) continue;
    if (context.argc() < sub.argc_min || context.argc() > sub.argc_max) break;
    sub.handler(context);
    return;
  }
  commands::ReplySubcommandSyntaxError(context);
}

using commands::kAdmin;
using commands::kAllowBusy;
using commands::kLoading;
using commands::kNoMulti;
using commands::kNoscript;
using commands::kSentinel;
using commands::kStale;

// clang-format off
constexpr CommandSpec kCommands[] = {
    {"shutdown", -1, kAdmin | kNoscript | kLoading | kStale | kNoMulti | kSentinel | kAllowBusy, 0, 0, 0, Shutdown, "server", "1.0.0", "Synchronously saves the database(s) to disk and shuts down the Redis server.", "O(N) when saving, where N is the total number of keys in all databases when saving data, otherwise O(1)", "@admin @slow @dangerous", "[NOSAVE | SAVE] [NOW] [FORCE] [ABORT]"},
    {"debug", -2, kAdmin | kNoscript | kLoading | kStale | commands::kProtected, 0, 0, 0, Debug, "server", "1.0.0", "A container for debugging commands.", "Depends on subcommand.", "@admin @slow @dangerous", ""},
};
// clang-format on

}  // namespace

void RegisterAdminCommands(commands::CommandTable& table) { table.Register(kCommands); }

}  // namespace ringdb::server
