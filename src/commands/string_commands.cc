// String commands: GET SET and friends.
#include <climits>
#include <string>

#include "families.h"
#include "helpers.h"

namespace ringdb::commands {
namespace {

using store::Encoding;
using store::Entry;
using store::kNoExpire;
using store::ValueType;

// SET's option flags (Redis's OBJ_SET_* / OBJ_EX ...).
enum SetFlag : uint32_t {
  kSetNx = 1u << 0,
  kSetXx = 1u << 1,
  kSetGet = 1u << 2,
  kKeepTtl = 1u << 3,
  kPersist = 1u << 4,
  kExpireEx = 1u << 5,
  kExpirePx = 1u << 6,
  kExpireExat = 1u << 7,
  kExpirePxat = 1u << 8,
};
constexpr uint32_t kAnyExpire = kExpireEx | kExpirePx | kExpireExat | kExpirePxat;

enum class ExtendedFor { kSet, kGetEx };

struct ExtendedArgs {
  uint32_t flags = 0;
  std::string_view expire;
};

// Exactly `name` (two or four letters) in any case, as Redis compares these options.
bool IsOption(std::string_view argument, std::string_view name) {
  return EqualsIgnoreCase(argument, name);
}

// Redis's parseExtendedStringArgumentsOrReply for SET (from argument 3) and GETEX (from 2).
std::optional<ExtendedArgs> ParseExtendedArgs(CommandContext& context, size_t first,
                                              ExtendedFor command) {
  ExtendedArgs parsed;
  uint32_t& flags = parsed.flags;
  bool for_set = command == ExtendedFor::kSet;
  for (size_t j = first; j < context.argc(); j++) {
    std::string_view option = context.arg(j);
    bool has_next = j + 1 < context.argc();
    if (IsOption(option, "nx") && !(flags & kSetXx) && for_set) {
      flags |= kSetNx;
    } else if (IsOption(option, "xx") && !(flags & kSetNx) && for_set) {
      flags |= kSetXx;
    } else if (IsOption(option, "get") && for_set) {
      flags |= kSetGet;
    } else if (IsOption(option, "keepttl") && !(flags & kPersist) && !(flags & kAnyExpire) &&
               for_set) {
      flags |= kKeepTtl;
    } else if (IsOption(option, "persist") && !for_set && !(flags & kAnyExpire) &&
               !(flags & kKeepTtl)) {
      flags |= kPersist;
    } else if (IsOption(option, "ex") && !(flags & (kKeepTtl | kPersist)) &&
               !(flags & (kExpireExat | kExpirePx | kExpirePxat)) && has_next) {
      flags |= kExpireEx;
      parsed.expire = context.arg(++j);
    } else if (IsOption(option, "px") && !(flags & (kKeepTtl | kPersist)) &&
               !(flags & (kExpireEx | kExpireExat | kExpirePxat)) && has_next) {
      flags |= kExpirePx;
      parsed.expire = context.arg(++j);
    } else if (IsOption(option, "exat") && !(flags & (kKeepTtl | kPersist)) &&
               !(flags & (kExpireEx | kExpirePx | kExpirePxat)) && has_next) {
      flags |= kExpireExat;
      parsed.expire = context.arg(++j);
    } else if (IsOption(option, "pxat") && !(flags & (kKeepTtl | kPersist)) &&
               !(flags & (kExpireEx | kExpireExat | kExpirePx)) && has_next) {
      flags |= kExpirePxat;
      parsed.expire = context.arg(++j);
    } else {
      context.reply.Error(errors::kSyntax);
      return std::nullopt;
    }
  }
  return parsed;
}

}  // namespace

// The error for a bad expire time, naming the command as Redis does.
std::string ExpireTimeError(const CommandContext& context) {
  return "invalid expire time in '" + context.command->full_name + "' command";
}

// Redis's getExpireMillisecondsOrReply: the absolute deadline in ms for EX/PX/EXAT/PXAT.
std::optional<int64_t> ExpireDeadline(CommandContext& context, std::string_view text,
                                      bool seconds, bool relative) {
  std::optional<int64_t> value = ParseInt64(text);
  if (!value) {
    context.reply.Error(errors::kNotInteger);
    return std::nullopt;
  }
  int64_t milliseconds = *value;
  if (milliseconds <= 0 || (seconds && milliseconds > LLONG_MAX / 1000)) {
    context.reply.Error(ExpireTimeError(context));
    return std::nullopt;
  }
  if (seconds) milliseconds *= 1000;
  if (relative) {
    if (milliseconds > LLONG_MAX - context.now_ms) {
      context.reply.Error(ExpireTimeError(context));
      return std::nullopt;
    }
    milliseconds += context.now_ms;
  }
  return milliseconds;
}

namespace {

// Replies with the string value of `key` (or null); false after replying WRONGTYPE.
bool ReplyStringValue(CommandContext& context, std::string_view key) {
  Entry* entry = context.LookupRead(key);
  if (entry == nullptr) {
    context.reply.Null();
    return true;
  }
  if (RejectNonString(context, entry)) return false;
  context.reply.Bulk(entry->value());
  return true;
}

void Get(CommandContext& context) { ReplyStringValue(context, context.arg(1)); }

void Set(CommandContext& context) {
  std::optional<ExtendedArgs> parsed = ParseExtendedArgs(context, 3, ExtendedFor::kSet);
  if (!parsed) return;
  uint32_t flags = parsed->flags;
  int64_t deadline = kNoExpire;
  if (flags & kAnyExpire) {
    bool seconds = (flags & (kExpireEx | kExpireExat)) != 0;
    bool relative = (flags & (kExpireEx | kExpirePx)) != 0;
    std::optional<int64_t> computed = ExpireDeadline(context, parsed->expire, seconds, relative);
    if (!computed) return;
    deadline = *computed;
  }
  std::string_view key = context.arg(1);
  std::string_view value = context.arg(2);
  if (flags & kSetGet) {
    if (!ReplyStringValue(context, key)) return;
  }
  store::Table::Position position;
  Entry* existing = context.LookupWrite(key, &position);
  if (((flags & kSetNx) && existing != nullptr) || ((flags & kSetXx) && existing == nullptr)) {
    if (!(flags & kSetGet)) context.reply.Null();
    return;
  }
  if ((flags & kKeepTtl) && existing != nullptr) deadline = existing->expire_at_ms();
  Entry* entry = Entry::New(key, value, ValueType::kString, EncodingFor(value), deadline);
  if (existing != nullptr) {
    context.db().table().Replace(position, entry);
  } else {
    context.db().table().Insert(entry);
  }
  context.KeyChanged(key, kNotifyString, "set");
  if (flags & kAnyExpire) context.Notify(kNotifyGeneric, "expire", key);
  if (!(flags & kSetGet)) context.reply.Ok();
}

constexpr CommandSpec kCommands[] = {
    {"get", 2, kReadonly | kFast, 1, 1, 1, Get, "string", "1.0.0", "Returns the string value of a key.", "O(1)", "@read @string @fast", "key"},
    {"set", -3, kWrite | kDenyOom, 1, 1, 1, Set, "string", "1.0.0", "Sets the string value of a key, ignoring its type. The key is created if it doesn't exist.", "O(1)", "@write @string @slow", "key value [NX | XX] [GET] [EX seconds | PX milliseconds | EXAT unix-time-seconds | PXAT unix-time-milliseconds | KEEPTTL]"},
};

}  // namespace

void RegisterStringCommands(CommandTable& table) { table.Register(kCommands); }

}  // namespace ringdb::commands
