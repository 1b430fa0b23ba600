// Consumer group commands (t_stream.c): XGROUP, XACK, XPENDING, XCLAIM, XAUTOCLAIM and the
// XINFO introspection subcommands, with Redis 7.2's replies, errors and keyspace events.
#include <algorithm>
#include <climits>
#include <vector>

#include "stream_helpers.h"

namespace ringdb::commands::stream {

using store::Entry;
using store::StreamConsumer;
using store::StreamGroup;
using store::StreamPending;
using store::Table;

namespace {

std::string NoSuchGroupForKey(std::string_view group, std::string_view key) {
  return "-NOGROUP No such consumer group '" + std::string(CText(group)) + "' for key name '" +
         std::string(CText(key)) + "'";
}

// The consumer named `name`, created (with its keyspace event) when missing; its seen time
// becomes now.
StreamConsumer* SeenConsumer(CommandContext& context, StreamGroup& group, std::string_view name,
                             std::string_view key) {
  StreamConsumer* consumer = group.FindConsumer(name);
  if (consumer == nullptr) {
    consumer = group.CreateConsumer(name, context.now_ms);
    context.counters.dirty++;
    context.Notify(kNotifyStream, "xgroup-createconsumer", key);
  }
  consumer->seen_time_ms = context.now_ms;
  return consumer;
}

// XGROUP CREATE / SETID: the ID argument, "$" meaning the stream's last ID.
std::optional<StreamId> GroupIdArg(CommandContext& context, const StreamValue* stream,
                                   bool strict) {
  if (CText(context.arg(4)) == "$") return stream != nullptr ? stream->last_id() : StreamId{};
  return ParseId(context, context.arg(4), 0, strict);
}

void GroupCreate(CommandContext& context, Table::Position position, StreamValue* stream,
                 int64_t entries_read) {
  std::string_view key = context.arg(2);
  std::string_view name = context.arg(3);
  std::optional<StreamId> id = GroupIdArg(context, stream, true);
  if (!id) return;
  if (stream != nullptr && stream->FindGroup(name) != nullptr) {
    context.reply.Error("-BUSYGROUP Consumer Group name already exists");
    return;
  }
  if (stream == nullptr) {
    // MKSTREAM, now that the command can no longer fail.
    stream = new StreamValue();
    AddObject(context, key, stream, position.hash);
    if (context.events != nullptr) context.events->KeyModified(context.session.db_index, key);
  } else {
    stream = MutableObject<StreamValue>(context, position);
  }
  stream->CreateGroup(name, *id, entries_read);
  context.reply.Ok();
  context.counters.dirty++;
  context.Notify(kNotifyStream, "xgroup-create", key);
}

}  // namespace

// XGROUP CREATE key group id|$ [MKSTREAM] [ENTRIESREAD n] | SETID key group id|$ [ENTRIESREAD
// n] | DESTROY key group | CREATECONSUMER key group consumer | DELCONSUMER key group consumer
//
// One handler, as in Redis: the options, the key and the group are checked in the same order
// for every subcommand before it does its part.
void XGroupCommand(CommandContext& context) {
  std::string_view subcommand = context.arg(1);
  std::string_view key = context.arg(2);
  std::string_view name = context.arg(3);
  bool create = IsOption(subcommand, "create");
  bool setid = IsOption(subcommand, "setid");
  bool mkstream = false;
  int64_t entries_read = StreamGroup::kEntriesReadInvalid;
  for (size_t i = 5; i < context.argc();) {
    if (create && IsOption(context.arg(i), "mkstream")) {
      mkstream = true;
      i++;
    } else if ((create || setid) && IsOption(context.arg(i), "entriesread") &&
               i + 1 < context.argc()) {
      std::optional<int64_t> value = IntegerArg(context, i + 1);
      if (!value) return;
      if (*value < 0 && *value != StreamGroup::kEntriesReadInvalid) {
        context.reply.Error("value for ENTRIESREAD must be positive or -1");
        return;
      }
      entries_read = *value;
      i += 2;
    } else {
      ReplySubcommandSyntaxError(context);
      return;
    }
  }
  Table::Position position;
  Entry* entry = context.LookupWrite(key, &position);
  if (RejectWrongType(context, entry, StreamValue::kType)) return;
  StreamValue* stream = entry != nullptr ? ObjectOf<StreamValue>(entry) : nullptr;
  StreamGroup* group = nullptr;
  if (!mkstream) {
    if (stream == nullptr) {
      context.reply.Error(
          "The XGROUP subcommand requires the key to exist. Note that for CREATE you may want "
          "to use the MKSTREAM option to create an empty stream automatically.");
      return;
    }
    group = stream->FindGroup(name);
    if (group == nullptr &&
        (setid || IsOption(subcommand, "createconsumer") || IsOption(subcommand, "delconsumer"))) {
      context.reply.Error(NoSuchGroupForKey(name, key));
      return;
    }
  }
  size_t argc = context.argc();
  if (create && argc >= 5 && argc <= 8) {
    GroupCreate(context, position, stream, entries_read);
  } else if (setid && (argc == 5 || argc == 7)) {
    std::optional<StreamId> id = GroupIdArg(context, stream, false);
    if (!id) return;
    group = MutableObject<StreamValue>(context, position)->FindGroup(name);
    group->last_id = *id;
    group->entries_read = entries_read;
    context.reply.Ok();
    context.counters.dirty++;
    context.Notify(kNotifyStream, "xgroup-setid", key);
  } else if (IsOption(subcommand, "destroy") && argc == 4) {
    if (group == nullptr) {
      context.reply.Integer(0);
      return;
    }
    MutableObject<StreamValue>(context, position)->DestroyGroup(name);
    context.reply.Integer(1);
    context.counters.dirty++;
    context.Notify(kNotifyStream, "xgroup-destroy", key);
    // XREADGROUP clients blocked on the group wake to its NOGROUP error.
    context.KeyReady(key);
  } else if (IsOption(subcommand, "createconsumer") && argc == 5) {
    if (group->FindConsumer(context.arg(4)) != nullptr) {
      context.reply.Integer(0);
      return;
    }
    group = MutableObject<StreamValue>(context, position)->FindGroup(name);
    group->CreateConsumer(context.arg(4), context.now_ms);
    context.counters.dirty++;
    context.Notify(kNotifyStream, "xgroup-createconsumer", key);
    context.reply.Integer(1);
  } else if (IsOption(subcommand, "delconsumer") && argc == 5) {
    if (group->FindConsumer(context.arg(4)) == nullptr) {
      context.reply.Integer(0);
      return;
    }
    group = MutableObject<StreamValue>(context, position)->FindGroup(name);
    size_t pending = group->DeleteConsumer(group->FindConsumer(context.arg(4)));
    context.counters.dirty++;
    context.Notify(kNotifyStream, "xgroup-delconsumer", key);
    context.reply.Integer(static_cast<int64_t>(pending));
  } else {
    ReplySubcommandSyntaxError(context);
  }
}

void XGroupHelp(CommandContext& context) {
  static constexpr const char* kLines[] = {
      "CREATE <key> <groupname> <id|$> [option]",
      "    Create a new consumer group. Options are:",
      "    * MKSTREAM",
      "      Create the empty stream if it does not exist.",
      "    * ENTRIESREAD entries_read",
      "      Set the group's entries_read counter (internal use).",
      "CREATECONSUMER <key> <groupname> <consumer>",
      "    Create a new consumer in the specified group.",
      "DELCONSUMER <key> <groupname> <consumer>",
      "    Remove the specified consumer.",
      "DESTROY <key> <groupname>",
      "    Remove the specified group.",
      "SETID <key> <groupname> <id|$> [ENTRIESREAD entries_read]",
      "    Set the current group ID and entries_read counter.",
  };
  ReplyHelp(context, kLines);
}

// XACK key group id [id ...]
void XAck(CommandContext& context) {
  Table::Position position;
  Entry* entry = context.LookupRead(context.arg(1), &position);
  if (RejectWrongType(context, entry, StreamValue::kType)) return;
  const StreamGroup* group =
      entry != nullptr ? ObjectOf<StreamValue>(entry)->FindGroup(context.arg(2)) : nullptr;
  if (group == nullptr) {
    context.reply.Integer(0);
    return;
  }
  // All IDs are checked before any is acknowledged: the reply cannot be an error once some
  // were.
  std::vector<StreamId> ids;
  ids.reserve(context.argc() - 3);
  bool any_pending = false;
  for (size_t j = 3; j < context.argc(); j++) {
    std::optional<StreamId> id = ParseId(context, context.arg(j), 0, true);
    if (!id) return;
    ids.push_back(*id);
    any_pending = any_pending || group->pending.contains(*id);
  }
  int64_t acknowledged = 0;
  if (any_pending) {
    StreamGroup* mutable_group =
        MutableObject<StreamValue>(context, position)->FindGroup(context.arg(2));
    for (StreamId id : ids) {
      if (mutable_group->Acknowledge(id)) acknowledged++;
    }
  }
  context.counters.dirty += static_cast<uint64_t>(acknowledged);
  context.reply.Integer(acknowledged);
}

namespace {

void PendingSummary(CommandContext& context, const StreamGroup& group) {
  resp::ReplyBuilder& reply = context.reply;
  reply.ArrayHeader(4);
  reply.Integer(static_cast<int64_t>(group.pending.size()));
  if (group.pending.empty()) {
    reply.Null();
    reply.Null();
    reply.NullArray();
    return;
  }
  ReplyId(reply, group.pending.begin()->first);
  ReplyId(reply, group.pending.rbegin()->first);
  size_t owners = 0;
  for (const auto& [name, consumer] : group.consumers) owners += consumer->pending.empty() ? 0 : 1;
  reply.ArrayHeader(owners);
  for (const auto& [name, consumer] : group.consumers) {
    if (consumer->pending.empty()) continue;
    reply.ArrayHeader(2);
    reply.Bulk(name);
    reply.Bulk(Int64ToString(static_cast<int64_t>(consumer->pending.size())));
  }
}

const StreamPending& PendingOf(const std::pair<const StreamId, StreamPending>& item) {
  return item.second;
}
const StreamPending& PendingOf(const std::pair<const StreamId, StreamPending*>& item) {
  return *item.second;
}

// The extended form over a group's or a consumer's pending list.
template <typename Map>
void PendingRange(CommandContext& context, const Map& pending, StreamId start, StreamId end,
                  int64_t count, int64_t min_idle_ms) {
  int64_t now = context.now_ms;
  auto keep = [&](const StreamPending& entry) {
    return min_idle_ms == 0 || now - entry.delivery_time_ms >= min_idle_ms;
  };
  auto begin = pending.lower_bound(start);
  size_t total = 0;
  for (auto it = begin;
       static_cast<int64_t>(total) < count && it != pending.end() && it->first <= end; ++it) {
    if (keep(PendingOf(*it))) total++;
  }
  context.reply.ArrayHeader(total);
  size_t sent = 0;
  for (auto it = begin; sent < total; ++it) {
    const StreamPending& entry = PendingOf(*it);
    if (!keep(entry)) continue;
    sent++;
    context.reply.ArrayHeader(4);
    ReplyId(context.reply, it->first);
    context.reply.Bulk(entry.consumer->name);
    context.reply.Integer(std::max<int64_t>(0, now - entry.delivery_time_ms));
    context.reply.Integer(static_cast<int64_t>(entry.delivery_count));
  }
}

}  // namespace

// XPENDING key group [[IDLE min-idle-time] start end count [consumer]]
void XPending(CommandContext& context) {
  size_t argc = context.argc();
  if (argc != 3 && (argc < 6 || argc > 9)) {
    context.reply.Error(errors::kSyntax);
    return;
  }
  StreamId start;
  StreamId end;
  int64_t count = 0;
  int64_t min_idle_ms = 0;
  std::optional<std::string_view> consumer_name;
  if (argc >= 6) {
    size_t first = 3;
    if (IsOption(context.arg(3), "idle")) {
      std::optional<int64_t> idle = IntegerArg(context, 4);
      if (!idle) return;
      min_idle_ms = *idle;
      if (argc < 8) {
        context.reply.Error(errors::kSyntax);
        return;
      }
      first += 2;
    }
    std::optional<int64_t> parsed_count = IntegerArg(context, first + 2);
    if (!parsed_count) return;
    count = std::max<int64_t>(0, *parsed_count);
    std::optional<StreamId> parsed_start = ParseRangeStart(context, context.arg(first));
    if (!parsed_start) return;
    std::optional<StreamId> parsed_end = ParseRangeEnd(context, context.arg(first + 1));
    if (!parsed_end) return;
    start = *parsed_start;
    end = *parsed_end;
    if (first + 3 < argc) consumer_name = context.arg(first + 3);
  }
  Entry* entry = context.LookupRead(context.arg(1));
  if (RejectWrongType(context, entry, StreamValue::kType)) return;
  const StreamGroup* group =
      entry != nullptr ? ObjectOf<StreamValue>(entry)->FindGroup(context.arg(2)) : nullptr;
  if (group == nullptr) {
    context.reply.Error(NoGroupError(context.arg(1), context.arg(2)));
    return;
  }
  if (argc == 3) {
    PendingSummary(context, *group);
    return;
  }
  if (consumer_name) {
    const StreamConsumer* consumer = group->FindConsumer(*consumer_name);
    if (consumer == nullptr) {
      context.reply.EmptyArray();
      return;
    }
    PendingRange(context, consumer->pending, start, end, count, min_idle_ms);
  } else {
    PendingRange(context, group->pending, start, end, count, min_idle_ms);
  }
}

namespace {

struct ClaimOptions {
  bool force = false;
  bool just_id = false;
  int64_t delivery_time_ms = -1;  // -1: neither IDLE nor TIME.
  int64_t retry_count = -1;       // -1: RETRYCOUNT not given (negative values count as not).
  StreamId last_id;
};

// XCLAIM's trailing options, from argument `first`. Replies the error and returns false.
bool ParseClaimOptions(CommandContext& context, size_t first, ClaimOptions* options) {
  for (size_t j = first; j < context.argc(); j++) {
    size_t more = context.argc() - 1 - j;
    std::string_view option = context.arg(j);
    auto integer = [&](const char* error) -> std::optional<int64_t> {
      std::optional<int64_t> value = ParseInt64(context.arg(++j));
      if (!value) context.reply.Error(error);
      return value;
    };
    if (IsOption(option, "force")) {
      options->force = true;
    } else if (IsOption(option, "justid")) {
      options->just_id = true;
    } else if (IsOption(option, "idle") && more > 0) {
      std::optional<int64_t> idle = integer("Invalid IDLE option argument for XCLAIM");
      if (!idle) return false;
      // Redis subtracts in (wrapping) signed arithmetic; a bogus result becomes "now" below.
      options->delivery_time_ms = static_cast<int64_t>(static_cast<uint64_t>(context.now_ms) -
                                                       static_cast<uint64_t>(*idle));
    } else if (IsOption(option, "time") && more > 0) {
      std::optional<int64_t> time = integer("Invalid TIME option argument for XCLAIM");
      if (!time) return false;
      options->delivery_time_ms = *time;
    } else if (IsOption(option, "retrycount") && more > 0) {
      std::optional<int64_t> retry = integer("Invalid RETRYCOUNT option argument for XCLAIM");
      if (!retry) return false;
      options->retry_count = *retry;
    } else if (IsOption(option, "lastid") && more > 0) {
      std::optional<StreamId> id = ParseId(context, context.arg(++j), 0, true);
      if (!id) return false;
      options->last_id = *id;
    } else {
      context.reply.Error("Unrecognized XCLAIM option '" + std::string(CText(option)) + "'");
      return false;
    }
  }
  return true;
}

std::optional<int64_t> MinIdleArg(CommandContext& context, const char* error) {
  std::optional<int64_t> value = ParseInt64(context.arg(4));
  if (!value) {
    context.reply.Error(error);
    return std::nullopt;
  }
  return std::max<int64_t>(0, *value);
}

}  // namespace

// XCLAIM key group consumer min-idle-time id [id ...] [IDLE ms] [TIME unix-time-milliseconds]
//   [RETRYCOUNT count] [FORCE] [JUSTID] [LASTID lastid]
void XClaim(CommandContext& context) {
  std::string_view key = context.arg(1);
  Table::Position position;
  Entry* entry = context.LookupRead(key, &position);
  if (RejectWrongType(context, entry, StreamValue::kType)) return;
  if (entry == nullptr || ObjectOf<StreamValue>(entry)->FindGroup(context.arg(2)) == nullptr) {
    context.reply.Error(NoGroupError(key, context.arg(2)));
    return;
  }
  std::optional<int64_t> min_idle =
      MinIdleArg(context, "Invalid min-idle-time argument for XCLAIM");
  if (!min_idle) return;
  // The IDs run up to the first argument that is not one; the options follow.
  std::vector<StreamId> ids;
  size_t j = 5;
  for (; j < context.argc(); j++) {
    std::optional<StreamId> id = ParseId(context, context.arg(j), 0, true, nullptr, false);
    if (!id) break;
    ids.push_back(*id);
  }
  ClaimOptions options;
  if (!ParseClaimOptions(context, j, &options)) return;
  int64_t now = context.now_ms;

  StreamValue* stream = MutableObject<StreamValue>(context, position);
  StreamGroup* group = stream->FindGroup(context.arg(2));
  bool last_id_moved = false;
  if (options.last_id > group->last_id) {
    group->last_id = options.last_id;
    last_id_moved = true;
  }
  int64_t delivery_time = options.delivery_time_ms;
  // A bogus time (from a client clock ahead of ours) becomes now rather than an error.
  if (delivery_time < 0 || delivery_time > now) delivery_time = now;
  StreamConsumer* consumer = SeenConsumer(context, *group, context.arg(3), key);

  ScratchReply scratch(context);
  size_t claimed = 0;
  for (StreamId id : ids) {
    auto pending = group->pending.find(id);
    if (!stream->Contains(id)) {
      // The entry is gone: its pending record goes too.
      if (pending != group->pending.end()) {
        group->Acknowledge(id);
        context.counters.dirty++;
        last_id_moved = false;
      }
      continue;
    }
    if (options.force && pending == group->pending.end()) {
      pending = group->pending.try_emplace(id).first;
      pending->second.delivery_time_ms = now;
      pending->second.consumer = nullptr;
    }
    if (pending == group->pending.end()) continue;
    StreamPending& nack = pending->second;
    if (nack.consumer != nullptr && *min_idle != 0 && now - nack.delivery_time_ms < *min_idle) {
      continue;
    }
    group->Reassign(id, nack, consumer);
    nack.delivery_time_ms = delivery_time;
    if (options.retry_count >= 0) {
      nack.delivery_count = static_cast<uint64_t>(options.retry_count);
    } else if (!options.just_id) {
      nack.delivery_count++;
    }
    if (options.just_id) {
      ReplyId(scratch.builder(), id);
    } else {
      ReplyEntryById(scratch.builder(), *stream, id);
    }
    claimed++;
    consumer->active_time_ms = now;
    context.counters.dirty++;
    last_id_moved = false;
  }
  if (last_id_moved) context.counters.dirty++;
  context.reply.ArrayHeader(claimed);
  scratch.MoveTo(context.reply);
}

// XAUTOCLAIM key group consumer min-idle-time start [COUNT count] [JUSTID]
void XAutoClaim(CommandContext& context) {
  std::string_view key = context.arg(1);
  std::optional<int64_t> min_idle =
      MinIdleArg(context, "Invalid min-idle-time argument for XAUTOCLAIM");
  if (!min_idle) return;
  std::optional<StreamId> start = ParseRangeStart(context, context.arg(5));
  if (!start) return;
  // COUNT is bounded by LONG_MAX / max(sizeof(streamID), attempts factor 10) in Redis.
  constexpr int64_t kCountMax = LONG_MAX / 16;
  constexpr int64_t kAttemptsFactor = 10;
  int64_t count = 100;
  bool just_id = false;
  for (size_t j = 6; j < context.argc(); j++) {
    size_t more = context.argc() - 1 - j;
    if (IsOption(context.arg(j), "count") && more > 0) {
      std::optional<int64_t> value = ParseInt64(context.arg(j + 1));
      if (!value || *value < 1 || *value > kCountMax) {
        context.reply.Error("COUNT must be > 0");
        return;
      }
      count = *value;
      j++;
    } else if (IsOption(context.arg(j), "justid")) {
      just_id = true;
    } else {
      context.reply.Error(errors::kSyntax);
      return;
    }
  }
  Table::Position position;
  Entry* entry = context.LookupRead(key, &position);
  if (RejectWrongType(context, entry, StreamValue::kType)) return;
  if (entry == nullptr || ObjectOf<StreamValue>(entry)->FindGroup(context.arg(2)) == nullptr) {
    context.reply.Error(NoGroupError(key, context.arg(2)));
    return;
  }
  // Redis allocates COUNT stream IDs up front and refuses a COUNT it cannot allocate; no
  // memory holds 2^36 of them (1 TiB), so beyond that the answer is the same as Redis's.
  // Below it nothing is allocated ahead: deleted IDs are collected as they are found.
  constexpr int64_t kAllocatableCountMax = int64_t{1} << 36;
  if (count > kAllocatableCountMax) {
    context.reply.Error("Insufficient memory, failed allocating transient memory, COUNT too high.");
    return;
  }
  int64_t now = context.now_ms;
  StreamValue* stream = MutableObject<StreamValue>(context, position);
  StreamGroup* group = stream->FindGroup(context.arg(2));
  StreamConsumer* consumer = SeenConsumer(context, *group, context.arg(3), key);

  int64_t attempts = count * kAttemptsFactor;
  ScratchReply scratch(context);
  size_t claimed = 0;
  std::vector<StreamId> deleted;
  auto it = group->pending.lower_bound(*start);
  while (attempts-- > 0 && count > 0 && it != group->pending.end()) {
    StreamId id = it->first;
    StreamPending& nack = it->second;
    auto next = std::next(it);
    if (!stream->Contains(id)) {
      group->Acknowledge(id);
      context.counters.dirty++;
      deleted.push_back(id);
      count--;
      it = next;
      continue;
    }
    if (*min_idle != 0 && now - nack.delivery_time_ms < *min_idle) {
      it = next;
      continue;
    }
    group->Reassign(id, nack, consumer);
    nack.delivery_time_ms = now;
    if (!just_id) nack.delivery_count++;
    if (just_id) {
      ReplyId(scratch.builder(), id);
    } else {
      ReplyEntryById(scratch.builder(), *stream, id);
    }
    claimed++;
    count--;
    consumer->active_time_ms = now;
    context.counters.dirty++;
    it = next;
  }
  context.reply.ArrayHeader(3);
  ReplyId(context.reply, it == group->pending.end() ? StreamId{} : it->first);
  context.reply.ArrayHeader(claimed);
  scratch.MoveTo(context.reply);
  context.reply.ArrayHeader(deleted.size());
  for (StreamId id : deleted) ReplyId(context.reply, id);
}

// ---- XINFO

namespace {

// The stream for XINFO: replies "no such key" or WRONGTYPE when there is none.
const StreamValue* InfoStream(CommandContext& context) {
  Entry* entry = context.LookupRead(context.arg(2));
  if (entry == nullptr) {
    context.reply.Error(errors::kNoSuchKey);
    return nullptr;
  }
  if (RejectWrongType(context, entry, StreamValue::kType)) return nullptr;
  return ObjectOf<StreamValue>(entry);
}

void ReplyLag(resp::ReplyBuilder& reply, const StreamValue& stream, const StreamGroup& group) {
  std::optional<int64_t> lag = stream.Lag(group);
  if (lag) {
    reply.Integer(*lag);
  } else {
    reply.Null();
  }
}

void ReplyEntriesRead(resp::ReplyBuilder& reply, const StreamGroup& group) {
  if (group.entries_read != StreamGroup::kEntriesReadInvalid) {
    reply.Integer(group.entries_read);
  } else {
    reply.Null();
  }
}

// XINFO STREAM key FULL: the groups with their pending lists and consumers, each list cut at
// `count` (0: whole).
void ReplyFullGroups(resp::ReplyBuilder& reply, const StreamValue& stream, size_t count) {
  reply.ArrayHeader(stream.group_count());
  if (stream.groups() == nullptr) return;
  auto limited = [count](size_t size) { return count == 0 ? size : std::min(size, count); };
  for (const auto& [name, group] : *stream.groups()) {
    reply.MapHeader(7);
    reply.Bulk("name");
    reply.Bulk(name);
    reply.Bulk("last-delivered-id");
    ReplyId(reply, group->last_id);
    reply.Bulk("entries-read");
    ReplyEntriesRead(reply, *group);
    reply.Bulk("lag");
    ReplyLag(reply, stream, *group);
    reply.Bulk("pel-count");
    reply.Integer(static_cast<int64_t>(group->pending.size()));
    reply.Bulk("pending");
    size_t pending_sent = limited(group->pending.size());
    reply.ArrayHeader(pending_sent);
    auto pending = group->pending.begin();
    for (size_t i = 0; i < pending_sent; i++, ++pending) {
      reply.ArrayHeader(4);
      ReplyId(reply, pending->first);
      reply.Bulk(pending->second.consumer->name);
      reply.Integer(pending->second.delivery_time_ms);
      reply.Integer(static_cast<int64_t>(pending->second.delivery_count));
    }
    reply.Bulk("consumers");
    reply.ArrayHeader(group->consumers.size());
    for (const auto& [consumer_name, consumer] : group->consumers) {
      reply.MapHeader(5);
      reply.Bulk("name");
      reply.Bulk(consumer_name);
      reply.Bulk("seen-time");
      reply.Integer(consumer->seen_time_ms);
      reply.Bulk("active-time");
      reply.Integer(consumer->active_time_ms);
      reply.Bulk("pel-count");
      reply.Integer(static_cast<int64_t>(consumer->pending.size()));
      reply.Bulk("pending");
      size_t sent = limited(consumer->pending.size());
      reply.ArrayHeader(sent);
      auto own = consumer->pending.begin();
      for (size_t i = 0; i < sent; i++, ++own) {
        reply.ArrayHeader(3);
        ReplyId(reply, own->first);
        reply.Integer(own->second->delivery_time_ms);
        reply.Integer(static_cast<int64_t>(own->second->delivery_count));
      }
    }
  }
}

}  // namespace

// XINFO STREAM key [FULL [COUNT count]]
void XInfoStream(CommandContext& context) {
  const StreamValue* stream = InfoStream(context);
  if (stream == nullptr) return;
  size_t options = context.argc() - 3;
  bool full = options != 0;
  int64_t count = 10;  // FULL's default, so a huge stream cannot stall the server.
  if (full) {
    if ((options != 1 && options != 3) || !IsOption(context.arg(3), "full")) {
      ReplySubcommandSyntaxError(context);
      return;
    }
    if (options == 3) {
      if (!IsOption(context.arg(4), "count")) {
        ReplySubcommandSyntaxError(context);
        return;
      }
      std::optional<int64_t> value = IntegerArg(context, 5);
      if (!value) return;
      count = *value < 0 ? 10 : *value;
    }
  }
  resp::ReplyBuilder& reply = context.reply;
  reply.MapHeader(full ? 9 : 10);
  reply.Bulk("length");
  reply.Integer(static_cast<int64_t>(stream->length()));
  reply.Bulk("radix-tree-keys");
  reply.Integer(static_cast<int64_t>(stream->node_count()));
  reply.Bulk("radix-tree-nodes");
  reply.Integer(static_cast<int64_t>(stream->RadixTreeNodes()));
  reply.Bulk("last-generated-id");
  ReplyId(reply, stream->last_id());
  reply.Bulk("max-deleted-entry-id");
  ReplyId(reply, stream->max_deleted_id());
  reply.Bulk("entries-added");
  reply.Integer(static_cast<int64_t>(stream->entries_added()));
  reply.Bulk("recorded-first-entry-id");
  ReplyId(reply, stream->first_id());
  if (!full) {
    reply.Bulk("groups");
    reply.Integer(static_cast<int64_t>(stream->group_count()));
    for (bool last : {false, true}) {
      reply.Bulk(last ? "last-entry" : "first-entry");
      StreamValue::Iterator it(*stream, StreamId{}, StreamId::Max(), last);
      StreamId id;
      int64_t fields;
      if (it.Next(&id, &fields)) {
        ReplyEntry(reply, it, id, fields);
      } else {
        reply.Null();
      }
    }
    return;
  }
  reply.Bulk("entries");
  ReplyRange(reply, *stream, StreamId{}, StreamId::Max(), static_cast<size_t>(count), false);
  reply.Bulk("groups");
  ReplyFullGroups(reply, *stream, static_cast<size_t>(count));
}

// XINFO GROUPS key
void XInfoGroups(CommandContext& context) {
  const StreamValue* stream = InfoStream(context);
  if (stream == nullptr) return;
  resp::ReplyBuilder& reply = context.reply;
  reply.ArrayHeader(stream->group_count());
  if (stream->groups() == nullptr) return;
  for (const auto& [name, group] : *stream->groups()) {
    reply.MapHeader(6);
    reply.Bulk("name");
    reply.Bulk(name);
    reply.Bulk("consumers");
    reply.Integer(static_cast<int64_t>(group->consumers.size()));
    reply.Bulk("pending");
    reply.Integer(static_cast<int64_t>(group->pending.size()));
    reply.Bulk("last-delivered-id");
    ReplyId(reply, group->last_id);
    reply.Bulk("entries-read");
    ReplyEntriesRead(reply, *group);
    reply.Bulk("lag");
    ReplyLag(reply, *stream, *group);
  }
}

// XINFO CONSUMERS key group
void XInfoConsumers(CommandContext& context) {
  const StreamValue* stream = InfoStream(context);
  if (stream == nullptr) return;
  const StreamGroup* group = stream->FindGroup(context.arg(3));
  if (group == nullptr) {
    context.reply.Error(NoSuchGroupForKey(context.arg(3), context.arg(2)));
    return;
  }
  resp::ReplyBuilder& reply = context.reply;
  int64_t now = context.now_ms;
  reply.ArrayHeader(group->consumers.size());
  for (const auto& [name, consumer] : group->consumers) {
    int64_t inactive = consumer->active_time_ms != -1 ? now - consumer->active_time_ms : -1;
    reply.MapHeader(4);
    reply.Bulk("name");
    reply.Bulk(name);
    reply.Bulk("pending");
    reply.Integer(static_cast<int64_t>(consumer->pending.size()));
    reply.Bulk("idle");
    reply.Integer(std::max<int64_t>(0, now - consumer->seen_time_ms));
    reply.Bulk("inactive");
    reply.Integer(inactive);
  }
}

void XInfoHelp(CommandContext& context) {
  static constexpr const char* kLines[] = {
      "CONSUMERS <key> <groupname>",
      "    Show consumers of <groupname>.",
      "GROUPS <key>",
      "    Show the stream consumer groups.",
      "STREAM <key> [FULL [COUNT <count>]",
      "    Show information about the stream.",
  };
  ReplyHelp(context, kLines);
}

}  // namespace ringdb::commands::stream
