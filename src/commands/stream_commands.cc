// Stream commands (t_stream.c): XADD, XRANGE, XREVRANGE, XLEN, XDEL, XTRIM, XSETID, XREAD and
// XREADGROUP, with Redis 7.2's replies, errors and keyspace events, and the shared helpers of
// stream_helpers.h. The consumer group administration and introspection commands are in
// stream_group_commands.cc.
#include <sys/uio.h>

#include <cerrno>
#include <climits>
#include <cstdlib>
#include <cstring>
#include <vector>

#include "families.h"
#include "stream_helpers.h"

namespace ringdb::commands {
namespace stream {

using store::Entry;
using store::ListpackValue;
using store::StreamGroup;
using store::Table;

// ---- Shared helpers (declared in stream_helpers.h)

std::optional<uint64_t> ParseUnsigned(std::string_view text) {
  if (std::optional<int64_t> value = ParseInt64(text)) {
    if (*value < 0) return std::nullopt;
    return static_cast<uint64_t>(*value);
  }
  // Callers pass at most 127 bytes without NUL.
  char buffer[128];
  if (text.size() >= sizeof(buffer)) return std::nullopt;
  std::memcpy(buffer, text.data(), text.size());
  buffer[text.size()] = '\0';
  errno = 0;
  char* end = nullptr;
  unsigned long long value = std::strtoull(buffer, &end, 10);
  if (errno == EINVAL || errno == ERANGE || buffer[0] == '\0' || *end != '\0') {
    return std::nullopt;
  }
  return value;
}

std::optional<StreamId> ParseId(CommandContext& context, std::string_view argument,
                                uint64_t missing_seq, bool strict, bool* seq_given, bool reply) {
  auto invalid = [&]() -> std::optional<StreamId> {
    if (reply) context.reply.Error(kInvalidId);
    return std::nullopt;
  };
  // Redis copies the argument into a 128-byte buffer and reads it as a C string.
  if (argument.size() > 127) return invalid();
  std::string_view text = CText(argument);
  if (strict && (text == "-" || text == "+")) return invalid();
  if (seq_given != nullptr) *seq_given = true;
  if (text == "-") return StreamId{0, 0};
  if (text == "+") return StreamId::Max();
  size_t dash = text.find('-');
  std::optional<uint64_t> ms = ParseUnsigned(text.substr(0, dash));
  if (!ms) return invalid();
  uint64_t seq = missing_seq;
  if (dash != std::string_view::npos) {
    std::string_view seq_text = text.substr(dash + 1);
    if (seq_given != nullptr && seq_text == "*") {
      seq = 0;
      *seq_given = false;
    } else {
      std::optional<uint64_t> parsed = ParseUnsigned(seq_text);
      if (!parsed) return invalid();
      seq = *parsed;
    }
  }
  return StreamId{*ms, seq};
}

namespace {

// streamParseIntervalIDOrReply: "(" makes the bound exclusive (and the rest strict).
std::optional<StreamId> ParseInterval(CommandContext& context, std::string_view argument,
                                      uint64_t missing_seq, bool* exclusive) {
  *exclusive = argument.size() > 1 && argument[0] == '(';
  if (*exclusive) return ParseId(context, argument.substr(1), missing_seq, true);
  return ParseId(context, argument, missing_seq, false);
}

}  // namespace

std::optional<StreamId> ParseRangeStart(CommandContext& context, std::string_view argument) {
  bool exclusive = false;
  std::optional<StreamId> id = ParseInterval(context, argument, 0, &exclusive);
  if (id && exclusive && !id->Increment()) {
    context.reply.Error("invalid start ID for the interval");
    return std::nullopt;
  }
  return id;
}

std::optional<StreamId> ParseRangeEnd(CommandContext& context, std::string_view argument) {
  bool exclusive = false;
  std::optional<StreamId> id = ParseInterval(context, argument, UINT64_MAX, &exclusive);
  if (id && exclusive && !id->Decrement()) {
    context.reply.Error("invalid end ID for the interval");
    return std::nullopt;
  }
  return id;
}

std::string NoGroupError(std::string_view key, std::string_view group) {
  return "-NOGROUP No such key '" + std::string(CText(key)) + "' or consumer group '" +
         std::string(CText(group)) + "'";
}

void ReplyId(resp::ReplyBuilder& reply, StreamId id) {
  char text[StreamId::kTextMax];
  reply.Bulk(std::string_view(text, id.Format(text)));
}

void ReplyEntry(resp::ReplyBuilder& reply, StreamValue::Iterator& it, StreamId id,
                int64_t field_count) {
  reply.ArrayHeader(2);
  ReplyId(reply, id);
  reply.ArrayHeader(static_cast<size_t>(field_count) * 2);
  char field_text[24];
  char value_text[24];
  for (int64_t i = 0; i < field_count; i++) {
    ListpackValue field;
    ListpackValue value;
    it.NextField(&field, &value);
    reply.Bulk(field.Text(field_text));
    reply.Bulk(value.Text(value_text));
  }
}

void ReplyEntryById(resp::ReplyBuilder& reply, const StreamValue& stream, StreamId id) {
  StreamValue::Iterator it(stream, id, id, false);
  StreamId found;
  int64_t fields = 0;
  RINGDB_ASSERT(it.Next(&found, &fields));
  ReplyEntry(reply, it, found, fields);
}

size_t CountRange(const StreamValue& stream, StreamId start, StreamId end, bool reverse,
                  size_t count) {
  StreamValue::Iterator it(stream, start, end, reverse);
  StreamId id;
  int64_t fields;
  size_t found = 0;
  while ((count == 0 || found < count) && it.Next(&id, &fields)) found++;
  return found;
}

size_t ReplyRange(resp::ReplyBuilder& reply, const StreamValue& stream, StreamId start,
                  StreamId end, size_t count, bool reverse) {
  size_t total = CountRange(stream, start, end, reverse, count);
  reply.ArrayHeader(total);
  StreamValue::Iterator it(stream, start, end, reverse);
  StreamId id;
  int64_t fields;
  for (size_t i = 0; i < total && it.Next(&id, &fields); i++) ReplyEntry(reply, it, id, fields);
  return total;
}

void ScratchReply::MoveTo(resp::ReplyBuilder& target) {
  constexpr int kVectors = 16;
  iovec vectors[kVectors];
  while (!buffer_.empty()) {
    int filled = buffer_.Gather(vectors, kVectors);
    size_t moved = 0;
    for (int i = 0; i < filled; i++) {
      target.Raw(
          std::string_view(static_cast<const char*>(vectors[i].iov_base), vectors[i].iov_len));
      moved += vectors[i].iov_len;
    }
    buffer_.Consume(moved);
  }
}

namespace {

// ---- XADD / XTRIM arguments

using TrimStrategy = StreamValue::TrimArgs::Strategy;

struct AddTrimArgs {
  StreamValue::TrimArgs trim;
  StreamId id;
  bool id_given = false;
  bool seq_given = true;
  bool no_mkstream = false;
};

// The LIMIT an approximate trim gets by default: 100 nodes' worth (10000 when nodes have no
// entry limit), at most 1000000.
int64_t DefaultTrimLimit(const CommandContext& context) {
  int64_t entries = context.limits.encodings.stream_node_max_entries;
  if (entries > 1000000 / 100) return 1000000;
  int64_t limit = 100 * entries;
  return limit <= 0 ? 10000 : limit;
}

// Redis's streamParseAddOrTrimArgsOrReply: returns the index of XADD's ID argument (argc when
// there is none), or -1 after replying an error.
int64_t ParseAddOrTrimArgs(CommandContext& context, AddTrimArgs* args, bool xadd) {
  size_t argc = context.argc();
  size_t i = 2;
  bool limit_given = false;
  StreamValue::TrimArgs& trim = args->trim;
  constexpr std::string_view kBothStrategies =
      "syntax error, MAXLEN and MINID options at the same time are not compatible";
  for (; i < argc; i++) {
    size_t more = argc - 1 - i;
    std::string_view option = context.arg(i);
    if (xadd && CText(option) == "*") break;  // The common case: an automatic ID.
    bool maxlen = IsOption(option, "maxlen");
    if ((maxlen || IsOption(option, "minid")) && more > 0) {
      if (trim.strategy != TrimStrategy::kNone) {
        context.reply.Error(kBothStrategies);
        return -1;
      }
      trim.approximate = false;
      std::string_view next = CText(context.arg(i + 1));
      if (more >= 2 && next == "~") {
        trim.approximate = true;
        i++;
      } else if (more >= 2 && next == "=") {
        i++;
      }
      if (maxlen) {
        std::optional<int64_t> value = IntegerArg(context, i + 1);
        if (!value) return -1;
        if (*value < 0) {
          context.reply.Error("The MAXLEN argument must be >= 0.");
          return -1;
        }
        trim.max_length = *value;
        trim.strategy = TrimStrategy::kMaxLength;
      } else {
        std::optional<StreamId> id = ParseId(context, context.arg(i + 1), 0, true);
        if (!id) return -1;
        trim.min_id = *id;
        trim.strategy = TrimStrategy::kMinId;
      }
      i++;
    } else if (IsOption(option, "limit") && more > 0) {
      std::optional<int64_t> value = IntegerArg(context, i + 1);
      if (!value) return -1;
      if (*value < 0) {
        context.reply.Error("The LIMIT argument must be >= 0.");
        return -1;
      }
      trim.limit = *value;
      limit_given = true;
      i++;
    } else if (xadd && IsOption(option, "nomkstream")) {
      args->no_mkstream = true;
    } else if (xadd) {
      std::optional<StreamId> id = ParseId(context, option, 0, true, &args->seq_given);
      if (!id) return -1;
      args->id = *id;
      args->id_given = true;
      break;
    } else {
      context.reply.Error(errors::kSyntax);
      return -1;
    }
  }
  if (trim.limit != 0 && trim.strategy == TrimStrategy::kNone) {
    context.reply.Error(
        "syntax error, LIMIT cannot be used without specifying a trimming strategy");
    return -1;
  }
  if (!xadd && trim.strategy == TrimStrategy::kNone) {
    context.reply.Error("syntax error, XTRIM must be called with a trimming strategy");
    return -1;
  }
  if (limit_given) {
    if (!trim.approximate) {
      context.reply.Error("syntax error, LIMIT cannot be used without the special ~ option");
      return -1;
    }
  } else {
    trim.limit = trim.approximate ? DefaultTrimLimit(context) : 0;
  }
  return static_cast<int64_t>(i);
}

// ---- XADD key [NOMKSTREAM] [MAXLEN|MINID [=|~] threshold [LIMIT count]] *|id field value ...

void XAdd(CommandContext& context) {
  AddTrimArgs args;
  int64_t id_index = ParseAddOrTrimArgs(context, &args, true);
  if (id_index < 0) return;
  int64_t field_count = static_cast<int64_t>(context.argc()) - (id_index + 1);
  if (field_count < 2 || field_count % 2 == 1) {
    context.reply.Error(CommandTable::ArityError(*context.command));
    return;
  }
  // Refused before the key is created, so a bad ID never leaves an empty stream behind.
  if (args.id_given && args.seq_given && args.id.IsZero()) {
    context.reply.Error("The ID specified in XADD must be greater than 0-0");
    return;
  }
  std::string_view key = context.arg(1);
  Table::Position position;
  Entry* entry = context.LookupWrite(key, &position);
  if (RejectWrongType(context, entry, StreamValue::kType)) return;
  StreamValue* stream;
  if (entry == nullptr) {
    if (args.no_mkstream) {
      context.reply.Null();
      return;
    }
    stream = new StreamValue();
    AddObject(context, key, stream, position.hash);
  } else {
    stream = MutableObject<StreamValue>(context, position);
  }
  if (stream->last_id() == StreamId::Max()) {
    context.reply.Error("The stream has exhausted the last possible ID, unable to add more items");
    return;
  }
  StreamId added;
  std::optional<StreamId> id;
  if (args.id_given) id = args.id;
  auto fields = context.args.subspan(static_cast<size_t>(id_index + 1));
  switch (
      stream->Append(fields, id, args.seq_given, context.now_ms, NodeLimitsOf(context), &added)) {
    case StreamValue::AppendStatus::kOk:
      break;
    case StreamValue::AppendStatus::kIdTooSmall:
      context.reply.Error(
          "The ID specified in XADD is equal or smaller than the target stream top item");
      return;
    case StreamValue::AppendStatus::kTooLarge:
      context.reply.Error("Elements are too large to be stored");
      return;
  }
  ReplyId(context.reply, added);
  context.KeyChanged(key, kNotifyStream, "xadd");
  // Clients blocked in XREAD / XREADGROUP on the stream may read the new entry (a new
  // stream signalled when AddObject created it).
  if (entry != nullptr) context.KeyReady(key);
  if (args.trim.strategy != TrimStrategy::kNone && stream->Trim(args.trim) != 0) {
    context.Notify(kNotifyStream, "xtrim", key);
  }
}

// ---- XRANGE / XREVRANGE key start end [COUNT count]

void RangeGeneric(CommandContext& context, bool reverse) {
  std::optional<StreamId> start = ParseRangeStart(context, context.arg(reverse ? 3 : 2));
  if (!start) return;
  std::optional<StreamId> end = ParseRangeEnd(context, context.arg(reverse ? 2 : 3));
  if (!end) return;
  int64_t count = -1;
  for (size_t j = 4; j < context.argc(); j++) {
    size_t more = context.argc() - j - 1;
    if (IsOption(context.arg(j), "count") && more >= 1) {
      std::optional<int64_t> value = IntegerArg(context, j + 1);
      if (!value) return;
      count = *value < 0 ? 0 : *value;
      j++;
    } else {
      context.reply.Error(errors::kSyntax);
      return;
    }
  }
  Entry* entry = context.LookupRead(context.arg(1));
  if (entry == nullptr) {
    context.reply.EmptyArray();
    return;
  }
  if (RejectWrongType(context, entry, StreamValue::kType)) return;
  if (count == 0) {
    context.reply.NullArray();
    return;
  }
  ReplyRange(context.reply, *ObjectOf<StreamValue>(entry), *start, *end,
             count < 0 ? 0 : static_cast<size_t>(count), reverse);
}

void XRange(CommandContext& context) { RangeGeneric(context, false); }
void XRevRange(CommandContext& context) { RangeGeneric(context, true); }

// ---- XLEN key

void XLen(CommandContext& context) {
  Entry* entry = context.LookupRead(context.arg(1));
  if (entry == nullptr) {
    context.reply.Integer(0);
    return;
  }
  if (RejectWrongType(context, entry, StreamValue::kType)) return;
  context.reply.Integer(static_cast<int64_t>(ObjectOf<StreamValue>(entry)->length()));
}

// ---- XDEL key id [id ...]

void XDel(CommandContext& context) {
  std::string_view key = context.arg(1);
  Table::Position position;
  Entry* entry = context.LookupWrite(key, &position);
  if (entry == nullptr) {
    context.reply.Integer(0);
    return;
  }
  if (RejectWrongType(context, entry, StreamValue::kType)) return;
  // Every ID is checked first, so a bad one leaves the stream untouched.
  std::vector<StreamId> ids;
  ids.reserve(context.argc() - 2);
  for (size_t j = 2; j < context.argc(); j++) {
    std::optional<StreamId> id = ParseId(context, context.arg(j), 0, true);
    if (!id) return;
    ids.push_back(*id);
  }
  StreamValue* stream = MutableObject<StreamValue>(context, position);
  int64_t deleted = 0;
  bool first_deleted = false;
  for (StreamId id : ids) {
    if (!stream->Delete(id)) continue;
    if (id == stream->first_id()) first_deleted = true;
    deleted++;
  }
  if (deleted != 0) {
    if (stream->length() == 0 || first_deleted) stream->RecomputeFirstId();
    context.KeyChanged(key, kNotifyStream, "xdel", static_cast<uint64_t>(deleted));
  }
  context.reply.Integer(deleted);
}

// ---- XTRIM key MAXLEN|MINID [=|~] threshold [LIMIT count]

void XTrim(CommandContext& context) {
  AddTrimArgs args;
  if (ParseAddOrTrimArgs(context, &args, false) < 0) return;
  std::string_view key = context.arg(1);
  Table::Position position;
  Entry* entry = context.LookupWrite(key, &position);
  if (entry == nullptr) {
    context.reply.Integer(0);
    return;
  }
  if (RejectWrongType(context, entry, StreamValue::kType)) return;
  int64_t deleted = MutableObject<StreamValue>(context, position)->Trim(args.trim);
  if (deleted != 0) context.KeyChanged(key, kNotifyStream, "xtrim", static_cast<uint64_t>(deleted));
  context.reply.Integer(deleted);
}

// ---- XSETID key last-id [ENTRIESADDED entries-added] [MAXDELETEDID max-deleted-id]

void XSetId(CommandContext& context) {
  std::optional<StreamId> id = ParseId(context, context.arg(2), 0, true);
  if (!id) return;
  int64_t entries_added = -1;
  StreamId max_deleted;
  for (size_t i = 3; i < context.argc(); i += 2) {
    size_t more = context.argc() - 1 - i;
    std::string_view option = context.arg(i);
    if (IsOption(option, "entriesadded") && more > 0) {
      std::optional<int64_t> value = IntegerArg(context, i + 1);
      if (!value) return;
      if (*value < 0) {
        context.reply.Error("entries_added must be positive");
        return;
      }
      entries_added = *value;
    } else if (IsOption(option, "maxdeletedid") && more > 0) {
      std::optional<StreamId> value = ParseId(context, context.arg(i + 1), 0, true);
      if (!value) return;
      if (*id < *value) {
        context.reply.Error(
            "The ID specified in XSETID is smaller than the provided max_deleted_entry_id");
        return;
      }
      max_deleted = *value;
    } else {
      context.reply.Error(errors::kSyntax);
      return;
    }
  }
  std::string_view key = context.arg(1);
  Table::Position position;
  Entry* entry = context.LookupWrite(key, &position);
  if (entry == nullptr) {
    context.reply.Error(errors::kNoSuchKey);
    return;
  }
  if (RejectWrongType(context, entry, StreamValue::kType)) return;
  const StreamValue* current = ObjectOf<StreamValue>(entry);
  if (*id < current->max_deleted_id()) {
    context.reply.Error("The ID specified in XSETID is smaller than current max_deleted_entry_id");
    return;
  }
  if (current->length() > 0) {
    if (*id < current->EdgeId(false, true)) {
      context.reply.Error("The ID specified in XSETID is smaller than the target stream top item");
      return;
    }
    if (entries_added != -1 && current->length() > static_cast<uint64_t>(entries_added)) {
      context.reply.Error(
          "The entries_added specified in XSETID is smaller than the target stream length");
      return;
    }
  }
  StreamValue* stream = MutableObject<StreamValue>(context, position);
  stream->set_last_id(*id);
  if (entries_added != -1) stream->set_entries_added(static_cast<uint64_t>(entries_added));
  if (!max_deleted.IsZero()) stream->set_max_deleted_id(max_deleted);
  context.reply.Ok();
  // As Redis: a changed counter and an event, but no WATCH invalidation.
  context.counters.dirty++;
  context.Notify(kNotifyStream, "xsetid", key);
}

// ---- XREAD / XREADGROUP

struct ReadArgs {
  bool group_form = false;
  int64_t timeout_ms = -1;  // -1: no BLOCK.
  size_t count = 0;
  size_t streams_first = 0;
  size_t streams_count = 0;
  bool noack = false;
  std::string_view group;
  std::string_view consumer;
  bool has_group = false;
};

// getTimeoutFromObjectOrReply in milliseconds: an absolute deadline, 0 for "forever".
std::optional<int64_t> ParseBlockTimeout(CommandContext& context, std::string_view text) {
  std::optional<int64_t> value = ParseInt64(text);
  if (!value) {
    context.reply.Error("timeout is not an integer or out of range");
    return std::nullopt;
  }
  if (*value < 0) {
    context.reply.Error("timeout is negative");
    return std::nullopt;
  }
  if (*value > 0) {
    if (*value > INT64_MAX - context.now_ms) {
      context.reply.Error("timeout is out of range");
      return std::nullopt;
    }
    return *value + context.now_ms;
  }
  return 0;
}

bool ParseReadArgs(CommandContext& context, ReadArgs* args) {
  size_t argc = context.argc();
  for (size_t i = 1; i < argc; i++) {
    size_t more = argc - i - 1;
    std::string_view option = context.arg(i);
    if (IsOption(option, "block") && more > 0) {
      i++;
      std::optional<int64_t> timeout = ParseBlockTimeout(context, context.arg(i));
      if (!timeout) return false;
      args->timeout_ms = *timeout;
    } else if (IsOption(option, "count") && more > 0) {
      i++;
      std::optional<int64_t> count = IntegerArg(context, i);
      if (!count) return false;
      args->count = *count < 0 ? 0 : static_cast<size_t>(*count);
    } else if (IsOption(option, "streams") && more > 0) {
      args->streams_first = i + 1;
      size_t listed = argc - args->streams_first;
      if (listed % 2 != 0) {
        std::string name = args->group_form ? "xreadgroup" : "xread";
        context.reply.Error("Unbalanced '" + name +
                            "' list of streams: for each stream key an ID or '" +
                            (args->group_form ? ">" : "$") + "' must be specified.");
        return false;
      }
      args->streams_count = listed / 2;
      break;
    } else if (IsOption(option, "group") && more >= 2) {
      if (!args->group_form) {
        context.reply.Error(
            "The GROUP option is only supported by XREADGROUP. You called XREAD instead.");
        return false;
      }
      args->group = context.arg(i + 1);
      args->consumer = context.arg(i + 2);
      args->has_group = true;
      i += 2;
    } else if (IsOption(option, "noack")) {
      if (!args->group_form) {
        context.reply.Error(
            "The NOACK option is only supported by XREADGROUP. You called XREAD instead.");
        return false;
      }
      args->noack = true;
    } else {
      context.reply.Error(errors::kSyntax);
      return false;
    }
  }
  if (args->streams_first == 0) {
    context.reply.Error(errors::kSyntax);
    return false;
  }
  if (args->group_form && !args->has_group) {
    context.reply.Error("Missing GROUP option for XREADGROUP");
    return false;
  }
  return true;
}

// Resolves each stream's ID argument ("$", ">" or an ID) into the ID after which to read
// (">" becomes the maximum ID). Replies the first error and returns false.
bool ResolveReadIds(CommandContext& context, const ReadArgs& args, std::vector<StreamId>* ids) {
  for (size_t k = 0; k < args.streams_count; k++) {
    std::string_view key = context.arg(args.streams_first + k);
    std::string_view id_text = context.arg(args.streams_first + args.streams_count + k);
    Entry* entry = context.LookupRead(key);
    if (RejectWrongType(context, entry, StreamValue::kType)) return false;
    const StreamValue* stream = entry != nullptr ? ObjectOf<StreamValue>(entry) : nullptr;
    if (args.group_form && (stream == nullptr || stream->FindGroup(args.group) == nullptr)) {
      context.reply.Error(NoGroupError(key, args.group) + " in XREADGROUP with GROUP option");
      return false;
    }
    std::string_view text = CText(id_text);
    if (text == "$") {
      if (args.group_form) {
        context.reply.Error(
            "The $ ID is meaningless in the context of XREADGROUP: you want to read the "
            "history of this consumer by specifying a proper ID, or use the > ID to get new "
            "messages. The $ ID would just return an empty result set.");
        return false;
      }
      ids->push_back(stream != nullptr ? stream->last_id() : StreamId{});
      continue;
    }
    if (text == ">") {
      if (!args.group_form) {
        context.reply.Error(
            "The > ID can be specified only when calling XREADGROUP using the GROUP <group> "
            "<consumer> option.");
        return false;
      }
      ids->push_back(StreamId::Max());
      continue;
    }
    std::optional<StreamId> id = ParseId(context, id_text, 0, true);
    if (!id) return false;
    ids->push_back(*id);
  }
  return true;
}

// Redis's streamReplyWithRange with a group: delivers the entries after `start` to
// `consumer`, advancing the group's last-delivered ID and (unless NOACK) recording each
// delivery in the group's and the consumer's pending lists.
void DeliverNew(CommandContext& context, resp::ReplyBuilder& reply, StreamValue& stream,
                StreamGroup& group, store::StreamConsumer& consumer, StreamId start, size_t count,
                bool noack) {
  size_t total = CountRange(stream, start, StreamId::Max(), false, count);
  reply.ArrayHeader(total);
  StreamValue::Iterator it(stream, start, StreamId::Max(), false);
  StreamId id;
  int64_t fields;
  for (size_t i = 0; i < total && it.Next(&id, &fields); i++) {
    if (id > group.last_id) stream.AdvanceGroup(group, id);
    ReplyEntry(reply, it, id, fields);
    if (noack) continue;
    auto [pending, inserted] = group.pending.try_emplace(id);
    store::StreamPending& entry = pending->second;
    if (!inserted) {
      // Already pending (XGROUP SETID moved the group back): it changes hands.
      entry.consumer->pending.erase(id);
    }
    entry.consumer = &consumer;
    entry.delivery_time_ms = context.now_ms;
    entry.delivery_count = 1;
    consumer.pending[id] = &entry;
    consumer.active_time_ms = context.now_ms;
  }
}

// Redis's streamReplyWithRangeFromConsumerPEL: the consumer's own pending entries after
// `start`; an entry deleted since is sent as [id, nil].
void DeliverHistory(CommandContext& context, resp::ReplyBuilder& reply, const StreamValue& stream,
                    store::StreamConsumer& consumer, StreamId start, size_t count) {
  auto begin = consumer.pending.lower_bound(start);
  size_t total = 0;
  for (auto it = begin; it != consumer.pending.end() && (count == 0 || total < count); ++it) {
    total++;
  }
  reply.ArrayHeader(total);
  auto it = begin;
  for (size_t i = 0; i < total; i++, ++it) {
    if (stream.Contains(it->first)) {
      ReplyEntryById(reply, stream, it->first);
      it->second->delivery_time_ms = context.now_ms;
      it->second->delivery_count++;
    } else {
      reply.ArrayHeader(2);
      ReplyId(reply, it->first);
      reply.NullArray();
    }
  }
}

// Serves one stream of an XREADGROUP; returns whether it was served (written to `reply`).
bool ServeGroupStream(CommandContext& context, const ReadArgs& args, Table::Position position,
                      std::string_view key, StreamId after, resp::ReplyBuilder& reply) {
  StreamValue* stream = MutableObject<StreamValue>(context, position);
  StreamGroup* group = stream->FindGroup(args.group);
  RINGDB_ASSERT(group != nullptr);
  bool serve = false;
  bool history = false;
  if (after != StreamId::Max()) {
    serve = true;
    history = true;
  } else if (stream->length() > 0 && stream->EdgeId(false, true) > group->last_id) {
    serve = true;
    after = group->last_id;
  }
  store::StreamConsumer* consumer = group->FindConsumer(args.consumer);
  if (consumer == nullptr) {
    consumer = group->CreateConsumer(args.consumer, context.now_ms);
    context.counters.dirty++;
    context.Notify(kNotifyStream, "xgroup-createconsumer", key);
  }
  consumer->seen_time_ms = context.now_ms;
  if (!serve) return false;
  StreamId start = after;
  start.Increment();
  if (!reply.resp3()) reply.ArrayHeader(2);
  reply.Bulk(key);
  if (history) {
    DeliverHistory(context, reply, *stream, *consumer, start, args.count);
  } else {
    DeliverNew(context, reply, *stream, *group, *consumer, start, args.count, args.noack);
  }
  context.counters.dirty++;
  return true;
}

// XREAD [COUNT count] [BLOCK milliseconds] STREAMS key [key ...] id [id ...]
// XREADGROUP GROUP group consumer [COUNT count] [BLOCK milliseconds] [NOACK] STREAMS key
//   [key ...] id [id ...]
//
// Serves what is available now. With BLOCK and nothing served, the client waits for an XADD
// (or a new stream) under one of the keys, and runs again with each "$" replaced by the
// stream's last ID at blocking time (xreadCommand's argument rewrite), so that the entries
// added meanwhile are what it reads. Where it may not block (MULTI), it replies a null array.
void ReadGeneric(CommandContext& context, bool group_form) {
  ReadArgs args;
  args.group_form = group_form;
  if (!ParseReadArgs(context, &args)) return;
  std::vector<StreamId> ids;
  ids.reserve(args.streams_count);
  if (!ResolveReadIds(context, args, &ids)) return;

  ScratchReply scratch(context);
  resp::ReplyBuilder& reply = scratch.builder();
  size_t served = 0;
  for (size_t k = 0; k < args.streams_count; k++) {
    std::string_view key = context.arg(args.streams_first + k);
    Table::Position position;
    Entry* entry = context.LookupRead(key, &position);
    if (entry == nullptr) continue;
    if (group_form) {
      if (ServeGroupStream(context, args, position, key, ids[k], reply)) served++;
      continue;
    }
    const StreamValue* stream = ObjectOf<StreamValue>(entry);
    if (stream->length() == 0 || !(stream->EdgeId(false, true) > ids[k])) continue;
    served++;
    StreamId start = ids[k];
    start.Increment();
    if (!reply.resp3()) reply.ArrayHeader(2);
    reply.Bulk(key);
    ReplyRange(reply, *stream, start, StreamId::Max(), args.count, false);
  }
  if (served == 0) {
    if (args.timeout_ms == -1 || !context.CanBlock()) {
      context.reply.NullArray();
      return;
    }
    std::vector<std::string> rewritten_ids;
    std::vector<std::string_view> argv(context.args.begin(), context.args.end());
    size_t ids_first = args.streams_first + args.streams_count;
    rewritten_ids.reserve(args.streams_count);
    for (size_t k = 0; k < args.streams_count; k++) {
      if (CText(argv[ids_first + k]) != "$") continue;
      rewritten_ids.push_back(ids[k].ToString());
      argv[ids_first + k] = rewritten_ids.back();
    }
    BlockSpec spec;
    spec.keys = context.args.subspan(args.streams_first, args.streams_count);
    spec.type = StreamValue::kType;
    spec.deadline_ms = args.timeout_ms;
    spec.wake_on_missing_key = group_form;
    if (!rewritten_ids.empty()) spec.argv = argv;
    context.Block(spec);
    return;
  }
  if (context.reply.resp3()) {
    context.reply.MapHeader(served);
  } else {
    context.reply.ArrayHeader(served);
  }
  scratch.MoveTo(context.reply);
}

void XRead(CommandContext& context) { ReadGeneric(context, false); }
void XReadGroup(CommandContext& context) { ReadGeneric(context, true); }

// clang-format off
constexpr CommandSpec kXGroupSubcommands[] = {
    {"create", -5, kWrite | kDenyOom, 2, 2, 1, XGroupCommand, "stream", "5.0.0", "Creates a consumer group.", "O(1)", "@write @stream @slow", "key group <id | $> [MKSTREAM] [ENTRIESREAD entries-read]"},
    {"createconsumer", 5, kWrite | kDenyOom, 2, 2, 1, XGroupCommand, "stream", "6.2.0", "Creates a consumer in a consumer group.", "O(1)", "@write @stream @slow", "key group consumer"},
    {"delconsumer", 5, kWrite, 2, 2, 1, XGroupCommand, "stream", "5.0.0", "Deletes a consumer from a consumer group.", "O(1)", "@write @stream @slow", "key group consumer"},
    {"destroy", 4, kWrite, 2, 2, 1, XGroupCommand, "stream", "5.0.0", "Destroys a consumer group.", "O(N) where N is the number of entries in the group's pending entries list (PEL).", "@write @stream @slow", "key group"},
    {"help", 2, kLoading | kStale, 0, 0, 0, XGroupHelp, "stream", "5.0.0", "Returns helpful text about the different subcommands.", "O(1)", "@stream @slow", ""},
    {"setid", -5, kWrite, 2, 2, 1, XGroupCommand, "stream", "5.0.0", "Sets the last-delivered ID of a consumer group.", "O(1)", "@write @stream @slow", "key group <id | $> [ENTRIESREAD entries-read]"},
};
constexpr CommandSpec kXInfoSubcommands[] = {
    {"consumers", 4, kReadonly, 2, 2, 1, XInfoConsumers, "stream", "5.0.0", "Returns a list of the consumers in a consumer group.", "O(1)", "@read @stream @slow", "key group", {}, "nondeterministic_output"},
    {"groups", 3, kReadonly, 2, 2, 1, XInfoGroups, "stream", "5.0.0", "Returns a list of the consumer groups of a stream.", "O(1)", "@read @stream @slow", "key"},
    {"help", 2, kLoading | kStale, 0, 0, 0, XInfoHelp, "stream", "5.0.0", "Returns helpful text about the different subcommands.", "O(1)", "@stream @slow", ""},
    {"stream", -3, kReadonly, 2, 2, 1, XInfoStream, "stream", "5.0.0", "Returns information about a stream.", "O(1)", "@read @stream @slow", "key [FULL [COUNT count]]"},
};
constexpr CommandSpec kCommands[] = {
    {"xack", -4, kWrite | kFast, 1, 1, 1, XAck, "stream", "5.0.0", "Returns the number of messages that were successfully acknowledged by the consumer group member of a stream.", "O(1) for each message ID processed.", "@write @stream @fast", "key group id [id ...]"},
    {"xadd", -5, kWrite | kDenyOom | kFast, 1, 1, 1, XAdd, "stream", "5.0.0", "Appends a new message to a stream. Creates the key if it doesn't exist.", "O(1) when adding a new entry, O(N) when trimming where N being the number of entries evicted.", "@write @stream @fast", "key [NOMKSTREAM] [<MAXLEN | MINID> [= | ~] threshold [LIMIT count]] <* | id> field value [field value ...]", {}, "nondeterministic_output"},
    {"xautoclaim", -6, kWrite | kFast, 1, 1, 1, XAutoClaim, "stream", "6.2.0", "Changes, or acquires, ownership of messages in a consumer group, as if the messages were delivered to as consumer group member.", "O(1) if COUNT is small.", "@write @stream @fast", "key group consumer min-idle-time start [COUNT count] [JUSTID]", {}, "nondeterministic_output"},
    {"xclaim", -6, kWrite | kFast, 1, 1, 1, XClaim, "stream", "5.0.0", "Changes, or acquires, ownership of a message in a consumer group, as if the message was delivered a consumer group member.", "O(log N) with N being the number of messages in the PEL of the consumer group.", "@write @stream @fast", "key group consumer min-idle-time id [id ...] [IDLE ms] [TIME unix-time-milliseconds] [RETRYCOUNT count] [FORCE] [JUSTID] [LASTID lastid]", {}, "nondeterministic_output"},
    {"xdel", -3, kWrite | kFast, 1, 1, 1, XDel, "stream", "5.0.0", "Returns the number of messages after removing them from a stream.", "O(1) for each single item to delete in the stream, regardless of the stream size.", "@write @stream @fast", "key id [id ...]"},
    {"xgroup", -2, 0, 0, 0, 0, nullptr, "stream", "5.0.0", "A container for consumer groups commands.", "Depends on subcommand.", "@slow", "", kXGroupSubcommands},
    {"xinfo", -2, 0, 0, 0, 0, nullptr, "stream", "5.0.0", "A container for stream introspection commands.", "Depends on subcommand.", "@slow", "", kXInfoSubcommands},
    {"xlen", 2, kReadonly | kFast, 1, 1, 1, XLen, "stream", "5.0.0", "Return the number of messages in a stream.", "O(1)", "@read @stream @fast", "key"},
    {"xpending", -3, kReadonly, 1, 1, 1, XPending, "stream", "5.0.0", "Returns the information and entries from a stream consumer group's pending entries list.", "O(N) with N being the number of elements returned, so asking for a small fixed number of entries per call is O(1). O(M), where M is the total number of entries scanned when used with the IDLE filter. When the command returns just the summary and the list of consumers is small, it runs in O(1) time; otherwise, an additional O(N) time for iterating every consumer.", "@read @stream @slow", "key group [[IDLE min-idle-time] start end count [consumer]]", {}, "nondeterministic_output"},
    {"xrange", -4, kReadonly, 1, 1, 1, XRange, "stream", "5.0.0", "Returns the messages from a stream within a range of IDs.", "O(N) with N being the number of elements being returned. If N is constant (e.g. always asking for the first 10 elements with COUNT), you can consider it O(1).", "@read @stream @slow", "key start end [COUNT count]"},
    {"xread", -4, kReadonly | kBlocking | kMovableKeys, 0, 0, 0, XRead, "stream", "5.0.0", "Returns messages from multiple streams with IDs greater than the ones requested. Blocks until a message is available otherwise.", "For each stream mentioned: O(N) with N being the number of elements being returned, it means that XREAD-ing with a fixed COUNT is O(1). Note that when the BLOCK option is used, XADD will pay O(M) time in order to serve the M clients blocked on the stream getting new data.", "@read @stream @slow @blocking", "[COUNT count] [BLOCK milliseconds] STREAMS key [key ...] id [id ...]"},
    {"xreadgroup", -7, kWrite | kBlocking | kMovableKeys, 0, 0, 0, XReadGroup, "stream", "5.0.0", "Returns new or historical messages from a stream for a consumer in a group. Blocks until a message is available otherwise.", "For each stream mentioned: O(M) with M being the number of elements returned. If M is constant (e.g. always asking for the first 10 elements with COUNT), you can consider it O(1). On the other side when XREADGROUP blocks, XADD will pay the O(N) time in order to serve the N clients blocked on the stream getting new data.", "@write @stream @slow @blocking", "GROUP group consumer [COUNT count] [BLOCK milliseconds] [NOACK] STREAMS key [key ...] id [id ...]"},
    {"xrevrange", -4, kReadonly, 1, 1, 1, XRevRange, "stream", "5.0.0", "Returns the messages from a stream within a range of IDs in reverse order.", "O(N) with N being the number of elements returned. If N is constant (e.g. always asking for the first 10 elements with COUNT), you can consider it O(1).", "@read @stream @slow", "key end start [COUNT count]"},
    {"xsetid", -3, kWrite | kDenyOom | kFast, 1, 1, 1, XSetId, "stream", "5.0.0", "An internal command for replicating stream values.", "O(1)", "@write @stream @fast", "key last-id [ENTRIESADDED entries-added] [MAXDELETEDID max-deleted-id]"},
    {"xtrim", -4, kWrite, 1, 1, 1, XTrim, "stream", "5.0.0", "Deletes messages from the beginning of a stream.", "O(N), with N being the number of evicted entries. Constant times are very small however, since entries are organized in macro nodes containing multiple entries that can be released with a single deallocation.", "@write @stream @slow", "key <MAXLEN | MINID> [= | ~] threshold [LIMIT count]", {}, "nondeterministic_output"},
};
// clang-format on

}  // namespace
}  // namespace stream

void RegisterStreamCommands(CommandTable& table) { table.Register(stream::kCommands); }

}  // namespace ringdb::commands
