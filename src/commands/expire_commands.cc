// Key expiry commands: EXPIRE PEXPIRE EXPIREAT PEXPIREAT TTL PTTL EXPIRETIME PEXPIRETIME
// PERSIST.
//
// An entry's deadline lives inside the entry, so changing it means replacing the entry with a
// copy (Entry::CopyWithExpire) through Table::Replace. That also tells the page's snapshot
// hook before the page changes, which an in-place write would skip.
#include <climits>
#include <optional>
#include <string>

#include "families.h"
#include "helpers.h"

namespace ringdb::commands {
namespace {

using store::Entry;
using store::kNoExpire;
using store::Table;

// The NX XX GT LT conditions of the EXPIRE family.
enum ExpireCondition : uint32_t {
  kExpireNx = 1u << 0,
  kExpireXx = 1u << 1,
  kExpireGt = 1u << 2,
  kExpireLt = 1u << 3,
};

// Redis's parseExtendedExpireArgumentsOrReply: every argument from 3 on is a condition; an
// unknown one is named in the error (up to a NUL byte, as its "%s" prints it).
std::optional<uint32_t> ParseConditions(CommandContext& context) {
  uint32_t flags = 0;
  for (size_t j = 3; j < context.argc(); j++) {
    std::string_view option = context.arg(j);
    if (EqualsIgnoreCase(option, "nx")) {
      flags |= kExpireNx;
    } else if (EqualsIgnoreCase(option, "xx")) {
      flags |= kExpireXx;
    } else if (EqualsIgnoreCase(option, "gt")) {
      flags |= kExpireGt;
    } else if (EqualsIgnoreCase(option, "lt")) {
      flags |= kExpireLt;
    } else {
      context.reply.Error("Unsupported option " + std::string(option.substr(0, option.find('\0'))));
      return std::nullopt;
    }
  }
  if ((flags & kExpireNx) && (flags & (kExpireXx | kExpireGt | kExpireLt))) {
    context.reply.Error("NX and XX, GT or LT options at the same time are not compatible");
    return std::nullopt;
  }
  if ((flags & kExpireGt) && (flags & kExpireLt)) {
    context.reply.Error("GT and LT options at the same time are not compatible");
    return std::nullopt;
  }
  return flags;
}

enum class TimeUnit { kSeconds, kMilliseconds };

// The absolute deadline in Unix ms for argument 2, `base_ms` being 0 for the *AT forms and
// the current time otherwise. Negative values are allowed (they mean "already expired"); only
// overflow is refused, with the command named in the error.
std::optional<int64_t> DeadlineArg(CommandContext& context, int64_t base_ms, TimeUnit unit) {
  std::optional<int64_t> when = IntegerArg(context, 2);
  if (!when) return std::nullopt;
  int64_t deadline_ms = *when;
  if (unit == TimeUnit::kSeconds) {
    if (deadline_ms > LLONG_MAX / 1000 || deadline_ms < LLONG_MIN / 1000) {
      context.reply.Error(ExpireTimeError(context));
      return std::nullopt;
    }
    deadline_ms *= 1000;
  }
  if (deadline_ms > LLONG_MAX - base_ms) {
    context.reply.Error(ExpireTimeError(context));
    return std::nullopt;
  }
  return deadline_ms + base_ms;
}

// Whether the conditions let `deadline_ms` replace `current_ms` (kNoExpire: none). A key
// without a deadline counts as an infinite one for GT and LT.
bool ConditionsAllow(uint32_t flags, int64_t current_ms, int64_t deadline_ms) {
  bool has_deadline = current_ms != kNoExpire;
  if ((flags & kExpireNx) && has_deadline) return false;
  if ((flags & kExpireXx) && !has_deadline) return false;
  if ((flags & kExpireGt) && (!has_deadline || deadline_ms <= current_ms)) return false;
  if ((flags & kExpireLt) && has_deadline && deadline_ms >= current_ms) return false;
  return true;
}

// Redis's expireGenericCommand.
void ExpireGeneric(CommandContext& context, int64_t base_ms, TimeUnit unit) {
  std::optional<uint32_t> flags = ParseConditions(context);
  if (!flags) return;
  std::optional<int64_t> deadline_ms = DeadlineArg(context, base_ms, unit);
  if (!deadline_ms) return;
  std::string_view key = context.arg(1);
  Table::Position position;
  const Entry* entry = context.LookupWrite(key, &position);
  if (entry == nullptr || !ConditionsAllow(*flags, entry->expire_at_ms(), *deadline_ms)) {
    context.reply.Integer(0);
    return;
  }
  Table& table = context.db().table();
  if (*deadline_ms <= context.now_ms) {
    // A deadline already past deletes the key: Redis replicates this as a DEL and sends "del",
    // not "expired".
    table.Remove(position);
    context.KeyChanged(key, kNotifyGeneric, "del");
  } else {
    table.Replace(position, Entry::CopyWithExpire(*entry, *deadline_ms));
    context.KeyChanged(key, kNotifyGeneric, "expire");
  }
  context.reply.Integer(1);
}

void Expire(CommandContext& context) { ExpireGeneric(context, context.now_ms, TimeUnit::kSeconds); }
void PExpire(CommandContext& context) {
  ExpireGeneric(context, context.now_ms, TimeUnit::kMilliseconds);
}
void ExpireAt(CommandContext& context) { ExpireGeneric(context, 0, TimeUnit::kSeconds); }
void PExpireAt(CommandContext& context) { ExpireGeneric(context, 0, TimeUnit::kMilliseconds); }

enum class TtlForm { kRemaining, kAbsolute };

// Redis's ttlGenericCommand: -2 without the key, -1 without a deadline, else the time left
// (or the deadline), never negative. Seconds are rounded to the nearest, as Redis does.
void TtlGeneric(CommandContext& context, TimeUnit unit, TtlForm form) {
  const Entry* entry = LookupReadNoTouch(context, context.arg(1));
  if (entry == nullptr) {
    context.reply.Integer(-2);
    return;
  }
  if (!entry->has_expire()) {
    context.reply.Integer(-1);
    return;
  }
  int64_t value_ms = entry->expire_at_ms();
  if (form == TtlForm::kRemaining) value_ms -= context.now_ms;
  if (value_ms < 0) value_ms = 0;
  context.reply.Integer(unit == TimeUnit::kMilliseconds ? value_ms : (value_ms + 500) / 1000);
}

void Ttl(CommandContext& context) { TtlGeneric(context, TimeUnit::kSeconds, TtlForm::kRemaining); }
void PTtl(CommandContext& context) {
  TtlGeneric(context, TimeUnit::kMilliseconds, TtlForm::kRemaining);
}
void ExpireTime(CommandContext& context) {
  TtlGeneric(context, TimeUnit::kSeconds, TtlForm::kAbsolute);
}
void PExpireTime(CommandContext& context) {
  TtlGeneric(context, TimeUnit::kMilliseconds, TtlForm::kAbsolute);
}

void Persist(CommandContext& context) {
  std::string_view key = context.arg(1);
  Table::Position position;
  const Entry* entry = context.LookupWrite(key, &position);
  if (entry == nullptr || !entry->has_expire()) {
    context.reply.Integer(0);
    return;
  }
  context.db().table().Replace(position, Entry::CopyWithExpire(*entry, kNoExpire));
  context.KeyChanged(key, kNotifyGeneric, "persist");
  context.reply.Integer(1);
}

// clang-format off
constexpr CommandSpec kCommands[] = {
    {"expire", -3, kWrite | kFast, 1, 1, 1, Expire, "generic", "1.0.0", "Sets the expiration time of a key in seconds.", "O(1)", "@keyspace @write @fast", "key seconds [NX | XX | GT | LT]"},
    {"pexpire", -3, kWrite | kFast, 1, 1, 1, PExpire, "generic", "2.6.0", "Sets the expiration time of a key in milliseconds.", "O(1)", "@keyspace @write @fast", "key milliseconds [NX | XX | GT | LT]"},
    {"expireat", -3, kWrite | kFast, 1, 1, 1, ExpireAt, "generic", "1.2.0", "Sets the expiration time of a key to a Unix timestamp.", "O(1)", "@keyspace @write @fast", "key unix-time-seconds [NX | XX | GT | LT]"},
    {"pexpireat", -3, kWrite | kFast, 1, 1, 1, PExpireAt, "generic", "2.6.0", "Sets the expiration time of a key to a Unix milliseconds timestamp.", "O(1)", "@keyspace @write @fast", "key unix-time-milliseconds [NX | XX | GT | LT]"},
    {"ttl", 2, kReadonly | kFast, 1, 1, 1, Ttl, "generic", "1.0.0", "Returns the expiration time in seconds of a key.", "O(1)", "@keyspace @read @fast", "key", {}, "nondeterministic_output"},
    {"pttl", 2, kReadonly | kFast, 1, 1, 1, PTtl, "generic", "2.6.0", "Returns the expiration time in milliseconds of a key.", "O(1)", "@keyspace @read @fast", "key", {}, "nondeterministic_output"},
    {"expiretime", 2, kReadonly | kFast, 1, 1, 1, ExpireTime, "generic", "7.0.0", "Returns the expiration time of a key as a Unix timestamp.", "O(1)", "@keyspace @read @fast", "key"},
    {"pexpiretime", 2, kReadonly | kFast, 1, 1, 1, PExpireTime, "generic", "7.0.0", "Returns the expiration time of a key as a Unix milliseconds timestamp.", "O(1)", "@keyspace @read @fast", "key"},
    {"persist", 2, kWrite | kFast, 1, 1, 1, Persist, "generic", "2.2.0", "Removes the expiration time of a key.", "O(1)", "@keyspace @write @fast", "key"},
};
// clang-format on

}  // namespace

void RegisterExpireCommands(CommandTable& table) { table.Register(kCommands); }

}  // namespace ringdb::commands
